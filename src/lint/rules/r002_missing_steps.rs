#![doc = include_str!("docs/r002_missing_steps.md")]

use crate::lint::math;
use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext, Severity};

pub struct R002MissingSteps;

const DOC: &str = include_str!("docs/r002_missing_steps.md");

/// Words that state a quantity in a word problem.
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
    "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "dozen", "dozens", "twice", "thrice",
    "half", "double", "triple", "quarter", "third", "thirds", "quarters", "percent", "once",
];

const QUESTION_CUES: &[&str] =
    &["how", "what", "find", "calculate", "compute", "determine", "work out", "total", "many", "much"];

/// Whether a user turn is a problem that needs several steps.
pub fn needs_steps(text: &str, min_quantities: usize, min_words: usize) -> bool {
    let words = text.split_whitespace().count();
    if words < min_words {
        return false;
    }
    let digits = math::numbers(text).len();
    let worded = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| NUMBER_WORDS.iter().any(|n| n.eq_ignore_ascii_case(w)))
        .count();
    if digits + worded < min_quantities {
        return false;
    }
    let lower = text.to_lowercase();
    text.contains('?') || QUESTION_CUES.iter().any(|c| lower.contains(c))
}

impl Rule for R002MissingSteps {
    fn code(&self) -> &'static str {
        "R002"
    }
    fn name(&self) -> &'static str {
        "missing-steps"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "A problem that needs several steps is answered without them."
    }
    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let t = &ctx.guidelines.thresholds;
        let mut out = Vec::new();
        for (i, user) in ctx.assistant_turns() {
            let Some(u) = user else { continue };
            let a = ctx.analysis(i);
            if a.steps() > 0 || a.bare_ops > 0 || a.words > t.bare_answer_max_words {
                continue;
            }
            if math::numbers(&a.text).is_empty() {
                continue;
            }
            if !needs_steps(ctx.messages[u].text(), t.multistep_min_quantities, t.multistep_min_words) {
                continue;
            }
            out.push(ctx.finding(
                "R002",
                Some(i),
                "multi-step problem answered without working: write the intermediate results before the answer",
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run;

    const Q: &str = "Jack has 13 more notebooks than Gerald. Jack gives 5 notebooks to Paula and 6 to Mike. If Gerald has 8 notebooks, how many does Jack have left?";

    #[test]
    fn bad() {
        for a in ["10", "The answer is 10.", "**10**", "\\boxed{10}", "He has 10 left."] {
            assert_eq!(run(Q, a, Some("10"), "R002").len(), 1, "{a}");
        }
    }

    #[test]
    fn good() {
        let a =
            "Jack has 8 + 13 = 21 notebooks. He gives away 5 + 6 = 11, so 21 - 11 = 10 are left.\nThe answer is 10.";
        assert!(run(Q, a, Some("10"), "R002").is_empty());
        // a one-step question needs no working
        assert!(run("What is 2 + 2?", "4", Some("4"), "R002").is_empty());
        // a chat question with no quantities
        assert!(
            run("What year did the Second World War end in Europe, and why then?", "It ended in 1945.", None, "R002")
                .is_empty()
        );
    }
}
