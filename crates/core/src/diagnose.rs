//! Explains an ECS or IAM error message as users paste it: its cause, the role it concerns
//! (kind, and name when the message holds it), the actions and resources it names, the fix and
//! the AWS page. The messages it knows are catalogue data (`errorPatterns`, the most specific
//! first); what a message says of the principal, action and resource is read from its text
//! (`assumed-role/NAME/...`, `is not authorized to perform: ACTION on resource: ARN`), so a
//! message of an action no pattern names is still explained.

use crate::catalog::{catalog, ErrorPattern};
use crate::json::{obj, ToJson};
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// The pattern that recognised it; `None`: not recognised.
    pub pattern: Option<&'static ErrorPattern>,
    /// The role kind at fault, from the pattern or the action's home.
    pub role_kind: Option<&'static str>,
    /// The role's name, when the message names it.
    pub role_name: Option<String>,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

impl Diagnosis {
    pub fn recognised(&self) -> bool {
        self.pattern.is_some()
    }
}

/// A word of the message: up to white space or a quote, without trailing punctuation.
fn word_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    let lower = text.to_ascii_lowercase();
    let marker = marker.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&marker) {
        let start = from + i + marker.len();
        let rest = text[start..].trim_start_matches(['"', '\'', '`']);
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ')' | '(' | ','))
            .unwrap_or(rest.len());
        let w = rest[..end].trim_end_matches(['.', ';', ':']);
        if !w.is_empty() && !out.contains(&w) {
            out.push(w);
        }
        from = start;
    }
    out
}

pub fn diagnose(text: &str) -> Diagnosis {
    let cat = catalog();
    let lower = text.to_ascii_lowercase();
    let pattern = cat.error_patterns.iter().find(|p| {
        p.all_of
            .iter()
            .all(|m| lower.contains(&m.to_ascii_lowercase()))
    });
    let mut actions: Vec<String> = word_after(text, "is not authorized to perform: ")
        .into_iter()
        .map(String::from)
        .collect();
    for a in word_after(text, "no identity-based policy allows the ") {
        if !actions.iter().any(|x| x == a) {
            actions.push(a.to_string());
        }
    }
    let resources: Vec<String> = word_after(text, " on resource: ")
        .into_iter()
        .map(String::from)
        .collect();
    let role_name = word_after(text, "assumed-role/")
        .first()
        .and_then(|w| w.split('/').next())
        .or_else(|| {
            word_after(text, ":role/")
                .first()
                .and_then(|w| w.rsplit('/').next())
        })
        .filter(|n| !n.is_empty())
        .map(String::from);
    let role_kind = pattern.and_then(|p| p.role_kind).or_else(|| {
        actions.iter().find_map(|a| {
            cat.action_homes
                .iter()
                .find(|h| a.starts_with(h.prefix))
                .and_then(|h| h.roles.first().copied())
        })
    });
    Diagnosis {
        pattern,
        role_kind,
        role_name,
        actions,
        resources,
    }
}

impl ToJson for Diagnosis {
    fn to_json(&self) -> Value {
        let p = self.pattern;
        obj(vec![
            ("recognised", Value::Bool(self.recognised())),
            ("id", p.map(|p| p.id).to_json()),
            ("cause", p.map(|p| p.cause).to_json()),
            ("notIam", Value::Bool(p.is_some_and(|p| p.not_iam))),
            ("roleKind", self.role_kind.to_json()),
            ("roleName", self.role_name.as_deref().to_json()),
            ("actions", self.actions.to_json()),
            ("resources", self.resources.to_json()),
            ("fix", p.map(|p| p.fix).to_json()),
            ("docs", p.map(|p| p.docs).to_json()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_principal_action_and_resource() {
        let d = diagnose("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/8f1a is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action. status code: 400");
        assert_eq!(d.pattern.map(|p| p.id), Some("secrets-access-denied"));
        assert_eq!(d.role_name.as_deref(), Some("ecsTaskExecutionRole"));
        assert_eq!(d.actions, ["secretsmanager:GetSecretValue"]);
        assert_eq!(
            d.resources,
            ["arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"]
        );
        assert_eq!(d.role_kind, Some("task-execution"));
    }

    #[test]
    fn unknown_text_is_not_recognised() {
        let d = diagnose("the build is green");
        assert!(!d.recognised());
        assert!(d.actions.is_empty());
    }
}
