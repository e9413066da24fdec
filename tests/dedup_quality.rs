//! Dedup quality on corpora built by `shared/bench/make_corpus.py` from real web documents, scored
//! against its `.truth.jsonl` clusters.

mod common;

use serde_json::{Map, Value};
use sftkit::pipeline::stage::OrderedStage;
use sftkit::record::{Record, Source, Verdict};
use sftkit::web::dedup::{DedupConfig, DedupStage};
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

struct Score {
    removed: usize,
    correct: usize,
    copies: usize,
    copies_found: usize,
}

/// Precision: removed documents whose `duplicate_of` is in their true cluster. Recall: documents that
/// are not the first of their true cluster (copies) and were removed.
fn score(corpus: &Path) -> Score {
    let truth_text = std::fs::read_to_string(format!("{}.truth.jsonl", corpus.display())).unwrap();
    let cluster: HashMap<String, u64> = truth_text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v["cluster"].as_u64().unwrap())
        })
        .collect();
    let mut stage = DedupStage::new(DedupConfig::default(), "text").unwrap();
    let file: Arc<str> = Arc::from(corpus.display().to_string());
    let mut seen_clusters = std::collections::HashSet::new();
    let mut s = Score { removed: 0, correct: 0, copies: 0, copies_found: 0 };
    for (i, line) in std::fs::read_to_string(corpus).unwrap().lines().enumerate() {
        let fields: Map<String, Value> = serde_json::from_str(line).unwrap();
        let id = fields["id"].as_str().unwrap().to_string();
        let mut rec = Record { id: id.clone(), source: Source { file: file.clone(), line: i as u64 + 1 }, fields };
        let prepared = stage.prepare(&rec).unwrap();
        let verdict = stage.decide(&mut rec, prepared);
        let c = cluster[&id];
        let is_copy = !seen_clusters.insert(c);
        s.copies += usize::from(is_copy);
        if let Verdict::Drop { detail: Some(d), .. } = verdict {
            s.removed += 1;
            s.correct += usize::from(cluster[d["duplicate_of"].as_str().unwrap()] == c);
            s.copies_found += usize::from(is_copy);
        }
    }
    s
}

fn make_corpus(out: &Path, size_mb: &str, dup_edits: &str, seed: &str) -> bool {
    let Some(shared) = common::shared_dir() else {
        return false;
    };
    let web = shared.join("fixtures/web");
    let status = Command::new("python3")
        .arg(shared.join("bench/make_corpus.py"))
        .args(["--out", out.to_str().unwrap(), "--size-mb", size_mb, "--dup-edits", dup_edits, "--seed", seed])
        .arg(web.join("dclm-majority.jsonl"))
        .arg(web.join("cc_en_head-0091.jsonl.gz"))
        .arg(web.join("cc_en_head-0174.jsonl.gz"))
        .status();
    match status {
        Ok(s) if s.success() => true,
        Ok(s) => panic!("make_corpus.py failed: {s}"),
        Err(e) => {
            eprintln!("skipping: python3 not available ({e})");
            false
        }
    }
}

#[test]
fn precision_and_recall_on_make_corpus() {
    let _ = fixture_or_skip!("web/dclm-majority.jsonl");
    let dir = tempfile::tempdir().unwrap();

    // Copies with 0, 0.5% and 1% of words edited.
    let c1 = dir.path().join("c1.jsonl");
    if !make_corpus(&c1, "4", "0,0.005,0.01", "7") {
        return;
    }
    let s = score(&c1);
    let precision = s.correct as f64 / s.removed.max(1) as f64;
    let recall = s.copies_found as f64 / s.copies.max(1) as f64;
    println!(
        "edits <= 1%: removed {} (correct {}), copies {} (found {}): precision {precision:.4}, recall {recall:.4}",
        s.removed, s.correct, s.copies, s.copies_found
    );
    assert!(s.copies >= 300, "corpus too small: {} copies", s.copies);
    assert!(precision >= 0.995, "precision {precision}");
    assert!(recall >= 0.98, "recall {recall}");

    // Copies with 2% of words edited: reported, expected near the LSH curve's 0.96 at s = 0.82.
    let c2 = dir.path().join("c2.jsonl");
    assert!(make_corpus(&c2, "4", "0.02", "8"));
    let s = score(&c2);
    let precision = s.correct as f64 / s.removed.max(1) as f64;
    let recall = s.copies_found as f64 / s.copies.max(1) as f64;
    println!("edits 2%: precision {precision:.4}, recall {recall:.4} ({} of {} copies)", s.copies_found, s.copies);
    assert!(precision >= 0.995, "precision {precision}");
}
