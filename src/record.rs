//! The unit of data that flows through a pipeline, and the fate every record ends in.

use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;

/// Where a record came from: the input file and its 1-based line (row number for Parquet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub file: Arc<str>,
    pub line: u64,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One input row: every input field is kept, in input order.
#[derive(Debug, Clone)]
pub struct Record {
    /// The `--id-field` value, or `<file>:<line>` when the row has none.
    pub id: String,
    pub source: Source,
    pub fields: Map<String, Value>,
}

impl Record {
    /// The string value of `field`, if present and a string.
    pub fn str_field(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(Value::as_str)
    }
}

/// What a stage decides about one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Keep the record (the stage may have changed its fields).
    Keep,
    /// Drop the record; `reason` is a short machine-readable string (e.g. datatrove's
    /// `gopher_short_doc`). `detail` is optional extra JSON stored under `_rejected`.
    Drop { reason: String, detail: Option<Value> },
    /// The record could not be processed (bad field type, template raised, ...).
    Error { message: String },
}

impl Verdict {
    pub fn drop(reason: impl Into<String>) -> Self {
        Verdict::Drop { reason: reason.into(), detail: None }
    }
    pub fn error(message: impl Into<String>) -> Self {
        Verdict::Error { message: message.into() }
    }
}

/// The end state of a record after a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    Kept,
    Dropped { stage: String, reason: String, detail: Option<Value> },
    Error { stage: String, message: String },
}
