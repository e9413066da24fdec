//! A single JSON document: the findings and a summary.

use crate::lint::{Finding, Severity};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub fn render(findings: &[Finding], records: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *by_rule.entry(&f.rule).or_default() += 1;
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let doc = json!({
        "findings": findings,
        "summary": {
            "records": records,
            "findings": findings.len(),
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "by_rule": by_rule,
        }
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use crate::lint::report::{Format, render_to_string, sample};

    #[test]
    fn document() {
        let v: serde_json::Value = serde_json::from_str(&render_to_string(Format::Json, &sample(), 5)).unwrap();
        assert_eq!(v["findings"].as_array().unwrap().len(), 2);
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["records"], 5);
        assert_eq!(v["summary"]["by_rule"]["R003"], 1);
    }
}
