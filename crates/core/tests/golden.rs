//! Golden snapshots of every format for every fixture (`tests/fixtures/*.json`), including one
//! per example of the seed documents. Review changes with `cargo insta review`, or accept them
//! with `INSTA_UPDATE=always cargo test -p ecs-iam-core --test golden`.

use ecs_iam_core::{Config, Format, Options, PermissionStyle};
use std::path::PathBuf;

fn fixtures() -> Vec<(String, Config)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut out: Vec<(String, Config)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let config = Config::parse(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, config)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 10, "fixtures missing");
    out
}

#[test]
fn every_format_of_every_fixture() {
    for (name, config) in fixtures() {
        for format in Format::ALL {
            let text = ecs_iam_core::render(&config, format, &Options::default());
            insta::assert_snapshot!(format!("{name}__{}", format.id()), text);
        }
    }
}

#[test]
fn permission_styles_of_the_seed_efs_pattern() {
    let (_, config) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "seed-000-efs")
        .unwrap();
    for style in PermissionStyle::ALL {
        let options = Options {
            permissions: Some(style),
        };
        let text = ecs_iam_core::render(&config, Format::CloudformationYaml, &options);
        insta::assert_snapshot!(
            format!("seed-000-efs__cloudformation-yaml__{}", style.id()),
            text
        );
    }
}

#[test]
fn diagnostics_of_every_fixture() {
    for (name, config) in fixtures() {
        let diags: Vec<_> = ecs_iam_core::check(&config)
            .iter()
            .map(ecs_iam_core::Diagnostic::to_value)
            .collect();
        insta::assert_json_snapshot!(format!("{name}__check"), diags);
    }
}

#[test]
fn aws_cli_files() {
    let (_, config) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "exec-and-policy-variables")
        .unwrap();
    let files = ecs_iam_core::render_files(&config, Format::AwsCli, &Options::default());
    let listing: Vec<String> = files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect();
    insta::assert_snapshot!(
        "exec-and-policy-variables__aws-cli-files",
        listing.join("\n")
    );
}

#[test]
fn explanations_of_every_fixture() {
    for (name, config) in fixtures() {
        let explained = ecs_iam_core::explain(&config);
        // Every statement of every policy is explained.
        let json: serde_json::Value = serde_json::from_str(&ecs_iam_core::render(
            &config,
            Format::Json,
            &Options::default(),
        ))
        .unwrap();
        let statements = json.to_string().matches("\"Effect\"").count();
        let roles_with_trust = json["Roles"].as_array().unwrap().len();
        let why: usize = explained
            .iter()
            .map(|e| {
                e.trust.len()
                    + e.policies.iter().map(|p| p.statements.len()).sum::<usize>()
                    + e.owner_policies.len()
            })
            .sum();
        assert_eq!(why, statements, "{name}: {why} explanations for {statements} statements ({roles_with_trust} trust policies)");
        insta::assert_json_snapshot!(format!("{name}__explain"), explained);
        // The listing of `explain --json` and the npm package, written by hand, is the same
        // JSON as the derived `Serialize` of the snapshot.
        assert_eq!(
            ecs_iam_core::json::to_string_pretty(&ecs_iam_core::json::ToJson::to_json(&explained)),
            serde_json::to_string_pretty(&explained).unwrap(),
            "{name}"
        );
    }
}
