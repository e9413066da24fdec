#![doc = include_str!("docs/t001_excessive_emphasis.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};

pub struct T001ExcessiveEmphasis;

/// Whether `c` is an emoji (pictographic blocks; digits and `#` are not counted).
fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF | 0x2B50 | 0x2B55)
}

impl Rule for T001ExcessiveEmphasis {
    rule_meta!(
        "T001",
        "excessive-emphasis",
        Warning,
        "Too many emojis or exclamation marks.",
        include_str!("docs/t001_excessive_emphasis.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let t = &ctx.guidelines.thresholds;
        let mut out = Vec::new();
        for (i, m) in ctx.messages.iter().enumerate() {
            if m.role != "assistant" {
                continue;
            }
            let text = m.text();
            let emojis = text.chars().filter(|&c| is_emoji(c)).count();
            // "!=" in code is not an exclamation
            let bangs = text.matches('!').count() - text.matches("!=").count();
            if emojis > t.max_emojis {
                out.push(ctx.finding("T001", Some(i), format!("{emojis} emojis (at most {})", t.max_emojis)));
            } else if bangs > t.max_exclamations {
                out.push(ctx.finding(
                    "T001",
                    Some(i),
                    format!("{bangs} exclamation marks (at most {})", t.max_exclamations),
                ));
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
        assert_eq!(run("q", "Great question!!! 🎉🎉🎉🎉🎉🎉 Let us go!!!", None, "T001").len(), 1);
        assert_eq!(run("q", "Wow! Amazing! Great! Superb!", None, "T001").len(), 1);
        assert!(run("q", "Good question! Here is how it works 🙂. Use `a != b`.", None, "T001").is_empty());
    }
}
