//! `ecs-iam-builder/tools`: the engine's commands for what users already have, for JavaScript:
//! `importConfig` (`ecs-iam import --json`), `diff` (`ecs-iam diff --json`), `vectors`
//! (`ecs-iam vectors --json`), `diagnose` (`ecs-iam diagnose --json`) and `evaluate` (the IAM
//! evaluator). A wasm module of its own, apart from the package's main one, so that what the
//! first render needs stays small: the web app loads it when a panel first uses it. Only
//! translation lives here; inputs are text or objects, results plain objects.

use ecs_iam_core::json::ToJson;
use ecs_iam_core::{Config, Request};
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A configuration of the builder (the main module's `Config`, as a plain object). */
export type ToolsConfig = Record<string, unknown>;
export interface Derivation { path: string; from: string; why: string }
export interface Unknown { from: string; message: string }
export interface ImportResult {
  source: "task-definition" | "describe-task-definition" | "container-definitions" | "cloudformation";
  config: ToolsConfig;
  derivations: Derivation[];
  unknowns: Unknown[];
}
export interface ContextEntry { key: string; values: string[] }
export type Decision = "allow" | "explicit-deny" | "implicit-deny";
export interface Finding {
  kind: "missing" | "excess" | "wrong-role" | "trust" | "managed" | "missing-role";
  role: string; policy: string; principal: string; action: string; resource: string;
  context: ContextEntry[]; config: Decision; existing: Decision; otherRole: string | null; why: string;
}
export interface DiffRole { name: string; kind: string; existing: string | null; missing: Finding[]; excess: Finding[]; wrongRole: Finding[]; trust: Finding[]; managedPolicies: Finding[] }
export interface Diff { source: string; compared: Array<{ role: string; existing: string }>; roles: DiffRole[]; findings: Finding[]; notes: string[] }
export interface Vector {
  role: string; policy: string; sid: string; principal: string; action: string; resource: string;
  context: ContextEntry[]; expect: "allow" | "deny"; decision: Decision; why: string;
}
export interface Diagnosis {
  recognised: boolean; id: string | null; cause: string | null; notIam: boolean; roleKind: string | null;
  roleName: string | null; actions: string[]; resources: string[]; fix: string | null; docs: string | null;
  /** With a configuration: the fix applied to it (null when the message names nothing it can hold). */
  applied?: { config: ToolsConfig; changes: string[]; notes: string[] } | null;
}
/** What an ECS or IAM error message means; with a configuration, the fix applied to it (`ecs-iam diagnose --config`). */
export function diagnose(text: string, config?: ToolsConfig | string | null): Diagnosis;
export interface EvaluationRequest { principal?: string; action: string; resource: string; context?: Record<string, string | string[]> }
export interface Evaluation { decision: Decision; statements: Array<{ policy: number; statement: number }> }
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> JsValue;
}

/// Text as it is; anything else through `JSON.stringify`.
fn text_of(value: &JsValue, what: &str) -> Result<String, JsError> {
    match value.as_string() {
        Some(s) => Ok(s),
        None => json_stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| JsError::new(&format!("{what}: must be text or an object"))),
    }
}

fn out(v: &Value) -> JsValue {
    json_parse(&ecs_iam_core::json::to_string(v))
}

fn error(what: &str, e: &ecs_iam_core::ConfigError) -> JsError {
    if e.path.is_empty() {
        JsError::new(&format!("{what}: {}", e.message))
    } else {
        JsError::new(&format!("{what}: {e}"))
    }
}

fn config_of(config: &JsValue) -> Result<Config, JsError> {
    Config::parse(&text_of(config, "config")?).map_err(|e| JsError::new(&e.to_string()))
}

/// A task definition, a container definitions array or a CloudFormation template (JSON or
/// YAML) as a configuration, with where each value comes from and what the file cannot say.
#[wasm_bindgen(js_name = importConfig, unchecked_return_type = "ImportResult")]
pub fn import_config(
    #[wasm_bindgen(unchecked_param_type = "string | object")] input: JsValue,
) -> Result<JsValue, JsError> {
    let imported =
        ecs_iam_core::import(&text_of(&input, "input")?).map_err(|e| error("input", &e))?;
    Ok(out(&imported.to_json()))
}

/// Existing roles (IAM's output, a template, a json rendering) against a configuration.
#[wasm_bindgen(unchecked_return_type = "Diff")]
pub fn diff(
    #[wasm_bindgen(unchecked_param_type = "ToolsConfig | string")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | object")] against: JsValue,
) -> Result<JsValue, JsError> {
    let config = config_of(&config)?;
    let d = ecs_iam_core::diff(&config, &text_of(&against, "against")?)
        .map_err(|e| error("against", &e))?;
    Ok(out(&d.to_json()))
}

/// The requests each role must be allowed and the nearest ones it must be denied.
#[wasm_bindgen(unchecked_return_type = "Vector[]")]
pub fn vectors(
    #[wasm_bindgen(unchecked_param_type = "ToolsConfig | string")] config: JsValue,
) -> Result<JsValue, JsError> {
    let config = config_of(&config)?;
    let plan = ecs_iam_core::plan(&config);
    Ok(out(&ecs_iam_core::vectors(&plan).to_json()))
}

/// What an ECS or IAM error message means; with a configuration, the fix applied to it
/// (`ecs-iam diagnose --config`).
/// (Its signature is in the types above: wasm-bindgen cannot write an optional parameter of a
/// type of our own.)
#[wasm_bindgen(skip_typescript)]
pub fn diagnose(text: &str, config: Option<JsValue>) -> Result<JsValue, JsError> {
    let d = ecs_iam_core::diagnose(text);
    let mut v = d.to_json();
    if let Some(config) = config.filter(|c| !c.is_null() && !c.is_undefined()) {
        let config = config_of(&config)?;
        let applied = ecs_iam_core::fix(&config, &d).map_or(Value::Null, |f| f.to_json());
        if let Value::Object(m) = &mut v {
            m.insert("applied".into(), applied);
        }
    }
    Ok(out(&v))
}

/// Evaluates a request against identity policies and an optional resource or trust policy.
#[wasm_bindgen(unchecked_return_type = "Evaluation")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "object[]")] policies: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EvaluationRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "object | null | undefined")] resource_policy: JsValue,
) -> Result<JsValue, JsError> {
    let read = |v: &JsValue, what: &str| -> Result<Value, JsError> {
        ecs_iam_core::json::parse(&text_of(v, what)?)
            .map_err(|e| JsError::new(&format!("{what}: {}", e.message)))
    };
    let Value::Array(policies) = read(&policies, "policies")? else {
        return Err(JsError::new(
            "policies: must be an array of policy documents",
        ));
    };
    let resource_policy = if resource_policy.is_null() || resource_policy.is_undefined() {
        None
    } else {
        Some(read(&resource_policy, "resourcePolicy")?)
    };
    let r = read(&request, "request")?;
    let field = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
    let (Some(action), Some(resource)) = (field("action"), field("resource")) else {
        return Err(JsError::new("request: needs action and resource"));
    };
    let mut context = Vec::new();
    if let Some(Value::Object(m)) = r.get("context") {
        for (k, v) in m {
            let values = match v {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                _ => {
                    return Err(JsError::new(&format!(
                        "request.context.{k}: must be text or a list of text"
                    )))
                }
            };
            context.push((k.clone(), values));
        }
    }
    let request = Request {
        principal: field("principal").unwrap_or_default(),
        action,
        resource,
        context,
    };
    let refs: Vec<&Value> = policies.iter().collect();
    let e = ecs_iam_core::evaluate(&refs, resource_policy.as_ref(), &request);
    let statements: Vec<Value> = e
        .statements
        .iter()
        .map(|(p, s)| {
            ecs_iam_core::json::obj(vec![("policy", (*p).into()), ("statement", (*s).into())])
        })
        .collect();
    Ok(out(&ecs_iam_core::json::obj(vec![
        ("decision", e.decision.id().into()),
        ("statements", Value::Array(statements)),
    ])))
}

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// An optional format (`"optional": true` in the catalogue): the others are the main module's.
fn format_of(id: &str) -> Result<ecs_iam_core::Format, JsError> {
    match ecs_iam_core::Format::from_id(id) {
        Some(f) if f.info().optional => Ok(f),
        Some(_) => Err(JsError::new(&format!(
            "format: `{id}` is rendered by the main module (`render`)"
        ))),
        None => Err(JsError::new(&format!("format: no format `{id}`"))),
    }
}

/// An optional format's rendering (Terraform, CDK, Pulumi, the hand-off, UFO, the task
/// definition fragment), as the main module's `render` gives it: the web app's first download
/// leaves these renderers out and renders them here.
#[wasm_bindgen(js_name = renderFormat)]
pub fn render_format(
    #[wasm_bindgen(unchecked_param_type = "ToolsConfig | string")] config: JsValue,
    format: &str,
) -> Result<String, JsError> {
    let format = format_of(format)?;
    Ok(ecs_iam_core::render(
        &config_of(&config)?,
        format,
        &ecs_iam_core::Options::default(),
    ))
}

/// The files `ecs-iam render --out DIR` writes for a format, as `[{path, contents, executable}]`.
#[wasm_bindgen(js_name = renderFiles, unchecked_return_type = "Array<{ path: string; contents: string; executable: boolean }>")]
pub fn render_files(
    #[wasm_bindgen(unchecked_param_type = "ToolsConfig | string")] config: JsValue,
    format: &str,
) -> Result<JsValue, JsError> {
    let format = format_of(format)?;
    let config = config_of(&config)?;
    let files = ecs_iam_core::render_files(&config, format, &ecs_iam_core::Options::default());
    let list = files
        .into_iter()
        .map(|f| {
            let mut m = serde_json::Map::new();
            m.insert("path".into(), Value::String(f.path));
            m.insert("contents".into(), Value::String(f.contents));
            m.insert("executable".into(), Value::Bool(f.executable));
            Value::Object(m)
        })
        .collect();
    Ok(out(&Value::Array(list)))
}
