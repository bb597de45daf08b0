//! The invariants of ARCHITECTURE.md that the compiler does not check, checked on the source:
//!
//! - the core's modules read in one order, each using only the modules before it (no circle);
//! - IAM facts live in `catalog/`: no source file outside it holds an IAM action or condition
//!   key, a service principal or an ARN template as a string literal.

use std::path::{Path, PathBuf};

/// The core's modules in reading order. A module may use the modules of lower ranks only.
const ORDER: &[(&str, usize)] = &[
    ("json", 0),
    ("catalog", 1),
    ("error", 1),
    ("evaluate", 1),
    ("validate", 2),
    ("diagnose", 2),
    ("statements", 3),
    ("config", 4),
    ("plan", 5),
    ("diagnostics", 6),
    ("explain", 6),
    ("schema", 6),
    ("vectors", 6),
    ("import", 6),
    ("render", 7),
    ("diff", 7),
    ("fix", 7),
    ("patterns", 8),
];

/// A path for messages: relative to the repository.
fn shown(path: &Path) -> String {
    let root = crates_dir().parent().expect("the repository").to_path_buf();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its unit tests (everything from the first `#[cfg(test)]`).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a source file");
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// One token of a Rust source, as far as these checks need: comments are skipped, string
/// literals (plain and raw) are returned with their line; everything else is code.
enum Token<'a> {
    Code(&'a str),
    Str(usize, String),
}

fn tokens(src: &str) -> Vec<Token<'_>> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut code) = (0, 0);
    let line = |at: usize| src[..at].matches('\n').count() + 1;
    while i < b.len() {
        if src[i..].starts_with("//") {
            out.push(Token::Code(&src[code..i]));
            i = src[i..].find('\n').map_or(b.len(), |n| i + n);
            code = i;
        } else if src[i..].starts_with("/*") {
            out.push(Token::Code(&src[code..i]));
            i = src[i..].find("*/").map_or(b.len(), |n| i + n + 2);
            code = i;
        } else if b[i] == b'r'
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
            && src[i + 1..].trim_start_matches('#').starts_with('"')
        {
            let hashes = src[i + 1..].len() - src[i + 1..].trim_start_matches('#').len();
            let start = i + 2 + hashes;
            let close = format!("\"{}", "#".repeat(hashes));
            let end = src[start..].find(&close).map_or(b.len(), |n| start + n);
            out.push(Token::Code(&src[code..i]));
            out.push(Token::Str(line(i), src[start..end].to_string()));
            i = end + close.len();
            code = i;
        } else if b[i] == b'\'' {
            // A char literal ('x', '\n', '"') or a lifetime: skip a char literal whole.
            let rest = &src[i + 1..];
            let len = if let Some(escaped) = rest.strip_prefix('\\') {
                escaped.find('\'').map(|n| n + 2)
            } else {
                rest.chars()
                    .next()
                    .filter(|_| rest.chars().nth(1) == Some('\''))
                    .map(char::len_utf8)
            };
            i += len.map_or(1, |n| n + 2);
        } else if b[i] == b'"' {
            out.push(Token::Code(&src[code..i]));
            let start = i + 1;
            let mut j = start;
            let mut text = String::new();
            while j < b.len() && b[j] != b'"' {
                if b[j] == b'\\' {
                    // A line continuation joins lines; other escapes stay as they are.
                    if b.get(j + 1) == Some(&b'\n') {
                        j += 2;
                        while j < b.len() && b[j].is_ascii_whitespace() {
                            j += 1;
                        }
                        continue;
                    }
                    text.push_str(&src[j..j + 2]);
                    j += 2;
                } else {
                    let c = src[j..].chars().next().expect("a char");
                    text.push(c);
                    j += c.len_utf8();
                }
            }
            out.push(Token::Str(line(i), text));
            i = j + 1;
            code = i;
        } else {
            i += 1;
        }
    }
    out.push(Token::Code(&src[code.min(b.len())..]));
    out
}

/// The core module a source file belongs to (`src/config/parse.rs` is `config`).
fn module_of(src_dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src_dir).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (name != "lib").then(|| name.to_string())
}

#[test]
fn the_core_reads_in_one_order() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let rank = |m: &str| ORDER.iter().find(|(n, _)| *n == m).map(|(_, r)| *r);
    let mut problems = Vec::new();
    for path in &files {
        let Some(module) = module_of(&src, path) else {
            continue;
        };
        let Some(own) = rank(&module) else {
            problems.push(format!(
                "{}: the module {module} is not in ORDER (tests/architecture.rs): give it its place",
                shown(path)
            ));
            continue;
        };
        let code = code_of(path);
        for token in tokens(&code) {
            let Token::Code(c) = token else { continue };
            for (at, _) in c.match_indices("crate::") {
                let used: String = c[at + 7..]
                    .chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                    .collect();
                if used == module || used.is_empty() {
                    continue;
                }
                match rank(&used) {
                    Some(r) if r < own => {}
                    Some(_) => problems.push(format!(
                        "{}: {module} uses crate::{used}, which comes after it (or beside it) in the core's order",
                        shown(path)
                    )),
                    None => problems.push(format!(
                        "{}: crate::{used} is not a module in ORDER",
                        shown(path)
                    )),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether a string literal states an IAM fact that belongs in the catalogue: an action or a
/// condition key (`kms:Decrypt`, `aws:SourceArn`), a service principal, an ARN template.
/// Prose (a literal with white space, such as a message that names an action) is not a fact
/// the code relies on; `"arn:"` alone is the grammar's prefix that values are tested for.
fn states_a_fact(lit: &str) -> Option<&'static str> {
    if lit.chars().any(char::is_whitespace) {
        return None;
    }
    if lit.contains("amazonaws.com") {
        return Some("a service principal");
    }
    if lit.contains("arn:") && lit != "arn:" {
        return Some("an ARN template");
    }
    if let Some((service, name)) = lit.split_once(':') {
        let service_ok = service.starts_with(|c: char| c.is_ascii_lowercase())
            && service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let name_ok = name.starts_with(|c: char| c.is_ascii_uppercase() || c == '*')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '/');
        if service_ok && name_ok {
            return Some("an IAM action or condition key");
        }
    }
    None
}

#[test]
fn iam_facts_live_in_the_catalogue() {
    let crates = crates_dir();
    let mut files = Vec::new();
    for krate in ["core", "app", "cli", "js"] {
        rust_files(&crates.join(krate).join("src"), &mut files);
    }
    let mut problems = Vec::new();
    for path in &files {
        for token in tokens(&code_of(path)) {
            if let Token::Str(line, lit) = token {
                if let Some(what) = states_a_fact(&lit) {
                    problems.push(format!(
                        "{}:{line}: {lit:?} is {what}: put it in crates/core/catalog/ and read it from catalog()",
                        shown(path)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_guard_knows_a_fact_when_it_sees_one() {
    for fact in [
        "kms:Decrypt",
        "aws:SourceArn",
        "ecr:*",
        "logs:Create*",
        "ecs-tasks.amazonaws.com",
        "arn:{}:iam::{}:role{}{}",
        "arn:aws:iam::aws:policy/",
    ] {
        assert!(states_a_fact(fact).is_some(), "{fact}");
    }
    for not_a_fact in [
        "arn:",
        "roles[0].name",
        "is not an action: use service:Action",
        "${AWS::Partition}",
        "https://docs.aws.amazon.com/",
        "a:b",
    ] {
        assert!(states_a_fact(not_a_fact).is_none(), "{not_a_fact}");
    }
    // The tokenizer finds literals, skips comments and char literals.
    let src = "// \"kms:Decrypt\"\nlet a = '\"'; let b = \"iam:PassRole\"; let c = r#\"x\"#;";
    let lits: Vec<String> = tokens(src)
        .into_iter()
        .filter_map(|t| match t {
            Token::Str(_, s) => Some(s),
            Token::Code(_) => None,
        })
        .collect();
    assert_eq!(lits, ["iam:PassRole", "x"]);
}
