//! The pattern gallery: ready-made configurations (every example of the seed documents, and
//! more) and the filter vocabulary of containersonaws.com (`tool`, `capacity`, `feature`), with
//! the site's ids, labels and colours where they overlap. Data in `catalog/patterns.json`; the
//! capacities and features of a pattern are derived from its configuration, never restated.

use crate::catalog::catalog;
use crate::config::Config;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const PATTERNS_JSON: &str = include_str!("../catalog/patterns.json");

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Gallery {
    pub filters: Vec<FilterGroup>,
    pub patterns: Vec<Pattern>,
}

/// One filter dimension of the pattern site (`data/filters.yml`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterGroup {
    pub key: String,
    pub label: String,
    pub values: Vec<FilterValue>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterValue {
    pub value: String,
    pub label: String,
    pub color: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pattern {
    pub id: String,
    pub title: String,
    pub description: String,
    pub source: crate::catalog::DocLink,
    /// The test fixture this pattern must equal (`tests/fixtures/<fixture>.json`).
    #[serde(default)]
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
            "ufo" => crate::render::ufo::left_out(&plan).is_empty(),
            "task-definition" => config
                .roles
                .iter()
                .any(|r| r.kind().task_definition_field.is_some()),
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
    let all = ["fargate", "ec2", "anywhere"];
    all.iter()
        .filter(|c| {
            config
                .roles
                .iter()
                .all(|r| r.kind().capacities.iter().any(|k| k == *c))
        })
        .map(|c| c.to_string())
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
                .any(|r| r.features.iter().any(|u| u.id == f.id))
        })
        .map(|f| f.id.clone())
        .collect()
}

/// The gallery, parsed once.
pub fn gallery() -> &'static Gallery {
    static GALLERY: OnceLock<Gallery> = OnceLock::new();
    GALLERY.get_or_init(|| serde_json::from_str(PATTERNS_JSON).expect("patterns.json is valid"))
}
