//! The values of a CloudFormation template as far as the template itself decides them:
//! parameters' defaults, the names resources are given, `Fn::Sub` and `Fn::Join` of those.
//! The stack's own partition, Region and account stay as markers (`${AWS::Region}`), which
//! the importer takes for the configuration's own.

use super::get;
use crate::catalog::ValueKindId;
use serde_json::{Map, Value};

/// How far a value that refers to another is followed (a name made of a `Fn::Sub` of a
/// parameter, ...). A template that refers in a circle stops here.
const MAX_HOPS: usize = 8;

/// A value of a task definition's field.
#[derive(Debug)]
pub(crate) enum Text {
    /// The text.
    Known(String),
    /// A role of the template: its `RoleName`, when it has one.
    Role(Option<String>),
    /// Not decided by the template: why (`the parameter Image, which has no default`); with
    /// the text so far, where references it cannot follow stay as `${Name}`.
    Unknown(String),
    /// Text with parts the template does not decide, kept as `${Name}`.
    Partial(String, String),
}

impl Text {
    pub(crate) fn known(&self) -> Option<String> {
        match self {
            Text::Known(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// The text with what is not known as `${Name}` (enough to read an image's registry).
    pub(crate) fn or_markers(&self) -> String {
        match self {
            Text::Known(t) | Text::Partial(t, _) => t.clone(),
            _ => String::new(),
        }
    }
}

/// Whether a text is the marker of a pseudo parameter of the stack (`${AWS_AccountId}` for
/// `AWS::AccountId`: without colons, so that an ARN's parts stay apart).
pub(crate) fn is_pseudo(s: &str) -> bool {
    s.starts_with("${AWS_") && s.ends_with('}') && !s[2..].contains(['$', ':'])
}

/// The property that names a resource of a type, where `Ref` returns that name (or, for a
/// secret, an ARN that the configuration may as well hold by name).
const NAMED_BY: &[(&str, &str)] = &[
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::Logs::LogGroup", "LogGroupName"),
    ("AWS::SecretsManager::Secret", "Name"),
    ("AWS::SSM::Parameter", "Name"),
    ("AWS::ECR::Repository", "RepositoryName"),
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::KinesisFirehose::DeliveryStream", "DeliveryStreamName"),
    ("AWS::Kinesis::Stream", "Name"),
];

const ROLE_TYPE: &str = "AWS::IAM::Role";
const SECRET_TYPE: &str = "AWS::SecretsManager::Secret";

/// The ARN of a resource of the stack's own partition, Region and account, by the value
/// kind's template (without what the template adds after the name).
fn stack_arn(kind: ValueKindId, name: &str) -> String {
    let info = kind.info();
    let template = info.arn.unwrap_or_default();
    let template = template
        .strip_suffix(crate::validate::name_suffix(info))
        .unwrap_or(template);
    template
        .replace("${Partition}", "${AWS_Partition}")
        .replace("${Region}", "${AWS_Region}")
        .replace("${Account}", "${AWS_AccountId}")
        .replace("${Name}", name)
}

/// Values of a plain task definition, or of a template.
pub(crate) enum Resolver<'a> {
    Plain,
    Template {
        parameters: Option<&'a Map<String, Value>>,
        resources: &'a Map<String, Value>,
    },
}

type Got = Result<(String, Option<String>), String>;

impl Resolver<'_> {
    pub(crate) fn text(&self, v: &Value) -> Text {
        match self {
            // The ECS API takes text only: a number where it expects text is refused there.
            Resolver::Plain => match v {
                Value::String(s) => Text::Known(s.clone()),
                _ => Text::Unknown("not a text, which ECS expects here".into()),
            },
            Resolver::Template { .. } => {
                if let Some(role) = self.role(v) {
                    return role;
                }
                match self.resolve(v, 0) {
                    Ok((t, None)) => Text::Known(t),
                    Ok((t, Some(why))) => Text::Partial(t, why),
                    Err(why) => Text::Unknown(why),
                }
            }
        }
    }

    fn resource(&self, name: &str) -> Option<(&str, Option<&Map<String, Value>>)> {
        let Resolver::Template { resources, .. } = self else {
            return None;
        };
        let r = resources.get(name)?.as_object()?;
        let ty = r.get("Type")?.as_str()?;
        Some((ty, r.get("Properties").and_then(Value::as_object)))
    }

    /// `Ref` or `Fn::GetAtt ... Arn` of a role of the template.
    fn role(&self, v: &Value) -> Option<Text> {
        let m = v.as_object().filter(|m| m.len() == 1)?;
        let target = match (m.get("Ref"), m.get("Fn::GetAtt")) {
            (Some(Value::String(r)), _) => r.as_str(),
            (_, Some(Value::Array(a))) if a.len() == 2 && a[1].as_str() == Some("Arn") => {
                a[0].as_str()?
            }
            (_, Some(Value::String(s))) => s.strip_suffix(".Arn")?,
            _ => return None,
        };
        let (ty, props) = self.resource(target)?;
        if ty != ROLE_TYPE {
            return None;
        }
        let name = props
            .and_then(|p| get(p, "RoleName"))
            .and_then(|(_, n)| self.resolve(n, 1).ok())
            .filter(|(_, partial)| partial.is_none())
            .map(|(t, _)| t)
            .filter(|t| !t.contains("${"));
        Some(Text::Role(name))
    }

    fn resolve(&self, v: &Value, hops: usize) -> Got {
        if hops > MAX_HOPS {
            return Err("a reference the template follows too far (in a circle?)".into());
        }
        match v {
            Value::String(s) => Ok((s.clone(), None)),
            Value::Number(n) => Ok((n.to_string(), None)),
            Value::Bool(b) => Ok((b.to_string(), None)),
            Value::Object(m) if m.len() == 1 => {
                let (f, arg) = m.iter().next().expect("one entry");
                match (f.as_str(), arg) {
                    ("Ref", Value::String(name)) => self.reference(name, hops),
                    ("Fn::Sub", Value::String(s)) => self.sub(s, None, hops),
                    ("Fn::Sub", Value::Array(a)) if a.len() == 2 => match (&a[0], a[1].as_object()) {
                        (Value::String(s), Some(vars)) => self.sub(s, Some(vars), hops),
                        _ => Err("a Fn::Sub that is not [text, variables]".into()),
                    },
                    ("Fn::Join", Value::Array(a)) if a.len() == 2 => {
                        let (Some(delim), Some(parts)) = (a[0].as_str(), a[1].as_array()) else {
                            return Err("a Fn::Join of values the template decides only when deployed".into());
                        };
                        let mut out = Vec::new();
                        let mut partial = None;
                        for p in parts {
                            let (t, why) = self.resolve(p, hops + 1)?;
                            partial = partial.or(why);
                            out.push(t);
                        }
                        Ok((out.join(delim), partial))
                    }
                    ("Fn::GetAtt", _) => Err("an attribute (Fn::GetAtt) that CloudFormation knows only when it creates the resource".into()),
                    (f, _) => Err(format!("{f}, which the template decides only when deployed")),
                }
            }
            _ => Err("not a text".into()),
        }
    }

    fn reference(&self, name: &str, hops: usize) -> Got {
        if let Some(pseudo) = name.strip_prefix("AWS::") {
            return match pseudo {
                "Region" | "AccountId" | "Partition" | "URLSuffix" => {
                    Ok((format!("${{AWS_{pseudo}}}"), None))
                }
                _ => Err(format!("the pseudo parameter {name}")),
            };
        }
        let Resolver::Template { parameters, .. } = self else {
            return Err("a reference".into());
        };
        if let Some(p) = parameters
            .and_then(|p| p.get(name))
            .and_then(Value::as_object)
        {
            return match get(p, "Default") {
                Some((_, d)) => self.resolve(d, hops + 1),
                None => Err(format!("the parameter {name}, which has no default")),
            };
        }
        match self.resource(name) {
            Some((ty, props)) => {
                let named = NAMED_BY.iter().find(|(t, _)| *t == ty).map(|(_, p)| *p);
                match named.and_then(|p| props.and_then(|props| get(props, p))) {
                    // A secret's `Ref` is its ARN: a name alone would be read as a parameter.
                    Some((_, n)) if ty == SECRET_TYPE => {
                        let (name, partial) = self.resolve(n, hops + 1)?;
                        Ok((stack_arn(ValueKindId::Secret, &name), partial))
                    }
                    Some((_, n)) => self.resolve(n, hops + 1),
                    None => Err(format!("the resource {name}, whose name or id CloudFormation makes when it creates it")),
                }
            }
            None => Err(format!("{name}, which the template does not define")),
        }
    }

    fn sub(&self, s: &str, vars: Option<&Map<String, Value>>, hops: usize) -> Got {
        let mut out = String::with_capacity(s.len());
        let mut partial: Option<String> = None;
        let mut rest = s;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let var = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = var.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let got = match vars.and_then(|v| v.get(var)) {
                Some(v) => self.resolve(v, hops + 1),
                None if var.contains('.') => Err(format!(
                    "{var}, an attribute CloudFormation knows only when it creates the resource"
                )),
                None => self.reference(var, hops + 1),
            };
            match got {
                Ok((t, why)) => {
                    out.push_str(&t);
                    partial = partial.or(why);
                }
                Err(why) => {
                    out.push_str("${");
                    out.push_str(var);
                    out.push('}');
                    partial = partial.or(Some(why));
                }
            }
        }
        out.push_str(rest);
        Ok((out, partial))
    }
}
