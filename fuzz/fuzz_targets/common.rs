//! What several targets share.

use ecs_iam_core::Config;
use std::sync::OnceLock;

/// The configuration `diff` and `diagnose`'s fix are measured against: the diff fixtures' own.
pub fn service_config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(include_str!(
            "../../tests/fixtures/diff/service.config.json"
        ))
        .unwrap()
    })
}
