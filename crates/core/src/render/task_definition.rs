//! The `task-definition` format: what a task definition must say for the roles to work, ready
//! to merge into one: the role fields, and what the features of those roles imply for the
//! containers (`containerDefinitions[0]`, named `app`: the image of the first ECR repository,
//! the `awslogs` log configuration of the first log group, the `secrets` of Parameter Store
//! and of Secrets Manager secrets given by ARN, the `repositoryCredentials` of a private
//! registry, and a mount of each EFS file system) and the EFS `volumes` with IAM
//! authorization. What the configuration leaves open (a secret given by name, whose ARN ends in
//! a suffix Secrets Manager chose; a wildcard) is left out rather than guessed.

use crate::catalog::{catalog, ValueKind, ValueKindId};
use crate::config::FeatureUse;
use crate::json::obj;
use crate::plan::{Plan, Scope};
use crate::validate;
use serde_json::Value;

/// Whether a role of the plan has a task definition field.
pub(super) fn expresses(plan: &Plan) -> bool {
    plan.roles
        .iter()
        .any(|r| r.kind.task_definition_field.is_some())
}

pub(super) fn render(plan: &Plan) -> String {
    super::pretty(&task_definition(plan))
}

/// The container name of the fragment's one container definition.
const CONTAINER: &str = "app";

fn task_definition(plan: &Plan) -> Value {
    let scope = Scope::new(&plan.config);
    let mut top: Vec<(&str, Value)> = Vec::new();
    let mut container = Container::default();
    for field in ["taskRoleArn", "executionRoleArn"] {
        if let Some(r) = plan
            .roles
            .iter()
            .find(|r| r.kind.task_definition_field == Some(field))
        {
            top.push((field, r.arn.as_str().into()));
            for fu in &plan.config.roles[r.index].features {
                container.add(&scope, fu, r.kind.id);
            }
        }
    }
    let volumes = std::mem::take(&mut container.volumes);
    let definition = container.into_entries();
    if definition.len() > 1 {
        top.push(("containerDefinitions", Value::Array(vec![obj(definition)])));
    }
    if !volumes.is_empty() {
        top.push(("volumes", Value::Array(volumes)));
    }
    obj(top)
}

/// The parts of a container a catalogue feature's `container` may fill.
#[cfg(test)]
const PARTS: &[&str] = &[
    "image",
    "logConfiguration",
    "secrets",
    "repositoryCredentials",
    "mountPoints",
];

#[derive(Default)]
struct Container {
    image: Option<String>,
    log: Option<(String, String)>,
    secrets: Vec<(String, String)>,
    credentials: Option<String>,
    mounts: Vec<Value>,
    volumes: Vec<Value>,
}

fn pattern(v: &str) -> bool {
    v.contains(['*', '?'])
}

/// The value kind of a feature's parameter (build.rs makes every list parameter name one).
fn param_kind(fu: &FeatureUse, param: &str) -> Option<&'static ValueKind> {
    fu.feature
        .params
        .iter()
        .find(|p| p.name == param)
        .and_then(|p| p.item)
        .map(ValueKindId::info)
}

/// An environment variable name for a secret or parameter: the last segment of its name,
/// upper-case, with `_` for what a shell name cannot hold (`prod/db-password` is
/// `DB_PASSWORD`; a secret's ARN without the suffix Secrets Manager appended).
fn env_name(kind: &ValueKind, v: &str) -> String {
    // A valueFrom of a secret's JSON key (`...:secret:NAME:username::`) is named by the key.
    let json_key = v.split(':').nth(7).filter(|k| !k.is_empty());
    let name = match (kind.key, json_key) {
        (ValueKindId::Secret, Some(key)) => key,
        (ValueKindId::Secret, None) => validate::secret_name(v),
        _ => validate::name_of(kind, v),
    };
    let name = name.rsplit('/').find(|s| !s.is_empty()).unwrap_or("SECRET");
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert_str(0, "SECRET_");
    }
    out
}

impl Container {
    /// What a feature puts into the container, by its catalogue entry's `container`, when it
    /// is on one of its home roles: the agent's reads (image, logs, secrets, registry
    /// credentials) on the execution role, an EFS mount with IAM authorization on the task
    /// role (a file system on the execution role, as one pattern of the pattern site has it,
    /// is not mounted with that role's credentials). Wildcards name no one resource: skipped.
    fn add(&mut self, scope: &Scope, fu: &FeatureUse, role_kind: &str) {
        let Some(usage) = &fu.feature.container else {
            return;
        };
        if !fu.feature.home_roles.contains(&role_kind) {
            return;
        }
        let Some(kind) = param_kind(fu, usage.param) else {
            return;
        };
        let values = fu.values(usage.param);
        let mut values = values.into_iter().filter(|v| !pattern(v));
        match usage.part {
            "image" => {
                if let Some(repo) = values.next() {
                    self.image.get_or_insert_with(|| image(scope, kind, repo));
                }
            }
            "logConfiguration" => {
                if let Some(group) = values.next() {
                    let name = validate::name_of(kind, group);
                    let name = name.strip_suffix(":*").unwrap_or(name);
                    let region = validate::read_arn(group).map_or(scope.region, |a| a.region);
                    self.log
                        .get_or_insert_with(|| (name.to_string(), region.to_string()));
                }
            }
            "secrets" => {
                for v in values {
                    // A Secrets Manager secret's valueFrom is its full ARN (a name lacks the
                    // suffix AWS appends); a parameter's may be its name.
                    if kind.key == ValueKindId::Secret && !v.starts_with("arn:") {
                        continue;
                    }
                    self.secret(kind, v);
                }
            }
            "repositoryCredentials" => {
                // credentialsParameter takes the secret's ARN or, in the task's Region, its name.
                if let Some(s) = values.next() {
                    self.credentials.get_or_insert_with(|| s.to_string());
                }
            }
            "mountPoints" => self.mount(fu, kind, values),
            // The catalogue names only these parts (a test holds it to `PARTS`).
            _ => {}
        }
    }

    /// An EFS volume with IAM authorization (which needs encryption in transit), through the
    /// feature's first access point, and its mount, for each file system.
    fn mount<'a>(
        &mut self,
        fu: &FeatureUse,
        kind: &ValueKind,
        file_systems: impl Iterator<Item = &'a str>,
    ) {
        let access_point = fu.feature.params.iter().find_map(|p| {
            let ap = p.item.filter(|k| *k == ValueKindId::EfsAccessPoint)?;
            let first = fu.values(p.name).into_iter().find(|a| !pattern(a))?;
            Some(validate::name_of(ap.info(), first).to_string())
        });
        for fs in file_systems {
            let id = validate::name_of(kind, fs);
            let name = format!("efs-{id}");
            if self.volumes.iter().any(|v| v["name"] == name.as_str()) {
                continue;
            }
            let mut auth = Vec::new();
            if let Some(ap) = &access_point {
                auth.push(("accessPointId", ap.as_str().into()));
            }
            auth.push(("iam", "ENABLED".into()));
            let efs = obj(vec![
                ("fileSystemId", id.into()),
                ("transitEncryption", "ENABLED".into()),
                ("authorizationConfig", obj(auth)),
            ]);
            self.volumes.push(obj(vec![
                ("name", name.as_str().into()),
                ("efsVolumeConfiguration", efs),
            ]));
            self.mounts.push(obj(vec![
                ("sourceVolume", name.as_str().into()),
                ("containerPath", format!("/mnt/{name}").into()),
            ]));
        }
    }

    fn secret(&mut self, kind: &ValueKind, value_from: &str) {
        if self.secrets.iter().any(|(_, v)| v == value_from) {
            return;
        }
        let base = env_name(kind, value_from);
        let mut name = base.clone();
        let mut n = 2;
        while self.secrets.iter().any(|(k, _)| *k == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.secrets.push((name, value_from.to_string()));
    }

    fn into_entries(self) -> Vec<(&'static str, Value)> {
        let mut c: Vec<(&str, Value)> = vec![("name", CONTAINER.into())];
        if let Some(image) = self.image {
            c.push(("image", image.into()));
        }
        if let Some(credentials) = self.credentials {
            c.push((
                "repositoryCredentials",
                obj(vec![("credentialsParameter", credentials.into())]),
            ));
        }
        if !self.secrets.is_empty() {
            let list = self
                .secrets
                .into_iter()
                .map(|(name, from)| obj(vec![("name", name.into()), ("valueFrom", from.into())]))
                .collect();
            c.push(("secrets", Value::Array(list)));
        }
        if let Some((group, region)) = self.log {
            let options = obj(vec![
                ("awslogs-group", group.into()),
                ("awslogs-region", region.into()),
                ("awslogs-stream-prefix", CONTAINER.into()),
            ]);
            c.push((
                "logConfiguration",
                obj(vec![("logDriver", "awslogs".into()), ("options", options)]),
            ));
        }
        if !self.mounts.is_empty() {
            c.push(("mountPoints", Value::Array(self.mounts)));
        }
        c
    }
}

/// The image URI of a repository (`latest`): in the registry of its account and Region.
fn image(scope: &Scope, kind: &ValueKind, repo: &str) -> String {
    let (account, region) =
        validate::read_arn(repo).map_or((scope.account, scope.region), |a| (a.account, a.region));
    let name = validate::name_of(kind, repo);
    let cat = catalog();
    let partition = cat
        .partition(scope.partition)
        .or_else(|| cat.partitions.first())
        .expect("the catalogue has partitions");
    let host = partition
        .ecr_registry
        .replace("${Account}", account)
        .replace("${Region}", region);
    format!("{host}/{name}:latest")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_container_use_of_the_catalogue_is_a_known_part_of_a_parameter_with_values() {
        let mut seen = Vec::new();
        for f in catalog().features {
            let Some(usage) = &f.container else { continue };
            assert!(PARTS.contains(&usage.part), "{}: {}", f.id, usage.part);
            let p = f.params.iter().find(|p| p.name == usage.param);
            assert!(
                p.is_some_and(|p| p.item.is_some()),
                "{}: {} is no parameter with a value kind",
                f.id,
                usage.param
            );
            seen.push(usage.part);
        }
        for part in PARTS {
            assert!(seen.contains(part), "no feature fills {part}");
        }
    }

    #[test]
    fn environment_names_come_from_the_name_or_the_json_key() {
        let secret = ValueKindId::Secret.info();
        let param = ValueKindId::SsmParameter.info();
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-password";
        assert_eq!(env_name(secret, &format!("{arn}-AbC123")), "DB_PASSWORD");
        // Six lower-case letters may be a word of the name: kept.
        assert_eq!(
            env_name(
                secret,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-secret"
            ),
            "APP_SECRET"
        );
        assert_eq!(
            env_name(secret, &format!("{arn}-AbC123:username::")),
            "USERNAME"
        );
        assert_eq!(
            env_name(
                param,
                "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/url"
            ),
            "URL"
        );
        assert_eq!(env_name(param, "/prod/2fa"), "SECRET_2FA");
    }
}
