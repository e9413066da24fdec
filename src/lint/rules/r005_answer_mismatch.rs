#![doc = include_str!("docs/r005_answer_mismatch.md")]

use crate::lint::answer::same_value;
use crate::lint::math;
use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext, Severity};

pub struct R005AnswerMismatch;

const DOC: &str = include_str!("docs/r005_answer_mismatch.md");

fn normalise(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

impl Rule for R005AnswerMismatch {
    fn code(&self) -> &'static str {
        "R005"
    }
    fn name(&self) -> &'static str {
        "answer-mismatch"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "The stated final answer differs from the row's reference answer."
    }
    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let (Some(reference), Some(i)) = (ctx.reference.as_deref(), ctx.last_assistant()) else {
            return Vec::new();
        };
        let reference = reference.trim();
        if reference.is_empty() {
            return Vec::new();
        }
        let a = ctx.analysis(i);
        let Some(ans) = &a.final_answer else {
            return Vec::new();
        };
        let ok = match (math::parse_value(reference), ans.value) {
            (Some(r), Some(v)) => {
                same_value(v, r)
                    // the reference anywhere in the answer statement ("... 3 bags, 54 oranges")
                    || math::numbers(&ans.text).iter().any(|(_, n)| same_value(n.value, r))
                    // rounding to the precision the reference is written with
                    || {
                        let dec = reference.split_once('.').map(|(_, d)| d.len() as i32).unwrap_or(0);
                        (v - r).abs() <= 0.5 * 10f64.powi(-dec) + 1e-9 && (v - v.round()).abs() > 1e-9
                    }
            }
            (Some(_), None) => return Vec::new(),
            (None, _) => normalise(&ans.text).contains(&normalise(reference)),
        };
        if ok {
            return Vec::new();
        }
        vec![ctx.finding(
            "R005",
            Some(i),
            format!("stated answer `{}` differs from the reference `{reference}`", ans.text),
        )]
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run;

    const Q: &str = "Jim has $100 at 10% interest plus $10 added each year. What does he have after 2 years?";

    #[test]
    fn bad() {
        let a = "After year 1: 100 + 10 + 10 = 120.\nAfter year 2: 120 + 12 + 10 = 142.\nThe answer is 149.";
        assert_eq!(run(Q, a, Some("142"), "R005").len(), 1);
        assert_eq!(run(Q, "120 + 12 + 10 = 142\n#### 98", Some("142"), "R005").len(), 1);
        assert_eq!(run(Q, "120 + 12 + 10 = 142\n\\boxed{143}", Some("142"), "R005").len(), 1);
    }

    /// Wrong final answers stated in phrasings of our own, with units, decimals and percentages.
    #[test]
    fn bad_phrasings() {
        let steps = "4 * 3 = 12.\n12 + 30 = 42.\n";
        let mut missed = Vec::new();
        for (end, reference) in [
            ("Therefore the crate weighs 44 kg.", "42"),
            ("Thus: 44", "42"),
            ("**Answer:** 44", "42"),
            ("$\\boxed{44}$", "42"),
            ("⇒ 44 kg", "42"),
            ("So, in all, she pays $1,243.50.", "1234.5"),
            ("Final result: 13.5%", "12.5"),
            ("Hence 3.25 hours.", "3.75"),
            ("That gives 44 in total.", "42"),
            ("The final answer is **44**.", "42"),
        ] {
            if run("q", &format!("{steps}{end}"), Some(reference), "R005").len() != 1 {
                missed.push(end);
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
    }

    #[test]
    fn good() {
        assert!(run(Q, "120 + 12 + 10 = 142\nThe answer is $142.00.", Some("142"), "R005").is_empty());
        assert!(run(Q, "So the total is $1,035.", Some("1035"), "R005").is_empty());
        assert!(run(Q, "Final: 25%", Some("25"), "R005").is_empty());
        assert!(run(Q, "22 / 3 ≈ 7.33\nFinal: 7.33 km", Some("7.33"), "R005").is_empty());
        // no reference: nothing to compare
        assert!(run(Q, "The answer is 149.", None, "R005").is_empty());
    }
}
