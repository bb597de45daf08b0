//! The catalogue: every IAM fact the builder knows, loaded from the reviewed JSON data in
//! `crates/core/catalog/`. Code elsewhere reads facts from here; it does not spell actions,
//! principals or ARN formats itself.

use crate::json::{obj, ToJson};
use serde::Serialize;
use serde_json::{Map, Value};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/ids.rs"));

// The data files as build.rs prepares them: checked for duplicate keys, minified, and with
// each managed policy document reduced to its `starActions`.
const CATALOG_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));
const MANAGED_POLICIES_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/managed-policies.json"));

#[derive(Debug)]
pub struct Catalog {
    pub partitions: Vec<Partition>,
    pub role_kinds: Vec<RoleKind>,
    pub value_kinds: Vec<ValueKind>,
    pub features: Vec<Feature>,
    pub action_homes: Vec<ActionHome>,
    pub formats: Vec<FormatInfo>,
    pub permission_styles: Vec<PermissionStyleInfo>,
    pub diagnostics: Vec<DiagnosticInfo>,
    pub managed_policies: Vec<ManagedPolicy>,
}

#[derive(Debug)]
pub struct Partition {
    pub id: String,
    /// Extra `iam:PassedToService` values this partition needs: (global value, extra value),
    /// in the order of the data file. A list, not a map: it holds one entry at most, and a
    /// `BTreeMap` would cost the wasm builds ~4 KB of code for it.
    pub extra_passed_to_service: Vec<(String, String)>,
    /// First labels of the Region names of this partition (`us` in `us-east-1`).
    pub region_prefixes: Vec<String>,
}

#[derive(Debug)]
pub struct RoleKind {
    pub id: String,
    pub title: String,
    /// The app's colour for its cards, a name of the stylesheet's palette
    /// (`.role[data-colour=...]` in `web/style.css`).
    pub colour: String,
    pub summary: String,
    /// The service principal of the trust policy; absent for the deployer policy.
    pub principal: Option<String>,
    pub trust_sid: Option<String>,
    pub default_name: String,
    pub default_managed_policies: Vec<String>,
    /// Present where AWS documents `aws:SourceArn`/`aws:SourceAccount` on this trust policy.
    pub confused_deputy: Option<ConfusedDeputy>,
    pub passed_to_service: Option<String>,
    pub task_definition_field: Option<String>,
    pub instance_profile: bool,
    pub policy_only: bool,
    pub capacities: Vec<String>,
    pub docs: String,
    /// Facts a user should know about this kind of role (shown by `explain` and the app).
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct ConfusedDeputy {
    /// Whether a role of this kind gets the conditions when the config does not say.
    pub default: bool,
    pub operator: String,
    pub source_arn: String,
}

#[derive(Debug)]
pub struct ValueKind {
    pub id: String,
    /// The id as an enum, for the code that handles each kind (`validate::value`).
    pub key: ValueKindId,
    pub label: String,
    pub example: String,
    /// ARN template with `${Partition}`, `${Region}`, `${Account}` and `${Name}`.
    pub arn: Option<String>,
    pub arn_service: Option<String>,
    pub arn_resource: Option<String>,
}

#[derive(Debug)]
pub struct Feature {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub pattern_feature: Option<String>,
    /// Role kinds that accept this feature.
    pub roles: Vec<String>,
    /// Role kinds where this feature belongs; on the others it is accepted with a warning.
    pub home_roles: Vec<String>,
    pub wrong_role_note: Option<String>,
    pub repeatable: bool,
    pub params: Vec<Param>,
    pub statements: Vec<StatementTemplate>,
    pub managed_policies: Vec<String>,
    pub docs: Vec<DocLink>,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DocLink {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    List,
    Value,
    Bool,
    Statements,
}

#[derive(Debug)]
pub struct Param {
    pub name: String,
    pub ty: ParamType,
    pub item: Option<String>,
    pub required: bool,
    pub description: String,
}

#[derive(Debug)]
pub struct StatementTemplate {
    pub sid: String,
    /// Include the statement only when this parameter is true or non-empty.
    pub when: Option<String>,
    pub actions: Vec<String>,
    pub optional_actions: Vec<OptionalActions>,
    pub resources: Vec<ResourceTemplate>,
    /// The parameter that scopes the resources; absent values give `"*"` and a diagnostic.
    pub scope_param: Option<String>,
    pub conditions: Vec<ConditionTemplate>,
    pub why: String,
}

#[derive(Debug)]
pub struct OptionalActions {
    pub when: String,
    pub actions: Vec<String>,
}

#[derive(Debug)]
pub enum ResourceTemplate {
    Literal(String),
    FromParam { param: String, template: String },
}

#[derive(Debug)]
pub struct ConditionTemplate {
    pub op: String,
    pub key: String,
    pub param: String,
    pub template: String,
}

#[derive(Debug)]
pub struct ActionHome {
    pub prefix: String,
    pub roles: Vec<String>,
    pub message: String,
}

/// The facts of an output format; `render::Format` is its id as an enum.
#[derive(Debug)]
pub struct FormatInfo {
    pub id: String,
    pub title: String,
    /// The pattern site's `tool` filter value it serves.
    pub tool: String,
    /// The file of `render --out` for a single-file format, and the download's name.
    pub file_name: String,
    pub media_type: String,
    /// The language of its text, for highlighting: `yaml`, `json`, `bash` or `ruby`.
    pub syntax: String,
    /// Whether `render --out` writes several files (the module's `files`).
    pub multi_file: bool,
    /// The name of a download of the one-text rendering, when not `file_name`.
    pub download_name: Option<String>,
}

#[derive(Debug)]
pub struct PermissionStyleInfo {
    pub id: String,
    pub title: String,
}

#[derive(Debug)]
pub struct DiagnosticInfo {
    pub code: String,
    pub title: String,
    pub docs: String,
}

#[derive(Debug)]
pub struct ManagedPolicy {
    pub name: String,
    /// IAM path, `/` or `/service-role/` or `/aws-service-role/`.
    pub path: String,
    pub version: String,
    pub used_for: String,
    pub attach_to: Vec<String>,
    pub attachable: bool,
    pub docs: String,
    /// The actions its document allows on every resource without a condition. build.rs
    /// derives them from the full document in `catalog/managed-policies.json`.
    pub star_actions: Vec<String>,
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
    pub fn format(&self, id: &str) -> Option<&FormatInfo> {
        self.formats.iter().find(|f| f.id == id)
    }
    pub fn diagnostic(&self, code: &str) -> Option<&DiagnosticInfo> {
        self.diagnostics.iter().find(|d| d.code == code)
    }
}

// The catalogue's entries are unique by id and live for the whole program: one entry is
// equal to another when it is the same entry.
impl PartialEq for RoleKind {
    fn eq(&self, other: &RoleKind) -> bool {
        std::ptr::eq(self, other)
    }
}

impl PartialEq for Feature {
    fn eq(&self, other: &Feature) -> bool {
        std::ptr::eq(self, other)
    }
}

impl DiagnosticCode {
    /// The catalogue's entry for this code: title and documentation.
    pub fn info(self) -> &'static DiagnosticInfo {
        // build.rs generates the codes in the order of the catalogue's list.
        &catalog().diagnostics[self as usize]
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
        let mut c = Catalog::from_value(&parse_json(CATALOG_JSON, "catalog.json"));
        c.managed_policies = items(
            &parse_json(MANAGED_POLICIES_JSON, "managed-policies.json"),
            ManagedPolicy::from_value,
        );
        c
    })
}

// Reading the embedded data.
//
// Written by hand over `serde_json::Value` instead of `#[derive(Deserialize)]`, for wasm size:
// the derives compiled to ~81 KB of wasm code (a visitor per struct, field and `Vec`), while
// the `Value` parser is in the binary anyway for the configuration. Measured on the core alone
// (release, `wasm-opt -Oz`): 401,343 bytes (138,608 gzipped) with the derives, 325,742 bytes
// (115,433 gzipped) with this. Each struct lists its known keys, so a misspelt key in the
// catalogue still fails, as `deny_unknown_fields` did; a missing, `null` or mistyped required
// value fails too, and absent optional values take their defaults.

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

/// `v` as a string.
pub(crate) fn string(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None => bad("", "expected a string"),
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

fn bool_of(v: &Value, key: &str) -> bool {
    match v.as_bool() {
        Some(b) => b,
        None => bad(key, "expected a bool"),
    }
}

fn bool_field(o: &Map<String, Value>, key: &str) -> bool {
    bool_of(field(o, key), key)
}

/// An optional bool: absent is `default`.
fn bool_or(o: &Map<String, Value>, key: &str, default: bool) -> bool {
    o.get(key).map_or(default, |v| bool_of(v, key))
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

/// An optional array field: absent is empty.
fn list_or_empty<T>(o: &Map<String, Value>, key: &str, item: fn(&Value) -> T) -> Vec<T> {
    o.get(key).map_or_else(Vec::new, |v| items(v, item))
}

impl Catalog {
    fn from_value(v: &Value) -> Catalog {
        let o = object(
            v,
            &[
                "partitions",
                "roleKinds",
                "valueKinds",
                "features",
                "actionHomes",
                "formats",
                "permissionStyles",
                "diagnostics",
                "managedPolicies",
            ],
        );
        Catalog {
            partitions: list(o, "partitions", Partition::from_value),
            role_kinds: list(o, "roleKinds", RoleKind::from_value),
            value_kinds: list(o, "valueKinds", ValueKind::from_value),
            features: list(o, "features", Feature::from_value),
            action_homes: list(o, "actionHomes", ActionHome::from_value),
            formats: list(o, "formats", FormatInfo::from_value),
            permission_styles: list(o, "permissionStyles", PermissionStyleInfo::from_value),
            diagnostics: list(o, "diagnostics", DiagnosticInfo::from_value),
            managed_policies: list_or_empty(o, "managedPolicies", ManagedPolicy::from_value),
        }
    }
}

impl Partition {
    fn from_value(v: &Value) -> Partition {
        let o = object(v, &["id", "extraPassedToService", "regionPrefixes"]);
        let Some(extra) = field(o, "extraPassedToService").as_object() else {
            bad("extraPassedToService", "expected an object")
        };
        let extra_passed_to_service = extra.iter().map(|(k, v)| (k.clone(), string(v))).collect();
        Partition {
            id: str_field(o, "id"),
            extra_passed_to_service,
            region_prefixes: list(o, "regionPrefixes", string),
        }
    }
}

impl RoleKind {
    fn from_value(v: &Value) -> RoleKind {
        let o = object(
            v,
            &[
                "id",
                "title",
                "colour",
                "summary",
                "principal",
                "trustSid",
                "defaultName",
                "defaultManagedPolicies",
                "confusedDeputy",
                "passedToService",
                "taskDefinitionField",
                "instanceProfile",
                "policyOnly",
                "capacities",
                "docs",
                "notes",
            ],
        );
        let title = str_field(o, "title");
        // Messages lower-case titles with `to_ascii_lowercase`: `to_lowercase` would add the
        // Unicode case tables (~17 KB of wasm) for titles that are plain ASCII.
        if !title.is_ascii() {
            bad("title", "role kind titles must be ASCII")
        }
        RoleKind {
            id: str_field(o, "id"),
            title,
            colour: str_field(o, "colour"),
            summary: str_field(o, "summary"),
            principal: opt_str(o, "principal"),
            trust_sid: opt_str(o, "trustSid"),
            default_name: str_field(o, "defaultName"),
            default_managed_policies: list(o, "defaultManagedPolicies", string),
            confused_deputy: opt_field(o, "confusedDeputy").map(ConfusedDeputy::from_value),
            passed_to_service: opt_str(o, "passedToService"),
            task_definition_field: opt_str(o, "taskDefinitionField"),
            instance_profile: bool_or(o, "instanceProfile", false),
            policy_only: bool_or(o, "policyOnly", false),
            capacities: list(o, "capacities", string),
            docs: str_field(o, "docs"),
            notes: list_or_empty(o, "notes", string),
        }
    }
}

impl ConfusedDeputy {
    fn from_value(v: &Value) -> ConfusedDeputy {
        let o = object(v, &["default", "operator", "sourceArn"]);
        ConfusedDeputy {
            default: bool_field(o, "default"),
            operator: str_field(o, "operator"),
            source_arn: str_field(o, "sourceArn"),
        }
    }
}

impl ValueKind {
    fn from_value(v: &Value) -> ValueKind {
        let o = object(
            v,
            &["id", "label", "example", "arn", "arnService", "arnResource"],
        );
        let id = str_field(o, "id");
        ValueKind {
            key: ValueKindId::from_id(&id).unwrap_or_else(|| bad("id", "not in ids.rs")),
            id,
            label: str_field(o, "label"),
            example: str_field(o, "example"),
            arn: opt_str(o, "arn"),
            arn_service: opt_str(o, "arnService"),
            arn_resource: opt_str(o, "arnResource"),
        }
    }
}

impl Feature {
    fn from_value(v: &Value) -> Feature {
        let o = object(
            v,
            &[
                "id",
                "title",
                "summary",
                "patternFeature",
                "roles",
                "homeRoles",
                "wrongRoleNote",
                "repeatable",
                "params",
                "statements",
                "managedPolicies",
                "docs",
            ],
        );
        Feature {
            id: str_field(o, "id"),
            title: str_field(o, "title"),
            summary: str_field(o, "summary"),
            pattern_feature: opt_str(o, "patternFeature"),
            roles: list(o, "roles", string),
            home_roles: list(o, "homeRoles", string),
            wrong_role_note: opt_str(o, "wrongRoleNote"),
            repeatable: bool_or(o, "repeatable", false),
            params: list(o, "params", Param::from_value),
            statements: list(o, "statements", StatementTemplate::from_value),
            managed_policies: list_or_empty(o, "managedPolicies", string),
            docs: list(o, "docs", DocLink::from_value),
        }
    }
}

impl DocLink {
    pub(crate) fn from_value(v: &Value) -> DocLink {
        let o = object(v, &["title", "url"]);
        DocLink {
            title: str_field(o, "title"),
            url: str_field(o, "url"),
        }
    }
}

impl Param {
    fn from_value(v: &Value) -> Param {
        let o = object(v, &["name", "type", "item", "required", "description"]);
        let ty = match str_field(o, "type").as_str() {
            "list" => ParamType::List,
            "value" => ParamType::Value,
            "bool" => ParamType::Bool,
            "statements" => ParamType::Statements,
            _ => bad("type", "unknown parameter type"),
        };
        Param {
            name: str_field(o, "name"),
            ty,
            item: opt_str(o, "item"),
            required: bool_or(o, "required", false),
            description: str_field(o, "description"),
        }
    }
}

impl StatementTemplate {
    fn from_value(v: &Value) -> StatementTemplate {
        let o = object(
            v,
            &[
                "sid",
                "when",
                "actions",
                "optionalActions",
                "resources",
                "scopeParam",
                "conditions",
                "why",
            ],
        );
        StatementTemplate {
            sid: str_field(o, "sid"),
            when: opt_str(o, "when"),
            actions: list(o, "actions", string),
            optional_actions: list_or_empty(o, "optionalActions", OptionalActions::from_value),
            resources: list(o, "resources", ResourceTemplate::from_value),
            scope_param: opt_str(o, "scopeParam"),
            conditions: list_or_empty(o, "conditions", ConditionTemplate::from_value),
            why: str_field(o, "why"),
        }
    }
}

impl OptionalActions {
    fn from_value(v: &Value) -> OptionalActions {
        let o = object(v, &["when", "actions"]);
        OptionalActions {
            when: str_field(o, "when"),
            actions: list(o, "actions", string),
        }
    }
}

impl ResourceTemplate {
    /// A string, or an object with `param` and `template`.
    fn from_value(v: &Value) -> ResourceTemplate {
        if let Some(s) = v.as_str() {
            return ResourceTemplate::Literal(s.to_string());
        }
        let o = object(v, &["param", "template"]);
        ResourceTemplate::FromParam {
            param: str_field(o, "param"),
            template: str_field(o, "template"),
        }
    }
}

impl ConditionTemplate {
    fn from_value(v: &Value) -> ConditionTemplate {
        let o = object(v, &["op", "key", "param", "template"]);
        ConditionTemplate {
            op: str_field(o, "op"),
            key: str_field(o, "key"),
            param: str_field(o, "param"),
            template: str_field(o, "template"),
        }
    }
}

impl ActionHome {
    fn from_value(v: &Value) -> ActionHome {
        let o = object(v, &["prefix", "roles", "message"]);
        ActionHome {
            prefix: str_field(o, "prefix"),
            roles: list(o, "roles", string),
            message: str_field(o, "message"),
        }
    }
}

impl FormatInfo {
    fn from_value(v: &Value) -> FormatInfo {
        let o = object(
            v,
            &[
                "id",
                "title",
                "tool",
                "fileName",
                "mediaType",
                "syntax",
                "multiFile",
                "downloadName",
            ],
        );
        FormatInfo {
            id: str_field(o, "id"),
            title: str_field(o, "title"),
            tool: str_field(o, "tool"),
            file_name: str_field(o, "fileName"),
            media_type: str_field(o, "mediaType"),
            syntax: str_field(o, "syntax"),
            multi_file: bool_or(o, "multiFile", false),
            download_name: opt_str(o, "downloadName"),
        }
    }
}

impl PermissionStyleInfo {
    fn from_value(v: &Value) -> PermissionStyleInfo {
        let o = object(v, &["id", "title"]);
        PermissionStyleInfo {
            id: str_field(o, "id"),
            title: str_field(o, "title"),
        }
    }
}

impl DiagnosticInfo {
    fn from_value(v: &Value) -> DiagnosticInfo {
        let o = object(v, &["code", "title", "docs"]);
        DiagnosticInfo {
            code: str_field(o, "code"),
            title: str_field(o, "title"),
            docs: str_field(o, "docs"),
        }
    }
}

impl ManagedPolicy {
    fn from_value(v: &Value) -> ManagedPolicy {
        let o = object(
            v,
            &[
                "name",
                "path",
                "version",
                "usedFor",
                "attachTo",
                "attachable",
                "docs",
                "starActions",
            ],
        );
        ManagedPolicy {
            name: str_field(o, "name"),
            path: str_field(o, "path"),
            version: str_field(o, "version"),
            used_for: str_field(o, "usedFor"),
            attach_to: list(o, "attachTo", string),
            attachable: bool_field(o, "attachable"),
            docs: str_field(o, "docs"),
            star_actions: list(o, "starActions", string),
        }
    }
}

// The catalogue as `ecs-iam catalog --json` lists it: camelCase keys in field order, `null`
// for an absent value.

impl ToJson for Catalog {
    fn to_json(&self) -> Value {
        obj(vec![
            ("partitions", self.partitions.to_json()),
            ("roleKinds", self.role_kinds.to_json()),
            ("valueKinds", self.value_kinds.to_json()),
            ("features", self.features.to_json()),
            ("actionHomes", self.action_homes.to_json()),
            ("formats", self.formats.to_json()),
            ("permissionStyles", self.permission_styles.to_json()),
            ("diagnostics", self.diagnostics.to_json()),
            ("managedPolicies", self.managed_policies.to_json()),
        ])
    }
}

impl ToJson for Partition {
    fn to_json(&self) -> Value {
        obj(vec![
            ("id", self.id.to_json()),
            (
                "extraPassedToService",
                Value::Object(
                    self.extra_passed_to_service
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_json()))
                        .collect(),
                ),
            ),
            ("regionPrefixes", self.region_prefixes.to_json()),
        ])
    }
}

impl ToJson for RoleKind {
    fn to_json(&self) -> Value {
        obj(vec![
            ("id", self.id.to_json()),
            ("title", self.title.to_json()),
            ("colour", self.colour.to_json()),
            ("summary", self.summary.to_json()),
            ("principal", self.principal.to_json()),
            ("trustSid", self.trust_sid.to_json()),
            ("defaultName", self.default_name.to_json()),
            (
                "defaultManagedPolicies",
                self.default_managed_policies.to_json(),
            ),
            ("confusedDeputy", self.confused_deputy.to_json()),
            ("passedToService", self.passed_to_service.to_json()),
            ("taskDefinitionField", self.task_definition_field.to_json()),
            ("instanceProfile", self.instance_profile.to_json()),
            ("policyOnly", self.policy_only.to_json()),
            ("capacities", self.capacities.to_json()),
            ("docs", self.docs.to_json()),
            ("notes", self.notes.to_json()),
        ])
    }
}

impl ToJson for ConfusedDeputy {
    fn to_json(&self) -> Value {
        obj(vec![
            ("default", self.default.to_json()),
            ("operator", self.operator.to_json()),
            ("sourceArn", self.source_arn.to_json()),
        ])
    }
}

impl ToJson for ValueKind {
    fn to_json(&self) -> Value {
        obj(vec![
            ("id", self.id.to_json()),
            ("label", self.label.to_json()),
            ("example", self.example.to_json()),
            ("arn", self.arn.to_json()),
            ("arnService", self.arn_service.to_json()),
            ("arnResource", self.arn_resource.to_json()),
        ])
    }
}

impl ToJson for Feature {
    fn to_json(&self) -> Value {
        obj(vec![
            ("id", self.id.to_json()),
            ("title", self.title.to_json()),
            ("summary", self.summary.to_json()),
            ("patternFeature", self.pattern_feature.to_json()),
            ("roles", self.roles.to_json()),
            ("homeRoles", self.home_roles.to_json()),
            ("wrongRoleNote", self.wrong_role_note.to_json()),
            ("repeatable", self.repeatable.to_json()),
            ("params", self.params.to_json()),
            ("statements", self.statements.to_json()),
            ("managedPolicies", self.managed_policies.to_json()),
            ("docs", self.docs.to_json()),
        ])
    }
}

impl ToJson for DocLink {
    fn to_json(&self) -> Value {
        obj(vec![
            ("title", self.title.to_json()),
            ("url", self.url.to_json()),
        ])
    }
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

impl ToJson for Param {
    fn to_json(&self) -> Value {
        obj(vec![
            ("name", self.name.to_json()),
            ("type", self.ty.id().into()),
            ("item", self.item.to_json()),
            ("required", self.required.to_json()),
            ("description", self.description.to_json()),
        ])
    }
}

impl ToJson for StatementTemplate {
    fn to_json(&self) -> Value {
        obj(vec![
            ("sid", self.sid.to_json()),
            ("when", self.when.to_json()),
            ("actions", self.actions.to_json()),
            ("optionalActions", self.optional_actions.to_json()),
            ("resources", self.resources.to_json()),
            ("scopeParam", self.scope_param.to_json()),
            ("conditions", self.conditions.to_json()),
            ("why", self.why.to_json()),
        ])
    }
}

impl ToJson for OptionalActions {
    fn to_json(&self) -> Value {
        obj(vec![
            ("when", self.when.to_json()),
            ("actions", self.actions.to_json()),
        ])
    }
}

impl ToJson for ResourceTemplate {
    fn to_json(&self) -> Value {
        match self {
            ResourceTemplate::Literal(s) => s.to_json(),
            ResourceTemplate::FromParam { param, template } => obj(vec![
                ("param", param.to_json()),
                ("template", template.to_json()),
            ]),
        }
    }
}

impl ToJson for ConditionTemplate {
    fn to_json(&self) -> Value {
        obj(vec![
            ("op", self.op.to_json()),
            ("key", self.key.to_json()),
            ("param", self.param.to_json()),
            ("template", self.template.to_json()),
        ])
    }
}

impl ToJson for ActionHome {
    fn to_json(&self) -> Value {
        obj(vec![
            ("prefix", self.prefix.to_json()),
            ("roles", self.roles.to_json()),
            ("message", self.message.to_json()),
        ])
    }
}

impl ToJson for FormatInfo {
    fn to_json(&self) -> Value {
        obj(vec![
            ("id", self.id.to_json()),
            ("title", self.title.to_json()),
            ("tool", self.tool.to_json()),
            ("fileName", self.file_name.to_json()),
            ("mediaType", self.media_type.to_json()),
            ("syntax", self.syntax.to_json()),
            ("multiFile", self.multi_file.to_json()),
            ("downloadName", self.download_name.to_json()),
        ])
    }
}

impl ToJson for PermissionStyleInfo {
    fn to_json(&self) -> Value {
        obj(vec![
            ("id", self.id.to_json()),
            ("title", self.title.to_json()),
        ])
    }
}

impl ToJson for DiagnosticInfo {
    fn to_json(&self) -> Value {
        obj(vec![
            ("code", self.code.to_json()),
            ("title", self.title.to_json()),
            ("docs", self.docs.to_json()),
        ])
    }
}

/// Without the policy document: the listing gives names, paths and where each policy goes.
impl ToJson for ManagedPolicy {
    fn to_json(&self) -> Value {
        obj(vec![
            ("name", self.name.to_json()),
            ("path", self.path.to_json()),
            ("version", self.version.to_json()),
            ("usedFor", self.used_for.to_json()),
            ("attachTo", self.attach_to.to_json()),
            ("attachable", self.attachable.to_json()),
            ("docs", self.docs.to_json()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn format(v: Value) -> FormatInfo {
        FormatInfo::from_value(&v)
    }

    #[test]
    fn reads_a_well_formed_object() {
        let f = format(
            json!({"id": "a", "title": "b", "tool": "c", "fileName": "d",
            "mediaType": "e", "syntax": "json"}),
        );
        assert_eq!((f.id.as_str(), f.media_type.as_str()), ("a", "e"));
    }

    #[test]
    #[should_panic(expected = "`fileNme`: unknown field")]
    fn rejects_a_misspelt_key() {
        format(
            json!({"id": "a", "title": "b", "tool": "c", "fileNme": "d", "mediaType": "e", "syntax": "json"}),
        );
    }

    #[test]
    #[should_panic(expected = "`fileName`: missing field")]
    fn rejects_a_missing_field() {
        format(json!({"id": "a", "title": "b", "tool": "c", "mediaType": "e", "syntax": "json"}));
    }

    #[test]
    #[should_panic(expected = "`title`: expected a string")]
    fn rejects_a_mistyped_field() {
        format(
            json!({"id": "a", "title": 1, "tool": "c", "fileName": "d", "mediaType": "e", "syntax": "json"}),
        );
    }

    #[test]
    #[should_panic(expected = "`tempate`: unknown field")]
    fn rejects_a_misspelt_key_in_a_resource_template() {
        ResourceTemplate::from_value(&json!({"param": "p", "tempate": "t"}));
    }

    #[test]
    fn optional_values_take_their_defaults() {
        let p = Param::from_value(&json!({"name": "n", "type": "list", "item": null,
            "description": "d"}));
        assert_eq!((p.ty, p.item, p.required), (ParamType::List, None, false));
    }
}
