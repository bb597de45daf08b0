//! The hand-written JSON writer (`ecs_iam_core::json`) writes exactly what serde_json writes,
//! compact and pretty, for any value: every string escape, number form and nesting.

use ecs_iam_core::json;
use proptest::prelude::*;
use serde_json::{json, Number, Value};

mod common;

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        Just(json!(0.1)),
        Just(json!(1e300)),
        Just(json!(-0.0)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    common::value(number())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn compact_equals_serde_json(v in value()) {
        prop_assert_eq!(json::to_string(&v), serde_json::to_string(&v).unwrap());
    }

    #[test]
    fn pretty_equals_serde_json(v in value()) {
        prop_assert_eq!(json::to_string_pretty(&v), serde_json::to_string_pretty(&v).unwrap());
    }
}

#[test]
fn every_control_character_and_empty_containers() {
    let all: String = (0u8..0x80).map(char::from).collect();
    let v = json!({"": [], "a": {}, "b": [[], {}, [null]], "s": all, "n": [1, -1, 1.5, 1e-7]});
    assert_eq!(json::to_string(&v), serde_json::to_string(&v).unwrap());
    assert_eq!(
        json::to_string_pretty(&v),
        serde_json::to_string_pretty(&v).unwrap()
    );
}

#[test]
fn catalogue_listing_names_every_field_of_the_catalogue_file() {
    // The listing is generated from build/schema.rs; every key the catalogue file uses for a
    // role kind, feature, parameter and statement must appear in it, so a field of the data
    // that the schema does not list fails here.
    let file: Value =
        serde_json::from_str(include_str!("../catalog/catalog.json")).expect("catalogue parses");
    let listing = ecs_iam_core::catalog_json();
    for section in file.as_object().unwrap().keys() {
        if let Some(object) = file[section.as_str()].as_object() {
            for key in object.keys() {
                assert!(
                    listing[section.as_str()].get(key).is_some(),
                    "{section}: {key} is missing from `catalog --json`"
                );
            }
            continue;
        }
        let listed = listing[section.as_str()].as_array().expect(section);
        let listed_keys: std::collections::BTreeSet<&str> = listed
            .iter()
            .flat_map(|item| item.as_object().unwrap().keys().map(String::as_str))
            .collect();
        for item in file[section.as_str()].as_array().unwrap() {
            for key in item.as_object().unwrap().keys() {
                assert!(
                    listed_keys.contains(key.as_str()),
                    "{section}: {key} is missing from `catalog --json`"
                );
            }
        }
    }
}
