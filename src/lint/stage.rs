//! The `lint` pipeline stage: annotate each record's findings in a field, or drop records with
//! error-severity findings.

use super::{Finding, Linter, Severity};
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use serde_json::{Value, json};

/// What the stage does with findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintStageMode {
    /// Keep every record; write its findings (possibly `[]`) into the field.
    Annotate,
    /// Drop records with at least one error finding (reason: their codes, e.g. `R001,R006`);
    /// other records are kept and annotated.
    Drop,
}

pub struct LintStage {
    linter: Linter,
    mode: LintStageMode,
    field: String,
    reference_field: Option<String>,
}

impl LintStage {
    /// `field` is where findings are written (e.g. `lint`); `reference_field` as in
    /// [`Linter::lint`].
    pub fn new(linter: Linter, mode: LintStageMode, field: impl Into<String>, reference_field: Option<String>) -> Self {
        LintStage { linter, mode, field: field.into(), reference_field }
    }
}

fn compact(f: &Finding) -> Value {
    json!({"rule": f.rule, "severity": f.severity, "message_index": f.message_index, "message": f.message})
}

impl Stage for LintStage {
    fn name(&self) -> &str {
        "lint"
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        let findings = self.linter.lint(rec, self.reference_field.as_deref());
        if self.mode == LintStageMode::Drop {
            let mut codes: Vec<&str> =
                findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.rule.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            if !codes.is_empty() {
                return Verdict::Drop {
                    reason: codes.join(","),
                    detail: Some(Value::Array(findings.iter().map(compact).collect())),
                };
            }
        }
        rec.fields.insert(self.field.clone(), Value::Array(findings.iter().map(compact).collect()));
        Verdict::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Guidelines;
    use crate::lint::testutil::record;

    fn rec(answer: &str) -> Record {
        record(json!({"id": "x", "reference": "9",
            "messages": [{"role": "user", "content": "Ann has 13 apples and eats 4. How many apples does she have left now?"},
                         {"role": "assistant", "content": answer}]}))
    }

    #[test]
    fn annotate_and_drop() {
        let st = LintStage::new(Linter::new(Guidelines::default()).unwrap(), LintStageMode::Annotate, "lint", None);
        let mut r = rec("13 - 4 = 8 apples.\nThe answer is 9.");
        assert_eq!(st.process(&mut r), Verdict::Keep);
        assert_eq!(r.fields["lint"][0]["rule"], "R006");

        let st = LintStage::new(Linter::new(Guidelines::default()).unwrap(), LintStageMode::Drop, "lint", None);
        let mut r = rec("The answer is 9. Because 13 - 4 = 8.");
        match st.process(&mut r) {
            Verdict::Drop { reason, .. } => assert_eq!(reason, "R001,R006"),
            v => panic!("{v:?}"),
        }
        let mut clean = rec("13 - 4 = 9 apples are left.\nThe answer is 9.");
        assert_eq!(st.process(&mut clean), Verdict::Keep);
        assert_eq!(clean.fields["lint"], json!([]));
    }
}
