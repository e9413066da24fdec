//! Dedup throughput, quality and index memory (run in release: `cargo bench --bench dedup_bench -- ...`).
//!
//! - `dedup_bench corpus IN.jsonl OUT.jsonl`: the whole process on one thread — read JSONL, parse,
//!   dedup (`DedupStage`), write kept rows — printing docs/s and MB/s; with `IN.jsonl.truth.jsonl`
//!   present (from `shared/bench/make_corpus.py`) also precision and recall by edit rate.
//! - `dedup_bench memory N`: index N synthetic documents (random hashes, 14 bands) and print the peak
//!   RSS growth per document.
//!
//! `benches/dedup_vs_datatrove.sh` runs this and datatrove's four MinHash stages side by side.

use serde_json::{Map, Value};
use sftkit::pipeline::stage::OrderedStage;
use sftkit::record::{Record, Source, Verdict};
use sftkit::web::dedup::{DedupConfig, DedupIndex, DedupStage, DocHashes};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::sync::Arc;
use std::time::Instant;

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn memory(n: usize) {
    let before = status_kb("VmHWM:");
    let mut state = 42u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut index = DedupIndex::new(14, 0);
    let start = Instant::now();
    for i in 0..n {
        let hashes = DocHashes { exact: Some(next()), bands: Some((0..14).map(|_| next()).collect()) };
        let id = format!("doc-{i:08}");
        assert!(index.decide(&id, &hashes).is_none());
    }
    let secs = start.elapsed().as_secs_f64();
    let after = status_kb("VmHWM:");
    let rss = status_kb("VmRSS:");
    println!(
        "memory: {n} docs (ids of 12 bytes), peak RSS {} -> {} kB, current RSS {rss} kB: {:.1} bytes/doc at peak, {:.1} bytes/doc now; {:.0} inserts/s",
        before,
        after,
        (after - before) as f64 * 1024.0 / n as f64,
        (rss - before) as f64 * 1024.0 / n as f64,
        n as f64 / secs
    );
}

fn corpus(input: &str, output: &str) {
    let start = Instant::now();
    // `DEDUP_SEED` changes the permutation seed (to see the spread of recall over seeds).
    let seed = std::env::var("DEDUP_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut stage = DedupStage::new(DedupConfig { seed, ..Default::default() }, "text").unwrap();
    let reader = BufReader::with_capacity(1 << 20, std::fs::File::open(input).unwrap());
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(output).unwrap());
    let file: Arc<str> = Arc::from(input);
    let (mut docs, mut bytes, mut kept) = (0u64, 0u64, 0u64);
    let mut removed: HashMap<String, String> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.unwrap();
        bytes += line.len() as u64 + 1;
        docs += 1;
        let fields: Map<String, Value> = serde_json::from_str(&line).unwrap();
        let id = fields
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{input}:{}", i + 1));
        let mut rec = Record { id, source: Source { file: file.clone(), line: i as u64 + 1 }, fields };
        let prepared = stage.prepare(&rec).unwrap();
        match stage.decide(&mut rec, prepared) {
            Verdict::Keep => {
                kept += 1;
                serde_json::to_writer(&mut out, &rec.fields).unwrap();
                out.write_all(b"\n").unwrap();
            }
            Verdict::Drop { detail: Some(d), .. } => {
                removed.insert(rec.id.clone(), d["duplicate_of"].as_str().unwrap().to_string());
            }
            other => panic!("{other:?}"),
        }
        order.push(rec.id);
    }
    out.flush().unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "sftkit: {docs} docs, {:.1} MB, kept {kept}, removed {}: {secs:.2} s, {:.0} docs/s, {:.1} MB/s (1 thread)",
        bytes as f64 / 1e6,
        removed.len(),
        docs as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    let truth_path = format!("{input}.truth.jsonl");
    let Ok(truth) = std::fs::read_to_string(&truth_path) else {
        return;
    };
    let mut cluster: HashMap<String, (u64, String)> = HashMap::new();
    for l in truth.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        let rate = v["edit_rate"].to_string();
        cluster.insert(v["id"].as_str().unwrap().to_string(), (v["cluster"].as_u64().unwrap(), rate));
    }
    let correct = removed.iter().filter(|(id, of)| cluster[*id].0 == cluster[*of].0).count();
    println!(
        "precision {:.4} ({correct} of {} removed are in their kept doc's true cluster)",
        correct as f64 / removed.len().max(1) as f64,
        removed.len()
    );
    let mut seen = HashSet::new();
    let mut by_rate: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for id in &order {
        let (c, rate) = &cluster[id];
        if !seen.insert(*c) {
            let e = by_rate.entry(rate.clone()).or_default();
            e.0 += 1;
            e.1 += u64::from(removed.contains_key(id));
        }
    }
    for (rate, (n, found)) in by_rate {
        println!("recall at edit rate {rate}: {:.4} ({found} of {n} copies)", found as f64 / n as f64);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match args.first().map(String::as_str) {
        Some("memory") => memory(args[1].parse().unwrap()),
        Some("corpus") => corpus(&args[1], &args[2]),
        _ => eprintln!("usage: dedup_bench corpus IN.jsonl OUT.jsonl | dedup_bench memory N"),
    }
}
