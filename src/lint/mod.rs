//! `sftkit lint`: check annotators' conversations against the annotation guidelines
//! (`guidelines/README.md`).
//!
//! [`Linter::new`] takes [`Guidelines`] (a TOML file, see `guidelines/default.toml`), and
//! [`Linter::lint`] returns the [`Finding`]s of one record. [`report`] renders findings in the
//! CI formats, [`baseline`] lets a legacy dataset fail only on new findings, and [`stage`] plugs
//! the linter into a pipeline.

pub mod answer;
pub mod baseline;
pub mod config;
pub mod files;
pub mod math;
pub mod registry;
pub mod report;
pub mod rule;
pub mod rules;
pub mod stage;

use crate::record::Record;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

pub use baseline::Baseline;
pub use config::{Guidelines, Identity, Selection, Thresholds};
pub use registry::{all_rules, explain, rule_by_code};
pub use report::Format;
pub use rule::Rule;
pub use stage::{LintStage, LintStageMode};

/// How serious a finding is; `error` findings make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The record id.
    pub id: String,
    /// The input file.
    pub file: String,
    /// The record's 1-based line in `file`.
    pub line: u64,
    /// Index of the offending message in the conversation; `None` for whole-record findings.
    pub message_index: Option<usize>,
    /// Rule code, e.g. `R001`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
}

/// Errors of the lint library (the CLI maps all of them to exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("invalid guidelines TOML: {0}")]
    Config(#[from] toml::de::Error),
    #[error("unknown rule code or prefix `{0}` (see `sftkit lint --explain`)")]
    UnknownRule(String),
    #[error("unknown report format `{0}` (expected human, jsonl, json, sarif, github or junit)")]
    UnknownFormat(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid baseline {path}: {source}")]
    Baseline {
        path: String,
        #[source]
        source: serde_json::Error,
    },
}

/// The exit code for a set of findings: 0 when none has error severity, 1 otherwise.
pub fn exit_code(findings: &[Finding]) -> i32 {
    i32::from(findings.iter().any(|f| f.severity == Severity::Error))
}

/// One message of a conversation, normalised from OpenAI (`messages`: role/content) or ShareGPT
/// (`conversations`: from/value) form.
#[derive(Debug, Clone)]
pub struct Msg<'a> {
    /// Role: as written in OpenAI form; ShareGPT roles mapped (`human`→`user`, `gpt`→`assistant`).
    pub role: &'a str,
    /// The role exactly as written.
    pub raw_role: &'a str,
    /// Text content; `None` when absent, null or not a string (multimodal parts are joined).
    pub content: Option<std::borrow::Cow<'a, str>>,
    /// The message carries `tool_calls` / `function_call` (empty content is then fine).
    pub has_tool_calls: bool,
}

impl Msg<'_> {
    pub fn text(&self) -> &str {
        self.content.as_deref().unwrap_or("")
    }
}

/// ShareGPT roles to OpenAI roles (`human`→`user`, `gpt`→`assistant`, `observation`→`tool`).
fn normalise_sharegpt_role(r: &str) -> &str {
    match r {
        "human" | "user" => "user",
        "gpt" | "assistant" => "assistant",
        "function_call" => "assistant",
        "observation" | "function_response" | "tool" => "tool",
        other => other,
    }
}

fn content_of(v: Option<&Value>) -> Option<std::borrow::Cow<'_, str>> {
    match v? {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s.as_str())),
        Value::Array(parts) => {
            let texts: Vec<&str> = parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect();
            Some(std::borrow::Cow::Owned(texts.join("\n")))
        }
        _ => None,
    }
}

/// Read the conversation of a record: `messages` (OpenAI) or else `conversations` (ShareGPT).
/// `None` when the record has neither as an array.
pub fn conversation(fields: &serde_json::Map<String, Value>) -> Option<Vec<Msg<'_>>> {
    if let Some(Value::Array(ms)) = fields.get("messages") {
        return Some(
            ms.iter()
                .map(|m| {
                    let raw = m.get("role").and_then(Value::as_str).unwrap_or("");
                    Msg {
                        role: raw,
                        raw_role: raw,
                        content: content_of(m.get("content")),
                        has_tool_calls: m.get("tool_calls").is_some_and(|t| !t.is_null())
                            || m.get("function_call").is_some_and(|t| !t.is_null()),
                    }
                })
                .collect(),
        );
    }
    if let Some(Value::Array(ms)) = fields.get("conversations") {
        return Some(
            ms.iter()
                .map(|m| {
                    let raw = m.get("from").and_then(Value::as_str).unwrap_or("");
                    Msg {
                        role: normalise_sharegpt_role(raw),
                        raw_role: raw,
                        content: content_of(m.get("value")),
                        has_tool_calls: raw == "function_call",
                    }
                })
                .collect(),
        );
    }
    None
}

/// Everything a rule may look at for one record. Per-message analyses are computed once and
/// shared by the rules that need them.
pub struct LintContext<'a> {
    pub id: &'a str,
    pub file: &'a str,
    pub line: u64,
    pub messages: Vec<Msg<'a>>,
    /// The reference answer (from the `reference_field`), if any.
    pub reference: Option<String>,
    pub guidelines: &'a Guidelines,
    severities: &'a HashMap<&'static str, Severity>,
    analyses: Vec<OnceLock<answer::Analysis>>,
}

impl<'a> LintContext<'a> {
    /// The analysis (equations, answer statements, steps) of message `idx`.
    pub fn analysis(&self, idx: usize) -> &answer::Analysis {
        self.analyses[idx].get_or_init(|| answer::Analysis::of(self.messages[idx].text()))
    }

    /// Indices of the assistant messages, each with the index of the user message before it.
    pub fn assistant_turns(&self) -> impl Iterator<Item = (usize, Option<usize>)> + '_ {
        self.messages.iter().enumerate().filter(|(_, m)| m.role == "assistant").map(move |(i, _)| {
            let prev_user = self.messages[..i].iter().rposition(|m| m.role == "user");
            (i, prev_user)
        })
    }

    /// The last assistant message, if the conversation has one.
    pub fn last_assistant(&self) -> Option<usize> {
        self.messages.iter().rposition(|m| m.role == "assistant")
    }

    /// Build a finding of rule `code` with its configured severity.
    pub fn finding(&self, code: &str, message_index: Option<usize>, message: impl Into<String>) -> Finding {
        let severity = self
            .severities
            .get(code)
            .copied()
            .or_else(|| rule_by_code(code).map(|r| r.default_severity()))
            .unwrap_or(Severity::Warning);
        Finding {
            id: self.id.to_string(),
            file: self.file.to_string(),
            line: self.line,
            message_index,
            rule: code.to_string(),
            severity,
            message: message.into(),
        }
    }
}

/// The linter: the selected rules with their severities.
pub struct Linter {
    guidelines: Guidelines,
    rules: Vec<&'static dyn Rule>,
    severities: HashMap<&'static str, Severity>,
}

impl Linter {
    /// Resolve the guidelines' selection and severities. Fails on unknown rule codes.
    pub fn new(guidelines: Guidelines) -> Result<Self, LintError> {
        let rules = guidelines.lint.resolve()?;
        let mut severities = HashMap::new();
        for r in all_rules() {
            severities.insert(r.code(), r.default_severity());
        }
        for (code, sev) in &guidelines.severity {
            let r = rule_by_code(code).ok_or_else(|| LintError::UnknownRule(code.clone()))?;
            severities.insert(r.code(), *sev);
        }
        Ok(Linter { guidelines, rules, severities })
    }

    pub fn guidelines(&self) -> &Guidelines {
        &self.guidelines
    }

    /// The rules that will run, in code order.
    pub fn rules(&self) -> &[&'static dyn Rule] {
        &self.rules
    }

    /// Lint one record. `reference_field` names the field with the reference answer (R005);
    /// `None` falls back to the guidelines' `reference_field`.
    pub fn lint(&self, rec: &Record, reference_field: Option<&str>) -> Vec<Finding> {
        let ref_field = reference_field.or(self.guidelines.lint.reference_field.as_deref());
        let reference = ref_field.and_then(|f| rec.fields.get(f)).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        let suppressed: Vec<&str> = rec
            .fields
            .get(&self.guidelines.lint.suppress_field)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(messages) = conversation(&rec.fields) else {
            let ctx = self.context(rec, Vec::new(), reference);
            if self.is_on("S004") && !suppressed.iter().any(|s| matches_code(s, "S004")) {
                return vec![ctx.finding("S004", None, "record has no `messages` or `conversations` array")];
            }
            return Vec::new();
        };
        let ctx = self.context(rec, messages, reference);
        let mut out = Vec::new();
        for r in &self.rules {
            if suppressed.iter().any(|s| matches_code(s, r.code())) {
                continue;
            }
            out.extend(r.check(&ctx));
        }
        out
    }

    /// Lint many records in parallel (rayon's current pool); findings in record order.
    pub fn lint_all(&self, records: &[Record], reference_field: Option<&str>) -> Vec<Finding> {
        use rayon::prelude::*;
        records.par_iter().map(|r| self.lint(r, reference_field)).collect::<Vec<_>>().into_iter().flatten().collect()
    }

    fn is_on(&self, code: &str) -> bool {
        self.rules.iter().any(|r| r.code() == code)
    }

    fn context<'a>(&'a self, rec: &'a Record, messages: Vec<Msg<'a>>, reference: Option<String>) -> LintContext<'a> {
        let n = messages.len();
        LintContext {
            id: &rec.id,
            file: &rec.source.file,
            line: rec.source.line,
            messages,
            reference,
            guidelines: &self.guidelines,
            severities: &self.severities,
            analyses: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// Whether a suppression entry (`R003`, `R`, `ALL`) covers `code`.
pub(crate) fn matches_code(pattern: &str, code: &str) -> bool {
    let p = pattern.trim();
    p.eq_ignore_ascii_case("ALL") || (!p.is_empty() && code.starts_with(&p.to_ascii_uppercase()))
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use crate::record::Source;
    use serde_json::json;
    use std::sync::Arc;

    pub fn record(fields: Value) -> Record {
        Record {
            id: fields.get("id").and_then(Value::as_str).unwrap_or("r1").to_string(),
            source: Source { file: Arc::from("t.jsonl"), line: 1 },
            fields: fields.as_object().cloned().unwrap(),
        }
    }

    /// Codes found by the default linter on a user/assistant pair (with optional reference),
    /// restricted to rule `code`.
    pub fn run(user: &str, assistant: &str, reference: Option<&str>, code: &str) -> Vec<Finding> {
        let mut f =
            json!({"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]});
        if let Some(r) = reference {
            f["reference"] = json!(r);
        }
        run_fields(f, code)
    }

    pub fn run_fields(fields: Value, code: &str) -> Vec<Finding> {
        let linter = Linter::new(Guidelines::default()).unwrap();
        linter.lint(&record(fields), Some("reference")).into_iter().filter(|f| f.rule == code).collect()
    }
}
