//! Readable output grouped by file and record, with a summary line.

use crate::lint::{Finding, Severity};
use std::io::{self, Write};

pub fn render(findings: &[Finding], records: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by(|a, b| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)));
    let mut file: Option<&str> = None;
    let mut rec: Option<(u64, &str)> = None;
    for f in &sorted {
        if file != Some(f.file.as_str()) {
            if file.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", f.file)?;
            file = Some(&f.file);
            rec = None;
        }
        if rec != Some((f.line, f.id.as_str())) {
            writeln!(out, "  line {} (id {})", f.line, f.id)?;
            rec = Some((f.line, &f.id));
        }
        let at = f.message_index.map(|i| format!(" [message {i}]")).unwrap_or_default();
        writeln!(out, "    {} {:<7}{} {}", f.rule, f.severity.as_str(), at, f.message.replace('\n', " "))?;
    }
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    if !findings.is_empty() {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} finding{} ({errors} error{}, {} other) in {records} record{}.",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        findings.len() - errors,
        if records == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use crate::lint::report::{Format, render_to_string, sample};

    #[test]
    fn grouped_with_summary() {
        let s = render_to_string(Format::Human, &sample(), 2);
        assert!(s.starts_with("data/a:b.jsonl\n  line 7 (id b,2)\n    R003 warning"), "{s}");
        assert!(s.contains("data/train.jsonl\n  line 3 (id a-1)\n    R006 error   [message 2]"), "{s}");
        assert!(s.trim_end().ends_with("2 findings (1 error, 1 other) in 2 records."), "{s}");
    }
}
