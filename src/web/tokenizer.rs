//! Word and sentence splitting as datatrove 0.10.1's English word tokenizer does it: spaCy's
//! blank `"en"` tokenizer followed by its rule-based `sentencizer`.
//!
//! The tokenizer follows spaCy's algorithm (`Tokenizer._tokenize_affixes`, `_split_affixes`,
//! `_attach_tokens`): the text is cut into runs of non-space and space characters (a single
//! `' '` after a token is absorbed as its trailing space); each non-space run is looked up in the
//! tokenizer exceptions, otherwise prefixes and suffixes are peeled off repeatedly (stopping as
//! soon as the remainder is an exception), and the core is an exception, a URL (one token), or
//! is cut at infixes. The prefix, suffix and infix rules are spaCy's English regexes, evaluated
//! here by hand with Python `re` semantics (first alternative for prefixes, earliest start for
//! suffixes, leftmost-first scanning for infixes), over character classes generated from spaCy
//! (see `tools/gen_web_tables.py`).
//!
//! spaCy's second pass (`_apply_special_cases`) is reproduced too: exceptions that contain an
//! affix or infix character (`a.`, `e.g.`, `:)`) are re-merged where the affix rules split them.
//! spaCy's tokenizer cache only saves work and is not needed for identical output.
//!
//! datatrove's `word_tokenize` returns every token's text stripped, dropping empty ones (so
//! space tokens vanish); `sent_tokenize` does the same with sentences. C4's sentence count is
//! the number of sentences spaCy finds (`split_into_sentences`), nothing dropped.
//!
//! Which datatrove 0.10.1 filters use this splitter: `GopherQualityFilter`,
//! `GopherRepetitionFilter` and `FineWebQualityFilter` (`split_into_words`, spaCy words);
//! `C4QualityFilter` counts sentences per kept line with it (`split_into_sentences`), but splits
//! words with `str.split()`. FineWeb's line checks and Gopher's line / paragraph checks use
//! `str.split("\n")`, `str.splitlines()` and `re.split` on newlines.

use super::tables::{self, PrefixRule};
use super::text::{ASCII_SPACE, in_ranges, is_space, is_unicode_punct, strip};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One token: its text and its byte offset in the tokenized string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    /// A token made of whitespace (spaCy keeps these; datatrove strips them away).
    pub is_space: bool,
}

/// spaCy's blank English tokenizer + sentencizer. Build once ([`EnglishTokenizer::global`]) and
/// share: construction compiles the URL regex and the exception table.
pub struct EnglishTokenizer {
    specials: HashMap<&'static str, &'static [&'static str], FxBuild>,
    url: Regex,
    /// spaCy's `_special_matcher`: exceptions that affix rules would split, keyed by the first
    /// token of their affix tokenization; values are (token texts, exception string).
    matcher: HashMap<&'static str, Vec<SpecialPattern>, FxBuild>,
    /// Pre-filter of `matcher` keys: bit `min(len, 63)` of entry `first byte`.
    matcher_mask: Box<[u64; 256]>,
    /// `matcher` keys of at most 8 bytes, packed into a `u64` ([`pack8`]): an open-addressing
    /// table of (packed key, length, index into `matcher_lists`), length 0 marking empty slots.
    matcher_table: Box<[(u64, u8, u16); MATCHER_SLOTS]>,
    matcher_lists: Vec<&'static [SpecialPattern]>,
    /// Whether some `matcher` key is longer than 8 bytes (then looked up in `matcher`).
    matcher_long_keys: bool,
    /// Prefix rules (indices into `PREFIXES`, in order) by the first character they can match.
    prefix_by_char: HashMap<char, Vec<usize>, FxBuild>,
    /// Suffix literals by last character: (literal, needs an ASCII digit before it).
    suffix_by_char: HashMap<char, Vec<(&'static str, bool)>, FxBuild>,
    /// Whether `prefix_by_char` / `suffix_by_char` have an entry, for ASCII characters.
    prefix_ascii: [bool; 128],
    suffix_ascii: [bool; 128],
    /// Pre-filter of `specials` keys: bit [`special_bit`] of each key is set.
    special_filter: Box<[u64; 1024]>,
}

/// A bit of [`EnglishTokenizer::special_filter`] from a string's length and end bytes.
#[inline]
fn special_bit(s: &str) -> usize {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => ((usize::from(f) << 8) | usize::from(l)) ^ ((b.len().min(63) * 0x9E5) & 0xFFFF),
        _ => 0,
    }
}

/// Byte classes of the tokenizer's scan: ASCII letters, other ASCII non-space bytes, ASCII
/// whitespace, non-ASCII bytes.
const LETTER: u8 = 0;
const OTHER: u8 = 1;
const BYTE_CLASS: [u8; 256] = {
    let mut t = [3u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = if ASCII_SPACE[b] {
            2
        } else if (b as u8).is_ascii_alphabetic() {
            LETTER
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// Slots of [`EnglishTokenizer::matcher_table`].
const MATCHER_SLOTS: usize = 512;

/// The bytes of a string of at most 8 bytes as a number.
#[inline]
fn pack8(s: &str) -> u64 {
    s.bytes().fold(0u64, |acc, b| (acc << 8) | u64::from(b))
}

#[inline]
fn matcher_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MATCHER_SLOTS.trailing_zeros())) as usize
}

/// A small multiplicative hasher (FxHash) for the tokenizer's string and char tables.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
    #[inline]
    fn write_u32(&mut self, v: u32) {
        self.add(u64::from(v));
    }
    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.add(v);
    }
    #[inline]
    fn write_usize(&mut self, v: usize) {
        self.add(v as u64);
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// How many texts' word spans each thread remembers (datatrove: `lru_cache(5)`).
const WORD_CACHE_SIZE: usize = 5;

struct CachedWords {
    text: String,
    spans: Vec<(u32, u32, bool)>,
}

thread_local! {
    static WORD_CACHE: std::cell::RefCell<std::collections::VecDeque<CachedWords>> =
        std::cell::RefCell::new(std::collections::VecDeque::with_capacity(WORD_CACHE_SIZE));
}

/// One `_special_matcher` pattern.
struct SpecialPattern {
    tokens: Vec<&'static str>,
    key: &'static str,
}

impl std::fmt::Debug for EnglishTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnglishTokenizer").finish_non_exhaustive()
    }
}

impl Default for EnglishTokenizer {
    fn default() -> Self {
        Self::new()
    }
}

#[inline]
fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

#[inline]
fn last_char(s: &str) -> Option<char> {
    s.chars().next_back()
}

#[inline]
fn sp_alpha(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphabetic() } else { in_ranges(c, tables::SP_ALPHA) }
}

#[inline]
fn sp_lower(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_lowercase() } else { in_ranges(c, tables::SP_ALPHA_LOWER) }
}

#[inline]
fn sp_upper(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_uppercase() } else { in_ranges(c, tables::SP_ALPHA_UPPER) }
}

#[inline]
fn sp_quote(c: char) -> bool {
    in_ranges(c, tables::SP_CONCAT_QUOTES)
}

#[inline]
fn sp_icon(c: char) -> bool {
    !c.is_ascii() && in_ranges(c, tables::SP_ICONS)
}

/// Byte length of the run of `.` at the start of `s`.
#[inline]
fn leading_dots(s: &str) -> usize {
    s.bytes().take_while(|&b| b == b'.').count()
}

impl EnglishTokenizer {
    pub fn new() -> Self {
        let specials: HashMap<&'static str, &'static [&'static str], FxBuild> =
            tables::SPECIAL_CASES.iter().copied().collect();
        let url = Regex::new(tables::URL_PATTERN).expect("spaCy URL pattern compiles");
        let mut prefix_by_char: HashMap<char, Vec<usize>, FxBuild> = HashMap::default();
        for (i, rule) in tables::PREFIXES.iter().enumerate() {
            let c = match *rule {
                PrefixRule::Lit(l) => first_char(l).expect("non-empty prefix"),
                PrefixRule::PlusNotDigit => '+',
                PrefixRule::Dots => '.',
                PrefixRule::Icon => continue, // last alternative: checked after the others
            };
            prefix_by_char.entry(c).or_default().push(i);
        }
        let mut suffix_by_char: HashMap<char, Vec<(&'static str, bool)>, FxBuild> = HashMap::default();
        for &l in tables::SUFFIX_LITERALS {
            suffix_by_char.entry(last_char(l).expect("non-empty")).or_default().push((l, false));
        }
        for &l in tables::CURRENCY.iter().chain(tables::UNITS) {
            suffix_by_char.entry(last_char(l).expect("non-empty")).or_default().push((l, true));
        }
        let mut prefix_ascii = [false; 128];
        let mut suffix_ascii = [false; 128];
        for c in 0..128u8 {
            prefix_ascii[usize::from(c)] = prefix_by_char.contains_key(&char::from(c));
            suffix_ascii[usize::from(c)] = suffix_by_char.contains_key(&char::from(c));
        }
        let mut special_filter = Box::new([0u64; 1024]);
        for k in specials.keys() {
            let bit = special_bit(k);
            special_filter[bit >> 6] |= 1 << (bit & 63);
        }
        let mut tok = EnglishTokenizer {
            specials,
            url,
            matcher: HashMap::default(),
            matcher_mask: Box::new([0; 256]),
            matcher_table: Box::new([(0, 0, 0); MATCHER_SLOTS]),
            matcher_lists: Vec::new(),
            matcher_long_keys: false,
            prefix_by_char,
            suffix_by_char,
            prefix_ascii,
            suffix_ascii,
            special_filter,
        };
        // Tokenizer.add_special_case with faster_heuristics: exceptions that contain a prefix,
        // infix, suffix or a space are also matched on the token sequence their affix-only
        // tokenization gives.
        let mut matcher: HashMap<&'static str, Vec<SpecialPattern>, FxBuild> = HashMap::default();
        for &(key, _) in tables::SPECIAL_CASES {
            let has_infix = key.char_indices().any(|(i, _)| infix_at(key, i).is_some());
            if tok.find_prefix(key) == 0 && tok.find_suffix(key) == 0 && !has_infix && !key.contains(' ') {
                continue;
            }
            let mut toks = Vec::new();
            tok.tokenize(key, false, &mut toks);
            if toks.is_empty() {
                continue;
            }
            let tokens: Vec<&'static str> = toks.iter().map(|t| t.text).collect();
            matcher.entry(tokens[0]).or_default().push(SpecialPattern { tokens, key });
        }
        for k in matcher.keys() {
            tok.matcher_mask[usize::from(k.as_bytes()[0])] |= 1u64 << k.len().min(63);
        }
        tok.matcher = matcher;
        let mut keys: Vec<&'static str> = tok.matcher.keys().copied().collect();
        keys.sort_unstable(); // the table does not depend on the map's order
        assert!(keys.len() < MATCHER_SLOTS / 2, "matcher table too small");
        for k in keys {
            if k.len() > 8 {
                tok.matcher_long_keys = true;
                continue;
            }
            let pats: &'static [SpecialPattern] =
                Box::leak(std::mem::take(tok.matcher.get_mut(k).expect("key of the map")).into_boxed_slice());
            let entry = (pack8(k), k.len() as u8, tok.matcher_lists.len() as u16);
            tok.matcher_lists.push(pats);
            let mut h = matcher_slot(entry.0);
            while tok.matcher_table[h % MATCHER_SLOTS].1 != 0 {
                h += 1;
            }
            tok.matcher_table[h % MATCHER_SLOTS] = entry;
        }
        tok.matcher.retain(|k, _| k.len() > 8);
        tok
    }

    /// spaCy's tokenizer exception for exactly `s`, if any.
    #[inline]
    fn special(&self, s: &str) -> Option<&'static [&'static str]> {
        let bit = special_bit(s);
        if self.special_filter[bit >> 6] & (1 << (bit & 63)) == 0 {
            return None;
        }
        self.specials.get(s).copied()
    }

    /// The `_special_matcher` patterns whose first token is `t`.
    #[inline]
    fn matcher_patterns(&self, t: &str) -> Option<&[SpecialPattern]> {
        if t.len() > 8 {
            return if self.matcher_long_keys { self.matcher.get(t).map(Vec::as_slice) } else { None };
        }
        let (key, len) = (pack8(t), t.len() as u8);
        let mut h = matcher_slot(key);
        loop {
            let (k, l, i) = self.matcher_table[h % MATCHER_SLOTS];
            if l == 0 {
                return None;
            }
            if k == key && l == len {
                return Some(self.matcher_lists[usize::from(i)]);
            }
            h += 1;
        }
    }

    /// A process-wide shared instance.
    pub fn global() -> &'static EnglishTokenizer {
        static TOK: OnceLock<EnglishTokenizer> = OnceLock::new();
        TOK.get_or_init(EnglishTokenizer::new)
    }

    /// All spaCy tokens of `text` (space tokens included), appended to `out`.
    pub fn tokens_into<'a>(&self, text: &'a str, out: &mut Vec<Token<'a>>) {
        let first = out.len();
        self.tokenize(text, true, out);
        self.apply_special_cases(text, first, out);
    }

    /// spaCy's `_tokenize_affixes(text, with_special_cases)`.
    fn tokenize<'a>(&self, text: &'a str, specials: bool, out: &mut Vec<Token<'a>>) {
        let mut start = 0usize;
        let mut in_ws = match first_char(text) {
            Some(c) => is_space(c),
            None => return,
        };
        let bytes = text.as_bytes();
        let mut i = 0usize;
        // whether the word being scanned is ASCII letters only
        let mut letters = true;
        while i < bytes.len() {
            if !in_ws {
                // the ASCII non-space bytes of a word
                while i < bytes.len() {
                    let class = BYTE_CLASS[usize::from(bytes[i])];
                    if class > OTHER {
                        break;
                    }
                    letters &= class == LETTER;
                    i += 1;
                }
                if i == bytes.len() {
                    break;
                }
            }
            let b = bytes[i];
            // ASCII bytes are classified directly; other characters are decoded.
            let (space, len) = if b < 0x80 {
                (ASCII_SPACE[usize::from(b)], 1)
            } else {
                let c = first_char(&text[i..]).expect("char boundary");
                (is_space(c), c.len_utf8())
            };
            if space != in_ws {
                if start < i {
                    self.word_or_chunk(&text[start..i], start, in_ws, letters, specials, out);
                }
                start = if b == b' ' { i + 1 } else { i };
                in_ws = !in_ws;
                // a word starts with this character
                letters = BYTE_CLASS[usize::from(b)] == LETTER;
            } else if !space {
                letters = false; // a non-ASCII character inside a word
            }
            i += len;
        }
        if start < text.len() {
            self.word_or_chunk(&text[start..], start, in_ws, letters, specials, out);
        }
    }

    /// [`Self::chunk`], with the common case inline: a run of ASCII letters that is no
    /// exception is one token (no affix or infix rule matches letters only, nor does the URL
    /// pattern, which needs a dot).
    #[inline]
    fn word_or_chunk<'a>(
        &self,
        s: &'a str,
        start: usize,
        ws: bool,
        letters: bool,
        specials: bool,
        out: &mut Vec<Token<'a>>,
    ) {
        if !ws && letters && !(specials && self.special(s).is_some()) {
            Self::push(out, s, start, false);
        } else {
            self.chunk(s, start, ws, specials, out);
        }
    }

    /// The words datatrove's `word_tokenize` returns: token texts, stripped, empty ones dropped.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let hit = WORD_CACHE.with(|c| {
            let c = c.borrow();
            c.iter()
                .find(|e| e.text.len() == text.len() && e.text == text)
                .map(|e| e.spans.iter().filter(|s| !s.2).map(|&(a, b, _)| &text[a as usize..b as usize]).collect())
        });
        match hit {
            Some(words) => words,
            None => self.tokens(text).into_iter().filter(|t| !t.is_space).map(|t| t.text).collect(),
        }
    }

    /// All spaCy tokens of `text` (space tokens included).
    ///
    /// Like datatrove (whose `split_into_words` sits behind an `lru_cache(5)` keyed by the text),
    /// the token spans of the last few texts are cached per thread, so filters that run one after
    /// another on the same document tokenize it once.
    pub fn tokens<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        let hit = WORD_CACHE.with(|c| {
            let c = c.borrow();
            // comparing a few texts costs less than hashing one
            c.iter().find(|e| e.text.len() == text.len() && e.text == text).map(|e| {
                e.spans
                    .iter()
                    .map(|&(a, b, is_space)| Token { text: &text[a as usize..b as usize], start: a as usize, is_space })
                    .collect()
            })
        });
        if let Some(toks) = hit {
            return toks;
        }
        let mut toks = Vec::with_capacity(text.len() / 4);
        self.tokens_into(text, &mut toks);
        if u32::try_from(text.len()).is_ok() {
            WORD_CACHE.with(|c| {
                let mut c = c.borrow_mut();
                // reuse the evicted entry's buffers
                let mut e = if c.len() == WORD_CACHE_SIZE {
                    c.pop_back().expect("full cache")
                } else {
                    CachedWords { text: String::new(), spans: Vec::new() }
                };
                e.text.clear();
                e.text.push_str(text);
                e.spans.clear();
                e.spans.extend(toks.iter().map(|t| (t.start as u32, (t.start + t.text.len()) as u32, t.is_space)));
                c.push_front(e);
            });
        }
        toks
    }

    /// The number of sentences spaCy's sentencizer finds in a token sequence (0 if empty).
    pub fn count_sentences_in(tokens: &[Token<'_>]) -> usize {
        let mut n = 0;
        for_each_sentence(tokens, |_, _| n += 1);
        n
    }

    /// Byte ranges of the sentences spaCy's sentencizer finds (`doc.sents`), over all tokens.
    pub fn sentence_spans(&self, text: &str) -> Vec<(usize, usize)> {
        let mut toks = Vec::new();
        self.tokens_into(text, &mut toks);
        let mut spans = Vec::new();
        for_each_sentence(&toks, |a, b| {
            let last = &toks[b - 1];
            spans.push((toks[a].start, last.start + last.text.len()));
        });
        spans
    }

    /// The sentences datatrove's `sent_tokenize` returns: stripped, empty ones dropped.
    pub fn sentences<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.sentence_spans(text).into_iter().map(|(a, b)| strip(&text[a..b])).filter(|s| !s.is_empty()).collect()
    }

    /// `len(split_into_sentences(text))` as datatrove computes it (at least 1).
    pub fn count_sentences(&self, text: &str) -> usize {
        // Shortcut, exact: when every sentence-final character lies in the trailing run of P*
        // characters, every token from the first sentence-final token on is all punctuation,
        // so no sentence starts after the first one.
        let body = text.trim_end_matches(is_unicode_punct);
        if !body.chars().any(|c| !c.is_ascii_alphanumeric() && in_ranges(c, tables::SENT_PUNCT_CHARS)) {
            return 1;
        }
        let mut toks = Vec::new();
        self.tokens_into(text, &mut toks);
        let mut n = 0;
        for_each_sentence(&toks, |_, _| n += 1);
        n.max(1)
    }

    /// datatrove's `split_into_sentences(text)`: the text cut after each sentence end but the
    /// last, so the pieces cover the whole text.
    pub fn split_into_sentences<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let spans = self.sentence_spans(text);
        let mut out = Vec::with_capacity(spans.len().max(1));
        let mut a = 0;
        for &(_, end) in spans.iter().take(spans.len().saturating_sub(1)) {
            out.push(&text[a..end]);
            a = end;
        }
        out.push(&text[a..]);
        out
    }

    fn push<'a>(out: &mut Vec<Token<'a>>, text: &'a str, start: usize, is_space: bool) {
        out.push(Token { text, start, is_space });
    }

    fn push_special<'a>(out: &mut Vec<Token<'a>>, s: &'a str, start: usize, parts: &[&str]) {
        let mut off = 0;
        for p in parts {
            let t = &s[off..off + p.len()];
            Self::push(out, t, start + off, t.chars().all(is_space));
            off += p.len();
        }
    }

    /// spaCy's `_apply_special_cases`: find every match of the special-case patterns in the
    /// token sequence, keep the longest non-overlapping ones (ties: leftmost), and replace those
    /// whose text is exactly the exception by the exception's tokens.
    fn apply_special_cases<'a>(&self, text: &'a str, first: usize, out: &mut Vec<Token<'a>>) {
        let toks = &out[first..];
        let mut matches: Vec<(usize, usize, &'static str)> = Vec::new();
        for i in 0..toks.len() {
            let t = toks[i].text;
            if self.matcher_mask[usize::from(t.as_bytes()[0])] & (1u64 << t.len().min(63)) == 0 {
                continue;
            }
            let Some(pats) = self.matcher_patterns(t) else {
                continue;
            };
            for p in pats {
                let end = i + p.tokens.len();
                if end <= toks.len() && toks[i..end].iter().zip(&p.tokens).all(|(t, w)| t.text == *w) {
                    matches.push((i, end, p.key));
                }
            }
        }
        if matches.is_empty() {
            return;
        }
        // longest first; equal lengths: smallest start first
        matches.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
        let mut seen = vec![false; toks.len()];
        let mut accepted: Vec<(usize, usize, &'static str)> = Vec::new();
        for &(a, b, key) in &matches {
            if !seen[a] && !seen[b - 1] {
                accepted.push((a, b, key));
            }
            for s in &mut seen[a..b] {
                *s = true;
            }
        }
        accepted.sort_by_key(|m| m.0);
        // In place when no exception has more tokens than the tokens it replaces (the usual
        // case: "a" "." -> "a."); otherwise into a new list.
        let fits = accepted.iter().all(|&(a, b, key)| self.specials[key].len() <= b - a);
        if fits {
            let (mut r, mut w) = (first, first);
            for (a, b, key) in accepted {
                let (a, b) = (first + a, first + b);
                out.copy_within(r..a, w);
                w += a - r;
                let s0 = out[a].start;
                let last = out[b - 1];
                let span = &text[s0..last.start + last.text.len()];
                if span == key {
                    let mut off = 0;
                    for p in self.specials[key] {
                        let t = &span[off..off + p.len()];
                        out[w] = Token { text: t, start: s0 + off, is_space: t.chars().all(is_space) };
                        w += 1;
                        off += p.len();
                    }
                } else {
                    out.copy_within(a..b, w);
                    w += b - a;
                }
                r = b;
            }
            let n = out.len();
            out.copy_within(r..n, w);
            out.truncate(w + (n - r));
            return;
        }
        let toks = &out[first..];
        let mut rebuilt: Vec<Token<'a>> = Vec::with_capacity(toks.len());
        let mut i = 0;
        for (a, b, key) in accepted {
            rebuilt.extend_from_slice(&toks[i..a]);
            let s0 = toks[a].start;
            let last = &toks[b - 1];
            let span = &text[s0..last.start + last.text.len()];
            if span == key {
                let parts = self.specials[key];
                Self::push_special(&mut rebuilt, span, s0, parts);
            } else {
                rebuilt.extend_from_slice(&toks[a..b]);
            }
            i = b;
        }
        rebuilt.extend_from_slice(&toks[i..]);
        out.truncate(first);
        out.extend(rebuilt);
    }

    fn chunk<'a>(&self, s: &'a str, start: usize, ws: bool, specials: bool, out: &mut Vec<Token<'a>>) {
        if ws {
            // No affix rule matches whitespace, and exceptions map space strings to themselves.
            Self::push(out, s, start, true);
            return;
        }
        if specials && let Some(parts) = self.special(s) {
            Self::push_special(out, s, start, parts);
            return;
        }
        // Fast path: a run of ASCII letters has no prefix, suffix (those need punctuation or a
        // digit before a unit), infix (punctuation) or URL (a dot), and was not an exception.
        if s.bytes().all(|b| b.is_ascii_alphabetic()) {
            Self::push(out, s, start, false);
            return;
        }
        let is_special = |x: &str| specials && self.special(x).is_some();
        // _split_affixes
        let mut core_start = 0usize;
        let mut core_end = s.len();
        let mut prefixes: Vec<(usize, usize)> = Vec::new();
        let mut suffixes: Vec<(usize, usize)> = Vec::new();
        let mut last_len = usize::MAX;
        loop {
            let string = &s[core_start..core_end];
            if string.is_empty() || string.len() == last_len {
                break;
            }
            // (the whole run was already looked up above)
            if string.len() != s.len() && is_special(string) {
                break;
            }
            last_len = string.len();
            let pre_len = self.find_prefix(string);
            if pre_len != 0 {
                let minus_pre = &string[pre_len..];
                if !minus_pre.is_empty() && is_special(minus_pre) {
                    prefixes.push((core_start, core_start + pre_len));
                    core_start += pre_len;
                    break;
                }
            }
            let suf_len = self.find_suffix(&string[pre_len..]);
            if suf_len != 0 {
                let minus_suf = &string[..string.len() - suf_len];
                if !minus_suf.is_empty() && is_special(minus_suf) {
                    suffixes.push((core_end - suf_len, core_end));
                    core_end -= suf_len;
                    break;
                }
            }
            if pre_len != 0 && suf_len != 0 && pre_len + suf_len <= string.len() {
                prefixes.push((core_start, core_start + pre_len));
                suffixes.push((core_end - suf_len, core_end));
                core_start += pre_len;
                core_end -= suf_len;
            } else if pre_len != 0 {
                prefixes.push((core_start, core_start + pre_len));
                core_start += pre_len;
            } else if suf_len != 0 {
                suffixes.push((core_end - suf_len, core_end));
                core_end -= suf_len;
            }
        }
        // _attach_tokens
        for &(a, b) in &prefixes {
            Self::push(out, &s[a..b], start + a, false);
        }
        if core_start < core_end {
            let core = &s[core_start..core_end];
            let cstart = start + core_start;
            let parts = if specials && core.len() != s.len() { self.special(core) } else { None };
            if let Some(parts) = parts {
                Self::push_special(out, core, cstart, parts);
            } else if self.is_url(core) {
                Self::push(out, core, cstart, false);
            } else {
                let mut pos = 0usize; // start of the pending span
                let mut at = 0usize; // scan position
                while at < core.len() {
                    match infix_at(core, at) {
                        Some(len) => {
                            if at != 0 {
                                if at != pos {
                                    Self::push(out, &core[pos..at], cstart + pos, false);
                                }
                                Self::push(out, &core[at..at + len], cstart + at, false);
                                pos = at + len;
                            }
                            at += len;
                        }
                        None => at += first_char(&core[at..]).map_or(1, char::len_utf8),
                    }
                }
                if pos < core.len() {
                    Self::push(out, &core[pos..], cstart + pos, false);
                }
            }
        }
        for &(a, b) in suffixes.iter().rev() {
            Self::push(out, &s[a..b], start + a, false);
        }
    }

    /// spaCy's `URL_MATCH`, including its exclusion of private and loopback IPv4 hosts.
    fn is_url(&self, s: &str) -> bool {
        // Cheap pre-check: every URL match needs a '.' (host) somewhere.
        if !s.contains('.') {
            return false;
        }
        match self.url.captures(s) {
            None => false,
            Some(c) => match c.name("ip") {
                None => true,
                Some(ip) => !is_private_ip_prefix(&s[ip.start()..]),
            },
        }
    }
}

/// The negative look-aheads of spaCy's URL pattern, at the start of the host.
fn is_private_ip_prefix(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(5, '.').collect();
    let octet = |i: usize| -> bool {
        parts.get(i).is_some_and(|p| {
            let n = p.chars().take_while(|c| c.is_ascii_digit()).count();
            n >= 1
        })
    };
    let p0 = parts.first().copied().unwrap_or("");
    if (p0 == "10" || p0 == "127") && octet(1) && octet(2) && octet(3) {
        return true;
    }
    let p1 = parts.get(1).copied().unwrap_or("");
    if ((p0 == "169" && p1.starts_with("254")) || (p0 == "192" && p1.starts_with("168")))
        && p1.len() == 3
        && octet(2)
        && octet(3)
    {
        return true;
    }
    if p0 == "172" {
        let b = p1.as_bytes();
        let ok = b.len() == 2
            && ((b[0] == b'1' && (b'6'..=b'9').contains(&b[1]))
                || (b[0] == b'2' && b[1].is_ascii_digit())
                || (b[0] == b'3' && (b'0'..=b'1').contains(&b[1])));
        if ok && octet(2) && octet(3) {
            return true;
        }
    }
    false
}

impl EnglishTokenizer {
    /// Length in bytes of spaCy's English prefix at the start of `s` (0 if none): the first
    /// alternative of the prefix regex that matches.
    fn find_prefix(&self, s: &str) -> usize {
        let Some(c0) = first_char(s) else { return 0 };
        if c0.is_ascii() && !self.prefix_ascii[c0 as usize] {
            return 0; // no ASCII character is an icon
        }
        if let Some(rules) = self.prefix_by_char.get(&c0) {
            for &i in rules {
                match tables::PREFIXES[i] {
                    PrefixRule::Lit(l) => {
                        if s.starts_with(l) {
                            return l.len();
                        }
                    }
                    PrefixRule::PlusNotDigit => {
                        if !s[1..].starts_with(|c: char| c.is_ascii_digit()) {
                            return 1;
                        }
                    }
                    PrefixRule::Dots => {
                        let n = leading_dots(s);
                        if n >= 2 {
                            return n;
                        }
                    }
                    PrefixRule::Icon => {}
                }
            }
        }
        if sp_icon(c0) { c0.len_utf8() } else { 0 }
    }

    /// Length in bytes of spaCy's English suffix at the end of `s` (0 if none): the match of
    /// the suffix regex (`search`, every alternative anchored at the end) that starts earliest.
    fn find_suffix(&self, s: &str) -> usize {
        let Some(last) = last_char(s) else { return 0 };
        let n = s.len();
        let mut best = 0usize; // longest suffix found (= earliest start)
        // `\.\.+`
        if last == '.' {
            let dots = s.bytes().rev().take_while(|&b| b == b'.').count();
            if dots >= 2 {
                best = dots;
            }
        }
        if sp_icon(last) && last.len_utf8() > best {
            best = last.len_utf8();
        }
        let digit_before =
            |len: usize| -> bool { len < n && last_char(&s[..n - len]).is_some_and(|c| c.is_ascii_digit()) };
        if (!last.is_ascii() || self.suffix_ascii[last as usize])
            && let Some(lits) = self.suffix_by_char.get(&last)
        {
            for &(lit, after_digit) in lits {
                if lit.len() > best && s.ends_with(lit) && (!after_digit || digit_before(lit.len())) {
                    best = lit.len();
                }
            }
        }
        // `(?<=[0-9])\+`
        if last == '+' && best < 1 && digit_before(1) {
            best = 1;
        }
        if last == '.' && best < 1 && n >= 2 {
            let mut it = s[..n - 1].chars().rev();
            let p1 = it.next();
            let p2 = it.next();
            if let Some(p1) = p1 {
                // `(?<=°[FfCcKk])\.`
                let degree = matches!(p1, 'F' | 'f' | 'C' | 'c' | 'K' | 'k') && p2 == Some('°');
                // `(?<=[0-9{al}{e}{p}(?:{q})])\.`
                let dot_after = in_ranges(p1, tables::SUFFIX_DOT_AFTER);
                // `(?<=[{au}][{au}])\.`
                let two_upper = sp_upper(p1) && p2.is_some_and(sp_upper);
                if degree || dot_after || two_upper {
                    best = 1;
                }
            }
        }
        best
    }
}

/// spaCy's English infix regex tried at byte `at` of `s` (alternatives in order): the length of
/// the match, or `None`.
fn infix_at(s: &str, at: usize) -> Option<usize> {
    let rest = &s[at..];
    let c = first_char(rest)?;
    if c.is_ascii_alphanumeric() {
        return None; // no alternative starts with a letter or digit
    }
    let prev = last_char(&s[..at]);
    let next = first_char(&rest[c.len_utf8()..]);
    // `\.\.+`, `…`, icons
    if c == '.' {
        let d = leading_dots(rest);
        if d >= 2 {
            return Some(d);
        }
    }
    if c == '…' || sp_icon(c) {
        return Some(c.len_utf8());
    }
    let prev = prev?;
    // `(?<=[0-9])[+\-\*^](?=[0-9-])`
    if matches!(c, '+' | '-' | '*' | '^')
        && prev.is_ascii_digit()
        && next.is_some_and(|n| n.is_ascii_digit() || n == '-')
    {
        return Some(1);
    }
    // `(?<=[{al}{q}])\.(?=[{au}{q}])`
    if c == '.' && (sp_lower(prev) || sp_quote(prev)) && next.is_some_and(|n| sp_upper(n) || sp_quote(n)) {
        return Some(1);
    }
    // `(?<=[{a}]),(?=[{a}])`
    if c == ',' && sp_alpha(prev) && next.is_some_and(sp_alpha) {
        return Some(1);
    }
    let alnum_before = sp_alpha(prev) || prev.is_ascii_digit();
    // `(?<=[{a}0-9])(?:{h})(?=[{a}])`
    if alnum_before && matches!(c, '-' | '–' | '—' | '~') {
        for h in tables::HYPHENS {
            if let Some(after) = rest.strip_prefix(h)
                && first_char(after).is_some_and(sp_alpha)
            {
                return Some(h.len());
            }
        }
    }
    // `(?<=[{a}0-9])[:<>=/](?=[{a}])`
    if matches!(c, ':' | '<' | '>' | '=' | '/') && alnum_before && next.is_some_and(sp_alpha) {
        return Some(1);
    }
    None
}

/// spaCy's sentencizer over tokens: calls `f(first, end)` (token indices) for every sentence.
fn for_each_sentence(toks: &[Token<'_>], mut f: impl FnMut(usize, usize)) {
    if toks.is_empty() {
        return;
    }
    let mut start = 0usize;
    let mut seen_period = false;
    for (i, t) in toks.iter().enumerate() {
        let in_punct_chars = {
            let mut it = t.text.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => in_ranges(c, tables::SENT_PUNCT_CHARS),
                _ => false,
            }
        };
        if seen_period && !in_punct_chars && !is_punct_token(t) {
            f(start, i);
            start = i;
            seen_period = false;
        } else if in_punct_chars {
            seen_period = true;
        }
    }
    f(start, toks.len());
}

/// spaCy's `is_punct` lexical attribute: every character is in a P* category.
fn is_punct_token(t: &Token<'_>) -> bool {
    !t.is_space && t.text.chars().all(is_unicode_punct)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        EnglishTokenizer::global().words(s)
    }

    // Expected token lists computed with spaCy 3.8.18: spacy.blank("en") + datatrove's stripping.
    #[test]
    fn contractions_and_affixes() {
        assert_eq!(
            words("Don't go, it's (really) late..."),
            ["Do", "n't", "go", ",", "it", "'s", "(", "really", ")", "late", "..."]
        );
    }

    #[test]
    fn urls_and_infixes() {
        assert_eq!(
            words("see www.example.com/a-b or 10km/h, well-known 3-4 a.B"),
            ["see", "www.example.com/a-b", "or", "10", "km/h", ",", "well", "-", "known", "3", "-", "4", "a.", "B"]
        );
    }

    #[test]
    fn private_hosts_are_not_urls() {
        assert_eq!(
            words(
                "http://192.168.1.1/admin http://8.8.8.8/x 10.0.0.1/a user@example.org:8080/p?q=1 \"(see https://foo.bar/baz).\""
            ),
            [
                "http://192.168.1.1",
                "/",
                "admin",
                "http://8.8.8.8/x",
                "10.0.0.1",
                "/",
                "a",
                "user@example.org:8080/p?q=1",
                "\"",
                "(",
                "see",
                "https://foo.bar/baz",
                ")",
                ".",
                "\""
            ]
        );
    }

    #[test]
    fn exceptions_units_and_symbols() {
        assert_eq!(
            words("U.S.A. e.g. Mr. Smith's 5$ $5 +3 +a 3+ 20°C. --x a--b x~y 3:30pm 10:a"),
            [
                "U.S.A.", "e.g.", "Mr.", "Smith", "'s", "5", "$", "$", "5", "+3", "+", "a", "3", "+", "20", "°", "C",
                ".", "--x", "a", "--", "b", "x", "~", "y", "3:30pm", "10", ":", "a"
            ]
        );
    }

    #[test]
    fn infix_hyphen_guard_covers_every_hyphen() {
        for h in tables::HYPHENS {
            assert!(matches!(first_char(h), Some('-' | '–' | '—' | '~')), "{h:?}");
        }
    }

    #[test]
    fn sentences_split_after_terminal_punctuation() {
        let t = EnglishTokenizer::global();
        assert_eq!(t.sentences("Hi there! How are you? Fine."), ["Hi there!", "How are you?", "Fine."]);
        assert_eq!(t.count_sentences("One... two. \"Three.\" Four"), 3);
    }
}
