//! The pattern site's filters, applied to the builder: `tool` picks the output, `capacity` says
//! which roles apply, a `feature` chip adds the feature to the role that needs it. Below them,
//! which role needs what, and why.

use super::builder::capacity_label;
use super::Ctx;
use crate::state::Action;
use ecs_iam_core::catalog;
use ecs_iam_core::gallery;
use ecs_iam_core::Format;
use yew::prelude::*;

pub(crate) fn filters(ctx: &Ctx) -> Html {
    let g = gallery();
    let state = ctx.state;
    let current_tool = catalog()
        .format(state.format.id())
        .map(|f| f.tool)
        .unwrap_or_default();
    let tool = g.group("tool").expect("tool filter");
    let capacity = g.group("capacity").expect("capacity filter");
    let feature = g.group("feature").expect("feature filter");
    html! {
        <section class="filters card" aria-label="Filters">
            <div class="filter-row" role="group" aria-labelledby="filter-tool">
                <span class="filter-label" id="filter-tool">{ &tool.label }</span>
                { for tool.values.iter().filter(|v| ctx.limits.allows_tool(&v.value)).map(|v| {
                    let first = Format::ALL.into_iter().find(|f| f.info().tool == v.value);
                    let on = current_tool == v.value;
                    html! {
                        <button type="button" class={classes!("chip", "tool", on.then_some("on"))}
                            data-filter="tool" data-value={v.value.clone()} aria-pressed={on.to_string()}
                            onclick={first.map(|f| ctx.on::<MouseEvent>(Action::SetFormat(f)))}>
                            { &v.label }
                        </button>
                    }
                }) }
            </div>
            <div class="filter-row" role="group" aria-labelledby="filter-capacity">
                <span class="filter-label" id="filter-capacity">{ &capacity.label }</span>
                { for capacity.values.iter().map(|v| {
                    let on = state.capacity.as_deref() == Some(v.value.as_str());
                    let next = (!on).then(|| v.value.clone());
                    html! {
                        <button type="button" class={classes!("chip", "capacity", on.then_some("on"))}
                            data-filter="capacity" data-value={v.value.clone()} aria-pressed={on.to_string()}
                            onclick={ctx.on::<MouseEvent>(Action::SetCapacity(next))}>
                            { &v.label }
                        </button>
                    }
                }) }
            </div>
            <div class="filter-row" role="group" aria-labelledby="filter-feature">
                <span class="filter-label" id="filter-feature">{ &feature.label }</span>
                { for feature.values.iter().filter(|v| ctx.limits.allows_feature(&v.value)).map(|v| {
                    let on = state.draft.roles.iter().any(|r| r.has_feature(&v.value));
                    let summary = catalog().feature(&v.value).map(|f| f.summary).unwrap_or_default();
                    html! {
                        <button type="button" class={classes!("chip", "feature", on.then_some("on"))}
                            data-filter="feature" data-value={v.value.clone()} aria-pressed={on.to_string()}
                            title={summary}
                            onclick={ctx.on::<MouseEvent>(Action::ToggleFeature(v.value.clone()))}>
                            { &v.label }
                        </button>
                    }
                }) }
            </div>
            { guidance(ctx) }
        </section>
    }
}

/// Which role needs what, and why: the roles a capacity uses, and where each feature went.
fn guidance(ctx: &Ctx) -> Html {
    let state = ctx.state;
    let roles_for_capacity = state.capacity.as_ref().map(|c| {
        let kinds: Vec<_> = catalog()
            .role_kinds
            .iter()
            .filter(|k| k.capacities.contains(&c.as_str()))
            .collect();
        html! {
            <div class="guide">
                <h3 class="guide-title">{ format!("Roles on {}", capacity_label(c)) }</h3>
                <ul>
                    { for kinds.iter().map(|k| {
                        let present = state.draft.roles.iter().any(|r| r.kind == k.id);
                        html! {
                            <li>
                                <strong>{ &k.title }</strong>{ ": " }{ &k.summary }{ " " }
                                if present {
                                    <span class="ok">{ "✓ in your configuration" }</span>
                                } else {
                                    <button type="button" class="link" onclick={ctx.on::<MouseEvent>(Action::AddRole(k.id.to_string()))}>
                                        { format!("Add a {}", k.title.to_ascii_lowercase()) }
                                    </button>
                                }
                            </li>
                        }
                    }) }
                </ul>
            </div>
        }
    });
    let placed: Vec<Html> = state
        .draft
        .roles
        .iter()
        .flat_map(|r| {
            r.features.iter().filter_map(move |f| {
                let feature = catalog().feature(&f.id)?;
                let kind = catalog().role_kind(&r.kind)?;
                Some(html! {
                    <li>
                        <strong>{ &feature.title }</strong>{ " → " }{ &kind.title }{ " " }<code>{ r.effective_name() }</code>
                        { ": " }{ &feature.summary }
                    </li>
                })
            })
        })
        .collect();
    if roles_for_capacity.is_none() && placed.is_empty() {
        return html! {
            <p class="muted guide-empty">{ "Pick where your tasks run, and the features they use: the builder puts each permission on the role that needs it." }</p>
        };
    }
    html! {
        <div class="guides">
            { for roles_for_capacity }
            if !placed.is_empty() {
                <div class="guide">
                    <h3 class="guide-title">{ "Which role needs what" }</h3>
                    <ul>{ for placed }</ul>
                </div>
            }
        </div>
    }
}
