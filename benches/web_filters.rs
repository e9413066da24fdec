//! Speed of the four heuristic web filters (gopher_quality, gopher_repetition, c4_quality,
//! fineweb_quality) against datatrove 0.10.1 on the same documents, one thread, side by side.
//!
//! `cargo bench --bench web_filters [-- FILE.jsonl]` (default: the shared fixture
//! `web/dclm-majority.jsonl`). Every filter sees every document (no short-circuit), document by
//! document (and, for the Rust side only, also filter by filter). The datatrove side runs when `SFTKIT_PYTHON` (default `python3`)
//! imports datatrove and spaCy; it times the same loop in-process after a warm-up document.

use sftkit::web::filters::{
    c4_quality::{C4Quality, C4QualityConfig},
    fineweb_quality::{FineWebQuality, FineWebQualityConfig},
    gopher_quality::{GopherQuality, GopherQualityConfig},
    gopher_repetition::{GopherRepetition, GopherRepetitionConfig},
};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const PY: &str = r#"
import json, sys, time
from datatrove.data import Document
from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter,
                                        GopherQualityFilter, GopherRepetitionFilter)
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
fs = [GopherQualityFilter(), GopherRepetitionFilter(), C4QualityFilter(), FineWebQualityFilter()]
for f in fs:
    f.filter(Document(text="Warm up the tokenizer. It loads spaCy.", id="w"))
t0 = time.perf_counter()
c0 = time.thread_time()
kept = 0
for i, t in enumerate(texts):
    for f in fs:
        r = f.filter(Document(text=t, id=str(i)))
        kept += r is True
dt = time.perf_counter() - t0
cpu = time.thread_time() - c0
print(f"{dt:.6f} {cpu:.6f} {kept}")
"#;

/// CPU time of the calling thread (Linux `/proc/thread-self/schedstat`), or wall-clock
/// seconds since the first call where that file is missing.
fn thread_cpu_seconds() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse::<u64>().ok()))
        .map(|ns| ns as f64 / 1e9)
        .unwrap_or_else(|| START.get_or_init(Instant::now).elapsed().as_secs_f64())
}

fn main() {
    let path = std::env::args().skip(1).find(|a| !a.starts_with('-')).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/web/dclm-majority.jsonl")
    });
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: cannot read {}", path.display());
        return;
    };
    let texts: Vec<String> = data
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            v["text"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let gq = GopherQuality::new(GopherQualityConfig::default(), "text");
    let gr = GopherRepetition::new(GopherRepetitionConfig::default(), "text");
    let c4 = C4Quality::new(C4QualityConfig::default(), "text");
    let fw = FineWebQuality::new(FineWebQualityConfig::default(), "text");
    let _ = gq.check("warm up");

    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    let mut kept = 0usize;
    for _ in 0..5 {
        let t0 = Instant::now();
        let c0 = thread_cpu_seconds();
        kept = 0;
        for t in &texts {
            kept += usize::from(gq.check(t).is_ok());
            kept += usize::from(gr.check(t).is_ok());
            kept += usize::from(c4.check(t).is_ok());
            kept += usize::from(fw.check(t).is_ok());
        }
        best = best.min(t0.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(thread_cpu_seconds() - c0);
    }
    let n = texts.len() as f64;
    println!(
        "sftkit    : {} docs ({:.1} MB) x 4 filters: wall {:.4} s = {:.0} docs/s ({:.1} MB/s); thread CPU {:.4} s = {:.0} docs/s (best of 5); {} keeps",
        texts.len(),
        bytes as f64 / 1e6,
        best,
        n / best,
        bytes as f64 / 1e6 / best,
        best_cpu,
        n / best_cpu,
        kept
    );

    // Filter by filter (as `datatrove_reference.py` runs them): the per-thread word cache then
    // misses, so each filter tokenizes every document itself.
    let mut best_fm = f64::INFINITY;
    for _ in 0..3 {
        let c0 = thread_cpu_seconds();
        let mut k = 0usize;
        for t in &texts {
            k += usize::from(gq.check(t).is_ok());
        }
        for t in &texts {
            k += usize::from(gr.check(t).is_ok());
        }
        for t in &texts {
            k += usize::from(c4.check(t).is_ok());
        }
        for t in &texts {
            k += usize::from(fw.check(t).is_ok());
        }
        assert_eq!(k, kept);
        best_fm = best_fm.min(thread_cpu_seconds() - c0);
    }
    println!(
        "sftkit    : filter by filter (no word-cache reuse): thread CPU {:.4} s = {:.0} docs/s",
        best_fm,
        n / best_fm
    );

    let python = std::env::var("SFTKIT_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python).arg("-c").arg(PY).arg(&path).output();
    match out {
        Ok(o) if o.status.success() => {
            let s = String::from_utf8_lossy(&o.stdout);
            let mut it = s.split_whitespace();
            let secs: f64 = it.next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN);
            let cpu: f64 = it.next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN);
            let py_kept: usize = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
            println!(
                "datatrove : {} docs x 4 filters: wall {:.3} s = {:.1} docs/s; thread CPU {:.3} s = {:.1} docs/s; {} keeps",
                texts.len(),
                secs,
                n / secs,
                cpu,
                n / cpu,
                py_kept
            );
            println!("speed-up  : {:.0}x wall, {:.0}x CPU time (one thread each)", secs / best, cpu / best_cpu);
        }
        Ok(o) => eprintln!(
            "datatrove side skipped ({python} failed): {}",
            String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("")
        ),
        Err(e) => eprintln!("datatrove side skipped ({python}: {e})"),
    }
}
