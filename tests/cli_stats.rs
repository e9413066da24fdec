//! `sftkit stats`: statistics checked against hand-computed values and against independent Python
//! readers (pure Python for JSONL, pyarrow for Parquet shards), drop reasons against the manifests,
//! the JSON layout against the README's list of keys, and bad input (exit code 2, file named).
//!
//! Quantiles everywhere are linear interpolation (numpy's default), as `sftkit stats` documents:
//! for sorted values x of length n, q -> x[h] + (h - floor h) * (x[floor h + 1] - x[floor h]),
//! h = (n - 1) q.

mod common;

use common::{gzip, ok, project_copy, sftkit, write_jsonl};

use serde_json::{Value, json};
use std::path::Path;

/// `sftkit stats ARGS --format json`, parsed.
fn stats_json(args: &[&str], cwd: &Path) -> Value {
    let mut all = vec!["stats", "--format", "json"];
    all.extend_from_slice(args);
    let out = sftkit(&all, cwd);
    ok(&out);
    serde_json::from_slice(&out.stdout).expect("stats prints one JSON object")
}

/// Assert that two JSON numbers agree to 1e-9 (quantiles are floats).
fn close(got: &Value, want: f64, what: &str) {
    let g = got.as_f64().unwrap_or_else(|| panic!("{what}: not a number: {got}"));
    assert!((g - want).abs() < 1e-9, "{what}: got {g}, want {want}");
}

fn check_dist(d: &Value, want: [f64; 9], what: &str) {
    // count, min, p5, p25, p50, p75, p95, max, mean
    let keys = ["count", "min", "p5", "p25", "p50", "p75", "p95", "max", "mean"];
    for (k, w) in keys.iter().zip(want) {
        close(&d[k], w, &format!("{what}.{k}"));
    }
}

/// Five rows written by hand; every statistic below was computed on paper.
/// `(name, nulls)` of the report's columns, in its order.
fn column_nulls(v: &Value) -> Vec<(String, u64)> {
    v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["nulls"].as_u64().unwrap()))
        .collect()
}

fn hand_rows() -> Vec<Value> {
    vec![
        json!({"id": "a", "text": "one two three",
               "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"},
                            {"role": "assistant", "content": "x"}],
               "lint": [{"rule": "R001", "severity": "error", "message_index": 2, "message": "m"}]}),
        json!({"id": "b", "text": "héllo  wörld\tx\u{a0}y",
               "messages": [{"role": "user", "content": "u"}, {"role": "assistant", "content": "x"}],
               "lint": []}),
        json!({"id": "c", "text": null,
               "conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"},
                                 {"from": "human", "value": "q2"}, {"from": "gpt", "value": "a2"}],
               "lint": [{"rule": "R003", "severity": "warning", "message_index": 1, "message": "m"},
                        {"rule": "R001", "severity": "error", "message_index": 3, "message": "m"}]}),
        json!({"id": "d", "text": "", "score": 1.5}),
        json!({"id": "e", "text": "日本語 テキスト 🙂 ok"}),
    ]
}

/// The hand-computed statistics of [`hand_rows`].
fn check_hand_stats(v: &Value, what: &str) {
    assert_eq!(v["rows"], 5, "{what}");
    // text: a 13 chars / 3 words; b 16 / 4 (U+00A0 is whitespace to str.split); c null; d 0 / 0;
    // e 13 / 4 (the emoji is one code point).
    assert_eq!(v["text"]["column"], "text", "{what}");
    assert_eq!(v["text"]["rows"], 4, "{what}");
    // chars sorted 0 13 13 16, h = 3q: p5 0.15*13, p25 0.75*13, p50 13, p75 13+0.25*3, p95 13+0.85*3
    check_dist(&v["text"]["chars"], [4.0, 0.0, 1.95, 9.75, 13.0, 13.75, 15.55, 16.0, 10.5], what);
    // words sorted 0 3 4 4: p5 0.45, p25 2.25, p50 3.5, p75 4, p95 4; mean 11/4
    check_dist(&v["text"]["words"], [4.0, 0.0, 0.45, 2.25, 3.5, 4.0, 4.0, 4.0, 2.75], what);
    // turns 3 2 4 -> sorted 2 3 4, h = 2q
    check_dist(&v["chat"]["turns"], [3.0, 2.0, 2.1, 2.5, 3.0, 3.5, 3.9, 4.0, 3.0], what);
    assert_eq!(v["chat"]["roles"], json!({"assistant": 2, "gpt": 2, "human": 2, "system": 1, "user": 2}), "{what}");
    let nulls = column_nulls(v);
    let mut nulls_sorted = nulls.clone();
    nulls_sorted.sort();
    let want: Vec<(String, u64)> =
        [("conversations", 4), ("id", 0), ("lint", 2), ("messages", 3), ("score", 4), ("text", 1)]
            .iter()
            .map(|(n, c)| (n.to_string(), *c))
            .collect();
    assert_eq!(nulls_sorted, want, "{what}");
    let lint = &v["lint"];
    assert_eq!(lint["column"], "lint", "{what}");
    assert_eq!(lint["rows_with_findings"], 2, "{what}");
    assert_eq!(lint["findings"], 3, "{what}");
    assert_eq!(
        lint["by_rule"],
        json!({"R001": {"findings": 2, "severity": {"error": 2}}, "R003": {"findings": 1, "severity": {"warning": 1}}}),
        "{what}"
    );
    assert!(v["rejected"].is_null(), "{what}");
}

#[test]
fn hand_computed_stats_for_jsonl_compressed_and_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_jsonl(&d.join("hand.jsonl"), &hand_rows());
    let plain = std::fs::read(d.join("hand.jsonl")).unwrap();
    std::fs::write(d.join("hand.jsonl.gz"), gzip(&plain)).unwrap();
    std::fs::write(d.join("hand.jsonl.zst"), zstd::encode_all(&plain[..], 3).unwrap()).unwrap();
    for f in ["hand.jsonl", "hand.jsonl.gz", "hand.jsonl.zst"] {
        check_hand_stats(&stats_json(&[f], d), f);
    }
    // The same report for any thread count.
    let one = stats_json(&["hand.jsonl", "--threads", "1"], d);
    assert_eq!(one, stats_json(&["hand.jsonl", "--threads", "2"], d));
    check_hand_stats(&one, "--threads 1");
    // The same rows as a Parquet file, and as a folder of shards split three ways.
    ok(&sftkit(&["export", "hand.jsonl", "-o", "hand.parquet", "-q"], d));
    check_hand_stats(&stats_json(&["hand.parquet"], d), "hand.parquet");
    ok(&sftkit(&["export", "hand.jsonl", "-o", "shards", "--max-rows-per-shard", "2", "-q"], d));
    let v = stats_json(&["shards"], d);
    check_hand_stats(&v, "shards/");
    assert_eq!(v["files"].as_array().unwrap().len(), 3);
    assert_eq!(v["manifests"].as_array().unwrap().len(), 1);
    assert_eq!(v["jobs"][0]["job"], "export");
    assert_eq!(v["jobs"][0]["rows"], json!({"input": 5, "kept": 5, "dropped": 0, "errors": 0}));
    // The same rows spread over two JSONL files given as a glob.
    let rows = hand_rows();
    std::fs::create_dir(d.join("parts")).unwrap();
    write_jsonl(&d.join("parts/1.jsonl"), &rows[..2]);
    write_jsonl(&d.join("parts/2.jsonl"), &rows[2..]);
    check_hand_stats(&stats_json(&["parts/*.jsonl"], d), "glob");
}

#[test]
fn table_output_shows_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_jsonl(&d.join("hand.jsonl"), &hand_rows());
    let out = sftkit(&["stats", "hand.jsonl"], d);
    ok(&out);
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(t.starts_with("5 rows in 1 file\n"), "{t}");
    let line = |label: &str| -> Vec<String> {
        let l = t.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_else(|| panic!("{label}: {t}"));
        l.split_whitespace().map(str::to_string).collect()
    };
    assert_eq!(line("chars "), ["chars", "0", "1.95", "9.75", "13", "13.75", "15.55", "16", "10.5"], "{t}");
    assert_eq!(line("words "), ["words", "0", "0.45", "2.25", "3.5", "4", "4", "4", "2.75"], "{t}");
    assert_eq!(line("turns "), ["turns", "2", "2.1", "2.5", "3", "3.5", "3.9", "4", "3"], "{t}");
    assert_eq!(line("R001 "), ["R001", "2", "2", "0", "0", "0"], "{t}");
    assert!(t.contains("quantiles: linear interpolation"), "{t}");
}

/// Every key of the JSON report, as the README documents them.
#[test]
fn json_report_has_the_documented_keys() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_jsonl(&d.join("hand.jsonl"), &hand_rows());
    write_jsonl(
        &d.join("rej.jsonl"),
        &[json!({"text": "x", "_rejected": {"stage": "lint", "reason": "R001,R006", "source": "f:1"}})],
    );
    ok(&sftkit(&["export", "hand.jsonl", "-o", "shards", "-q"], d));
    let v = stats_json(&["shards", "rej.jsonl"], d);
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&v),
        [
            "chat",
            "columns",
            "files",
            "jobs",
            "lint",
            "manifests",
            "notes",
            "quantile_method",
            "rejected",
            "rows",
            "schema_version",
            "text"
        ]
    );
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["quantile_method"], "linear");
    let dist = ["count", "max", "mean", "min", "p25", "p5", "p50", "p75", "p95"];
    assert_eq!(keys(&v["text"]), ["chars", "column", "rows", "words"]);
    assert_eq!(keys(&v["text"]["chars"]), dist);
    assert_eq!(keys(&v["chat"]), ["columns", "roles", "turns"]);
    assert_eq!(keys(&v["chat"]["turns"]), dist);
    assert_eq!(keys(&v["columns"][0]), ["dtype", "name", "nulls"]);
    assert_eq!(keys(&v["lint"]), ["by_rule", "column", "dropped_by_rule", "findings", "rows_with_findings"]);
    assert_eq!(keys(&v["rejected"]), ["rows", "stages"]);
    assert_eq!(keys(&v["rejected"]["stages"][0]), ["dropped", "errors", "stage"]);
    assert_eq!(keys(&v["jobs"][0]), ["job", "manifests", "rows", "stages"]);
    assert_eq!(keys(&v["jobs"][0]["rows"]), ["dropped", "errors", "input", "kept"]);
    // lint drops come from the rejected rows here (the export manifest has no lint stage)
    assert_eq!(v["lint"]["dropped_by_rule"], json!({"R001": 1, "R006": 1}));
    // A folder of web text: no chat, no lint, no rejected -> null, not absent.
    write_jsonl(&d.join("web.jsonl"), &[json!({"text": "a b"})]);
    let w = stats_json(&["web.jsonl"], d);
    for k in ["chat", "lint", "rejected"] {
        assert!(w[k].is_null(), "{k}: {w}");
    }
    assert_eq!(w["jobs"], json!([]));
}

#[test]
fn rejected_rows_count_drops_and_errors_per_stage() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_jsonl(
        &d.join("rej.jsonl"),
        &[
            json!({"text": "a", "_rejected": {"stage": "language", "reason": "language", "language": "la", "source": "f:1"}}),
            json!({"text": "b", "_rejected": {"stage": "gopher_quality", "reason": "gopher_short_doc", "source": "f:2"}}),
            json!({"text": "c", "_rejected": {"stage": "language", "reason": "language", "source": "f:3"}}),
            json!({"_raw": "{bad", "_rejected": {"stage": "read", "reason": "malformed JSON: x", "error": true, "source": "f:4"}}),
            json!({"text": "d e", "_rejected": {"stage": "lint", "reason": "R001,R006", "source": "f:5",
                   "detail": [{"rule": "R001", "severity": "error"}]}}),
        ],
    );
    let v = stats_json(&["rej.jsonl"], d);
    assert_eq!(v["rows"], 5);
    assert_eq!(v["rejected"]["rows"], 5);
    assert_eq!(
        v["rejected"]["stages"],
        json!([
            {"stage": "language", "dropped": {"language": 2}, "errors": 0},
            {"stage": "gopher_quality", "dropped": {"gopher_short_doc": 1}, "errors": 0},
            {"stage": "read", "dropped": {}, "errors": 1},
            {"stage": "lint", "dropped": {"R001,R006": 1}, "errors": 0},
        ])
    );
    assert_eq!(v["lint"]["dropped_by_rule"], json!({"R001": 1, "R006": 1}));
    assert!(v["lint"]["column"].is_null());
    // text: a, b, c, "d e" -> chars 1 1 1 3, words 1 1 1 2; the _raw row has no text
    assert_eq!(v["text"]["rows"], 4);
    check_dist(&v["text"]["chars"], [4.0, 1.0, 1.0, 1.0, 1.0, 1.5, 2.7, 3.0, 1.5], "rejected chars");
}

// ---------------------------------------------------------------------------------------------
// Independent references: pure Python (json + str.split) and pyarrow.

/// Statistics computed by Python from JSON rows on stdin, one object per line, with its own
/// linear-interpolation quantiles. Prints the same layout as the relevant parts of the report.
const PY_STATS: &str = r#"
import sys, json

def quantiles(vals):
    vals = sorted(vals)
    n = len(vals)
    out = {"count": n}
    if n == 0:
        return out
    def q(p):
        h = (n - 1) * p
        lo = int(h)
        hi = min(lo + 1, n - 1)
        return vals[lo] + (h - lo) * (vals[hi] - vals[lo])
    out.update({"min": vals[0], "p5": q(0.05), "p25": q(0.25), "p50": q(0.5), "p75": q(0.75),
                "p95": q(0.95), "max": vals[-1], "mean": sum(vals) / n})
    return out

def stats(rows, text_col):
    cols = {}
    for r in rows:
        for k in r:
            cols.setdefault(k, 0)
    nulls = {k: sum(1 for r in rows if r.get(k) is None) for k in cols}
    texts = [r[text_col] for r in rows if isinstance(r.get(text_col), str)]
    turns, roles, rules, sev, lint_rows = [], {}, {}, {}, 0
    for r in rows:
        conv, key = (r.get("messages"), "role") if r.get("messages") is not None else (r.get("conversations"), "from")
        if conv is not None:
            turns.append(len(conv))
            for m in conv:
                role = m.get(key)
                roles[role] = roles.get(role, 0) + 1
        if r.get("messages") is not None and r.get("conversations") is not None:
            for m in r["conversations"]:
                roles[m.get("from")] = roles.get(m.get("from"), 0) + 1
        findings = r.get("lint") or []
        if findings:
            lint_rows += 1
        for f in findings:
            rules.setdefault(f["rule"], {"findings": 0, "severity": {}})
            rules[f["rule"]]["findings"] += 1
            s = rules[f["rule"]]["severity"]
            s[f["severity"]] = s.get(f["severity"], 0) + 1
    rejected = {}
    for r in rows:
        rej = r.get("_rejected")
        if rej is None:
            continue
        st = rejected.setdefault(rej["stage"], {"dropped": {}, "errors": 0})
        if rej.get("error"):
            st["errors"] += 1
        else:
            st["dropped"][rej["reason"]] = st["dropped"].get(rej["reason"], 0) + 1
    return {
        "rows": len(rows), "nulls": nulls,
        "chars": quantiles([len(t) for t in texts]),
        "words": quantiles([len(t.split()) for t in texts]),
        "turns": quantiles(turns), "roles": roles,
        "lint_rows": lint_rows, "by_rule": rules, "rejected": rejected,
    }
"#;

/// Read rows for [`PY_STATS`]: JSONL files (optionally gzip) in pure Python.
const PY_JSONL: &str = r#"
import gzip
def read(paths):
    rows = []
    for p in paths:
        op = gzip.open if p.endswith(".gz") else open
        with op(p, "rt", encoding="utf-8") as f:
            rows.extend(json.loads(l) for l in f if l.strip())
    return rows
print(json.dumps(stats(read(sys.argv[2:]), sys.argv[1])))
"#;

/// Read rows for [`PY_STATS`]: Parquet files with pyarrow.
const PY_PARQUET: &str = r#"
import pyarrow.parquet as pq, pyarrow as pa
def read(paths):
    return pa.concat_tables([pq.read_table(p) for p in paths], promote_options="default").to_pylist()
print(json.dumps(stats(read(sys.argv[2:]), sys.argv[1])))
"#;

/// Compare a stats report with the Python reference `py` (same rows).
fn compare_with_reference(v: &Value, py: &Value, what: &str) {
    assert_eq!(v["rows"], py["rows"], "{what}: rows");
    for c in v["columns"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        assert_eq!(c["nulls"], py["nulls"][name], "{what}: nulls of {name}");
    }
    assert_eq!(v["columns"].as_array().unwrap().len(), py["nulls"].as_object().unwrap().len(), "{what}: columns");
    for (k, d) in [("chars", &v["text"]["chars"]), ("words", &v["text"]["words"]), ("turns", &v["chat"]["turns"])] {
        let want = &py[k];
        if want["count"] == 0 && d.is_null() {
            continue;
        }
        assert_eq!(d["count"], want["count"], "{what}: {k}.count");
        for q in ["min", "p5", "p25", "p50", "p75", "p95", "max", "mean"] {
            if want["count"] != 0 {
                close(&d[q], want[q].as_f64().unwrap(), &format!("{what}: {k}.{q}"));
            }
        }
    }
    if !v["chat"].is_null() {
        assert_eq!(v["chat"]["roles"], py["roles"], "{what}: roles");
    }
    if !v["lint"].is_null() && !v["lint"]["column"].is_null() {
        assert_eq!(v["lint"]["rows_with_findings"], py["lint_rows"], "{what}: lint rows");
        assert_eq!(v["lint"]["by_rule"], py["by_rule"], "{what}: lint by rule");
    }
    let mut rej = serde_json::Map::new();
    for s in v["rejected"]["stages"].as_array().into_iter().flatten() {
        rej.insert(s["stage"].as_str().unwrap().to_string(), json!({"dropped": s["dropped"], "errors": s["errors"]}));
    }
    assert_eq!(Value::Object(rej), py["rejected"], "{what}: rejected");
}

fn py_jsonl(text_col: &str, files: &[&Path]) -> Value {
    let script = format!("{PY_STATS}{PY_JSONL}");
    let mut args: Vec<std::ffi::OsString> = vec![text_col.into()];
    args.extend(files.iter().map(|p| p.as_os_str().to_owned()));
    common::python_json(&script, args)
}

fn py_parquet(text_col: &str, files: &[&Path]) -> Value {
    let script = format!("{PY_STATS}{PY_PARQUET}");
    let mut args: Vec<std::ffi::OsString> = vec![text_col.into()];
    args.extend(files.iter().map(|p| p.as_os_str().to_owned()));
    common::python_json(&script, args)
}

fn manifest(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Drops per stage in the stats report's `jobs` equal the manifest's own numbers.
fn check_jobs_against_manifest(v: &Value, m: &Value, what: &str) {
    let job = v["jobs"].as_array().unwrap().iter().find(|j| j["job"] == m["job"]).expect("job in report");
    assert_eq!(job["rows"], m["rows"], "{what}: rows");
    let stages = m["stages"].as_array().unwrap();
    assert_eq!(job["stages"].as_array().unwrap().len(), stages.len(), "{what}");
    for (got, want) in job["stages"].as_array().unwrap().iter().zip(stages) {
        for k in ["stage", "in", "kept", "dropped", "errors"] {
            assert_eq!(got[k], want[k], "{what}: stage {} {k}", want["stage"]);
        }
    }
}

#[test]
fn bundled_run_matches_pyarrow_and_the_manifests() {
    if !common::has_module("pyarrow", "SFTKIT_REQUIRE_PYARROW") {
        return;
    }
    let proj = project_copy();
    let d = proj.path();
    ok(&sftkit(&["run", "--quiet"], d));
    for job in ["web", "chat"] {
        let folder = d.join("out").join(job);
        let v = stats_json(&[folder.to_str().unwrap()], d);
        let shards: Vec<std::path::PathBuf> =
            v["files"].as_array().unwrap().iter().map(|f| d.join(f.as_str().unwrap())).collect();
        let refs: Vec<&Path> = shards.iter().map(|p| p.as_path()).collect();
        let py = py_parquet("text", &refs);
        compare_with_reference(&v, &py, job);
        check_jobs_against_manifest(&v, &manifest(&folder.join("manifest.json")), job);
        // the rejected rows of the same job, read by pure Python
        let rej = d.join("out").join(format!("{job}-rejected.jsonl"));
        let v = stats_json(&[rej.to_str().unwrap()], d);
        compare_with_reference(&v, &py_jsonl("text", &[&rej]), &format!("{job}-rejected"));
        // every drop the manifest counts is one rejected row with that stage and reason
        let m = manifest(&folder.join("manifest.json"));
        for st in m["stages"].as_array().unwrap() {
            let dropped = st["dropped"].as_object().unwrap();
            let got = v["rejected"]["stages"].as_array().unwrap().iter().find(|s| s["stage"] == st["stage"]);
            match got {
                Some(s) => assert_eq!(s["dropped"].as_object().unwrap(), dropped, "{job}: {}", st["stage"]),
                None => assert!(dropped.is_empty(), "{job}: {}", st["stage"]),
            }
        }
    }
    // The chat job has lint annotations and both conversation formats.
    let v = stats_json(&["out/chat"], d);
    assert_eq!(v["chat"]["columns"], json!(["messages", "conversations"]));
    assert!(v["lint"]["findings"].as_u64().unwrap() > 0, "{v}");
}

#[test]
fn shared_web_fixtures_match_pure_python() {
    let web = fixture_or_skip!("web");
    if !common::has_module("json", "SFTKIT_REQUIRE_PYARROW") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dclm = web.join("dclm-majority.jsonl");
    let v = stats_json(&[dclm.to_str().unwrap()], dir.path());
    compare_with_reference(&v, &py_jsonl("text", &[&dclm]), "dclm-majority.jsonl");
    assert_eq!(v["rows"], 499);
    // CCNet documents with nested metadata, two gzip files read by polars.
    let cc: Vec<std::path::PathBuf> =
        ["cc_en_head-0091.jsonl.gz", "cc_en_head-0174.jsonl.gz"].iter().map(|f| web.join(f)).collect();
    let v = stats_json(&[cc[0].to_str().unwrap(), cc[1].to_str().unwrap()], dir.path());
    assert_eq!(v["rows"], 20);
    let refs: Vec<&Path> = cc.iter().map(|p| p.as_path()).collect();
    compare_with_reference(&v, &py_jsonl("text", &refs), "cc_en_head");
    // --text-column picks another string column: the ids (URLs) here.
    let v = stats_json(&[cc[0].to_str().unwrap(), "--text-column", "id"], dir.path());
    assert_eq!(v["text"]["column"], "id");
    compare_with_reference(&v, &py_jsonl("id", &refs[..1]), "cc_en_head ids");
}

#[test]
fn lint_drop_pipeline_matches_pyarrow_and_the_manifest() {
    let dev = fixture_or_skip!("lint/dev.jsonl");
    if !common::has_module("pyarrow", "SFTKIT_REQUIRE_PYARROW") {
        return;
    }
    let proj = project_copy();
    let d = proj.path();
    let pipeline = format!(
        r#"
[[job]]
name = "lintdrop"
inputs = [{dev:?}]
output = "out/lint"
rejected = "out/lint-rejected.jsonl"

[[job.stage]]
type = "render"
template = "chatml"
date = "2026-01-15"

[[job.stage]]
type = "lint"
mode = "drop"
reference_field = "reference"
"#,
        dev = dev.to_str().unwrap()
    );
    std::fs::write(d.join("lint.toml"), pipeline).unwrap();
    ok(&sftkit(&["run", "lint.toml", "--quiet"], d));
    let v = stats_json(&["out/lint"], d);
    let shards: Vec<std::path::PathBuf> =
        v["files"].as_array().unwrap().iter().map(|f| d.join(f.as_str().unwrap())).collect();
    let refs: Vec<&Path> = shards.iter().map(|p| p.as_path()).collect();
    compare_with_reference(&v, &py_parquet("text", &refs), "lint shards");
    let m = manifest(&d.join("out/lint/manifest.json"));
    check_jobs_against_manifest(&v, &m, "lint");
    // dropped_by_rule: every code of every lint drop reason in the manifest, counted by Python
    // from the rejected rows.
    let rej = d.join("out/lint-rejected.jsonl");
    let script = r#"
import sys, json
out = {}
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)["_rejected"]
    if r["stage"] == "lint":
        for code in r["reason"].split(","):
            out[code] = out.get(code, 0) + 1
print(json.dumps(out))
"#;
    let want = common::python_json(script, [&rej]);
    assert!(!want.as_object().unwrap().is_empty(), "the dev set has lint errors");
    assert_eq!(v["lint"]["dropped_by_rule"], want);
    let with_rej = stats_json(&["out/lint", "out/lint-rejected.jsonl"], d);
    assert_eq!(with_rej["lint"]["dropped_by_rule"], want, "manifest counts are not doubled by the rejected file");
}

// ---------------------------------------------------------------------------------------------
// Bad input: exit code 2 and an error naming the file (and line).

fn fails_naming(args: &[&str], cwd: &Path, wants: &[&str]) {
    let out = sftkit(args, cwd);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    for w in wants {
        assert!(err.contains(w), "{args:?}: error should contain {w:?}: {err}");
    }
    assert!(out.stdout.is_empty(), "{args:?}: printed a report despite the error");
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = "{\"id\": \"ok\", \"text\": \"fine\"}\n";
    fails_naming(&["stats", "missing.jsonl"], d, &["missing.jsonl", "no such file"]);

    std::fs::write(d.join("malformed.jsonl"), format!("{good}{{\"id\": \"x\", \"text\": }}\n{good}")).unwrap();
    fails_naming(&["stats", "malformed.jsonl"], d, &["malformed.jsonl:2", "malformed JSON"]);

    std::fs::write(d.join("notobject.jsonl"), format!("{good}[1, 2]\n{good}")).unwrap();
    fails_naming(&["stats", "notobject.jsonl"], d, &["notobject.jsonl:2", "expected a JSON object"]);

    let mut truncated = gzip(format!("{good}{good}{good}").as_bytes());
    truncated.truncate(truncated.len() - 12);
    std::fs::write(d.join("truncated.jsonl.gz"), truncated).unwrap();
    fails_naming(&["stats", "truncated.jsonl.gz"], d, &["truncated.jsonl.gz"]);

    std::fs::write(d.join("garbage.parquet"), b"PAR1 this is not parquet at all PAR1").unwrap();
    fails_naming(&["stats", "garbage.parquet"], d, &["garbage.parquet"]);

    // A real Parquet file cut short.
    std::fs::write(d.join("good.jsonl"), good.repeat(50)).unwrap();
    ok(&sftkit(&["export", "good.jsonl", "-o", "good.parquet", "-q"], d));
    let bytes = std::fs::read(d.join("good.parquet")).unwrap();
    std::fs::write(d.join("cut.parquet"), &bytes[..bytes.len() / 2]).unwrap();
    fails_naming(&["stats", "cut.parquet"], d, &["cut.parquet"]);

    // WARC/WET archives are read by the pipeline commands, not by stats: a clear refusal.
    std::fs::write(d.join("crawl.warc"), b"WARC/1.0\r\n").unwrap();
    fails_naming(&["stats", "crawl.warc"], d, &["crawl.warc", "export WARC/WET"]);

    // A good file beside a bad one: still an error, naming the bad one.
    fails_naming(&["stats", "good.jsonl", "malformed.jsonl"], d, &["malformed.jsonl:2"]);

    std::fs::create_dir(d.join("shards")).unwrap();
    std::fs::copy(d.join("good.parquet"), d.join("shards/train-00000-of-00001.parquet")).unwrap();
    std::fs::write(d.join("shards/manifest.json"), "{\n  \"job\": \"x\",\n  oops\n}\n").unwrap();
    fails_naming(&["stats", "shards"], d, &["manifest.json", "line 3"]);

    fails_naming(&["stats", "good.jsonl", "--text-column", "body"], d, &["--text-column", "body"]);
    std::fs::write(d.join("numtext.jsonl"), "{\"text\": 5}\n").unwrap();
    fails_naming(&["stats", "numtext.jsonl", "--text-column", "text"], d, &["numtext.jsonl", "text"]);
}

#[test]
fn empty_files_glob_characters_and_mixed_types() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // An empty JSONL file (and one of blank lines) is 0 rows, beside a real one.
    std::fs::write(d.join("empty.jsonl"), "").unwrap();
    std::fs::write(d.join("blank.jsonl"), "\n\n").unwrap();
    write_jsonl(&d.join("one.jsonl"), &[json!({"text": "a b c"})]);
    let v = stats_json(&["empty.jsonl", "blank.jsonl", "one.jsonl"], d);
    assert_eq!(v["rows"], 1);
    check_dist(&v["text"]["words"], [1.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0], "one row");
    let v = stats_json(&["empty.jsonl"], d);
    assert_eq!((v["rows"].clone(), v["text"].clone()), (json!(0), Value::Null));
    // A file name with glob characters is a file name (polars would expand it as a pattern).
    std::fs::write(d.join("we[i]rd*.jsonl"), "{\"text\": \"x\"}\n").unwrap();
    assert_eq!(stats_json(&["we[i]rd*.jsonl"], d)["rows"], 1);
    ok(&sftkit(&["export", "one.jsonl", "-o", "we[i]rd.parquet", "-q"], d));
    assert_eq!(stats_json(&["we[i]rd.parquet"], d)["rows"], 1);
    // A field whose type changes after the first row (and first appears late) is still counted.
    let mut rows: Vec<Value> = (0..150).map(|i| json!({"text": "t", "x": i})).collect();
    rows.push(json!({"text": "t", "x": "str", "late": {"a": 1}}));
    write_jsonl(&d.join("drift.jsonl"), &rows);
    let v = stats_json(&["drift.jsonl"], d);
    assert_eq!(v["rows"], 151);
    let cols = column_nulls(&v);
    assert_eq!(cols, [("text".to_string(), 0), ("x".to_string(), 0), ("late".to_string(), 150)]);
}
