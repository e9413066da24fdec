//! The list of all rules, lookup by code, and `--explain`.

use super::rule::Rule;
use super::rules::*;

static RULES: &[&dyn Rule] = &[
    &R001AnswerBeforeSteps,
    &R002MissingSteps,
    &R003DenseComputation,
    &R004MissingFinalAnswer,
    &R005AnswerMismatch,
    &R006ArithmeticError,
    &I001IdentityMismatch,
    &S001UnknownRole,
    &S002RoleOrder,
    &S003EmptyContent,
    &S004NoFinalAssistant,
    &S005SpecialTokens,
    &S006Unclosed,
    &P001Pii,
    &T001ExcessiveEmphasis,
    &T002OverApologising,
    &T003AiBoilerplate,
];

/// Every rule, in code order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule with this code (case-insensitive), if any.
pub fn rule_by_code(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.code().eq_ignore_ascii_case(code.trim()))
}

/// The documentation of a rule (`sftkit lint --explain CODE`), headed by code, name and
/// default severity.
pub fn explain(code: &str) -> Option<String> {
    let r = rule_by_code(code)?;
    Some(format!("{} ({}) — default severity: {}\n\n{}", r.code(), r.name(), r.default_severity(), r.doc().trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_unique_sorted_and_documented() {
        let codes: Vec<&str> = all_rules().iter().map(|r| r.code()).collect();
        let mut uniq = codes.clone();
        uniq.dedup();
        assert_eq!(codes.len(), uniq.len());
        let readme = include_str!("../../guidelines/README.md");
        for r in all_rules() {
            let doc = r.doc();
            assert!(doc.contains(&format!("guidelines/README.md#{}", r.anchor())), "{} doc lacks its link", r.code());
            assert!(doc.contains("Bad") && doc.contains("Good"), "{} doc lacks examples", r.code());
            assert!(readme.contains(&format!("## {} {}\n", r.code(), r.name())), "README lacks section {}", r.anchor());
        }
    }

    #[test]
    fn explain_known_and_unknown() {
        let e = explain("r001").unwrap();
        assert!(e.starts_with("R001 (answer-before-steps)"));
        assert!(explain("X999").is_none());
    }
}
