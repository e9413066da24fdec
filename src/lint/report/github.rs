//! GitHub Actions workflow commands: `::error file=F,line=N,title=CODE::message`.
//!
//! GitHub shows at most 10 error and 10 warning annotations per step; the rest are summarised in
//! one `::notice` line. Data is escaped `%`→`%25`, `\r`→`%0D`, `\n`→`%0A`; properties also
//! escape `:`→`%3A` and `,`→`%2C` (as in `@actions/core`'s `toCommandProperties`).

use crate::lint::{Finding, Severity};
use std::io::{self, Write};

/// Annotations GitHub displays per step and level.
pub const MAX_PER_LEVEL: usize = 10;

pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let (mut errors, mut warnings, mut hidden) = (0, 0, 0);
    for f in findings {
        let (cmd, n) = match f.severity {
            Severity::Error => ("error", &mut errors),
            Severity::Warning => ("warning", &mut warnings),
            Severity::Info => ("notice", &mut warnings),
        };
        *n += 1;
        if *n > MAX_PER_LEVEL {
            hidden += 1;
            continue;
        }
        writeln!(
            out,
            "::{cmd} file={},line={},title={}::{}",
            escape_property(&f.file),
            f.line,
            escape_property(&f.rule),
            escape_data(&format!("{} (record {})", f.message, f.id))
        )?;
    }
    if hidden > 0 {
        writeln!(
            out,
            "::notice title=sftkit lint::{hidden} more finding{} not annotated (GitHub shows {MAX_PER_LEVEL} errors and {MAX_PER_LEVEL} warnings per step); {} findings in total",
            if hidden == 1 { "" } else { "s" },
            findings.len()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};
    use crate::lint::report::{Format, render_to_string, sample};

    #[test]
    fn property_escaping() {
        assert_eq!(escape_property("a:b,c%d\r\n"), "a%3Ab%2Cc%25d%0D%0A");
        assert_eq!(escape_data("a:b,c%d\r\n"), "a:b,c%25d%0D%0A");
    }

    #[test]
    fn escaping() {
        let s = render_to_string(Format::Github, &sample(), 2);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(
            lines[0],
            "::error file=data/train.jsonl,line=3,title=R006::`13 - 4 = 8`: the left side is 9, not 8 (record a-1)"
        );
        assert_eq!(
            lines[1],
            "::warning file=data/a%3Ab.jsonl,line=7,title=R003::50%25 done%0Asecond line <&> (record b,2)"
        );
    }

    #[test]
    fn limit_and_summary() {
        let mut many = Vec::new();
        for k in 0..25 {
            let mut f = sample()[0].clone();
            f.line = k;
            many.push(f);
        }
        many.push(sample()[1].clone());
        let s = render_to_string(Format::Github, &many, 26);
        assert_eq!(s.lines().filter(|l| l.starts_with("::error")).count(), 10);
        assert_eq!(s.lines().filter(|l| l.starts_with("::warning")).count(), 1);
        assert!(s.lines().last().unwrap().starts_with("::notice title=sftkit lint::15 more findings"));
    }
}
