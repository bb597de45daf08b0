//! Validation of user-written IAM statements (the `custom` feature). The grammar is IAM's
//! identity-policy grammar; every string must be a character IAM accepts, so no output format
//! can be broken by what a user typed.

use crate::error::ConfigError;
use crate::json::quote;
use crate::validate;
use serde_json::{Map, Value};

pub(crate) const MAX_STATEMENTS: usize = 100;

const KEYS: [&str; 7] = [
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Condition operators of the IAM policy grammar (without `IfExists` and set prefixes).
const OPERATORS: [&str; 25] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
];
const MORE_OPERATORS: [&str; 2] = ["ArnNotLike", "Null"];

fn fail<T>(path: &str, message: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError::new(path, message.into()))
}

pub(crate) fn validate(v: &Value, path: &str) -> Result<Vec<Value>, ConfigError> {
    let Value::Array(items) = v else {
        return fail(path, "must be a list of IAM statements");
    };
    if items.is_empty() {
        return fail(path, "is empty; add at least one statement");
    }
    if items.len() > MAX_STATEMENTS {
        return fail(
            path,
            format!(
                "has {} statements; the limit is {MAX_STATEMENTS}",
                items.len()
            ),
        );
    }
    let statements = items
        .iter()
        .enumerate()
        .map(|(i, s)| statement(s, &format!("{path}[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    // IAM refuses a policy whose statements share a Sid.
    for (i, s) in statements.iter().enumerate() {
        if let Some(sid) = s.get("Sid").and_then(Value::as_str) {
            if let Some(j) = statements[..i]
                .iter()
                .position(|t| t.get("Sid").and_then(Value::as_str) == Some(sid))
            {
                return fail(
                    &format!("{path}[{i}].Sid"),
                    format!(
                        "{} is already the Sid of {path}[{j}]; the Sids of a policy must be unique",
                        quote(sid)
                    ),
                );
            }
        }
    }
    Ok(statements)
}

fn statement(v: &Value, path: &str) -> Result<Value, ConfigError> {
    let Value::Object(obj) = v else {
        return fail(path, "must be an IAM statement object");
    };
    for k in obj.keys() {
        if !KEYS.contains(&k.as_str()) {
            let why = if k == "Principal" || k == "NotPrincipal" {
                "identity policies have no Principal (that belongs in trust or resource policies)"
                    .to_string()
            } else {
                format!("is not an IAM statement element; use {}", KEYS.join(", "))
            };
            return fail(&format!("{path}.{}", quote(k).trim_matches('"')), why);
        }
    }
    let mut out = Map::new();
    if let Some(sid) = obj.get("Sid") {
        let p = format!("{path}.Sid");
        let Value::String(s) = sid else {
            return fail(&p, "must be a string");
        };
        if s.is_empty() {
            return fail(
                &p,
                "is empty: IAM wants at least one letter or digit; leave Sid out instead",
            );
        }
        if s.len() > 128 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
            return fail(
                &p,
                format!(
                    "{} is not a valid Sid: IAM allows only letters and digits",
                    quote(s)
                ),
            );
        }
        out.insert("Sid".into(), sid.clone());
    }
    let p = format!("{path}.Effect");
    match obj.get("Effect") {
        Some(Value::String(e)) if e == "Allow" || e == "Deny" => {
            out.insert("Effect".into(), Value::String(e.clone()));
        }
        Some(Value::String(e)) => {
            return fail(
                &p,
                format!("{} is not an effect; use Allow or Deny", quote(e)),
            )
        }
        Some(_) => return fail(&p, "must be \"Allow\" or \"Deny\""),
        None => return fail(&p, "is missing; use Allow or Deny"),
    }
    one_of(obj, path, "Action", "NotAction", &mut out, action)?;
    one_of(obj, path, "Resource", "NotResource", &mut out, resource)?;
    if let Some(c) = obj.get("Condition") {
        out.insert(
            "Condition".into(),
            condition(c, &format!("{path}.Condition"))?,
        );
    }
    Ok(Value::Object(out))
}

fn one_of(
    obj: &Map<String, Value>,
    path: &str,
    a: &str,
    b: &str,
    out: &mut Map<String, Value>,
    check: fn(&str) -> Result<(), String>,
) -> Result<(), ConfigError> {
    let key = match (obj.contains_key(a), obj.contains_key(b)) {
        (true, true) => {
            return fail(
                &format!("{path}.{b}"),
                format!("a statement has either {a} or {b}, not both"),
            )
        }
        (false, false) => return fail(&format!("{path}.{a}"), format!("is missing (or use {b})")),
        (true, false) => a,
        (false, true) => b,
    };
    let p = format!("{path}.{key}");
    let v = &obj[key];
    let list: Vec<(String, &Value)> = match v {
        Value::String(_) => vec![(p.clone(), v)],
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("{p}[{i}]"), x))
            .collect(),
        Value::Array(_) => return fail(&p, "is an empty list"),
        _ => return fail(&p, "must be a string or a list of strings"),
    };
    if list.len() > 500 {
        return fail(&p, "has more than 500 entries");
    }
    for (ip, x) in list {
        let Value::String(s) = x else {
            return fail(&ip, "must be a string");
        };
        validate::policy_text(s)
            .and_then(|_| check(s))
            .map_err(|m| ConfigError {
                path: ip,
                message: format!("{} {m}", quote(s)),
            })?;
    }
    out.insert(key.into(), v.clone());
    Ok(())
}

fn action(s: &str) -> Result<(), String> {
    if s == "*" {
        return Ok(());
    }
    let Some((svc, act)) = s.split_once(':') else {
        return Err("is not an action: use service:Action, such as s3:GetObject".into());
    };
    let ok_svc = !svc.is_empty()
        && svc
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let ok_act = !act.is_empty()
        && act
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?');
    if ok_svc && ok_act {
        Ok(())
    } else {
        Err("is not an action: use service:Action, such as s3:GetObject (wildcards * and ? allowed)".into())
    }
}

fn resource(s: &str) -> Result<(), String> {
    if s == "*" {
        return Ok(());
    }
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[1].is_empty() || parts[2].is_empty() {
        return Err("is not a resource: use \"*\" or an ARN (arn:partition:service:region:account:resource)".into());
    }
    if s.chars().any(char::is_whitespace) {
        return Err("is not a valid ARN: it contains white space".into());
    }
    Ok(())
}

fn operator_ok(op: &str) -> bool {
    let op = op
        .strip_prefix("ForAllValues:")
        .or_else(|| op.strip_prefix("ForAnyValue:"))
        .unwrap_or(op);
    let op = op.strip_suffix("IfExists").unwrap_or(op);
    OPERATORS.contains(&op) || MORE_OPERATORS.contains(&op)
}

fn condition(v: &Value, path: &str) -> Result<Value, ConfigError> {
    let Value::Object(ops) = v else {
        return fail(path, "must be an object of condition operators, such as {\"StringEquals\": {\"aws:ResourceTag/team\": \"web\"}}");
    };
    if ops.is_empty() {
        return fail(path, "is empty");
    }
    for (op, block) in ops {
        let p = format!("{path}.{}", quote(op).trim_matches('"'));
        if !operator_ok(op) {
            return fail(
                &p,
                format!("{} is not an IAM condition operator", quote(op)),
            );
        }
        let Value::Object(keys) = block else {
            return fail(&p, "must be an object of condition keys and values");
        };
        if keys.is_empty() {
            return fail(&p, "is empty");
        }
        for (key, val) in keys {
            let kp = format!("{p}.{}", quote(key).trim_matches('"'));
            let key_ok = key.len() <= 256
                && key.contains(':')
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ":/_-.$@{}".contains(c));
            if !key_ok || validate::policy_text(key).is_err() {
                return fail(
                    &kp,
                    format!(
                        "{} is not a condition key (such as aws:SourceVpc)",
                        quote(key)
                    ),
                );
            }
            let vals: Vec<&Value> = match val {
                Value::Array(a) if !a.is_empty() => a.iter().collect(),
                Value::Array(_) => return fail(&kp, "is an empty list"),
                other => vec![other],
            };
            for x in vals {
                match x {
                    Value::String(s) => validate::policy_text(s).map_err(|m| ConfigError {
                        path: kp.clone(),
                        message: format!("{} {m}", quote(s)),
                    })?,
                    Value::Bool(_) | Value::Number(_) => {}
                    _ => return fail(&kp, "condition values are strings, numbers or booleans"),
                }
            }
        }
    }
    Ok(v.clone())
}
