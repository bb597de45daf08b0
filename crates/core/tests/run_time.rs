//! Classes of grants that are valid IAM but fail at run time, or grant what was not asked,
//! each checked for every feature of the catalogue it can happen to (not one example):
//! empty lists, policies without statements, values as task definitions write them (secret
//! ARNs without their suffix or with a JSON key, Parameter Store references to secrets, log
//! group ARNs with `:*`), and the resource form CloudWatch Logs evaluates.

use ecs_iam_core::{catalog, Config, Format, ParamType, ValueKindId};
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";

fn scoped(kind: &str, feature: Value) -> Value {
    json!({"partition": "aws", "region": "us-east-1", "account": ACCOUNT,
        "roles": [{"kind": kind, "features": [feature]}]})
}

/// A role kind that accepts the feature.
fn kind_of(feature: &ecs_iam_core::Feature) -> &'static str {
    feature.roles[0]
}

/// Every statement of the `json` rendering, with its resources as a list.
fn statements(config: &Value) -> Vec<Value> {
    let config = Config::from_value(config).unwrap_or_else(|e| panic!("{e}"));
    let text = ecs_iam_core::render(&config, Format::Json, &Default::default());
    let v: Value = serde_json::from_str(&text).unwrap();
    let policies = v["Roles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|role| role["Policies"].as_array().unwrap())
        .chain(v["ManagedPolicies"].as_array().unwrap());
    policies
        .flat_map(|p| p["PolicyDocument"]["Statement"].as_array().unwrap())
        .cloned()
        .collect()
}

fn resources(st: &Value) -> Vec<String> {
    match &st["Resource"] {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The features with a list parameter of this value kind, with the parameter's name.
fn features_with(kind: ValueKindId) -> Vec<(&'static ecs_iam_core::Feature, &'static str)> {
    let mut out = Vec::new();
    for f in catalog().features {
        for p in f.params {
            if p.item == Some(kind) && p.ty == ParamType::List {
                out.push((f, p.name));
            }
        }
    }
    assert!(!out.is_empty(), "no feature takes {kind:?}");
    out
}

#[test]
fn an_empty_list_is_refused_for_every_list_parameter() {
    let mut seen = 0;
    for f in catalog().features {
        for p in f.params.iter().filter(|p| p.ty == ParamType::List) {
            let mut feature = json!({"id": f.id});
            // The feature's other required parameters, so that the empty list is the error.
            for q in f.params.iter().filter(|q| q.required && q.name != p.name) {
                feature[q.name] = json!([q.item.unwrap().info().example]);
            }
            if let Some(w) = f.needs_one_of.first() {
                feature[*w] = json!(true);
            }
            feature[p.name] = json!([]);
            let e = Config::from_value(&scoped(kind_of(f), feature)).expect_err(p.name);
            assert_eq!(
                e.path,
                format!("roles[0].features[0].{}", p.name),
                "{}",
                f.id
            );
            assert!(
                e.message.starts_with("is empty"),
                "{}.{}: {}",
                f.id,
                p.name,
                e.message
            );
            seen += 1;
        }
    }
    assert!(seen > 10, "{seen}");
    let e =
        Config::parse(r#"{"roles": [{"kind": "task"}, {"kind": "deployer", "passRoles": []}]}"#)
            .unwrap_err();
    assert_eq!(e.path, "roles[1].passRoles");
}

#[test]
fn no_rendering_holds_a_policy_without_statements() {
    // A deployer with no role to pass and nothing of its own is refused.
    let e = Config::parse(r#"{"roles": [{"kind": "deployer"}]}"#).unwrap_err();
    assert_eq!(e.path, "roles[0]");
    assert!(e.message.contains("no statement"), "{}", e.message);
    // With a role to pass, it holds its PassRole statement.
    let ok = json!({"roles": [{"kind": "task"}, {"kind": "deployer"}]});
    assert!(!statements(&ok).is_empty());
}

#[test]
fn secret_values_as_task_definitions_write_them_name_the_secret() {
    let arn = format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret");
    let cases = [
        // valueFrom with a JSON key and version: the secret itself.
        (
            format!("{arn}:prod/db-AbC1eF:password::"),
            vec![format!("{arn}:prod/db-AbC1eF")],
        ),
        (
            format!("{arn}:prod/db-AbC1eF:password:AWSCURRENT:"),
            vec![format!("{arn}:prod/db-AbC1eF")],
        ),
        // An ARN without its random suffix: the suffix is matched.
        (
            format!("{arn}:prod/db"),
            vec![format!("{arn}:prod/db-??????")],
        ),
        // A last word that may be the suffix: both forms.
        (
            format!("{arn}:my-secret"),
            vec![
                format!("{arn}:my-secret"),
                format!("{arn}:my-secret-??????"),
            ],
        ),
        // The full ARN, as Secrets Manager writes it: as it is.
        (
            format!("{arn}:prod/db-AbC1eF"),
            vec![format!("{arn}:prod/db-AbC1eF")],
        ),
        // The Parameter Store reference to a secret: the secret, by its name.
        (
            "/aws/reference/secretsmanager/prod/db".to_string(),
            vec![format!("{arn}:prod/db-??????")],
        ),
    ];
    for (feature, param) in features_with(ValueKindId::Secret) {
        for (value, want) in &cases {
            let config = scoped(kind_of(feature), json!({"id": feature.id, param: [value]}));
            let got: Vec<String> = statements(&config)
                .iter()
                .flat_map(resources)
                .filter(|r| r.contains(":secret:"))
                .collect();
            assert_eq!(&got, want, "{} {param}: {value}", feature.id);
            let diags = ecs_iam_core::check(&Config::from_value(&config).unwrap());
            if value != &format!("{arn}:prod/db-AbC1eF") {
                assert!(
                    diags
                        .iter()
                        .any(|d| d.path == format!("roles[0].features[0].{param}[0]")),
                    "{}: what was done to {value} is said",
                    feature.id
                );
            }
        }
    }
}

#[test]
fn log_group_arns_with_their_streams_are_not_doubled() {
    for (feature, param) in features_with(ValueKindId::LogGroup) {
        let value = format!("arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/ecs/app:*");
        let mut f = json!({"id": feature.id, param: [value]});
        for p in feature.params.iter().filter(|p| p.ty == ParamType::Bool) {
            f[p.name] = json!(true);
        }
        for r in statements(&scoped(kind_of(feature), f))
            .iter()
            .flat_map(resources)
        {
            assert!(!r.contains(":*:*"), "{}: {r}", feature.id);
        }
    }
}

#[test]
fn create_log_group_is_granted_on_the_arn_cloudwatch_logs_evaluates() {
    // CloudWatch Logs evaluates logs:CreateLogGroup against log-group:NAME:log-stream: (its
    // AccessDenied messages show that form), which log-group:NAME:* matches.
    for (feature, param) in features_with(ValueKindId::LogGroup) {
        let mut f = json!({"id": feature.id, param: ["/ecs/app"]});
        for p in feature.params.iter().filter(|p| p.ty == ParamType::Bool) {
            f[p.name] = json!(true);
        }
        for st in statements(&scoped(kind_of(feature), f)) {
            let creates = match &st["Action"] {
                Value::String(a) => a == "logs:CreateLogGroup",
                Value::Array(a) => a.iter().any(|x| x == "logs:CreateLogGroup"),
                _ => false,
            };
            if creates {
                let want = format!("arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/ecs/app:*");
                assert!(resources(&st).contains(&want), "{}: {st}", feature.id);
            }
        }
    }
}

#[test]
fn a_role_without_what_its_service_needs_is_diagnosed() {
    let mut seen = 0;
    for kind in catalog().role_kinds {
        for policy in kind.essential_policies {
            seen += 1;
            let others: Vec<&str> = kind
                .essential_policies
                .iter()
                .filter(|p| p.name != policy.name)
                .map(|p| p.name)
                .collect();
            let without = json!({"roles": [{"kind": kind.id, "managedPolicies": others}]});
            let diags = ecs_iam_core::check(&Config::from_value(&without).unwrap());
            assert!(
                diags.iter().any(|d| d.code.id() == "role-cannot-work"
                    && d.path == "roles[0].managedPolicies"
                    && d.message.contains(policy.name)),
                "{} without {}: {diags:?}",
                kind.id,
                policy.name
            );
            // The role's own statements may grant the policy's actions instead.
            let actions: Vec<&str> = policy.star_actions.to_vec();
            let instead = json!({"roles": [{"kind": kind.id, "managedPolicies": others,
                "features": [{"id": "custom", "statements": [
                    {"Effect": "Allow", "Action": actions, "Resource": "*"}]}]}]});
            let diags = ecs_iam_core::check(&Config::from_value(&instead).unwrap());
            assert!(
                !diags
                    .iter()
                    .any(|d| d.code.id() == "role-cannot-work" && d.message.contains(policy.name)),
                "{}: {diags:?}",
                kind.id
            );
        }
    }
    assert!(seen >= 3);
    // With its defaults, no such finding.
    let defaults = json!({"roles": [{"kind": "container-instance"}]});
    let diags = ecs_iam_core::check(&Config::from_value(&defaults).unwrap());
    assert!(!diags.iter().any(|d| d.code.id() == "role-cannot-work"));
}

#[test]
fn a_value_given_by_id_takes_the_account_of_the_resource_it_belongs_to() {
    // Every value kind that belongs to another (an access point to its file system), in every
    // feature that takes both.
    let mut seen = 0;
    for f in catalog().features {
        for p in f.params {
            let Some(owner) = p.item.and_then(|k| k.info().owned_by) else {
                continue;
            };
            let Some(q) = f.params.iter().find(|q| q.item == Some(owner)) else {
                continue;
            };
            seen += 1;
            let owner_arn = owner
                .info()
                .arn
                .unwrap()
                .replace("${Partition}", "aws")
                .replace("${Region}", "eu-west-1")
                .replace("${Account}", "111122223333")
                .replace("${Name}", owner.info().example);
            let id = p.item.unwrap().info().example;
            let config = scoped(
                kind_of(f),
                json!({"id": f.id, q.name: [owner_arn], p.name: [id]}),
            );
            let text = serde_json::to_string(&statements(&config)).unwrap();
            let kind = p.item.unwrap().info();
            let want = kind
                .arn
                .unwrap()
                .replace("${Partition}", "aws")
                .replace("${Region}", "eu-west-1")
                .replace("${Account}", "111122223333")
                .replace("${Name}", id);
            assert!(text.contains(&want), "{}.{}: {text}", f.id, p.name);
            assert!(
                !text.contains(&format!(":{ACCOUNT}:{}", kind.arn_resource.unwrap())),
                "{}.{}: {text}",
                f.id,
                p.name
            );
        }
    }
    assert!(seen > 0);
}

#[test]
fn a_wildcard_in_a_name_is_said_for_every_feature_alike() {
    let mut seen = 0;
    for f in catalog().features {
        for p in f.params.iter().filter(|p| p.ty == ParamType::List) {
            let kind = p.item.unwrap().info();
            if !kind.checks.contains(&ecs_iam_core::ValueCheck::Wildcard) {
                continue;
            }
            seen += 1;
            // The example with its last character made a wildcard: valid for every kind.
            let example = kind.example;
            let pattern = format!("{}*", &example[..example.len() - 1]);
            let mut feature = json!({"id": f.id});
            for q in f.params.iter().filter(|q| q.required && q.name != p.name) {
                feature[q.name] = json!([q.item.unwrap().info().example]);
            }
            if let Some(w) = f.needs_one_of.first() {
                feature[*w] = json!(true);
            }
            feature[p.name] = json!([pattern]);
            let config = Config::from_value(&scoped(kind_of(f), feature))
                .unwrap_or_else(|e| panic!("{}.{}: {e}", f.id, p.name));
            let diags = ecs_iam_core::check(&config);
            assert!(
                diags.iter().any(|d| d.code.id() == "wildcard-name"
                    && d.path == format!("roles[0].features[0].{}[0]", p.name)),
                "{}.{} {pattern}: {diags:?}",
                f.id,
                p.name
            );
        }
    }
    assert!(seen >= 5, "{seen}");
}

#[test]
fn a_resource_of_another_account_that_no_policy_can_open_is_said_for_every_feature_alike() {
    let mut seen = 0;
    for f in catalog().features {
        for p in f.params.iter().filter(|p| p.ty == ParamType::List) {
            let kind = p.item.unwrap().info();
            if !kind.checks.contains(&ecs_iam_core::ValueCheck::SameAccount) {
                continue;
            }
            seen += 1;
            let arn = |account: &str| {
                kind.arn
                    .unwrap()
                    .replace("${Partition}", "aws")
                    .replace("${Region}", "us-east-1")
                    .replace("${Account}", account)
                    .replace("${Name}", kind.example.trim_start_matches('/'))
                    .trim_end_matches(":*")
                    .to_string()
            };
            let diags_for = |value: String| {
                let mut feature = json!({"id": f.id});
                for q in f.params.iter().filter(|q| q.required && q.name != p.name) {
                    feature[q.name] = json!([q.item.unwrap().info().example]);
                }
                if let Some(w) = f.needs_one_of.first() {
                    feature[*w] = json!(true);
                }
                feature[p.name] = json!([value]);
                let config = Config::from_value(&scoped(kind_of(f), feature))
                    .unwrap_or_else(|e| panic!("{}.{}: {e}", f.id, p.name));
                ecs_iam_core::check(&config)
                    .into_iter()
                    .filter(|d| {
                        d.code.id() == "resource-in-other-account"
                            && d.path == format!("roles[0].features[0].{}[0]", p.name)
                    })
                    .count()
            };
            assert_eq!(diags_for(arn("444455556666")), 1, "{}.{}", f.id, p.name);
            assert_eq!(diags_for(arn(ACCOUNT)), 0, "{}.{}", f.id, p.name);
        }
    }
    assert!(seen >= 6, "{seen}");
}

#[test]
fn a_parameter_store_reference_to_a_secret_needs_the_secret_read() {
    for (feature, param) in features_with(ValueKindId::SsmParameter) {
        let reference = "/aws/reference/secretsmanager/prod/db";
        let alone = scoped(
            kind_of(feature),
            json!({"id": feature.id, param: [reference]}),
        );
        let diags = ecs_iam_core::check(&Config::from_value(&alone).unwrap());
        assert!(
            diags
                .iter()
                .any(|d| d.path == format!("roles[0].features[0].{param}[0]")
                    && d.message.contains("prod/db")),
            "{}: {diags:?}",
            feature.id
        );
        let mut with = alone.clone();
        with["roles"][0]["features"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "secrets-manager", "secrets": ["prod/db"]}));
        if Config::from_value(&with).is_ok() {
            let diags = ecs_iam_core::check(&Config::from_value(&with).unwrap());
            assert!(
                !diags
                    .iter()
                    .any(|d| d.path == format!("roles[0].features[0].{param}[0]")
                        && d.code.id() == "role-cannot-work"),
                "{}: {diags:?}",
                feature.id
            );
        }
    }
}

#[test]
fn the_applications_permissions_on_the_execution_role_are_said_to_belong_on_the_task_role() {
    let mut seen = 0;
    for kind in catalog().role_kinds {
        let Some(home) = kind.other_actions_belong_on else {
            continue;
        };
        seen += 1;
        let custom = |action: &str| {
            let config = json!({"roles": [{"kind": kind.id, "features": [{"id": "custom",
                "statements": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}]}]});
            ecs_iam_core::check(&Config::from_value(&config).unwrap())
                .into_iter()
                .filter(|d| d.code.id() == "wrong-role" && d.path.ends_with(".Action"))
                .collect::<Vec<_>>()
        };
        for app in [
            "kinesis:PutRecords",
            "dynamodb:GetItem",
            "sqs:SendMessage",
            "sns:Publish",
            // A service the kind uses (environment files read S3), an action it does not.
            "s3:PutObject",
            "s3:DeleteObject",
        ] {
            let found = custom(app);
            assert!(
                found
                    .iter()
                    .any(|d| d.message.contains(&format!("the {home} role"))),
                "{} {app}: {found:?}",
                kind.id
            );
        }
        // The message names the application feature that grants it on the home role.
        let found = custom("s3:PutObject");
        assert!(
            found[0].message.contains("the s3 feature"),
            "{}: {found:?}",
            kind.id
        );
        // What the kind's own features use is at home.
        let own = catalog()
            .features
            .iter()
            .find(|f| f.home_roles.contains(&kind.id) && !f.statements.is_empty())
            .unwrap();
        assert!(
            custom(own.statements[0].actions[0]).is_empty(),
            "{}",
            kind.id
        );
    }
    assert!(seen > 0);
}

#[test]
fn a_custom_policy_cannot_take_the_name_of_the_pass_roles_policy() {
    // Two policies of one name on a role: IAM keeps one, CloudFormation refuses the template.
    let text = r#"{"roles":[{"kind":"task"},{"kind":"events","features":[
        {"id":"run-task","taskDefinitions":["app"]},
        {"id":"custom","name":"Pass-Roles","statements":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}]}]}"#;
    let e = ecs_iam_core::Config::parse(text).unwrap_err();
    assert_eq!(e.path, "roles[1].features[1].name");
    assert!(e.message.contains("reserved"), "{}", e.message);
}

#[test]
fn pass_roles_names_only_roles_the_kind_may_pass() {
    // An EventBridge role passes the task's roles; naming another kind would be dropped
    // silently from its policy, so it is refused, as is a role naming itself.
    for (target, why) in [
        ("ecsInfrastructureRole", "does not pass"),
        ("ecsEventsRole", "itself"),
    ] {
        let text = format!(
            r#"{{"roles":[{{"kind":"task"}},{{"kind":"infrastructure","features":[{{"id":"ebs"}}]}},
            {{"kind":"events","passRoles":["{target}"],"features":[{{"id":"run-task","taskDefinitions":["app"]}}]}}]}}"#
        );
        let e = ecs_iam_core::Config::parse(&text).unwrap_err();
        assert_eq!(e.path, "roles[2].passRoles[0]");
        assert!(e.message.contains(why), "{}", e.message);
    }
}

#[test]
fn what_an_arn_template_puts_after_the_name_is_not_a_wildcard() {
    // FAMILY:* is every revision of one family, the form RunTask is granted on; app* is a
    // wildcard over families.
    let check = |value: &str| {
        let text = format!(
            r#"{{"roles":[{{"kind":"events","features":[{{"id":"run-task","taskDefinitions":["{value}"]}}]}}]}}"#
        );
        ecs_iam_core::check(&Config::parse(&text).unwrap())
            .iter()
            .any(|d| d.code.id() == "wildcard-name")
    };
    assert!(!check(
        "arn:aws:ecs:us-east-1:111122223333:task-definition/app:*"
    ));
    assert!(!check("app"));
    assert!(check("app*"));
    assert!(check(
        "arn:aws:ecs:us-east-1:111122223333:task-definition/app*:*"
    ));
}

#[test]
fn a_role_that_cannot_work_links_its_kind_s_page() {
    let config = Config::parse(r#"{"roles":[{"kind":"events"}]}"#).unwrap();
    let d = ecs_iam_core::check(&config)
        .into_iter()
        .find(|d| d.code.id() == "role-cannot-work")
        .expect("an EventBridge role without run-task or its managed policy is diagnosed");
    let kind = ecs_iam_core::catalog().role_kind("events").unwrap();
    assert_eq!(d.docs, kind.docs);
}

/// The statements of one feature on its first role kind.
fn feature_statements(feature: Value) -> Vec<Value> {
    let id = feature["id"].as_str().unwrap();
    let f = catalog().feature(id).unwrap();
    statements(&scoped(kind_of(f), feature))
}

fn sid<'a>(sts: &'a [Value], sid: &str) -> &'a Value {
    sts.iter()
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("no {sid} in {sts:?}"))
}

#[test]
fn a_feature_that_would_grant_nothing_is_refused() {
    let mut seen = 0;
    for f in catalog().features {
        let waits = !f.statements.is_empty()
            && f.managed_policies.is_empty()
            && f.needs_one_of.is_empty()
            && f.statements.iter().all(|t| !t.when.is_empty());
        if !waits {
            continue;
        }
        seen += 1;
        let e = Config::from_value(&scoped(kind_of(f), json!({"id": f.id}))).expect_err(f.id);
        assert_eq!(e.path, "roles[0].features[0]", "{}", f.id);
        assert!(e.message.contains("grants nothing"), "{}: {e}", f.id);
        for t in f.statements {
            for w in t.when {
                assert!(e.message.contains(w), "{}: {e}", f.id);
            }
        }
    }
    assert!(seen >= 1);
}

#[test]
fn a_lambda_function_is_granted_with_its_versions_and_a_qualified_arn_alone() {
    let fn_arn = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function");
    let sts = feature_statements(json!({"id": "lifecycle-hooks",
        "functions": ["hook", format!("{fn_arn}:other:live")]}));
    let r = resources(sid(&sts, "InvokeLifecycleHooks"));
    assert_eq!(
        r,
        [
            format!("{fn_arn}:hook"),
            format!("{fn_arn}:other:live"),
            format!("{fn_arn}:hook:*"),
        ]
    );
}

#[test]
fn load_balancer_statements_replace_the_managed_policy_only_when_scoped() {
    let render = |feature: Value| {
        let config = Config::from_value(&scoped("infrastructure", feature)).unwrap();
        let text = ecs_iam_core::render(&config, Format::Json, &Default::default());
        serde_json::from_str::<Value>(&text).unwrap()["Roles"][0].clone()
    };
    let managed = render(json!({"id": "load-balancers"}));
    assert_eq!(
        managed["ManagedPolicyArns"],
        json!(["arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"])
    );
    assert_eq!(managed["Policies"], json!([]));
    let tg = format!("arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup");
    let scoped_role = render(json!({"id": "load-balancers", "targetGroups": ["blue"]}));
    assert_eq!(scoped_role["ManagedPolicyArns"], json!([]));
    let sts = scoped_role["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    // A target group by name: every id it has (the ARN ends in /NAME/ID).
    assert_eq!(
        resources(sid(&sts, "TargetGroupOperations")),
        [format!("{tg}/blue/*")]
    );
    // What is not named keeps the managed policy's reach, so that the deployment still works.
    for s in ["ELBReadOperations", "ModifyListenersAll", "ModifyRulesAll"] {
        sid(&sts, s);
    }
    assert!(sts.iter().all(|s| s["Sid"] != "TargetGroupOperationsAll"));
}

#[test]
fn environment_files_read_the_objects_and_locate_their_buckets() {
    let sts = feature_statements(json!({"id": "s3-environment-files",
        "objects": ["conf-bucket/prod/app.env", "conf-bucket/shared/*", "arn:aws:s3:::other-bucket/x.env"],
        "bucketOwner": ACCOUNT}));
    let read = sid(&sts, "EnvironmentFilesRead");
    assert_eq!(
        resources(read),
        [
            "arn:aws:s3:::conf-bucket/prod/app.env",
            "arn:aws:s3:::conf-bucket/shared/*",
            "arn:aws:s3:::other-bucket/x.env"
        ]
    );
    // GetBucketLocation authorizes on the bucket, once per bucket.
    let bucket = sid(&sts, "EnvironmentFilesBucket");
    assert_eq!(
        resources(bucket),
        ["arn:aws:s3:::conf-bucket", "arn:aws:s3:::other-bucket"]
    );
    for st in [read, bucket] {
        assert_eq!(
            st["Condition"]["StringEquals"]["aws:ResourceAccount"],
            ACCOUNT
        );
    }
    for bad in [
        "conf-bucket",
        "conf-bucket/",
        "conf*/x.env",
        "conf-bucket/a*b",
        "Conf/x",
    ] {
        let config = scoped(
            "task-execution",
            json!({"id": "s3-environment-files", "objects": [bad]}),
        );
        let e = Config::from_value(&config).expect_err(bad);
        assert_eq!(e.path, "roles[0].features[0].objects[0]", "{bad}");
    }
}

#[test]
fn firelens_writes_only_to_its_destinations_in_the_forms_they_authorize() {
    let sts = feature_statements(json!({"id": "firelens", "logGroups": ["/ecs/app"],
        "createLogGroup": true, "deliveryStreams": ["logs"], "buckets": ["archive"]}));
    let group = format!("arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/ecs/app");
    assert_eq!(resources(sid(&sts, "FireLensLogs")), [format!("{group}:*")]);
    assert_eq!(
        resources(sid(&sts, "FireLensLogsCreateGroup")),
        [group.clone(), format!("{group}:*")]
    );
    assert_eq!(
        resources(sid(&sts, "FireLensFirehose")),
        [format!(
            "arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/logs"
        )]
    );
    assert_eq!(
        resources(sid(&sts, "FireLensS3")),
        ["arn:aws:s3:::archive/*"]
    );
    assert!(sts.iter().all(|s| s["Sid"] != "FireLensKinesis"));
}

#[test]
fn a_deployer_updates_named_services_in_named_clusters() {
    let config = json!({"partition": "aws", "region": "us-east-1", "account": ACCOUNT,
        "roles": [{"kind": "deployer", "features": [{"id": "deploy-service",
            "clusters": ["prod"], "services": ["web"], "taskDefinitions": ["web"]}]}]});
    let sts = statements(&config);
    let ecs = format!("arn:aws:ecs:us-east-1:{ACCOUNT}");
    let update = sid(&sts, "UpdateService");
    assert_eq!(resources(update), [format!("{ecs}:service/*/web")]);
    assert_eq!(
        update["Condition"]["ArnEquals"]["ecs:cluster"],
        format!("{ecs}:cluster/prod")
    );
    assert_eq!(
        resources(sid(&sts, "RegisterTaskDefinition")),
        [format!("{ecs}:task-definition/web:*")]
    );
    assert_eq!(resources(sid(&sts, "DescribeTaskDefinition")), ["*"]);
}

#[test]
fn a_managed_instances_role_name_the_managed_policy_cannot_pass_is_said_unless_passed_by_name() {
    let alone = json!({"roles": [{"kind": "managed-instances-instance", "name": "miRole"}]});
    let diags = ecs_iam_core::check(&Config::from_value(&alone).unwrap());
    assert!(
        diags
            .iter()
            .any(|d| d.code.id() == "managed-instances-role-name" && d.path == "roles[0].name"),
        "{diags:?}"
    );
    let fitting =
        json!({"roles": [{"kind": "managed-instances-instance", "name": "ecsInstanceRoleApi"}]});
    let diags = ecs_iam_core::check(&Config::from_value(&fitting).unwrap());
    assert!(diags
        .iter()
        .all(|d| d.code.id() != "managed-instances-role-name"));
    // The infrastructure role of the configuration passes it by name, to EC2 only.
    let passed = json!({"partition": "aws", "region": "us-east-1", "account": ACCOUNT, "roles": [
        {"kind": "infrastructure", "features": [{"id": "managed-instances"}]},
        {"kind": "managed-instances-instance", "name": "miRole"},
        {"kind": "container-instance"}]});
    let config = Config::from_value(&passed).unwrap();
    let diags = ecs_iam_core::check(&config);
    assert!(
        diags
            .iter()
            .all(|d| d.code.id() != "managed-instances-role-name"),
        "{diags:?}"
    );
    let sts = statements(&passed);
    let pass = sid(&sts, "PassRolesToEc2");
    assert_eq!(
        resources(pass),
        [format!("arn:aws:iam::{ACCOUNT}:role/miRole")]
    );
    assert_eq!(
        pass["Condition"]["StringEquals"]["iam:PassedToService"],
        "ec2.amazonaws.com"
    );
    // Without the feature, the infrastructure role passes nothing and may not say passRoles.
    let without = json!({"roles": [{"kind": "infrastructure", "passRoles": ["miRole"]},
        {"kind": "managed-instances-instance", "name": "miRole"}]});
    let e = Config::from_value(&without).expect_err("passRoles without a feature that passes");
    assert_eq!(e.path, "roles[0].passRoles");
}

#[test]
fn every_template_is_filled_when_the_scope_is_known() {
    for f in catalog().features {
        if f.params.iter().any(|p| p.ty == ParamType::Statements) {
            continue;
        }
        let mut feature = json!({"id": f.id});
        for p in f.params {
            feature[p.name] = match p.ty {
                ParamType::Bool => json!(true),
                ParamType::Value => json!(p.item.unwrap().info().example),
                _ => json!([p.item.unwrap().info().example]),
            };
        }
        let config = Config::from_value(&scoped(kind_of(f), feature))
            .unwrap_or_else(|e| panic!("{}: {e}", f.id));
        for format in [Format::Json, Format::AwsCli] {
            let out = ecs_iam_core::render(&config, format, &Default::default());
            for placeholder in [
                "${Partition}",
                "${Region}",
                "${Account}",
                "${Arn",
                "${Value}",
                "${Name}",
            ] {
                assert!(
                    !out.contains(placeholder),
                    "{} ({}): {placeholder} left in\n{out}",
                    f.id,
                    format.id()
                );
            }
        }
    }
}

#[test]
fn a_scheduler_role_trusts_its_schedule_groups_or_the_default_group() {
    let trust = |role: Value| {
        let config =
            json!({"partition": "aws", "region": "us-east-1", "account": ACCOUNT, "roles": [role]});
        let config = Config::from_value(&config).unwrap_or_else(|e| panic!("{e}"));
        let text = ecs_iam_core::render(&config, Format::Json, &Default::default());
        serde_json::from_str::<Value>(&text).unwrap()["Roles"][0]["AssumeRolePolicyDocument"]
            ["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"]
            .clone()
    };
    let groups = format!("arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group");
    assert_eq!(
        trust(json!({"kind": "scheduler"})),
        json!(format!("{groups}/default"))
    );
    assert_eq!(
        trust(json!({"kind": "scheduler", "scheduleGroups": ["a", format!("{groups}/b")]})),
        json!([format!("{groups}/a"), format!("{groups}/b")])
    );
    for (role, path) in [
        (
            json!({"kind": "scheduler", "scheduleGroups": []}),
            "roles[0].scheduleGroups",
        ),
        (
            json!({"kind": "scheduler", "scheduleGroups": ["a b"]}),
            "roles[0].scheduleGroups[0]",
        ),
        (
            json!({"kind": "events", "scheduleGroups": ["a"]}),
            "roles[0].scheduleGroups",
        ),
    ] {
        let e = Config::from_value(&json!({"roles": [role]})).expect_err(path);
        assert_eq!(e.path, path, "{e}");
    }
}

#[test]
fn a_resource_of_another_account_comes_with_the_statement_its_owner_adds() {
    let mut seen = 0;
    for f in catalog().features {
        for t in f.statements.iter().filter(|t| t.owner_grant.is_some()) {
            let Some(ecs_iam_core::ResourceTemplate::FromParam { param, .. }) = t.resources.first()
            else {
                continue;
            };
            let p = f.param(param).unwrap();
            let kind = p.item.unwrap().info();
            seen += 1;
            let other = "444455556666";
            let arn = kind
                .arn
                .unwrap()
                .replace("${Partition}", "aws")
                .replace("${Region}", "us-east-1")
                .replace("${Account}", other)
                .replace("${Name}", kind.example.trim_start_matches('/'));
            let owner_param = t.owner_grant.as_ref().unwrap().account_param;
            let render = |value: &str, owner: &str| {
                let mut feature = json!({"id": f.id, *param: [value]});
                if let Some(o) = owner_param {
                    feature[o] = json!(owner);
                }
                for q in f.params.iter().filter(|q| q.required && q.name != *param) {
                    feature[q.name] = json!([q.item.unwrap().info().example]);
                }
                if let Some(w) = f.needs_one_of.first() {
                    feature[*w] = json!(true);
                }
                for w in t.when.iter().filter(|w| *w != param) {
                    feature[*w] = json!(true);
                }
                let config = Config::from_value(&scoped(kind_of(f), feature))
                    .unwrap_or_else(|e| panic!("{}.{}: {e}", f.id, t.sid));
                let text = ecs_iam_core::render(&config, Format::Json, &Default::default());
                (serde_json::from_str::<Value>(&text).unwrap(), config)
            };
            let (out, config) = render(&arn, other);
            let mine_of = |out: &Value| {
                out["OwnerPolicies"]
                    .as_array()
                    .and_then(|o| o.iter().find(|o| o["Statement"]["Sid"] == t.sid))
                    .cloned()
                    .unwrap_or_else(|| panic!("{}.{}: {out}", f.id, t.sid))
            };
            // Every format holds the owner's statement, or writes it in a file of its own.
            for format in Format::ALL {
                let files = ecs_iam_core::render_files(&config, format, &Default::default());
                let all: String = files.iter().map(|f| f.contents.as_str()).collect();
                let principal = mine_of(&out)["Statement"]["Principal"]["AWS"]
                    .as_str()
                    .unwrap()
                    .to_string();
                assert!(
                    all.contains(t.sid)
                        && all.contains(arn.split('/').next().unwrap())
                        && all.contains(&principal),
                    "{}.{} in {}: {all}",
                    f.id,
                    t.sid,
                    format.id()
                );
            }
            let owners = out["OwnerPolicies"]
                .as_array()
                .unwrap_or_else(|| panic!("{}.{}: {out}", f.id, t.sid));
            let mine = owners
                .iter()
                .find(|o| o["Statement"]["Sid"] == t.sid)
                .unwrap_or_else(|| panic!("{}.{}: {owners:?}", f.id, t.sid));
            assert_eq!(mine["Account"], other);
            assert!(
                mine["Resource"]
                    .as_str()
                    .unwrap()
                    .starts_with(arn.split('/').next().unwrap()),
                "{mine}"
            );
            assert_eq!(
                mine["Statement"]["Principal"]["AWS"]
                    .as_str()
                    .unwrap()
                    .split(':')
                    .nth(4),
                Some(ACCOUNT)
            );
            // The same resource in the configuration's own account needs nothing of an owner,
            // unless its own policy rules there too (a key policy), which the grant says.
            let (same, _) = render(&arn.replace(other, ACCOUNT), ACCOUNT);
            let grant = t.owner_grant.as_ref().unwrap();
            match grant.same_account_why {
                None => assert!(
                    same.get("OwnerPolicies").is_none(),
                    "{}.{}: {same}",
                    f.id,
                    t.sid
                ),
                Some(_) => {
                    let mine = mine_of(&same);
                    assert_eq!(mine["Account"], ACCOUNT, "{}.{}", f.id, t.sid);
                }
            }
        }
    }
    assert!(seen >= 6, "{seen}");
}

#[test]
fn a_pattern_among_schedule_groups_is_said_as_for_a_feature() {
    let config =
        json!({"roles": [{"kind": "scheduler", "scheduleGroups": ["reports-*", "nightly"]}]});
    let diags = ecs_iam_core::check(&Config::from_value(&config).unwrap());
    assert!(
        diags
            .iter()
            .any(|d| d.code.id() == "wildcard-name" && d.path == "roles[0].scheduleGroups[0]"),
        "{diags:?}"
    );
    assert!(diags.iter().all(|d| d.path != "roles[0].scheduleGroups[1]"));
}

#[test]
fn an_arn_of_the_wrong_shape_is_refused_for_every_kind_checked_by_its_name_rule() {
    let mut seen = 0;
    for kind in catalog().value_kinds.iter().filter(|k| k.name.is_some()) {
        let (Some(template), Some(resource)) = (kind.arn, kind.arn_resource) else {
            continue;
        };
        seen += 1;
        // The template's wildcards around the name stand for ids (a target group's, a
        // service's cluster): a well-formed ARN has one part for each.
        let arn = template
            .replace("${Partition}", "aws")
            .replace("${Region}", "us-east-1")
            .replace("${Account}", ACCOUNT)
            .replace("/*", "/0123abcd")
            .replace("*/", "prod/")
            .replace("${Name}", kind.example);
        ecs_iam_core::check_item(Some(kind.key), &arn, "x", Some("aws"))
            .unwrap_or_else(|e| panic!("{}: {arn}: {e}", kind.id));
        let (head, tail) = arn.split_once(resource).unwrap();
        let mut wrong = vec![format!("{arn}/extra"), format!("{head}{resource}")];
        if tail.contains('/') {
            // One part short.
            wrong.push(arn.rsplit_once('/').unwrap().0.to_string());
        }
        for w in wrong {
            let e = ecs_iam_core::check_item(Some(kind.key), &w, "x", Some("aws"));
            assert!(e.is_err(), "{}: {w} was accepted", kind.id);
        }
    }
    assert!(seen >= 10, "{seen}");
}

#[test]
fn a_variable_iam_cannot_resolve_is_said_where_it_is() {
    let config = json!({"roles": [{"kind": "task", "features": [{"id": "custom", "statements": [{
        "Effect": "Allow", "Action": "s3:GetObject",
        "Resource": ["arn:aws:s3:::b/${HOME}/x", "arn:aws:s3:::b/${aws:username}/${*}${$}"],
        "Condition": {"StringLike": {"aws:PrincipalTag/team": ["a", "${TEAM}"]}}}]}]}]});
    let diags = ecs_iam_core::check(&Config::from_value(&config).unwrap());
    let paths: Vec<&str> = diags
        .iter()
        .filter(|d| d.code.id() == "unresolvable-variable")
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "roles[0].features[0].statements[0].Resource[0]",
            "roles[0].features[0].statements[0].Condition.StringLike.aws:PrincipalTag/team[1]"
        ]
    );
}

#[test]
fn a_feature_without_any_of_its_access_switches_is_refused() {
    let mut seen = 0;
    for f in catalog()
        .features
        .iter()
        .filter(|f| !f.needs_one_of.is_empty())
    {
        seen += 1;
        let mut feature = json!({"id": f.id});
        for q in f.params.iter().filter(|q| q.required) {
            feature[q.name] = json!([q.item.unwrap().info().example]);
        }
        let e = Config::from_value(&scoped(kind_of(f), feature.clone())).expect_err(f.id);
        assert_eq!(e.path, "roles[0].features[0]", "{}", f.id);
        for w in f.needs_one_of {
            assert!(e.message.contains(w), "{}: {e}", f.id);
        }
        // A switch set to false is pointed at; each switch alone is enough.
        feature[f.needs_one_of[0]] = json!(false);
        let e = Config::from_value(&scoped(kind_of(f), feature.clone())).expect_err(f.id);
        assert_eq!(
            e.path,
            format!("roles[0].features[0].{}", f.needs_one_of[0])
        );
        for w in f.needs_one_of {
            let mut one = feature.clone();
            one[f.needs_one_of[0]] = json!(null);
            one[*w] = json!(true);
            Config::from_value(&scoped(kind_of(f), one))
                .unwrap_or_else(|e| panic!("{}.{w}: {e}", f.id));
        }
    }
    assert!(seen >= 4);
}

/// The task role's policies of a configuration, as the `json` rendering writes them.
fn task_role_policies(features: Value) -> Vec<Value> {
    let config = json!({"partition": "aws", "region": "us-east-1", "account": ACCOUNT,
        "roles": [{"kind": "task", "name": "app", "features": features}]});
    let config = Config::from_value(&config).unwrap_or_else(|e| panic!("{e}"));
    let text = ecs_iam_core::render(&config, Format::Json, &Default::default());
    let v: Value = serde_json::from_str(&text).unwrap();
    v["Roles"][0]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PolicyDocument"].clone())
        .collect()
}

/// What the SDK asks for on behalf of the application (the action, the resource ARN the service
/// evaluates, its context) is allowed by the application features, and its nearest neighbours
/// outside what was chosen are not.
#[test]
fn application_features_allow_the_calls_they_are_for_and_no_more() {
    use ecs_iam_core::{evaluate, Decision, Request};
    let decide = |docs: &[Value], action: &str, resource: &str, context: &[(&str, &str)]| {
        let docs: Vec<&Value> = docs.iter().collect();
        let request = Request {
            principal: format!("arn:aws:iam::{ACCOUNT}:role/app"),
            action: action.into(),
            resource: resource.into(),
            context: context
                .iter()
                .map(|(k, v)| ((*k).to_string(), vec![(*v).to_string()]))
                .collect(),
        };
        evaluate(&docs, None, &request).decision == Decision::Allow
    };
    let s3 = task_role_policies(json!([{"id": "s3", "buckets": ["uploads"],
        "prefixes": ["incoming/"], "read": true, "list": true}]));
    assert!(decide(
        &s3,
        "s3:GetObject",
        "arn:aws:s3:::uploads/incoming/a.csv",
        &[]
    ));
    assert!(!decide(
        &s3,
        "s3:GetObject",
        "arn:aws:s3:::uploads/other/a.csv",
        &[]
    ));
    assert!(!decide(&s3, "s3:GetObject", "arn:aws:s3:::uploads", &[]));
    assert!(!decide(
        &s3,
        "s3:PutObject",
        "arn:aws:s3:::uploads/incoming/a.csv",
        &[]
    ));
    assert!(decide(
        &s3,
        "s3:ListBucket",
        "arn:aws:s3:::uploads",
        &[("s3:prefix", "incoming/")]
    ));
    assert!(!decide(&s3, "s3:ListBucket", "arn:aws:s3:::uploads", &[]));
    assert!(!decide(
        &s3,
        "s3:ListBucket",
        "arn:aws:s3:::uploads",
        &[("s3:prefix", "other/")]
    ));
    let whole = task_role_policies(
        json!([{"id": "s3", "buckets": ["uploads"], "write": true, "delete": true}]),
    );
    assert!(decide(
        &whole,
        "s3:PutObject",
        "arn:aws:s3:::uploads/any/key",
        &[]
    ));
    assert!(decide(
        &whole,
        "s3:DeleteObject",
        "arn:aws:s3:::uploads/any/key",
        &[]
    ));
    assert!(!decide(
        &whole,
        "s3:GetObject",
        "arn:aws:s3:::uploads/any/key",
        &[]
    ));
    assert!(!decide(
        &whole,
        "s3:PutObject",
        "arn:aws:s3:::uploads-2/key",
        &[]
    ));

    let table = format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders");
    let ddb = task_role_policies(json!([{"id": "dynamodb", "tables": ["orders"], "read": true}]));
    assert!(decide(&ddb, "dynamodb:Query", &table, &[]));
    assert!(!decide(
        &ddb,
        "dynamodb:Query",
        &format!("{table}/index/by-date"),
        &[]
    ));
    assert!(!decide(&ddb, "dynamodb:PutItem", &table, &[]));
    assert!(!decide(
        &ddb,
        "dynamodb:GetRecords",
        &format!("{table}/stream/2026-01-01T00:00:00.000"),
        &[]
    ));
    let ddb = task_role_policies(
        json!([{"id": "dynamodb", "tables": ["orders"], "read": true,
        "indexes": true, "streams": true}]),
    );
    assert!(decide(
        &ddb,
        "dynamodb:Query",
        &format!("{table}/index/by-date"),
        &[]
    ));
    assert!(!decide(
        &ddb,
        "dynamodb:GetItem",
        &format!("{table}/index/by-date"),
        &[]
    ));
    assert!(decide(
        &ddb,
        "dynamodb:GetRecords",
        &format!("{table}/stream/2026-01-01T00:00:00.000"),
        &[]
    ));
    assert!(!decide(
        &ddb,
        "dynamodb:Query",
        &format!("{table}-archive"),
        &[]
    ));

    let queue = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:jobs");
    let sqs = task_role_policies(json!([{"id": "sqs", "queues": ["jobs"], "consume": true}]));
    for a in [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueUrl",
    ] {
        assert!(decide(&sqs, a, &queue, &[]), "{a}");
    }
    assert!(!decide(&sqs, "sqs:SendMessage", &queue, &[]));
    assert!(!decide(&sqs, "sqs:PurgeQueue", &queue, &[]));

    let metrics =
        task_role_policies(json!([{"id": "cloudwatch-metrics", "namespaces": ["Orders/API"]}]));
    assert!(decide(
        &metrics,
        "cloudwatch:PutMetricData",
        "*",
        &[("cloudwatch:namespace", "Orders/API")]
    ));
    assert!(!decide(
        &metrics,
        "cloudwatch:PutMetricData",
        "*",
        &[("cloudwatch:namespace", "AWS/EC2")]
    ));
    assert!(!decide(&metrics, "cloudwatch:PutMetricData", "*", &[]));

    let bus = format!("arn:aws:events:us-east-1:{ACCOUNT}:event-bus/default");
    let events = task_role_policies(json!([{"id": "eventbridge-put", "eventBuses": ["default"],
        "sources": ["com.example.orders"]}]));
    assert!(decide(
        &events,
        "events:PutEvents",
        &bus,
        &[("events:source", "com.example.orders")]
    ));
    assert!(!decide(
        &events,
        "events:PutEvents",
        &bus,
        &[("events:source", "aws.ec2")]
    ));

    let key = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let kms = task_role_policies(
        json!([{"id": "kms", "keys": ["1234abcd-12ab-34cd-56ef-1234567890ab"], "decrypt": true}]),
    );
    assert!(decide(&kms, "kms:Decrypt", &key, &[]));
    assert!(!decide(&kms, "kms:GenerateDataKey", &key, &[]));
    assert!(!decide(&kms, "kms:ReEncryptFrom", &key, &[]));
}
