//! The configuration parser (`Config::parse`, with the hand-written JSON reader under it) and,
//! for every configuration it accepts, every renderer and the diagnostics: none may panic, and
//! the `json` rendering is JSON.
#![no_main]

use ecs_iam_core::{check, render_all, Config, Format, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = Config::parse(text) else {
        return;
    };
    let _ = check(&config);
    for (format, out) in render_all(&config, &Options::default()) {
        assert!(!out.is_empty(), "{format:?} rendered nothing");
        if format == Format::Json {
            ecs_iam_core::json::parse(&out).expect("the json rendering is JSON");
        }
    }
});
