//! The hand-written JSON reader (`ecs_iam_core::json::parse`) against serde_json's: the same
//! values for every text both accept, a refusal for every text serde_json refuses, and its own
//! refusals only where it says so (a key written twice, a number it will not round).

use ecs_iam_core::{json, Config};
use proptest::prelude::*;
use serde_json::Value;

mod common;

/// Numbers the reader keeps: every 64-bit integer, and decimals of at most 15 significant
/// digits with an exponent within ±22.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (0u64..1_000_000_000_000_000, 0u32..=22)
            .prop_map(|(m, k)| { Value::from(format!("{m}e-{k}").parse::<f64>().unwrap()) }),
        Just(Value::from(0.1)),
        Just(Value::from(-1.5)),
        Just(Value::from(1e22)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    common::value(number())
}

/// Short texts made of JSON's own characters, most of them not JSON.
fn jsonish() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"[\[\]{}",: \n\\a-u0-9.eE+\-\u{0}\u{1F600}]{0,24}"#).unwrap()
}

/// What the reader refuses although it is JSON: a key written twice, a number it would round.
fn is_own_refusal(e: &json::ParseError) -> bool {
    e.path.is_some()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn reads_back_what_serde_json_writes(v in value()) {
        for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
            prop_assert_eq!(json::parse(&text).unwrap(), v.clone(), "{}", text);
        }
    }

    #[test]
    fn agrees_with_serde_json_on_any_text(s in jsonish()) {
        match (json::parse(&s), serde_json::from_str::<Value>(&s)) {
            (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs),
            (Ok(ours), Err(e)) => prop_assert!(false, "{s:?}: read as {ours} but serde_json says {e}"),
            (Err(e), Ok(_)) => prop_assert!(is_own_refusal(&e), "{s:?}: refused with {e:?}"),
            (Err(e), Err(_)) => prop_assert!(e.message.contains(" at line ") || is_own_refusal(&e)),
        }
    }

    #[test]
    fn agrees_with_serde_json_on_a_mangled_config(v in value(), cut in 0usize..200, insert in 0usize..200, c in "[\\[\\]{}\",:0-9a-z\\\\ ]") {
        // A valid document with one character removed or added.
        let text = serde_json::to_string(&serde_json::json!({"roles": [{"kind": "task", "x": v}]})).unwrap();
        for mangled in [
            text.char_indices().filter(|(i, _)| *i != cut % text.len()).map(|(_, c)| c).collect::<String>(),
            { let mut t = text.clone(); let at = (0..=insert % text.len()).rev().find(|i| t.is_char_boundary(*i)).unwrap(); t.insert_str(at, &c); t },
        ] {
            match (json::parse(&mangled), serde_json::from_str::<Value>(&mangled)) {
                (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs),
                (Ok(_), Err(e)) => prop_assert!(false, "{mangled:?}: serde_json says {e}"),
                (Err(e), Ok(_)) => prop_assert!(is_own_refusal(&e), "{mangled:?}: {e:?}"),
                (Err(_), Err(_)) => {}
            }
        }
    }
}

fn refusal(text: &str) -> json::ParseError {
    json::parse(text).expect_err(text)
}

#[test]
fn a_key_written_twice_is_refused_with_the_path_of_its_object() {
    let e = refusal(
        r#"{"roles": [{"kind": "task-execution",
  "features": [{"id": "ecr-pull", "repositories": ["a"], "repositories": ["b"]}]}]}"#,
    );
    assert_eq!(e.path.as_deref(), Some("roles[0].features[0]"));
    assert_eq!(
        e.message,
        r#"has the key "repositories" twice (the second at line 2 column 58); give each key once"#
    );
    let e = refusal(r#"{"roles": [], "roles": [{"kind": "task"}]}"#);
    assert_eq!(e.path.as_deref(), Some(""));
    // The same key in two objects is fine; keys differing in case are two keys.
    assert!(json::parse(r#"[{"a": 1}, {"a": 2}, {"A": 1, "a": 2}]"#).is_ok());
}

#[test]
fn a_hostile_key_cannot_break_the_path() {
    let e = refusal(r#"{"x\ny": {"k": 1, "k": 2}}"#);
    assert_eq!(e.path.as_deref(), Some(r#"["x\ny"]"#));
    // Nor a character that moves or hides text in a terminal or a page.
    let e = refusal(r#"{"a\u202eb\u2028c\u009bd\u0000": {"k": 1, "k": 2}}"#);
    assert_eq!(
        e.path.as_deref(),
        Some(r#"["a\u202eb\u2028c\u009bd\u0000"]"#)
    );
    assert_eq!(ecs_iam_core::quote("é\u{2066}\"\n"), r#""é\u2066\"\n""#);
    assert_eq!(
        ecs_iam_core::quote(&"x".repeat(81)),
        format!("\"{}...\"", "x".repeat(80))
    );
    let e = refusal(r#"{"Condition": {"aws:SourceVpc": {"a": 1, "a": 2}}}"#);
    assert_eq!(e.path.as_deref(), Some("Condition.aws:SourceVpc"));
}

#[test]
fn the_config_error_names_the_object() {
    let e =
        Config::parse(r#"{"roles": [{"kind": "task", "name": "a", "name": "b"}]}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"roles[0]: has the key "name" twice (the second at line 1 column 42); give each key once"#
    );
    let e = Config::parse("{\"roles\": [}").unwrap_err();
    assert_eq!(
        e.to_string(),
        "config: is not valid JSON: expected a value at line 1 column 12"
    );
}

#[test]
fn syntax_errors_say_where() {
    for (text, message) in [
        (
            "",
            "the text ends where a value was expected at line 1 column 1",
        ),
        (
            "{\"a\": 1,\n  ",
            "expected a key in double quotes at line 2 column 3",
        ),
        ("[1 2]", "expected `,` or `]` at line 1 column 4"),
        ("{\"a\" 1}", "expected `:` after the key at line 1 column 6"),
        ("{\"a\": 1 \"b\"}", "expected `,` or `}` at line 1 column 9"),
        (
            "[1] [2]",
            "there is more text after the JSON value at line 1 column 5",
        ),
        (
            "\"a\u{1}\"",
            "a control character must be escaped in a string at line 1 column 3",
        ),
        ("\"\\x\"", "invalid escape in a string at line 1 column 3"),
        (
            "\"\\u12g4\"",
            "expected four hex digits after \\u at line 1 column 6",
        ),
        (
            "\"\\ud800\"",
            "a lone surrogate in a \\u escape at line 1 column 7",
        ),
        (
            "\"\\udc00\"",
            "a lone surrogate in a \\u escape at line 1 column 7",
        ),
        (
            "\"\\ud800\\u0041\"",
            "a lone surrogate in a \\u escape at line 1 column 13",
        ),
        ("\"é", "the text ends inside a string at line 1 column 3"),
        ("01", "invalid number at line 1 column 1"),
        ("-", "invalid number at line 1 column 1"),
        ("[1.]", "invalid number at line 1 column 2"),
        ("1e+", "invalid number at line 1 column 1"),
        ("tru", "expected a value at line 1 column 1"),
        ("[1,]", "expected a value at line 1 column 4"),
    ] {
        let e = refusal(text);
        assert_eq!((e.path, e.message.as_str()), (None, message), "{text:?}");
        assert!(serde_json::from_str::<Value>(text).is_err(), "{text:?}");
    }
}

#[test]
fn numbers_that_would_be_rounded_are_refused_with_their_path() {
    for (text, path, message) in [
        (
            "1.2345678901234567",
            "",
            "1.2345678901234567 has more than 15 significant digits or an exponent beyond ±22 (line 1 column 1); write it as a string",
        ),
        (
            r#"{"Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": [1, 1e23]}}}"#,
            "Condition.NumericLessThan.aws:MultiFactorAuthAge[1]",
            "1e23 has more than 15 significant digits or an exponent beyond ±22 (line 1 column 66); write it as a string",
        ),
    ] {
        let e = refusal(text);
        assert_eq!((e.path.as_deref(), e.message.as_str()), (Some(path), message));
        assert!(serde_json::from_str::<Value>(text).is_ok());
    }
    // What a user typed earlier keeps its digits, as a string.
    assert_eq!(
        json::parse_keeping_long_numbers(r#"[1e23, 1.5, 12345678901234567890123]"#).unwrap(),
        serde_json::json!(["1e23", 1.5, "12345678901234567890123"])
    );
    let long = format!("0.{}", "1".repeat(100));
    assert!(refusal(&long)
        .message
        .starts_with(&format!("0.{}... has more", "1".repeat(38))));
    // Trailing zeros are not significant, and zero is zero with any exponent: these are exact.
    // (serde_json is built with `float_roundtrip` for these tests, so that it is exact too.)
    let zeros = "0".repeat(100_001);
    let tiny_digits_huge_exponent = format!("0.{zeros}1e100001");
    let huge_digits_tiny_exponent = format!("1{zeros}e-100001");
    let exponent_past_i64 = format!("1{zeros}e-{}", "9".repeat(30));
    for text in [
        "1.50000000000000000000",
        "123456789012345.0",
        "123456789012345.000",
        "100000000000000000000e-5",
        "0.000000000000000000001",
        "0e309",
        "-0.0E400",
        "0e99999999999999999999999",
        &tiny_digits_huge_exponent,
        &huge_digits_tiny_exponent,
    ] {
        assert_eq!(
            json::parse(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap(),
            "{text}"
        );
    }
    // An exponent past 64 bits saturates instead of overflowing.
    assert!(refusal(&exponent_past_i64)
        .message
        .contains("an exponent beyond ±22"));
}

#[test]
fn strings_and_numbers_read_as_serde_json_reads_them() {
    let text = r#"["\ud83d\ude00 \u00e9\n\t\"\\\/", -0, 0, -0.0, 1E2, 1e-7, 0.1, 18446744073709551615, -9223372036854775808, 1.5e+3, 100000000000000]"#;
    assert_eq!(
        json::parse(text).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
    // Integers that fit 64 bits stay integers, one past is a float with too many digits.
    assert!(json::parse("18446744073709551615").unwrap().is_u64());
    assert!(json::parse("18446744073709551616").is_err());
}

#[test]
fn a_byte_order_mark_is_skipped() {
    assert_eq!(
        json::parse("\u{feff}{\"a\": 1}").unwrap(),
        serde_json::json!({"a": 1})
    );
    // Only at the start: elsewhere it is a character like any other, or out of place.
    assert_eq!(
        json::parse("[\"\u{feff}\"]").unwrap(),
        serde_json::json!(["\u{feff}"])
    );
    assert!(json::parse("[1]\u{feff}").is_err());
}

#[test]
fn nesting_is_limited_like_serde_json() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(json::parse(&deep(json::MAX_DEPTH)).is_ok());
    assert!(serde_json::from_str::<Value>(&deep(json::MAX_DEPTH)).is_ok());
    let e = refusal(&deep(json::MAX_DEPTH + 1));
    assert_eq!(
        e.message,
        "nested more than 127 levels deep at line 1 column 128"
    );
    assert!(serde_json::from_str::<Value>(&deep(json::MAX_DEPTH + 1)).is_err());
    // Far deeper than the stack could take if each level recursed without a limit.
    let e = refusal(&"[{\"a\":".repeat(100_000));
    assert!(e.message.starts_with("nested more than 127 levels deep"));
}

#[test]
fn the_catalogue_reads_the_same_with_both() {
    for text in [
        include_str!("../catalog/catalog.json"),
        include_str!("../catalog/managed-policies.json"),
        include_str!("../catalog/patterns.json"),
    ] {
        assert_eq!(
            json::parse(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }
}
