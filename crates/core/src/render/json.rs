//! The `json` format: raw IAM JSON with CloudFormation's property names.

use crate::json::obj;
use crate::plan::Plan;
use serde_json::{Map, Value};

pub(super) fn render(plan: &Plan) -> String {
    super::pretty(&iam(plan))
}

pub(super) fn iam(plan: &Plan) -> Value {
    let roles: Vec<Value> = plan
        .roles
        .iter()
        .map(|r| {
            let mut m = Map::new();
            m.insert("RoleName".into(), r.name.clone().into());
            if r.path != "/" {
                m.insert("Path".into(), r.path.clone().into());
            }
            if let Some(d) = &r.description {
                m.insert("Description".into(), d.clone().into());
            }
            m.insert("AssumeRolePolicyDocument".into(), r.trust.clone());
            let mut arns: Vec<Value> = r
                .managed_policy_arns
                .iter()
                .cloned()
                .map(Value::from)
                .collect();
            arns.extend(
                r.attached
                    .iter()
                    .filter_map(|&i| plan.managed[i].arn.clone())
                    .map(Value::from),
            );
            m.insert("ManagedPolicyArns".into(), Value::Array(arns));
            let policies: Vec<Value> = r
                .inline
                .iter()
                .map(|p| {
                    obj(vec![
                        ("PolicyName", p.name.as_str().into()),
                        ("PolicyDocument", p.document.clone()),
                    ])
                })
                .collect();
            m.insert("Policies".into(), Value::Array(policies));
            if let Some(ip) = &r.instance_profile {
                m.insert("InstanceProfileName".into(), ip.name.clone().into());
            }
            Value::Object(m)
        })
        .collect();
    let managed: Vec<Value> = plan
        .managed
        .iter()
        .map(|p| {
            let mut m = Map::new();
            m.insert("PolicyName".into(), p.name.clone().into());
            if p.path != "/" {
                m.insert("Path".into(), p.path.clone().into());
            }
            m.insert("PolicyDocument".into(), p.document.clone());
            Value::Object(m)
        })
        .collect();
    let mut out = obj(vec![
        ("Roles", Value::Array(roles)),
        ("ManagedPolicies", Value::Array(managed)),
    ]);
    if !plan.owner_grants.is_empty() {
        out["OwnerPolicies"] = owner_policies(plan);
    }
    out
}

/// The statements that the owners of resources (in other accounts, or a key's policy) add to those resources'
/// own policies: not this account's to create, so apart from the roles.
pub(crate) fn owner_policies(plan: &Plan) -> Value {
    Value::Array(
        plan.owner_grants
            .iter()
            .map(|g| {
                obj(vec![
                    ("Account", g.account.as_str().into()),
                    ("Policy", g.policy.into()),
                    ("Resource", g.resource.as_str().into()),
                    ("RoleName", plan.roles[g.role].name.as_str().into()),
                    ("Statement", g.statement.clone()),
                ])
            })
            .collect(),
    )
}
