//! `ecs-iam`: the command-line face of the core. It reads files and stdin, writes files and
//! stdout, and maps results to exit codes; everything else is in `ecs-iam-core`.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use ecs_iam_core::{catalog, Config, Format, Options, PermissionStyle, Severity};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

/// The help's closing text: an example configuration, and the role kinds of the catalogue.
fn example() -> String {
    let kinds: Vec<&str> = catalog().role_kinds.iter().map(|k| k.id).collect();
    format!(
        r#"A configuration is one JSON document. For example, a task execution role that pulls from one
ECR repository and logs to one log group:

  {{"partition": "aws", "region": "us-west-1", "account": "209640446841",
   "roles": [{{"kind": "task-execution", "name": "ecsTaskExecutionRole",
              "managedPolicies": [], "confusedDeputy": true,
              "features": [{{"id": "ecr-pull", "repositories": ["my-repo"]}},
                           {{"id": "logs", "logGroups": ["my-log-group-name"]}}]}}]}}

partition, region and account are optional: CloudFormation then uses its pseudo parameters and
the CLI script asks AWS when it runs. Role kinds: {}.
`ecs-iam catalog` lists every feature and parameter, `ecs-iam explain` says why each statement
is there; `ecs-iam schema > ecs-iam.schema.json` gives editors a JSON Schema.

Exit codes: 0 ok, 1 `check` found errors, 2 invalid input."#,
        kinds.join(", ")
    )
}

#[derive(Parser)]
#[command(
    name = "ecs-iam",
    version,
    about = "Least-privilege IAM roles for Amazon ECS, rendered as CloudFormation, AWS CLI, JSON and more.",
    after_help = "Run `ecs-iam --help` for an example configuration."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `--format`: the ids of the catalogue's formats.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::id))
        .map(|id| Format::from_id(&id).expect("a possible value is a format id"))
}

/// `--permissions`: the ids of the permission styles.
fn permissions_parser() -> impl clap::builder::TypedValueParser<Value = PermissionStyle> {
    PossibleValuesParser::new(PermissionStyle::ALL.map(PermissionStyle::id))
        .map(|id| PermissionStyle::from_id(&id).expect("a possible value is a permission style id"))
}

#[derive(Subcommand)]
enum Command {
    /// Render the IAM of a configuration in one format.
    Render {
        /// Configuration file, or - for standard input.
        config: String,
        /// Output format.
        #[arg(long, short, value_parser = format_parser(), default_value = "cloudformation-yaml")]
        format: Format,
        /// Where permissions go: inline policies, one AWS::IAM::Policy per feature, or customer
        /// managed policies. Overrides the configuration's "permissions".
        #[arg(long, value_parser = permissions_parser())]
        permissions: Option<PermissionStyle>,
        /// Write the rendering as files into this directory (template.yaml; create-roles.sh with
        /// its policy files; the .ufo tree) instead of printing it.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Check a configuration: size limits, wildcards, permissions on the wrong role, ...
    Check {
        /// Configuration file, or - for standard input.
        config: String,
        /// Print the diagnostics as a JSON array of {code, severity, path, message, docs}.
        #[arg(long)]
        json: bool,
    },
    /// Explain every role, managed policy and statement: why it is there, with AWS doc links.
    Explain {
        /// Configuration file, or - for standard input.
        config: String,
        /// Machine-readable JSON.
        #[arg(long)]
        json: bool,
    },
    /// List every role kind, feature, parameter and format.
    Catalog {
        /// Machine-readable JSON.
        #[arg(long)]
        json: bool,
    },
    /// Test vectors of a rendering: requests each role must be allowed and the nearest ones it
    /// must be denied, decided by the core's evaluator. Prints a bash script that asks IAM's
    /// policy simulator the same (or, with --json, a list of objects with role, policy, sid,
    /// principal, action, resource, context, expect, decision and why).
    Vectors {
        /// Configuration file, or - for standard input.
        config: String,
        #[arg(long)]
        json: bool,
    },
    /// Explain an ECS or IAM error message: its cause, the role at fault, the fix. With
    /// --config, the fix applied to that configuration: the action and resource the message
    /// names go to the feature that grants them on the role at fault (or a custom statement),
    /// and the new configuration is printed. Exit 0 when recognised, 1 when not.
    Diagnose {
        /// The message, or - (or nothing) for standard input.
        text: Option<String>,
        /// A configuration file to apply the fix to.
        #[arg(long)]
        config: Option<String>,
        /// Print recognised, id, cause, notIam, roleKind, roleName, actions, resources, fix and
        /// docs as a JSON object; with --config, also applied (config, changes, notes).
        #[arg(long)]
        json: bool,
    },
    /// Derive a configuration from what you have: an ECS task definition (register-task-definition
    /// input or describe-task-definition output), a container definitions array, or a
    /// CloudFormation template (YAML or JSON) with AWS::ECS::TaskDefinition and AWS::ECS::Service.
    /// Prints the configuration, and on stderr what the file cannot say; with --json, an object
    /// with source, config, derivations (path, from, why) and unknowns (from, message).
    Import {
        /// The file, or - (or nothing) for standard input.
        file: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Compare existing roles with what the configuration needs: missing and excess permissions,
    /// permissions on the wrong role, trust policies, broad managed policies, each with the
    /// request and the evaluator's decision on both sides. FILE is get-account-authorization-details
    /// output, get-role with get-role-policy and list-attached-role-policies outputs one after
    /// another, a CloudFormation template or a json rendering. Exit 0 when nothing differs, 1 when
    /// something does, 2 on invalid input.
    Diff {
        /// Configuration file, or - for standard input.
        config: String,
        /// The existing roles.
        #[arg(long)]
        against: String,
        /// Print source, compared, roles (name, kind, existing, and its findings as missing,
        /// excess, wrongRole, trust, managedPolicies), findings (kind, role, policy, principal, action, resource,
        /// context, config, existing, otherRole, why) and notes as a JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of the configuration.
    Schema,
}

/// The fix applied to a configuration, as `diagnose --config` prints it: the changes, the notes,
/// then the new configuration.
fn applied_text(applied: Option<&ecs_iam_core::Fix>) -> String {
    use std::fmt::Write as _;
    let Some(f) = applied else {
        return "\nNothing to apply to the configuration: the message names no permission it can hold.\n".into();
    };
    let mut s = String::from("\nApplied to the configuration:\n");
    for c in &f.changes {
        let _ = writeln!(s, "  {c}");
    }
    for n in &f.notes {
        let _ = writeln!(s, "  note: {n}");
    }
    if !f.changes.is_empty() {
        s.push_str("\nThe configuration with the fix:\n");
        s.push_str(&ecs_iam_core::json::to_string_pretty(&f.config));
        s.push('\n');
    }
    s
}

fn read_config(source: &str) -> Result<Config, String> {
    let text = if source == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        s
    } else {
        std::fs::read_to_string(source).map_err(|e| format!("cannot read {source}: {e}"))?
    };
    Config::parse(&text).map_err(|e| e.to_string())
}

fn safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !p.is_absolute() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

fn write_files(dir: &Path, files: &[ecs_iam_core::OutputFile]) -> Result<(), String> {
    for f in files {
        if !safe_relative(&f.path) {
            return Err(format!(
                "refusing to write outside {}: {}",
                dir.display(),
                f.path
            ));
        }
        let target = dir.join(&f.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, &f.contents)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        #[cfg(unix)]
        if f.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| format!("cannot chmod {}: {e}", target.display()))?;
        }
        eprintln!("wrote {}", target.display());
    }
    Ok(())
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ecs-iam: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}

/// The findings of `diff`, role by role.
fn diff_text(d: &ecs_iam_core::Diff) -> String {
    let mut s = String::new();
    for (role, existing) in &d.compared {
        let _ = writeln!(s, "{role} compared with the existing role {existing}:");
        let mine: Vec<&ecs_iam_core::Finding> =
            d.findings.iter().filter(|f| &f.role == role).collect();
        if mine.is_empty() {
            s.push_str(
                "  the same: every request the configuration allows is allowed, and nothing more\n",
            );
        }
        for f in mine {
            let context: Vec<String> = f
                .request
                .context
                .iter()
                .map(|(k, v)| format!("{k}={}", v.join(",")))
                .collect();
            let with = if context.is_empty() {
                String::new()
            } else {
                format!(" with {}", context.join(" "))
            };
            let who = if f.request.principal.is_empty() || !f.request.principal.contains('.') {
                String::new()
            } else {
                format!(" by {}", f.request.principal)
            };
            let _ = writeln!(
                s,
                "  {}: {} on {}{who}{with} (configuration: {}, existing: {}){}\n    {}",
                f.kind,
                f.request.action,
                f.request.resource,
                f.config.id(),
                f.existing.id(),
                if f.policy.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", f.policy)
                },
                f.why
            );
        }
    }
    for f in d.findings.iter().filter(|f| f.kind == "missing-role") {
        let _ = writeln!(s, "{}: missing-role\n    {}", f.role, f.why);
    }
    for n in &d.notes {
        let _ = writeln!(s, "note: {n}");
    }
    let _ = writeln!(s, "{} findings", d.findings.len());
    s
}

fn invalid(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}

/// A bash script that asks IAM's policy simulator what the evaluator answered, role by role.
fn vectors_script(plan: &ecs_iam_core::Plan, vectors: &[ecs_iam_core::Vector]) -> String {
    let mut s = String::from("#!/usr/bin/env bash\n# Test vectors of the IAM that ecs-iam renders: each request must get the answer noted,\n# from IAM's policy simulator (needs iam:SimulateCustomPolicy). Generated by ecs-iam.\nset -uo pipefail\nfailed=0\ncheck() { # expected answer, then the command\n  local want=\"$1\" got; shift\n  got=\"$(\"$@\")\" || { echo \"error: $*\" >&2; failed=1; return; }\n  if [ \"$got\" != \"$want\" ]; then echo \"FAIL: got $got, want $want: $*\" >&2; failed=1; fi\n}\n");
    let mut trust = 0;
    for (n, role) in plan.roles.iter().enumerate() {
        let mine: Vec<&ecs_iam_core::Vector> =
            vectors.iter().filter(|v| v.role == role.name).collect();
        trust += mine.iter().filter(|v| v.policy == "trust").count();
        let docs: Vec<serde_json::Value> = ecs_iam_core::role_policies(plan, n)
            .iter()
            .map(|d| serde_json::Value::String(ecs_iam_core::json::to_string(d)))
            .collect();
        if docs.is_empty() || mine.iter().all(|v| v.policy == "trust") {
            continue;
        }
        let file = format!("role-{n}-policies.json");
        s.push_str(&format!(
            "\n# {} {}\ncat > {file} <<'ECS_IAM_POLICIES'\n{}\nECS_IAM_POLICIES\n",
            role.kind.title,
            role.name,
            ecs_iam_core::json::to_string_pretty(&serde_json::Value::Array(docs))
        ));
        for v in mine.iter().filter(|v| v.policy != "trust") {
            if let Some(cmd) = v.simulate_command(&file) {
                let want = if v.allow { "allowed" } else { "implicitDeny" };
                s.push_str(&format!(
                    "# {} ({}{})\ncheck {want} {cmd}\n",
                    v.why,
                    v.policy,
                    if v.sid.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", v.sid)
                    }
                ));
            }
        }
    }
    if trust > 0 {
        s.push_str(&format!("\n# {trust} vectors of trust policies are checked by ecs-iam's evaluator only (`ecs-iam vectors --json`): IAM's simulator takes no trust policy.\n"));
    }
    s.push_str("\nif [ \"$failed\" = 0 ]; then echo 'Every vector got its answer.' >&2; fi\nexit \"$failed\"\n");
    s
}

fn diagnosis_text(d: &ecs_iam_core::Diagnosis) -> String {
    let Some(p) = d.pattern else {
        return "Not recognised: this is not an ECS or IAM error message that ecs-iam knows. Paste the whole message, with its AccessDeniedException or ResourceInitializationError part.\n".into();
    };
    let mut s = format!("{}\n", p.cause);
    if p.not_iam {
        s.push_str("This is not an IAM problem.\n");
    }
    if let Some(k) = d.role_kind {
        s.push_str(&format!("Role: {k}"));
        if let Some(n) = &d.role_name {
            s.push_str(&format!(" ({n})"));
        }
        s.push('\n');
    } else if let Some(n) = &d.role_name {
        s.push_str(&format!("Role: {n}\n"));
    }
    for a in &d.actions {
        s.push_str(&format!("Action: {a}\n"));
    }
    for r in &d.resources {
        s.push_str(&format!("Resource: {r}\n"));
    }
    s.push_str(&format!("Fix: {}\nSee {}\n", p.fix, p.docs));
    s
}

fn catalog_text() -> String {
    let c = catalog();
    let mut s = String::from("ROLE KINDS\n");
    for k in c.role_kinds {
        s.push_str(&format!(
            "  {:<20} {}\n  {:<20} {}\n",
            k.id, k.title, "", k.summary
        ));
    }
    s.push_str("\nFEATURES (id: roles; parameters)\n");
    for f in c.features {
        s.push_str(&format!(
            "  {:<20} {}\n  {:<20} roles: {}\n",
            f.id,
            f.title,
            "",
            f.roles.join(", ")
        ));
        for p in f.params {
            let ty = match p.ty {
                ecs_iam_core::ParamType::Bool => "bool".to_string(),
                ecs_iam_core::ParamType::Value => {
                    format!(
                        "string: {}",
                        p.item.map_or("", ecs_iam_core::ValueKindId::id)
                    )
                }
                ecs_iam_core::ParamType::List => {
                    format!(
                        "list of {}",
                        p.item.map_or("", ecs_iam_core::ValueKindId::id)
                    )
                }
                ecs_iam_core::ParamType::Statements => "list of IAM statements".to_string(),
            };
            s.push_str(&format!(
                "  {:<20}   {}{} ({ty}): {}\n",
                "",
                p.name,
                if p.required { "*" } else { "" },
                p.description
            ));
        }
    }
    s.push_str("\nFORMATS\n");
    for f in c.formats {
        s.push_str(&format!("  {:<20} {}\n", f.id, f.title));
    }
    s.push_str("\nPERMISSION STYLES (\"permissions\" or --permissions)\n");
    for p in c.permission_styles {
        s.push_str(&format!("  {:<20} {}\n", p.id, p.title));
    }
    s.push_str("\nAWS MANAGED POLICIES (name: meant for)\n");
    for m in c.managed_policies.iter().filter(|m| m.attachable) {
        s.push_str(&format!(
            "  {}{}: {}\n",
            m.path.trim_start_matches('/'),
            m.name,
            m.used_for
        ));
    }
    s.push_str("\n* required. `ecs-iam catalog --json` gives all of it as JSON.\n");
    s
}

fn main() -> ExitCode {
    let example = example();
    let command = Cli::command()
        .after_long_help(example.clone())
        .mut_subcommand("render", |render| render.after_long_help(example));
    let cli = match command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Render {
            config,
            format,
            permissions,
            out,
        } => {
            let config = match read_config(&config) {
                Ok(c) => c,
                Err(e) => return invalid(&e),
            };
            let options = Options { permissions };
            match out {
                Some(dir) => {
                    match write_files(&dir, &ecs_iam_core::render_files(&config, format, &options))
                    {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(e) => invalid(&format!("ecs-iam: {e}")),
                    }
                }
                None => {
                    if let Some(file) =
                        ecs_iam_core::owner_policies_apart(&ecs_iam_core::plan(&config), format)
                    {
                        eprintln!("ecs-iam: the owners of resources (another account's, a key policy) add statements that {} cannot hold: `--out DIR` writes them to {file}, and `--format json` shows them as OwnerPolicies", format.id());
                    }
                    print(&ecs_iam_core::render(&config, format, &options))
                }
            }
        }
        Command::Vectors { config, json } => {
            let config = match read_config(&config) {
                Ok(c) => c,
                Err(e) => return invalid(&e),
            };
            let plan = ecs_iam_core::plan(&config);
            let vectors = ecs_iam_core::vectors(&plan);
            if json {
                let list = vectors
                    .iter()
                    .map(ecs_iam_core::json::ToJson::to_json)
                    .collect();
                print(
                    &(ecs_iam_core::json::to_string_pretty(&serde_json::Value::Array(list)) + "\n"),
                )
            } else {
                print(&vectors_script(&plan, &vectors))
            }
        }
        Command::Diagnose { text, config, json } => {
            let from_stdin = !matches!(text.as_deref(), Some(t) if t != "-");
            let config = match config.as_deref() {
                Some("-") if from_stdin => {
                    return invalid(
                        "ecs-iam: the message and --config cannot both be standard input",
                    )
                }
                Some(c) => match read_config(c) {
                    Ok(c) => Some(c),
                    Err(e) => return invalid(&e),
                },
                None => None,
            };
            let text = match text.as_deref() {
                Some(t) if t != "-" => t.to_string(),
                _ => {
                    let mut s = String::new();
                    if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                        return invalid(&format!("ecs-iam: cannot read standard input: {e}"));
                    }
                    s
                }
            };
            let d = ecs_iam_core::diagnose(&text);
            let applied = config.as_ref().and_then(|c| ecs_iam_core::fix(c, &d));
            let out = if json {
                let mut v = ecs_iam_core::json::ToJson::to_json(&d);
                if config.is_some() {
                    if let serde_json::Value::Object(m) = &mut v {
                        m.insert(
                            "applied".into(),
                            applied.as_ref().map_or(serde_json::Value::Null, |f| {
                                ecs_iam_core::json::ToJson::to_json(f)
                            }),
                        );
                    }
                }
                ecs_iam_core::json::to_string_pretty(&v) + "\n"
            } else {
                let mut s = diagnosis_text(&d);
                if config.is_some() {
                    s.push_str(&applied_text(applied.as_ref()));
                }
                s
            };
            match print(&out) {
                c if c != ExitCode::SUCCESS => c,
                _ if d.recognised() => ExitCode::SUCCESS,
                _ => ExitCode::from(1),
            }
        }
        Command::Import { file, json } => {
            let text = match file.as_deref() {
                Some(f) if f != "-" => match std::fs::read_to_string(f) {
                    Ok(t) => t,
                    Err(e) => return invalid(&format!("ecs-iam: cannot read {f}: {e}")),
                },
                _ => {
                    let mut s = String::new();
                    if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                        return invalid(&format!("ecs-iam: cannot read standard input: {e}"));
                    }
                    s
                }
            };
            let imported = match ecs_iam_core::import(&text) {
                Ok(i) => i,
                Err(e) if e.path.is_empty() => return invalid(&format!("input: {}", e.message)),
                Err(e) => return invalid(&e.to_string()),
            };
            if json {
                print(
                    &(ecs_iam_core::json::to_string_pretty(&ecs_iam_core::json::ToJson::to_json(
                        &imported,
                    )) + "\n"),
                )
            } else {
                for u in &imported.unknowns {
                    if u.from.is_empty() {
                        eprintln!("ecs-iam: note: {}", u.message);
                    } else {
                        eprintln!("ecs-iam: note: {}: {}", u.from, u.message);
                    }
                }
                print(&(ecs_iam_core::json::to_string_pretty(&imported.config) + "\n"))
            }
        }
        Command::Diff {
            config,
            against,
            json,
        } => {
            let config = match read_config(&config) {
                Ok(c) => c,
                Err(e) => return invalid(&e),
            };
            let text = match std::fs::read_to_string(&against) {
                Ok(t) => t,
                Err(e) => return invalid(&format!("ecs-iam: cannot read {against}: {e}")),
            };
            let d = match ecs_iam_core::diff(&config, &text) {
                Ok(d) => d,
                Err(e) if e.path.is_empty() => {
                    return invalid(&format!("{against}: {}", e.message))
                }
                Err(e) => return invalid(&format!("{against}: {e}")),
            };
            let out = if json {
                ecs_iam_core::json::to_string_pretty(&ecs_iam_core::json::ToJson::to_json(&d))
                    + "\n"
            } else {
                diff_text(&d)
            };
            match print(&out) {
                c if c != ExitCode::SUCCESS => c,
                _ if d.findings.is_empty() => ExitCode::SUCCESS,
                _ => ExitCode::from(1),
            }
        }
        Command::Check { config, json } => {
            let config = match read_config(&config) {
                Ok(c) => c,
                Err(e) => return invalid(&e),
            };
            let diags = ecs_iam_core::check(&config);
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let text = if json {
                let list = diags
                    .iter()
                    .map(ecs_iam_core::Diagnostic::to_value)
                    .collect();
                ecs_iam_core::json::to_string_pretty(&serde_json::Value::Array(list)) + "\n"
            } else if diags.is_empty() {
                "No findings.\n".to_string()
            } else {
                let mut s = String::new();
                for d in &diags {
                    let sev = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "info",
                    };
                    s.push_str(&format!(
                        "{sev}[{}] {}: {}\n    see {}\n",
                        d.code.id(),
                        d.path,
                        d.message,
                        d.docs
                    ));
                }
                let warnings = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .count();
                s.push_str(&format!(
                    "{errors} errors, {warnings} warnings, {} notes\n",
                    diags.len() - errors - warnings
                ));
                s
            };
            let code = print(&text);
            if errors > 0 {
                ExitCode::from(1)
            } else {
                code
            }
        }
        Command::Explain { config, json } => {
            let config = match read_config(&config) {
                Ok(c) => c,
                Err(e) => return invalid(&e),
            };
            let explanations = ecs_iam_core::explain(&config);
            if json {
                let listing = ecs_iam_core::json::ToJson::to_json(&explanations);
                return print(&(ecs_iam_core::json::to_string_pretty(&listing) + "\n"));
            }
            let mut s = String::new();
            for e in &explanations {
                s.push_str(&format!(
                    "{} ({})\n  {}\n",
                    e.name,
                    e.title.to_lowercase(),
                    e.summary
                ));
                for n in &e.notes {
                    s.push_str(&format!("  note: {n}\n"));
                }
                for t in &e.trust {
                    s.push_str(&format!("  trust policy: {}\n", t.why));
                }
                for m in &e.managed_policies {
                    s.push_str(&format!("  {}\n    {}\n", m.arn, m.why));
                }
                for p in &e.policies {
                    s.push_str(&format!("  policy {} (from {})\n", p.name, p.source));
                    for st in &p.statements {
                        let sid = if st.sid.is_empty() {
                            "statement"
                        } else {
                            st.sid.as_str()
                        };
                        s.push_str(&format!("    {sid}: {}\n", st.why));
                        for d in st.docs.iter() {
                            s.push_str(&format!("      {}: {}\n", d.title, d.url));
                        }
                    }
                }
                s.push('\n');
            }
            print(&s)
        }
        Command::Catalog { json } => {
            if json {
                print(
                    &(serde_json::to_string_pretty(&ecs_iam_core::catalog_json())
                        .expect("catalogue serializes")
                        + "\n"),
                )
            } else {
                print(&catalog_text())
            }
        }
        Command::Schema => print(
            &(serde_json::to_string_pretty(&ecs_iam_core::schema()).expect("schema serializes")
                + "\n"),
        ),
    }
}
