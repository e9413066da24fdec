//! The lint library as the CLI and pipeline use it: selection, suppression, baseline, reports,
//! exit codes, `--explain`, and the stage.

mod common;

use serde_json::{Value, json};
use sftkit::lint::report::{Format, render_to_string};
use sftkit::lint::{Baseline, Guidelines, LintStage, LintStageMode, Linter, Severity, all_rules, exit_code, explain};
use sftkit::pipeline::stage::Stage;
use sftkit::record::{Record, Source, Verdict};
use std::sync::Arc;

fn rec(id: &str, line: u64, fields: Value) -> Record {
    Record {
        id: id.into(),
        source: Source { file: Arc::from("in.jsonl"), line },
        fields: fields.as_object().unwrap().clone(),
    }
}

/// A row with a wrong equation (R006) whose answer comes first (R001).
fn bad_row() -> Value {
    json!({"messages": [
        {"role": "user", "content": "Ann has 13 apples and eats 4 of them. How many apples does she have left?"},
        {"role": "assistant", "content": "The answer is 9. She has 13 - 4 = 8 apples."}], "reference": "9"})
}

fn codes(linter: &Linter, r: &Record) -> Vec<String> {
    linter.lint(r, None).into_iter().map(|f| f.rule).collect()
}

#[test]
fn findings_carry_location_and_severity() {
    let linter = Linter::new(Guidelines::default()).unwrap();
    let fs = linter.lint(&rec("row-7", 7, bad_row()), Some("reference"));
    let r006 = fs.iter().find(|f| f.rule == "R006").expect("R006");
    assert_eq!(
        (r006.id.as_str(), r006.file.as_str(), r006.line, r006.message_index),
        ("row-7", "in.jsonl", 7, Some(1))
    );
    assert_eq!(r006.severity, Severity::Error);
    assert!(r006.message.contains("13 - 4 = 8"), "{}", r006.message);
    assert_eq!(codes(&linter, &rec("r", 1, bad_row())), vec!["R001", "R006"]);
    assert_eq!(exit_code(&fs), 1);
    assert_eq!(exit_code(&[]), 0);
}

#[test]
fn select_ignore_severity_and_suppression() {
    let mut g = Guidelines::default();
    g.apply_cli(None, Some("R001"));
    assert_eq!(codes(&Linter::new(g).unwrap(), &rec("r", 1, bad_row())), vec!["R006"]);

    // per-record suppression field
    let mut row = bad_row();
    row["lint_ignore"] = json!(["R006"]);
    assert_eq!(codes(&Linter::new(Guidelines::default()).unwrap(), &rec("r", 1, row)), vec!["R001"]);

    // severities from TOML make the exit code 0
    let g = Guidelines::from_toml_str("[severity]\nR001 = \"warning\"\nR006 = \"info\"\n").unwrap();
    let fs = Linter::new(g).unwrap().lint(&rec("r", 1, bad_row()), None);
    assert_eq!(fs.len(), 2);
    assert_eq!(exit_code(&fs), 0);

    // unknown codes are configuration errors
    assert!(Linter::new(Guidelines::from_toml_str("[severity]\nZ123 = \"error\"\n").unwrap()).is_err());
}

#[test]
fn sharegpt_rows_are_linted() {
    let row = json!({"conversations": [
        {"from": "human", "value": "Ann has 13 apples and eats 4 of them. How many apples does she have left?"},
        {"from": "gpt", "value": "She has 13 - 4 = 8 apples left.\nThe answer is 8."}]});
    assert_eq!(codes(&Linter::new(Guidelines::default()).unwrap(), &rec("r", 1, row)), vec!["R006"]);
}

#[test]
fn guidelines_files_load() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("g.toml");
    std::fs::write(&p, "[identity]\nname = \"Orion\"\nmaker = \"Bluefin Systems\"\n").unwrap();
    let g = Guidelines::from_path(&p).unwrap();
    let row = json!({"messages": [{"role": "user", "content": "Who made you?"},
        {"role": "assistant", "content": "I was trained by OpenAI."}]});
    assert_eq!(codes(&Linter::new(g).unwrap(), &rec("r", 1, row)), vec!["I001"]);
    assert!(Guidelines::from_path(&dir.path().join("missing.toml")).is_err());
    let m = Guidelines::math_preset();
    assert!(Linter::new(m).unwrap().rules().iter().all(|r| !r.code().starts_with('T')));
}

#[test]
fn explain_every_rule() {
    for r in all_rules() {
        let e = explain(r.code()).unwrap();
        assert!(e.contains(&format!("guidelines/README.md#{}", r.anchor())));
    }
    assert!(explain("R999").is_none());
}

#[test]
fn baseline_on_dev_set() {
    let path = fixture_or_skip!("lint/dev.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let records: Vec<Record> = text
        .lines()
        .enumerate()
        .map(|(n, l)| {
            let v: Value = serde_json::from_str(l).unwrap();
            let id = v["id"].as_str().unwrap().to_string();
            rec(&id, n as u64 + 1, v)
        })
        .collect();
    let linter = Linter::new(Guidelines::default()).unwrap();
    let findings = linter.lint_all(&records, Some("reference"));
    // dev.jsonl labels 405 rows with one code each; the linter finds about that many
    assert!(findings.len() > 380, "{}", findings.len());
    let dir = tempfile::tempdir().unwrap();
    let bp = dir.path().join("baseline.json");
    Baseline::from_findings(&findings).write(&bp).unwrap();
    let b = Baseline::read(&bp).unwrap();
    assert!(b.filter(findings.clone()).is_empty());
    // a new bad row is reported even with the baseline
    let mut more = findings.clone();
    more.extend(linter.lint(&rec("new-row", 9999, bad_row()), None));
    let left = b.filter(more);
    assert_eq!(left.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(), vec!["R001", "R006"]);

    // every format renders the real findings
    let sarif: Value = serde_json::from_str(&render_to_string(Format::Sarif, &findings, records.len())).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), findings.len());
    let gh = render_to_string(Format::Github, &findings, records.len());
    assert!(gh.lines().count() <= 21, "github output is capped: {}", gh.lines().count());
    let jsonl = render_to_string(Format::Jsonl, &findings, records.len());
    assert_eq!(jsonl.lines().count(), findings.len());
    assert!(render_to_string(Format::Junit, &findings, records.len()).starts_with("<?xml"));
    assert!(render_to_string(Format::Human, &findings, records.len()).contains("in 651 records."));
    assert_eq!("sarif".parse::<Format>().unwrap(), Format::Sarif);
    assert!("xml".parse::<Format>().is_err());
}

#[test]
fn stage_drops_with_codes_as_reason() {
    let st = LintStage::new(
        Linter::new(Guidelines::default()).unwrap(),
        LintStageMode::Drop,
        "lint",
        Some("reference".into()),
    );
    assert_eq!(st.name(), "lint");
    let mut r = rec("r", 1, bad_row());
    match st.process(&mut r) {
        Verdict::Drop { reason, detail } => {
            assert_eq!(reason, "R001,R006");
            assert_eq!(detail.unwrap().as_array().unwrap().len(), 2);
        }
        v => panic!("{v:?}"),
    }
}
