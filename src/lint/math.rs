//! Number and equation extraction shared by the reasoning rules (R001-R006).
//!
//! Text is tokenised by hand (no regex) into numbers, operators, `=`/`≈`, words and separators.
//! Numbers understand currency signs (`$ € £ ¥ ₹`), thousands separators (`1,250`), decimals with
//! or without a leading zero (`.25`), percentages (`15%` is 0.15), and LaTeX operators
//! (`\times`, `\cdot`, `\div`, `\frac{a}{b}`, `\approx`). Words right after a number and before an
//! operator or `=` are units (`12 inches / 2`, `$5/pound * 20 pounds`), `x` between two operands is
//! a multiplication, `of` after a percentage or a fraction is a multiplication (`12% of 350`), and
//! a single-letter variable (`2x + 3 = 7`, `0.4 * x`) makes the expression unevaluable.
//!
//! [`chains`] returns every chain `e1 = e2 = ... = en` (at least two sides) with each side's value,
//! its operator count and its multiplications, which is what R003 and R006 inspect.

/// A numeric literal as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    /// Its value; percentages are divided by 100.
    pub value: f64,
    /// Written with a `%` sign.
    pub percent: bool,
    /// Digits after the decimal point as written (`4.50` has 2).
    pub decimals: u32,
    /// Digits written, without leading zeros or trailing decimal zeros (`590` has 3, `0.85` 2).
    pub digits: u32,
    /// Significant digits (`590` has 2, `402` has 3, `1.20` has 2).
    pub sig_digits: u32,
    /// Digits before the decimal point, without leading zeros (`1,350` has 4, `1.04` 1, `0.125` 0).
    pub int_digits: u32,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Num(Num),
    Op(char),
    LParen,
    RParen,
    Eq,
    Approx,
    Word(&'a str),
    Sep,
}

/// One side of an equation chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Its value, `None` when it holds a variable or cannot be evaluated.
    pub value: Option<f64>,
    /// Number of binary operators in it.
    pub ops: usize,
    /// Number of binary operators that are not `+`.
    pub non_add_ops: usize,
    /// Whether a literal in it carries a `%` sign.
    pub percent: bool,
    /// Whether it divides.
    pub has_div: bool,
    /// When the side is a single literal: that literal.
    pub literal: Option<Num>,
    /// Multiplications/divisions whose two operands are both literals: (left, op, right).
    pub literal_products: Vec<(Num, char, Num)>,
}

/// `e1 = e2 [= e3 ...]` found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// Byte offset of the first side's first token.
    pub start: usize,
    /// Byte offset just after the last side.
    pub end: usize,
    pub sides: Vec<Side>,
    /// `approx[i]` is true when the relation between side i and i+1 is `≈`/`~`.
    pub approx: Vec<bool>,
}

impl Chain {
    /// The value of the last side (the stated result), if any.
    pub fn result(&self) -> Option<f64> {
        self.sides.last().and_then(|s| s.value)
    }
}

const CURRENCY: [char; 5] = ['$', '€', '£', '¥', '₹'];

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '²' || c == '³' || c == '\''
}

/// Parse a numeral at the start of `s` (after an optional currency sign, which the caller skips).
/// Returns the literal and the number of bytes consumed.
pub fn parse_numeral(s: &str) -> Option<(Num, usize)> {
    // digits are collected in a stack buffer as "<int>.<frac>" (no allocation per number)
    const CAP: usize = 48;
    let mut buf = [0u8; CAP];
    let mut n = 0usize;
    let b = s.as_bytes();
    let mut i = 0;
    let push = |buf: &mut [u8; CAP], n: &mut usize, d: &[u8]| -> bool {
        if *n + d.len() >= CAP {
            return false;
        }
        buf[*n..*n + d.len()].copy_from_slice(d);
        *n += d.len();
        true
    };
    while i < b.len() && b[i].is_ascii_digit() {
        if !push(&mut buf, &mut n, &b[i..i + 1]) {
            return None;
        }
        i += 1;
    }
    // thousands separators: ",ddd" groups not followed by another digit, after 1-3 digits
    if (1..=3).contains(&n) {
        let mut comma = false;
        while i + 4 <= b.len()
            && b[i] == b','
            && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && (i + 4 == b.len() || !b[i + 4].is_ascii_digit())
        {
            if !push(&mut buf, &mut n, &b[i + 1..i + 4]) {
                return None;
            }
            comma = true;
            i += 4;
        }
        // "467 000": a space as thousands separator (French/SI style), groups of exactly 3
        while !comma
            && i + 4 <= b.len()
            && b[i] == b' '
            && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && (i + 4 == b.len()
                || !(b[i + 4].is_ascii_digit() || b[i + 4] == b',' && b.get(i + 5).is_some_and(u8::is_ascii_digit)))
        {
            if !push(&mut buf, &mut n, &b[i + 1..i + 4]) {
                return None;
            }
            i += 4;
        }
    }
    let int_len = n;
    let mut frac_len = 0;
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        if !push(&mut buf, &mut n, b".") {
            return None;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            if !push(&mut buf, &mut n, &b[i..i + 1]) {
                return None;
            }
            frac_len += 1;
            i += 1;
        }
    }
    if int_len == 0 && frac_len == 0 {
        return None;
    }
    let text = std::str::from_utf8(&buf[..n]).ok()?;
    let mut value: f64 = if int_len == 0 { format!("0{text}").parse().ok()? } else { text.parse().ok()? };
    let mut percent = false;
    // optional % (possibly after one space)
    let rest = &s[i..];
    if rest.starts_with('%') {
        percent = true;
        i += 1;
    } else if rest.starts_with("\\%") || rest.starts_with(" %") {
        percent = true;
        i += 2;
    }
    if percent {
        value /= 100.0;
    }
    let int_part = &text[..int_len];
    let frac = if frac_len > 0 { &text[int_len + 1..] } else { "" };
    let int_trim = int_part.trim_start_matches('0');
    let frac_trim = frac.trim_end_matches('0');
    let digits =
        if int_trim.is_empty() { frac_trim.trim_start_matches('0').len() } else { int_trim.len() + frac_trim.len() }
            as u32;
    let sig_digits = if int_trim.is_empty() {
        frac_trim.trim_start_matches('0').len() as u32
    } else if frac_trim.is_empty() {
        int_trim.trim_end_matches('0').len() as u32
    } else {
        (int_trim.len() + frac_trim.len()) as u32
    };
    Some((Num { value, percent, decimals: frac_len as u32, digits, sig_digits, int_digits: int_trim.len() as u32 }, i))
}

fn tokenize(text: &str) -> Vec<(usize, Tok<'_>)> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let b = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        let cl = c.len_utf8();
        if c.is_ascii_digit() || (c == '.' && i + 1 < b.len() && b[i + 1].is_ascii_digit()) {
            // a numeral glued to a preceding word char (e.g. "H2O", "x2") is not a quantity
            if let Some((n, len)) = parse_numeral(&text[i..]) {
                out.push((i, Tok::Num(n)));
                i += len;
                continue;
            }
        }
        if CURRENCY.contains(&c) {
            let j = i + cl;
            let j2 = if text[j..].starts_with(' ') { j + 1 } else { j };
            if j2 < b.len()
                && (b[j2].is_ascii_digit() || (b[j2] == b'.' && j2 + 1 < b.len() && b[j2 + 1].is_ascii_digit()))
                && let Some((n, len)) = parse_numeral(&text[j2..])
            {
                out.push((i, Tok::Num(n)));
                i = j2 + len;
                continue;
            }
            i += cl;
            continue; // a lone currency sign (or a LaTeX `$` delimiter) is ignored
        }
        match c {
            '+' => out.push((i, Tok::Op('+'))),
            '-' | '−' => {
                if text[i..].starts_with("->") {
                    out.push((i, Tok::Sep));
                    i += 2;
                    continue;
                }
                out.push((i, Tok::Op('-')))
            }
            '*' => {
                if text[i..].starts_with("**") {
                    // "**" is bold markup unless it sits between two operands (power)
                    let prev_operand = matches!(out.last(), Some((_, Tok::Num(_) | Tok::RParen)));
                    let next = text[i + 2..].trim_start_matches(' ');
                    if prev_operand && next.starts_with(|ch: char| ch.is_ascii_digit() || ch == '(') {
                        out.push((i, Tok::Op('^')));
                    } else {
                        out.push((i, Tok::Sep));
                    }
                    i += 2;
                    continue;
                }
                out.push((i, Tok::Op('*')))
            }
            '×' | '·' | '∗' | '⋅' => out.push((i, Tok::Op('*'))),
            '/' | '÷' => out.push((i, Tok::Op('/'))),
            '^' => out.push((i, Tok::Op('^'))),
            '(' | '[' | '{' => out.push((i, Tok::LParen)),
            ')' | ']' | '}' => out.push((i, Tok::RParen)),
            '=' => {
                if text[i..].starts_with("=>") {
                    out.push((i, Tok::Sep));
                    i += 2;
                    continue;
                }
                if text[i..].starts_with("==") {
                    out.push((i, Tok::Eq));
                    i += 2;
                    continue;
                }
                out.push((i, Tok::Eq))
            }
            '≈' | '~' | '≅' => out.push((i, Tok::Approx)),
            '\\' => {
                // LaTeX command
                let rest = &text[i + 1..];
                let n = rest.find(|ch: char| !ch.is_ascii_alphabetic()).unwrap_or(rest.len());
                let cmd = &rest[..n];
                let tok = match cmd {
                    "times" | "cdot" | "ast" => Some(Tok::Op('*')),
                    "div" => Some(Tok::Op('/')),
                    "approx" | "simeq" => Some(Tok::Approx),
                    "left" | "right" | "" | "," | "text" | "mathrm" | "boxed" | "quad" => None,
                    _ => Some(Tok::Word(cmd)),
                };
                if cmd == "frac" || cmd == "dfrac" || cmd == "tfrac" {
                    // \frac{a}{b} -> ( a ) / ( b ): emit "(" now and turn "}{" into ")/("
                    out.push((i, Tok::LParen));
                    out.push((i, Tok::LParen));
                    let mut j = i + 1 + n;
                    let rb = text.as_bytes();
                    if j < rb.len() && rb[j] == b'{' {
                        j += 1;
                    }
                    // tokenise the two groups recursively
                    if let Some(close) = text[j..].find('}') {
                        let a = &text[j..j + close];
                        for (o, t) in tokenize(a) {
                            out.push((j + o, t));
                        }
                        out.push((j + close, Tok::RParen));
                        out.push((j + close, Tok::Op('/')));
                        let k = j + close + 1;
                        if k < rb.len()
                            && rb[k] == b'{'
                            && let Some(close2) = text[k + 1..].find('}')
                        {
                            out.push((k, Tok::LParen));
                            for (o, t) in tokenize(&text[k + 1..k + 1 + close2]) {
                                out.push((k + 1 + o, t));
                            }
                            out.push((k + 1 + close2, Tok::RParen));
                            out.push((k + 1 + close2, Tok::RParen));
                            i = k + 2 + close2;
                            continue;
                        }
                    }
                    out.push((i, Tok::Sep));
                    i += 1 + n;
                    continue;
                }
                if cmd == "%" || rest.starts_with('%') {
                    i += 2;
                    continue;
                }
                if let Some(t) = tok {
                    out.push((i, t));
                }
                // a backslash before a non-letter ("\\—") skips that whole character
                i += 1 + if n == 0 { rest.chars().next().map_or(0, char::len_utf8) } else { n };
                continue;
            }
            c if is_word_char(c) => {
                let start = i;
                let mut j = i;
                for ch in text[i..].chars() {
                    if is_word_char(ch) || ch == '-' && j > start {
                        j += ch.len_utf8();
                    } else {
                        break;
                    }
                }
                let w = text[start..j].trim_end_matches('-');
                let j = start + w.len();
                out.push((start, Tok::Word(w)));
                i = j.max(start + cl);
                continue;
            }
            c if c.is_whitespace() && c != '\n' => {}
            _ => out.push((i, Tok::Sep)),
        }
        i += cl;
    }
    out
}

/// Single letters that are units when they follow a number ("600 g", "5 m", "3 h").
fn is_unit_letter(w: &str) -> bool {
    matches!(w, "g" | "m" | "h" | "s" | "l" | "L" | "t" | "k" | "K" | "d" | "c" | "°" | "W" | "V" | "A")
}

/// A single letter that is not a unit: an algebra variable.
fn is_variable(w: &str) -> bool {
    is_single_letter(w) && !is_unit_letter(w)
}

fn is_single_letter(w: &str) -> bool {
    let mut it = w.chars();
    matches!((it.next(), it.next()), (Some(c), None) if c.is_alphabetic())
}

struct Parser<'t, 'a> {
    toks: &'t [(usize, Tok<'a>)],
    pos: usize,
    poisoned: bool,
    ops: usize,
    non_add: usize,
    percent: bool,
    has_div: bool,
    products: Vec<(Num, char, Num)>,
}

/// Value of a parsed operand plus, when it is a bare literal, the literal.
type Operand = (f64, Option<Num>);

impl<'t, 'a> Parser<'t, 'a> {
    fn peek(&self, k: usize) -> Option<&Tok<'a>> {
        self.toks.get(self.pos + k).map(|(_, t)| t)
    }

    fn starts_operand(&self, k: usize) -> bool {
        match self.peek(k) {
            Some(Tok::Num(_) | Tok::LParen) => true,
            Some(Tok::Op('-')) => matches!(self.peek(k + 1), Some(Tok::Num(_) | Tok::LParen)),
            _ => false,
        }
    }

    /// Skip unit words after an operand: up to 3 words, only when followed by an operator, `=`,
    /// `)` (so that "80 cents to buy" ends the expression at 80). Also drops "/ unit" (per-unit).
    fn skip_units(&mut self) {
        loop {
            let mut k = 0;
            while k < 3 {
                match self.peek(k) {
                    Some(Tok::Word(w)) if *w != "x" && *w != "X" && *w != "of" => k += 1,
                    _ => break,
                }
            }
            if k > 0 {
                let follows_op = match self.peek(k) {
                    Some(Tok::Op(_) | Tok::Eq | Tok::Approx | Tok::RParen) => true,
                    Some(Tok::Word(w)) if *w == "x" || *w == "X" || *w == "of" => true,
                    _ => false,
                };
                if !follows_op {
                    return;
                }
                for j in 0..k {
                    if let Some(Tok::Word(w)) = self.peek(j)
                        && is_variable(w)
                    {
                        self.poisoned = true;
                    }
                }
                self.pos += k;
            }
            // "/ hour" or "/hour": a per-unit denominator, dropped
            if let (Some(Tok::Op('/')), Some(Tok::Word(w))) = (self.peek(0), self.peek(1))
                && *w != "x"
                && !is_variable(w)
            {
                self.pos += 2;
                continue;
            }
            return;
        }
    }

    fn primary(&mut self) -> Option<Operand> {
        match self.peek(0)?.clone() {
            Tok::Num(n) => {
                self.pos += 1;
                if n.percent {
                    self.percent = true;
                }
                self.skip_units();
                Some((n.value, Some(n)))
            }
            Tok::LParen => {
                let save = self.pos;
                self.pos += 1;
                let v = self.expr();
                if v.is_some() && matches!(self.peek(0), Some(Tok::RParen)) {
                    self.pos += 1;
                    self.skip_units();
                    v.map(|(x, _)| (x, None))
                } else {
                    self.pos = save;
                    None
                }
            }
            Tok::Op('-') => {
                self.pos += 1;
                let (v, lit) = self.power()?;
                Some((
                    -v,
                    lit.map(|mut l| {
                        l.value = -l.value;
                        l
                    }),
                ))
            }
            _ => None,
        }
    }

    fn power(&mut self) -> Option<Operand> {
        let base = self.primary()?;
        if matches!(self.peek(0), Some(Tok::Op('^'))) && self.starts_operand(1) {
            self.pos += 1;
            self.ops += 1;
            self.non_add += 1;
            let exp = self.power()?;
            return Some((base.0.powf(exp.0), None));
        }
        Some(base)
    }

    /// The multiplicative operator at the cursor, if any (`*`, `/`, `x` between operands, `of`
    /// after a percentage or fraction).
    fn mul_op(&self, left: &Operand, after_div: bool) -> Option<char> {
        match self.peek(0) {
            Some(Tok::Op(c @ ('*' | '/'))) if self.starts_operand(1) => Some(*c),
            Some(Tok::Word(w)) if (*w == "x" || *w == "X") && self.starts_operand(1) => Some('*'),
            // "14(2)": implicit multiplication
            Some(Tok::LParen) if left.1.is_some() => Some('('),
            Some(Tok::Word("of")) if self.starts_operand(1) => {
                let pct = left.1.is_some_and(|n| n.percent);
                if pct || after_div { Some('*') } else { None }
            }
            _ => None,
        }
    }

    fn term(&mut self) -> Option<Operand> {
        let mut left = self.power()?;
        let mut after_div = false;
        while let Some(op) = self.mul_op(&left, after_div) {
            let save = self.pos;
            if op != '(' {
                self.pos += 1;
            }
            let Some(right) = self.power() else {
                self.pos = save;
                break;
            };
            let op = if op == '(' { '*' } else { op };
            self.ops += 1;
            self.non_add += 1;
            if let (Some(a), Some(b)) = (left.1, right.1) {
                self.products.push((a, op, b));
            }
            if op == '/' {
                self.has_div = true;
            }
            let v = if op == '*' { left.0 * right.0 } else { left.0 / right.0 };
            after_div = op == '/';
            left = (v, None);
        }
        Some(left)
    }

    fn expr(&mut self) -> Option<Operand> {
        let mut left = self.term()?;
        while let Some(Tok::Op(c @ ('+' | '-'))) = self.peek(0) {
            let c = *c;
            if !self.starts_operand(1) {
                break;
            }
            let save = self.pos;
            self.pos += 1;
            let Some(right) = self.term() else {
                self.pos = save;
                break;
            };
            self.ops += 1;
            if c == '-' {
                self.non_add += 1;
            }
            left = (if c == '+' { left.0 + right.0 } else { left.0 - right.0 }, None);
        }
        Some(left)
    }

    /// A variable right before the next `=` poisons the side ("0.4 * x = ...").
    fn variable_adjacent(&self) -> bool {
        match (self.peek(0), self.peek(1)) {
            (Some(Tok::Op(_)), Some(Tok::Word(w))) => is_single_letter(w) && !is_unit_letter(w),
            (Some(Tok::Word(w)), _) => {
                (*w == "x" || *w == "X")
                    || (is_single_letter(w) && !is_unit_letter(w) && matches!(self.peek(1), Some(Tok::Eq | Tok::Op(_))))
            }
            _ => false,
        }
    }

    fn side(&mut self) -> Option<(Side, usize)> {
        self.ops = 0;
        self.non_add = 0;
        self.percent = false;
        self.has_div = false;
        self.poisoned = false;
        self.products.clear();
        let start = self.pos;
        let (v, lit) = self.expr()?;
        let poisoned = self.poisoned || self.variable_adjacent();
        let end_byte = self.toks.get(self.pos).map(|(o, _)| *o).unwrap_or(usize::MAX);
        let _ = start;
        Some((
            Side {
                value: if poisoned || !v.is_finite() { None } else { Some(v) },
                ops: self.ops,
                non_add_ops: self.non_add,
                percent: self.percent,
                has_div: self.has_div,
                literal: if self.ops == 0 { lit } else { None },
                literal_products: std::mem::take(&mut self.products),
            },
            end_byte,
        ))
    }
}

/// Every equation chain in `text`, in order.
pub fn chains(text: &str) -> Vec<Chain> {
    let toks = tokenize(text);
    let mut out = Vec::new();
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        poisoned: false,
        ops: 0,
        non_add: 0,
        percent: false,
        has_div: false,
        products: Vec::new(),
    };
    let mut i = 0;
    while i < toks.len() {
        // a chain can start only at an operand that is not glued to a preceding variable
        p.pos = i;
        if !p.starts_operand(0) {
            i += 1;
            continue;
        }
        // "2x + 1 = 5" style: an operand right after a single-letter word or "x" is skipped
        // ... and so is one that starts mid-expression (after an operator or a number we could
        // not join: "W/2 - 2 = 55", "16,0000/10 = 16000", "17 000/5" misread)
        let b = text.as_bytes();
        let glued = toks[i].0 >= 2 && matches!(b[toks[i].0 - 1], b',' | b'.') && b[toks[i].0 - 2].is_ascii_digit();
        let prev_is_var = glued
            || (i > 0
                && match &toks[i - 1].1 {
                    Tok::Word(w) => is_single_letter(w) && !is_unit_letter(w),
                    Tok::Op(c) => {
                        *c != '-'
                            || matches!(
                                toks.get(i.wrapping_sub(2)).map(|t| &t.1),
                                Some(Tok::Num(_) | Tok::RParen | Tok::Word(_))
                            )
                    }
                    Tok::Num(_) | Tok::RParen => true,
                    _ => false,
                });
        let start_byte = toks[i].0;
        let Some((first, _)) = p.side() else {
            i += 1;
            continue;
        };
        let mut sides = vec![first];
        let mut approx = Vec::new();
        let mut end_byte = text.len();
        loop {
            let rel = match p.peek(0) {
                Some(Tok::Eq) => false,
                Some(Tok::Approx) => true,
                _ => break,
            };
            let save = p.pos;
            p.pos += 1;
            match p.side() {
                Some((s, e)) => {
                    sides.push(s);
                    approx.push(rel);
                    end_byte = e.min(text.len());
                }
                None => {
                    p.pos = save;
                    break;
                }
            }
        }
        if sides.len() >= 2 {
            if prev_is_var {
                for s in &mut sides {
                    s.value = None;
                }
            }
            out.push(Chain { start: start_byte, end: end_byte, sides, approx });
            i = p.pos.max(i + 1);
        } else {
            i = p.pos.max(i + 1);
        }
    }
    out
}

/// Expressions with at least one operator between numbers but no `=` (e.g. "2 + 2", "3 x 4"),
/// counted as reasoning steps by R002. Returns how many there are.
pub fn bare_operations(text: &str) -> usize {
    let toks = tokenize(text);
    let mut n = 0;
    let mut i = 0;
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        poisoned: false,
        ops: 0,
        non_add: 0,
        percent: false,
        has_div: false,
        products: Vec::new(),
    };
    while i < toks.len() {
        p.pos = i;
        if !p.starts_operand(0) {
            i += 1;
            continue;
        }
        match p.side() {
            Some((s, _)) => {
                if s.ops > 0 {
                    n += 1;
                }
                i = p.pos.max(i + 1);
            }
            None => i += 1,
        }
    }
    n
}

/// All numeric literals of `text` with their byte offsets.
pub fn numbers(text: &str) -> Vec<(usize, Num)> {
    tokenize(text)
        .into_iter()
        .filter_map(|(o, t)| match t {
            Tok::Num(n) => Some((o, n)),
            _ => None,
        })
        .collect()
}

/// Parse a whole answer string ("$1,035.00", "25%", "3/4", "-2.5 km", "\frac{1}{2}") to a value.
pub fn parse_value(s: &str) -> Option<f64> {
    let t = s.trim().trim_end_matches('.');
    let toks = tokenize(t);
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        poisoned: false,
        ops: 0,
        non_add: 0,
        percent: false,
        has_div: false,
        products: Vec::new(),
    };
    if !p.starts_operand(0) {
        return None;
    }
    let (side, _) = p.side()?;
    side.value
}

/// Whether `computed` matches the `stated` value, tolerating rounding to the stated precision,
/// approximate relations and percent/plain mixes (`12/30 × 100 = 40%`).
pub fn values_match(computed: f64, stated: f64, stated_lit: Option<&Num>, approx: bool, rounding_stated: bool) -> bool {
    let close = |a: f64, b: f64| -> bool {
        let scale = a.abs().max(b.abs()).max(1.0);
        if (a - b).abs() <= 1e-6 * scale {
            return true;
        }
        let decimals = stated_lit.map(|n| n.decimals).unwrap_or(2);
        let unit = 10f64.powi(-(decimals as i32));
        let unit = if stated_lit.is_some_and(|n| n.percent) { unit / 100.0 } else { unit };
        let a_is_int = (a - a.round()).abs() < 1e-9;
        if !a_is_int && (a - b).abs() <= 0.5 * unit * (1.0 + 1e-9) + 1e-12 {
            return true;
        }
        if rounding_stated && (a - b).abs() < unit * (1.0 + 1e-9) {
            return true;
        }
        if approx {
            let rel = (a - b).abs() / a.abs().max(1e-12);
            if rel <= 0.01 || (a - b).abs() <= unit * (1.0 + 1e-9) {
                return true;
            }
        }
        false
    };
    if close(computed, stated) {
        return true;
    }
    // percent written on one side only: 0.4 vs 40 or 40 vs 0.4
    close(computed * 100.0, stated) || close(computed, stated * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(t: &str) -> Vec<Vec<Option<f64>>> {
        chains(t).into_iter().map(|c| c.sides.into_iter().map(|s| s.value).collect()).collect()
    }

    #[test]
    fn numerals() {
        let (n, len) = parse_numeral("1,250.50 apples").unwrap();
        assert_eq!((n.value, len, n.decimals), (1250.5, 8, 2));
        let (n, _) = parse_numeral("15%").unwrap();
        assert!((n.value - 0.15).abs() < 1e-12 && n.percent);
        let (n, _) = parse_numeral(".25").unwrap();
        assert_eq!(n.value, 0.25);
        // "11, 17" is a list, not 11017
        let (n, _) = parse_numeral("11,17 and").unwrap();
        assert_eq!(n.value, 11.0);
        let (n, _) = parse_numeral("590").unwrap();
        assert_eq!((n.digits, n.sig_digits), (3, 2));
        let (n, _) = parse_numeral("0.85").unwrap();
        assert_eq!((n.digits, n.sig_digits), (2, 2));
    }

    #[test]
    fn simple_and_units() {
        assert_eq!(vals("It costs Jen 80 * 50 = 4000 cents to buy 50"), vec![vec![Some(4000.0), Some(4000.0)]]);
        assert_eq!(vals("$5/pound * 20 pounds = $100"), vec![vec![Some(100.0), Some(100.0)]]);
        assert_eq!(vals("200 miles / (100 miles/hour) = 2 hours"), vec![vec![Some(2.0), Some(2.0)]]);
        assert_eq!(vals("12 inches / 2 = 6 inches"), vec![vec![Some(6.0), Some(6.0)]]);
        assert_eq!(vals("1/2 x 200 = 100"), vec![vec![Some(100.0), Some(100.0)]]);
        assert_eq!(vals("2-1.5=$.5"), vec![vec![Some(0.5), Some(0.5)]]);
    }

    #[test]
    fn chains_and_variables() {
        assert_eq!(vals("3 * 4 = 6 * 2 = 12"), vec![vec![Some(12.0), Some(12.0), Some(12.0)]]);
        // variables make a side unevaluable
        let v = vals("40% * x = 0.4 * x = $60000");
        assert!(v.iter().all(|c| c.iter().filter(|x| x.is_some()).count() <= 1), "{v:?}");
        let v = vals("2x + 3 = 7");
        assert!(v.iter().all(|c| c.iter().all(Option::is_none)), "{v:?}");
    }

    #[test]
    fn percent_of_and_latex() {
        let v = vals("12% of 350 = 0.12 × 350 = 42 litres");
        assert_eq!(v.len(), 1);
        assert!(v[0].iter().all(|x| (x.unwrap() - 42.0).abs() < 1e-9), "{v:?}");
        let v = vals("3/8 of 32 = 32 / 8 × 3 = 12");
        assert!(v[0].iter().all(|x| (x.unwrap() - 12.0).abs() < 1e-9), "{v:?}");
        let v = vals("$12 \\times 4 = 48$");
        assert_eq!(v, vec![vec![Some(48.0), Some(48.0)]]);
        let v = vals("\\frac{3}{4} \\cdot 8 = 6");
        assert_eq!(v, vec![vec![Some(6.0), Some(6.0)]]);
    }

    #[test]
    fn tolerance() {
        assert!(values_match(22.0 / 3.0, 7.33, parse_numeral("7.33").map(|x| x.0).as_ref(), true, false));
        assert!(!values_match(9.0, 8.0, parse_numeral("8").map(|x| x.0).as_ref(), false, false));
        // 12/30 × 100 = 40%
        assert!(values_match(40.0, 0.4, parse_numeral("40%").map(|x| x.0).as_ref(), false, false));
        assert!(!values_match(575.0, 577.0, None, false, false));
    }

    #[test]
    fn values() {
        assert_eq!(parse_value("$1,035.00"), Some(1035.0));
        assert_eq!(parse_value("3/4"), Some(0.75));
        assert_eq!(parse_value("-2.5 km"), Some(-2.5));
        assert_eq!(parse_value("\\frac{1}{2}"), Some(0.5));
        assert_eq!(parse_value("forty"), None);
    }
}
