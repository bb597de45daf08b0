//! The policy model: what IAM resources a configuration produces, before any format is chosen.
//! Renderers only lay this out; they decide nothing about permissions.

use crate::catalog::{
    catalog, DocLink, Feature, ManagedPolicy, OwnerGrant, ResourceTemplate, RoleKind,
    StatementTemplate, ValueKindId,
};
use crate::config::{
    managed_policy_name, pass_role_sid, passed_roles, policy_names, template_applies, Config,
    FeatureUse, ManagedPolicyUse, PermissionStyle, Role,
};
use crate::json::obj;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Placeholders for values the configuration leaves to the deployment. They are CloudFormation's
/// pseudo parameters: CloudFormation substitutes them (`Fn::Sub`), the CLI script replaces them
/// with what AWS answers at run time, and the JSON output keeps them for the reader to fill.
/// User input can never contain them (see `validate::policy_text`).
pub(crate) const PARTITION: &str = "${AWS::Partition}";
pub(crate) const REGION: &str = "${AWS::Region}";
pub(crate) const ACCOUNT: &str = "${AWS::AccountId}";
pub(crate) const PLACEHOLDERS: [&str; 3] = [PARTITION, REGION, ACCOUNT];

/// The first placeholder in `s` and where it starts. A byte search for `$`, which few strings
/// hold, instead of a substring search per placeholder: the renderers ask it of every string.
pub(crate) fn next_placeholder(s: &str) -> Option<(usize, &'static str)> {
    let mut from = 0;
    while let Some(i) = s[from..].find('$') {
        let at = from + i;
        if let Some(p) = PLACEHOLDERS.iter().find(|p| s[at..].starts_with(**p)) {
            return Some((at, p));
        }
        from = at + 1;
    }
    None
}

#[derive(Debug, Clone)]
pub struct Plan {
    /// The configuration it was made from (the hand-off format lists its findings).
    pub config: Config,
    pub style: PermissionStyle,
    pub roles: Vec<RolePlan>,
    /// Customer managed policies: the deployer policies, and in `managed` style one per feature.
    pub managed: Vec<PolicyPlan>,
    /// The other half of grants on resources of another account: statements their owners add.
    pub owner_grants: Vec<OwnerGrantPlan>,
}

/// A statement the owner of a resource in another account adds to the resource's own policy
/// (its key policy, the secret's or repository's resource policy), without which the role's
/// grant does nothing.
#[derive(Debug, Clone)]
pub struct OwnerGrantPlan {
    /// Index into `Plan::roles` of the role it lets in.
    pub role: usize,
    /// The policy it goes in (`key policy`).
    pub policy: &'static str,
    /// The resource whose policy it is.
    pub resource: String,
    /// The account that owns the resource, and applies the statement.
    pub account: String,
    pub statement: Value,
    pub why: &'static str,
    /// The configuration path of the feature that needs it.
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct RolePlan {
    /// Index of the role in the configuration.
    pub index: usize,
    pub kind: &'static RoleKind,
    pub name: String,
    pub path: String,
    pub description: Option<String>,
    pub logical_id: String,
    pub arn: String,
    pub trust: Value,
    pub trust_why: Vec<Explained>,
    /// AWS managed policies (and ARNs given in the configuration), in order.
    pub managed_policy_arns: Vec<String>,
    /// Inline policies, one per feature (empty in `managed` style).
    pub inline: Vec<PolicyPlan>,
    /// Indexes into `Plan::managed` of the customer managed policies attached to this role.
    pub attached: Vec<usize>,
    pub instance_profile: Option<InstanceProfile>,
}

#[derive(Debug, Clone)]
pub struct InstanceProfile {
    pub name: String,
    pub logical_id: String,
}

#[derive(Debug, Clone)]
pub struct PolicyPlan {
    pub name: String,
    /// IAM path of a customer managed policy (`/` for inline policies).
    pub path: String,
    pub logical_id: String,
    /// Feature id, or the policy's role kind (`deployer`).
    pub feature: String,
    /// The role kind of a policy that stands for a role of the configuration (the deployer's),
    /// `None` for the policy of a feature.
    pub kind: Option<&'static RoleKind>,
    /// Configuration path of what produced it, such as `roles[0].features[1]`.
    pub source: String,
    pub document: Value,
    pub why: Vec<Explained>,
    /// Indexes into `Plan::roles` of the roles it is attached to (managed policies only).
    pub roles: Vec<usize>,
    pub arn: Option<String>,
}

/// Why a statement is there.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explained {
    pub sid: String,
    pub why: Cow<'static, str>,
    pub docs: Cow<'static, [DocLink]>,
}

/// Where the roles live: the partition, Region and account the configuration gives, or the
/// placeholders for those it leaves open.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub partition_known: bool,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(config: &'a Config) -> Self {
        Scope {
            partition: config.partition.as_deref().unwrap_or(PARTITION),
            region: config.region.as_deref().unwrap_or(REGION),
            account: config.account.as_deref().unwrap_or(ACCOUNT),
            partition_known: config.partition.is_some(),
        }
    }

    /// Fills `${Partition}`, `${Region}`, `${Account}` (and `${Name}` with `name`) of a
    /// catalogue template.
    pub(crate) fn fill_name(&self, template: &str, name: &str) -> String {
        self.fill_vars(template, &[("Name", name)])
    }

    /// Fills `${Partition}`, `${Region}`, `${Account}` and the placeholders `vars` names
    /// (`("Arn", arn)` for `${Arn}`) of a catalogue template, in one pass: this runs for every
    /// resource and condition value of every statement. Other placeholders (IAM policy
    /// variables such as `${aws:username}`) stay as they are, and what is filled in is never
    /// read again, so a value holding `${` cannot become a placeholder.
    pub(crate) fn fill_vars(&self, template: &str, vars: &[(&str, &str)]) -> String {
        let extra: usize = vars.iter().map(|(_, v)| v.len()).sum();
        let mut out = String::with_capacity(template.len() + extra + 32);
        let mut rest = template;
        while let Some(i) = placeholder_start(rest) {
            out.push_str(&rest[..i]);
            let tail = &rest[i + 2..];
            let Some(end) = tail.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let value = match &tail[..end] {
                "Partition" => Some(self.partition),
                "Region" => Some(self.region),
                "Account" => Some(self.account),
                key => vars.iter().find(|(k, _)| *k == key).map(|(_, v)| *v),
            };
            out.push_str(value.unwrap_or(&rest[i..i + 2 + end + 1]));
            rest = &tail[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Fills `${Partition}`, `${Region}` and `${Account}` of a catalogue template.
    pub(crate) fn fill(&self, template: &str) -> String {
        self.fill_name(template, "${Name}")
    }

    /// Fills an IAM ARN template of the catalogue (`iam.arns`): `${Path}` and `${Name}` are
    /// an IAM path and name, which never hold `$`.
    pub(crate) fn fill_iam(&self, template: &str, path: &str, name: &str) -> String {
        self.fill_vars(template, &[("Path", path), ("Name", name)])
    }
}

/// Where the first `${` of `s` is (a search for `$`, which templates rarely hold otherwise,
/// is a byte scan; one for the two-character string is not).
fn placeholder_start(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find('$') {
        let at = from + i;
        if bytes.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The ARNs IAM must match for a parameter value: the value reduced to what IAM matches
/// (`validate::reduce`), then ARNs as given and names through the value kind's template, in
/// the scope of the resource it belongs to (`owner_scopes`).
fn value_arns(
    scope: &Scope,
    owner_scopes: &[Scope],
    kind: Option<ValueKindId>,
    value: &str,
) -> Vec<String> {
    let forms = match kind.and_then(|k| crate::validate::reduce(k, value)) {
        Some(reduced) => reduced.forms,
        None => vec![value.to_string()],
    };
    let scopes = if owner_scopes.is_empty() {
        std::slice::from_ref(scope)
    } else {
        owner_scopes
    };
    let mut out = Vec::new();
    for v in &forms {
        for s in scopes {
            let arn = value_arn(s, kind, v);
            if !out.contains(&arn) {
                out.push(arn);
            }
        }
    }
    out
}

/// Each value of a feature's parameter with every ARN IAM must match for it (`value_arns`, in
/// the scope of the resource it belongs to).
fn param_arns<'a>(scope: &Scope, fu: &'a FeatureUse, param: &str) -> Vec<(&'a str, String)> {
    let kind = fu.feature.param(param).and_then(|p| p.item);
    let owners = owner_scopes(fu, kind);
    let mut out = Vec::new();
    for v in fu.values(param) {
        for arn in value_arns(scope, &owners, kind, v) {
            out.push((v, arn));
        }
    }
    out
}

/// Where the resources of a value kind given by id live: a kind that belongs to another
/// (`ownedBy`, an access point to its file system) takes the partition, Region and account of
/// the feature's values of that kind given by ARN; none given by ARN: the configuration's.
fn owner_scopes<'a>(fu: &'a FeatureUse, kind: Option<ValueKindId>) -> Vec<Scope<'a>> {
    let Some(owner) = kind.and_then(|k| k.info().owned_by) else {
        return Vec::new();
    };
    let mut out: Vec<Scope<'a>> = Vec::new();
    for p in fu.feature.params.iter().filter(|p| p.item == Some(owner)) {
        for v in fu.values(p.name) {
            let parts: Vec<&'a str> = v.splitn(6, ':').collect();
            if parts.len() == 6 && parts[0] == "arn" {
                let s = Scope {
                    partition: parts[1],
                    region: parts[3],
                    account: parts[4],
                    partition_known: true,
                };
                if !out.iter().any(|o| {
                    (o.partition, o.region, o.account) == (s.partition, s.region, s.account)
                }) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// The ARN of a name or ARN: ARNs stay as given, names go through the value kind's template
/// (a kind without one keeps the value as it is).
fn value_arn(scope: &Scope, kind: Option<ValueKindId>, value: &str) -> String {
    if value.starts_with("arn:") {
        return value.to_string();
    }
    let Some(kind) = kind.map(ValueKindId::info) else {
        return value.to_string();
    };
    let name = match kind.arn_trims {
        Some(prefix) => value.trim_start_matches(prefix),
        None => value,
    };
    match kind.arn {
        Some(t) => scope.fill_name(t, name),
        None => value.to_string(),
    }
}

/// Whether a resource template would add a version or alias to an ARN that names one already
/// (`function:NAME:live` made `function:NAME:live:*`): that ARN stands alone.
fn adds_qualifier(kind: Option<ValueKindId>, arn: &str, template: &str) -> bool {
    let Some(info) = kind.map(ValueKindId::info) else {
        return false;
    };
    let (Some(sep), Some(resource)) = (info.qualifier, info.arn_resource) else {
        return false;
    };
    let adds = template
        .strip_prefix("${Arn}")
        .is_some_and(|rest| rest.starts_with(sep));
    let name = arn.split_once(resource).map_or("", |(_, name)| name);
    adds && name.contains(sep)
}

/// An ARN up to the first `/` of its resource part: the bucket of an S3 object's ARN.
fn arn_head(arn: &str) -> &str {
    let resource_start = arn
        .match_indices(':')
        .nth(4)
        .map_or(arn.len(), |(i, _)| i + 1);
    match arn[resource_start..].find('/') {
        Some(i) => &arn[..resource_start + i],
        None => arn,
    }
}

/// The ARN of a managed policy a role attaches: as the configuration gives it, or the AWS
/// managed policy's ARN in the configuration's partition.
pub(crate) fn managed_policy_arn(scope: &Scope, policy: &ManagedPolicyUse) -> String {
    match policy {
        ManagedPolicyUse::Arn { arn, .. } => arn.clone(),
        ManagedPolicyUse::Named { policy, .. } => aws_managed_policy_arn(scope, policy),
    }
}

/// The ARN of an AWS managed policy in the configuration's partition.
pub(crate) fn aws_managed_policy_arn(scope: &Scope, policy: &ManagedPolicy) -> String {
    scope.fill_iam(
        catalog().iam.arns.aws_managed_policy,
        policy.path,
        policy.name,
    )
}

pub(crate) fn role_arn(scope: &Scope, role: &Role) -> String {
    scope.fill_iam(
        catalog().iam.arns.role,
        role.effective_path(),
        role.effective_name(),
    )
}

/// The ARN of a customer managed policy.
pub(crate) fn policy_arn(scope: &Scope, path: &str, name: &str) -> String {
    scope.fill_iam(catalog().iam.arns.policy, path, name)
}

/// `Action` or `Resource`: a string when there is one value, a list otherwise, as AWS writes them.
pub(crate) fn one_or_many(values: Vec<String>) -> Value {
    if values.len() == 1 {
        Value::String(values.into_iter().next().expect("one value"))
    } else {
        Value::Array(values.into_iter().map(Value::String).collect())
    }
}

pub(crate) fn document(statements: Vec<Value>) -> Value {
    let mut m = Map::with_capacity(2);
    m.insert("Version".into(), catalog().iam.policy_version.into());
    m.insert("Statement".into(), Value::Array(statements));
    Value::Object(m)
}

/// CloudFormation logical id from a name: alphanumeric, CamelCase, starting with a letter.
pub(crate) fn logical_id(name: &str, suffix: &str, taken: &mut Vec<String>) -> String {
    let mut id = String::new();
    for part in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.extend(chars);
        }
    }
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert(0, 'R');
    }
    id.push_str(suffix);
    id.truncate(200);
    let base = id.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&id)) {
        id = format!("{base}{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

/// Adds `key: value` to the block of `operator` of a `Condition`, creating the block if needed.
fn add_condition(cond: &mut Map<String, Value>, operator: &str, key: &str, value: Value) {
    if let Value::Object(block) = cond
        .entry(operator.to_string())
        .or_insert_with(|| Value::Object(Map::new()))
    {
        block.insert(key.to_string(), value);
    }
}

fn trust_policy(scope: &Scope, role: &Role) -> (Value, Vec<Explained>) {
    let kind = role.kind;
    let principal = kind
        .principal
        .expect("build.rs refuses a role kind without principal");
    let mut st = Map::new();
    if let Some(sid) = kind.trust_sid {
        st.insert("Sid".into(), sid.into());
    }
    st.insert("Effect".into(), "Allow".into());
    st.insert("Principal".into(), obj(vec![("Service", principal.into())]));
    let trust = &catalog().iam.trust;
    st.insert("Action".into(), trust.action.into());
    let mut why = format!(
        "Lets {principal} assume this role, as AWS documents for the {}.",
        kind.title.to_ascii_lowercase()
    );
    if let (true, Some(cd)) = (role.effective_confused_deputy(), &kind.confused_deputy) {
        let mut cond = Map::new();
        // The sources the role names (schedule groups), or the kind's default; ARNs as given.
        let source = match cd.source_default {
            Some(default) => {
                let names: Vec<&str> = match &role.sources {
                    Some(list) => list.iter().map(String::as_str).collect(),
                    None => vec![default],
                };
                let arns: Vec<String> = names
                    .iter()
                    .map(|n| value_arn(scope, cd.source_item, n))
                    .collect();
                one_or_many(arns)
            }
            None => scope.fill(cd.source_arn).into(),
        };
        add_condition(&mut cond, cd.operator, trust.source_arn_key, source);
        add_condition(
            &mut cond,
            trust.source_account_operator,
            trust.source_account_key,
            scope.account.into(),
        );
        st.insert("Condition".into(), Value::Object(cond));
        why.push_str(&format!(
            " The {} and {} conditions stop another account from making the service act on this role (confused deputy).",
            trust.source_arn_key, trust.source_account_key
        ));
    }
    let doc = document(vec![Value::Object(st)]);
    let sid = kind.trust_sid.unwrap_or_default();
    (
        doc,
        vec![Explained {
            sid: sid.to_string(),
            why: why.into(),
            docs: Cow::Owned(vec![DocLink {
                title: kind.title,
                url: kind.docs,
            }]),
        }],
    )
}

fn statement_from(
    scope: &Scope,
    feature: &'static Feature,
    fu: &FeatureUse,
    t: &StatementTemplate,
) -> Option<Value> {
    if !template_applies(fu, t) {
        return None;
    }
    let mut actions: Vec<String> = t.actions.iter().map(|a| (*a).to_string()).collect();
    for oa in t.optional_actions {
        if fu.is_set(oa.when) {
            actions.extend(oa.actions.iter().map(|a| (*a).to_string()));
        }
    }
    let mut resources = Vec::new();
    for r in t.resources {
        match r {
            ResourceTemplate::Literal(s) => resources.push(scope.fill(s)),
            ResourceTemplate::FromParam {
                param,
                template,
                per,
            } => {
                // build.rs checks that the parameter is the feature's and has a value kind.
                let kind = feature.param(param).and_then(|p| p.item);
                let mut pers: Vec<&str> = per.map(|p| fu.values(p)).unwrap_or_default();
                if pers.is_empty() {
                    pers.push("");
                }
                for (v, arn) in param_arns(scope, fu, param) {
                    if adds_qualifier(kind, &arn, template) {
                        continue;
                    }
                    for p in &pers {
                        let resource = scope.fill_vars(
                            template,
                            &[
                                ("ArnHead", arn_head(&arn)),
                                ("Arn", &arn),
                                ("Value", v),
                                ("Per", p),
                            ],
                        );
                        if !resources.contains(&resource) {
                            resources.push(resource);
                        }
                    }
                }
            }
        }
    }
    if resources.is_empty() {
        resources.push("*".into());
    }
    let mut st = Map::new();
    st.insert("Sid".into(), t.sid.into());
    st.insert("Effect".into(), "Allow".into());
    st.insert("Action".into(), one_or_many(actions));
    st.insert("Resource".into(), one_or_many(resources));
    let mut cond = Map::new();
    for c in t.conditions {
        let Some(param) = c.param else {
            add_condition(&mut cond, c.op, c.key, scope.fill(c.template).into());
            continue;
        };
        let mut vals: Vec<String> = Vec::new();
        for (v, arn) in param_arns(scope, fu, param) {
            let value = scope.fill_vars(c.template, &[("Arn", &arn), ("Value", v)]);
            if !vals.contains(&value) {
                vals.push(value);
            }
        }
        if !vals.is_empty() {
            add_condition(&mut cond, c.op, c.key, one_or_many(vals));
        }
    }
    if !cond.is_empty() {
        st.insert("Condition".into(), Value::Object(cond));
    }
    Some(Value::Object(st))
}

/// The policy a feature use produces, or `None` when it only attaches managed policies.
fn feature_policy(
    scope: &Scope,
    role_path: &str,
    fu: &FeatureUse,
    index: usize,
    name: String,
) -> Option<PolicyPlan> {
    let feature = fu.feature;
    let source = format!("{role_path}.features[{index}]");
    let mut statements = Vec::new();
    let mut why = Vec::new();
    if let Some(list) = fu.statements() {
        for (k, s) in list.iter().enumerate() {
            statements.push(s.clone());
            let sid = s
                .get("Sid")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            why.push(Explained {
                sid,
                why: format!("Your own statement ({source}.statements[{k}]).").into(),
                docs: Cow::Borrowed(feature.docs),
            });
        }
    } else {
        for t in feature.statements {
            if let Some(st) = statement_from(scope, feature, fu, t) {
                statements.push(st);
                why.push(Explained {
                    sid: t.sid.to_string(),
                    why: Cow::Borrowed(t.why),
                    docs: Cow::Borrowed(feature.docs),
                });
            }
        }
    }
    if statements.is_empty() {
        return None;
    }
    Some(PolicyPlan {
        name,
        path: "/".into(),
        logical_id: String::new(),
        feature: feature.id.to_string(),
        kind: None,
        source,
        document: document(statements),
        why,
        roles: Vec::new(),
        arn: None,
    })
}

fn pass_role_policy(scope: &Scope, config: &Config, passer: &Role) -> Vec<(Value, Explained)> {
    let cat = catalog();
    let mut groups: Vec<(String, Vec<String>, Vec<String>)> = Vec::new(); // service, arns, names
    for (role, service) in passed_roles(config, passer) {
        let service = service.to_string();
        let arn = role_arn(scope, role);
        match groups.iter_mut().find(|g| g.0 == service) {
            Some(g) => {
                g.1.push(arn);
                g.2.push(role.effective_name().to_string());
            }
            None => groups.push((service, vec![arn], vec![role.effective_name().to_string()])),
        }
    }
    groups
        .into_iter()
        .map(|(service, arns, names)| {
            let mut services = vec![service.clone()];
            for p in cat.partitions {
                if !scope.partition_known || scope.partition == p.id {
                    for (global, extra) in p.extra_passed_to_service {
                        if *global == service {
                            services.push((*extra).to_string());
                        }
                    }
                }
            }
            let sid = pass_role_sid(&service);
            let template = &cat.iam.pass_role;
            let condition = obj(vec![(
                template.operator,
                obj(vec![(template.service_key, one_or_many(services))]),
            )]);
            let st = obj(vec![
                ("Sid", sid.clone().into()),
                ("Effect", "Allow".into()),
                ("Action", template.action.into()),
                ("Resource", one_or_many(arns)),
                ("Condition", condition),
            ]);
            let why = format!(
                "{}, and to nothing else: {} pins the receiving service.",
                passer
                    .kind
                    .pass_why
                    .unwrap_or_default()
                    .replace("{roles}", &names.join(", "))
                    .replace("{service}", &service),
                template.service_key
            );
            let docs = vec![DocLink {
                title: template.docs_title,
                url: passer.kind.docs,
            }];
            (
                st,
                Explained {
                    sid,
                    why: why.into(),
                    docs: Cow::Owned(docs),
                },
            )
        })
        .collect()
}

/// Builds the plan of a valid configuration.
pub fn plan(config: &Config) -> Plan {
    let scope = Scope::new(config);
    let style = config.effective_permissions();
    let mut taken = Vec::new();
    let mut roles = Vec::new();
    let mut managed: Vec<PolicyPlan> = Vec::new();
    for (i, role) in config.roles.iter().enumerate() {
        let kind = role.kind;
        let role_path = format!("roles[{i}]");
        if kind.policy_only {
            let mut statements = Vec::new();
            let mut why = Vec::new();
            for (st, ex) in pass_role_policy(&scope, config, role) {
                statements.push(st);
                why.push(ex);
            }
            for (j, fu) in role.features.iter().enumerate() {
                if let Some(p) = feature_policy(&scope, &role_path, fu, j, String::new()) {
                    statements.extend(
                        p.document["Statement"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default(),
                    );
                    why.extend(p.why);
                }
            }
            let name = role.effective_name().to_string();
            let logical = logical_id(
                &name,
                if name.to_ascii_lowercase().ends_with("policy") {
                    ""
                } else {
                    "Policy"
                },
                &mut taken,
            );
            managed.push(PolicyPlan {
                arn: Some(policy_arn(&scope, role.effective_path(), &name)),
                name,
                path: role.effective_path().to_string(),
                logical_id: logical,
                feature: kind.id.to_string(),
                kind: Some(kind),
                source: role_path,
                document: document(statements),
                why,
                roles: Vec::new(),
            });
            continue;
        }
        let name = role.effective_name().to_string();
        let logical = logical_id(&name, "", &mut taken);
        let (trust, trust_why) = trust_policy(&scope, role);
        let mut managed_policy_arns: Vec<String> = role
            .effective_managed_policies()
            .iter()
            .map(|m| managed_policy_arn(&scope, m))
            .collect();
        let mut inline = Vec::new();
        let mut attached = Vec::new();
        let names = policy_names(role);
        let mut policies = Vec::new();
        for (j, (fu, policy_name)) in role.features.iter().zip(names).enumerate() {
            for mp in fu.managed_policies() {
                let arn = aws_managed_policy_arn(&scope, mp);
                if !managed_policy_arns.contains(&arn) {
                    managed_policy_arns.push(arn);
                }
            }
            let Some(policy_name) = policy_name else {
                continue;
            };
            if let Some(p) = feature_policy(&scope, &role_path, fu, j, policy_name) {
                policies.push(p);
            }
        }
        let passes = pass_role_policy(&scope, config, role);
        if !passes.is_empty() {
            let (statements, why): (Vec<Value>, Vec<Explained>) = passes.into_iter().unzip();
            let name = catalog().iam.pass_role.policy_name;
            policies.push(PolicyPlan {
                name: name.to_string(),
                path: "/".into(),
                logical_id: String::new(),
                feature: name.to_string(),
                kind: None,
                source: role_path.clone(),
                document: document(statements),
                why,
                roles: Vec::new(),
                arn: None,
            });
        }
        // Each policy of the role: inline, or with `permissions: managed` a customer managed
        // policy attached to it.
        for mut p in policies {
            p.logical_id = logical_id(&format!("{name} {}", p.name), "Policy", &mut taken);
            if style == PermissionStyle::Managed {
                let policy_name = managed_policy_name(&name, &p.name);
                p.arn = Some(policy_arn(&scope, "/", &policy_name));
                p.name = policy_name;
                p.roles = vec![roles.len()];
                attached.push(managed.len());
                managed.push(p);
            } else {
                inline.push(p);
            }
        }
        let instance_profile = role.instance_profile().map(|n| InstanceProfile {
            name: n.to_string(),
            logical_id: logical_id(&name, "InstanceProfile", &mut taken),
        });
        roles.push(RolePlan {
            index: i,
            kind,
            arn: role_arn(&scope, role),
            name,
            path: role.effective_path().to_string(),
            // IAM keeps no difference between an empty description and none (and the CDK
            // drops an empty one): an empty description is none.
            description: role.description.clone().filter(|d| !d.is_empty()),
            logical_id: logical,
            trust,
            trust_why,
            managed_policy_arns,
            inline,
            attached,
            instance_profile,
        });
    }
    let owner_grants = owner_grants(&scope, config, &roles);
    Plan {
        config: config.clone(),
        style,
        roles,
        managed,
        owner_grants,
    }
}

/// The statements the owners of resources must add, for every feature statement with an
/// `ownerGrant` whose resources are another account's, or of this account when the grant says
/// why (`sameAccountWhy`: a key policy). An account the configuration leaves open cannot be
/// compared, and gives none.
fn owner_grants(scope: &Scope, config: &Config, roles: &[RolePlan]) -> Vec<OwnerGrantPlan> {
    let mut out: Vec<OwnerGrantPlan> = Vec::new();
    let Some(own) = config.account.as_deref() else {
        return out;
    };
    for (r, plan) in roles.iter().enumerate() {
        let role = &config.roles[plan.index];
        for (j, fu) in role.features.iter().enumerate() {
            for t in fu
                .feature
                .statements
                .iter()
                .filter(|t| template_applies(fu, t))
            {
                let Some(grant) = &t.owner_grant else {
                    continue;
                };
                let params = t.resources.iter().filter_map(|res| match res {
                    ResourceTemplate::FromParam { param, .. } => Some(*param),
                    ResourceTemplate::Literal(_) => None,
                });
                // An ARN that names no account (S3's) has its owner in a parameter.
                let named_owner = grant
                    .account_param
                    .and_then(|p| fu.values(p).first().copied());
                for param in params {
                    for (_, arn) in param_arns(scope, fu, param) {
                        let account = named_owner
                            .unwrap_or_else(|| arn.split(':').nth(4).unwrap_or_default());
                        let foreign = !account.is_empty() && account != "*" && account != own;
                        let why = match (foreign, grant.same_account_why) {
                            (true, _) => grant.why,
                            (false, Some(why)) if account == own => why,
                            _ => continue,
                        };
                        let resource = match grant.resource {
                            Some(r) if r.contains("${ArnHead}") => arn_head(&arn).to_string(),
                            _ => arn.clone(),
                        };
                        let known = out.iter().any(|g| {
                            g.role == r
                                && g.resource == resource
                                && g.policy == grant.policy
                                && g.statement["Sid"] == t.sid
                        });
                        if !known {
                            out.push(OwnerGrantPlan {
                                role: r,
                                policy: grant.policy,
                                account: account.to_string(),
                                statement: owner_statement(
                                    scope, t.sid, grant, &plan.arn, &resource,
                                ),
                                resource,
                                why,
                                source: format!("roles[{}].features[{j}]", plan.index),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// The statement of an `ownerGrant`, naming the role as its principal; `resource` is what the
/// role's statement names (or its bucket), for a policy that names it (`${Arn}`, `${ArnHead}`).
fn owner_statement(
    scope: &Scope,
    sid: &str,
    grant: &OwnerGrant,
    role_arn: &str,
    resource: &str,
) -> Value {
    let mut st = Map::new();
    st.insert("Sid".into(), sid.into());
    st.insert("Effect".into(), "Allow".into());
    st.insert("Principal".into(), obj(vec![("AWS", role_arn.into())]));
    st.insert(
        "Action".into(),
        one_or_many(grant.actions.iter().map(|a| (*a).to_string()).collect()),
    );
    if let Some(template) = grant.resource {
        // `${Arn}` and `${ArnHead}` name `resource`; what follows them is kept (a table's
        // `${Arn}/index/*`).
        let filled = if template.starts_with("${Arn") {
            template
                .replace("${ArnHead}", resource)
                .replace("${Arn}", resource)
        } else {
            scope.fill(template)
        };
        st.insert("Resource".into(), filled.into());
    }
    let mut cond = Map::new();
    for c in grant.conditions {
        add_condition(&mut cond, c.op, c.key, scope.fill(c.template).into());
    }
    if !cond.is_empty() {
        st.insert("Condition".into(), Value::Object(cond));
    }
    Value::Object(st)
}

#[cfg(test)]
mod tests {
    use super::Scope;

    #[test]
    fn fill_vars_fills_known_placeholders_once_and_keeps_the_rest() {
        let scope = Scope {
            partition: "aws",
            region: "eu-west-1",
            account: "123456789012",
            partition_known: true,
        };
        assert_eq!(
            scope.fill_vars(
                "arn:${Partition}:s3:::${Value}/${Per}*",
                &[("Value", "b"), ("Per", "p/")]
            ),
            "arn:aws:s3:::b/p/*"
        );
        // IAM policy variables and unknown names stay; a filled value is not read again.
        assert_eq!(
            scope.fill_vars(
                "${aws:username}-${Value}-${Other}",
                &[("Value", "${Region}")]
            ),
            "${aws:username}-${Region}-${Other}"
        );
        assert_eq!(
            scope.fill_vars("a${Region}b${unclosed", &[]),
            "aeu-west-1b${unclosed"
        );
        assert_eq!(scope.fill_vars("", &[]), "");
        assert_eq!(scope.fill_vars("$$a$${Region}$", &[]), "$$a$eu-west-1$");
        assert_eq!(scope.fill_name("${Account}:${Name}", "n"), "123456789012:n");
    }
}
