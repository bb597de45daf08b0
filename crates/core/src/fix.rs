//! A diagnosis applied to a configuration (`ecs-iam diagnose --config`): each action and
//! resource the error names is given to the role at fault through the feature of the catalogue
//! whose statement grants that action on that parameter (a secret to `secrets-manager`'s
//! `secrets`, a log group to `logs`, a repository to `ecr-pull`), or, when no feature grants it,
//! as a custom statement of exactly that action and resource. A request the configuration
//! already allows (asked of the evaluator, with the message's account and Region) is not added
//! again: the role AWS used is then not the configuration's. A role the message needs and the
//! configuration lacks (no execution role) is added. Every step is checked by the
//! configuration's own parser, so the result is always a configuration the builder accepts.

use crate::catalog::{catalog, Feature, ParamType, ResourceTemplate, StatementTemplate};
use crate::config::Config;
use crate::diagnose::Diagnosis;
use crate::evaluate::{evaluate, Decision, Request};
use crate::json::{obj, ToJson};
use crate::plan::plan;
use crate::vectors::role_policies;
use serde_json::{Map, Value};

/// What applying a diagnosis changed.
#[derive(Debug, Clone)]
pub struct Fix {
    /// The configuration with the change, in its canonical JSON.
    pub config: Value,
    /// Each change, as a sentence naming its path.
    pub changes: Vec<String>,
    /// What could not be applied, and what to do instead.
    pub notes: Vec<String>,
}

impl ToJson for Fix {
    fn to_json(&self) -> Value {
        obj(vec![
            ("config", self.config.clone()),
            ("changes", self.changes.to_json()),
            ("notes", self.notes.to_json()),
        ])
    }
}

/// The name of the custom policy that holds what no feature grants.
const CUSTOM_NAME: &str = "from-error";

/// Applies a diagnosis to a configuration. `None` when the diagnosis names nothing the
/// configuration can take (a network timeout, a message that names no action).
pub fn fix(config: &Config, d: &Diagnosis) -> Option<Fix> {
    if !d.recognised() || d.pattern.is_some_and(|p| p.not_iam) {
        return None;
    }
    let cat = catalog();
    let mut value = config.to_value();
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    let roles = |v: &Value| v["roles"].as_array().cloned().unwrap_or_default();
    // What the configuration allows now, where the message happened: its open partition,
    // Region and account taken from the message's resources.
    let mut scoped = config.clone();
    for arn in &d.resources {
        if let Some([partition, _, region, account, _]) = crate::import::arn_parts(arn) {
            if scoped.partition.is_none() && cat.partition(partition).is_some() {
                scoped.partition = Some(partition.into());
            }
            if scoped.region.is_none() && crate::validate::region(region, Some(partition)).is_ok() {
                scoped.region = Some(region.into());
            }
            if scoped.account.is_none() && crate::validate::account(account).is_ok() {
                scoped.account = Some(account.into());
            }
        }
    }
    let now = plan(&scoped);
    // The role at fault: the one the message names, else the first of the kind at fault.
    let named = d.role_name.as_deref().and_then(|n| {
        now.roles
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(n))
            .map(|r| r.index)
    });
    let kind = named
        .and_then(|i| roles(&value)[i]["kind"].as_str().map(String::from))
        .or_else(|| d.role_kind.map(String::from));
    let Some(kind) = kind else {
        notes.push("the message names no role that the configuration has, nor the kind of role at fault: apply the fix by hand".into());
        return Some(Fix {
            config: value,
            changes,
            notes,
        });
    };
    let role = match named.or_else(|| {
        roles(&value)
            .iter()
            .position(|r| r["kind"].as_str() == Some(kind.as_str()))
    }) {
        Some(i) => i,
        None => {
            let title = cat.role_kind(&kind).map_or(kind.as_str(), |k| k.title);
            let mut r = Map::new();
            r.insert("kind".into(), kind.as_str().into());
            if let Some(n) = &d.role_name {
                r.insert("name".into(), n.as_str().into());
            }
            r.insert("features".into(), Value::Array(Vec::new()));
            let mut next = value.clone();
            push(&mut next["roles"], Value::Object(r));
            if Config::from_value(&next).is_err() {
                notes.push(format!(
                    "the configuration has no {title}, and one cannot be added as the message names it: add it by hand"
                ));
                return Some(Fix {
                    config: value,
                    changes,
                    notes,
                });
            }
            value = next;
            let i = roles(&value).len() - 1;
            changes.push(format!("roles[{i}]: added the {title} the message needs"));
            i
        }
    };
    let pairs: Vec<(&str, Option<&str>)> = if d.resources.is_empty() {
        d.actions.iter().map(|a| (a.as_str(), None)).collect()
    } else {
        d.actions
            .iter()
            .flat_map(|a| {
                d.resources
                    .iter()
                    .map(move |r| (a.as_str(), Some(r.as_str())))
            })
            .collect()
    };
    for (action, resource) in pairs {
        let Some(resource) = resource else {
            notes.push(format!(
                "the message names {action} without its resource: add the resource to the feature of roles[{role}] that grants it"
            ));
            continue;
        };
        if allows(&now, role, action, resource) {
            notes.push(format!(
                "roles[{role}] already allows {action} on {}: the role AWS used is not this configuration's rendering (deploy it, or check the role's name in the task definition)",
                crate::json::quote(resource)
            ));
            continue;
        }
        // A change counts when the configuration's parser accepts it and the evaluator then
        // allows the request that failed.
        let works = |v: &Value| {
            Config::from_value(v).is_ok_and(|mut c| {
                c.partition = c.partition.or(scoped.partition.clone());
                c.region = c.region.or(scoped.region.clone());
                c.account = c.account.or(scoped.account.clone());
                allows(&plan(&c), role, action, resource)
            })
        };
        match grant(&value, role, action, resource, &works) {
            Some(Grant::Already(at)) => notes.push(format!(
                "{at} already holds {}: the configuration allows {action} on it; the role AWS used differs from it (deploy the configuration's rendering)",
                crate::json::quote(resource)
            )),
            Some(Grant::Added(next, at, added, what)) => {
                value = next;
                let on = if added == resource {
                    String::new()
                } else {
                    format!(" on {}", crate::json::quote(resource))
                };
                changes.push(format!("{at}: {what}, which allows {action}{on}"));
            }
            None => notes.push(format!(
                "{action} on {} cannot be given to roles[{role}]: no feature grants it there and a custom statement of it is refused; apply the fix by hand",
                crate::json::quote(resource)
            )),
        }
    }
    if changes.is_empty() && notes.is_empty() {
        return None;
    }
    let config = Config::from_value(&value)
        .map(|c| c.to_value())
        .unwrap_or(value);
    Some(Fix {
        config,
        changes,
        notes,
    })
}

/// Whether the plan's role (by its configuration index) is allowed the request.
fn allows(p: &crate::plan::Plan, role: usize, action: &str, resource: &str) -> bool {
    p.roles
        .iter()
        .position(|r| r.index == role)
        .is_some_and(|k| {
            let policies = role_policies(p, k);
            let request = Request {
                principal: p.roles[k].arn.clone(),
                action: action.into(),
                resource: resource.into(),
                context: Vec::new(),
            };
            let refs: Vec<&Value> = policies.iter().collect();
            evaluate(&refs, None, &request).decision == Decision::Allow
        })
}

/// The values a parameter may take for a resource: the resource itself, then (for a feature the
/// role has), for a template
/// `${Arn}` followed by a separator and `*` (a log group's `:*`, a bucket's `/*`), the resource
/// cut at each separator, longest first (a log stream's ARN gives its log group's).
fn candidates(resource: &str, template: &str) -> Vec<String> {
    let mut out = vec![resource.to_string()];
    if let Some(sep) = template
        .strip_prefix("${Arn}")
        .and_then(|t| t.strip_suffix('*'))
        .filter(|t| !t.is_empty())
    {
        let mut cuts: Vec<usize> = resource.match_indices(sep).map(|(i, _)| i).collect();
        cuts.reverse();
        out.extend(cuts.into_iter().map(|i| resource[..i].to_string()));
    }
    out
}

enum Grant {
    Already(String),
    /// The configuration, the path changed, the value the grant is for and what was done.
    Added(Value, String, String, String),
}

fn push(list: &mut Value, item: Value) {
    if let Value::Array(a) = list {
        a.push(item);
    } else {
        *list = Value::Array(vec![item]);
    }
}

/// The parameters (with their resource template, `${Per}` read as empty, and the switches the
/// statement waits for) of a feature's statements that grant the action.
fn grants(f: &'static Feature, action: &str) -> Vec<(&'static str, String, Vec<&'static str>)> {
    let switches = |s: &'static StatementTemplate| -> Vec<&'static str> {
        s.when
            .iter()
            .copied()
            .filter(|w| f.param(w).is_some_and(|p| p.ty == ParamType::Bool))
            .collect()
    };
    f.statements
        .iter()
        .filter(|s| s.actions.iter().any(|a| a.eq_ignore_ascii_case(action)))
        .flat_map(|s| s.resources.iter().map(move |r| (s, r)))
        .filter_map(|(s, r)| match r {
            ResourceTemplate::FromParam {
                param, template, ..
            } => Some((*param, template.replace("${Per}", ""), switches(s))),
            ResourceTemplate::Literal(_) => None,
        })
        .collect()
}

/// Gives `action` on `resource` to the role: through a parameter of a feature it has, a new
/// feature, or a custom statement; the first that the configuration's parser accepts.
fn grant(
    value: &Value,
    role: usize,
    action: &str,
    resource: &str,
    works: &dyn Fn(&Value) -> bool,
) -> Option<Grant> {
    let cat = catalog();
    let kind = value["roles"][role]["kind"].as_str()?.to_string();
    let features = value["roles"][role]["features"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for f in cat
        .features
        .iter()
        .filter(|f| f.roles.contains(&kind.as_str()))
    {
        for (param, template, switches) in grants(f, action) {
            for candidate in candidates(resource, &template) {
                // A feature the role has: one more value.
                if let Some(j) = features.iter().position(|u| u["id"] == f.id) {
                    let at = format!("roles[{role}].features[{j}].{param}");
                    let have = features[j][param]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(&candidate)));
                    let on = switches.iter().all(|w| features[j][*w] == true);
                    if have && on {
                        return Some(Grant::Already(at));
                    }
                    let mut next = value.clone();
                    if !have {
                        push(
                            &mut next["roles"][role]["features"][j][param],
                            candidate.as_str().into(),
                        );
                    }
                    let mut what = Vec::new();
                    if !have {
                        what.push(format!("added {}", crate::json::quote(&candidate)));
                    }
                    for w in &switches {
                        if features[j][*w] != true {
                            next["roles"][role]["features"][j][*w] = true.into();
                            what.push(format!("set {w} to true"));
                        }
                    }
                    if works(&next) {
                        return Some(Grant::Added(next, at, candidate, what.join(" and ")));
                    }
                    continue;
                }
                // A new feature, only for the resource as the message names it: a feature
                // that grants the action on a part of it (FireLens's buckets for an object the
                // application writes) is not the one the role lacks.
                if candidate != resource {
                    continue;
                }
                let mut m = Map::new();
                m.insert("id".into(), f.id.into());
                m.insert(param.into(), Value::Array(vec![candidate.as_str().into()]));
                for w in &switches {
                    m.insert((*w).into(), true.into());
                }
                let mut next = value.clone();
                push(&mut next["roles"][role]["features"], Value::Object(m));
                if works(&next) {
                    let at = format!("roles[{role}].features[{}].{param}", features.len());
                    let mut what = format!("added {}", crate::json::quote(&candidate));
                    for w in &switches {
                        what.push_str(&format!(" with {w}: true"));
                    }
                    return Some(Grant::Added(next, at, candidate, what));
                }
            }
        }
    }
    // What no feature grants: a custom statement of exactly that.
    let statement = obj(vec![
        ("Effect", "Allow".into()),
        ("Action", action.into()),
        ("Resource", resource.into()),
    ]);
    let mut next = value.clone();
    let at = match features
        .iter()
        .position(|u| u["id"] == "custom" && u["name"] == CUSTOM_NAME)
    {
        Some(j) => {
            push(
                &mut next["roles"][role]["features"][j]["statements"],
                statement,
            );
            format!("roles[{role}].features[{j}].statements")
        }
        None => {
            let custom = obj(vec![
                ("id", "custom".into()),
                ("name", CUSTOM_NAME.into()),
                ("statements", Value::Array(vec![statement])),
            ]);
            push(&mut next["roles"][role]["features"], custom);
            format!("roles[{role}].features[{}].statements", features.len())
        }
    };
    let what = format!("added {}", crate::json::quote(resource));
    works(&next).then(|| Grant::Added(next, at, resource.to_string(), what))
}
