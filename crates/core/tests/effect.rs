//! The renderings judged by their effect, with the core's evaluator: for every fixture, each
//! trust policy lets its service in with the confused-deputy context of its own account and
//! keeps it out without that context or from another account.

use ecs_iam_core::{evaluate, Config, Decision, Format, Request};
use serde_json::Value;

fn fixtures() -> Vec<(String, Config)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut out: Vec<(String, Config)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                Config::parse(&text).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

const ACCOUNT: &str = "111122223333";

fn fill(text: &str, account: &str) -> String {
    text.replace("${AWS::Partition}", "aws")
        .replace("${AWS::Region}", "us-east-1")
        .replace("${AWS::AccountId}", account)
}

/// A value that matches a pattern of a trust condition (its wildcards filled in).
fn instance(pattern: &str) -> String {
    pattern.replace(['*', '?'], "x")
}

#[test]
fn every_trust_policy_admits_its_service_only_for_its_own_account() {
    let mut checked = 0;
    for (name, config) in fixtures() {
        let account = config.account.clone().unwrap_or_else(|| ACCOUNT.into());
        let text = ecs_iam_core::render(&config, Format::Json, &Default::default());
        let rendering: Value = serde_json::from_str(&fill(&text, &account)).unwrap();
        for role in rendering["Roles"].as_array().unwrap() {
            let trust = &role["AssumeRolePolicyDocument"];
            let st = &trust["Statement"][0];
            let service = st["Principal"]["Service"].as_str().unwrap().to_string();
            let mut context = Vec::new();
            for (_, keys) in st["Condition"].as_object().into_iter().flatten() {
                for (k, v) in keys.as_object().unwrap() {
                    let v = match v {
                        Value::Array(a) => a[0].as_str().unwrap(),
                        v => v.as_str().unwrap(),
                    };
                    context.push((k.clone(), vec![instance(v)]));
                }
            }
            let request = Request {
                principal: service.clone(),
                action: st["Action"].as_str().unwrap().into(),
                resource: format!(
                    "arn:aws:iam::{account}:role/{}",
                    role["RoleName"].as_str().unwrap()
                ),
                context: context.clone(),
            };
            assert_eq!(
                evaluate(&[], Some(trust), &request).decision,
                Decision::Allow,
                "{name} {}",
                role["RoleName"]
            );
            let other = Request {
                principal: "ec2.amazonaws.com.evil".into(),
                ..request.clone()
            };
            assert_ne!(
                evaluate(&[], Some(trust), &other).decision,
                Decision::Allow,
                "{name}: another principal"
            );
            if !context.is_empty() {
                checked += 1;
                let bare = Request {
                    context: Vec::new(),
                    ..request.clone()
                };
                assert_ne!(
                    evaluate(&[], Some(trust), &bare).decision,
                    Decision::Allow,
                    "{name}: no confused-deputy context"
                );
                let foreign = Request {
                    context: context
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.iter()
                                    .map(|s| s.replace(&account, "444455556666"))
                                    .collect(),
                            )
                        })
                        .collect(),
                    ..request
                };
                assert_ne!(
                    evaluate(&[], Some(trust), &foreign).decision,
                    Decision::Allow,
                    "{name}: another account's resource"
                );
            }
        }
    }
    assert!(checked > 10, "{checked}");
}
