//! The configuration: the one JSON document shared by the CLI, the app's share link and the JS
//! API. It is parsed by walking a `serde_json::Value` against the catalogue, because features
//! and their parameters are catalogue data: that gives every error an exact path
//! (`roles[0].features[1].repositories[0]`) and rejects unknown fields everywhere.

use crate::catalog::{catalog, Feature, ParamType};
use crate::validate;
use serde_json::{Map, Value};
use std::fmt;

/// Largest configuration accepted, in bytes.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;
pub const MAX_ROLES: usize = 50;
pub const MAX_FEATURES: usize = 50;
pub const MAX_LIST_ITEMS: usize = 200;

/// The fields of a configuration, in their canonical order.
pub const CONFIG_FIELDS: [&str; 6] = [
    "$schema",
    "partition",
    "region",
    "account",
    "permissions",
    "roles",
];

/// The fields of a role, in their canonical order.
pub const ROLE_FIELDS: [&str; 9] = [
    "kind",
    "name",
    "path",
    "description",
    "managedPolicies",
    "confusedDeputy",
    "instanceProfileName",
    "passRoles",
    "features",
];

/// An input error: the field path and what is wrong with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "config: {}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

impl From<crate::json::ParseError> for ConfigError {
    /// Text that is not JSON is an error of the whole configuration; a key written twice or a
    /// number that would be rounded is an error of its own path.
    fn from(e: crate::json::ParseError) -> ConfigError {
        match e.path {
            Some(path) => ConfigError::new(&path, e.message),
            None => ConfigError::new("", format!("is not valid JSON: {}", e.message)),
        }
    }
}

fn err<T>(path: &str, message: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError::new(path, message.into()))
}

impl ConfigError {
    /// Out of line: the parser has a hundred error sites, and inlining this into each one cost
    /// the wasm builds more than a kilobyte.
    #[cold]
    #[inline(never)]
    pub(crate) fn new(path: &str, message: String) -> ConfigError {
        ConfigError {
            path: path.to_string(),
            message,
        }
    }
}

/// A user value, quoted for a message: JSON-escaped and cut when long, so that a hostile value
/// cannot break the line it is shown on, nor move or hide text (`json::quote_visible_into`).
pub fn quote(s: &str) -> String {
    let cut: String = s.chars().take(80).collect();
    let mut q = String::new();
    crate::json::quote_visible_into(&mut q, &cut);
    if cut.len() < s.len() {
        q.insert_str(q.len() - 1, "...");
    }
    q
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PermissionStyle {
    /// Inline policies in the role (CloudFormation `Policies`, `put-role-policy`).
    #[default]
    Inline,
    /// One `AWS::IAM::Policy` resource per feature; still inline policies in IAM.
    PerFeature,
    /// One customer managed policy per feature, attached to the role.
    Managed,
}

impl PermissionStyle {
    pub const ALL: [PermissionStyle; 3] = [Self::Inline, Self::PerFeature, Self::Managed];
    pub fn id(self) -> &'static str {
        match self {
            Self::Inline => "inline",
            Self::PerFeature => "per-feature",
            Self::Managed => "managed",
        }
    }
    pub fn from_id(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub partition: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub permissions: Option<PermissionStyle>,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub kind: String,
    pub name: Option<String>,
    pub path: Option<String>,
    pub description: Option<String>,
    pub managed_policies: Option<Vec<String>>,
    pub confused_deputy: Option<bool>,
    pub instance_profile_name: Option<String>,
    pub pass_roles: Option<Vec<String>>,
    pub features: Vec<FeatureUse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeatureUse {
    pub id: String,
    /// Parameter values in the catalogue's parameter order.
    pub params: Vec<(String, ParamValue)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Bool(bool),
    Value(String),
    List(Vec<String>),
    Statements(Vec<Value>),
}

impl FeatureUse {
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
    /// True when the parameter is a true bool, a value, or a non-empty list.
    pub fn is_set(&self, name: &str) -> bool {
        match self.get(name) {
            Some(ParamValue::Bool(b)) => *b,
            Some(ParamValue::List(l)) => !l.is_empty(),
            Some(ParamValue::Statements(s)) => !s.is_empty(),
            Some(ParamValue::Value(_)) => true,
            None => false,
        }
    }
    /// The values of a list or single-value parameter.
    pub fn values(&self, name: &str) -> Vec<&str> {
        match self.get(name) {
            Some(ParamValue::List(l)) => l.iter().map(String::as_str).collect(),
            Some(ParamValue::Value(v)) => vec![v.as_str()],
            _ => Vec::new(),
        }
    }
    pub fn feature(&self) -> &'static Feature {
        catalog().feature(&self.id).expect("validated feature id")
    }
}

impl Role {
    pub fn kind(&self) -> &'static crate::catalog::RoleKind {
        catalog()
            .role_kind(&self.kind)
            .expect("validated role kind")
    }
    pub fn effective_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.kind().default_name)
    }
    pub fn effective_path(&self) -> &str {
        self.path.as_deref().unwrap_or("/")
    }
    pub fn effective_confused_deputy(&self) -> bool {
        match (&self.kind().confused_deputy, self.confused_deputy) {
            (Some(_), Some(v)) => v,
            (Some(cd), None) => cd.default,
            (None, _) => false,
        }
    }
    pub fn effective_managed_policies(&self) -> Vec<&str> {
        match &self.managed_policies {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => self
                .kind()
                .default_managed_policies
                .iter()
                .map(String::as_str)
                .collect(),
        }
    }
    pub fn instance_profile(&self) -> Option<&str> {
        self.kind().instance_profile.then(|| {
            self.instance_profile_name
                .as_deref()
                .unwrap_or(self.effective_name())
        })
    }
}

impl Config {
    pub fn effective_permissions(&self) -> PermissionStyle {
        self.permissions.unwrap_or_default()
    }

    /// Parses and validates a configuration.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        if text.len() > MAX_CONFIG_BYTES {
            return err(
                "",
                format!("is {} bytes; the limit is {MAX_CONFIG_BYTES}", text.len()),
            );
        }
        let value = crate::json::parse(text).map_err(ConfigError::from)?;
        Self::from_value(&value)
    }

    /// Validates an already parsed JSON value (the JS API passes objects).
    pub fn from_value(value: &Value) -> Result<Config, ConfigError> {
        let obj = expect_object(value, "")?;
        check_fields(obj, "", &CONFIG_FIELDS)?;
        let cat = catalog();
        // Editors read it; ecs-iam only checks that it is a string.
        opt_string(obj, "$schema", "")?;
        let partition = opt_string(obj, "partition", "")?;
        if let Some(p) = &partition {
            if cat.partition(p).is_none() {
                let ids: Vec<&str> = cat.partitions.iter().map(|p| p.id.as_str()).collect();
                return err(
                    "partition",
                    format!(
                        "{} is not a partition; use one of {}",
                        quote(p),
                        ids.join(", ")
                    ),
                );
            }
        }
        let region = opt_string(obj, "region", "")?;
        if let Some(r) = &region {
            validate::region(r, partition.as_deref()).map_err(|m| ConfigError {
                path: "region".into(),
                message: format!("{} {m}", quote(r)),
            })?;
        }
        let account = opt_string(obj, "account", "")?;
        if let Some(a) = &account {
            validate::account(a).map_err(|m| ConfigError {
                path: "account".into(),
                message: format!("{} {m}", quote(a)),
            })?;
        }
        let permissions = match opt_string(obj, "permissions", "")? {
            None => None,
            Some(p) => Some(PermissionStyle::from_id(&p).ok_or_else(|| ConfigError {
                path: "permissions".into(),
                message: format!(
                    "{} is not a permission style; use inline, per-feature or managed",
                    quote(&p)
                ),
            })?),
        };
        let Some(roles_v) = obj.get("roles") else {
            return err(
                "roles",
                "is missing: list the roles to build, e.g. [{\"kind\": \"task-execution\"}]",
            );
        };
        let roles_a = expect_array(roles_v, "roles")?;
        if roles_a.is_empty() {
            return err("roles", "is empty: add at least one role");
        }
        if roles_a.len() > MAX_ROLES {
            return err(
                "roles",
                format!("has {} roles; the limit is {MAX_ROLES}", roles_a.len()),
            );
        }
        let mut roles = Vec::new();
        for (i, r) in roles_a.iter().enumerate() {
            roles.push(parse_role(r, &format!("roles[{i}]"), partition.as_deref())?);
        }
        let config = Config {
            partition,
            region,
            account,
            permissions,
            roles,
        };
        config.check_cross_references()?;
        Ok(config)
    }

    fn check_cross_references(&self) -> Result<(), ConfigError> {
        // IAM compares role, policy and instance profile names case-insensitively.
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, role) in self.roles.iter().enumerate() {
            let lower = role.effective_name().to_ascii_lowercase();
            if let Some((_, j)) = seen.iter().find(|(n, _)| *n == lower) {
                return err(
                    &format!("roles[{i}].name"),
                    format!(
                        "{} is already used by roles[{j}]; IAM names are unique regardless of case. Give this role a name",
                        quote(role.effective_name())
                    ),
                );
            }
            seen.push((lower, i));
        }
        for (i, role) in self.roles.iter().enumerate() {
            if let Some(pass) = &role.pass_roles {
                for (k, name) in pass.iter().enumerate() {
                    let target = self.roles.iter().find(|r| r.effective_name() == name);
                    match target {
                        None => {
                            return err(
                                &format!("roles[{i}].passRoles[{k}]"),
                                format!(
                                    "{} is not the name of a role of this configuration",
                                    quote(name)
                                ),
                            )
                        }
                        Some(r) if r.kind().policy_only => {
                            return err(
                                &format!("roles[{i}].passRoles[{k}]"),
                                format!("{} is a policy, not a role", quote(name)),
                            )
                        }
                        _ => {}
                    }
                }
            }
        }
        self.check_instance_profile_names()?;
        self.check_managed_policy_names()?;
        self.check_deployer_sids()?;
        Ok(())
    }

    /// Instance profile names are unique per account, regardless of case.
    fn check_instance_profile_names(&self) -> Result<(), ConfigError> {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, role) in self.roles.iter().enumerate() {
            let Some(name) = role.instance_profile() else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            if let Some((_, j)) = seen.iter().find(|(n, _)| *n == lower) {
                let field = if role.instance_profile_name.is_some() {
                    "instanceProfileName"
                } else {
                    "name"
                };
                return err(
                    &format!("roles[{i}].{field}"),
                    format!(
                        "{} is already the name of the instance profile of roles[{j}]; IAM names are unique regardless of case. Set instanceProfileName",
                        quote(name)
                    ),
                );
            }
            seen.push((lower, i));
        }
        Ok(())
    }

    /// Customer managed policy names are unique per account, regardless of case and path. A
    /// deployer policy is one in every style; in the `managed` style each feature's policy is
    /// one, named ROLE-POLICY. The names must differ whatever the style, because a valid
    /// configuration renders in every style (`--permissions` and the app switch it).
    fn check_managed_policy_names(&self) -> Result<(), ConfigError> {
        // (lowercase name, what it is)
        let mut seen: Vec<(String, String)> = Vec::new();
        for (i, role) in self.roles.iter().enumerate() {
            if role.kind().policy_only {
                let name = role.effective_name();
                let lower = name.to_ascii_lowercase();
                if let Some((_, what)) = seen.iter().find(|(n, _)| *n == lower) {
                    return err(
                        &format!("roles[{i}].name"),
                        format!(
                            "{} is also the name of {what}; customer managed policy names are unique per account regardless of case: rename one",
                            quote(name)
                        ),
                    );
                }
                seen.push((lower, format!("the deployer policy roles[{i}]")));
                continue;
            }
            for (j, policy) in crate::plan::policy_names(role).into_iter().enumerate() {
                let Some(policy) = policy else {
                    continue;
                };
                let name = crate::plan::managed_policy_name(role.effective_name(), &policy);
                let lower = name.to_ascii_lowercase();
                if let Some((_, what)) = seen.iter().find(|(n, _)| *n == lower) {
                    return err(
                        &format!("roles[{i}].features[{j}]"),
                        format!(
                            "in the managed style (\"permissions\": \"managed\") its policy would be named {} (role name, hyphen, policy name, cut to {} characters), like {what}; customer managed policy names are unique per account regardless of case: rename a role or a custom policy",
                            quote(&name),
                            crate::plan::MANAGED_POLICY_NAME_MAX
                        ),
                    );
                }
                seen.push((
                    lower,
                    format!("the policy of roles[{i}].features[{j}] in the managed style"),
                ));
            }
        }
        Ok(())
    }

    /// A deployer policy holds its PassRole statements and the statements of its custom
    /// features: IAM wants their Sids unique in the policy.
    fn check_deployer_sids(&self) -> Result<(), ConfigError> {
        for (i, role) in self.roles.iter().enumerate() {
            if !role.kind().policy_only {
                continue;
            }
            let mut seen: Vec<(String, String)> = crate::plan::pass_role_sids(self, role)
                .into_iter()
                .map(|sid| (sid, "one of its PassRole statements".to_string()))
                .collect();
            for (j, fu) in role.features.iter().enumerate() {
                let Some(ParamValue::Statements(list)) = fu.get("statements") else {
                    continue;
                };
                let mut own = Vec::new();
                for (k, st) in list.iter().enumerate() {
                    let Some(sid) = st.get("Sid").and_then(Value::as_str) else {
                        continue;
                    };
                    let path = format!("roles[{i}].features[{j}].statements[{k}]");
                    if let Some((_, what)) = seen.iter().find(|(s, _)| s == sid) {
                        return err(
                            &format!("{path}.Sid"),
                            format!(
                                "{} is already the Sid of {what} in this deployer policy; the Sids of a policy must be unique",
                                quote(sid)
                            ),
                        );
                    }
                    own.push((sid.to_string(), path));
                }
                seen.extend(own);
            }
        }
        Ok(())
    }

    /// The canonical JSON of this configuration: the fields that were given, in a fixed order.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if let Some(p) = &self.partition {
            m.insert("partition".into(), p.clone().into());
        }
        if let Some(r) = &self.region {
            m.insert("region".into(), r.clone().into());
        }
        if let Some(a) = &self.account {
            m.insert("account".into(), a.clone().into());
        }
        if let Some(p) = self.permissions {
            m.insert("permissions".into(), p.id().into());
        }
        m.insert(
            "roles".into(),
            Value::Array(self.roles.iter().map(Role::to_value).collect()),
        );
        Value::Object(m)
    }

    pub fn to_json_pretty(&self) -> String {
        crate::json::to_string_pretty(&self.to_value())
    }
}

impl Role {
    fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), self.kind.clone().into());
        let strings = |v: &Vec<String>| Value::Array(v.iter().cloned().map(Value::from).collect());
        if let Some(n) = &self.name {
            m.insert("name".into(), n.clone().into());
        }
        if let Some(p) = &self.path {
            m.insert("path".into(), p.clone().into());
        }
        if let Some(d) = &self.description {
            m.insert("description".into(), d.clone().into());
        }
        if let Some(mp) = &self.managed_policies {
            m.insert("managedPolicies".into(), strings(mp));
        }
        if let Some(c) = self.confused_deputy {
            m.insert("confusedDeputy".into(), c.into());
        }
        if let Some(n) = &self.instance_profile_name {
            m.insert("instanceProfileName".into(), n.clone().into());
        }
        if let Some(p) = &self.pass_roles {
            m.insert("passRoles".into(), strings(p));
        }
        if !self.features.is_empty() {
            let features = self
                .features
                .iter()
                .map(|f| {
                    let mut fm = Map::new();
                    fm.insert("id".into(), f.id.clone().into());
                    for (name, v) in &f.params {
                        let v = match v {
                            ParamValue::Bool(b) => Value::Bool(*b),
                            ParamValue::Value(s) => Value::String(s.clone()),
                            ParamValue::List(l) => strings(l),
                            ParamValue::Statements(s) => Value::Array(s.clone()),
                        };
                        fm.insert(name.clone(), v);
                    }
                    Value::Object(fm)
                })
                .collect();
            m.insert("features".into(), Value::Array(features));
        }
        Value::Object(m)
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn expect_object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, ConfigError> {
    v.as_object().ok_or_else(|| ConfigError {
        path: path.into(),
        message: format!("must be an object, not {}", type_name(v)),
    })
}

fn expect_array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>, ConfigError> {
    v.as_array().ok_or_else(|| ConfigError {
        path: path.into(),
        message: format!("must be a list, not {}", type_name(v)),
    })
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn check_fields(obj: &Map<String, Value>, path: &str, allowed: &[&str]) -> Result<(), ConfigError> {
    for key in obj.keys() {
        if !allowed.contains(&key.as_str()) {
            let hint = allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(key))
                .map(|a| format!(" (did you mean {a}?)"))
                .unwrap_or_default();
            return err(
                &join(path, &validate_key(key)),
                format!(
                    "unknown field{hint}; expected one of: {}",
                    allowed
                        .iter()
                        .filter(|a| **a != "$schema")
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    Ok(())
}

/// A field name as it may appear in a path: cut and escaped when it is not a plain identifier.
fn validate_key(key: &str) -> String {
    if !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
    {
        key.to_string()
    } else {
        format!("[{}]", quote(key))
    }
}

fn opt_string(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<String>, ConfigError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => err(
            &join(path, key),
            format!("must be a string, not {}", type_name(v)),
        ),
    }
}

fn opt_bool(obj: &Map<String, Value>, key: &str, path: &str) -> Result<Option<bool>, ConfigError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(v) => err(
            &join(path, key),
            format!("must be true or false, not {}", type_name(v)),
        ),
    }
}

fn string_list(v: &Value, path: &str) -> Result<Vec<String>, ConfigError> {
    let a = expect_array(v, path)?;
    if a.len() > MAX_LIST_ITEMS {
        return err(
            path,
            format!("has {} items; the limit is {MAX_LIST_ITEMS}", a.len()),
        );
    }
    a.iter()
        .enumerate()
        .map(|(i, x)| match x {
            Value::String(s) => Ok(s.clone()),
            other => err(
                &format!("{path}[{i}]"),
                format!("must be a string, not {}", type_name(other)),
            ),
        })
        .collect()
}

fn no_duplicates(list: &[String], path: &str) -> Result<(), ConfigError> {
    for (i, s) in list.iter().enumerate() {
        if list[..i].contains(s) {
            return err(
                &format!("{path}[{i}]"),
                format!("{} is listed twice", quote(s)),
            );
        }
    }
    Ok(())
}

fn parse_role(v: &Value, path: &str, partition: Option<&str>) -> Result<Role, ConfigError> {
    let cat = catalog();
    let obj = expect_object(v, path)?;
    check_fields(obj, path, &ROLE_FIELDS)?;
    let kinds: Vec<&str> = cat.role_kinds.iter().map(|k| k.id.as_str()).collect();
    let Some(kind_id) = opt_string(obj, "kind", path)? else {
        return err(
            &join(path, "kind"),
            format!("is missing; use one of: {}", kinds.join(", ")),
        );
    };
    let Some(kind) = cat.role_kind(&kind_id) else {
        return err(
            &join(path, "kind"),
            format!(
                "{} is not a role kind; use one of: {}",
                quote(&kind_id),
                kinds.join(", ")
            ),
        );
    };
    let name = opt_string(obj, "name", path)?;
    if let Some(n) = &name {
        let max = if kind.policy_only { 128 } else { 64 };
        validate::iam_name(n, max).map_err(|m| ConfigError {
            path: join(path, "name"),
            message: format!("{} {m}", quote(n)),
        })?;
    }
    let role_path = opt_string(obj, "path", path)?;
    if let Some(p) = &role_path {
        validate::iam_path(p).map_err(|m| ConfigError {
            path: join(path, "path"),
            message: format!("{} {m}", quote(p)),
        })?;
    }
    let description = opt_string(obj, "description", path)?;
    if let Some(d) = &description {
        let ok = d.chars().count() <= 1000
            && d.chars().all(|c| {
                c == '\t'
                    || c == '\n'
                    || c == '\r'
                    || (' '..='~').contains(&c)
                    || ('\u{a1}'..='\u{ff}').contains(&c)
            });
        if !ok {
            return err(&join(path, "description"), format!("{} is not a valid IAM description: at most 1000 characters, printable Latin-1 only", quote(d)));
        }
        if d.contains("${AWS::") {
            return err(&join(path, "description"), format!("{} contains a CloudFormation pseudo parameter (${{AWS::...}}), which the outputs use as a placeholder and would not keep as written; write the value itself", quote(d)));
        }
    }
    let managed_policies = match obj.get("managedPolicies") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let p = join(path, "managedPolicies");
            if kind.policy_only {
                return err(&p, "does not apply to the deployer policy");
            }
            let list = string_list(v, &p)?;
            no_duplicates(&list, &p)?;
            for (i, mp) in list.iter().enumerate() {
                check_managed_policy(mp, &format!("{p}[{i}]"), partition)?;
            }
            Some(list)
        }
    };
    let confused_deputy = opt_bool(obj, "confusedDeputy", path)?;
    if confused_deputy == Some(true) && kind.confused_deputy.is_none() {
        return err(
            &join(path, "confusedDeputy"),
            format!("AWS does not document aws:SourceArn/aws:SourceAccount conditions for the trust policy of the {}; leave it unset", kind.title.to_ascii_lowercase()),
        );
    }
    let instance_profile_name = opt_string(obj, "instanceProfileName", path)?;
    if let Some(n) = &instance_profile_name {
        if !kind.instance_profile {
            return err(
                &join(path, "instanceProfileName"),
                format!(
                    "only a container-instance role has an instance profile, not a {} role",
                    kind.id
                ),
            );
        }
        validate::iam_name(n, 128).map_err(|m| ConfigError {
            path: join(path, "instanceProfileName"),
            message: format!("{} {m}", quote(n)),
        })?;
    }
    let pass_roles = match obj.get("passRoles") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let p = join(path, "passRoles");
            if !kind.policy_only {
                return err(&p, "only the deployer policy passes roles");
            }
            let list = string_list(v, &p)?;
            no_duplicates(&list, &p)?;
            Some(list)
        }
    };
    let mut features = Vec::new();
    if let Some(fv) = obj.get("features").filter(|v| !v.is_null()) {
        let fp = join(path, "features");
        let fa = expect_array(fv, &fp)?;
        if fa.len() > MAX_FEATURES {
            return err(
                &fp,
                format!("has {} features; the limit is {MAX_FEATURES}", fa.len()),
            );
        }
        for (i, f) in fa.iter().enumerate() {
            let p = format!("{fp}[{i}]");
            let fu = parse_feature(f, &p, &kind_id, partition)?;
            let feature = fu.feature();
            if !feature.repeatable && features.iter().any(|x: &FeatureUse| x.id == fu.id) {
                return err(
                    &join(&p, "id"),
                    format!(
                        "{} is already on this role; list its values in one entry",
                        quote(&fu.id)
                    ),
                );
            }
            features.push(fu);
        }
        // Custom policy names must be unique on the role (regardless of case, as IAM names
        // are), and differ from the feature ids, which name the other policies.
        let mut names: Vec<String> = Vec::new();
        for (i, f) in features.iter().enumerate() {
            if let Some(ParamValue::Value(n)) = f.get("name") {
                if let Some(other) = cat.features.iter().find(|x| x.id.eq_ignore_ascii_case(n)) {
                    return err(
                        &format!("{fp}[{i}].name"),
                        format!(
                            "{} is reserved: it names the policy of the {} feature; choose another name",
                            quote(n),
                            other.id
                        ),
                    );
                }
                if names.iter().any(|x| x.eq_ignore_ascii_case(n)) {
                    return err(
                        &format!("{fp}[{i}].name"),
                        format!(
                            "{} is already the name of another policy on this role",
                            quote(n)
                        ),
                    );
                }
                names.push(n.clone());
            }
        }
    }
    Ok(Role {
        kind: kind_id,
        name,
        path: role_path,
        description,
        managed_policies,
        confused_deputy,
        instance_profile_name,
        pass_roles,
        features,
    })
}

/// A managed policy reference: a catalogue name (optionally with its path, as UFO writes
/// `service-role/AmazonECSTaskExecutionRolePolicy`) or a policy ARN.
fn check_managed_policy(mp: &str, path: &str, partition: Option<&str>) -> Result<(), ConfigError> {
    let cat = catalog();
    if mp.starts_with("arn:") {
        let parts: Vec<&str> = mp.splitn(6, ':').collect();
        let ok = parts.len() == 6
            && cat.partition(parts[1]).is_some()
            && parts[2] == "iam"
            && parts[3].is_empty()
            && (parts[4] == "aws" || validate::account(parts[4]).is_ok())
            && parts[5].strip_prefix("policy/").is_some_and(|rest| {
                !rest.is_empty()
                    && !rest.ends_with('/')
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "/+=,.@_-".contains(c))
            });
        if !ok {
            return err(path, format!("{} is not a managed policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)", quote(mp)));
        }
        if let Some(p) = partition {
            if parts[1] != p {
                return err(
                    path,
                    format!(
                        "{} is in partition {}, but the configuration's partition is {p}",
                        quote(mp),
                        parts[1]
                    ),
                );
            }
        }
        if parts[4] == "aws" {
            let name = parts[5].rsplit('/').next().unwrap_or_default();
            if let Some(known) = cat.managed_policy(name) {
                if !known.attachable {
                    return err(path, format!("{} is a service-linked role policy; it cannot be attached to your roles", quote(mp)));
                }
            }
        }
        return Ok(());
    }
    let name = mp.rsplit('/').next().unwrap_or(mp);
    let Some(known) = cat.managed_policy(name) else {
        let suggestion = cat
            .managed_policies
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| format!(" Did you mean {}?", p.name))
            .unwrap_or_else(|| {
                " Give its full ARN, or run `ecs-iam catalog` for the known names.".into()
            });
        return err(
            path,
            format!(
                "{} is not an AWS managed policy known to the catalogue.{suggestion}",
                quote(mp)
            ),
        );
    };
    if mp.contains('/') && !managed_policy_forms(known).iter().any(|f| f == mp) {
        return err(
            path,
            format!(
                "{} has the wrong path: this policy is {}{}",
                quote(mp),
                known.path,
                known.name
            ),
        );
    }
    if !known.attachable {
        return err(
            path,
            format!(
                "{} is a service-linked role policy; it cannot be attached to your roles",
                quote(mp)
            ),
        );
    }
    Ok(())
}

/// How a configuration may name an AWS managed policy besides its ARN: its name, or its path
/// and name with or without the leading `/` (`service-role/AmazonECSTaskExecutionRolePolicy`,
/// as UFO writes it). The JSON Schema lists the same forms.
pub fn managed_policy_forms(mp: &crate::catalog::ManagedPolicy) -> Vec<String> {
    let full = format!("{}{}", mp.path, mp.name);
    let mut forms = vec![mp.name.clone()];
    for f in [full.trim_start_matches('/').to_string(), full.clone()] {
        if !forms.contains(&f) {
            forms.push(f);
        }
    }
    forms
}

fn parse_feature(
    v: &Value,
    path: &str,
    role_kind: &str,
    partition: Option<&str>,
) -> Result<FeatureUse, ConfigError> {
    let cat = catalog();
    let obj = expect_object(v, path)?;
    let ids: Vec<&str> = cat
        .features
        .iter()
        .filter(|f| f.roles.iter().any(|r| r == role_kind))
        .map(|f| f.id.as_str())
        .collect();
    let Some(id) = opt_string(obj, "id", path)? else {
        return err(
            &join(path, "id"),
            format!(
                "is missing; features of a {role_kind} role: {}",
                ids.join(", ")
            ),
        );
    };
    let Some(feature) = cat.feature(&id) else {
        return err(
            &join(path, "id"),
            format!(
                "{} is not a feature; features of a {role_kind} role: {}",
                quote(&id),
                ids.join(", ")
            ),
        );
    };
    if !feature.roles.iter().any(|r| r == role_kind) {
        return err(
            &join(path, "id"),
            format!(
                "{} is not available on a {role_kind} role; it belongs on: {}",
                quote(&id),
                feature.home_roles.join(", ")
            ),
        );
    }
    let mut allowed: Vec<&str> = vec!["id"];
    allowed.extend(feature.params.iter().map(|p| p.name.as_str()));
    check_fields(obj, path, &allowed)?;
    let mut params = Vec::new();
    for param in &feature.params {
        let p = join(path, &param.name);
        let raw = obj.get(&param.name).filter(|v| !v.is_null());
        let Some(raw) = raw else {
            if param.required {
                return err(
                    &p,
                    format!("is required for {}: {}", feature.id, param.description),
                );
            }
            continue;
        };
        let value = match param.ty {
            ParamType::Bool => match raw {
                Value::Bool(b) => ParamValue::Bool(*b),
                other => {
                    return err(
                        &p,
                        format!("must be true or false, not {}", type_name(other)),
                    )
                }
            },
            ParamType::Value => {
                let Value::String(s) = raw else {
                    return err(&p, format!("must be a string, not {}", type_name(raw)));
                };
                check_item(param.item.as_deref(), s, &p, partition)?;
                ParamValue::Value(s.clone())
            }
            ParamType::List => {
                let list = string_list(raw, &p)?;
                if list.is_empty() && param.required {
                    return err(&p, format!("is empty; {}", param.description));
                }
                for (i, s) in list.iter().enumerate() {
                    check_item(param.item.as_deref(), s, &format!("{p}[{i}]"), partition)?;
                }
                no_duplicates(&list, &p)?;
                ParamValue::List(list)
            }
            ParamType::Statements => ParamValue::Statements(crate::statements::validate(raw, &p)?),
        };
        params.push((param.name.clone(), value));
    }
    Ok(FeatureUse { id, params })
}

/// Checks one value of a list or single-value parameter against its value kind, with the
/// message the parser gives (the app also checks every list item as the user types).
pub fn check_item(
    item: Option<&str>,
    s: &str,
    path: &str,
    partition: Option<&str>,
) -> Result<(), ConfigError> {
    let kind = item
        .and_then(|i| catalog().value_kind(i))
        .expect("catalogue parameters name known value kinds");
    validate::value(kind, s, partition).map_err(|m| ConfigError {
        path: path.into(),
        message: format!("{} {m}", quote(s)),
    })
}
