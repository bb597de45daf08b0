//! `ecs-iam import`: a configuration from what users have, an ECS task definition (the
//! `register-task-definition` input or the `describe-task-definition` output), a bare
//! container definitions array (Terraform's `container_definitions`) or a CloudFormation
//! template with `AWS::ECS::TaskDefinition` and `AWS::ECS::Service` resources.
//!
//! Every value of the configuration comes with where it was read and why it is there
//! (`Derivation`); what a task definition cannot say (a KMS key behind a secret, what the
//! application calls) is an `Unknown` that tells the user what to add. The task definition's
//! fields are the ECS API's (CloudFormation's are the same names, capitalised, which `get`
//! matches without regard to case); the facts behind them (the ECR registry's host, sidecar
//! images, the roles of each capacity, ARN forms) are the catalogue's.

pub(crate) mod cfn;
#[cfg(feature = "yaml")]
mod yaml;

use crate::catalog::{catalog, Feature, ParamType, RoleKind, ValueKindId};
use crate::config::Config;
use crate::error::ConfigError;
use crate::json::{obj, quote, ToJson};
use cfn::{Resolver, Text};
use serde_json::{Map, Value};

/// What `import` made of a file.
#[derive(Debug, Clone)]
pub struct Import {
    /// What the file is: `task-definition`, `describe-task-definition`,
    /// `container-definitions` or `cloudformation`.
    pub source: &'static str,
    /// The configuration, in its canonical JSON (valid: `Config::from_value` accepts it).
    pub config: Value,
    pub derivations: Vec<Derivation>,
    pub unknowns: Vec<Unknown>,
}

/// A value of the configuration and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    /// Its path in the configuration (`roles[0].features[1].secrets[0]`).
    pub path: String,
    /// Its place in the file (`containerDefinitions[0].secrets[1].valueFrom`).
    pub from: String,
    pub why: String,
}

/// What the file does not say and the configuration may need: what to add, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The place in the file it concerns (empty for the whole file).
    pub from: String,
    pub message: String,
}

impl ToJson for Derivation {
    fn to_json(&self) -> Value {
        obj(vec![
            ("path", self.path.as_str().into()),
            ("from", self.from.as_str().into()),
            ("why", self.why.as_str().into()),
        ])
    }
}

impl ToJson for Unknown {
    fn to_json(&self) -> Value {
        obj(vec![
            ("from", self.from.as_str().into()),
            ("message", self.message.as_str().into()),
        ])
    }
}

impl ToJson for Import {
    fn to_json(&self) -> Value {
        obj(vec![
            ("source", self.source.into()),
            ("config", self.config.clone()),
            ("derivations", self.derivations.to_json()),
            ("unknowns", self.unknowns.to_json()),
        ])
    }
}

/// Reads a task definition, a container definitions array or a CloudFormation template (JSON,
/// or YAML where the crate's `yaml` feature is on) and derives the configuration it needs.
pub fn import(text: &str) -> Result<Import, ConfigError> {
    if text.len() > crate::config::MAX_CONFIG_BYTES {
        return Err(ConfigError::new(
            "",
            format!(
                "is {} bytes; the limit is {}",
                text.len(),
                crate::config::MAX_CONFIG_BYTES
            ),
        ));
    }
    let value = read(text)?;
    import_value(&value)
}

/// JSON, or YAML where the `yaml` feature is on.
pub(crate) fn read(text: &str) -> Result<Value, ConfigError> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with(['{', '[']) || !cfg!(feature = "yaml") {
        return crate::json::parse_keeping_long_numbers(text).map_err(|e| match e.path {
            Some(path) => ConfigError::new(&path, e.message),
            None => ConfigError::new("", format!("is not valid JSON: {}", e.message)),
        });
    }
    #[cfg(feature = "yaml")]
    {
        yaml::parse(text)
    }
    #[cfg(not(feature = "yaml"))]
    unreachable!()
}

/// `import` of a file already read as JSON.
pub fn import_value(value: &Value) -> Result<Import, ConfigError> {
    let mut b = Builder::default();
    let source = match value {
        Value::Array(defs) => {
            let td = TaskDef::bare(defs);
            b.task_definition(&td, &Resolver::Plain);
            "container-definitions"
        }
        Value::Object(m) => {
            if let Some(Value::Object(td)) = get(m, "taskDefinition").map(|(_, v)| v) {
                b.task_definition(&TaskDef::new(td, "taskDefinition."), &Resolver::Plain);
                "describe-task-definition"
            } else if get(m, "containerDefinitions").is_some() {
                b.task_definition(&TaskDef::new(m, ""), &Resolver::Plain);
                "task-definition"
            } else if let Some((_, Value::Object(resources))) = get(m, "Resources") {
                b.template(m, resources)?;
                "cloudformation"
            } else if m.contains_key("roles") {
                return Err(ConfigError::new(
                    "",
                    "is already a configuration of this builder: open it as it is".into(),
                ));
            } else {
                return Err(ConfigError::new(
                    "",
                    "is not a task definition (it has no containerDefinitions), a describe-task-definition output (no taskDefinition), a CloudFormation template (no Resources) or a container definitions array".into(),
                ));
            }
        }
        _ => {
            return Err(ConfigError::new(
                "",
                "is not a task definition, a CloudFormation template or a container definitions array: it is not an object or an array".into(),
            ))
        }
    };
    b.finish(source)
}

/// A key of an object, matched without regard to ASCII case (the ECS API's `fileSystemId` is
/// CloudFormation's `FilesystemId`), with the key as the file writes it.
pub(crate) fn get<'a>(m: &'a Map<String, Value>, key: &str) -> Option<(&'a str, &'a Value)> {
    m.get_key_value(key)
        .or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
        .map(|(k, v)| (k.as_str(), v))
}

/// A task definition and the prefix of its paths.
struct TaskDef<'a> {
    fields: Option<&'a Map<String, Value>>,
    containers: &'a [Value],
    containers_key: String,
    at: String,
}

impl<'a> TaskDef<'a> {
    fn new(m: &'a Map<String, Value>, at: &str) -> TaskDef<'a> {
        let (key, containers) = match get(m, "containerDefinitions") {
            Some((k, Value::Array(c))) => (k.to_string(), c.as_slice()),
            _ => ("containerDefinitions".to_string(), &[][..]),
        };
        TaskDef {
            fields: Some(m),
            containers,
            containers_key: format!("{at}{key}"),
            at: at.to_string(),
        }
    }

    fn bare(defs: &'a [Value]) -> TaskDef<'a> {
        TaskDef {
            fields: None,
            containers: defs,
            containers_key: String::new(),
            at: String::new(),
        }
    }

    fn field(&self, key: &str) -> Option<(String, &'a Value)> {
        let (k, v) = get(self.fields?, key)?;
        Some((format!("{}{k}", self.at), v))
    }
}

/// One value of a parameter and where it comes from.
#[derive(Debug, Clone)]
struct Item {
    value: String,
    from: String,
    why: String,
}

#[derive(Debug)]
enum Got {
    List(Vec<Item>),
    Bool(Item),
    One(Item),
}

#[derive(Debug)]
struct FeatureB {
    feature: &'static Feature,
    from: String,
    why: String,
    params: Vec<(&'static str, Got)>,
}

#[derive(Debug)]
struct RoleB {
    kind: &'static RoleKind,
    name: Option<Item>,
    path: Option<String>,
    from: String,
    why: String,
    features: Vec<FeatureB>,
}

/// The partition, Region or account and where it was read.
type Known = Option<Item>;

#[derive(Default)]
struct Builder {
    partition: Known,
    region: Known,
    account: Known,
    roles: Vec<RoleB>,
    unknowns: Vec<Unknown>,
}

/// Why a log group option is not granted when the group's name is not known.
const UNNAMED_GROUP: &str = "asks to create the log group or set its retention, and the group's name is not known: once it is named, set the option of the feature too (without a name it would be allowed on every log group)";

/// The parts of an ARN: partition, service, Region, account, resource.
pub(crate) fn arn_parts(s: &str) -> Option<[&str; 5]> {
    let rest = s.strip_prefix("arn:")?;
    let mut it = rest.splitn(5, ':');
    let parts = [it.next()?, it.next()?, it.next()?, it.next()?, it.next()?];
    Some(parts)
}

impl Builder {
    fn unknown(&mut self, from: &str, message: String) {
        let u = Unknown {
            from: from.to_string(),
            message,
        };
        if !self.unknowns.contains(&u) {
            self.unknowns.push(u);
        }
    }

    fn learn(slot: &mut Known, value: &str, from: &str, why: &str) {
        if slot.is_none() && !value.is_empty() && !cfn::is_pseudo(value) {
            *slot = Some(Item {
                value: value.to_string(),
                from: from.to_string(),
                why: why.to_string(),
            });
        }
    }

    fn learn_scope(&mut self, arn: &str, from: &str, with_region: bool) {
        if let Some([partition, _, region, account, _]) = arn_parts(arn) {
            if catalog().partition(partition).is_some() {
                Self::learn(
                    &mut self.partition,
                    partition,
                    from,
                    "the partition of this ARN",
                );
            }
            if crate::validate::account(account).is_ok() {
                Self::learn(&mut self.account, account, from, "the account of this ARN");
            } else if !account.is_empty() && !cfn::is_pseudo(account) {
                let message = format!("has the account {account:?}, which is not 12 digits (a placeholder?): it is not taken for the configuration's account");
                if !self.unknowns.iter().any(|u| u.message == message) {
                    self.unknown(from, message);
                }
            }
            if with_region {
                self.learn_region(region, from, "the Region of this ARN");
            }
        }
    }

    /// A Region, if it is one of the partition's (a resource of another partition is refused
    /// where its value is read).
    fn learn_region(&mut self, region: &str, from: &str, why: &str) {
        if !region.is_empty() && crate::validate::region(region, self.partition()).is_ok() {
            Self::learn(&mut self.region, region, from, why);
        }
    }

    /// One IAM role named for two kinds (a task definition whose `taskRoleArn` and
    /// `executionRoleArn` are the same role, as many samples have it) stays two roles: the
    /// later loses the name, and a note says why.
    fn one_role_per_name(&mut self) {
        for i in 1..self.roles.len() {
            let Some(name) = &self.roles[i].name else {
                continue;
            };
            let Some(first) = self.roles[..i].iter().find(|r| {
                r.name
                    .as_ref()
                    .is_some_and(|n| n.value.eq_ignore_ascii_case(&name.value))
            }) else {
                continue;
            };
            let message = format!(
                "names {:?}, the {} of {}, as the {} too: one role for both gives each the other's permissions (the application could read every secret and image of the task); the configuration keeps them apart: give the {} a role of its own",
                name.value,
                first.kind.title.to_lowercase(),
                first.name.as_ref().map_or("", |n| n.from.as_str()),
                self.roles[i].kind.title.to_lowercase(),
                self.roles[i].kind.title.to_lowercase(),
            );
            let from = name.from.clone();
            self.roles[i].name = None;
            self.roles[i].path = None;
            self.unknowns.push(Unknown { from, message });
        }
    }

    fn partition(&self) -> Option<&str> {
        self.partition.as_ref().map(|p| p.value.as_str())
    }

    /// Whether a Region or account of a resource is the configuration's own (or the stack's,
    /// in a template).
    fn own(slot: &Known, v: &str) -> bool {
        cfn::is_pseudo(v) || slot.as_ref().is_some_and(|k| k.value == v)
    }

    fn role(
        &mut self,
        kind: &'static RoleKind,
        name: Option<Item>,
        path: Option<String>,
        from: &str,
        why: &str,
    ) -> usize {
        let same = |r: &RoleB| {
            r.kind.id == kind.id
                && r.name.as_ref().map(|n| &n.value) == name.as_ref().map(|n| &n.value)
        };
        if let Some(i) = self.roles.iter().position(same) {
            return i;
        }
        // A role first needed without a name and later named is the same role.
        if let Some(i) = self
            .roles
            .iter()
            .position(|r| r.kind.id == kind.id && (r.name.is_none() || name.is_none()))
        {
            if self.roles[i].name.is_none() {
                self.roles[i].name = name;
                self.roles[i].path = path;
            }
            return i;
        }
        self.roles.push(RoleB {
            kind,
            name,
            path,
            from: from.to_string(),
            why: why.to_string(),
            features: Vec::new(),
        });
        self.roles.len() - 1
    }

    fn feature(&mut self, role: usize, id: &str, from: &str, why: &str) -> usize {
        let feature = catalog().feature(id).expect("a feature of the catalogue");
        let features = &mut self.roles[role].features;
        if let Some(i) = features.iter().position(|f| f.feature.id == id) {
            return i;
        }
        features.push(FeatureB {
            feature,
            from: from.to_string(),
            why: why.to_string(),
            params: Vec::new(),
        });
        features.len() - 1
    }

    /// Adds a value to a parameter, once; a value the configuration would refuse is left out
    /// and said.
    fn add(&mut self, role: usize, id: &str, param: &str, value: &str, from: &str, why: &str) {
        let feature = catalog().feature(id).expect("a feature of the catalogue");
        let p = feature.param(param).expect("a parameter of the feature");
        if let Some(kind) = p.item {
            if let Err(e) = crate::validate::value(kind.info(), value, self.partition()) {
                self.unknown(
                    from,
                    format!("{} {e}; it is left out of {param} of {id}", quote(value)),
                );
                return;
            }
        }
        let f = self.feature(role, id, from, why);
        let item = Item {
            value: value.to_string(),
            from: from.to_string(),
            why: why.to_string(),
        };
        let params = &mut self.roles[role].features[f].params;
        let slot = match params.iter_mut().find(|(n, _)| *n == p.name) {
            Some((_, got)) => got,
            None => {
                params.push((
                    p.name,
                    match p.ty {
                        ParamType::List => Got::List(Vec::new()),
                        ParamType::Bool => Got::Bool(item.clone()),
                        _ => Got::One(item.clone()),
                    },
                ));
                &mut params.last_mut().expect("just pushed").1
            }
        };
        if let Got::List(items) = slot {
            if !items.iter().any(|i| i.value == item.value) {
                items.push(item);
            }
        }
    }

    fn flag(&mut self, role: usize, id: &str, param: &str, from: &str, why: &str) {
        self.add(role, id, param, "true", from, why);
    }

    /// Whether the role's feature holds a value of the list parameter.
    fn holds(&self, role: usize, id: &str, param: &str) -> bool {
        self.roles[role].features.iter().any(|f| {
            f.feature.id == id
                && f.params
                    .iter()
                    .any(|(n, g)| *n == param && matches!(g, Got::List(items) if !items.is_empty()))
        })
    }

    /// A value of a resource as the configuration holds it: the name where the ARN is of the
    /// configuration's own account and Region (or the stack's), else the ARN.
    fn resource(&self, kind: ValueKindId, s: &str) -> String {
        let info = kind.info();
        let Some([_, service, region, account, resource]) = arn_parts(s) else {
            return s.to_string();
        };
        let pseudo = [region, account].iter().any(|p| cfn::is_pseudo(p));
        if !pseudo || Some(service) != info.arn_service {
            return s.to_string();
        }
        let own = (region.is_empty() || Self::own(&self.region, region))
            && (account.is_empty() || Self::own(&self.account, account));
        let Some(prefix) = info
            .arn
            .and_then(|a| a.split_once("${Name}"))
            .map(|(head, _)| head)
        else {
            return s.to_string();
        };
        // The resource part of the template: after the fifth colon.
        let head = prefix.splitn(6, ':').nth(5).unwrap_or_default();
        match resource.strip_prefix(head) {
            Some(name) if own => {
                let trims = info.arn_trims.unwrap_or_default();
                if !trims.is_empty() && name.contains(trims) {
                    format!("{trims}{name}")
                } else {
                    name.to_string()
                }
            }
            _ => s.to_string(),
        }
    }

    /// A secret's or parameter's `valueFrom` on the feature it needs.
    fn secret(
        &mut self,
        role: usize,
        value: &str,
        from: &str,
        features: [(&str, &str); 2],
        why: &str,
    ) {
        let [(secret_feature, secret_param), (parameter_feature, parameter_param)] = features;
        let secret_kind = ValueKindId::Secret.info();
        let parameter_kind = ValueKindId::SsmParameter.info();
        if let Some([_, service, ..]) = arn_parts(value) {
            self.learn_scope(value, from, true);
            if Some(service) == secret_kind.arn_service {
                // arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key:stage:id]
                let fields: Vec<&str> = value.split(':').collect();
                let secret = fields[..fields.len().min(7)].join(":");
                let why = if fields.len() > 7 {
                    format!("{why}; the JSON key and version after the secret's ARN are not part of what IAM matches")
                } else {
                    why.to_string()
                };
                let v = self.resource(ValueKindId::Secret, &secret);
                self.add(role, secret_feature, secret_param, &v, from, &why);
            } else if Some(service) == parameter_kind.arn_service {
                let v = self.resource(ValueKindId::SsmParameter, value);
                self.add(role, parameter_feature, parameter_param, &v, from, why);
            } else {
                self.unknown(
                    from,
                    format!(
                        "{} is neither a Secrets Manager secret nor a Parameter Store parameter",
                        quote(value)
                    ),
                );
            }
        } else if crate::validate::secret_reference(value).is_some() {
            self.add(role, secret_feature, secret_param, value, from, why);
        } else {
            let why =
                format!("{why}; a name is a Parameter Store parameter of the task's own Region");
            self.add(role, parameter_feature, parameter_param, value, from, &why);
        }
    }

    fn finish(mut self, source: &'static str) -> Result<Import, ConfigError> {
        self.kms_unknowns();
        self.one_role_per_name();
        let mut derivations = Vec::new();
        let mut config = Map::new();
        for (key, slot) in [
            ("partition", &self.partition),
            ("region", &self.region),
            ("account", &self.account),
        ] {
            if let Some(item) = slot {
                config.insert(key.into(), item.value.as_str().into());
                derivations.push(Derivation {
                    path: key.into(),
                    from: item.from.clone(),
                    why: item.why.clone(),
                });
            }
        }
        if self.account.is_none() {
            self.unknowns.push(Unknown {
                from: String::new(),
                message: "the account is not in the file: the renderings use a placeholder for it; set account for exact ARNs".into(),
            });
        }
        let mut roles = Vec::new();
        for (r, role) in self.roles.iter().enumerate() {
            let at = format!("roles[{r}]");
            derivations.push(Derivation {
                path: at.clone(),
                from: role.from.clone(),
                why: role.why.clone(),
            });
            let mut m = Map::new();
            m.insert("kind".into(), role.kind.id.into());
            if let Some(name) = &role.name {
                m.insert("name".into(), name.value.as_str().into());
                derivations.push(Derivation {
                    path: format!("{at}.name"),
                    from: name.from.clone(),
                    why: name.why.clone(),
                });
            }
            if let Some(path) = &role.path {
                m.insert("path".into(), path.as_str().into());
            }
            let mut features = Vec::new();
            for (f, feature) in role.features.iter().enumerate() {
                let fat = format!("{at}.features[{f}]");
                derivations.push(Derivation {
                    path: fat.clone(),
                    from: feature.from.clone(),
                    why: feature.why.clone(),
                });
                let mut fm = Map::new();
                fm.insert("id".into(), feature.feature.id.into());
                // In the catalogue's order of parameters, as the canonical JSON writes them.
                for p in feature.feature.params {
                    let Some((_, got)) = feature.params.iter().find(|(n, _)| *n == p.name) else {
                        continue;
                    };
                    let pat = format!("{fat}.{}", p.name);
                    match got {
                        Got::List(items) => {
                            fm.insert(
                                p.name.into(),
                                Value::Array(
                                    items.iter().map(|i| i.value.as_str().into()).collect(),
                                ),
                            );
                            for (i, item) in items.iter().enumerate() {
                                derivations.push(Derivation {
                                    path: format!("{pat}[{i}]"),
                                    from: item.from.clone(),
                                    why: item.why.clone(),
                                });
                            }
                        }
                        Got::Bool(item) | Got::One(item) => {
                            let v = if matches!(got, Got::Bool(_)) {
                                Value::Bool(true)
                            } else {
                                item.value.as_str().into()
                            };
                            fm.insert(p.name.into(), v);
                            derivations.push(Derivation {
                                path: pat,
                                from: item.from.clone(),
                                why: item.why.clone(),
                            });
                        }
                    }
                }
                features.push(Value::Object(fm));
            }
            m.insert("features".into(), Value::Array(features));
            roles.push(Value::Object(m));
        }
        if roles.is_empty() {
            return Err(ConfigError::new(
                "",
                "needs no IAM role that the file shows: no executionRoleArn or taskRoleArn, and no image, log, secret or volume that needs one".into(),
            ));
        }
        config.insert("roles".into(), Value::Array(roles));
        let config = Value::Object(config);
        // What the configuration parser accepts, or the importer is wrong: say where.
        let parsed = Config::from_value(&config).map_err(|e| {
            ConfigError::new(
                &e.path,
                format!("{} (in the configuration derived from the file)", e.message),
            )
        })?;
        Ok(Import {
            source,
            config: parsed.to_value(),
            derivations,
            unknowns: self.unknowns,
        })
    }
}

/// Where a role named by a task definition (or a service) comes from.
fn role_name(text: &str, from: &str) -> (Option<Item>, Option<String>) {
    let (name, path) = match arn_parts(text) {
        Some([.., resource]) => match resource.strip_prefix("role/") {
            Some(rest) => match rest.rsplit_once('/') {
                Some((path, name)) => (name, Some(format!("/{path}/"))),
                None => (rest, None),
            },
            None => return (None, None),
        },
        None => (text, None),
    };
    if name.is_empty() || crate::validate::iam_name(name, 64).is_err() {
        return (None, None);
    }
    (
        Some(Item {
            value: name.to_string(),
            from: from.to_string(),
            why: "the role the task definition names".into(),
        }),
        path,
    )
}

impl Builder {
    /// The roles and features of one task definition.
    fn task_definition(&mut self, td: &TaskDef<'_>, resolver: &Resolver<'_>) -> Option<usize> {
        let kinds = catalog();
        let exec_kind = kinds
            .role_kinds
            .iter()
            .find(|k| k.task_definition_field == Some("executionRoleArn"));
        let task_kind = kinds
            .role_kinds
            .iter()
            .find(|k| k.task_definition_field == Some("taskRoleArn"));
        let (Some(exec_kind), Some(task_kind)) = (exec_kind, task_kind) else {
            return None;
        };
        // The scope, from the task definition's own ARN and its roles' first.
        if let Some((from, v)) = td.field("taskDefinitionArn") {
            if let Some(t) = resolver.text(v).known() {
                self.learn_scope(&t, &from, true);
            }
        }
        let named = |b: &mut Builder,
                     kind: &'static RoleKind|
         -> Option<(Option<Item>, Option<String>, String)> {
            let field = kind.task_definition_field?;
            let (from, v) = td.field(field)?;
            match resolver.text(v) {
                Text::Known(t) => {
                    b.learn_scope(&t, &from, false);
                    let (name, path) = role_name(&t, &from);
                    Some((name, path, from))
                }
                Text::Role(name) => Some((
                    name.map(|n| Item {
                        value: n,
                        from: from.clone(),
                        why: "the RoleName of the template's role".into(),
                    }),
                    None,
                    from,
                )),
                Text::Unknown(why) | Text::Partial(_, why) => {
                    b.unknown(
                        &from,
                        format!(
                            "names the role by {why}: set the role's name in the configuration"
                        ),
                    );
                    Some((None, None, from))
                }
            }
        };
        let exec_named = named(self, exec_kind);
        let task_named = named(self, task_kind);
        // Compatibilities: which capacity, and the roles it needs.
        let mut compat: Vec<&'static crate::catalog::Compatibility> = Vec::new();
        let compat_from = td.field("requiresCompatibilities");
        if let Some((from, Value::Array(values))) = &compat_from {
            for (i, v) in values.iter().enumerate() {
                let from = format!("{from}[{i}]");
                match resolver.text(v).known() {
                    Some(t) => match kinds
                        .compatibilities
                        .iter()
                        .find(|c| c.id.eq_ignore_ascii_case(&t))
                    {
                        Some(c) => compat.push(c),
                        None => self.unknown(
                            &from,
                            format!("{} is not a compatibility ECS knows", quote(&t)),
                        ),
                    },
                    None => self.unknown(&from, "is not a known value".into()),
                }
            }
        }
        let ec2_only = !compat.is_empty() && compat.iter().all(|c| c.id == "EC2");
        // Scope from the containers: awslogs Region, ECR images, secret ARNs.
        self.scan_scope(td, resolver);

        let exec_role = exec_named.as_ref().map(|(name, path, from)| {
            self.role(exec_kind, name.clone(), path.clone(), from, "the task definition's execution role: ECS pulls images, sends logs and reads secrets with it")
        });
        let task_role = task_named.as_ref().map(|(name, path, from)| {
            self.role(
                task_kind,
                name.clone(),
                path.clone(),
                from,
                "the task definition's task role: the containers call AWS with it",
            )
        });
        let mut ctx = Ctx {
            td,
            resolver,
            exec_kind,
            task_kind,
            exec_role,
            task_role,
            ec2_only,
        };
        for (c, container) in td.containers.iter().enumerate() {
            let Value::Object(def) = container else {
                self.unknown(
                    &format!("{}[{c}]", td.containers_key),
                    "is not an object".into(),
                );
                continue;
            };
            let at = if td.containers_key.is_empty() {
                format!("[{c}]")
            } else {
                format!("{}[{c}]", td.containers_key)
            };
            self.container(&mut ctx, def, &at);
        }
        self.volumes(&mut ctx);
        for c in compat {
            let from = compat_from
                .as_ref()
                .map(|(f, _)| f.as_str())
                .unwrap_or_default();
            let why = format!("requiresCompatibilities {}: {}", c.id, c.why);
            for id in c.role_kinds {
                let Some(kind) = kinds.role_kind(id) else {
                    continue;
                };
                let r = self.role(kind, None, None, from, &why);
                if kind.task_definition_field.is_none() && kind.id != "infrastructure" {
                    continue;
                }
                for f in c.infrastructure_features {
                    self.feature(r, f, from, &why);
                }
            }
        }
        if compat_from.is_none() && td.fields.is_some() {
            self.unknown(
                "",
                "the task definition sets no requiresCompatibilities, so ECS takes it for EC2: the container instances need the container instance role (add a container-instance role), or set FARGATE".into(),
            );
        }
        if ctx.task_role.is_some() {
            let from = task_named
                .as_ref()
                .map(|(_, _, f)| f.clone())
                .unwrap_or_default();
            self.unknown(
                &from,
                "what the application itself calls with the task role (S3, DynamoDB, SQS, ...) is not in the task definition: add it to the task role as custom statements".into(),
            );
        }
        ctx.task_role
    }

    fn scan_scope(&mut self, td: &TaskDef<'_>, resolver: &Resolver<'_>) {
        for (c, container) in td.containers.iter().enumerate() {
            let Value::Object(def) = container else {
                continue;
            };
            let at = format!("{}[{c}]", td.containers_key);
            if let Some((k, log)) = get(def, "logConfiguration") {
                if let Some((ok, Value::Object(options))) =
                    log.as_object().and_then(|l| get(l, "options"))
                {
                    if let Some((rk, v)) = get(options, "awslogs-region") {
                        if let Some(t) = resolver.text(v).known() {
                            let from = format!("{at}.{k}.{ok}.{rk}");
                            self.learn_region(&t, &from, "the Region of the awslogs log driver");
                        }
                    }
                }
            }
            if let Some((k, v)) = get(def, "image") {
                if let Some(image) = ecr_image(&resolver.text(v).or_markers()) {
                    let from = format!("{at}.{k}");
                    if let Some(p) = image.partition {
                        Self::learn(
                            &mut self.partition,
                            p,
                            &from,
                            "the partition of the image's ECR registry",
                        );
                    }
                    self.learn_region(
                        &image.region,
                        &from,
                        "the Region of the image's ECR registry",
                    );
                }
            }
        }
    }
}

impl Builder {
    /// The task definitions of a template, then what its services add (ECS Exec, the
    /// infrastructure roles they name).
    fn template(
        &mut self,
        m: &Map<String, Value>,
        resources: &Map<String, Value>,
    ) -> Result<(), ConfigError> {
        let parameters = get(m, "Parameters").and_then(|(_, p)| p.as_object());
        let resolver = Resolver::Template {
            parameters,
            resources,
        };
        let of_type = |ty: &'static str| {
            resources.iter().filter_map(move |(id, r)| {
                let r = r.as_object()?;
                (r.get("Type")?.as_str()? == ty).then_some((id, r))
            })
        };
        let mut task_roles: Vec<(&str, Option<usize>)> = Vec::new();
        for (id, r) in of_type("AWS::ECS::TaskDefinition") {
            let at = format!("Resources.{id}.Properties.");
            let Some((_, Value::Object(props))) = get(r, "Properties") else {
                self.unknown(&format!("Resources.{id}"), "has no Properties".into());
                continue;
            };
            let task = self.task_definition(&TaskDef::new(props, &at), &resolver);
            task_roles.push((id.as_str(), task));
        }
        if task_roles.is_empty() {
            return Err(ConfigError::new(
                "Resources",
                "holds no AWS::ECS::TaskDefinition: a template to import defines the task definition".into(),
            ));
        }
        let infrastructure = catalog().role_kind("infrastructure");
        for (id, r) in of_type("AWS::ECS::Service") {
            let Some((_, Value::Object(props))) = get(r, "Properties") else {
                continue;
            };
            let at = format!("Resources.{id}.Properties");
            if let Some((k, _)) = get(props, "Role") {
                self.unknown(
                    &format!("{at}.{k}"),
                    "names a service role for the load balancer: without it ECS uses its service-linked role, AWSServiceRoleForECS, which AWS creates and keeps up to date; the builder renders no such role, so remove Role to use the service-linked one".into(),
                );
            }
            if let Some((k, v)) = get(props, "EnableExecuteCommand") {
                let on = v.as_bool() == Some(true)
                    || resolver
                        .text(v)
                        .known()
                        .is_some_and(|t| t.eq_ignore_ascii_case("true"));
                if on {
                    let from = format!("{at}.{k}");
                    // The task role of the service's task definition, or of every one.
                    let target = get(props, "TaskDefinition")
                        .and_then(|(_, v)| v.as_object())
                        .and_then(|o| o.get("Ref"))
                        .and_then(Value::as_str);
                    let roles: Vec<Option<usize>> = task_roles
                        .iter()
                        .filter(|(td, _)| target.is_none_or(|t| t == *td))
                        .map(|(_, r)| *r)
                        .collect();
                    let kind = catalog().role_kind("task");
                    for r in roles {
                        let r = match (r, kind) {
                            (Some(r), _) => r,
                            (None, Some(kind)) => {
                                self.unknown(&from, "needs the task role, and the task definition names none: add TaskRoleArn to the task definition".into());
                                self.role(
                                    kind,
                                    None,
                                    None,
                                    &from,
                                    "ECS Exec runs the SSM agent in the task with the task role",
                                )
                            }
                            (None, None) => continue,
                        };
                        self.feature(r, "exec", &from, "the service enables ECS Exec: the SSM agent in the task opens its channels with the task role");
                    }
                }
            }
            let Some(infrastructure) = infrastructure else {
                continue;
            };
            // The infrastructure role a service names, with the feature it is named for.
            let named: [(&str, &[&str], &str, &str); 4] = [
                ("VolumeConfigurations", &["ManagedEBSVolume", "RoleArn"], "ebs", "the service's Amazon EBS volume: ECS creates and attaches it with this role"),
                ("ServiceConnectConfiguration", &["Services", "Tls", "RoleArn"], "service-connect-tls", "Service Connect TLS: ECS gets the certificates from AWS Private CA with this role"),
                ("LoadBalancers", &["AdvancedConfiguration", "RoleArn"], "load-balancers", "the service's blue/green deployment: ECS moves traffic between the target groups with this role"),
                ("VpcLatticeConfigurations", &["RoleArn"], "vpc-lattice", "the service's VPC Lattice target groups: ECS registers the tasks with this role"),
            ];
            for (key, path, feature, why) in named {
                let Some((k, v)) = get(props, key) else {
                    continue;
                };
                let mut found = Vec::new();
                role_arns(v, path, &format!("{at}.{k}"), &mut found);
                for (from, v) in found {
                    let (name, role_path) = match resolver.text(v) {
                        Text::Known(t) => role_name(&t, &from),
                        Text::Role(n) => (
                            n.map(|n| Item {
                                value: n,
                                from: from.clone(),
                                why: "the RoleName of the template's role".into(),
                            }),
                            None,
                        ),
                        _ => (None, None),
                    };
                    let r = self.role(
                        infrastructure,
                        name,
                        role_path,
                        &from,
                        "the infrastructure role the service names",
                    );
                    self.feature(r, feature, &from, why);
                }
            }
        }
        Ok(())
    }
}

/// The values at a path of keys under a value, through lists (`Services[].Tls.RoleArn`).
fn role_arns<'a>(v: &'a Value, path: &[&str], at: &str, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                role_arns(item, path, &format!("{at}[{i}]"), out);
            }
        }
        Value::Object(m) => match path.split_first() {
            Some((key, rest)) => {
                if let Some((k, v)) = get(m, key) {
                    role_arns(v, rest, &format!("{at}.{k}"), out);
                }
            }
            None => out.push((at.to_string(), v)),
        },
        _ if path.is_empty() => out.push((at.to_string(), v)),
        _ => {}
    }
}

/// What one task definition's walk needs to know.
struct Ctx<'a, 'b> {
    td: &'b TaskDef<'a>,
    resolver: &'b Resolver<'a>,
    exec_kind: &'static RoleKind,
    task_kind: &'static RoleKind,
    exec_role: Option<usize>,
    task_role: Option<usize>,
    ec2_only: bool,
}

/// A private ECR image: registry account, Region and repository.
struct EcrImage {
    account: String,
    region: String,
    partition: Option<&'static str>,
    repository: String,
}

/// The ECR registry and repository of an image URI, by each partition's registry host.
fn ecr_image(image: &str) -> Option<EcrImage> {
    let (host, rest) = image.split_once('/')?;
    for p in catalog().partitions {
        let (head, tail) = p.ecr_registry.split_once("${Account}")?;
        let (middle, suffix) = tail.split_once("${Region}")?;
        let Some(host) = host.strip_prefix(head) else {
            continue;
        };
        let Some((account, after)) = host.split_once(middle) else {
            continue;
        };
        let (region, partition) = if let Some(region) = after.strip_suffix(suffix) {
            (region, Some(p.id))
        } else if let Some((region, _)) = after.split_once('.').filter(|(_, s)| cfn::is_pseudo(s)) {
            // `.${AWS::URLSuffix}`: the stack's own partition.
            (region, None)
        } else {
            continue;
        };
        if region.contains('.') {
            continue;
        }
        // REPOSITORY[:TAG][@DIGEST]: the tag is after the last colon of the last segment.
        let repo = rest.split('@').next().unwrap_or(rest);
        let repo = match repo.rsplit_once(':') {
            Some((r, tag)) if !tag.contains('/') => r,
            _ => repo,
        };
        return Some(EcrImage {
            account: account.to_string(),
            region: region.to_string(),
            partition,
            repository: repo.to_string(),
        });
    }
    None
}

impl Builder {
    /// The execution role, made when first needed; on EC2 without one, the container
    /// instance role does what it would (for ECR and logs).
    fn exec_role(&mut self, ctx: &mut Ctx<'_, '_>, from: &str, agent_can: bool) -> usize {
        if let Some(r) = ctx.exec_role {
            return r;
        }
        if agent_can && ctx.ec2_only {
            if let Some(kind) = catalog().role_kind("container-instance") {
                return self.role(
                    kind,
                    None,
                    None,
                    from,
                    "the task definition names no executionRoleArn and runs on EC2: the container agent pulls images and sends logs with the container instance role",
                );
            }
        }
        let r = self.role(
            ctx.exec_kind,
            None,
            None,
            from,
            "ECS needs an execution role for this; the task definition names none",
        );
        self.unknown(
            from,
            "needs the task execution role, and the task definition names none: add executionRoleArn (the role's ARN) to the task definition".into(),
        );
        ctx.exec_role = Some(r);
        r
    }

    fn task_role(&mut self, ctx: &mut Ctx<'_, '_>, from: &str) -> usize {
        if let Some(r) = ctx.task_role {
            return r;
        }
        let r = self.role(
            ctx.task_kind,
            None,
            None,
            from,
            "the containers need a task role for this; the task definition names none",
        );
        self.unknown(
            from,
            "needs the task role, and the task definition names none: add taskRoleArn (the role's ARN) to the task definition".into(),
        );
        ctx.task_role = Some(r);
        r
    }

    fn container(&mut self, ctx: &mut Ctx<'_, '_>, def: &Map<String, Value>, at: &str) {
        let resolver = ctx.resolver;
        // The image: ECR, a sidecar that needs the task role.
        if let Some((k, v)) = get(def, "image") {
            let from = format!("{at}.{k}");
            let text = resolver.text(v);
            let image = text.or_markers();
            if let Some(ecr) = ecr_image(&image) {
                if ecr.repository.contains("${") {
                    self.unknown(&from, "names its ECR repository by a value the template does not give: add the repository to ecr-pull".into());
                } else {
                    // The stack's own account or Region (a template's pseudo parameters) is
                    // the configuration's.
                    let own = Self::own(&self.account, &ecr.account)
                        && Self::own(&self.region, &ecr.region)
                        || cfn::is_pseudo(&ecr.account)
                        || cfn::is_pseudo(&ecr.region);
                    let value = if own {
                        ecr.repository.clone()
                    } else {
                        let template = ValueKindId::EcrRepository.info().arn.unwrap_or_default();
                        let partition = ecr.partition.or(self.partition()).unwrap_or_default();
                        template
                            .replace("${Partition}", partition)
                            .replace("${Region}", &ecr.region)
                            .replace("${Account}", &ecr.account)
                            .replace("${Name}", &ecr.repository)
                    };
                    let why = if own {
                        "the container's image is in this ECR repository".to_string()
                    } else {
                        format!("the container's image is in ECR of account {} in {}: the repository's own policy must also allow the pull", ecr.account, ecr.region)
                    };
                    let r = self.exec_role(ctx, &from, true);
                    self.add(r, "ecr-pull", "repositories", &value, &from, &why);
                }
            } else if let Text::Unknown(why) = &text {
                self.unknown(
                    &from,
                    format!("is {why}: if the image is in ECR, add its repository to ecr-pull"),
                );
            }
            for s in catalog().sidecar_images {
                let repository = image.rsplit('/').next().unwrap_or_default();
                if repository.contains(s.contains) {
                    let r = self.task_role(ctx, &from);
                    self.feature(r, s.feature, &from, s.why);
                }
            }
        }
        // Secrets of the container.
        if let Some((k, Value::Array(secrets))) = get(def, "secrets") {
            for (i, s) in secrets.iter().enumerate() {
                let Some((vk, v)) = s.as_object().and_then(|m| get(m, "valueFrom")) else {
                    continue;
                };
                let from = format!("{at}.{k}[{i}].{vk}");
                match resolver.text(v) {
                    Text::Known(t) => {
                        let r = self.exec_role(ctx, &from, false);
                        self.secret(r, &t, &from, [("secrets-manager", "secrets"), ("ssm-parameters", "parameters")], "ECS reads this secret into the container's environment when the task starts");
                    }
                    other => self.unresolved(&from, &other, "secrets-manager or ssm-parameters"),
                }
            }
        }
        // Private registry credentials.
        if let Some((k, Value::Object(creds))) = get(def, "repositoryCredentials") {
            if let Some((pk, v)) = get(creds, "credentialsParameter") {
                let from = format!("{at}.{k}.{pk}");
                match resolver.text(v) {
                    Text::Known(t) => {
                        let r = self.exec_role(ctx, &from, false);
                        self.secret(r, &t, &from, [("private-registry", "secrets"), ("private-registry", "secrets")], "ECS reads the registry's credentials from this secret to pull the image");
                    }
                    other => self.unresolved(&from, &other, "private-registry"),
                }
            }
        }
        // Environment files in S3.
        if let Some((k, Value::Array(files))) = get(def, "environmentFiles") {
            for (i, f) in files.iter().enumerate() {
                let Some((vk, v)) = f.as_object().and_then(|m| get(m, "value")) else {
                    continue;
                };
                let from = format!("{at}.{k}[{i}].{vk}");
                match resolver.text(v) {
                    Text::Known(t) => {
                        let r = self.exec_role(ctx, &from, false);
                        self.add(
                            r,
                            "s3-environment-files",
                            "objects",
                            &t,
                            &from,
                            "ECS reads this environment file from S3 when the task starts",
                        );
                        self.unknown(&from, "the account that owns the bucket is not in the task definition: set bucketOwner of s3-environment-files, so that a bucket of the same name in another account is never read".into());
                    }
                    other => self.unresolved(&from, &other, "s3-environment-files"),
                }
            }
        }
        // gMSA credential specs.
        if let Some((k, Value::Array(specs))) = get(def, "credentialSpecs") {
            for (i, s) in specs.iter().enumerate() {
                let from = format!("{at}.{k}[{i}]");
                let Some(t) = resolver.text(s).known() else {
                    continue;
                };
                let Some((_, arn)) = t.split_once(':') else {
                    continue;
                };
                let r = self.exec_role(ctx, &from, false);
                let why = "ECS reads the gMSA credential spec when the task starts";
                match arn_parts(arn).map(|p| p[1]) {
                    Some(service)
                        if Some(service) == ValueKindId::SsmParameter.info().arn_service =>
                    {
                        self.add(r, "gmsa", "credentialSpecParameters", arn, &from, why);
                    }
                    _ => self.add(r, "gmsa", "credentialSpecs", arn, &from, why),
                }
                if t.starts_with("credentialspecdomainless") {
                    self.unknown(&from, "domainless gMSA reads the domain user from a secret (the credential spec's HostAccountConfig): add it to secrets of gmsa".into());
                }
            }
        }
        self.log_configuration(ctx, def, at);
        if let Some((k, Value::Object(firelens))) = get(def, "firelensConfiguration") {
            if let Some((ok, Value::Object(options))) = get(firelens, "options") {
                let kind =
                    get(options, "config-file-type").and_then(|(_, v)| resolver.text(v).known());
                if let (Some(kind), Some((vk, v))) = (kind, get(options, "config-file-value")) {
                    let from = format!("{at}.{k}.{ok}.{vk}");
                    if kind == "s3" {
                        if let Some(t) = resolver.text(v).known() {
                            let r = self.exec_role(ctx, &from, false);
                            self.add(r, "s3-environment-files", "objects", &t, &from, "ECS reads the log router's configuration file from S3 when the task starts");
                        }
                    }
                    self.unknown(&from, "the log router's configuration file may send logs to outputs that the task definition does not show: add them to firelens".into());
                }
            }
        }
    }

    fn unresolved(&mut self, from: &str, text: &Text, feature: &str) {
        match text {
            Text::Unknown(why) => self.unknown(from, format!("is {why}: add its value to {feature}")),
            Text::Partial(t, why) => self.unknown(
                from,
                format!("is {} with a part the template does not decide ({why}): add its value to {feature}", quote(t)),
            ),
            Text::Known(_) | Text::Role(_) => {}
        }
    }

    fn log_configuration(&mut self, ctx: &mut Ctx<'_, '_>, def: &Map<String, Value>, at: &str) {
        let resolver = ctx.resolver;
        let Some((k, Value::Object(log))) = get(def, "logConfiguration") else {
            return;
        };
        let at = format!("{at}.{k}");
        let driver = get(log, "logDriver")
            .and_then(|(_, v)| resolver.text(v).known())
            .unwrap_or_default();
        if let Some((sk, Value::Array(secrets))) = get(log, "secretOptions") {
            for (i, s) in secrets.iter().enumerate() {
                let Some((vk, v)) = s.as_object().and_then(|m| get(m, "valueFrom")) else {
                    continue;
                };
                let from = format!("{at}.{sk}[{i}].{vk}");
                match resolver.text(v) {
                    Text::Known(t) => {
                        let r = self.exec_role(ctx, &from, false);
                        self.secret(r, &t, &from, [("secrets-manager", "secrets"), ("ssm-parameters", "parameters")], "ECS reads this secret into the log driver's options when the task starts");
                    }
                    other => self.unresolved(&from, &other, "secrets-manager or ssm-parameters"),
                }
            }
        }
        let Some((ok, Value::Object(options))) = get(log, "options") else {
            return;
        };
        let opt = |key: &str| {
            get(options, key).map(|(k, v)| (format!("{at}.{ok}.{k}"), resolver.text(v)))
        };
        match driver.as_str() {
            "awslogs" => {
                let Some((from, group)) = opt("awslogs-group") else {
                    self.unknown(
                        &at,
                        "uses the awslogs driver without awslogs-group, which ECS requires".into(),
                    );
                    return;
                };
                let Some(group) = group.known() else {
                    self.unresolved(&from, &group, "logs");
                    return;
                };
                let r = self.exec_role(ctx, &from, true);
                let region = opt("awslogs-region").and_then(|(_, t)| t.known());
                let value = match (&region, &self.account) {
                    (Some(region), Some(account)) if !Self::own(&self.region, region) => {
                        let template = ValueKindId::LogGroup.info().arn.unwrap_or_default();
                        template
                            .replace("${Partition}", self.partition().unwrap_or("aws"))
                            .replace("${Region}", region)
                            .replace("${Account}", &account.value)
                            .replace("${Name}", &group)
                    }
                    _ => group.clone(),
                };
                self.add(
                    r,
                    "logs",
                    "logGroups",
                    &value,
                    &from,
                    "the awslogs log driver sends the container's output to this log group",
                );
                if let Some((cf, create)) = opt("awslogs-create-group") {
                    let on = create
                        .known()
                        .is_some_and(|t| t.eq_ignore_ascii_case("true"));
                    // Creating a log group the file does not name would be allowed on every
                    // log group: said, not granted.
                    if on && !self.holds(r, "logs", "logGroups") {
                        self.unknown(&cf, UNNAMED_GROUP.into());
                    } else if on {
                        self.flag(
                            r,
                            "logs",
                            "createGroup",
                            &cf,
                            "awslogs-create-group is true: the driver creates the log group",
                        );
                    }
                }
            }
            "awsfirelens" => {
                let name = opt("Name").and_then(|(_, t)| t.known()).unwrap_or_default();
                let plugin = name.to_ascii_lowercase();
                let outputs: &[(&str, &[&str], &str)] = &[
                    (
                        "log_group_name",
                        &["cloudwatch", "cloudwatch_logs"],
                        "logGroups",
                    ),
                    (
                        "delivery_stream",
                        &["firehose", "kinesis_firehose"],
                        "deliveryStreams",
                    ),
                    ("stream", &["kinesis", "kinesis_streams"], "streams"),
                    ("bucket", &["s3"], "buckets"),
                ];
                for (key, plugins, param) in outputs {
                    if !plugins.contains(&plugin.as_str()) {
                        continue;
                    }
                    let Some((from, v)) = opt(key) else { continue };
                    let Some(t) = v.known() else {
                        self.unresolved(&from, &v, "firelens");
                        continue;
                    };
                    // Fluent Bit's record accessors ($(ecs_task_id)) stand for any text.
                    let mut value = fluent_bit_wildcards(&t);
                    let r = self.task_role(ctx, &from);
                    let why = format!("the log router's {name} output sends the container's logs here with the task role");
                    // A name that takes a wildcard only at its end (a log group's) is granted
                    // up to the first record accessor: the narrowest pattern it can hold.
                    let kind = catalog()
                        .feature("firelens")
                        .and_then(|f| f.param(param))
                        .and_then(|p| p.item);
                    if let (Some(i), Some(kind)) = (value.find('*'), kind) {
                        let head = &value[..=i];
                        if head.len() < value.len()
                            && crate::validate::value(kind.info(), &value, self.partition())
                                .is_err()
                            && crate::validate::value(kind.info(), head, self.partition()).is_ok()
                        {
                            self.unknown(
                                &from,
                                format!(
                                    "{} is known only when the task runs (Fluent Bit fills in its $(...) record accessors): {param} of firelens takes {}, the narrowest pattern such a name can hold; name the groups if you know them",
                                    quote(&t),
                                    quote(head)
                                ),
                            );
                            value = head.to_string();
                        }
                    }
                    self.add(r, "firelens", param, &value, &from, &why);
                    // Creating or keeping a log group the output does not name would be a
                    // grant on every log group.
                    let asks = opt("auto_create_group")
                        .and_then(|(cf, v)| {
                            v.known()
                                .filter(|t| t.eq_ignore_ascii_case("true"))
                                .map(|_| cf)
                        })
                        .or_else(|| opt("log_retention_days").map(|(rf, _)| rf));
                    if *param == "logGroups" && !self.holds(r, "firelens", "logGroups") {
                        if let Some(at) = asks {
                            self.unknown(&at, UNNAMED_GROUP.into());
                        }
                    } else if *param == "logGroups" {
                        if let Some((cf, create)) = opt("auto_create_group") {
                            if create
                                .known()
                                .is_some_and(|t| t.eq_ignore_ascii_case("true"))
                            {
                                self.flag(
                                    r,
                                    "firelens",
                                    "createLogGroup",
                                    &cf,
                                    "auto_create_group is true: the output creates the log group",
                                );
                            }
                        }
                        if let Some((rf, _)) = opt("log_retention_days") {
                            self.flag(
                                r,
                                "firelens",
                                "retention",
                                &rf,
                                "log_retention_days is set: the output sets the group's retention",
                            );
                        }
                    }
                    if let Some((rf, _)) = opt("role_arn") {
                        self.unknown(&rf, "the output assumes another role (role_arn): the task role needs sts:AssumeRole on it, and that role the output's permissions; add them as custom statements".into());
                    }
                }
            }
            _ => {}
        }
    }

    fn volumes(&mut self, ctx: &mut Ctx<'_, '_>) {
        let resolver = ctx.resolver;
        let Some((vk, Value::Array(volumes))) = ctx.td.field("volumes") else {
            return;
        };
        for (i, vol) in volumes.iter().enumerate() {
            let Value::Object(vol) = vol else { continue };
            let at = format!("{vk}[{i}]");
            let vol_name = get(vol, "name")
                .and_then(|(_, v)| resolver.text(v).known())
                .unwrap_or_default();
            if let Some((ck, v)) = get(vol, "configuredAtLaunch") {
                if v.as_bool() == Some(true)
                    || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"))
                {
                    let from = format!("{at}.{ck}");
                    if let Some(kind) = catalog().role_kind("infrastructure") {
                        let why = "an Amazon EBS volume configured at launch: ECS creates and attaches it with the infrastructure role";
                        let r = self.role(kind, None, None, &from, why);
                        self.feature(r, "ebs", &from, why);
                    }
                }
            }
            if let Some((ek, Value::Object(efs))) = get(vol, "efsVolumeConfiguration") {
                let at = format!("{at}.{ek}");
                let auth =
                    get(efs, "authorizationConfig").and_then(|(k, v)| Some((k, v.as_object()?)));
                let iam = auth
                    .and_then(|(_, a)| get(a, "iam"))
                    .and_then(|(_, v)| resolver.text(v).known())
                    .is_some_and(|t| t.eq_ignore_ascii_case("ENABLED"));
                if !iam {
                    continue;
                }
                let (ak, auth) = auth.expect("iam is in it");
                let from = format!("{at}.{ak}.{}", get(auth, "iam").map_or("iam", |(k, _)| k));
                let r = self.task_role(ctx, &from);
                let why =
                    "the EFS volume uses IAM authorization: the task mounts it with the task role";
                self.feature(r, "efs", &from, why);
                if let Some((fk, v)) = get(efs, "fileSystemId") {
                    let ff = format!("{at}.{fk}");
                    match resolver.text(v) {
                        Text::Known(t) => {
                            self.add(r, "efs", "fileSystems", &t, &ff, "the volume's file system");
                        }
                        other => self.unresolved(
                            &ff,
                            &other,
                            "fileSystems of efs (without it, every file system is allowed)",
                        ),
                    }
                }
                match get(auth, "accessPointId") {
                    Some((pk, v)) => {
                        let pf = format!("{at}.{ak}.{pk}");
                        match resolver.text(v) {
                            Text::Known(t) => self.add(r, "efs", "accessPoints", &t, &pf, "the volume mounts through this access point"),
                            other => self.unresolved(&pf, &other, "accessPoints of efs"),
                        }
                    }
                    None => self.unknown(&from, "mounts without an access point: if the containers must write as root, set root of efs (IAM authorization squashes root otherwise)".into()),
                }
                // Writes unless every container mounts the volume read-only.
                let mut mounted = false;
                let mut writes = None;
                for (c, container) in ctx.td.containers.iter().enumerate() {
                    let Some((mk, Value::Array(mounts))) =
                        container.as_object().and_then(|d| get(d, "mountPoints"))
                    else {
                        continue;
                    };
                    for (m, mount) in mounts.iter().enumerate() {
                        let Some(mount) = mount.as_object() else {
                            continue;
                        };
                        let source =
                            get(mount, "sourceVolume").and_then(|(_, v)| resolver.text(v).known());
                        if source.as_deref() != Some(vol_name.as_str()) {
                            continue;
                        }
                        mounted = true;
                        let read_only = get(mount, "readOnly").is_some_and(|(_, v)| {
                            v.as_bool() == Some(true)
                                || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"))
                        });
                        if !read_only && writes.is_none() {
                            writes = Some(format!("{}[{c}].{mk}[{m}]", ctx.td.containers_key));
                        }
                    }
                }
                if let Some(wf) = writes {
                    self.flag(
                        r,
                        "efs",
                        "write",
                        &wf,
                        "a container mounts the volume without readOnly: the task writes to it",
                    );
                } else if !mounted {
                    self.unknown(&from, "no container mounts this volume".into());
                }
            }
            if let Some((fk, Value::Object(fsx))) =
                get(vol, "fsxWindowsFileServerVolumeConfiguration")
            {
                let at = format!("{at}.{fk}");
                let Some((ak, Value::Object(auth))) = get(fsx, "authorizationConfig") else {
                    continue;
                };
                let Some((ck, v)) = get(auth, "credentialsParameter") else {
                    continue;
                };
                let from = format!("{at}.{ak}.{ck}");
                match resolver.text(v) {
                    Text::Known(t) => {
                        let r = self.exec_role(ctx, &from, false);
                        self.secret(r, &t, &from, [("fsx-windows", "secrets"), ("fsx-windows", "parameters")], "ECS reads the domain user of the FSx for Windows File Server volume from here");
                    }
                    other => self.unresolved(&from, &other, "fsx-windows"),
                }
            }
        }
    }

    /// The KMS keys and roles' own calls a task definition cannot show, once per feature.
    fn kms_unknowns(&mut self) {
        let mut said = Vec::new();
        for role in &self.roles {
            for f in &role.features {
                if f.feature.param("kmsKeys").is_some() && !said.contains(&f.feature.id) {
                    said.push(f.feature.id);
                    self.unknowns.push(Unknown {
                        from: f.from.clone(),
                        message: format!(
                            "a task definition does not say which KMS key encrypts a secret: if it is a customer managed key, add it to kmsKeys of {} (the default aws/ key needs nothing)",
                            f.feature.id
                        ),
                    });
                }
            }
        }
    }
}

/// Fluent Bit's `$(...)` record accessors in an output's name, as the wildcard IAM matches.
fn fluent_bit_wildcards(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        match rest[start..].find(')') {
            Some(end) => {
                out.push('*');
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}
