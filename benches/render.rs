//! Render throughput, whole process JSONL in -> JSONL out, one thread.
//!
//! `cargo bench --bench render -- TEMPLATES_DIR INPUT.jsonl OUTPUT.jsonl`
//!
//! For every `*.jinja` in TEMPLATES_DIR (compiled once, the reference's special tokens and
//! date 2026-01-15), reads INPUT.jsonl (rows with `messages`, optional `tools`, `documents`,
//! `add_generation_prompt`, `chat_template_kwargs`), renders each row, and writes the row plus
//! `text`, `generation_spans`, `template` (or `error`) to OUTPUT.jsonl. The Python side is
//! `benches/render_py.py` (Jinja2 in transformers' environment), same input and output.
//! Without arguments it uses ../shared/fixtures/chat and builds a 1000-row input from cases.json.

use serde_json::{Map, Value};
use sftkit::chat::conversation::{FieldNames, to_messages};
use sftkit::chat::strftime::Date;
use sftkit::chat::{ChatTemplate, SpecialTokens};
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (templates, input, output) = if args.len() >= 3 {
        (PathBuf::from(&args[0]), PathBuf::from(&args[1]), PathBuf::from(&args[2]))
    } else {
        let fx = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/chat");
        let input = std::env::temp_dir().join("sftkit_bench_in.jsonl");
        let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(fx.join("cases.json")).unwrap()).unwrap();
        let mut f = BufWriter::new(std::fs::File::create(&input).unwrap());
        for i in 0..1000 {
            writeln!(f, "{}", serde_json::to_string(&cases[i % cases.len()]).unwrap()).unwrap();
        }
        f.flush().unwrap();
        (fx.join("templates"), input, std::env::temp_dir().join("sftkit_bench_out.jsonl"))
    };
    let start = Instant::now();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&templates)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jinja"))
        .collect();
    names.sort();
    let date = Date::parse("2026-01-15").unwrap();
    let fields = FieldNames::default();
    let mut out = BufWriter::new(std::fs::File::create(&output).unwrap());
    let (mut renders, mut errors) = (0u64, 0u64);
    for path in &names {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let src = std::fs::read_to_string(path).unwrap();
        let tmpl = ChatTemplate::with_date(&src, SpecialTokens::reference_defaults(), date).unwrap();
        let reader = std::io::BufReader::new(std::fs::File::open(&input).unwrap());
        for line in reader.lines() {
            let line = line.unwrap();
            let mut row: Map<String, Value> = serde_json::from_str(&line).unwrap();
            let result = to_messages(&row, None, &fields).map_err(|e| e.to_string()).and_then(|(_, messages)| {
                tmpl.render(
                    &messages,
                    row.get("tools"),
                    row.get("documents"),
                    row.get("add_generation_prompt").and_then(Value::as_bool).unwrap_or(false),
                    row.get("chat_template_kwargs").and_then(Value::as_object),
                )
                .map_err(|e| e.to_string())
            });
            match result {
                Ok(r) => {
                    row.insert("text".into(), Value::String(r.text));
                    let spans: Vec<Value> = r.generation_spans.iter().map(|s| serde_json::json!(s)).collect();
                    row.insert("generation_spans".into(), Value::Array(spans));
                }
                Err(e) => {
                    errors += 1;
                    row.insert("error".into(), Value::String(e));
                }
            }
            row.insert("template".into(), Value::String(name.clone()));
            serde_json::to_writer(&mut out, &row).unwrap();
            out.write_all(b"\n").unwrap();
            renders += 1;
        }
    }
    out.flush().unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "rust minijinja: {renders} renders ({errors} errors) over {} templates in {secs:.3} s = {:.0} renders/s (1 thread)",
        names.len(),
        renders as f64 / secs
    );
}
