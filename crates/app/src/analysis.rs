//! What the core makes of the draft: the configuration it parses to, its plan, diagnostics
//! and explanations, and every input error by path. The app's one adapter to the core,
//! computed once per change of the draft (`view::use_analysis`).

use crate::draft::{split_list, Draft, Field};
use ecs_iam_core::{
    catalog, check_item, explain_plan, plan, Config, ConfigError, Diagnostic, Explanation, Format,
    ParamType, Plan,
};

/// What the core makes of a valid draft.
pub struct Valid {
    pub config: Config,
    pub plan: Plan,
    pub diagnostics: Vec<Diagnostic>,
    pub explanations: Vec<Explanation>,
}

/// Everything the views show about the draft, computed once per change.
pub struct Analysis {
    /// The configuration JSON, as the CLI would read it.
    pub json: String,
    pub valid: Option<Valid>,
    /// Every input error found: the core's first, then each list item and statements box.
    pub errors: Vec<ConfigError>,
}

impl Analysis {
    pub fn of(draft: &Draft) -> Analysis {
        let json = draft.to_json_pretty();
        let mut errors = item_errors(draft);
        let valid = match Config::parse(&json) {
            Ok(config) => {
                let plan = plan(&config);
                let diagnostics = ecs_iam_core::check_plan(&config, &plan);
                let explanations = explain_plan(&plan);
                Some(Valid {
                    config,
                    plan,
                    diagnostics,
                    explanations,
                })
            }
            Err(e) => {
                if !errors.iter().any(|x| x.path == e.path) {
                    errors.insert(
                        0,
                        ConfigError {
                            path: e.path,
                            message: e.message,
                        },
                    );
                }
                None
            }
        };
        Analysis {
            json,
            valid,
            errors,
        }
    }

    /// The rendering of one format, exactly as `ecs-iam render --format <id>` prints it.
    pub fn render(&self, format: Format) -> Option<String> {
        self.valid
            .as_ref()
            .map(|v| ecs_iam_core::render_plan(&v.plan, format))
    }

    /// Errors on a field and its items: `roles[0].features[1].repositories` matches
    /// `roles[0].features[1].repositories[2]`.
    pub fn errors_at(&self, field: &str) -> Vec<&ConfigError> {
        self.errors
            .iter()
            .filter(|e| {
                e.path == field
                    || e.path
                        .strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('['))
            })
            .collect()
    }

    /// Diagnostics about a role (its path starts with `roles[i]`).
    pub fn diagnostics_of_role(&self, i: usize) -> Vec<&Diagnostic> {
        let prefix = format!("roles[{i}]");
        self.valid
            .iter()
            .flat_map(|v| v.diagnostics.iter())
            .filter(|d| {
                d.path == prefix
                    || d.path
                        .strip_prefix(&prefix)
                        .is_some_and(|r| r.starts_with(['.', '[']))
            })
            .collect()
    }
}

/// Errors of every list item and statements box, so that several wrong names show at once
/// (the core stops at the first error of a configuration).
fn item_errors(draft: &Draft) -> Vec<ConfigError> {
    let partition = Some(draft.partition.as_str()).filter(|p| catalog().partition(p).is_some());
    let mut out = Vec::new();
    for (i, role) in draft.roles.iter().enumerate() {
        for (j, f) in role.features.iter().enumerate() {
            let Some(feature) = catalog().feature(&f.id) else {
                continue;
            };
            for (name, field) in &f.params {
                let (Some(param), Field::Text(text)) = (feature.param(name), field) else {
                    continue;
                };
                let path = format!("roles[{i}].features[{j}].{name}");
                match param.ty {
                    ParamType::List => {
                        for (k, item) in split_list(text).iter().enumerate() {
                            let at = format!("{path}[{k}]");
                            if let Err(e) = check_item(param.item, item, &at, partition) {
                                out.push(ConfigError {
                                    path: e.path,
                                    message: e.message,
                                });
                            }
                        }
                    }
                    ParamType::Statements if !text.trim().is_empty() => {
                        if let Err(e) = ecs_iam_core::json::parse(text) {
                            // `at`: where in the statements (`[0].Condition`), if anywhere.
                            let ecs_iam_core::ConfigError { path: at, message } = e.into();
                            let message = if at.is_empty() {
                                message
                            } else {
                                format!("{at}: {message}")
                            };
                            out.push(ConfigError { path, message });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}
