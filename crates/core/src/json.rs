//! JSON text of a `serde_json::Value`, byte for byte what `serde_json::to_string` and
//! `serde_json::to_string_pretty` write.
//!
//! Written by hand for size, not for want of a library: serde_json's serializer is generic
//! over formatters and writers, and each of its uses here (compact, pretty, `Display`, and the
//! derived `Serialize` impls feeding them) put another copy of it into the WebAssembly builds.
//! One small non-generic writer keeps the npm package's wasm within its budget. The output is
//! pinned to serde_json's by `tests/json_writer.rs`.

use serde_json::{Map, Value};

/// Compact JSON, as `serde_json::to_string` writes it.
pub fn to_string(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, None);
    out
}

/// JSON indented by two spaces, as `serde_json::to_string_pretty` writes it.
pub fn to_string_pretty(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, Some(0));
    out
}

/// A JSON string literal: quotes, and the escapes serde_json writes.
pub fn quote_into(out: &mut String, s: &str) {
    escape_into(out, s, false);
}

/// A JSON string literal for a message: as `quote_into`, and `\uXXXX` for the characters that
/// can move or hide text in a terminal or a page as well (C1 controls, the Unicode line and
/// paragraph separators, bidirectional controls).
pub fn quote_visible_into(out: &mut String, s: &str) {
    escape_into(out, s, true);
}

/// A user value, quoted for a message: JSON-escaped and cut when long, so that a hostile value
/// cannot break the line it is shown on, nor move or hide text (`json::quote_visible_into`).
pub fn quote(s: &str) -> String {
    let cut: String = s.chars().take(80).collect();
    let mut q = String::new();
    quote_visible_into(&mut q, &cut);
    if cut.len() < s.len() {
        q.insert_str(q.len() - 1, "...");
    }
    q
}

/// Characters a message shows escaped, though JSON does not need it.
fn hides_text(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A table from byte to value: `default`, then each `(first, last, value)` range in turn (a
/// later range overrides an earlier one). For the per-byte decisions of the writers and counts.
pub(crate) const fn byte_table(default: u8, ranges: &[(u8, u8, u8)]) -> [u8; 256] {
    let mut t = [default; 256];
    let mut r = 0;
    while r < ranges.len() {
        let (first, last, value) = ranges[r];
        let mut b = first as usize;
        while b <= last as usize {
            t[b] = value;
            b += 1;
        }
        r += 1;
    }
    t
}

/// What a byte of a string needs from `escape_into`: 0 nothing, 1 an escape, 2 a look at the
/// character it starts (the lead bytes of every character `hides_text` names).
const ESCAPE: [u8; 256] = byte_table(
    0,
    &[
        (0, 0x1f, 1),
        (b'"', b'"', 1),
        (b'\\', b'\\', 1),
        (0xc2, 0xc2, 2),
        (0xe2, 0xe2, 2),
    ],
);

fn escape_into(out: &mut String, s: &str, visible: bool) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // A byte with nothing to do is passed over by one table lookup; the text between escapes
    // is copied at once.
    let need = if visible { 2 } else { 1 };
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let kind = ESCAPE[usize::from(b)];
        if kind == 0 || kind > need {
            i += 1;
            continue;
        }
        // The escape, or "" for `\uXXXX` of `code`, and how many bytes it replaces.
        let (escape, code, len) = match b {
            b'"' => ("\\\"", 0, 1),
            b'\\' => ("\\\\", 0, 1),
            b'\n' => ("\\n", 0, 1),
            b'\r' => ("\\r", 0, 1),
            b'\t' => ("\\t", 0, 1),
            0x08 => ("\\b", 0, 1),
            0x0c => ("\\f", 0, 1),
            0..=0x1f => ("", u32::from(b), 1),
            _ => match s[i..].chars().next() {
                Some(c) if hides_text(c) => ("", c as u32, c.len_utf8()),
                _ => {
                    i += 1;
                    continue;
                }
            },
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                out.push(HEX[(code >> shift) as usize & 0xf] as char);
            }
        } else {
            out.push_str(escape);
        }
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn newline(out: &mut String, indent: Option<usize>) {
    if let Some(n) = indent {
        out.push('\n');
        for _ in 0..n {
            out.push_str("  ");
        }
    }
}

/// `indent` is `None` for compact output, or the current depth for pretty output.
fn write(out: &mut String, v: &Value, indent: Option<usize>) {
    let inner = indent.map(|n| n + 1);
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => quote_into(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                write(out, item, inner);
            }
            if !items.is_empty() {
                newline(out, indent);
            }
            out.push(']');
        }
        Value::Object(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                quote_into(out, key);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(out, value, inner);
            }
            if !entries.is_empty() {
                newline(out, indent);
            }
            out.push('}');
        }
    }
}

/// A value as JSON, for the types the machine-readable listings are made of. Implemented by
/// hand for the same reason as the writer above: serde's derived `Serialize` costs the wasm
/// builds several kilobytes per listing.
pub trait ToJson {
    fn to_json(&self) -> Value;
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

/// An object with these entries, in this order.
pub fn obj(entries: Vec<(&str, Value)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// JSON text that could not be read: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// For JSON that is refused all the same (a key written twice, a number that would be
    /// rounded): the path of the object or number, as in the configuration's messages
    /// (`roles[0].features[1]`, empty for the top level). `None` for text that is not JSON.
    pub path: Option<String>,
    /// What is wrong, with the line and column.
    pub message: String,
}

/// Nesting deeper than this is refused (serde_json's limit too), so that hostile input cannot
/// exhaust the stack.
pub const MAX_DEPTH: usize = 127;

/// Reads JSON text (RFC 8259) into a `Value`, keeping the order of keys, and refuses an object
/// that has a key twice: a plain JSON reader keeps the last one, so that a repeated
/// `"repositories"` or `"roles"` would silently drop the first.
///
/// Written by hand, like the writer above: serde_json's reader goes through serde's generic
/// visitor machinery and float tables, which cost the npm package's wasm about 5 KB gzipped,
/// and it cannot refuse a repeated key with the key's path without a visitor of its own on
/// top. `tests/json_reader.rs` holds it to serde_json's reader on accepted and refused texts.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    read(text, false)
}

/// Like `parse`, except that a number `parse` refuses (one it would round) is kept as the
/// string of its digits. For what a user typed earlier and must not lose: the app's drafts in
/// local storage, share links and imported files. IAM compares a quoted number in a condition
/// as it compares the number.
pub fn parse_keeping_long_numbers(text: &str) -> Result<Value, ParseError> {
    read(text, true)
}

fn read(text: &str, long_numbers_as_text: bool) -> Result<Value, ParseError> {
    // A byte order mark, as some editors on Windows save it, is not part of the text (RFC 8259
    // lets a reader ignore it).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = Reader {
        text,
        at: 0,
        depth: 0,
        path: Vec::new(),
        long_numbers_as_text,
    };
    r.space();
    let v = r.value()?;
    r.space();
    if r.at < text.len() {
        return Err(r.fail("there is more text after the JSON value"));
    }
    Ok(v)
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    /// Where the value being read is, for the messages that name a path. Kept as offsets, so
    /// that reading costs no string building; `path_text` spells it out.
    path: Vec<Seg>,
    /// A number that would be rounded becomes a string instead of an error.
    long_numbers_as_text: bool,
}

#[derive(Clone, Copy)]
enum Seg {
    /// An item of an array.
    Index(usize),
    /// The value of a key: the offset of the key's opening quote.
    Key(usize),
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// "line L column C" of the current position, the column counted in characters.
    #[cold]
    #[inline(never)]
    fn position(&self) -> String {
        let before = self.text.get(..self.at).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        format!("line {line} column {column}")
    }

    /// A syntax error: "WHAT at line L column C".
    #[cold]
    #[inline(never)]
    fn fail(&self, what: &str) -> ParseError {
        ParseError {
            path: None,
            message: format!("{what} at {}", self.position()),
        }
    }

    /// The path of the value being read, as the configuration's messages write it.
    #[cold]
    #[inline(never)]
    fn path_text(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match *seg {
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Seg::Key(at) => {
                    let mut key = Reader {
                        text: self.text,
                        at,
                        depth: 0,
                        path: Vec::new(),
                        long_numbers_as_text: false,
                    };
                    // The key was read once already.
                    path_key(&mut out, &key.string().unwrap_or_default());
                }
            }
        }
        out
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), ParseError> {
        self.space();
        if self.peek() == Some(b) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => {
                for (word, v) in [
                    ("null", Value::Null),
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                ] {
                    if self.text[self.at..].starts_with(word) {
                        self.at += word.len();
                        return Ok(v);
                    }
                }
                Err(self.fail(if self.at == self.text.len() {
                    "the text ends where a value was expected"
                } else {
                    "expected a value"
                }))
            }
        }
    }

    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<Value, ParseError>,
    ) -> Result<Value, ParseError> {
        if self.depth == MAX_DEPTH {
            return Err(self.fail("nested more than 127 levels deep"));
        }
        self.depth += 1;
        self.at += 1;
        let v = read(self);
        self.depth -= 1;
        v
    }

    /// Right after an opening bracket: whether `close` follows at once (and is consumed).
    fn empty(&mut self, close: u8) -> bool {
        self.space();
        let empty = self.peek() == Some(close);
        self.at += usize::from(empty);
        empty
    }

    /// After an item: `,` (another item follows) or `close` (the container ends: true).
    fn after_item(&mut self, close: u8, what: &str) -> Result<bool, ParseError> {
        self.space();
        match self.peek() {
            Some(b) if b == b',' || b == close => {
                self.at += 1;
                Ok(b == close)
            }
            _ => Err(self.fail(what)),
        }
    }

    fn array(&mut self) -> Result<Value, ParseError> {
        let mut items = Vec::new();
        let mut done = self.empty(b']');
        while !done {
            self.path.push(Seg::Index(items.len()));
            self.space();
            items.push(self.value()?);
            self.path.pop();
            done = self.after_item(b']', "expected `,` or `]`")?;
        }
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value, ParseError> {
        let mut entries = Map::new();
        let mut done = self.empty(b'}');
        while !done {
            self.space();
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a key in double quotes"));
            }
            let key_at = self.at;
            let key = self.string()?;
            self.expect(b':', "expected `:` after the key")?;
            self.space();
            self.path.push(Seg::Key(key_at));
            let v = self.value()?;
            self.path.pop();
            match entries.entry(key) {
                serde_json::map::Entry::Vacant(e) => {
                    e.insert(v);
                }
                serde_json::map::Entry::Occupied(e) => {
                    self.at = key_at;
                    return Err(ParseError {
                        path: Some(self.path_text()),
                        message: format!(
                            "has the key {} twice (the second at {}); give each key once",
                            quote(e.key()),
                            self.position()
                        ),
                    });
                }
            }
            done = self.after_item(b'}', "expected `,` or `}`")?;
        }
        Ok(Value::Object(entries))
    }

    /// A string literal; `self.at` is on its opening quote.
    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.fail("invalid escape in a string")),
                    };
                    self.at += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.fail("a control character must be escaped in a string")),
                None => return Err(self.fail("the text ends inside a string")),
            }
        }
    }

    /// Four hex digits after `\u`; `self.at` is on the `u` and ends on the last digit read.
    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut n = 0;
        for _ in 0..4 {
            self.at += 1;
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.fail("expected four hex digits after \\u")),
            };
            n = n * 16 + u32::from(d);
        }
        Ok(n)
    }

    /// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`; `self.at` is on the `u`.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !self.text[self.at + 1..].starts_with("\\u") {
                    return Err(self.fail("a lone surrogate in a \\u escape"));
                }
                self.at += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(self.fail("a lone surrogate in a \\u escape"));
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.fail("a lone surrogate in a \\u escape")),
            _ => hi,
        };
        // Every value outside the surrogates is a char.
        Ok(char::from_u32(code).unwrap_or('\u{FFFD}'))
    }

    /// A number. An integer that fits 64 bits stays an integer, as serde_json reads it. Any
    /// other number must be exact in an `f64` after one rounding: at most 15 significant digits
    /// and a decimal exponent within ±22 (the "fast path" of decimal to binary conversion, where
    /// one correctly rounded multiplication or division gives the nearest `f64`). Longer
    /// numbers are refused rather than rounded in a policy, and a general conversion (with its
    /// tables) stays out of the wasm builds. Condition values that need more are strings.
    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut at = start;
        let negative = bytes[at] == b'-';
        if negative {
            at += 1;
        }
        // The significant digits without the point and without trailing zeros, how many there
        // are, and the decimal exponent they are scaled by.
        let mut mantissa: u64 = 0;
        let mut significant = 0usize;
        let mut exp: i64 = 0;
        let mut integer = true;
        // Zeros after the last non-zero digit, not yet in `mantissa`.
        let mut zeros = 0usize;
        let mut digits = |at: &mut usize, fraction: bool| {
            let from = *at;
            while let Some(&b @ b'0'..=b'9') = bytes.get(*at) {
                *at += 1;
                if fraction {
                    exp -= 1;
                }
                if b == b'0' {
                    zeros += usize::from(significant > 0);
                    continue;
                }
                for _ in 0..zeros {
                    mantissa = mantissa.wrapping_mul(10);
                }
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
                significant += zeros + 1;
                zeros = 0;
            }
            *at > from
        };
        let int_start = at;
        let mut ok = digits(&mut at, false) && (bytes[int_start] != b'0' || at == int_start + 1);
        if ok && bytes.get(at) == Some(&b'.') {
            at += 1;
            integer = false;
            ok = digits(&mut at, true);
        }
        if ok && matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            integer = false;
            let exp_negative = bytes.get(at) == Some(&b'-');
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            let from = at;
            let mut e: i64 = 0;
            while let Some(&b @ b'0'..=b'9') = bytes.get(at) {
                at += 1;
                e = e.saturating_mul(10).saturating_add(i64::from(b - b'0'));
            }
            ok = at > from;
            exp = exp.saturating_add(if exp_negative { -e } else { e });
        }
        if !ok {
            return Err(self.fail("invalid number"));
        }
        self.at = at;
        let text = &self.text[start..at];
        if integer {
            if let Ok(n) = text.parse::<u64>() {
                return Ok(n.into());
            }
            if let Ok(n) = text.parse::<i64>() {
                // serde_json reads `-0` as the float -0.0.
                return Ok(if n == 0 { Value::from(-0.0) } else { n.into() });
            }
        }
        if significant == 0 {
            // Zero is exact whatever its exponent.
            return Ok(Value::from(if negative { -0.0 } else { 0.0 }));
        }
        let exp = exp.saturating_add(zeros as i64);
        if significant > 15 || !(-22..=22).contains(&exp) {
            if self.long_numbers_as_text {
                self.at = at;
                return Ok(Value::String(text.to_string()));
            }
            self.at = start;
            let shown = if text.len() > 40 {
                format!("{}...", &text[..40])
            } else {
                text.to_string()
            };
            return Err(ParseError {
                path: Some(self.path_text()),
                message: format!(
                    "{shown} has more than 15 significant digits or an exponent beyond ±22 ({}); write it as a string",
                    self.position()
                ),
            });
        }
        let mut scale = 1.0f64;
        for _ in 0..exp.unsigned_abs() {
            scale *= 10.0;
        }
        let m = mantissa as f64;
        let f = if exp < 0 { m / scale } else { m * scale };
        Ok(Value::from(if negative { -f } else { f }))
    }
}

/// A key appended to a path: `.key` when it is a plain name, `["key"]` (JSON-quoted, cut when
/// long) otherwise, so that a hostile key cannot break the message it is shown in.
fn path_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key.len() <= 80
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"$_-:@".contains(&b));
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&quote(key));
        path.push(']');
    }
}

#[cfg(test)]
mod escape_tests {
    use super::*;
    use proptest::prelude::*;

    /// Any text, with the characters the escaper treats apart mixed in.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            any::<String>(),
            proptest::sample::select(vec![
                "\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}", "\u{9b}", "\u{a0}", "é",
                "\u{2028}", "\u{2029}", "\u{200e}", "\u{202e}", "\u{2066}", "\u{2069}", "\u{2070}",
                "\u{20ac}",
            ])
            .prop_map(str::to_string),
        ];
        proptest::collection::vec(piece, 0..8).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn quoting_is_serde_jsons_and_the_visible_form_reads_back_with_nothing_hidden(s in text()) {
            let mut plain = String::new();
            quote_into(&mut plain, &s);
            prop_assert_eq!(&plain, &serde_json::to_string(&s).unwrap());
            let mut visible = String::new();
            quote_visible_into(&mut visible, &s);
            prop_assert_eq!(parse(&visible).unwrap(), Value::String(s.clone()));
            prop_assert!(!visible.chars().any(|c| hides_text(c) || c < ' '), "{}", visible);
        }
    }
}
