//! `fix`: a diagnosis applied to a configuration gives the role at fault the permission the
//! message names, through the catalogue's feature where one grants it, and the evaluator then
//! allows the request that failed.

use ecs_iam_core::{diagnose, evaluate, fix, plan, role_policies, Config, Decision, Request};

fn config(text: &str) -> Config {
    Config::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

const SERVICE: &str = include_str!("../../../tests/fixtures/diff/service.config.json");

fn denied(role: &str, action: &str, resource: &str) -> String {
    format!("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/{role}/8f1d is not authorized to perform: {action} on resource: {resource}")
}

/// The request the message names is allowed by the fixed configuration's role, and was not
/// before.
fn allows(c: &Config, role: &str, action: &str, resource: &str) -> bool {
    let p = plan(c);
    let k = p.roles.iter().position(|r| r.name == role).unwrap();
    let policies = role_policies(&p, k);
    let refs: Vec<_> = policies.iter().collect();
    let request = Request {
        principal: p.roles[k].arn.clone(),
        action: action.into(),
        resource: resource.into(),
        context: Vec::new(),
    };
    evaluate(&refs, None, &request).decision == Decision::Allow
}

#[test]
fn a_denied_secret_goes_to_the_secrets_feature_of_the_named_role() {
    let c = config(SERVICE);
    let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/api-AbCdEf";
    let action = "secretsmanager:GetSecretValue";
    assert!(!allows(&c, "webExecutionRole", action, secret));
    let f = fix(&c, &diagnose(&denied("webExecutionRole", action, secret))).unwrap();
    assert_eq!(f.changes.len(), 1, "{:?}", f.changes);
    assert!(
        f.changes[0].starts_with("roles[0].features[2].secrets"),
        "{:?}",
        f.changes
    );
    let fixed = Config::from_value(&f.config).unwrap();
    assert!(allows(&fixed, "webExecutionRole", action, secret));
    // Only the execution role changed.
    assert_eq!(f.config["roles"][1], c.to_value()["roles"][1]);
}

#[test]
fn what_the_configuration_already_allows_is_said_not_added() {
    let c = config(SERVICE);
    let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf";
    let f = fix(
        &c,
        &diagnose(&denied(
            "webExecutionRole",
            "secretsmanager:GetSecretValue",
            secret,
        )),
    )
    .unwrap();
    assert!(f.changes.is_empty(), "{:?}", f.changes);
    assert!(f.notes[0].contains("already allows"), "{:?}", f.notes);
    assert_eq!(f.config, c.to_value());
}

#[test]
fn what_no_feature_grants_becomes_a_custom_statement_of_exactly_it() {
    let c = config(SERVICE);
    let text = "An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::111122223333:assumed-role/webTaskRole/i-0abc is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::web-uploads-111122223333/a.txt because no identity-based policy allows the s3:PutObject action";
    let d = diagnose(text);
    let f = fix(&c, &d).unwrap();
    assert_eq!(f.changes.len(), 1, "{:?} {:?}", f.changes, f.notes);
    let fixed = Config::from_value(&f.config).unwrap();
    assert!(allows(
        &fixed,
        "webTaskRole",
        "s3:PutObject",
        "arn:aws:s3:::web-uploads-111122223333/a.txt"
    ));
    assert!(!allows(
        &fixed,
        "webTaskRole",
        "s3:PutObject",
        "arn:aws:s3:::web-uploads-111122223333/b.txt"
    ));
    let custom = &f.config["roles"][1]["features"][1];
    assert_eq!(custom["id"], "custom");
    assert_eq!(custom["statements"][0]["Action"], "s3:PutObject");
}

#[test]
fn a_log_stream_refusal_goes_to_the_logs_feature() {
    let c = config(SERVICE);
    let group = "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/worker:log-stream:ecs/worker/1";
    let text = format!("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/webExecutionRole/8f1d is not authorized to perform: logs:CreateLogStream on resource: {group}");
    let f = fix(&c, &diagnose(&text)).unwrap();
    assert_eq!(f.changes.len(), 1, "{:?} {:?}", f.changes, f.notes);
    assert!(
        f.changes[0].starts_with("roles[0].features[1].logGroups"),
        "{:?}",
        f.changes
    );
    let fixed = Config::from_value(&f.config).unwrap();
    assert!(allows(
        &fixed,
        "webExecutionRole",
        "logs:CreateLogStream",
        group
    ));
}

#[test]
fn a_missing_execution_role_is_added_and_timeouts_change_nothing() {
    let c = config(r#"{"roles": [{"kind": "task", "name": "app"}]}"#);
    let d = diagnose("ClientException: When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
    let f = fix(&c, &d).unwrap();
    assert_eq!(
        f.config["roles"][1]["kind"], "task-execution",
        "{:?}",
        f.changes
    );
    Config::from_value(&f.config).unwrap();
    let t = diagnose("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded.");
    assert!(fix(&c, &t).is_none());
    assert!(fix(&c, &diagnose("something else entirely")).is_none());
}

/// Whatever a message says (names, actions, resources of any shape), the result is a
/// configuration the builder accepts.
#[test]
fn hostile_messages_give_valid_configurations() {
    let c = config(SERVICE);
    for (role, action, resource) in [
        (
            "webExecutionRole",
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:a\"b",
        ),
        (
            "webExecutionRole",
            "ecr:BatchGetImage",
            "arn:aws:ecr:us-east-1:999999999999:repository/other/app",
        ),
        (
            "nobody",
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        ("webTaskRole", "x:Y", "not-an-arn"),
        ("webTaskRole", "s3:GetObject", "*"),
    ] {
        if let Some(f) = fix(&c, &diagnose(&denied(role, action, resource))) {
            Config::from_value(&f.config).unwrap_or_else(|e| panic!("{action} {resource}: {e}"));
        }
    }
}
