//! Generates the package's TypeScript types from the catalogue, so that they can never
//! disagree with what the engine accepts: one interface per feature with its parameters, one
//! role type per kind with the features that kind accepts.

use ecs_iam_core::{catalog, ParamType};
use std::fmt::Write;

fn doc(text: &str, indent: &str) -> String {
    format!("{indent}/** {} */\n", text.replace("*/", "* /"))
}

fn pascal(id: &str) -> String {
    id.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn union<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|s| serde_json::to_string(s).unwrap())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn main() {
    println!("cargo::rerun-if-changed=../core/catalog");
    let c = catalog();
    let mut ts = String::from("\n// Generated from the ecs-iam catalogue.\n\n");
    ts += &doc("The code of a diagnostic of `check`.", "");
    writeln!(
        ts,
        "export type DiagnosticCode = {};\n",
        union(c.diagnostics.iter().map(|d| d.code))
    )
    .unwrap();
    ts += &doc("An output format of `render`.", "");
    writeln!(
        ts,
        "export type FormatId = {};\n",
        union(c.formats.iter().map(|f| f.id))
    )
    .unwrap();
    ts += &doc("An AWS partition.", "");
    writeln!(
        ts,
        "export type Partition = {};\n",
        union(c.partitions.iter().map(|p| p.id))
    )
    .unwrap();
    ts += &doc("Where permissions go: inline policies, one AWS::IAM::Policy per feature, or customer managed policies.", "");
    writeln!(
        ts,
        "export type PermissionStyle = {};\n",
        union(c.permission_styles.iter().map(|p| p.id))
    )
    .unwrap();
    ts += &doc("A role kind.", "");
    writeln!(
        ts,
        "export type RoleKind = {};\n",
        union(c.role_kinds.iter().map(|k| k.id))
    )
    .unwrap();
    ts += r#"/** An IAM policy statement of a custom feature, as IAM writes it. */
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | number | boolean | Array<string | number | boolean>>>;
}

"#;
    for f in c.features {
        ts += &doc(&format!("{}: {}", f.title, f.summary), "");
        writeln!(ts, "export interface {}Feature {{", pascal(f.id)).unwrap();
        writeln!(ts, "  id: {};", serde_json::to_string(&f.id).unwrap()).unwrap();
        for p in f.params {
            let ty = match p.ty {
                ParamType::List => "string[]",
                ParamType::Value => "string",
                ParamType::Bool => "boolean",
                ParamType::Statements => "Statement[]",
            };
            ts += &doc(p.description, "  ");
            let opt = if p.required { "" } else { "?" };
            let null = if p.required { "" } else { " | null" };
            writeln!(ts, "  {}{opt}: {ty}{null};", p.name).unwrap();
        }
        ts += "}\n\n";
    }
    ts += r#"interface RoleBase {
  /** The role's name (the policy's, for a deployer); default: the AWS console's name for the kind. */
  name?: string | null;
  /** IAM path, such as /ecs/. */
  path?: string | null;
  description?: string | null;
  /** AWS managed policy names known to the catalogue (optionally with their path), or policy ARNs. */
  managedPolicies?: string[] | null;
  /** aws:SourceArn and aws:SourceAccount conditions on the trust policy, where AWS documents them. */
  confusedDeputy?: boolean | null;
}

"#;
    let mut kinds = Vec::new();
    for k in c.role_kinds {
        let name = format!("{}Role", pascal(k.id));
        ts += &doc(&format!("{}: {}", k.title, k.summary), "");
        writeln!(ts, "export interface {name} extends RoleBase {{").unwrap();
        writeln!(ts, "  kind: {};", serde_json::to_string(&k.id).unwrap()).unwrap();
        if k.instance_profile {
            ts += "  /** The instance profile's name; default: the role's name. */\n  instanceProfileName?: string | null;\n";
        }
        let passes = !k.passes.is_empty()
            || c.features
                .iter()
                .any(|f| f.roles.contains(&k.id) && !f.passes.is_empty());
        if let Some(cd) = &k.confused_deputy {
            if let (Some(param), Some(label)) = (cd.source_param, cd.source_label) {
                writeln!(
                    ts,
                    "  /** {label} its trust policy's aws:SourceArn names; default: {}. */\n  {param}?: string[] | null;",
                    cd.source_default.unwrap_or("none")
                )
                .unwrap();
            }
        }
        if passes {
            ts += "  /** The roles of this config it may pass; default: all of them. */\n  passRoles?: string[] | null;\n";
        }
        let features: Vec<String> = c
            .features
            .iter()
            .filter(|f| f.roles.contains(&k.id))
            .map(|f| format!("{}Feature", pascal(f.id)))
            .collect();
        if !features.is_empty() {
            writeln!(ts, "  features?: Array<{}> | null;", features.join(" | ")).unwrap();
        }
        ts += "}\n\n";
        kinds.push(name);
    }
    writeln!(ts, "export type Role = {};\n", kinds.join(" | ")).unwrap();
    ts += r#"/** The configuration: the same JSON the ecs-iam CLI reads and the web app's share link holds. */
export interface Config {
  $schema?: string | null;
  /** Absent: CloudFormation uses ${AWS::Partition}. */
  partition?: Partition | null;
  /** Absent: CloudFormation uses ${AWS::Region}. */
  region?: string | null;
  /** A 12-digit account id. Absent: CloudFormation uses ${AWS::AccountId}. */
  account?: string | null;
  permissions?: PermissionStyle | null;
  roles: Role[];
}

/** A finding of `check`, as `ecs-iam check --json` prints it. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: "error" | "warning" | "info";
  /** The config path it is about, such as roles[0].features[1].repositories[0]. */
  path: string;
  message: string;
  /** A link to the AWS documentation. */
  docs: string;
}

/** A link to the AWS documentation. */
export interface DocLink {
  title: string;
  url: string;
}

/** Why a trust policy or a statement is there. */
export interface ExplainedStatement {
  /** The statement's Sid. */
  sid: string;
  why: string;
  docs: DocLink[];
}

/** Why a role (or a deployer's policy) and everything in it is there, as `ecs-iam explain --json` prints it. */
export interface Explanation {
  /** The role's or the policy's name. */
  name: string;
  kind: RoleKind;
  title: string;
  summary: string;
  notes: string[];
  /** The trust policy's statements (none for a deployer's policy). */
  trust: ExplainedStatement[];
  managedPolicies: Array<{ arn: string; why: string; docs: DocLink[] }>;
  policies: Array<{ name: string; feature: string; source: string; statements: ExplainedStatement[] }>;
  /** What the owners of resources in other accounts add to those resources' own policies (key policies, secret and repository policies); absent when nothing. */
  ownerPolicies?: Array<{ account: string; policy: string; resource: string; source: string; why: string; statement: Record<string, unknown> }>;
}

/** A parameter of a feature, in the catalogue. */
export interface CatalogParam {
  name: string;
  type: "list" | "value" | "bool" | "statements";
  item?: string;
  required?: boolean;
  description: string;
}

/** Every role kind, feature, parameter and format, as `ecs-iam catalog --json` prints it. */
export interface Catalog {
  partitions: Array<{ id: Partition; extraPassedToService: Record<string, string>; regionPrefixes: string[]; exampleRegion: string; ecrRegistry: string }>;
  roleKinds: Array<{ id: RoleKind; title: string; colour: string; summary: string; principal?: string; defaultName: string; defaultManagedPolicies: string[]; capacities: string[]; docs: string; notes: string[]; [key: string]: unknown }>;
  valueKinds: Array<{ id: string; label: string; example: string; arn?: string; [key: string]: unknown }>;
  features: Array<{ id: string; title: string; summary: string; roles: RoleKind[]; homeRoles: RoleKind[]; params: CatalogParam[]; docs: Array<{ title: string; url: string }>; [key: string]: unknown }>;
  actionHomes: Array<{ prefix: string; roles: RoleKind[]; message: string }>;
  formats: Array<{ id: FormatId; title: string; tool: string; fileName: string; mediaType: string; syntax: string; multiFile: boolean; downloadName: string | null }>;
  permissionStyles: Array<{ id: PermissionStyle; title: string }>;
  diagnostics: Array<{ code: DiagnosticCode; title: string; docs: string }>;
  checks: Array<{ id: string; summary: string }>;
  errorPatterns: Array<{ id: string; match: string[]; cause: string; roleKind: RoleKind | null; notIam: boolean; fix: string; docs: string }>;
  sidecarImages: Array<{ match: string; feature: string; why: string }>;
  compatibilities: Array<{ id: string; capacity: string; roleKinds: RoleKind[]; infrastructureFeatures: string[]; why: string }>;
  iam: {
    policyVersion: string;
    trust: { action: string; sourceArnKey: string; sourceAccountKey: string; sourceAccountOperator: string };
    passRole: { action: string; serviceKey: string; operator: string; docsTitle: string };
    arns: { role: string; policy: string; awsManagedPolicy: string };
    limits: Record<string, number>;
    sizeCounting: { partition: string; region: string; account: string };
    decryptAction: string;
    secretReadActions: string[];
  };
  managedPolicies: Array<{ name: string; path: string; version: string; usedFor: string; attachTo: RoleKind[]; attachable: boolean; docs: string }>;
}
"#;
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("types.d.ts");
    std::fs::write(out, ts).unwrap();
}
