//! The configuration: the one JSON document shared by the CLI, the app's share link and the JS
//! API. It is parsed by walking a `serde_json::Value` against the catalogue, because features
//! and their parameters are catalogue data: that gives every error an exact path
//! (`roles[0].features[1].repositories[0]`) and rejects unknown fields everywhere.

mod checks;
mod names;
mod parse;
mod write;

pub use names::passes_of;
pub(crate) use names::{
    managed_policy_name, pass_role_sid, passed_roles, policy_names, template_applies,
};
pub use parse::check_item;
pub(crate) use parse::managed_policy_forms;

use crate::catalog::{Feature, ManagedPolicy, RoleKind, ValueKindId};
use serde_json::Value;

/// Largest configuration accepted, in bytes.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;
pub(crate) const MAX_ROLES: usize = 50;
pub(crate) const MAX_FEATURES: usize = 50;
pub(crate) const MAX_LIST_ITEMS: usize = 200;

/// The fields of a configuration, in their canonical order.
pub const CONFIG_FIELDS: [&str; 6] = [
    "$schema",
    "partition",
    "region",
    "account",
    "permissions",
    "roles",
];

/// The fields of a role, in their canonical order.
pub const ROLE_FIELDS: [&str; 9] = [
    "kind",
    "name",
    "path",
    "description",
    "managedPolicies",
    "confusedDeputy",
    "instanceProfileName",
    "passRoles",
    "features",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PermissionStyle {
    /// Inline policies in the role (CloudFormation `Policies`, `put-role-policy`).
    #[default]
    Inline,
    /// One `AWS::IAM::Policy` resource per feature; still inline policies in IAM.
    PerFeature,
    /// One customer managed policy per feature, attached to the role.
    Managed,
}

impl PermissionStyle {
    pub const ALL: [PermissionStyle; 3] = [Self::Inline, Self::PerFeature, Self::Managed];
    pub fn id(self) -> &'static str {
        match self {
            Self::Inline => "inline",
            Self::PerFeature => "per-feature",
            Self::Managed => "managed",
        }
    }
    pub fn from_id(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub partition: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub permissions: Option<PermissionStyle>,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub kind: &'static RoleKind,
    pub name: Option<String>,
    pub path: Option<String>,
    pub description: Option<String>,
    pub managed_policies: Option<Vec<ManagedPolicyUse>>,
    pub confused_deputy: Option<bool>,
    pub instance_profile_name: Option<String>,
    pub pass_roles: Option<Vec<String>>,
    /// The sources its trust policy's `aws:SourceArn` names, under the kind's
    /// `confusedDeputy.sourceParam` (an EventBridge Scheduler role's `scheduleGroups`).
    pub sources: Option<Vec<String>>,
    pub features: Vec<FeatureUse>,
}

/// A managed policy a role attaches.
#[derive(Debug, Clone, PartialEq)]
pub enum ManagedPolicyUse {
    /// An AWS managed policy of the catalogue, by its name (`AmazonECSTaskExecutionRolePolicy`,
    /// `service-role/AmazonECSTaskExecutionRolePolicy`) as the configuration writes it, or a
    /// role kind's default (`written: None`).
    Named {
        policy: &'static ManagedPolicy,
        written: Option<String>,
    },
    /// A policy given by its ARN, kept as written; `known` when it is an AWS managed policy of
    /// the catalogue.
    Arn {
        arn: String,
        known: Option<&'static ManagedPolicy>,
    },
}

impl ManagedPolicyUse {
    /// The catalogue's AWS managed policy, when it is one.
    pub fn known(&self) -> Option<&'static ManagedPolicy> {
        match self {
            ManagedPolicyUse::Named { policy, .. } => Some(policy),
            ManagedPolicyUse::Arn { known, .. } => *known,
        }
    }
    /// What the configuration writes, `None` for a kind's default.
    pub fn written(&self) -> Option<&str> {
        match self {
            ManagedPolicyUse::Named { written, .. } => written.as_deref(),
            ManagedPolicyUse::Arn { arn, .. } => Some(arn),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeatureUse {
    pub feature: &'static Feature,
    /// Parameter values in the catalogue's parameter order.
    pub params: Vec<(&'static str, ParamValue)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Bool(bool),
    Value(String),
    List(Vec<String>),
    Statements(Vec<Value>),
}

impl FeatureUse {
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    /// True when the parameter is a true bool, a value, or a non-empty list.
    pub fn is_set(&self, name: &str) -> bool {
        match self.get(name) {
            Some(ParamValue::Bool(b)) => *b,
            Some(ParamValue::List(l)) => !l.is_empty(),
            Some(ParamValue::Statements(s)) => !s.is_empty(),
            Some(ParamValue::Value(_)) => true,
            None => false,
        }
    }
    /// The statements of a parameter of the `statements` type (the `custom` feature's).
    pub fn statements(&self) -> Option<&[Value]> {
        self.params.iter().find_map(|(_, v)| match v {
            ParamValue::Statements(s) => Some(s.as_slice()),
            _ => None,
        })
    }
    /// The name the configuration gives the feature's policy: the value of its parameter of
    /// the `policy-name` kind.
    pub fn policy_name(&self) -> Option<&str> {
        self.params.iter().find_map(|(name, v)| match v {
            ParamValue::Value(s)
                if self.feature.param(name).and_then(|p| p.item)
                    == Some(ValueKindId::PolicyName) =>
            {
                Some(s.as_str())
            }
            _ => None,
        })
    }
    /// The AWS managed policies the feature attaches: none once a parameter of its `scopedBy`
    /// is given, for then its statements, scoped to what that names, take their place.
    pub fn managed_policies(&self) -> &'static [&'static ManagedPolicy] {
        if self.feature.scoped_by.iter().any(|p| self.is_set(p)) {
            &[]
        } else {
            self.feature.managed_policies
        }
    }
    /// The values of a list or single-value parameter.
    pub fn values(&self, name: &str) -> Vec<&str> {
        match self.get(name) {
            Some(ParamValue::List(l)) => l.iter().map(String::as_str).collect(),
            Some(ParamValue::Value(v)) => vec![v.as_str()],
            _ => Vec::new(),
        }
    }
}

impl Role {
    /// The role kinds whose roles this role passes (its kind's and its features').
    pub fn passes(&self) -> Vec<&'static str> {
        names::passes_of(self.kind, self.features.iter().map(|fu| fu.feature))
    }
    pub fn effective_name(&self) -> &str {
        self.name.as_deref().unwrap_or(self.kind.default_name)
    }
    pub fn effective_path(&self) -> &str {
        self.path.as_deref().unwrap_or("/")
    }
    pub fn effective_confused_deputy(&self) -> bool {
        match (&self.kind.confused_deputy, self.confused_deputy) {
            (Some(_), Some(v)) => v,
            (Some(cd), None) => cd.default,
            (None, _) => false,
        }
    }
    /// The managed policies the role attaches: the configuration's, or its kind's defaults.
    pub fn effective_managed_policies(&self) -> Vec<ManagedPolicyUse> {
        match &self.managed_policies {
            Some(list) => list.clone(),
            None => self
                .kind
                .default_managed_policies
                .iter()
                .map(|&policy| ManagedPolicyUse::Named {
                    policy,
                    written: None,
                })
                .collect(),
        }
    }
    pub fn instance_profile(&self) -> Option<&str> {
        self.kind.instance_profile.then(|| {
            self.instance_profile_name
                .as_deref()
                .unwrap_or(self.effective_name())
        })
    }
}

impl Config {
    pub fn effective_permissions(&self) -> PermissionStyle {
        self.permissions.unwrap_or_default()
    }
}
