//! Python-compatible serialisation of template values: `json.dumps` (for the `tojson` filter
//! transformers installs) and `repr`/`str` (for how Jinja2 prints `None`, `True`, lists, dicts).

use minijinja::value::{Value, ValueKind};
use minijinja::{Error, ErrorKind};
use std::fmt::Write;

/// Options of Python's `json.dumps` that transformers' `tojson` forwards.
/// `Default` is `json.dumps`'s defaults with transformers' `ensure_ascii=False`.
#[derive(Debug, Clone, Default)]
pub struct DumpOptions {
    /// `ensure_ascii`; transformers' default is `False`.
    pub ensure_ascii: bool,
    /// `indent`: `None`, a number of spaces, or a string.
    pub indent: Option<String>,
    /// `separators` (item, key); Python's default is `(", ", ": ")`, or `(",", ": ")` with indent.
    pub separators: Option<(String, String)>,
    /// `sort_keys`.
    pub sort_keys: bool,
}

/// `json.dumps(value, ...)` with Python's exact spacing and escaping.
pub fn dumps(value: &Value, opts: &DumpOptions) -> Result<String, Error> {
    let (item_sep, key_sep) = match &opts.separators {
        Some((i, k)) => (i.clone(), k.clone()),
        None if opts.indent.is_some() => (",".to_string(), ": ".to_string()),
        None => (", ".to_string(), ": ".to_string()),
    };
    let mut out = String::new();
    let d = Dumper { opts, item_sep: &item_sep, key_sep: &key_sep };
    d.write(&mut out, value, 0)?;
    Ok(out)
}

struct Dumper<'a> {
    opts: &'a DumpOptions,
    item_sep: &'a str,
    key_sep: &'a str,
}

impl Dumper<'_> {
    fn newline(&self, out: &mut String, level: usize) {
        if let Some(ind) = &self.opts.indent {
            out.push('\n');
            for _ in 0..level {
                out.push_str(ind);
            }
        }
    }

    fn write(&self, out: &mut String, v: &Value, level: usize) -> Result<(), Error> {
        match v.kind() {
            ValueKind::Undefined => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    "Object of type Undefined is not JSON serializable",
                ));
            }
            ValueKind::None => out.push_str("null"),
            ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
            ValueKind::Number => write_number(out, v),
            ValueKind::String => write_json_str(out, v.as_str().unwrap_or(""), self.opts.ensure_ascii),
            ValueKind::Seq | ValueKind::Iterable => {
                let items: Vec<Value> = v.try_iter()?.collect();
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(self.item_sep);
                    }
                    self.newline(out, level + 1);
                    self.write(out, item, level + 1)?;
                }
                self.newline(out, level);
                out.push(']');
            }
            ValueKind::Map => {
                let mut pairs: Vec<(String, Value)> = Vec::new();
                for k in v.try_iter()? {
                    let val = v.get_item(&k)?;
                    pairs.push((json_key(&k)?, val));
                }
                if self.opts.sort_keys {
                    pairs.sort_by(|a, b| a.0.cmp(&b.0));
                }
                if pairs.is_empty() {
                    out.push_str("{}");
                    return Ok(());
                }
                out.push('{');
                for (i, (k, val)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(self.item_sep);
                    }
                    self.newline(out, level + 1);
                    write_json_str(out, k, self.opts.ensure_ascii);
                    out.push_str(self.key_sep);
                    self.write(out, val, level + 1)?;
                }
                self.newline(out, level);
                out.push('}');
            }
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("Object of type {} is not JSON serializable", v.kind()),
                ));
            }
        }
        Ok(())
    }
}

/// Python's conversion of a dict key to a JSON object key.
fn json_key(k: &Value) -> Result<String, Error> {
    Ok(match k.kind() {
        ValueKind::String => k.as_str().unwrap_or("").to_string(),
        ValueKind::None => "null".to_string(),
        ValueKind::Bool => (if k.is_true() { "true" } else { "false" }).to_string(),
        ValueKind::Number => {
            let mut s = String::new();
            write_number(&mut s, k);
            s
        }
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("keys must be str, int, float, bool or None, not {}", k.kind()),
            ));
        }
    })
}

fn write_number(out: &mut String, v: &Value) {
    if v.is_integer() {
        let _ = write!(out, "{v}");
    } else if let Ok(f) = f64::try_from(v.clone()) {
        out.push_str(&py_float_repr(f));
    } else {
        let _ = write!(out, "{v}");
    }
}

/// Python's `repr(float)`: shortest round-trip digits, scientific notation when the decimal
/// exponent is < -4 or >= 16, `inf`/`nan` spelled as `json.dumps` spells them.
pub fn py_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // `{:e}` gives the shortest round-trip digits in scientific form, e.g. "1.5e-7".
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..16).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f}");
    if s.contains('.') { s } else { format!("{s}.0") }
}

/// A JSON string literal as Python's `json.dumps` writes it.
pub fn write_json_str(out: &mut String, s: &str, ensure_ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if ensure_ascii && (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Python's `str(value)` as Jinja2 prints it (`None`, `True`, `['a', 1]`, `{'k': 'v'}`).
pub fn py_str(v: &Value) -> String {
    match v.kind() {
        ValueKind::String => v.as_str().unwrap_or("").to_string(),
        ValueKind::Undefined => String::new(),
        _ => {
            let mut s = String::new();
            py_repr(&mut s, v);
            s
        }
    }
}

/// Python's `repr(value)`.
pub fn py_repr(out: &mut String, v: &Value) {
    match v.kind() {
        ValueKind::Undefined => {}
        ValueKind::None => out.push_str("None"),
        ValueKind::Bool => out.push_str(if v.is_true() { "True" } else { "False" }),
        ValueKind::Number => {
            if v.is_integer() {
                let _ = write!(out, "{v}");
            } else if let Ok(f) = f64::try_from(v.clone()) {
                let r = py_float_repr(f);
                out.push_str(match r.as_str() {
                    "NaN" => "nan",
                    "Infinity" => "inf",
                    "-Infinity" => "-inf",
                    _ => &r,
                });
            } else {
                let _ = write!(out, "{v}");
            }
        }
        ValueKind::String => py_str_repr(out, v.as_str().unwrap_or("")),
        ValueKind::Seq | ValueKind::Iterable => {
            let tuple = v.is_tuple();
            out.push(if tuple { '(' } else { '[' });
            let mut n = 0;
            if let Ok(it) = v.try_iter() {
                for (i, item) in it.enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    py_repr(out, &item);
                    n += 1;
                }
            }
            if tuple && n == 1 {
                out.push(',');
            }
            out.push(if tuple { ')' } else { ']' });
        }
        ValueKind::Map => {
            out.push('{');
            if let Ok(it) = v.try_iter() {
                for (i, k) in it.enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    py_repr(out, &k);
                    out.push_str(": ");
                    py_repr(out, &v.get_item(&k).unwrap_or_default());
                }
            }
            out.push('}');
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
}

fn py_str_repr(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(j: &str) -> Value {
        Value::from(minijinja::value::Serde(serde_json::from_str::<serde_json::Value>(j).unwrap()))
    }

    #[test]
    fn dumps_matches_python() {
        // Expected strings computed with Python 3.11 json.dumps.
        let x = v(r#"{"b": [1, 2.5, null, true], "a": "é\"\n", "c": {}}"#);
        let d = DumpOptions::default();
        assert_eq!(dumps(&x, &d).unwrap(), r#"{"b": [1, 2.5, null, true], "a": "é\"\n", "c": {}}"#);
        let d = DumpOptions { ensure_ascii: true, sort_keys: true, ..Default::default() };
        assert_eq!(dumps(&x, &d).unwrap(), r#"{"a": "\u00e9\"\n", "b": [1, 2.5, null, true], "c": {}}"#);
        let d = DumpOptions { indent: Some("  ".into()), ..Default::default() };
        assert_eq!(
            dumps(&v(r#"{"a": [1, []], "b": {}}"#), &d).unwrap(),
            "{\n  \"a\": [\n    1,\n    []\n  ],\n  \"b\": {}\n}"
        );
        let d = DumpOptions { separators: Some((",".into(), ":".into())), ..Default::default() };
        assert_eq!(dumps(&v(r#"{"a": [1, 2]}"#), &d).unwrap(), r#"{"a":[1,2]}"#);
        let d = DumpOptions { ensure_ascii: true, ..Default::default() };
        assert_eq!(dumps(&v(r#""🙂\u0001""#), &d).unwrap(), r#""\ud83d\ude42\u0001""#);
    }

    #[test]
    fn float_repr_matches_python() {
        // repr() values from Python 3.11.
        assert_eq!(py_float_repr(1.0), "1.0");
        assert_eq!(py_float_repr(0.1), "0.1");
        assert_eq!(py_float_repr(1e16), "1e+16");
        assert_eq!(py_float_repr(1.5e-5), "1.5e-05");
        assert_eq!(py_float_repr(0.0001), "0.0001");
        assert_eq!(py_float_repr(123456789012345.6), "123456789012345.6");
    }

    #[test]
    fn repr_matches_python() {
        let x = v(r#"[{"role": "user", "n": null, "ok": true, "q": "it's"}]"#);
        assert_eq!(py_str(&x), r#"[{'role': 'user', 'n': None, 'ok': True, 'q': "it's"}]"#);
        assert_eq!(py_str(&Value::from(false)), "False");
    }
}
