//! JSON Schema (draft 2020-12) of the configuration, generated from the catalogue so that it
//! can never disagree with the parser about which fields exist. It accepts everything the
//! parser accepts: optional fields may be `null` (the parser reads that as absent), and AWS
//! managed policies may be named with their path.

use crate::catalog::{catalog, ParamType, ValueKindId};
use serde_json::{json, Map, Value};

pub fn schema() -> Value {
    let cat = catalog();
    let mut feature_variants = Vec::new();
    for f in cat.features {
        let mut props = Map::new();
        props.insert("id".into(), json!({"const": f.id, "description": f.title}));
        let mut required = vec![Value::from("id")];
        for p in f.params {
            let item_desc = p
                .item
                .map(ValueKindId::info)
                .map(|k| format!("{} (e.g. {})", k.label, k.example));
            // Optional parameters may be null: absent.
            let ty = |t: &str| {
                if p.required {
                    json!(t)
                } else {
                    json!([t, "null"])
                }
            };
            let s = match p.ty {
                ParamType::Bool => json!({"type": ty("boolean"), "description": p.description}),
                ParamType::Value => {
                    json!({"type": ty("string"), "description": p.description, "examples": [item_desc]})
                }
                ParamType::List => {
                    json!({"type": ty("array"), "items": {"type": "string", "description": item_desc}, "uniqueItems": true, "description": p.description})
                }
                ParamType::Statements => {
                    json!({"type": ty("array"), "minItems": 1, "items": {"$ref": "#/$defs/statement"}, "description": p.description})
                }
            };
            props.insert(p.name.to_string(), s);
            if p.required {
                required.push(p.name.into());
            }
        }
        let mut then = json!({"type": "object", "properties": props, "required": required, "additionalProperties": false, "description": format!("{}. Roles: {}", f.summary, f.roles.join(", "))});
        // `needsOneOf`: the parser refuses the feature unless one of these switches is set
        // (`FeatureUse::is_set`: true, or a list with an item).
        if !f.needs_one_of.is_empty() {
            let set: Vec<Value> = f
                .needs_one_of
                .iter()
                .filter_map(|w| f.params.iter().find(|p| p.name == *w))
                .map(|p| {
                    let value = match p.ty {
                        ParamType::Bool => json!({"const": true}),
                        ParamType::Value => json!({"type": "string"}),
                        ParamType::List | ParamType::Statements => {
                            json!({"type": "array", "minItems": 1})
                        }
                    };
                    json!({"required": [p.name], "properties": {p.name: value}})
                })
                .collect();
            then["anyOf"] = Value::Array(set);
        }
        feature_variants.push(json!({
            "if": {"properties": {"id": {"const": f.id}}, "required": ["id"]},
            "then": then
        }));
    }
    let kinds: Vec<&str> = cat.role_kinds.iter().map(|k| k.id).collect();
    let limits = &cat.iam.limits;
    // A role name is at most `roleName` long, a deployer policy's `policyName`: the schema
    // holds names to the longer and the parser to each.
    let name_pattern = |max: usize| format!("^[A-Za-z0-9+=,.@_-]{{1,{max}}}$");
    let policy_arn_pattern = format!(
        "^{}",
        cat.iam
            .arns
            .policy
            .replace("${Partition}", "[a-z-]+")
            .replace("${Account}", "(aws|[0-9]{12})")
            .replace("${Path}${Name}", "/")
    );
    let features: Vec<&str> = cat.features.iter().map(|f| f.id).collect();
    let managed: Vec<String> = cat
        .managed_policies
        .iter()
        .filter(|m| m.attachable)
        .flat_map(crate::config::managed_policy_forms)
        .collect();
    let mut partitions: Vec<Value> = cat.partitions.iter().map(|p| p.id.into()).collect();
    partitions.push(Value::Null);
    let mut styles: Vec<Value> = cat.permission_styles.iter().map(|p| p.id.into()).collect();
    styles.push(Value::Null);
    // The role fields some kinds add (`scheduleGroups`), from the catalogue.
    let sources: Vec<&str> = cat
        .role_kinds
        .iter()
        .filter_map(|k| k.confused_deputy.as_ref().and_then(|cd| cd.source_param))
        .collect();
    let string_or_list = json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]});
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ecs-iam.dev/schema/config.json",
        "title": "ecs-iam configuration",
        "description": "Which IAM roles Amazon ECS needs, with which features and resources.",
        "type": "object",
        "additionalProperties": false,
        "required": ["roles"],
        "properties": {
            "$schema": {"type": ["string", "null"]},
            "partition": {"enum": partitions, "description": "Absent: ${AWS::Partition}."},
            "region": {"type": ["string", "null"], "pattern": "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", "description": "Absent: ${AWS::Region}."},
            "account": {"type": ["string", "null"], "pattern": "^[0-9]{12}$", "description": "Absent: ${AWS::AccountId}."},
            "permissions": {"enum": styles, "default": "inline"},
            "roles": {
                "type": "array", "minItems": 1, "maxItems": crate::config::MAX_ROLES,
                "items": {
                    "type": "object", "additionalProperties": false, "required": ["kind"],
                    "properties": {
                        "kind": {"enum": kinds},
                        "name": {"type": ["string", "null"], "pattern": name_pattern(limits.policy_name)},
                        "path": {"type": ["string", "null"], "pattern": "^/([A-Za-z0-9+=,.@_-]+/)*$"},
                        "description": {"type": ["string", "null"], "maxLength": limits.description},
                        "managedPolicies": {"type": ["array", "null"], "uniqueItems": true, "items": {"anyOf": [{"enum": managed}, {"type": "string", "pattern": policy_arn_pattern}]}},
                        "confusedDeputy": {"type": ["boolean", "null"]},
                        "instanceProfileName": {"type": ["string", "null"], "pattern": name_pattern(limits.instance_profile_name)},
                        "passRoles": {"type": ["array", "null"], "items": {"type": "string"}},
                        "features": {"type": ["array", "null"], "items": {"type": "object", "required": ["id"], "properties": {"id": {"enum": features}}, "allOf": feature_variants}}
                    }
                }
            }
        },
        "$defs": {
            "statement": {
                "type": "object", "additionalProperties": false, "required": ["Effect"],
                "properties": {
                    "Sid": {"type": "string", "pattern": "^[A-Za-z0-9]+$", "maxLength": 128},
                    "Effect": {"enum": ["Allow", "Deny"]},
                    "Action": string_or_list, "NotAction": string_or_list,
                    "Resource": string_or_list, "NotResource": string_or_list,
                    "Condition": {"type": "object"}
                }
            }
        }
    });
    if let Some(props) = schema["properties"]["roles"]["items"]["properties"].as_object_mut() {
        for s in sources {
            props.insert(
                s.into(),
                json!({"type": ["array", "null"], "minItems": 1, "items": {"type": "string"}}),
            );
        }
    }
    schema
}
