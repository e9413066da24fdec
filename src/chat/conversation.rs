//! Input formats: a row's conversation, in OpenAI, ShareGPT or Alpaca form, normalised to
//! OpenAI-style messages (`[{"role": ..., "content": ...}, ...]` as serde_json values).
//!
//! - **OpenAI** (`messages`): kept exactly as written (content strings or lists of typed parts,
//!   `tool_calls` with object or string `arguments`, `tool` messages, extra keys such as
//!   `reasoning_content`), as transformers passes them to the template: whether string
//!   arguments work is the template's business (DeepSeek's official template needs strings,
//!   Qwen 2.5's `tojson`s them; the built-ins accept both).
//! - **ShareGPT** (`conversations` of `{"from", "value"}`, LLaMA-Factory's roles): `human`/`user`
//!   -> user, `gpt`/`assistant`/`model` -> assistant, `system` -> system, `function_call` ->
//!   assistant message with `tool_calls` parsed from the value (an object `{"name",
//!   "arguments"}` or a list of them), `observation`/`tool` -> tool. A top-level `system`
//!   string becomes a leading system message.
//! - **Alpaca** (`instruction`, `input`, `output`, optional `system`, `history` of
//!   `[query, response]` pairs): the user turn is `instruction` and `input` joined by `"\n"`
//!   when `input` is non-empty (LLaMA-Factory's convention).

use super::ChatError;
use serde_json::{Map, Value as Json, json};

/// A conversation format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// `messages: [{role, content, tool_calls?, ...}]`.
    #[serde(alias = "openai")]
    OpenAi,
    /// `conversations: [{from, value}]`.
    ShareGpt,
    /// `instruction`, `input`, `output`, `system?`, `history?`.
    Alpaca,
}

impl std::str::FromStr for InputFormat {
    type Err = ChatError;
    fn from_str(s: &str) -> Result<Self, ChatError> {
        match s.to_ascii_lowercase().as_str() {
            "openai" | "messages" => Ok(InputFormat::OpenAi),
            "sharegpt" => Ok(InputFormat::ShareGpt),
            "alpaca" => Ok(InputFormat::Alpaca),
            _ => Err(ChatError::Conversation(format!("unknown input format {s:?} (openai, sharegpt, alpaca)"))),
        }
    }
}

/// Which fields hold the conversation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct FieldNames {
    /// OpenAI messages field; default `messages` (TRL's conversational format).
    pub messages: String,
    /// ShareGPT conversations field; default `conversations` (ShareGPT / LLaMA-Factory).
    pub conversations: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames { messages: "messages".into(), conversations: "conversations".into() }
    }
}

/// Detects the row's format: a `messages` list is OpenAI; a `conversations` list is ShareGPT
/// when its entries have `from`/`value` (OpenAI when they have `role`); `instruction` plus
/// `output` is Alpaca.
pub fn detect(fields: &Map<String, Json>, names: &FieldNames) -> Option<InputFormat> {
    if fields.get(&names.messages).is_some_and(Json::is_array) {
        return Some(InputFormat::OpenAi);
    }
    if let Some(Json::Array(turns)) = fields.get(&names.conversations) {
        let first = turns.first().and_then(Json::as_object);
        return match first {
            Some(t) if t.contains_key("role") && !t.contains_key("from") => Some(InputFormat::OpenAi),
            _ => Some(InputFormat::ShareGpt),
        };
    }
    if fields.contains_key("instruction") && fields.contains_key("output") {
        return Some(InputFormat::Alpaca);
    }
    None
}

/// The row's conversation as OpenAI-style messages, in `format` (or the detected one).
pub fn to_messages(
    fields: &Map<String, Json>,
    format: Option<InputFormat>,
    names: &FieldNames,
) -> Result<(InputFormat, Json), ChatError> {
    let format = match format.or_else(|| detect(fields, names)) {
        Some(f) => f,
        None => {
            return Err(ChatError::Conversation(format!(
                "no conversation found (expected `{}`, `{}`, or Alpaca `instruction`/`output`)",
                names.messages, names.conversations
            )));
        }
    };
    let messages = match format {
        InputFormat::OpenAi => {
            let field = if fields.contains_key(&names.messages) { &names.messages } else { &names.conversations };
            openai(fields.get(field), field)?
        }
        InputFormat::ShareGpt => sharegpt(fields, &names.conversations)?,
        InputFormat::Alpaca => alpaca(fields)?,
    };
    Ok((format, Json::Array(messages)))
}

fn openai(v: Option<&Json>, field: &str) -> Result<Vec<Json>, ChatError> {
    let Some(Json::Array(msgs)) = v else {
        return Err(ChatError::Conversation(format!("`{field}` is not a list of messages")));
    };
    let mut out = Vec::with_capacity(msgs.len());
    for (i, m) in msgs.iter().enumerate() {
        let Json::Object(m) = m else {
            return Err(ChatError::Conversation(format!("message {i} is not an object")));
        };
        if !m.get("role").is_some_and(Json::is_string) {
            return Err(ChatError::Conversation(format!("message {i} has no string `role`")));
        }
        out.push(Json::Object(m.clone()));
    }
    Ok(out)
}

/// ShareGPT `function_call` arguments written as a JSON string holding an object -> the object.
fn parse_string_arguments(call: &mut Json) {
    let target = match call.get_mut("function") {
        Some(f) if f.is_object() => f,
        _ => call,
    };
    if let Some(args) = target.get_mut("arguments")
        && let Some(s) = args.as_str()
        && let Ok(parsed @ Json::Object(_)) = serde_json::from_str::<Json>(s)
    {
        *args = parsed;
    }
}

fn sharegpt_tool_calls(value: &Json) -> Result<Json, ChatError> {
    let parsed = match value {
        Json::String(s) => serde_json::from_str::<Json>(s)
            .map_err(|e| ChatError::Conversation(format!("function_call value is not JSON: {e}")))?,
        other => other.clone(),
    };
    let calls = match parsed {
        Json::Array(a) => a,
        obj @ Json::Object(_) => vec![obj],
        _ => {
            return Err(ChatError::Conversation("function_call value is not an object".into()));
        }
    };
    let mut out = Vec::new();
    for c in calls {
        let name = c.get("name").cloned().unwrap_or(Json::Null);
        let mut call = json!({"type": "function", "function": {"name": name, "arguments": c.get("arguments").cloned().unwrap_or_else(|| json!({}))}});
        parse_string_arguments(&mut call);
        out.push(call);
    }
    Ok(Json::Array(out))
}

fn sharegpt(fields: &Map<String, Json>, field: &str) -> Result<Vec<Json>, ChatError> {
    let Some(Json::Array(turns)) = fields.get(field) else {
        return Err(ChatError::Conversation(format!("`{field}` is not a list of turns")));
    };
    let mut out = Vec::with_capacity(turns.len() + 1);
    if let Some(Json::String(s)) = fields.get("system")
        && !s.is_empty()
    {
        out.push(json!({"role": "system", "content": s}));
    }
    for (i, t) in turns.iter().enumerate() {
        let from = t.get("from").and_then(Json::as_str);
        let value = t.get("value");
        let (Some(from), Some(value)) = (from, value) else {
            return Err(ChatError::Conversation(format!("turn {i} has no `from`/`value`")));
        };
        let msg = match from {
            "human" | "user" => json!({"role": "user", "content": value}),
            "gpt" | "assistant" | "model" | "chatgpt" | "bing" | "bard" => {
                json!({"role": "assistant", "content": value})
            }
            "system" => json!({"role": "system", "content": value}),
            "function_call" => {
                json!({"role": "assistant", "content": "", "tool_calls": sharegpt_tool_calls(value)?})
            }
            "observation" | "tool" | "function" => json!({"role": "tool", "content": value}),
            other => {
                return Err(ChatError::Conversation(format!("turn {i}: unknown ShareGPT role {other:?}")));
            }
        };
        out.push(msg);
    }
    Ok(out)
}

fn str_field<'a>(fields: &'a Map<String, Json>, k: &str) -> Result<Option<&'a str>, ChatError> {
    match fields.get(k) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => Err(ChatError::Conversation(format!("Alpaca `{k}` is not a string"))),
    }
}

fn alpaca(fields: &Map<String, Json>) -> Result<Vec<Json>, ChatError> {
    let instruction = str_field(fields, "instruction")?.unwrap_or("");
    let input = str_field(fields, "input")?.unwrap_or("");
    let output =
        str_field(fields, "output")?.ok_or_else(|| ChatError::Conversation("Alpaca row has no `output`".into()))?;
    let mut out = Vec::new();
    if let Some(system) = str_field(fields, "system")?
        && !system.is_empty()
    {
        out.push(json!({"role": "system", "content": system}));
    }
    if let Some(history) = fields.get("history").filter(|h| !h.is_null()) {
        let Json::Array(pairs) = history else {
            return Err(ChatError::Conversation("Alpaca `history` is not a list".into()));
        };
        for (i, pair) in pairs.iter().enumerate() {
            match pair.as_array().map(Vec::as_slice) {
                Some([Json::String(q), Json::String(a)]) => {
                    out.push(json!({"role": "user", "content": q}));
                    out.push(json!({"role": "assistant", "content": a}));
                }
                _ => {
                    return Err(ChatError::Conversation(format!(
                        "Alpaca history entry {i} is not a [query, response] pair"
                    )));
                }
            }
        }
    }
    let user = if input.is_empty() { instruction.to_string() } else { format!("{instruction}\n{input}") };
    out.push(json!({"role": "user", "content": user}));
    out.push(json!({"role": "assistant", "content": output}));
    Ok(out)
}
