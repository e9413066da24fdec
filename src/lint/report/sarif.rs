//! SARIF 2.1.0, as accepted by GitHub code scanning (`github/codeql-action/upload-sarif`).

use crate::lint::registry::all_rules;
use crate::lint::{Finding, Severity};
use serde_json::{Value, json};
use std::io::{self, Write};

/// Prefix of each rule's `helpUri` (the guideline README is appended with the rule's anchor).
/// Change it to the repository that hosts the guidelines.
pub const DEFAULT_HELP_BASE: &str = "https://github.com/sftkit/sftkit/blob/main/";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF document for `findings`, with rule help links under `help_base`.
pub fn document(findings: &[Finding], help_base: &str) -> Value {
    let rules: Vec<Value> = all_rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.code(),
                "name": r.name(),
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": r.doc().lines().skip(1).take_while(|l| !l.starts_with("## ")).collect::<Vec<_>>().join(" ").trim()},
                "help": {"text": r.doc(), "markdown": r.doc()},
                "helpUri": format!("{help_base}guidelines/README.md#{}", r.anchor()),
                "defaultConfiguration": {"level": level(r.default_severity())},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let idx = all_rules().iter().position(|r| r.code() == f.rule);
            let mut res = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": format!("{} (record {})", f.message, f.id)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file.replace('\\', "/")},
                        "region": {"startLine": f.line.max(1)}
                    }
                }],
                "partialFingerprints": {
                    "sftkitFinding/v1": crate::lint::baseline::fingerprint(f)
                }
            });
            if let Some(i) = idx {
                res["ruleIndex"] = json!(i);
            }
            res
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sftkit-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": format!("{help_base}guidelines/README.md"),
                "rules": rules
            }},
            "results": results
        }]
    })
}

pub fn render(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(findings, DEFAULT_HELP_BASE))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use crate::lint::registry::all_rules;
    use crate::lint::report::{Format, render_to_string, sample};

    #[test]
    fn structure() {
        let v: serde_json::Value = serde_json::from_str(&render_to_string(Format::Sarif, &sample(), 2)).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), all_rules().len());
        for r in rules {
            for k in ["id", "name", "shortDescription", "fullDescription", "help", "helpUri"] {
                assert!(!r[k].is_null(), "rule lacks {k}");
            }
            assert!(!r["fullDescription"]["text"].as_str().unwrap().is_empty());
            assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
        }
        let res = &run["results"][0];
        assert_eq!(res["ruleId"], "R006");
        assert_eq!(res["level"], "error");
        assert!(res["message"]["text"].as_str().unwrap().contains("13 - 4 = 8"));
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "data/train.jsonl");
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(run["results"][1]["level"], "warning");
        // ruleIndex points at the rule with the same id
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], "R006");
    }
}
