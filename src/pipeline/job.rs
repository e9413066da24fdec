//! A job: inputs -> stages -> output (+ rejected rows), with its manifest and summary.
//! Every command (`export`, `filter`, `dedup`, `render`, `lint` as a stage, `run`) is one or more jobs.

use super::executor::{Accounting, AnyStage, Rejected, RunError, RunOptions, Sinks, run};
use crate::io::inputs::{expand_inputs, partition};
use crate::io::output::{Output, OutputKind, PublishedFile, ranked_file_name};
use crate::io::parquet::ShardOptions;
use crate::io::{FileKind, IoError};
use crate::record::Record;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// Everything a job needs besides its stages.
#[derive(Debug, Clone)]
pub struct JobSpec {
    /// Shown in the summary (`web`, `chat`, or the command name).
    pub name: String,
    /// Files, folders or glob patterns.
    pub inputs: Vec<String>,
    pub output: PathBuf,
    pub rejected: Option<PathBuf>,
    pub shards: ShardOptions,
    pub rank: usize,
    pub world_size: usize,
    pub run: RunOptions,
    /// Recorded in the manifest: the configuration that produced the output.
    pub config: Value,
    /// Extra manifest entries (e.g. the date a chat template saw).
    pub extra: Map<String, Value>,
}

#[derive(Debug)]
pub struct JobReport {
    pub name: String,
    pub accounting: Accounting,
    pub files: Vec<PublishedFile>,
    pub rejected_files: Vec<PublishedFile>,
    pub input_files: usize,
    /// Input files skipped because they are this job's own output (an output folder inside an
    /// input folder).
    pub excluded_inputs: Vec<String>,
}

struct JobSinks {
    out: Output,
    rejected: Option<Output>,
}

impl Sinks for JobSinks {
    fn kept(&mut self, rec: &Record) -> Result<(), IoError> {
        self.out.write(&rec.fields)
    }
    fn rejected(&mut self, rej: &Rejected<'_>) -> Result<(), IoError> {
        if let Some(r) = self.rejected.as_mut() {
            r.write(&rej.to_json())?;
        }
        Ok(())
    }
}

/// Run a job to completion. On any error nothing is published (temporary output is removed).
pub fn run_job(spec: &JobSpec, mut stages: Vec<AnyStage>) -> Result<JobReport, RunError> {
    if spec.world_size == 0 || spec.rank >= spec.world_size {
        return Err(IoError::Other {
            message: format!("--rank {} is not below --world-size {}", spec.rank, spec.world_size),
        }
        .into());
    }
    // An output folder inside an input folder (`export data -o data/out`) must not be read back by
    // a later run or a later rank: the job's own outputs are never inputs.
    let own = own_output_paths(spec);
    let (excluded, all): (Vec<PathBuf>, Vec<PathBuf>) =
        expand_inputs(&spec.inputs)?.into_iter().partition(|p| is_own_output(p, &own));
    let excluded: Vec<String> = excluded.iter().map(|p| p.display().to_string()).collect();
    let files = partition(&all, spec.rank, spec.world_size);
    let rank = Some((spec.rank, spec.world_size));
    let out = Output::create(&spec.output, &spec.shards, rank)?;
    let rejected = match &spec.rejected {
        None => None,
        Some(p) => {
            if !matches!(OutputKind::from_arg(p), OutputKind::Jsonl(_)) {
                return Err(IoError::format(p, "--rejected must name a .jsonl, .jsonl.gz or .jsonl.zst file").into());
            }
            Some(Output::create(p, &spec.shards, rank)?)
        }
    };
    let input_names: Vec<String> = files.iter().map(|(_, p)| p.display().to_string()).collect();
    let mut sinks = JobSinks { out, rejected };
    let acc = run(files, &mut stages, &mut sinks, &spec.run)?;

    let mut manifest = Map::new();
    manifest.insert("sftkit_version".into(), json!(env!("CARGO_PKG_VERSION")));
    manifest.insert("job".into(), json!(spec.name));
    manifest.insert("rank".into(), json!(spec.rank));
    manifest.insert("world_size".into(), json!(spec.world_size));
    manifest.insert("inputs".into(), json!(input_names));
    if !excluded.is_empty() {
        manifest.insert("excluded_inputs".into(), json!(excluded));
    }
    manifest.insert("config".into(), spec.config.clone());
    for (k, v) in &spec.extra {
        manifest.insert(k.clone(), v.clone());
    }
    manifest.insert(
        "rows".into(),
        json!({"input": acc.input_rows, "kept": acc.kept, "dropped": acc.dropped, "errors": acc.errors}),
    );
    manifest.insert("stages".into(), json!(acc.stages));
    let JobSinks { out, rejected } = sinks;
    // Rejected rows first: the main output's manifest is the commit marker.
    let rejected_files = match rejected {
        Some(r) => r.commit(None)?,
        None => Vec::new(),
    };
    let files = out.commit(Some(&mut manifest))?;
    Ok(JobReport {
        name: spec.name.clone(),
        accounting: acc,
        files,
        rejected_files,
        input_files: input_names.len(),
        excluded_inputs: excluded,
    })
}

/// Where this job writes, for every rank: `(path, is_folder)`, made absolute where it exists.
fn own_output_paths(spec: &JobSpec) -> Vec<(PathBuf, bool)> {
    let mut own = Vec::new();
    for target in std::iter::once(&spec.output).chain(spec.rejected.as_ref()) {
        match OutputKind::from_arg(target) {
            OutputKind::Stdout => {}
            OutputKind::ParquetDir => own.push((absolute(target), true)),
            _ => {
                own.push((absolute(target), false));
                for r in 0..spec.world_size {
                    own.push((absolute(&ranked_file_name(target, Some((r, spec.world_size)))), false));
                }
            }
        }
    }
    own
}

fn is_own_output(input: &Path, own: &[(PathBuf, bool)]) -> bool {
    let input = absolute(input);
    own.iter().any(|(p, folder)| if *folder { input.starts_with(p) } else { input == *p })
}

/// The canonical path when it exists, else the path joined to the current folder.
fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// "1 row", "12 rows".
fn rows(n: u64) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// The summary table printed to stderr at the end of a job.
pub fn summary(report: &JobReport) -> String {
    use std::fmt::Write;
    let a = &report.accounting;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} input rows from {} file(s) in {:.2}s ({:.1} MB/s) -> {} kept, {} dropped, {} errors",
        report.name,
        a.input_rows,
        report.input_files,
        a.seconds,
        a.input_bytes as f64 / 1e6 / a.seconds.max(1e-9),
        a.kept,
        a.dropped,
        a.errors
    );
    let _ = writeln!(s, "  {:<24} {:>10} {:>10} {:>10} {:>8}", "stage", "in", "kept", "dropped", "errors");
    if a.read_errors > 0 {
        let _ = writeln!(
            s,
            "  {:<24} {:>10} {:>10} {:>10} {:>8}",
            "read",
            a.input_rows,
            a.input_rows - a.read_errors,
            0,
            a.read_errors
        );
    }
    for st in &a.stages {
        let _ = writeln!(
            s,
            "  {:<24} {:>10} {:>10} {:>10} {:>8}",
            st.stage,
            st.input,
            st.kept,
            st.dropped_total(),
            st.errors
        );
        let mut reasons: Vec<_> = st.dropped.iter().collect();
        reasons.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
        for (reason, n) in reasons {
            let _ = writeln!(s, "    - {reason:<38} {n:>8}");
        }
    }
    if !report.excluded_inputs.is_empty() {
        let _ = writeln!(
            s,
            "  note: skipped {} input file(s) that are this job's own output (e.g. {})",
            report.excluded_inputs.len(),
            report.excluded_inputs[0]
        );
    }
    for f in &report.files {
        let _ = writeln!(s, "  wrote {} ({}, {} bytes)", f.path, rows(f.rows), f.bytes);
    }
    for f in &report.rejected_files {
        let _ = writeln!(s, "  rejected rows: {} ({})", f.path, rows(f.rows));
    }
    if a.kept == 0 && report.files.iter().any(|f| f.path.ends_with(".parquet")) {
        let _ = writeln!(
            s,
            "  warning: no rows kept; the Parquet output is empty (pyarrow and polars read it, \
             Hugging Face `datasets` refuses a split with no rows)"
        );
    }
    s
}

/// Is `path` something the readers accept? (Used by config validation.)
pub fn is_data_file(path: &std::path::Path) -> bool {
    FileKind::from_path(path).is_some()
}
