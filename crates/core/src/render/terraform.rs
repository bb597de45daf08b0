//! Terraform for the AWS provider: `aws_iam_role` with `assume_role_policy = jsonencode(...)`,
//! one `aws_iam_role_policy` per inline policy, `aws_iam_policy` and
//! `aws_iam_role_policy_attachment` for managed policies, `aws_iam_instance_profile`, and the
//! roles' ARNs as outputs. The text is laid out exactly as `terraform fmt` lays it out (two
//! spaces a level, the `=` of consecutive one-line attributes aligned), so formatting it
//! changes nothing.
//!
//! Strings are HCL templates: `${` and `%{` that belong to the policy (IAM policy variables such
//! as `${aws:username}`) are written `$${` and `%%{`, so they stay literal; every character
//! outside printable ASCII is a `\u` escape. The placeholders of what the configuration leaves
//! open become references to the `aws_partition`, `aws_region` and `aws_caller_identity` data
//! sources.

use super::OutputFile;
use crate::plan::{next_placeholder, Plan, ACCOUNT, PARTITION, PLACEHOLDERS, REGION};
use serde_json::Value;
use std::fmt::Write;

/// The label of this module's data sources: a name of its own, so that the text can be pasted
/// into a module that already reads `data.aws_caller_identity.current`.
const DATA: &str = "ecs_iam";

/// The data source and attribute that stand for each placeholder.
const REFS: [(&str, &str, &str); 3] = [
    (PARTITION, "aws_partition", "partition"),
    (REGION, "aws_region", "region"),
    (ACCOUNT, "aws_caller_identity", "account_id"),
];

/// The provider versions the text needs: `data.aws_region`'s `region` exists from 6.0 on.
const PROVIDER_VERSION: &str = ">= 6.0";
const TERRAFORM_VERSION: &str = ">= 1.5.0";

fn reference(placeholder: &str) -> String {
    REFS.iter()
        .find(|(p, _, _)| *p == placeholder)
        .map(|(_, ds, attr)| format!("data.{ds}.{DATA}.{attr}"))
        .unwrap_or_default()
}

/// A literal run of an HCL quoted template: escapes, and `${`/`%{` doubled so that they stay
/// text.
fn literal(out: &mut String, s: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
}

/// A string as an HCL expression: a bare reference when it is one placeholder, else a quoted
/// template with the placeholders interpolated.
fn string(s: &str) -> String {
    if PLACEHOLDERS.contains(&s) {
        return reference(s);
    }
    let mut out = String::from("\"");
    let mut rest = s;
    loop {
        let Some((i, p)) = next_placeholder(rest) else {
            literal(&mut out, rest);
            break;
        };
        let (text, dollar) = match rest[..i].strip_suffix('$') {
            // A `$` just before an interpolation would make it the escape `$${`.
            Some(t) => (t, true),
            None => (&rest[..i], false),
        };
        literal(&mut out, text);
        if dollar {
            out.push_str("${\"$\"}");
        }
        let _ = write!(out, "${{{}}}", reference(p));
        rest = &rest[i + p.len()..];
    }
    out.push('"');
    out
}

/// An object key: bare when HCL reads it as the same string, quoted otherwise.
fn key(k: &str) -> String {
    let mut chars = k.chars();
    let bare = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && ![
            "true", "false", "null", "for", "in", "if", "else", "endif", "endfor",
        ]
        .contains(&k);
    if bare {
        k.to_string()
    } else {
        string(k)
    }
}

fn one_line(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => true,
    }
}

fn pad(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// A JSON value as an HCL expression, starting where `out` ends; its lines after the first
/// are at `level`.
fn value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => out.push_str(&string(s)),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        Value::Array(a) => {
            out.push_str("[\n");
            for x in a {
                pad(out, level + 1);
                value(out, x, level + 1);
                out.push_str(",\n");
            }
            pad(out, level);
            out.push(']');
        }
        Value::Object(o) => {
            out.push_str("{\n");
            let members: Vec<(String, Attr)> =
                o.iter().map(|(k, x)| (key(k), Attr::Json(x))).collect();
            attributes(out, &members, level + 1);
            pad(out, level);
            out.push('}');
        }
    }
}

/// The value of an attribute or object member.
enum Attr<'a> {
    /// An expression already written (a string, a reference).
    Expr(String),
    Json(&'a Value),
    /// `jsonencode(...)` of a document.
    Encode(&'a Value),
}

impl Attr<'_> {
    fn one_line(&self) -> bool {
        match self {
            Attr::Expr(_) => true,
            Attr::Json(v) => one_line(v),
            Attr::Encode(v) => one_line(v),
        }
    }
}

/// Attributes (or object members) at `level`, one a line; the `=` of each run of one-line
/// attributes aligned, as `terraform fmt` aligns them (a multi-line value ends the run).
fn attributes(out: &mut String, attrs: &[(String, Attr)], level: usize) {
    let mut i = 0;
    while i < attrs.len() {
        let run = attrs[i..].iter().take_while(|(_, a)| a.one_line()).count();
        if run == 0 {
            let (k, a) = &attrs[i];
            pad(out, level);
            let _ = write!(out, "{k} = ");
            match a {
                Attr::Encode(v) => {
                    out.push_str("jsonencode(");
                    value(out, v, level);
                    out.push(')');
                }
                Attr::Json(v) => value(out, v, level),
                Attr::Expr(e) => out.push_str(e),
            }
            out.push('\n');
            i += 1;
            continue;
        }
        let width = attrs[i..i + run]
            .iter()
            .map(|(k, _)| k.len())
            .max()
            .unwrap_or(0);
        for (k, a) in &attrs[i..i + run] {
            pad(out, level);
            let _ = write!(out, "{k:<width$} = ");
            match a {
                Attr::Expr(e) => out.push_str(e),
                Attr::Json(v) => value(out, v, level),
                Attr::Encode(v) => {
                    out.push_str("jsonencode(");
                    value(out, v, level);
                    out.push(')');
                }
            }
            out.push('\n');
        }
        i += run;
    }
}

/// A block: its one-line attributes first, then each multi-line one after a blank line.
fn block(out: &mut String, header: &str, attrs: Vec<(String, Attr)>) {
    let _ = writeln!(out, "{header} {{");
    let (short, long): (Vec<_>, Vec<_>) = attrs.into_iter().partition(|(_, a)| a.one_line());
    attributes(out, &short, 1);
    let mut first = short.is_empty();
    for a in long {
        if !first {
            out.push('\n');
        }
        first = false;
        attributes(out, std::slice::from_ref(&a), 1);
    }
    out.push_str("}\n");
}

/// A resource label: snake case of the name, `[a-z0-9_]`, starting with a letter, unique.
fn label(taken: &mut Vec<String>, name: &str) -> String {
    // A word starts at an upper-case letter after a lower-case one or a digit, and at the last
    // capital of an acronym (`ECSTask`: `ecs_task`).
    let chars: Vec<char> = name.chars().collect();
    let mut s = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let starts = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(char::is_ascii_lowercase));
            if starts {
                s.push('_');
            }
            s.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            s.push(c);
        } else {
            s.push('_');
        }
    }
    let mut s: String = s
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "r_");
    }
    let mut unique = s.clone();
    let mut n = 2;
    while taken.contains(&unique) {
        unique = format!("{s}_{n}");
        n += 1;
    }
    taken.push(unique.clone());
    unique
}

fn attr<'a>(k: &str, a: Attr<'a>) -> (String, Attr<'a>) {
    (k.to_string(), a)
}

fn quoted(s: &str) -> Attr<'static> {
    Attr::Expr(string(s))
}

/// Which placeholders the plan uses.
fn uses(plan: &Plan) -> Vec<&'static str> {
    let mut text = String::new();
    for r in &plan.roles {
        text.push_str(&crate::json::to_string(&r.trust));
        text.push_str(&r.managed_policy_arns.join(" "));
        for p in &r.inline {
            text.push_str(&crate::json::to_string(&p.document));
        }
    }
    for p in &plan.managed {
        text.push_str(&crate::json::to_string(&p.document));
    }
    PLACEHOLDERS
        .into_iter()
        .filter(|p| text.contains(p))
        .collect()
}

const HEADER: &str = "# IAM roles for Amazon ECS, for the AWS provider (hashicorp/aws >= 6.0). Generated by ecs-iam.\n";

/// `main.tf`: the data sources the configuration needs, the roles and their policies.
fn main_tf(plan: &Plan) -> (String, Vec<(String, String, String)>) {
    let mut out = String::from(HEADER);
    let used = uses(plan);
    if !used.is_empty() {
        out.push('\n');
        for (p, ds, _) in REFS {
            if used.contains(&p) {
                let _ = writeln!(out, "data \"{ds}\" \"{DATA}\" {{}}");
            }
        }
    }
    let mut taken = Vec::new();
    let mut outputs = Vec::new();
    let role_labels: Vec<String> = plan
        .roles
        .iter()
        .map(|r| label(&mut taken, &r.logical_id))
        .collect();
    let policy_labels: Vec<String> = plan
        .managed
        .iter()
        .map(|p| label(&mut taken, &p.logical_id))
        .collect();
    for (role, rl) in plan.roles.iter().zip(&role_labels) {
        let _ = writeln!(out, "\n# {} {}", role.kind.title, role.name);
        let mut attrs = vec![attr("name", quoted(&role.name))];
        if role.path != "/" {
            attrs.push(attr("path", quoted(&role.path)));
        }
        if let Some(d) = &role.description {
            attrs.push(attr("description", quoted(d)));
        }
        attrs.push(attr("assume_role_policy", Attr::Encode(&role.trust)));
        block(
            &mut out,
            &format!("resource \"aws_iam_role\" \"{rl}\""),
            attrs,
        );
        let reference = format!("aws_iam_role.{rl}.name");
        for p in &role.inline {
            let pl = label(&mut taken, &format!("{rl}_{}", p.name));
            out.push('\n');
            block(
                &mut out,
                &format!("resource \"aws_iam_role_policy\" \"{pl}\""),
                vec![
                    attr("name", quoted(&p.name)),
                    attr("role", Attr::Expr(reference.clone())),
                    attr("policy", Attr::Encode(&p.document)),
                ],
            );
        }
        for arn in &role.managed_policy_arns {
            let name = arn.rsplit('/').next().unwrap_or(arn);
            let al = label(&mut taken, &format!("{rl}_{name}"));
            out.push('\n');
            block(
                &mut out,
                &format!("resource \"aws_iam_role_policy_attachment\" \"{al}\""),
                vec![
                    attr("role", Attr::Expr(reference.clone())),
                    attr("policy_arn", quoted(arn)),
                ],
            );
        }
        if let Some(ip) = &role.instance_profile {
            let il = label(&mut taken, &ip.logical_id);
            out.push('\n');
            let mut attrs = vec![attr("name", quoted(&ip.name))];
            if role.path != "/" {
                attrs.push(attr("path", quoted(&role.path)));
            }
            attrs.push(attr("role", Attr::Expr(reference.clone())));
            block(
                &mut out,
                &format!("resource \"aws_iam_instance_profile\" \"{il}\""),
                attrs,
            );
            outputs.push((
                format!("{il}_arn"),
                format!("The ARN of the instance profile {}.", ip.name),
                format!("aws_iam_instance_profile.{il}.arn"),
            ));
        }
        outputs.push((
            format!("{rl}_arn"),
            format!("The ARN of {} ({}).", role.name, role.kind.title),
            format!("aws_iam_role.{rl}.arn"),
        ));
    }
    for (p, pl) in plan.managed.iter().zip(&policy_labels) {
        let _ = writeln!(out, "\n# Customer managed policy {}", p.name);
        let mut attrs = vec![attr("name", quoted(&p.name))];
        if p.path != "/" {
            attrs.push(attr("path", quoted(&p.path)));
        }
        attrs.push(attr("policy", Attr::Encode(&p.document)));
        block(
            &mut out,
            &format!("resource \"aws_iam_policy\" \"{pl}\""),
            attrs,
        );
        for &r in &p.roles {
            let rl = &role_labels[r];
            let al = label(&mut taken, &format!("{rl}_{pl}"));
            out.push('\n');
            block(
                &mut out,
                &format!("resource \"aws_iam_role_policy_attachment\" \"{al}\""),
                vec![
                    attr("role", Attr::Expr(format!("aws_iam_role.{rl}.name"))),
                    attr("policy_arn", Attr::Expr(format!("aws_iam_policy.{pl}.arn"))),
                ],
            );
        }
        if p.roles.is_empty() {
            let _ = writeln!(
                out,
                "# Attach aws_iam_policy.{pl} to the users or roles that deploy."
            );
        }
        outputs.push((
            format!("{pl}_arn"),
            format!("The ARN of the customer managed policy {}.", p.name),
            format!("aws_iam_policy.{pl}.arn"),
        ));
    }
    out.push_str(&super::owner_comments(plan, "#", "module"));
    (out, outputs)
}

fn outputs_tf(outputs: &[(String, String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, description, value)) in outputs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        block(
            &mut out,
            &format!("output \"{name}\""),
            vec![
                attr("description", quoted(description)),
                attr("value", Attr::Expr(value.clone())),
            ],
        );
    }
    out
}

fn versions_tf() -> String {
    format!(
        "terraform {{\n  required_version = \"{TERRAFORM_VERSION}\"\n\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n"
    )
}

/// The roles, their policies and their outputs, as one text to paste into a module.
pub(super) fn render(plan: &Plan) -> String {
    let (mut main, outputs) = main_tf(plan);
    if !outputs.is_empty() {
        main.push('\n');
        main.push_str(&outputs_tf(&outputs));
    }
    main
}

/// A module (`--out`): `main.tf`, `outputs.tf` and `versions.tf`.
pub(super) fn files(plan: &Plan) -> Vec<OutputFile> {
    let (main, outputs) = main_tf(plan);
    let file = |path: &str, contents: String| OutputFile {
        path: path.into(),
        contents,
        executable: false,
    };
    vec![
        file("main.tf", main),
        file("outputs.tf", outputs_tf(&outputs)),
        file("versions.tf", versions_tf()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_variables_and_template_sequences_stay_literal() {
        assert_eq!(string("a/${aws:username}/*"), "\"a/$${aws:username}/*\"");
        assert_eq!(string("%{x}"), "\"%%{x}\"");
        assert_eq!(string("$"), "\"$\"");
        assert_eq!(
            string("x$${AWS::Region}"),
            "\"x${\"$\"}${data.aws_region.ecs_iam.region}\""
        );
        assert_eq!(string("é\u{1F600}"), "\"\\u00E9\\U0001F600\"");
        assert_eq!(
            string(ACCOUNT),
            "data.aws_caller_identity.ecs_iam.account_id"
        );
    }

    #[test]
    fn labels_are_snake_case_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(
            label(&mut taken, "TaskExecutionRole"),
            "task_execution_role"
        );
        assert_eq!(
            label(&mut taken, "TaskExecutionRole"),
            "task_execution_role_2"
        );
        assert_eq!(label(&mut taken, "9lives.@x"), "r_9lives_x");
        assert_eq!(
            label(&mut taken, "AmazonECSTaskExecutionRolePolicy"),
            "amazon_ecs_task_execution_role_policy"
        );
    }
}
