//! Reading a configuration: a walk over the JSON value against the catalogue, with the path
//! of every value for its message.

use super::{
    Config, FeatureUse, ManagedPolicyUse, ParamValue, PermissionStyle, Role, CONFIG_FIELDS,
    MAX_CONFIG_BYTES, MAX_FEATURES, MAX_LIST_ITEMS, MAX_ROLES, ROLE_FIELDS,
};
use crate::catalog::{catalog, ParamType, ValueKindId};
use crate::error::{err, ConfigError};
use crate::json::quote;
use crate::validate;
use serde_json::{Map, Value};

impl Config {
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
                let ids: Vec<&str> = cat.partitions.iter().map(|p| p.id).collect();
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
                        .copied()
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
    // The fields of every role, and those that some kinds add (`scheduleGroups`).
    let source_params: Vec<&str> = cat
        .role_kinds
        .iter()
        .filter_map(|k| k.confused_deputy.as_ref().and_then(|cd| cd.source_param))
        .collect();
    let mut fields: Vec<&str> = ROLE_FIELDS.to_vec();
    fields.extend(source_params.iter().copied());
    check_fields(obj, path, &fields)?;
    let kinds: Vec<&str> = cat.role_kinds.iter().map(|k| k.id).collect();
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
        let limits = &cat.iam.limits;
        let max = if kind.policy_only {
            limits.policy_name
        } else {
            limits.role_name
        };
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
        let max = cat.iam.limits.description;
        let ok = d.chars().count() <= max
            && d.chars().all(|c| {
                c == '\t'
                    || c == '\n'
                    || c == '\r'
                    || (' '..='~').contains(&c)
                    || ('\u{a1}'..='\u{ff}').contains(&c)
            });
        if !ok {
            return err(&join(path, "description"), format!("{} is not a valid IAM description: at most {max} characters, printable Latin-1 only", quote(d)));
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
            let mut uses = Vec::with_capacity(list.len());
            for (i, mp) in list.into_iter().enumerate() {
                uses.push(check_managed_policy(mp, &format!("{p}[{i}]"), partition)?);
            }
            Some(uses)
        }
    };
    let confused_deputy = opt_bool(obj, "confusedDeputy", path)?;
    if confused_deputy == Some(true) && kind.confused_deputy.is_none() {
        return err(
            &join(path, "confusedDeputy"),
            format!("AWS does not document {}/{} conditions for the trust policy of the {}; leave it unset", cat.iam.trust.source_arn_key, cat.iam.trust.source_account_key, kind.title.to_ascii_lowercase()),
        );
    }
    let own_source = kind.confused_deputy.as_ref().and_then(|cd| cd.source_param);
    if let Some(other) = source_params
        .iter()
        .find(|p| Some(**p) != own_source && obj.get(**p).is_some_and(|v| !v.is_null()))
    {
        return err(
            &join(path, other),
            format!(
                "a {} has no {other}; leave it out",
                kind.title.to_ascii_lowercase()
            ),
        );
    }
    let sources = match (own_source, kind.confused_deputy.as_ref()) {
        (Some(param), Some(cd)) => match obj.get(param).filter(|v| !v.is_null()) {
            None => None,
            Some(v) => {
                let p = join(path, param);
                let list = string_list(v, &p)?;
                if list.is_empty() {
                    return err(
                        &p,
                        format!(
                            "is empty: leave the field out for {}, or name them",
                            cd.source_default.unwrap_or("the default")
                        ),
                    );
                }
                for (i, s) in list.iter().enumerate() {
                    check_item(cd.source_item, s, &format!("{p}[{i}]"), partition)?;
                }
                no_duplicates(&list, &p)?;
                Some(list)
            }
        },
        _ => None,
    };
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
        validate::iam_name(n, cat.iam.limits.instance_profile_name).map_err(|m| ConfigError {
            path: join(path, "instanceProfileName"),
            message: format!("{} {m}", quote(n)),
        })?;
    }
    let pass_roles = match obj.get("passRoles") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let p = join(path, "passRoles");
            let list = string_list(v, &p)?;
            if list.is_empty() {
                return err(
                    &p,
                    "is empty: leave the field out to pass every role of the configuration it may pass, or name the roles",
                );
            }
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
            let feature = fu.feature;
            if !feature.repeatable
                && features
                    .iter()
                    .any(|x: &FeatureUse| std::ptr::eq(x.feature, fu.feature))
            {
                return err(
                    &join(&p, "id"),
                    format!(
                        "{} is already on this role; list its values in one entry",
                        quote(fu.feature.id)
                    ),
                );
            }
            features.push(fu);
        }
        // Custom policy names must be unique on the role (regardless of case, as IAM names
        // are), and differ from the feature ids, which name the other policies.
        let mut names: Vec<String> = Vec::new();
        for (i, f) in features.iter().enumerate() {
            if let Some(n) = f.policy_name() {
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
                let pass_roles = cat.iam.pass_role.policy_name;
                if !super::names::passes_of(kind, features.iter().map(|fu| fu.feature)).is_empty()
                    && pass_roles.eq_ignore_ascii_case(n)
                {
                    return err(
                        &format!("{fp}[{i}].name"),
                        format!("{} is reserved: it names the policy of the roles this role passes; choose another name", quote(n)),
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
                names.push(n.to_string());
            }
        }
    }
    if pass_roles.is_some()
        && super::names::passes_of(kind, features.iter().map(|fu| fu.feature)).is_empty()
    {
        return err(
            &join(path, "passRoles"),
            format!(
                "a {} passes no role; leave it out",
                kind.title.to_ascii_lowercase()
            ),
        );
    }
    Ok(Role {
        kind,
        name,
        path: role_path,
        description,
        managed_policies,
        confused_deputy,
        instance_profile_name,
        pass_roles,
        sources,
        features,
    })
}

/// A managed policy reference: a catalogue name (optionally with its path, as UFO writes
/// `service-role/AmazonECSTaskExecutionRolePolicy`) or a policy ARN.
fn check_managed_policy(
    written: String,
    path: &str,
    partition: Option<&str>,
) -> Result<ManagedPolicyUse, ConfigError> {
    let mp = written.as_str();
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
            // The forms of the catalogue's templates, as a reader writes them.
            let arns = &cat.iam.arns;
            let form = |t: &str, account: &str| {
                t.replace("${Partition}", "aws")
                    .replace("${Account}", account)
                    .replace("${Path}${Name}", "/NAME")
            };
            return err(
                path,
                format!(
                    "{} is not a managed policy ARN ({} or {})",
                    quote(mp),
                    form(arns.aws_managed_policy, ""),
                    form(arns.policy, "ACCOUNT")
                ),
            );
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
        let mut known = None;
        if parts[4] == "aws" {
            let name = parts[5].rsplit('/').next().unwrap_or_default();
            if let Some(policy) = cat.managed_policy(name) {
                if !policy.attachable {
                    return err(path, format!("{} is a service-linked role policy; it cannot be attached to your roles", quote(mp)));
                }
                known = Some(policy);
            }
        }
        return Ok(ManagedPolicyUse::Arn {
            arn: written,
            known,
        });
    }
    let name = mp.rsplit('/').next().unwrap_or(mp);
    let Some(known) = cat.managed_policy(name) else {
        let suggestion = cat
            .managed_policies
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map_or_else(
                || " Give its full ARN, or run `ecs-iam catalog` for the known names.".into(),
                |p| format!(" Did you mean {}?", p.name),
            );
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
    Ok(ManagedPolicyUse::Named {
        policy: known,
        written: Some(written),
    })
}

/// How a configuration may name an AWS managed policy besides its ARN: its name, or its path
/// and name with or without the leading `/` (`service-role/AmazonECSTaskExecutionRolePolicy`,
/// as UFO writes it). The JSON Schema lists the same forms.
pub(crate) fn managed_policy_forms(mp: &crate::catalog::ManagedPolicy) -> Vec<String> {
    let full = format!("{}{}", mp.path, mp.name);
    let mut forms = vec![mp.name.to_string()];
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
        .filter(|f| f.roles.contains(&role_kind))
        .map(|f| f.id)
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
    if !feature.roles.contains(&role_kind) {
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
    allowed.extend(feature.params.iter().map(|p| p.name));
    check_fields(obj, path, &allowed)?;
    let mut params = Vec::new();
    for param in feature.params {
        let p = join(path, param.name);
        let raw = obj.get(param.name).filter(|v| !v.is_null());
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
                check_item(param.item, s, &p, partition)?;
                ParamValue::Value(s.clone())
            }
            ParamType::List => {
                let list = string_list(raw, &p)?;
                // An empty list never means "every resource": that is what leaving it out says.
                if list.is_empty() {
                    if param.required {
                        return err(&p, format!("is empty; {}", param.description));
                    }
                    return err(
                        &p,
                        "is empty: an empty list names nothing; leave the field out to allow every resource, or list the ones the tasks use",
                    );
                }
                for (i, s) in list.iter().enumerate() {
                    check_item(param.item, s, &format!("{p}[{i}]"), partition)?;
                }
                no_duplicates(&list, &p)?;
                ParamValue::List(list)
            }
            ParamType::Statements => ParamValue::Statements(crate::statements::validate(raw, &p)?),
        };
        params.push((param.name, value));
    }
    let fu = FeatureUse { feature, params };
    // "ID grants nothing as given", where the user set one of `switches` to nothing (null or
    // false), else at the feature.
    let nothing = |switches: &[&str], how: &str| {
        let at = switches
            .iter()
            .find(|w| obj.contains_key(**w))
            .map_or_else(|| path.to_string(), |w| join(path, w));
        err(
            &at,
            format!(
                "{} grants nothing as given: set at least one of {}{how}",
                feature.id,
                switches.join(", ")
            ),
        )
    };
    if !feature.needs_one_of.is_empty() && !feature.needs_one_of.iter().any(|w| fu.is_set(w)) {
        return nothing(feature.needs_one_of, " to true");
    }
    // A feature whose every statement waits for a parameter, and that attaches no managed
    // policy, would grant nothing: an empty policy, which IAM refuses.
    if !feature.statements.is_empty()
        && fu.managed_policies().is_empty()
        && !super::names::yields_policy(&fu)
    {
        let mut wanted: Vec<&str> = Vec::new();
        for t in feature.statements {
            for w in t.when {
                if !wanted.contains(w) {
                    wanted.push(w);
                }
            }
        }
        return nothing(&wanted, "");
    }
    Ok(fu)
}

/// Checks one value of a list or single-value parameter against its value kind, with the
/// message the parser gives (the app also checks every list item as the user types).
///
/// Every list and value parameter names its value kind (build.rs refuses one that does not);
/// a parameter without one has no syntax to check.
pub fn check_item(
    item: Option<ValueKindId>,
    s: &str,
    path: &str,
    partition: Option<&str>,
) -> Result<(), ConfigError> {
    let Some(kind) = item else {
        return Ok(());
    };
    validate::value(kind.info(), s, partition).map_err(|m| ConfigError {
        path: path.into(),
        message: format!("{} {m}", quote(s)),
    })
}
