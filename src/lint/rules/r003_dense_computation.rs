#![doc = include_str!("docs/r003_dense_computation.md")]

use crate::lint::math::Num;
use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext, Severity};

pub struct R003DenseComputation;

const DOC: &str = include_str!("docs/r003_dense_computation.md");

fn fmt_num(n: &Num) -> String {
    let v = if n.percent { n.value * 100.0 } else { n.value };
    format!("{v}{}", if n.percent { "%" } else { "" })
}

impl Rule for R003DenseComputation {
    fn code(&self) -> &'static str {
        "R003"
    }
    fn name(&self) -> &'static str {
        "dense-computation"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "One step carries too much computation; split it or use a tool."
    }
    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let t = &ctx.guidelines.thresholds;
        let mut out = Vec::new();
        for (i, _) in ctx.assistant_turns() {
            let a = ctx.analysis(i);
            'chain: for c in &a.chains {
                for side in &c.sides {
                    for (l, op, r) in &side.literal_products {
                        // "a 3-digit by 3-digit product": digits before the decimal point, so that
                        // growth factors (`1,350 × 1.04`) and rates (`0.125 × 81,000`) pass
                        let big = l.int_digits >= t.dense_min_digits
                            && r.int_digits >= t.dense_min_digits
                            && l.sig_digits + r.sig_digits >= t.dense_min_sig_digits;
                        // long division: a divisor with >= 3 significant digits and a quotient that
                        // is not a short number
                        let dense_div = *op == '/' && r.sig_digits >= t.dense_min_digits && {
                            let q = l.value / r.value;
                            let qs = format!("{}", (q * 1e6).round() / 1e6)
                                .trim_start_matches(['0', '.', '-'])
                                .replace('.', "")
                                .trim_end_matches('0')
                                .len();
                            qs >= t.dense_min_digits as usize
                        };
                        if (*op == '*' && big) || dense_div {
                            out.push(ctx.finding(
                                "R003",
                                Some(i),
                                format!("`{} {} {}` in one step is too much computation for one token: split it into partial products or use a tool", fmt_num(l), if *op == '*' { "×" } else { "÷" }, fmt_num(r)),
                            ));
                            continue 'chain;
                        }
                    }
                    let limit = if side.non_add_ops == 0 { t.max_additions_per_step } else { t.max_ops_per_step };
                    if side.ops > limit {
                        out.push(ctx.finding(
                            "R003",
                            Some(i),
                            format!(
                                "one step chains {} operations (at most {limit}): write the intermediate results",
                                side.ops
                            ),
                        ));
                        continue 'chain;
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
        assert_eq!(
            run("What is 934 times 609?", "934 * 609 = 568806. The answer is 568806.", Some("568806"), "R003").len(),
            1
        );
        assert_eq!(run("What is 590 times 222?", "590 × 222 = 130,980.", None, "R003").len(), 1);
        assert_eq!(run("Total?", "3 × 14 + 6 × 9 - 45 / 5 + 8 × 7 - 12 = 131.", None, "R003").len(), 1);
    }

    #[test]
    fn good() {
        let split = "934 * 600 = 560400.\n934 * 9 = 8406.\n560400 + 8406 = 568806.\nThe answer is 568806.";
        assert!(run("What is 934 times 609?", split, Some("568806"), "R003").is_empty());
        // round numbers and 3-digit by 2-digit products are fine
        assert!(
            run("q", "600 * 150 = 90000 and 858 * 73 = 62634 and 6000+1120+1600+240 = 8960", None, "R003").is_empty()
        );
        assert!(run("q", "1800 / 150 = 12", None, "R003").is_empty());
    }
}
