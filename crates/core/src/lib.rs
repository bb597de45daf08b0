//! ecs-iam core: the catalogue of Amazon ECS IAM facts, the configuration, the policy model,
//! diagnostics and renderers. Pure Rust with no IO: the CLI, the web app and the npm package
//! are thin layers over this crate, and use only what this file exports.
//!
//! The modules read in one order, each using only those before it (a test holds the order):
//! `json` → `catalog`, `error` → `validate` → `statements` → `config` → `plan` →
//! `diagnostics`, `explain`, `render`, `schema` → `patterns`.
//!
//! ```
//! let config = ecs_iam_core::Config::parse(r#"{"roles": [{"kind": "task-execution",
//!     "features": [{"id": "ecr-pull", "repositories": ["my-repo"]}]}]}"#).unwrap();
//! let json = ecs_iam_core::render(&config, ecs_iam_core::Format::Json, &Default::default());
//! assert!(json.contains("repository/my-repo"));
//! ```

#![forbid(unsafe_code)]

/// The JSON codec every output and input goes through (public: the layers above read and
/// write JSON with it, so that they agree with the core byte for byte).
pub mod json;

mod catalog;
mod config;
mod diagnose;
mod diagnostics;
mod diff;
mod error;
mod evaluate;
mod explain;
mod fix;
mod import;
mod patterns;
mod plan;
mod render;
mod schema;
mod statements;
mod validate;
mod vectors;

pub use catalog::{
    catalog, ActionHome, Catalog, CheckInfo, ConditionTemplate, ConfusedDeputy, DiagnosticCode,
    DiagnosticInfo, DocLink, ErrorPattern, Feature, FormatInfo, Iam, IamArns, IamLimits,
    ManagedPolicy, OptionalActions, Param, ParamType, Partition, PassRoleTemplate,
    PermissionStyleInfo, ResourceTemplate, RoleFile, RoleKind, SizeCounting, StatementTemplate,
    TrustTemplate, ValueCheck, ValueKind, ValueKindId,
};
pub use config::{
    check_item, passes_of, Config, FeatureUse, ManagedPolicyUse, ParamValue, PermissionStyle, Role,
    CONFIG_FIELDS, MAX_CONFIG_BYTES, ROLE_FIELDS,
};
pub use diagnose::{diagnose, Diagnosis};
pub use diagnostics::{check, check_plan, Diagnostic, Severity};
pub use diff::{diff, existing_roles, Diff, ExistingRole, Finding};
pub use error::ConfigError;
pub use evaluate::{evaluate, Decision, Evaluation, Request};
pub use explain::{
    explain, explain_plan, Explanation, ManagedExplanation, OwnerExplanation, PolicyExplanation,
};
pub use fix::{fix, Fix};
pub use import::{import, import_value, Derivation, Import, Unknown};
pub use json::quote;
pub use patterns::{gallery, FilterGroup, FilterValue, Gallery, Pattern, PatternSource};
pub use plan::{plan, Explained, Plan, PolicyPlan, RolePlan};
pub use render::{
    expresses, owner_policies_apart, render, render_all, render_files, render_plan, Format,
    Options, OutputFile,
};
pub use schema::schema;
pub use vectors::{role_policies, vectors, Vector};

/// The catalogue as the machine-readable listing of `ecs-iam catalog --json`. Managed policies
/// are listed without their documents, which are long.
pub fn catalog_json() -> serde_json::Value {
    json::ToJson::to_json(catalog())
}
