//! `diagnose` on error messages as users quote them in public issues (the sources are named;
//! account ids, names and hashes are replaced by example values).

use ecs_iam_core::diagnose;

struct Case {
    source: &'static str,
    text: &'static str,
    id: &'static str,
    role_kind: Option<&'static str>,
    role_name: Option<&'static str>,
    actions: &'static [&'static str],
    not_iam: bool,
}

const CASES: &[Case] = &[
    Case {
        source: "umotif-public/terraform-aws-ecs-fargate#50",
        text: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.",
        id: "network-timeout", role_kind: None, role_name: None, actions: &[], not_iam: true,
    },
    Case {
        source: "aws-cdk#3529 (the SSM form)",
        text: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/MyStack-TaskDefExecutionRole-1ABC/3f2e is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter/my/param status code: 400, request id: 0000",
        id: "secrets-access-denied", role_kind: Some("task-execution"), role_name: Some("MyStack-TaskDefExecutionRole-1ABC"), actions: &["ssm:GetParameters"], not_iam: false,
    },
    Case {
        source: "cloudposse/terraform-aws-ecs-alb-service-task#67",
        text: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/app-exec/8f1a is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db because no identity-based policy allows the secretsmanager:GetSecretValue action status code: 400",
        id: "secrets-access-denied", role_kind: Some("task-execution"), role_name: Some("app-exec"), actions: &["secretsmanager:GetSecretValue"], not_iam: false,
    },
    Case {
        source: "GiamPy5/terraform-aws-directus#10; aws-cdk#17156",
        text: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:directus-AbCdEf from secrets manager: AccessDeniedException: Access to KMS is not allowed status code: 400",
        id: "kms-not-allowed", role_kind: Some("task-execution"), role_name: None, actions: &[], not_iam: false,
    },
    Case {
        source: "aws-cdk#4498",
        text: "Fetching secret data from SSM Parameter Store in eu-west-1: AccessDeniedException: The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access. status code: 400",
        id: "kms-ciphertext", role_kind: Some("task-execution"), role_name: None, actions: &[], not_iam: false,
    },
    Case {
        source: "telia-oss/terraform-aws-ecs-fargate PR #58; aws-samples/aws-modern-application-workshop#88",
        text: "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/service/ecsTaskExecutionRole' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.",
        id: "unable-to-assume", role_kind: None, role_name: Some("ecsTaskExecutionRole"), actions: &[], not_iam: false,
    },
    Case {
        source: "hashicorp/terraform-provider-aws#6503",
        text: "ClientException: When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
        id: "no-execution-role", role_kind: Some("task-execution"), role_name: None, actions: &[], not_iam: false,
    },
    Case {
        source: "the ECS agent's form for ECR (amazon-ecs-agent error messages)",
        text: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth from ecr: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/execRole/abc is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action",
        id: "ecr-access-denied", role_kind: Some("task-execution"), role_name: Some("execRole"), actions: &["ecr:GetAuthorizationToken"], not_iam: false,
    },
    Case {
        source: "the CannotPullContainerError page of the ECS guide",
        text: "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest: pulling from host 123456789012.dkr.ecr.us-east-1.amazonaws.com failed with status code [manifests latest]: 403 Forbidden",
        id: "cannot-pull", role_kind: Some("task-execution"), role_name: None, actions: &[], not_iam: false,
    },
    Case {
        source: "aws/amazon-ecs-agent issues (awslogs)",
        text: "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/execRole/abc is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:log-stream:ecs/app/abc",
        id: "log-stream", role_kind: Some("task-execution"), role_name: Some("execRole"), actions: &["logs:CreateLogStream"], not_iam: false,
    },
    Case {
        source: "copilot-cli#5291 (the application's own call)",
        text: "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/app-task/abc is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::my-bucket/config.json\" because no identity-based policy allows the s3:GetObject action",
        id: "not-authorized", role_kind: None, role_name: Some("app-task"), actions: &["s3:GetObject"], not_iam: false,
    },
    Case {
        source: "the ECS agent's ResourceNotFoundException form",
        text: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret. status code: 400",
        id: "secret-not-found", role_kind: Some("task-execution"), role_name: None, actions: &[], not_iam: true,
    },
    Case {
        source: "the classic Fargate 1.3 timeout (aws/containers-roadmap)",
        text: "CannotPullContainerError: Error response from daemon: Get https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
        id: "network-request-canceled", role_kind: None, role_name: None, actions: &[], not_iam: true,
    },
    Case {
        source: "aws/containers-roadmap and re:Post threads on Fargate platform 1.4 (no route to ECR)",
        text: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr.us-east-1.amazonaws.com/\": dial tcp 52.46.146.191:443: i/o timeout",
        id: "network-io-timeout", role_kind: None, role_name: None, actions: &[], not_iam: true,
    },
];

#[test]
fn every_quoted_message_is_explained() {
    for c in CASES {
        let d = diagnose(c.text);
        let p = d
            .pattern
            .unwrap_or_else(|| panic!("{}: not recognised", c.source));
        assert_eq!(p.id, c.id, "{}", c.source);
        assert_eq!(d.role_kind, c.role_kind, "{}", c.source);
        assert_eq!(d.role_name.as_deref(), c.role_name, "{}", c.source);
        assert_eq!(d.actions, c.actions, "{}", c.source);
        assert_eq!(p.not_iam, c.not_iam, "{}", c.source);
        assert!(
            p.docs.starts_with("https://docs.aws.amazon.com/"),
            "{}",
            c.source
        );
    }
}

#[test]
fn every_pattern_explains_a_quoted_message() {
    for p in ecs_iam_core::catalog().error_patterns {
        assert!(
            CASES.iter().any(|c| c.id == p.id),
            "{}: no message in the corpus",
            p.id
        );
    }
}

#[test]
fn hostile_text_never_panics_and_stays_unrecognised() {
    for t in [
        "",
        "assumed-role/",
        "is not authorized to perform: ",
        " on resource: \"",
        "é:role/",
        "\u{2028}",
    ] {
        let d = diagnose(t);
        assert!(!d.recognised() || t.contains("authorized"), "{t:?}");
    }
    let long = "is not authorized to perform: ".repeat(2000);
    let d = diagnose(&long);
    assert!(d.actions.len() <= 2000);
}
