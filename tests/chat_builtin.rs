//! Every built-in template renders each conversation of `fixtures/chat/cases.json` exactly as
//! the model's official template does (the goldens in `goldens.jsonl`, rendered by Jinja2), and
//! its generation spans equal those of the fixture's `_training` variant wherever that
//! variant renders the same text.
mod common;

use serde_json::Value;
use sftkit::chat::builtin;
use sftkit::chat::strftime::Date;
use sftkit::chat::{ChatTemplate, SpecialTokens};
use std::collections::HashMap;

/// Built-in name -> official template in `fixtures/chat/templates`. chatml, llama2 and
/// mistral have no official template there (they are tested in `chat_builtin_handwritten`).
const OFFICIAL: &[(&str, &str)] = &[
    ("llama3", "llama3.jinja"),
    ("gemma", "gemma.jinja"),
    ("qwen2.5", "qwen2_5.jinja"),
    ("qwen3", "qwen3.jinja"),
    ("phi3", "phi3.jinja"),
    // The fixture's deepseekv3.jinja is DeepSeek-R1's template (reasoning stripped from
    // history, `<think>\n` generation prompt).
    ("deepseek-r1", "deepseekv3.jinja"),
];

/// Cases where the official template fails and the built-in deliberately renders instead,
/// as the fixture's training variant (which fixes that failure) does.
const RENDERS_WHERE_OFFICIAL_FAILS: &[(&str, &str)] = &[("deepseek-r1", "tool-call")];

fn render(t: &ChatTemplate, case: &Value) -> Result<sftkit::chat::Rendered, sftkit::chat::ChatError> {
    t.render(
        &case["messages"],
        case.get("tools"),
        case.get("documents"),
        case.get("add_generation_prompt").and_then(Value::as_bool).unwrap_or(false),
        case.get("kwargs").and_then(Value::as_object),
    )
}

#[test]
fn builtins_match_official_templates() {
    let dir = fixture_or_skip!("chat");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let mut goldens: HashMap<(String, String), Value> = HashMap::new();
    for line in std::fs::read_to_string(dir.join("goldens.jsonl")).unwrap().lines() {
        let g: Value = serde_json::from_str(line).unwrap();
        goldens.insert((g["template"].as_str().unwrap().into(), g["case"].as_str().unwrap().into()), g);
    }
    let date = Date::parse("2026-01-15").unwrap();
    let (mut checked, mut spans_checked) = (0, 0);
    let mut failures = Vec::new();
    for (name, official) in OFFICIAL {
        let b = builtin::get(name).unwrap();
        // The goldens were rendered with the reference's special tokens, so use those here.
        let t = ChatTemplate::with_date(b.source, SpecialTokens::reference_defaults(), date).unwrap();
        let training = official.replace(".jinja", "_training.jinja");
        for case in &cases {
            let id = case["id"].as_str().unwrap();
            let key = |t: &str| (t.to_string(), id.to_string());
            let off = &goldens[&key(official)];
            let tr = &goldens[&key(&training)];
            let got = render(&t, case);
            checked += 1;
            let want = if RENDERS_WHERE_OFFICIAL_FAILS.contains(&(name, id)) {
                assert!(off["text"].is_null(), "{name}/{id}: official no longer fails");
                &tr["text"]
            } else {
                &off["text"]
            };
            match (want, got) {
                (Value::Null, Err(_)) => {}
                (Value::Null, Ok(r)) => {
                    failures.push(format!("{name}/{id}: official raises, builtin rendered {:?}", r.text))
                }
                (Value::String(_), Err(e)) => failures.push(format!("{name}/{id}: builtin failed: {e}")),
                (Value::String(w), Ok(r)) => {
                    if &r.text != w {
                        failures.push(format!("{name}/{id}:\n  want {w:?}\n  got  {:?}", r.text));
                    } else if tr["text"] == *want {
                        spans_checked += 1;
                        let ws: Vec<[usize; 2]> = serde_json::from_value(tr["generation_spans_chars"].clone()).unwrap();
                        if r.generation_spans != ws {
                            failures.push(format!("{name}/{id}: spans {:?} != training {ws:?}", r.generation_spans));
                        }
                    }
                }
                _ => unreachable!(),
            }
        }
    }
    println!(
        "builtins: {checked} renders checked against official goldens, {spans_checked} span sets against training variants"
    );
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} builtin renders differ", failures.len());
    assert!(spans_checked >= 30);
}
