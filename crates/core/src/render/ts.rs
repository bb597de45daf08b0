//! TypeScript shared by the CDK and Pulumi formats: string literals, JSON values as object
//! literals, variable names.
//!
//! Strings are double-quoted JSON string literals (with the line and paragraph separators
//! escaped too), which TypeScript reads as they are: never a template literal, so an IAM policy
//! variable such as `${aws:username}` stays text. A placeholder of what the configuration
//! leaves open becomes the format's own expression for it.

use crate::plan::next_placeholder;
use serde_json::Value;
use std::fmt::Write;

pub(super) fn literal(s: &str) -> String {
    let mut out = String::new();
    crate::json::quote_visible_into(&mut out, s);
    out
}

/// A string as literals and the tokens of its placeholders (`tokens`: placeholder, expression),
/// joined by `join`; a string without placeholders is one literal.
pub(super) fn join(s: &str, tokens: &[(&str, &str)], join: impl Fn(&[String]) -> String) -> String {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some((i, p)) = next_placeholder(rest) {
        if i > 0 {
            parts.push(literal(&rest[..i]));
        }
        let token = tokens
            .iter()
            .find(|(ph, _)| *ph == p)
            .map_or("", |(_, t)| *t);
        parts.push(token.to_string());
        rest = &rest[i + p.len()..];
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(literal(rest));
    }
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        join(&parts)
    }
}

fn pad(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// A JSON value as a TypeScript expression, its strings written by `string`; lines after the
/// first at `level`.
pub(super) fn value(out: &mut String, v: &Value, level: usize, string: &dyn Fn(&str) -> String) {
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
                value(out, x, level + 1, string);
                out.push_str(",\n");
            }
            pad(out, level);
            out.push(']');
        }
        Value::Object(o) => {
            out.push_str("{\n");
            for (k, x) in o {
                pad(out, level + 1);
                let _ = write!(out, "{}: ", literal(k));
                value(out, x, level + 1, string);
                out.push_str(",\n");
            }
            pad(out, level);
            out.push('}');
        }
    }
}

/// Words a variable may not be: TypeScript's reserved words, and the names the generated
/// files import or declare.
const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "let",
    "static",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "await",
    "iam",
    "aws",
    "pulumi",
    "Aws",
    "CfnOutput",
    "Stack",
    "StackProps",
    "Construct",
    "scope",
    "id",
    "props",
    "partition",
    "region",
    "accountId",
];

/// A variable name for a construct with this logical id (ASCII letters and digits): camel case,
/// never a reserved word.
pub(super) fn variable(logical_id: &str) -> String {
    let mut chars = logical_id.chars();
    let mut v: String = chars
        .next()
        .map(|c| c.to_ascii_lowercase())
        .into_iter()
        .chain(chars)
        .collect();
    if RESERVED.contains(&v.as_str()) {
        v.push('_');
    }
    v
}
