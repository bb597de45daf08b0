//! The input error of every parser of the core: the field path and what is wrong there.

use std::fmt;

/// An input error: the field path and what is wrong with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "config: {}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

impl From<crate::json::ParseError> for ConfigError {
    /// Text that is not JSON is an error of the whole configuration; a key written twice or a
    /// number that would be rounded is an error of its own path.
    fn from(e: crate::json::ParseError) -> ConfigError {
        match e.path {
            Some(path) => ConfigError::new(&path, e.message),
            None => ConfigError::new("", format!("is not valid JSON: {}", e.message)),
        }
    }
}

pub(crate) fn err<T>(path: &str, message: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError::new(path, message.into()))
}

impl ConfigError {
    /// Out of line: the parser has a hundred error sites, and inlining this into each one cost
    /// the wasm builds more than a kilobyte.
    #[cold]
    #[inline(never)]
    pub(crate) fn new(path: &str, message: String) -> ConfigError {
        ConfigError {
            path: path.to_string(),
            message,
        }
    }
}
