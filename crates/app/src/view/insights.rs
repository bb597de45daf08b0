//! Diagnostics (size limits, wildcards, wrong role, ...) and the explanation of every role,
//! managed policy and statement.

use super::builder::severity_class;
use super::Ctx;
use crate::state::Action;
use ecs_iam_core::Severity;
use yew::prelude::*;

pub(crate) fn diagnostics(ctx: &Ctx) -> Html {
    let Some(valid) = &ctx.analysis.valid else {
        return Html::default();
    };
    let diags = &valid.diagnostics;
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let summary = if diags.is_empty() {
        "No findings: within IAM's limits, scoped where a scope was possible.".to_string()
    } else {
        format!(
            "{} errors, {} warnings, {} notes",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        )
    };
    html! {
        <section class="card diagnostics" aria-labelledby="diagnostics-title">
            <h3 class="card-title" id="diagnostics-title">{ "Checks" }</h3>
            <p class="muted">{ summary }</p>
            <ul class="diag-list">
                { for diags.iter().enumerate().map(|(n, d)| {
                    // One button a statement, on its first finding.
                    let first = !diags[..n].iter().any(|e| {
                        e.code == d.code && statement_at(&e.path).is_some() && statement_at(&e.path) == statement_at(&d.path)
                    });
                    let title = d.code.info().title;
                    let sev = match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "note" };
                    html! {
                        <li class={severity_class(d.severity)} data-code={d.code.id()}>
                            <span class="sev">{ sev }</span>
                            <div>
                                <p><strong>{ title }</strong>{ " " }<code class="path">{ &d.path }</code></p>
                                <p>{ &d.message }</p>
                                { if first { move_button(ctx, d) } else { Html::default() } }
                                <a href={d.docs.clone()} target="_blank" rel="noopener noreferrer">{ "Why, in the AWS docs" }</a>
                            </div>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// Whether a note of a role kind holds for the capacity chosen (every note does when none is).
fn applies(ctx: &Ctx, kind: &str, note: &str) -> bool {
    let Some(capacity) = &ctx.state.capacity else {
        return true;
    };
    ecs_iam_core::catalog()
        .role_kind(kind)
        .and_then(|k| k.capacity_notes.iter().find(|c| c.text == note))
        .is_none_or(|c| c.capacities.contains(&capacity.as_str()))
}

/// `roles[I].features[J].statements[K].Action` as (I, J, K).
fn statement_at(path: &str) -> Option<(usize, usize, usize)> {
    let rest = path.strip_prefix("roles[")?;
    let (i, rest) = rest.split_once("].features[")?;
    let (j, rest) = rest.split_once("].statements[")?;
    let k = rest.strip_suffix("].Action")?;
    Some((i.parse().ok()?, j.parse().ok()?, k.parse().ok()?))
}

/// For a custom statement on a role whose other actions belong on another (the application's
/// calls on the execution role): a button that moves it there.
fn move_button(ctx: &Ctx, d: &ecs_iam_core::Diagnostic) -> Html {
    if d.code != ecs_iam_core::DiagnosticCode::WrongRole {
        return Html::default();
    }
    let Some((i, j, k)) = statement_at(&d.path) else {
        return Html::default();
    };
    let Some(home) = ctx
        .state
        .draft
        .roles
        .get(i)
        .and_then(|r| ecs_iam_core::catalog().role_kind(&r.kind))
        .and_then(|kind| kind.other_actions_belong_on)
    else {
        return Html::default();
    };
    let title = ecs_iam_core::catalog()
        .role_kind(home)
        .map_or(home, |k| k.title)
        .to_ascii_lowercase();
    html! {
        <button type="button" class="move-statement"
            onclick={ctx.on::<MouseEvent>(Action::MoveStatement(i, j, k, home.to_string()))}>
            { format!("Move the statement to the {title}") }
        </button>
    }
}

pub(crate) fn explanations(ctx: &Ctx) -> Html {
    let Some(valid) = &ctx.analysis.valid else {
        return Html::default();
    };
    html! {
        <section class="card explain" aria-labelledby="explain-title">
            <h3 class="card-title" id="explain-title">{ "Why each statement is there" }</h3>
            { for valid.explanations.iter().map(|e| html! {
                <details class="explain-role" open={valid.explanations.len() <= 2}>
                    <summary><strong>{ &e.name }</strong>{ " · " }<span class="muted">{ &e.title }</span></summary>
                    <p>{ &e.summary }</p>
                    if !e.notes.is_empty() {
                        <ul class="notes">{ for e.notes.iter().filter(|n| applies(ctx, &e.kind, n)).map(|n| html! { <li>{ n }</li> }) }</ul>
                    }
                    <dl>
                        { for e.trust.iter().map(|t| html! {
                            <>
                                <dt>{ "Trust policy" }{ sid(&t.sid) }</dt>
                                <dd>{ t.why.as_ref() }{ docs(&t.docs) }</dd>
                            </>
                        }) }
                        { for e.managed_policies.iter().map(|m| html! {
                            <>
                                <dt><code>{ m.arn.rsplit('/').next().unwrap_or(&m.arn) }</code></dt>
                                <dd>{ &m.why }{ docs(&m.docs) }</dd>
                            </>
                        }) }
                        { for e.policies.iter().flat_map(|p| p.statements.iter().map(move |s| html! {
                            <>
                                <dt><code>{ &p.name }</code>{ sid(&s.sid) }</dt>
                                <dd>{ s.why.as_ref() }{ docs(&s.docs) }</dd>
                            </>
                        })) }
                        { for e.owner_policies.iter().map(|o| html! {
                            <>
                                <dt>{ format!("For account {}: its {}", o.account, o.policy) }{ sid(o.statement["Sid"].as_str().unwrap_or_default()) }</dt>
                                <dd>{ &o.why }<pre class="owner-statement"><code>{ ecs_iam_core::json::to_string_pretty(&o.statement) }</code></pre></dd>
                            </>
                        }) }
                    </dl>
                </details>
            }) }
        </section>
    }
}

fn sid(sid: &str) -> Html {
    if sid.is_empty() {
        Html::default()
    } else {
        html! { <>{ " · " }<code>{ sid }</code></> }
    }
}

fn docs(links: &[ecs_iam_core::DocLink]) -> Html {
    html! {
        <>{ for links.iter().map(|d| html! {
            <>{ " " }<a href={d.url} target="_blank" rel="noopener noreferrer">{ &d.title }</a></>
        }) }</>
    }
}
