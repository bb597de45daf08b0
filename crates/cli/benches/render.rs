//! Renders every format for the largest fixture: `cargo bench -p ecs-iam`.

use ecs_iam_core::{Config, Format, Options};

const LARGEST: &str = include_str!("../../../tests/fixtures/large.json");

fn main() {
    divan::main();
}

/// What a configuration costs end to end: read, validate, plan once and write every format.
#[divan::bench]
fn parse_plan_and_render_all_formats() -> usize {
    let config = Config::parse(divan::black_box(LARGEST)).expect("fixture is valid");
    ecs_iam_core::render_all(&config, &Options::default())
        .iter()
        .map(|(_, text)| text.len())
        .sum()
}

/// The plan alone (the configuration already parsed): what every format starts from.
#[divan::bench]
fn plan_only(bencher: divan::Bencher) {
    let config = Config::parse(LARGEST).expect("fixture is valid");
    bencher.bench(|| ecs_iam_core::plan(divan::black_box(&config)));
}

/// The same as `parse_plan_and_render_all_formats` on configurations of 8 to 50 roles (the limit)
/// (`large.json`'s service pairs repeated): the time grows in proportion to the roles.
#[divan::bench(args = [8, 16, 32, 50])]
fn scaling_all_formats(bencher: divan::Bencher, roles: usize) {
    let text = scaled(roles);
    bencher.bench(|| {
        let config = Config::parse(divan::black_box(&text)).expect("scaled fixture is valid");
        ecs_iam_core::render_all(&config, &Options::default())
            .iter()
            .map(|(_, text)| text.len())
            .sum::<usize>()
    });
}

/// `large.json` with its first service's execution and task roles repeated (their names and
/// resources renamed) until the configuration has `roles` roles; its four other roles stay.
fn scaled(roles: usize) -> String {
    let large: serde_json::Value = serde_json::from_str(LARGEST).expect("fixture is JSON");
    let all = large["roles"].as_array().expect("roles");
    let pair = serde_json::to_string(&all[..2]).expect("pair");
    let others = &all[all.len() - 4..];
    let mut list: Vec<serde_json::Value> = Vec::new();
    for i in 0..(roles - others.len()).div_ceil(2) {
        let renamed = pair.replace("svc0", &format!("svc{i}"));
        let pair: Vec<serde_json::Value> = serde_json::from_str(&renamed).expect("pair");
        list.extend(pair);
    }
    list.truncate(roles - others.len());
    list.extend(others.iter().cloned());
    let mut config = large.clone();
    config["roles"] = serde_json::Value::Array(list);
    serde_json::to_string(&config).expect("config")
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
