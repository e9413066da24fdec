//! Conformance of the four heuristic filters with datatrove 0.10.1, on the decisions
//! `datatrove_reference.py` recorded for the 499 documents of `web/dclm-majority.jsonl`
//! (`web/dclm-majority.datatrove.jsonl`, ids = line numbers).

mod common;

use serde_json::Value;
use sftkit::pipeline::stage::Stage;
use sftkit::record::{Record, Source, Verdict};
use sftkit::web::filters;

struct Tally {
    name: &'static str,
    n: usize,
    decisions: usize,
    reasons: usize,
    kept_both: usize,
    text_same: usize,
    shown: usize,
}

impl Tally {
    fn new(name: &'static str) -> Self {
        Tally { name, n: 0, decisions: 0, reasons: 0, kept_both: 0, text_same: 0, shown: 0 }
    }
    fn pct(k: usize, of: usize) -> f64 {
        if of == 0 { 100.0 } else { 100.0 * k as f64 / of as f64 }
    }
}

fn verdict_str(v: &Verdict) -> String {
    match v {
        Verdict::Keep => "keep".into(),
        Verdict::Drop { reason, .. } => reason.clone(),
        Verdict::Error { message } => panic!("unexpected error verdict: {message}"),
    }
}

#[test]
fn filters_agree_with_datatrove_on_dclm_sample() {
    let docs_path = fixture_or_skip!("web/dclm-majority.jsonl");
    let ref_path = fixture_or_skip!("web/dclm-majority.datatrove.jsonl");
    let docs = std::fs::read_to_string(docs_path).unwrap();
    let refs = std::fs::read_to_string(ref_path).unwrap();

    let fineweb_c4 = toml::Value::Table(toml::from_str("filter_no_terminal_punct = false").unwrap());
    let stages: Vec<(&'static str, Box<dyn Stage>)> = vec![
        ("gopher_quality", filters::build("gopher_quality", None, "text").unwrap()),
        ("gopher_repetition", filters::build("gopher_repetition", None, "text").unwrap()),
        ("c4_quality", filters::build("c4_quality", None, "text").unwrap()),
        ("c4_quality_fineweb", filters::build("c4_quality", Some(&fineweb_c4), "text").unwrap()),
        ("fineweb_quality", filters::build("fineweb_quality", None, "text").unwrap()),
    ];
    let mut tallies: Vec<Tally> = stages.iter().map(|(k, _)| Tally::new(k)).collect();

    for (i, (doc, reference)) in docs.lines().zip(refs.lines()).enumerate() {
        let doc: Value = serde_json::from_str(doc).unwrap();
        let reference: Value = serde_json::from_str(reference).unwrap();
        assert_eq!(reference["id"].as_str(), Some(i.to_string().as_str()));
        for ((key, stage), t) in stages.iter().zip(tallies.iter_mut()) {
            let mut rec = Record {
                id: i.to_string(),
                source: Source { file: "dclm-majority.jsonl".into(), line: i as u64 + 1 },
                fields: doc.as_object().unwrap().clone(),
            };
            let got = verdict_str(&stage.process(&mut rec));
            let want = reference[*key].as_str().unwrap();
            t.n += 1;
            t.decisions += usize::from((got == "keep") == (want == "keep"));
            t.reasons += usize::from(got == want);
            if got != want && t.shown < 3 {
                t.shown += 1;
                eprintln!("{key} doc {i}: got {got} want {want}");
            }
            if *key == "c4_quality" && got == "keep" && want == "keep" {
                t.kept_both += 1;
                let same = rec.fields["text"] == reference["c4_quality_text"];
                t.text_same += usize::from(same);
                if !same {
                    eprintln!("c4_quality doc {i}: kept text differs");
                }
            }
        }
    }
    for t in &tallies {
        println!(
            "{:<20} docs {} decisions {:.2}% reasons {:.2}%{}",
            t.name,
            t.n,
            Tally::pct(t.decisions, t.n),
            Tally::pct(t.reasons, t.n),
            if t.name == "c4_quality" {
                format!(
                    " kept text identical {}/{} ({:.2}%)",
                    t.text_same,
                    t.kept_both,
                    Tally::pct(t.text_same, t.kept_both)
                )
            } else {
                String::new()
            }
        );
    }
    for t in &tallies {
        assert_eq!(t.n, 499, "{}", t.name);
        assert!(Tally::pct(t.decisions, t.n) >= 99.0, "{} decisions", t.name);
        assert!(Tally::pct(t.reasons, t.n) >= 99.0, "{} reasons", t.name);
        if t.name == "c4_quality" {
            assert!(t.kept_both > 0);
            assert!(Tally::pct(t.text_same, t.kept_both) >= 99.0, "c4 text");
        }
    }
}

#[test]
fn registry_builds_every_name_and_rejects_bad_config() {
    for name in filters::NAMES {
        let stage = filters::build(name, None, "text").unwrap();
        assert_eq!(stage.name(), *name);
    }
    assert!(matches!(filters::build("nope", None, "text"), Err(filters::FilterError::Unknown { .. })));
    let bad = toml::Value::Table(toml::from_str("min_doc_wordz = 3").unwrap());
    assert!(matches!(filters::build("gopher_quality", Some(&bad), "text"), Err(filters::FilterError::Config { .. })));
    let ok = toml::Value::Table(toml::from_str("min_doc_words = 3").unwrap());
    let stage = filters::build("gopher_quality", Some(&ok), "body").unwrap();
    let mut rec = Record {
        id: "0".into(),
        source: Source { file: "x".into(), line: 1 },
        fields: serde_json::from_str(r#"{"body": "the house and the garden with many flowers"}"#).unwrap(),
    };
    assert_eq!(stage.process(&mut rec), Verdict::Keep);
}
