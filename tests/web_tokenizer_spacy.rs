//! Conformance of the English word / sentence splitter with datatrove's spaCy tokenizer, on the
//! word and sentence lists `datatrove_words.py` recorded for every document of
//! `web/dclm-majority.jsonl`.

mod common;

use serde_json::Value;
use sftkit::web::tokenizer::EnglishTokenizer;

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().expect("array").iter().map(|x| x.as_str().expect("string")).collect()
}

#[test]
fn words_and_sentences_match_spacy_on_dclm_sample() {
    let docs_path = fixture_or_skip!("web/dclm-majority.jsonl");
    let words_path = fixture_or_skip!("web/dclm-majority.words.jsonl");
    let docs = std::fs::read_to_string(docs_path).unwrap();
    let refs = std::fs::read_to_string(words_path).unwrap();
    let tok = EnglishTokenizer::global();
    let (mut n, mut words_ok, mut sents_ok, mut tokens, mut tokens_ok) = (0, 0, 0, 0usize, 0usize);
    for (doc, reference) in docs.lines().zip(refs.lines()) {
        let doc: Value = serde_json::from_str(doc).unwrap();
        let reference: Value = serde_json::from_str(reference).unwrap();
        let text = doc["text"].as_str().unwrap();
        let want_words = strings(&reference["words"]);
        let want_sents = strings(&reference["sentences"]);
        let got_words = tok.words(text);
        let got_sents = tok.sentences(text);
        n += 1;
        tokens += want_words.len();
        tokens_ok += got_words.iter().zip(&want_words).take_while(|(a, b)| a == b).count();
        if got_words == want_words {
            words_ok += 1;
        } else if n - words_ok <= 5 {
            let i = got_words.iter().zip(&want_words).take_while(|(a, b)| a == b).count();
            eprintln!(
                "doc {}: words differ at {i}: got {:?} want {:?}",
                reference["id"],
                &got_words[i..(i + 5).min(got_words.len())],
                &want_words[i..(i + 5).min(want_words.len())]
            );
        }
        if got_sents == want_sents {
            sents_ok += 1;
        } else if n - sents_ok <= 3 {
            let i = got_sents.iter().zip(&want_sents).take_while(|(a, b)| a == b).count();
            eprintln!(
                "doc {}: sentences differ at {i}: got {:?} want {:?}",
                reference["id"],
                got_sents.get(i),
                want_sents.get(i)
            );
        }
    }
    let pct = |k: usize, of: usize| 100.0 * k as f64 / of as f64;
    println!(
        "tokenizer conformance on {n} docs: identical word lists {words_ok} ({:.2}%), identical sentence lists {sents_ok} ({:.2}%), words before first difference {tokens_ok}/{tokens} ({:.3}%)",
        pct(words_ok, n),
        pct(sents_ok, n),
        pct(tokens_ok, tokens)
    );
    assert_eq!(n, 499);
    assert!(pct(words_ok, n) >= 99.0, "word lists: {words_ok}/{n}");
    assert!(pct(sents_ok, n) >= 99.0, "sentence lists: {sents_ok}/{n}");
}
