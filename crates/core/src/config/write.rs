//! The canonical JSON of a configuration (share links, import and export).

use super::{Config, ManagedPolicyUse, ParamValue, Role};
use serde_json::{Map, Value};

impl Config {
    /// The canonical JSON of this configuration: the fields that were given, in a fixed order.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if let Some(p) = &self.partition {
            m.insert("partition".into(), p.clone().into());
        }
        if let Some(r) = &self.region {
            m.insert("region".into(), r.clone().into());
        }
        if let Some(a) = &self.account {
            m.insert("account".into(), a.clone().into());
        }
        if let Some(p) = self.permissions {
            m.insert("permissions".into(), p.id().into());
        }
        m.insert(
            "roles".into(),
            Value::Array(self.roles.iter().map(Role::to_value).collect()),
        );
        Value::Object(m)
    }

    pub fn to_json_pretty(&self) -> String {
        crate::json::to_string_pretty(&self.to_value())
    }
}

impl Role {
    fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), self.kind.id.into());
        let strings = |v: &Vec<String>| Value::Array(v.iter().cloned().map(Value::from).collect());
        if let Some(n) = &self.name {
            m.insert("name".into(), n.clone().into());
        }
        if let Some(p) = &self.path {
            m.insert("path".into(), p.clone().into());
        }
        if let Some(d) = &self.description {
            m.insert("description".into(), d.clone().into());
        }
        if let Some(mp) = &self.managed_policies {
            let written: Vec<Value> = mp
                .iter()
                .filter_map(ManagedPolicyUse::written)
                .map(Value::from)
                .collect();
            m.insert("managedPolicies".into(), Value::Array(written));
        }
        if let Some(c) = self.confused_deputy {
            m.insert("confusedDeputy".into(), c.into());
        }
        if let (Some(list), Some(param)) = (
            &self.sources,
            self.kind
                .confused_deputy
                .as_ref()
                .and_then(|cd| cd.source_param),
        ) {
            m.insert(param.into(), strings(list));
        }
        if let Some(n) = &self.instance_profile_name {
            m.insert("instanceProfileName".into(), n.clone().into());
        }
        if let Some(p) = &self.pass_roles {
            m.insert("passRoles".into(), strings(p));
        }
        if !self.features.is_empty() {
            let features = self
                .features
                .iter()
                .map(|f| {
                    let mut fm = Map::new();
                    fm.insert("id".into(), f.feature.id.into());
                    for (name, v) in &f.params {
                        let v = match v {
                            ParamValue::Bool(b) => Value::Bool(*b),
                            ParamValue::Value(s) => Value::String(s.clone()),
                            ParamValue::List(l) => strings(l),
                            ParamValue::Statements(s) => Value::Array(s.clone()),
                        };
                        fm.insert((*name).to_string(), v);
                    }
                    Value::Object(fm)
                })
                .collect();
            m.insert("features".into(), Value::Array(features));
        }
        Value::Object(m)
    }
}
