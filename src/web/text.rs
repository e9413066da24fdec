//! Python-compatible text primitives: the exact definitions datatrove's filters rely on.
//!
//! Python counts and slices strings in code points, splits on its own notion of whitespace
//! (`str.isspace`, which adds U+001C..U+001F to Unicode's White_Space) and breaks lines on more
//! characters than `\n`. These helpers reproduce those definitions on `&str` without allocating.

use super::tables;

/// Whether `c` lies in a sorted table of inclusive code-point ranges.
#[inline]
pub(crate) fn in_ranges(c: char, table: &[(u32, u32)]) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Python `str.isspace()` for one character.
#[inline]
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1c'..='\x1f')
    } else {
        in_ranges(c, tables::PY_SPACE)
    }
}

/// Python `str.isalpha()` for one character: Unicode general category Lu, Ll, Lt, Lm or Lo.
#[inline]
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphabetic() } else { in_ranges(c, tables::PY_ALPHA) }
}

/// Unicode general category P* (what spaCy's `is_punct` tests for every character).
#[inline]
pub fn is_unicode_punct(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_punctuation() && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~')
    } else {
        in_ranges(c, tables::PY_PUNCT)
    }
}

/// Membership in datatrove's `PUNCTUATION_SET` (ASCII and CJK punctuation, control characters
/// and `TERMINAL_PUNCTUATION`).
#[inline]
pub fn is_datatrove_punctuation(c: char) -> bool {
    if c.is_ascii() {
        // every ASCII character but letters, digits, space, tab and newline is in PUNCTUATION_SET
        !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '\t' | '\n'))
    } else {
        in_ranges(c, tables::DT_PUNCTUATION)
    }
}

/// Membership in datatrove's `TERMINAL_PUNCTUATION`.
#[inline]
pub fn is_terminal_punctuation(c: char) -> bool {
    in_ranges(c, tables::DT_TERMINAL_PUNCTUATION)
}

/// Python `len(s)`: the number of code points.
#[inline]
pub fn char_len(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().count() }
}

/// Python `s.strip()` (no argument).
#[inline]
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Python `s.lstrip()` (no argument).
#[inline]
pub fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// Python `s.rstrip()` (no argument).
#[inline]
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// Python `s.split()` (no argument): runs of whitespace separate, empty pieces are dropped.
pub fn split_whitespace(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_space).filter(|w| !w.is_empty())
}

/// Python `len(s.split())`, over bytes: only the lead bytes of the multi-byte whitespace characters
/// (U+0085, U+00A0: `C2`; U+1680: `E1`; U+2000..U+205F: `E2`; U+3000: `E3`) need decoding.
pub fn count_split(s: &str) -> usize {
    let bytes = s.as_bytes();
    let (mut words, mut in_word, mut i) = (0usize, false, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            (ASCII_SPACE[usize::from(b)], 1)
        } else if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            // A lead byte, hence a char boundary.
            let c = s[i..].chars().next().unwrap_or('\0');
            (is_space(c), c.len_utf8())
        } else {
            // Other lead bytes and continuation bytes belong to non-space characters.
            (false, 1)
        };
        words += usize::from(!space && !in_word);
        in_word = !space;
        i += len;
    }
    words
}

/// The number of runs of characters other than ASCII whitespace: Python `len(s.split())`
/// when `s` has no non-ASCII whitespace, and never more (such whitespace only splits runs).
pub fn count_ascii_split(s: &str) -> usize {
    let (mut n, mut prev_space) = (0usize, true);
    for &x in s.as_bytes() {
        let space = x < 0x80 && ASCII_SPACE[usize::from(x)];
        n += usize::from(prev_space & !space);
        prev_space = space;
    }
    n
}

/// Python `s.count("#")`, `s.count("...")` and `s.count("…")`, in vectorised scans.
pub fn count_hashes_and_ellipses(s: &str) -> (usize, usize, usize) {
    let b = s.as_bytes();
    let hashes = memchr::memchr_iter(b'#', b).count();
    // non-overlapping "..." from the left: a run of k dots holds k / 3
    let (mut dots3, mut run, mut last) = (0usize, 0usize, usize::MAX);
    for i in memchr::memchr_iter(b'.', b) {
        if last.wrapping_add(1) == i {
            run += 1;
        } else {
            dots3 += run / 3;
            run = 1;
        }
        last = i;
    }
    dots3 += run / 3;
    let ellipses = memchr::memmem::find_iter(b, "…".as_bytes()).count();
    (hashes, dots3, ellipses)
}

/// Python `str.isspace()` of each ASCII character.
pub(crate) static ASCII_SPACE: [bool; 128] = {
    let mut t = [false; 128];
    let mut c = 0;
    while c < 128 {
        t[c] = matches!(c as u8, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f);
        c += 1;
    }
    t
};

/// Whether `c` ends a line for Python's `str.splitlines()` (`\r\n` is handled by [`splitlines`]).
#[inline]
pub fn is_line_boundary(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Python `s.splitlines()` (without `keepends`).
pub fn splitlines(s: &str) -> SplitLines<'_> {
    SplitLines { rest: s }
}

/// Iterator returned by [`splitlines`].
pub struct SplitLines<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SplitLines<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let s = self.rest;
        let b = s.as_bytes();
        // Byte scan: the boundaries are ASCII controls, U+0085 (C2 85) and U+2028/9 (E2 80 A8/A9).
        let mut i = 0usize;
        while i < b.len() {
            // skip 8 bytes at a time while none can start a line break (every break starts
            // with a byte below 0x20 or at least 0x80)
            while let Some(chunk) = b.get(i..i + 8) {
                let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
                const LO: u64 = 0x0101_0101_0101_0101;
                const HI: u64 = 0x8080_8080_8080_8080;
                if (w.wrapping_sub(LO * 0x20) | w) & HI != 0 {
                    break;
                }
                i += 8;
            }
            if i >= b.len() {
                break;
            }
            let (is_break, len) = match b[i] {
                b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e => (true, 1),
                0xC2 if b.get(i + 1) == Some(&0x85) => (true, 2),
                0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => (true, 3),
                _ => (false, 1),
            };
            if is_break {
                let mut end = i + len;
                if b[i] == b'\r' && b.get(end) == Some(&b'\n') {
                    end += 1;
                }
                self.rest = &s[end..];
                return Some(&s[..i]);
            }
            i += len;
        }
        self.rest = "";
        Some(s)
    }
}

/// Python `str.lower()`, borrowing when `s` is ASCII with no upper-case letter.
pub fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(s.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(s)
        }
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

/// Python `s.count(sub)`: non-overlapping occurrences.
#[inline]
pub fn count(s: &str, sub: &str) -> usize {
    s.matches(sub).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed with CPython 3.11 (see each comment).
    #[test]
    fn split_matches_python() {
        // "a\x1cb\u00a0c\u2003d\x85e  \t f".split() == ['a', 'b', 'c', 'd', 'e', 'f']
        let v: Vec<&str> = split_whitespace("a\x1cb\u{a0}c\u{2003}d\u{85}e  \t f").collect();
        assert_eq!(v, ["a", "b", "c", "d", "e", "f"]);
        // "\u200bx\u180ey".split() == ['\u200bx\u180ey']  (zero-width space and U+180E are not spaces)
        let v: Vec<&str> = split_whitespace("\u{200b}x\u{180e}y").collect();
        assert_eq!(v, ["\u{200b}x\u{180e}y"]);
        assert_eq!(split_whitespace("   ").count(), 0);
        // len(" a\x1cb c\u200bd\x00 ".split()) == 3
        assert_eq!(count_ascii_split(" a\x1cb c\u{200b}d\x00 "), 3);
        // len("a\u00a0b c".split()) == 3, but U+00A0 is not ASCII whitespace
        assert_eq!(count_ascii_split("a\u{a0}b c"), 2);
        assert_eq!(count_ascii_split(""), 0);
        assert_eq!(count_ascii_split("x"), 1);
    }

    #[test]
    fn splitlines_matches_python() {
        // "a\nb\r\nc\rd\x0be\x0cf\x1cg\x1dh\x1ei\x85j\u2028k\u2029l".splitlines()
        //   == ['a','b','c','d','e','f','g','h','i','j','k','l']
        let v: Vec<&str> = splitlines("a\nb\r\nc\rd\x0be\x0cf\x1cg\x1dh\x1ei\u{85}j\u{2028}k\u{2029}l").collect();
        assert_eq!(v, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]);
        // "x\n\ny\n".splitlines() == ['x', '', 'y'];  "\n".splitlines() == [''];  "".splitlines() == []
        assert_eq!(splitlines("x\n\ny\n").collect::<Vec<_>>(), ["x", "", "y"]);
        assert_eq!(splitlines("\n").collect::<Vec<_>>(), [""]);
        assert_eq!(splitlines("").count(), 0);
        // "a\r\r\nb\x1fc".splitlines() == ['a', '', 'b\x1fc']  (\x1f is whitespace but not a line break)
        assert_eq!(splitlines("a\r\r\nb\x1fc").collect::<Vec<_>>(), ["a", "", "b\x1fc"]);
    }

    #[test]
    fn isalpha_matches_python() {
        // [c.isalpha() for c in "aZé中ǅʰ٣ⅷ_ा·"] ==
        //   [True, True, True, True, True, True, False, False, False, False, False]
        let got: Vec<bool> = "aZé中ǅʰ٣ⅷ_ा·".chars().map(is_alpha).collect();
        assert_eq!(got, [true, true, true, true, true, true, false, false, false, false, false]);
    }

    #[test]
    fn isspace_and_strip_match_python() {
        // [c.isspace() for c in "\x1c\x1f\x85\xa0\u1680\u2028\u3000\u200b\u180e\ufeff"] ==
        //   [True, True, True, True, True, True, True, False, False, False]
        let got: Vec<bool> =
            "\x1c\x1f\u{85}\u{a0}\u{1680}\u{2028}\u{3000}\u{200b}\u{180e}\u{feff}".chars().map(is_space).collect();
        assert_eq!(got, [true, true, true, true, true, true, true, false, false, false]);
        // "\x1c\u3000 ab c\x85\t".strip() == 'ab c'; .lstrip() == 'ab c\x85\t'
        assert_eq!(strip("\x1c\u{3000} ab c\u{85}\t"), "ab c");
        assert_eq!(lstrip("\x1c\u{3000} ab c\u{85}\t"), "ab c\u{85}\t");
        assert_eq!(rstrip(" ab\u{2029}"), " ab");
    }

    #[test]
    fn lengths_count_and_lower_match_python() {
        // len("naïve 😀 中文") == 10; "a....b…...".count("...") == 2; "İSTANBUL".lower() == 'i̇stanbul'
        assert_eq!(char_len("naïve 😀 中文"), 10);
        assert_eq!(count("a....b…...", "..."), 2);
        // s = "#a....b…...#......x.. ..." ; (s.count("#"), s.count("..."), s.count("…")) == (2, 5, 1)
        assert_eq!(count_hashes_and_ellipses("#a....b…...#......x.. ..."), (2, 5, 1));
        assert_eq!(count_hashes_and_ellipses(""), (0, 0, 0));
        assert_eq!(lower("İSTANBUL"), "i\u{307}stanbul");
        assert_eq!(lower("JavaScript"), "javascript");
    }

    #[test]
    fn punctuation_sets_match_python() {
        // [unicodedata.category(c).startswith("P") for c in "!$+<-_«…€|~¿"] ==
        //   [True, False, False, False, True, True, True, True, False, False, False, True]
        let got: Vec<bool> = "!$+<-_«…€|~¿".chars().map(is_unicode_punct).collect();
        assert_eq!(got, [true, false, false, false, true, true, true, true, false, false, false, true]);
        // from datatrove.utils.text import PUNCTUATION_SET, TERMINAL_PUNCTUATION
        // [c in PUNCTUATION_SET for c in "a.#\x01\xa0€।"] == [False, True, True, True, False, False, True]
        let got: Vec<bool> = "a.#\x01\u{a0}€।".chars().map(is_datatrove_punctuation).collect();
        assert_eq!(got, [false, true, true, true, false, false, true]);
        // [c in PUNCTUATION_SET for c in "\t\n\x0b\r\x7f 0~"] == [False, False, True, True, True, False, False, True]
        let got: Vec<bool> = "\t\n\x0b\r\x7f 0~".chars().map(is_datatrove_punctuation).collect();
        assert_eq!(got, [false, false, true, true, true, false, false, true]);
        // [c in TERMINAL_PUNCTUATION for c in ".?!;。\"'"] == [True, True, True, False, True, False, False]
        let got: Vec<bool> = ".?!;。\"'".chars().map(is_terminal_punctuation).collect();
        assert_eq!(got, [true, true, true, false, true, false, false]);
    }
}
