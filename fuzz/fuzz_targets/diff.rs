//! `diff`: what IAM returns (get-account-authorization-details, get-role outputs), templates and
//! renderings, against a fixed configuration. Any text is compared or refused with a message.
#![no_main]

#[path = "common.rs"]
mod common;

use ecs_iam_core::diff;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match diff(common::service_config(), text) {
        Ok(d) => {
            let _ = ecs_iam_core::json::ToJson::to_json(&d);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
