//! Why every statement is there: the explanations of a plan, for `ecs-iam explain` and the app.

use crate::catalog::{catalog, DocLink};
use crate::config::Config;
use crate::json::{obj, ToJson};
use crate::plan::{plan, Explained, Plan, PolicyPlan};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// Role or policy name.
    pub name: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub notes: Vec<String>,
    pub trust: Vec<Explained>,
    pub managed_policies: Vec<ManagedExplanation>,
    pub policies: Vec<PolicyExplanation>,
    /// What the owners of its resources (another account, a key policy) add for this role
    /// (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owner_policies: Vec<OwnerExplanation>,
}

/// A statement the owner of a resource in another account adds to its own policy.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerExplanation {
    /// The account that applies it.
    pub account: String,
    /// The policy it goes in (`key policy`).
    pub policy: String,
    pub resource: String,
    /// The feature that needs it (`roles[0].features[2]`).
    pub source: String,
    pub why: String,
    pub statement: Value,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedExplanation {
    pub arn: String,
    pub why: String,
    pub docs: Vec<DocLink>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyExplanation {
    pub name: String,
    pub feature: String,
    pub source: String,
    pub statements: Vec<Explained>,
}

fn policy(p: &PolicyPlan) -> PolicyExplanation {
    PolicyExplanation {
        name: p.name.clone(),
        feature: p.feature.clone(),
        source: p.source.clone(),
        statements: p.why.clone(),
    }
}

pub fn explain(config: &Config) -> Vec<Explanation> {
    explain_plan(&plan(config))
}

pub fn explain_plan(plan: &Plan) -> Vec<Explanation> {
    let cat = catalog();
    let mut out: Vec<Explanation> = plan
        .roles
        .iter()
        .map(|r| {
            let managed_policies = r
                .managed_policy_arns
                .iter()
                .map(|arn| {
                    let name = arn.rsplit('/').next().unwrap_or(arn);
                    match cat
                        .managed_policy(name)
                        .filter(|_| arn.contains(":iam::aws:policy/"))
                    {
                        Some(m) => ManagedExplanation {
                            arn: arn.clone(),
                            why: format!(
                                "AWS managed policy {}, version {}, meant for: {}.",
                                m.name, m.version, m.used_for
                            ),
                            docs: vec![DocLink {
                                title: m.name,
                                url: m.docs,
                            }],
                        },
                        None => ManagedExplanation {
                            arn: arn.clone(),
                            why: "A managed policy you listed by ARN.".into(),
                            docs: Vec::new(),
                        },
                    }
                })
                .collect();
            let mut policies: Vec<PolicyExplanation> = r.inline.iter().map(policy).collect();
            policies.extend(r.attached.iter().map(|&i| policy(&plan.managed[i])));
            Explanation {
                name: r.name.clone(),
                kind: r.kind.id.to_string(),
                title: r.kind.title.to_string(),
                summary: r.kind.summary.to_string(),
                notes: notes_of(r.kind),
                trust: r.trust_why.clone(),
                managed_policies,
                policies,
                owner_policies: plan
                    .owner_grants
                    .iter()
                    .filter(|g| std::ptr::eq(&plan.roles[g.role], r))
                    .map(|g| OwnerExplanation {
                        account: g.account.clone(),
                        policy: g.policy.to_string(),
                        resource: g.resource.clone(),
                        source: g.source.clone(),
                        why: format!(
                            "For the owner of {} (account {}) to add to its {}: {}",
                            g.resource, g.account, g.policy, g.why
                        ),
                        statement: g.statement.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    for p in &plan.managed {
        let Some(kind) = p.kind else {
            continue;
        };
        out.push(Explanation {
            name: p.name.clone(),
            kind: kind.id.to_string(),
            title: kind.title.to_string(),
            summary: kind.summary.to_string(),
            notes: notes_of(kind),
            trust: Vec::new(),
            managed_policies: Vec::new(),
            policies: vec![policy(p)],
            owner_policies: Vec::new(),
        });
    }
    out
}

// The listing of `ecs-iam explain --json` and the npm package's `explain`, written with the
// core's JSON writer (see `json.rs`). `tests/golden.rs` holds it to the derived `Serialize`,
// which the snapshots use.

impl ToJson for Explained {
    fn to_json(&self) -> Value {
        obj(vec![
            ("sid", self.sid.to_json()),
            ("why", Value::String(self.why.to_string())),
            ("docs", self.docs.to_json()),
        ])
    }
}

impl ToJson for ManagedExplanation {
    fn to_json(&self) -> Value {
        obj(vec![
            ("arn", self.arn.to_json()),
            ("why", self.why.to_json()),
            ("docs", self.docs.to_json()),
        ])
    }
}

impl ToJson for OwnerExplanation {
    fn to_json(&self) -> Value {
        obj(vec![
            ("account", self.account.to_json()),
            ("policy", self.policy.to_json()),
            ("resource", self.resource.to_json()),
            ("source", self.source.to_json()),
            ("why", self.why.to_json()),
            ("statement", self.statement.clone()),
        ])
    }
}

impl ToJson for PolicyExplanation {
    fn to_json(&self) -> Value {
        obj(vec![
            ("name", self.name.to_json()),
            ("feature", self.feature.to_json()),
            ("source", self.source.to_json()),
            ("statements", self.statements.to_json()),
        ])
    }
}

impl ToJson for Explanation {
    fn to_json(&self) -> Value {
        let mut out = obj(vec![
            ("name", self.name.to_json()),
            ("kind", self.kind.to_json()),
            ("title", self.title.to_json()),
            ("summary", self.summary.to_json()),
            ("notes", self.notes.to_json()),
            ("trust", self.trust.to_json()),
            ("managedPolicies", self.managed_policies.to_json()),
            ("policies", self.policies.to_json()),
        ]);
        if !self.owner_policies.is_empty() {
            out["ownerPolicies"] = self.owner_policies.to_json();
        }
        out
    }
}

/// A role kind's notes, then those that hold on some capacities only.
fn notes_of(kind: &crate::catalog::RoleKind) -> Vec<String> {
    kind.notes
        .iter()
        .copied()
        .chain(kind.capacity_notes.iter().map(|n| n.text))
        .map(str::to_string)
        .collect()
}
