//! Renderers: pure functions from the plan to text. The same configuration gives the same
//! bytes every time, natively and in wasm (maps keep insertion order; nothing reads a clock,
//! an environment or a random source).

pub mod aws_cli;
pub mod cfn;
pub mod json;
pub mod ufo;
pub mod yaml;

use crate::config::{Config, PermissionStyle};
use crate::plan::{plan, Plan};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    CloudFormationYaml,
    CloudFormationJson,
    AwsCli,
    Json,
    Ufo,
    TaskDefinition,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Self::CloudFormationYaml,
        Self::CloudFormationJson,
        Self::AwsCli,
        Self::Json,
        Self::Ufo,
        Self::TaskDefinition,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::CloudFormationYaml => "cloudformation-yaml",
            Self::CloudFormationJson => "cloudformation-json",
            Self::AwsCli => "aws-cli",
            Self::Json => "json",
            Self::Ufo => "ufo",
            Self::TaskDefinition => "task-definition",
        }
    }

    pub fn from_id(id: &str) -> Option<Format> {
        Self::ALL.into_iter().find(|f| f.id() == id)
    }
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

pub fn render_plan(plan: &Plan, format: Format) -> String {
    match format {
        Format::CloudFormationYaml => yaml::emit(&cfn::template(plan)),
        Format::CloudFormationJson => pretty(&cfn::to_json(&cfn::template(plan))),
        Format::AwsCli => aws_cli::render(plan, false).remove(0).contents,
        Format::Json => pretty(&json::iam(plan)),
        Format::TaskDefinition => pretty(&json::task_definition(plan)),
        Format::Ufo => {
            let mut out = String::new();
            let left = ufo::left_out(plan);
            if !left.is_empty() {
                out.push_str(&format!(
                    "# UFO's DSL covers one execution role and one task role; not written: {}.\n",
                    left.join(", ")
                ));
            }
            for f in ufo::render(plan) {
                out.push_str(&format!("# ==> {} <==\n{}\n", f.path, f.contents));
            }
            out
        }
    }
}

/// Every format from one plan, as the app shows them side by side.
pub fn render_all(config: &Config, options: &Options) -> Vec<(Format, String)> {
    let plan = plan_with(config, options);
    Format::ALL
        .into_iter()
        .map(|f| (f, render_plan(&plan, f)))
        .collect()
}

/// The rendering as files, as `ecs-iam render --out DIR` writes them.
pub fn render_files(config: &Config, format: Format, options: &Options) -> Vec<OutputFile> {
    let plan = plan_with(config, options);
    let one = |path: &str, contents: String| {
        vec![OutputFile {
            path: path.into(),
            contents,
            executable: false,
        }]
    };
    match format {
        Format::CloudFormationYaml => one("template.yaml", render_plan(&plan, format)),
        Format::CloudFormationJson => one("template.json", render_plan(&plan, format)),
        Format::Json => one("iam.json", render_plan(&plan, format)),
        Format::TaskDefinition => one("task-definition.json", render_plan(&plan, format)),
        Format::AwsCli => aws_cli::render(&plan, true),
        Format::Ufo => ufo::render(&plan),
    }
}
