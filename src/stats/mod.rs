//! `sftkit stats`: dataset statistics with polars, lazily over Parquet shards and JSONL files.
//!
//! Every input file is scanned lazily (`LazyFrame::scan_parquet`, `LazyJsonLineReader`; `.gz` and
//! `.zst` JSONL are decompressed by polars as it streams) and a handful of queries run over it, one
//! after the other, with polars' streaming engine, so memory stays bounded by the number of rows,
//! not the bytes (60-120 MB besides the input's mapped pages on a 1 GB corpus):
//!
//! | query | what it yields | kept in memory |
//! |---|---|---|
//! | counts | rows, nulls per column, rows with lint findings | one row |
//! | text | characters (code points) and words (Python `str.split`) per non-null text value | 8 bytes per row |
//! | turns | messages per conversation (`messages` or ShareGPT `conversations`) | 4 bytes per row |
//! | roles | messages per role | one row per role |
//! | lint | findings per (rule, severity) from the rows' lint annotations | one row per rule |
//! | rejected | rows per (`_rejected.stage`, `_rejected.reason`) in rejected-rows files | one row per reason |
//!
//! Per-file results are added up; quantiles are computed at the end over every row's value with
//! linear interpolation (numpy's default; [`QUANTILE_METHOD`]). Each file is queried on its own
//! so that an error names it, and files with different columns (web shards beside chat shards)
//! are summed rather than unified: a column missing from a file counts as null for its rows.
//!
//! Manifests (`manifest.json`, `manifest-r00003.json`) beside the data, or named as inputs, give the
//! drop reasons per stage, summed per job over ranks ([`manifest`]).
//!
//! The JSON form of [`Report`] is documented in the README (`sftkit stats --format json`); its
//! `schema_version` changes whenever a key changes meaning or disappears.

pub mod manifest;
mod scan;
pub mod table;

use crate::io::IoError;
use crate::io::inputs::expand_inputs_with_manifests;
use manifest::JobDrops;
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Version of the JSON report's layout.
pub const SCHEMA_VERSION: u32 = 1;

/// How quantiles are interpolated: polars' `QuantileMethod::Linear`, the same as numpy's default
/// (`linear`, type 7 of Hyndman & Fan): for sorted values `x` of length `n`, the `q` quantile is
/// `x[h] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])` with `h = (n - 1) * q`.
pub const QUANTILE_METHOD: &str = "linear";

/// The quantiles reported, with their names.
pub const QUANTILES: [(&str, f64); 5] = [("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95)];

/// A word is a maximal run of characters that Python's `str.isspace()` rejects — Unicode
/// White_Space (`\s` in the regex crate) plus U+001C..U+001F — so the count equals
/// `len(text.split())`, as `crate::web::text::split_whitespace` counts.
pub const WORD_PATTERN: &str = r"[^\s\x{1C}-\x{1F}]+";

/// Text columns tried, in order, when `--text-column` is not given.
pub const TEXT_CANDIDATES: &[&str] = &["text", "raw_content", "content"];

/// Errors of `sftkit stats`; every one names the file (and line, for JSONL rows).
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("{}: {message}", path.display())]
    Read { path: PathBuf, message: String },
    #[error("{}:{line}: {message}", path.display())]
    Row { path: PathBuf, line: u64, message: String },
    #[error("{}: manifest: {message}", path.display())]
    Manifest { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
    #[error("polars: {0}")]
    Polars(#[from] PolarsError),
}

impl StatsError {
    pub fn manifest(path: &Path, message: impl Into<String>) -> Self {
        StatsError::Manifest { path: path.to_path_buf(), message: message.into() }
    }
    fn read(path: &Path, message: impl std::fmt::Display) -> Self {
        StatsError::Read { path: path.to_path_buf(), message: message.to_string() }
    }
}

/// Options of [`collect_stats`].
#[derive(Debug, Clone, Default)]
pub struct StatsOptions {
    /// The text column; `None`: the first of [`TEXT_CANDIDATES`] that some input has as a string.
    pub text_column: Option<String>,
}

/// Min, quantiles, max and mean of a per-row count. All `None` when there are no values.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Distribution {
    /// How many values (rows) the distribution is over.
    pub count: u64,
    pub min: Option<u64>,
    pub p5: Option<f64>,
    pub p25: Option<f64>,
    pub p50: Option<f64>,
    pub p75: Option<f64>,
    pub p95: Option<f64>,
    pub max: Option<u64>,
    pub mean: Option<f64>,
}

impl Distribution {
    /// The quantiles in [`QUANTILES`] order.
    pub fn quantiles(&self) -> [Option<f64>; 5] {
        [self.p5, self.p25, self.p50, self.p75, self.p95]
    }
}

/// One column of the inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnStats {
    pub name: String,
    /// polars' name of the type (`str`, `i64`, `list[struct[4]]`, ...); types that differ between
    /// files are joined with ` | `.
    pub dtype: String,
    /// Null or missing values (a file without the column counts all its rows).
    pub nulls: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextStats {
    pub column: String,
    /// Rows with a non-null text value (the distributions are over these).
    pub rows: u64,
    /// Length in Unicode code points.
    pub chars: Distribution,
    /// Number of words as Python's `str.split()` splits them.
    pub words: Distribution,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatStats {
    /// The conversation columns found: `messages` (OpenAI, role in `role`) and/or
    /// `conversations` (ShareGPT, role in `from`).
    pub columns: Vec<String>,
    /// Messages per conversation (every message counts, system and tool ones too), over the rows
    /// that have a conversation (`messages` first, else `conversations`).
    pub turns: Distribution,
    /// Messages per role, as written (ShareGPT's `human`/`gpt` are not renamed).
    pub roles: BTreeMap<String, u64>,
}

/// Findings of one lint rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleCount {
    pub findings: u64,
    /// Findings per severity (`error`, `warning`, `info`).
    pub severity: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LintStats {
    /// The column holding the findings (a list of structs with `rule` and `severity`, as the
    /// pipeline's `lint` stage writes it); `None` when only manifests or rejected rows had lint drops.
    pub column: Option<String>,
    pub rows_with_findings: u64,
    pub findings: u64,
    pub by_rule: BTreeMap<String, RuleCount>,
    /// Rows the lint stage dropped (mode `drop`), per rule code: from the manifests' `lint` stage
    /// when there are manifests, otherwise from `_rejected` rows of stage `lint`. A row dropped for
    /// `R001,R006` counts once for each.
    pub dropped_by_rule: BTreeMap<String, u64>,
}

/// Drops and errors of one stage, counted over rejected rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RejectedStage {
    pub stage: String,
    pub dropped: BTreeMap<String, u64>,
    /// Rows that failed in this stage (`_rejected.error`); their messages are not listed.
    pub errors: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RejectedStats {
    /// Rows with a `_rejected` object.
    pub rows: u64,
    /// Stages in first-seen order.
    pub stages: Vec<RejectedStage>,
}

/// Everything `sftkit stats` reports. Serialised as the `--format json` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub quantile_method: &'static str,
    /// Data files read, in order.
    pub files: Vec<String>,
    /// Manifest files read, in order.
    pub manifests: Vec<String>,
    pub rows: u64,
    pub columns: Vec<ColumnStats>,
    pub text: Option<TextStats>,
    pub chat: Option<ChatStats>,
    pub lint: Option<LintStats>,
    /// From rows carrying `_rejected` (the `--rejected` files of a run).
    pub rejected: Option<RejectedStats>,
    /// From manifests: rows and drop reasons per stage, per job.
    pub jobs: Vec<JobDrops>,
    /// Things the report could not cover (e.g. a `messages` column that is not a list of structs).
    pub notes: Vec<String>,
}

/// Sums over files, before the quantiles are taken.
#[derive(Default)]
struct Acc {
    rows: u64,
    columns: Vec<(String, Vec<String>, u64)>,
    text_rows: u64,
    chars: Vec<Series>,
    words: Vec<Series>,
    turns: Vec<Series>,
    chat_columns: Vec<String>,
    roles: BTreeMap<String, u64>,
    lint_column: Option<String>,
    lint_rows: u64,
    lint: BTreeMap<String, RuleCount>,
    rejected: Option<RejectedStats>,
    notes: Vec<String>,
}

/// Read `inputs` (files, folders, globs — as every command expands them) and compute the report.
pub fn collect_stats(inputs: &[String], opts: &StatsOptions) -> Result<Report, StatsError> {
    let expanded = expand_inputs_with_manifests(inputs)?;
    let mut files = Vec::with_capacity(expanded.data.len());
    for path in &expanded.data {
        let schema = scan::schema(path)?;
        files.push((path.clone(), schema));
    }
    let mut acc = Acc::default();
    let text_column = choose_text_column(opts, &files, &mut acc.notes)?;

    for (path, schema) in &files {
        let plan = scan::FilePlan::new(schema, text_column.as_deref(), path)?;
        let part = scan::run(path, &plan, schema)?;
        for (column, note) in &plan.notes {
            let all_null = part.nulls.get(column).is_some_and(|&n| n == part.rows);
            if !all_null && !acc.notes.contains(note) {
                acc.notes.push(note.clone());
            }
        }
        merge(&mut acc, schema, &plan, part);
    }

    let mut jobs = Vec::new();
    for m in &expanded.manifests {
        manifest::add_manifest(m, &mut jobs)?;
    }
    finish(acc, text_column, jobs, &expanded.data, &expanded.manifests)
}

/// The text column: `--text-column` (which some input must have), else the first candidate that
/// some input has as a string column. A candidate skipped because it is not text gives a note.
fn choose_text_column(
    opts: &StatsOptions,
    files: &[(PathBuf, SchemaRef)],
    notes: &mut Vec<String>,
) -> Result<Option<String>, StatsError> {
    if let Some(name) = &opts.text_column {
        if !files.is_empty() && !files.iter().any(|(_, s)| s.contains(name)) {
            return Err(StatsError::Usage(format!("--text-column {name:?}: no input has that column")));
        }
        return Ok(Some(name.clone()));
    }
    for cand in TEXT_CANDIDATES {
        if files.iter().any(|(_, s)| matches!(s.get(cand), Some(DataType::String))) {
            return Ok(Some(cand.to_string()));
        }
        if let Some((path, dtype)) =
            files.iter().find_map(|(p, s)| s.get(cand).filter(|d| !matches!(d, DataType::Null)).map(|d| (p, d)))
        {
            notes.push(format!(
                "column {cand:?} is {dtype} in {}, not text: not used as the text column",
                path.display()
            ));
        }
    }
    Ok(None)
}

fn merge(acc: &mut Acc, schema: &Schema, plan: &scan::FilePlan, part: scan::FilePart) {
    // Columns: first-seen order; a column absent from this file is null for all its rows.
    for (name, dtype) in schema.iter() {
        let nulls = part.nulls.get(name.as_str()).copied().unwrap_or(0);
        let dtype = dtype.to_string();
        match acc.columns.iter_mut().find(|(n, _, _)| n == name.as_str()) {
            Some((_, dtypes, n)) => {
                if !dtypes.contains(&dtype) {
                    dtypes.push(dtype);
                }
                *n += nulls;
            }
            None => acc.columns.push((name.to_string(), vec![dtype], acc.rows + nulls)),
        }
    }
    for (name, _, n) in acc.columns.iter_mut() {
        if !schema.contains(name) {
            *n += part.rows;
        }
    }
    acc.rows += part.rows;

    if let Some((chars, words)) = part.text {
        acc.text_rows += chars.len() as u64;
        acc.chars.push(chars);
        acc.words.push(words);
    }
    if let Some(turns) = part.turns {
        acc.turns.push(turns);
    }
    for c in &plan.chat_columns {
        if !acc.chat_columns.contains(&c.0) {
            acc.chat_columns.push(c.0.clone());
        }
    }
    for (role, n) in part.roles {
        *acc.roles.entry(role).or_default() += n;
    }
    if let Some(col) = &plan.lint_column {
        acc.lint_column.get_or_insert_with(|| col.clone());
        acc.lint_rows += part.lint_rows;
        for (rule, severity, n) in part.lint {
            let r = acc.lint.entry(rule).or_default();
            r.findings += n;
            *r.severity.entry(severity).or_default() += n;
        }
    }
    if plan.rejected.is_some() {
        let rej = acc.rejected.get_or_insert_with(RejectedStats::default);
        for (stage, reason, error, n) in part.rejected {
            rej.rows += n;
            let i = match rej.stages.iter().position(|s| s.stage == stage) {
                Some(i) => i,
                None => {
                    rej.stages.push(RejectedStage { stage: stage.clone(), ..Default::default() });
                    rej.stages.len() - 1
                }
            };
            let s = &mut rej.stages[i];
            if error {
                s.errors += n;
            } else {
                *s.dropped.entry(reason).or_default() += n;
            }
        }
    }
}

/// Quantiles, min, max and mean of the concatenated per-row values, with polars.
pub fn distribution(parts: &[Series]) -> Result<Distribution, PolarsError> {
    let mut all = Series::new_empty("v".into(), &DataType::UInt32);
    for p in parts {
        all.append(&p.cast(&DataType::UInt32)?)?;
    }
    let count = all.len() as u64;
    if count == 0 {
        return Ok(Distribution::default());
    }
    let mut exprs =
        vec![col("v").min().cast(DataType::UInt64).alias("min"), col("v").max().cast(DataType::UInt64).alias("max")];
    exprs.push(col("v").cast(DataType::Float64).mean().alias("mean"));
    for (name, q) in QUANTILES {
        exprs.push(col("v").quantile(lit(q), QuantileMethod::Linear).cast(DataType::Float64).alias(name));
    }
    let df = DataFrame::new(count as usize, vec![all.into_column()])?.lazy().select(exprs).collect()?;
    let f = |name: &str| -> Result<Option<f64>, PolarsError> { Ok(df.column(name)?.f64()?.get(0)) };
    let u = |name: &str| -> Result<Option<u64>, PolarsError> { Ok(df.column(name)?.u64()?.get(0)) };
    Ok(Distribution {
        count,
        min: u("min")?,
        p5: f("p5")?,
        p25: f("p25")?,
        p50: f("p50")?,
        p75: f("p75")?,
        p95: f("p95")?,
        max: u("max")?,
        mean: f("mean")?,
    })
}

fn finish(
    acc: Acc,
    text_column: Option<String>,
    jobs: Vec<JobDrops>,
    files: &[PathBuf],
    manifests: &[PathBuf],
) -> Result<Report, StatsError> {
    let text = match &text_column {
        Some(c) if acc.columns.iter().any(|(n, _, _)| n == c) => Some(TextStats {
            column: c.clone(),
            rows: acc.text_rows,
            chars: distribution(&acc.chars)?,
            words: distribution(&acc.words)?,
        }),
        _ => None,
    };
    let chat = if acc.chat_columns.is_empty() {
        None
    } else {
        Some(ChatStats { columns: acc.chat_columns.clone(), turns: distribution(&acc.turns)?, roles: acc.roles })
    };

    // Lint drops: from the manifests' lint stage, else from rejected rows of stage `lint`.
    let mut dropped_by_rule: BTreeMap<String, u64> = BTreeMap::new();
    let lint_stages: Vec<&manifest::StageCounts> =
        jobs.iter().flat_map(|j| j.stages.iter()).filter(|s| s.stage == "lint").collect();
    if !lint_stages.is_empty() {
        for s in lint_stages {
            for (reason, n) in &s.dropped {
                for code in reason.split(',').filter(|c| !c.is_empty()) {
                    *dropped_by_rule.entry(code.to_string()).or_default() += n;
                }
            }
        }
    } else if let Some(rej) = &acc.rejected {
        for s in rej.stages.iter().filter(|s| s.stage == "lint") {
            for (reason, n) in &s.dropped {
                for code in reason.split(',').filter(|c| !c.is_empty()) {
                    *dropped_by_rule.entry(code.to_string()).or_default() += n;
                }
            }
        }
    }
    let lint = if acc.lint_column.is_some() || !dropped_by_rule.is_empty() {
        Some(LintStats {
            column: acc.lint_column,
            rows_with_findings: acc.lint_rows,
            findings: acc.lint.values().map(|r| r.findings).sum(),
            by_rule: acc.lint,
            dropped_by_rule,
        })
    } else {
        None
    };

    Ok(Report {
        schema_version: SCHEMA_VERSION,
        quantile_method: QUANTILE_METHOD,
        files: files.iter().map(|p| p.display().to_string()).collect(),
        manifests: manifests.iter().map(|p| p.display().to_string()).collect(),
        rows: acc.rows,
        columns: acc
            .columns
            .into_iter()
            .map(|(name, dtypes, nulls)| ColumnStats { name, dtype: dtypes.join(" | "), nulls })
            .collect(),
        text,
        chat,
        lint,
        rejected: acc.rejected,
        jobs,
        notes: acc.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(v: &[u32]) -> Series {
        Series::new("x".into(), v)
    }

    #[test]
    fn linear_quantiles_by_hand() {
        // sorted: 1 2 3 4 10; h = 4q. p5: h=0.2 -> 1.2; p25: h=1 -> 2; p50: 3; p75: 4;
        // p95: h=3.8 -> 4 + 0.8*6 = 8.8. Spread over two parts, out of order.
        let d = distribution(&[series(&[4, 1, 10]), series(&[3, 2])]).unwrap();
        assert_eq!(d.count, 5);
        assert_eq!((d.min, d.max), (Some(1), Some(10)));
        let q = d.quantiles().map(|x| x.unwrap());
        let want = [1.2, 2.0, 3.0, 4.0, 8.8];
        for (got, want) in q.iter().zip(want) {
            assert!((got - want).abs() < 1e-9, "{q:?}");
        }
        assert_eq!(d.mean, Some(4.0));
    }

    #[test]
    fn empty_distribution_is_all_none() {
        let d = distribution(&[]).unwrap();
        assert_eq!(d, Distribution::default());
        let one = distribution(&[series(&[7])]).unwrap();
        assert_eq!((one.min, one.p5, one.p95, one.max, one.mean), (Some(7), Some(7.0), Some(7.0), Some(7), Some(7.0)));
    }

    #[test]
    fn word_pattern_is_python_str_split() {
        // "a\x1cb\u00a0c\u2003d\x85e  \t f\u200bg".split() == ['a','b','c','d','e','f\u200bg']
        let text = "a\x1cb\u{a0}c\u{2003}d\u{85}e  \t f\u{200b}g";
        let re = regex::Regex::new(WORD_PATTERN).unwrap();
        assert_eq!(re.find_iter(text).count(), 6);
        assert_eq!(crate::web::text::split_whitespace(text).count(), 6);
        for c in (0u32..0x3001).filter_map(char::from_u32) {
            let s = format!("x{c}y");
            let n = re.find_iter(&s).count();
            assert_eq!(n, crate::web::text::split_whitespace(&s).count(), "U+{:04X}", c as u32);
            assert_eq!(n, crate::web::text::count_split(&s), "U+{:04X}", c as u32);
        }
    }
}
