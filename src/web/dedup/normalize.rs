//! Text normalisation before hashing: datatrove 0.10.1's `simplify_text` with its default
//! `TextNormConfig` (lowercase, numbers, punctuation, whitespace, diacritics; weekday and month
//! normalisation are off by default and are not implemented).
//!
//! The steps, in datatrove's order:
//! 1. `str.lower()` (full Unicode lowercasing, final sigma included);
//! 2. every match of `\p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)?` becomes `0` (so `3.14` and `1,000` are one `0`);
//! 3. every character of datatrove's `PUNCTUATION` string (ASCII punctuation, some CJK and typographic
//!    marks, and the control characters 0-8, 11-31 and 127-159) becomes a space;
//! 4. `strip()`, then runs of whitespace become one space;
//! 5. NFD, dropping characters of general category `Mn` (combining accents);
//! 6. `strip()` again. Removing a mark between two spaces can leave a double space: datatrove keeps it,
//!    and so do we.

use super::unicode_tables::{DECIMAL_DIGITS, NONSPACING_MARKS};
use unicode_normalization::UnicodeNormalization;

/// datatrove's `PUNCTUATION` string, without its control-character tail (handled in [`is_punct`]).
/// `TERMINAL_PUNCTUATION` is not used by `simplify_text`.
const PUNCTUATION: &str = "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»";

/// Decimal separators allowed inside a number by datatrove's `NUMBERS_PATTERN`.
const DECIMAL_SEPARATORS: [char; 7] = ['.', ',', '،', '٫', '⎖', '⎗', '⎘'];

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `\p{Nd}` as the Python `regex` module sees it.
fn is_decimal_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_ranges(DECIMAL_DIGITS, c)
}

/// Python `unicodedata.category(c) == "Mn"`.
fn is_nonspacing_mark(c: char) -> bool {
    !c.is_ascii() && in_ranges(NONSPACING_MARKS, c)
}

/// ASCII part of [`PUNCTUATION`] as a lookup table (plus the control characters).
const ASCII_PUNCT: [bool; 128] = {
    let mut table = [false; 128];
    let bytes = PUNCTUATION.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 128 {
            table[bytes[i] as usize] = true;
        }
        i += 1;
    }
    let mut c = 0;
    while c < 32 {
        table[c] = c != 9 && c != 10;
        c += 1;
    }
    table[127] = true;
    table
};

/// A character that datatrove's `PUNCTUATION_TRANS` maps to a space.
fn is_punct(c: char) -> bool {
    let cp = c as u32;
    if cp < 128 {
        return ASCII_PUNCT[cp as usize];
    }
    if cp < 160 {
        return true;
    }
    PUNCTUATION.contains(c)
}

/// Step 2: replace each number (with an optional decimal part) by `0`.
#[cfg(test)]
fn normalize_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !is_decimal_digit(c) {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        rest = skip_digits(rest);
        let mut after = rest.chars();
        if let (Some(sep), Some(d)) = (after.next(), after.next())
            && DECIMAL_SEPARATORS.contains(&sep)
            && is_decimal_digit(d)
        {
            rest = skip_digits(&rest[sep.len_utf8()..]);
        }
        out.push('0');
    }
    out
}

/// `text` after its leading run of decimal digits.
fn skip_digits(text: &str) -> &str {
    let end = text.char_indices().find(|&(_, c)| !is_decimal_digit(c)).map_or(text.len(), |(i, _)| i);
    &text[end..]
}

/// Byte classes of [`simplify_text`]'s pass: ASCII punctuation and whitespace make a space,
/// digits and non-ASCII bytes take the slow path, everything else is copied (lower-cased).
const SPACE: u8 = 1;
const SLOW: u8 = 2;
const BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b >= 128 || (b as u8).is_ascii_digit() {
            SLOW
        } else if ASCII_PUNCT[b] || matches!(b as u8, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            SPACE
        } else {
            0
        };
        b += 1;
    }
    t
};

/// datatrove's `simplify_text(text)` with the default `TextNormConfig`.
pub fn simplify_text(text: &str) -> String {
    // 1. lowercase: done character by character below (no character lower-cases into or out
    // of a digit, punctuation or whitespace; see the tests), except for a capital sigma, whose
    // lowercase depends on the letters around it: such a text is lower-cased first.
    if text.contains('Σ') { simplify_lowered(&text.to_lowercase(), false) } else { simplify_lowered(text, true) }
}

/// Steps 2-6 of [`simplify_text`] on `text`, lower-casing it on the way if `lower`.
fn simplify_lowered(text: &str, lower: bool) -> String {
    // 2. numbers to 0, 3 + 4. punctuation to spaces, then strip and collapse whitespace, in one
    // pass: a number's `0` is neither punctuation nor space. Python's `\s` and `isspace` differ
    // from `char::is_whitespace` only on U+001C..U+001F, which step 3 already turned into spaces.
    // The output is never longer than the input, so `out` has room for a space and the next
    // character at `w`, written without branching on whether the space is due.
    let bytes = text.as_bytes();
    let mut out = vec![0u8; bytes.len() + 8];
    let (mut w, mut pending_space) = (0usize, false);
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        let class = BYTE_CLASS[usize::from(b)];
        if class != SLOW {
            let plain = class == 0;
            out[w] = b' ';
            w += usize::from(pending_space & plain);
            out[w] = if lower { b.to_ascii_lowercase() } else { b };
            w += usize::from(plain);
            pending_space = !plain && w != 0;
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let c = rest.chars().next().expect("char boundary");
        let emit = |out: &mut Vec<u8>, w: &mut usize, pending: &mut bool, c: char| {
            if c.is_whitespace() {
                *pending = *w != 0;
            } else {
                if *pending {
                    out[*w] = b' ';
                    *w += 1;
                    *pending = false;
                }
                *w += c.encode_utf8(&mut out[*w..]).len();
            }
        };
        if is_decimal_digit(c) {
            // `\p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)?` becomes one `0`
            let mut after_number = skip_digits(rest);
            let mut after = after_number.chars();
            if let (Some(sep), Some(d)) = (after.next(), after.next())
                && DECIMAL_SEPARATORS.contains(&sep)
                && is_decimal_digit(d)
            {
                after_number = skip_digits(&after_number[sep.len_utf8()..]);
            }
            i = text.len() - after_number.len();
            emit(&mut out, &mut w, &mut pending_space, '0');
        } else {
            i += c.len_utf8();
            if is_punct(c) {
                emit(&mut out, &mut w, &mut pending_space, ' ');
            } else if lower {
                for l in c.to_lowercase() {
                    emit(&mut out, &mut w, &mut pending_space, l);
                }
            } else {
                emit(&mut out, &mut w, &mut pending_space, c);
            }
        }
    }
    out.truncate(w);
    let collapsed = String::from_utf8(out).expect("built from whole characters");
    // 5. NFD without nonspacing marks (ASCII text has none); 6. strip.
    if collapsed.is_ascii() {
        return collapsed;
    }
    // NFD works on runs of non-ASCII characters only: an ASCII character is its own decomposition
    // and has combining class 0, so canonical reordering never crosses it.
    let mut out = String::with_capacity(collapsed.len());
    let mut rest = collapsed.as_str();
    while !rest.is_empty() {
        let ascii_end = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        out.push_str(&rest[..ascii_end]);
        rest = &rest[ascii_end..];
        let run_end = rest.bytes().position(|b| b.is_ascii()).unwrap_or(rest.len());
        out.extend(rest[..run_end].nfd().filter(|&c| !is_nonspacing_mark(c)));
        rest = &rest[run_end..];
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() { out } else { trimmed.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_datatrove_pattern() {
        // Hand-derived from NUMBERS_PATTERN: greedy digits, one optional separator + digits.
        assert_eq!(normalize_numbers("1.2.3"), "0.0");
        assert_eq!(normalize_numbers("a1,000b"), "a0b");
        assert_eq!(normalize_numbers("12."), "0.");
        assert_eq!(normalize_numbers("٣٤"), "0");
    }

    /// datatrove's steps one after the other, as the module doc lists them.
    fn simplify_text_stepwise(text: &str) -> String {
        let numbers = normalize_numbers(&text.to_lowercase());
        let mut collapsed = String::new();
        let mut pending_space = false;
        for c in numbers.chars() {
            let c = if is_punct(c) { ' ' } else { c };
            if c.is_whitespace() {
                pending_space = !collapsed.is_empty();
            } else {
                if pending_space {
                    collapsed.push(' ');
                    pending_space = false;
                }
                collapsed.push(c);
            }
        }
        let out: String = collapsed.nfd().filter(|&c| !is_nonspacing_mark(c)).collect();
        out.trim().to_string()
    }

    #[test]
    fn one_pass_matches_the_steps() {
        for t in [
            "  Hello, WORLD!  It's 3.14 or 1,000 — ٣٤ items\t\x1c\u{85}end. ",
            "Café déjà vu: naïve İSTANBUL 12.x 7,\u{a0}8 ½ ΟΔΟΣ ΟΔΟΣ. ǅ",
            "…»«“quoted”‘x’ 1.2.3 12. .5 5.. a1,000b ４５ ",
            "",
            "   ",
            "e\u{301} \u{301} x",
            "ΣΊΣΥΦΟΣ Σ. ΑΣ, 3Σ",
            "Ǆ ǅ İ \u{212A}elvin ＡＢ１２",
        ] {
            assert_eq!(simplify_text(t), simplify_text_stepwise(t), "{t:?}");
        }
    }

    #[test]
    fn lowercasing_keeps_digits_punctuation_and_whitespace_apart() {
        // What lower-casing character by character (after the digit, punctuation and space
        // checks) relies on, for every character.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let lower: Vec<char> = c.to_lowercase().collect();
            let kind = |c: char| (is_decimal_digit(c), is_punct(c), c.is_whitespace());
            if kind(c) != (false, false, false) {
                assert_eq!(lower, [c], "{c:?} is lower-case");
            } else {
                assert!(lower.iter().all(|&l| kind(l) == (false, false, false)), "{c:?}");
            }
        }
    }

    #[test]
    fn punctuation_set_edges() {
        assert!(is_punct('\u{0}'));
        assert!(!is_punct('\t'));
        assert!(!is_punct('\n'));
        assert!(is_punct('\r'));
        assert!(is_punct('\u{9f}'));
        assert!(!is_punct('\u{a0}'));
        assert!(is_punct('’'));
        assert!(!is_punct('‘'));
        assert!(!is_punct('a'));
    }

    #[test]
    fn marks() {
        assert!(is_nonspacing_mark('\u{301}'));
        // Devanagari vowel sign AA is Mc, which datatrove keeps.
        assert!(!is_nonspacing_mark('\u{93E}'));
    }
}
