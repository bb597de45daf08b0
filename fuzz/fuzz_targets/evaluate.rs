//! The evaluator reads any policy document: it decides without a panic, and an explicit
//! `Deny` of everything beside it wins over whatever the document allows.
#![no_main]

use ecs_iam_core::{evaluate, Decision, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = ecs_iam_core::json::parse(text) else {
        return;
    };
    let deny = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]
    });
    let requests = [
        Request {
            principal: "ecs-tasks.amazonaws.com".into(),
            action: "sts:AssumeRole".into(),
            resource: "*".into(),
            context: vec![
                ("aws:SourceAccount".into(), vec!["111122223333".into()]),
                (
                    "aws:SourceArn".into(),
                    vec!["arn:aws:ecs:us-east-1:111122223333:task/c/1".into()],
                ),
            ],
        },
        Request {
            principal: "arn:aws:iam::111122223333:role/web".into(),
            action: "secretsmanager:GetSecretValue".into(),
            resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf".into(),
            context: vec![
                ("aws:username".into(), vec!["web".into()]),
                (
                    "aws:CurrentTime".into(),
                    vec!["2026-12-03T00:00:00Z".into()],
                ),
                ("aws:SourceIp".into(), vec!["203.0.113.7".into()]),
                ("aws:TagKeys".into(), vec!["a".into(), "b".into()]),
            ],
        },
    ];
    for request in &requests {
        let _ = evaluate(&[&policy], None, request);
        let _ = evaluate(&[], Some(&policy), request);
        let both = evaluate(&[&policy, &deny], Some(&policy), request);
        assert_eq!(
            both.decision,
            Decision::ExplicitDeny,
            "a Deny of everything lost"
        );
    }
});
