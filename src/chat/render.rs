//! The `render` pipeline stage: conversation -> `text`, `generation_spans`, `template`.

use super::ChatError;
use super::builtin;
use super::conversation::{self, FieldNames, InputFormat};
use super::strftime::Date;
use super::template::{ChatTemplate, SpecialTokens};
use super::tokenizer_config::TokenizerConfig;
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use aho_corasick::AhoCorasick;
use serde_json::{Map, Value as Json};
use std::path::PathBuf;

/// Where the chat template comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TemplateSource {
    /// A built-in template by name (see [`builtin::NAMES`]).
    Builtin(String),
    /// A `.jinja` file (no special tokens known: none are passed nor guarded).
    File(PathBuf),
    /// A `tokenizer_config.json` (or its directory).
    TokenizerConfig(PathBuf),
}

impl Default for TemplateSource {
    /// ChatML, the most common template for fine-tuning from scratch.
    fn default() -> Self {
        TemplateSource::Builtin("chatml".into())
    }
}

/// Options of `sftkit render`.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RenderOptions {
    /// Default: the built-in `chatml`.
    pub template: TemplateSource,
    /// Default `false`, as transformers' `apply_chat_template` (training data ends with the
    /// assistant turn).
    pub add_generation_prompt: bool,
    /// `YYYY-MM-DD` that `strftime_now` returns; default (`None`) today's date in UTC. The date
    /// used is [`RenderStage::date`] (for the manifest).
    pub date: Option<String>,
    /// Named template of a tokenizer config; default `None` = transformers' choice
    /// (`tool_use` for rows with tools when present, else `default`).
    pub chat_template_name: Option<String>,
    /// Default `false`: content containing a special token is dropped (`special_token_in_content`).
    pub allow_special_tokens_in_content: bool,
    /// Default `None`: detect per row ([`conversation::detect`]).
    pub input_format: Option<InputFormat>,
    /// Conversation field names; defaults `messages` / `conversations`.
    pub fields: FieldNames,
    /// Replaces the template source's special tokens (e.g. to give a `--template-file` its
    /// tokenizer's tokens); default `None` = the built-in's / tokenizer config's / none for a file.
    pub special_tokens: Option<SpecialTokens>,
}

enum Selection {
    /// One template for every row.
    Fixed,
    /// Tokenizer config without a forced name: index of `tool_use` used for rows with tools.
    ToolUse(usize),
}

/// Renders each record's conversation through a chat template.
pub struct RenderStage {
    /// `(recorded name, compiled template)`; index 0 is the default.
    templates: Vec<(String, ChatTemplate)>,
    selection: Selection,
    guard: Option<AhoCorasick>,
    opts: RenderOptions,
    date: Date,
}

impl RenderStage {
    pub fn new(opts: RenderOptions) -> Result<RenderStage, ChatError> {
        let date = match &opts.date {
            Some(d) => Date::parse(d)?,
            None => Date::today_utc(),
        };
        let mut selection = Selection::Fixed;
        let forced = opts.special_tokens.clone();
        let (templates, special) = match &opts.template {
            TemplateSource::Builtin(name) => {
                let b = builtin::get(name).ok_or_else(|| ChatError::UnknownBuiltin(name.clone()))?;
                let special = forced.unwrap_or_else(|| b.special_tokens());
                (vec![(b.name.to_string(), ChatTemplate::with_date(b.source, special.clone(), date)?)], special)
            }
            TemplateSource::File(path) => {
                let src =
                    std::fs::read_to_string(path).map_err(|source| ChatError::Io { path: path.clone(), source })?;
                let special = forced.unwrap_or_default();
                (vec![(path.display().to_string(), ChatTemplate::with_date(&src, special.clone(), date)?)], special)
            }
            TemplateSource::TokenizerConfig(path) => {
                let mut cfg = TokenizerConfig::load(path)?;
                if let Some(f) = forced {
                    cfg.special = f;
                }
                let label = |n: &str| format!("{}:{n}", cfg.path.display());
                let mut list = Vec::new();
                let (n, src) = cfg.select(opts.chat_template_name.as_deref(), false)?;
                list.push((label(n), ChatTemplate::with_date(src, cfg.special.clone(), date)?));
                if opts.chat_template_name.is_none() {
                    let (tn, tsrc) = cfg.select(None, true)?;
                    if tn != n {
                        list.push((label(tn), ChatTemplate::with_date(tsrc, cfg.special.clone(), date)?));
                        selection = Selection::ToolUse(1);
                    }
                }
                (list, cfg.special.clone())
            }
        };
        let tokens = special.guard_strings();
        let guard = if opts.allow_special_tokens_in_content || tokens.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&tokens).map_err(|e| ChatError::Config(e.to_string()))?)
        };
        Ok(RenderStage { templates, selection, guard, opts, date })
    }

    /// The date `strftime_now` returns (record it in the manifest).
    pub fn date(&self) -> Date {
        self.date
    }

    /// The recorded name of the default template.
    pub fn template_name(&self) -> &str {
        &self.templates[0].0
    }

    fn contains_special(&self, v: &Json) -> bool {
        let Some(guard) = &self.guard else {
            return false;
        };
        match v {
            Json::String(s) => guard.is_match(s),
            Json::Array(a) => a.iter().any(|x| self.contains_special(x)),
            Json::Object(m) => m.values().any(|x| self.contains_special(x)),
            _ => false,
        }
    }
}

/// A row field that may hold JSON either directly or as a JSON string (LLaMA-Factory stores
/// `tools` as a string).
fn json_field(fields: &Map<String, Json>, key: &str) -> Result<Option<Json>, String> {
    match fields.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Json::String(s)) => {
            serde_json::from_str(s).map(Some).map_err(|e| format!("`{key}` is a string but not JSON: {e}"))
        }
        Some(v) => Ok(Some(v.clone())),
    }
}

impl Stage for RenderStage {
    fn name(&self) -> &str {
        "render"
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        let messages = match conversation::to_messages(&rec.fields, self.opts.input_format, &self.opts.fields) {
            Ok((_, m)) => m,
            Err(e) => return Verdict::error(e.to_string()),
        };
        let (tools, documents, kwargs) = match (
            json_field(&rec.fields, "tools"),
            json_field(&rec.fields, "documents"),
            json_field(&rec.fields, "chat_template_kwargs"),
        ) {
            (Ok(t), Ok(d), Ok(k)) => (t, d, k),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Verdict::error(e),
        };
        let kwargs = match kwargs {
            None => None,
            Some(Json::Object(m)) => Some(m),
            Some(_) => return Verdict::error("`chat_template_kwargs` is not an object"),
        };
        if self.contains_special(&messages) {
            return Verdict::drop("special_token_in_content");
        }
        let has_tools = tools.as_ref().is_some_and(|t| !matches!(t, Json::Array(a) if a.is_empty()));
        let idx = match self.selection {
            Selection::ToolUse(i) if has_tools => i,
            _ => 0,
        };
        let (name, tmpl) = &self.templates[idx];
        let rendered = match tmpl.render(
            &messages,
            tools.as_ref(),
            documents.as_ref(),
            self.opts.add_generation_prompt,
            kwargs.as_ref(),
        ) {
            Ok(r) => r,
            Err(e) => return Verdict::error(e.to_string()),
        };
        let spans =
            rendered.generation_spans.iter().map(|[s, e]| Json::Array(vec![Json::from(*s), Json::from(*e)])).collect();
        rec.fields.insert("text".into(), Json::String(rendered.text));
        rec.fields.insert("generation_spans".into(), Json::Array(spans));
        rec.fields.insert("template".into(), Json::String(name.clone()));
        Verdict::Keep
    }
}
