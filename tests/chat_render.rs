//! The `render` stage: fields added, template errors, the special-token guard, tokenizer
//! configs (string / named templates, token objects, added tokens, chat_template.jinja).
use serde_json::{Map, Value, json};
use sftkit::chat::tokenizer_config::TokenizerConfig;
use sftkit::chat::{RenderOptions, RenderStage, TemplateSource};
use sftkit::pipeline::stage::Stage;
use sftkit::record::{Record, Source, Verdict};

fn rec(v: Value) -> Record {
    Record {
        id: "r".into(),
        source: Source { file: "in.jsonl".into(), line: 1 },
        fields: v.as_object().unwrap().clone(),
    }
}

fn builtin(name: &str) -> RenderOptions {
    RenderOptions {
        template: TemplateSource::Builtin(name.into()),
        date: Some("2026-01-15".into()),
        ..Default::default()
    }
}

#[test]
fn adds_text_spans_and_template() {
    let stage = RenderStage::new(builtin("chatml")).unwrap();
    let mut r = rec(json!({"id": 7, "instruction": "Hi", "output": "Hello"}));
    assert_eq!(stage.process(&mut r), Verdict::Keep);
    let keys: Vec<&str> = r.fields.keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "instruction", "output", "text", "generation_spans", "template"]);
    assert_eq!(r.fields["text"], "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n");
    // "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n" is 52 code points.
    assert_eq!(r.fields["generation_spans"], json!([[52, 68]]));
    assert_eq!(r.fields["template"], "chatml");
    assert_eq!(stage.date().iso(), "2026-01-15");
}

#[test]
fn template_raise_is_an_error_with_its_message() {
    let stage = RenderStage::new(builtin("gemma")).unwrap();
    let mut r = rec(json!({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "x"}]}));
    assert_eq!(stage.process(&mut r), Verdict::error("System role not supported"));
    let mut r = rec(json!({"text": "not a conversation"}));
    assert!(matches!(stage.process(&mut r), Verdict::Error { .. }));
}

#[test]
fn special_token_guard() {
    let stage = RenderStage::new(builtin("qwen2.5")).unwrap();
    let mut r = rec(
        json!({"messages": [{"role": "user", "content": "end it <|im_end|> now"}, {"role": "assistant", "content": "ok"}]}),
    );
    assert_eq!(stage.process(&mut r), Verdict::drop("special_token_in_content"));
    assert!(!r.fields.contains_key("text"));
    // Also inside a list of parts and inside tool-call arguments.
    let mut r = rec(json!({"messages": [{"role": "user", "content": [{"type": "text", "text": "<|endoftext|>"}]}]}));
    assert_eq!(stage.process(&mut r), Verdict::drop("special_token_in_content"));
    // Harmless look-alikes pass.
    let mut r =
        rec(json!({"messages": [{"role": "user", "content": "<|im_end"}, {"role": "assistant", "content": "ok"}]}));
    assert_eq!(stage.process(&mut r), Verdict::Keep);
    let allow = RenderOptions { allow_special_tokens_in_content: true, ..builtin("qwen2.5") };
    let stage = RenderStage::new(allow).unwrap();
    let mut r = rec(
        json!({"messages": [{"role": "user", "content": "end it <|im_end|> now"}, {"role": "assistant", "content": "ok"}]}),
    );
    assert_eq!(stage.process(&mut r), Verdict::Keep);
}

const PROBE: &str = "{{ bos_token }}|{{ eos_token }}|{{ tools | tojson }}|{{ documents[0].title }}|{{ flavour }}|{% for m in messages %}{{ m.content }}{% endfor %}";

#[test]
fn tokenizer_config_string_template_and_token_objects() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = json!({
        "bos_token": {"content": "<B>", "lstrip": false},
        "eos_token": "<E>",
        "pad_token": null,
        "additional_special_tokens": ["<X>", {"content": "<Y>"}],
        "added_tokens_decoder": {
            "5": {"content": "<SPECIAL>", "special": true},
            "6": {"content": "plainword", "special": false}
        },
        "chat_template": PROBE
    });
    let path = dir.path().join("tokenizer_config.json");
    std::fs::write(&path, cfg.to_string()).unwrap();
    let tc = TokenizerConfig::load(&path).unwrap();
    assert_eq!(tc.special.bos_token.as_deref(), Some("<B>"));
    assert_eq!(tc.special.pad_token, None);
    assert_eq!(tc.special.additional_special_tokens, ["<X>", "<Y>"]);
    assert_eq!(tc.special.added_special, ["<SPECIAL>"]);
    assert_eq!(tc.special.guard_strings(), ["<B>", "<E>", "<SPECIAL>", "<X>", "<Y>"]);

    let opts = RenderOptions { template: TemplateSource::TokenizerConfig(path.clone()), ..Default::default() };
    let stage = RenderStage::new(opts).unwrap();
    let mut r = rec(json!({
        "messages": [{"role": "user", "content": "hi"}],
        "tools": "[{\"name\": \"f\"}]",
        "documents": [{"title": "Doc"}],
        "chat_template_kwargs": {"flavour": "mint"}
    }));
    assert_eq!(stage.process(&mut r), Verdict::Keep);
    assert_eq!(r.fields["text"], "<B>|<E>|[{\"name\": \"f\"}]|Doc|mint|hi");
    assert_eq!(r.fields["generation_spans"], json!([]));
    let mut r = rec(json!({"messages": [{"role": "user", "content": "a <SPECIAL> b"}]}));
    assert_eq!(stage.process(&mut r), Verdict::drop("special_token_in_content"));
    // Not special; but PROBE needs tools, and Jinja2's json.dumps(Undefined) fails too.
    let mut r = rec(json!({"messages": [{"role": "user", "content": "plainword"}]}));
    assert_eq!(stage.process(&mut r), Verdict::error("Object of type Undefined is not JSON serializable"));
    let mut r = rec(json!({"messages": [{"role": "user", "content": "plainword"}], "tools": [], "documents": [{}]}));
    assert_eq!(stage.process(&mut r), Verdict::Keep);
    assert_eq!(r.fields["text"], "<B>|<E>|[]|||plainword");

    // chat_template.jinja beside the config takes precedence.
    std::fs::write(dir.path().join("chat_template.jinja"), "JINJA:{{ messages[0].content }}").unwrap();
    let opts =
        RenderOptions { template: TemplateSource::TokenizerConfig(dir.path().to_path_buf()), ..Default::default() };
    let stage = RenderStage::new(opts).unwrap();
    let mut r = rec(json!({"messages": [{"role": "user", "content": "hi"}]}));
    assert_eq!(stage.process(&mut r), Verdict::Keep);
    assert_eq!(r.fields["text"], "JINJA:hi");
}

#[test]
fn tokenizer_config_named_templates() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = json!({
        "eos_token": "</s>",
        "chat_template": [
            {"name": "default", "template": "D:{{ messages | length }}"},
            {"name": "tool_use", "template": "T:{{ tools | length }}"},
            {"name": "rag", "template": "R"}
        ]
    });
    let path = dir.path().join("tokenizer_config.json");
    std::fs::write(&path, cfg.to_string()).unwrap();
    let stage = RenderStage::new(RenderOptions {
        template: TemplateSource::TokenizerConfig(path.clone()),
        ..Default::default()
    })
    .unwrap();
    let mut plain = rec(json!({"messages": [{"role": "user", "content": "x"}]}));
    assert_eq!(stage.process(&mut plain), Verdict::Keep);
    assert_eq!(plain.fields["text"], "D:1");
    assert!(plain.fields["template"].as_str().unwrap().ends_with(":default"));
    let mut tools = rec(json!({"messages": [{"role": "user", "content": "x"}], "tools": [{"a": 1}, {"b": 2}]}));
    assert_eq!(stage.process(&mut tools), Verdict::Keep);
    assert_eq!(tools.fields["text"], "T:2");
    assert!(tools.fields["template"].as_str().unwrap().ends_with(":tool_use"));

    let named = RenderOptions {
        template: TemplateSource::TokenizerConfig(path.clone()),
        chat_template_name: Some("rag".into()),
        ..Default::default()
    };
    let stage = RenderStage::new(named).unwrap();
    let mut r = rec(json!({"messages": [], "tools": [{"a": 1}]}));
    assert_eq!(stage.process(&mut r), Verdict::Keep);
    assert_eq!(r.fields["text"], "R");
    let missing = RenderOptions {
        template: TemplateSource::TokenizerConfig(path),
        chat_template_name: Some("nope".into()),
        ..Default::default()
    };
    assert!(RenderStage::new(missing).is_err());

    let none = dir.path().join("empty.json");
    std::fs::write(&none, "{\"eos_token\": \"</s>\"}").unwrap();
    let _ = Map::<String, Value>::new();
    assert!(TokenizerConfig::load(&none).is_err());
    assert!(
        RenderStage::new(RenderOptions { template: TemplateSource::Builtin("nope".into()), ..Default::default() })
            .is_err()
    );
    assert!(RenderStage::new(RenderOptions { date: Some("2026-13-01".into()), ..Default::default() }).is_err());
}

#[test]
fn template_file_with_given_special_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jinja");
    std::fs::write(&path, "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}").unwrap();
    let plain = RenderOptions { template: TemplateSource::File(path.clone()), ..Default::default() };
    let stage = RenderStage::new(plain).unwrap();
    let mut r = rec(json!({"messages": [{"role": "user", "content": "<S>x"}]}));
    assert_eq!(stage.process(&mut r), Verdict::Keep);
    assert_eq!(r.fields["text"], "<S>x");
    let special = sftkit::chat::SpecialTokens { bos_token: Some("<S>".into()), ..Default::default() };
    let opts =
        RenderOptions { template: TemplateSource::File(path), special_tokens: Some(special), ..Default::default() };
    let stage = RenderStage::new(opts).unwrap();
    let mut r = rec(json!({"messages": [{"role": "user", "content": "x"}]}));
    assert_eq!(stage.process(&mut r), Verdict::Keep);
    assert_eq!(r.fields["text"], "<S>x");
    let mut r = rec(json!({"messages": [{"role": "user", "content": "<S>x"}]}));
    assert_eq!(stage.process(&mut r), Verdict::drop("special_token_in_content"));
}
