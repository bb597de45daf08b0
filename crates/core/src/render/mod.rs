//! Renderers: pure functions from the plan to text. The same configuration gives the same
//! bytes every time, natively and in wasm (maps keep insertion order; nothing reads a clock,
//! an environment or a random source).

// A build with only one half of the renderers leaves parts of the shared modules unused; the
// default build, with both, is the one whose dead code the lints report.
#![cfg_attr(
    not(all(feature = "base-formats", feature = "optional-formats")),
    allow(dead_code)
)]

// One module per output format, named after its id (the format `cloudformation-yaml` is
// `cloudformation_yaml.rs`), each with `render(&Plan) -> String` and, for a multi-file format,
// `files(&Plan) -> Vec<OutputFile>`. The dispatch is generated from the catalogue by build.rs,
// so a format in the data without its module is a compile error. The optional formats'
// modules (`"optional": true`) are compiled with the `optional-formats` feature only; the
// others always (the hand-off and the gallery's filter use them), their dispatch with
// `base-formats`.
mod aws_cli;
#[cfg(feature = "optional-formats")]
mod cdk_typescript;
mod cloudformation_json;
mod cloudformation_yaml;
#[cfg(feature = "optional-formats")]
mod handoff;
mod json;
#[cfg(feature = "optional-formats")]
mod pulumi_typescript;
mod task_definition;
#[cfg(feature = "optional-formats")]
mod terraform;
mod ufo;

// Shared by the formats above: the CloudFormation template tree and its YAML emitter, and the
// TypeScript of the CDK and Pulumi formats.
mod cfn;
#[cfg(feature = "optional-formats")]
mod ts;
mod yaml;

use crate::catalog::{catalog, FormatInfo};
use crate::config::{Config, PermissionStyle};
use crate::plan::{plan, Plan};

include!(concat!(env!("OUT_DIR"), "/formats.rs"));

mod dispatch {
    include!(concat!(env!("OUT_DIR"), "/dispatch.rs"));
}

impl Format {
    /// The catalogue's entry for this format: title, tool, file name, media type, syntax.
    pub fn info(self) -> &'static FormatInfo {
        // build.rs generates the variants in the order of the catalogue's list.
        &catalog().formats[self as usize]
    }
}

/// The statements that resources' owners add to the resources' own policies, as comment lines
/// (each starting with `comment`) at the end of a format that creates roles but cannot apply
/// them; `what` is what the format is ("script", "module").
pub(crate) fn owner_comments(plan: &Plan, comment: &str, what: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if plan.owner_grants.is_empty() {
        return out;
    }
    let _ = write!(
        out,
        "\n{comment} The owners of these resources add these statements to the resources' own policies\n{comment} (this {what} cannot); a key policy that lets IAM policies grant access needs none for\n{comment} the roles of its own account:\n"
    );
    for g in &plan.owner_grants {
        let _ = writeln!(
            out,
            "{comment} account {}, {} of {}:\n{comment}   {}",
            g.account,
            g.policy,
            g.resource,
            crate::json::to_string(&g.statement)
        );
    }
    out
}

/// A file of a multi-file rendering (`ecs-iam render --out DIR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path, `/`-separated, never with `..` components.
    pub path: String,
    pub contents: String,
    pub executable: bool,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Overrides the configuration's `permissions`.
    pub permissions: Option<PermissionStyle>,
}

fn plan_with(config: &Config, options: &Options) -> Plan {
    match options.permissions {
        Some(p) => {
            let mut c = config.clone();
            c.permissions = Some(p);
            plan(&c)
        }
        None => plan(config),
    }
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = crate::json::to_string_pretty(v);
    s.push('\n');
    s
}

/// The rendering as one text, as `ecs-iam render` prints it.
pub fn render(config: &Config, format: Format, options: &Options) -> String {
    let plan = plan_with(config, options);
    render_plan(&plan, format)
}

/// The rendering of a plan; empty for a format this build does not render
/// (`Format::renders_here`).
pub fn render_plan(plan: &Plan, format: Format) -> String {
    dispatch::render_text(plan, format).unwrap_or_default()
}

/// Whether a format expresses the whole plan (UFO's DSL holds one execution and one task role,
/// a task definition fragment needs one of them).
pub fn expresses(plan: &Plan, format: Format) -> bool {
    dispatch::expresses(plan, format)
}

/// Every format from one plan, as the app shows them side by side.
pub fn render_all(config: &Config, options: &Options) -> Vec<(Format, String)> {
    let plan = plan_with(config, options);
    Format::ALL
        .into_iter()
        .map(|f| (f, render_plan(&plan, f)))
        .collect()
}

/// The rendering as files, as `ecs-iam render --out DIR` writes them (none for a format this
/// build does not render).
/// A format whose text cannot hold the statements that resources' owners add gets them in a
/// file of their own (`ownerPoliciesFile`), when there are any.
pub fn render_files(config: &Config, format: Format, options: &Options) -> Vec<OutputFile> {
    if !format.renders_here() {
        return Vec::new();
    }
    let plan = plan_with(config, options);
    let mut files = dispatch::render_many(&plan, format).unwrap_or_else(|| {
        vec![OutputFile {
            path: format.info().file_name.to_string(),
            contents: render_plan(&plan, format),
            executable: false,
        }]
    });
    if let Some(path) = owner_policies_apart(&plan, format) {
        files.push(OutputFile {
            path: path.to_string(),
            contents: pretty(&json::owner_policies(&plan)),
            executable: false,
        });
    }
    files
}

/// The file that holds the owners' statements apart from a format's text, when the format
/// cannot hold them and the plan has some.
pub fn owner_policies_apart(plan: &Plan, format: Format) -> Option<&'static str> {
    format
        .info()
        .owner_policies_file
        .filter(|_| !plan.owner_grants.is_empty())
}
