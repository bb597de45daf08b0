//! Renders every format for the largest fixture: `cargo bench -p ecs-iam`.

use ecs_iam_core::{Config, Format, Options};

const LARGEST: &str = include_str!("../../../tests/fixtures/large.json");

fn main() {
    divan::main();
}

#[divan::bench]
fn parse_plan_and_render_all_formats() -> usize {
    let config = Config::parse(divan::black_box(LARGEST)).expect("fixture is valid");
    Format::ALL
        .iter()
        .map(|f| ecs_iam_core::render(&config, *f, &Options::default()).len())
        .sum()
}

#[divan::bench]
fn check() -> usize {
    let config = Config::parse(LARGEST).expect("fixture is valid");
    ecs_iam_core::check(divan::black_box(&config)).len()
}

#[divan::bench]
fn parse_only() -> Config {
    Config::parse(divan::black_box(LARGEST)).expect("fixture is valid")
}

#[divan::bench(args = Format::ALL.map(Format::id))]
fn render_one(format: &str) -> usize {
    let config = Config::parse(LARGEST).expect("fixture is valid");
    let format = Format::from_id(format).unwrap();
    divan::black_box(ecs_iam_core::render(&config, format, &Options::default())).len()
}

/// The core's JSON reader (which also refuses repeated keys) on the largest fixture...
#[divan::bench]
fn read_json() -> serde_json::Value {
    ecs_iam_core::json::parse(divan::black_box(LARGEST)).expect("fixture is JSON")
}

/// ...and serde_json's reader on the same text, for comparison.
#[divan::bench]
fn read_json_with_serde_json() -> serde_json::Value {
    serde_json::from_str(divan::black_box(LARGEST)).expect("fixture is JSON")
}
