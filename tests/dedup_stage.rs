//! The single-process `DedupStage` on hand-made duplicate sets, and the staged run over 3 ranks
//! against it.

mod common;

use serde_json::{Map, Value, json};
use sftkit::pipeline::stage::OrderedStage;
use sftkit::record::{Record, Source, Verdict};
use sftkit::web::dedup::{DedupConfig, DedupStage, Removals, SignatureWriter, cluster};
use std::path::PathBuf;
use std::sync::Arc;

fn record(file: &str, line: u64, id: &str, text: &str) -> Record {
    let mut fields = Map::new();
    fields.insert("text".into(), Value::String(text.into()));
    Record { id: id.into(), source: Source { file: Arc::from(file), line }, fields }
}

/// Runs the stage over `docs` in order; returns (id, verdict detail or None when kept).
fn run_stage(cfg: DedupConfig, docs: &[(String, String)]) -> Vec<(String, Option<Value>)> {
    let mut stage = DedupStage::new(cfg, "text").unwrap();
    docs.iter()
        .enumerate()
        .map(|(i, (id, text))| {
            let mut rec = record("in.jsonl", i as u64 + 1, id, text);
            let prepared = stage.prepare(&rec).unwrap();
            match stage.decide(&mut rec, prepared) {
                Verdict::Keep => (id.clone(), None),
                Verdict::Drop { reason, detail } => {
                    assert_eq!(reason, "duplicate");
                    (id.clone(), detail)
                }
                Verdict::Error { message } => panic!("{message}"),
            }
        })
        .collect()
}

/// A deterministic generator for the tests (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Replace `n` distinct words (chosen by `rng`) with "zzqx{k}".
fn edit_words(text: &str, n: usize, rng: &mut Rng) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    for k in 0..n {
        let i = (rng.next() % words.len() as u64) as usize;
        words[i] = format!("zzqx{k}");
    }
    words.join(" ")
}

fn base_texts(n: usize) -> Option<Vec<String>> {
    let dir = common::shared_dir()?;
    let text = std::fs::read_to_string(dir.join("fixtures/web/dclm-majority.jsonl")).unwrap();
    Some(
        text.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["text"].as_str().unwrap().to_string())
            .filter(|t| t.split_whitespace().count() >= 300)
            .take(n)
            .collect(),
    )
}

#[test]
fn hand_made_duplicate_sets() {
    let _ = fixture_or_skip!("web/dclm-majority.jsonl");
    let base = base_texts(4).unwrap();
    let mut rng = Rng(3);
    let docs: Vec<(String, String)> = vec![
        ("a".into(), base[0].clone()),
        ("b".into(), base[1].clone()),
        // Same normalised text as a: case, punctuation, digits and accents differ.
        ("a-exact".into(), format!("  {}!!! ", base[0].to_uppercase())),
        // 2 words of 300+ replaced: Jaccard about 0.94, P(candidate) > 0.9999.
        ("b-near".into(), edit_words(&base[1], 2, &mut rng)),
        ("c".into(), base[2].clone()),
        // A near copy of b-near (removed): joins b's cluster.
        ("b-near2".into(), edit_words(&edit_words(&base[1], 2, &mut Rng(3)), 1, &mut rng)),
        // Exact copy of a removed document: points to the cluster's kept doc, method exact.
        ("b-exact-of-near".into(), edit_words(&base[1], 2, &mut Rng(3))),
        ("d".into(), base[3].clone()),
        // Short documents: exact dedup only; one shingle needs 5 words.
        ("short".into(), "Four words only here".into()),
        ("short-copy".into(), "four WORDS only, here.".into()),
        ("short-edit".into(), "Four words only there".into()),
    ];
    let got = run_stage(DedupConfig::default(), &docs);
    let expected = vec![
        ("a", None),
        ("b", None),
        ("a-exact", Some(json!({"method": "exact", "duplicate_of": "a"}))),
        ("b-near", Some(json!({"method": "minhash", "duplicate_of": "b"}))),
        ("c", None),
        ("b-near2", Some(json!({"method": "minhash", "duplicate_of": "b"}))),
        ("b-exact-of-near", Some(json!({"method": "exact", "duplicate_of": "b"}))),
        ("d", None),
        ("short", None),
        ("short-copy", Some(json!({"method": "exact", "duplicate_of": "short"}))),
        ("short-edit", None),
    ];
    let expected: Vec<(String, Option<Value>)> = expected.into_iter().map(|(a, b)| (a.to_string(), b)).collect();
    assert_eq!(got, expected);

    // Exact only: near copies stay.
    let cfg = DedupConfig { minhash: false, ..Default::default() };
    let removed: Vec<String> =
        run_stage(cfg, &docs).into_iter().filter(|(_, d)| d.is_some()).map(|(id, _)| id).collect();
    assert_eq!(removed, ["a-exact", "b-exact-of-near", "short-copy"]);
    // MinHash only: exact copies are found as minhash (short ones are not found at all).
    let cfg = DedupConfig { exact: false, ..Default::default() };
    let got = run_stage(cfg, &docs);
    assert_eq!(got[2].1, Some(json!({"method": "minhash", "duplicate_of": "a"})));
    assert_eq!(got[9].1, None);
}

/// 6 input files of documents, with exact and near copies across files.
fn corpus(base: &[String]) -> Vec<Vec<(String, String)>> {
    let mut rng = Rng(11);
    let mut files: Vec<Vec<(String, String)>> = vec![Vec::new(); 6];
    let mut all: Vec<String> = Vec::new();
    for (n, round) in (0..60).enumerate() {
        let f = (rng.next() % 6) as usize;
        let text = if round < 20 || all.is_empty() || rng.next().is_multiple_of(2) {
            base[(round * 7) % base.len()].clone() // repeats of base texts are exact duplicates
        } else {
            let src = &all[(rng.next() % all.len() as u64) as usize];
            let edits = (rng.next() % 4) as usize; // 0..3 words of 300+
            edit_words(src, edits, &mut rng)
        };
        all.push(text.clone());
        files[f].push((format!("doc{n}"), text));
    }
    files
}

#[test]
fn staged_three_ranks_equals_single_process() {
    let _ = fixture_or_skip!("web/dclm-majority.jsonl");
    let base = base_texts(30).unwrap();
    let files = corpus(&base);
    let cfg = DedupConfig::default();

    // Single process, global order (file index, line).
    let mut order: Vec<(u32, u64, String, String)> = Vec::new();
    for (fi, docs) in files.iter().enumerate() {
        for (li, (id, text)) in docs.iter().enumerate() {
            order.push((fi as u32, li as u64 + 1, id.clone(), text.clone()));
        }
    }
    let flat: Vec<(String, String)> = order.iter().map(|(_, _, id, t)| (id.clone(), t.clone())).collect();
    let single = run_stage(cfg.clone(), &flat);
    let single_removed: Vec<(u32, u64, Value)> =
        order.iter().zip(&single).filter_map(|((f, l, _, _), (_, d))| d.clone().map(|d| (*f, *l, d))).collect();
    assert!(single_removed.len() >= 20, "corpus has too few duplicates: {}", single_removed.len());
    assert!(single_removed.iter().any(|(_, _, d)| d["method"] == "minhash"));
    assert!(single_removed.iter().any(|(_, _, d)| d["method"] == "exact"));

    // Staged: rank r hashes the files i with i % 3 == r.
    let dir = tempfile::tempdir().unwrap();
    let world_size = 3;
    let mut sig_files: Vec<PathBuf> = Vec::new();
    for rank in 0..world_size {
        let path = dir.path().join(format!("sig-{rank:05}.bin"));
        let mut w = SignatureWriter::create(&path, &cfg).unwrap();
        for (fi, docs) in files.iter().enumerate().filter(|(i, _)| i % world_size == rank) {
            for (li, (id, text)) in docs.iter().enumerate() {
                w.write(fi as u32, li as u64 + 1, id, text).unwrap();
            }
        }
        w.finish().unwrap();
        sig_files.push(path);
    }
    // Rank order of the files passed to cluster must not matter.
    sig_files.reverse();
    let removals = cluster(&sig_files, &cfg).unwrap();
    assert_eq!(removals.documents, 60);
    let list = dir.path().join("removed.jsonl");
    removals.write(&list).unwrap();
    let removals = Removals::read(&list).unwrap();

    // Apply: every document, by (file index, line).
    let mut staged_removed = Vec::new();
    for (f, l, _, _) in &order {
        if let Some(r) = removals.get(*f, *l) {
            staged_removed.push((*f, *l, r.detail()));
        }
    }
    assert_eq!(staged_removed, single_removed);
    assert_eq!(removals.len(), single_removed.len());
}

#[test]
fn truncated_signature_file_is_a_clear_error() {
    let _ = fixture_or_skip!("web/dclm-majority.jsonl");
    let base = base_texts(3).unwrap();
    let cfg = DedupConfig::default();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sig-00001.bin");
    let mut w = SignatureWriter::create(&path, &cfg).unwrap();
    for (i, t) in base.iter().enumerate() {
        w.write(0, i as u64 + 1, &format!("d{i}"), t).unwrap();
    }
    w.finish().unwrap();
    let full = std::fs::read(&path).unwrap();
    assert_eq!(cluster(std::slice::from_ref(&path), &cfg).unwrap().documents, 3);

    for cut in [full.len() - 1, full.len() - 30, 50, 10] {
        std::fs::write(&path, &full[..cut]).unwrap();
        let err = cluster(std::slice::from_ref(&path), &cfg).unwrap_err().to_string();
        assert!(err.contains("sig-00001.bin") && err.contains("truncated"), "cut {cut}: {err}");
    }
    // A flipped byte in the body fails the checksum.
    let mut bad = full.clone();
    bad[60] ^= 1;
    std::fs::write(&path, &bad).unwrap();
    let err = cluster(std::slice::from_ref(&path), &cfg).unwrap_err().to_string();
    assert!(err.contains("sig-00001.bin") && (err.contains("checksum") || err.contains("order")), "{err}");
    // Another config is refused.
    std::fs::write(&path, &full).unwrap();
    let other = DedupConfig { bands: 20, rows: 5, ..Default::default() };
    let err = cluster(std::slice::from_ref(&path), &other).unwrap_err().to_string();
    assert!(err.contains("different dedup config"), "{err}");
}

#[test]
fn removal_list_round_trip_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("removed.jsonl");
    std::fs::write(
        &path,
        "{\"file_index\":2,\"line\":7,\"id\":\"x\",\"method\":\"minhash\",\"duplicate_of\":\"k\"}\n\n",
    )
    .unwrap();
    let r = Removals::read(&path).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r.get(2, 7).unwrap().detail(), json!({"method": "minhash", "duplicate_of": "k"}));
    assert!(r.get(2, 6).is_none() && r.get(1, 7).is_none());

    std::fs::write(&path, "{\"file_index\":2,\"line\":7,\"id\":\"x\",\"method\":\"fuzzy\",\"duplicate_of\":\"k\"}\n")
        .unwrap();
    let err = Removals::read(&path).unwrap_err().to_string();
    assert!(err.contains("removed.jsonl") && err.contains("line 1"), "{err}");
}
