//! Writes the catalogue as Rust: the types of `schema.rs`, their `catalog --json` listing
//! (`ToJson`), and the data as one `static`. Every defect of the data (a misspelt, missing or
//! mistyped key, an unknown reference) stops the build with the place named.

use crate::schema::{Field, Struct, Ty, LISTS, STRUCTS};
use serde_json::{Map, Value};
use std::fmt::Write;

/// Structs that explanations copy and serialize (the snapshot tests' `Serialize`).
const CLONED: [&str; 1] = ["DocLink"];

fn camel(id: &str) -> String {
    crate::camel(id)
}

fn rust_type(ty: Ty) -> String {
    match ty {
        Ty::Str | Ty::Ascii => "&'static str".into(),
        Ty::OptStr => "Option<&'static str>".into(),
        Ty::Bool | Ty::BoolOr(_) => "bool".into(),
        Ty::Usize => "usize".into(),
        Ty::Strs | Ty::StrsOr => "&'static [&'static str]".into(),
        Ty::List(s) | Ty::ListOr(s) => format!("&'static [{}]", struct_type(s)),
        Ty::Opt(s) => format!("Option<{}>", struct_type(s)),
        Ty::One(s) => struct_type(s).to_string(),
        Ty::Pairs => "&'static [(&'static str, &'static str)]".into(),
        Ty::IdEnum(e) => e.into(),
        Ty::OptValueKind => "Option<ValueKindId>".into(),
        Ty::Checks => "&'static [ValueCheck]".into(),
        Ty::ManagedRefs => "&'static [&'static ManagedPolicy]".into(),
        Ty::ParamType => "ParamType".into(),
    }
}

fn struct_type(name: &str) -> &str {
    if name == "Resource" {
        "ResourceTemplate"
    } else {
        name
    }
}

fn find(name: &str) -> &'static Struct {
    STRUCTS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("schema.rs: no struct {name}"))
}

/// The struct definitions and their `ToJson`.
pub(crate) fn types(out: &mut String) {
    for s in STRUCTS {
        let _ = writeln!(out, "/// {}", s.doc);
        if CLONED.contains(&s.name) {
            let _ = writeln!(out, "#[derive(Debug, Clone, serde::Serialize)]");
        } else {
            let _ = writeln!(out, "#[derive(Debug)]");
        }
        let _ = writeln!(out, "pub struct {} {{", s.name);
        for f in s.fields {
            let _ = writeln!(
                out,
                "    /// {}\n    pub {}: {},",
                f.doc,
                f.rust,
                rust_type(f.ty)
            );
        }
        let _ = writeln!(out, "}}\n");
        let _ = writeln!(
            out,
            "impl ToJson for {} {{\n    fn to_json(&self) -> Value {{\n        obj(vec![",
            s.name
        );
        for f in s.fields.iter().filter(|f| f.listed) {
            let value = match f.ty {
                Ty::Pairs => format!("pairs(self.{})", f.rust),
                Ty::OptValueKind => format!("self.{}.map(ValueKindId::id).to_json()", f.rust),
                Ty::ManagedRefs => format!(
                    "self.{}.iter().map(|p| p.name).collect::<Vec<_>>().to_json()",
                    f.rust
                ),
                Ty::Checks => format!(
                    "self.{}.iter().map(|c| c.id()).collect::<Vec<_>>().to_json()",
                    f.rust
                ),
                Ty::ParamType => format!("self.{}.id().to_json()", f.rust),
                Ty::Usize => format!("Value::from(self.{})", f.rust),
                _ => format!("self.{}.to_json()", f.rust),
            };
            let _ = writeln!(out, "            ({:?}, {value}),", f.key);
        }
        let _ = writeln!(out, "        ])\n    }}\n}}\n");
    }
    let _ = writeln!(
        out,
        "/// Every fact of the catalogue.\n#[derive(Debug)]\npub struct Catalog {{"
    );
    for (_, rust, name, doc) in LISTS {
        let _ = writeln!(out, "    /// {doc}\n    pub {rust}: &'static [{name}],");
    }
    let _ = writeln!(
        out,
        "    /// Facts of IAM itself.\n    pub iam: Iam,\n    /// The AWS managed policies (`catalog/managed-policies.json`).\n    pub managed_policies: &'static [ManagedPolicy],\n}}\n"
    );
    let _ = writeln!(
        out,
        "impl ToJson for Catalog {{\n    fn to_json(&self) -> Value {{\n        obj(vec!["
    );
    for (key, rust, _, _) in LISTS {
        let _ = writeln!(out, "            ({key:?}, self.{rust}.to_json()),");
    }
    let _ = writeln!(out, "            (\"iam\", self.iam.to_json()),\n            (\"managedPolicies\", self.managed_policies.to_json()),\n        ])\n    }}\n}}\n");
}

/// A place in the data, for messages.
struct At<'a> {
    file: &'a str,
    path: String,
}

impl At<'_> {
    fn fail(&self, what: &str) -> ! {
        panic!("{}: {}: {what}", self.file, self.path)
    }
    fn key(&self, key: &str) -> At<'_> {
        At {
            file: self.file,
            path: format!("{}.{key}", self.path),
        }
    }
    fn index(&self, i: usize) -> At<'_> {
        At {
            file: self.file,
            path: format!("{}[{i}]", self.path),
        }
    }
}

fn string<'v>(v: &'v Value, at: &At) -> &'v str {
    v.as_str().unwrap_or_else(|| at.fail("expected a string"))
}

fn array<'v>(v: &'v Value, at: &At) -> &'v [Value] {
    v.as_array().unwrap_or_else(|| at.fail("expected a list"))
}

fn strs(v: &Value, at: &At) -> String {
    let items: Vec<String> = array(v, at)
        .iter()
        .enumerate()
        .map(|(i, x)| format!("{:?}", string(x, &at.index(i))))
        .collect();
    format!("&[{}]", items.join(", "))
}

fn list(v: &Value, name: &str, ctx: &Ctx, at: &At) -> String {
    let items: Vec<String> = array(v, at)
        .iter()
        .enumerate()
        .map(|(i, x)| value_of_struct(x, name, ctx, &at.index(i)))
        .collect();
    format!("&[{}]", items.join(", "))
}

/// What references in the data are checked against.
pub(crate) struct Ctx {
    pub value_kinds: Vec<String>,
    pub checks: Vec<String>,
    pub managed_policies: Vec<String>,
}

fn value_of_struct(v: &Value, name: &str, ctx: &Ctx, at: &At) -> String {
    if name == "Resource" {
        if let Some(s) = v.as_str() {
            return format!("ResourceTemplate::Literal({s:?})");
        }
        let o = object(v, &["param", "template", "per"], at);
        let field = |k: &str| {
            string(
                o.get(k).unwrap_or_else(|| at.key(k).fail("missing")),
                &at.key(k),
            )
            .to_string()
        };
        let per = o.get("per").map(|p| string(p, &at.key("per")).to_string());
        let template = field("template");
        if per.is_some() != template.contains("${Per}") {
            at.key("template")
                .fail("a resource with `per` puts each of its values at ${Per}, and only such a resource has ${Per}");
        }
        return format!(
            "ResourceTemplate::FromParam {{ param: {:?}, template: {:?}, per: {per:?} }}",
            field("param"),
            template
        );
    }
    let s = find(name);
    let keys: Vec<&str> = s.fields.iter().map(|f| f.key).collect();
    let o = object(v, &keys, at);
    let mut out = format!("{} {{ ", s.name);
    for f in s.fields {
        let _ = write!(out, "{}: {}, ", f.rust, field_value(o, f, ctx, at));
    }
    out.push('}');
    out
}

fn object<'v>(v: &'v Value, keys: &[&str], at: &At) -> &'v Map<String, Value> {
    let o = v
        .as_object()
        .unwrap_or_else(|| at.fail("expected an object"));
    if let Some(k) = o.keys().find(|k| !keys.contains(&k.as_str())) {
        at.key(k).fail("unknown field")
    }
    o
}

fn field_value(o: &Map<String, Value>, f: &Field, ctx: &Ctx, at: &At) -> String {
    let at = at.key(f.key);
    let v = o.get(f.key).filter(|v| !v.is_null());
    let required = || v.unwrap_or_else(|| at.fail("missing field"));
    match f.ty {
        Ty::Str => format!("{:?}", string(required(), &at)),
        Ty::Ascii => {
            let s = string(required(), &at);
            if !s.is_ascii() {
                at.fail("must be ASCII (messages lower-case it with to_ascii_lowercase)")
            }
            format!("{s:?}")
        }
        Ty::OptStr => match v {
            None => "None".into(),
            Some(v) => format!("Some({:?})", string(v, &at)),
        },
        Ty::Bool => required()
            .as_bool()
            .unwrap_or_else(|| at.fail("expected a bool"))
            .to_string(),
        Ty::Usize => required()
            .as_u64()
            .unwrap_or_else(|| at.fail("expected a non-negative integer"))
            .to_string(),
        Ty::BoolOr(d) => v
            .map_or(Some(d), Value::as_bool)
            .unwrap_or_else(|| at.fail("expected a bool"))
            .to_string(),
        Ty::Strs => strs(required(), &at),
        Ty::StrsOr => v.map_or_else(|| "&[]".into(), |v| strs(v, &at)),
        Ty::List(s) => list(required(), s, ctx, &at),
        Ty::ListOr(s) => v.map_or_else(|| "&[]".into(), |v| list(v, s, ctx, &at)),
        Ty::Opt(s) => match v {
            None => "None".into(),
            Some(v) => format!("Some({})", value_of_struct(v, s, ctx, &at)),
        },
        Ty::One(s) => value_of_struct(required(), s, ctx, &at),
        Ty::Pairs => {
            let m = required()
                .as_object()
                .unwrap_or_else(|| at.fail("expected an object"));
            let pairs: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("({k:?}, {:?})", string(v, &at.key(k))))
                .collect();
            format!("&[{}]", pairs.join(", "))
        }
        Ty::IdEnum(e) => format!("{e}::{}", camel(string(required(), &at))),
        Ty::OptValueKind => match v {
            None => "None".into(),
            Some(v) => {
                let id = string(v, &at);
                if !ctx.value_kinds.iter().any(|k| k == id) {
                    at.fail(&format!("{id:?} is not a value kind"))
                }
                format!("Some(ValueKindId::{})", camel(id))
            }
        },
        Ty::Checks => refs(v, &at, |id, at| {
            if !ctx.checks.iter().any(|c| c == id) {
                at.fail(&format!("{id:?} is not in `checks`"))
            }
            format!("ValueCheck::{}", camel(id))
        }),
        Ty::ManagedRefs => refs(v, &at, |name, at| {
            let Some(k) = ctx.managed_policies.iter().position(|m| m == name) else {
                at.fail(&format!("{name:?} is not in managed-policies.json"))
            };
            format!("&MANAGED_POLICIES[{k}]")
        }),
        Ty::ParamType => match string(required(), &at) {
            "list" => "ParamType::List".into(),
            "value" => "ParamType::Value".into(),
            "bool" => "ParamType::Bool".into(),
            "statements" => "ParamType::Statements".into(),
            other => at.fail(&format!("{other:?} is not a parameter type")),
        },
    }
}

/// An optional list of ids, each written as a Rust reference by `item` (which refuses an
/// unknown one): `&[]` when absent.
fn refs(v: Option<&Value>, at: &At, item: impl Fn(&str, &At) -> String) -> String {
    let Some(v) = v else {
        return "&[]".into();
    };
    let items: Vec<String> = array(v, at)
        .iter()
        .enumerate()
        .map(|(i, x)| item(string(x, &at.index(i)), &at.index(i)))
        .collect();
    format!("&[{}]", items.join(", "))
}

/// The data as `static CATALOG`.
pub(crate) fn data(out: &mut String, catalog: &Value, managed: &Value) {
    let at = At {
        file: "catalog.json",
        path: String::new(),
    };
    let mut keys: Vec<&str> = LISTS.iter().map(|l| l.0).collect();
    keys.push("iam");
    let o = object(catalog, &keys, &at);
    let ctx = Ctx {
        value_kinds: crate::ids(catalog, "valueKinds", "id"),
        checks: crate::ids(catalog, "checks", "id"),
        managed_policies: managed
            .as_array()
            .expect("a list of managed policies")
            .iter()
            .map(|p| p["name"].as_str().unwrap_or_default().to_string())
            .collect(),
    };
    let _ = writeln!(
        out,
        "/// The catalogue.\npub(crate) static CATALOG: Catalog = Catalog {{"
    );
    for (key, rust, name, _) in LISTS {
        let v = o
            .get(*key)
            .unwrap_or_else(|| at.key(key).fail("missing list"));
        let _ = writeln!(out, "    {rust}: {},", list(v, name, &ctx, &at.key(key)));
    }
    let iam = o
        .get("iam")
        .unwrap_or_else(|| at.key("iam").fail("missing"));
    let _ = writeln!(
        out,
        "    iam: {},",
        value_of_struct(iam, "Iam", &ctx, &at.key("iam"))
    );
    let _ = writeln!(out, "    managed_policies: &MANAGED_POLICIES,\n}};\n");
    let at = At {
        file: "managed-policies.json",
        path: String::new(),
    };
    let items: Vec<String> = array(managed, &at)
        .iter()
        .enumerate()
        .map(|(i, x)| value_of_struct(x, "ManagedPolicy", &ctx, &at.index(i)))
        .collect();
    let _ = writeln!(
        out,
        "/// The AWS managed policies, which role kinds and features refer to.\nstatic MANAGED_POLICIES: [ManagedPolicy; {}] = [{}];",
        items.len(),
        items.join(", ")
    );
}
