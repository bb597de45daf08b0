//! A small YAML emitter for CloudFormation templates.
//!
//! Written by hand because no maintained Rust YAML serializer writes CloudFormation's short-form
//! tags (`!Sub`, `!Ref`, `!GetAtt`) and guarantees a byte-stable layout. It only emits: block
//! mappings and sequences, and scalars that are either plain (a conservative character set that
//! no YAML 1.1 or 1.2 reader can mistake for another type) or double-quoted with every
//! non-printable or non-ASCII character escaped. No user value can change the structure.

use super::cfn::Node;
use std::fmt::Write;

pub(crate) fn emit(root: &Node) -> String {
    let mut out = String::new();
    match root {
        Node::Map(entries) => map(&mut out, entries, 0),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn map(out: &mut String, entries: &[(String, Node)], level: usize) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        out.push_str(&scalar(k));
        out.push(':');
        value_after_key(out, v, level);
    }
}

fn value_after_key(out: &mut String, v: &Node, level: usize) {
    match v {
        Node::Map(e) if !e.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            map(out, e, level + 2);
        }
        Node::Seq(items) if !items.is_empty() => {
            out.push('\n');
            seq(out, items, level + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn seq(out: &mut String, items: &[Node], level: usize) {
    for item in items {
        indent(out, level);
        match item {
            Node::Map(e) if !e.is_empty() => {
                out.push_str("- ");
                map(out, e, level + 2);
            }
            Node::Seq(inner) if !inner.is_empty() => {
                out.push_str("-\n");
                seq(out, inner, level + 2);
            }
            other => {
                out.push_str("- ");
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

/// A node that fits on one line: scalars, tagged scalars, empty collections.
fn inline(n: &Node) -> String {
    match n {
        Node::Str(s) => scalar(s),
        Node::Bool(b) => b.to_string(),
        Node::Num(x) => x.to_string(),
        Node::Sub(s) => format!("!Sub {}", scalar(s)),
        Node::Ref(s) => format!("!Ref {}", scalar(s)),
        Node::GetAtt(a, b) => format!("!GetAtt {}", scalar(&format!("{a}.{b}"))),
        Node::Map(_) => "{}".into(),
        Node::Seq(_) => "[]".into(),
    }
}

const RESERVED: [&str; 14] = [
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "nan", "inf", "=", "<<",
];

/// True when `s` can be written without quotes and read back as the same string by any YAML
/// reader: it starts with a letter, holds only characters with no meaning in block context
/// (single spaces, but no ": " or " #" and no space at either end), and is not a word YAML 1.1
/// reads as a boolean or null.
fn plain_ok(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.:/*${}!@=+,?()- ".contains(c))
        && !s.ends_with([':', ' '])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains("  ")
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

pub(crate) fn scalar(s: &str) -> String {
    if plain_ok(s) {
        return s.to_string();
    }
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            '\r' => q.push_str("\\r"),
            ' '..='~' => q.push(c),
            c if (c as u32) <= 0xff => {
                let _ = write!(q, "\\x{:02X}", c as u32);
            }
            c if (c as u32) <= 0xffff => {
                let _ = write!(q, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(q, "\\U{:08X}", c as u32);
            }
        }
    }
    q.push('"');
    q
}
