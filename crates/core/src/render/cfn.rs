//! CloudFormation templates (YAML and JSON) from the plan.

use crate::config::PermissionStyle;
use crate::json::obj;
use crate::plan::{next_placeholder, Plan, PolicyPlan, PLACEHOLDERS};
use serde_json::{Map, Value};

/// A template node: JSON plus CloudFormation's intrinsic functions, so that YAML can use the
/// short forms and JSON the long ones from one tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Str(String),
    Bool(bool),
    Num(serde_json::Number),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
    Sub(String),
    Ref(String),
    GetAtt(String, String),
}

fn s(x: impl Into<String>) -> Node {
    Node::Str(x.into())
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// Literal text. Outside `Fn::Sub` CloudFormation keeps `${Name}` as written, but cfn-lint
/// reads it as a misplaced reference when `Name` could name a resource or parameter (E1029).
/// Such text is written as an `Fn::Join` of pieces split between `$` and `{`: the same string
/// once deployed, and no piece looks like a reference. IAM policy variables (`${aws:username}`)
/// hold a colon and stay as they are.
pub(crate) fn text_node(x: &str) -> Node {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, _) in x.match_indices("${") {
        let name = x[i + 2..].split('}').next().unwrap_or_default();
        let closed = x[i + 2 + name.len()..].starts_with('}');
        if closed
            && !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            pieces.push(s(&x[start..=i]));
            start = i + 1;
        }
    }
    if pieces.is_empty() {
        return s(x);
    }
    pieces.push(s(&x[start..]));
    map(vec![(
        "Fn::Join",
        Node::Seq(vec![s(""), Node::Seq(pieces)]),
    )])
}

/// A string of a policy document: `Fn::Sub` when it holds a placeholder, with every other `${`
/// escaped as `${!` so that IAM policy variables such as `${aws:username}` stay literal.
pub(crate) fn string_node(x: &str) -> Node {
    if next_placeholder(x).is_none() {
        return text_node(x);
    }
    if let Some(p) = PLACEHOLDERS.iter().find(|p| **p == x) {
        // "${AWS::AccountId}" alone reads better as !Ref AWS::AccountId.
        return Node::Ref(p[2..p.len() - 1].to_string());
    }
    let mut out = String::new();
    let mut rest = x;
    while let Some(pos) = rest.find("${") {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(p) = PLACEHOLDERS.iter().find(|p| tail.starts_with(**p)) {
            out.push_str(p);
            rest = &tail[p.len()..];
        } else {
            out.push_str("${!");
            rest = &tail[2..];
        }
    }
    out.push_str(rest);
    Node::Sub(out)
}

pub(crate) fn from_json(v: &Value) -> Node {
    match v {
        Value::Null => s(""),
        Value::Bool(b) => Node::Bool(*b),
        Value::Number(n) => Node::Num(n.clone()),
        Value::String(x) => string_node(x),
        Value::Array(a) => Node::Seq(a.iter().map(from_json).collect()),
        Value::Object(o) => Node::Map(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
    }
}

pub(crate) fn to_json(n: &Node) -> Value {
    match n {
        Node::Str(x) => Value::String(x.clone()),
        Node::Bool(b) => Value::Bool(*b),
        Node::Num(x) => Value::Number(x.clone()),
        Node::Seq(a) => Value::Array(a.iter().map(to_json).collect()),
        Node::Map(e) => Value::Object(
            e.iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect::<Map<_, _>>(),
        ),
        Node::Sub(x) => obj(vec![("Fn::Sub", x.as_str().into())]),
        Node::Ref(x) => obj(vec![("Ref", x.as_str().into())]),
        Node::GetAtt(a, b) => obj(vec![("Fn::GetAtt", vec![a.as_str(), b.as_str()].into())]),
    }
}

fn policy_entry(p: &PolicyPlan) -> Node {
    map(vec![
        ("PolicyName", s(&p.name)),
        ("PolicyDocument", from_json(&p.document)),
    ])
}

pub(crate) fn template(plan: &Plan) -> Node {
    let mut resources: Vec<(String, Node)> = Vec::new();
    let mut outputs: Vec<(String, Node)> = Vec::new();
    for role in &plan.roles {
        let mut props = vec![("RoleName", s(&role.name))];
        if role.path != "/" {
            props.push(("Path", s(&role.path)));
        }
        if let Some(d) = &role.description {
            props.push(("Description", text_node(d)));
        }
        props.push(("AssumeRolePolicyDocument", from_json(&role.trust)));
        if !role.managed_policy_arns.is_empty() {
            props.push((
                "ManagedPolicyArns",
                Node::Seq(
                    role.managed_policy_arns
                        .iter()
                        .map(|a| string_node(a))
                        .collect(),
                ),
            ));
        }
        if plan.style == PermissionStyle::Inline && !role.inline.is_empty() {
            props.push((
                "Policies",
                Node::Seq(role.inline.iter().map(policy_entry).collect()),
            ));
        }
        resources.push((
            role.logical_id.clone(),
            map(vec![
                ("Type", s("AWS::IAM::Role")),
                ("Properties", map(props)),
            ]),
        ));
        if plan.style == PermissionStyle::PerFeature {
            for p in &role.inline {
                let props = map(vec![
                    ("PolicyName", s(&p.name)),
                    ("Roles", Node::Seq(vec![Node::Ref(role.logical_id.clone())])),
                    ("PolicyDocument", from_json(&p.document)),
                ]);
                resources.push((
                    p.logical_id.clone(),
                    map(vec![("Type", s("AWS::IAM::Policy")), ("Properties", props)]),
                ));
            }
        }
        if let Some(ip) = &role.instance_profile {
            let mut props = vec![("InstanceProfileName", s(&ip.name))];
            if role.path != "/" {
                props.push(("Path", s(&role.path)));
            }
            props.push(("Roles", Node::Seq(vec![Node::Ref(role.logical_id.clone())])));
            resources.push((
                ip.logical_id.clone(),
                map(vec![
                    ("Type", s("AWS::IAM::InstanceProfile")),
                    ("Properties", map(props)),
                ]),
            ));
        }
        outputs.push((
            format!("{}Arn", role.logical_id),
            map(vec![
                (
                    "Description",
                    s(format!(
                        "ARN of the {} {}",
                        role.kind.title.to_ascii_lowercase(),
                        role.name
                    )),
                ),
                ("Value", Node::GetAtt(role.logical_id.clone(), "Arn".into())),
            ]),
        ));
        if let Some(ip) = &role.instance_profile {
            outputs.push((
                format!("{}Arn", ip.logical_id),
                map(vec![
                    (
                        "Description",
                        s(format!("ARN of the instance profile {}", ip.name)),
                    ),
                    ("Value", Node::GetAtt(ip.logical_id.clone(), "Arn".into())),
                ]),
            ));
        }
    }
    for p in &plan.managed {
        let mut props = vec![("ManagedPolicyName", s(&p.name))];
        if p.path != "/" {
            props.push(("Path", s(&p.path)));
        }
        if !p.roles.is_empty() {
            props.push((
                "Roles",
                Node::Seq(
                    p.roles
                        .iter()
                        .map(|&r| Node::Ref(plan.roles[r].logical_id.clone()))
                        .collect(),
                ),
            ));
        }
        props.push(("PolicyDocument", from_json(&p.document)));
        resources.push((
            p.logical_id.clone(),
            map(vec![
                ("Type", s("AWS::IAM::ManagedPolicy")),
                ("Properties", map(props)),
            ]),
        ));
        outputs.push((
            format!("{}Arn", p.logical_id),
            map(vec![
                (
                    "Description",
                    s(format!("ARN of the managed policy {}", p.name)),
                ),
                ("Value", Node::Ref(p.logical_id.clone())),
            ]),
        ));
    }
    let names: Vec<&str> = plan
        .roles
        .iter()
        .map(|r| r.name.as_str())
        .chain(
            plan.managed
                .iter()
                .filter(|p| p.kind.is_some())
                .map(|p| p.name.as_str()),
        )
        .collect();
    // The roles are named (RoleName), so a deployment must acknowledge CAPABILITY_NAMED_IAM;
    // the template says so where every console and CLI user sees it.
    const DEPLOY: &str = "Deploy with --capabilities CAPABILITY_NAMED_IAM (the roles have names).";
    let mut description = format!(
        "IAM for Amazon ECS: {}. {DEPLOY} Generated by ecs-iam.",
        names.join(", ")
    );
    if description.len() > 1024 {
        description = format!("IAM roles for Amazon ECS. {DEPLOY} Generated by ecs-iam.");
    }
    let mut top = vec![
        ("AWSTemplateFormatVersion", s("2010-09-09")),
        ("Description", s(description)),
    ];
    // Statements for the owners of the resources (another account's, or a key policy), which
    // this stack cannot create: kept beside it, for them to apply.
    if !plan.owner_grants.is_empty() {
        top.push((
            "Metadata",
            map(vec![(
                "EcsIamOwnerPolicies",
                from_json(&super::json::owner_policies(plan)),
            )]),
        ));
    }
    top.push(("Resources", Node::Map(resources)));
    top.push(("Outputs", Node::Map(outputs)));
    map(top)
}
