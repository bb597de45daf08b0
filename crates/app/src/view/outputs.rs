//! The output panel: one tab per format, the rendering with highlighting, copy and download.

use super::{field_id, Ctx};
use crate::state::Action;
use crate::web;
use ecs_iam_core::{Format, Options};
use yew::prelude::*;

pub(crate) fn outputs(ctx: &Ctx) -> Html {
    let current = ctx.state.format;
    let meta = current.info();
    let tabs = Format::ALL
        .into_iter()
        .filter(|f| ctx.limits.allows_format(*f))
        .map(|f| {
            let title = f.info().title;
            let selected = f == current;
            html! {
                <button type="button" role="tab" id={format!("tab-{}", f.id())} data-tab={f.id()}
                    aria-selected={selected.to_string()} aria-controls="output-panel"
                    tabindex={if selected { "0" } else { "-1" }}
                    class={classes!("tab", selected.then_some("selected"))}
                    onclick={ctx.on::<MouseEvent>(Action::SetFormat(f))}
                    onpointerenter={(!f.renders_here()).then(|| Callback::from(|_: PointerEvent| web::preload_tools()))}
                    onkeydown={tab_keys(ctx, f)}>
                    { title }
                </button>
            }
        });
    let done = ctx.state.done;
    let body = match ctx.output {
        Some(super::Output {
            note: Some(note), ..
        }) => {
            let (text, failed) = match note {
                super::Note::Loading => (format!("Loading the {} renderer…", meta.title), false),
                super::Note::Failed(e) => (e.clone(), true),
            };
            html! {
                <p class={classes!("muted", "output-note", failed.then_some("failed"))}
                    role={if failed { "alert" } else { "status" }}>{ text }</p>
            }
        }
        Some(output) => {
            let text = output.text.as_str();
            let copy = {
                let text = text.to_string();
                let d = ctx.dispatch.clone();
                Callback::from(move |_: MouseEvent| {
                    web::copy_text(&text);
                    super::flash(&d, "copy");
                })
            };
            let download = {
                let (text, name, ty) = (text.to_string(), download_name(current), meta.media_type);
                Callback::from(move |_: MouseEvent| web::download(&name, ty, text.as_bytes()))
            };
            // The bundle is zipped on click: rendering it on every keystroke would be waste.
            let bundle = ctx
                .analysis
                .valid
                .as_ref()
                .filter(|_| current.info().multi_file)
                .map(|v| {
                    let config = v.config.clone();
                    let json = ctx.analysis.json.clone();
                    let d = ctx.dispatch.clone();
                    let name = format!("ecs-iam-{}.zip", current.id());
                    let onclick = Callback::from(move |_: MouseEvent| {
                        if current.renders_here() {
                            let files =
                                ecs_iam_core::render_files(&config, current, &Options::default());
                            web::download(&name, "application/zip", &crate::bundle::zip(&files));
                            return;
                        }
                        let (name, d) = (name.clone(), d.clone());
                        web::call_tool("renderFiles", &json, current.id(), move |r| {
                            match r.and_then(|t| crate::bundle::files_of_json(&t)) {
                                Ok(files) => web::download(
                                    &name,
                                    "application/zip",
                                    &crate::bundle::zip(&files),
                                ),
                                Err(e) => d.dispatch(Action::Notify(crate::state::Notice::error(
                                    format!("Could not write the files: {e}"),
                                ))),
                            }
                        });
                    });
                    html! {
                        <button type="button" id="download-bundle" class="ghost" onclick={onclick}
                            title="The files `ecs-iam render --out DIR` writes, as one zip">
                            { "Download files (.zip)" }
                        </button>
                    }
                });
            // The request for the IAM admin, rendered on click from the same configuration
            // (by the tools module, which the page loads at the first click if the hand-off was
            // never shown).
            let request = ctx
                .analysis
                .valid
                .as_ref()
                .filter(|_| current != Format::Handoff)
                .map(|v| {
                    let config = v.config.clone();
                    let json = ctx.analysis.json.clone();
                    let d = ctx.dispatch.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        if Format::Handoff.renders_here() {
                            web::copy_text(&ecs_iam_core::render(
                                &config,
                                Format::Handoff,
                                &Options::default(),
                            ));
                            super::flash(&d, "copy-request");
                            return;
                        }
                        let d = d.clone();
                        web::call_tool("renderFormat", &json, Format::Handoff.id(), move |r| {
                            match r {
                                Ok(text) => {
                                    web::copy_text(&text);
                                    super::flash(&d, "copy-request");
                                }
                                Err(e) => d.dispatch(Action::Notify(crate::state::Notice::error(
                                    format!("Could not write the request: {e}"),
                                ))),
                            }
                        });
                    });
                    html! {
                        <button type="button" id="copy-request" class="ghost" onclick={onclick}
                            onpointerenter={(!Format::Handoff.renders_here()).then(|| Callback::from(|_: PointerEvent| web::preload_tools()))}
                            title="A Markdown request for whoever creates IAM roles: every role, policy and statement with its reason, the console steps and the AWS CLI script">
                            { if done == Some("copy-request") { "Request copied ✓" } else { "Copy as request" } }
                        </button>
                    }
                });
            let lines = text.lines().count();
            html! {
                <>
                    if output.stale { { invalid(ctx, true) } }
                    <div class="toolbar">
                        <span class="muted">{ format!("{lines} lines · {} bytes", text.len()) }</span>
                        <span class="spacer"></span>
                        <button type="button" id="copy" class="primary" onclick={copy}
                            >{ if done == Some("copy") { "Copied ✓" } else { "Copy" } }</button>
                        { for request }
                        <button type="button" id="download" class="ghost" onclick={download}>{ format!("Download {}", download_name(current)) }</button>
                        { for bundle }
                    </div>
                    <pre class={classes!("code", output.stale.then_some("stale"))} tabindex="0"
                        aria-label={format!("{} output{}", meta.title, if output.stale { ", from the last valid configuration" } else { "" })}><code data-format={current.id()}>{
                        for output.blocks.iter().map(|b| Html::from_html_unchecked(b.clone()))
                    }</code></pre>
                </>
            }
        }
        None => invalid(ctx, false),
    };
    html! {
        <div class="card output">
            <div class="tabs" role="tablist" aria-label="Output format">{ for tabs }</div>
            <div id="output-panel" role="tabpanel" aria-labelledby={format!("tab-{}", current.id())}>
                { body }
            </div>
        </div>
    }
}

/// What keeps the output from following the draft, each error a button to its field; `stale`:
/// the output below is the last valid configuration's.
fn invalid(ctx: &Ctx, stale: bool) -> Html {
    let errors = &ctx.analysis.errors;
    let lead = if stale {
        "The output below is from the last valid configuration."
    } else {
        "Fix the configuration to see the output."
    };
    html! {
        <div class={classes!("invalid", stale.then_some("stale"))} role="alert">
            <p><strong>{ lead }</strong>
                { " ecs-iam checks every value before it renders anything, as the CLI does:" }</p>
            <ul>
                { for errors.iter().map(|e| {
                    let target = field_id(&field_of(&e.path));
                    let onclick = Callback::from(move |_: MouseEvent| web::focus(&target));
                    html! { <li><button type="button" class="link" onclick={onclick}>{ e.to_string() }</button></li> }
                }) }
            </ul>
        </div>
    }
}

/// The field an error path points into: list items point at their list.
fn field_of(path: &str) -> String {
    match path.rfind('[') {
        Some(k)
            if path.ends_with(']')
                && path[k + 1..path.len() - 1].parse::<usize>().is_ok()
                && path[..k].contains('.') =>
        {
            path[..k].to_string()
        }
        _ => path.to_string(),
    }
}

fn download_name(f: Format) -> String {
    let info = f.info();
    info.download_name.unwrap_or(info.file_name).to_string()
}

/// Arrow keys move between tabs (the WAI-ARIA tabs pattern).
fn tab_keys(ctx: &Ctx, f: Format) -> Callback<KeyboardEvent> {
    let d = ctx.dispatch.clone();
    let limits = ctx.limits.clone();
    Callback::from(move |e: KeyboardEvent| {
        let shown: Vec<Format> = Format::ALL
            .into_iter()
            .filter(|x| limits.allows_format(*x))
            .collect();
        let k = shown.iter().position(|x| *x == f).unwrap_or(0);
        let n = shown.len();
        let next = match e.key().as_str() {
            "ArrowRight" => shown[(k + 1) % n],
            "ArrowLeft" => shown[(k + n - 1) % n],
            "Home" => shown[0],
            "End" => shown[n - 1],
            _ => return,
        };
        e.prevent_default();
        d.dispatch(Action::SetFormat(next));
        web::focus(&format!("tab-{}", next.id()));
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_point_at_their_field() {
        assert_eq!(
            super::field_of("roles[0].features[1].repositories[2]"),
            "roles[0].features[1].repositories"
        );
        assert_eq!(super::field_of("roles[0]"), "roles[0]");
        assert_eq!(super::field_of("region"), "region");
    }
}
