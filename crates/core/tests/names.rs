//! Names that must stay distinct once rendered: IAM wants a role's policy names distinct.

use ecs_iam_core::plan::plan;
use ecs_iam_core::{Config, PermissionStyle};

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
