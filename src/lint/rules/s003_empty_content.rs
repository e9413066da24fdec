#![doc = include_str!("docs/s003_empty_content.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};

pub struct S003EmptyContent;

impl Rule for S003EmptyContent {
    rule_meta!(
        "S003",
        "empty-content",
        Error,
        "A message has empty content.",
        include_str!("docs/s003_empty_content.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        ctx.messages
            .iter()
            .enumerate()
            .filter(|(_, m)| m.text().trim().is_empty() && !m.has_tool_calls)
            .map(|(i, m)| ctx.finding("S003", Some(i), format!("`{}` message has empty content", m.raw_role)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run_fields;
    use serde_json::json;

    #[test]
    fn bad_and_good() {
        let bad = json!({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "  \n"}]});
        assert_eq!(run_fields(bad, "S003").len(), 1);
        let bad = json!({"messages": [{"role": "user"}, {"role": "assistant", "content": "Hi"}]});
        assert_eq!(run_fields(bad, "S003").len(), 1);
        let good = json!({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]});
        assert!(run_fields(good, "S003").is_empty());
    }
}
