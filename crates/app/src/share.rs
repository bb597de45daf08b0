//! The share link: `#config=<base64url of the config JSON, RFC 4648 §5, no padding>&format=<id>`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ecs_iam_core::Format;

/// What a URL fragment asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The configuration JSON text, when the fragment had one.
    pub config: Option<String>,
    pub format: Option<Format>,
}

/// The fragment (without `#`) for a configuration and a format.
pub fn fragment(config_json: &str, format: Format) -> String {
    format!(
        "config={}&format={}",
        URL_SAFE_NO_PAD.encode(config_json.as_bytes()),
        format.id()
    )
}

/// Reads a fragment (with or without its `#`). `Ok(None)` when it holds no share link at all;
/// `Err` with a message a person can act on when it is a broken one.
pub fn parse_fragment(fragment: &str) -> Result<Option<Link>, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.is_empty() {
        return Ok(None);
    }
    let mut link = Link {
        config: None,
        format: None,
    };
    let mut any = false;
    for part in fragment.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key {
            "config" => {
                any = true;
                // Tolerate padding and the standard alphabet, which some chat tools produce.
                let cleaned: String = value
                    .trim_end_matches('=')
                    .replace("%3D", "")
                    .chars()
                    .map(|c| match c {
                        '+' => '-',
                        '/' => '_',
                        c => c,
                    })
                    .collect();
                let bytes = URL_SAFE_NO_PAD
                    .decode(cleaned.as_bytes())
                    .map_err(|_| "its config is not valid base64url".to_string())?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| "its config is not UTF-8 text".to_string())?;
                link.config = Some(text);
            }
            "format" => {
                any = true;
                link.format = Some(Format::from_id(value).ok_or_else(|| {
                    format!(
                        "its format {} is not one of {}",
                        ecs_iam_core::quote(value),
                        Format::ALL.map(Format::id).join(", ")
                    )
                })?);
            }
            _ => {}
        }
    }
    Ok(any.then_some(link))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let json = r#"{"roles":[{"kind":"task","name":"ü?&=#"}]}"#;
        let f = fragment(json, Format::AwsCli);
        assert!(
            !f.contains('=') || f.matches('=').count() == 2,
            "no padding: {f}"
        );
        assert!(!f.contains('+') && !f.contains('/'));
        let link = parse_fragment(&format!("#{f}")).unwrap().unwrap();
        assert_eq!(link.config.as_deref(), Some(json));
        assert_eq!(link.format, Some(Format::AwsCli));
    }

    #[test]
    fn broken_links_say_why() {
        assert_eq!(parse_fragment(""), Ok(None));
        assert_eq!(parse_fragment("#top"), Ok(None));
        assert!(parse_fragment("#config=***")
            .unwrap_err()
            .contains("base64url"));
        assert!(parse_fragment("#config=_w&format=json")
            .unwrap_err()
            .contains("UTF-8"));
        assert!(parse_fragment("#format=pdf").unwrap_err().contains("pdf"));
    }
}
