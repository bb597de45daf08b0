//! The checks across fields: names IAM wants unique, and references between roles.

use super::Config;
use crate::error::{err, ConfigError};
use crate::json::quote;
use serde_json::Value;

impl Config {
    pub(super) fn check_cross_references(&self) -> Result<(), ConfigError> {
        // IAM compares role, policy and instance profile names case-insensitively.
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, role) in self.roles.iter().enumerate() {
            let lower = role.effective_name().to_ascii_lowercase();
            if let Some((_, j)) = seen.iter().find(|(n, _)| *n == lower) {
                return err(
                    &format!("roles[{i}].name"),
                    format!(
                        "{} is already used by roles[{j}]; IAM names are unique regardless of case. Give this role a name",
                        quote(role.effective_name())
                    ),
                );
            }
            seen.push((lower, i));
        }
        for (i, role) in self.roles.iter().enumerate() {
            if let Some(pass) = &role.pass_roles {
                for (k, name) in pass.iter().enumerate() {
                    let target = self.roles.iter().find(|r| r.effective_name() == name);
                    match target {
                        None => {
                            return err(
                                &format!("roles[{i}].passRoles[{k}]"),
                                format!(
                                    "{} is not the name of a role of this configuration",
                                    quote(name)
                                ),
                            )
                        }
                        Some(r) if r.kind.policy_only => {
                            return err(
                                &format!("roles[{i}].passRoles[{k}]"),
                                format!("{} is a policy, not a role", quote(name)),
                            )
                        }
                        Some(r) if std::ptr::eq(r, role) => {
                            return err(
                                &format!("roles[{i}].passRoles[{k}]"),
                                format!(
                                    "{} is this role itself; a role does not pass itself",
                                    quote(name)
                                ),
                            )
                        }
                        Some(r) if !role.passes().contains(&r.kind.id) => {
                            let titles: Vec<String> = role
                                .passes()
                                .iter()
                                .filter_map(|id| crate::catalog::catalog().role_kind(id))
                                .map(|k| k.title.to_ascii_lowercase())
                                .collect();
                            return err(
                                &format!("roles[{i}].passRoles[{k}]"),
                                format!(
                                    "{} is a {}, which this {} does not pass; it passes: {}",
                                    quote(name),
                                    r.kind.title.to_ascii_lowercase(),
                                    role.kind.title.to_ascii_lowercase(),
                                    titles.join(", ")
                                ),
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
        self.check_instance_profile_names()?;
        self.check_managed_policy_names()?;
        self.check_deployer_sids()?;
        self.check_deployers_grant_something()?;
        Ok(())
    }

    /// Instance profile names are unique per account, regardless of case.
    fn check_instance_profile_names(&self) -> Result<(), ConfigError> {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, role) in self.roles.iter().enumerate() {
            let Some(name) = role.instance_profile() else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            if let Some((_, j)) = seen.iter().find(|(n, _)| *n == lower) {
                let field = if role.instance_profile_name.is_some() {
                    "instanceProfileName"
                } else {
                    "name"
                };
                return err(
                    &format!("roles[{i}].{field}"),
                    format!(
                        "{} is already the name of the instance profile of roles[{j}]; IAM names are unique regardless of case. Set instanceProfileName",
                        quote(name)
                    ),
                );
            }
            seen.push((lower, i));
        }
        Ok(())
    }

    /// Customer managed policy names are unique per account, regardless of case and path. A
    /// deployer policy is one in every style; in the `managed` style each feature's policy is
    /// one, named ROLE-POLICY. The names must differ whatever the style, because a valid
    /// configuration renders in every style (`--permissions` and the app switch it).
    fn check_managed_policy_names(&self) -> Result<(), ConfigError> {
        // (lowercase name, what it is)
        let mut seen: Vec<(String, String)> = Vec::new();
        for (i, role) in self.roles.iter().enumerate() {
            if role.kind.policy_only {
                let name = role.effective_name();
                let lower = name.to_ascii_lowercase();
                if let Some((_, what)) = seen.iter().find(|(n, _)| *n == lower) {
                    return err(
                        &format!("roles[{i}].name"),
                        format!(
                            "{} is also the name of {what}; customer managed policy names are unique per account regardless of case: rename one",
                            quote(name)
                        ),
                    );
                }
                seen.push((lower, format!("the deployer policy roles[{i}]")));
                continue;
            }
            for (j, policy) in super::names::policy_names(role).into_iter().enumerate() {
                let Some(policy) = policy else {
                    continue;
                };
                let name = super::names::managed_policy_name(role.effective_name(), &policy);
                let lower = name.to_ascii_lowercase();
                if let Some((_, what)) = seen.iter().find(|(n, _)| *n == lower) {
                    return err(
                        &format!("roles[{i}].features[{j}]"),
                        format!(
                            "in the managed style (\"permissions\": \"managed\") its policy would be named {} (role name, hyphen, policy name, cut to {} characters), like {what}; customer managed policy names are unique per account regardless of case: rename a role or a custom policy",
                            quote(&name),
                            crate::catalog::catalog().iam.limits.policy_name
                        ),
                    );
                }
                seen.push((
                    lower,
                    format!("the policy of roles[{i}].features[{j}] in the managed style"),
                ));
            }
        }
        Ok(())
    }

    /// IAM refuses a policy without statements: a deployer policy needs a role to pass or a
    /// statement of its own.
    fn check_deployers_grant_something(&self) -> Result<(), ConfigError> {
        for (i, role) in self.roles.iter().enumerate() {
            if !role.kind.policy_only {
                continue;
            }
            let passes = super::names::passed_roles(self, role).next().is_some();
            let own = role.features.iter().any(super::names::yields_policy);
            if !passes && !own {
                return err(
                    &format!("roles[{i}]"),
                    format!(
                        "{} would hold no statement, and IAM refuses an empty policy: add a role for it to pass, or statements of its own",
                        quote(role.effective_name())
                    ),
                );
            }
        }
        Ok(())
    }

    /// A deployer policy holds its PassRole statements and the statements of its custom
    /// features: IAM wants their Sids unique in the policy.
    fn check_deployer_sids(&self) -> Result<(), ConfigError> {
        for (i, role) in self.roles.iter().enumerate() {
            if !role.kind.policy_only {
                continue;
            }
            let mut seen: Vec<(String, String)> = super::names::pass_role_sids(self, role)
                .into_iter()
                .map(|sid| (sid, "one of its PassRole statements".to_string()))
                .collect();
            for (j, fu) in role.features.iter().enumerate() {
                let Some(list) = fu.statements() else {
                    continue;
                };
                let mut own = Vec::new();
                for (k, st) in list.iter().enumerate() {
                    let Some(sid) = st.get("Sid").and_then(Value::as_str) else {
                        continue;
                    };
                    let path = format!("roles[{i}].features[{j}].statements[{k}]");
                    if let Some((_, what)) = seen.iter().find(|(s, _)| s == sid) {
                        return err(
                            &format!("{path}.Sid"),
                            format!(
                                "{} is already the Sid of {what} in this deployer policy; the Sids of a policy must be unique",
                                quote(sid)
                            ),
                        );
                    }
                    own.push((sid.to_string(), path));
                }
                seen.extend(own);
            }
        }
        Ok(())
    }
}
