//! The share-link decoder: any URL fragment is read or refused with a message, and a
//! configuration it carries goes through the configuration parser.
#![no_main]

use ecs_iam_app::share::parse_fragment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(fragment) = std::str::from_utf8(data) else {
        return;
    };
    match parse_fragment(fragment) {
        Ok(Some(link)) => {
            if let Some(config) = link.config {
                let _ = ecs_iam_core::Config::parse(&config);
            }
        }
        Ok(None) => {}
        Err(message) => assert!(!message.is_empty()),
    }
});
