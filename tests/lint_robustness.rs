//! The linter must not panic on any text: byte offsets and multibyte characters, LaTeX
//! fragments, unbalanced braces, odd numerals. A deterministic pseudo-random sweep.

mod common;

use serde_json::json;
use sftkit::lint::{Guidelines, Linter};
use sftkit::record::{Record, Source};
use std::sync::Arc;

const PIECES: &[&str] = &[
    "0",
    "7",
    "13",
    "1,250",
    "4.50",
    ".5",
    "$",
    "€",
    "%",
    "\\%",
    " ",
    "\u{a0}",
    "\n",
    "=",
    "==",
    "=>",
    "≈",
    "~",
    "+",
    "-",
    "−",
    "*",
    "**",
    "×",
    "x",
    "/",
    "÷",
    "^",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "\\frac{",
    "\\boxed{",
    "\\times",
    "\\",
    "of",
    "apples",
    "The answer is",
    "Final:",
    "####",
    "—",
    ":",
    ".",
    ",",
    "!",
    "?",
    "é",
    "日本",
    "🎉",
    "<think>",
    "```",
    "<|im_end|>",
    "I'm ChatGPT",
    "made by OpenAI",
    "sorry",
    "a@b.co",
    "(415) 555-0132",
    "192.168.1.1",
    "2x",
    "W/2",
];

fn next(state: &mut u64) -> u64 {
    // xorshift64
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_texts_do_not_panic() {
    let linter = Linter::new(Guidelines::default()).unwrap();
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut flagged = 0;
    // LINT_FUZZ_N=100000 for a longer sweep
    let n_iter: u64 = std::env::var("LINT_FUZZ_N").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    for k in 0..n_iter {
        let n = 1 + (next(&mut s) % 40) as usize;
        let text: String = (0..n).map(|_| PIECES[(next(&mut s) % PIECES.len() as u64) as usize]).collect();
        let reference = PIECES[(next(&mut s) % PIECES.len() as u64) as usize];
        let fields = json!({"messages": [
            {"role": "system", "content": "You are Nova, made by Acme Labs."},
            {"role": "user", "content": text.clone()},
            {"role": "assistant", "content": text}], "reference": reference});
        let rec = Record {
            id: format!("r{k}"),
            source: Source { file: Arc::from("fuzz.jsonl"), line: k + 1 },
            fields: fields.as_object().unwrap().clone(),
        };
        flagged += usize::from(!linter.lint(&rec, None).is_empty());
    }
    // random junk trips some rule most of the time: the sweep really exercised the rules
    assert!(flagged as u64 > n_iter / 3, "{flagged}");
}
