//! `c4_quality`: datatrove 0.10.1 `C4QualityFilter` (C4, Raffel et al. 2020): removes lines
//! (long words, no terminal punctuation, too few words, "javascript", policy notices), strips
//! Wikipedia-style citations, and drops documents (lorem ipsum, curly bracket, too few
//! sentences). Kept documents have their text rewritten with the kept lines.

use super::text_of;
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use crate::web::text::{char_len, lower, split_whitespace, splitlines, strip};
use crate::web::tokenizer::EnglishTokenizer;
use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Settings of `c4_quality`; defaults are datatrove 0.10.1's `C4QualityFilter.__init__` keyword
/// defaults. FineWeb runs it with `filter_no_terminal_punct = false`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct C4QualityConfig {
    /// Work on lines (`str.splitlines`); false: on spaCy sentences (datatrove: true).
    pub split_paragraph: bool,
    /// Remove `[1]`, `[edit]`, `[citation needed]` (datatrove: true).
    pub remove_citations: bool,
    /// Drop lines not ending in `.`, `?`, `!`, `"`, `'` or ending in `...` (datatrove: true).
    pub filter_no_terminal_punct: bool,
    /// Drop documents with fewer sentences in kept lines; -1 disables (datatrove: 5).
    pub min_num_sentences: i64,
    /// Drop lines with fewer words; -1 disables (datatrove: 3).
    pub min_words_per_line: i64,
    /// Drop lines with a longer word; -1 disables (datatrove: 1000).
    pub max_word_length: i64,
    /// Drop documents containing "lorem ipsum" (datatrove: true).
    pub filter_lorem_ipsum: bool,
    /// Drop lines mentioning "javascript" (datatrove: true).
    pub filter_javascript: bool,
    /// Drop documents with a `{` in a kept line (datatrove: true).
    pub filter_curly_bracket: bool,
    /// Drop lines with a cookie / terms-of-use / privacy phrase (datatrove: true).
    pub filter_policy: bool,
}

impl Default for C4QualityConfig {
    fn default() -> Self {
        C4QualityConfig {
            split_paragraph: true,
            remove_citations: true,
            filter_no_terminal_punct: true,
            min_num_sentences: 5,
            min_words_per_line: 3,
            max_word_length: 1000,
            filter_lorem_ipsum: true,
            filter_javascript: true,
            filter_curly_bracket: true,
            filter_policy: true,
        }
    }
}

/// datatrove `POLICY_SUBSTRINGS`.
const POLICY_SUBSTRINGS: [&str; 6] =
    ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"];

/// Pattern ids in [`C4Quality::phrases`]: "lorem ipsum", "javascript", then the policy phrases.
const LOREM: u32 = 0;
const JAVASCRIPT: u32 = 1;
const POLICY_MASK: u32 = ((1 << POLICY_SUBSTRINGS.len()) - 1) << 2;

/// datatrove `END_PUNCTUATION`.
const END_PUNCTUATION: [char; 5] = ['.', '?', '!', '"', '\''];

/// Whether `text` holds one of the phrases, ASCII-case-insensitively: vectorised substring
/// searches in an ASCII-lower-cased copy (the automaton takes ~13 instructions a byte).
fn contains_phrase(text: &str) -> bool {
    use memchr::memmem::Finder;
    use std::sync::OnceLock;
    static FINDERS: OnceLock<Vec<Finder<'static>>> = OnceLock::new();
    thread_local! {
        static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let finders = FINDERS.get_or_init(|| {
        ["lorem ipsum", "javascript"].iter().chain(POLICY_SUBSTRINGS.iter()).map(|p| Finder::new(*p)).collect()
    });
    LOWER.with(|b| {
        let mut b = b.borrow_mut();
        b.clear();
        b.extend_from_slice(text.as_bytes());
        b.make_ascii_lowercase();
        finders.iter().any(|f| f.find(&b).is_some())
    })
}

/// The `c4_quality` stage.
#[derive(Debug)]
pub struct C4Quality {
    cfg: C4QualityConfig,
    text_field: String,
    tok: &'static EnglishTokenizer,
    citation: Regex,
    /// "lorem ipsum", "javascript" and `POLICY_SUBSTRINGS`, ASCII case-insensitive.
    phrases: AhoCorasick,
}

impl C4Quality {
    pub fn new(cfg: C4QualityConfig, text_field: impl Into<String>) -> Self {
        C4Quality {
            cfg,
            text_field: text_field.into(),
            tok: EnglishTokenizer::global(),
            // datatrove CITATION_REGEX = r"\[\d*]|\[edit]|\[citation needed]" (\d: Unicode Nd)
            citation: Regex::new(r"\[\d*\]|\[edit\]|\[citation needed\]").expect("valid regex"),
            phrases: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(["lorem ipsum", "javascript"].iter().chain(POLICY_SUBSTRINGS.iter()))
                .expect("valid patterns"),
        }
    }

    /// datatrove's decision on `text`: `Ok(new text)` to keep, or the reason string.
    pub fn check(&self, text: &str) -> Result<String, &'static str> {
        let c = &self.cfg;
        let pieces: Vec<&str> =
            if c.split_paragraph { splitlines(text).collect() } else { self.tok.split_into_sentences(text) };
        // Sentence counts of unchanged lines come from the document's tokens: a stripped line
        // starts and ends at token boundaries (line breaks are whitespace), and the exceptions
        // spaCy re-merges never contain whitespace, so its tokens are the document's tokens
        // within its span.
        let doc_tokens =
            if c.split_paragraph && c.min_num_sentences != -1 { self.tok.tokens(text) } else { Vec::new() };
        let base = text.as_ptr() as usize;
        // `line.lower()` is searched for the phrases, which are lower-case ASCII: only U+0130
        // and U+212A lower-case to ASCII letters, so without them a line's lower-case form
        // holds a phrase exactly where the line holds it ASCII-case-insensitively. And a line
        // of the text can only hold a phrase if the text does.
        let lower_first = !text.is_ascii() && (text.contains('\u{130}') || text.contains('\u{212A}'));
        let text_has_phrase = lower_first || contains_phrase(text);
        let mut num_sentences = 0i64;
        let mut kept: Vec<Cow<str>> = Vec::new();
        for line in pieces {
            let line = strip(line);
            if c.max_word_length != -1 {
                let max = usize::try_from(c.max_word_length).unwrap_or(0);
                // a word longer than `max` code points needs more than `max` bytes
                if line.len() > max && split_whitespace(line).any(|w| w.len() > max && char_len(w) > max) {
                    continue;
                }
            }
            // only `n_words < min_words_per_line` matters: count up to that
            let enough_words = usize::try_from(c.min_words_per_line)
                .map_or(true, |min| min == 0 || split_whitespace(line).nth(min - 1).is_some());
            let line: Cow<str> = if c.remove_citations && line.contains('[') {
                self.citation.replace_all(line, "")
            } else {
                Cow::Borrowed(line)
            };
            if c.filter_no_terminal_punct && (!line.ends_with(END_PUNCTUATION) || line.ends_with("...")) {
                continue;
            }
            if !enough_words {
                continue;
            }
            // `line.lower()` searched for all phrases in one pass (citation removal can join
            // a phrase, so a changed line is always searched)
            let mut found = 0u32;
            if text_has_phrase || matches!(line, Cow::Owned(_)) {
                let line_l = if lower_first { lower(&line) } else { Cow::Borrowed(&*line) };
                for m in self.phrases.find_overlapping_iter(line_l.as_bytes()) {
                    found |= 1 << m.pattern().as_u32();
                }
            }
            if c.filter_lorem_ipsum && found & (1 << LOREM) != 0 {
                return Err("lorem_ipsum");
            }
            if c.filter_javascript && found & (1 << JAVASCRIPT) != 0 {
                continue;
            }
            if c.filter_curly_bracket && line.contains('{') {
                return Err("curly_bracket");
            }
            if c.filter_policy && found & POLICY_MASK != 0 {
                continue;
            }
            // only `num_sentences < min_num_sentences` matters: stop counting at the minimum
            if c.min_num_sentences != -1 && num_sentences < c.min_num_sentences {
                num_sentences += if !c.split_paragraph {
                    1
                } else if let Cow::Borrowed(l) = line {
                    let start = l.as_ptr() as usize - base;
                    let end = start + l.len();
                    let a = doc_tokens.partition_point(|t| t.start < start);
                    let b = doc_tokens.partition_point(|t| t.start < end);
                    EnglishTokenizer::count_sentences_in(&doc_tokens[a..b]).max(1) as i64
                } else {
                    self.tok.count_sentences(&line) as i64
                };
            }
            kept.push(line);
        }
        if num_sentences < c.min_num_sentences {
            return Err("too_few_sentences");
        }
        let sep = if c.split_paragraph { "\n" } else { " " };
        let joined = kept.join(sep);
        Ok(strip(&joined).to_string())
    }
}

impl Stage for C4Quality {
    fn name(&self) -> &str {
        "c4_quality"
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        let text = match text_of(rec, &self.text_field) {
            Err(v) => return v,
            Ok(t) => t,
        };
        match self.check(text) {
            Ok(new_text) => {
                rec.fields.insert(self.text_field.clone(), serde_json::Value::String(new_text));
                Verdict::Keep
            }
            Err(reason) => Verdict::drop(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Checked with datatrove 0.10.1: d = Document(text=..., id="0"); C4QualityFilter().filter(d), d.text
    #[test]
    fn line_removal_and_reasons_match_datatrove() {
        let f = C4Quality::new(C4QualityConfig::default(), "text");
        let text = "Intro line without punctuation\nThe first sentence is here. And a second one[1].\nEnable JavaScript to view this page.\nWe use cookies to improve things.\nShort one.\nThird sentence follows! Fourth? Fifth one ends here.\n";
        assert_eq!(
            f.check(text).as_deref(),
            Ok("The first sentence is here. And a second one.\nThird sentence follows! Fourth? Fifth one ends here.")
        );
        assert_eq!(f.check("Only one sentence here."), Err("too_few_sentences"));
        assert_eq!(f.check("Lorem ipsum dolor sit amet."), Err("lorem_ipsum"));
        assert_eq!(f.check("A line with a {brace} in it."), Err("curly_bracket"));
        let fw = C4Quality::new(C4QualityConfig { filter_no_terminal_punct: false, ..Default::default() }, "text");
        // Phrases joined by citation removal, or made by lower-casing U+212A (Kelvin sign): the
        // text holds no phrase as it is.
        let kept = "First line has enough words here.\nSecond sentence. Third one. Fourth one. Fifth!";
        let with = |line: &str| {
            format!("First line has enough words here.\n{line}\nSecond sentence. Third one. Fourth one. Fifth!")
        };
        assert_eq!(fw.check(&with("Enable java[1]script to see it all.")).as_deref(), Ok(kept));
        assert_eq!(fw.check(&with("Read our coo\u{212A}ie policy right now.")).as_deref(), Ok(kept));
        assert_eq!(fw.check(&with("Lorem [edit]ipsum is not here.")), Err("lorem_ipsum"));
        assert_eq!(
            fw.check("One two three\nFour five six. Seven eight nine. Ten. Eleven. Twelve").as_deref(),
            Ok("One two three\nFour five six. Seven eight nine. Ten. Eleven. Twelve")
        );
    }
}
