mod common;

use std::fs;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use arrow::datatypes::{DataType, Field};
use serde_json::{Map, Value, json};
use sftkit::io::IoError;
use sftkit::io::parquet::{ShardInfo, ShardOptions, ShardWriter, SingleFileWriter, WriteReport, read_parquet};
use sha2::{Digest, Sha256};

use common::{has_module, python, python_json};

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn write_shards(dir: &Path, rows: &[Value], opts: ShardOptions) -> WriteReport {
    let mut w = ShardWriter::create(dir, opts).unwrap();
    for r in rows {
        w.push(r.as_object().unwrap()).unwrap();
    }
    w.finish().unwrap()
}

fn read_all(path: &Path) -> Vec<Value> {
    read_parquet(path, 3).unwrap().map(|r| Value::Object(r.unwrap())).collect()
}

fn read_shards(dir: &Path, shards: &[ShardInfo]) -> Vec<Value> {
    shards.iter().flat_map(|s| read_all(&dir.join(&s.file_name))).collect()
}

/// Files in `dir`, sorted (hidden spool/partial files included, so leftovers are caught).
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn sha256_file(path: &Path) -> String {
    hex::encode(Sha256::digest(fs::read(path).unwrap()))
}

fn chat_rows() -> Vec<Value> {
    vec![
        json!({
            "id": 1,
            "text": "héllo wörld — 你好 🌍",
            "score": 0.5,
            "messages": [
                {"role": "system", "content": "Be brief.", "tool_calls": null},
                {"role": "user", "content": "What is 2+2? ünïcödé", "tool_calls": null},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "c1", "type": "function",
                     "function": {"name": "add", "arguments": "{\"a\":2,\"b\":2}"}}
                ]}
            ],
            "meta": {"source": "unit", "tags": ["a", "b"], "lang": null}
        }),
        json!({
            "id": 2,
            "text": "second\nrow\twith \"quotes\" and \\ backslash",
            "score": 3,
            "messages": [
                {"role": "user", "content": "", "tool_calls": []},
                {"role": "assistant", "content": "4", "tool_calls": null}
            ],
            "meta": {"source": "unit", "tags": [], "lang": "en"}
        }),
        json!({
            "id": 3,
            "text": null,
            "score": null,
            "messages": [],
            "meta": null
        }),
    ]
}

#[test]
fn round_trip_nested_exact() {
    let dir = tempfile::tempdir().unwrap();
    let rows = chat_rows();
    let report = write_shards(dir.path(), &rows, ShardOptions::default());
    assert_eq!(report.rows, 3);
    assert!(report.fallbacks.is_empty(), "{:?}", report.fallbacks);
    assert_eq!(report.shards.len(), 1);
    assert_eq!(report.shards[0].file_name, "train-00000-of-00001.parquet");
    assert_eq!(listing(dir.path()), vec!["train-00000-of-00001.parquet"]);
    // Every key is present in every row, so the read-back is exactly the input,
    // except `score: 3` which shares a column with 0.5 and so is a float (3.0).
    let mut expected = rows.clone();
    expected[1]["score"] = json!(3.0);
    let back = read_shards(dir.path(), &report.shards);
    assert_eq!(back, expected);
    assert_eq!(back[1]["score"].as_f64(), Some(3.0));
    assert!(back[0]["id"].is_i64());
    // Key order is kept.
    let keys: Vec<&String> = back[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "text", "score", "messages", "meta"]);
}

#[test]
fn round_trip_missing_keys_read_as_null_and_fallbacks_as_json_text() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        json!({"text": "a", "messages": [{"role": "user", "content": "hi"}], "extra": 1}),
        json!({"text": "b", "messages": [{"role": "user",
               "content": [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "u"}}]}],
               "extra": "one"}),
        json!({"messages": [{"role": "assistant", "content": "ok", "name": "bot"}]}),
    ];
    let report = write_shards(dir.path(), &rows, ShardOptions::default());
    let paths: Vec<&str> = report.fallbacks.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, vec!["messages[].content", "extra"]);
    let expected = vec![
        json!({"text": "a", "messages": [{"role": "user", "content": "\"hi\"", "name": null}], "extra": "1"}),
        json!({"text": "b", "messages": [{"role": "user",
               "content": "[{\"type\":\"text\",\"text\":\"look\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\"}}]",
               "name": null}], "extra": "\"one\""}),
        json!({"text": null, "messages": [{"role": "assistant", "content": "\"ok\"", "name": "bot"}], "extra": null}),
    ];
    assert_eq!(read_shards(dir.path(), &report.shards), expected);
    // The schema: text string, messages list<struct<role, content, name>> (all strings).
    let schema = &report.schema;
    assert_eq!(schema.field_with_name("text").unwrap().data_type(), &DataType::Utf8);
    let item =
        DataType::Struct(["role", "content", "name"].iter().map(|n| Field::new(*n, DataType::Utf8, true)).collect());
    assert_eq!(
        schema.field_with_name("messages").unwrap().data_type(),
        &DataType::List(Arc::new(Field::new("item", item, true)))
    );
}

#[test]
fn inferred_schema_int_float_null_and_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        json!({"a": 1, "b": 1, "c": null, "d": [1, 2], "e": {"x": 1}, "text": "t"}),
        json!({"a": 2, "b": 1.5, "c": null, "d": [3.5], "e": {"y": [true]}, "text": "u"}),
        json!({"a": null, "b": null, "c": null, "d": null, "e": {"x": "s"}, "text": null}),
    ];
    let report = write_shards(dir.path(), &rows, ShardOptions::default());
    let got: Vec<(String, DataType)> =
        report.schema.fields().iter().map(|f| (f.name().clone(), f.data_type().clone())).collect();
    let list = |t| DataType::List(Arc::new(Field::new("item", t, true)));
    let expected = vec![
        ("a".to_string(), DataType::Int64),
        ("b".to_string(), DataType::Float64),
        ("c".to_string(), DataType::Utf8),
        ("d".to_string(), list(DataType::Float64)),
        (
            "e".to_string(),
            DataType::Struct(
                vec![Field::new("x", DataType::Utf8, true), Field::new("y", list(DataType::Boolean), true)].into(),
            ),
        ),
        ("text".to_string(), DataType::Utf8),
    ];
    assert_eq!(got, expected);
    assert_eq!(report.fallbacks.len(), 1);
    assert_eq!(report.fallbacks[0].path, "e.x");
    assert_eq!(report.fallbacks[0].kinds, vec!["int", "string"]);
    let back = read_shards(dir.path(), &report.shards);
    assert_eq!(back[1], json!({"a": 2, "b": 1.5, "c": null, "d": [3.5], "e": {"x": null, "y": [true]}, "text": "u"}));
    assert_eq!(back[0]["d"], json!([1.0, 2.0]), "ints in a float list read back as floats");
    assert_eq!(back[2]["e"], json!({"x": "\"s\"", "y": null}));
}

fn numbered_rows(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({"i": i, "text": format!("row {i}")})).collect()
}

#[test]
fn shards_split_by_rows() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ShardOptions {
        split: "test".into(),
        max_rows_per_shard: Some(10),
        row_group_rows: 4,
        ..ShardOptions::default()
    };
    let report = write_shards(dir.path(), &numbered_rows(25), opts);
    let names: Vec<&str> = report.shards.iter().map(|s| s.file_name.as_str()).collect();
    assert_eq!(
        names,
        vec!["test-00000-of-00003.parquet", "test-00001-of-00003.parquet", "test-00002-of-00003.parquet"]
    );
    assert_eq!(report.shards.iter().map(|s| s.rows).collect::<Vec<_>>(), vec![10, 10, 5]);
    assert_eq!(listing(dir.path()), names, "no spool or partial left");
    for s in &report.shards {
        let path = dir.path().join(&s.file_name);
        assert_eq!(s.sha256, sha256_file(&path));
        assert_eq!(s.bytes, fs::metadata(&path).unwrap().len());
    }
    let back = read_shards(dir.path(), &report.shards);
    assert_eq!(back, numbered_rows(25));
    // Row groups of at most 4 rows: 10 rows -> 3 groups.
    let file = fs::File::open(dir.path().join(names[0])).unwrap();
    let meta =
        parquet::file::reader::FileReader::metadata(&parquet::file::reader::SerializedFileReader::new(file).unwrap())
            .clone();
    assert_eq!(meta.num_row_groups(), 3);
}

/// Deterministic incompressible-ish text (LCG letters), so byte sizes are predictable.
fn noisy_rows(n: usize, len: usize) -> Vec<Value> {
    let mut x: u64 = 12345;
    (0..n)
        .map(|i| {
            let text: String = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (b'a' + ((x >> 33) % 26) as u8) as char
                })
                .collect();
            json!({"i": i, "text": text})
        })
        .collect()
}

#[test]
fn shards_split_by_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let rows = noisy_rows(2000, 1000); // ~2 MB of JSON, ~1.2 MB compressed (26 letters ~4.7 bits)
    let opts = ShardOptions { max_shard_bytes: 300_000, row_group_rows: 100, ..ShardOptions::default() };
    let report = write_shards(dir.path(), &rows, opts);
    let count = report.shards.len();
    assert!((3..=8).contains(&count), "{count} shards");
    for (i, s) in report.shards.iter().enumerate() {
        assert_eq!(s.file_name, format!("train-{i:05}-of-{count:05}.parquet"));
        let path = dir.path().join(&s.file_name);
        assert_eq!(s.sha256, sha256_file(&path));
        assert_eq!(s.bytes, fs::metadata(&path).unwrap().len());
        assert!(s.bytes <= 360_000, "shard {i} is {} bytes", s.bytes);
        if i + 1 < count {
            assert!(s.bytes >= 150_000, "shard {i} is only {} bytes", s.bytes);
        }
    }
    assert_eq!(report.shards.iter().map(|s| s.rows).sum::<u64>(), 2000);
    assert_eq!(read_shards(dir.path(), &report.shards), rows);
}

#[test]
fn zero_rows_make_one_empty_shard() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_shards(dir.path(), &[], ShardOptions::default());
    assert_eq!(report.shards.len(), 1);
    assert_eq!(report.shards[0].file_name, "train-00000-of-00001.parquet");
    assert_eq!(report.shards[0].rows, 0);
    let path = dir.path().join("train-00000-of-00001.parquet");
    let rows = read_parquet(&path, 10).unwrap();
    assert_eq!(rows.total_rows(), 0);
    assert_eq!(rows.schema().fields().len(), 1);
    assert_eq!(rows.schema().field(0).name(), "text");
    assert_eq!(rows.schema().field(0).data_type(), &DataType::Utf8);
    assert_eq!(rows.count(), 0);
}

#[test]
fn single_file_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.parquet");
    let mut w = SingleFileWriter::create(&path, ShardOptions::default()).unwrap();
    for r in numbered_rows(7) {
        w.push(r.as_object().unwrap()).unwrap();
    }
    let report = w.finish().unwrap();
    assert_eq!(report.shards.len(), 1);
    assert_eq!(report.shards[0].file_name, "out.parquet");
    assert_eq!(report.shards[0].rows, 7);
    assert_eq!(report.shards[0].sha256, sha256_file(&path));
    assert_eq!(listing(dir.path()), vec!["out.parquet"]);
    assert_eq!(read_all(&path), numbered_rows(7));
}

#[test]
fn dropped_writer_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = ShardWriter::create(dir.path(), ShardOptions::default()).unwrap();
    w.push(&obj(json!({"text": "x"}))).unwrap();
    assert_eq!(listing(dir.path()).len(), 1, "spool exists while writing");
    drop(w);
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn bad_options_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    for opts in [
        ShardOptions { zstd_level: 40, ..ShardOptions::default() },
        ShardOptions { max_rows_per_shard: Some(0), ..ShardOptions::default() },
        ShardOptions { split: "a/b".into(), ..ShardOptions::default() },
    ] {
        assert!(matches!(ShardWriter::create(dir.path(), opts), Err(IoError::Format { .. })));
    }
    let opts: ShardOptions = serde_json::from_value(json!({"split": "validation"})).unwrap();
    assert_eq!(opts.split, "validation");
    assert_eq!(opts.zstd_level, 3);
    assert_eq!(opts.max_shard_bytes, 500_000_000);
}

fn written_file(dir: &Path) -> PathBuf {
    let report = write_shards(dir, &noisy_rows(300, 200), ShardOptions::default());
    dir.join(&report.shards[0].file_name)
}

#[test]
fn not_parquet_and_truncated_files_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.parquet");
    fs::write(&junk, b"{\"text\": \"this is JSON\"}\n").unwrap();
    let err = read_parquet(&junk, 10).err().expect("junk must fail");
    assert!(matches!(err, IoError::Parquet { .. }), "{err:?}");
    assert!(err.to_string().contains("junk.parquet"), "{err}");

    let good = written_file(dir.path());
    let bytes = fs::read(&good).unwrap();
    let cut = dir.path().join("cut.parquet");
    fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = read_parquet(&cut, 10).err().expect("truncated must fail");
    assert!(err.to_string().contains("cut.parquet"), "{err}");

    let missing = dir.path().join("missing.parquet");
    let err = read_parquet(&missing, 10).err().expect("missing must fail");
    assert!(matches!(err, IoError::Io { .. }));
    assert!(err.to_string().contains("missing.parquet"), "{err}");
}

#[test]
fn corrupt_data_pages_error_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = written_file(dir.path());
    let mut bytes = fs::read(&good).unwrap();
    // Keep the 4-byte magic and the footer; smash the column data in between.
    let len = bytes.len();
    for b in &mut bytes[8..len * 2 / 3] {
        *b = 0xA5;
    }
    let bad = dir.path().join("smashed.parquet");
    fs::write(&bad, &bytes).unwrap();
    let result: Result<Vec<_>, IoError> = match read_parquet(&bad, 50) {
        Ok(rows) => rows.collect(),
        Err(e) => Err(e),
    };
    let err = result.expect_err("smashed pages must fail");
    assert!(err.to_string().contains("smashed.parquet"), "{err}");
}

#[test]
fn reader_maps_arrow_types_to_json() {
    use arrow::array::{
        ArrayRef, BinaryArray, Date32Array, Float32Array, MapBuilder, RecordBatch, StringBuilder,
        TimestampMillisecondArray, UInt64Array,
    };
    use arrow::datatypes::Schema;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("types.parquet");
    let mut map = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
    map.keys().append_value("k");
    map.values().append_value("v");
    map.append(true).unwrap();
    map.append(false).unwrap();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Date32Array::from(vec![Some(19723), None])), // 2024-01-01
        Arc::new(TimestampMillisecondArray::from(vec![Some(1_704_067_200_123), None])),
        Arc::new(TimestampMillisecondArray::from(vec![Some(0), None]).with_timezone("+00:00")),
        Arc::new(BinaryArray::from(vec![Some(&b"\x00\xffA"[..]), None])),
        Arc::new(Float32Array::from(vec![Some(0.1), Some(f32::NAN)])),
        Arc::new(UInt64Array::from(vec![Some(u64::MAX), Some(7)])),
        Arc::new(map.finish()),
    ];
    let fields: Vec<Field> = ["date", "ts", "tstz", "bin", "f32", "u64", "map"]
        .iter()
        .zip(&cols)
        .map(|(n, c)| Field::new(*n, c.data_type().clone(), true))
        .collect();
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(fs::File::create(&path).unwrap(), batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let back = read_all(&path);
    assert_eq!(
        back,
        vec![
            json!({"date": "2024-01-01", "ts": "2024-01-01T00:00:00.123",
                   "tstz": "1970-01-01T00:00:00Z", "bin": "00ff41", "f32": 0.1,
                   "u64": 18446744073709551615u64, "map": {"k": "v"}}),
            json!({"date": null, "ts": null, "tstz": null, "bin": null, "f32": null,
                   "u64": 7, "map": null}),
        ]
    );
}

#[test]
fn dclm_fixture_round_trip() {
    let path = fixture_or_skip!("web/dclm-majority.jsonl");
    let rows: Vec<Value> = std::io::BufReader::new(fs::File::open(&path).unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert!(!rows.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let opts = ShardOptions { max_rows_per_shard: Some(rows.len().div_ceil(2) as u64), ..ShardOptions::default() };
    let report = write_shards(dir.path(), &rows, opts);
    assert_eq!(report.shards.len(), 2);
    assert_eq!(report.rows, rows.len() as u64);
    assert_eq!(report.schema.field_with_name("text").unwrap().data_type(), &DataType::Utf8);
    // Rows whose keys are all present in every row come back identical.
    let back = read_shards(dir.path(), &report.shards);
    assert_eq!(back.len(), rows.len());
    for (a, b) in rows.iter().zip(&back) {
        assert_eq!(a["text"], b["text"]);
    }
}

// ---- independent readers (pyarrow, polars) -------------------------------------------------

const PYARROW_CHECK: &str = r#"
import json, sys, hashlib
import pyarrow.parquet as pq
out = []
for path in sys.argv[1:]:
    t = pq.read_table(path)
    out.append({
        "rows": t.num_rows,
        "types": {f.name: str(f.type) for f in t.schema},
        "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
        "values": t.to_pylist(),
    })
print(json.dumps(out))
"#;

#[test]
fn pyarrow_reads_our_shards() {
    if !has_module("pyarrow", "SFTKIT_REQUIRE_PYARROW") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rows = chat_rows();
    let opts = ShardOptions { max_rows_per_shard: Some(2), ..ShardOptions::default() };
    let report = write_shards(dir.path(), &rows, opts);
    let paths: Vec<PathBuf> = report.shards.iter().map(|s| dir.path().join(&s.file_name)).collect();
    let got = python_json(PYARROW_CHECK, &paths);
    assert_eq!(got[0]["rows"], 2);
    assert_eq!(got[1]["rows"], 1);
    for (g, s) in got.as_array().unwrap().iter().zip(&report.shards) {
        assert_eq!(g["sha256"], s.sha256.as_str());
    }
    let types = &got[0]["types"];
    assert_eq!(types["text"], "string");
    assert_eq!(types["id"], "int64");
    assert_eq!(types["score"], "double");
    assert_eq!(
        types["messages"],
        "list<item: struct<role: string, content: string, tool_calls: list<item: struct<id: string, \
         type: string, function: struct<name: string, arguments: string>>>>>"
    );
    assert_eq!(types["meta"], "struct<source: string, tags: list<item: string>, lang: string>");
    let mut values: Vec<Value> = got[0]["values"].as_array().unwrap().clone();
    values.extend(got[1]["values"].as_array().unwrap().iter().cloned());
    let mut expected = rows;
    expected[1]["score"] = json!(3.0);
    assert_eq!(values, expected);
}

const POLARS_CHECK: &str = r#"
import json, sys
import polars as pl
df = pl.read_parquet(sys.argv[1:])
print(json.dumps({"rows": df.height, "text": df["text"].to_list(),
                  "roles": [[m["role"] for m in ms] for ms in df["messages"].to_list()],
                  "dtype": str(df.schema["messages"])}))
"#;

#[test]
fn polars_reads_our_shards() {
    if !has_module("polars", "SFTKIT_REQUIRE_POLARS") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rows = chat_rows();
    let opts = ShardOptions { max_rows_per_shard: Some(2), ..ShardOptions::default() };
    let report = write_shards(dir.path(), &rows, opts);
    let got = python_json(POLARS_CHECK, report.shards.iter().map(|s| dir.path().join(&s.file_name)));
    assert_eq!(got["rows"], 3);
    assert_eq!(got["text"], json!(["héllo wörld — 你好 🌍", "second\nrow\twith \"quotes\" and \\ backslash", null]));
    assert_eq!(got["roles"], json!([["system", "user", "assistant"], ["user", "assistant"], []]));
    assert!(got["dtype"].as_str().unwrap().starts_with("List(Struct("), "{}", got["dtype"]);
}

#[test]
fn we_read_pyarrow_written_files() {
    if !has_module("pyarrow", "SFTKIT_REQUIRE_PYARROW") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("py.parquet");
    let script = r#"
import sys, datetime, pyarrow as pa, pyarrow.parquet as pq
t = pa.Table.from_pylist([
  {"text": "a", "messages": [{"role": "user", "content": "hi"}], "n": 1, "f": 0.25,
   "d": datetime.date(2024, 1, 2), "ts": datetime.datetime(2024, 1, 2, 3, 4, 5),
   "b": b"\x01\x02", "big": pa.scalar(2**63, pa.uint64()).as_py()},
  {"text": None, "messages": None, "n": None, "f": None, "d": None, "ts": None, "b": None, "big": 5},
], schema=pa.schema([("text", pa.large_string()),
  ("messages", pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))),
  ("n", pa.int32()), ("f", pa.float64()), ("d", pa.date32()), ("ts", pa.timestamp("us")),
  ("b", pa.binary()), ("big", pa.uint64())]))
pq.write_table(t, sys.argv[1], compression="zstd")
"#;
    let status = Command::new(python()).arg("-c").arg(script).arg(&path).status().unwrap();
    assert!(status.success());
    assert_eq!(
        read_all(&path),
        vec![
            json!({"text": "a", "messages": [{"role": "user", "content": "hi"}], "n": 1,
                   "f": 0.25, "d": "2024-01-02", "ts": "2024-01-02T03:04:05", "b": "0102",
                   "big": 9223372036854775808u64}),
            json!({"text": null, "messages": null, "n": null, "f": null, "d": null, "ts": null,
                   "b": null, "big": 5}),
        ]
    );
}

const DATASETS_CHECK: &str = r#"
import json, sys, os
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
import datasets
ds = datasets.load_dataset("parquet", data_files={"train": sys.argv[1:]},
                           cache_dir=os.path.join(os.path.dirname(sys.argv[1]), "hf-cache"))
print(json.dumps({"rows": ds["train"].num_rows, "features": str(ds["train"].features),
                  "first": ds["train"][0]}))
"#;

/// `datasets` (the reason for the shard layout) loads our shards.
///
/// (A zero-row split cannot be loaded by `datasets` 5.2 whatever the file looks like: a file
/// with no row group gives "Instruction 'train' corresponds to no data", one with an empty row
/// group "BatchSize must be greater than 0". Our zero-row shard has no row group; pyarrow and
/// polars read it; see `zero_rows_shard_is_read_by_pyarrow`.)
#[test]
fn hf_datasets_loads_our_shards() {
    if !has_module("datasets", "SFTKIT_REQUIRE_DATASETS") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let opts = ShardOptions { max_rows_per_shard: Some(2), ..ShardOptions::default() };
    let full = write_shards(dir.path(), &chat_rows(), opts);
    let got = python_json(DATASETS_CHECK, full.shards.iter().map(|s| dir.path().join(&s.file_name)));
    assert_eq!(got["rows"], 3);
    assert_eq!(got["first"]["text"], "héllo wörld — 你好 🌍");
    assert_eq!(got["first"]["messages"][2]["tool_calls"][0]["function"]["name"], "add");
    assert!(got["features"].as_str().unwrap().contains("'text': Value('string')"), "{}", got["features"]);
}

#[test]
fn zero_rows_shard_is_read_by_pyarrow() {
    if !has_module("pyarrow", "SFTKIT_REQUIRE_PYARROW") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let report = write_shards(dir.path(), &[], ShardOptions::default());
    let got = python_json(PYARROW_CHECK, [dir.path().join(&report.shards[0].file_name)]);
    assert_eq!(got[0]["rows"], 0);
    assert_eq!(got[0]["types"], json!({"text": "string"}));
}
