//! The executor's contract, with small stages written for the test: every row ends in exactly
//! one fate, kept rows come out in input order for any thread count and batch size, ordered
//! stages see records in input order, and errors follow the `--on-error` policy.

use serde_json::{Map, Value, json};
use sftkit::io::IoError;
use sftkit::pipeline::executor::{AnyStage, OnError, Rejected, RunError, RunOptions, Sinks, run};
use sftkit::pipeline::stage::{OrderedStage, Stage};
use sftkit::record::{Fate, Record, Verdict};
use std::collections::HashSet;
use std::path::PathBuf;

/// Drops rows whose `n` is a multiple of 3; errors on `n == 13`; tags the rest.
struct ModThree;
impl Stage for ModThree {
    fn name(&self) -> &str {
        "mod_three"
    }
    fn process(&self, rec: &mut Record) -> Verdict {
        let Some(n) = rec.fields.get("n").and_then(Value::as_u64) else {
            return Verdict::error("no n");
        };
        if n == 13 {
            return Verdict::error("thirteen");
        }
        if n % 3 == 0 {
            return Verdict::drop("multiple_of_three");
        }
        rec.fields.insert("tag".into(), json!(format!("t{n}")));
        Verdict::Keep
    }
}

/// Keeps the first row of each `group`, in input order.
struct FirstOfGroup {
    seen: HashSet<String>,
}
impl OrderedStage for FirstOfGroup {
    type Prepared = String;
    fn name(&self) -> &str {
        "first_of_group"
    }
    fn prepare(&self, rec: &Record) -> Result<String, String> {
        rec.str_field("group").map(str::to_string).ok_or_else(|| "no group".to_string())
    }
    fn decide(&mut self, _rec: &mut Record, g: String) -> Verdict {
        if self.seen.insert(g.clone()) {
            Verdict::Keep
        } else {
            Verdict::Drop { reason: "repeat".into(), detail: Some(json!({"group": g})) }
        }
    }
}

type Rows = Vec<Map<String, Value>>;

#[derive(Default)]
struct Collect {
    kept: Vec<Map<String, Value>>,
    rejected: Vec<Map<String, Value>>,
}
impl Sinks for Collect {
    fn kept(&mut self, rec: &Record) -> Result<(), IoError> {
        self.kept.push(rec.fields.clone());
        Ok(())
    }
    fn rejected(&mut self, rej: &Rejected<'_>) -> Result<(), IoError> {
        assert!(!matches!(rej.fate, Fate::Kept));
        self.rejected.push(rej.to_json());
        Ok(())
    }
}

fn input(dir: &std::path::Path) -> Vec<(usize, PathBuf)> {
    let mut files = Vec::new();
    for f in 0..3 {
        let p = dir.join(format!("in{f}.jsonl"));
        let mut s = String::new();
        for k in 0..40u64 {
            let n = f * 40 + k;
            if n == 50 {
                s.push_str("{not json\n");
                continue;
            }
            s.push_str(&format!("{}\n", json!({"id": format!("r{n}"), "n": n, "group": format!("g{}", n % 17)})));
        }
        std::fs::write(&p, s).unwrap();
        files.push((f as usize, p));
    }
    files
}

fn stages() -> Vec<AnyStage> {
    vec![AnyStage::Parallel(Box::new(ModThree)), AnyStage::ordered(FirstOfGroup { seen: HashSet::new() })]
}

#[test]
fn every_row_has_one_fate_and_order_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let files = input(dir.path());
    let mut reference: Option<(Rows, Rows)> = None;
    for threads in [1, 2, 4] {
        for batch_size in [1, 7, 1000] {
            let mut sinks = Collect::default();
            let opts = RunOptions { on_error: OnError::Skip, threads, batch_size, ..Default::default() };
            let acc = run(files.clone(), &mut stages(), &mut sinks, &opts).unwrap();
            assert_eq!(acc.input_rows, 120);
            assert_eq!(acc.input_rows, acc.kept + acc.dropped + acc.errors);
            assert_eq!(acc.kept as usize, sinks.kept.len());
            assert_eq!((acc.dropped + acc.errors) as usize, sinks.rejected.len());
            assert_eq!(acc.read_errors, 1);
            // Hand count: 119 parsed rows (n = 50 is malformed); n = 13 errors; multiples of 3 in
            // 0..120 except 51 (its row exists) ... computed below independently.
            let parsed: Vec<u64> = (0..120).filter(|&n| n != 50).collect();
            let after_mod: Vec<u64> = parsed.iter().copied().filter(|&n| n != 13 && n % 3 != 0).collect();
            let mut seen = HashSet::new();
            let kept: Vec<u64> = after_mod.iter().copied().filter(|n| seen.insert(n % 17)).collect();
            let got: Vec<u64> = sinks.kept.iter().map(|r| r["n"].as_u64().unwrap()).collect();
            assert_eq!(got, kept, "threads {threads} batch {batch_size}");
            assert_eq!(acc.stages[0].errors, 1);
            assert_eq!(
                acc.stages[0].dropped["multiple_of_three"],
                parsed.iter().filter(|&&n| n % 3 == 0).count() as u64
            );
            assert_eq!(acc.stages[1].input, after_mod.len() as u64);
            assert_eq!(acc.stages[1].dropped["repeat"], (after_mod.len() - kept.len()) as u64);
            // rejected rows carry their reason and source
            let malformed = sinks.rejected.iter().find(|r| r.contains_key("_raw")).unwrap();
            assert_eq!(malformed["_rejected"]["stage"], "read");
            assert_eq!(malformed["_rejected"]["source"], format!("{}:11", files[1].1.display()));
            let repeat = sinks.rejected.iter().find(|r| r["_rejected"]["reason"] == "repeat").unwrap();
            assert!(repeat["_rejected"]["group"].is_string());
            match &reference {
                None => reference = Some((sinks.kept, sinks.rejected)),
                Some((k, r)) => {
                    assert_eq!(&sinks.kept, k);
                    assert_eq!(&sinks.rejected, r);
                }
            }
        }
    }
}

#[test]
fn fail_policy_stops_at_the_first_bad_row_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = input(dir.path());
    let mut sinks = Collect::default();
    let opts = RunOptions { on_error: OnError::Fail, threads: 2, batch_size: 5, ..Default::default() };
    let err = run(files.clone(), &mut stages(), &mut sinks, &opts).unwrap_err();
    match err {
        RunError::Row { at: source, stage, message } => {
            assert_eq!(stage, "mod_three");
            assert_eq!(message, "thirteen");
            assert_eq!(source.to_string(), format!("{}:14", files[0].1.display()));
        }
        other => panic!("unexpected {other}"),
    }
}
