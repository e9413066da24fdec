//! Criterion microbenchmarks of the hot paths, in-process and single-threaded:
//!
//! | group | what one iteration does | input |
//! |---|---|---|
//! | `filters` | one filter stage (and all four heuristic filters in turn) over every document | `web/dclm-majority.jsonl` (499 real pages) |
//! | `tokenizer` | spaCy-compatible word and sentence split of every document | same |
//! | `dedup` | text normalisation + MinHash band hashes of every document | same |
//! | `render` | one conversation rendered through a template | `chat/cases.json` x `qwen2_5`, `llama3_1`, `gemma3` |
//! | `lint` | every rule over every conversation | `lint/dev.jsonl` (651 GSM8K answers) |
//! | `parquet` | 20,000 web rows spooled, schema inferred, written as zstd shards | dclm-majority repeated |
//!
//! Run `cargo bench --bench hot_paths [-- FILTER]`; fixtures come from `../shared` (or
//! `SFTKIT_SHARED`) and a group whose fixture is missing is skipped with a printed reason.
//! Throughput is reported in bytes of text (or rows) per second. The side-by-side comparison with
//! datatrove, Jinja2 and pyarrow is `benches/compare.sh`.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Map, Value};
use sftkit::chat::conversation::{FieldNames, to_messages};
use sftkit::chat::strftime::Date;
use sftkit::chat::{ChatTemplate, SpecialTokens};
use sftkit::io::parquet::{ShardOptions, ShardWriter};
use sftkit::lint::{Guidelines, Linter};
use sftkit::record::{Record, Source, Verdict};
use sftkit::web::dedup::{DedupConfig, DocHasher};
use sftkit::web::tokenizer::EnglishTokenizer;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn shared() -> PathBuf {
    std::env::var_os("SFTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The rows of a JSONL fixture as records, or `None` (with the reason printed) when it is absent.
fn records(path: &Path) -> Option<Vec<Record>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {} not found", path.display());
        return None;
    };
    let file: Arc<str> = Arc::from(path.display().to_string());
    let rows = text
        .lines()
        .enumerate()
        .map(|(n, line)| {
            let fields: Map<String, Value> = serde_json::from_str(line).expect("fixture rows are JSON objects");
            Record { id: n.to_string(), source: Source { file: file.clone(), line: n as u64 + 1 }, fields }
        })
        .collect();
    Some(rows)
}

fn text_bytes(docs: &[Record]) -> u64 {
    docs.iter().map(|r| r.str_field("text").map_or(0, str::len) as u64).sum()
}

fn web(c: &mut Criterion) {
    let Some(docs) = records(&shared().join("fixtures/web/dclm-majority.jsonl")) else { return };
    let bytes = text_bytes(&docs);

    let mut group = c.benchmark_group("filters");
    group.throughput(Throughput::Bytes(bytes)).sample_size(20);
    const HEURISTIC: [&str; 4] = ["gopher_quality", "gopher_repetition", "c4_quality", "fineweb_quality"];
    for name in HEURISTIC.iter().chain(&["length", "pii"]) {
        let stage = sftkit::web::filters::build(name, None, "text").unwrap();
        // Every filter sees every document; `iter_batched` hands it fresh copies because c4_quality
        // and pii rewrite the text.
        group.bench_function(*name, |b| {
            b.iter_batched_ref(
                || docs.clone(),
                |docs| docs.iter_mut().map(|r| black_box(stage.process(r))).count(),
                BatchSize::LargeInput,
            )
        });
    }
    let four: Vec<_> = HEURISTIC.iter().map(|n| sftkit::web::filters::build(n, None, "text").unwrap()).collect();
    group.bench_function("four_heuristic", |b| {
        b.iter_batched_ref(
            || docs.clone(),
            |docs| {
                // As the pipeline runs them: a document stops at the first filter that drops it.
                docs.iter_mut().filter_map(|r| four.iter().all(|f| f.process(r) == Verdict::Keep).then_some(())).count()
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let texts: Vec<&str> = docs.iter().filter_map(|r| r.str_field("text")).collect();
    let tok = EnglishTokenizer::new();
    let mut group = c.benchmark_group("tokenizer");
    group.throughput(Throughput::Bytes(bytes)).sample_size(20);
    group.bench_function("words", |b| b.iter(|| texts.iter().map(|t| tok.words(t).len()).sum::<usize>()));
    group.bench_function("sentences", |b| b.iter(|| texts.iter().map(|t| tok.sentences(t).len()).sum::<usize>()));
    group.finish();

    let hasher = DocHasher::new(&DedupConfig::default()).unwrap();
    let mut group = c.benchmark_group("dedup");
    group.throughput(Throughput::Bytes(bytes)).sample_size(20);
    group.bench_function("minhash_signatures", |b| {
        b.iter(|| texts.iter().filter(|t| hasher.hash(t).bands.is_some()).count())
    });
    group.finish();

    // 20,000 rows of real pages (40 copies of the fixture): the spool, schema inference and zstd
    // shard writing of `export` / a pipeline's output.
    let rows: Vec<&Map<String, Value>> = docs.iter().map(|r| &r.fields).cycle().take(20_000).collect();
    let row_bytes: u64 = rows.iter().map(|r| r.get("text").and_then(Value::as_str).map_or(0, str::len) as u64).sum();
    let mut group = c.benchmark_group("parquet");
    group.throughput(Throughput::Bytes(row_bytes)).sample_size(10);
    group.bench_function("write_shards", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| {
                let mut w = ShardWriter::create(dir.path(), ShardOptions::default()).unwrap();
                for row in &rows {
                    w.push(row).unwrap();
                }
                black_box(w.finish().unwrap());
                dir
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn render(c: &mut Criterion) {
    let fixtures = shared().join("fixtures/chat");
    let Ok(cases) = std::fs::read_to_string(fixtures.join("cases.json")) else {
        eprintln!("skipping render: {} not found", fixtures.display());
        return;
    };
    let cases: Vec<Map<String, Value>> = serde_json::from_str(&cases).unwrap();
    let names = FieldNames::default();
    let conversations: Vec<_> =
        cases.iter().filter_map(|row| to_messages(row, None, &names).ok()).map(|m| m.1).collect();
    let date = Date::parse("2026-01-15").unwrap();
    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Elements(conversations.len() as u64));
    for name in ["qwen2_5", "llama3_1", "gemma3"] {
        let path = fixtures.join("templates").join(format!("{name}.jinja"));
        let Ok(source) = std::fs::read_to_string(&path) else {
            eprintln!("skipping render/{name}: {} not found", path.display());
            continue;
        };
        let template = ChatTemplate::with_date(&source, SpecialTokens::reference_defaults(), date).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| conversations.iter().filter(|m| template.render(m, None, None, false, None).is_ok()).count())
        });
    }
    group.finish();
}

fn lint(c: &mut Criterion) {
    let Some(rows) = records(&shared().join("fixtures/lint/dev.jsonl")) else { return };
    let linter = Linter::new(Guidelines::default()).unwrap();
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Elements(rows.len() as u64)).sample_size(20);
    group.bench_function("default_guidelines", |b| {
        b.iter(|| rows.iter().map(|r| linter.lint(r, Some("reference")).len()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, web, render, lint);
criterion_main!(benches);
