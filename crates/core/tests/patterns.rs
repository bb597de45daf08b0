//! The pattern gallery: every pattern is a valid configuration, the seed patterns equal their
//! fixtures (so the gallery reproduces the seeds exactly as the golden tests do), and the filter
//! vocabulary covers the catalogue.

use ecs_iam_core::catalog;
use ecs_iam_core::gallery;
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn every_pattern_is_a_valid_configuration_with_a_unique_id() {
    let mut ids = BTreeSet::new();
    for p in &gallery().patterns {
        assert!(ids.insert(p.id.as_str()), "duplicate pattern id {}", p.id);
        let config = ecs_iam_core::Config::from_value(&p.config)
            .unwrap_or_else(|e| panic!("pattern {}: {e}", p.id));
        assert!(!config.roles.is_empty());
        assert!(!p.capacities().is_empty(), "pattern {} runs nowhere", p.id);
        assert!(
            p.title.len() <= 100,
            "pattern {}: title over 100 characters",
            p.id
        );
        assert!(p.source.url.starts_with("https://"), "pattern {}", p.id);
    }
}

#[test]
fn seed_patterns_equal_their_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut seeds = 0;
    for p in &gallery().patterns {
        let Some(f) = &p.fixture else { continue };
        let text = std::fs::read_to_string(root.join(format!("{f}.json")))
            .unwrap_or_else(|e| panic!("pattern {}: fixture {f}: {e}", p.id));
        let fixture: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            p.config, fixture,
            "pattern {} differs from fixture {f}",
            p.id
        );
        seeds += f.starts_with("seed-") as usize;
    }
    // Every seed fixture is in the gallery.
    let mut want = 0;
    for e in std::fs::read_dir(&root).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name.starts_with("seed-") {
            want += 1;
            let stem = name.trim_end_matches(".json");
            assert!(
                gallery()
                    .patterns
                    .iter()
                    .any(|p| p.fixture.as_deref() == Some(stem)),
                "seed fixture {stem} has no pattern"
            );
        }
    }
    assert_eq!(seeds, want);
}

#[test]
fn filter_vocabulary_covers_the_catalogue() {
    let g = gallery();
    let keys: Vec<&str> = g.filters.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["tool", "capacity", "feature"]);
    let features: Vec<&str> = g
        .group("feature")
        .unwrap()
        .values
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    let catalogue: Vec<&str> = catalog().features.iter().map(|f| f.id).collect();
    assert_eq!(
        features, catalogue,
        "feature chips are the catalogue's features, in its order"
    );
    let tool = g.group("tool").unwrap();
    for f in catalog().formats {
        assert!(
            tool.value(f.tool).is_some(),
            "format {} has no tool filter value",
            f.id
        );
    }
    let capacity = g.group("capacity").unwrap();
    for k in catalog().role_kinds {
        for c in k.capacities {
            assert!(
                capacity.value(c).is_some(),
                "role kind {}: capacity {c}",
                k.id
            );
        }
    }
    // The pattern site's own values keep its labels and colours.
    assert_eq!(
        tool.value("cloudformation").unwrap().label,
        "AWS CloudFormation"
    );
    assert_eq!(capacity.value("ec2").unwrap().label, "EC2 Instances");
    assert_eq!(capacity.value("fargate").unwrap().color, "#3f3d59");
    let feature = g.group("feature").unwrap();
    assert_eq!(
        feature.value("efs").unwrap().label,
        "Amazon Elastic File System (EFS)"
    );
    assert_eq!(feature.value("exec").unwrap().label, "ECS Exec");
    for group in &g.filters {
        for v in &group.values {
            assert!(
                v.color.len() == 7 && v.color.starts_with('#'),
                "{}: {}",
                group.key,
                v.value
            );
        }
    }
}
