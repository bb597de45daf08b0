//! How a configuration names what it produces: the policies of each role, the customer
//! managed policies of the `managed` style and the deployer's PassRole statements. These are
//! facts of the configuration, checked when it is parsed (names IAM wants unique) and used by
//! the plan.

use super::{Config, FeatureUse, Role};
use crate::catalog::{Feature, RoleKind, StatementTemplate};

/// Whether a catalogue statement is part of a feature's policy: its `when` parameter, if any,
/// is set, its `unless` parameter is not, and a feature whose managed policies give way to
/// its statements (`scopedBy`) is scoped.
pub(crate) fn template_applies(fu: &FeatureUse, t: &StatementTemplate) -> bool {
    let scoped =
        fu.feature.scoped_by.is_empty() || fu.feature.scoped_by.iter().any(|p| fu.is_set(p));
    scoped && t.when.iter().all(|w| fu.is_set(w)) && t.unless.is_none_or(|u| !fu.is_set(u))
}

/// Whether a feature use produces a policy (custom statements, or at least one catalogue
/// statement that applies); features such as `ebs` only attach AWS managed policies.
pub(crate) fn yields_policy(fu: &FeatureUse) -> bool {
    fu.statements().is_some_and(|l| !l.is_empty())
        || fu
            .feature
            .statements
            .iter()
            .any(|t| template_applies(fu, t))
}

/// The name of the policy of each feature of a role, `None` for features that produce none:
/// the feature id, the custom policy's `name`, or for unnamed custom policies `custom`,
/// `custom-2`, ... skipping the names already on the role (IAM wants the names of a role's
/// policies distinct; like every IAM name, compared regardless of case).
pub(crate) fn policy_names(role: &Role) -> Vec<Option<String>> {
    let mut taken: Vec<String> = role
        .features
        .iter()
        .filter(|fu| yields_policy(fu))
        .filter_map(|fu| match fu.policy_name() {
            Some(n) => Some(n.to_string()),
            None if fu.statements().is_none() => Some(fu.feature.id.to_string()),
            None => None,
        })
        .collect();
    let mut n = 0;
    role.features
        .iter()
        .map(|fu| {
            if !yields_policy(fu) {
                return None;
            }
            if let Some(name) = fu.policy_name() {
                return Some(name.to_string());
            }
            if fu.statements().is_none() {
                return Some(fu.feature.id.to_string());
            }
            loop {
                n += 1;
                let candidate = if n == 1 {
                    fu.feature.id.to_string()
                } else {
                    format!("{}-{n}", fu.feature.id)
                };
                if !taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
                    taken.push(candidate.clone());
                    return Some(candidate);
                }
            }
        })
        .collect()
}

/// The name of the customer managed policy of a role's feature in the `managed` style:
/// `ROLE-POLICY`, cut to IAM's 128 characters.
pub(crate) fn managed_policy_name(role_name: &str, policy_name: &str) -> String {
    let mut name = format!("{role_name}-{policy_name}");
    name.truncate(crate::catalog::catalog().iam.limits.policy_name);
    name
}

/// The Sid of the deployer's statement passing roles to a service: `PassRolesToEcsTasks` for
/// `ecs-tasks.amazonaws.com`.
pub(crate) fn pass_role_sid(service: &str) -> String {
    let label: String = service
        .split('.')
        .next()
        .unwrap_or_default()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    format!("PassRolesTo{label}")
}

/// The role kinds a role passes: its kind's, and its features' (the app asks it of a draft).
pub fn passes_of<'a>(
    kind: &RoleKind,
    features: impl IntoIterator<Item = &'a Feature>,
) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = kind.passes.to_vec();
    for p in features.into_iter().flat_map(|f| f.passes) {
        if !out.contains(p) {
            out.push(p);
        }
    }
    out
}

/// The roles a deployer may pass, with the service each is passed to.
pub(crate) fn passed_roles<'a>(
    config: &'a Config,
    passer: &'a Role,
) -> impl Iterator<Item = (&'a Role, &'a str)> + 'a {
    let passes = passer.passes();
    config.roles.iter().filter_map(move |role| {
        let kind = role.kind;
        if kind.policy_only || std::ptr::eq(role, passer) || !passes.contains(&kind.id) {
            return None;
        }
        if let Some(list) = &passer.pass_roles {
            if !list.iter().any(|n| n == role.effective_name()) {
                return None;
            }
        }
        let service = kind
            .passed_to_service
            .expect("build.rs refuses a role kind without passedToService");
        Some((role, service))
    })
}

/// The Sids of a deployer policy's own PassRole statements.
pub(crate) fn pass_role_sids(config: &Config, passer: &Role) -> Vec<String> {
    let mut sids: Vec<String> = Vec::new();
    for (_, service) in passed_roles(config, passer) {
        let sid = pass_role_sid(service);
        if !sids.contains(&sid) {
            sids.push(sid);
        }
    }
    sids
}
