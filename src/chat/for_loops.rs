//! `{% for x in none %}`: Jinja2 raises `TypeError: 'NoneType' object is not iterable`, minijinja's
//! VM iterates zero times. A template that loops over a `null` field (qwen2.5-vl and qwen3-vl
//! loop over `message.content`, which is `null` in OpenAI tool-call turns) must fail the row as
//! transformers does, not render a different text.
//!
//! Before compiling, every for tag's iterable is wrapped in a filter that raises on `none` and
//! passes anything else through unchanged:
//!
//! ```text
//! {%- for item in message.content if item.type == 'text' %}
//! {%- for item in (message.content)|__sftkit_iterable if item.type == 'text' %}
//! ```
//!
//! The iterable of a Jinja2 for tag runs from the top-level `in` after the target to a top-level
//! `if` (the loop filter), `recursive`, or the end of the tag; it cannot hold a bare conditional
//! expression, so a top-level `if` always ends it. Strings, brackets, comments and `raw` blocks are
//! skipped so that text looking like a tag is left alone.

use minijinja::{Error, Value};

/// Name of the filter the rewrite inserts.
pub const ITERABLE_FILTER: &str = "__sftkit_iterable";

/// The filter: `none` raises Python's error, anything else is returned as it is.
pub fn iterable_filter(value: Value) -> Result<Value, Error> {
    if value.is_none() {
        return Err(super::pymethods::none_not_iterable());
    }
    Ok(value)
}

/// Rewrites every `{% for ... in ITER ... %}` tag of `source` to iterate `(ITER)|__sftkit_iterable`.
pub fn rewrite_for_loops(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 64);
    let mut rest = source;
    while let Some(open) = rest.find(['{']) {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        if from.starts_with("{#") {
            let end = from.find("#}").map_or(from.len(), |i| i + 2);
            out.push_str(&from[..end]);
            rest = &from[end..];
        } else if from.starts_with("{%") {
            let end = tag_end(from);
            let tag = &from[..end];
            if is_raw_open(tag) {
                // Copy everything up to and including `{% endraw %}` untouched.
                let body_end = find_endraw(&from[end..]).map_or(from.len(), |i| end + i);
                out.push_str(&from[..body_end]);
                rest = &from[body_end..];
            } else {
                match rewrite_tag(tag) {
                    Some(new) => out.push_str(&new),
                    None => out.push_str(tag),
                }
                rest = &from[end..];
            }
        } else {
            out.push('{');
            rest = &from[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Byte length of the `{% ... %}` tag at the start of `s` (to the end of `s` if unterminated),
/// skipping string literals.
fn tag_end(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 2;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => i = string_end(b, i, q),
            b'%' if b.get(i + 1) == Some(&b'}') => return i + 2,
            _ => i += 1,
        }
    }
    b.len()
}

/// Index just past the string literal opened by the quote `q` at `start`.
fn string_end(b: &[u8], start: usize, q: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == q => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The tag's inner text without `{%`, `%}` and whitespace-control marks, and its offset.
fn inner(tag: &str) -> (usize, &str) {
    let mut start = 2;
    if matches!(tag.as_bytes().get(2), Some(b'-' | b'+')) {
        start = 3;
    }
    let mut end = if tag.ends_with("%}") { tag.len() - 2 } else { tag.len() };
    if end > start && matches!(tag.as_bytes()[end - 1], b'-' | b'+') {
        end -= 1;
    }
    (start, &tag[start..end.max(start)])
}

fn is_raw_open(tag: &str) -> bool {
    inner(tag).1.trim() == "raw"
}

/// Offset just past the `{% endraw %}` tag in `s`.
fn find_endraw(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find("{%") {
        let at = from + i;
        let end = tag_end(&s[at..]);
        if inner(&s[at..at + end]).1.trim() == "endraw" {
            return Some(at + end);
        }
        from = at + 2;
    }
    None
}

/// A token of a tag's inner text: its byte range and whether it is a name at bracket depth 0.
struct Token {
    start: usize,
    end: usize,
    top_level_name: bool,
}

fn tokens(s: &str) -> Vec<Token> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'\'' || c == b'"' {
            let end = string_end(b, i, c);
            out.push(Token { start: i, end, top_level_name: false });
            i = end;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            // `x.if` is an attribute, not a keyword.
            let after_dot = start > 0 && b[..start].iter().rev().find(|c| !c.is_ascii_whitespace()) == Some(&b'.');
            out.push(Token { start, end: i, top_level_name: depth == 0 && !after_dot });
        } else {
            match c {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            }
            out.push(Token { start: i, end: i + 1, top_level_name: false });
            i += 1;
        }
    }
    out
}

/// The rewritten tag if `tag` is a for tag, else `None`.
fn rewrite_tag(tag: &str) -> Option<String> {
    let (offset, body) = inner(tag);
    let toks = tokens(body);
    let word = |t: &Token| &body[t.start..t.end];
    let first = toks.first()?;
    if !(first.top_level_name && word(first) == "for") {
        return None;
    }
    let in_at = toks.iter().skip(1).position(|t| t.top_level_name && word(t) == "in")? + 1;
    let iter_start = toks.get(in_at + 1)?.start;
    let iter_end = toks[in_at + 1..]
        .iter()
        .find(|t| t.top_level_name && matches!(word(t), "if" | "recursive"))
        .map_or(body.trim_end().len(), |t| body[..t.start].trim_end().len());
    if iter_end <= iter_start {
        return None;
    }
    let (a, b) = (offset + iter_start, offset + iter_end);
    Some(format!("{}({})|{ITERABLE_FILTER}{}", &tag[..a], &tag[a..b], &tag[b..]))
}

#[cfg(test)]
mod tests {
    use super::rewrite_for_loops as rw;

    #[test]
    fn wraps_the_iterable_only() {
        assert_eq!(
            rw("{% for m in messages %}x{% endfor %}"),
            "{% for m in (messages)|__sftkit_iterable %}x{% endfor %}"
        );
        assert_eq!(
            rw("{%- for item in message.content if item.type == 'text' -%}"),
            "{%- for item in (message.content)|__sftkit_iterable if item.type == 'text' -%}"
        );
        assert_eq!(
            rw("{% for k, v in d.items() recursive %}"),
            "{% for k, v in (d.items())|__sftkit_iterable recursive %}"
        );
        assert_eq!(rw("{% for x in a + b %}"), "{% for x in (a + b)|__sftkit_iterable %}");
        assert_eq!(
            rw("{% for x in xs[1:] | selectattr('a', 'in', ['if']) %}"),
            "{% for x in (xs[1:] | selectattr('a', 'in', ['if']))|__sftkit_iterable %}"
        );
        assert_eq!(rw("{%+ for x in y.if +%}"), "{%+ for x in (y.if)|__sftkit_iterable +%}");
    }

    #[test]
    fn leaves_everything_else_alone() {
        for s in [
            "{{ for_x }} {% if x in y %}{% endif %} {% set y = 'for a in b' %}",
            "{# {% for x in y %} #}",
            "{% raw %}{% for x in y %}{% endraw %}",
            "{ not a tag } {{ '{%' }}",
            "{% formatted %}",
        ] {
            assert_eq!(rw(s), s);
        }
    }
}
