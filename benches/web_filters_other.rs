//! Single-thread throughput of the `language`, `url`, `length` and `pii` filters on the 499
//! documents of `../shared/fixtures/web/dclm-majority.jsonl` (run: `cargo bench --bench
//! web_filters_other`). dclm-majority has no URLs: the `url` filter gets the 20 real URLs of the
//! CCNet fixtures in turn, and small inline lists (`SFTKIT_URL_LISTS=<dir>` with datatrove's
//! extracted `domains`, `urls`, `banned_words.txt`, `soft_banned_words.txt`,
//! `banned_subwords.txt` uses those instead).

use serde_json::Value;
use sftkit::record::{Record, Source};
use sftkit::web::filters::build as build_other;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let shared = std::env::var_os("SFTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let web = shared.join("fixtures/web");
    let Ok(file) = std::fs::File::open(web.join("dclm-majority.jsonl")) else {
        eprintln!("skipping: {} not found", web.display());
        return;
    };
    let urls: Vec<String> = ["cc_en_head-0091.jsonl.gz", "cc_en_head-0174.jsonl.gz"]
        .iter()
        .flat_map(|name| {
            let f = std::fs::File::open(web.join(name)).expect("CCNet fixture");
            BufReader::new(flate2::read::GzDecoder::new(f))
                .lines()
                .map(|l| {
                    let v: Value = serde_json::from_str(&l.unwrap()).unwrap();
                    v["metadata"]["url"].as_str().unwrap().to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let records: Vec<Record> = BufReader::new(file)
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let Value::Object(mut fields) = serde_json::from_str(&l.unwrap()).unwrap() else { panic!("not an object") };
            fields.insert("url".into(), urls[i % urls.len()].clone().into());
            Record { id: i.to_string(), source: Source { file: Arc::from("dclm"), line: i as u64 + 1 }, fields }
        })
        .collect();
    let bytes: usize = records.iter().map(|r| r.str_field("text").unwrap().len()).sum();
    println!("{} documents, {:.1} MB of text", records.len(), bytes as f64 / 1e6);

    let url_config = match std::env::var("SFTKIT_URL_LISTS") {
        Ok(dir) => format!(
            "domains_files = [{d:?}]\nurls_files = [{u:?}]\nbanned_words_files = [{b:?}]\n\
             soft_banned_words_files = [{s:?}]\nbanned_subwords_files = [{w:?}]",
            d = format!("{dir}/domains"),
            u = format!("{dir}/urls"),
            b = format!("{dir}/banned_words.txt"),
            s = format!("{dir}/soft_banned_words.txt"),
            w = format!("{dir}/banned_subwords.txt"),
        ),
        Err(_) => "domains = [\"example.com\", \"bad.example.org\"]\nurls = [\"http://x.com/a\"]\n\
                   banned_words = [\"casino\", \"poker\"]\nsoft_banned_words = [\"hot\", \"free\", \"live\"]\n\
                   banned_subwords = [\"xxx\", \"viagra\"]"
            .to_string(),
    };
    let configs = [
        ("language", String::new()),
        ("url", url_config),
        ("length", "min_chars = 200\nmax_chars = 100000\nmin_words = 50\nmax_words = 100000".to_string()),
        ("pii", String::new()),
    ];
    // Baseline: the per-document record clone that every measurement below includes.
    let t = Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        for rec in &records {
            std::hint::black_box(rec.clone());
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!("   clone: {:>10.0} docs/s  (baseline included in every row)", (rounds * records.len()) as f64 / secs);
    for (name, config) in configs {
        let value: toml::Value = toml::from_str(&config).unwrap();
        let t = Instant::now();
        let stage = build_other(name, Some(&value), "text").unwrap();
        let build = t.elapsed().as_secs_f64();
        let rounds = 20;
        let mut kept = 0;
        let t = Instant::now();
        for _ in 0..rounds {
            for rec in &records {
                let mut rec = rec.clone();
                kept += usize::from(stage.process(&mut rec) == sftkit::record::Verdict::Keep);
            }
        }
        let secs = t.elapsed().as_secs_f64();
        let docs = (rounds * records.len()) as f64;
        println!(
            "{name:>8}: {:>10.0} docs/s  {:>7.1} MB/s  (kept {}/{}, build {:.3}s, {} docs in {:.3}s)",
            docs / secs,
            (rounds * bytes) as f64 / 1e6 / secs,
            kept / rounds,
            records.len(),
            build,
            docs,
            secs
        );
    }
}
