//! The pattern gallery: ready-made configurations (every example of the seed documents, and
//! more) and the filter vocabulary of containersonaws.com (`tool`, `capacity`, `feature`), with
//! the site's ids, labels and colours where they overlap. Data in `catalog/patterns.json`; the
//! capacities and features of a pattern are derived from its configuration, never restated.

use crate::catalog::{catalog, field, list, object, opt_str, parse_json, str_field, DocLink};
use crate::config::Config;
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;

// `catalog/patterns.json` as build.rs prepares it (checked for duplicate keys, minified).
const PATTERNS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/patterns.json"));

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Gallery {
    pub filters: Vec<FilterGroup>,
    pub patterns: Vec<Pattern>,
}

/// One filter dimension of the pattern site (`data/filters.yml`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterGroup {
    pub key: String,
    pub label: String,
    pub values: Vec<FilterValue>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterValue {
    pub value: String,
    pub label: String,
    pub color: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pattern {
    pub id: String,
    pub title: String,
    pub description: String,
    pub source: DocLink,
    /// The test fixture this pattern must equal (`tests/fixtures/<fixture>.json`).
    pub fixture: Option<String>,
    pub config: serde_json::Value,
}

impl Gallery {
    pub fn group(&self, key: &str) -> Option<&FilterGroup> {
        self.filters.iter().find(|g| g.key == key)
    }
    pub fn pattern(&self, id: &str) -> Option<&Pattern> {
        self.patterns.iter().find(|p| p.id == id)
    }
}

impl FilterGroup {
    pub fn value(&self, value: &str) -> Option<&FilterValue> {
        self.values.iter().find(|v| v.value == value)
    }
}

impl Pattern {
    /// The pattern's configuration, validated. Patterns are checked by tests, so a failure here
    /// is a build defect.
    pub fn parsed(&self) -> Config {
        Config::from_value(&self.config).expect("gallery patterns are valid configurations")
    }
    /// Capacities on which every role of the pattern works (`fargate`, `ec2`, `anywhere`).
    pub fn capacities(&self) -> Vec<String> {
        capacities_of(&self.parsed())
    }
    /// Feature ids the pattern uses, in catalogue order.
    pub fn features(&self) -> Vec<String> {
        features_of(&self.parsed())
    }
    /// The `tool` filter values that express the whole pattern.
    pub fn tools(&self) -> Vec<String> {
        tools_of(&self.parsed())
    }
}

/// The `tool` values (catalogue formats' tools, in order) that express a whole configuration:
/// UFO's DSL holds one execution and one task role; a task definition needs one of those.
pub fn tools_of(config: &Config) -> Vec<String> {
    let plan = crate::plan::plan(config);
    let mut out: Vec<String> = Vec::new();
    for f in &catalog().formats {
        let whole = match f.id.as_str() {
            "ufo" => crate::render::ufo_left_out(&plan).is_empty(),
            "task-definition" => config
                .roles
                .iter()
                .any(|r| r.kind.task_definition_field.is_some()),
            _ => true,
        };
        if whole && !out.contains(&f.tool) {
            out.push(f.tool.clone());
        }
    }
    out
}

/// The capacities every role of a configuration applies to, in the order of the filter data.
/// A configuration with only capacity-independent roles (task roles, deployer) gets all of them.
pub fn capacities_of(config: &Config) -> Vec<String> {
    gallery()
        .group("capacity")
        .expect("the capacity filter")
        .values
        .iter()
        .map(|v| &v.value)
        .filter(|c| config.roles.iter().all(|r| r.kind.capacities.contains(c)))
        .cloned()
        .collect()
}

/// The feature ids of a configuration, once each, in catalogue order.
pub fn features_of(config: &Config) -> Vec<String> {
    catalog()
        .features
        .iter()
        .filter(|f| {
            config
                .roles
                .iter()
                .any(|r| r.features.iter().any(|u| std::ptr::eq(u.feature, *f)))
        })
        .map(|f| f.id.clone())
        .collect()
}

/// The gallery, parsed once. Read by hand like the catalogue (see `catalog.rs`: wasm size).
pub fn gallery() -> &'static Gallery {
    static GALLERY: OnceLock<Gallery> = OnceLock::new();
    GALLERY.get_or_init(|| Gallery::from_value(&parse_json(PATTERNS_JSON, "patterns.json")))
}

impl Gallery {
    fn from_value(v: &Value) -> Gallery {
        let o = object(v, &["filters", "patterns"]);
        Gallery {
            filters: list(o, "filters", FilterGroup::from_value),
            patterns: list(o, "patterns", Pattern::from_value),
        }
    }
}

impl FilterGroup {
    fn from_value(v: &Value) -> FilterGroup {
        let o = object(v, &["key", "label", "values"]);
        FilterGroup {
            key: str_field(o, "key"),
            label: str_field(o, "label"),
            values: list(o, "values", FilterValue::from_value),
        }
    }
}

impl FilterValue {
    fn from_value(v: &Value) -> FilterValue {
        let o = object(v, &["value", "label", "color"]);
        FilterValue {
            value: str_field(o, "value"),
            label: str_field(o, "label"),
            color: str_field(o, "color"),
        }
    }
}

impl Pattern {
    fn from_value(v: &Value) -> Pattern {
        let o = object(
            v,
            &["id", "title", "description", "source", "fixture", "config"],
        );
        Pattern {
            id: str_field(o, "id"),
            title: str_field(o, "title"),
            description: str_field(o, "description"),
            source: DocLink::from_value(field(o, "source")),
            fixture: opt_str(o, "fixture"),
            config: field(o, "config").clone(),
        }
    }
}
