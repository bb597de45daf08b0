//! `diagnose`: any error text is explained or said to be unrecognised, without a panic; its fix,
//! applied to a configuration, is always a configuration the builder accepts.
#![no_main]

#[path = "common.rs"]
mod common;

use ecs_iam_core::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let d = ecs_iam_core::diagnose(&text);
    let _ = ecs_iam_core::json::ToJson::to_json(&d);
    if let Some(f) = ecs_iam_core::fix(common::service_config(), &d) {
        if let Err(e) = Config::from_value(&f.config) {
            panic!("the fix gave a configuration the builder refuses: {e}");
        }
    }
});
