#![doc = include_str!("docs/s006_unclosed.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};

pub struct S006Unclosed;

impl Rule for S006Unclosed {
    rule_meta!(
        "S006",
        "unclosed",
        Error,
        "Unclosed `<think>` block or code fence.",
        include_str!("docs/s006_unclosed.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, m) in ctx.messages.iter().enumerate() {
            let t = m.text();
            let open = t.matches("<think>").count();
            let close = t.matches("</think>").count();
            if open != close {
                out.push(ctx.finding("S006", Some(i), format!("{open} `<think>` but {close} `</think>`")));
            }
            let fences = t.lines().filter(|l| l.trim_start().starts_with("```")).count();
            if fences % 2 == 1 {
                out.push(ctx.finding("S006", Some(i), "a ``` code fence is never closed"));
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
        assert_eq!(run("q", "<think>First add 4 + 5 = 9. The answer is 9.", None, "S006").len(), 1);
        assert_eq!(run("q", "```python\nprint(1)\n", None, "S006").len(), 1);
        assert!(run("q", "<think>4 + 5 = 9.</think> The answer is 9.\n```py\nprint(9)\n```", None, "S006").is_empty());
    }
}
