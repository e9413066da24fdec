#![doc = include_str!("docs/t003_ai_boilerplate.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};
use regex::Regex;
use std::sync::LazyLock;

pub struct T003AiBoilerplate;

static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bas an ai(?: language)? model\b|\bas a (?:large )?language model\b|\bi(?:'m| am) (?:just|only) an ai\b|\bas an ai(?: assistant)?, i (?:do not|don't|cannot|can't|am not|have no)\b|\bi(?:'m| am) an ai and (?:do not|don't|cannot|can't)\b|\bi do not have personal (?:opinions|feelings|experiences)\b|\bi don't have personal (?:opinions|feelings|experiences)\b",
    )
    .expect("regex")
});

impl Rule for T003AiBoilerplate {
    rule_meta!(
        "T003",
        "ai-boilerplate",
        Warning,
        "AI disclaimer boilerplate (\"As an AI language model\").",
        include_str!("docs/t003_ai_boilerplate.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        ctx.messages
            .iter()
            .enumerate()
            .filter(|(_, m)| m.role == "assistant")
            .filter(|(_, m)| {
                let lower = m.text().to_ascii_lowercase();
                lower.contains(" ai") || lower.contains("language model") || lower.contains("personal")
            })
            .filter_map(|(i, m)| {
                BOILERPLATE
                    .find(m.text())
                    .map(|h| ctx.finding("T003", Some(i), format!("AI boilerplate `{}`", h.as_str())))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run;

    #[test]
    fn bad_and_good() {
        assert_eq!(
            run("q", "As an AI language model, I cannot have opinions, but Paris is nice.", None, "T003").len(),
            1
        );
        assert_eq!(run("q", "As an AI, I don't have feelings.", None, "T003").len(), 1);
        assert!(run("q", "Paris is known for its museums and food.", None, "T003").is_empty());
        // an identity statement is I001's business, not boilerplate
        assert!(run("q", "As an AI developed by Google, I am Gemini.", None, "T003").is_empty());
    }
}
