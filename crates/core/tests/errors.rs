//! Invalid input gives one clear message naming the field and the value.

use ecs_iam_core::Config;

fn error(config: &str) -> String {
    Config::parse(config)
        .expect_err("config should be rejected")
        .to_string()
}

fn starts(config: &str, expected: &str) {
    let e = error(config);
    assert!(
        e.starts_with(expected),
        "got:      {e}\nexpected: {expected}..."
    );
    assert!(!e.contains('\n'), "one line: {e}");
}

#[test]
fn names_the_field_and_the_value() {
    starts(
        r#"{"roles":[{"kind":"task-execution","features":[{"id":"logs"},{"id":"ecr-pull","repositories":["My Repo"]}]}]}"#,
        r#"roles[0].features[1].repositories[0]: "My Repo" is not a valid ECR repository name"#,
    );
    starts(
        r#"{"account":"12345","roles":[{"kind":"task"}]}"#,
        r#"account: "12345" is not an AWS account id"#,
    );
    starts(
        r#"{"partition":"aws-cn","region":"us-east-1","roles":[{"kind":"task"}]}"#,
        r#"region: "us-east-1" is not a Region of the aws-cn partition"#,
    );
    starts(
        r#"{"roles":[{"kind":"task","name":"has space"}]}"#,
        r#"roles[0].name: "has space" is not a valid IAM name"#,
    );
}

#[test]
fn unknown_fields_are_errors() {
    starts(
        r#"{"roles":[{"kind":"task"}],"regoin":"us-east-1"}"#,
        "regoin: unknown field; expected one of: partition, region",
    );
    starts(
        r#"{"roles":[{"kind":"task-execution","features":[{"id":"ecr-pull","repository":["x"]}]}]}"#,
        "roles[0].features[0].repository: unknown field; expected one of: id, repositories",
    );
    starts(
        r#"{"roles":[{"kind":"task","Name":"x"}]}"#,
        "roles[0].Name: unknown field (did you mean name?)",
    );
}

#[test]
fn features_on_roles_that_do_not_accept_them() {
    starts(
        r#"{"roles":[{"kind":"task-execution","features":[{"id":"exec"}]}]}"#,
        r#"roles[0].features[0].id: "exec" is not available on a task-execution role; it belongs on: task"#,
    );
    starts(
        r#"{"roles":[{"kind":"task","features":[{"id":"ebs"}]}]}"#,
        r#"roles[0].features[0].id: "ebs" is not available on a task role"#,
    );
}

#[test]
fn hostile_values_are_quoted_in_messages() {
    let e = error("{\"roles\":[{\"kind\":\"task\",\"name\":\"a\\nb$(rm -rf /)\"}]}");
    assert!(
        e.starts_with(r#"roles[0].name: "a\nb$(rm -rf /)" is not a valid IAM name"#),
        "{e}"
    );
    let long = "x".repeat(5000);
    let e = error(&format!(
        r#"{{"roles":[{{"kind":"task","name":"{long}"}}]}}"#
    ));
    assert!(e.len() < 300, "long values are cut: {e}");
}

#[test]
fn cross_checks() {
    starts(
        r#"{"roles":[{"kind":"task"},{"kind":"task"}]}"#,
        r#"roles[1].name: "ecsTaskRole" is already used by roles[0]"#,
    );
    starts(
        r#"{"roles":[{"kind":"task","name":"App"},{"kind":"task-execution","name":"app"}]}"#,
        r#"roles[1].name: "app" is already used by roles[0]"#,
    );
    starts(
        r#"{"roles":[{"kind":"deployer","passRoles":["nope"]}]}"#,
        r#"roles[0].passRoles[0]: "nope" is not the name of a role"#,
    );
    starts(
        r#"{"roles":[{"kind":"infrastructure","confusedDeputy":true}]}"#,
        "roles[0].confusedDeputy: AWS does not document",
    );
    starts(
        r#"{"roles":[{"kind":"task","managedPolicies":["AmazonEcsTaskExecutionRolePolicy"]}]}"#,
        r#"roles[0].managedPolicies[0]: "AmazonEcsTaskExecutionRolePolicy" is not an AWS managed policy known to the catalogue. Did you mean AmazonECSTaskExecutionRolePolicy?"#,
    );
    starts(r#"{"roles":[{"kind":"task","managedPolicies":["AmazonECSServiceRolePolicy"]}]}"#, "roles[0].managedPolicies[0]: \"AmazonECSServiceRolePolicy\" is a service-linked role policy");
}

#[test]
fn values_of_every_kind() {
    let cases = [
        (r#"{"id":"secrets-manager","secrets":["arn:aws:ssm:us-east-1:111122223333:parameter/x"]}"#, "task-execution", r#"roles[0].features[0].secrets[0]: "arn:aws:ssm:us-east-1:111122223333:parameter/x" is not a Secrets Manager secret"#),
        (r#"{"id":"secrets-manager","secrets":["a b"]}"#, "task-execution", "roles[0].features[0].secrets[0]: \"a b\" is not a valid Secrets Manager secret name"),
        (r#"{"id":"ssm-parameters","parameters":["/aws/reserved"]}"#, "task-execution", "roles[0].features[0].parameters[0]: \"/aws/reserved\" is not a valid SSM parameter name: names beginning with aws or ssm are reserved"),
        (r#"{"id":"secrets-manager","secrets":["s"],"kmsKeys":["alias/my-key"]}"#, "task-execution", "roles[0].features[0].kmsKeys[0]: \"alias/my-key\" is not a valid KMS key id: an alias cannot authorize kms:Decrypt"),
        (r#"{"id":"efs","fileSystems":["fs-XYZ"]}"#, "task", "roles[0].features[0].fileSystems[0]: \"fs-XYZ\" is not a valid EFS file system id"),
        (r#"{"id":"ecr-pull","sourceVpce":["vpc-0123456789abcdef0"]}"#, "task-execution", "roles[0].features[0].sourceVpce[0]: \"vpc-0123456789abcdef0\" is not a valid VPC endpoint id"),
        (r#"{"id":"exec","s3Bucket":"Bad_Bucket"}"#, "task", "roles[0].features[0].s3Bucket: \"Bad_Bucket\" is not a valid S3 bucket name"),
        (r#"{"id":"logs","logGroups":["bad group"]}"#, "task-execution", "roles[0].features[0].logGroups[0]: \"bad group\" is not a valid CloudWatch Logs log group name"),
        (r#"{"id":"efs","write":"yes"}"#, "task", "roles[0].features[0].write: must be true or false, not a string"),
        (r#"{"id":"custom","statements":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:${AWS::Partition}:s3:::b/*"}]}"#, "task", "roles[0].features[0].statements[0].Resource: \"arn:${AWS::Partition}:s3:::b/*\" contains a CloudFormation pseudo parameter"),
        (r#"{"id":"custom","statements":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Principal":"*"}]}"#, "task", "roles[0].features[0].statements[0].Principal: identity policies have no Principal"),
        ("{\"id\":\"custom\",\"statements\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/x\":\"\u{2028}\"}}}]}", "task", "roles[0].features[0].statements[0].Condition.StringEquals.aws:PrincipalTag/x: \"\\u2028\" contains \"\\u2028\" (U+2028), which IAM policy documents cannot hold"),
        (r#"{"id":"custom","statements":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/\u0007"}]}"#, "task", r#"roles[0].features[0].statements[0].Resource: "arn:aws:s3:::b/\u0007" contains "\u0007" (U+0007), which IAM policy documents cannot hold"#),
    ];
    for (feature, kind, expected) in cases {
        starts(
            &format!(r#"{{"roles":[{{"kind":"{kind}","features":[{feature}]}}]}}"#),
            expected,
        );
    }
}

#[test]
fn partition_of_arns_must_match() {
    starts(
        r#"{"partition":"aws-cn","roles":[{"kind":"task-execution","features":[{"id":"secrets-manager","secrets":["arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf"]}]}]}"#,
        r#"roles[0].features[0].secrets[0]: "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf" is in partition aws, but the configuration's partition is aws-cn"#,
    );
}

#[test]
fn statement_ids() {
    let custom = |statements: &str| {
        format!(
            r#"{{"roles":[{{"kind":"task","features":[{{"id":"custom","statements":[{statements}]}}]}}]}}"#
        )
    };
    starts(
        &custom(r#"{"Sid":"","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#),
        "roles[0].features[0].statements[0].Sid: is empty",
    );
    starts(
        &custom(
            r#"{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#,
        ),
        r#"roles[0].features[0].statements[1].Sid: "A" is already the Sid of roles[0].features[0].statements[0]"#,
    );
    // The deployer policy holds its PassRole statements and every custom feature's statements.
    let statement = r#"{"Sid":"S","Effect":"Allow","Action":"ecs:ListClusters","Resource":"*"}"#;
    starts(
        &format!(
            r#"{{"roles":[{{"kind":"task"}},{{"kind":"deployer","features":[{{"id":"custom","statements":[{statement}]}},{{"id":"custom","statements":[{statement}]}}]}}]}}"#
        ),
        r#"roles[1].features[1].statements[0].Sid: "S" is already the Sid of roles[1].features[0].statements[0] in this deployer policy"#,
    );
    starts(
        r#"{"roles":[{"kind":"task"},{"kind":"deployer","features":[{"id":"custom","statements":[{"Sid":"PassRolesToEcsTasks","Effect":"Allow","Action":"ecs:ListClusters","Resource":"*"}]}]}]}"#,
        r#"roles[1].features[0].statements[0].Sid: "PassRolesToEcsTasks" is already the Sid of one of its PassRole statements"#,
    );
    // Without a role passed to ecs-tasks.amazonaws.com, that Sid is free.
    Config::parse(r#"{"roles":[{"kind":"infrastructure"},{"kind":"deployer","features":[{"id":"custom","statements":[{"Sid":"PassRolesToEcsTasks","Effect":"Allow","Action":"ecs:ListClusters","Resource":"*"}]}]}]}"#).unwrap();
}

#[test]
fn descriptions_cannot_hold_placeholders() {
    starts(
        r#"{"roles":[{"kind":"task","description":"Account ${AWS::AccountId}"}]}"#,
        r#"roles[0].description: "Account ${AWS::AccountId}" contains a CloudFormation pseudo parameter"#,
    );
    // Other ${...} text is kept as written.
    Config::parse(r#"{"roles":[{"kind":"task","description":"${aws:username} ${!x} ${HOME}"}]}"#)
        .unwrap();
}

#[test]
fn names_that_would_collide_once_rendered() {
    let custom = |name: &str| {
        format!(
            r#"{{"id":"custom","name":"{name}","statements":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}]}}"#
        )
    };
    starts(
        &format!(
            r#"{{"roles":[{{"kind":"task","features":[{}]}}]}}"#,
            custom("XRay")
        ),
        r#"roles[0].features[0].name: "XRay" is reserved: it names the policy of the xray feature"#,
    );
    starts(
        &format!(
            r#"{{"roles":[{{"kind":"task","features":[{},{}]}}]}}"#,
            custom("app"),
            custom("APP")
        ),
        r#"roles[0].features[1].name: "APP" is already the name of another policy on this role"#,
    );
    // Customer managed policy names (ROLE-POLICY in the managed style, and the deployer's) are
    // unique per account, whatever the style the configuration asks for.
    for permissions in ["inline", "managed"] {
        starts(
            &format!(
                r#"{{"permissions":"{permissions}","roles":[{{"kind":"task","name":"a","features":[{}]}},{{"kind":"task","name":"a-b","features":[{{"id":"xray"}}]}}]}}"#,
                custom("b-xray")
            ),
            r#"roles[1].features[0]: in the managed style ("permissions": "managed") its policy would be named "a-b-xray""#,
        );
    }
    starts(
        r#"{"roles":[{"kind":"task","name":"t","features":[{"id":"xray"}]},{"kind":"deployer","name":"T-Xray"}]}"#,
        r#"roles[1].name: "T-Xray" is also the name of the policy of roles[0].features[0] in the managed style"#,
    );
    starts(
        r#"{"roles":[{"kind":"deployer","name":"t-xray"},{"kind":"task","name":"t","features":[{"id":"xray"}]}]}"#,
        r#"roles[1].features[0]: in the managed style ("permissions": "managed") its policy would be named "t-xray" (role name, hyphen, policy name, cut to 128 characters), like the deployer policy roles[0]"#,
    );
    // Names cut to IAM's 128 characters.
    let role = "r".repeat(64);
    let (p1, p2) = (
        format!("{}a", "p".repeat(70)),
        format!("{}b", "p".repeat(70)),
    );
    starts(
        &format!(
            r#"{{"roles":[{{"kind":"task","name":"{role}","features":[{},{}]}}]}}"#,
            custom(&p1),
            custom(&p2)
        ),
        "roles[0].features[1]: in the managed style",
    );
    // Instance profile names are unique per account too.
    starts(
        r#"{"roles":[{"kind":"container-instance","name":"a","instanceProfileName":"B"},{"kind":"container-instance","name":"b"}]}"#,
        r#"roles[1].name: "b" is already the name of the instance profile of roles[0]"#,
    );
}

#[test]
fn managed_policies_by_name_or_path() {
    for ok in [
        "AmazonECSTaskExecutionRolePolicy",
        "service-role/AmazonECSTaskExecutionRolePolicy",
        "/service-role/AmazonECSTaskExecutionRolePolicy",
        "AWSXRayDaemonWriteAccess",
        "/AWSXRayDaemonWriteAccess",
    ] {
        Config::parse(&format!(
            r#"{{"roles":[{{"kind":"task","managedPolicies":["{ok}"]}}]}}"#
        ))
        .unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for (bad, expected) in [
        (
            "//service-role/AmazonECSTaskExecutionRolePolicy",
            "has the wrong path: this policy is /service-role/AmazonECSTaskExecutionRolePolicy",
        ),
        (
            "aws-service-role/AmazonECSTaskExecutionRolePolicy",
            "has the wrong path",
        ),
        (
            "service-role/AWSXRayDaemonWriteAccess",
            "has the wrong path: this policy is /AWSXRayDaemonWriteAccess",
        ),
    ] {
        starts(
            &format!(r#"{{"roles":[{{"kind":"task","managedPolicies":["{bad}"]}}]}}"#),
            &format!(r#"roles[0].managedPolicies[0]: "{bad}" {expected}"#),
        );
    }
}

#[test]
fn null_is_absent_and_other_types_are_refused() {
    let with_nulls = Config::parse(
        r#"{"$schema":null,"partition":null,"region":null,"account":null,"permissions":null,
            "roles":[{"kind":"task","name":null,"path":null,"description":null,"managedPolicies":null,
                      "confusedDeputy":null,"features":null}]}"#,
    )
    .unwrap();
    assert_eq!(
        with_nulls,
        Config::parse(r#"{"roles":[{"kind":"task"}]}"#).unwrap()
    );
    starts(
        r#"{"$schema":5,"roles":[{"kind":"task"}]}"#,
        "$schema: must be a string, not a number",
    );
}
