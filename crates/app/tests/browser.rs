//! DOM behaviour in a real browser (headless Chromium through wasm-bindgen-test): typing,
//! clicking, the URL fragment and local storage.
#![cfg(target_arch = "wasm32")]

use ecs_iam_app::state::{initial_state, Theme};
use ecs_iam_app::web::STORAGE_CONFIG;
use ecs_iam_app::{App, AppProps};
use ecs_iam_core::{Config, Format};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn mount(fragment: &str) -> Element {
    let _ = web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#{}", fragment.trim_start_matches('#'))),
        );
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let state = initial_state(fragment, None, Theme::System);
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            initial: Rc::new(state),
        },
    )
    .render();
    yew::scheduler::flush().await;
    // The role cards of a big configuration come a few per frame after the first paint.
    for _ in 0..200 {
        if root
            .query_selector("[aria-busy=\"true\"]")
            .unwrap()
            .is_none()
        {
            break;
        }
        yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(
        root.query_selector("[aria-busy=\"true\"]")
            .unwrap()
            .is_none(),
        "the role cards never finished"
    );
    root
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

async fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    input.set_value(value);
    let event = web_sys::InputEvent::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

async fn click(root: &Element, selector: &str) {
    find(root, selector)
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    yew::scheduler::flush().await;
}

fn rendered(config_json: &str, format: Format) -> String {
    ecs_iam_core::render(
        &Config::parse(config_json).unwrap(),
        format,
        &Default::default(),
    )
}

#[wasm_bindgen_test]
async fn typing_updates_the_output_the_url_and_storage() {
    let root = mount("").await;
    let code = find(&root, "code[data-format=\"cloudformation-yaml\"]");
    let draft = ecs_iam_app::state::default_draft();
    assert_eq!(
        code.text_content().unwrap(),
        rendered(&draft.to_json(), Format::CloudformationYaml)
    );

    type_into(&root, "#roles-0-name", "renamed-execution").await;
    let code = find(&root, "code[data-format=\"cloudformation-yaml\"]");
    assert!(code
        .text_content()
        .unwrap()
        .contains("RoleName: renamed-execution"));
    // The address bar follows right after the next paint; `pagehide` flushes it the same way.
    ecs_iam_app::web::flush_url();
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert!(
        hash.starts_with("#config=") && hash.ends_with("&format=cloudformation-yaml"),
        "{hash}"
    );
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(STORAGE_CONFIG)
        .unwrap()
        .unwrap();
    assert!(stored.contains("renamed-execution"), "{stored}");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_bad_value_is_shown_on_its_field_and_the_output_waits_for_a_fix() {
    let root = mount("").await;
    type_into(&root, "#account", "12345").await;
    assert!(root.query_selector(".invalid").unwrap().is_some());
    // The last valid output stays, marked stale, until the value is fixed.
    assert!(root
        .query_selector("pre.code.stale [data-format]")
        .unwrap()
        .is_some());
    let error = find(&root, "#account-error").text_content().unwrap();
    assert!(error.starts_with("\"12345\" is not"), "{error}");
    assert_eq!(
        find(&root, "#account")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );

    type_into(&root, "#account", "123456789012").await;
    assert!(root.query_selector(".invalid").unwrap().is_none());
    let code = find(&root, "code[data-format]").text_content().unwrap();
    assert!(code.contains("123456789012"));
    root.remove();
}

#[wasm_bindgen_test]
async fn tabs_switch_formats_and_feature_chips_add_features() {
    let root = mount("").await;
    click(&root, "button[data-tab=\"json\"]").await;
    assert_eq!(
        find(&root, "button[data-tab=\"json\"]")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    let json = find(&root, "code[data-format=\"json\"]")
        .text_content()
        .unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["Roles"].as_array().unwrap().len(), 2);

    click(&root, "button.chip[data-value=\"exec\"]").await;
    let task = find(&root, "article.role[data-kind=\"task\"]");
    assert!(task
        .query_selector("fieldset[data-feature=\"exec\"]")
        .unwrap()
        .is_some());
    let json = find(&root, "code[data-format=\"json\"]")
        .text_content()
        .unwrap();
    assert!(json.contains("ssmmessages:CreateControlChannel"), "{json}");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_share_link_opens_its_config_and_tab() {
    let config = r#"{"roles":[{"kind":"infrastructure","features":[{"id":"ebs"}]}]}"#;
    let root = mount(&ecs_iam_app::share::fragment(config, Format::AwsCli)).await;
    let code = find(&root, "code[data-format=\"aws-cli\"]")
        .text_content()
        .unwrap();
    assert_eq!(code, rendered(config, Format::AwsCli));
    root.remove();
}
