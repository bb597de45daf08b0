//! CloudFormation's YAML as the JSON tree of the same template: the short forms of the
//! intrinsic functions (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become their long forms
//! (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`, `{"Fn::Sub": ...}`).
//!
//! yaml-rust2's event parser does the reading (it keeps the tags its document loader drops);
//! this pulls its events one by one (its own `load` recurses once per level of nesting, so a
//! text of a few kilobytes could overflow the stack), builds the tree with an explicit stack,
//! stops at nesting deeper than the JSON reader's limit and refuses aliases (CloudFormation does
//! not support them, and they are how a small YAML text expands into a huge tree).

use crate::error::ConfigError;
use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

enum Open {
    Seq(Vec<Value>, Option<String>),
    Map(Map<String, Value>, Option<String>, Option<String>),
}

struct Builder {
    stack: Vec<Open>,
    done: Option<Value>,
    error: Option<ConfigError>,
    documents: usize,
}

fn at(mark: Marker) -> String {
    format!("line {}, column {}", mark.line(), mark.col() + 1)
}

/// The long form of a tagged node (`!Ref x` → `{"Ref": "x"}`); `None` for an untagged one.
fn tagged(tag: Option<&str>, value: Value) -> Value {
    let Some(name) = tag else { return value };
    let value = match (name, value) {
        // `!GetAtt Resource.Attribute` is the short form of the two-element list.
        ("GetAtt", Value::String(s)) => match s.split_once('.') {
            Some((r, a)) => Value::Array(vec![r.into(), a.into()]),
            None => Value::String(s),
        },
        (_, v) => v,
    };
    let key = match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    };
    let mut m = Map::new();
    m.insert(key, value);
    Value::Object(m)
}

fn tag_name(tag: Option<yaml_rust2::parser::Tag>) -> Option<String> {
    // CloudFormation's tags are local (`!Ref`); a standard tag (`!!str`) is no function.
    tag.filter(|t| t.handle == "!").map(|t| t.suffix)
}

fn scalar(s: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(s);
    }
    match s.as_str() {
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        "null" | "Null" | "NULL" | "~" | "" => Value::Null,
        _ => match s.parse::<i64>() {
            Ok(n) if n.to_string() == s => Value::from(n),
            _ => Value::String(s),
        },
    }
}

impl Builder {
    fn fail(&mut self, mark: Marker, message: &str) {
        if self.error.is_none() {
            self.error = Some(ConfigError::new(
                "",
                format!(
                    "is not a template CloudFormation reads: {message} ({})",
                    at(mark)
                ),
            ));
        }
    }

    fn push_value(&mut self, v: Value, mark: Marker) {
        match self.stack.last_mut() {
            None => self.done = Some(v),
            Some(Open::Seq(items, _)) => items.push(v),
            Some(Open::Map(m, key, _)) => match key.take() {
                None => match v {
                    Value::String(s) => {
                        if m.contains_key(&s) {
                            let message =
                                format!("the key {} is written twice", crate::json::quote(&s));
                            self.fail(mark, &message);
                        } else {
                            *key = Some(s);
                        }
                    }
                    Value::Bool(b) => *key = Some(b.to_string()),
                    Value::Number(n) => *key = Some(n.to_string()),
                    _ => self.fail(mark, "a key that is not a string"),
                },
                Some(k) => {
                    m.insert(k, v);
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.fail(mark, "more than one YAML document");
                }
            }
            Event::Alias(_) => self.fail(
                mark,
                "a YAML alias (*name), which CloudFormation does not support",
            ),
            Event::Scalar(s, style, _, tag) => {
                let v = tagged(tag_name(tag).as_deref(), scalar(s, style));
                self.push_value(v, mark);
            }
            Event::SequenceStart(_, tag) | Event::MappingStart(_, tag)
                if self.stack.len() >= crate::json::MAX_DEPTH =>
            {
                let _ = tag;
                self.fail(mark, "nesting deeper than 127 levels");
            }
            Event::SequenceStart(_, tag) => self.stack.push(Open::Seq(Vec::new(), tag_name(tag))),
            Event::MappingStart(_, tag) => {
                self.stack.push(Open::Map(Map::new(), None, tag_name(tag)));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let v = match self.stack.pop() {
                    Some(Open::Seq(items, tag)) => tagged(tag.as_deref(), Value::Array(items)),
                    Some(Open::Map(m, _, tag)) => tagged(tag.as_deref(), Value::Object(m)),
                    None => return,
                };
                self.push_value(v, mark);
            }
            _ => {}
        }
    }
}

/// Reads a YAML CloudFormation template into its JSON tree.
pub(crate) fn parse(text: &str) -> Result<Value, ConfigError> {
    let mut builder = Builder {
        stack: Vec::new(),
        done: None,
        error: None,
        documents: 0,
    };
    let mut parser = Parser::new_from_str(text);
    let result = loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break Ok(()),
            Ok((event, mark)) => {
                builder.on_event(event, mark);
                if builder.error.is_some() {
                    break Ok(());
                }
            }
            Err(e) => break Err(e),
        }
    };
    if let Some(e) = builder.error {
        // Drop the partial tree level by level (it is at most MAX_DEPTH deep).
        while builder.stack.pop().is_some() {}
        return Err(e);
    }
    if let Err(e) = result {
        return Err(ConfigError::new(
            "",
            format!(
                "is neither JSON nor YAML: {} ({})",
                e.info(),
                at(*e.marker())
            ),
        ));
    }
    Ok(builder.done.unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn short_forms_become_long_forms() {
        let v = parse("A: !Ref X\nB: !GetAtt R.Arn\nC: !Sub 'a-${X}'\nD: !Join [':', [a, !Ref Y]]\nE: 'true'\nF: true\n").unwrap();
        assert_eq!(
            crate::json::to_string(&v),
            r#"{"A":{"Ref":"X"},"B":{"Fn::GetAtt":["R","Arn"]},"C":{"Fn::Sub":"a-${X}"},"D":{"Fn::Join":[":",["a",{"Ref":"Y"}]]},"E":"true","F":true}"#
        );
    }

    #[test]
    fn hostile_yaml_is_refused_with_its_place() {
        for (text, says) in [
            ("a: &x [1]\nb: *x\n", "alias"),
            ("a: 1\na: 2\n", "written twice"),
            (&("[".repeat(200) + &"]".repeat(200)), "deeper"),
            (&"[".repeat(100_000), "recursion limit"),
            // Block collections nest without brackets: thousands of levels in a few kilobytes.
            (&("- ".repeat(20_000) + "x\n"), "deeper"),
            (
                &(0..3000)
                    .map(|i| format!("{}k:\n", " ".repeat(i)))
                    .collect::<String>(),
                "deeper",
            ),
            ("a: [1\n", "line"),
            ("--- 1\n--- 2\n", "more than one"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.message.contains(says), "{text:.20}: {}", e.message);
        }
    }
}
