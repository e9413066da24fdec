//! Loading a Hugging Face `tokenizer_config.json`: its chat template(s) and special tokens.
//!
//! As in transformers: `chat_template` is a string or a list of `{"name", "template"}`; a
//! `chat_template.jinja` file beside the config takes precedence over the config's default
//! template; special tokens are strings or `{"content": ...}` objects; `added_tokens_decoder`
//! entries with `"special": true` are special too (the injection guard checks them).

use super::ChatError;
use super::template::SpecialTokens;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// A loaded tokenizer config.
#[derive(Debug, Clone)]
pub struct TokenizerConfig {
    pub path: PathBuf,
    /// Named templates in file order; a plain-string `chat_template` (or `chat_template.jinja`)
    /// is named `default`.
    pub templates: Vec<(String, String)>,
    pub special: SpecialTokens,
}

fn token_string(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Object(o) => o.get("content").and_then(Json::as_str).map(str::to_owned),
        _ => None,
    }
}

impl TokenizerConfig {
    /// Reads `path` (a `tokenizer_config.json`, or a directory holding one).
    pub fn load(path: &Path) -> Result<TokenizerConfig, ChatError> {
        let path = if path.is_dir() { path.join("tokenizer_config.json") } else { path.to_path_buf() };
        let text = std::fs::read_to_string(&path).map_err(|source| ChatError::Io { path: path.clone(), source })?;
        let cfg: Json = serde_json::from_str(&text).map_err(|source| ChatError::Json { path: path.clone(), source })?;
        Self::from_json(&cfg, &path)
    }

    /// Builds from parsed JSON; `path` locates a sibling `chat_template.jinja`.
    pub fn from_json(cfg: &Json, path: &Path) -> Result<TokenizerConfig, ChatError> {
        let Json::Object(cfg) = cfg else {
            return Err(ChatError::Config("tokenizer_config.json is not an object".into()));
        };
        let mut templates: Vec<(String, String)> = Vec::new();
        match cfg.get("chat_template") {
            None | Some(Json::Null) => {}
            Some(Json::String(s)) => templates.push(("default".into(), s.clone())),
            Some(Json::Array(list)) => {
                for t in list {
                    let name = t.get("name").and_then(Json::as_str);
                    let tmpl = t.get("template").and_then(Json::as_str);
                    match (name, tmpl) {
                        (Some(n), Some(s)) => templates.push((n.to_string(), s.to_string())),
                        _ => {
                            return Err(ChatError::Config("chat_template list entry lacks name/template".into()));
                        }
                    }
                }
            }
            Some(_) => {
                return Err(ChatError::Config("chat_template is neither a string nor a list".into()));
            }
        }
        let jinja = path.parent().unwrap_or(Path::new(".")).join("chat_template.jinja");
        if jinja.is_file() {
            let s = std::fs::read_to_string(&jinja).map_err(|source| ChatError::Io { path: jinja.clone(), source })?;
            templates.retain(|(n, _)| n != "default");
            templates.insert(0, ("default".into(), s));
        }
        if templates.is_empty() {
            return Err(ChatError::NoChatTemplate { path: path.to_path_buf() });
        }
        let get = |k: &str| cfg.get(k).and_then(token_string);
        let mut special = SpecialTokens {
            bos_token: get("bos_token"),
            eos_token: get("eos_token"),
            unk_token: get("unk_token"),
            pad_token: get("pad_token"),
            additional_special_tokens: cfg
                .get("additional_special_tokens")
                .and_then(Json::as_array)
                .map(|a| a.iter().filter_map(token_string).collect())
                .unwrap_or_default(),
            added_special: Vec::new(),
        };
        if let Some(Json::Object(added)) = cfg.get("added_tokens_decoder") {
            for entry in added.values() {
                if entry.get("special").and_then(Json::as_bool) == Some(true)
                    && let Some(c) = entry.get("content").and_then(Json::as_str)
                {
                    special.added_special.push(c.to_string());
                }
            }
        }
        Ok(TokenizerConfig { path: path.to_path_buf(), templates, special })
    }

    /// transformers' choice of template: `name` if given (error if absent); otherwise the only
    /// template; otherwise `tool_use` when the row has tools and one exists; otherwise `default`.
    pub fn select(&self, name: Option<&str>, has_tools: bool) -> Result<&(String, String), ChatError> {
        let find = |n: &str| self.templates.iter().find(|(t, _)| t == n);
        let unknown = |n: &str| ChatError::UnknownTemplateName {
            name: n.to_string(),
            available: self.templates.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "),
        };
        if let Some(n) = name {
            return find(n).ok_or_else(|| unknown(n));
        }
        if self.templates.len() == 1 {
            return Ok(&self.templates[0]);
        }
        if has_tools && let Some(t) = find("tool_use") {
            return Ok(t);
        }
        find("default").ok_or_else(|| unknown("default"))
    }
}
