//! Prepares the reviewed catalogue data (`catalog/*.json`) for embedding:
//!
//! - every file is parsed strictly: a key written twice in one object stops the build (a plain
//!   JSON parser would keep the last one silently, and a fact would vanish);
//! - the embedded copy is minified (the files stay indented for review);
//! - the full AWS managed policy documents are reduced to what the engine reads from them: the
//!   actions each one allows on every resource without a condition (`starActions`), which the
//!   diagnostics compare with the scoped features of a role. The documents stay in the data
//!   file, with their versions, as the record the reduction is made from.
//!
//! The outputs are deterministic: the same data gives the same bytes.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::path::Path;

/// A JSON value read with duplicate keys refused.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }
    fn visit_bool<E>(self, b: bool) -> Result<Strict, E> {
        Ok(Strict(Value::Bool(b)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Strict, E> {
        Ok(Strict(n.into()))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Strict, E> {
        Ok(Strict(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Strict, E> {
        Ok(Strict(n.into()))
    }
    fn visit_str<E>(self, s: &str) -> Result<Strict, E> {
        Ok(Strict(s.into()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Strict(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut m = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if m.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "the key `{key}` is written twice"
                )));
            }
            let Strict(v) = map.next_value()?;
            m.insert(key, v);
        }
        Ok(Strict(Value::Object(m)))
    }
}

fn strings(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::String(s)) => vec![s.as_str().into()],
        Some(Value::Array(a)) => a.iter().filter(|x| x.is_string()).cloned().collect(),
        _ => Vec::new(),
    }
}

/// The actions a policy document allows on `"*"` without a condition.
fn star_actions(doc: &Value) -> Value {
    let statements = match &doc["Statement"] {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    let mut out = Vec::new();
    for st in statements {
        if st["Effect"] == "Allow"
            && st.get("Condition").is_none()
            && strings(st.get("Resource")).iter().any(|r| r == "*")
        {
            out.extend(strings(st.get("Action")));
        }
    }
    Value::Array(out)
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for file in ["catalog.json", "managed-policies.json", "patterns.json"] {
        let source = Path::new("catalog").join(file);
        println!("cargo::rerun-if-changed={}", source.display());
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let mut de = serde_json::Deserializer::from_str(&text);
        let Strict(mut value) = Strict::deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v))
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        if file == "managed-policies.json" {
            for policy in value.as_array_mut().expect("a list of managed policies") {
                let policy = policy
                    .as_object_mut()
                    .expect("managed policies are objects");
                let doc = policy
                    .remove("document")
                    .unwrap_or_else(|| panic!("{}: a policy has no document", source.display()));
                policy.insert("starActions".into(), star_actions(&doc));
            }
        }
        let minified = serde_json::to_string(&value).expect("JSON values serialize");
        std::fs::write(Path::new(&out_dir).join(file), minified).expect("OUT_DIR is writable");
    }
}
