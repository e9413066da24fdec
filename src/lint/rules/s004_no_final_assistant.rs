#![doc = include_str!("docs/s004_no_final_assistant.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};

pub struct S004NoFinalAssistant;

impl Rule for S004NoFinalAssistant {
    rule_meta!(
        "S004",
        "no-final-assistant",
        Error,
        "The conversation does not end with an assistant turn.",
        include_str!("docs/s004_no_final_assistant.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        match ctx.messages.last() {
            Some(m) if m.role == "assistant" => Vec::new(),
            Some(m) => vec![ctx.finding(
                "S004",
                Some(ctx.messages.len() - 1),
                format!("conversation ends with a `{}` turn, not an assistant turn", m.raw_role),
            )],
            None => vec![ctx.finding("S004", None, "conversation has no messages")],
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run_fields;
    use serde_json::json;

    #[test]
    fn bad_and_good() {
        assert_eq!(run_fields(json!({"messages": [{"role": "user", "content": "Hi"}]}), "S004").len(), 1);
        assert_eq!(run_fields(json!({"text": "no conversation"}), "S004").len(), 1);
        let good = json!({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]});
        assert!(run_fields(good, "S004").is_empty());
    }
}
