//! Building stages from their TOML settings (`[[job.stage]]` tables or command-line flags).
//!
//! | `type` | settings | built by |
//! |---|---|---|
//! | `filter` | `name` (see `sftkit filter --help`) + the filter's own keys | [`crate::web::filters::build`] |
//! | `lint` | `mode` = `annotate` (findings into a `lint` field) or `drop` (rows with error findings), `guidelines` (`default`, `math` or a TOML path), `field`, `reference_field` | [`crate::lint::stage::LintStage`] |
//! | `dedup` | `exact`, `minhash`, `n_grams`, `bands`, `rows`, `seed`, `text_field` | [`crate::web::dedup::DedupStage`] |
//! | `render` | `template` (built-in name) or `template_file` or `tokenizer_config`; `add_generation_prompt`, `date`, `chat_template_name`, `allow_special_tokens_in_content`, `input_format` | [`crate::chat::render::RenderStage`] |

use super::config::ConfigError;
use super::executor::AnyStage;
use crate::chat::conversation::InputFormat;
use crate::chat::render::{RenderOptions, RenderStage, TemplateSource};
use crate::lint::Linter;
use crate::lint::config::Guidelines;
use crate::lint::stage::{LintStage, LintStageMode};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// What a stage needs to know about the job it is part of.
#[derive(Debug, Clone)]
pub struct StageContext {
    pub text_field: String,
    /// Folder that relative paths in stage settings are resolved against.
    pub base_dir: PathBuf,
}

/// A built stage plus anything it wants recorded in the manifest.
pub struct BuiltStage {
    pub stage: AnyStage,
    pub manifest: Map<String, Value>,
}

impl BuiltStage {
    fn plain(stage: AnyStage) -> Self {
        BuiltStage { stage, manifest: Map::new() }
    }
}

/// Build one stage from its table: `type` picks the kind, the other keys are its settings.
pub fn build_stage(table: &toml::Table, ctx: &StageContext) -> Result<BuiltStage, ConfigError> {
    let kind = table
        .get("type")
        .and_then(|v| v.as_str())
        .ok_or_else(|| ConfigError::Invalid("stage without a string `type`".into()))?;
    let mut settings = table.clone();
    settings.remove("type");
    match kind {
        "filter" => {
            let name = take_string(&mut settings, "name")?;
            let text_field = take_opt_string(&mut settings, "text_field")?.unwrap_or_else(|| ctx.text_field.clone());
            let cfg = toml::Value::Table(settings);
            let f = crate::web::filters::build(&name, Some(&cfg), &text_field)
                .map_err(|e| ConfigError::Invalid(e.to_string()))?;
            Ok(BuiltStage::plain(AnyStage::Parallel(f)))
        }
        "dedup" => {
            let text_field = take_opt_string(&mut settings, "text_field")?.unwrap_or_else(|| ctx.text_field.clone());
            let cfg: crate::web::dedup::DedupConfig =
                toml::Value::Table(settings).try_into().map_err(|e| ConfigError::Invalid(format!("dedup: {e}")))?;
            let st = crate::web::dedup::DedupStage::new(cfg.clone(), text_field)
                .map_err(|e| ConfigError::Invalid(e.to_string()))?;
            let mut manifest = Map::new();
            manifest.insert("dedup".into(), serde_json::to_value(&cfg).unwrap_or_default());
            Ok(BuiltStage { stage: AnyStage::ordered(st), manifest })
        }
        "render" => {
            let opts = render_options(&mut settings, ctx)?;
            if let Some(k) = settings.keys().next() {
                return Err(ConfigError::Invalid(format!("render: unknown setting `{k}`")));
            }
            render_stage(opts)
        }
        "lint" => {
            let guidelines = take_opt_string(&mut settings, "guidelines")?;
            let mode = match take_opt_string(&mut settings, "mode")?.as_deref() {
                None | Some("annotate") => LintStageMode::Annotate,
                Some("drop") => LintStageMode::Drop,
                Some(m) => return Err(ConfigError::Invalid(format!("lint: mode {m:?} is not annotate or drop"))),
            };
            let field = take_opt_string(&mut settings, "field")?.unwrap_or_else(|| "lint".into());
            let reference_field = take_opt_string(&mut settings, "reference_field")?;
            if let Some(k) = settings.keys().next() {
                return Err(ConfigError::Invalid(format!("lint: unknown setting `{k}`")));
            }
            let g = match guidelines.as_deref() {
                None | Some("default") => Guidelines::default(),
                Some("math") => Guidelines::math_preset(),
                Some(p) => {
                    Guidelines::from_path(&ctx.base_dir.join(p)).map_err(|e| ConfigError::Invalid(e.to_string()))?
                }
            };
            let linter = Linter::new(g).map_err(|e| ConfigError::Invalid(e.to_string()))?;
            Ok(BuiltStage::plain(AnyStage::Parallel(Box::new(LintStage::new(linter, mode, field, reference_field)))))
        }
        other => {
            Err(ConfigError::Invalid(format!("unknown stage type {other:?} (expected filter, dedup, render or lint)")))
        }
    }
}

fn take_string(t: &mut toml::Table, key: &str) -> Result<String, ConfigError> {
    take_opt_string(t, key)?.ok_or_else(|| ConfigError::Invalid(format!("stage needs a string `{key}`")))
}

fn take_opt_string(t: &mut toml::Table, key: &str) -> Result<Option<String>, ConfigError> {
    match t.remove(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(ConfigError::Invalid(format!("`{key}` must be a string, not {}", v.type_str()))),
    }
}

/// Build the render stage; the manifest records the template and the date `strftime_now` saw.
pub fn render_stage(opts: RenderOptions) -> Result<BuiltStage, ConfigError> {
    let stage = RenderStage::new(opts).map_err(|e| ConfigError::Invalid(e.to_string()))?;
    let mut manifest = Map::new();
    manifest
        .insert("render".into(), serde_json::json!({"template": stage.template_name(), "date": stage.date().iso()}));
    Ok(BuiltStage { stage: AnyStage::Parallel(Box::new(stage)), manifest })
}

fn render_options(t: &mut toml::Table, ctx: &StageContext) -> Result<RenderOptions, ConfigError> {
    let builtin = take_opt_string(t, "template")?;
    let file = take_opt_string(t, "template_file")?;
    let tok = take_opt_string(t, "tokenizer_config")?;
    let template = match (builtin, file, tok) {
        (Some(b), None, None) => TemplateSource::Builtin(b),
        (None, Some(f), None) => TemplateSource::File(ctx.base_dir.join(f)),
        (None, None, Some(p)) => TemplateSource::TokenizerConfig(ctx.base_dir.join(p)),
        (None, None, None) => TemplateSource::default(),
        _ => {
            return Err(ConfigError::Invalid(
                "render: give only one of template, template_file, tokenizer_config".into(),
            ));
        }
    };
    let input_format = match take_opt_string(t, "input_format")? {
        None => None,
        Some(f) => Some(f.parse::<InputFormat>().map_err(|e| ConfigError::Invalid(format!("render: {e}")))?),
    };
    Ok(RenderOptions {
        template,
        add_generation_prompt: take_opt_bool(t, "add_generation_prompt")?.unwrap_or(false),
        date: take_opt_string(t, "date")?,
        chat_template_name: take_opt_string(t, "chat_template_name")?,
        allow_special_tokens_in_content: take_opt_bool(t, "allow_special_tokens_in_content")?.unwrap_or(false),
        input_format,
        ..Default::default()
    })
}

fn take_opt_bool(t: &mut toml::Table, key: &str) -> Result<Option<bool>, ConfigError> {
    match t.remove(key) {
        None => Ok(None),
        Some(toml::Value::Boolean(b)) => Ok(Some(b)),
        Some(v) => Err(ConfigError::Invalid(format!("`{key}` must be true or false, not {}", v.type_str()))),
    }
}
