#![doc = include_str!("docs/p001_pii.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};
use regex::Regex;
use std::sync::LazyLock;

pub struct P001Pii;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b").expect("regex")
});
/// Formatted phone numbers: optional +country code, then 3-3-4 (NANP) or grouped international
/// digits with consistent separators. Plain digit runs are not matched (too many false hits).
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{2,4}\)\s?|\b\d{3}[.\-])\d{3}[.\-]\d{4}\b|\+\d{1,3}(?:[\s.\-]\d{2,4}){2,4}\b",
    )
    .expect("regex")
});
static CARD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d(?:[ \-]?\d){12,18}\b").expect("regex"));
static IPV4: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b").expect("regex"));

/// The Luhn checksum used by payment card numbers.
pub fn luhn(digits: &str) -> bool {
    let ds: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if ds.len() < 13 {
        return false;
    }
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    sum.is_multiple_of(10)
}

/// Cheap byte-level tests that rule out each kind before its regex runs.
fn candidates(t: &str) -> (bool, bool, bool, bool) {
    let b = t.as_bytes();
    let (mut digits, mut max_run, mut run, mut dots_after_digit) = (0usize, 0usize, 0usize, 0usize);
    let mut phone = false;
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            digits += 1;
            run += 1;
            max_run = max_run.max(run);
        } else {
            if (c == b'-' || c == b'.') && run >= 3 && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                phone = true;
            }
            if c == b'.' && run >= 1 && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                dots_after_digit += 1;
            }
            if (c == b'+' || c == b'(') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                phone = true;
            }
            run = 0;
        }
    }
    let _ = max_run;
    (b.contains(&b'@'), phone, digits >= 13, dots_after_digit >= 3)
}

fn pii_kind(t: &str) -> Option<&'static str> {
    let (email, phone, card, ip) = candidates(t);
    if email && EMAIL.is_match(t) {
        return Some("an e-mail address");
    }
    if phone && PHONE.is_match(t) {
        return Some("a phone number");
    }
    for m in CARD.find_iter(if card { t } else { "" }) {
        let s = m.as_str();
        // all-same digits or a separator-free run inside a longer number are not card numbers
        if luhn(s) && s.chars().filter(char::is_ascii_digit).collect::<std::collections::BTreeSet<_>>().len() > 1 {
            return Some("a credit-card number");
        }
    }
    for c in IPV4.captures_iter(if ip { t } else { "" }) {
        let octets: Vec<u32> = (1..=4).filter_map(|k| c[k].parse().ok()).collect();
        if octets.len() == 4 && octets.iter().all(|&o| o <= 255) && octets[0] != 127 && octets != [0, 0, 0, 0] {
            // "1.2.3.4" version strings are rare as IPs; require a first octet typical of hosts
            if octets[0] > 0 {
                return Some("an IP address");
            }
        }
    }
    None
}

impl Rule for P001Pii {
    rule_meta!(
        "P001",
        "pii",
        Warning,
        "Personal data (e-mail, phone, card number, IP address).",
        include_str!("docs/p001_pii.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        ctx.messages
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                pii_kind(m.text()).map(|k| ctx.finding("P001", Some(i), format!("message contains {k}")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::luhn;
    use crate::lint::testutil::run;

    #[test]
    fn luhn_known_values() {
        // 4111 1111 1111 1111 is the standard Visa test number; changing a digit breaks it
        assert!(luhn("4111 1111 1111 1111"));
        assert!(!luhn("4111 1111 1111 1112"));
    }

    #[test]
    fn bad() {
        for a in [
            "Write to jane.doe@gmail.com.",
            "Call (415) 555-0132 today.",
            "Call +44 20 7946 0958.",
            "My card is 4111-1111-1111-1111.",
            "The server is at 192.168.10.24.",
        ] {
            assert_eq!(run("q", a, None, "P001").len(), 1, "{a}");
        }
    }

    #[test]
    fn good() {
        for a in [
            "120 + 320 = 440 flyers",
            "Version 1.2.3 is out; localhost is 127.0.0.1.",
            "It costs $1,234,567.",
            "Order 4111 1111 1111 1112 is invalid.",
        ] {
            assert!(run("q", a, None, "P001").is_empty(), "{a}");
        }
    }
}
