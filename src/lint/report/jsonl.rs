//! One JSON object per finding and line.

use crate::lint::Finding;
use std::io::{self, Write};

pub fn render(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *out, f)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::lint::report::{Format, render_to_string, sample};

    #[test]
    fn one_object_per_line() {
        let s = render_to_string(Format::Jsonl, &sample(), 2);
        let lines: Vec<serde_json::Value> = s.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        for k in ["id", "file", "line", "message_index", "rule", "severity", "message"] {
            assert!(lines[0].get(k).is_some(), "{k}");
        }
        assert_eq!(lines[0]["severity"], "error");
        assert_eq!(lines[1]["message_index"], serde_json::Value::Null);
    }
}
