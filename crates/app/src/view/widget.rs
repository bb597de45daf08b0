//! The compact builder of the `<ecs-iam-builder>` widget: the same sections as the app,
//! limited by the element's attributes, without the gallery, the header or persistence; the
//! output first, the controls and the checks folded, so that it fits a documentation page.

use super::{builder, filters, insights, outputs, Ctx};
use crate::share;
use ecs_iam_core::Format;
use yew::prelude::*;

/// What a widget offers: `None` offers everything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Limits {
    /// Role kinds that may be added.
    pub roles: Option<Vec<String>>,
    /// Feature ids offered as chips and in the feature menus.
    pub features: Option<Vec<String>>,
    /// Tools (`tool` filter values) whose formats are shown.
    pub tools: Option<Vec<String>>,
    /// The full app, for the "open in the app" link (the widget only).
    pub app_url: String,
}

fn allows(list: &Option<Vec<String>>, id: &str) -> bool {
    list.as_ref().is_none_or(|l| l.iter().any(|x| x == id))
}

impl Limits {
    pub fn allows_role(&self, kind: &str) -> bool {
        allows(&self.roles, kind)
    }
    pub fn allows_feature(&self, id: &str) -> bool {
        allows(&self.features, id)
    }
    pub fn allows_tool(&self, tool: &str) -> bool {
        allows(&self.tools, tool)
    }
    pub fn allows_format(&self, f: Format) -> bool {
        self.allows_tool(f.info().tool)
    }
}

pub fn widget(ctx: &Ctx) -> Html {
    let link = format!(
        "{}#{}",
        ctx.limits.app_url.split('#').next().unwrap_or_default(),
        share::fragment(&ctx.state.draft.to_json(), ctx.state.format)
    );
    // Compact for a documentation page: the output first, the controls and the checks folded.
    let findings = ctx
        .analysis
        .valid
        .as_ref()
        .map_or(0, |v| v.diagnostics.len());
    html! {
        <div class="widget">
            { super::notice(ctx) }
            <section class="results" aria-label="Output">
                { outputs::outputs(ctx) }
            </section>
            <details class="widget-controls">
                <summary>{ "Change the roles and features" }</summary>
                { filters::filters(ctx) }
                <section class="builder" aria-label="Roles and permissions">
                    { builder::roles(ctx) }
                </section>
            </details>
            if findings > 0 {
                <details class="widget-checks">
                    <summary>{ format!("Checks ({findings})") }</summary>
                    { insights::diagnostics(ctx) }
                </details>
            }
            <p class="widget-foot">
                <a class="open-app" href={link} target="_blank" rel="noopener">{ "Open this in the ECS IAM Builder ↗" }</a>
                <span class="muted">{ " Runs in your browser; nothing leaves this page." }</span>
            </p>
        </div>
    }
}
