//! Test vectors for a rendering (`ecs-iam vectors`): for every statement, requests that must be
//! allowed (each action on an instance of each resource pattern, with a context that meets the
//! conditions), and the nearest requests that must be denied (the same resource in another
//! account or Region, a sibling of a secret, the request without its conditions' context, the
//! trust policy's service without its confused-deputy context). Each carries the evaluator's
//! decision and the `aws iam simulate-custom-policy` command that checks it against IAM itself.

use crate::evaluate::{
    context_for, evaluate, examples, instance, strings_of as strings, Decision, Request,
};
use crate::json::{obj, ToJson};
use crate::plan::{Plan, ACCOUNT, PARTITION, REGION};
use serde_json::Value;

/// One request and what IAM must answer.
#[derive(Debug, Clone)]
pub struct Vector {
    pub role: String,
    /// The policy (`trust`, or the policy's name) and the statement's Sid.
    pub policy: String,
    pub sid: String,
    pub request: Request,
    /// `true`: must be allowed; `false`: must be denied.
    pub allow: bool,
    /// What the core's evaluator answers over every policy of the role.
    pub decision: Decision,
    /// Why it is there.
    pub why: &'static str,
}

/// The partition, Region and account the vectors are written for: the configuration's, or
/// these examples where it leaves them open.
const EXAMPLE: (&str, &str, &str) = ("aws", "us-east-1", "123456789012");
const OTHER_ACCOUNT: &str = "444455556666";

/// The document with its placeholders replaced by `scope`'s values, string by string (a
/// placeholder lies within one string); `diff` fills the existing roles' documents with it too.
pub(crate) fn fill(v: &Value, scope: (&str, &str, &str)) -> Value {
    let text = |s: &str| {
        if s.contains('$') {
            s.replace(PARTITION, scope.0)
                .replace(REGION, scope.1)
                .replace(ACCOUNT, scope.2)
        } else {
            s.to_string()
        }
    };
    match v {
        Value::String(s) => Value::String(text(s)),
        Value::Array(items) => Value::Array(items.iter().map(|x| fill(x, scope)).collect()),
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, x)| (text(k), fill(x, scope)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The ARN with its account (`account`) or Region (`region`) replaced, when it has one.
fn with_part(arn: &str, index: usize, value: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" || parts[index].is_empty() || parts[index] == value {
        return None;
    }
    let mut p = parts.clone();
    p[index] = value;
    Some(p.join(":"))
}

fn scope_of(plan: &Plan) -> (&str, &str, &str) {
    let c = &plan.config;
    (
        c.partition.as_deref().unwrap_or(EXAMPLE.0),
        c.region.as_deref().unwrap_or(EXAMPLE.1),
        c.account.as_deref().unwrap_or(EXAMPLE.2),
    )
}

/// The identity policies of a role (`Plan::roles` index) as the vectors see them: what the
/// configuration leaves open filled in with the example partition, Region and account.
pub fn role_policies(plan: &Plan, role: usize) -> Vec<Value> {
    let scope = scope_of(plan);
    let r = &plan.roles[role];
    r.inline
        .iter()
        .map(|p| &p.document)
        .chain(r.attached.iter().map(|&i| &plan.managed[i].document))
        .map(|d| fill(d, scope))
        .collect()
}

pub fn vectors(plan: &Plan) -> Vec<Vector> {
    let scope = scope_of(plan);
    let other_region = if scope.1 == "eu-west-1" {
        "us-west-2"
    } else {
        "eu-west-1"
    };
    let mut out = Vec::new();
    for r in &plan.roles {
        let trust = fill(&r.trust, scope);
        let mut docs: Vec<(String, Value)> = r
            .inline
            .iter()
            .map(|p| (p.name.clone(), fill(&p.document, scope)))
            .collect();
        docs.extend(r.attached.iter().map(|&i| {
            (
                plan.managed[i].name.clone(),
                fill(&plan.managed[i].document, scope),
            )
        }));
        let identity: Vec<&Value> = docs.iter().map(|(_, d)| d).collect();
        let role_arn = fill(&Value::String(r.arn.clone()), scope)
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut push = |policy: &str,
                        sid: &str,
                        request: Request,
                        allow: bool,
                        why: &'static str,
                        resource_policy: Option<&Value>| {
            let decision = match resource_policy {
                Some(t) => evaluate(&[], Some(t), &request).decision,
                None => evaluate(&identity, None, &request).decision,
            };
            // A neighbour that the role's other statements allow proves nothing; a grant that
            // another statement denies is `check`'s finding (denied-by-statement), not a vector.
            if (!allow && decision == Decision::Allow)
                || (allow && decision == Decision::ExplicitDeny)
            {
                return;
            }
            out.push(Vector {
                role: r.name.clone(),
                policy: policy.to_string(),
                sid: sid.to_string(),
                request,
                allow,
                decision,
                why,
            });
        };
        // The trust policy: its service, with and without the confused-deputy context.
        for st in trust["Statement"].as_array().into_iter().flatten() {
            let mut keys = Vec::new();
            let Some(ctx) = context_for(st, &mut keys) else {
                continue;
            };
            let sid = st["Sid"].as_str().unwrap_or_default();
            for service in strings(st["Principal"].get("Service")) {
                for action in strings(st.get("Action")) {
                    let request = Request {
                        principal: service.clone(),
                        action,
                        resource: role_arn.clone(),
                        context: ctx.clone(),
                    };
                    push(
                        "trust",
                        sid,
                        request.clone(),
                        true,
                        "the service assumes the role for this account",
                        Some(&trust),
                    );
                    if !ctx.is_empty() {
                        push(
                            "trust",
                            sid,
                            Request {
                                context: Vec::new(),
                                ..request.clone()
                            },
                            false,
                            "the service without the confused-deputy context",
                            Some(&trust),
                        );
                        let foreign = ctx
                            .iter()
                            .map(|(k, v)| {
                                (
                                    k.clone(),
                                    v.iter()
                                        .map(|s| s.replace(scope.2, OTHER_ACCOUNT))
                                        .collect(),
                                )
                            })
                            .collect();
                        push(
                            "trust",
                            sid,
                            Request {
                                context: foreign,
                                ..request
                            },
                            false,
                            "the service acting for another account",
                            Some(&trust),
                        );
                    }
                }
            }
        }
        // Each identity statement that allows.
        for (name, doc) in &docs {
            for st in doc["Statement"].as_array().into_iter().flatten() {
                if st["Effect"] != "Allow" {
                    continue;
                }
                let sid = st["Sid"].as_str().unwrap_or_default();
                let patterns = strings(st.get("Resource"));
                for request in examples(st, &role_arn) {
                    let resource = request.resource.clone();
                    let pattern = patterns
                        .iter()
                        .find(|p| instance(p) == resource || **p == resource);
                    let ctx = request.context.clone();
                    push(
                        name,
                        sid,
                        request.clone(),
                        true,
                        "what the statement is for",
                        None,
                    );
                    if let Some(arn) = with_part(&resource, 4, OTHER_ACCOUNT) {
                        push(
                            name,
                            sid,
                            Request {
                                resource: arn,
                                ..request.clone()
                            },
                            false,
                            "the same resource in another account",
                            None,
                        );
                    }
                    if let Some(arn) = with_part(&resource, 3, other_region) {
                        push(
                            name,
                            sid,
                            Request {
                                resource: arn,
                                ..request.clone()
                            },
                            false,
                            "the same resource in another Region",
                            None,
                        );
                    }
                    if let Some(base) = pattern.and_then(|p| p.strip_suffix("-??????")) {
                        push(
                            name,
                            sid,
                            Request {
                                resource: format!("{}-other-xxxxxx", instance(base)),
                                ..request.clone()
                            },
                            false,
                            "a sibling secret whose name starts the same",
                            None,
                        );
                    }
                    if !ctx.is_empty() {
                        push(
                            name,
                            sid,
                            Request {
                                context: Vec::new(),
                                ..request
                            },
                            false,
                            "the request without the context its conditions ask for",
                            None,
                        );
                    }
                }
            }
        }
    }
    out
}

/// Single-quotes a word for bash.
fn sq(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Vector {
    /// The AWS CLI command that asks IAM itself (identity policies only: IAM's simulator takes
    /// no trust policy). `policy_file` holds the role's policies as a JSON list of documents.
    pub fn simulate_command(&self, policy_file: &str) -> Option<String> {
        if self.policy == "trust" {
            return None;
        }
        let mut cmd = format!(
            "aws iam simulate-custom-policy --policy-input-list file://{policy_file} --action-names {} --resource-arns {}",
            sq(&self.request.action),
            sq(&self.request.resource)
        );
        for (k, v) in &self.request.context {
            let entry = format!(
                "ContextKeyName={k},ContextKeyValues={},ContextKeyType=string",
                v.join(",")
            );
            cmd.push_str(&format!(" --context-entries {}", sq(&entry)));
        }
        cmd.push_str(" --query 'EvaluationResults[0].EvalDecision' --output text");
        Some(cmd)
    }
}

impl ToJson for Vector {
    fn to_json(&self) -> Value {
        let context: Vec<Value> = self
            .request
            .context
            .iter()
            .map(|(k, v)| obj(vec![("key", k.to_json()), ("values", v.to_json())]))
            .collect();
        obj(vec![
            ("role", self.role.to_json()),
            ("policy", self.policy.to_json()),
            ("sid", self.sid.to_json()),
            ("principal", self.request.principal.to_json()),
            ("action", self.request.action.to_json()),
            ("resource", self.request.resource.to_json()),
            ("context", Value::Array(context)),
            (
                "expect",
                (if self.allow { "allow" } else { "deny" }).to_json(),
            ),
            ("decision", self.decision.id().to_json()),
            ("why", self.why.to_json()),
        ])
    }
}
