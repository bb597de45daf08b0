//! The views. `App` owns the state (a reducer); the sections are plain functions of a `Ctx`,
//! so a keystroke re-renders from one place and nothing holds a second copy of the state.

mod builder;
mod filters;
mod gallery;
mod insights;
mod outputs;
mod tools;
mod widget;

pub use widget::{widget as widget_view, Limits};

use crate::analysis::Analysis;
use crate::state::{Action, NoticeKind, State};
use crate::web;
use std::rc::Rc;
use yew::prelude::*;

/// What every section reads: the state, what the core made of it, and the way to change it.
pub struct Ctx<'a> {
    pub state: &'a State,
    pub analysis: &'a Analysis,
    /// The rendering of the shown format (`None` while the configuration is invalid).
    pub output: Option<&'a Output>,
    pub dispatch: &'a UseReducerDispatcher<State>,
    /// What the page offers (everything, in the app; a widget's attributes may limit it).
    pub limits: &'a Limits,
    /// How many role cards are built so far (`ALL_ROLES` once every one is).
    pub shown_roles: usize,
}

/// `Ctx::shown_roles` when every role card is built.
pub const ALL_ROLES: usize = usize::MAX;
/// Role cards built by the first render, and by each task after it: a share link of many roles
/// shows its output without waiting for every card's form (nor the explanations, which come in
/// the next frame, nor the tools and the gallery, which come with the last cards), and no task
/// builds them all.
const FIRST_ROLES: usize = 2;
const ROLES_PER_TASK: usize = 4;

impl Ctx<'_> {
    /// Whether this is the first state's first render, which builds only what the first
    /// output needs (`FIRST_ROLES` role cards, no explanations, tools or gallery).
    pub fn first_frame(&self) -> bool {
        self.shown_roles == FIRST_ROLES
    }

    /// A callback that dispatches a fixed action.
    pub fn on<E>(&self, action: Action) -> Callback<E> {
        let d = self.dispatch.clone();
        Callback::from(move |_| d.dispatch(action.clone()))
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The first state (from the share link, local storage or the default).
    pub initial: Rc<State>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || (*initial).clone());
    let dispatch = state.dispatcher();
    let (analysis, output) = use_analysis(&state);

    // The configuration lives in the URL and in local storage; the theme on <html>. The
    // effects hold the reducer's handle (a reference count), not a copy of the state: only the
    // dependencies are copied on a render, once.
    {
        let s = state.clone();
        #[cfg(target_arch = "wasm32")]
        let d = dispatch.clone();
        use_effect_with(
            (
                state.draft.clone(),
                state.format,
                state.persist,
                state.settings(),
            ),
            move |_| {
                web::persist(&s);
                // A share link pasted into this tab's address bar opens; an in-page link
                // (#patterns, #main) only scrolls, and the URL gets the share link back (there
                // is no address bar natively).
                #[cfg(target_arch = "wasm32")]
                let listener = hashchange(d, s);
                move || {
                    #[cfg(target_arch = "wasm32")]
                    drop(listener);
                }
            },
        );
    }
    {
        let s = state.clone();
        use_effect_with((state.history.version, state.persist), move |_| {
            web::persist_history(&s);
        });
    }
    use_effect_with(state.theme, |t| web::apply_theme(*t));
    // The question takes the focus, on its safe choice; when it goes, focus returns to the page.
    use_effect_with(state.confirm.is_some(), |open| {
        if *open {
            web::focus("confirm-cancel");
        }
    });

    // The role cards of the first state come a few at a time, one batch per frame after the
    // first paint; any later state (a pattern, an import, an edit) has them all at once.
    let shown_roles = use_state(|| {
        if cfg!(target_arch = "wasm32") {
            FIRST_ROLES
        } else {
            ALL_ROLES
        }
    });
    {
        let handle = shown_roles.clone();
        let total = state.draft.roles.len();
        use_effect_with(*shown_roles, move |&shown| {
            if shown != ALL_ROLES {
                let next = shown + ROLES_PER_TASK;
                web::after_paint(move || handle.set(if next >= total { ALL_ROLES } else { next }));
            }
        });
    }

    let limits = Limits::default();
    let ctx = Ctx {
        state: &state,
        analysis: &analysis,
        output: output.as_ref().as_ref(),
        dispatch: &dispatch,
        limits: &limits,
        shown_roles: *shown_roles,
    };
    html! {
        <>
            { header(&ctx) }
            { notice(&ctx) }
            { confirm(&ctx) }
            <main id="main">
                { filters::filters(&ctx) }
                <div class="workspace">
                    <section class="builder" aria-labelledby="builder-title"
                        aria-busy={(ctx.shown_roles != ALL_ROLES).then_some("true")}>
                        <div class="section-head">
                            <h2 id="builder-title" class="section-title">{ "Roles and permissions" }</h2>
                            // In one column the output is far below the forms.
                            <button type="button" class="link jump" onclick={Callback::from(|_: MouseEvent| web::focus("results-title"))}>
                                { "Jump to the output ↓" }
                            </button>
                        </div>
                        { builder::settings(&ctx) }
                        { builder::roles(&ctx) }
                    </section>
                    <section class="results" aria-labelledby="results-title">
                        <h2 id="results-title" class="section-title" tabindex="-1">{ "Output" }</h2>
                        { outputs::outputs(&ctx) }
                        { insights::diagnostics(&ctx) }
                        // Every statement's explanation, from the first frame after the output.
                        if !ctx.first_frame() {
                            { insights::explanations(&ctx) }
                        }
                    </section>
                </div>
                // Below the fold: built with the last role cards, after the first output.
                if ctx.shown_roles == ALL_ROLES {
                    <tools::Tools config={Rc::<str>::from(analysis.json.as_str())} valid={analysis.valid.is_some()} dispatch={dispatch.clone()} />
                    <gallery::Gallery filter={state.gallery.clone()} format={state.format} dispatch={dispatch.clone()} />
                }
            </main>
            <footer class="footer">
                <p>
                    { "ecs-iam runs entirely in your browser: nothing you type leaves this page. The same engine is the " }
                    <code>{ "ecs-iam" }</code>{ " command-line tool, whose " }<code>{ "render" }</code>
                    { " prints exactly what the output panel shows. Version " }{ env!("CARGO_PKG_VERSION") }{ "." }
                </p>
            </footer>
        </>
    }
}

/// The rendering of the shown format, and its highlighted HTML in blocks of lines.
pub struct Output {
    pub text: String,
    /// `highlight::html_blocks` of the text: the page inserts each as it is, and an edit
    /// replaces only the blocks whose HTML changed (Yew compares raw HTML by its text).
    pub blocks: Vec<AttrValue>,
    /// Rendered from the last valid configuration while the draft has an error: shown, marked
    /// stale, with Copy and Download still there, instead of a blank panel.
    pub stale: bool,
    /// Instead of a text: why there is none yet (an optional format's renderer is loading) or
    /// why it could not load.
    pub note: Option<Note>,
}

/// Why the output panel has no text to show yet.
#[derive(Clone, PartialEq)]
pub enum Note {
    Loading,
    Failed(String),
}

/// Where the renderer of the shown format stands: in the first download, or in the tools
/// module (an optional format), which is loaded when such a format is first shown.
#[derive(Clone, PartialEq)]
enum Tools {
    NotNeeded,
    Loaded,
    Failed(String),
}

/// The text of `format` from `source`: the core's renderer of this module, or, for an optional
/// format, the tools module's once it is loaded (`Err(None)` until then, `Err(Some(message))`
/// when it cannot load), with `loaded` told when it is.
fn render_text(
    source: &Analysis,
    format: ecs_iam_core::Format,
    tools: &Tools,
    loaded: impl FnOnce(Tools) + 'static,
) -> Option<Result<String, Option<String>>> {
    if format.renders_here() {
        return source.render(format).map(Ok);
    }
    source.valid.as_ref()?;
    if let Tools::Failed(e) = tools {
        return Some(Err(Some(e.clone())));
    }
    // The bridge answers before it returns once the module is loaded; until then, the answer
    // comes later and only says that the module is there (the memo then asks again).
    let now = Rc::new(std::cell::RefCell::new(None));
    let returned = Rc::new(std::cell::Cell::new(false));
    {
        let (now, returned) = (now.clone(), returned.clone());
        web::call_tool("renderFormat", &source.json, format.id(), move |r| {
            if returned.get() {
                loaded(match r {
                    Ok(_) => Tools::Loaded,
                    Err(e) => Tools::Failed(e),
                });
            } else {
                *now.borrow_mut() = Some(r);
            }
        });
    }
    returned.set(true);
    let answer = now.borrow_mut().take();
    Some(answer.map_or(Err(None), |r| r.map_err(Some)))
}

/// What the core makes of the draft (once per change of the draft) and the rendering of the
/// shown format (once per change of either).
#[hook]
pub fn use_analysis(state: &State) -> (Rc<Analysis>, Rc<Option<Output>>) {
    let analysis = use_memo(state.draft.clone(), |d| Analysis::of(d));
    // The last valid analysis and a number that changes with it: while the draft has an error,
    // the output is rendered from it (once per format, not per keystroke).
    let last = use_mut_ref(|| (0u64, None::<Rc<Analysis>>));
    let (generation, source, stale) = {
        let mut last = last.borrow_mut();
        if analysis.valid.is_some() && !last.1.as_ref().is_some_and(|a| Rc::ptr_eq(a, &analysis)) {
            *last = (last.0 + 1, Some(analysis.clone()));
        }
        match (&analysis.valid, &last.1) {
            (None, Some(valid)) => (last.0, valid.clone(), true),
            _ => (last.0, analysis.clone(), false),
        }
    };
    let tools = use_state_eq(|| Tools::NotNeeded);
    // The shown text before this edit, to flash the lines the edit changed (not on a new tab,
    // nor for a change that replaces most of it).
    let previous = use_mut_ref(|| None::<(ecs_iam_core::Format, String)>);
    let deps = (generation, stale, state.format, (*tools).clone());
    let output = use_memo(deps, move |(_, stale, f, t)| {
        let setter = tools.setter();
        let text = match render_text(&source, *f, t, move |t| setter.set(t))? {
            Ok(text) => text,
            Err(why) => {
                return Some(Output {
                    text: String::new(),
                    blocks: Vec::new(),
                    stale: *stale,
                    note: Some(why.map_or(Note::Loading, Note::Failed)),
                })
            }
        };
        let mut previous = previous.borrow_mut();
        let changed = match previous.as_ref() {
            Some((pf, old)) if pf == f && !*stale => {
                let r = crate::highlight::changed_lines(old, &text);
                if r.len() <= 60 {
                    r
                } else {
                    0..0
                }
            }
            _ => 0..0,
        };
        *previous = Some((*f, text.clone()));
        Some(Output {
            blocks: crate::highlight::html_blocks_marked(&text, *f, changed)
                .into_iter()
                .map(AttrValue::from)
                .collect(),
            text,
            stale: *stale,
            note: None,
        })
    });
    (analysis, output)
}

#[cfg(target_arch = "wasm32")]
fn hashchange(
    d: UseReducerDispatcher<State>,
    current: UseReducerHandle<State>,
) -> Option<gloo::events::EventListener> {
    let window = web_sys::window()?;
    Some(gloo::events::EventListener::new(
        &window,
        "hashchange",
        move |_| {
            let fragment = web::fragment();
            match crate::share::parse_fragment(&fragment) {
                Ok(None) => web::persist(&current),
                _ => d.dispatch(Action::OpenLink(fragment)),
            }
        },
    ))
}

fn header(ctx: &Ctx) -> Html {
    let state = ctx.state;
    let share = {
        // Encoded on click, not on every keystroke.
        let (draft, format, settings) = (state.draft.clone(), state.format, state.settings());
        let d = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let fragment = crate::share::fragment_with(&draft.to_json(), format, &settings);
            web::copy_text(&web::share_url(&fragment));
            flash(&d, "share");
        })
    };
    let export = {
        let json = ctx.analysis.json.clone();
        Callback::from(move |_: MouseEvent| {
            web::download("ecs-iam.json", "application/json", json.as_bytes());
        })
    };
    let import = {
        let d = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let d = d.clone();
            web::read_file(&e, move |r| match r {
                Ok(text) => d.dispatch(Action::Import(text)),
                Err(e) => d.dispatch(Action::Notify(crate::state::Notice::error(format!(
                    "Could not read the file: {e}"
                )))),
            });
        })
    };
    let theme = {
        let d = ctx.dispatch.clone();
        let t = state.theme;
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::SetTheme(t.toggled(web::system_dark())));
        })
    };
    let theme_label = match state.theme {
        crate::state::Theme::System => "Theme: as the system (switch to light or dark)",
        crate::state::Theme::Light => "Theme: light (switch)",
        crate::state::Theme::Dark => "Theme: dark (switch)",
    };
    html! {
        <header class="topbar">
            <a class="skip" href="#main">{ "Skip to the builder" }</a>
            <div class="brand">
                <span class="logo" aria-hidden="true">{ "⬡" }</span>
                <div>
                    <h1>{ "ECS IAM Builder" }</h1>
                    <p class="tagline">{ "Least-privilege IAM roles for Amazon ECS, explained statement by statement" }</p>
                </div>
            </div>
            <nav class="actions" aria-label="Configuration">
                <a class="button ghost" href="#patterns">{ "Patterns" }</a>
                <a class="button ghost" href="#tools" title="Import a task definition, explain an error, compare existing roles">{ "From a task definition" }</a>
                <button type="button" id="undo" class="ghost" onclick={ctx.on::<MouseEvent>(Action::Undo)}
                    disabled={state.history.past.is_empty()}
                    title={match state.history.past.len() {
                        0 => "Nothing to undo yet".to_string(),
                        n => format!("Undo the last change ({n} kept, also across a reload)"),
                    }}>{ "Undo" }</button>
                <button type="button" id="redo" class="ghost" onclick={ctx.on::<MouseEvent>(Action::Redo)}
                    disabled={state.history.future.is_empty()}
                    title={if state.history.future.is_empty() { "Nothing to redo" } else { "Redo the change undone" }}>{ "Redo" }</button>
                <button type="button" class="ghost" onclick={ctx.on::<MouseEvent>(Action::Clear)}>{ "New" }</button>
                <label class="button ghost file">
                    { "Import" }
                    <input type="file" accept="application/json,.json" class="visually-hidden"
                        aria-label="Import a configuration JSON file" onchange={import} />
                </label>
                <button type="button" class="ghost" onclick={export}
                    title="Download the configuration file the ecs-iam CLI reads">{ "Export" }</button>
                <button type="button" id="share" class="primary" onclick={share}
                    title="The link holds the whole configuration; nothing is stored anywhere else">
                    { if state.done == Some("share") { "Link copied ✓" } else { "Copy share link" } }
                </button>
                <button type="button" id="theme" class="icon" onclick={theme}
                    aria-label={theme_label} title={theme_label}>
                    <span aria-hidden="true">{ "◐" }</span>
                </button>
            </nav>
        </header>
    }
}

/// Marks the button `id` as done ("Copied ✓") for two seconds.
pub(crate) fn flash(d: &UseReducerDispatcher<State>, id: &'static str) {
    d.dispatch(Action::Done(id));
    let d = d.clone();
    web::after(2000, move || d.dispatch(Action::Undone(id)));
}

/// Asks before an action replaces a configuration the user changed: a dialog over the page
/// (it moves nothing), with the keyboard focus on its safe choice.
fn confirm(ctx: &Ctx) -> Html {
    let Some(action) = &ctx.state.confirm else {
        return Html::default();
    };
    let what = match action.as_ref() {
        Action::LoadPattern(id, _) => format!(
            "Open the pattern “{}”",
            ecs_iam_core::gallery()
                .pattern(id)
                .map_or(id.as_str(), |p| p.title.as_str())
        ),
        Action::Import(_) => "Import the file".to_string(),
        Action::Clear => "Start a new, empty configuration".to_string(),
        _ => "Go back to the default configuration".to_string(),
    };
    let cancel_on_escape = {
        let d = ctx.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                d.dispatch(Action::CancelConfirm);
            }
        })
    };
    html! {
        <div class="confirm-backdrop" onkeydown={cancel_on_escape}>
            <div class="confirm card" role="alertdialog" aria-modal="true"
                aria-labelledby="confirm-title" aria-describedby="confirm-text">
                <h2 id="confirm-title" class="card-title">{ format!("{what}?") }</h2>
                <p id="confirm-text">{ "It replaces the configuration you changed. Undo brings yours back, also after a reload." }</p>
                <div class="confirm-actions">
                    <button type="button" id="confirm-cancel" class="ghost"
                        onclick={ctx.on::<MouseEvent>(Action::CancelConfirm)}>{ "Keep editing" }</button>
                    <button type="button" id="confirm-replace" class="primary"
                        onclick={ctx.on::<MouseEvent>(Action::Confirm)}>{ "Replace" }</button>
                </div>
            </div>
        </div>
    }
}

pub(crate) fn notice(ctx: &Ctx) -> Html {
    let Some(n) = &ctx.state.notice else {
        return html! { <div class="notice-slot" aria-live="polite"></div> };
    };
    let (class, role) = match n.kind {
        NoticeKind::Info => ("notice info", "status"),
        NoticeKind::Error => ("notice error", "alert"),
    };
    let restore = n.restore.clone().map(|json| {
        let d = ctx.dispatch.clone();
        html! {
            <button type="button" class="ghost" onclick={Callback::from(move |_: MouseEvent| d.dispatch(Action::Restore(json.clone())))}>
                { "Restore my last configuration" }
            </button>
        }
    });
    html! {
        <div class="notice-slot" aria-live="polite">
            <div class={class} role={role} id="notice">
                <p>{ &n.text }</p>
                { for restore }
                <button type="button" class="icon" aria-label="Dismiss" onclick={ctx.on::<MouseEvent>(Action::DismissNotice)}>{ "×" }</button>
            </div>
        </div>
    }
}

/// An element id for a configuration path: `roles[0].features[1].repositories` becomes
/// `roles-0-features-1-repositories`.
pub fn field_id(path: &str) -> String {
    path.chars()
        .filter_map(|c| match c {
            '[' | '.' => Some('-'),
            ']' => None,
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => Some('_'),
        })
        .collect()
}

/// `logGroups` as a label: "Log groups".
pub fn humanize(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
        } else if i == 0 {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out.replace("kms", "KMS")
        .replace("Kms", "KMS")
        .replace(" vpce", " VPC endpoint")
        .replace(" vpc", " VPC")
        .replace("s3", "S3")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_labels() {
        assert_eq!(
            field_id("roles[0].features[1].repositories"),
            "roles-0-features-1-repositories"
        );
        assert_eq!(humanize("logGroups"), "Log groups");
        assert_eq!(humanize("kmsKeys"), "KMS keys");
        assert_eq!(humanize("sourceVpce"), "Source VPC endpoint");
        assert_eq!(humanize("s3Bucket"), "S3 bucket");
    }
}
