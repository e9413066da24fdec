#![doc = include_str!("docs/s002_role_order.md")]

use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext};

pub struct S002RoleOrder;

impl Rule for S002RoleOrder {
    rule_meta!(
        "S002",
        "role-order",
        Error,
        "System message not first, or user/assistant turns do not alternate.",
        include_str!("docs/s002_role_order.md")
    );

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut prev: Option<&str> = None;
        for (i, m) in ctx.messages.iter().enumerate() {
            match m.role {
                "system" | "developer" => {
                    if ctx.messages[..i].iter().any(|p| p.role != "system" && p.role != "developer") {
                        out.push(ctx.finding(
                            "S002",
                            Some(i),
                            "system message is not at the start of the conversation",
                        ));
                    }
                    continue;
                }
                "user" | "assistant" => {
                    if prev == Some(m.role) {
                        out.push(ctx.finding("S002", Some(i), format!("two `{}` turns in a row", m.role)));
                    }
                    prev = Some(m.role);
                }
                "tool" | "function" | "ipython" => {
                    if !matches!(prev, Some("assistant") | Some("tool")) {
                        out.push(ctx.finding("S002", Some(i), "tool result does not follow an assistant turn"));
                    }
                    prev = Some("tool");
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run_fields;
    use serde_json::json;

    #[test]
    fn bad() {
        let f = json!({"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}, {"role": "assistant", "content": "c"}]});
        assert_eq!(run_fields(f, "S002").len(), 1);
        let f = json!({"messages": [{"role": "user", "content": "a"}, {"role": "system", "content": "b"}, {"role": "assistant", "content": "c"}]});
        assert_eq!(run_fields(f, "S002").len(), 1);
    }

    #[test]
    fn good() {
        let f = json!({"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "a"},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "1"}]}, {"role": "tool", "content": "42"},
            {"role": "assistant", "content": "It is 42."}]});
        assert!(run_fields(f, "S002").is_empty());
    }
}
