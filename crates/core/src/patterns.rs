//! The pattern gallery: ready-made configurations (every example of the seed documents, and
//! more) and the filter vocabulary of containersonaws.com (`tool`, `capacity`, `feature`), with
//! the site's ids, labels and colours where they overlap. Data in `catalog/patterns.json`; the
//! capacities and features of a pattern are derived from its configuration, never restated.

use crate::catalog::catalog;
use crate::config::Config;
use crate::render::Format;
use serde_json::{Map, Value};
use std::sync::OnceLock;

// `catalog/patterns.json` as build.rs prepares it (checked for duplicate keys, minified).
const PATTERNS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/patterns.json"));

#[derive(Debug)]
pub struct Gallery {
    pub filters: Vec<FilterGroup>,
    pub patterns: Vec<Pattern>,
}

/// One filter dimension of the pattern site (`data/filters.yml`).
#[derive(Debug)]
pub struct FilterGroup {
    pub key: String,
    pub label: String,
    pub values: Vec<FilterValue>,
}

#[derive(Debug)]
pub struct FilterValue {
    pub value: String,
    pub label: String,
    pub color: String,
}

#[derive(Debug)]
pub struct Pattern {
    pub id: String,
    pub title: String,
    pub description: String,
    pub source: PatternSource,
    /// The test fixture this pattern must equal (`tests/fixtures/<fixture>.json`).
    pub fixture: Option<String>,
    pub config: serde_json::Value,
}

/// Where a pattern comes from.
#[derive(Debug)]
pub struct PatternSource {
    pub title: String,
    pub url: String,
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
pub(crate) fn tools_of(config: &Config) -> Vec<String> {
    let plan = crate::plan::plan(config);
    let mut out: Vec<String> = Vec::new();
    for format in Format::ALL {
        let tool = format.info().tool;
        if crate::render::expresses(&plan, format) && !out.iter().any(|t| t == tool) {
            out.push(tool.to_string());
        }
    }
    out
}

/// The capacities every role of a configuration applies to, in the order of the filter data.
/// A configuration with only capacity-independent roles (task roles, deployer) gets all of them.
pub(crate) fn capacities_of(config: &Config) -> Vec<String> {
    gallery()
        .group("capacity")
        .expect("the capacity filter")
        .values
        .iter()
        .map(|v| v.value.as_str())
        .filter(|c| config.roles.iter().all(|r| r.kind.capacities.contains(c)))
        .map(str::to_string)
        .collect()
}

/// The feature ids of a configuration, once each, in catalogue order.
pub(crate) fn features_of(config: &Config) -> Vec<String> {
    catalog()
        .features
        .iter()
        .filter(|f| {
            config
                .roles
                .iter()
                .any(|r| r.features.iter().any(|u| std::ptr::eq(u.feature, *f)))
        })
        .map(|f| f.id.to_string())
        .collect()
}

/// The gallery, parsed once when first used. Read from `serde_json::Value` by hand, with the
/// core's JSON reader that the configurations need anyway: `derive(Deserialize)` would add a
/// visitor per struct to the wasm builds.
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
            source: PatternSource::from_value(field(o, "source")),
            fixture: opt_str(o, "fixture"),
            config: field(o, "config").clone(),
        }
    }
}

impl PatternSource {
    fn from_value(v: &Value) -> PatternSource {
        let o = object(v, &["title", "url"]);
        PatternSource {
            title: str_field(o, "title"),
            url: str_field(o, "url"),
        }
    }
}

// Reading the embedded data. The file is checked when the crate is built (build.rs reads it
// with the same reader) and by the gallery's tests, so a failure here is a build defect.

/// Parses embedded JSON text.
pub(crate) fn parse_json(text: &str, file: &str) -> Value {
    crate::json::parse(text).unwrap_or_else(|e| panic!("{file} is not valid JSON: {}", e.message))
}

/// A defect in the embedded data.
#[cold]
#[inline(never)]
fn bad(key: &str, what: &str) -> ! {
    panic!("embedded catalogue data: `{key}`: {what}")
}

/// `v` as an object whose keys are all in `known`.
pub(crate) fn object<'a>(v: &'a Value, known: &[&str]) -> &'a Map<String, Value> {
    let Some(o) = v.as_object() else {
        bad("", "expected an object")
    };
    if let Some(k) = o.keys().find(|k| !known.contains(&k.as_str())) {
        bad(k, "unknown field")
    }
    o
}

/// A present, non-`null` field.
fn opt_field<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.get(key).filter(|v| !v.is_null())
}

/// A required field (any JSON value).
pub(crate) fn field<'a>(o: &'a Map<String, Value>, key: &str) -> &'a Value {
    match o.get(key) {
        Some(v) => v,
        None => bad(key, "missing field"),
    }
}

pub(crate) fn str_field(o: &Map<String, Value>, key: &str) -> String {
    match field(o, key).as_str() {
        Some(s) => s.to_string(),
        None => bad(key, "expected a string"),
    }
}

/// An optional string: absent or `null` is `None`.
pub(crate) fn opt_str(o: &Map<String, Value>, key: &str) -> Option<String> {
    opt_field(o, key).map(|_| str_field(o, key))
}

/// The items of an array, each read by `item`.
pub(crate) fn items<T>(v: &Value, item: fn(&Value) -> T) -> Vec<T> {
    array(v).iter().map(item).collect()
}

fn array(v: &Value) -> &[Value] {
    match v.as_array() {
        Some(a) => a,
        None => bad("", "expected an array"),
    }
}

/// A required array field.
pub(crate) fn list<T>(o: &Map<String, Value>, key: &str, item: fn(&Value) -> T) -> Vec<T> {
    items(field(o, key), item)
}
