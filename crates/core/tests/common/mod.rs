//! Strategies shared by the JSON writer's and reader's property tests.

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Short strings with every control character, quotes, backslashes, DEL, non-ASCII and astral
/// characters.
fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[\u{0}-\u{7f}\u{a0}-\u{ff}\u{2028}\u{1F600}é\"\\\\/]{0,12}")
        .unwrap()
}

/// Arbitrary JSON values up to four levels deep, with numbers from `number`.
pub(crate) fn value(
    number: impl Strategy<Value = Value> + 'static,
) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number,
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((text(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}
