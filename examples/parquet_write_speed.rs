//! Writer speed: `cargo run --release --example parquet_write_speed -- INPUT.jsonl OUT_DIR`.
//!
//! Times (1) parsing every line into a `Map` and (2) `ShardWriter` push + finish with default
//! options, and prints MB/s of JSON input bytes. Reference: `benches/pyarrow_write.py`.

use std::io::BufRead;
use std::time::Instant;

use serde_json::{Map, Value};
use sftkit::io::parquet::{ShardOptions, ShardWriter, read_parquet};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (src, out) = (&args[1], std::path::Path::new(&args[2]));
    std::fs::create_dir_all(out).unwrap();
    let size = std::fs::metadata(src).unwrap().len() as f64 / 1e6;
    let t0 = Instant::now();
    let rows: Vec<Map<String, Value>> = std::io::BufReader::new(std::fs::File::open(src).unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    let t1 = Instant::now();
    let mut w = ShardWriter::create(out, ShardOptions::default()).unwrap();
    for r in &rows {
        w.push(r).unwrap();
    }
    let report = w.finish().unwrap();
    let t2 = Instant::now();
    let out_mb: u64 = report.shards.iter().map(|s| s.bytes).sum();
    let (parse, write) = ((t1 - t0).as_secs_f64(), (t2 - t1).as_secs_f64());
    println!("rows={} json_mb={size:.1} out_mb={:.1} shards={}", rows.len(), out_mb as f64 / 1e6, report.shards.len());
    println!(
        "parse_s={parse:.2} write_s={write:.2} write_MBps={:.1} total_MBps={:.1}",
        size / write,
        size / (parse + write)
    );
    let t3 = Instant::now();
    let mut n = 0u64;
    for s in &report.shards {
        for r in read_parquet(&out.join(&s.file_name), 8192).unwrap() {
            r.unwrap();
            n += 1;
        }
    }
    let read = t3.elapsed().as_secs_f64();
    println!("read_rows={n} read_s={read:.2} read_MBps(json-equivalent)={:.1}", size / read);
}
