//! `length`: drop documents outside a character-count or word-count range.
//!
//! datatrove has no filter of this name; the counts are Python's: characters are Unicode code
//! points (`len(text)`), words are the pieces of Python's `text.split()` (runs of non-whitespace,
//! whitespace as `str.isspace` defines it). Bounds are inclusive. Checks run in this order, the
//! first failing one giving the reason:
//! - `too_short_chars`: fewer than `min_chars` characters;
//! - `too_long_chars`: more than `max_chars` characters;
//! - `too_few_words`: fewer than `min_words` words;
//! - `too_many_words`: more than `max_words` words.

use super::FilterError;
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use crate::web::text::count_split;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Configuration of the `length` filter. Every bound defaults to unset (no check): there is no
/// datatrove default to follow, and any default bound would silently drop data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LengthConfig {
    /// Minimum number of characters (code points). Default unset.
    pub min_chars: Option<usize>,
    /// Maximum number of characters (code points). Default unset.
    pub max_chars: Option<usize>,
    /// Minimum number of Python `str.split()` words. Default unset.
    pub min_words: Option<usize>,
    /// Maximum number of Python `str.split()` words. Default unset.
    pub max_words: Option<usize>,
}

/// The `length` stage.
pub struct LengthFilter {
    config: LengthConfig,
    text_field: String,
}

impl LengthFilter {
    pub const NAME: &'static str = "length";

    /// Build the filter; errors when a minimum exceeds its maximum.
    pub fn new(config: LengthConfig, text_field: &str) -> Result<Self, FilterError> {
        for (what, min, max) in
            [("chars", config.min_chars, config.max_chars), ("words", config.min_words, config.max_words)]
        {
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                return Err(FilterError::Invalid {
                    filter: Self::NAME.to_string(),
                    message: format!("min_{what} ({min}) is greater than max_{what} ({max})"),
                });
            }
        }
        Ok(LengthFilter { config, text_field: text_field.to_string() })
    }

    /// The drop reason for `text` with its count, or `None` to keep it.
    pub fn check(&self, text: &str) -> Option<(&'static str, usize)> {
        let c = &self.config;
        if c.min_chars.is_some() || c.max_chars.is_some() {
            let chars = text.chars().count();
            if c.min_chars.is_some_and(|min| chars < min) {
                return Some(("too_short_chars", chars));
            }
            if c.max_chars.is_some_and(|max| chars > max) {
                return Some(("too_long_chars", chars));
            }
        }
        if c.min_words.is_some() || c.max_words.is_some() {
            let words = count_split(text);
            if c.min_words.is_some_and(|min| words < min) {
                return Some(("too_few_words", words));
            }
            if c.max_words.is_some_and(|max| words > max) {
                return Some(("too_many_words", words));
            }
        }
        None
    }
}

impl Stage for LengthFilter {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        let Some(text) = rec.str_field(&self.text_field) else {
            return Verdict::error(format!("field `{}` is missing or not a string", self.text_field));
        };
        match self.check(text) {
            None => Verdict::Keep,
            Some((reason, count)) => {
                Verdict::Drop { reason: reason.to_string(), detail: Some(json!({ "count": count })) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::text::split_whitespace;

    fn filter(config: LengthConfig) -> LengthFilter {
        LengthFilter::new(config, "text").unwrap()
    }

    #[test]
    fn split_matches_python() {
        // Python: len("a\x1cb\u00a0c\u3000d\u200be  f\n".split()) == 5  (U+200B is not a space)
        assert_eq!(split_whitespace("a\x1cb\u{a0}c\u{3000}d\u{200b}e  f\n").count(), 5);
        assert_eq!(split_whitespace("   ").count(), 0);
        assert_eq!(split_whitespace("x\u{85}y\u{2028}z").collect::<Vec<_>>(), ["x", "y", "z"]);
        // Python: len(" a\x0bb\x1fc\x0c d ".split()) == 4, len("\x0e".split()) == 1
        for (text, n) in [(" a\x0bb\x1fc\x0c d ", 4), ("\x0e", 1), ("", 0), ("a\u{3000}é", 2)] {
            assert_eq!(count_split(text), n, "{text:?}");
            assert_eq!(split_whitespace(text).count(), n, "{text:?}");
        }
    }

    #[test]
    fn bounds_are_inclusive_and_ordered() {
        let f =
            filter(LengthConfig { min_chars: Some(3), max_chars: Some(10), min_words: Some(2), max_words: Some(3) });
        // "héé" is 3 code points (5 bytes) but one word.
        assert_eq!(f.check("héé"), Some(("too_few_words", 1)));
        assert_eq!(f.check("ab"), Some(("too_short_chars", 2)));
        assert_eq!(f.check("a b"), None);
        assert_eq!(f.check("aaaa bbbbbb"), Some(("too_long_chars", 11)));
        assert_eq!(f.check("a b c d"), Some(("too_many_words", 4)));
        assert_eq!(f.check("ab cd ef"), None);
    }

    #[test]
    fn min_above_max_is_rejected() {
        let config = LengthConfig { min_words: Some(5), max_words: Some(4), ..LengthConfig::default() };
        assert!(matches!(LengthFilter::new(config, "text"), Err(FilterError::Invalid { .. })));
    }

    #[test]
    fn default_keeps_everything() {
        assert_eq!(filter(LengthConfig::default()).check(""), None);
    }
}
