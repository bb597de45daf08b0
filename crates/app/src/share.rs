//! The share link: `#config=<base64url of the config JSON, RFC 4648 §5, no padding>&format=<id>`,
//! then the view's settings that are not their default: `&capacity=<id>` (the Capacity filter),
//! `&gtool=`, `&gcapacity=`, `&gfeature=` (the gallery's filters), each a pattern site id.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ecs_iam_core::Format;

/// What a URL fragment asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The configuration JSON text, when the fragment had one.
    pub config: Option<String>,
    pub format: Option<Format>,
    pub settings: Settings,
}

/// The view's settings a link (and local storage) keeps besides the configuration and format.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub capacity: Option<String>,
    pub gallery_tool: Option<String>,
    pub gallery_capacity: Option<String>,
    pub gallery_feature: Option<String>,
}

/// Each setting's key in the fragment and the pattern site filter its value comes from.
const SETTINGS: [(&str, &str); 4] = [
    ("capacity", "capacity"),
    ("gtool", "tool"),
    ("gcapacity", "capacity"),
    ("gfeature", "feature"),
];

impl Settings {
    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        match key {
            "capacity" => Some(&mut self.capacity),
            "gtool" => Some(&mut self.gallery_tool),
            "gcapacity" => Some(&mut self.gallery_capacity),
            "gfeature" => Some(&mut self.gallery_feature),
            _ => None,
        }
    }

    /// `&key=value` for each setting that is set (empty when none is).
    pub fn query(&self) -> String {
        let values = [
            &self.capacity,
            &self.gallery_tool,
            &self.gallery_capacity,
            &self.gallery_feature,
        ];
        let mut out = String::new();
        for ((key, _), value) in SETTINGS.iter().zip(values) {
            if let Some(v) = value {
                out.push_str(&format!("&{key}={v}"));
            }
        }
        out
    }

    /// Sets `key` to `value` when the key is a setting's: `Err` when the value is not one of
    /// its filter's ids.
    fn set(&mut self, key: &str, value: &str) -> Result<bool, String> {
        let Some(filter) = SETTINGS.iter().find(|(k, _)| *k == key).map(|(_, f)| *f) else {
            return Ok(false);
        };
        let ids: Vec<&str> = ecs_iam_core::gallery()
            .group(filter)
            .map(|g| g.values.iter().map(|v| v.value.as_str()).collect())
            .unwrap_or_default();
        if !ids.contains(&value) {
            return Err(format!(
                "its {key} {} is not one of {}",
                ecs_iam_core::quote(value),
                ids.join(", ")
            ));
        }
        if let Some(slot) = self.slot(key) {
            *slot = Some(value.to_string());
        }
        Ok(true)
    }

    /// The settings `query` wrote (what local storage keeps); a value that is not valid is left
    /// out.
    pub fn parse(query: &str) -> Settings {
        let mut s = Settings::default();
        for part in query.split('&') {
            if let Some((k, v)) = part.split_once('=') {
                let _ = s.set(k, v);
            }
        }
        s
    }
}

/// The fragment (without `#`) for a configuration and a format.
pub fn fragment(config_json: &str, format: Format) -> String {
    fragment_with(config_json, format, &Settings::default())
}

/// The fragment for a configuration, a format and the view's settings.
pub fn fragment_with(config_json: &str, format: Format, settings: &Settings) -> String {
    format!(
        "config={}&format={}{}",
        URL_SAFE_NO_PAD.encode(config_json.as_bytes()),
        format.id(),
        settings.query()
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
        settings: Settings::default(),
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
            key => {
                if link.settings.set(key, value)? {
                    any = true;
                }
            }
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
    fn settings_ride_along_and_bad_ones_are_named() {
        let settings = Settings {
            capacity: Some("ec2".into()),
            gallery_feature: Some("efs".into()),
            ..Settings::default()
        };
        let f = fragment_with("{}", Format::Json, &settings);
        assert!(f.ends_with("&format=json&capacity=ec2&gfeature=efs"), "{f}");
        let link = parse_fragment(&f).unwrap().unwrap();
        assert_eq!(link.settings, settings);
        assert_eq!(Settings::parse(&settings.query()), settings);
        assert_eq!(
            fragment("{}", Format::Json),
            fragment_with("{}", Format::Json, &Settings::default())
        );
        let e = parse_fragment("#config=e30&capacity=moon").unwrap_err();
        assert!(
            e.contains("capacity \"moon\"") && e.contains("fargate"),
            "{e}"
        );
        assert_eq!(
            Settings::parse("capacity=moon&gtool=cdk")
                .gallery_tool
                .as_deref(),
            Some("cdk")
        );
        assert_eq!(Settings::parse("capacity=moon").capacity, None);
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
