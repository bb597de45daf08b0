//! Names that must stay distinct once rendered: IAM wants a role's policy names distinct, and
//! `render --out` must write every file to a path of its own.

use ecs_iam_core::plan;
use ecs_iam_core::{Config, Format, Options, PermissionStyle};

fn config(text: &str, style: PermissionStyle) -> Config {
    let mut config = Config::parse(text).unwrap();
    config.permissions = Some(style);
    config
}

#[test]
fn unnamed_custom_policies_skip_the_names_taken_on_the_role() {
    let custom = |name: Option<&str>| {
        let name = name
            .map(|n| format!(r#""name":"{n}","#))
            .unwrap_or_default();
        format!(
            r#"{{"id":"custom",{name}"statements":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}]}}"#
        )
    };
    let text = format!(
        r#"{{"roles":[{{"kind":"task","name":"t","features":[{},{},{},{{"id":"xray"}},{}]}}]}}"#,
        custom(None),
        custom(None),
        custom(Some("Custom-2")),
        custom(None)
    );
    let inline = plan(&config(&text, PermissionStyle::Inline));
    let names: Vec<&str> = inline.roles[0]
        .inline
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["custom", "custom-3", "Custom-2", "xray", "custom-4"]
    );
    let managed = plan(&config(&text, PermissionStyle::Managed));
    let names: Vec<&str> = managed.managed.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "t-custom",
            "t-custom-3",
            "t-Custom-2",
            "t-xray",
            "t-custom-4"
        ]
    );
}

#[test]
fn out_files_never_share_a_path() {
    // A custom policy named like the trust policy's file, and a role named like a customer
    // managed policy's file.
    let text = r#"{"roles":[
        {"kind":"task","name":"t","features":[{"id":"custom","name":"trust-policy","statements":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}]},
        {"kind":"task","name":"d.json"},
        {"kind":"deployer","name":"d"}]}"#;
    for style in PermissionStyle::ALL {
        let files =
            ecs_iam_core::render_files(&config(text, style), Format::AwsCli, &Options::default());
        let paths: Vec<String> = files.iter().map(|f| f.path.to_ascii_lowercase()).collect();
        for (i, p) in paths.iter().enumerate() {
            for q in &paths[..i] {
                assert_ne!(p, q, "{} writes two files to {p}", style.id());
                assert!(
                    !p.starts_with(&format!("{q}/")) && !q.starts_with(&format!("{p}/")),
                    "{}: {p} and {q}: a file where a directory goes",
                    style.id()
                );
            }
        }
    }
}
