//! The minijinja environment that reproduces the Jinja2 environment of Hugging Face
//! transformers' `apply_chat_template` (`ImmutableSandboxedEnvironment(trim_blocks=True,
//! lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols])` with `tojson`,
//! `raise_exception` and `strftime_now`).
//!
//! # Compatibility notes (where minijinja differs from Jinja2 and what is done about it)
//!
//! - **`{% generation %}`**: minijinja has no such tag. The source is rewritten before parsing:
//!   `{%- generation -%}` becomes `{%- filter __sftkit_generation -%}` and `endgeneration`
//!   becomes `endfilter`, keeping the whitespace-control signs, so trim_blocks/lstrip_blocks
//!   treat the tags exactly as Jinja2 treats the original block tags. The filter wraps the body
//!   in two private-use marker characters, chosen per render among U+E000..U+F8FF so that
//!   neither occurs in the template source nor anywhere in the context; after rendering the
//!   markers are removed and the spans computed as code-point offsets (sorted by start, as
//!   transformers' tracker does).
//! - **Printing values**: minijinja prints `none`/`true`/`false` and its own list/map syntax;
//!   Jinja2 prints Python's `str()`: `None`, `True`, `['a', 1]`, `{'k': None}`. A custom
//!   formatter prints Python `str()` (which `~` also goes through: `"a" ~ none` is `aNone`);
//!   the `string` filter is replaced the same way.
//! - **`tojson`**: minijinja's built-in is compact and HTML-escapes; it is replaced by
//!   transformers' definition (Python `json.dumps` with `ensure_ascii=False` by default and the
//!   `indent`, `separators`, `sort_keys` keywords), reproduced byte for byte
//!   (see [`super::pyjson`]).
//! - **Python string/dict methods** (`strip`, `split`, `startswith`, `items`, `get`, ...) come
//!   from `minijinja_contrib::pycompat`; `rsplit`, `removeprefix`, `removesuffix`,
//!   `partition`, `rpartition`, `index`, `rindex`, `zfill`, `ljust`, `rjust`, `center`,
//!   `casefold`, `swapcase` are added in [`super::pymethods`], as are Jinja2's `center` and
//!   `truncate` filters. Not available: Python's `%` string formatting (`'%s' % x`, an
//!   operator minijinja does not let one override; no fixture template uses it) and
//!   `str.title()` on titlecase digraphs.
//! - **Tuples** (`dict.items()`, `dictsort`, literals) print as Python tuples `('a', 1)`.
//! - **`is sequence`**: Jinja2's test is true for anything with `len()` and `__getitem__`,
//!   i.e. also strings and dicts; minijinja's is true for lists only. Replaced by Jinja2's.
//! - **Undefined**: minijinja's `Lenient` behaviour matches Jinja2's default `Undefined`
//!   (prints as empty, iterates as empty, is falsy, fails on attribute access and arithmetic).
//! - **`none` is not iterable** in Python: the `iterable` test, `list` and `join` filters are
//!   replaced by Jinja2-faithful ones (`join` also prints items with Python's `str()`).
//!   `{% for x in none %}` iterates zero times in minijinja's VM where Jinja2 raises
//!   `TypeError`; every for tag's iterable goes through a filter that raises instead
//!   ([`super::for_loops`]), so a template looping over a `null` content fails the row as
//!   transformers does (qwen2_5_vl / qwen3_vl with `"content": null` tool-call turns).
//! - **Newlines**: Jinja2's lexer normalises `\r\n` and `\r` in the template to `\n`
//!   (`newline_sequence`); minijinja keeps them, so the source is normalised before parsing
//!   (one fixture template, glm4moe_training, has CRLF line endings).
//! - **`keep_trailing_newline`** is false in both; `trim_blocks` and `lstrip_blocks` are set.
//! - **Map order**: `preserve_order` keeps dict insertion order, like Python dicts.
//! - **Sandbox**: the immutable sandbox forbids `list.append` etc.; minijinja has no mutating
//!   methods at all, so templates calling them fail in both.
//! - **`tools`/`documents`**: passed only when the row carries them (as the conformance
//!   reference does); transformers passes `tools=None` when absent, which only matters to
//!   templates testing `tools is defined` without `is not none`.

use super::ChatError;
use super::for_loops::{ITERABLE_FILTER, iterable_filter, rewrite_for_loops};
use super::pyjson::{self, DumpOptions};
use super::pymethods;
use super::strftime::Date;
use minijinja::value::{Kwargs, Serde, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};
use serde_json::{Map, Value as Json};
use std::collections::HashSet;
use std::sync::OnceLock;

const TEMPLATE_NAME: &str = "chat_template";
const GEN_FILTER: &str = "__sftkit_generation";
const GEN_MARKERS: &str = "__sftkit_generation_markers";

/// The tokenizer's special tokens: the template sees `bos_token`, `eos_token`, `unk_token`,
/// `pad_token` and `additional_special_tokens` (those that are set); the special-token guard
/// also checks `added_special` (added tokens marked `special` in `added_tokens_decoder`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SpecialTokens {
    pub bos_token: Option<String>,
    pub eos_token: Option<String>,
    pub unk_token: Option<String>,
    pub pad_token: Option<String>,
    pub additional_special_tokens: Vec<String>,
    /// Added tokens marked `"special": true` (guard only; not in the template context).
    pub added_special: Vec<String>,
}

impl SpecialTokens {
    /// The tokens the conformance reference (`fixtures/chat/render_reference.py`) passes:
    /// `<s>`, `</s>`, `<unk>`, `<pad>`.
    pub fn reference_defaults() -> Self {
        SpecialTokens {
            bos_token: Some("<s>".into()),
            eos_token: Some("</s>".into()),
            unk_token: Some("<unk>".into()),
            pad_token: Some("<pad>".into()),
            ..Default::default()
        }
    }

    /// Every special token string the injection guard rejects in message content.
    pub fn guard_strings(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let singles = [&self.bos_token, &self.eos_token, &self.unk_token, &self.pad_token];
        for t in singles.into_iter().flatten() {
            out.push(t.clone());
        }
        out.extend(self.additional_special_tokens.iter().cloned());
        out.extend(self.added_special.iter().cloned());
        out.retain(|t| !t.is_empty());
        out.sort();
        out.dedup();
        out
    }

    /// The template-context entries (`bos_token`, ..., `additional_special_tokens`) that are set.
    fn context_values(&self) -> Vec<(String, Value)> {
        let singles = [
            ("bos_token", &self.bos_token),
            ("eos_token", &self.eos_token),
            ("unk_token", &self.unk_token),
            ("pad_token", &self.pad_token),
        ];
        let mut out: Vec<(String, Value)> = singles
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_string(), Value::from(v.as_str()))))
            .collect();
        if !self.additional_special_tokens.is_empty() {
            let list: Vec<Value> = self.additional_special_tokens.iter().map(|t| Value::from(t.as_str())).collect();
            out.push(("additional_special_tokens".into(), Value::from(list)));
        }
        out
    }
}

/// A rendered conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// `[start, end)` Unicode code-point offsets into `text`, one per `{% generation %}` block.
    pub generation_spans: Vec<[usize; 2]>,
}

/// A compiled chat template with its special tokens and frozen date.
pub struct ChatTemplate {
    env: Environment<'static>,
    special: SpecialTokens,
    /// `special` as template-context entries, built once.
    special_values: Vec<(String, Value)>,
    /// Private-use characters occurring in the template source (never used as markers).
    source_pua: HashSet<char>,
}

fn generation_tag_regexes() -> &'static (regex::Regex, regex::Regex) {
    static RE: OnceLock<(regex::Regex, regex::Regex)> = OnceLock::new();
    RE.get_or_init(|| {
        (
            regex::Regex::new(r"\{%([-+]?)\s*generation\s*([-+]?)%\}").expect("valid regex"),
            regex::Regex::new(r"\{%([-+]?)\s*endgeneration\s*([-+]?)%\}").expect("valid regex"),
        )
    })
}

/// Rewrites `{% generation %}` / `{% endgeneration %}` into a filter block (see module docs).
pub fn rewrite_generation_tags(source: &str) -> String {
    let (open, close) = generation_tag_regexes();
    let s = open.replace_all(source, format!("{{%${{1}} filter {GEN_FILTER} ${{2}}%}}").as_str());
    close.replace_all(&s, "{%${1} endfilter ${2}%}").into_owned()
}

/// Jinja2's lexer turns every `\r\n`, `\r` and `\n` in template data and string literals into
/// `newline_sequence` (`\n`); minijinja keeps them. Normalising the whole source is equivalent
/// (newlines inside tags are whitespace).
pub fn normalize_newlines(source: &str) -> String {
    if source.contains('\r') { source.replace("\r\n", "\n").replace('\r', "\n") } else { source.to_string() }
}

fn is_pua(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

fn collect_pua(v: &Json, out: &mut HashSet<char>) {
    match v {
        Json::String(s) => out.extend(s.chars().filter(|c| is_pua(*c))),
        Json::Array(a) => a.iter().for_each(|x| collect_pua(x, out)),
        Json::Object(m) => {
            for (k, x) in m {
                out.extend(k.chars().filter(|c| is_pua(*c)));
                collect_pua(x, out);
            }
        }
        _ => {}
    }
}

fn tojson(value: Value, args: Vec<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    // Positional order of transformers' tojson: ensure_ascii, indent, separators, sort_keys.
    let mut opts = DumpOptions::default();
    let get = |i: usize, name: &str| -> Result<Option<Value>, Error> {
        if kwargs.has(name) { Ok(Some(kwargs.get::<Value>(name)?)) } else { Ok(args.get(i).cloned()) }
    };
    if let Some(v) = get(0, "ensure_ascii")? {
        opts.ensure_ascii = v.is_true();
    }
    if let Some(v) = get(1, "indent")? {
        opts.indent = match v.kind() {
            ValueKind::None | ValueKind::Undefined => None,
            ValueKind::Number => Some(" ".repeat(v.as_i64().unwrap_or(0).max(0) as usize)),
            ValueKind::String => Some(v.as_str().unwrap_or("").to_string()),
            _ => {
                return Err(Error::new(ErrorKind::InvalidOperation, "indent must be int or str"));
            }
        };
    }
    if let Some(v) = get(2, "separators")?
        && !v.is_none()
        && !v.is_undefined()
    {
        let parts: Vec<Value> = v.try_iter()?.collect();
        if parts.len() != 2 {
            return Err(Error::new(ErrorKind::InvalidOperation, "separators must be a pair"));
        }
        opts.separators = Some((pyjson::py_str(&parts[0]), pyjson::py_str(&parts[1])));
    }
    if let Some(v) = get(3, "sort_keys")? {
        opts.sort_keys = v.is_true();
    }
    kwargs.assert_all_used()?;
    Ok(Value::from(pyjson::dumps(&value, &opts)?))
}

fn generation_filter(state: &State, body: String) -> Result<String, Error> {
    let markers = state.lookup(GEN_MARKERS).and_then(|v| v.as_str().map(str::to_owned));
    let markers = markers.unwrap_or_default();
    let mut it = markers.chars();
    match (it.next(), it.next()) {
        (Some(open), Some(close)) => Ok(format!("{open}{body}{close}")),
        _ => Ok(body),
    }
}

/// Jinja2's `sequence` test: anything with a length and item access (lists, strings, dicts).
fn is_sequence(v: &Value) -> bool {
    matches!(v.kind(), ValueKind::Undefined | ValueKind::Seq | ValueKind::String | ValueKind::Map)
}

/// Builds the environment for `source` (already rewritten) with strftime frozen to `date`.
fn build_env(source: String, date: Date) -> Result<Environment<'static>, ChatError> {
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(false)
        .build()
        .map_err(|e| ChatError::Syntax(e.to_string()))?;
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_unknown_method_callback(pymethods::unknown_method);
    env.set_formatter(|out, _state, value| {
        match value.kind() {
            ValueKind::Undefined => {}
            ValueKind::String => out.write_str(value.as_str().unwrap_or(""))?,
            _ => out.write_str(&pyjson::py_str(value))?,
        }
        Ok(())
    });
    env.add_filter("tojson", tojson);
    env.add_filter("string", |v: Value| pyjson::py_str(&v));
    env.add_filter("center", pymethods::center_filter);
    env.add_filter("truncate", pymethods::truncate_filter);
    env.add_filter(GEN_FILTER, generation_filter);
    env.add_filter(ITERABLE_FILTER, iterable_filter);
    env.add_test("sequence", |v: Value| is_sequence(&v));
    env.add_test("iterable", |v: Value| pymethods::is_iterable(&v));
    env.add_filter("list", pymethods::list_filter);
    env.add_filter("join", pymethods::join_filter);
    env.add_function("raise_exception", |msg: Value| -> Result<Value, Error> {
        Err(Error::new(ErrorKind::InvalidOperation, pyjson::py_str(&msg)))
    });
    env.add_function("strftime_now", move |fmt: String| date.strftime(&fmt));
    env.add_template_owned(TEMPLATE_NAME, source).map_err(|e| ChatError::Syntax(format!("{e:#}")))?;
    Ok(env)
}

/// The message of a render error: a `raise_exception` message verbatim, otherwise minijinja's
/// description of what failed.
fn error_message(e: &Error) -> String {
    match (e.kind(), e.detail()) {
        (ErrorKind::InvalidOperation, Some(d)) => d.to_string(),
        (_, Some(d)) => format!("{}: {d}", e.kind()),
        _ => e.kind().to_string(),
    }
}

impl ChatTemplate {
    /// Compiles `source` with `strftime_now` frozen to today's date (UTC).
    pub fn new(source: &str, special_tokens: SpecialTokens) -> Result<Self, ChatError> {
        Self::with_date(source, special_tokens, Date::today_utc())
    }

    /// Compiles `source` with `strftime_now` frozen to `date`.
    pub fn with_date(source: &str, special_tokens: SpecialTokens, date: Date) -> Result<Self, ChatError> {
        let source_pua = source.chars().filter(|c| is_pua(*c)).collect();
        let source = normalize_newlines(source);
        let env = build_env(rewrite_for_loops(&rewrite_generation_tags(&source)), date)?;
        let special_values = special_tokens.context_values();
        Ok(ChatTemplate { env, special: special_tokens, special_values, source_pua })
    }

    /// The special tokens this template renders with.
    pub fn special_tokens(&self) -> &SpecialTokens {
        &self.special
    }

    /// Renders `messages` (a JSON array of message objects). `tools`/`documents` are passed
    /// when given; `extra_kwargs` (a row's `chat_template_kwargs`) are added last and override.
    pub fn render(
        &self,
        messages: &Json,
        tools: Option<&Json>,
        documents: Option<&Json>,
        add_generation_prompt: bool,
        extra_kwargs: Option<&Map<String, Json>>,
    ) -> Result<Rendered, ChatError> {
        // Pick generation markers that occur nowhere in the input or the template.
        let mut used = self.source_pua.clone();
        collect_pua(messages, &mut used);
        for v in [tools, documents].into_iter().flatten() {
            collect_pua(v, &mut used);
        }
        for (k, v) in extra_kwargs.into_iter().flatten() {
            used.extend(k.chars().filter(|c| is_pua(*c)));
            collect_pua(v, &mut used);
        }
        let mut free = ('\u{E000}'..='\u{F8FF}').filter(|c| !used.contains(c));
        let (Some(open), Some(close)) = (free.next(), free.next()) else {
            return Err(ChatError::Render("no free private-use marker characters".into()));
        };
        // The context, in transformers' order; later keys override earlier ones.
        let mut ctx: Vec<(String, Value)> = self.special_values.clone();
        ctx.push(("messages".into(), Value::from(Serde(messages))));
        ctx.push(("add_generation_prompt".into(), Value::from(add_generation_prompt)));
        if let Some(t) = tools {
            ctx.push(("tools".into(), Value::from(Serde(t))));
        }
        if let Some(d) = documents {
            ctx.push(("documents".into(), Value::from(Serde(d))));
        }
        for (k, v) in extra_kwargs.into_iter().flatten() {
            ctx.push((k.clone(), Value::from(Serde(v))));
        }
        ctx.push((GEN_MARKERS.into(), Value::from(format!("{open}{close}"))));
        let ctx = Value::from_pairs(ctx);

        let tmpl = self.env.get_template(TEMPLATE_NAME).map_err(|e| ChatError::Syntax(e.to_string()))?;
        let marked = tmpl.render(ctx).map_err(|e| ChatError::Render(error_message(&e)))?;
        strip_markers(&marked, open, close)
    }
}

/// Removes the markers and returns the spans as code-point offsets, sorted by start.
fn strip_markers(marked: &str, open: char, close: char) -> Result<Rendered, ChatError> {
    if !marked.contains([open, close]) {
        return Ok(Rendered { text: marked.to_string(), generation_spans: Vec::new() });
    }
    let mut text = String::with_capacity(marked.len());
    let mut spans = Vec::new();
    let mut stack = Vec::new();
    let mut n = 0usize;
    for c in marked.chars() {
        if c == open {
            stack.push(n);
        } else if c == close {
            let start = stack.pop().ok_or_else(|| ChatError::Render("unbalanced generation block".into()))?;
            spans.push([start, n]);
        } else {
            text.push(c);
            n += 1;
        }
    }
    spans.sort();
    Ok(Rendered { text, generation_spans: spans })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(src: &str, messages: Json) -> Result<Rendered, ChatError> {
        let t = ChatTemplate::with_date(src, SpecialTokens::reference_defaults(), Date::parse("2026-01-15").unwrap())?;
        t.render(&messages, None, None, false, None)
    }

    #[test]
    fn generation_spans_are_code_points() {
        // Expected values from fixtures/chat/render_reference.py (Jinja2 3.1.6).
        let src =
            "{% for m in messages %}{{ m.role }}:{% generation %}{{ m.content }}{% endgeneration %}|\n{% endfor %}";
        let r = render(src, json!([{"role": "a", "content": "é🙂"}, {"role": "b", "content": "x"}])).unwrap();
        assert_eq!(r.text, "a:é🙂|\nb:x|\n");
        assert_eq!(r.generation_spans, vec![[2, 4], [8, 9]]);
    }

    #[test]
    fn markers_do_not_collide_with_content() {
        let src = "{% for m in messages %}{%- generation -%}\n{{ m.content }}{% endgeneration %}{% endfor %}";
        let r = render(src, json!([{"role": "a", "content": "\u{E000}\u{E001}x"}])).unwrap();
        assert_eq!(r.text, "\u{E000}\u{E001}x");
        assert_eq!(r.generation_spans, vec![[0, 3]]);
    }

    #[test]
    fn python_printing_and_raise() {
        let r = render("{{ none }} {{ true }} {{ [1, 'a'] }} {{ {'k': none} }}{{ x }}", json!([])).unwrap();
        assert_eq!(r.text, "None True [1, 'a'] {'k': None}");
        let e = render("{{ raise_exception('bad role') }}", json!([])).unwrap_err();
        assert_eq!(e.to_string(), "bad role");
        let r = render("{{ strftime_now('%d %b %Y') }}|{{ 'ab' is sequence }}", json!([])).unwrap();
        assert_eq!(r.text, "15 Jan 2026|True");
    }

    #[test]
    fn trim_and_lstrip_blocks() {
        // Jinja2 3.1 with trim_blocks/lstrip_blocks renders this as "  x\ny" (Python-checked).
        let r = render("  {% if true %}\n  x\n  {% endif %}\ny\n", json!([])).unwrap();
        assert_eq!(r.text, "  x\ny");
    }
}
