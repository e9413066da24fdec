//! `fineweb_quality`: datatrove 0.10.1 `FineWebQualityFilter` (the FineWeb custom filters).

use super::gopher_repetition::find_duplicates;
use super::{keep_or_drop, ratio};
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use crate::web::text::{char_len, count_ascii_split, is_terminal_punctuation, strip};
use crate::web::tokenizer::EnglishTokenizer;
use serde::{Deserialize, Serialize};

/// Thresholds of `fineweb_quality`; defaults are datatrove 0.10.1's
/// `FineWebQualityFilter.__init__` keyword defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FineWebQualityConfig {
    /// Minimum fraction of lines ending in a stop character (datatrove: 0.12).
    pub line_punct_thr: f64,
    /// Do not drop documents where no line ends in a stop character (datatrove: false).
    pub line_punct_exclude_zero: bool,
    /// Line endings counted as punctuation (datatrove: `None` = `TERMINAL_PUNCTUATION`).
    pub stop_chars: Option<Vec<String>>,
    /// Maximum fraction of short lines (datatrove: 0.67).
    pub short_line_thr: f64,
    /// A line of at most this many characters is short (datatrove: 30).
    pub short_line_length: usize,
    /// Maximum fraction of characters in duplicated lines (datatrove: 0.01).
    pub char_duplicates_ratio: f64,
    /// Maximum ratio of newlines to words (datatrove: 0.3).
    pub new_line_ratio: f64,
}

impl Default for FineWebQualityConfig {
    fn default() -> Self {
        FineWebQualityConfig {
            line_punct_thr: 0.12,
            line_punct_exclude_zero: false,
            stop_chars: None,
            short_line_thr: 0.67,
            short_line_length: 30,
            char_duplicates_ratio: 0.01,
            new_line_ratio: 0.3,
        }
    }
}

/// The `fineweb_quality` stage.
#[derive(Debug)]
pub struct FineWebQuality {
    cfg: FineWebQualityConfig,
    text_field: String,
    tok: &'static EnglishTokenizer,
}

impl FineWebQuality {
    pub fn new(cfg: FineWebQualityConfig, text_field: impl Into<String>) -> Self {
        FineWebQuality { cfg, text_field: text_field.into(), tok: EnglishTokenizer::global() }
    }

    fn ends_with_stop(&self, line: &str) -> bool {
        match &self.cfg.stop_chars {
            None => line.chars().next_back().is_some_and(is_terminal_punctuation),
            Some(stops) => stops.iter().any(|s| line.ends_with(s.as_str())),
        }
    }

    /// datatrove's decision on `text`: `Ok(())` to keep, or the reason string.
    pub fn check(&self, text: &str) -> Result<(), &'static str> {
        let c = &self.cfg;
        let lines: Vec<&str> = text.split('\n').filter(|l| !strip(l).is_empty()).collect();
        if lines.is_empty() {
            return Err("empty");
        }
        let punct = lines.iter().filter(|l| self.ends_with_stop(l)).count();
        let r = ratio(punct, lines.len());
        if r < c.line_punct_thr && !(r == 0.0 && c.line_punct_exclude_zero) {
            return Err("line_punct_ratio");
        }
        let short = lines.iter().filter(|l| char_len(l) <= c.short_line_length).count();
        if ratio(short, lines.len()) > c.short_line_thr {
            return Err("short_line_ratio");
        }
        let (_, dup_chars) = find_duplicates(&lines);
        let newlines = text.bytes().filter(|&b| b == b'\n').count();
        if ratio(dup_chars, char_len(text) - newlines) > c.char_duplicates_ratio {
            return Err("char_dup_ratio");
        }
        // Every run of non-space characters holds at least one spaCy word, so the runs bound
        // the word count from below and often decide without tokenizing.
        let runs = count_ascii_split(text);
        if runs > 0 && ratio(newlines, runs) <= c.new_line_ratio {
            return Ok(());
        }
        let n_words = self.tok.words(text).len();
        if ratio(newlines, n_words) > c.new_line_ratio {
            return Err("list_ratio");
        }
        Ok(())
    }
}

impl Stage for FineWebQuality {
    fn name(&self) -> &str {
        "fineweb_quality"
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        keep_or_drop(rec, &self.text_field, |text| self.check(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reasons checked with datatrove 0.10.1 FineWebQualityFilter().filter(Document(text=..., id="0"))
    #[test]
    fn reasons_match_datatrove() {
        let f = FineWebQuality::new(FineWebQualityConfig::default(), "text");
        assert_eq!(f.check(" \n\t\n"), Err("empty"));
        assert_eq!(f.check("no punctuation here\nnor here"), Err("line_punct_ratio"));
        assert_eq!(f.check("Short.\nTiny.\nSmall.\nA much longer line that goes on and on."), Err("short_line_ratio"));
        let long = "This is a fairly long sentence that keeps going for a while.";
        assert_eq!(
            f.check(&format!("{long}\n{long}\nAnother long line that is different, yes.")),
            Err("char_dup_ratio")
        );
        assert_eq!(f.check("This is a fairly long line of text with a full stop at its end.\n\n\n\n\n\n\n\n\n\nAnd here is another line that also ends properly."), Err("list_ratio"));
        assert_eq!(f.check("This is a fairly long line of text with a full stop at its end. It has many words in it, so the ratio of newlines to words stays low.\nAnd here is another line that also ends properly, again with plenty of words."), Ok(()));
    }
}
