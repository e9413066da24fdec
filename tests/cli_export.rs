//! `sftkit export`: reader/writer round trips, bad input in both `--on-error` modes, atomic
//! publication, thread-count determinism and rank partitioning. Runs the real binary.

mod common;
use common::{gzip, ok, read_jsonl, sftkit, write_jsonl};

use serde_json::{Value, json};
use std::path::PathBuf;

fn rows() -> Vec<Value> {
    vec![
        json!({"id": "a", "text": "Hello world.", "n": 1, "score": 0.5, "tags": ["x", "y"]}),
        json!({"id": "b", "text": "Ünïcödé — 日本語 🙂", "n": 2, "score": 1.0, "tags": []}),
        json!({"id": "c", "text": "line\nbreaks\ttabs \"quotes\"", "n": null, "score": 2.25, "tags": ["z"],
               "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}),
    ]
}

#[test]
fn jsonl_round_trips_through_every_compression() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_jsonl(&d.join("in.jsonl"), &rows());
    for ext in ["jsonl", "jsonl.gz", "jsonl.zst"] {
        let out = format!("out.{ext}");
        ok(&sftkit(&["export", "in.jsonl", "-o", &out, "-q"], d));
        assert_eq!(read_jsonl(&d.join(&out)), rows(), "{ext}");
        // ...and read back as input
        let back = format!("back-{ext}.jsonl");
        ok(&sftkit(&["export", &out, "-o", &back, "-q"], d));
        assert_eq!(read_jsonl(&d.join(&back)), rows(), "{ext} as input");
    }
}

#[test]
fn reads_multi_member_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let all = rows();
    let mut first = String::new();
    for r in &all[..2] {
        first += &format!("{}\n", serde_json::to_string(r).unwrap());
    }
    let second = format!("{}\n", serde_json::to_string(&all[2]).unwrap());
    let mut bytes = gzip(first.as_bytes());
    bytes.extend(gzip(second.as_bytes()));
    std::fs::write(d.join("multi.jsonl.gz"), bytes).unwrap();
    ok(&sftkit(&["export", "multi.jsonl.gz", "-o", "out.jsonl", "-q"], d));
    assert_eq!(read_jsonl(&d.join("out.jsonl")), all);
}

#[test]
fn folders_and_globs_expand_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("in/sub")).unwrap();
    let all = rows();
    write_jsonl(&d.join("in/b.jsonl"), &all[1..2]);
    write_jsonl(&d.join("in/a.jsonl"), &all[0..1]);
    write_jsonl(&d.join("in/sub/c.jsonl"), &all[2..3]);
    std::fs::write(d.join("in/notes.txt"), "not data").unwrap();
    ok(&sftkit(&["export", "in", "-o", "dir.jsonl", "-q"], d));
    assert_eq!(read_jsonl(&d.join("dir.jsonl")), all);
    ok(&sftkit(&["export", "in/*.jsonl", "-o", "glob.jsonl", "-q"], d));
    assert_eq!(read_jsonl(&d.join("glob.jsonl")), all[..2].to_vec());
}

/// Each bad-input case: (file name, file bytes, text expected in the error, line named).
fn bad_inputs() -> Vec<(&'static str, Vec<u8>, &'static str, &'static str)> {
    let good = "{\"id\": \"ok\", \"text\": \"fine\"}\n";
    let mut truncated = gzip(format!("{good}{good}{good}").as_bytes());
    truncated.truncate(truncated.len() - 12);
    let mut zst = zstd::encode_all(format!("{good}{good}").as_bytes(), 3).unwrap();
    let mid = zst.len() / 2;
    zst[mid] ^= 0xff;
    zst.truncate(zst.len() - 3);
    vec![
        (
            "malformed.jsonl",
            format!("{good}{{\"id\": \"x\", \"text\": }}\n{good}").into_bytes(),
            "malformed JSON",
            "malformed.jsonl:2",
        ),
        (
            "utf8.jsonl",
            [good.as_bytes(), b"{\"text\": \"caf\xe9\"}\n", good.as_bytes()].concat(),
            "invalid UTF-8",
            "utf8.jsonl:2",
        ),
        (
            "notobject.jsonl",
            format!("{good}[1, 2]\n{good}").into_bytes(),
            "expected a JSON object",
            "notobject.jsonl:2",
        ),
        ("truncated.jsonl.gz", truncated, "truncated.jsonl.gz", "truncated.jsonl.gz"),
        ("corrupt.jsonl.zst", zst, "corrupt.jsonl.zst", "corrupt.jsonl.zst"),
    ]
}

#[test]
fn bad_input_fails_the_run_and_publishes_nothing() {
    for (name, bytes, what, loc) in bad_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join(name), &bytes).unwrap();
        for out in ["shards", "out.jsonl", "one.parquet"] {
            let res = sftkit(&["export", name, "-o", out, "--rejected", "rej.jsonl", "-q"], d);
            let err = String::from_utf8_lossy(&res.stderr);
            assert_eq!(res.status.code(), Some(2), "{name} -> {out}: {err}");
            assert!(err.contains(what) && err.contains(loc), "{name}: error should name {loc} and say {what}: {err}");
            assert!(err.contains("nothing was published"), "{err}");
            let left: Vec<PathBuf> =
                std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()).filter(|p| !p.ends_with(name)).collect();
            assert!(left.is_empty(), "{name} -> {out}: a failed run left {left:?}");
        }
    }
}

#[test]
fn bad_input_skipped_goes_to_rejected_with_its_reason() {
    for (name, bytes, what, loc) in bad_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join(name), &bytes).unwrap();
        let res =
            sftkit(&["export", name, "-o", "out.jsonl", "--rejected", "rej.jsonl", "--on-error", "skip", "-q"], d);
        ok(&res);
        let kept = read_jsonl(&d.join("out.jsonl"));
        let rej = read_jsonl(&d.join("rej.jsonl"));
        assert!(!rej.is_empty(), "{name}: nothing rejected");
        for r in &rej {
            let info = &r["_rejected"];
            assert_eq!(info["stage"], "read", "{name}: {r}");
            let reason = info["reason"].as_str().unwrap();
            assert!(reason.contains(what), "{name}: {reason}");
            assert!(info["source"].as_str().unwrap().contains(loc.split(':').next().unwrap()), "{r}");
        }
        if name.ends_with(".jsonl") {
            // row-level errors: the readable rows are all kept, the raw line is preserved
            assert_eq!(kept.len(), 2, "{name}");
            assert_eq!(rej.len(), 1, "{name}");
            assert!(rej[0]["_raw"].is_string(), "{name}: {:?}", rej[0]);
            assert_eq!(rej[0]["_rejected"]["source"], loc, "{name}");
        }
        let summary = String::from_utf8_lossy(&res.stderr);
        let input = kept.len() + rej.len();
        assert!(summary.contains(&format!("{input} input rows")), "{summary}");
        assert!(summary.contains(&format!("{} kept, 0 dropped, {} errors", kept.len(), rej.len())), "{summary}");
    }
}

#[test]
fn ranks_partition_files_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("in")).unwrap();
    let mut all = Vec::new();
    for f in 0..7 {
        let rs: Vec<Value> = (0..3).map(|k| json!({"id": format!("f{f}-{k}"), "text": "t"})).collect();
        write_jsonl(&d.join(format!("in/part-{f}.jsonl")), &rs);
        all.extend(rs);
    }
    let w = 3;
    let mut got = Vec::new();
    for r in 0..w {
        ok(&sftkit(
            &["export", "in", "-o", "out.jsonl", "--rank", &r.to_string(), "--world-size", &w.to_string(), "-q"],
            d,
        ));
        got.extend(read_jsonl(&d.join(format!("out.r{r:05}.jsonl"))));
    }
    let mut ids: Vec<String> = got.iter().map(|v| v["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    let mut want: Vec<String> = all.iter().map(|v| v["id"].as_str().unwrap().to_string()).collect();
    want.sort();
    assert_eq!(ids, want);
    let bad = sftkit(&["export", "in", "-o", "x.jsonl", "--rank", "3", "--world-size", "3", "-q"], d);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn parquet_round_trips_through_shards_and_single_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_jsonl(&d.join("in.jsonl"), &rows());
    // a folder of shards, two rows per shard
    ok(&sftkit(&["export", "in.jsonl", "-o", "shards", "--max-rows-per-shard", "2", "-q"], d));
    let mut names: Vec<String> =
        std::fs::read_dir(d.join("shards")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["manifest.json", "train-00000-of-00002.parquet", "train-00001-of-00002.parquet"]);
    ok(&sftkit(&["export", "shards", "-o", "back.jsonl", "-q"], d));
    // nulls and missing keys read back as null; everything else as written
    let mut want = rows();
    for r in &mut want {
        let o = r.as_object_mut().unwrap();
        o.entry("messages").or_insert(Value::Null);
    }
    let back = read_jsonl(&d.join("back.jsonl"));
    assert_eq!(back.len(), want.len());
    for (b, w) in back.iter().zip(&want) {
        for (k, v) in w.as_object().unwrap() {
            assert_eq!(&b[k], v, "field {k}");
        }
    }
    // one .parquet file
    ok(&sftkit(&["export", "in.jsonl", "-o", "one.parquet", "-q"], d));
    assert_eq!(&std::fs::read(d.join("one.parquet")).unwrap()[..4], b"PAR1");
    ok(&sftkit(&["export", "one.parquet", "-o", "back1.jsonl", "-q"], d));
    assert_eq!(read_jsonl(&d.join("back1.jsonl")), back);
}

#[test]
fn zero_kept_rows_warn_that_datasets_cannot_load_the_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.jsonl"), "").unwrap();
    let out = sftkit(&["export", "empty.jsonl", "-o", "out"], dir.path());
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: no rows kept"), "stderr:\n{stderr}");
    // With rows, no warning.
    write_jsonl(&dir.path().join("rows.jsonl"), &rows());
    let out = sftkit(&["export", "rows.jsonl", "-o", "out2"], dir.path());
    ok(&out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning: no rows kept"));
}

#[test]
fn an_output_folder_inside_the_input_folder_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    write_jsonl(&dir.path().join("data/rows.jsonl"), &rows());
    // Rank 0 publishes its shard into data/out/ before rank 1 expands `data`: rank 1 must not
    // take rank 0's shard as its share of the input.
    for rank in ["0", "1"] {
        ok(&sftkit(&["export", "data", "-o", "data/out", "--rank", rank, "--world-size", "2"], dir.path()));
    }
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("data/out/manifest-r00001.json")).unwrap())
            .unwrap();
    assert_eq!(m["rows"]["input"], 0, "{m}");
    // Running the job again over the same folder reads the original file only, and says so.
    let out = sftkit(&["export", "data", "-o", "data/out"], dir.path());
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("3 input rows from 1 file(s)"), "stderr:\n{stderr}");
    assert!(stderr.contains("input file(s) that are this job's own output"), "stderr:\n{stderr}");
    // A different output is not excluded: data/out's shards are data for it.
    let out = sftkit(&["export", "data", "-o", "copy.jsonl"], dir.path());
    ok(&out);
    assert_eq!(read_jsonl(&dir.path().join("copy.jsonl")).len(), 6);
}
