//! Diagnostics (size limits, wildcards, wrong role, ...) and the explanation of every role,
//! managed policy and statement.

use super::builder::severity_class;
use super::Ctx;
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
                { for diags.iter().map(|d| {
                    let title = d.code.info().title;
                    let sev = match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "note" };
                    html! {
                        <li class={severity_class(d.severity)} data-code={d.code.id()}>
                            <span class="sev">{ sev }</span>
                            <div>
                                <p><strong>{ title }</strong>{ " " }<code class="path">{ &d.path }</code></p>
                                <p>{ &d.message }</p>
                                <a href={d.docs.clone()} target="_blank" rel="noopener noreferrer">{ "Why, in the AWS docs" }</a>
                            </div>
                        </li>
                    }
                }) }
            </ul>
        </section>
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
                        <ul class="notes">{ for e.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
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
