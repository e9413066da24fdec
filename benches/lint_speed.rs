//! Lint throughput on `fixtures/lint/dev.jsonl`, on a 2-thread rayon pool (issue 6 target:
//! >= 20,000 conversations/s). Run: `cargo bench --bench lint_speed`.

use sftkit::lint::{Guidelines, Linter};
use sftkit::record::{Record, Source};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// User+system CPU seconds of this process so far (Linux `/proc/self/stat`, 100 ticks/s), to
/// tell a slow linter from a starved one on a shared machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    let shared = std::env::var_os("SFTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = shared.join("fixtures/lint/dev.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let file: Arc<str> = Arc::from(path.display().to_string());
    let base: Vec<Record> = text
        .lines()
        .enumerate()
        .map(|(n, l)| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Record {
                id: v["id"].as_str().unwrap_or("").to_string(),
                source: Source { file: file.clone(), line: n as u64 + 1 },
                fields: v.as_object().unwrap().clone(),
            }
        })
        .collect();
    let threads: usize = std::env::var("LINT_BENCH_THREADS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let reps: usize = std::env::var("LINT_BENCH_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let records: Vec<Record> = (0..reps).flat_map(|_| base.iter().cloned()).collect();
    let mut guidelines = Guidelines::default();
    // LINT_BENCH_SELECT=R006 times one rule (or prefix) alone
    guidelines.apply_cli(std::env::var("LINT_BENCH_SELECT").ok().as_deref(), None);
    let linter = Linter::new(guidelines).unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    // warm-up (regex compilation, lazy statics)
    pool.install(|| linter.lint_all(&base, Some("reference")));
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let findings = pool.install(|| linter.lint_all(&records, Some("reference")));
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    println!(
        "lint: {} conversations in {secs:.3}s on {threads} threads = {:.0} conversations/s ({} findings)",
        records.len(),
        records.len() as f64 / secs,
        findings.len()
    );
    if let Some(c) = cpu.filter(|c| *c > 0.0) {
        println!(
            "      CPU time {c:.2}s ({:.0}% of {threads} threads): {:.0} conversations per CPU-second, \
             i.e. {:.0}/s on {threads} uncontended threads",
            100.0 * c / (secs * threads as f64),
            records.len() as f64 / c,
            records.len() as f64 / c * threads as f64
        );
    }
}
