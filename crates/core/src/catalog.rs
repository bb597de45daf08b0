//! The catalogue: every IAM fact the builder knows, from the reviewed JSON data in
//! `crates/core/catalog/`. Code elsewhere reads facts from here; it does not spell actions,
//! principals or ARN formats itself.
//!
//! build.rs turns the data into Rust at compile time (`catalog_data.rs` in `OUT_DIR`): the
//! types, with each field named once in `build/schema.rs`, their `catalog --json` listing, and
//! the data itself as a `static`. A defect of the data (a misspelt, missing or mistyped key, a
//! reference to an unknown value kind) is a build error, and nothing is parsed at run time.

use crate::json::{obj, ToJson};
use serde_json::Value;

include!(concat!(env!("OUT_DIR"), "/ids.rs"));
include!(concat!(env!("OUT_DIR"), "/catalog_data.rs"));

/// The catalogue.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

/// What a parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    List,
    Value,
    Bool,
    Statements,
}

impl ParamType {
    pub fn id(self) -> &'static str {
        match self {
            ParamType::List => "list",
            ParamType::Value => "value",
            ParamType::Bool => "bool",
            ParamType::Statements => "statements",
        }
    }
}

/// A resource of a statement template: literal, or one per value of a parameter (and, with
/// `per`, one per pair of it and a value of that second parameter, put at `${Per}`; the
/// second parameter absent: one per value, `${Per}` empty).
#[derive(Debug)]
pub enum ResourceTemplate {
    Literal(&'static str),
    FromParam {
        param: &'static str,
        template: &'static str,
        per: Option<&'static str>,
    },
}

impl ToJson for ResourceTemplate {
    fn to_json(&self) -> Value {
        match self {
            ResourceTemplate::Literal(s) => s.to_json(),
            ResourceTemplate::FromParam {
                param,
                template,
                per,
            } => {
                let mut fields = vec![("param", param.to_json()), ("template", template.to_json())];
                if let Some(per) = per {
                    fields.push(("per", per.to_json()));
                }
                obj(fields)
            }
        }
    }
}

/// String pairs as a JSON object, in order.
fn pairs(p: &[(&str, &str)]) -> Value {
    Value::Object(
        p.iter()
            .map(|(k, v)| ((*k).to_string(), (*v).into()))
            .collect(),
    )
}

impl Catalog {
    pub fn role_kind(&self, id: &str) -> Option<&'static RoleKind> {
        CATALOG.role_kinds.iter().find(|k| k.id == id)
    }
    pub fn feature(&self, id: &str) -> Option<&'static Feature> {
        CATALOG.features.iter().find(|f| f.id == id)
    }
    pub fn value_kind(&self, id: &str) -> Option<&'static ValueKind> {
        CATALOG.value_kinds.iter().find(|v| v.id == id)
    }
    pub fn partition(&self, id: &str) -> Option<&'static Partition> {
        CATALOG.partitions.iter().find(|p| p.id == id)
    }
    pub fn managed_policy(&self, name: &str) -> Option<&'static ManagedPolicy> {
        CATALOG.managed_policies.iter().find(|p| p.name == name)
    }
    pub fn format(&self, id: &str) -> Option<&'static FormatInfo> {
        CATALOG.formats.iter().find(|f| f.id == id)
    }
    pub fn diagnostic(&self, code: &str) -> Option<&'static DiagnosticInfo> {
        CATALOG.diagnostics.iter().find(|d| d.code == code)
    }
}

// The catalogue's entries are unique by id and live for the whole program: one entry is
// equal to another when it is the same entry.
impl PartialEq for RoleKind {
    fn eq(&self, other: &RoleKind) -> bool {
        std::ptr::eq(self, other)
    }
}

impl PartialEq for ManagedPolicy {
    fn eq(&self, other: &ManagedPolicy) -> bool {
        std::ptr::eq(self, other)
    }
}

impl PartialEq for Feature {
    fn eq(&self, other: &Feature) -> bool {
        std::ptr::eq(self, other)
    }
}

impl ValueKindId {
    /// The catalogue's entry for this value kind.
    pub fn info(self) -> &'static ValueKind {
        // build.rs generates the variants in the order of the catalogue's list.
        &CATALOG.value_kinds[self as usize]
    }
}

impl DiagnosticCode {
    /// The catalogue's entry for this code: title and documentation.
    pub fn info(self) -> &'static DiagnosticInfo {
        // build.rs generates the codes in the order of the catalogue's list.
        &CATALOG.diagnostics[self as usize]
    }
}

impl Feature {
    pub fn param(&'static self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_enums_follow_the_data() {
        for (i, f) in crate::render::Format::ALL.iter().enumerate() {
            assert_eq!(f.id(), catalog().formats[i].id);
        }
        for (i, k) in ValueKindId::ALL.iter().enumerate() {
            assert_eq!(k.info().key, *k);
            assert_eq!(k.id(), catalog().value_kinds[i].id);
        }
        for (i, d) in DiagnosticCode::ALL.iter().enumerate() {
            assert_eq!(d.id(), catalog().diagnostics[i].code);
        }
    }

    #[test]
    fn the_listing_names_every_list() {
        let Value::Object(m) = catalog().to_json() else {
            panic!("an object")
        };
        let keys: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "partitions",
                "roleKinds",
                "valueKinds",
                "features",
                "actionHomes",
                "formats",
                "permissionStyles",
                "diagnostics",
                "checks",
                "errorPatterns",
                "sidecarImages",
                "compatibilities",
                "iam",
                "managedPolicies"
            ]
        );
    }
}
