//! Built-in chat templates, written for sftkit (`templates/*.jinja`, see `templates/README.md`),
//! each with the special tokens of its model family.

use super::template::SpecialTokens;

/// A built-in template.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub source: &'static str,
    pub bos_token: Option<&'static str>,
    pub eos_token: &'static str,
    pub pad_token: Option<&'static str>,
    pub unk_token: Option<&'static str>,
    /// Further special strings (control tokens) the injection guard rejects.
    pub additional: &'static [&'static str],
}

impl Builtin {
    pub fn special_tokens(&self) -> SpecialTokens {
        SpecialTokens {
            bos_token: self.bos_token.map(str::to_owned),
            eos_token: Some(self.eos_token.to_owned()),
            unk_token: self.unk_token.map(str::to_owned),
            pad_token: self.pad_token.map(str::to_owned),
            additional_special_tokens: self.additional.iter().map(|s| s.to_string()).collect(),
            added_special: Vec::new(),
        }
    }
}

const QWEN_SPECIAL: &[&str] = &["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<tool_call>", "</tool_call>"];

/// Every built-in, by name.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "chatml",
        source: include_str!("../../templates/chatml.jinja"),
        bos_token: None,
        eos_token: "<|im_end|>",
        pad_token: None,
        unk_token: None,
        additional: &["<|im_start|>", "<|im_end|>"],
    },
    Builtin {
        name: "llama2",
        source: include_str!("../../templates/llama2.jinja"),
        bos_token: Some("<s>"),
        eos_token: "</s>",
        pad_token: None,
        unk_token: Some("<unk>"),
        additional: &[],
    },
    Builtin {
        name: "llama3",
        source: include_str!("../../templates/llama3.jinja"),
        bos_token: Some("<|begin_of_text|>"),
        eos_token: "<|eot_id|>",
        pad_token: None,
        unk_token: None,
        additional: &["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|end_of_text|>"],
    },
    Builtin {
        name: "mistral",
        source: include_str!("../../templates/mistral.jinja"),
        bos_token: Some("<s>"),
        eos_token: "</s>",
        pad_token: None,
        unk_token: Some("<unk>"),
        additional: &["[INST]", "[/INST]"],
    },
    Builtin {
        name: "gemma",
        source: include_str!("../../templates/gemma.jinja"),
        bos_token: Some("<bos>"),
        eos_token: "<eos>",
        pad_token: Some("<pad>"),
        unk_token: Some("<unk>"),
        additional: &["<start_of_turn>", "<end_of_turn>"],
    },
    Builtin {
        name: "qwen2.5",
        source: include_str!("../../templates/qwen2.5.jinja"),
        bos_token: None,
        eos_token: "<|im_end|>",
        pad_token: Some("<|endoftext|>"),
        unk_token: None,
        additional: QWEN_SPECIAL,
    },
    Builtin {
        name: "qwen3",
        source: include_str!("../../templates/qwen3.jinja"),
        bos_token: None,
        eos_token: "<|im_end|>",
        pad_token: Some("<|endoftext|>"),
        unk_token: None,
        additional: QWEN_SPECIAL,
    },
    Builtin {
        name: "phi3",
        source: include_str!("../../templates/phi3.jinja"),
        bos_token: Some("<s>"),
        eos_token: "<|endoftext|>",
        pad_token: Some("<|endoftext|>"),
        unk_token: Some("<unk>"),
        additional: &["<|system|>", "<|user|>", "<|assistant|>", "<|end|>"],
    },
    Builtin {
        name: "deepseek-r1",
        source: include_str!("../../templates/deepseek-r1.jinja"),
        bos_token: Some("<｜begin▁of▁sentence｜>"),
        eos_token: "<｜end▁of▁sentence｜>",
        pad_token: None,
        unk_token: None,
        additional: &["<｜User｜>", "<｜Assistant｜>", "<｜tool▁calls▁begin｜>", "<｜tool▁outputs▁begin｜>"],
    },
];

/// Names of the built-in templates.
pub const NAMES: &[&str] =
    &["chatml", "llama2", "llama3", "mistral", "gemma", "qwen2.5", "qwen3", "phi3", "deepseek-r1"];

/// The built-in called `name`.
pub fn get(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}
