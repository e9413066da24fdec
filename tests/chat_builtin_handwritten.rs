//! Built-ins without an official template in the fixtures (chatml, llama2, mistral): checked
//! against hand-written renders of their published formats; plus every built-in's tokens.
use serde_json::json;
use sftkit::chat::builtin;
use sftkit::chat::strftime::Date;
use sftkit::chat::{ChatTemplate, SpecialTokens};

fn tmpl(name: &str) -> ChatTemplate {
    let b = builtin::get(name).unwrap();
    ChatTemplate::with_date(b.source, b.special_tokens(), Date::parse("2026-01-15").unwrap()).unwrap()
}

#[test]
fn chatml_by_hand() {
    let m = json!([
        {"role": "system", "content": "S"},
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"}
    ]);
    let r = tmpl("chatml").render(&m, None, None, false, None).unwrap();
    assert_eq!(
        r.text,
        "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"
    );
    assert_eq!(r.generation_spans, vec![[83, 99]]);
    // List-of-parts content and non-ASCII: spans are code points (Python len()).
    let m = json!([
        {"role": "user", "content": [{"type": "text", "text": "Café "}, {"type": "image"}, {"type": "text", "text": "🙂"}]},
        {"role": "assistant", "content": "Oui"}
    ]);
    let r = tmpl("chatml").render(&m, None, None, true, None).unwrap();
    assert_eq!(
        r.text,
        "<|im_start|>user\nCafé 🙂<|im_end|>\n<|im_start|>assistant\nOui<|im_end|>\n<|im_start|>assistant\n"
    );
    assert_eq!(r.generation_spans, vec![[56, 70]]);
}

#[test]
fn llama2_by_hand() {
    let m = json!([
        {"role": "system", "content": "S"},
        {"role": "user", "content": " Hi "},
        {"role": "assistant", "content": "Hello"},
        {"role": "user", "content": "Q"}
    ]);
    let r = tmpl("llama2").render(&m, None, None, false, None).unwrap();
    // As Meta's template: strip() applies to the whole first turn (system block included), so
    // the user's leading space survives and the trailing one does not.
    assert_eq!(r.text, "<s>[INST] <<SYS>>\nS\n<</SYS>>\n\n Hi [/INST] Hello </s><s>[INST] Q [/INST]");
    assert_eq!(r.generation_spans, vec![[41, 52]]);
    let bad = json!([{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]);
    let e = tmpl("llama2").render(&bad, None, None, false, None).unwrap_err();
    assert_eq!(e.to_string(), "Conversation roles must alternate user/assistant/user/assistant/...");
}

#[test]
fn mistral_by_hand() {
    let m = json!([
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"},
        {"role": "user", "content": "Q"}
    ]);
    let r = tmpl("mistral").render(&m, None, None, false, None).unwrap();
    assert_eq!(r.text, "<s>[INST] Hi [/INST]Hello</s>[INST] Q [/INST]");
    assert_eq!(r.generation_spans, vec![[20, 29]]);
    let sys = json!([{"role": "system", "content": "S"}, {"role": "user", "content": "Hi"}]);
    assert!(tmpl("mistral").render(&sys, None, None, false, None).is_err());
}

#[test]
fn builtins_use_their_own_special_tokens() {
    let m = json!([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo"}]);
    let r = tmpl("llama3").render(&m, None, None, false, None).unwrap();
    assert_eq!(
        r.text,
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nYo<|eot_id|>"
    );
    let r = tmpl("gemma").render(&m, None, None, false, None).unwrap();
    assert_eq!(r.text, "<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nYo<end_of_turn>\n");
    let r = tmpl("phi3").render(&m, None, None, false, None).unwrap();
    assert_eq!(r.text, "<|user|>\nHi<|end|>\n<|assistant|>\nYo<|end|>\n<|endoftext|>");
    let r = tmpl("deepseek-r1").render(&m, None, None, true, None).unwrap();
    assert_eq!(
        r.text,
        "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>Yo<｜end▁of▁sentence｜><｜Assistant｜><think>\n"
    );
    assert_eq!(builtin::NAMES.len(), 9);
    for name in builtin::NAMES {
        let b = builtin::get(name).unwrap();
        assert!(!b.special_tokens().guard_strings().is_empty(), "{name}");
        ChatTemplate::new(b.source, SpecialTokens::default()).unwrap();
    }
    assert!(builtin::get("nope").is_none());
}

#[test]
fn qwen3_enable_thinking_kwarg() {
    let m = json!([{"role": "user", "content": "Hi"}]);
    let kw = json!({"enable_thinking": false});
    let r = tmpl("qwen3").render(&m, None, None, true, kw.as_object()).unwrap();
    assert_eq!(r.text, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
}
