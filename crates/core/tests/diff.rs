//! `diff`: a rendering compared with its own configuration differs in nothing, in every format
//! IAM's state can be read from and every permission style; the over-broad roles of
//! `tests/fixtures/diff` (the same roles as IAM returns them, as the AWS CLI prints them and as
//! a template) give the findings they were written for.

use ecs_iam_core::{diff, render, Config, Diff, Format, Options, PermissionStyle};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn fixtures() -> Vec<(String, Config)> {
    let mut out: Vec<(String, Config)> = std::fs::read_dir(root())
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

fn shown(d: &Diff) -> String {
    d.findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} on {} ({})",
                f.role, f.kind, f.request.action, f.request.resource, f.why
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_rendering_differs_from_its_configuration_in_nothing() {
    for (name, config) in fixtures() {
        for format in [
            Format::Json,
            Format::CloudformationYaml,
            Format::CloudformationJson,
        ] {
            for style in PermissionStyle::ALL {
                let text = render(
                    &config,
                    format,
                    &Options {
                        permissions: Some(style),
                    },
                );
                let d = diff(&config, &text).unwrap_or_else(|e| panic!("{name} {format:?}: {e}"));
                assert!(
                    d.findings.is_empty(),
                    "{name} {format:?} {style:?}:\n{}",
                    shown(&d)
                );
                let roles = ecs_iam_core::plan(&config).roles.len();
                assert_eq!(
                    d.compared.len(),
                    roles,
                    "{name} {format:?}: {:?}",
                    d.compared
                );
                assert!(d.notes.is_empty(), "{name} {format:?}: {:?}", d.notes);
            }
        }
    }
}

fn over_broad(file: &str) -> Diff {
    let config =
        Config::parse(&std::fs::read_to_string(root().join("diff/service.config.json")).unwrap())
            .unwrap();
    let text = std::fs::read_to_string(root().join("diff").join(file)).unwrap();
    diff(&config, &text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn has(d: &Diff, role: &str, kind: &str, action: &str, resource: &str) -> bool {
    d.findings.iter().any(|f| {
        f.role == role
            && f.kind == kind
            && f.request.action == action
            && f.request.resource == resource
    })
}

const EXEC: &str = "webExecutionRole";

#[test]
fn the_over_broad_roles_give_what_they_were_written_for() {
    for file in [
        "over-broad.authorization-details.json",
        "over-broad.get-role.json",
        "over-broad.template.yaml",
    ] {
        let d = over_broad(file);
        let all = shown(&d);
        // A managed policy where scoped statements suffice: its broadest requests.
        for action in [
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "logs:PutLogEvents",
        ] {
            assert!(
                has(&d, EXEC, "managed", action, "*"),
                "{file}: {action}\n{all}"
            );
        }
        // The secret named without its 6-character suffix: the real secret is denied, the
        // name without suffix is an excess.
        assert!(
            has(
                &d,
                EXEC,
                "missing",
                "secretsmanager:GetSecretValue",
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-xxxxxx"
            ),
            "{file}\n{all}"
        );
        // kms:Decrypt for the secret's key is missing.
        assert!(
            has(
                &d,
                EXEC,
                "missing",
                "kms:Decrypt",
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            ),
            "{file}\n{all}"
        );
        // The application's bucket on the execution role: the configuration has it on the task role.
        let wrong = d
            .findings
            .iter()
            .find(|f| f.kind == "wrong-role")
            .unwrap_or_else(|| panic!("{file}\n{all}"));
        assert_eq!(
            (
                wrong.role.as_str(),
                wrong.other_role.as_deref(),
                wrong.request.action.as_str()
            ),
            (EXEC, Some("webTaskRole"), "s3:GetObject")
        );
        // No confused-deputy conditions: the service is let in for another account.
        assert!(
            d.findings.iter().any(|f| f.role == EXEC
                && f.kind == "trust"
                && f.request
                    .context
                    .iter()
                    .any(|(_, v)| v.iter().any(|a| a == "444455556666"))),
            "{file}\n{all}"
        );
        // Every finding carries both decisions, and they differ.
        for f in &d.findings {
            assert_ne!(f.config, f.existing, "{file}: {f:?}");
        }
    }
}

#[test]
fn a_role_the_file_does_not_have_is_a_finding() {
    let d = over_broad("over-broad.get-role.json");
    assert!(
        d.findings
            .iter()
            .any(|f| f.kind == "missing-role" && f.role == "webTaskRole"),
        "{}",
        shown(&d)
    );
    let d = over_broad("over-broad.authorization-details.json");
    assert!(
        has(
            &d,
            "webTaskRole",
            "missing",
            "s3:GetObject",
            "arn:aws:s3:::web-assets-111122223333/x"
        ),
        "{}",
        shown(&d)
    );
}

#[test]
fn what_is_not_a_role_set_is_refused_with_its_place() {
    let config =
        Config::parse(&std::fs::read_to_string(root().join("diff/service.config.json")).unwrap())
            .unwrap();
    for (text, says) in [
        ("[]", "not an object"),
        ("{\"Users\": []}", "no RoleDetailList"),
        ("{\"RoleDetailList\": [{\"Arn\": \"x\"}]}", "has no RoleName"),
        ("{\"RoleDetailList\": [{\"RoleName\": \"r\", \"AssumeRolePolicyDocument\": \"%7Bnot\"}]}", "not a policy document"),
        ("{\"Role\": {\"RoleName\": \"r\"}} {", "JSON document 2"),
        ("", "not an object"),
    ] {
        match diff(&config, text) {
            Err(e) => assert!(e.to_string().contains(says), "{text}: {e}"),
            Ok(d) => panic!("{text}: accepted: {}", shown(&d)),
        }
    }
}

/// `--json` lists the findings role by role too, under the kind of finding, every role of the
/// configuration once: the findings there are the flat list's, regrouped.
#[test]
fn the_json_groups_each_roles_findings_by_kind() {
    let d = over_broad("over-broad.authorization-details.json");
    let v = ecs_iam_core::json::ToJson::to_json(&d);
    let roles = v["roles"].as_array().unwrap();
    assert_eq!(roles.len(), d.roles.len());
    let mut regrouped = 0;
    for r in roles {
        assert!(r["kind"].as_str().is_some_and(|k| !k.is_empty()));
        for (key, kinds) in [
            ("missing", &["missing", "missing-role"][..]),
            ("excess", &["excess"][..]),
            ("wrongRole", &["wrong-role"][..]),
            ("trust", &["trust"][..]),
            ("managedPolicies", &["managed"][..]),
        ] {
            for f in r[key].as_array().unwrap() {
                assert_eq!(f["role"], r["name"]);
                assert!(kinds.contains(&f["kind"].as_str().unwrap()), "{key}: {f}");
                assert!(
                    f["action"].is_string()
                        && f["resource"].is_string()
                        && f["context"].is_array()
                        && f["why"].is_string()
                );
                regrouped += 1;
            }
        }
    }
    assert_eq!(regrouped, d.findings.len());
    assert!(roles
        .iter()
        .any(|r| !r["wrongRole"].as_array().unwrap().is_empty()));
    assert!(roles
        .iter()
        .any(|r| !r["managedPolicies"].as_array().unwrap().is_empty()));
}
