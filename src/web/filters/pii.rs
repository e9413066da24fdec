//! `pii`: replace e-mail addresses and public IPv4 addresses with placeholders, as datatrove
//! 0.10.1's `PIIFormatter` does. A formatter: it edits the text and never drops a record.
//!
//! Matching is datatrove's: its e-mail regular expression, then (on the text with e-mails
//! already replaced) its IPv4 regular expression, which has no word boundaries, so
//! `1.2.3.4.5` yields the match `1.2.3.4` and `256.1.1.1` the match `56.1.1.1`. An IPv4 match is
//! replaced only when Python's `ipaddress.ip_address` accepts it (no octet with a leading zero,
//! e.g. `01.2.3.4` is left alone) and, with `only_remove_public_ips`, when it `is_global` by
//! Python 3.11.7's tables: not in 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/29,
//! 192.0.0.170/31, 192.0.2/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 240/4 or
//! 255.255.255.255 (multicast 224/4 counts as global there). Other matches stay as they are.
//!
//! Placeholders are used in turn from the configured lists. datatrove's rotation carries over
//! from one document to the next (so which placeholder a document gets depends on processing
//! order); here it restarts at the first placeholder for every record, so that the output does
//! not depend on thread scheduling.

use super::FilterError;
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use regex::{Captures, Regex};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};
use std::sync::OnceLock;

/// datatrove's e-mail pattern (RFC 5322-style local part, domain or bracketed IPv4 literal).
const EMAIL_PATTERN: &str = concat!(
    r"\b[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:(?:[A-Za-z0-9](?:[",
    r"A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?|\[(?:(?:25[0-5]|2[0-4][0-9]|[",
    r"01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[A-Za-z0-9-]*[A-Za-z0-9]:)])",
);

/// datatrove's IPv4 pattern (dotted quad of 0-255 octets, leading zeros allowed, no anchors).
const IPV4_PATTERN: &str = r"(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)";

fn email_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(EMAIL_PATTERN).expect("valid e-mail pattern"))
}

fn ipv4_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(IPV4_PATTERN).expect("valid IPv4 pattern"))
}

/// Configuration of the `pii` formatter. Defaults are datatrove 0.10.1's `PIIFormatter`'s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PiiConfig {
    /// Replace e-mail addresses. Default true (datatrove's `remove_emails`).
    pub remove_emails: bool,
    /// Replace IPv4 addresses. Default true (datatrove's `remove_ips`).
    pub remove_ips: bool,
    /// Replace only public (`is_global`) addresses. Default true (datatrove's
    /// `only_remove_public_ips`).
    pub only_remove_public_ips: bool,
    /// E-mail placeholders, used in turn; a string or a list. Default datatrove's
    /// `["email@example.com", "firstname.lastname@example.org"]`.
    #[serde(deserialize_with = "one_or_many")]
    pub email_replacement: Vec<String>,
    /// IPv4 placeholders, used in turn; a string or a list. Default datatrove's six addresses
    /// `22.214.171.124`, `126.96.36.199`, `188.8.131.52`, `184.108.40.206`, `220.127.116.11`,
    /// `18.104.22.168`.
    #[serde(deserialize_with = "one_or_many")]
    pub ip_replacement: Vec<String>,
    /// When set, each record gets this field with `{"emails": n, "ips": m}`, the number of
    /// replacements made. Default unset (no field; datatrove records no counts).
    pub counts_field: Option<String>,
}

impl Default for PiiConfig {
    fn default() -> Self {
        PiiConfig {
            remove_emails: true,
            remove_ips: true,
            only_remove_public_ips: true,
            email_replacement: vec!["email@example.com".to_string(), "firstname.lastname@example.org".to_string()],
            ip_replacement: [
                "22.214.171.124",
                "126.96.36.199",
                "188.8.131.52",
                "184.108.40.206",
                "220.127.116.11",
                "18.104.22.168",
            ]
            .map(String::from)
            .to_vec(),
            counts_field: None,
        }
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// The `pii` stage.
pub struct PiiFormatter {
    config: PiiConfig,
    text_field: String,
}

/// The result of formatting one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiResult {
    /// The new text, or `None` when nothing was replaced.
    pub text: Option<String>,
    pub emails: usize,
    pub ips: usize,
}

impl PiiFormatter {
    pub const NAME: &'static str = "pii";

    /// Build the formatter; errors when an enabled replacement list is empty.
    pub fn new(config: PiiConfig, text_field: &str) -> Result<Self, FilterError> {
        for (enabled, list, key) in [
            (config.remove_emails, &config.email_replacement, "email_replacement"),
            (config.remove_ips, &config.ip_replacement, "ip_replacement"),
        ] {
            if enabled && list.is_empty() {
                return Err(FilterError::Invalid {
                    filter: Self::NAME.to_string(),
                    message: format!("`{key}` must name at least one placeholder"),
                });
            }
        }
        Ok(PiiFormatter { config, text_field: text_field.to_string() })
    }

    /// Replace the e-mails and IPv4 addresses of `text`.
    pub fn format(&self, text: &str) -> PiiResult {
        let c = &self.config;
        let mut out: Option<String> = None;
        let mut emails = 0;
        let mut ips = 0;
        // Every e-mail match contains `@`: skip the regex on texts without one.
        if c.remove_emails && text.contains('@') {
            let (new, n) = replace(email_regex(), text, &c.email_replacement, |_| true);
            if n > 0 {
                emails = n;
                out = Some(new);
            }
        }
        if c.remove_ips {
            let current = out.as_deref().unwrap_or(text);
            let public_only = c.only_remove_public_ips;
            let (new, n) = replace(ipv4_regex(), current, &c.ip_replacement, |m| ip_is_valid(m, public_only));
            if n > 0 {
                ips = n;
                out = Some(new);
            }
        }
        PiiResult { text: out, emails, ips }
    }
}

/// Replace the matches of `re` that pass `valid` with `replacements` in turn, starting from the
/// first; returns the new text and the number of replacements.
fn replace(re: &Regex, text: &str, replacements: &[String], valid: impl Fn(&str) -> bool) -> (String, usize) {
    let mut n = 0;
    let new = re.replace_all(text, |caps: &Captures| {
        let m = &caps[0];
        if valid(m) {
            let r = replacements[n % replacements.len()].clone();
            n += 1;
            r
        } else {
            m.to_string()
        }
    });
    (new.into_owned(), n)
}

/// Python's `ipaddress.ip_address(s)` succeeds (and, with `public_only`, `.is_global`), for a
/// dotted quad matched by [`IPV4_PATTERN`].
fn ip_is_valid(s: &str, public_only: bool) -> bool {
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for octet in &mut octets {
        let Some(part) = parts.next() else {
            return false;
        };
        // Python rejects leading zeros ("01", "00") since 3.9.5.
        if part.is_empty() || part.len() > 3 || (part.len() > 1 && part.starts_with('0')) {
            return false;
        }
        match part.parse::<u8>() {
            Ok(v) => *octet = v,
            Err(_) => return false,
        }
    }
    if parts.next().is_some() {
        return false;
    }
    !public_only || is_global(u32::from_be_bytes(octets))
}

/// Python 3.11.7's `IPv4Address.is_global`: outside 100.64.0.0/10 and every `_private_networks`.
fn is_global(ip: u32) -> bool {
    const NOT_GLOBAL: [(u32, u32); 15] = [
        (0x0000_0000, 8),  // 0.0.0.0/8
        (0x0A00_0000, 8),  // 10.0.0.0/8
        (0x6440_0000, 10), // 100.64.0.0/10 (shared address space)
        (0x7F00_0000, 8),  // 127.0.0.0/8
        (0xA9FE_0000, 16), // 169.254.0.0/16
        (0xAC10_0000, 12), // 172.16.0.0/12
        (0xC000_0000, 29), // 192.0.0.0/29
        (0xC000_00AA, 31), // 192.0.0.170/31
        (0xC000_0200, 24), // 192.0.2.0/24
        (0xC0A8_0000, 16), // 192.168.0.0/16
        (0xC612_0000, 15), // 198.18.0.0/15
        (0xC633_6400, 24), // 198.51.100.0/24
        (0xCB00_7100, 24), // 203.0.113.0/24
        (0xF000_0000, 4),  // 240.0.0.0/4
        (0xFFFF_FFFF, 32), // 255.255.255.255/32
    ];
    !NOT_GLOBAL.iter().any(|&(net, len)| {
        let mask = u32::MAX << (32 - len);
        ip & mask == net
    })
}

impl Stage for PiiFormatter {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        let Some(text) = rec.str_field(&self.text_field) else {
            return Verdict::error(format!("field `{}` is missing or not a string", self.text_field));
        };
        let result = self.format(text);
        if let Some(new) = result.text {
            rec.fields.insert(self.text_field.clone(), Value::String(new));
        }
        if let Some(field) = &self.config.counts_field {
            rec.fields.insert(field.clone(), json!({"emails": result.emails, "ips": result.ips}));
        }
        Verdict::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> u32 {
        let o: Vec<u32> = s.split('.').map(|p| p.parse().unwrap()).collect();
        (o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]
    }

    // Expected values: Python 3.11.7 `ipaddress.ip_address(a).is_global`.
    #[test]
    fn is_global_matches_python_3_11_7() {
        let cases = [
            ("224.0.0.1", true),
            ("100.64.0.1", false),
            ("100.128.0.1", true),
            ("192.0.0.9", true),
            ("192.0.0.1", false),
            ("192.0.0.170", false),
            ("192.0.0.172", true),
            ("192.0.2.1", false),
            ("255.255.255.255", false),
            ("255.255.255.254", false),
            ("0.0.0.0", false),
            ("240.0.0.1", false),
            ("8.8.8.8", true),
            ("172.32.0.1", true),
            ("172.31.255.255", false),
            ("198.18.0.1", false),
            ("198.20.0.1", true),
            ("169.254.1.1", false),
            ("192.88.99.1", true),
            ("11.0.0.1", true),
            ("9.255.255.255", true),
        ];
        for (addr, expected) in cases {
            assert_eq!(is_global(ip(addr)), expected, "{addr}");
        }
    }

    #[test]
    fn leading_zeros_are_not_addresses() {
        assert!(!ip_is_valid("01.2.3.4", false));
        assert!(!ip_is_valid("8.8.8.00", false));
        assert!(ip_is_valid("8.8.8.0", true));
        assert!(ip_is_valid("10.0.0.1", false));
        assert!(!ip_is_valid("10.0.0.1", true));
    }

    #[test]
    fn empty_placeholder_list_is_rejected() {
        let config = PiiConfig { ip_replacement: vec![], ..PiiConfig::default() };
        assert!(PiiFormatter::new(config, "text").is_err());
        let config = PiiConfig { ip_replacement: vec![], remove_ips: false, ..PiiConfig::default() };
        assert!(PiiFormatter::new(config, "text").is_ok());
    }
}
