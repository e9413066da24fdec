//! One file per rule; each module's doc comment (from `docs/<rule>.md`) is the rule's
//! `--explain` text.

/// The metadata methods of a [`crate::lint::rule::Rule`] impl.
macro_rules! rule_meta {
    ($code:literal, $name:literal, $sev:ident, $summary:literal, $doc:expr) => {
        fn code(&self) -> &'static str {
            $code
        }
        fn name(&self) -> &'static str {
            $name
        }
        fn default_severity(&self) -> crate::lint::Severity {
            crate::lint::Severity::$sev
        }
        fn summary(&self) -> &'static str {
            $summary
        }
        fn doc(&self) -> &'static str {
            $doc
        }
    };
}

pub mod i001_identity_mismatch;
pub mod p001_pii;
pub mod r001_answer_before_steps;
pub mod r002_missing_steps;
pub mod r003_dense_computation;
pub mod r004_missing_final_answer;
pub mod r005_answer_mismatch;
pub mod r006_arithmetic_error;
pub mod s001_unknown_role;
pub mod s002_role_order;
pub mod s003_empty_content;
pub mod s004_no_final_assistant;
pub mod s005_special_tokens;
pub mod s006_unclosed;
pub mod t001_excessive_emphasis;
pub mod t002_over_apologising;
pub mod t003_ai_boilerplate;

pub use i001_identity_mismatch::I001IdentityMismatch;
pub use p001_pii::P001Pii;
pub use r001_answer_before_steps::R001AnswerBeforeSteps;
pub use r002_missing_steps::R002MissingSteps;
pub use r003_dense_computation::R003DenseComputation;
pub use r004_missing_final_answer::R004MissingFinalAnswer;
pub use r005_answer_mismatch::R005AnswerMismatch;
pub use r006_arithmetic_error::R006ArithmeticError;
pub use s001_unknown_role::S001UnknownRole;
pub use s002_role_order::S002RoleOrder;
pub use s003_empty_content::S003EmptyContent;
pub use s004_no_final_assistant::S004NoFinalAssistant;
pub use s005_special_tokens::S005SpecialTokens;
pub use s006_unclosed::S006Unclosed;
pub use t001_excessive_emphasis::T001ExcessiveEmphasis;
pub use t002_over_apologising::T002OverApologising;
pub use t003_ai_boilerplate::T003AiBoilerplate;
