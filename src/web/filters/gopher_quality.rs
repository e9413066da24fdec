//! `gopher_quality`: datatrove 0.10.1 `GopherQualityFilter` (Gopher, Rae et al. 2021, table A1).

use super::{active, keep_or_drop, ratio};
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use crate::web::text::{count_hashes_and_ellipses, is_alpha, is_datatrove_punctuation, lstrip, rstrip, splitlines};
use crate::web::tokenizer::EnglishTokenizer;
use serde::{Deserialize, Serialize};

/// Thresholds of `gopher_quality`. Every default is the keyword default of datatrove 0.10.1's
/// `GopherQualityFilter.__init__` (`pipeline/filters/gopher_quality_filter.py`); as there, `None`
/// or zero disables a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GopherQualityConfig {
    /// Minimum number of non-symbol words (datatrove: 50).
    pub min_doc_words: Option<usize>,
    /// Maximum number of non-symbol words (datatrove: 100000).
    pub max_doc_words: Option<usize>,
    /// Minimum mean length of non-symbol words (datatrove: 3).
    pub min_avg_word_length: Option<f64>,
    /// Maximum mean length of non-symbol words (datatrove: 10).
    pub max_avg_word_length: Option<f64>,
    /// Maximum ratio of `#` and of ellipses to words (datatrove: 0.1).
    pub max_symbol_word_ratio: Option<f64>,
    /// Maximum fraction of lines starting with `•` or `-` (datatrove: 0.9).
    pub max_bullet_lines_ratio: Option<f64>,
    /// Maximum fraction of lines ending with `...` or `…` (datatrove: 0.3).
    pub max_ellipsis_lines_ratio: Option<f64>,
    /// Minimum fraction of words with an alphabetic character (datatrove's misnamed
    /// `max_non_alpha_words_ratio`: 0.8).
    pub max_non_alpha_words_ratio: Option<f64>,
    /// Minimum number of distinct stop words present (datatrove: 2).
    pub min_stop_words: Option<usize>,
    /// The stop words (datatrove `STOP_WORDS`: the, be, to, of, and, that, have, with).
    pub stop_words: Vec<String>,
}

impl Default for GopherQualityConfig {
    fn default() -> Self {
        GopherQualityConfig {
            min_doc_words: Some(50),
            max_doc_words: Some(100_000),
            min_avg_word_length: Some(3.0),
            max_avg_word_length: Some(10.0),
            max_symbol_word_ratio: Some(0.1),
            max_bullet_lines_ratio: Some(0.9),
            max_ellipsis_lines_ratio: Some(0.3),
            max_non_alpha_words_ratio: Some(0.8),
            min_stop_words: Some(2),
            stop_words: ["the", "be", "to", "of", "and", "that", "have", "with"].map(String::from).to_vec(),
        }
    }
}

/// Per byte, for ASCII words: not in datatrove's `PUNCTUATION_SET`, alphabetic; or not ASCII.
const NON_SYMBOL: u8 = 1;
const ALPHA: u8 = 2;
const NON_ASCII: u8 = 4;
const BYTE_BITS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        // every ASCII character but letters, digits, space, tab and newline is in PUNCTUATION_SET
        let non_symbol = c.is_ascii_alphanumeric() || matches!(c, b' ' | b'\t' | b'\n');
        t[b] = if non_symbol { NON_SYMBOL } else { 0 } | if c.is_ascii_alphabetic() { ALPHA } else { 0 };
        b += 1;
    }
    t
};

/// The `gopher_quality` stage.
#[derive(Debug)]
pub struct GopherQuality {
    cfg: GopherQualityConfig,
    text_field: String,
    tok: &'static EnglishTokenizer,
}

impl GopherQuality {
    pub fn new(cfg: GopherQualityConfig, text_field: impl Into<String>) -> Self {
        let mut cfg = cfg;
        cfg.stop_words.sort();
        cfg.stop_words.dedup();
        GopherQuality { cfg, text_field: text_field.into(), tok: EnglishTokenizer::global() }
    }

    /// datatrove's decision on `text`: `Ok(())` to keep, or the reason string.
    pub fn check(&self, text: &str) -> Result<(), &'static str> {
        let c = &self.cfg;
        let words = self.tok.words(text);
        let n_words = words.len();
        let mut n_non_symbol = 0usize;
        let mut non_symbol_chars = 0usize;
        // words with an alphabetic character, counted in the same pass
        let mut n_alpha = 0usize;
        for w in &words {
            let bits = w.bytes().fold(0u8, |acc, b| acc | BYTE_BITS[usize::from(b)]);
            let (len, non_symbol, alpha) = if bits & NON_ASCII == 0 {
                (w.len(), bits & NON_SYMBOL != 0, bits & ALPHA != 0)
            } else {
                let (mut len, mut non_symbol, mut alpha) = (0usize, false, false);
                for ch in w.chars() {
                    len += 1;
                    non_symbol |= !is_datatrove_punctuation(ch);
                    alpha |= is_alpha(ch);
                }
                (len, non_symbol, alpha)
            };
            if non_symbol {
                n_non_symbol += 1;
                non_symbol_chars += len;
            }
            n_alpha += usize::from(alpha);
        }
        if let Some(min) = active(c.min_doc_words)
            && n_non_symbol < min
        {
            return Err("gopher_short_doc");
        }
        if let Some(max) = active(c.max_doc_words)
            && n_non_symbol > max
        {
            return Err("gopher_long_doc");
        }
        // np.mean of an empty list is NaN, which fails no comparison.
        let avg = ratio(non_symbol_chars, n_non_symbol);
        if let Some(min) = active(c.min_avg_word_length)
            && avg < min
        {
            return Err("gopher_below_avg_threshold");
        }
        if let Some(max) = active(c.max_avg_word_length)
            && avg > max
        {
            return Err("gopher_above_avg_threshold");
        }
        // datatrove divides by the word count; with no word at all (only when the word-count
        // check is disabled) Python raises, and the remaining checks are skipped here.
        if n_words == 0 {
            return Ok(());
        }
        if let Some(max) = active(c.max_symbol_word_ratio) {
            let (hashes, dots, ellipses) = count_hashes_and_ellipses(text);
            if ratio(hashes, n_words) > max {
                return Err("gopher_too_many_hashes");
            }
            if ratio(dots + ellipses, n_words) > max {
                return Err("gopher_too_many_ellipsis");
            }
        }
        let bullets = active(c.max_bullet_lines_ratio);
        let ellipses = active(c.max_ellipsis_lines_ratio);
        if bullets.is_some() || ellipses.is_some() {
            let (mut n_lines, mut n_bullet, mut n_ellipsis) = (0usize, 0usize, 0usize);
            for line in splitlines(text) {
                n_lines += 1;
                let l = lstrip(line);
                n_bullet += usize::from(l.starts_with('•') || l.starts_with('-'));
                let r = rstrip(line);
                n_ellipsis += usize::from(r.ends_with("...") || r.ends_with('…'));
            }
            if n_lines > 0 {
                if let Some(max) = bullets
                    && ratio(n_bullet, n_lines) > max
                {
                    return Err("gopher_too_many_bullets");
                }
                if let Some(max) = ellipses
                    && ratio(n_ellipsis, n_lines) > max
                {
                    return Err("gopher_too_many_end_ellipsis");
                }
            }
        }
        if let Some(min) = active(c.max_non_alpha_words_ratio)
            && ratio(n_alpha, n_words) < min
        {
            return Err("gopher_below_alpha_threshold");
        }
        if let Some(min) = active(c.min_stop_words) {
            let sw = &c.stop_words;
            let mut found = vec![false; sw.len()];
            let mut n_found = 0usize;
            for w in &words {
                if let Ok(i) = sw.binary_search_by(|s| s.as_str().cmp(w))
                    && !found[i]
                {
                    found[i] = true;
                    n_found += 1;
                    if n_found >= min {
                        break;
                    }
                }
            }
            if n_found < min {
                return Err("gopher_enough_stop_words");
            }
        }
        Ok(())
    }
}

impl Stage for GopherQuality {
    fn name(&self) -> &str {
        "gopher_quality"
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        keep_or_drop(rec, &self.text_field, |text| self.check(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(words: &str, n: usize) -> String {
        std::iter::repeat_n(words, n).collect::<Vec<_>>().join(" ")
    }

    // Reasons checked with datatrove 0.10.1: GopherQualityFilter().filter(Document(text=..., id="0"))
    #[test]
    fn reasons_match_datatrove() {
        let f = GopherQuality::new(GopherQualityConfig::default(), "text");
        assert_eq!(f.check(&doc("the cat", 10)), Err("gopher_short_doc"));
        assert_eq!(f.check(&doc("the house of the rising sun", 20)), Ok(()));
        assert_eq!(f.check(&doc("a b", 40)), Err("gopher_below_avg_threshold"));
        assert_eq!(f.check(&doc("the house # of the rising sun", 20)), Err("gopher_too_many_hashes"));
        assert_eq!(f.check(&doc("house rising sunny", 30)), Err("gopher_enough_stop_words"));
        assert_eq!(f.check(&doc("- the house of the rising sun\n", 20)), Err("gopher_too_many_bullets"));
    }

    #[test]
    fn byte_table_agrees_with_the_character_tests() {
        for b in 0..128u8 {
            let c = char::from(b);
            assert_eq!(BYTE_BITS[usize::from(b)] & NON_SYMBOL != 0, !is_datatrove_punctuation(c), "{b}");
            assert_eq!(BYTE_BITS[usize::from(b)] & ALPHA != 0, is_alpha(c), "{b}");
        }
    }

    #[test]
    fn process_errors_on_missing_or_non_string_text() {
        let f = GopherQuality::new(GopherQualityConfig::default(), "text");
        let mut rec = Record {
            id: "x".into(),
            source: crate::record::Source { file: "f".into(), line: 1 },
            fields: serde_json::Map::new(),
        };
        assert!(matches!(f.process(&mut rec), Verdict::Error { .. }));
        rec.fields.insert("text".into(), serde_json::json!(5));
        assert!(matches!(f.process(&mut rec), Verdict::Error { .. }));
    }
}
