//! `simplify_text` against datatrove 0.10.1: literals printed by Python running
//! `datatrove.utils.text.simplify_text`, and the xxh3 of its output for every fixture document.

mod common;

use sftkit::web::dedup::simplify_text;

/// (input, datatrove's output).
const CASES: &[(&str, &str)] = &[
    ("Hello, World!  It's 3.14 o'clock — 1,000 times.", "hello world it s 0 o clock 0 times"),
    ("Ünïcödé Çafé naïve RÉSUMÉ", "unicode cafe naive resume"),
    ("ΣΊΣΥΦΟΣ ΟΔΟΣ", "σισυφος οδος"),
    ("İstanbul ǅemal ß ﬁ", "istanbul ǆemal ß ﬁ"),
    ("tab\u{9}here\u{a}new line\u{d}\u{a}carriage\u{b}vt\u{c}ff", "tab here new line carriage vt ff"),
    ("٣٤٥ apples and ١٬٢ pears, 12.5.6 and 7,8,9", "0 apples and 0٬0 pears 0 0 and 0 0"),
    ("【注意】「日本語」のテキスト、１２３。", "注意 日本語 のテキスト 0"),
    ("‘single’ “double” „low“ «guill» ‹angle›", "‘single double low guill ‹angle›"),
    ("नमस्ते दुनिया कैसे हो", "नमसत दनिया कस हो"),
    ("a \u{301} b", "a  b"),
    ("price: $5.99/kg @ store_name #tag ~approx ^caret", "price 0 kg store name tag approx caret"),
    ("emoji 😀 test 👍🏽 ok", "emoji 😀 test 👍🏽 ok"),
    ("\u{a0}nbsp\u{2003}em\u{3000}ideographic ", "nbsp em ideographic"),
    ("x\u{85}y\u{9f}z", "x y z"),
    ("Ⅻ roman ² super ½ half", "ⅻ roman ² super ½ half"),
    ("", ""),
    ("   ...   ", ""),
];

#[test]
fn matches_datatrove_literals() {
    for (input, expected) in CASES {
        assert_eq!(simplify_text(input), *expected, "input {input:?}");
    }
}

#[test]
fn matches_datatrove_on_fixture_corpus() {
    let path = fixture_or_skip!("web/dclm-majority.jsonl");
    let golden = include_str!("data/simplify_dclm_xxh3.txt");
    let expected: Vec<u64> =
        golden.lines().filter(|l| !l.starts_with('#')).map(|l| u64::from_str_radix(l, 16).unwrap()).collect();
    let text = std::fs::read_to_string(path).unwrap();
    let mut n = 0;
    let mut mismatches = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let got = xxhash_rust::xxh3::xxh3_64(simplify_text(row["text"].as_str().unwrap()).as_bytes());
        if got != expected[i] {
            mismatches.push(i);
        }
        n += 1;
    }
    assert_eq!(n, expected.len());
    assert!(mismatches.is_empty(), "documents differing from datatrove: {mismatches:?}");
}
