//! The `cloudformation-yaml` format: the CloudFormation template (`cfn.rs`) as YAML with
//! CloudFormation's short-form tags (`yaml.rs`).

use super::{cfn, yaml};
use crate::plan::Plan;

pub(super) fn render(plan: &Plan) -> String {
    yaml::emit(&cfn::template(plan))
}
