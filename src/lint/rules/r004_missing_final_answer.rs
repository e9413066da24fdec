#![doc = include_str!("docs/r004_missing_final_answer.md")]

use crate::lint::answer::last_sentence;
use crate::lint::math;
use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext, Severity};

pub struct R004MissingFinalAnswer;

const DOC: &str = include_str!("docs/r004_missing_final_answer.md");

impl Rule for R004MissingFinalAnswer {
    fn code(&self) -> &'static str {
        "R004"
    }
    fn name(&self) -> &'static str {
        "missing-final-answer"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "A worked problem ends without a clearly stated final answer."
    }
    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let min_steps = ctx.guidelines.thresholds.final_answer_min_steps;
        let mut out = Vec::new();
        for (i, _) in ctx.assistant_turns() {
            let a = ctx.analysis(i);
            if a.steps() < min_steps || a.final_answer.is_some() {
                continue;
            }
            let (s, e) = last_sentence(&a.text);
            if !math::numbers(&a.text[s..e]).is_empty() {
                continue;
            }
            out.push(ctx.finding("R004", Some(i), "the worked answer does not end by stating its final answer"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run;

    const Q: &str = "A pen costs $4 and a book costs $7. How much do 2 pens and a book cost?";

    #[test]
    fn bad() {
        assert_eq!(run(Q, "2 * 4 = 8.\n8 + 7 = 15.\nThat is how you work it out.", None, "R004").len(), 1);
    }

    #[test]
    fn good() {
        assert!(run(Q, "2 * 4 = 8.\n8 + 7 = 15.\nThe answer is $15.", None, "R004").is_empty());
        assert!(run(Q, "2 * 4 = 8.\n8 + 7 = 15, so they cost $15 together.", None, "R004").is_empty());
    }
}
