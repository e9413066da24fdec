//! `gopher_repetition`: datatrove 0.10.1 `GopherRepetitionFilter` (Gopher, Rae et al. 2021,
//! table A1): duplicate paragraphs and lines, most frequent 2-4-grams, duplicated 5-10-grams.

use super::{active, keep_or_drop, ratio};
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use crate::web::text::{char_len, strip};
use crate::web::tokenizer::{EnglishTokenizer, FxBuild};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Thresholds of `gopher_repetition`. Defaults are datatrove 0.10.1's
/// `GopherRepetitionFilter.__init__` keyword defaults (Gopher table A1); `None` or zero disables
/// the four line / paragraph checks, as in datatrove.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GopherRepetitionConfig {
    /// Maximum fraction of duplicated lines (datatrove: 0.3).
    pub dup_line_frac: Option<f64>,
    /// Maximum fraction of duplicated paragraphs (datatrove: 0.3).
    pub dup_para_frac: Option<f64>,
    /// Maximum fraction of characters in duplicated lines (datatrove: 0.2).
    pub dup_line_char_frac: Option<f64>,
    /// Maximum fraction of characters in duplicated paragraphs (datatrove: 0.2).
    pub dup_para_char_frac: Option<f64>,
    /// `(n, max fraction)` for the most frequent n-gram (datatrove: (2, 0.2), (3, 0.18), (4, 0.16)).
    pub top_n_grams: Vec<(usize, f64)>,
    /// `(n, max fraction)` for duplicated n-grams (datatrove: (5, 0.15), (6, 0.14), (7, 0.13),
    /// (8, 0.12), (9, 0.11), (10, 0.10)).
    pub dup_n_grams: Vec<(usize, f64)>,
}

impl Default for GopherRepetitionConfig {
    fn default() -> Self {
        GopherRepetitionConfig {
            dup_line_frac: Some(0.3),
            dup_para_frac: Some(0.3),
            dup_line_char_frac: Some(0.2),
            dup_para_char_frac: Some(0.2),
            top_n_grams: vec![(2, 0.2), (3, 0.18), (4, 0.16)],
            dup_n_grams: vec![(5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)],
        }
    }
}

/// The `gopher_repetition` stage.
#[derive(Debug)]
pub struct GopherRepetition {
    cfg: GopherRepetitionConfig,
    text_field: String,
    tok: &'static EnglishTokenizer,
    reasons_top: Vec<&'static str>,
    reasons_dup: Vec<&'static str>,
}

/// datatrove's `find_duplicates`: (duplicate elements, their characters).
pub(crate) fn find_duplicates<'a>(items: impl Iterator<Item = &'a str>) -> (usize, usize) {
    let mut seen: HashSet<&str, FxBuild> = HashSet::default();
    let (mut n, mut chars) = (0usize, 0usize);
    for x in items {
        if !seen.insert(x) {
            n += 1;
            chars += char_len(x);
        }
    }
    (n, chars)
}

/// Splits on runs of at least `min` `\n` (Python `re.split(r"\n{min,}", s)`).
fn split_newline_runs(s: &str, min: usize) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0usize, 0usize);
    while i < b.len() {
        if b[i] == b'\n' {
            let j = i + b[i..].iter().take_while(|&&c| c == b'\n').count();
            if j - i >= min {
                out.push(&s[start..i]);
                start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out.push(&s[start..]);
    out
}

/// A map from well-mixed 64-bit n-gram hashes to the index of their first occurrence: open
/// addressing with linear probing, reused (cleared) between n-gram sizes.
struct FirstSeen {
    keys: Vec<u64>,
    vals: Vec<u32>,
    mask: usize,
}

impl FirstSeen {
    fn with_capacity(n: usize) -> Self {
        let cap = (n.max(4) * 2).next_power_of_two();
        FirstSeen { keys: vec![0; cap], vals: vec![0; cap], mask: cap - 1 }
    }

    fn clear(&mut self) {
        self.keys.fill(0);
    }

    /// The value stored for `key`, inserting `val` first when absent. Key 0 marks empty slots,
    /// so it is mapped to 1.
    #[inline]
    fn get_or_insert(&mut self, key: u64, val: u32) -> u32 {
        let key = key.max(1);
        let mut i = (key as usize) & self.mask;
        loop {
            let k = self.keys[i];
            if k == key {
                return self.vals[i];
            }
            if k == 0 {
                self.keys[i] = key;
                self.vals[i] = val;
                return val;
            }
            i = (i + 1) & self.mask;
        }
    }
}

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn mix(h: u64) -> u64 {
    let h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// Inverse of [`MUL`] modulo 2^64 (MUL is odd), by Newton's iteration.
const MUL_INV: u64 = {
    let mut x = MUL;
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(MUL.wrapping_mul(x)));
        i += 1;
    }
    x
};

/// Base of the word-level polynomial hash of `" ".join` n-grams.
const WORD_BASE: u64 = 0xD6E8_FEB8_6659_FD93;

/// Prefix sums over the words, so that any n-gram's hashes and lengths cost O(1):
/// `poly[k]` is the polynomial hash (base [`MUL`]) of the bytes of `words[..k]` concatenated,
/// `pow[k]` / `pow_inv[k]` are `MUL^bytes(words[..k])` and its inverse, `unit[k]` a polynomial
/// (base [`WORD_BASE`]) over per-word hashes, and `chars[k]` the code points of `words[..k]`.
struct Prefixes {
    poly: Vec<u64>,
    pow: Vec<u64>,
    pow_inv: Vec<u64>,
    unit: Vec<u64>,
    chars: Vec<usize>,
}

impl Prefixes {
    fn new(words: &[&str]) -> Self {
        let m = words.len();
        let mut p = Prefixes {
            poly: Vec::with_capacity(m + 1),
            pow: Vec::with_capacity(m + 1),
            pow_inv: Vec::with_capacity(m + 1),
            unit: Vec::with_capacity(m + 1),
            chars: Vec::with_capacity(m + 1),
        };
        let (mut poly, mut pow, mut pow_inv, mut unit, mut chars) = (0u64, 1u64, 1u64, 0u64, 0usize);
        p.poly.push(poly);
        p.pow.push(pow);
        p.pow_inv.push(pow_inv);
        p.unit.push(unit);
        p.chars.push(chars);
        for w in words {
            let mut wh = 0u64;
            for b in w.bytes() {
                poly = poly.wrapping_mul(MUL).wrapping_add(u64::from(b) + 1);
                pow = pow.wrapping_mul(MUL);
                pow_inv = pow_inv.wrapping_mul(MUL_INV);
                wh = wh.wrapping_mul(MUL).wrapping_add(u64::from(b) + 1);
                chars += usize::from((b & 0xC0) != 0x80);
            }
            unit = unit.wrapping_mul(WORD_BASE).wrapping_add(mix(wh ^ (w.len() as u64)));
            p.poly.push(poly);
            p.pow.push(pow);
            p.pow_inv.push(pow_inv);
            p.unit.push(unit);
            p.chars.push(chars);
        }
        p
    }

    /// Hash of `"".join(words[i..j])`: depends only on the concatenated bytes.
    #[inline]
    fn concat_hash(&self, i: usize, j: usize) -> u64 {
        let scale = self.pow[j].wrapping_mul(self.pow_inv[i]);
        self.poly[j].wrapping_sub(self.poly[i].wrapping_mul(scale))
    }

    /// Hash of the word sequence `words[i..i + n]`, given `base_n = WORD_BASE^n`.
    #[inline]
    fn words_hash(&self, i: usize, n: usize, base_n: u64) -> u64 {
        self.unit[i + n].wrapping_sub(self.unit[i].wrapping_mul(base_n))
    }

    #[inline]
    fn chars(&self, i: usize, j: usize) -> usize {
        self.chars[j] - self.chars[i]
    }
}

fn concat_eq(a: &[&str], b: &[&str]) -> bool {
    let mut ia = a.iter().flat_map(|w| w.bytes());
    let mut ib = b.iter().flat_map(|w| w.bytes());
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return true,
            (x, y) if x == y => continue,
            _ => return false,
        }
    }
}

/// A 64-bit hash collision between two different n-grams: the fast paths then defer to the
/// exact (string-keyed) computation.
struct Collision;

impl GopherRepetition {
    pub fn new(cfg: GopherRepetitionConfig, text_field: impl Into<String>) -> Self {
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let reasons_top = cfg.top_n_grams.iter().map(|(n, _)| leak(format!("top_{n}_gram"))).collect();
        let reasons_dup = cfg.dup_n_grams.iter().map(|(n, _)| leak(format!("duplicated_{n}_n_grams"))).collect();
        GopherRepetition {
            cfg,
            text_field: text_field.into(),
            tok: EnglishTokenizer::global(),
            reasons_top,
            reasons_dup,
        }
    }

    /// datatrove's decision on `text`: `Ok(())` to keep, or the reason string.
    pub fn check(&self, text: &str) -> Result<(), &'static str> {
        let c = &self.cfg;
        let text_len = char_len(text);
        // datatrove divides by len(text); an empty text raises ZeroDivisionError there. It has
        // nothing to repeat, so it is kept here.
        if text_len == 0 {
            return Ok(());
        }
        let paragraphs = split_newline_runs(strip(text), 2);
        let (dups, dup_chars) = find_duplicates(paragraphs.iter().copied());
        if let Some(max) = active(c.dup_para_frac)
            && ratio(dups, paragraphs.len()) > max
        {
            return Err("dup_para_frac");
        }
        if let Some(max) = active(c.dup_para_char_frac)
            && ratio(dup_chars, text_len) > max
        {
            return Err("dup_para_char_frac");
        }
        let lines = split_newline_runs(text, 1);
        let (dups, dup_chars) = find_duplicates(lines.iter().copied());
        if let Some(max) = active(c.dup_line_frac)
            && ratio(dups, lines.len()) > max
        {
            return Err("dup_line_frac");
        }
        if let Some(max) = active(c.dup_line_char_frac)
            && ratio(dup_chars, text_len) > max
        {
            return Err("dup_line_char_frac");
        }
        if c.top_n_grams.is_empty() && c.dup_n_grams.is_empty() {
            return Ok(());
        }
        let words = self.tok.words(text);
        let pre = Prefixes::new(&words);
        let mut map = FirstSeen::with_capacity(words.len());
        let mut counts: Vec<u32> = Vec::new();
        for (i, &(n, frac)) in c.top_n_grams.iter().enumerate() {
            if n == 0 || words.len() < n {
                continue;
            }
            let best = top_ngram(&words, &pre, n, &mut map, &mut counts)
                .unwrap_or_else(|Collision| top_ngram_exact(&words, n));
            if ratio(best, text_len) > frac {
                return Err(self.reasons_top[i]);
            }
        }

        for (i, &(n, frac)) in c.dup_n_grams.iter().enumerate() {
            let repeated = if n == 0 {
                0
            } else {
                find_all_duplicate(&words, &pre, n, &mut map)
                    .unwrap_or_else(|Collision| find_all_duplicate_exact(&words, n))
            };
            if ratio(repeated, text_len) > frac {
                return Err(self.reasons_dup[i]);
            }
        }
        Ok(())
    }
}

/// datatrove's `find_top_duplicate` over `get_n_grams(words, n)` (`" ".join` of n words):
/// `len(top) * count` of `Counter.most_common(1)`, i.e. the highest count, ties going to the
/// n-gram seen first. Words hold no whitespace, so equal joined strings are equal word slices.
fn top_ngram(
    words: &[&str],
    pre: &Prefixes,
    n: usize,
    first_of: &mut FirstSeen,
    counts: &mut Vec<u32>,
) -> Result<usize, Collision> {
    first_of.clear();
    counts.clear();
    counts.resize(words.len(), 0);
    let base_n = (0..n).fold(1u64, |acc, _| acc.wrapping_mul(WORD_BASE));
    let mut best = (0u32, usize::MAX); // (count, first index)
    for s in 0..=words.len() - n {
        let h = mix(pre.words_hash(s, n, base_n) ^ n as u64);
        let first = first_of.get_or_insert(h, s as u32) as usize;
        if first != s && words[first..first + n] != words[s..s + n] {
            return Err(Collision);
        }
        counts[first] += 1;
        let cnt = counts[first];
        if cnt > best.0 || (cnt == best.0 && first < best.1) {
            best = (cnt, first);
        }
    }
    let chars = pre.chars(best.1, best.1 + n) + n - 1;
    Ok(best.0 as usize * chars)
}

/// [`top_ngram`] keyed by the joined strings themselves.
fn top_ngram_exact(words: &[&str], n: usize) -> usize {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let mut best = (0usize, usize::MAX, 0usize);
    for s in 0..=words.len() - n {
        let g = words[s..s + n].join(" ");
        let len = char_len(&g);
        let e = counts.entry(g).or_insert((0, s));
        e.0 += 1;
        if e.0 > best.0 || (e.0 == best.0 && e.1 < best.1) {
            best = (e.0, e.1, len);
        }
    }
    best.0 * best.2
}

/// datatrove's `find_all_duplicate`: characters of n-grams (concatenated without separator)
/// already seen, skipping past each duplicate. N-grams are keyed by a polynomial hash of their
/// bytes, which does not depend on where the word boundaries fall.
fn find_all_duplicate(words: &[&str], pre: &Prefixes, n: usize, seen: &mut FirstSeen) -> Result<usize, Collision> {
    if words.len() < n {
        return Ok(0);
    }
    seen.clear();
    let (mut repeated, mut idx) = (0usize, 0usize);
    while idx < words.len() - n + 1 {
        let j = seen.get_or_insert(mix(pre.concat_hash(idx, idx + n)), idx as u32) as usize;
        if j != idx {
            if !concat_eq(&words[j..j + n], &words[idx..idx + n]) {
                return Err(Collision);
            }
            repeated += pre.chars(idx, idx + n);
            idx += n;
        } else {
            idx += 1;
        }
    }
    Ok(repeated)
}

/// [`find_all_duplicate`] keyed by the concatenated strings themselves.
fn find_all_duplicate_exact(words: &[&str], n: usize) -> usize {
    let mut seen: HashSet<String> = HashSet::new();
    let (mut repeated, mut idx) = (0usize, 0usize);
    while words.len() >= n && idx < words.len() - n + 1 {
        let g = words[idx..idx + n].concat();
        if seen.contains(&g) {
            repeated += char_len(&g);
            idx += n;
        } else {
            seen.insert(g);
            idx += 1;
        }
    }
    repeated
}

impl Stage for GopherRepetition {
    fn name(&self) -> &str {
        "gopher_repetition"
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        keep_or_drop(rec, &self.text_field, |text| self.check(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newline_run_split_matches_python_re() {
        // re.split(r"\n{2,}", "a\nb\n\n\nc\n\n") == ['a\nb', 'c', '']
        assert_eq!(split_newline_runs("a\nb\n\n\nc\n\n", 2), ["a\nb", "c", ""]);
        // re.split("\n+", "\na\n\nb") == ['', 'a', 'b']
        assert_eq!(split_newline_runs("\na\n\nb", 1), ["", "a", "b"]);
    }

    #[test]
    fn concat_keys_ignore_word_boundaries() {
        // "".join(["ab", "c"]) == "".join(["a", "bc"]): datatrove counts these as duplicates.
        let words = ["ab", "c", "a", "bc"];
        let pre = Prefixes::new(&words);
        // n=2: "abc" (0), "ca" (1), "abc" (2) duplicate -> 3 characters
        assert_eq!(find_all_duplicate(&words, &pre, 2, &mut FirstSeen::with_capacity(4)).ok(), Some(3));
        assert_eq!(find_all_duplicate_exact(&words, 2), 3);
    }

    // Reasons checked with datatrove 0.10.1 GopherRepetitionFilter().filter(Document(text=..., id="0"))
    #[test]
    fn reasons_match_datatrove() {
        let f = GopherRepetition::new(GopherRepetitionConfig::default(), "text");
        assert_eq!(f.check("same para\n\nsame para\n\nother one"), Err("dup_para_frac"));
        assert_eq!(f.check("x\ny\nx\nz\nw\nv\nu"), Err("top_2_gram"));
        assert_eq!(
            f.check("the cat sat on the mat and then the cat sat on the hat while a dog barked at it loudly"),
            Err("top_3_gram")
        );
        assert_eq!(f.check("one two three four five six seven eight nine ten"), Err("top_3_gram"));
        let w = |r: std::ops::Range<usize>| r.map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(f.check(&format!("{} {}", w(0..60), w(0..60))), Err("duplicated_5_n_grams"));
        assert_eq!(f.check(&format!("{} {} {}", w(0..60), w(10..16), w(100..160))), Ok(()));
        assert_eq!(f.check(&format!("{} {} {}", w(0..60), w(0..9), w(100..160))), Ok(()));
    }
}
