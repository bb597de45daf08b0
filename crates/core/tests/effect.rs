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

#[test]
fn every_vector_gets_its_answer_and_every_statement_has_one() {
    for (name, config) in fixtures() {
        for style in ecs_iam_core::PermissionStyle::ALL {
            let plan = ecs_iam_core::plan(&Config {
                permissions: Some(style),
                ..config.clone()
            });
            let vectors = ecs_iam_core::vectors(&plan);
            let denied: Vec<_> = ecs_iam_core::check_plan(&plan.config, &plan)
                .into_iter()
                .filter(|d| d.code.id() == "denied-by-statement")
                .collect();
            for v in &vectors {
                let ok = if v.allow {
                    v.decision == Decision::Allow
                } else {
                    v.decision != Decision::Allow
                };
                assert!(
                    ok,
                    "{name} {}: {} {} {} ({}): {:?}",
                    style.id(),
                    v.role,
                    v.request.action,
                    v.request.resource,
                    v.why,
                    v.decision
                );
            }
            // Every allowing statement with a plain action is covered by an allowed vector.
            for (i, role) in plan.roles.iter().enumerate() {
                for doc in ecs_iam_core::role_policies(&plan, i) {
                    for st in doc["Statement"].as_array().unwrap() {
                        let plain = st["Effect"] == "Allow"
                            && st.get("NotAction").is_none()
                            && st.get("NotResource").is_none()
                            && match &st["Action"] {
                                Value::String(a) => !a.contains(['*', '?']),
                                Value::Array(a) => {
                                    a.iter().any(|x| !x.as_str().unwrap().contains(['*', '?']))
                                }
                                _ => false,
                            };
                        let numeric = st.get("Condition").is_some_and(|c| {
                            c.as_object().unwrap().keys().any(|k| {
                                k.contains("Numeric")
                                    || k.contains("Date")
                                    || k.contains("IpAddress")
                            })
                        });
                        if plain && !numeric {
                            let sid = st["Sid"].as_str().unwrap_or_default();
                            // A grant that a Deny of the role takes away is check's finding.
                            let denied = denied.iter().any(|d| {
                                d.message.contains(&format!("of role {} allows", role.name))
                            });
                            assert!(
                                denied
                                    || vectors
                                        .iter()
                                        .any(|v| v.role == role.name && v.allow && v.sid == sid),
                                "{name} {}: {} {sid} has no allowed vector",
                                style.id(),
                                role.name
                            );
                        }
                    }
                }
            }
        }
    }
}
