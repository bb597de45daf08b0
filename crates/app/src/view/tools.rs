//! "Start from what you have": a task definition or template in (import), an error message
//! explained (diagnose), existing roles compared (diff) and the test vectors of the roles
//! (vectors). The tools run in a wasm module of their own that the page loads when a panel
//! first uses one (`web::call_tool`), so the first render does not pay for them. A component
//! of its own: typing into its boxes re-renders only it.

use crate::state::{Action, State};
use crate::web;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Tool {
    Import,
    Error,
    Compare,
    Verify,
}

impl Tool {
    const ALL: [Tool; 4] = [Tool::Import, Tool::Error, Tool::Compare, Tool::Verify];

    fn id(self) -> &'static str {
        match self {
            Tool::Import => "import",
            Tool::Error => "error",
            Tool::Compare => "compare",
            Tool::Verify => "verify",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Tool::Import => "Import a task definition",
            Tool::Error => "Explain an error",
            Tool::Compare => "Compare with existing roles",
            Tool::Verify => "Verify with test vectors",
        }
    }

    fn index(self) -> usize {
        Tool::ALL
            .iter()
            .position(|t| *t == self)
            .unwrap_or_default()
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct ToolsProps {
    /// The configuration's JSON as the CLI would read it.
    pub config: Rc<str>,
    /// Whether it is valid (compare and verify need a valid one).
    pub valid: bool,
    pub dispatch: UseReducerDispatcher<State>,
}

#[component]
pub(super) fn Tools(props: &ToolsProps) -> Html {
    let tool = use_state(|| Tool::Import);
    let texts = use_state(|| [String::new(), String::new(), String::new()]);
    // What a tool answered: for which tool, and its JSON or its message.
    let answer = use_state(|| None::<(Tool, Result<Value, String>)>);
    let busy = use_state(|| false);

    let run = {
        let (tool, texts, answer, busy) =
            (tool.clone(), texts.clone(), answer.clone(), busy.clone());
        let config = props.config.clone();
        let valid = props.valid;
        Callback::from(move |_: MouseEvent| {
            let t = *tool;
            let text = texts.get(t.index()).cloned().unwrap_or_default();
            let (op, a, b) = match t {
                Tool::Import => ("importConfig", text, String::new()),
                // With the builder's configuration (when it is valid), the fix applied to it.
                Tool::Error => (
                    "diagnose",
                    text,
                    if valid {
                        config.to_string()
                    } else {
                        String::new()
                    },
                ),
                Tool::Compare => ("diff", config.to_string(), text),
                Tool::Verify => ("vectors", config.to_string(), String::new()),
            };
            if t != Tool::Verify && (if t == Tool::Compare { &b } else { &a }).trim().is_empty() {
                answer.set(Some((
                    t,
                    Err("Paste the text first, or choose a file.".into()),
                )));
                return;
            }
            busy.set(true);
            let (answer, busy) = (answer.clone(), busy.clone());
            web::call_tool(op, &a, &b, move |r| {
                busy.set(false);
                answer.set(Some((
                    t,
                    r.and_then(|json| ecs_iam_core::json::parse(&json).map_err(|e| e.message)),
                )));
            });
        })
    };
    let set_text = |i: usize| {
        let texts = texts.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let mut next = (*texts).clone();
            next[i] = value;
            texts.set(next);
        })
    };
    // What a file read (picked or dropped) does: its text fills box `i`, or its error shows.
    let file_read = |i: usize| {
        let (texts, answer) = (texts.clone(), answer.clone());
        let t = *tool;
        move |r: Result<String, String>| match r {
            Ok(text) => {
                let mut next = (*texts).clone();
                next[i] = text;
                texts.set(next);
            }
            Err(e) => answer.set(Some((t, Err(format!("Could not read the file: {e}"))))),
        }
    };
    let pick = |i: usize| {
        let done = file_read(i);
        Callback::from(move |e: Event| web::read_file(&e, done.clone()))
    };
    let drop = |i: usize| {
        let done = file_read(i);
        Callback::from(move |e: DragEvent| web::read_dropped_file(&e, done.clone()))
    };

    let t = *tool;
    let tabs = Tool::ALL.iter().map(|&x| {
        let tool = tool.clone();
        let selected = x == t;
        html! {
            <button type="button" role="tab" id={format!("tool-tab-{}", x.id())}
                aria-selected={selected.to_string()} aria-controls="tool-panel"
                class={classes!("tab", selected.then_some("selected"))}
                onclick={Callback::from(move |_: MouseEvent| tool.set(x))}>
                { x.title() }
            </button>
        }
    });
    let (label, placeholder, button) = match t {
        Tool::Import => (
            "A task definition (the register-task-definition input or the describe-task-definition output), a container definitions array, or a CloudFormation template (JSON or YAML): paste it, drop the file here, or choose it",
            "{\"family\": \"web\", \"executionRoleArn\": \"arn:aws:iam::111122223333:role/web-exec\", \"containerDefinitions\": [ ... ]}",
            "Derive the roles",
        ),
        Tool::Error => (
            "The error message, as ECS or IAM shows it (a stopped task's reason, a service event, an AccessDenied)",
            "ResourceInitializationError: unable to pull secrets or registry auth: ...",
            "Explain",
        ),
        Tool::Compare => (
            "The existing roles: aws iam get-account-authorization-details output, get-role with get-role-policy and list-attached-role-policies outputs one after another, a CloudFormation template, or a json rendering",
            "{\"RoleDetailList\": [ ... ]}",
            "Compare with this configuration",
        ),
        Tool::Verify => ("", "", "Make the test vectors"),
    };
    let disabled = *busy || (matches!(t, Tool::Compare | Tool::Verify) && !props.valid);
    let why_disabled = (matches!(t, Tool::Compare | Tool::Verify) && !props.valid)
        .then(|| html! { <p class="muted" id="tool-why">{ "The configuration has an error to fix first (see the builder)." }</p> });
    let input = (t != Tool::Verify).then(|| {
        let i = t.index();
        html! {
            <>
                <label for="tool-text">{ label }</label>
                <textarea id="tool-text" rows="8" spellcheck="false" placeholder={placeholder}
                    value={texts[i].clone()} oninput={set_text(i)}
                    ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={drop(i)} />
                if t != Tool::Error {
                    <label class="button ghost file">
                        { "Choose a file" }
                        <input type="file" accept=".json,.yaml,.yml,.template,application/json,text/yaml" class="visually-hidden"
                            aria-label="Choose a file to read" onchange={pick(i)} />
                    </label>
                }
            </>
        }
    });
    let result = match &*answer {
        Some((for_tool, r)) if *for_tool == t => match r {
            Err(message) => {
                html! { <p class="tool-error" role="alert" id="tool-result">{ message }</p> }
            }
            Ok(v) => html! {
                <div id="tool-result" aria-live="polite">
                    { match t {
                        Tool::Import => imported(v, &props.dispatch),
                        Tool::Error => diagnosis(v, &props.dispatch),
                        Tool::Compare => findings(v),
                        Tool::Verify => vectors(v),
                    } }
                </div>
            },
        },
        _ => Html::default(),
    };
    html! {
        <section class="card tools" id="tools" aria-labelledby="tools-title">
            <h2 class="section-title" id="tools-title">{ "Start from what you have" }</h2>
            <p class="muted">{ "A task definition, the roles you have, or the error a task stopped with. Read here, in this page: nothing is sent anywhere." }</p>
            <div class="tabs" role="tablist" aria-label="Tools">{ for tabs }</div>
            <div class="tool-panel" role="tabpanel" id="tool-panel" aria-labelledby={format!("tool-tab-{}", t.id())}>
                { for input }
                if t == Tool::Verify {
                    <p>{ "For every statement, the requests it must allow and the nearest ones it must deny (another account or Region, a sibling secret, the service without its confused-deputy context), decided by the same evaluator as the checks. The CLI's " }<code>{ "ecs-iam vectors" }</code>{ " writes them as a script that asks IAM's policy simulator the same." }</p>
                }
                { for why_disabled }
                <button type="button" class="primary" id="tool-run" onclick={run} disabled={disabled}>
                    { if *busy { "Working…" } else { button } }
                </button>
                { result }
            </div>
        </section>
    }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn imported(v: &Value, dispatch: &UseReducerDispatcher<State>) -> Html {
    let config = v.get("config").cloned().unwrap_or(Value::Null);
    let source = match text(v, "source").as_str() {
        "describe-task-definition" => "describe-task-definition output",
        "container-definitions" => "container definitions",
        "cloudformation" => "CloudFormation template",
        _ => "task definition",
    };
    let roles = config
        .get("roles")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let json = ecs_iam_core::json::to_string_pretty(&config);
    let use_it = {
        let d = dispatch.clone();
        let json = json.clone();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::UseDerived(
                json.clone(),
                format!("Built the roles from the {source}."),
            ));
        })
    };
    let empty = Vec::new();
    let derivations = v
        .get("derivations")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let unknowns = v
        .get("unknowns")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    html! {
        <>
            <p><strong>{ format!("From the {source}: ") }</strong>
                { roles.iter().map(|r| {
                    let features: Vec<String> = r.get("features").and_then(Value::as_array).map(|f| f.iter().map(|f| text(f, "id")).collect()).unwrap_or_default();
                    let name = r.get("name").and_then(Value::as_str).map(|n| format!(" {n}")).unwrap_or_default();
                    if features.is_empty() { format!("{}{name}", text(r, "kind")) } else { format!("{}{name} ({})", text(r, "kind"), features.join(", ")) }
                }).collect::<Vec<_>>().join("; ") }
            </p>
            <button type="button" class="primary" id="tool-use" onclick={use_it}>{ "Use this configuration" }</button>
            <span class="muted">{ " It replaces the builder's configuration; the notice offers yours back." }</span>
            if !unknowns.is_empty() {
                <h3 class="card-title">{ "What the file does not say" }</h3>
                <ul class="unknowns">
                    { for unknowns.iter().map(|u| html! {
                        <li>{ if text(u, "from").is_empty() { Html::default() } else { html! { <><code>{ text(u, "from") }</code>{ ": " }</> } } }{ text(u, "message") }</li>
                    }) }
                </ul>
            }
            <details class="derivations">
                <summary>{ format!("Where each value comes from ({})", derivations.len()) }</summary>
                <table>
                    <thead><tr><th>{ "Configuration" }</th><th>{ "From" }</th><th>{ "Why" }</th></tr></thead>
                    <tbody>
                        { for derivations.iter().map(|d| html! {
                            <tr><td><code>{ text(d, "path") }</code></td><td><code>{ text(d, "from") }</code></td><td>{ text(d, "why") }</td></tr>
                        }) }
                    </tbody>
                </table>
            </details>
            <details>
                <summary>{ "The configuration" }</summary>
                <pre class="code"><code>{ json }</code></pre>
            </details>
        </>
    }
}

fn diagnosis(v: &Value, dispatch: &UseReducerDispatcher<State>) -> Html {
    if v.get("recognised").and_then(Value::as_bool) != Some(true) {
        return html! { <p>{ "This message is not one the builder knows. It knows the ECS and IAM messages of pulling images and secrets, sending logs, assuming roles and KMS; paste the whole message, with its prefix (such as ResourceInitializationError)." }</p> };
    }
    let list = |key: &str| -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let role = match (
        v.get("roleKind").and_then(Value::as_str),
        v.get("roleName").and_then(Value::as_str),
    ) {
        (Some(k), Some(n)) => format!("{n} ({k})"),
        (Some(k), None) => k.to_string(),
        (None, Some(n)) => n.to_string(),
        (None, None) => String::new(),
    };
    let not_iam = v.get("notIam").and_then(Value::as_bool) == Some(true);
    let applied = v.get("applied").filter(|a| !a.is_null());
    let of = |a: &Value, key: &str| -> Vec<String> {
        a.get(key)
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let apply = applied.map(|a| {
        let changes = of(a, "changes");
        let notes = of(a, "notes");
        let json = ecs_iam_core::json::to_string_pretty(a.get("config").unwrap_or(&Value::Null));
        let d = dispatch.clone();
        let use_it = Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::UseDerived(json.clone(), "Applied the fix of the error.".into()));
        });
        html! {
            <div class="applied">
                if !changes.is_empty() {
                    <h3 class="card-title">{ "The fix, applied to your configuration" }</h3>
                    <ul class="changes">{ for changes.iter().map(|c| html! { <li>{ c }</li> }) }</ul>
                    <button type="button" class="primary" id="tool-apply" onclick={use_it}>{ "Apply the fix" }</button>
                    <span class="muted">{ " The notice offers your configuration back." }</span>
                }
                if !notes.is_empty() {
                    <ul class="unknowns">{ for notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                }
            </div>
        }
    });
    html! {
        <>
        <dl class="diagnosis">
            <dt>{ if not_iam { "Not IAM" } else { "Cause" } }</dt><dd>{ text(v, "cause") }</dd>
            if !role.is_empty() { <dt>{ "Role" }</dt><dd>{ role }</dd> }
            if !list("actions").is_empty() { <dt>{ "Actions" }</dt><dd><code>{ list("actions").join(", ") }</code></dd> }
            if !list("resources").is_empty() { <dt>{ "Resources" }</dt><dd><code>{ list("resources").join(", ") }</code></dd> }
            <dt>{ "Fix" }</dt><dd>{ text(v, "fix") }</dd>
            <dt>{ "Docs" }</dt><dd><a href={text(v, "docs")} target="_blank" rel="noopener noreferrer">{ text(v, "docs") }</a></dd>
        </dl>
        { for apply }
        </>
    }
}

fn findings(v: &Value) -> Html {
    let empty = Vec::new();
    let list = v
        .get("findings")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let compared = v
        .get("compared")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let notes = v.get("notes").and_then(Value::as_array).unwrap_or(&empty);
    let count = |k: &str| list.iter().filter(|f| text(f, "kind") == k).count();
    let summary = if list.is_empty() {
        format!("No difference: the {} compared roles allow what the configuration needs, and nothing more.", compared.len())
    } else {
        format!(
            "{} findings: {} missing, {} excess, {} on the wrong role, {} trust, {} from AWS managed policies, {} roles missing",
            list.len(), count("missing"), count("excess"), count("wrong-role"), count("trust"), count("managed"), count("missing-role")
        )
    };
    html! {
        <>
            <p id="tool-summary"><strong>{ summary }</strong></p>
            if !list.is_empty() {
                <table class="findings">
                    <thead><tr><th>{ "Finding" }</th><th>{ "Role" }</th><th>{ "Request" }</th><th>{ "Configuration / existing" }</th><th>{ "Why" }</th></tr></thead>
                    <tbody>
                        { for list.iter().map(|f| html! {
                            <tr data-kind={text(f, "kind")}>
                                <td>{ text(f, "kind") }</td>
                                <td>{ text(f, "role") }{ if text(f, "policy").is_empty() { Html::default() } else { html! { <><br/><span class="muted">{ text(f, "policy") }</span></> } } }</td>
                                <td><code>{ text(f, "action") }</code>{ " on " }<code class="path">{ text(f, "resource") }</code></td>
                                <td>{ format!("{} / {}", text(f, "config"), text(f, "existing")) }</td>
                                <td>{ text(f, "why") }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            { for notes.iter().map(|n| html! { <p class="muted">{ n.as_str().unwrap_or_default() }</p> }) }
        </>
    }
}

fn vectors(v: &Value) -> Html {
    let empty = Vec::new();
    let list = v.as_array().unwrap_or(&empty);
    let allow = list.iter().filter(|x| text(x, "expect") == "allow").count();
    let agree = list
        .iter()
        .filter(|x| (text(x, "expect") == "allow") == (text(x, "decision") == "allow"))
        .count();
    html! {
        <>
            <p id="tool-summary"><strong>{ format!("{} requests: {allow} must be allowed, {} must be denied; the evaluator agrees on {agree}.", list.len(), list.len() - allow) }</strong></p>
            <table class="vectors">
                <thead><tr><th>{ "Role" }</th><th>{ "Request" }</th><th>{ "Must be" }</th><th>{ "Why" }</th></tr></thead>
                <tbody>
                    { for list.iter().map(|x| html! {
                        <tr data-expect={text(x, "expect")}>
                            <td>{ text(x, "role") }<br/><span class="muted">{ format!("{} {}", text(x, "policy"), text(x, "sid")) }</span></td>
                            <td><code>{ text(x, "action") }</code>{ " on " }<code class="path">{ text(x, "resource") }</code></td>
                            <td>{ if text(x, "expect") == "allow" { "allowed" } else { "denied" } }</td>
                            <td>{ text(x, "why") }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}
