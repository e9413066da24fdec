//! `url`: drop documents whose URL is on a blocklist, as datatrove 0.10.1's `URLFilter` does.
//!
//! Checks, in datatrove's order, with its reason strings:
//! 1. `domain` — the URL's registered domain (tldextract's `registered_domain`, e.g. `bbc.co.uk`
//!    for `http://forums.bbc.co.uk/`) is in the domain list;
//! 2. `subdomain` — the URL's full host (tldextract's `fqdn`, e.g. `forums.bbc.co.uk`) is in it;
//! 3. `url` — the whole URL string, unchanged, is in the URL list;
//! 4. `hard_blacklisted` — a banned word is one of the URL's words (the URL split on every run of
//!    characters other than ASCII letters and digits, **not** lowercased, as datatrove does);
//! 5. `soft_blacklisted` — at least `soft_word_threshold` distinct soft-banned words are URL words;
//! 6. `blacklisted_subword` — a banned subword occurs anywhere in the normalised URL (only ASCII
//!    letters and digits kept, lowercased).
//!
//! Host parsing follows tldextract 5.4 with the Public Suffix List's ICANN section (see
//! [`psl`]): ports, userinfo and trailing dots are ignored; `www.` is an ordinary subdomain (so
//! blocking `example.com` blocks `www.example.com` with reason `domain`, while blocking
//! `www.example.com` blocks only that host, with reason `subdomain`); IP-address hosts never match
//! a domain. Matching is case-sensitive like datatrove's (tldextract keeps the URL's case), so a
//! URL written `http://EXAMPLE.com/` is not caught by `example.com`.
//!
//! A record without a non-empty string URL is an error (`Verdict::Error`), because datatrove
//! asserts that every document has one.

mod psl;

pub use psl::{HostParts, host_parts};

use super::FilterError;
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Configuration of the `url` filter.
///
/// datatrove's `URLFilter` defaults to `use_integrated_lists=True` (its bundled UT1 blocklists
/// and word lists); sftkit does not ship those lists, so every list here is user-supplied and
/// empty by default. To reproduce datatrove's default behaviour, extract its assets and name them
/// in the `*_files` keys (`domains` / `urls` from `url_filterblacklistsv0_3_0.tar.gz`,
/// `banned_words.txt`, `banned_subwords.txt`, `soft_banned_words.txt`).
///
/// List entries (inline or file lines) starting with `#` are comments. Domains and URLs are
/// whitespace-stripped; words and subwords are normalised (everything except ASCII letters and
/// digits removed, then lowercased), exactly as datatrove's `parse_list` does. Entries that end
/// up empty are ignored (datatrove would keep an empty word, which matches the empty piece that
/// splitting a URL ending in `/` yields, and so would drop almost every document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UrlConfig {
    /// Field holding the document's URL. Default `"url"` (datatrove reads `metadata["url"]`).
    pub url_field: String,
    /// Minimum number of distinct soft-banned words that drops a URL. Default 2 (datatrove's
    /// `soft_word_threshold`).
    pub soft_word_threshold: usize,
    /// Blocked domains / hosts (datatrove's `extra_domains`). Default empty.
    pub domains: Vec<String>,
    /// Files of blocked domains, one a line. Default none.
    pub domains_files: Vec<PathBuf>,
    /// Blocked full URLs (datatrove's `extra_urls`). Default empty.
    pub urls: Vec<String>,
    /// Files of blocked URLs, one a line. Default none.
    pub urls_files: Vec<PathBuf>,
    /// Words that drop a URL containing them as a word (datatrove's `banned_words`). Default empty.
    pub banned_words: Vec<String>,
    /// Files of banned words. Default none.
    pub banned_words_files: Vec<PathBuf>,
    /// Substrings that drop a URL whose normalised form contains them (datatrove's
    /// `banned_subwords`). Default empty.
    pub banned_subwords: Vec<String>,
    /// Files of banned subwords. Default none.
    pub banned_subwords_files: Vec<PathBuf>,
    /// Words of which `soft_word_threshold` drop a URL (datatrove's `soft_banned_words`).
    /// Default empty.
    pub soft_banned_words: Vec<String>,
    /// Files of soft-banned words. Default none.
    pub soft_banned_words_files: Vec<PathBuf>,
}

impl Default for UrlConfig {
    fn default() -> Self {
        UrlConfig {
            url_field: "url".to_string(),
            soft_word_threshold: 2,
            domains: Vec::new(),
            domains_files: Vec::new(),
            urls: Vec::new(),
            urls_files: Vec::new(),
            banned_words: Vec::new(),
            banned_words_files: Vec::new(),
            banned_subwords: Vec::new(),
            banned_subwords_files: Vec::new(),
            soft_banned_words: Vec::new(),
            soft_banned_words_files: Vec::new(),
        }
    }
}

/// The `url` stage.
pub struct UrlFilter {
    url_field: String,
    soft_word_threshold: usize,
    domains: HashSet<String>,
    urls: HashSet<String>,
    banned_words: HashSet<String>,
    soft_banned_words: HashSet<String>,
    banned_subwords: Option<AhoCorasick>,
}

impl UrlFilter {
    pub const NAME: &'static str = "url";

    /// Build the filter, reading every list file named in `config`.
    pub fn new(config: UrlConfig) -> Result<Self, FilterError> {
        let domains = load_list(&config.domains, &config.domains_files, false)?;
        let urls = load_list(&config.urls, &config.urls_files, false)?;
        let banned_words = load_list(&config.banned_words, &config.banned_words_files, true)?;
        let soft_banned_words = load_list(&config.soft_banned_words, &config.soft_banned_words_files, true)?;
        let subwords = load_list(&config.banned_subwords, &config.banned_subwords_files, true)?;
        let banned_subwords = if subwords.is_empty() {
            None
        } else {
            let mut patterns: Vec<String> = subwords.into_iter().collect();
            patterns.sort();
            Some(AhoCorasick::new(&patterns).map_err(|e| FilterError::Invalid {
                filter: Self::NAME.to_string(),
                message: format!("cannot build the banned-subword matcher: {e}"),
            })?)
        };
        Ok(UrlFilter {
            url_field: config.url_field,
            soft_word_threshold: config.soft_word_threshold,
            domains,
            urls,
            banned_words,
            soft_banned_words,
            banned_subwords,
        })
    }

    /// datatrove's decision for `url`: `None` to keep, or the drop reason.
    pub fn check(&self, url: &str) -> Option<&'static str> {
        if !self.domains.is_empty() {
            let host = host_parts(url);
            if self.domains.contains(&host.registered_domain) {
                return Some("domain");
            }
            if self.domains.contains(&host.fqdn) {
                return Some("subdomain");
            }
        }
        if self.urls.contains(url) {
            return Some("url");
        }
        if !self.banned_words.is_empty() || !self.soft_banned_words.is_empty() {
            let words: HashSet<&str> = url_words(url).collect();
            if words.iter().any(|w| self.banned_words.contains(*w)) {
                return Some("hard_blacklisted");
            }
            let soft = words.iter().filter(|w| self.soft_banned_words.contains(**w)).count();
            if soft >= self.soft_word_threshold {
                return Some("soft_blacklisted");
            }
        }
        if let Some(matcher) = &self.banned_subwords
            && matcher.is_match(&normalize(url))
        {
            return Some("blacklisted_subword");
        }
        None
    }
}

impl Stage for UrlFilter {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        let url = match rec.fields.get(&self.url_field) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => s,
            Some(serde_json::Value::String(_)) | None => {
                return Verdict::error(format!("record has no `{}` field", self.url_field));
            }
            Some(_) => {
                return Verdict::error(format!("field `{}` is not a string", self.url_field));
            }
        };
        match self.check(url) {
            None => Verdict::Keep,
            Some(reason) => Verdict::drop(reason),
        }
    }
}

/// The non-empty pieces of `url` between runs of characters other than ASCII letters and
/// digits (datatrove's `normalizer.split(url)`, case kept).
fn url_words(url: &str) -> impl Iterator<Item = &str> {
    url.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty())
}

/// datatrove's `normalize`: drop everything but ASCII letters and digits, then lowercase.
fn normalize(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Python's `str.isspace` (what `str.strip()` removes).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// datatrove's `parse_list` over the inline entries and the lines of every file.
fn load_list(inline: &[String], files: &[PathBuf], do_normalize: bool) -> Result<HashSet<String>, FilterError> {
    let add = |set: &mut HashSet<String>, entry: &str| {
        if entry.starts_with('#') {
            return;
        }
        let value = if do_normalize { normalize(entry) } else { entry.trim_matches(is_py_space).to_string() };
        if !value.is_empty() {
            set.insert(value);
        }
    };
    let mut set = HashSet::new();
    for entry in inline {
        add(&mut set, entry);
    }
    for path in files {
        let text = read_list_file(path)?;
        set.reserve(text.bytes().filter(|&b| b == b'\n').count() + 1);
        // Python's text mode turns `\r\n` and `\r` into `\n` before splitting lines.
        for line in text.split(['\n', '\r']) {
            add(&mut set, line);
        }
    }
    Ok(set)
}

fn read_list_file(path: &Path) -> Result<String, FilterError> {
    std::fs::read_to_string(path).map_err(|source| FilterError::ListFile {
        filter: UrlFilter::NAME.to_string(),
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(config: UrlConfig) -> UrlFilter {
        UrlFilter::new(config).unwrap()
    }

    #[test]
    fn words_split_like_python_re_split() {
        // Python: [w for w in re.split(r"[^a-zA-Z0-9]+", u) if w]
        let words: Vec<&str> = url_words("https://Foo-bar.example.com/a_b%20c?x=1#Déjà").collect();
        assert_eq!(words, ["https", "Foo", "bar", "example", "com", "a", "b", "20c", "x", "1", "D", "j"]);
    }

    #[test]
    fn normalize_like_datatrove() {
        assert_eq!(normalize("Porn-Star\n"), "pornstar");
        assert_eq!(normalize("ÉtÉ 2X"), "t2x");
    }

    #[test]
    fn list_entries_parse_like_parse_list() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("words.txt");
        std::fs::write(&path, "# comment\nSex-Shop\r\n\n  spaced \rlast").unwrap();
        let words = load_list(&["#x".into(), "Foo Bar".into()], std::slice::from_ref(&path), true).unwrap();
        let mut words: Vec<_> = words.into_iter().collect();
        words.sort();
        assert_eq!(words, ["foobar", "last", "sexshop", "spaced"]);
        let domains = load_list(&[" a.com\t".into()], &[path], false).unwrap();
        assert!(domains.contains("a.com") && domains.contains("spaced") && domains.contains("Sex-Shop"));
        assert!(!domains.contains("") && !domains.contains("# comment"));
    }

    #[test]
    fn missing_file_is_a_typed_error() {
        let config = UrlConfig { domains_files: vec!["/nonexistent/list".into()], ..UrlConfig::default() };
        assert!(matches!(UrlFilter::new(config), Err(FilterError::ListFile { .. })));
    }

    #[test]
    fn soft_threshold_counts_distinct_words() {
        let f = filter(UrlConfig { soft_banned_words: vec!["hot".into(), "girls".into()], ..UrlConfig::default() });
        assert_eq!(f.check("http://a.com/hot/hot/hot"), None);
        assert_eq!(f.check("http://a.com/hot-girls"), Some("soft_blacklisted"));
        let f3 = filter(UrlConfig {
            soft_banned_words: vec!["hot".into(), "girls".into()],
            soft_word_threshold: 3,
            ..UrlConfig::default()
        });
        assert_eq!(f3.check("http://a.com/hot-girls"), None);
    }
}
