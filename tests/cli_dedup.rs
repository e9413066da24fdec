//! `sftkit dedup` end to end: the staged run (signatures per rank -> cluster -> apply per rank)
//! removes exactly the rows the single-process run removes, with the same `_removed` details.

mod common;
use common::{ok, read_jsonl, sftkit};

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// Hand-made corpus: distinct paragraphs of pseudo-random words, exact copies (differing in case
/// and punctuation only, which normalisation removes) and near copies (one word of 80 changed).
fn corpus(dir: &Path) {
    // Words spelled from letters (digits would all normalise to 0).
    let word = |n: u64| -> String {
        let mut n = n % 2000;
        let mut w = String::from("z");
        for _ in 0..3 {
            w.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
        }
        w
    };
    let para = |seed: u64| -> Vec<String> {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (0..80)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                word(x >> 33)
            })
            .collect()
    };
    let text = |w: &[String]| w.join(" ");
    let mut files: Vec<Vec<Value>> = vec![Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    for d in 0..12u64 {
        files[(d % 4) as usize].push(json!({"id": format!("orig-{d}"), "text": text(&para(d))}));
    }
    // exact copies of 1 and 6 (in later files)
    files[3].push(json!({"id": "exact-1", "text": text(&para(1)).to_uppercase() + "!!"}));
    files[2].push(json!({"id": "exact-6", "text": format!("{}.", text(&para(6)).replace(' ', ", "))}));
    // near copies of 3 and 8: one word replaced
    let near = |mut w: Vec<String>| {
        w[40] = "meadow".into();
        text(&w)
    };
    files[3].push(json!({"id": "near-3", "text": near(para(3))}));
    files[1].push(json!({"id": "near-8", "text": near(para(8))}));
    for (i, rows) in files.iter().enumerate() {
        let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(dir.join(format!("in/part-{i}.jsonl")), text).unwrap();
    }
}

fn removed_map(rows: &[Value]) -> BTreeMap<String, Value> {
    rows.iter().map(|r| (r["id"].as_str().unwrap().to_string(), r["_removed"].clone())).collect()
}

#[test]
fn staged_dedup_equals_single_process() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("in")).unwrap();
    corpus(d);
    ok(&sftkit(&["dedup", "in", "-o", "single.jsonl", "--removed", "single-removed.jsonl", "-q"], d));
    let single = removed_map(&read_jsonl(&d.join("single-removed.jsonl")));
    let ids: Vec<&str> = single.keys().map(String::as_str).collect();
    assert_eq!(ids, ["exact-1", "exact-6", "near-3", "near-8"], "{single:?}");
    assert_eq!(single["exact-1"], json!({"method": "exact", "duplicate_of": "orig-1"}));
    assert_eq!(single["exact-6"], json!({"method": "exact", "duplicate_of": "orig-6"}));
    assert_eq!(single["near-3"], json!({"method": "minhash", "duplicate_of": "orig-3"}));
    assert_eq!(single["near-8"], json!({"method": "minhash", "duplicate_of": "orig-8"}));

    let w = 3;
    for r in 0..w {
        let (r, w) = (r.to_string(), w.to_string());
        ok(&sftkit(&["dedup", "in", "--stage", "signatures", "-o", "sigs", "--rank", &r, "--world-size", &w, "-q"], d));
    }
    ok(&sftkit(&["dedup", "sigs", "--stage", "cluster", "-o", "removals.jsonl", "-q"], d));
    let mut staged_removed = Vec::new();
    let mut kept = 0;
    for r in 0..w {
        let (rs, ws) = (r.to_string(), w.to_string());
        ok(&sftkit(
            &[
                "dedup",
                "in",
                "--stage",
                "apply",
                "--removals",
                "removals.jsonl",
                "-o",
                "staged.jsonl",
                "--removed",
                "removed.jsonl",
                "--rank",
                &rs,
                "--world-size",
                &ws,
                "-q",
            ],
            d,
        ));
        staged_removed.extend(read_jsonl(&d.join(format!("removed.r{r:05}.jsonl"))));
        kept += read_jsonl(&d.join(format!("staged.r{r:05}.jsonl"))).len();
    }
    assert_eq!(removed_map(&staged_removed), single);
    assert_eq!(kept, read_jsonl(&d.join("single.jsonl")).len());

    // A truncated signature file is an error naming it.
    let sig = d.join("sigs/signatures-r00001.sig");
    let bytes = std::fs::read(&sig).unwrap();
    std::fs::write(&sig, &bytes[..bytes.len() - 9]).unwrap();
    let out = sftkit(&["dedup", "sigs", "--stage", "cluster", "-o", "removals2.jsonl", "-q"], d);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("signatures-r00001.sig"), "{err}");
    assert!(!d.join("removals2.jsonl").exists());
}
