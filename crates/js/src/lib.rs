//! `ecs-iam-builder`: the ecs-iam engine for JavaScript. Only translation lives here: a config
//! given as a JSON string or an object becomes the core's `Config`, the core's results become
//! strings and plain objects, and input errors become `Error`s with the CLI's message.

use ecs_iam_core::{Config, Format};
use wasm_bindgen::prelude::*;

// The TypeScript types of the config, the format ids, the diagnostics and the catalogue,
// generated from the catalogue by build.rs.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!(concat!(env!("OUT_DIR"), "/types.d.ts"));

// `JSON.parse` and `JSON.stringify`, bound here rather than through js-sys: that crate's
// closure and async support would otherwise stay in the wasm (~2 KB gzipped) unused.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> JsValue;
}

fn input_error(message: String) -> JsError {
    JsError::new(&message)
}

/// The config as JSON text: strings are taken as they are, anything else goes through
/// `JSON.stringify`, so objects and strings meet the same parser and the same messages.
fn config_of(config: &JsValue) -> Result<Config, JsError> {
    let text = match config.as_string() {
        Some(s) => s,
        None => json_stringify(config)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| input_error("config: must be a JSON string or an object".into()))?,
    };
    Config::parse(&text).map_err(|e| input_error(e.to_string()))
}

fn parse_json(text: &str) -> JsValue {
    json_parse(text)
}

/// Renders a config in one format, exactly as `ecs-iam render --format FORMAT` prints it.
/// Throws an `Error` naming the field and the value when the config is invalid.
#[wasm_bindgen]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "Config | string")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FormatId")] format: &str,
) -> Result<String, JsError> {
    let format = Format::from_id(format).ok_or_else(|| {
        input_error(format!(
            "format: {} is not a format; use one of {}",
            ecs_iam_core::quote(format),
            Format::ALL.map(Format::id).join(", ")
        ))
    })?;
    let config = config_of(&config)?;
    Ok(ecs_iam_core::render(&config, format, &Default::default()))
}

/// The diagnostics of a config (size limits, wildcards, wrong role, ...), as
/// `ecs-iam check --json` prints them. Throws on an invalid config.
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "Config | string")] config: JsValue,
) -> Result<JsValue, JsError> {
    let config = config_of(&config)?;
    let diagnostics = ecs_iam_core::check(&config)
        .iter()
        .map(ecs_iam_core::Diagnostic::to_value)
        .collect();
    Ok(parse_json(&ecs_iam_core::json::to_string(
        &serde_json::Value::Array(diagnostics),
    )))
}

/// Why every role, trust policy, managed policy and statement is there, with links to the AWS
/// documentation, as `ecs-iam explain --json` prints it. Throws on an invalid config.
#[wasm_bindgen(unchecked_return_type = "Explanation[]")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "Config | string")] config: JsValue,
) -> Result<JsValue, JsError> {
    let config = config_of(&config)?;
    let listing = ecs_iam_core::json::ToJson::to_json(&ecs_iam_core::explain(&config));
    Ok(parse_json(&ecs_iam_core::json::to_string(&listing)))
}

/// Every role kind, feature, parameter and format, as `ecs-iam catalog --json` prints it.
#[wasm_bindgen(unchecked_return_type = "Catalog")]
pub fn catalog() -> JsValue {
    parse_json(&ecs_iam_core::json::to_string(&ecs_iam_core::catalog_json()))
}

// The package's wasm is single-threaded; talc is smaller than dlmalloc (see Cargo.toml).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
