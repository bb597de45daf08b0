//! An IAM policy evaluator: which requests a set of policies allows, as the IAM User Guide's
//! policy evaluation logic describes it for one account. An explicit `Deny` in any policy wins;
//! otherwise an `Allow` in an identity policy, or in the resource (or trust) policy for the
//! request's principal, allows; otherwise the request is implicitly denied.
//!
//! A statement applies when its `Action`/`NotAction`, `Resource`/`NotResource`,
//! `Principal`/`NotPrincipal` (resource policies) and every condition match. Conditions: every
//! operator of the String, Numeric, Date, Bool, Binary, IpAddress, Arn and Null families, the
//! `...IfExists` suffix and the `ForAnyValue:`/`ForAllValues:` set operators; the operators
//! of one statement, the keys of one operator and the values of one key combine as IAM
//! combines them (and, and, or). Policy variables (`${aws:username}`, `${*}`, `${?}`, `${$}`)
//! are substituted in resources and condition values; a variable the request has no value for
//! makes its element match nothing.
//!
//! Written by hand: no Rust crate evaluates IAM policies (the AWS SDKs call the service's own
//! `SimulatePrincipalPolicy`), and the engine must answer offline.

use serde_json::Value;

/// What is asked of AWS.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The calling principal: a role ARN, or a service principal (`ecs-tasks.amazonaws.com`)
    /// for a trust policy. Identity policies do not look at it.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN the service evaluates (`*` for actions without a resource).
    pub resource: String,
    /// Condition keys and their values (several for a multi-valued key). Key names compare
    /// without regard to case.
    pub context: Vec<(String, Vec<String>)>,
}

impl Request {
    fn values(&self, key: &str) -> Option<&[String]> {
        self.context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_slice())
    }
}

/// The outcome of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// A statement with `"Effect": "Deny"` applies.
    ExplicitDeny,
    /// No statement allows it.
    ImplicitDeny,
}

impl Decision {
    pub fn id(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::ExplicitDeny => "explicit-deny",
            Decision::ImplicitDeny => "implicit-deny",
        }
    }
}

/// A decision and the statements that made it (policy index, statement index; the resource
/// policy is index `identity.len()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub statements: Vec<(usize, usize)>,
}

/// Evaluates a request against identity policies and an optional resource or trust policy.
pub fn evaluate(
    identity: &[&Value],
    resource_policy: Option<&Value>,
    request: &Request,
) -> Evaluation {
    let mut allows = Vec::new();
    let mut denies = Vec::new();
    let policies = identity
        .iter()
        .map(|p| (*p, false))
        .chain(resource_policy.map(|p| (p, true)));
    for (i, (policy, is_resource)) in policies.enumerate() {
        for (j, st) in statements(policy).iter().enumerate() {
            if !applies(st, is_resource, request) {
                continue;
            }
            match field(st, "Effect").and_then(Value::as_str) {
                Some("Deny") => denies.push((i, j)),
                Some("Allow") => allows.push((i, j)),
                _ => {}
            }
        }
    }
    if !denies.is_empty() {
        Evaluation {
            decision: Decision::ExplicitDeny,
            statements: denies,
        }
    } else if !allows.is_empty() {
        Evaluation {
            decision: Decision::Allow,
            statements: allows,
        }
    } else {
        Evaluation {
            decision: Decision::ImplicitDeny,
            statements: Vec::new(),
        }
    }
}

/// The statements of a policy document (`Statement` may be one object or a list).
pub(crate) fn statements(policy: &Value) -> &[Value] {
    match policy.get("Statement") {
        Some(Value::Array(a)) => a,
        Some(v @ Value::Object(_)) => std::slice::from_ref(v),
        _ => &[],
    }
}

/// The strings of an element: one string or a list of them.
fn strings(v: &Value) -> impl Iterator<Item = &str> {
    let list: &[Value] = match v {
        Value::String(_) => std::slice::from_ref(v),
        Value::Array(a) => a,
        _ => &[],
    };
    list.iter().filter_map(Value::as_str)
}

/// A key of a statement: a statement has a handful of keys, which a scan compares faster than
/// the map hashes one (this runs for every statement of every request evaluated).
fn field<'a>(st: &'a Value, key: &str) -> Option<&'a Value> {
    st.as_object()?
        .iter()
        .find_map(|(k, v)| (k == key).then_some(v))
}

fn applies(st: &Value, is_resource: bool, request: &Request) -> bool {
    let action = match (field(st, "Action"), field(st, "NotAction")) {
        (Some(a), None) => strings(a).any(|p| glob(p, &request.action, true)),
        (None, Some(a)) => !strings(a).any(|p| glob(p, &request.action, true)),
        _ => false,
    };
    if !action {
        return false;
    }
    // A trust policy's statements name no resource: the role is the resource.
    let resource = match (field(st, "Resource"), field(st, "NotResource")) {
        (Some(r), None) => strings(r).any(|p| resource_matches(p, request)),
        (None, Some(r)) => !strings(r).any(|p| resource_matches(p, request)),
        (None, None) => is_resource,
        _ => false,
    };
    if !resource {
        return false;
    }
    if is_resource {
        let principal = match (field(st, "Principal"), field(st, "NotPrincipal")) {
            (Some(p), None) => principal_matches(p, &request.principal),
            (None, Some(p)) => !principal_matches(p, &request.principal),
            _ => false,
        };
        if !principal {
            return false;
        }
    }
    match field(st, "Condition") {
        None => true,
        Some(Value::Object(ops)) => ops.iter().all(|(op, keys)| operator(op, keys, request)),
        Some(_) => false,
    }
}

fn principal_matches(p: &Value, principal: &str) -> bool {
    match p {
        Value::String(s) => s == "*",
        Value::Object(o) => o.iter().any(|(kind, names)| {
            strings(names).any(|n| {
                n == "*"
                    || n == principal
                    // An account principal (`123456789012` or `arn:...:root`) stands for every
                    // principal of the account.
                    || (kind == "AWS" && account_of(n).is_some_and(|a| account_of(principal) == Some(a) && (n.ends_with(":root") || !n.contains(':'))))
            })
        }),
        _ => false,
    }
}

fn account_of(s: &str) -> Option<&str> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(s);
    }
    s.split(':').nth(4).filter(|a| !a.is_empty())
}

/// A resource pattern, its policy variables substituted, against the request's resource.
fn resource_matches(pattern: &str, request: &Request) -> bool {
    if !(pattern.contains('$') && pattern.contains("${")) {
        // No policy variable: the pattern is its own text (the common case, without a copy).
        return glob(pattern, &request.resource, false);
    }
    substitute(pattern, request).is_some_and(|p| glob_parts(&p, &request.resource, false))
}

/// A pattern after substitution: literal text, and the `*` and `?` that are wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(char),
    Any,
    One,
}

/// Substitutes policy variables: `${key}` by the key's single value, `${*}`, `${?}` and `${$}`
/// by the literal characters. None when a variable has no single value in the request (IAM
/// then matches nothing).
fn substitute(pattern: &str, request: &Request) -> Option<Vec<Part>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(end) = after.find('}') {
                let name = &after[..end];
                match name {
                    "*" | "?" | "$" => out.push(Part::Text(name.chars().next().unwrap_or('$'))),
                    // The engine's placeholders of what a configuration leaves open (never an
                    // IAM variable, which has no `::`): text, as the renderers fill them in.
                    n if n.starts_with("AWS::") => {
                        out.extend(rest[..end + 3].chars().map(Part::Text));
                    }
                    _ => {
                        let (key, default) = match name.split_once(',') {
                            Some((k, d)) => (k.trim(), Some(d.trim().trim_matches('\''))),
                            None => (name.trim(), None),
                        };
                        match (request.values(key), default) {
                            (Some([v]), _) => out.extend(v.chars().map(Part::Text)),
                            (_, Some(d)) => out.extend(d.chars().map(Part::Text)),
                            _ => return None,
                        }
                    }
                }
                rest = &after[end + 1..];
                continue;
            }
        }
        out.push(match c {
            '*' => Part::Any,
            '?' => Part::One,
            c => Part::Text(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

/// `*` and `?` wildcards; `fold`: without regard to ASCII case (actions).
fn glob(pattern: &str, text: &str, fold: bool) -> bool {
    // On bytes, without a copy: `*` and `?` are ASCII, a literal character matches only the
    // same UTF-8 bytes, and `?` and a `*`'s backtracking step over one whole character.
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let eq = |a: u8, b: u8| {
        if fold {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let next = |i: usize| {
        i + text
            .get(i..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8)
    };
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(b'?') => {
                pi += 1;
                ti = next(ti);
            }
            Some(&c) if eq(c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    let st = next(st);
                    pi = sp + 1;
                    ti = st;
                    star = Some((sp, st));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

fn glob_parts(parts: &[Part], text: &str, fold: bool) -> bool {
    let text: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if fold {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // Iterative matching with one backtrack point per `*` (linear in practice).
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match parts.get(p) {
            Some(Part::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Part::One) => {
                p += 1;
                t += 1;
            }
            Some(Part::Text(c)) if eq(*c, text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    parts[p..].iter().all(|x| *x == Part::Any)
}

/// One condition operator with its keys: every key must match.
fn operator(op: &str, keys: &Value, request: &Request) -> bool {
    let Value::Object(keys) = keys else {
        return false;
    };
    let (set, rest) = match op.split_once(':') {
        Some(("ForAnyValue", r)) => (Some(true), r),
        Some(("ForAllValues", r)) => (Some(false), r),
        Some(_) => return false,
        None => (None, op),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    keys.iter().all(|(key, wanted)| {
        let wanted: Vec<Option<Vec<Part>>> = strings_or_scalars(wanted)
            .iter()
            .map(|w| substitute(w, request))
            .collect();
        let present = request.values(key);
        if base == "Null" {
            // "true": the key is absent; "false": it is present.
            return wanted.iter().flatten().any(|w| {
                let w: String = w.iter().map(part_char).collect();
                (w == "true") == present.is_none_or(<[String]>::is_empty)
            });
        }
        let negated = base.contains("Not");
        match (present, set) {
            (None, _) | (Some([]), Some(_)) => {
                if if_exists {
                    return true;
                }
                match set {
                    // Of an empty set, every value matches; none is found.
                    Some(false) => true,
                    Some(true) => false,
                    None => negated,
                }
            }
            (Some(values), None) => {
                values.iter().all(|v| one(base, &wanted, v)) && !values.is_empty()
            }
            (Some(values), Some(true)) => values.iter().any(|v| one(base, &wanted, v)),
            (Some(values), Some(false)) => values.iter().all(|v| one(base, &wanted, v)),
        }
    })
}

fn part_char(p: &Part) -> char {
    match p {
        Part::Text(c) => *c,
        Part::Any => '*',
        Part::One => '?',
    }
}

/// Condition values as text (numbers and booleans are written as strings too).
fn strings_or_scalars(v: &Value) -> Vec<String> {
    let one = |x: &Value| match x {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match v {
        Value::Array(a) => a.iter().filter_map(one).collect(),
        x => one(x).into_iter().collect(),
    }
}

/// Whether a request value matches one operator's values (any of them; for a negated
/// operator, none of them).
fn one(base: &str, wanted: &[Option<Vec<Part>>], value: &str) -> bool {
    let positive = base.replacen("Not", "", 1);
    let hit = wanted.iter().flatten().any(|w| {
        let literal: String = w.iter().map(part_char).collect();
        match positive.as_str() {
            "StringEquals" => literal == value,
            "StringEqualsIgnoreCase" => literal.eq_ignore_ascii_case(value),
            "StringLike" => glob_parts(w, value, false),
            "NumericEquals" => num(&literal, value, |a, b| a == b),
            "NumericLessThan" => num(value, &literal, |a, b| a < b),
            "NumericLessThanEquals" => num(value, &literal, |a, b| a <= b),
            "NumericGreaterThan" => num(value, &literal, |a, b| a > b),
            "NumericGreaterThanEquals" => num(value, &literal, |a, b| a >= b),
            "DateEquals" => date(&literal, value, |a, b| a == b),
            "DateLessThan" => date(value, &literal, |a, b| a < b),
            "DateLessThanEquals" => date(value, &literal, |a, b| a <= b),
            "DateGreaterThan" => date(value, &literal, |a, b| a > b),
            "DateGreaterThanEquals" => date(value, &literal, |a, b| a >= b),
            "Bool" => literal.eq_ignore_ascii_case(value),
            "BinaryEquals" => literal == value,
            "IpAddress" => cidr_contains(&literal, value),
            "ArnEquals" | "ArnLike" => arn_like(w, value),
            _ => false,
        }
    });
    if base.contains("Not") {
        !hit
    } else {
        hit
    }
}

fn num(a: &str, b: &str, cmp: fn(std::cmp::Ordering, std::cmp::Ordering) -> bool) -> bool {
    decimal_cmp(a, b).is_some_and(|o| cmp(o, std::cmp::Ordering::Equal))
}

/// Compares two decimal numbers (`-12`, `3.25`) exactly, digit by digit: IAM's numeric
/// conditions take integers and decimals. Parsing them as `f64` would also put the float
/// parser's tables (11 KB) into the wasm builds.
fn decimal_cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    fn parts(s: &str) -> Option<(bool, &str, &str)> {
        let s = s.trim();
        let (neg, s) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let ok = !(int.is_empty() && frac.is_empty())
            && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit());
        ok.then(|| (neg, int.trim_start_matches('0'), frac.trim_end_matches('0')))
    }
    let (na, ia, fa) = parts(a)?;
    let (nb, ib, fb) = parts(b)?;
    let zero = |i: &str, f: &str| i.is_empty() && f.is_empty();
    let (na, nb) = (na && !zero(ia, fa), nb && !zero(ib, fb));
    let magnitude = ia
        .len()
        .cmp(&ib.len())
        .then_with(|| ia.cmp(ib))
        .then_with(|| fa.cmp(fb));
    Some(match (na, nb) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    })
}

fn date(a: &str, b: &str, cmp: fn(i64, i64) -> bool) -> bool {
    match (epoch_millis(a), epoch_millis(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => false,
    }
}

/// A date as IAM reads one: epoch seconds, or ISO 8601 (`2026-12-01`, `2026-12-01T10:00:00Z`,
/// with fractions of seconds and a `+hh:mm` offset). Milliseconds since the epoch.
fn epoch_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<i64>() {
        return Some(secs * 1000);
    }
    let (date, time) = s.split_once('T').unwrap_or((s, "00:00:00Z"));
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    if d.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, offset) = match time.find(['Z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, "Z"),
    };
    let mut c = clock.split(':');
    let h: i64 = c.next()?.parse().ok()?;
    let min: i64 = c.next().unwrap_or("0").parse().ok()?;
    let sec_text = c.next().unwrap_or("0");
    let (whole, frac) = sec_text.split_once('.').unwrap_or((sec_text, ""));
    let sec: i64 = whole.parse().ok()?;
    let millis: i64 = format!("{frac:0<3}")[..3].parse().unwrap_or(0);
    let off_minutes = match offset {
        "Z" | "" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':').unwrap_or((&o[1..], "0"));
            sign * (oh.parse::<i64>().ok()? * 60 + om.parse::<i64>().ok()?)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + min * 60 + sec - off_minutes * 60) * 1000) + millis)
}

/// Whether an IP address lies in a CIDR block (IPv4 or IPv6; a bare address is its own /32
/// or /128).
fn cidr_contains(cidr: &str, ip: &str) -> bool {
    use std::net::IpAddr;
    let (net, bits) = match cidr.split_once('/') {
        Some((n, b)) => (n, b.parse::<u32>().ok()),
        None => (cidr, None),
    };
    match (net.parse::<IpAddr>(), ip.parse::<IpAddr>()) {
        (Ok(IpAddr::V4(n)), Ok(IpAddr::V4(a))) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(n) & mask == u32::from(a) & mask
        }
        (Ok(IpAddr::V6(n)), Ok(IpAddr::V6(a))) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

/// `ArnLike`/`ArnEquals`: the six parts of the ARN compared one by one, each with wildcards
/// (the resource part, which may hold `:`, as one).
fn arn_like(pattern: &[Part], value: &str) -> bool {
    let text: String = pattern.iter().map(part_char).collect();
    let p: Vec<&str> = text.splitn(6, ':').collect();
    let v: Vec<&str> = value.splitn(6, ':').collect();
    p.len() == 6 && v.len() == 6 && p.iter().zip(&v).all(|(a, b)| glob(a, b, false))
}

/// The strings of an element, owned.
pub(crate) fn strings_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// A value a pattern matches: its wildcards and policy variables filled in.
pub(crate) fn instance(pattern: &str) -> String {
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len());
    // Copied a run at a time between the bytes that change: `*`, `?` and `${...}`.
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'*' | b'?' => {
                out.push_str(&pattern[start..i]);
                out.push('x');
                i += 1;
                start = i;
            }
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let Some(end) = pattern[i + 2..].find('}') else {
                    i += 1;
                    continue;
                };
                out.push_str(&pattern[start..i]);
                let whole = &pattern[i..i + 2 + end + 1];
                match &whole[2..whole.len() - 1] {
                    name @ ("*" | "?" | "$") => out.push_str(name),
                    n if n.starts_with("AWS::") => out.push_str(whole),
                    _ => out.push('x'),
                }
                i += whole.len();
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&pattern[start..]);
    out
}

/// The context that meets a statement's conditions, or None when one cannot be made up (a
/// numeric, date or address operator: none of the renderings has one).
pub(crate) fn context_for(
    st: &Value,
    pattern_keys: &mut Vec<String>,
) -> Option<Vec<(String, Vec<String>)>> {
    let mut ctx: Vec<(String, Vec<String>)> = Vec::new();
    for s in [&st["Resource"], &st["NotResource"]] {
        for r in strings_of(Some(s)) {
            let mut rest = r.as_str();
            while let Some(i) = rest.find("${") {
                let Some(end) = rest[i..].find('}') else {
                    break;
                };
                let name = &rest[i + 2..i + end];
                if name.contains(':')
                    && !name.starts_with("AWS::")
                    && !pattern_keys.iter().any(|k| k == name)
                {
                    pattern_keys.push(name.to_string());
                    ctx.push((name.to_string(), vec!["x".into()]));
                }
                rest = &rest[i + end..];
            }
        }
    }
    let Some(cond) = st.get("Condition").and_then(Value::as_object) else {
        return Some(ctx);
    };
    // Policy variables in condition values need their keys too.
    for keys in cond.values() {
        for values in keys.as_object().into_iter().flat_map(|k| k.values()) {
            for v in strings_of(Some(values)) {
                let mut rest = v.as_str();
                while let Some(i) = rest.find("${") {
                    let Some(end) = rest[i..].find('}') else {
                        break;
                    };
                    let name = &rest[i + 2..i + end];
                    if name.contains(':')
                        && !name.starts_with("AWS::")
                        && !pattern_keys.iter().any(|k| k == name)
                    {
                        pattern_keys.push(name.to_string());
                        ctx.push((name.to_string(), vec!["x".into()]));
                    }
                    rest = &rest[i + end..];
                }
            }
        }
    }
    for (op, keys) in cond {
        let base = op.rsplit(':').next().unwrap_or(op);
        for (key, values) in keys.as_object()? {
            let first = strings_of(Some(values))
                .into_iter()
                .next()
                .unwrap_or_default();
            if base.ends_with("IfExists") {
                continue;
            }
            let value = match base {
                "Null" => {
                    if first == "true" {
                        continue;
                    }
                    "x".to_string()
                }
                b if b.contains("Not") => "not-this-value".to_string(),
                b if b.starts_with("String") || b.starts_with("Arn") || b == "Bool" => {
                    instance(&first)
                }
                _ => return None,
            };
            ctx.push((key.clone(), vec![value]));
        }
    }
    Some(ctx)
}

/// The requests a statement is written to allow: each action without wildcards on an instance
/// of each resource pattern (`*` stays `*`), with a context that meets its conditions. None
/// for a statement whose context cannot be made up or that allows by negation.
pub(crate) fn examples(st: &Value, principal: &str) -> Vec<Request> {
    if st.get("NotAction").is_some() || st.get("NotResource").is_some() {
        return Vec::new();
    }
    let mut keys = Vec::new();
    let Some(context) = context_for(st, &mut keys) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for action in strings_of(st.get("Action"))
        .into_iter()
        .filter(|a| !a.contains(['*', '?']))
    {
        for pattern in strings_of(st.get("Resource")) {
            out.push(Request {
                principal: principal.to_string(),
                action: action.clone(),
                resource: if pattern == "*" {
                    pattern.clone()
                } else {
                    instance(&pattern)
                },
                context: context.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(action: &str, resource: &str, context: &[(&str, &[&str])]) -> Request {
        Request {
            principal: String::new(),
            action: action.into(),
            resource: resource.into(),
            context: context
                .iter()
                .map(|(k, v)| {
                    (
                        (*k).to_string(),
                        v.iter().map(|s| (*s).to_string()).collect(),
                    )
                })
                .collect(),
        }
    }

    fn decide(policy: &Value, r: &Request) -> Decision {
        evaluate(&[policy], None, r).decision
    }

    #[test]
    fn explicit_deny_wins_and_nothing_is_allowed_by_default() {
        let p = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/*"}]});
        assert_eq!(
            decide(&p, &req("s3:GetObject", "arn:aws:s3:::b/k", &[])),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &req("s3:DeleteObject", "arn:aws:s3:::b/k", &[])),
            Decision::ExplicitDeny
        );
        assert_eq!(
            decide(&p, &req("ec2:RunInstances", "*", &[])),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn actions_ignore_case_and_resources_do_not() {
        let p = json!({"Statement": {"Effect": "Allow", "Action": "S3:get*", "Resource": "arn:aws:s3:::B/*"}});
        assert_eq!(
            decide(&p, &req("s3:GetObject", "arn:aws:s3:::B/x", &[])),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &req("s3:GetObject", "arn:aws:s3:::b/x", &[])),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn not_action_and_not_resource() {
        let p = json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}]});
        assert_eq!(
            decide(&p, &req("s3:GetObject", "arn:aws:s3:::public/x", &[])),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &req("s3:GetObject", "arn:aws:s3:::secret/x", &[])),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(&p, &req("iam:PassRole", "*", &[])),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn a_secret_pattern_matches_the_suffix_and_not_a_sibling() {
        let p = json!({"Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-??????"}]});
        let ok = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf";
        let sibling = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-admin-AbCdEf";
        assert_eq!(
            decide(&p, &req("secretsmanager:GetSecretValue", ok, &[])),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &req("secretsmanager:GetSecretValue", sibling, &[])),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn policy_variables_are_substituted_and_escapes_are_literal() {
        // The IAM User Guide's example: each user's home folder.
        let p = json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/home/${aws:username}/*"},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/${*}"}]});
        let alice = [("aws:username", &["alice"][..])];
        assert_eq!(
            decide(
                &p,
                &req("s3:GetObject", "arn:aws:s3:::b/home/alice/x", &alice)
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                &p,
                &req("s3:GetObject", "arn:aws:s3:::b/home/bob/x", &alice)
            ),
            Decision::ImplicitDeny
        );
        // Without the key, the statement matches nothing.
        assert_eq!(
            decide(&p, &req("s3:GetObject", "arn:aws:s3:::b/home//x", &[])),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(&p, &req("s3:PutObject", "arn:aws:s3:::b/*", &[])),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &req("s3:PutObject", "arn:aws:s3:::b/x", &[])),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn conditions_combine_as_iam_combines_them() {
        let p = json!({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"},
                          "ArnLike": {"aws:SourceArn": ["arn:aws:ecs:us-east-1:111122223333:*", "arn:aws:ecs:eu-west-1:111122223333:*"]}}}]});
        let good = [
            ("aws:SourceAccount", &["111122223333"][..]),
            (
                "aws:SourceArn",
                &["arn:aws:ecs:eu-west-1:111122223333:task/c/1"][..],
            ),
        ];
        let other = [
            ("aws:SourceAccount", &["444455556666"][..]),
            (
                "aws:SourceArn",
                &["arn:aws:ecs:eu-west-1:444455556666:task/c/1"][..],
            ),
        ];
        let no_arn = [("aws:SourceAccount", &["111122223333"][..])];
        assert_eq!(
            decide(&p, &req("sts:AssumeRole", "*", &good)),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &req("sts:AssumeRole", "*", &other)),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(&p, &req("sts:AssumeRole", "*", &no_arn)),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn negated_operators_if_exists_and_null() {
        let p = json!({"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-west-2"},
                          "BoolIfExists": {"aws:MultiFactorAuthPresent": "true"},
                          "Null": {"aws:TokenIssueTime": "false"}}}]});
        let base = |mfa: Option<&'static str>, region: &'static str, token: bool| {
            let mut c: Vec<(&str, &[&str])> = vec![(
                "aws:RequestedRegion",
                std::slice::from_ref(Box::leak(Box::new(region))),
            )];
            if let Some(m) = mfa {
                c.push((
                    "aws:MultiFactorAuthPresent",
                    std::slice::from_ref(Box::leak(Box::new(m))),
                ));
            }
            if token {
                c.push(("aws:TokenIssueTime", &["2026-01-01T00:00:00Z"]));
            }
            req("ec2:RunInstances", "*", &c)
        };
        assert_eq!(decide(&p, &base(None, "us-east-1", true)), Decision::Allow);
        assert_eq!(
            decide(&p, &base(Some("false"), "us-east-1", true)),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(&p, &base(Some("true"), "us-west-2", true)),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(&p, &base(None, "us-east-1", false)),
            Decision::ImplicitDeny
        );
        // A negated operator is true for an absent key.
        let q = json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
            "Condition": {"StringNotLike": {"aws:PrincipalTag/team": "ops*"}}}]});
        assert_eq!(decide(&q, &req("s3:GetObject", "*", &[])), Decision::Allow);
    }

    #[test]
    fn set_operators_on_multi_valued_keys() {
        // The IAM User Guide's examples with aws:TagKeys.
        let all = json!({"Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}}]});
        let any = json!({"Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
            "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}}]});
        let keys = |k: &'static [&'static str]| req("ec2:CreateTags", "*", &[("aws:TagKeys", k)]);
        assert_eq!(decide(&all, &keys(&["env"])), Decision::Allow);
        assert_eq!(
            decide(&all, &keys(&["env", "cost"])),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(&all, &req("ec2:CreateTags", "*", &[])),
            Decision::Allow,
            "ForAllValues of no values"
        );
        assert_eq!(decide(&any, &keys(&["cost", "env"])), Decision::Allow);
        assert_eq!(decide(&any, &keys(&["cost"])), Decision::ImplicitDeny);
        assert_eq!(
            decide(&any, &req("ec2:CreateTags", "*", &[])),
            Decision::ImplicitDeny,
            "ForAnyValue of no values"
        );
    }

    #[test]
    fn numeric_date_ip_and_arn_operators() {
        let p = json!({"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
            "Condition": {"NumericLessThanEquals": {"s3:max-keys": "10"},
                          "DateLessThan": {"aws:CurrentTime": "2026-12-31T23:59:59Z"},
                          "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}}]});
        let ctx = |keys: &'static str, time: &'static str, ip: &'static str| {
            req(
                "s3:ListBucket",
                "*",
                &[
                    (
                        "s3:max-keys",
                        std::slice::from_ref(Box::leak(Box::new(keys))),
                    ),
                    (
                        "aws:CurrentTime",
                        std::slice::from_ref(Box::leak(Box::new(time))),
                    ),
                    (
                        "aws:SourceIp",
                        std::slice::from_ref(Box::leak(Box::new(ip))),
                    ),
                ],
            )
        };
        assert_eq!(
            decide(&p, &ctx("10", "2026-12-02T10:00:00Z", "203.0.113.7")),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &ctx("10", "2026-12-02T10:00:00+01:00", "2001:db8:1::1")),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &ctx("11", "2026-12-02T10:00:00Z", "203.0.113.7")),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(&p, &ctx("10", "2027-01-01T00:00:00Z", "203.0.113.7")),
            Decision::ImplicitDeny
        );
        // Epoch seconds: 1796000000 is 2026-11-30, 1800000000 is 2027-01-15.
        assert_eq!(
            decide(&p, &ctx("10", "1796000000", "203.0.113.7")),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, &ctx("10", "1800000000", "203.0.113.7")),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(&p, &ctx("10", "2026-12-02T10:00:00Z", "198.51.100.1")),
            Decision::ImplicitDeny
        );
        assert_eq!(epoch_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_millis("2000-03-01"), Some(951_868_800_000));
        let arn = json!({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*",
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:states:*:111122223333:stateMachine:*"}}}]});
        let src = |a: &'static str| {
            req(
                "sts:AssumeRole",
                "*",
                &[(
                    "aws:SourceArn",
                    std::slice::from_ref(Box::leak(Box::new(a))),
                )],
            )
        };
        assert_eq!(
            decide(
                &arn,
                &src("arn:aws:states:eu-west-1:111122223333:stateMachine:m")
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                &arn,
                &src("arn:aws:states:eu-west-1:444455556666:stateMachine:m")
            ),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(
                &arn,
                &src("arn:aws:states:eu-west-1:111122223333:execution:m:1")
            ),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn a_trust_policy_lets_its_principal_in_and_no_other() {
        let trust = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole"}]});
        let mut r = req("sts:AssumeRole", "arn:aws:iam::111122223333:role/x", &[]);
        r.principal = "ecs-tasks.amazonaws.com".into();
        assert_eq!(evaluate(&[], Some(&trust), &r).decision, Decision::Allow);
        r.principal = "ec2.amazonaws.com".into();
        assert_eq!(
            evaluate(&[], Some(&trust), &r).decision,
            Decision::ImplicitDeny
        );
        let account = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "kms:Decrypt", "Resource": "*"}]});
        let mut k = req(
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:111122223333:key/k",
            &[],
        );
        k.principal = "arn:aws:iam::111122223333:role/app".into();
        assert_eq!(evaluate(&[], Some(&account), &k).decision, Decision::Allow);
        k.principal = "arn:aws:iam::444455556666:role/app".into();
        assert_eq!(
            evaluate(&[], Some(&account), &k).decision,
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn decimals_compare_exactly() {
        use std::cmp::Ordering::*;
        for (a, b, o) in [
            ("10", "9", Greater),
            ("-1", "1", Less),
            ("1.50", "1.5", Equal),
            ("0.1", "0.10", Equal),
            ("-0", "0", Equal),
            ("-2.5", "-2.25", Less),
            ("007", "7", Equal),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567891",
                Less,
            ),
        ] {
            assert_eq!(decimal_cmp(a, b), Some(o), "{a} {b}");
        }
        assert_eq!(decimal_cmp("1e3", "1"), None);
        assert_eq!(decimal_cmp("", "1"), None);
    }

    #[test]
    fn an_instance_names_one_resource_the_pattern_matches() {
        for (pattern, want) in [
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x"),
            ("a?b*c", "axbxc"),
            ("p/${aws:username}/${*}${?}${$}", "p/x/*?$"),
            (
                "arn:${AWS::Partition}:logs:*",
                "arn:${AWS::Partition}:logs:x",
            ),
            ("${open", "${open"),
            ("é*${x}ü", "éxxü"),
            ("", ""),
        ] {
            assert_eq!(instance(pattern), want, "{pattern}");
        }
    }

    #[test]
    fn wildcards_never_backtrack_without_end() {
        let pattern = "*a*a*a*a*a*a*a*a*a*a*b";
        let text = "a".repeat(5000);
        assert!(!glob(pattern, &text, false));
        assert!(glob("*a*", &text, false));
    }

    /// The byte matcher agrees with the character matcher that policy variables use, on any
    /// text (multi-byte characters included) and without regard to case or with it.
    #[test]
    fn byte_and_character_globs_agree() {
        use proptest::prelude::*;
        let config = ProptestConfig::with_cases(4096);
        proptest!(config, |(pattern in "[aAé😀*?]{0,6}", text in "[aAé😀]{0,6}", fold in any::<bool>())| {
            let parts: Vec<Part> = pattern
                .chars()
                .map(|c| match c {
                    '*' => Part::Any,
                    '?' => Part::One,
                    c => Part::Text(c),
                })
                .collect();
            prop_assert_eq!(glob(&pattern, &text, fold), glob_parts(&parts, &text, fold));
        });
    }
}
