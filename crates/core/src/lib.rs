//! ecs-iam core: the catalogue of Amazon ECS IAM facts, the configuration, the policy model,
//! diagnostics and renderers. Pure Rust with no IO: the CLI, the web app and the npm package
//! are thin layers over this crate.
//!
//! ```
//! let config = ecs_iam_core::Config::parse(r#"{"roles": [{"kind": "task-execution",
//!     "features": [{"id": "ecr-pull", "repositories": ["my-repo"]}]}]}"#).unwrap();
//! let json = ecs_iam_core::render(&config, ecs_iam_core::Format::Json, &Default::default());
//! assert!(json.contains("repository/my-repo"));
//! ```

pub mod catalog;
pub mod config;
pub mod diagnostics;
pub mod explain;
pub mod json;
pub mod patterns;
pub mod plan;
pub mod render;
pub mod schema;
pub mod statements;
pub mod validate;

pub use catalog::catalog;
pub use config::{Config, ConfigError, PermissionStyle};
pub use diagnostics::{check, Diagnostic, Severity};
pub use render::{render, render_all, render_files, Format, Options, OutputFile};

/// The catalogue as the machine-readable listing of `ecs-iam catalog --json`. Managed policies
/// are listed without their documents, which are long.
pub fn catalog_json() -> serde_json::Value {
    json::ToJson::to_json(catalog())
}
