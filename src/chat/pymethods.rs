//! Python `str` methods that real chat templates may call and that
//! `minijinja_contrib::pycompat` does not provide (`rsplit`, `removeprefix`, `partition`, ...),
//! tried before delegating to pycompat; plus Jinja2's `center` and `truncate` filters.

use minijinja::value::{Kwargs, Value, from_args};
use minijinja::{Error, ErrorKind, State};

/// The environment's unknown-method callback: the methods below, then pycompat's.
pub fn unknown_method(state: &mut State, value: &Value, method: &str, args: &[Value]) -> Result<Value, Error> {
    if let Some(s) = value.as_str()
        && let Some(v) = str_method(s, method, args)?
    {
        return Ok(v);
    }
    minijinja_contrib::pycompat::unknown_method_callback(state, value, method, args)
}

fn pad(width: usize, len: usize) -> usize {
    width.saturating_sub(len)
}

fn fill_char(fill: Option<&str>) -> Result<char, Error> {
    let f = fill.unwrap_or(" ");
    let mut it = f.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(Error::new(ErrorKind::InvalidOperation, "The fill character must be exactly one character long")),
    }
}

fn substring_index(s: &str, sub: &str, reverse: bool) -> Result<Value, Error> {
    let found = if reverse { s.rfind(sub) } else { s.find(sub) };
    match found {
        Some(b) => Ok(Value::from(s[..b].chars().count())),
        None => Err(Error::new(ErrorKind::InvalidOperation, "substring not found")),
    }
}

/// Python's `str.center` (odd padding goes right when the string length is odd... exactly
/// as CPython: `left = pad/2 + (pad & width & 1)`).
fn center(s: &str, width: usize, fill: char) -> String {
    let len = s.chars().count();
    let marg = pad(width, len);
    let left = marg / 2 + (marg & width & 1);
    let f = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
    format!("{}{s}{}", f(left), f(marg - left))
}

fn rsplit(s: &str, sep: Option<&str>, maxsplit: i64) -> Vec<String> {
    let limit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    match sep {
        Some(sep) => {
            let mut parts: Vec<String> = s.rsplitn(limit.saturating_add(1), sep).map(str::to_owned).collect();
            parts.reverse();
            parts
        }
        None => {
            let mut parts = Vec::new();
            let mut rest = s.trim_end();
            while !rest.is_empty() {
                if parts.len() == limit {
                    parts.push(rest.to_string());
                    break;
                }
                match rest.rfind(char::is_whitespace) {
                    Some(i) => {
                        let ws = rest[i..].chars().next().map_or(1, char::len_utf8);
                        parts.push(rest[i + ws..].to_string());
                        rest = rest[..i].trim_end();
                    }
                    None => {
                        parts.push(rest.to_string());
                        break;
                    }
                }
            }
            parts.reverse();
            parts
        }
    }
}

fn str_method(s: &str, method: &str, args: &[Value]) -> Result<Option<Value>, Error> {
    let v = match method {
        "rsplit" => {
            let (sep, maxsplit): (Option<Value>, Option<i64>) = from_args(args)?;
            let sep = sep.filter(|v| !v.is_none());
            let sep = sep.as_ref().and_then(Value::as_str);
            Value::from(rsplit(s, sep, maxsplit.unwrap_or(-1)))
        }
        "removeprefix" => {
            let (p,): (&str,) = from_args(args)?;
            Value::from(s.strip_prefix(p).unwrap_or(s))
        }
        "removesuffix" => {
            let (p,): (&str,) = from_args(args)?;
            Value::from(s.strip_suffix(p).unwrap_or(s))
        }
        "partition" | "rpartition" => {
            let (sep,): (&str,) = from_args(args)?;
            let hit = if method == "partition" { s.find(sep) } else { s.rfind(sep) };
            let parts = match hit {
                Some(i) => [&s[..i], sep, &s[i + sep.len()..]],
                None if method == "partition" => [s, "", ""],
                None => ["", "", s],
            };
            Value::from(parts.iter().map(|p| Value::from(*p)).collect::<Vec<_>>())
        }
        "index" => {
            let (sub,): (&str,) = from_args(args)?;
            substring_index(s, sub, false)?
        }
        "rindex" => {
            let (sub,): (&str,) = from_args(args)?;
            substring_index(s, sub, true)?
        }
        "zfill" => {
            let (width,): (usize,) = from_args(args)?;
            let len = s.chars().count();
            let zeros = "0".repeat(pad(width, len));
            match s.strip_prefix(['-', '+']) {
                Some(rest) => format!("{}{zeros}{rest}", &s[..1]).into(),
                None => format!("{zeros}{s}").into(),
            }
        }
        "ljust" | "rjust" | "center" => {
            let (width, fill): (usize, Option<&str>) = from_args(args)?;
            let fill = fill_char(fill)?;
            let n = pad(width, s.chars().count());
            let f: String = std::iter::repeat_n(fill, n).collect();
            match method {
                "ljust" => format!("{s}{f}").into(),
                "rjust" => format!("{f}{s}").into(),
                _ => center(s, width, fill).into(),
            }
        }
        "casefold" => {
            let () = from_args(args)?;
            Value::from(s.to_lowercase())
        }
        "swapcase" => {
            let () = from_args(args)?;
            let out: String = s
                .chars()
                .flat_map(|c| {
                    if c.is_uppercase() {
                        c.to_lowercase().collect::<Vec<_>>()
                    } else {
                        c.to_uppercase().collect::<Vec<_>>()
                    }
                })
                .collect();
            Value::from(out)
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// Jinja2's `center(value, width=80)` filter.
pub fn center_filter(value: String, width: Option<usize>) -> String {
    center(&value, width.unwrap_or(80), ' ')
}

/// Jinja2's `truncate(s, length=255, killwords=False, end='...', leeway=None)` filter
/// (default leeway 5).
pub fn truncate_filter(
    value: String,
    length: Option<usize>,
    killwords: Option<bool>,
    end: Option<String>,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let length = kwargs.get::<Option<usize>>("length")?.or(length).unwrap_or(255);
    let killwords = kwargs.get::<Option<bool>>("killwords")?.or(killwords);
    let end = kwargs.get::<Option<String>>("end")?.or(end).unwrap_or_else(|| "...".into());
    let leeway = kwargs.get::<Option<usize>>("leeway")?.unwrap_or(5);
    kwargs.assert_all_used()?;
    let end_len = end.chars().count();
    if length < end_len {
        return Err(Error::new(ErrorKind::InvalidOperation, "expected length >= len(end)"));
    }
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= length + leeway {
        return Ok(value);
    }
    let head: String = chars[..length - end_len].iter().collect();
    if killwords.unwrap_or(false) {
        return Ok(head + &end);
    }
    let cut = head.rfind(' ').map_or("", |i| &head[..i]);
    Ok(format!("{cut}{end}"))
}

pub(crate) fn none_not_iterable() -> Error {
    Error::new(ErrorKind::InvalidOperation, "'NoneType' object is not iterable")
}

/// Jinja2's `iterable` test: false for `none` (minijinja iterates `none` as empty).
pub fn is_iterable(v: &Value) -> bool {
    !v.is_none() && (v.is_undefined() || v.try_iter().is_ok())
}

/// Jinja2's `list` filter: fails on `none` like Python's `list(None)`.
pub fn list_filter(state: &State, value: Value) -> Result<Value, Error> {
    if value.is_none() {
        return Err(none_not_iterable());
    }
    minijinja::filters::list(state, value)
}

/// Jinja2's `join(value, d='', attribute=None)`: items converted with Python's `str()`
/// (`None`, `True`), fails on `none`.
pub fn join_filter(value: Value, d: Option<String>, attribute: Option<Value>, kwargs: Kwargs) -> Result<String, Error> {
    let d = kwargs.get::<Option<String>>("d")?.or(d).unwrap_or_default();
    let attribute = kwargs.get::<Option<Value>>("attribute")?.or(attribute);
    kwargs.assert_all_used()?;
    if value.is_none() {
        return Err(none_not_iterable());
    }
    if value.is_undefined() {
        return Ok(String::new());
    }
    let mut out = String::new();
    for (i, item) in value.try_iter()?.enumerate() {
        if i > 0 {
            out.push_str(&d);
        }
        let item = match &attribute {
            None => item,
            Some(a) => match a.as_str() {
                Some(path) => path.split('.').try_fold(item, |v, part| match part.parse::<i64>() {
                    Ok(n) => v.get_item(&Value::from(n)),
                    Err(_) => v.get_attr(part),
                })?,
                None => item.get_item(a)?,
            },
        };
        out.push_str(&super::pyjson::py_str(&item));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_semantics() {
        // Values from Python 3.11.
        assert_eq!(rsplit("a.b.c", Some("."), 1), ["a.b", "c"]);
        assert_eq!(rsplit("  a b  c ", None, 1), ["  a b", "c"]);
        assert_eq!(rsplit(" a  b ", None, -1), ["a", "b"]);
        assert_eq!(center("x", 5, ' '), "  x  ");
        assert_eq!(center("ab", 5, '*'), "**ab*");
        assert_eq!(center("abc", 6, '*'), "*abc**");
        let no_kwargs = || Kwargs::from_iter(std::iter::empty::<(&str, Value)>());
        assert_eq!(truncate_filter("abcdef".into(), Some(3), None, None, no_kwargs()).unwrap(), "abcdef");
        let leeway0 = Kwargs::from_iter([("leeway", Value::from(0))]);
        assert_eq!(truncate_filter("foo bar baz qux".into(), Some(9), None, None, leeway0).unwrap(), "foo...");
    }
}
