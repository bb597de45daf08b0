//! The `task-definition` format: the role fields of a task definition.

use crate::plan::Plan;
use serde_json::{Map, Value};

/// Whether a role of the plan has a task definition field.
pub(super) fn expresses(plan: &Plan) -> bool {
    plan.roles
        .iter()
        .any(|r| r.kind.task_definition_field.is_some())
}

pub(super) fn render(plan: &Plan) -> String {
    super::pretty(&task_definition(plan))
}

/// `taskRoleArn` and `executionRoleArn` of the first task role and execution role.
fn task_definition(plan: &Plan) -> Value {
    let mut m = Map::new();
    for field in ["taskRoleArn", "executionRoleArn"] {
        if let Some(r) = plan
            .roles
            .iter()
            .find(|r| r.kind.task_definition_field == Some(field))
        {
            m.insert(field.into(), r.arn.clone().into());
        }
    }
    Value::Object(m)
}
