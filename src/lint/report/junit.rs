//! JUnit XML for CI dashboards: one `<testsuite>` per input file, one `<testcase>` per finding
//! (error findings are `<failure>`s, others pass with the message in `<system-out>`).

use crate::lint::{Finding, Severity};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Escape text for XML attributes and content; drops characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' => o.push_str("&#10;"),
            '\t' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

pub fn render(findings: &[Finding], records: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_file.entry(&f.file).or_default().push(f);
    }
    let failures = findings.iter().filter(|f| f.severity == Severity::Error).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="sftkit lint" tests="{}" failures="{failures}" errors="0">"#,
        findings.len().max(1)
    )?;
    if findings.is_empty() {
        writeln!(out, r#"  <testsuite name="sftkit lint" tests="1" failures="0" errors="0">"#)?;
        writeln!(out, r#"    <testcase name="{records} records linted" classname="sftkit lint"/>"#)?;
        writeln!(out, "  </testsuite>")?;
    }
    for (file, fs) in &by_file {
        let fails = fs.iter().filter(|f| f.severity == Severity::Error).count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{fails}" errors="0">"#,
            xml_escape(file),
            fs.len()
        )?;
        for f in fs {
            let name = xml_escape(&format!("{} {} line {}", f.rule, f.id, f.line));
            writeln!(out, r#"    <testcase name="{name}" classname="{}">"#, xml_escape(file))?;
            let body = xml_escape(&format!("{}:{}: {} {}", f.file, f.line, f.rule, f.message));
            if f.severity == Severity::Error {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{body}</failure>"#,
                    xml_escape(&f.message),
                    f.rule
                )?;
            } else {
                writeln!(out, "      <system-out>{} {body}</system-out>", f.severity)?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use crate::lint::report::{Format, render_to_string, sample};

    /// A minimal well-formedness check: every tag closes in order, attributes are quoted, and no
    /// raw `<` or `&` appears in text.
    fn well_formed(xml: &str) -> Result<(), String> {
        let body = xml.trim_start().strip_prefix("<?xml").and_then(|r| r.split_once("?>")).ok_or("no prolog")?.1;
        let mut stack: Vec<String> = Vec::new();
        let mut rest = body;
        while let Some(lt) = rest.find('<') {
            let text = &rest[..lt];
            if text.contains('>')
                || text
                    .replace("&amp;", "")
                    .replace("&lt;", "")
                    .replace("&gt;", "")
                    .replace("&quot;", "")
                    .replace("&apos;", "")
                    .replace("&#10;", "")
                    .contains('&')
            {
                return Err(format!("bad text {text:?}"));
            }
            let gt = rest[lt..].find('>').ok_or("unclosed tag")? + lt;
            let tag = &rest[lt + 1..gt];
            if tag.matches('"').count() % 2 == 1 || tag.contains('<') {
                return Err(format!("bad tag {tag:?}"));
            }
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop().as_deref() != Some(name) {
                    return Err(format!("mismatched </{name}>"));
                }
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap_or("").to_string());
            }
            rest = &rest[gt + 1..];
        }
        if stack.is_empty() { Ok(()) } else { Err(format!("unclosed {stack:?}")) }
    }

    #[test]
    fn junit_is_well_formed() {
        let s = render_to_string(Format::Junit, &sample(), 2);
        well_formed(&s).unwrap();
        assert!(s.contains(r#"<failure message="`13 - 4 = 8`: the left side is 9, not 8" type="R006">"#));
        assert!(s.contains("50% done&#10;second line &lt;&amp;&gt;"));
        well_formed(&render_to_string(Format::Junit, &[], 0)).unwrap();
        assert!(well_formed("<?xml version=\"1.0\"?><a><b></a>").is_err());
    }
}
