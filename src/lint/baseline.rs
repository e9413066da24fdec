//! Baselines: a legacy dataset records its known findings once (`--write-baseline FILE`) and
//! later runs (`--baseline FILE`) report only new ones.
//!
//! A finding is fingerprinted by record id + rule + message index — not by line, so inserting
//! rows above a record does not resurrect its findings, and not by message text, so rewording a
//! message does not either. Several findings with the same fingerprint (two wrong equations in
//! one message) are counted: the baseline absorbs as many as it recorded.

use super::{Finding, LintError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The stable fingerprint of a finding: `<id>:<rule>:<message_index or "-">`.
pub fn fingerprint(f: &Finding) -> String {
    match f.message_index {
        Some(i) => format!("{}:{}:{i}", f.id, f.rule),
        None => format!("{}:{}:-", f.id, f.rule),
    }
}

/// One baseline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub id: String,
    pub rule: String,
    pub message_index: Option<usize>,
    /// How many findings with this fingerprint are known.
    pub count: usize,
}

/// The baseline file (JSON): `{"version": 1, "entries": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<BaselineEntry>,
}

impl Baseline {
    /// The baseline that absorbs exactly `findings`.
    pub fn from_findings(findings: &[Finding]) -> Self {
        let mut map: BTreeMap<String, BaselineEntry> = BTreeMap::new();
        for f in findings {
            map.entry(fingerprint(f))
                .or_insert_with(|| BaselineEntry {
                    id: f.id.clone(),
                    rule: f.rule.clone(),
                    message_index: f.message_index,
                    count: 0,
                })
                .count += 1;
        }
        Baseline { version: 1, entries: map.into_values().collect() }
    }

    pub fn read(path: &Path) -> Result<Self, LintError> {
        let s = std::fs::read_to_string(path)
            .map_err(|source| LintError::Io { path: path.display().to_string(), source })?;
        serde_json::from_str(&s).map_err(|source| LintError::Baseline { path: path.display().to_string(), source })
    }

    pub fn write(&self, path: &Path) -> Result<(), LintError> {
        let s = serde_json::to_string_pretty(self).expect("baseline serialises");
        std::fs::write(path, s + "\n").map_err(|source| LintError::Io { path: path.display().to_string(), source })
    }

    /// The findings not absorbed by the baseline, in input order.
    pub fn filter(&self, findings: Vec<Finding>) -> Vec<Finding> {
        let mut left: BTreeMap<String, usize> = self
            .entries
            .iter()
            .map(|e| {
                let f = Finding {
                    id: e.id.clone(),
                    file: String::new(),
                    line: 0,
                    message_index: e.message_index,
                    rule: e.rule.clone(),
                    severity: super::Severity::Info,
                    message: String::new(),
                };
                (fingerprint(&f), e.count)
            })
            .collect();
        findings
            .into_iter()
            .filter(|f| match left.get_mut(&fingerprint(f)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::report::sample;

    #[test]
    fn roundtrip_and_filter() {
        let known = sample();
        let b = Baseline::from_findings(&known);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("baseline.json");
        b.write(&p).unwrap();
        let b2 = Baseline::read(&p).unwrap();
        assert_eq!(b, b2);
        // same findings on other lines and with other wording are still known
        let mut moved = known.clone();
        moved[0].line = 99;
        moved[0].message = "reworded".into();
        assert!(b2.filter(moved).is_empty());
        // a second finding with the same fingerprint, and a new rule, are new
        let mut extra = known.clone();
        extra.push(known[0].clone());
        let mut other = known[0].clone();
        other.rule = "R005".into();
        extra.push(other);
        let left = b2.filter(extra);
        assert_eq!(left.len(), 2);
        assert_eq!(left[1].rule, "R005");
        assert!(matches!(Baseline::read(&dir.path().join("missing.json")), Err(LintError::Io { .. })));
    }
}
