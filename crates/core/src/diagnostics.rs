//! Diagnostics of a valid configuration: IAM size limits, wildcards where a scope was
//! possible, permissions on the wrong role, missing kms:Decrypt, ARN slips.

use crate::catalog::{catalog, DiagnosticCode};
use crate::config::{Config, ParamValue, PermissionStyle};
use crate::plan::{plan, Plan, ACCOUNT, PARTITION, REGION};
use serde_json::Value;

pub const MANAGED_POLICY_LIMIT: usize = 6_144;
pub const INLINE_AGGREGATE_LIMIT: usize = 10_240;
pub const TRUST_POLICY_LIMIT: usize = 2_048;
pub const MANAGED_POLICIES_PER_ROLE: usize = 10;
pub const MANAGED_POLICIES_PER_ROLE_MAX: usize = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
    pub severity: Severity,
    pub path: String,
    pub message: String,
    pub docs: String,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl Diagnostic {
    /// The diagnostic as `ecs-iam check --json` writes it, built without serde's serializer
    /// (see `crate::json` for why).
    pub fn to_value(&self) -> Value {
        let mut m = serde_json::Map::new();
        m.insert("code".into(), self.code.id().into());
        m.insert("severity".into(), self.severity.id().into());
        m.insert("path".into(), self.path.as_str().into());
        m.insert("message".into(), self.message.as_str().into());
        m.insert("docs".into(), self.docs.as_str().into());
        Value::Object(m)
    }
}

struct Out(Vec<Diagnostic>);

impl Out {
    fn push(
        &mut self,
        code: DiagnosticCode,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        let docs = code.info().docs;
        self.0.push(Diagnostic {
            code,
            severity,
            path: path.into(),
            message: message.into(),
            docs: docs.to_string(),
        });
    }
}

/// IAM's size of a policy: characters of its JSON, white space not counted. Placeholders are
/// counted at the longest value they can take, so an unknown account never hides an overflow.
pub fn policy_size(doc: &Value) -> usize {
    let text = crate::json::to_string(doc);
    let text = text
        .replace(PARTITION, "aws-us-gov")
        .replace(REGION, "ap-southeast-5")
        .replace(ACCOUNT, "123456789012");
    text.chars().filter(|c| !c.is_whitespace()).count()
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// True when a managed-policy action pattern (`ecr:*`, `logs:Create*`) covers `action`.
fn action_covers(pattern: &str, action: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.strip_suffix('*') {
        Some(prefix) => action
            .to_ascii_lowercase()
            .starts_with(&prefix.to_ascii_lowercase()),
        None => pattern.eq_ignore_ascii_case(action),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

pub fn check(config: &Config) -> Vec<Diagnostic> {
    let p = plan(config);
    check_plan(config, &p)
}

pub fn check_plan(config: &Config, plan: &Plan) -> Vec<Diagnostic> {
    let cat = catalog();
    let mut out = Out(Vec::new());

    for (key, name) in [
        ("partition", &config.partition),
        ("region", &config.region),
        ("account", &config.account),
    ] {
        if name.is_none() {
            out.push(
                DiagnosticCode::Placeholders,
                Severity::Info,
                key,
                format!("{key} is not set: CloudFormation fills it in, the CLI script reads it from your AWS session, and the JSON output keeps a ${{AWS::...}} placeholder"),
            );
        }
    }

    // Size limits.
    for r in &plan.roles {
        let path = format!("roles[{}]", r.index);
        let trust = policy_size(&r.trust);
        if trust > TRUST_POLICY_LIMIT {
            out.push(
                DiagnosticCode::TrustPolicyTooLarge,
                Severity::Error,
                &path,
                format!(
                    "the trust policy of {} is {} characters; IAM's default limit is {}",
                    r.name,
                    thousands(trust),
                    thousands(TRUST_POLICY_LIMIT)
                ),
            );
        }
        if plan.style != PermissionStyle::Managed {
            let total: usize = r.inline.iter().map(|p| policy_size(&p.document)).sum();
            if total > INLINE_AGGREGATE_LIMIT {
                out.push(
                    DiagnosticCode::InlinePoliciesTooLarge,
                    Severity::Error,
                    &path,
                    format!("the inline policies of {} add up to {} characters; IAM allows {} per role. Use \"permissions\": \"managed\" or narrow the statements", r.name, thousands(total), thousands(INLINE_AGGREGATE_LIMIT)),
                );
            }
        }
        let count = r.managed_policy_arns.len() + r.attached.len();
        if count > MANAGED_POLICIES_PER_ROLE_MAX {
            out.push(DiagnosticCode::TooManyManagedPolicies, Severity::Error, format!("{path}.managedPolicies"), format!("{} has {count} managed policies; IAM allows at most {MANAGED_POLICIES_PER_ROLE_MAX} per role", r.name));
        } else if count > MANAGED_POLICIES_PER_ROLE {
            out.push(DiagnosticCode::TooManyManagedPolicies, Severity::Warning, format!("{path}.managedPolicies"), format!("{} has {count} managed policies; the default quota is {MANAGED_POLICIES_PER_ROLE} per role (raise it in Service Quotas, up to {MANAGED_POLICIES_PER_ROLE_MAX})", r.name));
        }
    }
    for p in &plan.managed {
        let size = policy_size(&p.document);
        if size > MANAGED_POLICY_LIMIT {
            out.push(
                DiagnosticCode::PolicyTooLarge,
                Severity::Error,
                &p.source,
                format!(
                    "the managed policy {} is {} characters; IAM allows {}",
                    p.name,
                    thousands(size),
                    thousands(MANAGED_POLICY_LIMIT)
                ),
            );
        }
    }

    for (i, role) in config.roles.iter().enumerate() {
        let kind = role.kind;
        let rpath = format!("roles[{i}]");

        if let (Some(cd), Some(false)) = (&kind.confused_deputy, role.confused_deputy) {
            if cd.default {
                out.push(DiagnosticCode::ConfusedDeputyOff, Severity::Warning, format!("{rpath}.confusedDeputy"), format!("{} trusts {} without aws:SourceArn/aws:SourceAccount conditions; any account's tasks could be handed this role by a confused deputy", role.effective_name(), kind.principal.unwrap_or_default()));
            }
        }

        // Managed policies on the wrong role, and scoped features they make moot.
        let mut star_actions: Vec<(String, String)> = Vec::new();
        for (j, m) in role.effective_managed_policies().iter().enumerate() {
            let name = m.rsplit('/').next().unwrap_or(m);
            if let Some(mp) = cat.managed_policy(name) {
                let mpath = if role.managed_policies.is_some() {
                    format!("{rpath}.managedPolicies[{j}]")
                } else {
                    format!("{rpath}.kind")
                };
                if !mp.attach_to.contains(&kind.id) {
                    let homes = if mp.attach_to.is_empty() {
                        "another kind of role".to_string()
                    } else {
                        mp.attach_to.join(", ")
                    };
                    out.push(
                        DiagnosticCode::WrongRole,
                        Severity::Warning,
                        mpath,
                        format!(
                            "{} is meant for {} ({}), not a {} role",
                            mp.name, homes, mp.used_for, kind.id
                        ),
                    );
                }
                for a in mp.star_actions {
                    star_actions.push((a.to_string(), mp.name.to_string()));
                }
            }
        }

        let mut has_decrypt = false;
        let mut reads_secrets: Option<String> = None;
        for (j, fu) in role.features.iter().enumerate() {
            let feature = fu.feature;
            let fpath = format!("{rpath}.features[{j}]");
            if !feature.home_roles.contains(&kind.id) {
                let note = feature.wrong_role_note.map_or_else(
                    || {
                        format!(
                            "{} belongs on: {}",
                            feature.id,
                            feature.home_roles.join(", ")
                        )
                    },
                    str::to_string,
                );
                out.push(
                    DiagnosticCode::WrongRole,
                    Severity::Warning,
                    format!("{fpath}.id"),
                    note,
                );
            }
            for t in feature.statements {
                if t.when.as_ref().is_some_and(|w| !fu.is_set(w)) {
                    continue;
                }
                if t.actions.contains(&"kms:Decrypt") {
                    has_decrypt = true;
                }
                if let Some(sp) = &t.scope_param {
                    if !fu.is_set(sp) {
                        out.push(DiagnosticCode::WildcardResource, Severity::Warning, format!("{fpath}.{sp}"), format!("{} on {} grants {} on every resource (\"*\"); list the {} the tasks use", feature.id, role.effective_name(), t.actions.join(", "), sp));
                    } else if let Some(mp) = t
                        .actions
                        .iter()
                        .map(|a| star_actions.iter().find(|(p, _)| action_covers(p, a)))
                        .collect::<Option<Vec<_>>>()
                        .and_then(|v| v.first().map(|x| x.1.clone()))
                    {
                        out.push(DiagnosticCode::ShadowedByManagedPolicy, Severity::Info, format!("{fpath}.{sp}"), format!("{mp} already allows {} on every resource, so scoping {} to {} has no effect; drop the managed policy for least privilege", t.actions.join(", "), feature.id, sp));
                    }
                }
            }
            if matches!(feature.id, "secrets-manager" | "private-registry") {
                let kms = fu.is_set("kmsKeys");
                for (k, s) in fu.values("secrets").iter().enumerate() {
                    let parts: Vec<&str> = s.splitn(7, ':').collect();
                    if parts.len() >= 7 && parts[0] == "arn" {
                        let name = parts[6];
                        let suffix_ok = name.ends_with('*')
                            || name.rsplit_once('-').is_some_and(|(_, sfx)| {
                                sfx.len() == 6
                                    && sfx.chars().all(|c| c.is_ascii_alphanumeric() || c == '?')
                            });
                        if !suffix_ok {
                            out.push(DiagnosticCode::SecretArnSuffix, Severity::Warning, format!("{fpath}.secrets[{k}]"), format!("{s} has no 6-character suffix, so it matches no secret: Secrets Manager ARNs end in -XXXXXX. Give the secret name instead, or end the ARN with -??????"));
                        }
                        let other_account = config
                            .account
                            .as_deref()
                            .is_some_and(|a| parts[4] != a && parts[4] != "*");
                        if other_account && !kms {
                            out.push(DiagnosticCode::KmsDecryptMissing, Severity::Warning, format!("{fpath}.kmsKeys"), format!("{s} is in another account: a cross-account secret must be encrypted with a customer managed key, and this role needs kms:Decrypt on it; add the key to kmsKeys"));
                        }
                    }
                }
            }
            if feature.id == "ecr-pull" {
                for (k, r) in fu.values("repositories").iter().enumerate() {
                    let name = r.rsplit_once(":repository/").map(|x| x.1).unwrap_or(r);
                    if let Some(base) = name.strip_suffix("/*") {
                        out.push(DiagnosticCode::ArnNamespaceSlip, Severity::Warning, format!("{fpath}.repositories[{k}]"), format!("{r} matches only repositories inside the namespace {base}/ (such as {base}/app), not the repository {base} itself; write {base} to scope to that repository"));
                    }
                }
            }
            if let Some(ParamValue::Statements(sts)) = fu.get("statements") {
                for (k, st) in sts.iter().enumerate() {
                    let spath = format!("{fpath}.statements[{k}]");
                    let allow = st["Effect"] == "Allow";
                    let actions = strings(st.get("Action"));
                    if actions.iter().any(|a| action_covers(a, "kms:Decrypt")) && allow {
                        has_decrypt = true;
                    }
                    if allow
                        && actions.iter().any(|a| {
                            action_covers(a, "secretsmanager:GetSecretValue")
                                || action_covers(a, "ssm:GetParameters")
                        })
                    {
                        reads_secrets.get_or_insert(spath.clone());
                    }
                    for a in &actions {
                        if let Some(home) =
                            cat.action_homes.iter().find(|h| a.starts_with(h.prefix))
                        {
                            if allow && !home.roles.contains(&kind.id) {
                                out.push(
                                    DiagnosticCode::WrongRole,
                                    Severity::Warning,
                                    format!("{spath}.Action"),
                                    format!("{a} on a {} role: {}", kind.id, home.message),
                                );
                            }
                        }
                    }
                    for r in strings(st.get("Resource")) {
                        if let Some((_, name)) = r.split_once(":repository/") {
                            if let Some(base) = name.strip_suffix("/*") {
                                if !base.contains('*') {
                                    out.push(DiagnosticCode::ArnNamespaceSlip, Severity::Warning, format!("{spath}.Resource"), format!("{r} matches only repositories inside the namespace {base}/, not the repository {base}; use ...:repository/{base}"));
                                }
                            }
                        }
                    }
                }
            }
        }
        if let Some(spath) = reads_secrets {
            if !has_decrypt {
                out.push(DiagnosticCode::KmsDecryptMissing, Severity::Info, spath, format!("{} reads secrets or parameters without kms:Decrypt: that works only with the default AWS managed keys. Secrets under a customer managed key also need kms:Decrypt on that key", role.effective_name()));
            }
        }
    }

    // The task definition fragment can name one role of each.
    for field in ["taskRoleArn", "executionRoleArn"] {
        let roles: Vec<usize> = config
            .roles
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind.task_definition_field == Some(field))
            .map(|(i, _)| i)
            .collect();
        if roles.len() > 1 {
            out.push(DiagnosticCode::TaskDefinitionAmbiguous, Severity::Info, format!("roles[{}]", roles[1]), format!("the task-definition output uses the first role for {field}; the others go in other task definitions"));
        }
    }
    // Errors, then warnings, then notes, each in the order found: a stable sort by severity,
    // written out because the general sort costs the wasm builds ~1.5 KB of code.
    let mut sorted = Vec::with_capacity(out.0.len());
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        sorted.extend(out.0.iter().filter(|d| d.severity == severity).cloned());
    }
    sorted
}
