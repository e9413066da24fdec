//! The report as aligned text tables, for people (`sftkit stats`, the default format).

use super::{Distribution, QUANTILES, Report};
use std::fmt::Write;

/// A number with at most two decimals, trailing zeros trimmed (`150.5`, `8.75`, `12`).
fn num(x: Option<f64>) -> String {
    match x {
        None => "-".into(),
        Some(v) => {
            let s = format!("{v:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" { "0".into() } else { s.to_string() }
        }
    }
}

fn int(x: Option<u64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

fn dist_header(s: &mut String, label: &str) {
    let _ = write!(s, "  {label:<10}");
    let _ = write!(s, " {:>9}", "min");
    for (name, _) in QUANTILES {
        let _ = write!(s, " {name:>9}");
    }
    let _ = writeln!(s, " {:>9} {:>9}", "max", "mean");
}

fn dist_row(s: &mut String, label: &str, d: &Distribution) {
    let _ = write!(s, "  {label:<10} {:>9}", int(d.min));
    for q in d.quantiles() {
        let _ = write!(s, " {:>9}", num(q));
    }
    let _ = writeln!(s, " {:>9} {:>9}", int(d.max), num(d.mean));
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Entries sorted by count (largest first), then name.
fn by_count<'a>(m: impl IntoIterator<Item = (&'a String, &'a u64)>) -> Vec<(&'a String, &'a u64)> {
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v
}

/// Render `r` as the human-readable report.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} in {}{}",
        plural(r.rows, "row", "rows"),
        plural(r.files.len() as u64, "file", "files"),
        if r.manifests.is_empty() {
            String::new()
        } else {
            format!(", {}", plural(r.manifests.len() as u64, "manifest", "manifests"))
        }
    );

    if let Some(t) = &r.text {
        let _ = writeln!(
            s,
            "\ntext column {:?}: {} (quantiles: {} interpolation)",
            t.column,
            plural(t.rows, "non-null value", "non-null values"),
            r.quantile_method
        );
        dist_header(&mut s, "");
        dist_row(&mut s, "chars", &t.chars);
        dist_row(&mut s, "words", &t.words);
    } else if !r.files.is_empty() {
        let _ = writeln!(s, "\nno text column (give --text-column NAME)");
    }

    if let Some(c) = &r.chat {
        let _ = writeln!(
            s,
            "\nconversations ({}): {}",
            c.columns.join(", "),
            plural(c.turns.count, "conversation", "conversations")
        );
        dist_header(&mut s, "");
        dist_row(&mut s, "turns", &c.turns);
        let width = c.roles.keys().map(|k| k.chars().count()).max().unwrap_or(0).max(12);
        let _ = writeln!(s, "  {:<width$} {:>10}", "role", "messages");
        for (role, n) in by_count(&c.roles) {
            let _ = writeln!(s, "  {role:<width$} {n:>10}");
        }
    }

    if !r.columns.is_empty() {
        let nw = r.columns.iter().map(|c| c.name.chars().count()).max().unwrap_or(0).max(6);
        let dw = r.columns.iter().map(|c| c.dtype.chars().count()).max().unwrap_or(0).max(5);
        let _ = writeln!(s, "\ncolumns");
        let _ = writeln!(s, "  {:<nw$}  {:<dw$} {:>10}", "column", "dtype", "nulls");
        for c in &r.columns {
            let _ = writeln!(s, "  {:<nw$}  {:<dw$} {:>10}", c.name, c.dtype, c.nulls);
        }
    }

    if let Some(l) = &r.lint {
        match &l.column {
            Some(col) => {
                let _ = writeln!(
                    s,
                    "\nlint findings (column {col:?}): {} in {}",
                    plural(l.findings, "finding", "findings"),
                    plural(l.rows_with_findings, "row", "rows")
                );
            }
            None => {
                let _ = writeln!(s, "\nlint");
            }
        }
        if !l.by_rule.is_empty() || !l.dropped_by_rule.is_empty() {
            let _ = writeln!(
                s,
                "  {:<8} {:>9} {:>7} {:>8} {:>6} {:>8}",
                "rule", "findings", "error", "warning", "info", "dropped"
            );
            let mut rules: Vec<&String> = l.by_rule.keys().chain(l.dropped_by_rule.keys()).collect();
            rules.sort();
            rules.dedup();
            for rule in rules {
                let rc = l.by_rule.get(rule).cloned().unwrap_or_default();
                let sev = |k: &str| rc.severity.get(k).copied().unwrap_or(0);
                let _ = writeln!(
                    s,
                    "  {rule:<8} {:>9} {:>7} {:>8} {:>6} {:>8}",
                    rc.findings,
                    sev("error"),
                    sev("warning"),
                    sev("info"),
                    l.dropped_by_rule.get(rule).copied().unwrap_or(0)
                );
            }
        }
    }

    if let Some(rej) = &r.rejected {
        let _ = writeln!(s, "\nrejected rows (_rejected): {}", rej.rows);
        let _ = writeln!(s, "  {:<42} {:>10} {:>8}", "stage / reason", "dropped", "errors");
        for st in &rej.stages {
            let dropped: u64 = st.dropped.values().sum();
            let _ = writeln!(s, "  {:<42} {:>10} {:>8}", st.stage, dropped, st.errors);
            for (reason, n) in by_count(&st.dropped) {
                let _ = writeln!(s, "    - {reason:<38} {n:>10}");
            }
        }
    }

    for job in &r.jobs {
        let _ = writeln!(
            s,
            "\njob {:?} ({}): {} input rows -> {} kept, {} dropped, {} errors",
            job.job,
            plural(job.manifests.len() as u64, "manifest", "manifests"),
            job.rows.input,
            job.rows.kept,
            job.rows.dropped,
            job.rows.errors
        );
        let _ = writeln!(s, "  {:<30} {:>10} {:>10} {:>10} {:>8}", "stage / reason", "in", "kept", "dropped", "errors");
        for st in &job.stages {
            let _ = writeln!(
                s,
                "  {:<30} {:>10} {:>10} {:>10} {:>8}",
                st.stage,
                st.input,
                st.kept,
                st.dropped_total(),
                st.errors
            );
            for (reason, n) in by_count(&st.dropped) {
                let _ = writeln!(s, "    - {reason:<48} {n:>10}");
            }
        }
    }

    for note in &r.notes {
        let _ = writeln!(s, "\nnote: {note}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(Some(150.5)), "150.5");
        assert_eq!(num(Some(12.0)), "12");
        assert_eq!(num(Some(8.756)), "8.76");
        assert_eq!(num(None), "-");
    }
}
