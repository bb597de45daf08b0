//! Syntax highlighting of the outputs: a small tokenizer for the languages the renderers write
//! (YAML, JSON, bash, Ruby, HCL, TypeScript, and the Markdown of the hand-off with its JSON
//! blocks). Written by hand because the libraries that do this well
//! (syntect, tree-sitter) would multiply the size of the wasm for a few simple grammars.
//!
//! The spans cover the text exactly, in order: concatenated, they give the input back, so the
//! output element's text stays byte-for-byte what the CLI prints.

use ecs_iam_core::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Plain,
    Key,
    Str,
    Num,
    Comment,
    /// YAML tags (`!Sub`), JSON literals, shell and Ruby keywords.
    Keyword,
    /// Shell variables, Ruby symbols.
    Var,
}

impl Class {
    pub fn css(self) -> &'static str {
        match self {
            Class::Plain => "",
            Class::Key => "tk-key",
            Class::Str => "tk-str",
            Class::Num => "tk-num",
            Class::Comment => "tk-com",
            Class::Keyword => "tk-kw",
            Class::Var => "tk-var",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Yaml,
    Json,
    Bash,
    Ruby,
    Hcl,
    Markdown,
    TypeScript,
}

/// The language of a format's text, as its catalogue entry names it (`syntax`). A syntax
/// without a tokenizer here is shown plain; the catalogue test lists the known ones.
fn lang(format: Format) -> Option<Lang> {
    match format.info().syntax {
        "yaml" => Some(Lang::Yaml),
        "json" => Some(Lang::Json),
        "bash" => Some(Lang::Bash),
        "ruby" => Some(Lang::Ruby),
        "hcl" => Some(Lang::Hcl),
        "markdown" => Some(Lang::Markdown),
        "typescript" => Some(Lang::TypeScript),
        _ => None,
    }
}

/// The syntaxes this highlighter tokenizes.
pub const SYNTAXES: [&str; 7] = [
    "yaml",
    "json",
    "bash",
    "ruby",
    "hcl",
    "markdown",
    "typescript",
];

const BASH_WORDS: &[&str] = &[
    "set", "if", "then", "else", "fi", "for", "in", "do", "done", "case", "esac", "function",
    "local", "export", "return", "exit", "aws", "echo", "printf", "cat", "mkdir",
];
const HCL_WORDS: &[&str] = &[
    "resource",
    "data",
    "output",
    "terraform",
    "jsonencode",
    "true",
    "false",
    "null",
];
const TS_WORDS: &[&str] = &[
    "import",
    "from",
    "export",
    "class",
    "extends",
    "constructor",
    "const",
    "new",
    "super",
    "as",
    "this",
    "true",
    "false",
    "null",
];
const RUBY_WORDS: &[&str] = &[
    "managed_iam_policy",
    "iam_policy",
    "do",
    "end",
    "true",
    "false",
    "nil",
];

/// Splits `text` into classified spans.
pub fn spans(text: &str, format: Format) -> Vec<(Class, &str)> {
    let Some(lang) = lang(format) else {
        return vec![(Class::Plain, text)];
    };
    let mut out: Vec<(Class, &str)> = Vec::new();
    // Offsets are byte offsets; every boundary below falls on an ASCII character.
    let mut start_of_line = true;
    let b = text.as_bytes();
    let mut i = 0;
    let mut plain = 0;
    while i < b.len() {
        let c = b[i];
        let token: Option<(Class, usize)> = match c {
            b'\n' => {
                start_of_line = true;
                i += 1;
                continue;
            }
            b'/' if lang == Lang::TypeScript && b.get(i + 1) == Some(&b'/') => {
                Some((Class::Comment, line_end(b, i)))
            }
            b'#' if lang == Lang::TypeScript => None,
            b'#' if lang == Lang::Markdown => {
                (i == 0 || b[i - 1] == b'\n').then(|| (Class::Key, line_end(b, i)))
            }
            b'`' if lang == Lang::Markdown => {
                let end = word_end_of_ticks(b, i);
                Some((Class::Var, end))
            }
            b'#' if lang != Lang::Json && (i == 0 || b[i - 1].is_ascii_whitespace()) => {
                Some((Class::Comment, line_end(b, i)))
            }
            b'"' => {
                let end = quoted(b, i, b'"', true);
                let next = next_non_space(b, end);
                let class = if (lang == Lang::Json && next == Some(b':'))
                    || (lang == Lang::Hcl && is_assignment(b, end))
                {
                    Class::Key
                } else {
                    Class::Str
                };
                Some((class, end))
            }
            b'\'' if lang != Lang::Json && lang != Lang::Markdown => {
                Some((Class::Str, quoted(b, i, b'\'', lang == Lang::Ruby)))
            }
            b'!' if lang == Lang::Yaml && (i == 0 || b[i - 1] == b' ') => {
                Some((Class::Keyword, word_end(b, i + 1)))
            }
            b'$' if lang == Lang::Bash => {
                let end = if b.get(i + 1) == Some(&b'{') {
                    b[i..]
                        .iter()
                        .position(|&x| x == b'}')
                        .map_or(b.len(), |p| i + p + 1)
                } else {
                    word_end(b, i + 1)
                };
                (end > i + 1).then_some((Class::Var, end))
            }
            b':' if lang == Lang::Ruby
                && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) =>
            {
                Some((Class::Var, word_end(b, i + 1)))
            }
            b'0'..=b'9' if i == 0 || !is_word(b[i - 1]) => {
                let end = word_end(b, i);
                b[i..end]
                    .iter()
                    .all(|x| x.is_ascii_digit() || *x == b'.')
                    .then_some((Class::Num, end))
            }
            _ if is_word(c) && (i == 0 || !is_word(b[i - 1])) => {
                let end = word_end(b, i);
                let word = &text[i..end];
                match lang {
                    Lang::Yaml if start_of_line => yaml_key_end(b, i).map(|e| (Class::Key, e)),
                    Lang::Json if matches!(word, "true" | "false" | "null") => {
                        Some((Class::Keyword, end))
                    }
                    Lang::Yaml if matches!(word, "true" | "false") => Some((Class::Keyword, end)),
                    Lang::Bash if BASH_WORDS.contains(&word) => Some((Class::Keyword, end)),
                    Lang::Ruby if RUBY_WORDS.contains(&word) => Some((Class::Keyword, end)),
                    Lang::Hcl if is_assignment(b, end) => Some((Class::Key, end)),
                    Lang::Hcl if HCL_WORDS.contains(&word) => Some((Class::Keyword, end)),
                    Lang::TypeScript if TS_WORDS.contains(&word) => Some((Class::Keyword, end)),
                    _ => None,
                }
            }
            _ => None,
        };
        if !c.is_ascii_whitespace() && c != b'-' {
            start_of_line = false;
        }
        match token {
            Some((class, end)) => {
                push(&mut out, Class::Plain, &text[plain..i]);
                push(&mut out, class, &text[i..end]);
                i = end;
                plain = end;
                start_of_line = false;
            }
            None => i += 1,
        }
    }
    push(&mut out, Class::Plain, &text[plain..]);
    out
}

fn push<'a>(out: &mut Vec<(Class, &'a str)>, class: Class, s: &'a str) {
    if !s.is_empty() {
        out.push((class, s));
    }
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.'
}

fn word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len()
        && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-' || b[i] == b'.')
    {
        i += 1;
    }
    i
}

/// A YAML mapping key starting at `i`: everything up to the `:` that ends it (`aws:SourceArn:`).
fn yaml_key_end(b: &[u8], i: usize) -> Option<usize> {
    let end = line_end(b, i);
    let mut j = i;
    while j < end {
        if b[j] == b':' && (j + 1 == end || b[j + 1] == b' ') {
            return Some(j);
        }
        if b[j] == b' ' || b[j] == b'"' || b[j] == b'\'' {
            return None;
        }
        j += 1;
    }
    None
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&x| x == b'\n')
        .map_or(b.len(), |p| i + p)
}

/// The end of a quoted string starting at `i` (exclusive); a string runs to the end of its line
/// at most.
fn quoted(b: &[u8], i: usize, quote: u8, escapes: bool) -> usize {
    let mut j = i + 1;
    while j < b.len() && b[j] != b'\n' {
        if escapes && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == quote {
            return j + 1;
        }
        j += 1;
    }
    j.min(b.len())
}

/// Whether what follows `i` is HCL's `=` of an attribute (not `==`).
fn is_assignment(b: &[u8], i: usize) -> bool {
    let mut j = i;
    while j < b.len() && b[j] == b' ' {
        j += 1;
    }
    b.get(j) == Some(&b'=') && b.get(j + 1) != Some(&b'=')
}

/// The end of a Markdown code span (or a fence's run of backticks) starting at `i`.
fn word_end_of_ticks(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && b[j] == b'`' {
        j += 1;
    }
    let ticks = j - i;
    if ticks >= 3 {
        return line_end(b, i);
    }
    let end = line_end(b, i);
    b[j..end]
        .windows(ticks)
        .position(|w| w.iter().all(|&x| x == b'`'))
        .map_or(j, |p| j + p + ticks)
}

/// Lines per block of [`html_blocks`]: small enough that an edit re-inserts little, large
/// enough that a long output is a few dozen nodes.
pub const BLOCK_LINES: usize = 40;

/// The highlighted text as HTML, in blocks of [`BLOCK_LINES`] lines, each one
/// `<span class="block">...</span>` (a span that spans more lines is closed at a block's end
/// and opened again in the next). Every character of the text is escaped, so the blocks'
/// text is the input, byte for byte; the page inserts each block as it is, and an edit
/// replaces only the blocks whose HTML changed.
pub fn html_blocks(text: &str, format: Format) -> Vec<String> {
    html_blocks_marked(text, format, 0..0)
}

/// `html_blocks`, with an empty `<span class="changed">` at the start of each line of
/// `changed` (line numbers from 0): the stylesheet flashes those lines for a moment. The
/// markers hold no text, so the text is still the input, byte for byte.
pub fn html_blocks_marked(
    text: &str,
    format: Format,
    changed: std::ops::Range<usize>,
) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut block = String::with_capacity(4096);
    let mut lines = 0;
    let mut line = 0;
    let mark = |b: &mut String, line: usize| {
        if changed.contains(&line) {
            b.push_str(CHANGED);
        }
    };
    block.push_str(BLOCK_OPEN);
    mark(&mut block, 0);
    for (class, s) in spans(text, format) {
        let css = class.css();
        let open = |b: &mut String| {
            if !css.is_empty() {
                b.push_str("<span class=\"");
                b.push_str(css);
                b.push_str("\">");
            }
        };
        open(&mut block);
        let mut rest = s;
        while let Some(k) = rest.find('\n') {
            escape_into(&mut block, &rest[..=k]);
            rest = &rest[k + 1..];
            lines += 1;
            line += 1;
            if lines == BLOCK_LINES {
                lines = 0;
                if !css.is_empty() {
                    block.push_str("</span>");
                }
                block.push_str("</span>");
                blocks.push(std::mem::replace(&mut block, String::with_capacity(4096)));
                block.push_str(BLOCK_OPEN);
                mark(&mut block, line);
                open(&mut block);
            } else {
                mark(&mut block, line);
            }
        }
        escape_into(&mut block, rest);
        if !css.is_empty() {
            block.push_str("</span>");
        }
    }
    block.push_str("</span>");
    if block.len() > BLOCK_OPEN.len() + "</span>".len() || blocks.is_empty() {
        blocks.push(block);
    }
    blocks
}

const BLOCK_OPEN: &str = "<span class=\"block\">";
const CHANGED: &str = "<span class=\"changed\" aria-hidden=\"true\"></span>";

/// The lines of `new` that an edit of `old` changed: what lies between their common first and
/// last lines (empty when nothing changed, or when only lines were taken out).
pub fn changed_lines(old: &str, new: &str) -> std::ops::Range<usize> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.split('\n').collect(), new.split('\n').collect());
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    head..b.len() - tail
}

/// Text as HTML character data: `&`, `<`, `>` (and both quotes, so no context can misread it).
fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, c) in s.bytes().enumerate() {
        let rep = match c {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

fn next_non_space(b: &[u8], mut i: usize) -> Option<u8> {
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    b.get(i).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_iam_core::gallery;

    #[test]
    fn spans_give_the_text_back_for_every_pattern_and_format() {
        for p in &gallery().patterns {
            let config = p.parsed();
            for f in Format::ALL {
                let text = ecs_iam_core::render(&config, f, &Default::default());
                let joined: String = spans(&text, f).iter().map(|(_, s)| *s).collect();
                assert_eq!(joined, text, "{} {}", p.id, f.id());
            }
        }
    }

    #[test]
    fn every_format_has_a_syntax_this_highlighter_knows() {
        for f in Format::ALL {
            assert!(
                SYNTAXES.contains(&f.info().syntax),
                "{}: syntax {} has no tokenizer here; add one or use a known syntax",
                f.id(),
                f.info().syntax
            );
        }
    }

    #[test]
    fn classes() {
        let s = spans(
            "Resources:\n  Role: !Sub 'x' # c\n",
            Format::CloudformationYaml,
        );
        assert!(s.contains(&(Class::Key, "Resources")));
        assert!(s.contains(&(Class::Keyword, "!Sub")));
        assert!(s.contains(&(Class::Str, "'x'")));
        assert!(s.contains(&(Class::Comment, "# c")));
        let s = spans("      aws:SourceArn: x\n", Format::CloudformationYaml);
        assert!(s.contains(&(Class::Key, "aws:SourceArn")), "{s:?}");
        let s = spans("{\"a\": \"b\", \"n\": 1, \"t\": true}", Format::Json);
        assert!(s.contains(&(Class::Key, "\"a\"")));
        assert!(s.contains(&(Class::Str, "\"b\"")));
        assert!(s.contains(&(Class::Num, "1")));
        assert!(s.contains(&(Class::Keyword, "true")));
        let s = spans(
            "set -euo pipefail\naws iam x \"$ACCOUNT\" '${aws:username}'",
            Format::AwsCli,
        );
        assert!(s.contains(&(Class::Keyword, "aws")));
        assert!(s.contains(&(Class::Str, "'${aws:username}'")));
        let s = spans("iam_policy(\"x\", :a)\n", Format::Ufo);
        assert!(s.contains(&(Class::Var, ":a")));
        // Unterminated strings and odd bytes never lose text.
        for t in ["\"abc", "'", "é \"ü\\", "$", "!", "#"] {
            for f in Format::ALL {
                let joined: String = spans(t, f).iter().map(|(_, s)| *s).collect();
                assert_eq!(joined, t);
            }
        }
    }

    /// What the browser makes of the blocks: the text back, with the tags dropped and the
    /// five entities read.
    fn unescape(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            if c == '<' {
                rest = &rest[rest.find('>').expect("a closed tag") + 1..];
            } else if c == '&' {
                let end = rest.find(';').expect("an entity") + 1;
                out.push(match &rest[..end] {
                    "&amp;" => '&',
                    "&lt;" => '<',
                    "&gt;" => '>',
                    "&quot;" => '"',
                    "&#39;" => '\'',
                    e => panic!("unknown entity {e}"),
                });
                rest = &rest[end..];
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }

    #[test]
    fn the_changed_lines_are_those_between_the_common_head_and_tail() {
        assert_eq!(changed_lines("a\nb\nc", "a\nb\nc"), 3..3);
        assert_eq!(changed_lines("a\nb\nc", "a\nX\nc"), 1..2);
        assert_eq!(changed_lines("a\nb\nc", "a\nb\nX\nY\nc"), 2..4);
        assert_eq!(changed_lines("a\nb\nc", "a\nc"), 1..1);
        assert_eq!(changed_lines("", "x"), 0..1);
    }

    #[test]
    fn blocks_give_the_text_back_and_balance_their_tags() {
        let hostile = "<script>alert('x')</script> & \"q\" &amp; </span><b>";
        let mut texts: Vec<(String, Format)> = vec![
            (
                format!("# {hostile}\nkey: '{hostile}'\n"),
                Format::CloudformationYaml,
            ),
            (String::new(), Format::Json),
            ("no newline at the end".into(), Format::Json),
        ];
        for p in gallery().patterns.iter().take(12) {
            for f in Format::ALL {
                texts.push((ecs_iam_core::render(&p.parsed(), f, &Default::default()), f));
            }
        }
        // A comment or string over many lines crosses block boundaries.
        let long = format!("/* {} */\n", "line\n".repeat(3 * BLOCK_LINES));
        texts.push((long, Format::CdkTypescript));
        for (text, f) in &texts {
            // Marked lines change nothing of the text or of the tags' balance.
            let marked = html_blocks_marked(text, *f, 1..2 * BLOCK_LINES);
            let joined: String = marked.iter().map(|b| unescape(b)).collect();
            assert_eq!(&joined, text, "{}", f.id());
            let lines = text.split('\n').count();
            let markers: usize = marked.iter().map(|b| b.matches(CHANGED).count()).sum();
            assert_eq!(
                markers,
                lines.min(2 * BLOCK_LINES).saturating_sub(1),
                "{}",
                f.id()
            );
            let blocks = html_blocks(text, *f);
            let joined: String = blocks.iter().map(|b| unescape(b)).collect();
            assert_eq!(&joined, text, "{}", f.id());
            for b in &blocks {
                assert!(b.starts_with(BLOCK_OPEN), "{b}");
                assert_eq!(
                    b.matches("<span").count(),
                    b.matches("</span>").count(),
                    "{b}"
                );
                assert!(!b.contains("<script") && !b.contains("<b>"), "{b}");
                assert!(b.matches('\n').count() <= BLOCK_LINES);
            }
        }
    }
}
