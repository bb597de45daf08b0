//! Invariants over every catalogue entry, checked against the pinned Service Authorization
//! Reference extract (`tests/data/sar-extract.json`, regenerated and compared with parliament's
//! data by `scripts/sar-extract.py --check`).

use ecs_iam_core::{catalog, ParamType, ResourceTemplate};
use ecs_iam_core::{Config, Format, Options};
use serde_json::Value;
use std::collections::BTreeSet;

/// A statement template's actions, those its switches add included.
fn statement_actions(st: &ecs_iam_core::StatementTemplate) -> Vec<&'static str> {
    st.actions
        .iter()
        .chain(st.optional_actions.iter().flat_map(|o| o.actions.iter()))
        .copied()
        .collect()
}

fn sar() -> Value {
    serde_json::from_str(include_str!("data/sar-extract.json")).unwrap()
}

fn unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) {
    let mut seen = BTreeSet::new();
    for id in ids {
        assert!(seen.insert(id), "{what} id {id} is not unique");
    }
}

/// True when some string matches both glob patterns (`*` any run, `?` one character).
fn intersect(a: &[u8], b: &[u8]) -> bool {
    match (a.first(), b.first()) {
        (None, None) => true,
        (Some(b'*'), _) => intersect(&a[1..], b) || (!b.is_empty() && intersect(a, &b[1..])),
        (_, Some(b'*')) => intersect(a, &b[1..]) || (!a.is_empty() && intersect(&a[1..], b)),
        (Some(x), Some(y)) => (x == y || *x == b'?' || *y == b'?') && intersect(&a[1..], &b[1..]),
        _ => false,
    }
}

/// SAR ARN format to a glob: every `${Placeholder}` becomes `*`.
fn sar_glob(format: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        out.push('*');
        rest = &rest[i + rest[i..].find('}').unwrap() + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn ids_are_unique() {
    let c = catalog();
    unique("role kind", c.role_kinds.iter().map(|k| k.id));
    unique("feature", c.features.iter().map(|f| f.id));
    unique("value kind", c.value_kinds.iter().map(|v| v.id));
    unique("format", c.formats.iter().map(|f| f.id));
    unique("diagnostic", c.diagnostics.iter().map(|d| d.code));
    unique("managed policy", c.managed_policies.iter().map(|m| m.name));
    unique("partition", c.partitions.iter().map(|p| p.id));
    for f in c.features {
        unique("parameter", f.params.iter().map(|p| p.name));
        unique("sid", f.statements.iter().map(|s| s.sid));
    }
}

#[test]
fn references_resolve() {
    let c = catalog();
    for k in c.role_kinds {
        for m in k.default_managed_policies {
            assert!(
                m.attachable && m.attach_to.contains(&k.id),
                "{}: {}",
                k.id,
                m.name
            );
        }
        assert_eq!(
            k.principal.is_none(),
            k.policy_only,
            "{}: roles have a principal, policies do not",
            k.id
        );
        assert_eq!(
            k.passed_to_service.is_none(),
            k.policy_only,
            "{}: every role can be passed",
            k.id
        );
    }
    for f in c.features {
        assert!(
            !f.roles.is_empty() && !f.docs.is_empty(),
            "{} needs roles and docs",
            f.id
        );
        for r in f.roles.iter().chain(f.home_roles) {
            assert!(c.role_kind(r).is_some(), "{}: unknown role kind {r}", f.id);
        }
        for h in f.home_roles {
            assert!(
                f.roles.contains(h),
                "{}: home role {h} must accept it",
                f.id
            );
        }
        for m in f.managed_policies {
            assert!(m.attachable, "{}: {}", f.id, m.name);
        }
        for p in f.params {
            // A list or value parameter names the value kind its values are checked against.
            let takes_values = matches!(
                p.ty,
                ecs_iam_core::ParamType::List | ecs_iam_core::ParamType::Value
            );
            assert_eq!(
                p.item.is_some(),
                takes_values,
                "{}.{}: a value kind for list and value parameters only",
                f.id,
                p.name
            );
        }
        for w in f.needs_one_of {
            assert!(
                f.param(w).is_some_and(|p| p.ty == ParamType::Bool),
                "{}: needsOneOf names {w}, which is not a switch of it",
                f.id
            );
        }
        for st in f.statements {
            let params: Vec<&str> = st
                .when
                .iter()
                .copied()
                .chain(st.unless)
                .chain(f.scoped_by.iter().copied())
                .chain(st.optional_actions.iter().map(|o| o.when))
                .chain(st.scope_param)
                .chain(st.conditions.iter().filter_map(|c| c.param))
                .chain(st.resources.iter().flat_map(|r| match r {
                    ResourceTemplate::FromParam { param, per, .. } => {
                        std::iter::once(*param).chain(*per).collect()
                    }
                    ResourceTemplate::Literal(_) => Vec::new(),
                }))
                .collect();
            for p in params {
                assert!(
                    f.param(p).is_some(),
                    "{}.{}: unknown parameter {p}",
                    f.id,
                    st.sid
                );
            }
            assert!(
                st.sid.chars().all(|c| c.is_ascii_alphanumeric()),
                "{}: Sid {} must be alphanumeric",
                f.id,
                st.sid
            );
            assert!(
                st.why.len() > 20,
                "{}.{}: explain the statement",
                f.id,
                st.sid
            );
        }
    }
    for d in c.diagnostics {
        assert!(
            d.docs.starts_with("https://docs.aws.amazon.com/"),
            "{}",
            d.code
        );
    }
}

#[test]
fn trust_sources_are_values_of_their_kind() {
    for k in catalog().role_kinds {
        let Some(cd) = &k.confused_deputy else {
            continue;
        };
        // Names the role gives go through the value kind's ARN template: the trust's own
        // template says the same, and the default is a valid name.
        assert_eq!(
            cd.source_param.is_some(),
            cd.source_item.is_some() && cd.source_default.is_some() && cd.source_label.is_some(),
            "{}: a source parameter comes with its kind, default and label",
            k.id
        );
        if let (Some(item), Some(default)) = (cd.source_item, cd.source_default) {
            assert_eq!(Some(cd.source_arn), item.info().arn, "{}", k.id);
            ecs_iam_core::check_item(Some(item), default, "default", None)
                .unwrap_or_else(|e| panic!("{}: {e}", k.id));
        }
    }
}

#[test]
fn every_action_exists_in_the_service_authorization_reference() {
    let sar = sar();
    for f in catalog().features {
        for st in f.statements {
            for a in st
                .actions
                .iter()
                .chain(st.optional_actions.iter().flat_map(|o| o.actions.iter()))
            {
                let entry = sar.get(a).unwrap_or_else(|| {
                    panic!("{}.{}: {a} is not in the SAR extract", f.id, st.sid)
                });
                assert_eq!(
                    entry["action"].as_str().unwrap(),
                    *a,
                    "{a}: spell it as the SAR does"
                );
            }
        }
    }
}

#[test]
fn every_arn_pattern_fits_a_resource_type_of_its_actions() {
    let c = catalog();
    let sar = sar();
    let fill = |t: &str| {
        t.replace("${Partition}", "aws")
            .replace("${Region}", "us-east-1")
            .replace("${Account}", "123456789012")
    };
    for f in c.features {
        for st in f.statements {
            let actions = statement_actions(st);
            for r in st.resources {
                let pattern = match r {
                    ResourceTemplate::Literal(s) if *s == "*" => continue,
                    ResourceTemplate::Literal(s) => fill(s),
                    ResourceTemplate::FromParam {
                        param,
                        template,
                        per,
                    } => {
                        // `${Per}` holds a value of the second parameter (a key prefix).
                        let per_example = per
                            .map(|p| f.param(p).unwrap().item.unwrap().info().example)
                            .unwrap_or_default();
                        let template = &template.replace("${Per}", per_example);
                        let kind = f.param(param).unwrap().item.unwrap().info();
                        if kind.arn.is_none() {
                            // A kind without ARNs fills its template by value (${Value}).
                            assert!(
                                !template.contains("${Arn}"),
                                "{}.{}: {param} has no ARN",
                                f.id,
                                st.sid
                            );
                            let pattern = fill(template).replace("${Value}", kind.example);
                            for a in &actions {
                                let types = sar[*a]["resourceTypes"].as_array().unwrap();
                                assert!(
                                    types.iter().any(|t| t["arn"].as_str().is_some_and(|arn| {
                                        intersect(pattern.as_bytes(), sar_glob(arn).as_bytes())
                                    })),
                                    "{}.{}: {pattern} fits no resource type of {a}",
                                    f.id,
                                    st.sid
                                );
                            }
                            continue;
                        }
                        let arn = fill(kind.arn.unwrap())
                            .replace("${Name}", kind.example.trim_start_matches('/'));
                        let head = arn
                            .split_once('/')
                            .map_or(arn.as_str(), |(h, _)| h)
                            .to_string();
                        template
                            .replace("${ArnHead}", &head)
                            .replace("${Arn}", &arn)
                    }
                };
                for a in &actions {
                    let types = sar[*a]["resourceTypes"].as_array().unwrap();
                    assert!(
                        !types.is_empty(),
                        "{}.{}: {a} has no resource type and only accepts \"*\", not {pattern}",
                        f.id,
                        st.sid
                    );
                    let fits = types.iter().any(|t| {
                        t["arn"].as_str().is_some_and(|arn| {
                            intersect(pattern.as_bytes(), sar_glob(arn).as_bytes())
                        })
                    });
                    assert!(
                        fits,
                        "{}.{}: {pattern} fits no resource type of {a}",
                        f.id, st.sid
                    );
                }
            }
            // Actions without resource types must stand with "*" alone.
            let only_star = st
                .resources
                .iter()
                .all(|r| matches!(r, ResourceTemplate::Literal(s) if *s == "*"));
            for a in &actions {
                if sar[*a]["resourceTypes"].as_array().unwrap().is_empty() {
                    assert!(only_star, "{}.{}: {a} only accepts \"*\"", f.id, st.sid);
                }
            }
        }
    }
}

#[test]
fn arn_matcher_sanity() {
    assert!(intersect(b"arn:aws:logs:r:a:log-group:x:*", sar_glob("arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}").as_bytes()));
    assert!(!intersect(
        b"arn:aws:s3:::bucket",
        sar_glob("arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}")
            .as_bytes()
    ));
}

/// A configuration that turns on every parameter of a feature, on the first role kind that
/// accepts it.
fn full_config(feature: &str) -> String {
    let c = catalog();
    let f = c.feature(feature).unwrap();
    let mut obj = serde_json::Map::new();
    obj.insert("id".into(), feature.into());
    for p in f.params {
        use ecs_iam_core::ParamType;
        let example = p.item.map(|k| k.info().example).unwrap_or_default();
        let v: Value = match p.ty {
            ParamType::Bool => true.into(),
            ParamType::Value => example.into(),
            ParamType::List => vec![example].into(),
            ParamType::Statements => {
                serde_json::json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}])
            }
        };
        obj.insert(p.name.to_string(), v);
    }
    serde_json::json!({"roles": [{"kind": f.roles[0], "features": [obj]}]}).to_string()
}

#[test]
fn every_feature_renders_in_every_format() {
    for f in catalog().features {
        for kind in f.roles {
            let text = full_config(f.id).replace(
                &format!("\"kind\":\"{}\"", f.roles[0]),
                &format!("\"kind\":\"{kind}\""),
            );
            let config = Config::parse(&text).unwrap_or_else(|e| panic!("{} on {kind}: {e}", f.id));
            for format in Format::ALL {
                let out = ecs_iam_core::render(&config, format, &Options::default());
                assert!(
                    !out.trim().is_empty(),
                    "{} on {kind} renders nothing in {}",
                    f.id,
                    format.id()
                );
            }
            let json: Value = serde_json::from_str(&ecs_iam_core::render(
                &config,
                Format::Json,
                &Options::default(),
            ))
            .unwrap();
            let text = json.to_string();
            for st in f.statements {
                for a in st.actions {
                    assert!(
                        text.contains(a),
                        "{} on {kind}: {a} missing from the json output",
                        f.id
                    );
                }
            }
        }
    }
}

#[test]
fn every_role_kind_has_a_colour_of_the_stylesheet() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/style.css"))
        .expect("web/style.css");
    for k in catalog().role_kinds {
        assert!(
            css.contains(&format!(".role[data-colour=\"{}\"]", k.colour)),
            "{}: the colour {} is not in web/style.css's palette",
            k.id,
            k.colour
        );
    }
}

#[test]
fn the_iam_statements_use_actions_of_the_service_authorization_reference() {
    let sar = sar();
    let iam = &catalog().iam;
    for a in [iam.trust.action, iam.pass_role.action, iam.decrypt_action]
        .into_iter()
        .chain(iam.secret_read_actions.iter().copied())
    {
        assert!(sar.get(a).is_some(), "iam: {a} is not in the SAR extract");
    }
}

/// The access switches of a feature grant what their names say, by the Service Authorization
/// Reference's access level of each action: `read` only Read and List actions, `list` only List
/// actions; and no feature grants permissions management (the policies of resources, IAM).
#[test]
fn access_switches_grant_actions_of_their_access_level() {
    let sar = sar();
    let mut seen = 0;
    for f in catalog().features {
        for st in f.statements {
            let actions = statement_actions(st);
            for a in &actions {
                let level = sar[*a]["accessLevel"].as_str().unwrap();
                assert!(
                    level != "Permissions management",
                    "{}.{}: {a} is {level}",
                    f.id,
                    st.sid
                );
                // Only the statement's own actions: an optional action answers its own switch.
                if !st.actions.contains(a) {
                    continue;
                }
                for (switch, allowed) in [("read", &["Read", "List"][..]), ("list", &["List"][..])]
                {
                    if st.when.contains(&switch) {
                        seen += 1;
                        assert!(
                            allowed.contains(&level),
                            "{}.{}: {a} is {level}, not what `{switch}` grants",
                            f.id,
                            st.sid
                        );
                    }
                }
            }
        }
    }
    assert!(seen >= 5, "the catalogue has read and list switches");
}

#[test]
fn capacity_notes_name_capacities_of_the_catalogue() {
    let c = catalog();
    let known: BTreeSet<&str> = c
        .role_kinds
        .iter()
        .flat_map(|k| k.capacities.iter().copied())
        .collect();
    let mut seen = 0;
    for k in c.role_kinds {
        for n in k.capacity_notes {
            seen += 1;
            assert!(
                !n.capacities.is_empty(),
                "{}: a capacity note names its capacities",
                k.id
            );
            for cap in n.capacities {
                assert!(known.contains(cap), "{}: {cap} is not a capacity", k.id);
            }
        }
    }
    assert!(seen > 0);
}
