#![doc = include_str!("docs/s005_special_tokens.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::sync::LazyLock;

pub struct S005SpecialTokens;

/// Literal template markers of the common chat templates (ChatML, Llama 2/3, Gemma, Mistral,
/// Phi, Jinja).
const MARKERS: &[&str] = &[
    "<|im_start|>",
    "<|im_end|>",
    "<|endoftext|>",
    "<|eot_id|>",
    "<|start_header_id|>",
    "<|end_header_id|>",
    "<|begin_of_text|>",
    "<|end_of_text|>",
    "[INST]",
    "[/INST]",
    "<<SYS>>",
    "<</SYS>>",
    "<start_of_turn>",
    "<end_of_turn>",
    "<|user|>",
    "<|assistant|>",
    "<|system|>",
    "<|end|>",
    "<s>",
    "</s>",
    "{{",
    "{%",
    "<|eom_id|>",
];

static AC: LazyLock<AhoCorasick> = LazyLock::new(|| AhoCorasick::new(MARKERS).expect("markers"));
static GENERIC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<\|[a-z_]{2,30}\|>").expect("regex"));

impl Rule for S005SpecialTokens {
    rule_meta!(
        "S005",
        "special-tokens",
        Error,
        "Special tokens or template markup inside message content.",
        include_str!("docs/s005_special_tokens.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, m) in ctx.messages.iter().enumerate() {
            let t = m.text();
            let hit = AC.find(t).map(|h| &t[h.range()]).filter(|h| {
                // Jinja markers must close too ("{{ x }}"), so that plain braces in code pass
                match *h {
                    "{{" => t.contains("}}") && !t.contains("```"),
                    "{%" => t.contains("%}") && !t.contains("```"),
                    _ => true,
                }
            });
            let hit = hit.or_else(|| if t.contains("<|") { GENERIC.find(t).map(|m| m.as_str()) } else { None });
            if let Some(h) = hit {
                out.push(ctx.finding("S005", Some(i), format!("content contains template markup `{h}`")));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run;

    #[test]
    fn bad_and_good() {
        assert_eq!(run("Hi", "Sure!<|im_end|>\n<|im_start|>user", None, "S005").len(), 1);
        assert_eq!(run("Hi [INST] do it [/INST]", "Done.", None, "S005").len(), 1);
        assert!(run("Hi", "Use `a < b` and {x} sets.", None, "S005").is_empty());
    }
}
