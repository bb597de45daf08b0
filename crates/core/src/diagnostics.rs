//! Diagnostics of a valid configuration: IAM size limits, wildcards where a scope was
//! possible, permissions on the wrong role, missing kms:Decrypt, ARN slips.

use crate::catalog::{catalog, DiagnosticCode, ValueCheck, ValueKind, ValueKindId};
use crate::config::{Config, FeatureUse, PermissionStyle};
use crate::plan::{plan, Plan, ACCOUNT, PARTITION, REGION};
use serde_json::Value;

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
        self.push_with_docs(code, severity, path, message, code.info().docs);
    }

    /// A finding whose page is not the code's: a role kind's own, say.
    fn push_with_docs(
        &mut self,
        code: DiagnosticCode,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
        docs: &str,
    ) {
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
pub(crate) fn policy_size(doc: &Value) -> usize {
    // Walked, not written out: the count of the compact JSON text (`json::to_string`) without
    // building it. Every escape that writer uses is ASCII without white space, and a placeholder
    // holds no character that is escaped, nor a quote, so it lies within one string. Plain
    // loops: iterator adapters here cost the wasm builds more code.
    match doc {
        Value::Null => 4,
        Value::Bool(b) => 4 + usize::from(!*b),
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => string_size(s),
        Value::Array(items) => {
            let mut size = 1 + items.len().max(1);
            for item in items {
                size += policy_size(item);
            }
            size
        }
        Value::Object(entries) => {
            // The braces, a comma between entries and a colon in each.
            let mut size = 1 + entries.len().max(1) + entries.len();
            for (k, v) in entries {
                size += string_size(k) + policy_size(v);
            }
            size
        }
    }
}

/// A string's share of `policy_size`: its quotes, its characters as `json::quote_into` writes
/// them, white space not counted, and each placeholder counted at its longest value.
fn string_size(s: &str) -> usize {
    // Per byte, from a table: a UTF-8 continuation byte counts 0, so a character counts once.
    let mut size = 2;
    for &b in s.as_bytes() {
        size += usize::from(SIZE_OF_BYTE[usize::from(b)]);
    }
    if !s.is_ascii() {
        // Beyond ASCII nothing is escaped, and some characters are white space (U+3000).
        for c in s.chars() {
            if !c.is_ascii() && c.is_whitespace() {
                size -= 1;
            }
        }
    }
    if s.contains('$') {
        let longest = &catalog().iam.size_counting;
        // ASCII both: bytes are characters.
        for (p, value) in [
            (PARTITION, longest.partition),
            (REGION, longest.region),
            (ACCOUNT, longest.account),
        ] {
            let n = s.matches(p).count();
            size = size + n * value.len() - n * p.len();
        }
    }
    size
}

/// What a byte of a string adds to `policy_size`: the escapes `json::quote_into` writes (two
/// characters, or six for `\uXXXX`), nothing for a space or a UTF-8 continuation byte, one
/// for any other byte.
const SIZE_OF_BYTE: [u8; 256] = crate::json::byte_table(
    1,
    &[
        (0, 0x1f, 6),
        (0x80, 0xbf, 0),
        (b'"', b'"', 2),
        (b'\\', b'\\', 2),
        (b'\n', b'\n', 2),
        (b'\r', b'\r', 2),
        (b'\t', b'\t', 2),
        (0x08, 0x08, 2),
        (0x0c, 0x0c, 2),
        (b' ', b' ', 0),
    ],
);

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
    let limits = &cat.iam.limits;
    let (trust_limit, inline_limit, managed_limit) = (
        limits.trust_policy_size,
        limits.inline_policies_size,
        limits.managed_policy_size,
    );
    let (per_role, per_role_max) = (
        limits.managed_policies_per_role,
        limits.managed_policies_per_role_max,
    );
    let mut out = Out(Vec::new());

    // One note for what the scope leaves open, at the first field it names.
    let unset: Vec<&str> = [
        ("partition", &config.partition),
        ("region", &config.region),
        ("account", &config.account),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_none())
    .map(|(k, _)| k)
    .collect();
    if let Some(first) = unset.first() {
        let (list, verb, them) = match unset.as_slice() {
            [one] => ((*one).to_string(), "is", "it"),
            [a, b] => (format!("{a} and {b}"), "are", "them"),
            [a, b, c] => (format!("{a}, {b} and {c}"), "are", "them"),
            _ => unreachable!("three fields at most"),
        };
        out.push(
            DiagnosticCode::Placeholders,
            Severity::Info,
            *first,
            format!("{list} {verb} not set: CloudFormation and the CDK fill {them} in at deployment, Terraform and Pulumi read {them} from the provider, the CLI script from your AWS session, and the JSON output keeps ${{AWS::...}} placeholders"),
        );
    }

    // A Region of the right shape that AWS does not list (a typo such as us-west-9, or a
    // Region newer than the catalogue).
    if let Some(region) = &config.region {
        let known = cat
            .partitions
            .iter()
            .filter(|p| config.partition.as_deref().is_none_or(|id| p.id == id))
            .any(|p| p.regions.contains(&region.as_str()));
        if !known {
            let partition = config.partition.as_deref().map_or_else(
                || "in any partition".to_string(),
                |p| format!("for the {p} partition"),
            );
            out.push(
                DiagnosticCode::UnknownRegion,
                Severity::Warning,
                "region",
                format!(
                    "{} is not a Region AWS lists {partition}: check the spelling (a Region AWS opened after this builder was made is fine)",
                    crate::json::quote(region)
                ),
            );
        }
    }

    // Size limits.
    for r in &plan.roles {
        let path = format!("roles[{}]", r.index);
        let trust = policy_size(&r.trust);
        if trust > trust_limit {
            out.push(
                DiagnosticCode::TrustPolicyTooLarge,
                Severity::Error,
                &path,
                format!(
                    "the trust policy of {} is {} characters; IAM's default limit is {}",
                    r.name,
                    thousands(trust),
                    thousands(trust_limit)
                ),
            );
        }
        if plan.style != PermissionStyle::Managed {
            let total: usize = r.inline.iter().map(|p| policy_size(&p.document)).sum();
            if total > inline_limit {
                out.push(
                    DiagnosticCode::InlinePoliciesTooLarge,
                    Severity::Error,
                    &path,
                    format!("the inline policies of {} add up to {} characters; IAM allows {} per role. Use \"permissions\": \"managed\" or narrow the statements", r.name, thousands(total), thousands(inline_limit)),
                );
            }
        }
        let count = r.managed_policy_arns.len() + r.attached.len();
        if count > per_role_max {
            out.push(
                DiagnosticCode::TooManyManagedPolicies,
                Severity::Error,
                format!("{path}.managedPolicies"),
                format!(
                    "{} has {count} managed policies; IAM allows at most {per_role_max} per role",
                    r.name
                ),
            );
        } else if count > per_role {
            out.push(DiagnosticCode::TooManyManagedPolicies, Severity::Warning, format!("{path}.managedPolicies"), format!("{} has {count} managed policies; the default quota is {per_role} per role (raise it in Service Quotas, up to {per_role_max})", r.name));
        }
    }
    for p in &plan.managed {
        let size = policy_size(&p.document);
        if size > managed_limit {
            out.push(
                DiagnosticCode::PolicyTooLarge,
                Severity::Error,
                &p.source,
                format!(
                    "the managed policy {} is {} characters; IAM allows {}",
                    p.name,
                    thousands(size),
                    thousands(managed_limit)
                ),
            );
        }
    }

    for (i, role) in config.roles.iter().enumerate() {
        let kind = role.kind;
        let rpath = format!("roles[{i}]");

        if let (Some(cd), Some(false)) = (&kind.confused_deputy, role.confused_deputy) {
            if cd.default {
                out.push(DiagnosticCode::ConfusedDeputyOff, Severity::Warning, format!("{rpath}.confusedDeputy"), format!("{} trusts {} without {}/{} conditions; any account's tasks could be handed this role by a confused deputy", role.effective_name(), kind.principal.unwrap_or_default(), cat.iam.trust.source_arn_key, cat.iam.trust.source_account_key));
            }
        }

        // Managed policies on the wrong role, and scoped features they make moot.
        let mut star_actions: Vec<(String, String)> = Vec::new();
        for (j, m) in role.effective_managed_policies().iter().enumerate() {
            if let Some(mp) = m.known() {
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

        essentials(&mut out, role, &rpath);
        name_prefix(&mut out, config, role, &rpath);
        // The sources a trust policy names (schedule groups) are values like any other: a
        // pattern among them is said as it is for a feature's.
        if let (Some(list), Some(cd)) = (&role.sources, &role.kind.confused_deputy) {
            if let (Some(param), Some(item)) = (cd.source_param, cd.source_item) {
                let kind = item.info();
                if kind.checks.contains(&ValueCheck::Wildcard) {
                    for (k, v) in list.iter().enumerate() {
                        let at = ParamItem {
                            path: format!("{rpath}.{param}[{k}]"),
                            value: v,
                        };
                        wildcard(&mut out, kind, &at);
                    }
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
                if t.when.iter().any(|w| !fu.is_set(w)) {
                    continue;
                }
                if t.actions.contains(&cat.iam.decrypt_action) {
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
            // The checks the catalogue declares on the value kinds of the parameters.
            for p in feature.params {
                let Some(kind) = p.item.map(ValueKindId::info) else {
                    continue;
                };
                for (k, v) in fu.values(p.name).iter().enumerate() {
                    let at = ParamItem {
                        path: format!("{fpath}.{}[{k}]", p.name),
                        value: v,
                    };
                    reduced(&mut out, kind, feature, &at);
                    for check in kind.checks {
                        check_value(
                            &mut out,
                            *check,
                            kind,
                            &Around {
                                config,
                                role,
                                fu,
                                fpath: &fpath,
                            },
                            &at,
                        );
                    }
                }
            }
            if let Some(sts) = fu.statements() {
                for (k, st) in sts.iter().enumerate() {
                    let spath = format!("{fpath}.statements[{k}]");
                    let allow = st["Effect"] == "Allow";
                    let actions = strings(st.get("Action"));
                    if actions
                        .iter()
                        .any(|a| action_covers(a, cat.iam.decrypt_action))
                        && allow
                    {
                        has_decrypt = true;
                    }
                    if allow
                        && actions.iter().any(|a| {
                            cat.iam
                                .secret_read_actions
                                .iter()
                                .any(|read| action_covers(a, read))
                        })
                    {
                        reads_secrets.get_or_insert(spath.clone());
                    }
                    if allow {
                        foreign_actions(&mut out, role, &actions, &spath);
                    }
                    unresolvable_variables(&mut out, st, &spath);
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
                        statement_namespace_slip(&mut out, &r, &spath);
                    }
                }
            }
        }
        if let Some(spath) = reads_secrets {
            if !has_decrypt {
                out.push(DiagnosticCode::KmsDecryptMissing, Severity::Info, spath, format!("{} reads secrets or parameters without {decrypt}: that works only with the default AWS managed keys. Secrets under a customer managed key also need {decrypt} on that key", role.effective_name(), decrypt = cat.iam.decrypt_action));
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
    denied_grants(&mut out, plan);
    // Errors, then warnings, then notes, each in the order found: a stable sort by severity,
    // written out because the general sort costs the wasm builds ~1.5 KB of code.
    let mut sorted = Vec::with_capacity(out.0.len());
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        sorted.extend(out.0.iter().filter(|d| d.severity == severity).cloned());
    }
    sorted
}

/// A role of a kind that cannot work without some AWS managed policies, which the role leaves
/// out and whose actions (those it allows on every resource) no statement of the role grants.
fn essentials(out: &mut Out, role: &crate::config::Role, rpath: &str) {
    let attached = role.effective_managed_policies();
    // What the role's own statements grant: its features' (scoped or not) and custom ones.
    let mut own: Vec<String> = role
        .features
        .iter()
        .filter_map(FeatureUse::statements)
        .flatten()
        .filter(|st| st["Effect"] == "Allow")
        .flat_map(|st| strings(st.get("Action")))
        .collect();
    for fu in &role.features {
        for t in fu.feature.statements {
            if crate::config::template_applies(fu, t) {
                own.extend(t.actions.iter().map(|a| (*a).to_string()));
            }
        }
    }
    // And what the AWS managed policies it attaches allow on every resource.
    for m in &attached {
        if let Some(p) = m.known() {
            own.extend(p.star_actions.iter().map(|a| (*a).to_string()));
        }
    }
    for policy in role.kind.essential_policies {
        if attached.iter().any(|m| m.known() == Some(*policy)) {
            continue;
        }
        let missing: Vec<&str> = policy
            .star_actions
            .iter()
            .copied()
            .filter(|a| !own.iter().any(|p| action_covers(p, a)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        out.push_with_docs(
            DiagnosticCode::RoleCannotWork,
            Severity::Warning,
            format!("{rpath}.managedPolicies"),
            format!(
                "{} does not attach {} nor grant {} itself: {}; add the policy to managedPolicies, or a feature that grants them",
                role.effective_name(),
                policy.name,
                missing.join(", "),
                role.kind
                    .essential_why
                    .unwrap_or("its service cannot use it")
            ),
            role.kind.docs,
        );
    }
}

/// A role whose name the AWS managed policy that passes it does not accept (`namePrefix`), and
/// that no role of the configuration passes by name.
fn name_prefix(out: &mut Out, config: &Config, role: &crate::config::Role, rpath: &str) {
    let Some(prefix) = role.kind.name_prefix else {
        return;
    };
    let name = role.effective_name();
    if name.starts_with(prefix) {
        return;
    }
    let passed = config
        .roles
        .iter()
        .any(|r| crate::config::passed_roles(config, r).any(|(p, _)| std::ptr::eq(p, role)));
    if passed {
        return;
    }
    let by: Vec<String> = catalog()
        .features
        .iter()
        .filter(|f| f.passes.contains(&role.kind.id))
        .map(|f| {
            let policies: Vec<&str> = f.managed_policies.iter().map(|m| m.name).collect();
            format!("{} of the {} feature", policies.join(", "), f.id)
        })
        .collect();
    out.push_with_docs(
        DiagnosticCode::ManagedInstancesRoleName,
        Severity::Warning,
        format!("{rpath}.name"),
        format!(
            "{name} does not start with {prefix}: {} passes only roles named {prefix}*, so ECS cannot launch instances with this role; rename it, or add the infrastructure role with that feature to this configuration, which passes it by name",
            by.join(" or ")
        ),
        role.kind.docs,
    );
}

/// The actions a role kind's own permissions use: those of the features that belong on it and
/// of the AWS managed policies it attaches by default or needs.
fn own_actions(kind: &crate::catalog::RoleKind) -> Vec<&'static str> {
    let cat = catalog();
    let mut actions: Vec<&'static str> = Vec::new();
    for f in cat
        .features
        .iter()
        .filter(|f| f.home_roles.contains(&kind.id))
    {
        actions.extend(feature_actions(f));
        for mp in f.managed_policies {
            actions.extend(mp.star_actions.iter().copied());
        }
    }
    for mp in kind
        .default_managed_policies
        .iter()
        .chain(kind.essential_policies)
    {
        actions.extend(mp.star_actions.iter().copied());
    }
    actions
}

/// Every action a feature's statements can grant.
fn feature_actions(f: &'static crate::catalog::Feature) -> impl Iterator<Item = &'static str> {
    f.statements.iter().flat_map(|t| {
        t.actions.iter().copied().chain(
            t.optional_actions
                .iter()
                .flat_map(|o| o.actions.iter().copied()),
        )
    })
}

/// The services a role kind's own permissions use.
fn services_of(kind: &crate::catalog::RoleKind) -> Vec<&'static str> {
    let mut services: Vec<&'static str> = Vec::new();
    for a in own_actions(kind) {
        let service = a.split(':').next().unwrap_or(a);
        if !services.contains(&service) {
            services.push(service);
        }
    }
    services
}

/// An action the role kind does not use, on a kind whose other actions belong on another role
/// (the application's calls on the execution role): a named action that none of the kind's
/// features or policies grants (`s3:PutObject`, though environment files use `s3:GetObject`), or
/// a wildcard of a service the kind does not use. Where a feature of the other role grants it,
/// the message names that feature.
fn foreign_actions(out: &mut Out, role: &crate::config::Role, actions: &[String], spath: &str) {
    let Some(home) = role.kind.other_actions_belong_on else {
        return;
    };
    let own = own_actions(role.kind);
    let services = services_of(role.kind);
    for a in actions {
        let service = a.split(':').next().unwrap_or(a);
        if service == "*" {
            continue;
        }
        let fits = if a.contains(['*', '?']) {
            services.contains(&service)
        } else {
            own.iter().any(|o| action_covers(o, a))
        };
        if fits {
            continue;
        }
        // The application's own features first (S3 for the application, not ECS Exec's bucket).
        let grants = |f: &&'static crate::catalog::Feature| {
            f.home_roles.contains(&home)
                && !f.home_roles.contains(&role.kind.id)
                && feature_actions(f).any(|x| action_covers(a, x) || action_covers(x, a))
        };
        let features = &catalog().features;
        let feature = features
            .iter()
            .filter(|f| f.application)
            .find(grants)
            .or_else(|| features.iter().find(grants));
        let instead = feature.map_or_else(String::new, |f| {
            format!(" (the {} feature there grants it, scoped)", f.id)
        });
        out.push(
            DiagnosticCode::WrongRole,
            Severity::Warning,
            format!("{spath}.Action"),
            format!(
                "{a} on a {} role: this role is used to start the task ({}), not by the application; what the application calls belongs on the {home} role{instead}: move the statement there",
                role.kind.id,
                services.join(", ")
            ),
        );
    }
}

/// A grant that a `Deny` statement of the same role takes away (a custom statement's
/// `NotAction`, say): the core's evaluator tries what each allowing statement is written for
/// against every policy of the role.
fn denied_grants(out: &mut Out, plan: &Plan) {
    for r in &plan.roles {
        let policies: Vec<&crate::plan::PolicyPlan> = r
            .inline
            .iter()
            .chain(r.attached.iter().map(|&i| &plan.managed[i]))
            .collect();
        let docs: Vec<&serde_json::Value> = policies.iter().map(|p| &p.document).collect();
        // Only an explicit Deny can deny what an Allow grants; most roles have none.
        let has_deny = docs.iter().any(|d| {
            crate::evaluate::statements(d)
                .iter()
                .any(|st| st["Effect"] == "Deny")
        });
        if !has_deny {
            continue;
        }
        for p in &policies {
            for st in p.document["Statement"].as_array().into_iter().flatten() {
                if st["Effect"] != "Allow" {
                    continue;
                }
                let denied = crate::evaluate::examples(st, &r.arn)
                    .into_iter()
                    .find_map(|req| {
                        let e = crate::evaluate::evaluate(&docs, None, &req);
                        (e.decision == crate::evaluate::Decision::ExplicitDeny)
                            .then(|| (req, e.statements[0]))
                    });
                if let Some((req, (pi, si))) = denied {
                    let by = &policies[pi];
                    let sid = by.document["Statement"][si]["Sid"].as_str().map_or_else(
                        || format!("statement {}", si + 1),
                        |s| format!("statement {s}"),
                    );
                    out.push(
                        DiagnosticCode::DeniedByStatement,
                        Severity::Warning,
                        p.source.clone(),
                        format!(
                            "{} on {}, which policy {} of role {} allows, is denied by the Deny {sid} of policy {}: the grant does nothing; narrow the Deny (NotAction, NotResource) or drop it",
                            req.action, req.resource, p.name, r.name, by.name
                        ),
                    );
                }
            }
        }
    }
}

/// A `${...}` in a custom statement's resources or condition values that is not a policy
/// variable IAM can resolve (a context key has a `:`; `${*}`, `${?}` and `${$}` stand for the
/// characters): IAM cannot resolve it, so the statement matches nothing. A shell or template
/// variable pasted into a policy looks like this.
fn unresolvable_variables(out: &mut Out, st: &serde_json::Value, spath: &str) {
    let mut values: Vec<(String, &str)> = Vec::new();
    for key in ["Resource", "NotResource"] {
        for (i, v) in strings_at(st.get(key)) {
            values.push((format!("{spath}.{key}{i}"), v));
        }
    }
    if let Some(cond) = st.get("Condition").and_then(|c| c.as_object()) {
        for (op, keys) in cond {
            for (k, v) in keys.as_object().into_iter().flatten() {
                for (i, s) in strings_at(Some(v)) {
                    values.push((format!("{spath}.Condition.{op}.{k}{i}"), s));
                }
            }
        }
    }
    for (path, v) in values {
        let mut rest = v;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let name = &rest[start + 2..start + len];
            if !name.contains(':') && !matches!(name, "*" | "?" | "$") {
                out.push(
                    DiagnosticCode::UnresolvableVariable,
                    Severity::Warning,
                    path.clone(),
                    format!("${{{name}}} in {} is read by IAM as a policy variable, and no request has a key {name} (a context key has a service prefix, such as aws:username), so this never matches; for the text itself write ${{$}}{{{name}}}", crate::json::quote(v)),
                );
            }
            rest = &rest[start + len..];
        }
    }
}

/// The strings of a policy element (a string or a list of strings), with their list index.
fn strings_at(v: Option<&serde_json::Value>) -> Vec<(String, &str)> {
    match v {
        Some(serde_json::Value::String(s)) => vec![(String::new(), s.as_str())],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .enumerate()
            .filter_map(|(i, x)| x.as_str().map(|s| (format!("[{i}]"), s)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Where a value is: its configuration, role, feature use and the feature's path.
#[derive(Clone, Copy)]
struct Around<'a> {
    config: &'a Config,
    role: &'a crate::config::Role,
    fu: &'a FeatureUse,
    fpath: &'a str,
}

/// A value of a parameter and its path.
struct ParamItem<'a> {
    path: String,
    value: &'a str,
}

/// Runs one check the catalogue declares on a value kind (`valueKinds[].checks`).
fn check_value(
    out: &mut Out,
    check: ValueCheck,
    kind: &ValueKind,
    around: &Around,
    at: &ParamItem,
) {
    let Around {
        config,
        role,
        fu,
        fpath,
    } = *around;
    match check {
        ValueCheck::CrossAccountKey => cross_account_key(out, config, fu, fpath, at),
        ValueCheck::NamespaceSlip => namespace_slip(out, kind, at),
        ValueCheck::Wildcard => wildcard(out, kind, at),
        ValueCheck::SecretReference => secret_reference(out, role, at),
        ValueCheck::SameAccount => same_account(out, config, kind, at),
    }
}

/// A resource of another account, of a kind whose service takes no resource-based policy
/// for it: no statement of this role, nor of the owner, lets the role use it.
fn same_account(out: &mut Out, config: &Config, kind: &ValueKind, at: &ParamItem) {
    let parts: Vec<&str> = at.value.splitn(6, ':').collect();
    let account = match parts.as_slice() {
        ["arn", _, _, _, account, _] => *account,
        _ => return,
    };
    let (Some(own), Some(why)) = (config.account.as_deref(), kind.same_account) else {
        return;
    };
    if account != own && !account.is_empty() && !account.contains(['*', '?']) {
        out.push(
            DiagnosticCode::ResourceInOtherAccount,
            Severity::Warning,
            at.path.clone(),
            format!("{} is in account {account}, not {own}: {why}", at.value),
        );
    }
}

/// The name part of a full ARN (`arn:p:s:r:a:TYPE:NAME`), and its account.
fn arn_name(s: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = s.splitn(7, ':').collect();
    (parts.len() >= 7 && parts[0] == "arn").then(|| (parts[6], parts[4]))
}

/// A value written as users find it (a task definition's `valueFrom`, an ARN without the
/// secret's suffix) is reduced to what IAM matches: say what was done.
/// Its page is the feature's own, which says how the service reads the value.
fn reduced(out: &mut Out, kind: &ValueKind, feature: &crate::catalog::Feature, at: &ParamItem) {
    let Some(r) = crate::validate::reduce(kind.key, at.value) else {
        return;
    };
    let code = if r.suffix {
        DiagnosticCode::SecretArnSuffix
    } else {
        DiagnosticCode::ValueReduced
    };
    let severity = if r.ambiguous {
        Severity::Warning
    } else {
        Severity::Info
    };
    let docs = match (code, feature.docs.first()) {
        (DiagnosticCode::ValueReduced, Some(d)) => d.url,
        _ => code.info().docs,
    };
    out.push_with_docs(
        code,
        severity,
        at.path.clone(),
        format!("{} is {}", at.value, r.why),
        docs,
    );
}

/// A resource in another account is encrypted with a customer managed key: the feature's key
/// parameter (of the `kms-key` kind) must name it.
fn cross_account_key(out: &mut Out, config: &Config, fu: &FeatureUse, fpath: &str, at: &ParamItem) {
    let s = at.value;
    let Some((_, account)) = arn_name(s) else {
        return;
    };
    let Some(keys) = fu
        .feature
        .params
        .iter()
        .find(|p| p.item == Some(ValueKindId::KmsKey))
    else {
        return;
    };
    let other_account = config
        .account
        .as_deref()
        .is_some_and(|a| account != a && account != "*");
    if other_account && !fu.is_set(keys.name) {
        let decrypt = catalog().iam.decrypt_action;
        let param = keys.name;
        out.push(DiagnosticCode::KmsDecryptMissing, Severity::Warning, format!("{fpath}.{param}"), format!("{s} is in another account: a cross-account secret must be encrypted with a customer managed key, and this role needs {decrypt} on it; add the key to {param}"));
    }
}

/// A parameter that stands for a Secrets Manager secret is read through Parameter Store, which
/// reads the secret with the caller's permissions: the role needs the secret read too.
fn secret_reference(out: &mut Out, role: &crate::config::Role, at: &ParamItem) {
    let name = at
        .value
        .rsplit_once(":parameter")
        .map_or(at.value, |(_, name)| name);
    let Some(secret) = crate::validate::secret_reference(name) else {
        return;
    };
    let read = catalog()
        .iam
        .secret_read_actions
        .first()
        .copied()
        .unwrap_or_default();
    let has_it = role.features.iter().any(|fu| {
        fu.feature.params.iter().any(|p| {
            p.item == Some(ValueKindId::Secret)
                && fu.values(p.name).iter().any(|v| v.contains(secret))
        })
    });
    if !has_it {
        out.push(
            DiagnosticCode::RoleCannotWork,
            Severity::Warning,
            at.path.clone(),
            format!("{} is a Parameter Store reference to the Secrets Manager secret {secret}: reading it also needs {read} on that secret; add {secret} to a secrets-manager feature of this role", at.value),
        );
    }
}

/// A pattern matches every resource it fits: say so, for every kind alike. What the kind's ARN
/// template puts after the name (a secret's suffix `-??????`, a task definition's revisions
/// `:*`) and a namespace slip (said on its own) are not such patterns.
fn wildcard(out: &mut Out, kind: &ValueKind, at: &ParamItem) {
    let v = at.value;
    let suffix = crate::validate::name_suffix(kind);
    let body = v
        .strip_suffix(suffix)
        .filter(|_| !suffix.is_empty())
        .unwrap_or(v);
    if !body.contains(['*', '?']) {
        return;
    }
    if kind.checks.contains(&ValueCheck::NamespaceSlip) && body.ends_with("/*") {
        return;
    }
    out.push(
        DiagnosticCode::WildcardName,
        Severity::Warning,
        at.path.clone(),
        format!(
            "{v} is a pattern: it matches every {} it fits, not one; list the names the tasks use",
            kind.label.split(" name").next().unwrap_or(kind.label)
        ),
    );
}

/// `NAME/*` matches what is inside the namespace `NAME/`, not `NAME` itself.
fn namespace_slip(out: &mut Out, kind: &ValueKind, at: &ParamItem) {
    let r = at.value;
    let resource = kind.arn_resource.unwrap_or_default();
    let name = r.rsplit_once(&format!(":{resource}")).map_or(r, |x| x.1);
    if let Some(base) = name.strip_suffix("/*") {
        out.push(DiagnosticCode::ArnNamespaceSlip, Severity::Warning, at.path.clone(), format!("{r} matches only repositories inside the namespace {base}/ (such as {base}/app), not the repository {base} itself; write {base} to scope to that repository"));
    }
}

/// The same slip in the resource of a statement the user wrote, for every value kind that
/// has the check.
fn statement_namespace_slip(out: &mut Out, r: &str, spath: &str) {
    for kind in catalog()
        .value_kinds
        .iter()
        .filter(|k| k.checks.contains(&ValueCheck::NamespaceSlip))
    {
        let Some(resource) = kind.arn_resource else {
            continue;
        };
        if let Some((_, name)) = r.split_once(&format!(":{resource}")) {
            if let Some(base) = name.strip_suffix("/*") {
                if !base.contains('*') {
                    out.push(DiagnosticCode::ArnNamespaceSlip, Severity::Warning, format!("{spath}.Resource"), format!("{r} matches only repositories inside the namespace {base}/, not the repository {base}; use ...:{resource}{base}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// IAM's count as written down: the placeholders replaced by their longest values, then
    /// the characters that are not white space.
    fn by_definition(doc: &Value) -> usize {
        let longest = &catalog().iam.size_counting;
        crate::json::to_string(doc)
            .replace(PARTITION, longest.partition)
            .replace(REGION, longest.region)
            .replace(ACCOUNT, longest.account)
            .chars()
            .filter(|c| !c.is_whitespace())
            .count()
    }

    #[test]
    fn policy_size_counts_as_iam_does_with_placeholders_at_their_longest() {
        let docs = [
            serde_json::json!({"Version": "2012-10-17", "Statement": []}),
            serde_json::json!({"Resource": format!("arn:{PARTITION}:s3:::a b/${{aws:username}}/{ACCOUNT}{REGION}")}),
            serde_json::json!({"Sid": "é ü \u{3000} ${", "x": "${AWS::Partition", "y": [PARTITION, PARTITION]}),
            serde_json::json!({"line": "tab\there\nnew line"}),
            serde_json::json!({"q\"k\\": "\u{0}\u{b}\u{1f}\u{8}\u{c}\r\u{7f}\u{85}\u{a0}\u{2028}\u{202e}",
                "n": [1, -2.5, 1e300, 0], "b": [true, false, null], "e": [{}, [], ""]}),
            serde_json::json!({"${AWS::Region}${AWS::Account": [ACCOUNT, format!("{ACCOUNT}{ACCOUNT}x")]}),
            serde_json::json!(null),
            serde_json::json!(PARTITION),
        ];
        for doc in &docs {
            assert_eq!(policy_size(doc), by_definition(doc), "{doc}");
        }
    }

    /// Any string, with the placeholders and the characters the count treats apart mixed in.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            any::<String>(),
            Just(PARTITION.to_string()),
            Just(REGION.to_string()),
            Just(ACCOUNT.to_string()),
            Just("${AWS::".to_string()),
            proptest::sample::select(vec![
                " ", "\t", "\n", "\u{b}", "\u{85}", "\u{a0}", "\u{3000}", "\u{2028}", "\"", "\\",
                "é", "\u{1f}"
            ])
            .prop_map(str::to_string),
        ];
        proptest::collection::vec(piece, 0..6).prop_map(|p| p.concat())
    }

    fn document() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            text().prop_map(Value::String),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            Just(Value::Null),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((text(), inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn policy_size_of_any_document_is_its_written_count(doc in document()) {
            proptest::prop_assert_eq!(policy_size(&doc), by_definition(&doc));
        }
    }

    /// Every document of every fixture's plan, as `check` counts it.
    #[test]
    fn policy_size_counts_every_fixture_document_as_iam_does() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(config) = Config::parse(&text) else {
                continue;
            };
            let p = plan(&config);
            let managed = p.managed.iter().map(|m| &m.document);
            for r in &p.roles {
                let docs = r.inline.iter().map(|i| &i.document).chain([&r.trust]);
                for doc in docs.chain(managed.clone()) {
                    assert_eq!(policy_size(doc), by_definition(doc), "{}", path.display());
                    seen += 1;
                }
            }
        }
        assert!(seen > 100, "only {seen} documents");
    }
}
