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

/// The policies of a role of the `json` rendering: its inline policies, the customer managed
/// policies it attaches, and the documents of the AWS managed policies it attaches.
fn role_documents(json: &Value, role: &str) -> Vec<Value> {
    let aws: Vec<Value> =
        serde_json::from_str(include_str!("../catalog/managed-policies.json")).unwrap();
    let r = json["Roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["RoleName"] == role)
        .unwrap_or_else(|| panic!("no role {role}"));
    let mut docs: Vec<Value> = r["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["PolicyDocument"].clone())
        .collect();
    for arn in r["ManagedPolicyArns"].as_array().into_iter().flatten() {
        let arn = arn.as_str().unwrap();
        let name = arn.rsplit('/').next().unwrap();
        if let Some(p) = json["ManagedPolicies"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["PolicyName"] == name)
        {
            docs.push(p["PolicyDocument"].clone());
        } else if arn.contains(":iam::aws:policy/") {
            let p = aws
                .iter()
                .find(|p| p["name"] == name)
                .expect("an AWS managed policy of the catalogue");
            docs.push(p["document"].clone());
        }
    }
    docs
}

/// What the task-definition fragment puts in the containers works with the roles it names: the
/// execution role may pull the image, write the awslogs stream, read every secret and the
/// registry credentials, and the task role may mount every EFS volume with IAM authorization,
/// each as the agent asks for it (the resource ARN the service evaluates).
#[test]
fn the_task_definition_fragment_asks_only_for_what_its_roles_allow() {
    let mut checked = 0;
    for (name, config) in fixtures() {
        let account = config
            .account
            .clone()
            .unwrap_or_else(|| ACCOUNT.to_string());
        let json: Value = serde_json::from_str(&fill(
            &ecs_iam_core::render(&config, Format::Json, &Default::default()),
            &account,
        ))
        .unwrap();
        let fragment: Value = serde_json::from_str(&fill(
            &ecs_iam_core::render(&config, Format::TaskDefinition, &Default::default()),
            &account,
        ))
        .unwrap();
        let role_of = |field: &str| {
            fragment[field]
                .as_str()
                .map(|arn| role_documents(&json, arn.rsplit('/').next().unwrap()))
        };
        let partition = config.partition.as_deref().unwrap_or("aws");
        let region = config.region.as_deref().unwrap_or("us-east-1");
        let mut allowed =
            |docs: &[Value], action: &str, resource: &str, context: Vec<(String, Vec<String>)>| {
                let refs: Vec<&Value> = docs.iter().collect();
                let request = Request {
                    principal: format!("arn:{partition}:iam::{account}:role/r"),
                    action: action.into(),
                    resource: resource.into(),
                    context,
                };
                let d = evaluate(&refs, None, &request).decision;
                assert_eq!(d, Decision::Allow, "{name}: {action} on {resource}");
                checked += 1;
            };
        let container = &fragment["containerDefinitions"][0];
        if let Some(exec) = role_of("executionRoleArn") {
            if let Some(image) = container["image"].as_str() {
                // ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME:latest
                let (host, rest) = image.split_once('/').unwrap();
                let mut labels = host.split('.');
                let (acct, reg) = (labels.next().unwrap(), labels.nth(2).unwrap());
                let repo = rest.rsplit_once(':').unwrap().0;
                let arn = format!("arn:{partition}:ecr:{reg}:{acct}:repository/{repo}");
                // A pull through the VPC endpoint or VPC the configuration names.
                let mut via = Vec::new();
                let exec_role = config
                    .roles
                    .iter()
                    .find(|r| r.kind.task_definition_field == Some("executionRoleArn"));
                for fu in exec_role.into_iter().flat_map(|r| &r.features) {
                    if fu.feature.id == "ecr-pull" {
                        for (param, key) in [
                            ("sourceVpce", "aws:SourceVpce"),
                            ("sourceVpc", "aws:SourceVpc"),
                        ] {
                            if let Some(v) = fu.values(param).first() {
                                via.push((key.to_string(), vec![(*v).to_string()]));
                            }
                        }
                    }
                }
                allowed(&exec, "ecr:BatchGetImage", &arn, via.clone());
                allowed(&exec, "ecr:GetDownloadUrlForLayer", &arn, via);
            }
            if let Some(options) = container["logConfiguration"]["options"].as_object() {
                let group = options["awslogs-group"].as_str().unwrap();
                let reg = options["awslogs-region"].as_str().unwrap();
                let stream = format!(
                    "arn:{partition}:logs:{reg}:{account}:log-group:{group}:log-stream:app/app/0123456789abcdef"
                );
                allowed(&exec, "logs:CreateLogStream", &stream, vec![]);
                allowed(&exec, "logs:PutLogEvents", &stream, vec![]);
            }
            let secret_arn = |v: &str| {
                // A name stands for the secret of this account and Region, with AWS's suffix.
                if v.starts_with("arn:") {
                    v.splitn(8, ':').take(7).collect::<Vec<_>>().join(":")
                } else {
                    format!("arn:{partition}:secretsmanager:{region}:{account}:secret:{v}-AbCdEf")
                }
            };
            for s in container["secrets"].as_array().into_iter().flatten() {
                let from = s["valueFrom"].as_str().unwrap();
                if from.contains(":secretsmanager:") {
                    allowed(
                        &exec,
                        "secretsmanager:GetSecretValue",
                        &secret_arn(from),
                        vec![],
                    );
                } else {
                    let arn = if from.starts_with("arn:") {
                        from.to_string()
                    } else {
                        format!(
                            "arn:{partition}:ssm:{region}:{account}:parameter/{}",
                            from.trim_start_matches('/')
                        )
                    };
                    allowed(&exec, "ssm:GetParameters", &arn, vec![]);
                }
            }
            if let Some(c) = container["repositoryCredentials"]["credentialsParameter"].as_str() {
                allowed(
                    &exec,
                    "secretsmanager:GetSecretValue",
                    &secret_arn(c),
                    vec![],
                );
            }
        }
        for v in fragment["volumes"].as_array().into_iter().flatten() {
            let efs = &v["efsVolumeConfiguration"];
            let task = role_of("taskRoleArn")
                .expect("an EFS volume with IAM authorization names the task role");
            let fs = efs["fileSystemId"].as_str().unwrap();
            let arn =
                format!("arn:{partition}:elasticfilesystem:{region}:{account}:file-system/{fs}");
            let context = efs["authorizationConfig"]["accessPointId"]
                .as_str()
                .map(|ap| {
                    vec![(
                        "elasticfilesystem:AccessPointArn".to_string(),
                        vec![format!("arn:{partition}:elasticfilesystem:{region}:{account}:access-point/{ap}")],
                    )]
                })
                .unwrap_or_default();
            allowed(&task, "elasticfilesystem:ClientMount", &arn, context);
        }
    }
    assert!(
        checked >= 20,
        "the fixtures exercise the fragment ({checked} requests)"
    );
}
