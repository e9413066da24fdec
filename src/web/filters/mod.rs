//! Web-text filters, one file each, and the registry that builds them by name.
//!
//! `gopher_quality`, `gopher_repetition`, `c4_quality` and `fineweb_quality` reproduce datatrove
//! 0.10.1's heuristic filters (decisions, reason strings, C4's line removal); `language`, `url`,
//! `length` and `pii` follow datatrove's LanguageFilter, URLFilter and PIIFormatter where it has one.

pub mod c4_quality;
pub mod fineweb_quality;
pub mod gopher_quality;
pub mod gopher_repetition;
pub mod language;
pub mod length;
pub mod pii;
pub mod url;

use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use serde::de::DeserializeOwned;
use std::path::PathBuf;

/// Errors raised while building a filter from its name and configuration.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// No filter has this name.
    #[error("unknown filter {name:?} (known: {known})")]
    Unknown { name: String, known: String },
    /// The filter's TOML table does not fit its config struct (unknown key, wrong type, ...).
    #[error("invalid configuration for filter `{filter}`: {source}")]
    Config {
        filter: String,
        #[source]
        source: toml::de::Error,
    },
    /// A list file named in the configuration could not be read.
    #[error("filter `{filter}`: cannot read list file {}: {source}", path.display())]
    ListFile {
        filter: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A configuration value is out of range or inconsistent.
    #[error("filter `{filter}`: {message}")]
    Invalid { filter: String, message: String },
}

/// Every filter name [`build`] accepts.
pub const NAMES: &[&str] =
    &["gopher_quality", "gopher_repetition", "c4_quality", "fineweb_quality", "language", "url", "length", "pii"];

/// Build the filter `name` with its TOML settings (`None`: the documented defaults), reading the
/// document text from `text_field`.
pub fn build(name: &str, config: Option<&toml::Value>, text_field: &str) -> Result<Box<dyn Stage>, FilterError> {
    let tf = text_field.to_string();
    Ok(match name {
        "gopher_quality" => Box::new(gopher_quality::GopherQuality::new(parse_config(name, config)?, tf)),
        "gopher_repetition" => Box::new(gopher_repetition::GopherRepetition::new(parse_config(name, config)?, tf)),
        "c4_quality" => Box::new(c4_quality::C4Quality::new(parse_config(name, config)?, tf)),
        "fineweb_quality" => Box::new(fineweb_quality::FineWebQuality::new(parse_config(name, config)?, tf)),
        "language" => Box::new(language::LanguageFilter::new(parse_config(name, config)?, text_field)?),
        "url" => Box::new(url::UrlFilter::new(parse_config(name, config)?)?),
        "length" => Box::new(length::LengthFilter::new(parse_config(name, config)?, text_field)?),
        "pii" => Box::new(pii::PiiFormatter::new(parse_config(name, config)?, text_field)?),
        _ => return Err(FilterError::Unknown { name: name.to_string(), known: NAMES.join(", ") }),
    })
}

/// Deserialize a filter's config table; a missing table gives the defaults.
fn parse_config<T: DeserializeOwned + Default>(filter: &str, config: Option<&toml::Value>) -> Result<T, FilterError> {
    match config {
        None => Ok(T::default()),
        Some(value) => {
            value.clone().try_into().map_err(|source| FilterError::Config { filter: filter.to_string(), source })
        }
    }
}

/// The verdict of a filter whose `check` keeps a text (`Ok`) or names datatrove's reason (`Err`);
/// a missing or non-string text field is an error.
pub(crate) fn keep_or_drop(rec: &Record, field: &str, check: impl FnOnce(&str) -> Result<(), &'static str>) -> Verdict {
    match text_of(rec, field) {
        Err(v) => v,
        Ok(text) => match check(text) {
            Ok(()) => Verdict::Keep,
            Err(reason) => Verdict::drop(reason),
        },
    }
}

/// The text field of `rec`, or the `Verdict::Error` to return when it is missing or not a string.
pub(crate) fn text_of<'r>(rec: &'r Record, field: &str) -> Result<&'r str, Verdict> {
    match rec.fields.get(field) {
        Some(serde_json::Value::String(s)) => Ok(s),
        Some(other) => Err(Verdict::error(format!("field {field:?} is not a string (found {})", json_type(other)))),
        None => Err(Verdict::error(format!("field {field:?} is missing"))),
    }
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Python truthiness of an optional threshold: `None` and zero disable a check in datatrove.
pub(crate) fn active<T: Copy + Default + PartialEq>(v: Option<T>) -> Option<T> {
    v.filter(|x| *x != T::default())
}

/// `a / b > t` with Python's true division (int / int -> correctly rounded float).
#[inline]
pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b as f64
}
