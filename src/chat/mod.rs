//! Chat-template rendering (issue 5): conversations in OpenAI / ShareGPT / Alpaca form are
//! normalised to OpenAI-style messages and rendered through a Jinja chat template exactly as
//! Hugging Face transformers' `apply_chat_template` renders them.
//!
//! - [`conversation`]: input formats and their detection.
//! - [`template`]: the minijinja environment reproducing transformers' Jinja2 environment.
//! - [`tokenizer_config`]: loading `tokenizer_config.json` (+ `chat_template.jinja`).
//! - [`builtin`]: templates shipped with sftkit (`templates/*.jinja`).
//! - [`render`]: the pipeline [`Stage`](crate::pipeline::stage::Stage).

pub mod builtin;
pub mod conversation;
pub mod for_loops;
pub mod pyjson;
pub mod pymethods;
pub mod render;
pub mod strftime;
pub mod template;
pub mod tokenizer_config;

pub use conversation::InputFormat;
pub use render::{RenderOptions, RenderStage, TemplateSource};
pub use template::{ChatTemplate, Rendered, SpecialTokens};

use std::path::PathBuf;

/// Everything that can go wrong while loading a template or rendering a conversation.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid JSON in {path}: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path} has no chat_template (and no chat_template.jinja beside it)")]
    NoChatTemplate { path: PathBuf },
    #[error("no chat template named {name:?} (available: {available})")]
    UnknownTemplateName { name: String, available: String },
    #[error("unknown built-in template {0:?} (known: {known})", known = builtin::NAMES.join(", "))]
    UnknownBuiltin(String),
    #[error("invalid tokenizer config: {0}")]
    Config(String),
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    InvalidDate(String),
    /// The template source does not parse.
    #[error("template syntax error: {0}")]
    Syntax(String),
    /// The template raised (`raise_exception`) or failed on this conversation; the message is
    /// the template's own message for `raise_exception`.
    #[error("{0}")]
    Render(String),
    /// The row is not a conversation in any known (or the forced) input format.
    #[error("conversation: {0}")]
    Conversation(String),
}
