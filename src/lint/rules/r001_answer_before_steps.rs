#![doc = include_str!("docs/r001_answer_before_steps.md")]

use crate::lint::answer::{AnswerKind, same_value};
use crate::lint::math;
use crate::lint::rule::Rule;
use crate::lint::{Finding, LintContext, Severity};
use regex::Regex;
use std::sync::LazyLock;

pub struct R001AnswerBeforeSteps;

static VALUE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^-?[$€£¥₹]?\s?(?:\d[\d,]*(?:\.\d+)?|\.\d+)\s*%?(?:\s+[A-Za-z]+){0,2}\s*[.!:—]?$").expect("regex")
});

const DOC: &str = include_str!("docs/r001_answer_before_steps.md");

impl Rule for R001AnswerBeforeSteps {
    fn code(&self) -> &'static str {
        "R001"
    }
    fn name(&self) -> &'static str {
        "answer-before-steps"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "The final answer is stated before the steps that derive it."
    }
    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, ctx: &LintContext) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, user) in ctx.assistant_turns() {
            let a = ctx.analysis(i);
            if a.chains.is_empty() {
                continue;
            }
            let first_step = a.chains[0].start;
            // 1. an explicit (or bare-line) answer before the steps that derive it
            let early = a.answers.iter().find(|s| {
                let after: Vec<_> = a.chains.iter().filter(|c| c.start >= s.end).collect();
                if after.is_empty() {
                    return false;
                }
                if s.end <= first_step {
                    return true;
                }
                s.value.is_some_and(|v| after.iter().any(|c| c.result().is_some_and(|r| same_value(r, v))))
            });
            if let Some(s) = early {
                out.push(ctx.finding(
                    "R001",
                    Some(i),
                    format!("answer `{}` is stated before the steps that derive it; end with it instead", s.text),
                ));
                continue;
            }
            // 2. implicit: the opening sentence gives the value the last step derives
            // the opening sentence ends at a newline, dash or colon, or at `.`/`!`/`?` followed by
            // a space (so that the decimal point of "$46.80" does not end it)
            let head = &a.text[..first_step];
            // the first clause ends at a newline, dash or colon, or at `.`/`!`/`?` followed by a
            // space (so that the decimal point of "$46.80" does not end it) ...
            let sentence_end = |stops: &[char]| {
                head.char_indices()
                    .find(|&(p, c)| {
                        stops.contains(&c)
                            && (c != '.' && c != '!' && c != '?'
                                || head[p + 1..].chars().next().is_none_or(char::is_whitespace))
                    })
                    .map(|(p, c)| p + c.len_utf8())
                    .unwrap_or(first_step)
            };
            let opening_end = sentence_end(&['\n', '—', ':', '.', '!', '?']);
            // ... and the first sentence only at a newline or `.`/`!`/`?` ("Bottom line: $51.")
            let sentence = &a.text[..sentence_end(&['\n', '.', '!', '?'])];
            let opening = &a.text[..opening_end];
            // an opening sentence that is only a value ("7. Here's how:") can only be the answer
            let o = opening.trim();
            let list_item =
                o.len() <= 3 && o.ends_with(['.', ')']) && (a.text.contains("\n2.") || a.text.contains("\n2)"));
            // (only a whole sentence: "30 minutes is 30/60 = 0.5 hours" opens with a step)
            let whole_sentence = o.ends_with(['.', '!', ':', '—']);
            if whole_sentence && VALUE_ONLY.is_match(o) && !list_item {
                out.push(ctx.finding(
                    "R001",
                    Some(i),
                    format!(
                        "answer `{}` is stated before the steps that derive it; end with it instead",
                        o.trim_end_matches(['.', ':', '—'])
                    ),
                ));
                continue;
            }
            let derived = a
                .final_answer
                .as_ref()
                .filter(|f| f.kind != AnswerKind::BareLine)
                .and_then(|f| f.value)
                .or_else(|| a.chains.last().and_then(|c| c.result()));
            let Some(target) = derived else { continue };
            // cheap test first: does the opening hold the target at all?
            let opening_nums = math::numbers(sentence);
            if !opening_nums.iter().any(|(_, n)| same_value(n.value, target)) {
                continue;
            }
            // A number the question gives, restated with the same noun ("9 students"), is not an
            // answer; the same number with another noun ("9 crayons") is.
            let qtext = user.map(|u| ctx.messages[u].text()).unwrap_or("");
            let question: Vec<(f64, String)> =
                math::numbers(qtext).into_iter().map(|(o, n)| (n.value, word_after(qtext, o))).collect();
            let states_it = opening_nums.iter().any(|(o, n)| {
                let noun = word_after(sentence, *o);
                same_value(n.value, target)
                    && !question.iter().any(|(q, qn)| same_value(*q, n.value) && (noun.is_empty() || *qn == noun))
            });
            let derives_later = a.chains.iter().any(|c| c.result().is_some_and(|r| same_value(r, target)));
            if states_it && derives_later {
                out.push(ctx.finding(
                    "R001",
                    Some(i),
                    format!("the opening sentence already gives the result ({target}) that the steps derive later"),
                ));
            }
        }
        out
    }
}

/// The lowercase word right after the number starting at byte `o` (skipping the number's own
/// characters and spaces), or "" when none follows.
fn word_after(text: &str, o: usize) -> String {
    let rest = text.get(o..).unwrap_or("");
    // skip the number itself: digits, `$`, `%`, `-`, and `.`/`,` only between digits
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let inner = matches!(c, b'.' | b',') && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if c.is_ascii_digit() || matches!(c, b'$' | b'%' | b'-') || inner {
            i += 1;
        } else {
            break;
        }
    }
    let rest = rest[i..].trim_start_matches([' ', '\t']);
    rest.chars().take_while(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::testutil::run;

    const Q: &str = "Emily buys 3 apples and 2 oranges. Each orange costs $2. The total cost of all the fruit is $13. What is the cost of an apple?";

    #[test]
    fn bad() {
        let a = "The answer is $3. This is because 2 oranges at $2 are 2 * 2 = $4 total. 13 - 4 = 9, so each apple is 9/3 = $3.";
        assert_eq!(run(Q, a, Some("3"), "R001").len(), 1);
        assert_eq!(run(Q, "3\n\n2 * 2 = 4\n13 - 4 = 9\n9 / 3 = 3", Some("3"), "R001").len(), 1);
        assert_eq!(run(Q, "**$3**\nWork: 2 * 2 = 4, 13 - 4 = 9, 9 / 3 = 3.", Some("3"), "R001").len(), 1);
        // implicit: the opening sentence states the result
        let q2 = "A pen costs $4 and a book costs $7. How much do 2 pens and a book cost?";
        assert_eq!(
            run(q2, "It comes to $15 — here is the working: 2 * 4 = 8, 8 + 7 = 15.", Some("15"), "R001").len(),
            1
        );
        // a given quantity mentioned first is not the answer
        assert!(run(q2, "A pen is $4. 2 * 4 = 8, 8 + 7 = 15. So the total is $15.", Some("15"), "R001").is_empty());
    }

    /// Openings that state the result first, in phrasings of our own.
    #[test]
    fn bad_openings() {
        let q = "A crate holds 4 boxes of 3 kg each and 30 kg of tools. How heavy is the crate?";
        let steps = "4 * 3 = 12 kg.\n12 + 30 = 42 kg.";
        let mut missed = Vec::new();
        for open in [
            "42 kg. Let me explain:",
            "**Answer: 42**\n\nSolution:",
            "$\\boxed{42}$ — derivation below.",
            "It's 42. Here is why:",
            "The crate weighs 42 kg; to see this:",
            "⇒ 42\n",
            "Quick answer: 42 kg\n",
            "42\n\nReasoning:",
            "It comes to $42.00 — see below.",
        ] {
            let a = format!("{open}\n{steps}");
            if run(q, &a, Some("42"), "R001").len() != 1 {
                missed.push(open);
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
        // a value-only opening sentence is an answer even when the question mentions the value
        let q = "Tom has 4 bags of 3 marbles and is given 30 more. Tom had 42 marbles last year. How many now?";
        assert_eq!(run(q, &format!("42 marbles. Here's how:\n{steps}"), Some("42"), "R001").len(), 1);
        // the question's 9 counts students; an opening "9 crayons" is the answer
        let q =
            "Ms. Lee has 3 boxes of 24 crayons and gives 7 crayons to each of her 9 students. How many does she keep?";
        let a = "We get 9 crayons. Working:\n3 * 24 = 72.\n7 * 9 = 63.\n72 - 63 = 9.";
        assert_eq!(run(q, a, Some("9"), "R001").len(), 1);
    }

    #[test]
    fn good() {
        let a = "The total cost of the oranges is $4. 13 - 4 = 9, the cost of the 3 apples is $9. 9/3 = 3, so each apple costs $3. The answer is $3.";
        assert!(run(Q, a, Some("3"), "R001").is_empty());
        assert!(run(Q, "2 * 2 = 4\n13 - 4 = 9\n9 / 3 = 3\n**3**", Some("3"), "R001").is_empty());
        // a bare answer has no steps: that is R002's business, not R001's
        assert!(run(Q, "3", Some("3"), "R001").is_empty());
    }
}
