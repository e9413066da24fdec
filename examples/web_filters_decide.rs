//! Writes, for every document of a JSONL file (field "text"), the decisions of the four web
//! filters in the format of `shared/fixtures/web/datatrove_reference.py` (ids = line numbers), or
//! with `--words` the word and sentence lists in the format of `datatrove_words.py`, so that any
//! text can be compared with datatrove (`tools/compare_datatrove.py`).
//!
//! Usage: cargo run --release --example web_filters_decide -- [--words | --c4-sentences] IN.jsonl OUT.jsonl

use serde_json::{Value, json};
use sftkit::web::filters::{
    c4_quality::{C4Quality, C4QualityConfig},
    fineweb_quality::{FineWebQuality, FineWebQualityConfig},
    gopher_quality::{GopherQuality, GopherQualityConfig},
    gopher_repetition::{GopherRepetition, GopherRepetitionConfig},
};
use sftkit::web::tokenizer::EnglishTokenizer;
use std::io::{BufRead, BufReader, BufWriter, Write};

fn verdict(r: Result<(), &str>) -> String {
    r.err().unwrap_or("keep").to_string()
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words_mode = args.iter().any(|a| a == "--words");
    // --c4-sentences: run both C4 variants with split_paragraph = false
    let split_paragraph = !args.iter().any(|a| a == "--c4-sentences");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [input, output] = paths[..] else {
        eprintln!("usage: web_filters_decide [--words] IN.jsonl OUT.jsonl");
        std::process::exit(2);
    };
    let reader = BufReader::new(std::fs::File::open(input)?);
    let mut out = BufWriter::new(std::fs::File::create(output)?);
    let gq = GopherQuality::new(GopherQualityConfig::default(), "text");
    let gr = GopherRepetition::new(GopherRepetitionConfig::default(), "text");
    let c4 = C4Quality::new(C4QualityConfig { split_paragraph, ..Default::default() }, "text");
    let c4f = C4Quality::new(
        C4QualityConfig { filter_no_terminal_punct: false, split_paragraph, ..Default::default() },
        "text",
    );
    let fw = FineWebQuality::new(FineWebQualityConfig::default(), "text");
    let tok = EnglishTokenizer::global();
    for (i, line) in reader.lines().enumerate() {
        let row: Value = serde_json::from_str(&line?).map_err(std::io::Error::other)?;
        let text = row["text"].as_str().unwrap_or_default();
        let rec = if words_mode {
            json!({"id": i.to_string(), "words": tok.words(text), "sentences": tok.sentences(text)})
        } else {
            let c4_res = c4.check(text);
            json!({
                "id": i.to_string(),
                "gopher_quality": verdict(gq.check(text)),
                "gopher_repetition": verdict(gr.check(text)),
                "c4_quality": c4_res.as_ref().err().copied().unwrap_or("keep"),
                "c4_quality_text": c4_res.as_ref().ok(),
                "c4_quality_fineweb": c4f.check(text).err().unwrap_or("keep"),
                "fineweb_quality": verdict(fw.check(text)),
            })
        };
        serde_json::to_writer(&mut out, &rec).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
