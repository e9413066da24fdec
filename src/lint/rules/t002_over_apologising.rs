#![doc = include_str!("docs/t002_over_apologising.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};
use regex::Regex;
use std::sync::LazyLock;

pub struct T002OverApologising;

static APOLOGY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:sorry|i apologi[sz]e|apologies|my apology|i'm so sorry|please forgive me|pardon me)\b")
        .expect("regex")
});

impl Rule for T002OverApologising {
    rule_meta!(
        "T002",
        "over-apologising",
        Warning,
        "The assistant apologises repeatedly.",
        include_str!("docs/t002_over_apologising.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let max = ctx.guidelines.thresholds.max_apologies;
        ctx.messages
            .iter()
            .enumerate()
            .filter(|(_, m)| m.role == "assistant")
            .filter_map(|(i, m)| {
                let lower = m.text().to_ascii_lowercase();
                if !["sorr", "apolog", "forgive", "pardon"].iter().any(|w| lower.contains(w)) {
                    return None;
                }
                let n = APOLOGY.find_iter(m.text()).count();
                (n > max).then(|| ctx.finding("T002", Some(i), format!("{n} apologies in one message (at most {max})")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run;

    #[test]
    fn bad_and_good() {
        assert_eq!(run("q", "Sorry for the confusion! I apologize, my apologies again.", None, "T002").len(), 1);
        assert!(run("q", "Sorry for the confusion: the correct total is 12.", None, "T002").is_empty());
    }
}
