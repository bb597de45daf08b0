//! The catalogue: every IAM fact the builder knows, loaded from the reviewed JSON data in
//! `crates/core/catalog/`. Code elsewhere reads facts from here; it does not spell actions,
//! principals or ARN formats itself.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const CATALOG_JSON: &str = include_str!("../catalog/catalog.json");
const MANAGED_POLICIES_JSON: &str = include_str!("../catalog/managed-policies.json");

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalog {
    pub partitions: Vec<Partition>,
    pub role_kinds: Vec<RoleKind>,
    pub value_kinds: Vec<ValueKind>,
    pub features: Vec<Feature>,
    pub action_homes: Vec<ActionHome>,
    pub formats: Vec<Format>,
    pub permission_styles: Vec<PermissionStyleInfo>,
    pub diagnostics: Vec<DiagnosticInfo>,
    #[serde(default)]
    pub managed_policies: Vec<ManagedPolicy>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Partition {
    pub id: String,
    /// Extra `iam:PassedToService` values this partition needs, keyed by the global value.
    pub extra_passed_to_service: BTreeMap<String, String>,
    /// First labels of the Region names of this partition (`us` in `us-east-1`).
    pub region_prefixes: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleKind {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The service principal of the trust policy; absent for the deployer policy.
    #[serde(default)]
    pub principal: Option<String>,
    #[serde(default)]
    pub trust_sid: Option<String>,
    pub default_name: String,
    pub default_managed_policies: Vec<String>,
    /// Present where AWS documents `aws:SourceArn`/`aws:SourceAccount` on this trust policy.
    #[serde(default)]
    pub confused_deputy: Option<ConfusedDeputy>,
    #[serde(default)]
    pub passed_to_service: Option<String>,
    #[serde(default)]
    pub task_definition_field: Option<String>,
    #[serde(default)]
    pub instance_profile: bool,
    #[serde(default)]
    pub policy_only: bool,
    pub capacities: Vec<String>,
    pub docs: String,
    /// Facts a user should know about this kind of role (shown by `explain` and the app).
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfusedDeputy {
    /// Whether a role of this kind gets the conditions when the config does not say.
    pub default: bool,
    pub operator: String,
    pub source_arn: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValueKind {
    pub id: String,
    pub label: String,
    pub example: String,
    /// ARN template with `${Partition}`, `${Region}`, `${Account}` and `${Name}`.
    #[serde(default)]
    pub arn: Option<String>,
    #[serde(default)]
    pub arn_service: Option<String>,
    #[serde(default)]
    pub arn_resource: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Feature {
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub pattern_feature: Option<String>,
    /// Role kinds that accept this feature.
    pub roles: Vec<String>,
    /// Role kinds where this feature belongs; on the others it is accepted with a warning.
    pub home_roles: Vec<String>,
    #[serde(default)]
    pub wrong_role_note: Option<String>,
    #[serde(default)]
    pub repeatable: bool,
    pub params: Vec<Param>,
    pub statements: Vec<StatementTemplate>,
    #[serde(default)]
    pub managed_policies: Vec<String>,
    pub docs: Vec<DocLink>,
}

#[derive(Debug, Deserialize, Serialize, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocLink {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ParamType {
    List,
    Value,
    Bool,
    Statements,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Param {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatementTemplate {
    pub sid: String,
    /// Include the statement only when this parameter is true or non-empty.
    #[serde(default)]
    pub when: Option<String>,
    pub actions: Vec<String>,
    #[serde(default)]
    pub optional_actions: Vec<OptionalActions>,
    pub resources: Vec<ResourceTemplate>,
    /// The parameter that scopes the resources; absent values give `"*"` and a diagnostic.
    #[serde(default)]
    pub scope_param: Option<String>,
    #[serde(default)]
    pub conditions: Vec<ConditionTemplate>,
    pub why: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OptionalActions {
    pub when: String,
    pub actions: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ResourceTemplate {
    Literal(String),
    FromParam { param: String, template: String },
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConditionTemplate {
    pub op: String,
    pub key: String,
    pub param: String,
    pub template: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActionHome {
    pub prefix: String,
    pub roles: Vec<String>,
    pub message: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Format {
    pub id: String,
    pub title: String,
    pub tool: String,
    pub file_name: String,
    pub media_type: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PermissionStyleInfo {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DiagnosticInfo {
    pub code: String,
    pub title: String,
    pub docs: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagedPolicy {
    pub name: String,
    /// IAM path, `/` or `/service-role/` or `/aws-service-role/`.
    pub path: String,
    pub version: String,
    pub used_for: String,
    pub attach_to: Vec<String>,
    pub attachable: bool,
    pub docs: String,
    pub document: serde_json::Value,
}

impl Catalog {
    pub fn role_kind(&self, id: &str) -> Option<&RoleKind> {
        self.role_kinds.iter().find(|k| k.id == id)
    }
    pub fn feature(&self, id: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.id == id)
    }
    pub fn value_kind(&self, id: &str) -> Option<&ValueKind> {
        self.value_kinds.iter().find(|v| v.id == id)
    }
    pub fn partition(&self, id: &str) -> Option<&Partition> {
        self.partitions.iter().find(|p| p.id == id)
    }
    pub fn managed_policy(&self, name: &str) -> Option<&ManagedPolicy> {
        self.managed_policies.iter().find(|p| p.name == name)
    }
    pub fn format(&self, id: &str) -> Option<&Format> {
        self.formats.iter().find(|f| f.id == id)
    }
    pub fn diagnostic(&self, code: &str) -> Option<&DiagnosticInfo> {
        self.diagnostics.iter().find(|d| d.code == code)
    }
}

impl Feature {
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// The catalogue, parsed once. The data is embedded at compile time and checked by tests, so
/// a parse failure is a build defect, not an input error.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut c: Catalog = serde_json::from_str(CATALOG_JSON).expect("catalog.json is valid");
        c.managed_policies =
            serde_json::from_str(MANAGED_POLICIES_JSON).expect("managed-policies.json is valid");
        c
    })
}
