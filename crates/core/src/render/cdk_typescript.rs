//! An AWS CDK v2 stack in TypeScript: `iam.Role` with a `ServicePrincipal` that carries the
//! confused-deputy conditions, `inlinePolicies` of `PolicyDocument.fromJson`,
//! `ManagedPolicy.fromAwsManagedPolicyName`, `iam.ManagedPolicy` for customer managed policies,
//! `CfnInstanceProfile`, and a `CfnOutput` per ARN. `--out` writes an app that `npx cdk synth`
//! synthesizes as it is.
//!
//! Strings are double-quoted JSON string literals, which TypeScript reads as they are: no
//! template literal, so an IAM policy variable such as `${aws:username}` stays text. What the
//! configuration leaves open is concatenated from `Aws.PARTITION`, `Aws.REGION` and
//! `Aws.ACCOUNT_ID`.

use super::OutputFile;
use crate::plan::{Plan, ACCOUNT, PARTITION, PLACEHOLDERS, REGION};
use serde_json::Value;
use std::fmt::Write;

const AWS_CDK_LIB: &str = "2.276.0";
const CONSTRUCTS: &str = "10.8.1";
const AWS_CDK_CLI: &str = "2.1148.1";
const TYPESCRIPT: &str = "5.9.3";
const TYPES_NODE: &str = "20.19.25";

const TOKENS: [(&str, &str); 3] = [
    (PARTITION, "Aws.PARTITION"),
    (REGION, "Aws.REGION"),
    (ACCOUNT, "Aws.ACCOUNT_ID"),
];

fn literal(s: &str) -> String {
    let mut out = String::new();
    crate::json::quote_visible_into(&mut out, s);
    out
}

/// A string as a TypeScript expression: a literal, or literals and tokens joined with `+`.
fn string(s: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some((i, p)) = PLACEHOLDERS
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, *p)))
        .min()
    {
        if i > 0 {
            parts.push(literal(&rest[..i]));
        }
        let token = TOKENS
            .iter()
            .find(|(ph, _)| *ph == p)
            .map_or("", |(_, t)| *t);
        parts.push(token.to_string());
        rest = &rest[i + p.len()..];
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(literal(rest));
    }
    parts.join(" + ")
}

fn pad(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// A JSON value as a TypeScript expression; lines after the first at `level`.
fn value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => out.push_str(&string(s)),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        Value::Array(a) => {
            out.push_str("[\n");
            for x in a {
                pad(out, level + 1);
                value(out, x, level + 1);
                out.push_str(",\n");
            }
            pad(out, level);
            out.push(']');
        }
        Value::Object(o) => {
            out.push_str("{\n");
            for (k, x) in o {
                pad(out, level + 1);
                let _ = write!(out, "{}: ", literal(k));
                value(out, x, level + 1);
                out.push_str(",\n");
            }
            pad(out, level);
            out.push('}');
        }
    }
}

const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "let",
    "static",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "await",
    "iam",
    "Aws",
    "CfnOutput",
    "Stack",
    "StackProps",
    "Construct",
    "scope",
    "id",
    "props",
];

/// A variable name for a construct with this logical id: camel case, never a reserved word.
fn variable(logical_id: &str) -> String {
    let mut chars = logical_id.chars();
    let mut v: String = chars
        .next()
        .map(|c| c.to_ascii_lowercase())
        .into_iter()
        .chain(chars)
        .collect();
    if RESERVED.contains(&v.as_str()) {
        v.push('_');
    }
    v
}

/// The single statement a `ServicePrincipal` with conditions writes, when the trust policy is
/// that: (service, conditions, Sid).
fn service_trust(trust: &Value) -> Option<(&str, Option<&Value>, Option<&str>)> {
    let [st] = trust["Statement"].as_array()?.as_slice() else {
        return None;
    };
    let o = st.as_object()?;
    let service = st["Principal"]["Service"].as_str()?;
    let plain = st["Effect"] == "Allow"
        && st["Principal"].as_object()?.len() == 1
        && st["Action"] == crate::catalog::catalog().iam.trust.action
        && o.keys().all(|k| {
            matches!(
                k.as_str(),
                "Sid" | "Effect" | "Principal" | "Action" | "Condition"
            )
        });
    plain.then(|| (service, o.get("Condition"), st["Sid"].as_str()))
}

const HEADER: &str = "// IAM roles for Amazon ECS, as an AWS CDK v2 stack. Generated by ecs-iam.
import { Aws, CfnOutput, Stack, StackProps } from \"aws-cdk-lib\";
import * as iam from \"aws-cdk-lib/aws-iam\";
import { Construct } from \"constructs\";

export class EcsIamStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
";

fn stack(plan: &Plan) -> String {
    let mut out = String::from(HEADER);
    let policy_vars: Vec<String> = plan
        .managed
        .iter()
        .map(|p| variable(&p.logical_id))
        .collect();
    for (p, var) in plan.managed.iter().zip(&policy_vars) {
        let _ = writeln!(out, "\n    // Customer managed policy {}", p.name);
        let _ = writeln!(
            out,
            "    const {var} = new iam.ManagedPolicy(this, {}, {{\n      managedPolicyName: {},",
            literal(&p.logical_id),
            literal(&p.name)
        );
        if p.path != "/" {
            let _ = writeln!(out, "      path: {},", literal(&p.path));
        }
        out.push_str("      document: iam.PolicyDocument.fromJson(");
        value(&mut out, &p.document, 3);
        out.push_str("),\n    });\n");
        let _ =
            writeln!(
            out,
            "    new CfnOutput(this, {}, {{ value: {var}.managedPolicyArn, description: {} }});",
            literal(&format!("{}-Arn", p.logical_id)),
            literal(&format!("The ARN of the customer managed policy {}.", p.name))
        );
    }
    for r in &plan.roles {
        let var = variable(&r.logical_id);
        let _ = writeln!(out, "\n    // {} {}", r.kind.title, r.name);
        let _ = writeln!(
            out,
            "    const {var} = new iam.Role(this, {}, {{\n      roleName: {},",
            literal(&r.logical_id),
            literal(&r.name)
        );
        if r.path != "/" {
            let _ = writeln!(out, "      path: {},", literal(&r.path));
        }
        if let Some(d) = &r.description {
            let _ = writeln!(out, "      description: {},", literal(d));
        }
        let simple = service_trust(&r.trust);
        let service = simple.map_or_else(
            || {
                r.trust["Statement"][0]["Principal"]["Service"]
                    .as_str()
                    .unwrap_or_default()
            },
            |(s, _, _)| s,
        );
        let _ = write!(
            out,
            "      assumedBy: new iam.ServicePrincipal({}",
            literal(service)
        );
        if let Some((_, Some(conditions), _)) = simple {
            out.push_str(", {\n        conditions: ");
            value(&mut out, conditions, 4);
            out.push_str(",\n      }");
        }
        out.push_str("),\n");
        let mut managed: Vec<String> = r
            .managed_policy_arns
            .iter()
            .enumerate()
            .map(|(i, arn)| match arn.split_once(":iam::aws:policy/") {
                Some((_, name)) => format!(
                    "iam.ManagedPolicy.fromAwsManagedPolicyName({})",
                    literal(name)
                ),
                None => format!(
                    "iam.ManagedPolicy.fromManagedPolicyArn(this, {}, {})",
                    literal(&format!("{}-Managed{i}", r.logical_id)),
                    string(arn)
                ),
            })
            .collect();
        managed.extend(r.attached.iter().map(|&i| policy_vars[i].clone()));
        if !managed.is_empty() {
            out.push_str("      managedPolicies: [\n");
            for m in &managed {
                let _ = writeln!(out, "        {m},");
            }
            out.push_str("      ],\n");
        }
        if !r.inline.is_empty() {
            out.push_str("      inlinePolicies: {\n");
            for p in &r.inline {
                let _ = write!(
                    out,
                    "        {}: iam.PolicyDocument.fromJson(",
                    literal(&p.name)
                );
                value(&mut out, &p.document, 4);
                out.push_str("),\n");
            }
            out.push_str("      },\n");
        }
        out.push_str("    });\n");
        match simple {
            Some((_, _, Some(sid))) => {
                let _ = writeln!(
                    out,
                    "    (({var}.node.defaultChild) as iam.CfnRole).addPropertyOverride(\"AssumeRolePolicyDocument.Statement.0.Sid\", {});",
                    literal(sid)
                );
            }
            Some(_) => {}
            None => {
                out.push_str(&format!(
                    "    (({var}.node.defaultChild) as iam.CfnRole).addPropertyOverride(\"AssumeRolePolicyDocument\", "
                ));
                value(&mut out, &r.trust, 2);
                out.push_str(");\n");
            }
        }
        if let Some(ip) = &r.instance_profile {
            let _ = write!(
                out,
                "    new iam.CfnInstanceProfile(this, {}, {{\n      instanceProfileName: {},\n",
                literal(&ip.logical_id),
                literal(&ip.name)
            );
            if r.path != "/" {
                let _ = writeln!(out, "      path: {},", literal(&r.path));
            }
            let _ = writeln!(out, "      roles: [{var}.roleName],\n    }});");
        }
        let _ = writeln!(
            out,
            "    new CfnOutput(this, {}, {{ value: {var}.roleArn, description: {} }});",
            literal(&format!("{}-Arn", r.logical_id)),
            literal(&format!("The ARN of {} ({}).", r.name, r.kind.title))
        );
    }
    if !plan.owner_grants.is_empty() {
        out.push_str("\n    // The owners of resources in other accounts add these statements to those resources'\n    // own policies (this stack cannot, from this account):\n");
        for g in &plan.owner_grants {
            let _ = writeln!(
                out,
                "    // account {}, {} of {}:\n    //   {}",
                g.account,
                g.policy,
                g.resource,
                crate::json::to_string(&g.statement)
            );
        }
    }
    out.push_str("  }\n}\n");
    out
}

/// The stack, as one file to add to a CDK app (`lib/ecs-iam-stack.ts`).
pub(super) fn render(plan: &Plan) -> String {
    stack(plan)
}

/// A CDK app that synthesizes as it is (`npm install`, then `npx cdk synth`).
pub(super) fn files(plan: &Plan) -> Vec<OutputFile> {
    let file = |path: &str, contents: String| OutputFile {
        path: path.into(),
        contents,
        executable: false,
    };
    let config = &plan.config;
    let mut env = Vec::new();
    if let Some(a) = &config.account {
        env.push(format!("account: {}", literal(a)));
    }
    if let Some(r) = &config.region {
        env.push(format!("region: {}", literal(r)));
    }
    let env = if env.is_empty() {
        String::new()
    } else {
        format!(", {{ env: {{ {} }} }}", env.join(", "))
    };
    vec![
        file(
            "package.json",
            format!("{{\n  \"name\": \"ecs-iam-roles\",\n  \"private\": true,\n  \"scripts\": {{\n    \"build\": \"tsc\",\n    \"synth\": \"cdk synth\"\n  }},\n  \"dependencies\": {{\n    \"aws-cdk-lib\": \"{AWS_CDK_LIB}\",\n    \"constructs\": \"{CONSTRUCTS}\"\n  }},\n  \"devDependencies\": {{\n    \"@types/node\": \"{TYPES_NODE}\",\n    \"aws-cdk\": \"{AWS_CDK_CLI}\",\n    \"typescript\": \"{TYPESCRIPT}\"\n  }}\n}}\n"),
        ),
        file(
            "tsconfig.json",
            "{\n  \"compilerOptions\": {\n    \"target\": \"ES2022\",\n    \"module\": \"commonjs\",\n    \"lib\": [\"es2022\"],\n    \"strict\": true,\n    \"skipLibCheck\": true,\n    \"outDir\": \"dist\",\n    \"rootDir\": \".\",\n    \"types\": [\"node\"]\n  },\n  \"include\": [\"bin\", \"lib\"]\n}\n".into(),
        ),
        file(
            "cdk.json",
            "{\n  \"app\": \"npx tsc && node dist/bin/app.js\"\n}\n".into(),
        ),
        file(
            "bin/app.ts",
            format!("#!/usr/bin/env node\nimport {{ App }} from \"aws-cdk-lib\";\nimport {{ EcsIamStack }} from \"../lib/ecs-iam-stack\";\n\nconst app = new App();\nnew EcsIamStack(app, \"EcsIam\"{env});\n"),
        ),
        file("lib/ecs-iam-stack.ts", stack(plan)),
    ]
}
