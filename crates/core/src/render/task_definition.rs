//! The `task-definition` format: what a task definition must say for the roles to work, ready
//! to merge into one: the role fields, and what the features of those roles imply for the
//! containers (`containerDefinitions[0]`, named `app`: the image of the first ECR repository,
//! the `awslogs` log configuration of the first log group, the `secrets` of Parameter Store
//! and of Secrets Manager secrets given by ARN, the `repositoryCredentials` of a private
//! registry, and a mount of each EFS file system) and the EFS `volumes` with IAM
//! authorization. What the configuration leaves open (a secret given by name, whose ARN ends in
//! a suffix Secrets Manager chose; a wildcard) is left out rather than guessed.

use crate::catalog::catalog;
use crate::config::FeatureUse;
use crate::json::obj;
use crate::plan::{Plan, Scope};
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
                container.add(&scope, fu, field);
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

/// The resource part of an ARN after `prefix` (`file-system/`), or the value itself.
fn id_of<'a>(v: &'a str, prefix: &str) -> &'a str {
    v.splitn(6, ':')
        .nth(5)
        .and_then(|r| r.strip_prefix(prefix))
        .unwrap_or(v)
}

/// An environment variable name for a secret or parameter: its last path segment, upper-case,
/// with `_` for what a shell name cannot hold (`prod/db-password` is `DB_PASSWORD`).
fn env_name(v: &str) -> String {
    let name = v
        .rsplit(['/', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or("SECRET");
    // The six characters Secrets Manager appends to a secret's ARN are not part of its name.
    let name = match name.rsplit_once('-') {
        Some((base, suffix))
            if v.contains(":secretsmanager:")
                && suffix.len() == 6
                && suffix.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            base
        }
        _ => name,
    };
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
    /// What a feature of the role in `field` implies: the agent's reads (image, logs,
    /// secrets, registry credentials) with the execution role's credentials, an EFS mount with
    /// IAM authorization with the task role's (a file system on the execution role, as one
    /// pattern of the pattern site has it, would not be mounted with it).
    fn add(&mut self, scope: &Scope, fu: &FeatureUse, field: &str) {
        let execution = field == "executionRoleArn";
        match fu.feature.id {
            "efs" if execution => {}
            "ecr-pull" | "logs" | "ssm-parameters" | "secrets-manager" | "private-registry"
                if !execution => {}
            "ecr-pull" => {
                if let Some(repo) = fu.values("repositories").into_iter().find(|r| !pattern(r)) {
                    self.image.get_or_insert_with(|| image(scope, repo));
                }
            }
            "logs" => {
                if let Some(group) = fu.values("logGroups").into_iter().find(|g| !pattern(g)) {
                    let (name, region) = match group.strip_prefix("arn:") {
                        Some(_) => {
                            let parts: Vec<&str> = group.splitn(6, ':').collect();
                            let name = parts[5]
                                .strip_prefix("log-group:")
                                .unwrap_or(parts[5])
                                .trim_end_matches(":*");
                            (name.to_string(), parts[3].to_string())
                        }
                        None => (group.to_string(), scope.region.to_string()),
                    };
                    self.log.get_or_insert((name, region));
                }
            }
            "ssm-parameters" => {
                for p in fu.values("parameters").into_iter().filter(|p| !pattern(p)) {
                    self.secret(p);
                }
            }
            "secrets-manager" => {
                // valueFrom is the secret's full ARN; a name lacks the suffix AWS appends.
                for s in fu
                    .values("secrets")
                    .into_iter()
                    .filter(|s| s.starts_with("arn:") && !pattern(s))
                {
                    self.secret(s);
                }
            }
            "private-registry" => {
                if let Some(s) = fu.values("secrets").into_iter().find(|s| !pattern(s)) {
                    self.credentials.get_or_insert_with(|| s.to_string());
                }
            }
            "efs" => {
                let access_point = fu
                    .values("accessPoints")
                    .first()
                    .map(|a| id_of(a, "access-point/").to_string());
                for fs in fu.values("fileSystems").into_iter().filter(|f| !pattern(f)) {
                    let id = id_of(fs, "file-system/");
                    let name = format!("efs-{id}");
                    if self.volumes.iter().any(|v| v["name"] == name.as_str()) {
                        continue;
                    }
                    let mut auth = Vec::new();
                    if let Some(ap) = &access_point {
                        auth.push(("accessPointId", ap.as_str().into()));
                    }
                    auth.push(("iam", "ENABLED".into()));
                    // IAM authorization needs encryption in transit.
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
            _ => {}
        }
    }

    fn secret(&mut self, value_from: &str) {
        if self.secrets.iter().any(|(_, v)| v == value_from) {
            return;
        }
        let base = env_name(value_from);
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
fn image(scope: &Scope, repo: &str) -> String {
    let (account, region, name) = match repo.strip_prefix("arn:") {
        Some(_) => {
            let parts: Vec<&str> = repo.splitn(6, ':').collect();
            (
                parts[4],
                parts[3],
                parts[5].strip_prefix("repository/").unwrap_or(parts[5]),
            )
        }
        None => (scope.account, scope.region, repo),
    };
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
