//! `import`: what each field of a task definition or template becomes, and what is refused.

use ecs_iam_core::{import, Import};
use serde_json::Value;

fn config(text: &str) -> Value {
    import(text).unwrap_or_else(|e| panic!("{e}")).config
}

fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| match k.parse::<usize>() {
        Ok(i) => &v[i],
        Err(_) => &v[k],
    })
}

fn td(containers: &str, extra: &str) -> String {
    format!(r#"{{"family": "web", {extra} "containerDefinitions": [{containers}]}}"#)
}

const EXEC: &str = r#""executionRoleArn": "arn:aws:iam::111122223333:role/ecs/web-exec","#;

#[test]
fn a_secret_is_matched_without_its_json_key_and_a_name_is_a_parameter() {
    let c = config(&td(
        r#"{"name": "a", "image": "nginx", "secrets": [
            {"name": "A", "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf:password::"},
            {"name": "B", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/prod/key"},
            {"name": "C", "valueFrom": "plain-name"},
            {"name": "D", "valueFrom": "/aws/reference/secretsmanager/api"}]}"#,
        EXEC,
    ));
    let role = at(&c, "roles.0");
    assert_eq!(role["name"], "web-exec");
    assert_eq!(role["path"], "/ecs/");
    assert_eq!(c["account"], "111122223333");
    let f = &role["features"];
    assert_eq!(f[0]["id"], "secrets-manager");
    assert_eq!(
        f[0]["secrets"],
        serde_json::json!([
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf",
            "/aws/reference/secretsmanager/api"
        ])
    );
    assert_eq!(f[1]["id"], "ssm-parameters");
    assert_eq!(
        f[1]["parameters"],
        serde_json::json!([
            "arn:aws:ssm:us-east-1:111122223333:parameter/prod/key",
            "plain-name"
        ])
    );
}

#[test]
fn an_image_of_another_account_is_named_by_its_arn_and_a_public_one_needs_nothing() {
    let c = config(&td(
        r#"{"name": "a", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/web:1.2@sha256:abc"},
           {"name": "b", "image": "444455556666.dkr.ecr.eu-west-1.amazonaws.com/shared/base:latest"},
           {"name": "c", "image": "public.ecr.aws/nginx/nginx:1"}"#,
        EXEC,
    ));
    assert_eq!(c["region"], "eu-west-1");
    assert_eq!(
        at(&c, "roles.0.features.0.repositories"),
        &serde_json::json!([
            "team/web",
            "arn:aws:ecr:eu-west-1:444455556666:repository/shared/base"
        ])
    );
}

#[test]
fn an_image_of_another_partition_is_left_out_and_said() {
    let i = import(&td(
        r#"{"name": "d", "image": "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/other"}"#,
        EXEC,
    ))
    .unwrap();
    assert!(
        i.config["roles"][0].get("features").is_none(),
        "{}",
        i.config
    );
    assert!(
        i.unknowns
            .iter()
            .any(|u| u.from == "containerDefinitions[0].image" && u.message.contains("aws-cn")),
        "{:?}",
        i.unknowns
    );
}

#[test]
fn awslogs_in_another_region_is_named_by_arn_and_create_group_is_kept() {
    let c = config(&td(
        r#"{"name": "a", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/web",
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web",
              "awslogs-region": "us-west-2", "awslogs-create-group": "true"}}}"#,
        EXEC,
    ));
    // The first Region read is the log driver's; the image is then in another Region.
    assert_eq!(c["region"], "us-west-2");
    let logs = at(&c, "roles.0.features.1");
    assert_eq!(logs["logGroups"], serde_json::json!(["/ecs/web"]));
    assert_eq!(logs["createGroup"], true);
    assert_eq!(
        at(&c, "roles.0.features.0.repositories.0"),
        "arn:aws:ecr:us-east-1:111122223333:repository/web"
    );
}

#[test]
fn on_ec2_without_an_execution_role_the_instance_role_pulls_and_logs() {
    let c = config(&td(
        r#"{"name": "a", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/web",
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g"}}}"#,
        r#""requiresCompatibilities": ["EC2"],"#,
    ));
    let roles = c["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 1, "{c}");
    assert_eq!(roles[0]["kind"], "container-instance");
    assert_eq!(roles[0]["features"][0]["id"], "ecr-pull");
    assert_eq!(roles[0]["features"][1]["id"], "logs");
}

#[test]
fn secrets_without_an_execution_role_make_one_and_say_so() {
    let i = import(&td(
        r#"{"name": "a", "image": "x", "secrets": [{"name": "A", "valueFrom": "p"}]}"#,
        r#""requiresCompatibilities": ["FARGATE"],"#,
    ))
    .unwrap();
    assert_eq!(i.config["roles"][0]["kind"], "task-execution");
    assert!(
        i.unknowns
            .iter()
            .any(|u| u.message.contains("add executionRoleArn")),
        "{:?}",
        i.unknowns
    );
}

#[test]
fn efs_firelens_and_xray_go_on_the_task_role() {
    let c = config(&td(
        r#"{"name": "router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
            "firelensConfiguration": {"type": "fluentbit"}},
           {"name": "app", "image": "nginx", "mountPoints": [{"sourceVolume": "data", "containerPath": "/d", "readOnly": true}],
            "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs",
              "log_group_name": "/app/$(ecs_task_id)", "auto_create_group": "true", "region": "us-east-1"}}},
           {"name": "xray", "image": "amazon/aws-xray-daemon"}"#,
        r#""taskRoleArn": "arn:aws:iam::111122223333:role/app",
           "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef0",
             "authorizationConfig": {"iam": "ENABLED", "accessPointId": "fsap-0123456789abcdef0"}}}],"#,
    ));
    let features = at(&c, "roles.0.features");
    let ids: Vec<&str> = features
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["firelens", "xray", "efs"]);
    assert_eq!(features[0]["logGroups"], serde_json::json!(["/app/*"]));
    assert_eq!(features[0]["createLogGroup"], true);
    assert_eq!(
        features[2]["fileSystems"],
        serde_json::json!(["fs-0123456789abcdef0"])
    );
    assert!(features[2].get("write").is_none(), "mounted read-only: {c}");
}

#[test]
fn describe_output_and_bare_container_definitions_are_read() {
    let describe = format!(
        r#"{{"taskDefinition": {}}}"#,
        td(
            r#"{"name": "a", "image": "x", "secrets": [{"name": "A", "valueFrom": "p"}]}"#,
            &format!(
                r#""taskDefinitionArn": "arn:aws:ecs:ap-south-1:111122223333:task-definition/web:3", {EXEC}"#
            )
        )
    );
    let i = import(&describe).unwrap();
    assert_eq!(i.source, "describe-task-definition");
    assert_eq!(i.config["region"], "ap-south-1");
    assert_eq!(i.derivations[1].from, "taskDefinition.taskDefinitionArn");
    let bare =
        import(r#"[{"name": "a", "image": "x", "secrets": [{"name": "A", "valueFrom": "p"}]}]"#)
            .unwrap();
    assert_eq!(bare.source, "container-definitions");
    assert!(bare
        .derivations
        .iter()
        .any(|d| d.from == "[0].secrets[0].valueFrom"));
}

#[test]
fn every_value_has_a_derivation_and_its_path_exists() {
    let i: Import = import(&td(
        r#"{"name": "a", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/web",
            "environmentFiles": [{"value": "arn:aws:s3:::cfg/app.env", "type": "s3"}],
            "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-AbCdEf"}}"#,
        EXEC,
    ))
    .unwrap();
    for d in &i.derivations {
        let mut v = &i.config;
        for part in d.path.split('.') {
            let (key, index) = match part.split_once('[') {
                Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (part, None),
            };
            v = &v[key];
            if let Some(n) = index {
                v = &v[n];
            }
            assert!(!v.is_null(), "{} is not in {}", d.path, i.config);
        }
    }
    assert!(i.unknowns.iter().any(|u| u.message.contains("bucketOwner")));
}

#[test]
fn what_is_not_an_input_is_refused_with_a_reason() {
    for (text, says) in [
        ("42", "not an object or an array"),
        (r#"{"roles": []}"#, "already a configuration"),
        (r#"{"family": "x"}"#, "no containerDefinitions"),
        (r#"{"Resources": {}}"#, "no AWS::ECS::TaskDefinition"),
        (r#"[{"name": "a", "image": "nginx"}]"#, "needs no IAM role"),
        ("{", "not valid JSON"),
    ] {
        let e = import(text).unwrap_err();
        assert!(e.message.contains(says), "{text}: {e}");
    }
}

#[test]
fn hostile_values_are_left_out_and_said() {
    let i = import(&td(
        r#"{"name": "a", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/UPPER\"}]}",
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "bad group\n"}},
            "secrets": [{"name": "A", "valueFrom": "arn:aws:kms:us-east-1:111122223333:key/x"}, {"valueFrom": 7}, 3]}"#,
        EXEC,
    ))
    .unwrap();
    assert!(
        i.config["roles"][0].get("features").is_none(),
        "{}",
        i.config
    );
    assert_eq!(
        i.unknowns
            .iter()
            .filter(|u| u.message.contains("left out"))
            .count(),
        2,
        "{:?}",
        i.unknowns
    );
    assert!(i
        .unknowns
        .iter()
        .any(|u| u.message.contains("neither a Secrets Manager secret")));
    assert!(
        i.unknowns
            .iter()
            .any(|u| u.from == "containerDefinitions[0].secrets[1].valueFrom"
                && u.message.contains("not a text")),
        "{:?}",
        i.unknowns
    );
}

#[cfg(feature = "yaml")]
#[test]
fn a_template_resolves_parameters_names_and_the_stack_s_own_arns() {
    let c = config(
        r#"
Parameters:
  Group: {Type: String, Default: /ecs/api}
  Tag: {Type: String}
Resources:
  Exec: {Type: AWS::IAM::Role, Properties: {RoleName: api-exec}}
  Db: {Type: AWS::SecretsManager::Secret, Properties: {Name: prod/db}}
  TD:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      ExecutionRoleArn: !GetAtt Exec.Arn
      ContainerDefinitions:
        - Name: api
          Image: !Sub '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/api:${Tag}'
          Secrets:
            - {Name: DB, ValueFrom: !Ref Db}
            - {Name: K, ValueFrom: !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/api/key'}
          LogConfiguration: {LogDriver: awslogs, Options: {awslogs-group: !Ref Group, awslogs-region: !Ref 'AWS::Region'}}
"#,
    );
    assert!(c.get("account").is_none());
    let role = at(&c, "roles.0");
    assert_eq!(role["name"], "api-exec");
    let f = &role["features"];
    assert_eq!(f[0]["repositories"], serde_json::json!(["api"]));
    assert_eq!(f[1]["secrets"], serde_json::json!(["prod/db"]));
    assert_eq!(f[2]["parameters"], serde_json::json!(["/api/key"]));
    assert_eq!(f[3]["logGroups"], serde_json::json!(["/ecs/api"]));
}

/// The task definitions and templates of `tests/fixtures/import` (public examples, their sources
/// in its README.md), each with the configuration it must give in `import/expected/` and its
/// derivations and notes as a snapshot. `IMPORT_UPDATE=1` writes the expected files anew.
#[cfg(feature = "yaml")]
#[test]
fn every_public_example_gives_its_expected_configuration() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import");
    let mut inputs: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "json" || x == "yaml" || x == "yml")
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5, "import fixtures missing: {inputs:?}");
    let update = std::env::var_os("IMPORT_UPDATE").is_some();
    for input in inputs {
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&input).unwrap();
        let i = import(&text).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let got = ecs_iam_core::json::to_string_pretty(&i.config) + "\n";
        let expected = dir.join("expected").join(format!("{stem}.json"));
        if update {
            std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
            std::fs::write(&expected, &got).unwrap();
        }
        let want = std::fs::read_to_string(&expected).unwrap_or_else(|_| {
            panic!(
                "{} is missing (IMPORT_UPDATE=1 writes it)",
                expected.display()
            )
        });
        assert_eq!(
            got,
            want,
            "{stem}: the derived configuration differs from {}",
            expected.display()
        );
        // The configuration is one the builder renders, in every format.
        let config = ecs_iam_core::Config::from_value(&i.config).unwrap();
        for f in ecs_iam_core::Format::ALL {
            assert!(!ecs_iam_core::render(&config, f, &Default::default()).is_empty());
        }
        let listing = serde_json::json!({
            "source": i.source,
            "derivations": ecs_iam_core::json::ToJson::to_json(&i.derivations),
            "unknowns": ecs_iam_core::json::ToJson::to_json(&i.unknowns),
        });
        insta::assert_snapshot!(
            format!("import-{stem}"),
            ecs_iam_core::json::to_string_pretty(&listing)
        );
    }
}

/// A task definition that repeats a key (as aws-samples' tomcat_ec2.json repeats "memory") is refused with the
/// key and its place: JSON parsers settle a repeated key differently, so no guess is safe.
#[test]
fn a_repeated_key_is_refused_with_its_place() {
    let text = "{\n  \"family\": \"tomcat\",\n  \"containerDefinitions\": [\n    {\"name\": \"tomcat\", \"memory\": 512, \"image\": \"tomcat\", \"memory\": 256}\n  ]\n}\n";
    let e = import(text).unwrap_err().to_string();
    assert!(
        e.contains("\"memory\" twice") && e.contains("line 4"),
        "{e}"
    );
}

/// One role named as both the task role and the execution role stays two roles, and the note
/// says why; an account that is not 12 digits is said, not taken.
#[test]
fn one_role_for_both_kinds_is_kept_apart_and_a_placeholder_account_is_said() {
    let i = import(&td(
        r#"{"name": "web", "image": "nginx"}"#,
        r#""taskRoleArn": "arn:aws:iam::11111111111:role/ecsTaskExecutionRole", "executionRoleArn": "arn:aws:iam::11111111111:role/ecsTaskExecutionRole","#,
    ))
    .unwrap();
    let roles = i.config["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 2);
    let named: Vec<_> = roles.iter().filter(|r| r.get("name").is_some()).collect();
    assert_eq!(named.len(), 1, "{roles:?}");
    assert!(i.config.get("account").is_none());
    let notes: Vec<_> = i
        .unknowns
        .iter()
        .map(|u| (u.from.as_str(), u.message.as_str()))
        .collect();
    assert!(notes.iter().any(|(_, m)| m.contains("\"ecsTaskExecutionRole\"") && m.contains("a role of its own")), "{notes:?}");
    assert_eq!(
        notes
            .iter()
            .filter(|(_, m)| m.contains("\"11111111111\", which is not 12 digits"))
            .count(),
        1,
        "{notes:?}"
    );
}

/// Creating a log group the file does not name would be a grant on every log group: the
/// option is said, not set, for the awslogs driver and for FireLens alike.
#[test]
fn a_log_group_option_without_a_known_group_is_said_not_granted() {
    let i = import(&td(
        r#"{"name": "app", "image": "nginx", "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "bad group!", "awslogs-region": "us-east-1", "awslogs-create-group": "true"}}},
           {"name": "app2", "image": "nginx", "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs", "log_group_name": "bad group!", "auto_create_group": "true"}}}"#,
        r#""executionRoleArn": "arn:aws:iam::111122223333:role/e", "taskRoleArn": "arn:aws:iam::111122223333:role/t", "requiresCompatibilities": ["FARGATE"],"#,
    ))
    .unwrap();
    let text = serde_json::to_string(&i.config).unwrap();
    assert!(
        !text.contains("createGroup") && !text.contains("createLogGroup"),
        "{text}"
    );
    let said: Vec<_> = i
        .unknowns
        .iter()
        .filter(|u| u.message.contains("the group's name is not known"))
        .map(|u| u.from.as_str())
        .collect();
    assert!(
        said.iter().any(|f| f.ends_with("awslogs-create-group")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|f| f.ends_with("auto_create_group")),
        "{said:?}"
    );
}
