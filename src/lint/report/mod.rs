//! Rendering findings: `human`, `jsonl`, `json`, `sarif`, `github`, `junit`.

pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod sarif;

use super::{Finding, LintError};
use std::io::{self, Write};
use std::str::FromStr;

/// Output format of `sftkit lint --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Jsonl,
    Json,
    Sarif,
    Github,
    Junit,
}

impl FromStr for Format {
    type Err = LintError;
    fn from_str(s: &str) -> Result<Self, LintError> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "human" | "text" => Format::Human,
            "jsonl" => Format::Jsonl,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            "junit" => Format::Junit,
            _ => return Err(LintError::UnknownFormat(s.to_string())),
        })
    }
}

/// Write `findings` in `format`. `records` is the number of records linted (for summaries).
pub fn render(format: Format, findings: &[Finding], records: usize, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(findings, records, out),
        Format::Jsonl => jsonl::render(findings, out),
        Format::Json => json::render(findings, records, out),
        Format::Sarif => sarif::render(findings, out),
        Format::Github => github::render(findings, out),
        Format::Junit => junit::render(findings, records, out),
    }
}

/// Render to a `String` (tests, small outputs).
pub fn render_to_string(format: Format, findings: &[Finding], records: usize) -> String {
    let mut buf = Vec::new();
    render(format, findings, records, &mut buf).expect("writing to a Vec cannot fail");
    String::from_utf8(buf).expect("reports are UTF-8")
}

#[cfg(test)]
pub(crate) fn sample() -> Vec<Finding> {
    use super::Severity;
    vec![
        Finding {
            id: "a-1".into(),
            file: "data/train.jsonl".into(),
            line: 3,
            message_index: Some(2),
            rule: "R006".into(),
            severity: Severity::Error,
            message: "`13 - 4 = 8`: the left side is 9, not 8".into(),
        },
        Finding {
            id: "b,2".into(),
            file: "data/a:b.jsonl".into(),
            line: 7,
            message_index: None,
            rule: "R003".into(),
            severity: Severity::Warning,
            message: "50% done\nsecond line <&>".into(),
        },
    ]
}
