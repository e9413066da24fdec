//! Where a reply states its answer, and what its steps are: the analysis R001, R002, R004, R005
//! and R006 share (computed once per message, see `LintContext::analysis`).
//!
//! An *answer statement* is an explicit marker followed by a value — `The answer is 42`,
//! `Answer: 42`, `Final answer: 42`, `Final: 42`, `Result: 42`, `#### 42`, `=> 42`, `\boxed{42}`,
//! `**42**` — or a line holding only a value. A *concluding* statement is the reply's last
//! sentence when it opens with a conclusion word (`So`, `Therefore`, `Thus`, `In total`, `It's`,
//! ...) and holds a number. *Steps* are the equation chains of [`super::math::chains`].

use super::math::{self, Chain, Num};
use regex::Regex;
use std::sync::LazyLock;

/// How an answer was stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// After an answer marker (`The answer is`, `####`, `\boxed{}`, bold, `=>`).
    Explicit,
    /// A line that holds only a value.
    BareLine,
    /// The last sentence, opened by a conclusion word.
    Concluding,
}

/// One statement of an answer value.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerStmt {
    pub start: usize,
    pub end: usize,
    /// The stated value as written (`$1,035.00`).
    pub text: String,
    pub value: Option<f64>,
    pub literal: Option<Num>,
    pub kind: AnswerKind,
}

/// What R-rules need to know about one message.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The text with code blocks blanked out (same byte offsets as the original).
    pub text: String,
    /// Equation chains (steps), in order.
    pub chains: Vec<Chain>,
    /// Explicit and bare-line answer statements, in order.
    pub answers: Vec<AnswerStmt>,
    /// The final answer: the last explicit/bare statement, else a concluding last sentence.
    pub final_answer: Option<AnswerStmt>,
    /// Operations written without `=` ("2 + 2").
    pub bare_ops: usize,
    /// Word count.
    pub words: usize,
}

const V: &str = r"(-?[$€£¥₹]?\s?(?:\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?:%|\\%)?)";

static EXPLICIT: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"\\boxed\{\s*(?:\\text\{)?([^{}]*?)\}?\s*\}".to_string(),
        format!(r"####\s*{V}"),
        format!(r"(?i)\banswer\s*(?:is|was|would be|will be|should be|=|:|-|—|–)?\s*:?\s*(?:\*\*)?\s*{V}"),
        format!(r"(?im)^\s*(?:\*\*)?\s*(?:(?:final\s+)?(?:result|answer|total|solution)|final|short answer)\s*(?:\*\*)?\s*(?:is|:|=)\s*(?:\*\*)?\s*{V}"),
        format!(r"(?i)\bthe\s+(?:final\s+)?result\s+is\s*:?\s*(?:\*\*)?\s*{V}"),
        format!(r"(?m)^\s*(?:=>|⇒|→|==>)\s*{V}"),
        format!(r"\*\*\s*{V}\s*(?:[A-Za-z]+\s*)?\*\*"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("answer regex"))
    .collect()
});

static BARE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?m)^[ \t]*{V}[ \t]*(?:[A-Za-z]+)?[ \t]*\.?[ \t]*$")).expect("bare regex"));

static CONCLUDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:so|thus|therefore|hence|in total|in all|altogether|overall|that makes|that gives|this gives|which makes|it's|it is|that's|that is|that comes to|this comes to|it comes to|we get|the total|total|finally)\b",
    )
    .expect("concluding regex")
});

static CODE_FENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)```.*?(?:```|\z)").expect("fence regex"));

/// Text with fenced code blocks replaced by spaces, offsets preserved.
fn blank_code(text: &str) -> String {
    if !text.contains("```") {
        return text.to_string();
    }
    let mut bytes = text.as_bytes().to_vec();
    for m in CODE_FENCE.find_iter(text) {
        for b in &mut bytes[m.range()] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// The value after a marker must not be the start of an expression ("Total: 5 + 10 = 15").
fn followed_by_operation(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', '\t', '$']);
    let mut cs = rest.chars();
    match cs.next() {
        Some('*') => !rest.starts_with("**"),
        Some('+' | '/' | '×' | '÷' | '=' | '^') => true,
        Some('-') => cs.next().is_some_and(|c| c == ' ' || c.is_ascii_digit()),
        Some('x') => rest[1..].trim_start().starts_with(|c: char| c.is_ascii_digit()),
        _ => false,
    }
}

fn stmt(text: &str, start: usize, end: usize, vstart: usize, vend: usize, kind: AnswerKind) -> Option<AnswerStmt> {
    let raw = text[vstart..vend].trim();
    if raw.is_empty() {
        return None;
    }
    let literal = math::numbers(raw).first().map(|(_, n)| *n);
    Some(AnswerStmt { start, end, text: raw.to_string(), value: math::parse_value(raw), literal, kind })
}

/// Byte range of the last sentence of `text` (ignoring trailing whitespace).
pub fn last_sentence(text: &str) -> (usize, usize) {
    let t = text.trim_end();
    let end = t.len();
    let body = t.trim_end_matches(['.', '!', '?']);
    let mut start = 0;
    let b = body.as_bytes();
    for i in (0..b.len()).rev() {
        let c = b[i];
        if c == b'\n' || ((c == b'.' || c == b'!' || c == b'?') && i + 1 < b.len() && b[i + 1] == b' ') {
            start = i + 1;
            break;
        }
    }
    (start, end)
}

impl Analysis {
    pub fn of(original: &str) -> Analysis {
        let text = blank_code(original);
        let chains = math::chains(&text);
        let mut answers = Vec::new();
        let lower = text.to_ascii_lowercase();
        // cheap substring tests before each (comparatively slow) regex
        let wanted = [
            text.contains("\\boxed"),
            text.contains("####"),
            lower.contains("answer"),
            ["final", "result", "answer", "total", "solution"].iter().any(|w| lower.contains(w)),
            lower.contains("result"),
            text.contains("=>") || text.contains('⇒') || text.contains('→'),
            text.contains("**"),
        ];
        for (k, re) in EXPLICIT.iter().enumerate() {
            if !wanted[k] {
                continue;
            }
            for c in re.captures_iter(&text) {
                let (Some(m), Some(v)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                if k != 0 && followed_by_operation(&text, v.end()) {
                    continue;
                }
                if let Some(s) = stmt(&text, m.start(), m.end(), v.start(), v.end(), AnswerKind::Explicit) {
                    answers.push(s);
                }
            }
        }
        let short_line = text.lines().any(|l| l.len() <= 40 && l.bytes().any(|b| b.is_ascii_digit()));
        for c in BARE_LINE.captures_iter(if short_line { &text } else { "" }) {
            let (Some(m), Some(v)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if answers.iter().any(|a| a.start < m.end() && m.start() < a.end) {
                continue;
            }
            if let Some(s) = stmt(&text, m.start(), m.end(), v.start(), v.end(), AnswerKind::BareLine) {
                answers.push(s);
            }
        }
        answers.sort_by_key(|a| a.start);
        answers.dedup_by(|b, a| b.start < a.end);
        let mut final_answer = answers.last().cloned();
        if final_answer.is_none() {
            let (s, e) = last_sentence(&text);
            let sentence = &text[s..e];
            if CONCLUDING.is_match(sentence) || chains.is_empty() {
                // the last number of the sentence that is not inside an equation's left side
                let nums = math::numbers(sentence);
                if let Some((o, n)) = nums.last() {
                    let abs = s + o;
                    let inside_lhs = chains.iter().any(|c| {
                        c.start <= abs
                            && abs < c.end
                            && c.end > abs + 1
                            && c.sides.last().and_then(|x| x.literal).is_none_or(|l| l.value != n.value)
                    });
                    if !inside_lhs && (CONCLUDING.is_match(sentence) || text.trim().len() == sentence.len()) {
                        final_answer = Some(AnswerStmt {
                            start: s,
                            end: e,
                            text: sentence.trim().to_string(),
                            value: Some(n.value),
                            literal: Some(*n),
                            kind: AnswerKind::Concluding,
                        });
                    }
                }
            }
        }
        // fallback: a closing line after the last step, with a value and no equation
        // ("Overall: 42.", "In the end: 42 kg") states the answer even without a marker word
        if final_answer.is_none()
            && let Some(last) = chains.last()
        {
            let trimmed = text.trim_end();
            let line_start = trimmed.rfind('\n').map_or(0, |p| p + 1);
            let line = &trimmed[line_start..];
            if line_start >= last.end
                && !line.contains('=')
                && let Some((o, n)) = math::numbers(line).last()
            {
                {
                    final_answer = Some(AnswerStmt {
                        start: line_start + o,
                        end: trimmed.len(),
                        text: line.trim().to_string(),
                        value: Some(n.value),
                        literal: Some(*n),
                        kind: AnswerKind::Concluding,
                    });
                }
            }
        }
        let bare_ops = if chains.is_empty() { math::bare_operations(&text) } else { 0 };
        let words = text.split_whitespace().count();
        Analysis { text, chains, answers, final_answer, bare_ops, words }
    }

    /// Number of steps (equation chains).
    pub fn steps(&self) -> usize {
        self.chains.len()
    }
}

/// Whether two answer values agree (exactly, to the stated precision, or as percent/plain).
pub fn same_value(a: f64, b: f64) -> bool {
    let scale = a.abs().max(b.abs()).max(1.0);
    (a - b).abs() <= 1e-6 * scale
        || (a * 100.0 - b).abs() <= 1e-6 * scale.max(a.abs() * 100.0)
        || (a - b * 100.0).abs() <= 1e-6 * scale.max(b.abs() * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn final_value(t: &str) -> Option<f64> {
        Analysis::of(t).final_answer.and_then(|a| a.value)
    }

    #[test]
    fn markers() {
        assert_eq!(final_value("x\nThe answer is $1,035."), Some(1035.0));
        assert_eq!(final_value("steps\n#### 42"), Some(42.0));
        assert_eq!(final_value("steps\nFinal answer: 60"), Some(60.0));
        assert_eq!(final_value("steps\nFinal: 7.5 km"), Some(7.5));
        assert_eq!(final_value("steps\n=> 42"), Some(42.0));
        assert_eq!(final_value("steps\n**42**"), Some(42.0));
        assert_eq!(final_value("steps so \\boxed{42}"), Some(42.0));
        assert_eq!(final_value("17"), Some(17.0));
        assert_eq!(final_value("3 + 4 = 7.\nSo the total is 7 apples."), Some(7.0));
        // "Total: a + b = c" is a step, not an answer
        assert!(Analysis::of("Total: 5 + 10 = 15 km.").answers.is_empty());
    }

    /// Ways of closing a worked answer (the issue's list, in phrasings of our own).
    #[test]
    fn closing_phrasings() {
        let steps = "4 * 3 = 12.\n12 + 30 = 42.\n";
        let mut bad = Vec::new();
        for (end, v) in [
            ("Therefore the total comes to 42 kg.", 42.0),
            ("Thus: 42", 42.0),
            ("**Answer:** 42", 42.0),
            ("$\\boxed{42}$", 42.0),
            ("⇒ 42", 42.0),
            ("So, in all, she pays $1,234.50.", 1234.5),
            ("Final result: 12.5%", 0.125),
            ("Hence 3.75 hours.", 3.75),
            ("So the answer is -7.", -7.0),
            ("The final answer is **42**.", 42.0),
            ("Final Answer\n42", 42.0),
            ("All told, 42 kg.", 42.0),
            ("She ends with 42 marbles", 42.0),
        ] {
            let t = format!("{steps}{end}");
            if final_value(&t) != Some(v) {
                bad.push(format!("{end}: {:?}", final_value(&t)));
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn code_is_blanked() {
        let a = Analysis::of("```python\nx = 2 * 3 = 7\n```\nDone.");
        assert!(a.chains.is_empty());
    }
}
