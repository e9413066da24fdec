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

/// Python `str.lower()`: ASCII bytes are lowered in place, other characters by their own full
/// lowercase mapping; a text with a capital sigma (whose lowercase depends on the letters
/// around it) goes through `str::to_lowercase`, which applies the final-sigma rule.
fn lowercase(text: &str) -> String {
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_lowercase());
            rest = chars.as_str();
        }
    }
    out
}

/// datatrove's `simplify_text(text)` with the default `TextNormConfig`.
pub fn simplify_text(text: &str) -> String {
    // 1. lowercase (the same full mapping and final-sigma rule as Python).
    let lower = lowercase(text);
    // 2. numbers to 0, 3 + 4. punctuation to spaces, then strip and collapse whitespace, in one
    // pass: a number's `0` is neither punctuation nor space. Python's `\s` and `isspace` differ
    // from `char::is_whitespace` only on U+001C..U+001F, which step 3 already turned into spaces.
    let mut out: Vec<u8> = Vec::with_capacity(lower.len());
    let mut pending_space = false;
    let bytes = lower.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 && !b.is_ascii_digit() {
            // ASCII: punctuation and whitespace both make a pending space
            if ASCII_PUNCT[usize::from(b)] || b.is_ascii_whitespace() || b == 0x0b {
                pending_space = !out.is_empty();
            } else {
                if pending_space {
                    out.push(b' ');
                    pending_space = false;
                }
                out.push(b);
            }
            i += 1;
            continue;
        }
        let rest = &lower[i..];
        let c = rest.chars().next().expect("char boundary");
        let c = if is_decimal_digit(c) {
            // `\p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)?` becomes one `0`
            let mut after_number = skip_digits(rest);
            let mut after = after_number.chars();
            if let (Some(sep), Some(d)) = (after.next(), after.next())
                && DECIMAL_SEPARATORS.contains(&sep)
                && is_decimal_digit(d)
            {
                after_number = skip_digits(&after_number[sep.len_utf8()..]);
            }
            i = lower.len() - after_number.len();
            '0'
        } else {
            i += c.len_utf8();
            if is_punct(c) { ' ' } else { c }
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
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
        ] {
            assert_eq!(simplify_text(t), simplify_text_stepwise(t), "{t:?}");
        }
    }

    #[test]
    fn lowercase_matches_str_to_lowercase() {
        for t in ["ABC déF İSTANBUL ǅ Ⅷ", "ΟΔΟΣ ΟΔΟΣ.", "MiXeD 123 ÀÉÎ", ""] {
            assert_eq!(lowercase(t), t.to_lowercase(), "{t}");
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
