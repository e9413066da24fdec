//! `gopher_repetition`: datatrove 0.10.1 `GopherRepetitionFilter` (Gopher, Rae et al. 2021,
//! table A1): duplicate paragraphs and lines, most frequent 2-4-grams, duplicated 5-10-grams.

use super::{active, keep_or_drop, ratio};
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use crate::web::text::{char_len, strip};
use crate::web::tokenizer::EnglishTokenizer;
use serde::{Deserialize, Serialize};

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
pub(crate) fn find_duplicates(items: &[&str]) -> (usize, usize) {
    thread_local! {
        static SEEN: std::cell::RefCell<(Table, Vec<u64>)> = std::cell::RefCell::new(Default::default());
    }
    SEEN.with(|t| {
        let (table, keys) = &mut *t.borrow_mut();
        keys.clear();
        keys.extend(items.iter().map(|x| str_hash(x)));
        let mut t = table.pass(items.len());
        let (mut n, mut chars) = (0usize, 0usize);
        for (i, x) in items.iter().enumerate() {
            if t.find_or_insert(keys, i, |j| items[j] == *x) != i {
                n += 1;
                chars += char_len(x);
            }
        }
        (n, chars)
    })
}

/// A fast hash of a string's bytes (FxHash over 8-byte words); [`Table`] mixes it further.
#[inline]
fn str_hash(s: &str) -> u64 {
    bytes_hash(s.as_bytes())
}

#[inline]
fn bytes_hash(b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = (h.rotate_left(5) ^ u64::from_le_bytes(c.try_into().expect("8 bytes"))).wrapping_mul(K);
    }
    let mut last = 0u64;
    for (k, &x) in chunks.remainder().iter().enumerate() {
        last |= u64::from(x) << (8 * k);
    }
    (h.rotate_left(5) ^ last).wrapping_mul(K)
}

/// Splits on runs of at least `min` `\n` (Python `re.split(r"\n{min,}", s)`).
fn split_newline_runs(s: &str, min: usize) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0usize, 0usize);
    while let Some(k) = memchr::memchr(b'\n', &b[i..]) {
        let i0 = i + k;
        let j = i0 + b[i0..].iter().take_while(|&&c| c == b'\n').count();
        if j - i0 >= min {
            out.push(&s[start..i0]);
            start = j;
        }
        i = j;
    }
    out.push(&s[start..]);
    out
}

/// An open-addressing hash table of item indices, keyed by 64-bit keys that the caller keeps
/// in its own array (`keys[i]` is item i's key), so that a slot is 8 bytes and the table of a
/// typical document stays in the L1 cache. Reused across passes and documents: a new pass
/// empties every slot by bumping a generation stamp.
#[derive(Default)]
struct Table {
    slots: Vec<Slot>,
    generation: u32,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    generation: u32,
    item: u32,
}

/// One pass over an emptied [`Table`].
struct Pass<'t> {
    slots: &'t mut [Slot],
    shift: u32,
    generation: u32,
}

impl Table {
    /// Empty the table for a pass that inserts at most `n` items.
    fn pass(&mut self, n: usize) -> Pass<'_> {
        let cap = (n.max(4) * 2).next_power_of_two();
        if cap > self.slots.len() {
            self.slots = vec![Slot::default(); cap];
            self.generation = 0;
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.slots.iter_mut().for_each(|s| s.generation = 0);
            self.generation = 1;
        }
        Pass { slots: &mut self.slots[..cap], shift: 64 - cap.trailing_zeros(), generation: self.generation }
    }
}

impl Pass<'_> {
    /// The first item `j` inserted with `keys[j] == keys[i]` and `same(j)` (the caller's
    /// equality check: equal keys do not prove equal items), or `i`, inserted. Every item
    /// inserted before must still have its key in `keys`.
    #[inline(always)]
    fn find_or_insert(&mut self, keys: &[u64], i: usize, mut same: impl FnMut(usize) -> bool) -> usize {
        let key = keys[i];
        let mask = self.slots.len() - 1;
        // Fibonacci hashing: the top bits of the product mix every bit of the key.
        let mut h = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            let s = &mut self.slots[h & mask];
            if s.generation != self.generation {
                *s = Slot { generation: self.generation, item: i as u32 };
                return i;
            }
            let j = s.item as usize;
            if keys[j] == key && same(j) {
                return j;
            }
            h += 1;
        }
    }
}

/// How many bytes of the concatenated words, from a word's start, [`Scratch::load_starts`]
/// compares to find the windows that may repeat.
const START_BYTES: usize = 16;

/// The `START_BYTES`-byte prefix of `concat` at byte `o`, if that many remain.
#[inline]
fn start_at(concat: &[u8], o: usize) -> Option<u128> {
    let b = concat.get(o..o + START_BYTES)?;
    Some(u128::from_le_bytes(b.try_into().expect("START_BYTES bytes")))
}

/// log2 of the number of word-count buckets.
const SKETCH_BITS: u32 = 11;

/// Per-thread work space of the n-gram checks, kept between documents.
#[derive(Default)]
struct Scratch {
    table: Table,
    /// `"".join(words)`.
    concat: Vec<u8>,
    /// Per word of at most 16 bytes: its bytes, zero-padded, as a little-endian number.
    packed: Vec<u128>,
    /// Prefix sums over words `..k`: bytes (offsets into `concat`) and code points.
    bytes: Vec<usize>,
    chars: Vec<usize>,
    /// `ids[n - 1][s]`: index of the first occurrence of the n-gram starting at word `s`
    /// (computed for increasing n as needed; `ids[0]` are the word ids).
    ids: Vec<Vec<u32>>,
    /// How many leading entries of `ids` belong to the current document.
    valid_ids: usize,
    /// Per word: a hash of its bytes.
    word_hash: Vec<u64>,
    /// Word counts by hash bucket (see [`Scratch::load`]).
    sketch: Vec<u32>,
    /// Per word: at least how often it occurs in the document (its bucket's count).
    word_freq: Vec<u32>,
    /// `least[s]`: the least `word_freq` among words `s..s + least_n` (0: not computed).
    least: Vec<u32>,
    least_n: usize,
    /// Per word start: whether the [`START_BYTES`] bytes of `concat` from there also follow
    /// another word start (or fewer than that remain); filled when first needed.
    shared_start: Vec<bool>,
    starts_loaded: bool,
    /// Word starts whose n-grams of `candidates_n` or more words may repeat (0: not computed).
    candidates: Vec<u32>,
    candidates_n: usize,
    counts: Vec<u32>,
    /// The keys of the current pass's items.
    keys: Vec<u64>,
    /// The word start of each item of an [`Scratch::all_duplicate`] pass.
    item_pos: Vec<usize>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Scratch {
    /// Prepare the concatenation, prefix sums, word hashes and count sketch of `words`, the words
    /// of `text`.
    fn load(&mut self, text: &str, words: &[&str]) {
        const HIGH_BITS: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;
        let m = words.len();
        let tb = text.as_bytes();
        let base = tb.as_ptr() as usize;
        self.concat.clear();
        self.concat.reserve(text.len() + 16);
        for v in [&mut self.bytes, &mut self.chars] {
            v.clear();
            v.reserve(m + 1);
            v.push(0);
        }
        self.packed.clear();
        self.packed.reserve(m);
        self.word_hash.clear();
        self.word_hash.reserve(m);
        let mut c = 0usize;
        for w in words {
            let wb = w.as_bytes();
            let len = wb.len();
            if len <= 16 {
                // The word's bytes, zero-padded: read 16 bytes from the text where the word
                // lies when they are there (words are slices of `text`), then masked.
                let off = (wb.as_ptr() as usize).wrapping_sub(base);
                let v = match off.checked_add(16).and_then(|end| tb.get(off..end)) {
                    Some(b) => {
                        let v = u128::from_le_bytes(b.try_into().expect("16 bytes"));
                        if len == 16 { v } else { v & ((1u128 << (8 * len)) - 1) }
                    }
                    _ => {
                        let mut buf = [0u8; 16];
                        buf[..len].copy_from_slice(wb);
                        u128::from_le_bytes(buf)
                    }
                };
                let at = self.concat.len();
                self.concat.extend_from_slice(&v.to_le_bytes());
                self.concat.truncate(at + len);
                c += if v & HIGH_BITS == 0 { len } else { char_len(w) };
                self.packed.push(v);
                self.word_hash.push((v as u64) ^ ((v >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (len as u64));
            } else {
                self.concat.extend_from_slice(wb);
                c += char_len(w);
                self.packed.push(0);
                self.word_hash.push(str_hash(w));
            }
            self.bytes.push(self.concat.len());
            self.chars.push(c);
        }
        self.starts_loaded = false;
        self.candidates_n = 0;
        self.valid_ids = 0;
        // Word frequencies bounded from above by a count sketch (counters shared by the words
        // of one bucket): enough for the top n-gram bound, without comparing words.
        let sketch = &mut self.sketch;
        sketch.clear();
        sketch.resize(1 << SKETCH_BITS, 0);
        let bucket = |key: u64| (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SKETCH_BITS)) as usize;
        for &k in &self.word_hash {
            sketch[bucket(k)] += 1;
        }
        self.word_freq.clear();
        self.word_freq.extend(self.word_hash.iter().map(|&k| sketch[bucket(k)]));
        self.least_n = 0;
    }

    /// Fill `ids[0]`, the word ids.
    fn ensure_word_ids(&mut self) {
        if self.valid_ids >= 1 {
            return;
        }
        if self.ids.is_empty() {
            self.ids.push(Vec::new());
        }
        let m = self.word_hash.len();
        let wid = &mut self.ids[0];
        wid.clear();
        wid.resize(m, 0);
        let (packed, bytes, concat) = (&self.packed[..], &self.bytes[..], &self.concat[..]);
        let mut t = self.table.pass(m);
        for s in 0..m {
            let len = bytes[s + 1] - bytes[s];
            let same = |j: usize| {
                bytes[j + 1] - bytes[j] == len
                    && if len <= 16 {
                        packed[j] == packed[s]
                    } else {
                        concat[bytes[j]..bytes[j + 1]] == concat[bytes[s]..bytes[s + 1]]
                    }
            };
            wid[s] = t.find_or_insert(&self.word_hash, s, same) as u32;
        }
        self.valid_ids = 1;
    }

    /// Fill `ids[n - 1]` (and the shorter n-grams' ids it is built from). Each n-gram is
    /// keyed exactly by its (n-1)-gram id and its last word's id.
    fn ensure_ids(&mut self, n: usize) {
        self.ensure_word_ids();
        while self.valid_ids < n {
            let k = self.valid_ids + 1; // n-gram size being built, >= 2
            if self.ids.len() < k {
                self.ids.push(Vec::new());
            }
            let (lo, hi) = self.ids.split_at_mut(k - 1);
            let (out, prev, wid) = (&mut hi[0], &lo[k - 2], &lo[0]);
            let count = wid.len() + 1 - k;
            out.clear();
            out.resize(count, 0);
            let keys = &mut self.keys;
            keys.clear();
            keys.extend(prev[..count].iter().zip(&wid[k - 1..]).map(|(&p, &w)| (u64::from(p) << 32) | u64::from(w)));
            let mut t = self.table.pass(count);
            for (s, o) in out.iter_mut().enumerate() {
                *o = t.find_or_insert(keys, s, |_| true) as u32;
            }
            self.valid_ids = k;
        }
    }

    /// `len(" ".join(words[s..s + n]))`.
    #[inline]
    fn joined_chars(&self, s: usize, n: usize) -> usize {
        self.chars[s + n] - self.chars[s] + n - 1
    }

    /// Whether datatrove's `find_top_duplicate(get_n_grams(words, n)) / len(text) > frac`.
    /// An n-gram occurs at most as often as its least frequent word (whose count is bounded by
    /// its bucket's), which bounds the result without counting n-grams; they are counted only
    /// when the bound does not decide.
    /// Needs `1 <= n <= words.len()`.
    fn top_ngram_exceeds(&mut self, n: usize, frac: f64, text_len: usize) -> bool {
        if self.least_n == 0 || self.least_n > n {
            self.least.clear();
            self.least.extend_from_slice(&self.word_freq);
            self.least_n = 1;
        }
        while self.least_n < n {
            let k = self.least_n;
            self.least.truncate(self.word_freq.len() - k);
            for (l, &f) in self.least.iter_mut().zip(&self.word_freq[k..]) {
                *l = (*l).min(f);
            }
            self.least_n = k + 1;
        }
        let chars = &self.chars[..];
        let bound = (self.least.iter().zip(&chars[n..]).zip(chars))
            .map(|((&l, &end), &start)| l as usize * (end - start + n - 1))
            .max()
            .unwrap_or(0);
        if ratio(bound, text_len) <= frac {
            return false;
        }
        ratio(self.top_ngram(n), text_len) > frac
    }

    /// datatrove's `find_top_duplicate` over `get_n_grams(words, n)` (`" ".join` of n
    /// words): `len(top) * count` of `Counter.most_common(1)`, i.e. the highest count, ties
    /// going to the n-gram seen first. Words hold no whitespace, so equal joined strings are
    /// equal word sequences. Needs `1 <= n <= words.len()`.
    fn top_ngram(&mut self, n: usize) -> usize {
        self.ensure_ids(n);
        let ids = &self.ids[n - 1];
        let counts = &mut self.counts;
        counts.clear();
        counts.resize(ids.len(), 0);
        let mut best = (0u32, usize::MAX); // (count, first index)
        for &first in ids {
            let first = first as usize;
            let cnt = counts[first] + 1;
            counts[first] = cnt;
            if cnt > best.0 || (cnt == best.0 && first < best.1) {
                best = (cnt, first);
            }
        }
        best.0 as usize * self.joined_chars(best.1, n)
    }

    /// Fill `shared_start`. Two n-grams with equal concatenations of at least `START_BYTES`
    /// bytes begin with the same `START_BYTES` bytes, so an n-gram at a word start whose
    /// bytes follow no other word start repeats no other n-gram.
    fn load_starts(&mut self) {
        let (concat, bytes) = (&self.concat[..], &self.bytes[..]);
        let m = bytes.len() - 1;
        let mut shared = std::mem::take(&mut self.shared_start);
        shared.clear();
        shared.resize(m, false);
        let keys = &mut self.keys;
        keys.clear();
        keys.extend(bytes[..m].iter().map(|&o| match start_at(concat, o) {
            Some(v) => (v as u64) ^ ((v >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            None => 0,
        }));
        let mut t = self.table.pass(m);
        for s in 0..m {
            let Some(v) = start_at(concat, bytes[s]) else {
                shared[s] = true;
                continue;
            };
            let j = t.find_or_insert(keys, s, |j| start_at(concat, bytes[j]) == Some(v));
            if j != s {
                shared[s] = true;
                shared[j] = true;
            }
        }
        self.shared_start = shared;
        self.starts_loaded = true;
    }

    /// Fill `candidates` for n-grams of `n` or more words: the word starts where an n-gram
    /// may repeat another, because it is shorter than `START_BYTES` bytes or its start is shared.
    fn load_candidates(&mut self, n: usize) {
        if !self.starts_loaded {
            self.load_starts();
        }
        let (bytes, shared) = (&self.bytes[..], &self.shared_start[..]);
        self.candidates.clear();
        self.candidates.extend(
            (0..bytes.len().saturating_sub(n))
                .filter(|&s| shared[s] || bytes[s + n] - bytes[s] < START_BYTES)
                .map(|s| s as u32),
        );
        self.candidates_n = n;
    }

    /// datatrove's `find_all_duplicate`: characters of n-grams (concatenated without
    /// separator) already seen, skipping past each duplicate. Only the candidate n-grams
    /// (see [`Scratch::load_candidates`]) are looked up, by a hash of their bytes confirmed on
    /// the bytes: concatenations are compared, wherever the word boundaries fall. The others
    /// are never duplicates, and no n-gram duplicates them.
    fn all_duplicate(&mut self, n: usize) -> usize {
        let m = self.bytes.len() - 1;
        if n == 0 || m < n {
            return 0;
        }
        // an n-gram shorter than START_BYTES is at least as long as its first n' < n words
        if self.candidates_n == 0 || self.candidates_n > n {
            self.load_candidates(n);
        }
        let (concat, bytes, chars) = (&self.concat[..], &self.bytes[..], &self.chars[..]);
        let (shared, cands) = (&self.shared_start[..], &self.candidates[..]);
        let (keys, item_pos) = (&mut self.keys, &mut self.item_pos);
        keys.clear();
        item_pos.clear();
        let mut t = self.table.pass(cands.len());
        let (mut repeated, mut idx) = (0usize, 0usize);
        for &s in cands {
            let s = s as usize;
            if s + n > m {
                break;
            }
            if s < idx {
                continue; // skipped after a duplicate
            }
            let (a, b) = (bytes[s], bytes[s + n]);
            if b - a >= START_BYTES && !shared[s] {
                idx = s + 1;
                continue;
            }
            let g = &concat[a..b];
            let k = keys.len();
            keys.push(bytes_hash(g));
            item_pos.push(s);
            let same = |j: usize| {
                let p = item_pos[j];
                &concat[bytes[p]..bytes[p + n]] == g
            };
            if t.find_or_insert(keys, k, same) != k {
                repeated += chars[s + n] - chars[s];
                idx = s + n;
            } else {
                idx = s + 1;
            }
        }
        repeated
    }
}

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
        let (dups, dup_chars) = find_duplicates(&paragraphs);
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
        let (dups, dup_chars) = find_duplicates(&lines);
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
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            s.load(text, &words);
            for (i, &(n, frac)) in c.top_n_grams.iter().enumerate() {
                if n == 0 || words.len() < n {
                    continue;
                }
                if s.top_ngram_exceeds(n, frac, text_len) {
                    return Err(self.reasons_top[i]);
                }
            }
            for (i, &(n, frac)) in c.dup_n_grams.iter().enumerate() {
                if ratio(s.all_duplicate(n), text_len) > frac {
                    return Err(self.reasons_dup[i]);
                }
            }
            Ok(())
        })
    }
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
    use std::collections::{HashMap, HashSet};

    #[test]
    fn newline_run_split_matches_python_re() {
        // re.split(r"\n{2,}", "a\nb\n\n\nc\n\n") == ['a\nb', 'c', '']
        assert_eq!(split_newline_runs("a\nb\n\n\nc\n\n", 2), ["a\nb", "c", ""]);
        // re.split("\n+", "\na\n\nb") == ['', 'a', 'b']
        assert_eq!(split_newline_runs("\na\n\nb", 1), ["", "a", "b"]);
    }

    /// datatrove's `find_top_duplicate(get_n_grams(words, n))`, keyed by the joined strings.
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

    /// datatrove's `find_all_duplicate(words, n)`, keyed by the concatenated strings.
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

    #[test]
    fn concat_keys_ignore_word_boundaries() {
        // "".join(["ab", "c"]) == "".join(["a", "bc"]): datatrove counts these as duplicates.
        let words = ["ab", "c", "a", "bc"];
        let mut s = Scratch::default();
        s.load(&words.concat(), &words);
        // n=2: "abc" (0), "ca" (1), "abc" (2) duplicate -> 3 characters
        assert_eq!(s.all_duplicate(2), 3);
        assert_eq!(find_all_duplicate_exact(&words, 2), 3);
    }

    #[test]
    fn ngram_counts_match_string_keyed_definitions() {
        // Few distinct words, some of them concatenations of others, so that n-grams repeat
        // and concatenations coincide across different word boundaries.
        let vocab = [
            "a",
            "b",
            "ab",
            "ba",
            "aba",
            "é",
            "aé",
            "éa",
            "the",
            "thea",
            "xyzzy",
            "abcdefghij",
            "abcdefghijab",
            "cdefghij",
            "abcdefghijklmnopq",
            "abcdefghijklmnopqr",
            "\u{0}",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut s = Scratch::default();
        for round in 0..2000 {
            let len = (next() % 60) as usize;
            let k = 2 + (round % (vocab.len() - 1));
            let picked: Vec<&str> = (0..len).map(|_| vocab[(next() % k as u64) as usize]).collect();
            // words that are slices of the text (as the tokenizer gives them), or not
            let text = picked.join(" ");
            let words: Vec<&str> =
                if round % 2 == 0 { text.split(' ').filter(|w| !w.is_empty()).collect() } else { picked };
            s.load(&text, &words);
            for n in 1..=6 {
                if words.len() >= n {
                    let exact = top_ngram_exact(&words, n);
                    assert_eq!(s.top_ngram(n), exact, "top {n} of {words:?}");
                    let text_len = 100;
                    for frac in [0.05, 0.2, 0.5, 1.0, 2.0] {
                        let want = ratio(exact, text_len) > frac;
                        assert_eq!(s.top_ngram_exceeds(n, frac, text_len), want, "top {n} > {frac} of {words:?}");
                    }
                }
            }
            for n in 1..=10 {
                assert_eq!(s.all_duplicate(n), find_all_duplicate_exact(&words, n), "dup {n} of {words:?}");
            }
        }
    }

    #[test]
    fn duplicate_lines_are_counted_once_seen() {
        assert_eq!(find_duplicates(&["a", "bb", "a", "bb", "bb", "c"]), (3, 5));
        assert_eq!(find_duplicates(&[]), (0, 0));
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
