//! The pattern gallery: every seed example and more, filterable by the pattern site's
//! dimensions, each with its alternatives (the same roles in another tool).

use super::builder::capacity_label;
use crate::state::{Action, GalleryFilter, State};
use ecs_iam_core::catalog;
use ecs_iam_core::Format;
use ecs_iam_core::{gallery as patterns, Pattern};
use std::sync::OnceLock;
use yew::prelude::*;

/// What the filters match on, derived once from the pattern data.
struct Facets {
    capacities: Vec<String>,
    features: Vec<String>,
    tools: Vec<String>,
}

fn facets() -> &'static [Facets] {
    static FACETS: OnceLock<Vec<Facets>> = OnceLock::new();
    FACETS.get_or_init(|| {
        patterns()
            .patterns
            .iter()
            .map(|p| Facets {
                capacities: p.capacities(),
                features: p.features(),
                tools: p.tools(),
            })
            .collect()
    })
}

fn first_format(tool: &str) -> Option<Format> {
    Format::ALL.into_iter().find(|f| f.info().tool == tool)
}

fn label(key: &str, value: &str) -> String {
    patterns()
        .group(key)
        .and_then(|g| g.value(value))
        .map_or_else(|| value.to_string(), |v| v.label.clone())
}

#[derive(Properties, PartialEq)]
pub(crate) struct GalleryProps {
    pub filter: GalleryFilter,
    /// The app's output format: "Open" keeps it when the pattern can be shown in it.
    pub format: Format,
    pub dispatch: UseReducerDispatcher<State>,
}

fn on(d: &UseReducerDispatcher<State>, action: Action) -> Callback<MouseEvent> {
    let d = d.clone();
    Callback::from(move |_| d.dispatch(action.clone()))
}

/// A component of its own, so that typing in the builder does not re-render the gallery:
/// it changes only with its filters and the output format.
#[component]
pub(crate) fn Gallery(props: &GalleryProps) -> Html {
    let filter = &props.filter;
    let shown: Vec<(&Pattern, &Facets)> = patterns()
        .patterns
        .iter()
        .zip(facets())
        .filter(|(_, f)| {
            filter.tool.as_ref().is_none_or(|t| f.tools.contains(t))
                && filter
                    .capacity
                    .as_ref()
                    .is_none_or(|c| f.capacities.contains(c))
                && filter
                    .feature
                    .as_ref()
                    .is_none_or(|x| f.features.contains(x))
        })
        .collect();
    let rows = patterns().filters.iter().map(|group| {
        let key: &'static str = match group.key.as_str() {
            "tool" => "tool",
            "capacity" => "capacity",
            _ => "feature",
        };
        let selected = match key {
            "tool" => &filter.tool,
            "capacity" => &filter.capacity,
            _ => &filter.feature,
        };
        let select_id = format!("gallery-{key}");
        let d = props.dispatch.clone();
        let onchange = Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            d.dispatch(Action::SetGalleryFilter(key, (!v.is_empty()).then_some(v)));
        });
        html! {
            <div class="field">
                <label for={select_id.clone()}>{ &group.label }</label>
                <select id={select_id} onchange={onchange}>
                    <option value="" selected={selected.is_none()}>{ "Any" }</option>
                    { for group.values.iter().map(|v| html! {
                        <option value={v.value.clone()} selected={selected.as_deref() == Some(v.value.as_str())}>{ &v.label }</option>
                    }) }
                </select>
            </div>
        }
    });
    html! {
        <section id="patterns" class="gallery" aria-labelledby="patterns-title">
            <div class="gallery-head">
                <div>
                    <h2 id="patterns-title" class="section-title">{ "Start from a pattern" }</h2>
                    <p class="muted">{ "Every example of the AWS docs, containersonaws.com and UFO, corrected where they slip, and more. One click loads it into the builder." }</p>
                </div>
                <div class="gallery-filters">{ for rows }</div>
            </div>
            <p class="muted" aria-live="polite">{ format!("{} of {} patterns", shown.len(), patterns().patterns.len()) }</p>
            <ul class="pattern-grid">
                { for shown.iter().map(|(p, f)| pattern_card(props, p, f)) }
            </ul>
        </section>
    }
}

fn pattern_card(props: &GalleryProps, p: &Pattern, f: &Facets) -> Html {
    let preferred = props
        .filter
        .tool
        .as_deref()
        .and_then(first_format)
        .unwrap_or(props.format);
    let open_format = if f.tools.iter().any(|t| {
        catalog()
            .format(preferred.id())
            .is_some_and(|m| m.tool == t)
    }) {
        preferred
    } else {
        Format::CloudformationYaml
    };
    html! {
        <li class="card pattern" data-pattern={p.id.clone()}>
            <h3 class="card-title">{ &p.title }</h3>
            <p>{ &p.description }</p>
            <div class="chip-row small">
                { for f.capacities.iter().map(|c| html! { <span class="chip capacity static">{ capacity_label(c) }</span> }) }
                { for f.features.iter().map(|x| html! { <span class="chip feature static">{ label("feature", x) }</span> }) }
            </div>
            <p class="source muted">{ "From " }<a href={p.source.url.clone()} target="_blank" rel="noopener noreferrer">{ &p.source.title }</a></p>
            <div class="pattern-actions">
                <button type="button" class="primary" data-open={p.id.clone()}
                    onclick={on(&props.dispatch, Action::LoadPattern(p.id.clone(), Some(open_format)))}
                    aria-label={format!("Open the pattern {}", p.title)}>
                    { "Open" }
                </button>
                <span class="muted">{ "Also as:" }</span>
                { for f.tools.iter().filter_map(|t| first_format(t).map(|fmt| (t, fmt))).map(|(t, fmt)| html! {
                    <button type="button" class="link alt" data-tool={t.clone()}
                        onclick={on(&props.dispatch, Action::LoadPattern(p.id.clone(), Some(fmt)))}
                        aria-label={format!("Open {} as {}", p.title, label("tool", t))}>
                        { label("tool", t) }
                    </button>
                }) }
            </div>
        </li>
    }
}
