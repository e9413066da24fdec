#![doc = include_str!("docs/r006_arithmetic_error.md")]

use crate::lint::math::values_match;
use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext, Severity};
use regex::Regex;
use std::sync::LazyLock;

pub struct R006ArithmeticError;

const DOC: &str = include_str!("docs/r006_arithmetic_error.md");

static APPROX_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:about|approximately|approx|roughly|around|nearly|almost|estimated?)\b|≈")
        .expect("approx regex")
});
static ROUNDING_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bround(?:ed|ing|s)?\b|\bnearest\b|\bdecimal places?\b").expect("rounding regex")
});

fn fmt(v: f64) -> String {
    let r = (v * 1e6).round() / 1e6;
    format!("{r}")
}

fn line_of(text: &str, start: usize, end: usize) -> &str {
    let s = text[..start].rfind('\n').map(|p| p + 1).unwrap_or(0);
    let e = text[end.min(text.len())..].find('\n').map(|p| end + p).unwrap_or(text.len());
    &text[s..e]
}

impl Rule for R006ArithmeticError {
    fn code(&self) -> &'static str {
        "R006"
    }
    fn name(&self) -> &'static str {
        "arithmetic-error"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "An intermediate equation is arithmetically wrong."
    }
    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, _) in ctx.assistant_turns() {
            let a = ctx.analysis(i);
            if a.chains.is_empty() {
                continue;
            }
            // whole-message tests first; the per-line ones only when these hit
            let approx_any = APPROX_WORDS.is_match(&a.text);
            let rounding_any = ROUNDING_WORDS.is_match(&a.text);
            for c in &a.chains {
                let line = line_of(&a.text, c.start, c.end);
                let approx_line = approx_any && APPROX_WORDS.is_match(line);
                let rounding = rounding_any && ROUNDING_WORDS.is_match(line);
                for k in 0..c.sides.len() - 1 {
                    let (l, r) = (&c.sides[k], &c.sides[k + 1]);
                    let (Some(lv), Some(rv)) = (l.value, r.value) else {
                        continue;
                    };
                    if l.ops == 0 && r.ops == 0 {
                        continue; // "1 hour = 60 minutes", "4 people = $60": labels, conversions
                    }
                    if k == 0 && l.ops == 0 {
                        continue; // "for 4 people = 150 × 4": a label on the left
                    }
                    // the computed side is the one with operators; the stated one the other
                    let (computed, stated, lit, div) = if r.ops == 0 {
                        (lv, rv, r.literal, l.has_div)
                    } else if l.ops == 0 {
                        (rv, lv, l.literal, r.has_div)
                    } else {
                        (lv, rv, None, l.has_div || r.has_div)
                    };
                    let approx = c.approx[k] || approx_line;
                    // "100 / 6 = 16 (and 2/3)": whole-number division, rounded down or up
                    let whole =
                        div && stated.fract() == 0.0 && (stated == computed.floor() || stated == computed.ceil());
                    if !whole && !values_match(computed, stated, lit.as_ref(), approx, rounding) {
                        let snippet: String =
                            a.text[c.start..c.end.min(a.text.len())].trim().chars().take(80).collect();
                        out.push(ctx.finding(
                            "R006",
                            Some(i),
                            format!("`{snippet}`: the left side is {}, not {}", fmt(computed), fmt(stated)),
                        ));
                        break;
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run;

    #[test]
    fn bad() {
        assert_eq!(run("q", "13 - 4 = 8, so the apples cost $8.", None, "R006").len(), 1);
        assert_eq!(run("q", "Freddie collected 30 x 3 = 100 blankets.", None, "R006").len(), 1);
        assert_eq!(run("q", "3 * 4 = 6 * 2 = 13", None, "R006").len(), 1);
        assert_eq!(run("q", "To buy 10 mangoes costs $57.5*10 = $577", None, "R006").len(), 1);
        assert_eq!(run("q", "Saving: 12% of 350 = 0.12 × 350 = 48 litres.", None, "R006").len(), 1);
    }

    /// Non-breaking spaces (U+00A0) between numbers and operators are spaces.
    #[test]
    fn nbsp_is_space() {
        let t = "In total, all the paintings have\u{a0}used 9\u{a0}+ 8 = 19 ounces.\nFinal answer: 17";
        assert_eq!(run("q", t, Some("17"), "R006").len(), 1);
    }

    #[test]
    fn good() {
        for a in [
            "13 - 4 = 9",
            "$5/pound * 20 pounds = $100",
            "It costs 1,250 - 100 = 1,150 dollars",
            "The share is 12 / 30 × 100 = 40%.",
            ".4 x 100% = 40%",
            "Average: 22 / 3 ≈ 7.33 km.",
            "Each gets 10 / 3 = 3.33 (rounded).",
            "1 hour = 60 minutes, so 2 hours = 120 minutes.",
            "40% * x = 0.4 * x = $60000",
            "3/8 of 32 = 32 / 8 × 3 = 12",
        ] {
            assert!(run("q", a, None, "R006").is_empty(), "{a}");
        }
    }
}
