//! The command line: parse arguments, build jobs, run them, print summaries. No logic beyond that.

use crate::chat::conversation::InputFormat;
use crate::chat::render::{RenderOptions, TemplateSource};
use crate::io::parquet::ShardOptions;
use crate::lint::config::Guidelines;
use crate::lint::files::lint_inputs;
use crate::lint::{Linter, Severity};
use crate::pipeline::config::PipelineFile;
use crate::pipeline::executor::{AnyStage, OnError, RunOptions};
use crate::pipeline::job::{JobSpec, run_job, summary};
use crate::pipeline::registry::{StageContext, build_stage, render_stage};
use crate::web::dedup::files::{ApplyStage, signature_file, signature_files, write_signatures};
use crate::web::dedup::staged::cluster;
use crate::web::dedup::{DedupConfig, DedupStage};
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use serde_json::{Map, Value, json};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "sftkit",
    version,
    about = "Clean web text, render chat finetuning sets, lint annotations, export Parquet shards, report dataset statistics."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert any supported input (JSONL, .gz, .zst, Parquet; files, folders, globs) to any output.
    Export {
        /// Input files, folders or glob patterns.
        #[arg(required = true)]
        inputs: Vec<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Apply web-text quality filters (datatrove-compatible heuristics, language, URL, length, PII).
    Filter {
        /// Input files, folders or glob patterns.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// Filters to apply, in order (comma-separated): gopher_quality, gopher_repetition,
        /// c4_quality, fineweb_quality, language, url, length, pii.
        #[arg(long, value_delimiter = ',', required = true)]
        filters: Vec<String>,
        /// TOML file with one table of settings per filter, e.g. `[gopher_quality] min_doc_words = 30`.
        #[arg(long)]
        config: Option<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Render conversations (OpenAI messages, ShareGPT, Alpaca) through a chat template, byte-identical
    /// to transformers' apply_chat_template, with {% generation %} spans.
    Render {
        /// Input files, folders or glob patterns.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// A built-in template: chatml, llama2, llama3, mistral, gemma, qwen2.5, qwen3, phi3, deepseek-r1.
        #[arg(long, group = "source")]
        template: Option<String>,
        /// A Jinja chat template file.
        #[arg(long, group = "source")]
        template_file: Option<PathBuf>,
        /// A tokenizer_config.json (or its folder): its chat_template and special tokens.
        #[arg(long, group = "source")]
        tokenizer_config: Option<PathBuf>,
        /// End each rendering with the assistant prompt (for inference-style data).
        #[arg(long)]
        add_generation_prompt: bool,
        /// The date `strftime_now` returns (YYYY-MM-DD; default today, UTC). Recorded in the manifest.
        #[arg(long)]
        date: Option<String>,
        /// Which named template of a tokenizer config (default: `tool_use` for rows with tools, else `default`).
        #[arg(long)]
        chat_template_name: Option<String>,
        /// Let message content contain the tokenizer's special-token strings (otherwise such rows are
        /// dropped with reason special_token_in_content).
        #[arg(long)]
        allow_special_tokens_in_content: bool,
        /// Force the input format instead of detecting it per row: openai, sharegpt, alpaca.
        #[arg(long)]
        input_format: Option<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Lint annotators' answers against the annotation guidelines (steps before the final answer, ...).
    /// Exit code 0: no error-severity findings; 1: findings; 2: usage, config or I/O error.
    Lint {
        /// Input files, folders or glob patterns (conversations: OpenAI `messages` or ShareGPT).
        #[arg(required_unless_present = "explain")]
        inputs: Vec<String>,
        /// Guidelines TOML (default: the built-in guidelines/default.toml; `math` = the stricter preset).
        #[arg(long)]
        guidelines: Option<String>,
        /// Report format (default: human on a terminal, jsonl otherwise).
        #[arg(long, value_parser = ["human", "jsonl", "json", "sarif", "github", "junit"])]
        format: Option<String>,
        /// Write the report to this file instead of stdout.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Field with the reference answer (R005).
        #[arg(long)]
        reference_field: Option<String>,
        /// Only these rule codes or prefixes (comma-separated, e.g. R,I001).
        #[arg(long)]
        select: Option<String>,
        /// Skip these rule codes or prefixes (comma-separated).
        #[arg(long)]
        ignore: Option<String>,
        /// Report only findings not in this baseline file.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Write all current findings as a baseline file (then exit 0).
        #[arg(long)]
        write_baseline: Option<PathBuf>,
        /// Exit 0 even when there are error findings.
        #[arg(long)]
        exit_zero: bool,
        /// Print a rule's documentation (what, why, bad and good examples) and exit.
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
        /// Field holding the record id.
        #[arg(long, default_value = "id")]
        id_field: String,
        /// Worker threads (0 = all cores).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
    /// Remove exact and near duplicates (MinHash LSH). Without --stage: one process does it all.
    /// With --stage, the same result in three steps for job arrays: `signatures` (per rank, -o is
    /// the signatures folder), `cluster` (once; INPUTs are signature folders/files, -o the removal
    /// list), `apply` (per rank, with --removals; -o the output).
    Dedup {
        /// Input files, folders or glob patterns (for `--stage cluster`: signature folders or files).
        #[arg(required = true)]
        inputs: Vec<String>,
        /// Write removed rows here (JSONL), each with `_removed: {method, duplicate_of}`.
        #[arg(long)]
        removed: Option<PathBuf>,
        /// TOML with dedup settings (exact, minhash, n_grams, bands, rows, seed).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Run one step of the staged (multi-machine) dedup.
        #[arg(long, value_enum)]
        stage: Option<DedupStep>,
        /// The removal list `--stage apply` reads.
        #[arg(long)]
        removals: Option<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Run a pipeline file (default: pipelines/default.toml, the bundled samples -> out/).
    Run {
        /// The pipeline TOML.
        pipeline: Option<PathBuf>,
        #[command(flatten)]
        exec: ExecArgs,
    },
    /// Dataset statistics with polars: rows, text length quantiles (characters, words), nulls per
    /// column, conversation turns and roles, lint findings by rule, drop reasons per stage (from
    /// manifests and rejected rows). Reads Parquet shards and JSONL lazily.
    Stats {
        /// Files (.parquet, .jsonl[.gz|.zst]), folders (their data files; manifest*.json inside are
        /// read as manifests) or glob patterns.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// `table` (aligned text, for people) or `json` (one object, documented in the README).
        #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
        format: StatsFormat,
        /// The text column (default: the first of text, raw_content, content that an input has).
        #[arg(long)]
        text_column: Option<String>,
        /// Worker threads for polars (0 = all cores).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
}

/// Output format of `sftkit stats`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    Table,
    Json,
}

/// A step of the staged dedup.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DedupStep {
    Signatures,
    Cluster,
    Apply,
}

/// Options about how a run executes (shared by every command).
#[derive(Args, Debug, Clone)]
pub struct ExecArgs {
    /// What to do with a row that cannot be processed: fail the run (publishing nothing) or skip
    /// it into --rejected.
    #[arg(long, value_enum)]
    pub on_error: Option<OnError>,
    /// Worker threads (0 = all cores). Output is identical for any value.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Rows per batch.
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// No progress bar (the final summary is still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options shared by every command that reads inputs and writes an output.
#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// Output: a folder (Parquet shards + manifest.json), a .parquet file, a .jsonl[.gz|.zst]
    /// file, or - for JSONL on stdout.
    #[arg(short = 'o', long)]
    pub output: PathBuf,
    /// Write dropped and failed rows here (JSONL), each with `_rejected: {stage, reason}`.
    #[arg(long)]
    pub rejected: Option<PathBuf>,
    /// Field holding the document text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Field holding the record id (default: `<file>:<line>` when absent).
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// This process's rank among --world-size processes: it reads input files i with i % W == R.
    #[arg(long, default_value_t = 0, env = "SFTKIT_RANK")]
    pub rank: usize,
    /// Number of processes sharing the input files (Slurm array size, Kubernetes completions).
    #[arg(long, default_value_t = 1, env = "SFTKIT_WORLD_SIZE")]
    pub world_size: usize,
    /// Split name in shard file names: {split}-{index:05d}-of-{count:05d}.parquet.
    #[arg(long, default_value = "train")]
    pub split: String,
    /// Most rows in one Parquet shard.
    #[arg(long)]
    pub max_rows_per_shard: Option<u64>,
    /// Most bytes in one Parquet shard (approximate: checked per row group).
    #[arg(long)]
    pub max_shard_bytes: Option<u64>,
    #[command(flatten)]
    pub exec: ExecArgs,
}

impl ExecArgs {
    fn run_options(&self, defaults: &crate::pipeline::config::RunSection, id_field: &str, label: &str) -> RunOptions {
        RunOptions {
            on_error: self.on_error.or(defaults.on_error).unwrap_or_default(),
            threads: self.threads.or(defaults.threads).unwrap_or(0),
            batch_size: self.batch_size.or(defaults.batch_size).unwrap_or(2048),
            id_field: id_field.to_string(),
            progress: !self.quiet,
            label: label.to_string(),
        }
    }
}

impl CommonArgs {
    fn shard_settings(&self) -> ShardOptions {
        let d = ShardOptions::default();
        ShardOptions {
            split: self.split.clone(),
            max_rows_per_shard: self.max_rows_per_shard.or(d.max_rows_per_shard),
            max_shard_bytes: self.max_shard_bytes.unwrap_or(d.max_shard_bytes),
            ..d
        }
    }

    /// A job spec for a single-job command.
    pub fn job(&self, name: &str, inputs: &[String], config: Value) -> JobSpec {
        JobSpec {
            name: name.to_string(),
            inputs: inputs.to_vec(),
            output: self.output.clone(),
            rejected: self.rejected.clone(),
            shards: self.shard_settings(),
            rank: self.rank,
            world_size: self.world_size,
            run: self.exec.run_options(&Default::default(), &self.id_field, name),
            config,
            extra: Map::new(),
        }
    }
}

/// Run the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Export { inputs, common } => {
            let spec = common.job("export", &inputs, json!({"command": "export"}));
            run_spec(&spec, Vec::new())
        }
        Command::Filter { inputs, filters, config, common } => {
            let table = load_table(config.as_deref())?;
            let mut stages = Vec::new();
            for name in &filters {
                let cfg = table.get(name).cloned();
                let stage = crate::web::filters::build(name, cfg.as_ref(), &common.text_field)
                    .with_context(|| format!("filter {name:?}"))?;
                stages.push(AnyStage::Parallel(stage));
            }
            for key in table.keys() {
                if !filters.contains(key) {
                    bail!("--config has settings for {key:?}, which is not in --filters");
                }
            }
            let spec =
                common.job("filter", &inputs, json!({"command": "filter", "filters": filters, "settings": table}));
            run_spec(&spec, stages)
        }
        Command::Render {
            inputs,
            template,
            template_file,
            tokenizer_config,
            add_generation_prompt,
            date,
            chat_template_name,
            allow_special_tokens_in_content,
            input_format,
            common,
        } => {
            let source = match (template, template_file, tokenizer_config) {
                (Some(t), _, _) => TemplateSource::Builtin(t),
                (_, Some(f), _) => TemplateSource::File(f),
                (_, _, Some(p)) => TemplateSource::TokenizerConfig(p),
                _ => bail!("give one of --template NAME, --template-file FILE, --tokenizer-config PATH"),
            };
            let input_format = match input_format {
                Some(f) => Some(f.parse::<InputFormat>().map_err(|e| anyhow::anyhow!("--input-format: {e}"))?),
                None => None,
            };
            let opts = RenderOptions {
                template: source,
                add_generation_prompt,
                date,
                chat_template_name,
                allow_special_tokens_in_content,
                input_format,
                ..Default::default()
            };
            let config = json!({"command": "render", "options": opts});
            let built = render_stage(opts)?;
            let mut spec = common.job("render", &inputs, config);
            spec.extra = built.manifest;
            run_spec(&spec, vec![built.stage])
        }
        Command::Lint {
            inputs,
            guidelines,
            format,
            output,
            reference_field,
            select,
            ignore,
            baseline,
            write_baseline,
            exit_zero,
            explain,
            id_field,
            threads,
        } => {
            if let Some(code) = explain {
                match crate::lint::registry::explain(&code) {
                    Some(doc) => {
                        println!("{doc}");
                        return Ok(0);
                    }
                    None => bail!("unknown rule code {code:?}"),
                }
            }
            let mut g = load_guidelines(guidelines.as_deref())?;
            g.apply_cli(select.as_deref(), ignore.as_deref());
            let linter = Linter::new(g)?;
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
            let run = pool.install(|| lint_inputs(&inputs, &linter, reference_field.as_deref(), &id_field))?;
            let mut findings = run.findings;
            if let Some(path) = write_baseline {
                crate::lint::baseline::Baseline::from_findings(&findings).write(&path)?;
                eprintln!("wrote {} finding(s) to baseline {}", findings.len(), path.display());
                return Ok(0);
            }
            if let Some(path) = baseline {
                findings = crate::lint::baseline::Baseline::read(&path)?.filter(findings);
            }
            let format = match format {
                Some(f) => f,
                None if output.is_none() && std::io::stdout().is_terminal() => "human".into(),
                None => "jsonl".into(),
            };
            let format: crate::lint::report::Format = format.parse()?;
            match &output {
                Some(path) => {
                    let mut f = std::io::BufWriter::new(
                        std::fs::File::create(path).with_context(|| format!("{}", path.display()))?,
                    );
                    crate::lint::report::render(format, &findings, run.records, &mut f)?;
                    f.flush()?;
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut lock = stdout.lock();
                    crate::lint::report::render(format, &findings, run.records, &mut lock)?;
                    lock.flush()?;
                }
            }
            let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
            eprintln!("lint: {} record(s), {} finding(s), {} at error severity", run.records, findings.len(), errors);
            Ok(if exit_zero { 0 } else { crate::lint::exit_code(&findings) })
        }
        Command::Dedup { inputs, removed, config, stage, removals, mut common } => {
            let cfg: DedupConfig = match &config {
                Some(p) => {
                    let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
                    toml::from_str(&text).with_context(|| format!("{}: invalid dedup settings", p.display()))?
                }
                None => DedupConfig::default(),
            };
            cfg.validate()?;
            if removed.is_some() {
                if common.rejected.is_some() {
                    bail!("give --removed or --rejected, not both");
                }
                common.rejected = removed;
            }
            let threads = common.exec.threads.unwrap_or(0);
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
            match stage {
                None => {
                    let st = DedupStage::new(cfg.clone(), common.text_field.clone())?;
                    let spec = common.job("dedup", &inputs, json!({"command": "dedup", "dedup": cfg}));
                    run_spec(&spec, vec![AnyStage::ordered(st)])
                }
                Some(DedupStep::Signatures) => {
                    let on_error = common.exec.on_error.unwrap_or_default();
                    let r = pool
                        .install(|| {
                            write_signatures(
                                &inputs,
                                common.rank,
                                common.world_size,
                                &common.output,
                                &cfg,
                                &common.text_field,
                                &common.id_field,
                                on_error,
                            )
                        })
                        .map_err(anyhow::Error::msg)
                        .context("dedup signatures failed; nothing was published")?;
                    eprintln!(
                        "dedup signatures: rank {}/{}: {} rows, {} signatures, {} skipped -> {}",
                        common.rank,
                        common.world_size,
                        r.rows,
                        r.written,
                        r.skipped,
                        signature_file(&common.output, common.rank).display()
                    );
                    Ok(0)
                }
                Some(DedupStep::Cluster) => {
                    let files = signature_files(&inputs).map_err(anyhow::Error::msg)?;
                    let removals = cluster(&files, &cfg)?;
                    let tmp = common.output.with_extension("tmp");
                    removals.write(&tmp)?;
                    std::fs::rename(&tmp, &common.output).with_context(|| format!("{}", common.output.display()))?;
                    eprintln!(
                        "dedup cluster: {} signature file(s) -> {} removal(s) in {}",
                        files.len(),
                        removals.len(),
                        common.output.display()
                    );
                    Ok(0)
                }
                Some(DedupStep::Apply) => {
                    let Some(list) = removals else { bail!("--stage apply needs --removals FILE") };
                    let st = ApplyStage::new(&list, &inputs)?;
                    let spec = common.job(
                        "dedup",
                        &inputs,
                        json!({"command": "dedup", "stage": "apply", "removals": list.display().to_string(), "dedup": cfg}),
                    );
                    run_spec(&spec, vec![AnyStage::Parallel(Box::new(st))])
                }
            }
        }
        Command::Run { pipeline, exec } => run_pipeline(pipeline.as_deref(), &exec),
        Command::Stats { inputs, format, text_column, threads } => {
            if threads > 0 {
                // SAFETY: polars sizes its thread pools from this variable when it first starts them,
                // which is below; the process has no other threads yet (only clap has run).
                unsafe { std::env::set_var("POLARS_MAX_THREADS", threads.to_string()) };
            }
            let opts = crate::stats::StatsOptions { text_column };
            let report = crate::stats::collect_stats(&inputs, &opts)?;
            let text = match format {
                StatsFormat::Table => crate::stats::table::render(&report),
                StatsFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
            };
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            lock.write_all(text.as_bytes())?;
            lock.flush()?;
            Ok(0)
        }
    }
}

/// `None`: the built-in defaults; `math`: the stricter preset; else a TOML file.
pub fn load_guidelines(arg: Option<&str>) -> Result<Guidelines> {
    Ok(match arg {
        None | Some("default") => Guidelines::default(),
        Some("math") => Guidelines::math_preset(),
        Some(path) => Guidelines::from_path(Path::new(path))?,
    })
}

/// A TOML settings file (or an empty table).
fn load_table(path: Option<&Path>) -> Result<toml::Table> {
    let Some(path) = path else { return Ok(toml::Table::new()) };
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{}: invalid TOML", path.display()))
}

fn run_spec(spec: &JobSpec, stages: Vec<AnyStage>) -> Result<i32> {
    let report = run_job(spec, stages).with_context(|| format!("{} failed; nothing was published", spec.name))?;
    eprint!("{}", summary(&report));
    Ok(0)
}

fn run_pipeline(path: Option<&Path>, exec: &ExecArgs) -> Result<i32> {
    let path = path.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("pipelines/default.toml"));
    if !path.exists() {
        bail!("{}: pipeline file not found (run from the project folder, or name a pipeline TOML)", path.display());
    }
    let file = PipelineFile::load(&path)?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // Build every job's stages first, so a config mistake fails before any work is done.
    let mut jobs = Vec::new();
    for job in &file.jobs {
        let text_field = job.text_field.clone().unwrap_or_else(|| "text".into());
        let ctx = StageContext { text_field: text_field.clone(), base_dir: base_dir.clone() };
        let mut stages = Vec::new();
        let mut extra = Map::new();
        for (i, table) in job.stages.iter().enumerate() {
            let built = build_stage(table, &ctx)
                .with_context(|| format!("{}: job {:?}, stage {}", path.display(), job.name, i + 1))?;
            extra.extend(built.manifest);
            stages.push(built.stage);
        }
        let d = ShardOptions::default();
        let id_field = job.id_field.clone().unwrap_or_else(|| "id".into());
        let spec = JobSpec {
            name: job.name.clone(),
            inputs: job.inputs.clone(),
            output: PathBuf::from(&job.output),
            rejected: job.rejected.as_ref().map(PathBuf::from),
            shards: ShardOptions {
                split: job.split.clone().unwrap_or_else(|| d.split.clone()),
                max_rows_per_shard: job.max_rows_per_shard.or(d.max_rows_per_shard),
                max_shard_bytes: job.max_shard_bytes.unwrap_or(d.max_shard_bytes),
                ..d
            },
            rank: 0,
            world_size: 1,
            run: exec.run_options(&file.run, &id_field, &job.name),
            config: json!({"pipeline": path.display().to_string(), "job": serde_json::to_value(toml_to_json(job)).unwrap_or(Value::Null)}),
            extra,
        };
        jobs.push((spec, stages));
    }
    for (spec, stages) in jobs {
        run_spec(&spec, stages)?;
    }
    Ok(0)
}

fn toml_to_json(job: &crate::pipeline::config::JobConfig) -> Value {
    let stages: Vec<Value> = job.stages.iter().map(|t| serde_json::to_value(t).unwrap_or(Value::Null)).collect();
    json!({
        "name": job.name, "inputs": job.inputs, "output": job.output, "rejected": job.rejected,
        "text_field": job.text_field, "id_field": job.id_field, "stages": stages,
    })
}
