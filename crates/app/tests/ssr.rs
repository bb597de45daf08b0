#![cfg(not(target_arch = "wasm32"))]
//! The components, rendered natively with Yew's server-side renderer: snapshots of the page in
//! its main states, and checks that what the page shows is what the core renders.

use ecs_iam_app::draft::Draft;
use ecs_iam_app::state::{initial_state, Action, State, Theme};
use ecs_iam_app::{App, AppProps};
use ecs_iam_core::gallery;
use ecs_iam_core::{Config, Format};
use std::rc::Rc;

async fn render(state: State) -> String {
    yew::LocalServerRenderer::<App>::with_props(AppProps {
        initial: Rc::new(state),
    })
    .hydratable(false)
    .render()
    .await
}

/// One tag a line, so that snapshot diffs read.
fn lines(html: &str) -> String {
    html.replace("><", ">\n<")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The text of the output element `code[data-format=ID]`.
fn output_text(html: &str, format: Format) -> Option<String> {
    let open = format!("<code data-format=\"{}\">", format.id());
    let start = html.find(&open)? + open.len();
    let end = start + html[start..].find("</code>")?;
    let inner = &html[start..end];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(unescape(&text))
}

fn state_of(pattern: &str, format: Format) -> State {
    let mut s = State {
        format,
        ..State::default()
    };
    s.apply(Action::LoadPattern(pattern.into(), Some(format)));
    s.apply(Action::DismissNotice);
    s
}

#[tokio::test]
async fn the_output_element_holds_exactly_what_the_core_renders() {
    for p in &gallery().patterns {
        for format in Format::ALL {
            let html = render(state_of(&p.id, format)).await;
            let config = Config::from_value(&p.config).unwrap();
            let want = ecs_iam_core::render(&config, format, &Default::default());
            assert_eq!(
                output_text(&html, format).as_deref(),
                Some(want.as_str()),
                "pattern {} format {}",
                p.id,
                format.id()
            );
        }
    }
}

#[tokio::test]
async fn default_page() {
    let html = render(State::default()).await;
    assert!(html.contains("data-format=\"cloudformation-yaml\""));
    assert!(html.contains("aria-selected=\"true\""));
    insta::assert_snapshot!("default", lines(&html));
}

#[tokio::test]
async fn invalid_values_show_on_their_field_and_instead_of_the_output() {
    let mut s = State::default();
    s.apply(Action::SetText(
        0,
        0,
        "repositories".into(),
        "my-app\nMy Repo".into(),
    ));
    s.apply(Action::SetTop(
        ecs_iam_app::state::TopField::Account,
        "12345".into(),
    ));
    let html = render(s).await;
    assert!(!html.contains("data-format="), "no output while invalid");
    assert!(html.contains("class=\"invalid\""));
    assert!(html.contains("id=\"roles-0-features-0-repositories-error\""));
    assert!(html.contains(
        "roles[0].features[0].repositories[1]: \"My Repo\" is not a valid ECR repository name"
    ));
    assert!(html.contains("aria-invalid=\"true\""));
    insta::assert_snapshot!("invalid", lines(&html));
}

#[tokio::test]
async fn a_broken_link_says_so_and_shows_the_default() {
    let stored = r#"{"roles":[{"kind":"task","name":"kept"}]}"#;
    let html = render(initial_state(
        "#config=not*base64",
        Some(stored),
        Theme::System,
    ))
    .await;
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("This share link is broken"));
    assert!(html.contains("Restore my last configuration"));
    assert!(html.contains("data-format=\"cloudformation-yaml\""));
}

#[tokio::test]
async fn capacity_and_features_say_which_role_needs_what() {
    let mut s = State::default();
    s.apply(Action::SetCapacity(Some("ec2".into())));
    s.apply(Action::ToggleFeature("exec".into()));
    let html = render(s).await;
    assert!(html.contains("Roles on EC2 Instances"));
    assert!(html.contains("Add a container instance role"));
    assert!(html.contains("ECS Exec"));
    assert!(html.contains("aria-pressed=\"true\""));
    insta::assert_snapshot!("ec2-exec", lines(&html));
}

#[tokio::test]
async fn notes_that_hold_on_other_capacities_are_hidden() {
    let imds = "ECS_AWSVPC_BLOCK_IMDS";
    let mut s = State::default();
    assert!(
        render(s.clone()).await.contains(imds),
        "no capacity chosen: every note"
    );
    s.apply(Action::SetCapacity(Some("ec2".into())));
    assert!(render(s.clone()).await.contains(imds));
    s.apply(Action::SetCapacity(Some("fargate".into())));
    assert!(
        !render(s).await.contains(imds),
        "Fargate isolates credentials: no IMDS note"
    );
}

#[tokio::test]
async fn every_role_kind_and_feature_has_a_labelled_form() {
    let mut s = State {
        draft: std::rc::Rc::new(Draft::parse(r#"{"roles": []}"#).unwrap()),
        ..State::default()
    };
    for (i, k) in ecs_iam_core::catalog().role_kinds.iter().enumerate() {
        s.apply(Action::AddRole(k.id.to_string()));
        for f in ecs_iam_core::catalog()
            .features
            .iter()
            .filter(|f| f.roles.contains(&k.id))
        {
            s.apply(Action::AddFeature(i, f.id.to_string()));
        }
    }
    let html = render(s.clone()).await;
    // Every input, select and textarea has an id that a <label for> names.
    let mut unlabelled = Vec::new();
    for tag in ["<input", "<select", "<textarea"] {
        for (pos, _) in html.match_indices(tag) {
            let rest = &html[pos..];
            let end = rest.find('>').unwrap();
            let element = &rest[..end];
            if element.contains("aria-label=") {
                continue;
            }
            let Some(id) = element
                .split("id=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
            else {
                unlabelled.push(element.to_string());
                continue;
            };
            if !html.contains(&format!("for=\"{id}\"")) {
                unlabelled.push(element.to_string());
            }
        }
    }
    assert!(
        unlabelled.is_empty(),
        "unlabelled controls: {unlabelled:#?}"
    );
    for f in ecs_iam_core::catalog().features {
        assert!(
            html.contains(&format!("data-feature=\"{}\"", f.id)),
            "{}",
            f.id
        );
    }
}

#[tokio::test]
async fn ids_are_unique() {
    let s = state_of("ecs-exec-task-role", Format::Json);
    let html = render(s).await;
    let mut seen = std::collections::BTreeSet::new();
    for part in html.split(" id=\"").skip(1) {
        let id = part.split('"').next().unwrap();
        assert!(seen.insert(id.to_string()), "duplicate id {id}");
    }
}

#[tokio::test]
async fn the_widget_offers_what_its_attributes_allow() {
    use ecs_iam_app::widget::{Widget, WidgetOptions, WidgetProps};
    let config = r#"{"roles":[{"kind":"infrastructure","features":[{"id":"ebs"}]}]}"#;
    let options = WidgetOptions {
        config: Some(config.into()),
        format: Some("aws-cli".into()),
        roles: Some("infrastructure deployer".into()),
        features: Some("ebs,service-connect-tls".into()),
        tool: Some("aws-cli,json".into()),
        app: Some("https://tools.example/ecs-iam/".into()),
        ..Default::default()
    };
    let html = yew::LocalServerRenderer::<Widget>::with_props(WidgetProps {
        options: Rc::new(options),
    })
    .hydratable(false)
    .render()
    .await;
    let want = ecs_iam_core::render(
        &Config::parse(config).unwrap(),
        Format::AwsCli,
        &Default::default(),
    );
    assert_eq!(
        output_text(&html, Format::AwsCli).as_deref(),
        Some(want.as_str())
    );
    let tabs: Vec<&str> = html
        .split("data-tab=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(tabs, ["aws-cli", "json"]);
    assert!(html.contains("data-kind=\"deployer\""));
    assert!(
        !html.contains("data-kind=\"task-execution\""),
        "only the offered role kinds"
    );
    assert!(
        !html.contains("data-value=\"efs\""),
        "only the offered feature chips"
    );
    assert!(html.contains("href=\"https://tools.example/ecs-iam/#config="));
    assert!(
        !html.contains("id=\"patterns\""),
        "no gallery in the widget"
    );
}
