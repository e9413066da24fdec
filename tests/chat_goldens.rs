//! Conformance: every template x case of `fixtures/chat/goldens.jsonl` (rendered by Jinja2 the
//! way transformers does, see `fixtures/chat/render_reference.py`) must render byte-identically,
//! with equal generation spans, and every Jinja2 error must be an error here.
mod common;

use serde_json::Value;
use sftkit::chat::strftime::Date;
use sftkit::chat::{ChatTemplate, SpecialTokens};
use std::collections::HashMap;
use std::path::Path;

/// Renders every golden row of `goldens` (lines of render_reference.py's output) for `cases` with
/// the templates of `dir/templates`; returns (conforming, total, expected errors reproduced, failures).
fn compare(dir: &Path, cases: &[Value], goldens: &str) -> (usize, usize, usize, Vec<String>) {
    let cases: HashMap<String, &Value> = cases.iter().map(|c| (c["id"].as_str().unwrap().to_string(), c)).collect();
    let mut compiled: HashMap<String, ChatTemplate> = HashMap::new();
    let (mut total, mut ok, mut errors_ok) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in goldens.lines() {
        let g: Value = serde_json::from_str(line).unwrap();
        let name = g["template"].as_str().unwrap();
        let case = cases[g["case"].as_str().unwrap()];
        let date = Date::parse(case.get("date").and_then(Value::as_str).unwrap_or("2026-01-15")).unwrap();
        let mut special = SpecialTokens::reference_defaults();
        if let Some(st) = case.get("special_tokens") {
            special = serde_json::from_value(st.clone()).unwrap();
        }
        let key = format!("{name}|{}", date.iso());
        let tmpl = compiled.entry(key).or_insert_with(|| {
            let src = std::fs::read_to_string(dir.join("templates").join(name)).unwrap();
            ChatTemplate::with_date(&src, special, date).unwrap()
        });
        total += 1;
        let result = tmpl.render(
            &case["messages"],
            case.get("tools"),
            case.get("documents"),
            case.get("add_generation_prompt").and_then(Value::as_bool).unwrap_or(false),
            case.get("kwargs").and_then(Value::as_object),
        );
        let label = format!("{name} x {}", g["case"].as_str().unwrap());
        match (&g["text"], result) {
            (Value::String(want), Ok(r)) => {
                // The goldens carry code-point spans and UTF-8 byte spans; ours are code points.
                let want_spans: Vec<[usize; 2]> = serde_json::from_value(g["generation_spans_chars"].clone()).unwrap();
                if &r.text == want && r.generation_spans == want_spans {
                    ok += 1;
                } else if &r.text != want {
                    failures.push(format!("{label}: text differs\n  want {want:?}\n  got  {:?}", r.text));
                } else {
                    failures.push(format!("{label}: spans {:?} != {want_spans:?}", r.generation_spans));
                }
            }
            (Value::String(_), Err(e)) => failures.push(format!("{label}: unexpected error {e}")),
            (Value::Null, Err(_)) => {
                ok += 1;
                errors_ok += 1;
            }
            (Value::Null, Ok(r)) => {
                failures.push(format!("{label}: Jinja2 raised {} but we rendered {:?}", g["error"], r.text))
            }
            (other, _) => panic!("bad golden {other}"),
        }
    }
    (ok, total, errors_ok, failures)
}

#[test]
fn goldens_byte_identical() {
    let dir = fixture_or_skip!("chat");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let goldens = std::fs::read_to_string(dir.join("goldens.jsonl")).unwrap();
    let (ok, total, errors_ok, failures) = compare(&dir, &cases, &goldens);
    println!("chat goldens: {ok}/{total} conform ({errors_ok} expected errors reproduced)");
    for f in &failures {
        println!("FAIL {f}");
    }
    assert_eq!(total, 424, "goldens.jsonl should have 53 templates x 8 cases");
    assert!(failures.is_empty(), "{} of {total} renders differ", failures.len());
}

/// Cases written here that the shared goldens do not cover (null contents in tool-call and plain
/// assistant turns, content given as a list of parts, a prompt after a system turn), rendered by
/// the shared Jinja2 reference (`render_reference.py`, needs jinja2) and by us, for all 53 templates.
#[test]
fn extra_cases_match_jinja2() {
    let dir = fixture_or_skip!("chat");
    if !common::has_module("jinja2", "SFTKIT_REQUIRE_JINJA2") {
        return;
    }
    let cases_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chat_extra_cases.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&cases_path).unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out_path = tmp.path().join("goldens.jsonl");
    let status = std::process::Command::new(common::python())
        .arg(dir.join("render_reference.py"))
        .arg(dir.join("templates"))
        .arg(&cases_path)
        .arg(&out_path)
        .status()
        .expect("run render_reference.py");
    assert!(status.success(), "render_reference.py failed");
    let goldens = std::fs::read_to_string(&out_path).unwrap();
    let (ok, total, errors_ok, failures) = compare(&dir, &cases, &goldens);
    println!("extra cases: {ok}/{total} conform ({errors_ok} Jinja2 errors reproduced)");
    for f in &failures {
        println!("FAIL {f}");
    }
    assert_eq!(total, 53 * cases.len());
    assert!(failures.is_empty(), "{} of {total} renders differ", failures.len());
}
