#![doc = include_str!("docs/s001_unknown_role.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};

pub struct S001UnknownRole;

const KNOWN: &[&str] = &["system", "developer", "user", "assistant", "tool", "function", "ipython"];

impl Rule for S001UnknownRole {
    rule_meta!(
        "S001",
        "unknown-role",
        Error,
        "A message has an unknown role.",
        include_str!("docs/s001_unknown_role.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        ctx.messages
            .iter()
            .enumerate()
            .filter(|(_, m)| !KNOWN.contains(&m.role))
            .map(|(i, m)| ctx.finding("S001", Some(i), format!("unknown role `{}`", m.raw_role)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run_fields;
    use serde_json::json;

    #[test]
    fn bad_and_good() {
        let bad = json!({"messages": [{"role": "user", "content": "Hi"}, {"role": "bot", "content": "Hi!"}]});
        assert_eq!(run_fields(bad, "S001").len(), 1);
        let good = json!({"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hi!"}]});
        assert!(run_fields(good, "S001").is_empty());
    }
}
