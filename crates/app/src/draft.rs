//! The draft: the configuration as the user is typing it. Unlike `ecs_iam_core::Config` it may
//! be invalid (a half-typed ARN, a list with a bad name, JSON with a syntax error), because
//! nothing the user typed may be lost. Lists are kept as the text of their textarea, so that a
//! trailing newline survives a re-render.
//!
//! `Draft::from_value` accepts any JSON object and keeps what it does not model in `extra`, so
//! that `Config::parse` still sees (and reports) it; `Draft::to_value` gives the configuration
//! JSON back in a fixed order. For a valid configuration the round trip is the identity.

use ecs_iam_core::{catalog, ParamType};
use ecs_iam_core::{CONFIG_FIELDS, ROLE_FIELDS};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub partition: String,
    pub region: String,
    pub account: String,
    pub permissions: String,
    pub roles: Vec<DraftRole>,
    /// Top-level fields the form does not model (or that have the wrong type), kept verbatim.
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftRole {
    pub kind: String,
    pub name: String,
    pub path: String,
    pub description: String,
    pub instance_profile_name: String,
    /// `None`: the role kind's default managed policies.
    pub managed_policies: Option<Vec<String>>,
    /// `None`: the role kind's default.
    pub confused_deputy: Option<bool>,
    pub pass_roles: Option<Vec<String>>,
    /// The text of the kind's sources field (`scheduleGroups`), as typed.
    pub sources: String,
    pub features: Vec<DraftFeature>,
    pub extra: Map<String, Value>,
    /// A role entry that is not an object, kept as it was.
    pub raw: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftFeature {
    pub id: String,
    /// Parameter values in catalogue order.
    pub params: Vec<(String, Field)>,
    pub extra: Map<String, Value>,
    /// A feature entry the form cannot model (not an object, unknown id), kept as it was.
    pub raw: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A list (one item a line; commas also separate), a single value, or statements as JSON.
    Text(String),
    /// `None`: absent (false).
    Bool(Option<bool>),
}

fn take_string(obj: &mut Map<String, Value>, key: &str) -> String {
    match obj.get(key) {
        Some(Value::String(s)) => {
            let s = s.clone();
            obj.remove(key);
            s
        }
        _ => String::new(),
    }
}

fn take_strings(obj: &mut Map<String, Value>, key: &str) -> Option<Vec<String>> {
    let list: Vec<String> = obj
        .get(key)?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect::<Option<_>>()?;
    obj.remove(key);
    Some(list)
}

fn take_bool(obj: &mut Map<String, Value>, key: &str) -> Option<bool> {
    let b = obj.get(key)?.as_bool()?;
    obj.remove(key);
    Some(b)
}

/// Splits a list textarea: one item a line, commas also separate, blanks ignored.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Draft {
    /// A draft of any JSON object. Fails only when the value is not an object.
    pub fn from_value(value: &Value) -> Result<Draft, String> {
        let Some(obj) = value.as_object() else {
            return Err("the configuration must be a JSON object".into());
        };
        let mut obj = obj.clone();
        let mut d = Draft {
            partition: take_string(&mut obj, "partition"),
            region: take_string(&mut obj, "region"),
            account: take_string(&mut obj, "account"),
            permissions: take_string(&mut obj, "permissions"),
            ..Draft::default()
        };
        if let Some(Value::Array(roles)) = obj.get("roles") {
            d.roles = roles.iter().map(DraftRole::from_value).collect();
            obj.remove("roles");
        }
        d.extra = obj;
        Ok(d)
    }

    pub fn parse(text: &str) -> Result<Draft, String> {
        // A number too long to keep exactly stays as its digits: a draft loses nothing.
        let v = ecs_iam_core::json::parse_keeping_long_numbers(text)
            .map_err(|e| ecs_iam_core::ConfigError::from(e).to_string())?;
        Draft::from_value(&v)
    }

    /// The configuration JSON, fields in a fixed order.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if let Some(s) = self.extra.get("$schema") {
            m.insert("$schema".into(), s.clone());
        }
        for (key, typed) in [
            ("partition", &self.partition),
            ("region", &self.region),
            ("account", &self.account),
            ("permissions", &self.permissions),
        ] {
            put_text(&mut m, &self.extra, key, typed);
        }
        if self.roles.is_empty() && self.extra.contains_key("roles") {
            m.insert("roles".into(), self.extra["roles"].clone());
        } else {
            m.insert(
                "roles".into(),
                Value::Array(self.roles.iter().map(DraftRole::to_value).collect()),
            );
        }
        for (k, v) in &self.extra {
            if !CONFIG_FIELDS.contains(&k.as_str()) {
                m.insert(k.clone(), v.clone());
            }
        }
        Value::Object(m)
    }

    /// The configuration as compact JSON: what the share link and local storage keep.
    pub fn to_json(&self) -> String {
        ecs_iam_core::json::to_string(&self.to_value())
    }

    /// The configuration as the file the CLI reads.
    pub fn to_json_pretty(&self) -> String {
        let mut s = ecs_iam_core::json::to_string_pretty(&self.to_value());
        s.push('\n');
        s
    }
}

/// A text field: the typed value when set, else what `extra` kept under that key.
fn put_text(m: &mut Map<String, Value>, extra: &Map<String, Value>, key: &str, typed: &str) {
    if !typed.is_empty() {
        m.insert(key.into(), Value::String(typed.to_string()));
    } else if let Some(v) = extra.get(key) {
        m.insert(key.into(), v.clone());
    }
}

impl DraftRole {
    /// The role field of the kind's trust sources (`scheduleGroups`), if it has one.
    pub fn source_param(&self) -> Option<&'static str> {
        catalog()
            .role_kind(&self.kind)
            .and_then(|k| k.confused_deputy.as_ref())
            .and_then(|cd| cd.source_param)
    }

    pub fn new(kind: &str) -> DraftRole {
        DraftRole {
            kind: kind.to_string(),
            ..DraftRole::default()
        }
    }

    fn from_value(v: &Value) -> DraftRole {
        let Some(obj) = v.as_object() else {
            return DraftRole {
                raw: Some(v.clone()),
                ..DraftRole::default()
            };
        };
        let mut obj = obj.clone();
        let mut r = DraftRole {
            kind: take_string(&mut obj, "kind"),
            name: take_string(&mut obj, "name"),
            path: take_string(&mut obj, "path"),
            description: take_string(&mut obj, "description"),
            instance_profile_name: take_string(&mut obj, "instanceProfileName"),
            managed_policies: take_strings(&mut obj, "managedPolicies"),
            confused_deputy: take_bool(&mut obj, "confusedDeputy"),
            pass_roles: take_strings(&mut obj, "passRoles"),
            ..DraftRole::default()
        };
        if let Some(param) = r.source_param() {
            if let Some(list) = take_strings(&mut obj, param) {
                r.sources = list.join(", ");
            }
        }
        if let Some(Value::Array(fs)) = obj.get("features") {
            r.features = fs.iter().map(DraftFeature::from_value).collect();
            obj.remove("features");
        }
        r.extra = obj;
        r
    }

    fn to_value(&self) -> Value {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut m = Map::new();
        let strings = |l: &Vec<String>| Value::Array(l.iter().cloned().map(Value::from).collect());
        put_text(&mut m, &self.extra, "kind", &self.kind);
        put_text(&mut m, &self.extra, "name", &self.name);
        put_text(&mut m, &self.extra, "path", &self.path);
        put_text(&mut m, &self.extra, "description", &self.description);
        match &self.managed_policies {
            Some(l) => {
                m.insert("managedPolicies".into(), strings(l));
            }
            None => copy(&mut m, &self.extra, "managedPolicies"),
        }
        match self.confused_deputy {
            Some(b) => {
                m.insert("confusedDeputy".into(), b.into());
            }
            None => copy(&mut m, &self.extra, "confusedDeputy"),
        }
        put_text(
            &mut m,
            &self.extra,
            "instanceProfileName",
            &self.instance_profile_name,
        );
        match &self.pass_roles {
            Some(l) => {
                m.insert("passRoles".into(), strings(l));
            }
            None => copy(&mut m, &self.extra, "passRoles"),
        }
        if let Some(param) = self.source_param() {
            if self.sources.trim().is_empty() {
                copy(&mut m, &self.extra, param);
            } else {
                m.insert(param.into(), strings(&split_list(&self.sources)));
            }
        }
        if !self.features.is_empty() {
            m.insert(
                "features".into(),
                Value::Array(self.features.iter().map(DraftFeature::to_value).collect()),
            );
        } else {
            copy(&mut m, &self.extra, "features");
        }
        for (k, v) in &self.extra {
            if !ROLE_FIELDS.contains(&k.as_str()) {
                m.insert(k.clone(), v.clone());
            }
        }
        Value::Object(m)
    }

    /// The name IAM will see: the typed one, or the kind's default.
    pub fn effective_name(&self) -> String {
        if !self.name.is_empty() {
            return self.name.clone();
        }
        catalog()
            .role_kind(&self.kind)
            .map(|k| k.default_name)
            .unwrap_or_default()
            .to_string()
    }

    /// The managed policies in force: the explicit list, or the kind's defaults.
    pub fn effective_managed_policies(&self) -> Vec<String> {
        match &self.managed_policies {
            Some(l) => l.clone(),
            None => catalog()
                .role_kind(&self.kind)
                .map(|k| {
                    k.default_managed_policies
                        .iter()
                        .map(|p| p.name.to_string())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    pub fn has_feature(&self, id: &str) -> bool {
        self.features.iter().any(|f| f.id == id)
    }
}

fn copy(m: &mut Map<String, Value>, extra: &Map<String, Value>, key: &str) {
    if let Some(v) = extra.get(key) {
        m.insert(key.into(), v.clone());
    }
}

impl DraftFeature {
    /// A feature with every parameter empty.
    pub fn new(id: &str) -> DraftFeature {
        let mut f = DraftFeature {
            id: id.to_string(),
            ..DraftFeature::default()
        };
        if let Some(feature) = catalog().feature(id) {
            for p in feature.params {
                let field = match p.ty {
                    ParamType::Bool => Field::Bool(None),
                    _ => Field::Text(String::new()),
                };
                f.params.push((p.name.to_string(), field));
            }
        }
        f
    }

    fn from_value(v: &Value) -> DraftFeature {
        let raw = || DraftFeature {
            raw: Some(v.clone()),
            ..DraftFeature::default()
        };
        let Some(obj) = v.as_object() else {
            return raw();
        };
        let Some(feature) = obj
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| catalog().feature(id))
        else {
            return raw();
        };
        let mut obj = obj.clone();
        obj.remove("id");
        let mut f = DraftFeature {
            id: feature.id.to_string(),
            ..DraftFeature::default()
        };
        for p in feature.params {
            let field = match (p.ty, obj.get(p.name)) {
                (_, None) => Some(match p.ty {
                    ParamType::Bool => Field::Bool(None),
                    _ => Field::Text(String::new()),
                }),
                (ParamType::Bool, Some(Value::Bool(b))) => Some(Field::Bool(Some(*b))),
                (ParamType::Value, Some(Value::String(s))) => Some(Field::Text(s.clone())),
                // An empty list stays as written, so that the core's refusal shows on the field.
                (ParamType::List, Some(Value::Array(items)))
                    if !items.is_empty()
                        && items
                            .iter()
                            .all(|i| i.as_str().is_some_and(|s| !s.contains(['\n', ',']))) =>
                {
                    let lines: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                    Some(Field::Text(lines.join("\n")))
                }
                (ParamType::Statements, Some(Value::Array(_))) => Some(Field::Text(
                    ecs_iam_core::json::to_string_pretty(&obj[p.name]),
                )),
                // What the statements box held when it was not valid JSON.
                (ParamType::Statements, Some(Value::String(s))) => Some(Field::Text(s.clone())),
                _ => None,
            };
            match field {
                Some(field) => {
                    obj.remove(p.name);
                    f.params.push((p.name.to_string(), field));
                }
                None => f.params.push((
                    p.name.to_string(),
                    match p.ty {
                        ParamType::Bool => Field::Bool(None),
                        _ => Field::Text(String::new()),
                    },
                )),
            }
        }
        f.extra = obj;
        f
    }

    fn to_value(&self) -> Value {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut m = Map::new();
        m.insert("id".into(), self.id.clone().into());
        let feature = catalog().feature(&self.id);
        for (name, field) in &self.params {
            let ty = feature
                .and_then(|f| f.param(name))
                .map_or(ParamType::Value, |p| p.ty);
            match (field, ty) {
                (Field::Bool(Some(b)), _) => {
                    m.insert(name.clone(), (*b).into());
                }
                (Field::Bool(None), _) => copy(&mut m, &self.extra, name),
                (Field::Text(t), _) if t.trim().is_empty() => copy(&mut m, &self.extra, name),
                (Field::Text(t), ParamType::List) => {
                    m.insert(
                        name.clone(),
                        Value::Array(split_list(t).into_iter().map(Value::from).collect()),
                    );
                }
                (Field::Text(t), ParamType::Statements) => {
                    // Text that is not JSON yet stays a string, so the share link keeps it.
                    let v =
                        ecs_iam_core::json::parse(t).unwrap_or_else(|_| Value::String(t.clone()));
                    m.insert(name.clone(), v);
                }
                (Field::Text(t), _) => {
                    m.insert(name.clone(), Value::String(t.clone()));
                }
            }
        }
        for (k, v) in &self.extra {
            if !m.contains_key(k) {
                m.insert(k.clone(), v.clone());
            }
        }
        Value::Object(m)
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }

    pub fn field_mut(&mut self, name: &str) -> Option<&mut Field> {
        self.params
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_iam_core::gallery;

    #[test]
    fn every_pattern_round_trips() {
        for p in &gallery().patterns {
            let d = Draft::from_value(&p.config).unwrap();
            assert_eq!(d.to_value(), p.config, "pattern {}", p.id);
        }
    }

    #[test]
    fn what_the_form_does_not_model_is_kept() {
        let v: Value = serde_json::from_str(
            r#"{"partition": 7, "roles": [{"kind": "task", "nmae": "x",
                "features": [{"id": "nope", "a": 1}, {"id": "efs", "write": "yes"}, 3]}, "r"],
                "extra": true}"#,
        )
        .unwrap();
        let back = Draft::from_value(&v).unwrap().to_value();
        assert_eq!(back["partition"], 7);
        assert_eq!(back["extra"], true);
        assert_eq!(back["roles"][0]["nmae"], "x");
        assert_eq!(
            back["roles"][0]["features"][0],
            v["roles"][0]["features"][0]
        );
        assert_eq!(back["roles"][0]["features"][1]["write"], "yes");
        assert_eq!(back["roles"][0]["features"][2], 3);
        assert_eq!(back["roles"][1], "r");
        // ...and the core still reports it.
        assert!(ecs_iam_core::Config::from_value(&back).is_err());
    }

    #[test]
    fn lists_are_lines_or_commas_and_statements_keep_bad_json() {
        let mut d = Draft::default();
        let mut role = DraftRole::new("task-execution");
        let mut f = DraftFeature::new("ecr-pull");
        *f.field_mut("repositories").unwrap() = Field::Text("a\n b, c\n\n".into());
        role.features.push(f);
        let mut c = DraftFeature::new("custom");
        *c.field_mut("statements").unwrap() = Field::Text("[{\"Effect\": ".into());
        role.features.push(c);
        d.roles.push(role);
        let v = d.to_value();
        assert_eq!(
            v["roles"][0]["features"][0]["repositories"],
            serde_json::json!(["a", "b", "c"])
        );
        assert_eq!(v["roles"][0]["features"][1]["statements"], "[{\"Effect\": ");
        let back = Draft::from_value(&v).unwrap();
        assert_eq!(
            back.roles[0].features[1].field("statements"),
            Some(&Field::Text("[{\"Effect\": ".into()))
        );
    }

    #[test]
    fn not_an_object_is_refused() {
        assert!(Draft::parse("[1]").is_err());
        assert!(Draft::parse("{").is_err());
        // A key written twice is refused with its object's path.
        assert_eq!(
            Draft::parse(r#"{"roles": [{"kind": "task", "kind": "task"}]}"#).unwrap_err(),
            r#"roles[0]: has the key "kind" twice (the second at line 1 column 29); give each key once"#
        );
        // A number the engine would not round (an earlier version kept it) keeps its digits.
        let stored = r#"{"roles": [{"kind": "task", "features": [{"id": "custom", "statements": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": 1.2345678901234567}}}]}]}]}"#;
        let draft = Draft::parse(stored).unwrap();
        assert!(draft
            .to_value()
            .to_string()
            .contains(r#""s3:max-keys":"1.2345678901234567""#));
        assert!(Draft::parse("{}").is_ok());
    }
}
