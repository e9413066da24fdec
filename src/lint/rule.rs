//! The `Rule` trait every lint rule implements.

use super::{Finding, LintContext, Severity};

/// One lint rule. Rules are stateless unit structs registered in [`super::registry`].
pub trait Rule: Send + Sync {
    /// Stable code, e.g. `R001`.
    fn code(&self) -> &'static str;
    /// Kebab-case name, e.g. `answer-before-steps`.
    fn name(&self) -> &'static str;
    /// Severity unless the guidelines' `[severity]` table overrides it.
    fn default_severity(&self) -> Severity;
    /// One-line description (SARIF `shortDescription`, `--explain` title).
    fn summary(&self) -> &'static str;
    /// The rule documentation: what it checks, why (with a link into `guidelines/README.md`),
    /// a bad and a good example. Returned by `sftkit lint --explain CODE`.
    fn doc(&self) -> &'static str;
    /// Findings of this rule for one record.
    fn check(&self, ctx: &LintContext) -> Vec<Finding>;

    /// Anchor of the rule's section in `guidelines/README.md`, e.g. `r001-answer-before-steps`.
    fn anchor(&self) -> String {
        format!("{}-{}", self.code().to_ascii_lowercase(), self.name())
    }
}
