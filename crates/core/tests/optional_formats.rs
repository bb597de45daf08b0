//! The two halves of the renderers: the optional formats (`"optional": true` in the catalogue),
//! rendered when the core is built with its `optional-formats` feature, and the others, with
//! `base-formats` (both on by default). The web app's first download has the base formats, its
//! tools module the optional ones. `scripts/test.sh rust` runs this file in all three builds.

use ecs_iam_core::{plan, render_files, render_plan, Config, Format, Options};

const OPTIONAL: bool = cfg!(feature = "optional-formats");
const BASE: bool = cfg!(feature = "base-formats");

#[test]
fn a_format_renders_exactly_when_this_build_has_its_renderer() {
    let config = Config::parse(
        r#"{"roles":[{"kind":"task-execution","features":[{"id":"ecr-pull"}]},{"kind":"task"}]}"#,
    )
    .unwrap();
    let plan = plan(&config);
    for f in Format::ALL {
        let here = f.renders_here();
        assert_eq!(
            here,
            if f.info().optional { OPTIONAL } else { BASE },
            "{}",
            f.id()
        );
        assert_eq!(!render_plan(&plan, f).is_empty(), here, "{}", f.id());
        assert_eq!(
            !render_files(&config, f, &Options::default()).is_empty(),
            here,
            "{}",
            f.id()
        );
    }
}

#[test]
fn the_optional_formats_are_the_ones_the_first_download_can_do_without() {
    let optional: Vec<&str> = Format::ALL
        .into_iter()
        .filter(|f| f.info().optional)
        .map(Format::id)
        .collect();
    assert_eq!(
        optional,
        [
            "terraform",
            "cdk-typescript",
            "pulumi-typescript",
            "handoff",
            "ufo",
            "task-definition"
        ]
    );
    // The gallery's `tool` filter asks a partial format what it expresses: known in every build.
    for f in Format::ALL.into_iter().filter(|f| f.info().partial) {
        let _ = ecs_iam_core::expresses(
            &plan(&Config::parse(r#"{"roles":[{"kind":"task"}]}"#).unwrap()),
            f,
        );
    }
    assert!(!ecs_iam_core::gallery().patterns.is_empty());
}
