//! `ecs-iam diff`: an existing role set against what a configuration needs, judged request by
//! request by the evaluator.
//!
//! The existing roles come from what IAM returns (`get-account-authorization-details`, or the
//! outputs of `get-role`, `get-role-policy` and `list-attached-role-policies` one after
//! another), a CloudFormation template, or this builder's `json` rendering. Each finding is a
//! concrete request with the decision of both sides:
//! - `missing`: a request the configuration allows (one of its vectors) that the existing role
//!   denies;
//! - `excess`: a request the existing role allows and the configuration denies, either the
//!   nearest request a vector says must be denied (a sibling secret, another account) or an
//!   existing statement's own actions and resources, its broadest request;
//! - `wrong-role`: an excess that the configuration puts on another of its roles;
//! - `trust`: the trust policy does not admit the service, or admits it without the
//!   confused-deputy context;
//! - `managed`: an excess that comes from an AWS managed policy the configuration does not
//!   attach (judged from the catalogue's reading of its document: what it allows on every
//!   resource);
//! - `missing-role`: a role of the configuration that the file does not have.

use crate::catalog::catalog;
use crate::config::Config;
use crate::error::ConfigError;
use crate::evaluate::{evaluate, strings_of, Decision, Request};
use crate::import::{cfn, get, read};
use crate::json::{obj, ToJson};
use crate::plan::{plan, Plan, ACCOUNT, PARTITION, REGION};
use crate::vectors::{vectors, Vector};
use serde_json::{Map, Value};

/// A role as it exists.
#[derive(Debug, Clone, Default)]
pub struct ExistingRole {
    pub name: String,
    pub arn: Option<String>,
    pub trust: Option<Value>,
    /// Identity policies: (name, document). Customer managed ones by their name.
    pub policies: Vec<(String, Value)>,
    /// AWS managed policies attached, by name.
    pub aws_managed: Vec<String>,
    /// Managed policies attached whose document the file does not hold.
    pub unknown_managed: Vec<String>,
}

/// What differs, and why.
#[derive(Debug, Clone)]
pub struct Finding {
    /// `missing`, `excess`, `wrong-role`, `trust`, `managed`, `missing-role`.
    pub kind: &'static str,
    /// The configuration's role.
    pub role: String,
    /// The existing role's policy it concerns (its name, `trust`), or the configuration's.
    pub policy: String,
    pub request: Request,
    /// What the configuration's role answers, and the existing role.
    pub config: Decision,
    pub existing: Decision,
    /// For `wrong-role`: the configuration's role that has it.
    pub other_role: Option<String>,
    pub why: String,
}

/// The result of `diff`.
#[derive(Debug, Clone)]
pub struct Diff {
    /// What the file is.
    pub source: &'static str,
    /// (configuration's role, existing role) compared.
    pub compared: Vec<(String, String)>,
    /// Every role of the configuration: its name, its kind's id and the existing role it was
    /// compared with (none when the file has none for it).
    pub roles: Vec<(String, &'static str, Option<String>)>,
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

impl ToJson for Finding {
    fn to_json(&self) -> Value {
        let context: Vec<Value> = self
            .request
            .context
            .iter()
            .map(|(k, v)| obj(vec![("key", k.to_json()), ("values", v.to_json())]))
            .collect();
        obj(vec![
            ("kind", self.kind.into()),
            ("role", self.role.to_json()),
            ("policy", self.policy.to_json()),
            ("principal", self.request.principal.to_json()),
            ("action", self.request.action.to_json()),
            ("resource", self.request.resource.to_json()),
            ("context", Value::Array(context)),
            ("config", self.config.id().into()),
            ("existing", self.existing.id().into()),
            ("otherRole", self.other_role.as_deref().to_json()),
            ("why", self.why.to_json()),
        ])
    }
}

impl ToJson for Diff {
    fn to_json(&self) -> Value {
        obj(vec![
            ("source", self.source.into()),
            (
                "compared",
                Value::Array(
                    self.compared
                        .iter()
                        .map(|(c, e)| obj(vec![("role", c.to_json()), ("existing", e.to_json())]))
                        .collect(),
                ),
            ),
            (
                "roles",
                Value::Array(self.roles.iter().map(|r| self.role_json(r)).collect()),
            ),
            ("findings", self.findings.to_json()),
            ("notes", self.notes.to_json()),
        ])
    }
}

impl Diff {
    /// One role's findings by kind, as `--json` lists them under `roles`.
    fn role_json(&self, (name, kind, existing): &(String, &'static str, Option<String>)) -> Value {
        let of = |kinds: &[&str]| {
            Value::Array(
                self.findings
                    .iter()
                    .filter(|f| &f.role == name && kinds.contains(&f.kind))
                    .map(ToJson::to_json)
                    .collect(),
            )
        };
        obj(vec![
            ("name", name.to_json()),
            ("kind", (*kind).into()),
            ("existing", existing.as_deref().to_json()),
            ("missing", of(&["missing", "missing-role"])),
            ("excess", of(&["excess"])),
            ("wrongRole", of(&["wrong-role"])),
            ("trust", of(&["trust"])),
            ("managedPolicies", of(&["managed"])),
        ])
    }
}

/// The most requests probed for one existing role's statements.
const MAX_PROBES: usize = 400;

/// Reads the existing roles of a file (see the module's documentation).
pub fn existing_roles(text: &str) -> Result<(&'static str, Vec<ExistingRole>), ConfigError> {
    if text.len() > crate::config::MAX_CONFIG_BYTES {
        return Err(ConfigError::new(
            "",
            format!(
                "is {} bytes; the limit is {}",
                text.len(),
                crate::config::MAX_CONFIG_BYTES
            ),
        ));
    }
    let values = json_stream(text)?;
    let first = values.first().cloned().unwrap_or(Value::Null);
    let Value::Object(m) = &first else {
        return Err(ConfigError::new(
            "",
            "is not what IAM returns for roles, a CloudFormation template or a json rendering: it is not an object".into(),
        ));
    };
    if let Some((_, Value::Array(details))) = get(m, "RoleDetailList") {
        return Ok((
            "get-account-authorization-details",
            authorization_details(m, details)?,
        ));
    }
    if let Some((_, Value::Object(resources))) = get(m, "Resources") {
        return Ok(("cloudformation", template_roles(m, resources)?));
    }
    if let Some((_, Value::Array(roles))) = get(m, "Roles") {
        return Ok(("json", rendering_roles(m, roles)?));
    }
    if values.iter().any(|v| v.get("Role").is_some()) {
        return Ok(("get-role", role_outputs(&values)?));
    }
    Err(ConfigError::new(
        "",
        "is not get-account-authorization-details output (no RoleDetailList), get-role output (no Role), a CloudFormation template (no Resources) or a json rendering (no Roles)".into(),
    ))
}

/// One JSON value, or several one after another (the outputs of commands run in a row); a
/// YAML template otherwise.
fn json_stream(text: &str) -> Result<Vec<Value>, ConfigError> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !trimmed.starts_with(['{', '[']) {
        return read(text).map(|v| vec![v]);
    }
    let mut out = Vec::new();
    for (n, part) in split_values(text).into_iter().enumerate() {
        let v = crate::json::parse_keeping_long_numbers(part).map_err(|e| {
            let path = e.path.unwrap_or_default();
            ConfigError::new(&path, format!("in JSON document {}: {}", n + 1, e.message))
        })?;
        out.push(v);
    }
    if out.is_empty() {
        return Err(ConfigError::new("", "is empty".into()));
    }
    Ok(out)
}

/// The top-level JSON values of a text, by their brackets (strings skipped). The reader then
/// checks each.
fn split_values(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut start, mut in_string, mut escaped) = (0usize, None, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                if depth == 0 {
                    start = Some(i);
                }
                depth += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some(s) = start.take() {
                        out.push(&text[s..=i]);
                    }
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ if depth == 0 => {
                // Text between documents: let the reader say what is wrong with it.
                out.push(&text[i..]);
                return out;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// A policy document as IAM returns it: an object, or its URL-encoded JSON text.
fn document(v: &Value, at: &str) -> Result<Value, ConfigError> {
    match v {
        Value::Object(_) => Ok(v.clone()),
        Value::String(s) => {
            let decoded = percent_decode(s);
            crate::json::parse(&decoded).map_err(|e| {
                ConfigError::new(at, format!("is not a policy document: {}", e.message))
            })
        }
        _ => Err(ConfigError::new(at, "is not a policy document".into())),
    }
}

/// `%XX` escapes (and `+`, which IAM's encoding never uses for a space, stays as it is).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn text_of<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    get(m, key).and_then(|(_, v)| v.as_str())
}

/// The name of an AWS managed policy from its ARN, by the catalogue's form of those ARNs
/// (whatever stands for the partition, a placeholder included).
fn aws_managed_name(arn: &str) -> Option<&str> {
    let form = catalog().iam.arns.aws_managed_policy;
    let (_, after) = form.split_once("${Partition}")?;
    let (middle, _) = after.split_once("${Path}")?;
    let (_, rest) = arn.split_once(middle)?;
    rest.starts_with('/').then(|| rest.rsplit('/').next())?
}

fn attach(role: &mut ExistingRole, arn: &str, customer: &[(String, String, Value)]) {
    if let Some(name) = aws_managed_name(arn) {
        role.aws_managed.push(name.to_string());
        return;
    }
    let name = arn.rsplit('/').next().unwrap_or(arn);
    match customer.iter().find(|(a, n, _)| a == arn || n == name) {
        Some((_, n, doc)) => role.policies.push((n.clone(), doc.clone())),
        None => role.unknown_managed.push(arn.to_string()),
    }
}

fn authorization_details(
    m: &Map<String, Value>,
    details: &[Value],
) -> Result<Vec<ExistingRole>, ConfigError> {
    // Customer managed policies with their default version.
    let mut customer = Vec::new();
    if let Some((_, Value::Array(policies))) = get(m, "Policies") {
        for (i, p) in policies.iter().enumerate() {
            let Some(p) = p.as_object() else { continue };
            let (Some(arn), Some(name)) = (text_of(p, "Arn"), text_of(p, "PolicyName")) else {
                continue;
            };
            let Some((_, Value::Array(versions))) = get(p, "PolicyVersionList") else {
                continue;
            };
            for (j, v) in versions.iter().enumerate() {
                let Some(v) = v.as_object() else { continue };
                let default =
                    get(v, "IsDefaultVersion").and_then(|(_, d)| d.as_bool()) == Some(true);
                if let (true, Some((_, d))) = (default, get(v, "Document")) {
                    let at = format!("Policies[{i}].PolicyVersionList[{j}].Document");
                    customer.push((arn.to_string(), name.to_string(), document(d, &at)?));
                }
            }
        }
    }
    let mut roles = Vec::new();
    for (i, d) in details.iter().enumerate() {
        let Some(d) = d.as_object() else { continue };
        let at = format!("RoleDetailList[{i}]");
        let Some(name) = text_of(d, "RoleName") else {
            return Err(ConfigError::new(&at, "has no RoleName".into()));
        };
        let mut role = ExistingRole {
            name: name.to_string(),
            arn: text_of(d, "Arn").map(str::to_string),
            ..Default::default()
        };
        if let Some((k, t)) = get(d, "AssumeRolePolicyDocument") {
            role.trust = Some(document(t, &format!("{at}.{k}"))?);
        }
        if let Some((k, Value::Array(list))) = get(d, "RolePolicyList") {
            for (j, p) in list.iter().enumerate() {
                let Some(p) = p.as_object() else { continue };
                if let (Some(n), Some((dk, doc))) =
                    (text_of(p, "PolicyName"), get(p, "PolicyDocument"))
                {
                    let doc = document(doc, &format!("{at}.{k}[{j}].{dk}"))?;
                    role.policies.push((n.to_string(), doc));
                }
            }
        }
        if let Some((_, Value::Array(list))) = get(d, "AttachedManagedPolicies") {
            for p in list {
                if let Some(arn) = p.as_object().and_then(|p| text_of(p, "PolicyArn")) {
                    attach(&mut role, arn, &customer);
                }
            }
        }
        roles.push(role);
    }
    Ok(roles)
}

/// `get-role`, `get-role-policy` and `list-attached-role-policies` outputs, in any order.
fn role_outputs(values: &[Value]) -> Result<Vec<ExistingRole>, ConfigError> {
    let mut roles: Vec<ExistingRole> = Vec::new();
    for (n, v) in values.iter().enumerate() {
        let Some(m) = v.as_object() else { continue };
        let at = format!("document {}", n + 1);
        if let Some((_, Value::Object(r))) = get(m, "Role") {
            let Some(name) = text_of(r, "RoleName") else {
                return Err(ConfigError::new(
                    &format!("{at}.Role"),
                    "has no RoleName".into(),
                ));
            };
            let trust = match get(r, "AssumeRolePolicyDocument") {
                Some((k, t)) => Some(document(t, &format!("{at}.Role.{k}"))?),
                None => None,
            };
            roles.push(ExistingRole {
                name: name.to_string(),
                arn: text_of(r, "Arn").map(str::to_string),
                trust,
                ..Default::default()
            });
        }
    }
    for (n, v) in values.iter().enumerate() {
        let Some(m) = v.as_object() else { continue };
        let at = format!("document {}", n + 1);
        // Outputs that name no role belong to the only one.
        let owner = |roles: &mut Vec<ExistingRole>, name: Option<&str>| -> Option<usize> {
            match name {
                Some(name) => roles.iter().position(|r| r.name == name),
                None if roles.len() == 1 => Some(0),
                None => None,
            }
        };
        if let (Some(policy), Some((k, doc))) = (text_of(m, "PolicyName"), get(m, "PolicyDocument"))
        {
            let doc = document(doc, &format!("{at}.{k}"))?;
            if let Some(r) = owner(&mut roles, text_of(m, "RoleName")) {
                roles[r].policies.push((policy.to_string(), doc));
            }
        }
        if let Some((_, Value::Array(list))) = get(m, "AttachedPolicies") {
            if let Some(r) = owner(&mut roles, None) {
                for p in list {
                    if let Some(arn) = p.as_object().and_then(|p| text_of(p, "PolicyArn")) {
                        attach(&mut roles[r], arn, &[]);
                    }
                }
            }
        }
    }
    Ok(roles)
}

/// The roles of the `json` rendering (this builder's, or one written the same way).
fn rendering_roles(
    m: &Map<String, Value>,
    list: &[Value],
) -> Result<Vec<ExistingRole>, ConfigError> {
    let mut customer = Vec::new();
    if let Some((_, Value::Array(managed))) = get(m, "ManagedPolicies") {
        for p in managed {
            let Some(p) = p.as_object() else { continue };
            if let (Some(n), Some((_, d))) = (text_of(p, "PolicyName"), get(p, "PolicyDocument")) {
                customer.push((String::new(), n.to_string(), d.clone()));
            }
        }
    }
    let mut roles = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let Some(r) = r.as_object() else { continue };
        let at = format!("Roles[{i}]");
        let Some(name) = text_of(r, "RoleName") else {
            return Err(ConfigError::new(&at, "has no RoleName".into()));
        };
        let mut role = ExistingRole {
            name: name.to_string(),
            trust: get(r, "AssumeRolePolicyDocument").map(|(_, t)| t.clone()),
            ..Default::default()
        };
        if let Some((_, Value::Array(ps))) = get(r, "Policies") {
            for p in ps {
                let Some(p) = p.as_object() else { continue };
                if let (Some(n), Some((_, d))) =
                    (text_of(p, "PolicyName"), get(p, "PolicyDocument"))
                {
                    role.policies.push((n.to_string(), d.clone()));
                }
            }
        }
        if let Some((_, Value::Array(arns))) = get(r, "ManagedPolicyArns") {
            for a in arns.iter().filter_map(Value::as_str) {
                attach(&mut role, a, &customer);
            }
        }
        roles.push(role);
    }
    Ok(roles)
}

/// The roles of a CloudFormation template, with the stack's own partition, Region and account
/// as the `${AWS::...}` placeholders the plan uses.
fn template_roles(
    m: &Map<String, Value>,
    resources: &Map<String, Value>,
) -> Result<Vec<ExistingRole>, ConfigError> {
    let parameters = get(m, "Parameters").and_then(|(_, p)| p.as_object());
    let resolver = cfn::Resolver::Template {
        parameters,
        resources,
    };
    let mut roles = Vec::new();
    let mut ids = Vec::new();
    for (id, r) in resources {
        let Some(r) = r.as_object() else { continue };
        if r.get("Type").and_then(Value::as_str) != Some("AWS::IAM::Role") {
            continue;
        }
        let props = r.get("Properties").and_then(Value::as_object);
        let name = props
            .and_then(|p| get(p, "RoleName"))
            .and_then(|(_, n)| resolver.text(n).known())
            .unwrap_or_else(|| id.clone());
        let mut role = ExistingRole {
            name,
            trust: props
                .and_then(|p| get(p, "AssumeRolePolicyDocument"))
                .map(|(_, t)| resolved(t, &resolver)),
            ..Default::default()
        };
        if let Some((_, Value::Array(ps))) = props.and_then(|p| get(p, "Policies")) {
            for p in ps {
                let Some(p) = p.as_object() else { continue };
                if let Some((_, d)) = get(p, "PolicyDocument") {
                    let n = text_of(p, "PolicyName").unwrap_or("inline").to_string();
                    role.policies.push((n, resolved(d, &resolver)));
                }
            }
        }
        if let Some((_, Value::Array(arns))) = props.and_then(|p| get(p, "ManagedPolicyArns")) {
            for a in arns {
                // A policy of the template, by Ref, or an ARN.
                let target = a.get("Ref").and_then(Value::as_str);
                match target
                    .and_then(|t| resources.get(t))
                    .and_then(Value::as_object)
                {
                    Some(p) => {
                        if let Some((_, d)) = p
                            .get("Properties")
                            .and_then(Value::as_object)
                            .and_then(|p| get(p, "PolicyDocument"))
                        {
                            role.policies.push((
                                target.unwrap_or_default().to_string(),
                                resolved(d, &resolver),
                            ));
                        }
                    }
                    None => match resolver.text(a).known() {
                        Some(arn) => attach(&mut role, &placeholders(&arn), &[]),
                        None => role.unknown_managed.push(crate::json::to_string(a)),
                    },
                }
            }
        }
        roles.push(role);
        ids.push(id.as_str());
    }
    // AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources that name their roles.
    for (id, r) in resources {
        let Some(r) = r.as_object() else { continue };
        let ty = r.get("Type").and_then(Value::as_str);
        if !matches!(ty, Some("AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy")) {
            continue;
        }
        let Some(props) = r.get("Properties").and_then(Value::as_object) else {
            continue;
        };
        let Some((_, doc)) = get(props, "PolicyDocument") else {
            continue;
        };
        let Some((_, Value::Array(targets))) = get(props, "Roles") else {
            continue;
        };
        for t in targets {
            let target = t
                .get("Ref")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| t.as_str().map(str::to_string));
            let Some(target) = target else { continue };
            let index = ids
                .iter()
                .position(|i| *i == target)
                .or_else(|| roles.iter().position(|r| r.name == target));
            if let Some(i) = index {
                let n = text_of(props, "PolicyName")
                    .or(text_of(props, "ManagedPolicyName"))
                    .unwrap_or(id)
                    .to_string();
                roles[i].policies.push((n, resolved(doc, &resolver)));
            }
        }
    }
    Ok(roles)
}

/// The stack's markers as the plan's placeholders.
fn placeholders(s: &str) -> String {
    s.replace("${AWS_Partition}", PARTITION)
        .replace("${AWS_Region}", REGION)
        .replace("${AWS_AccountId}", ACCOUNT)
        .replace("${AWS_URLSuffix}", "${AWS::URLSuffix}")
}

/// A policy document of a template with its intrinsic functions resolved as far as the
/// template decides them (what it cannot decide stays as `${Name}`, which matches nothing).
fn resolved(v: &Value, resolver: &cfn::Resolver<'_>) -> Value {
    match v {
        Value::Object(m)
            if m.len() == 1 && m.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) =>
        {
            match resolver.text(v) {
                cfn::Text::Known(t) | cfn::Text::Partial(t, _) => Value::String(placeholders(&t)),
                _ => Value::String("${unresolved}".into()),
            }
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), resolved(v, resolver)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| resolved(v, resolver)).collect()),
        _ => v.clone(),
    }
}

/// What an AWS managed policy allows on every resource, as a document the evaluator reads
/// (the catalogue keeps that reading of each policy's full document).
fn aws_managed_document(name: &str) -> Option<Value> {
    let mp = catalog().managed_policy(name)?;
    let actions: Vec<Value> = mp.star_actions.iter().map(|a| Value::from(*a)).collect();
    Some(obj(vec![
        ("Version", "2012-10-17".into()),
        (
            "Statement",
            Value::Array(vec![obj(vec![
                ("Effect", "Allow".into()),
                ("Action", Value::Array(actions)),
                ("Resource", "*".into()),
            ])]),
        ),
    ]))
}

/// The scope the comparison is made in: the configuration's, else what the existing roles'
/// ARNs and documents say.
fn scope(config: &Config, roles: &[ExistingRole]) -> (String, String, String) {
    let mut partition = config.partition.clone();
    let mut region = config.region.clone();
    let mut account = config.account.clone();
    let mut arns: Vec<String> = roles.iter().filter_map(|r| r.arn.clone()).collect();
    for r in roles {
        for (_, d) in &r.policies {
            collect_arns(d, &mut arns);
        }
    }
    for arn in &arns {
        if let Some([p, _, r, a, _]) = crate::import::arn_parts(arn) {
            if partition.is_none() && catalog().partition(p).is_some() {
                partition = Some(p.to_string());
            }
            if region.is_none() && crate::validate::region(r, partition.as_deref()).is_ok() {
                region = Some(r.to_string());
            }
            if account.is_none() && crate::validate::account(a).is_ok() {
                account = Some(a.to_string());
            }
        }
    }
    (
        partition.unwrap_or_else(|| "aws".into()),
        region.unwrap_or_else(|| "us-east-1".into()),
        account.unwrap_or_else(|| "123456789012".into()),
    )
}

fn collect_arns(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.starts_with("arn:") => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| collect_arns(v, out)),
        Value::Object(m) => m.values().for_each(|v| collect_arns(v, out)),
        _ => {}
    }
}

fn fill(v: &Value, scope: &(String, String, String)) -> Value {
    crate::vectors::fill(v, (&scope.0, &scope.1, &scope.2))
}

/// The identity documents of a configuration's role, AWS managed policies included.
fn config_identity(plan: &Plan, role: usize, scope: &(String, String, String)) -> Vec<Value> {
    let r = &plan.roles[role];
    let mut docs = crate::vectors::role_policies(plan, role);
    for arn in &r.managed_policy_arns {
        let arn = fill(&Value::String(arn.clone()), scope);
        if let Some(d) = arn
            .as_str()
            .and_then(aws_managed_name)
            .and_then(aws_managed_document)
        {
            docs.push(d);
        }
    }
    docs
}

fn existing_identity(
    role: &ExistingRole,
    scope: &(String, String, String),
) -> Vec<(String, Value)> {
    let mut docs: Vec<(String, Value)> = role
        .policies
        .iter()
        .map(|(n, d)| (n.clone(), fill(d, scope)))
        .collect();
    for name in &role.aws_managed {
        if let Some(d) = aws_managed_document(name) {
            docs.push((name.clone(), d));
        }
    }
    docs
}

/// Compares the configuration's roles with the existing roles of a file.
pub fn diff(config: &Config, against: &str) -> Result<Diff, ConfigError> {
    let (source, existing) = existing_roles(against)?;
    let scope = scope(config, &existing);
    let mut config = config.clone();
    config.partition = Some(scope.0.clone());
    config.region = Some(scope.1.clone());
    config.account = Some(scope.2.clone());
    let plan = plan(&config);
    let all_vectors = vectors(&plan);
    let mut out = Diff {
        source,
        compared: Vec::new(),
        roles: Vec::new(),
        findings: Vec::new(),
        notes: Vec::new(),
    };
    // Match the configuration's roles with the existing ones: by name, else by the service of
    // the trust policy, else the only one with the only one.
    let mut taken = vec![false; existing.len()];
    let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
    for (i, r) in plan.roles.iter().enumerate() {
        let by_name = existing
            .iter()
            .position(|e| e.name.eq_ignore_ascii_case(&r.name));
        pairs.push((i, by_name));
        if let Some(e) = by_name {
            taken[e] = true;
        }
    }
    for (i, e) in &mut pairs {
        if e.is_some() {
            continue;
        }
        let principal = plan.roles[*i].kind.principal;
        let candidates: Vec<usize> = (0..existing.len())
            .filter(|&j| !taken[j])
            .filter(|&j| {
                principal.is_some_and(|p| {
                    existing[j]
                        .trust
                        .as_ref()
                        .is_some_and(|t| crate::json::to_string(t).contains(p))
                })
            })
            .collect();
        if candidates.len() == 1 {
            *e = Some(candidates[0]);
            taken[candidates[0]] = true;
        }
    }
    if plan.roles.len() == 1 && existing.len() == 1 && pairs[0].1.is_none() {
        pairs[0].1 = Some(0);
        taken[0] = true;
    }
    for (i, e) in &pairs {
        let r = &plan.roles[*i];
        out.roles.push((
            r.name.clone(),
            r.kind.id,
            e.map(|e| existing[e].name.clone()),
        ));
        let Some(e) = e else {
            out.findings.push(Finding {
                kind: "missing-role",
                role: r.name.clone(),
                policy: String::new(),
                request: Request {
                    principal: String::new(),
                    action: String::new(),
                    resource: r.arn.clone(),
                    context: Vec::new(),
                },
                config: Decision::Allow,
                existing: Decision::ImplicitDeny,
                other_role: None,
                why: format!(
                    "the file has no role {} ({}), nor one trusted by its service",
                    r.name, r.kind.title
                ),
            });
            continue;
        };
        let ex = &existing[*e];
        out.compared.push((r.name.clone(), ex.name.clone()));
        for m in &ex.unknown_managed {
            out.notes.push(format!("{}: the managed policy {m} is attached, and the file does not hold its document: what it allows is not compared", ex.name));
        }
        compare(&mut out, &plan, *i, ex, &all_vectors, &scope);
    }
    for (j, e) in existing.iter().enumerate() {
        if !taken[j] {
            out.notes.push(format!("{}: no role of the configuration matches it (by name or trusted service): not compared", e.name));
        }
    }
    Ok(out)
}

fn compare(
    out: &mut Diff,
    plan: &Plan,
    i: usize,
    ex: &ExistingRole,
    all: &[Vector],
    scope: &(String, String, String),
) {
    let r = &plan.roles[i];
    let mine = config_identity(plan, i, scope);
    let mine_refs: Vec<&Value> = mine.iter().collect();
    let theirs = existing_identity(ex, scope);
    let theirs_refs: Vec<&Value> = theirs.iter().map(|(_, d)| d).collect();
    let trust = ex.trust.as_ref().map(|t| fill(t, scope));
    let own_trust = fill(&r.trust, scope);
    let mut seen: Vec<(String, String)> = Vec::new();
    for v in all.iter().filter(|v| v.role == r.name) {
        let is_trust = v.policy == "trust";
        let (existing, config) = if is_trust {
            let existing = match &trust {
                Some(t) => evaluate(&[], Some(t), &v.request).decision,
                None => Decision::ImplicitDeny,
            };
            (
                existing,
                evaluate(&[], Some(&own_trust), &v.request).decision,
            )
        } else {
            (
                evaluate(&theirs_refs, None, &v.request).decision,
                evaluate(&mine_refs, None, &v.request).decision,
            )
        };
        // A neighbour that the configuration's AWS managed policies allow after all is no
        // difference.
        let kind = match (v.allow, existing == Decision::Allow) {
            _ if (config == Decision::Allow) != v.allow => continue,
            (true, false) if is_trust => "trust",
            (true, false) => "missing",
            (false, true) if is_trust => "trust",
            (false, true) => "excess",
            _ => continue,
        };
        let why = match (kind, v.allow) {
            ("trust", true) => format!("the existing trust policy does not let {} assume the role", v.request.principal),
            ("trust", false) => format!("the existing trust policy lets {} assume the role without the context the configuration requires ({})", v.request.principal, v.why),
            ("missing", _) => format!("the configuration grants it ({} of {}): {}", v.sid, v.policy, v.why),
            _ => format!("the configuration denies it: {}", v.why),
        };
        let policy = if is_trust {
            "trust".to_string()
        } else if kind == "excess" {
            allowing_policy(&theirs, &v.request).unwrap_or_default()
        } else {
            v.policy.clone()
        };
        let kind = if kind == "excess" && unneeded_aws_managed(ex, r, &policy) {
            "managed"
        } else {
            kind
        };
        seen.push((v.request.action.clone(), v.request.resource.clone()));
        out.findings.push(Finding {
            kind,
            role: r.name.clone(),
            policy,
            request: v.request.clone(),
            config,
            existing,
            other_role: None,
            why,
        });
    }
    // The existing role's own statements: each action on each resource, as written (a
    // pattern is matched as its literal text, so `s3:*` is covered only by a grant of `s3:*`).
    let role_arn = ex.arn.clone().unwrap_or_else(|| {
        fill(&Value::String(r.arn.clone()), scope)
            .as_str()
            .unwrap_or_default()
            .to_string()
    });
    let mut probes = 0;
    for (name, doc) in &theirs {
        for st in statements(doc) {
            if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            if st.get("Condition").is_some() {
                continue;
            }
            let not = st.get("NotAction").is_some() || st.get("NotResource").is_some();
            let actions = if not {
                vec!["*".to_string()]
            } else {
                strings_of(st.get("Action"))
            };
            let resources = if st.get("NotResource").is_some() {
                vec!["*".to_string()]
            } else {
                strings_of(st.get("Resource"))
            };
            for a in &actions {
                for res in &resources {
                    if probes >= MAX_PROBES {
                        out.notes.push(format!("{}: more than {MAX_PROBES} action and resource pairs; the rest are not compared", ex.name));
                        return;
                    }
                    probes += 1;
                    let request = Request {
                        principal: role_arn.clone(),
                        action: a.clone(),
                        resource: res.clone(),
                        context: Vec::new(),
                    };
                    if seen.iter().any(|(sa, sr)| sa == a && sr == res) {
                        continue;
                    }
                    let existing = evaluate(&theirs_refs, None, &request).decision;
                    let config = evaluate(&mine_refs, None, &request).decision;
                    if existing != Decision::Allow || config == Decision::Allow {
                        continue;
                    }
                    seen.push((a.clone(), res.clone()));
                    let other = plan.roles.iter().enumerate().find(|(j, _)| {
                        *j != i && {
                            let docs = config_identity(plan, *j, scope);
                            let refs: Vec<&Value> = docs.iter().collect();
                            evaluate(&refs, None, &request).decision == Decision::Allow
                        }
                    });
                    let aws_managed = ex.aws_managed.contains(name)
                        && !r
                            .managed_policy_arns
                            .iter()
                            .any(|m| m.ends_with(&format!("/{name}")));
                    let (kind, why) = match (other, aws_managed) {
                        (Some((_, o)), _) => ("wrong-role", format!("the configuration grants it to {} ({}), not to this role", o.name, o.kind.title)),
                        (None, true) => ("managed", format!("the AWS managed policy {name} allows it; the configuration grants this role only what it needs")),
                        (None, false) => ("excess", if not {
                            format!("{name} allows it with NotAction or NotResource: every action or resource but those named")
                        } else {
                            format!("{name} allows {a} on {res}; the configuration does not")
                        }),
                    };
                    out.findings.push(Finding {
                        kind,
                        role: r.name.clone(),
                        policy: name.clone(),
                        request,
                        config,
                        existing,
                        other_role: other.map(|(_, o)| o.name.clone()),
                        why,
                    });
                }
            }
        }
    }
}

/// Whether a policy of the existing role is an AWS managed policy that the configuration's
/// role does not attach.
fn unneeded_aws_managed(ex: &ExistingRole, r: &crate::plan::RolePlan, policy: &str) -> bool {
    ex.aws_managed.iter().any(|m| m == policy)
        && !r
            .managed_policy_arns
            .iter()
            .any(|m| aws_managed_name(m) == Some(policy))
}

fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    }
}

/// The existing policy that allows a request.
fn allowing_policy(docs: &[(String, Value)], request: &Request) -> Option<String> {
    docs.iter()
        .find(|(_, d)| evaluate(&[d], None, request).decision == Decision::Allow)
        .map(|(n, _)| n.clone())
}
