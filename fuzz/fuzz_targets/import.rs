//! `import`: task definitions (register input, describe output), container definition arrays
//! and CloudFormation templates in JSON or YAML. Whatever it accepts is a configuration the
//! builder accepts, and every derivation names a path of it.
#![no_main]

use ecs_iam_core::{import, Config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match import(text) {
        Ok(i) => {
            if let Err(e) = Config::from_value(&i.config) {
                panic!("import gave a configuration the builder refuses: {e}");
            }
            for d in &i.derivations {
                assert!(!d.path.is_empty() && !d.why.is_empty());
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
