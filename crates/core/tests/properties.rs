//! Property tests over random valid configurations: every output parses, round-trips and is
//! deterministic; the YAML reads back as the same tree as the JSON template; bash accepts the
//! script.

use ecs_iam_core::{Config, Format, Options};
use proptest::prelude::*;
use serde_json::{json, Value};
use yaml_rust2::{Yaml, YamlLoader};

fn hostile_text() -> impl Strategy<Value = String> {
    // Printable ASCII (quotes, $, `, \, #, :) plus Latin-1 letters, as IAM allows.
    proptest::string::string_regex("[ -~\u{a0}-\u{ff}]{0,24}").unwrap()
}

fn value_for(kind: &str) -> BoxedStrategy<String> {
    let re = match kind {
        "ecr-repository" => "[a-z][a-z0-9]{1,8}(/[a-z][a-z0-9]{0,8})?",
        "log-group" => "/[a-z0-9]{1,8}(/[A-Za-z0-9._#-]{1,10})?",
        "secret" => "[A-Za-z0-9][A-Za-z0-9/_+=.@-]{0,20}",
        "ssm-parameter" => "/?p[a-z0-9_.-]{0,10}(/[a-z0-9]{1,5})?",
        "kms-key" => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "efs-file-system" => "fs-[0-9a-f]{8,17}",
        "efs-access-point" => "fsap-[0-9a-f]{8,17}",
        "vpc-endpoint" => "vpce-[0-9a-f]{8,17}",
        "vpc" => "vpc-[0-9a-f]{8,17}",
        "s3-bucket" => "[a-z0-9][a-z0-9-]{2,20}[a-z0-9]",
        "policy-name" => "[A-Za-z0-9+=,.@_-]{0,20}[A-Za-z]",
        "ecs-task-definition" | "ecs-cluster" | "ecs-service" => "[A-Za-z0-9_-]{1,20}",
        "lambda-function" => "[a-z][a-z0-9_-]{0,20}",
        "firehose-stream" | "kinesis-stream" => "[A-Za-z0-9_.-]{1,20}",
        "s3-object" => "[a-z0-9][a-z0-9-]{2,10}[a-z0-9]/[a-z0-9/._-]{1,12}\\*?",
        "aws-account" => "[0-9]{12}",
        "aws-service-principal" => "[a-z][a-z0-9-]{0,10}\\.amazonaws\\.com",
        "elb-target-group" => "[A-Za-z0-9][A-Za-z0-9-]{0,20}",
        "elb-listener" => "(app|net)/[a-z0-9-]{1,10}/[0-9a-f]{16}/[0-9a-f]{16}",
        "elb-listener-rule" => "app/[a-z0-9-]{1,10}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}",
        "codedeploy-application" => "[A-Za-z0-9._+-]{1,20}",
        "codedeploy-deployment-group" => "[A-Za-z0-9._+-]{1,10}/[A-Za-z0-9._+-]{1,10}",
        "dynamodb-table" => "[A-Za-z0-9_.-]{3,20}",
        "sqs-queue" | "sns-topic" => "[A-Za-z0-9_-]{1,20}(\\.fifo)?",
        "event-bus" => "default|[A-Za-z0-9._-]{1,20}",
        "s3-key-prefix" => "[a-z0-9!_.'()=@+,:-]{1,10}/([a-z0-9]{1,5}/)?",
        "event-source" => "[a-z]{2,8}\\.[a-z]{2,8}(\\.[a-z0-9-]{1,8})?",
        "cloudwatch-namespace" => "[A-Za-z][A-Za-z0-9._#: -]{0,10}(/[A-Za-z0-9]{1,8})?",
        other => panic!("no generator for {other}"),
    };
    proptest::string::string_regex(re).unwrap().boxed()
}

fn statement() -> impl Strategy<Value = Value> {
    (
        proptest::string::string_regex("[a-z]{2,6}:[A-Za-z*]{1,10}").unwrap(),
        prop_oneof![Just("*".to_string()), proptest::string::string_regex("arn:aws:s3:::[a-z]{3,9}/[$]\\{aws:username\\}/[a-z*]{0,5}").unwrap()],
        proptest::collection::vec(hostile_text(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(action, resource, cond, deny)| {
            let mut st = json!({"Effect": if deny { "Deny" } else { "Allow" }, "Action": action, "Resource": resource});
            if !cond.is_empty() {
                st["Condition"] = json!({"StringEquals": {"aws:PrincipalTag/team": cond}});
            }
            st
        })
}

fn feature(role_kind: &'static str) -> BoxedStrategy<Value> {
    let cat = ecs_iam_core::catalog();
    let features: Vec<&'static ecs_iam_core::Feature> = cat
        .features
        .iter()
        .filter(|f| f.roles.contains(&role_kind))
        .collect();
    proptest::sample::select(features)
        .prop_flat_map(|f| {
            // A feature whose every statement waits for a parameter grants nothing without
            // one (the parser refuses it): give the first such parameter.
            let needs = f.needs_one_of.first().copied().or_else(|| {
                (!f.statements.is_empty()
                    && f.managed_policies.is_empty()
                    && f.statements.iter().all(|t| !t.when.is_empty()))
                .then(|| f.statements[0].when.first().copied())
                .flatten()
            });
            let params: Vec<BoxedStrategy<(&str, Option<Value>)>> = f
                .params
                .iter()
                .map(|p| {
                    use ecs_iam_core::ParamType;
                    let name = p.name;
                    let required = p.required || needs == Some(name);
                    let v: BoxedStrategy<Value> = match p.ty {
                        ParamType::Bool if required => Just(Value::from(true)).boxed(),
                        ParamType::Bool => any::<bool>().prop_map(Value::from).boxed(),
                        ParamType::Value => value_for(p.item.unwrap().id())
                            .prop_map(Value::from)
                            .boxed(),
                        ParamType::List => {
                            proptest::collection::btree_set(value_for(p.item.unwrap().id()), 1..4)
                                .prop_map(|s| Value::from(s.into_iter().collect::<Vec<_>>()))
                                .boxed()
                        }
                        ParamType::Statements => proptest::collection::vec(statement(), 1..4)
                            .prop_map(Value::from)
                            .boxed(),
                    };
                    (v, any::<bool>())
                        .prop_map(move |(v, present)| (name, (present || required).then_some(v)))
                        .boxed()
                })
                .collect();
            let id = f.id;
            params.prop_map(move |ps| {
                let mut m = serde_json::Map::new();
                m.insert("id".into(), id.into());
                for (k, v) in ps {
                    if let Some(v) = v {
                        m.insert(k.to_string(), v);
                    }
                }
                Value::Object(m)
            })
        })
        .boxed()
}

fn role(i: usize) -> impl Strategy<Value = Value> {
    // Every role kind of the catalogue (the deployer policy has generators of its own).
    let kinds: Vec<&'static str> = ecs_iam_core::catalog()
        .role_kinds
        .iter()
        .filter(|k| !k.policy_only)
        .map(|k| k.id)
        .collect();
    proptest::sample::select(kinds).prop_flat_map(move |kind| {
        let custom_names = kind == "task";
        // A kind without features of its own (CodeDeploy's role) gets none.
        let features = if ecs_iam_core::catalog()
            .features
            .iter()
            .any(|f| f.roles.contains(&kind))
        {
            proptest::collection::vec(feature(kind), 0..4).boxed()
        } else {
            Just(Vec::new()).boxed()
        };
        (
            features,
            // IAM descriptions exclude U+00A0, which policy documents allow; ${AWS::...} is
            // refused (the outputs use it as a placeholder).
            proptest::option::of(
                proptest::string::string_regex("[ -~\u{a1}-\u{ff}]{0,24}")
                    .unwrap()
                    .prop_filter("no pseudo parameter", |d| !d.contains("${AWS::")),
            ),
            proptest::option::of(any::<bool>()),
        )
            .prop_map(move |(features, description, cd)| {
                // Features that may appear once: keep the first of each id. Custom policies
                // are unnamed, named, or named like the names given to unnamed ones.
                let mut seen = Vec::new();
                let mut fs = Vec::new();
                for (n, mut f) in features.into_iter().enumerate() {
                    let id = f["id"].as_str().unwrap().to_string();
                    if id == "custom" {
                        match n % 3 {
                            0 => {}
                            1 => f["name"] = Value::from(format!("p{n}")),
                            _ => f["name"] = Value::from(format!("custom-{n}")),
                        }
                    } else if seen.contains(&id) {
                        continue;
                    }
                    seen.push(id);
                    fs.push(f);
                }
                let _ = custom_names;
                let mut r =
                    json!({"kind": kind, "name": format!("role{i}-{kind}"), "features": fs});
                if let Some(d) = description {
                    r["description"] = d.into();
                }
                let documented = ecs_iam_core::catalog()
                    .role_kind(kind)
                    .is_some_and(|k| k.confused_deputy.is_some());
                if let (Some(cd), true) = (cd, documented) {
                    r["confusedDeputy"] = cd.into();
                }
                r
            })
    })
}

fn config() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(proptest::sample::select(vec![
            ("aws", "us-east-1"),
            ("aws-cn", "cn-north-1"),
            ("aws-us-gov", "us-gov-west-1"),
        ])),
        proptest::option::of(proptest::string::string_regex("[0-9]{12}").unwrap()),
        prop_oneof![
            Just(None),
            Just(Some("inline")),
            Just(Some("per-feature")),
            Just(Some("managed"))
        ],
        (1usize..4).prop_flat_map(|n| (0..n).map(role).collect::<Vec<_>>()),
        any::<bool>(),
    )
        .prop_map(|(pr, account, permissions, roles, deployer)| {
            let mut c = json!({"roles": roles});
            if let Some((p, r)) = pr {
                c["partition"] = p.into();
                c["region"] = r.into();
            }
            if let Some(a) = account {
                c["account"] = a.into();
            }
            if let Some(p) = permissions {
                c["permissions"] = p.into();
            }
            // A deployer needs a role it passes (the Managed Instances instance role is passed
            // by the infrastructure role, not by it).
            let passes = ecs_iam_core::catalog()
                .role_kind("deployer")
                .unwrap()
                .passes;
            let passable = c["roles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| passes.contains(&r["kind"].as_str().unwrap()));
            if deployer && passable {
                c["roles"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"kind": "deployer", "name": "deployer"}));
            }
            c
        })
}

/// YAML as JSON, with CloudFormation tags dropped (yaml-rust2 keeps the tagged scalar).
fn yaml_to_json(y: &Yaml) -> Value {
    match y {
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => json!(i),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    (
                        k.as_str().expect("string keys").to_string(),
                        yaml_to_json(v),
                    )
                })
                .collect(),
        ),
        other => panic!("unexpected YAML node {other:?}"),
    }
}

/// CloudFormation JSON with intrinsic functions written as the scalars of their short forms.
fn flatten_intrinsics(v: &Value) -> Value {
    match v {
        Value::Object(o) if o.len() == 1 && o.contains_key("Fn::Sub") => o["Fn::Sub"].clone(),
        Value::Object(o) if o.len() == 1 && o.contains_key("Ref") => o["Ref"].clone(),
        Value::Object(o) if o.len() == 1 && o.contains_key("Fn::GetAtt") => {
            let a = o["Fn::GetAtt"].as_array().unwrap();
            Value::String(format!(
                "{}.{}",
                a[0].as_str().unwrap(),
                a[1].as_str().unwrap()
            ))
        }
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), flatten_intrinsics(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(flatten_intrinsics).collect()),
        other => other.clone(),
    }
}

fn bash_accepts(script: &str) -> bool {
    use std::io::Write;
    let mut child = std::process::Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("bash");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    child.wait().unwrap().success()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn outputs_are_well_formed(value in config()) {
        let text = value.to_string();
        let config = Config::parse(&text).unwrap_or_else(|e| panic!("generator made an invalid config: {e}\n{text}"));
        // The configuration round-trips through its canonical JSON.
        prop_assert_eq!(&Config::parse(&config.to_json_pretty()).unwrap(), &config);
        let opts = Options::default();
        for format in Format::ALL {
            let a = ecs_iam_core::render(&config, format, &opts);
            prop_assert_eq!(&a, &ecs_iam_core::render(&config, format, &opts), "{} is not deterministic", format.id());
        }
        for format in [Format::Json, Format::CloudformationJson, Format::TaskDefinition] {
            let out = ecs_iam_core::render(&config, format, &opts);
            let parsed: Value = serde_json::from_str(&out).unwrap();
            prop_assert_eq!(serde_json::to_string_pretty(&parsed).unwrap() + "\n", out);
        }
        let yaml = ecs_iam_core::render(&config, Format::CloudformationYaml, &opts);
        let docs = YamlLoader::load_from_str(&yaml).unwrap_or_else(|e| panic!("YAML does not parse: {e}\n{yaml}"));
        let cfn: Value = serde_json::from_str(&ecs_iam_core::render(&config, Format::CloudformationJson, &opts)).unwrap();
        prop_assert_eq!(yaml_to_json(&docs[0]), flatten_intrinsics(&cfn));
        let script = ecs_iam_core::render(&config, Format::AwsCli, &opts);
        prop_assert!(bash_accepts(&script), "bash -n rejects:\n{}", script);
        // In every style, a role's policy names are distinct, and so are the customer managed
        // policies' (IAM compares names regardless of case).
        for style in ecs_iam_core::PermissionStyle::ALL {
            let plan = ecs_iam_core::plan(&Config { permissions: Some(style), ..config.clone() });
            let distinct = |names: Vec<String>| {
                let mut lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
                lower.sort();
                lower.dedup();
                lower.len() == names.len()
            };
            for role in &plan.roles {
                let names = role.inline.iter().map(|p| p.name.clone()).collect();
                prop_assert!(distinct(names), "{}: policies of {}", style.id(), role.name);
            }
            prop_assert!(distinct(plan.managed.iter().map(|p| p.name.clone()).collect()), "{}: customer managed policies", style.id());
        }
    }
}

/// Writes random valid configurations for the oracles, which run them through the real tools
/// (Terraform, the CDK, Pulumi's SDK, CommonMark: `tests/oracles/test_random_configs.py`). The
/// oracle stage of `scripts/test.sh` runs it with `--ignored`; a new seed every run.
#[test]
#[ignore = "run by the oracle stage, which reads what it writes"]
fn write_random_configurations() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let dir = std::env::var_os("ECS_IAM_RANDOM_CONFIGS")
        .expect("ECS_IAM_RANDOM_CONFIGS names the directory to write to");
    let count: usize = std::env::var("ECS_IAM_RANDOM_COUNT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    std::fs::create_dir_all(&dir).unwrap();
    let mut runner = TestRunner::default();
    let strategy = config();
    for i in 0..count {
        let value = strategy.new_tree(&mut runner).unwrap().current();
        let text = value.to_string();
        Config::parse(&text)
            .unwrap_or_else(|e| panic!("generator made an invalid config: {e}\n{text}"));
        std::fs::write(
            std::path::Path::new(&dir).join(format!("random-{i:03}.json")),
            text,
        )
        .unwrap();
    }
}
