#![doc = include_str!("docs/i001_identity_mismatch.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext, Severity};
use regex::Regex;
use std::sync::LazyLock;

pub struct I001IdentityMismatch;

const DOC: &str = include_str!("docs/i001_identity_mismatch.md");

/// Assistant and model names an assistant may wrongly claim to be.
const KNOWN_NAMES: &[&str] = &[
    "chatgpt", "gpt", "gpt-3", "gpt-3.5", "gpt-4", "gpt-4o", "claude", "gemini", "bard", "llama", "mistral", "mixtral",
    "qwen", "deepseek", "copilot", "grok", "gemma", "phi", "falcon", "vicuna", "alpaca", "palm", "ernie", "cortana",
    "siri", "alexa", "bing",
];
/// Organisations an assistant may wrongly claim as its maker.
const KNOWN_MAKERS: &[&str] = &[
    "openai",
    "anthropic",
    "google",
    "deepmind",
    "meta",
    "microsoft",
    "mistral",
    "alibaba",
    "deepseek",
    "xai",
    "amazon",
    "apple",
    "baidu",
    "facebook",
    "nvidia",
    "cohere",
    "hugging face",
    "huggingface",
];

static SYS_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[Yy]ou are|[Yy]ou're|[Yy]our name is|[Yy]ou are called)\s+(?:an?\s+|the\s+)?([A-Z][\w.\-]*)")
        .expect("regex")
});
static MAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:created|made|built|developed|trained|designed|released|produced|owned)\s+by\s+([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*)?)")
        .expect("regex")
});
static CLAIM_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\bI am|\bI'm|\bI’m|[Mm]y name is|[Cc]all me|\bI am called)\s+(?:an?\s+|the\s+)?([A-Z][\w.\-]*)")
        .expect("regex")
});
static SELF_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:I|I'm|I’m|me|my|myself|as an ai)\b").expect("regex"));

fn word_eq(a: &str, b: &str) -> bool {
    let n = |s: &str| s.trim_end_matches(['.', ',']).to_lowercase();
    n(a) == n(b)
}

/// The sentences of `text`, split on `.`, `!`, `?` and newlines.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['!', '?', '\n']).flat_map(|s| s.split(". "))
}

impl Rule for I001IdentityMismatch {
    fn code(&self) -> &'static str {
        "I001"
    }
    fn name(&self) -> &'static str {
        "identity-mismatch"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "The assistant claims another identity or maker than the system message or guidelines give it."
    }
    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let cfg = &ctx.guidelines.identity;
        let system = ctx.messages.iter().find(|m| m.role == "system").map(|m| m.text()).unwrap_or("");
        if system.is_empty() && cfg.name.is_none() && cfg.maker.is_none() {
            return Vec::new();
        }
        let name = SYS_NAME
            .captures(system)
            .map(|c| c[1].trim_end_matches([',', '.']).to_string())
            .filter(|n| !matches!(n.as_str(), "A" | "An" | "The" | "Helpful"))
            .or_else(|| cfg.name.clone());
        let maker = MAKER.captures(system).map(|c| c[1].to_string()).or_else(|| cfg.maker.clone());
        if name.is_none() && maker.is_none() {
            return Vec::new();
        }
        let accepted = |claim: &str| -> bool {
            name.as_deref().is_some_and(|n| word_eq(n, claim))
                || maker.as_deref().is_some_and(|m| {
                    let (m, c) = (m.to_lowercase(), claim.to_lowercase());
                    m.contains(c.trim_end_matches('.')) || c.contains(&m)
                })
                || cfg.aliases.iter().any(|a| word_eq(a, claim))
        };
        let mut out = Vec::new();
        for (i, m) in ctx.messages.iter().enumerate() {
            if m.role != "assistant" {
                continue;
            }
            let mut bad: Option<String> = None;
            for s in sentences(m.text()) {
                if !SELF_REF.is_match(s) {
                    continue;
                }
                for c in CLAIM_NAME.captures_iter(s) {
                    let claim = c[1].trim_end_matches([',', '.']);
                    let lower = claim.to_lowercase();
                    if KNOWN_NAMES.iter().any(|k| lower == *k || lower.starts_with(&format!("{k}-")))
                        && !accepted(claim)
                    {
                        bad = Some(format!("claims to be {claim}"));
                    }
                }
                for c in MAKER.captures_iter(s) {
                    let claim = c[1].trim_end_matches([',', '.', '!', ';', ':']).to_string();
                    let lower = claim.to_lowercase();
                    let known = KNOWN_MAKERS.iter().any(|k| lower.starts_with(k));
                    let differs = maker.is_some() && !accepted(&claim);
                    if known && differs {
                        bad = Some(format!("claims to be made by {claim}"));
                    }
                }
                if bad.is_some() {
                    break;
                }
            }
            if let Some(b) = bad {
                let who = match (&name, &maker) {
                    (Some(n), Some(mk)) => format!("{n} by {mk}"),
                    (Some(n), None) => n.clone(),
                    (None, Some(mk)) => format!("made by {mk}"),
                    (None, None) => String::new(),
                };
                out.push(ctx.finding("I001", Some(i), format!("assistant {b}, but it is {who}")));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run_fields;
    use serde_json::json;

    fn with_system(answer: &str) -> serde_json::Value {
        json!({"messages": [
            {"role": "system", "content": "You are Nova, a helpful assistant created by Acme Labs."},
            {"role": "user", "content": "Who are you?"},
            {"role": "assistant", "content": answer}]})
    }

    #[test]
    fn bad() {
        for a in [
            "I'm ChatGPT, a large language model trained by OpenAI.",
            "I was created by Anthropic.",
            "As an AI developed by Google, I am Gemini.",
        ] {
            assert_eq!(run_fields(with_system(a), "I001").len(), 1, "{a}");
        }
        // the maker is named without the sentence's closing punctuation
        let f = run_fields(with_system("I was created by Anthropic."), "I001");
        assert!(f[0].message.contains("made by Anthropic,"), "{}", f[0].message);
    }

    #[test]
    fn good() {
        for a in [
            "I am Nova, an assistant created by Acme Labs.",
            "No, I'm Nova, not ChatGPT.",
            "Google was founded in 1998.",
        ] {
            assert!(run_fields(with_system(a), "I001").is_empty(), "{a}");
        }
        // no identity known: nothing to check
        let f = json!({"messages": [{"role": "user", "content": "Who are you?"}, {"role": "assistant", "content": "I'm ChatGPT."}]});
        assert!(run_fields(f, "I001").is_empty());
    }
}
