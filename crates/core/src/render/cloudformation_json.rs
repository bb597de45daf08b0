//! The `cloudformation-json` format: the CloudFormation template (`cfn.rs`) as JSON.

use super::cfn;
use crate::plan::Plan;

pub(super) fn render(plan: &Plan) -> String {
    super::pretty(&cfn::to_json(&cfn::template(plan)))
}
