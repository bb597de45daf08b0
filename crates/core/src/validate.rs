//! Syntax checks for every value a user can type. Each returns a message fragment that
//! completes "<path>: "<value>" ...", so that errors read the same everywhere.
//!
//! Written by hand rather than with a regex engine: the rules are short, and keeping `regex`
//! out of the core keeps the wasm build small.

use crate::catalog::{catalog, ValueKind, ValueKindId};

/// Longest string accepted anywhere, before any other check.
pub(crate) const MAX_VALUE_LEN: usize = 2048;

fn all(s: &str, ok: impl Fn(char) -> bool) -> bool {
    s.chars().all(ok)
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// IAM names of roles, policies and instance profiles: `[A-Za-z0-9+=,.@_-]`.
pub(crate) fn iam_name(s: &str, max: usize) -> Result<(), String> {
    if s.is_empty() || s.len() > max {
        return Err(format!(
            "is not a valid IAM name: use 1 to {max} characters"
        ));
    }
    if !all(s, |c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)) {
        return Err("is not a valid IAM name: use letters, digits and + = , . @ _ - only".into());
    }
    if s.chars().all(|c| c == '.') {
        return Err("is not a usable IAM name: it needs a letter or digit".into());
    }
    Ok(())
}

/// IAM path: `/` or `/a/b/`, at most 512 characters.
pub(crate) fn iam_path(s: &str) -> Result<(), String> {
    let ok = s.starts_with('/')
        && s.ends_with('/')
        && s.len() <= 512
        && !s.contains("//")
        && all(s, |c| c.is_ascii_alphanumeric() || "/+=,.@_-".contains(c));
    if ok {
        Ok(())
    } else {
        Err("is not a valid IAM path: it starts and ends with / (for example /ecs/)".into())
    }
}

pub(crate) fn account(s: &str) -> Result<(), String> {
    if s.len() == 12 && all(s, |c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err("is not an AWS account id: use 12 digits".into())
    }
}

/// A Region name of the partition, such as `us-east-1` or `cn-north-1`.
pub(crate) fn region(s: &str, partition: Option<&str>) -> Result<(), String> {
    let cat = catalog();
    let parts: Vec<&str> = cat
        .partitions
        .iter()
        .filter(|p| partition.is_none_or(|id| p.id == id))
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|p| p.region_prefixes.iter().copied())
        .collect();
    let fits = parts.iter().any(|prefix| {
        s.strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.rsplit_once('-'))
            .is_some_and(|(area, num)| {
                !area.is_empty()
                    && all(area, |c| c.is_ascii_lowercase())
                    && !num.is_empty()
                    && num.len() <= 2
                    && all(num, |c| c.is_ascii_digit())
            })
    });
    if fits {
        Ok(())
    } else {
        match partition {
            Some(p) => Err(format!(
                "is not a Region of the {p} partition (for example {})",
                example_region(p)
            )),
            None => Err("is not a Region name (for example us-east-1)".into()),
        }
    }
}

fn example_region(partition: &str) -> &'static str {
    catalog()
        .partition(partition)
        .map_or("us-east-1", |p| p.example_region)
}

/// Checks a name or ARN against its value kind. Returns the ARN form of ARNs unchanged.
pub(crate) fn value(kind: &ValueKind, s: &str, partition: Option<&str>) -> Result<(), String> {
    if s.len() > MAX_VALUE_LEN {
        return Err(format!("is too long ({} characters)", s.len()));
    }
    if s.starts_with("arn:") {
        return arn(kind, s, partition);
    }
    // "ECR repository name or ARN" -> "ECR repository name": this branch checks names.
    let label = kind.label.split(" or ").next().unwrap_or(kind.label);
    let bad = |why: &str| Err(format!("is not a valid {label}: {why}"));
    match kind.key {
        ValueKindId::EcrRepository => {
            let body = s.strip_suffix('*').unwrap_or(s);
            if s.len() > 256 || (body.len() < 2 && !s.ends_with('*')) {
                return bad("use 2 to 256 characters");
            }
            if !all(body, |c| is_lower_alnum(c) || "._-/".contains(c)) {
                return bad("use lowercase letters, digits and . _ - / only");
            }
            if body.starts_with(|c: char| !is_lower_alnum(c))
                || body.contains("//")
                || (!s.ends_with('*') && body.ends_with(|c: char| !is_lower_alnum(c)))
            {
                return bad(
                    "start and end with a letter or digit; separate namespaces with single /",
                );
            }
            Ok(())
        }
        ValueKindId::LogGroup => {
            let body = s.strip_suffix('*').unwrap_or(s);
            if body.is_empty() && !s.ends_with('*') || s.len() > 512 {
                return bad("use 1 to 512 characters");
            }
            if !all(body, |c| c.is_ascii_alphanumeric() || "._-/#".contains(c)) {
                return bad("use letters, digits and . _ - / # only");
            }
            if s.starts_with("aws/") {
                return bad("names beginning with aws/ are reserved");
            }
            Ok(())
        }
        ValueKindId::Secret => {
            let body = s.strip_suffix('*').unwrap_or(s);
            if body.is_empty() && !s.ends_with('*') || s.len() > 512 {
                return bad("use 1 to 512 characters");
            }
            if !all(body, |c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)) {
                return bad("use letters, digits and / _ + = . @ - only");
            }
            Ok(())
        }
        ValueKindId::SsmParameter => {
            let body = s.strip_suffix('*').unwrap_or(s);
            let name = body.strip_prefix('/').unwrap_or(body);
            if (name.is_empty() && !s.ends_with('*')) || s.len() > 1011 {
                return bad("use 1 to 1011 characters");
            }
            if !all(name, |c| c.is_ascii_alphanumeric() || "._-/".contains(c)) {
                return bad("use letters, digits and . _ - / only");
            }
            if name.contains("//") {
                return bad("empty hierarchy level (//)");
            }
            if name.split('/').count() > 15 {
                return bad("more than 15 hierarchy levels");
            }
            let lower = name.to_ascii_lowercase();
            // The one reserved path a task definition may name: a Secrets Manager secret read
            // through Parameter Store.
            let reference = secret_reference(s).is_some_and(|secret| !secret.is_empty());
            if !reference && (lower.starts_with("aws") || lower.starts_with("ssm")) {
                return bad("names beginning with aws or ssm are reserved");
            }
            Ok(())
        }
        ValueKindId::KmsKey => {
            if s.starts_with("alias/") {
                return bad(&format!(
                    "an alias cannot authorize {}; give the key id or the key ARN",
                    catalog().iam.decrypt_action
                ));
            }
            let uuid = s.len() == 36
                && s.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                });
            let mrk = s
                .strip_prefix("mrk-")
                .is_some_and(|h| h.len() == 32 && all(h, |c| c.is_ascii_hexdigit()));
            if uuid || mrk {
                Ok(())
            } else {
                bad("use a key id such as 1234abcd-12ab-34cd-56ef-1234567890ab, mrk-..., or a key ARN")
            }
        }
        ValueKindId::EfsFileSystem => hex_id(s, "fs-", 8, 40)
            .or_else(|_| bad("use an id such as fs-0123456789abcdef0, or an ARN")),
        ValueKindId::EfsAccessPoint => hex_id(s, "fsap-", 8, 40)
            .or_else(|_| bad("use an id such as fsap-0123456789abcdef0, or an ARN")),
        ValueKindId::VpcEndpoint => {
            hex_id(s, "vpce-", 8, 17).or_else(|_| bad("use an id such as vpce-0123456789abcdef0"))
        }
        ValueKindId::Vpc => {
            hex_id(s, "vpc-", 8, 17).or_else(|_| bad("use an id such as vpc-0123456789abcdef0"))
        }
        ValueKindId::S3Bucket => {
            // A pattern (`logs-*`) passes, for the `wildcard` check to speak of; the rest of it
            // is held to the rules of names.
            let pattern = s.contains(['*', '?']);
            let ok = (if pattern { 1..=63 } else { 3..=63 }).contains(&s.len())
                && all(s, |c| is_lower_alnum(c) || ".-*?".contains(c))
                && (pattern || (s.starts_with(is_lower_alnum) && s.ends_with(is_lower_alnum)))
                && !s.contains("..");
            if ok {
                Ok(())
            } else {
                bad("use 3 to 63 lowercase letters, digits, . and -, starting and ending with a letter or digit")
            }
        }
        ValueKindId::S3Object => {
            // bucket/key, or bucket/prefix/* for every object under a prefix.
            let (bucket, key) = s.split_once('/').unwrap_or((s, ""));
            if bucket.contains(['*', '?']) {
                return bad("name the bucket; a * may only end the key, for a prefix");
            }
            value(ValueKindId::S3Bucket.info(), bucket, partition)?;
            let body = key.strip_suffix('*').unwrap_or(key);
            if key.is_empty() || key.len() > 1024 {
                return bad("give bucket/key (1 to 1,024 characters of key), or bucket/prefix/* for every object under a prefix");
            }
            if !all(body, |c| {
                c.is_ascii_alphanumeric() || "!-_.'()/=@+,:".contains(c)
            }) {
                return bad("use letters, digits and ! - _ . ' ( ) / = @ + , : in the key; * only at its end, for a prefix");
            }
            Ok(())
        }
        ValueKindId::AwsAccount => account(s),
        ValueKindId::PolicyName => iam_name(s, 128),
        ValueKindId::RoleName => iam_name(s, 64),
        ValueKindId::EcsTaskDefinition | ValueKindId::EcsCluster => {
            if kind.key == ValueKindId::EcsTaskDefinition && s.contains(':') {
                return bad("give the family (for every revision) or the task definition's ARN, without :REVISION");
            }
            if s.is_empty() || s.len() > 255 {
                return bad("use 1 to 255 characters");
            }
            if !all(s, |c| {
                c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '*'
            }) {
                return bad("use letters, digits, _ and - only");
            }
            Ok(())
        }
        _ => by_rule(kind, s, &bad),
    }
}

/// A name checked by its kind's rule in the catalogue (`name`); a kind without one is given
/// only by ARN. `*` and `?` pass, for the `wildcard` check to speak of.
fn by_rule(
    kind: &ValueKind,
    s: &str,
    bad: &dyn Fn(&str) -> Result<(), String>,
) -> Result<(), String> {
    let Some(rule) = &kind.name else {
        return Err(format!(
            "is not a valid {}: give its ARN ({}:...)",
            kind.label,
            kind.arn_service.unwrap_or("arn")
        ));
    };
    if s.is_empty() || s.len() > rule.max {
        return bad(&format!("use 1 to {} characters", rule.max));
    }
    if rule.parts > 1 && (s.split('/').count() != rule.parts || s.split('/').any(str::is_empty)) {
        return bad(&format!("give its {} parts, separated by /", rule.parts));
    }
    let letter = |c: char| {
        c.is_ascii_digit()
            || if rule.lower {
                c.is_ascii_lowercase()
            } else {
                c.is_ascii_alphanumeric()
            }
    };
    if !all(s, |c| {
        letter(c) || rule.chars.contains(c) || c == '*' || c == '?'
    }) {
        let mut list = String::new();
        for c in rule.chars.chars() {
            list.push(' ');
            list.push(c);
        }
        let case = if rule.lower { "lowercase " } else { "" };
        return bad(&format!("use {case}letters, digits and{list} only"));
    }
    Ok(())
}

/// The resource of an ARN of a kind checked by its name rule, after its type: what the kind's
/// ARN template puts around `${Name}` (a target group's `NAME/ID`, a service's
/// `CLUSTER/NAME`), and a version or alias where the kind has a qualifier (a Lambda
/// function's `NAME:live`). An ARN of another shape matches no resource IAM evaluates.
fn rule_arn(kind: &ValueKind, name: &str) -> Result<(), String> {
    let resource = kind.arn_resource.unwrap_or_default();
    let template = kind
        .arn
        .and_then(|a| a.split_once(resource))
        .map_or("${Name}", |(_, t)| t);
    let (before, after) = template.split_once("${Name}").unwrap_or(("", ""));
    let lead = before.matches("*/").count();
    let trail = after.matches("/*").count();
    let own = kind.name.as_ref().map_or(1, |r| r.parts);
    // "target group name or ARN" -> "target group"; "listener ARN (or ...)" -> "listener".
    let noun = kind.label.split(" (").next().unwrap_or(kind.label);
    let noun = noun.strip_suffix(" or ARN").unwrap_or(noun);
    let noun = noun
        .strip_suffix(" name")
        .or_else(|| noun.strip_suffix(" ARN"))
        .unwrap_or(noun);
    let shape = format!(
        "{resource}{}{}{}",
        before.replace('*', "..."),
        if own > 1 { kind.example } else { "NAME" },
        after.replace('*', "ID")
    );
    let bad = || {
        Err(format!(
            "is not a well-formed {noun} ARN: its resource has the form {shape}"
        ))
    };
    let name = match kind
        .qualifier
        .and_then(|sep| name.split_once(sep).map(|q| (sep, q)))
    {
        Some((sep, (base, qualifier))) => {
            if qualifier.is_empty() || qualifier.contains(sep) {
                return Err(format!(
                    "is not a well-formed {noun} ARN: after the name comes at most one version or alias"
                ));
            }
            base
        }
        None => name,
    };
    let parts: Vec<&str> = name.split('/').collect();
    if parts.len() != lead + own + trail || parts.iter().any(|p| p.is_empty()) {
        return bad();
    }
    value(kind, &parts[lead..lead + own].join("/"), None)
}

fn hex_id(s: &str, prefix: &str, min: usize, max: usize) -> Result<(), ()> {
    match s.strip_prefix(prefix) {
        Some(h)
            if (min..=max).contains(&h.len())
                && all(h, |c| c.is_ascii_digit() || ('a'..='f').contains(&c)) =>
        {
            Ok(())
        }
        _ => Err(()),
    }
}

/// Characters an ARN given as a parameter value may hold.
fn arn_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ":/_+=,.@-*?!#".contains(c)
}

/// The six fields of `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
pub(crate) struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// The fields of an ARN, or `None` when `s` is not one (the resource may hold `:`).
pub(crate) fn read_arn(s: &str) -> Option<Arn<'_>> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some(Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    })
}

/// The name in a validated value of a kind: the value itself, or its ARN's resource part
/// after the kind's resource type (`repository/`, `log-group:`).
pub(crate) fn name_of<'a>(kind: &ValueKind, s: &'a str) -> &'a str {
    read_arn(s)
        .and_then(|a| {
            a.resource
                .strip_prefix(kind.arn_resource.unwrap_or_default())
        })
        .unwrap_or(s)
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, whose service and resource type fit the kind.
pub(crate) fn arn(kind: &ValueKind, s: &str, partition: Option<&str>) -> Result<(), String> {
    let (Some(service), Some(resource)) = (&kind.arn_service, &kind.arn_resource) else {
        return Err(format!(
            "is not a valid {}: give it without arn:",
            kind.label
        ));
    };
    if !all(s, arn_char) {
        return Err("is not a valid ARN: it holds a character ARNs cannot contain".into());
    }
    let Some(Arn {
        partition: p,
        service: svc,
        region: reg,
        account: acct,
        resource: res,
    }) = read_arn(s)
    else {
        return Err(
            "is not a valid ARN: expected arn:partition:service:region:account:resource".into(),
        );
    };
    if catalog().partition(p).is_none() {
        return Err(format!("is not a valid ARN: unknown partition {p}"));
    }
    if let Some(want) = partition {
        if p != want {
            return Err(format!(
                "is in partition {p}, but the configuration's partition is {want}"
            ));
        }
    }
    if svc != *service {
        return Err(format!(
            "is not a {}: expected an arn:{p}:{service}:... ARN",
            kind.label
        ));
    }
    let global = *service == "s3";
    if global {
        if !reg.is_empty() || !acct.is_empty() {
            return Err("is not a valid S3 ARN: S3 bucket ARNs have no Region or account (arn:aws:s3:::bucket)".into());
        }
    } else {
        if reg != "*" {
            region(reg, Some(p))
                .map_err(|e| format!("has a Region, {}, that {e}", crate::json::quote(reg)))?;
        }
        if acct != "*" {
            account(acct).map_err(|_| "has an account that is not 12 digits".to_string())?;
        }
    }
    let Some(name) = res.strip_prefix(resource) else {
        return Err(format!(
            "is not a {}: its resource part must start with {resource}",
            kind.label
        ));
    };
    if name.is_empty() {
        return Err(format!(
            "is not a {}: the ARN names no resource",
            kind.label
        ));
    }
    if kind.name.is_some() {
        return rule_arn(kind, name);
    }
    if kind.key == ValueKindId::LogGroup {
        // A log group ARN may end in :* (its streams); the name itself is checked as a name.
        let base = name.strip_suffix(":*").unwrap_or(name);
        return value(kind, base, partition).map(|_| ());
    }
    // A task definition's valueFrom may follow the secret's ARN with `:json-key:version-stage:
    // version-id`; IAM matches the secret, which is what the name is checked as.
    let name = if kind.key == ValueKindId::Secret {
        let mut fields = name.split(':');
        let secret = fields.next().unwrap_or_default();
        if fields.count() > 3 {
            return Err(format!(
                "is not a {}: after the secret, a valueFrom holds at most a JSON key, a version stage and a version id",
                kind.label
            ));
        }
        secret
    } else {
        name
    };
    if kind.key == ValueKindId::EcsTaskDefinition {
        // task-definition/FAMILY:REVISION, FAMILY:* or FAMILY (every revision, once reduced).
        let (family, revision) = name.split_once(':').unwrap_or((name, "*"));
        let number = !revision.is_empty() && all(revision, |c| c.is_ascii_digit());
        if revision != "*" && !number {
            return Err(format!(
                "is not a {}: after the family comes a revision number or *",
                kind.label
            ));
        }
        return value(kind, family, partition);
    }
    if kind.key == ValueKindId::Secret
        || kind.key == ValueKindId::SsmParameter
        || kind.key == ValueKindId::EcrRepository
        || kind.key == ValueKindId::S3Bucket
        || kind.key == ValueKindId::S3Object
    {
        // `?` is valid in IAM ARN patterns (secret suffix), the rest of the name as a name.
        let base: String = name.chars().filter(|c| *c != '?').collect();
        let base = base.trim_end_matches('-');
        if !base.is_empty() {
            value(kind, base, partition)?;
        }
    }
    Ok(())
}

/// A value as IAM must match it, when that differs from how users write it (a task
/// definition's `valueFrom`, a console ARN). `forms` are names or ARNs, as values are.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Reduced {
    pub forms: Vec<String>,
    /// What was done, for `check` to say.
    pub why: String,
    /// Whether the value may mean either form (the policy names both).
    pub ambiguous: bool,
    /// Whether a secret's 6-character suffix was the matter.
    pub suffix: bool,
}

/// What IAM must match for a value of this kind, or `None` when it is the value as written.
/// Validated values only.
pub(crate) fn reduce(kind: ValueKindId, s: &str) -> Option<Reduced> {
    match kind {
        ValueKindId::LogGroup => s
            .strip_suffix(":*")
            .filter(|_| s.starts_with("arn:"))
            .map(|base| Reduced {
                forms: vec![base.to_string()],
                why: "the log group's ARN without :*, which the statements add where the log streams are meant".into(),
                ambiguous: false,
                suffix: false,
            }),
        ValueKindId::Secret => reduce_secret(s),
        ValueKindId::EcsTaskDefinition => s
            .rsplit_once('/')
            .filter(|(_, family)| s.starts_with("arn:") && !family.contains(':'))
            .map(|_| Reduced {
                forms: vec![format!("{s}:*")],
                why: "a task definition ARN without its revision, which ECS always evaluates (task-definition/FAMILY:REVISION): every revision (:*) is granted".into(),
                ambiguous: false,
                suffix: false,
            }),
        _ => None,
    }
}

/// The secret's name, when `s` is the Parameter Store reference to a Secrets Manager secret.
pub(crate) fn secret_reference(s: &str) -> Option<&str> {
    let reference = ValueKindId::Secret.info().parameter_store_reference;
    reference.and_then(|r| s.strip_prefix(r))
}

/// What the catalogue's ARN template of a value kind puts after the name (`-??????` for a
/// secret, the suffix Secrets Manager appends; `:*` for a task definition, every revision):
/// part of the form IAM matches, not a wildcard of the user's.
pub(crate) fn name_suffix(kind: &ValueKind) -> &'static str {
    kind.arn
        .and_then(|a| a.rsplit_once("${Name}"))
        .map_or("", |(_, suffix)| suffix)
}

fn reduce_secret(s: &str) -> Option<Reduced> {
    let suffix_pattern = name_suffix(ValueKindId::Secret.info());
    if let Some(name) = secret_reference(s) {
        return Some(Reduced {
            forms: vec![name.to_string()],
            why: format!("a Parameter Store reference to the secret {name}: the task reads the secret itself"),
            ambiguous: false,
            suffix: false,
        });
    }
    if !s.starts_with("arn:") {
        return None;
    }
    // arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key:version-stage:version-id]
    let fields: Vec<&str> = s.split(':').collect();
    let arn = fields[..fields.len().min(7)].join(":");
    let mut why = Vec::new();
    if fields.len() > 7 {
        why.push(
            "a valueFrom with a JSON key or version: IAM matches the secret itself".to_string(),
        );
    }
    let name = fields.get(6).copied().unwrap_or_default();
    let (suffix_like, surely_suffix) = secret_suffix(name);
    let suffix = !(name.ends_with('*') || surely_suffix);
    let (forms, ambiguous) = if !suffix {
        (vec![arn.clone()], false)
    } else if suffix_like {
        why.push(format!("an ARN whose name {name} may end in the 6-character suffix Secrets Manager appends or in a word of the name: the policy names both {arn} and {arn}{suffix_pattern}"));
        (vec![arn.clone(), format!("{arn}{suffix_pattern}")], true)
    } else {
        why.push(format!("an ARN without the 6-character suffix Secrets Manager appends: the policy names {arn}{suffix_pattern}, which matches the secret"));
        (vec![format!("{arn}{suffix_pattern}")], false)
    };
    (forms != [s] || !why.is_empty()).then(|| Reduced {
        forms,
        why: why.join("; "),
        ambiguous,
        suffix,
    })
}

/// Whether a secret's name (as its ARN has it) ends in what looks like the 6-character suffix
/// Secrets Manager appends (`-` and six letters, digits or `?`), and whether that is surely the
/// suffix: Secrets Manager's suffixes are random letters and digits, and one of only
/// lower-case letters may as well be the last word of the name.
fn secret_suffix(name: &str) -> (bool, bool) {
    let tail = name.rsplit_once('-').map(|(_, t)| t);
    let like = tail
        .is_some_and(|t| t.len() == 6 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '?'));
    (
        like,
        like && tail.is_some_and(|t| t.chars().any(|c| !c.is_ascii_lowercase())),
    )
}

/// A secret's name in a validated secret value (a name, an ARN, a `valueFrom` with a JSON key),
/// without the suffix Secrets Manager appends when the ARN surely ends in it.
pub(crate) fn secret_name(s: &str) -> &str {
    let kind = ValueKindId::Secret.info();
    let name = name_of(kind, s);
    let name = name.split(':').next().unwrap_or(name);
    match name.rsplit_once('-') {
        Some((base, _)) if s.starts_with("arn:") && secret_suffix(name).1 => base,
        _ => name,
    }
}

/// Characters IAM accepts in policy documents: tab, LF, CR and U+0020 to U+00FF.
pub(crate) fn policy_text(s: &str) -> Result<(), String> {
    if let Some(c) = s
        .chars()
        .find(|&c| !(c == '\t' || c == '\n' || c == '\r' || ('\u{20}'..='\u{ff}').contains(&c)))
    {
        return Err(format!(
            "contains {} (U+{:04X}), which IAM policy documents cannot hold",
            crate::json::quote(c.encode_utf8(&mut [0; 4])),
            c as u32
        ));
    }
    if s.contains("${AWS::") {
        return Err("contains a CloudFormation pseudo parameter (${AWS::...}); set partition, region and account in the configuration instead".into());
    }
    if s.len() > MAX_VALUE_LEN {
        return Err(format!("is too long ({} characters)", s.len()));
    }
    Ok(())
}
