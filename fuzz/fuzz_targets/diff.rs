//! `diff`: what IAM returns (get-account-authorization-details, get-role outputs), templates and
//! renderings, against a fixed configuration. Any text is compared or refused with a message.
#![no_main]

use ecs_iam_core::{diff, Config};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(include_str!(
            "../../tests/fixtures/diff/service.config.json"
        ))
        .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match diff(config(), text) {
        Ok(d) => {
            let _ = ecs_iam_core::json::ToJson::to_json(&d);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
