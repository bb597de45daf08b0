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
    let mut out = String::with_capacity(4096);
    match root {
        Node::Map(entries) => map(&mut out, entries, 0),
        other => {
            inline(&mut out, other);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut n = n;
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}

fn map(out: &mut String, entries: &[(String, Node)], level: usize) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        scalar(out, k);
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
            inline(out, other);
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
                inline(out, other);
                out.push('\n');
            }
        }
    }
}

/// A node that fits on one line: scalars, tagged scalars, empty collections.
fn inline(out: &mut String, n: &Node) {
    match n {
        Node::Str(s) => scalar(out, s),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Num(x) => {
            let _ = write!(out, "{x}");
        }
        Node::Sub(s) => {
            out.push_str("!Sub ");
            scalar(out, s);
        }
        Node::Ref(s) => {
            out.push_str("!Ref ");
            scalar(out, s);
        }
        Node::GetAtt(a, b) => {
            out.push_str("!GetAtt ");
            scalar(out, &format!("{a}.{b}"));
        }
        Node::Map(_) => out.push_str("{}"),
        Node::Seq(_) => out.push_str("[]"),
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
    // The sequences below that make a plain scalar ambiguous all hold a space.
    let mut space = false;
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.bytes().all(|b| {
            space |= b == b' ';
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'_' | b'.'
                        | b':'
                        | b'/'
                        | b'*'
                        | b'$'
                        | b'{'
                        | b'}'
                        | b'!'
                        | b'@'
                        | b'='
                        | b'+'
                        | b','
                        | b'?'
                        | b'('
                        | b')'
                        | b'-'
                        | b' '
                )
        })
        && !s.ends_with([':', ' '])
        && !(space && (s.contains(": ") || s.contains(" #") || s.contains("  ")))
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
}

/// Writes `s` as a plain scalar when it can be one, else double-quoted.
pub(crate) fn scalar(out: &mut String, s: &str) {
    if plain_ok(s) {
        out.push_str(s);
        return;
    }
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xff => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
}
