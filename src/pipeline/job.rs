//! A job: inputs -> stages -> output (+ rejected rows), with its manifest and summary.
//! Every command (`export`, `filter`, `dedup`, `render`, `lint` as a stage, `run`) is one or more jobs.

use super::executor::{Accounting, AnyStage, Rejected, RunError, RunOptions, Sinks, run};
use crate::io::inputs::{expand_inputs, partition};
use crate::io::output::{Output, OutputKind, PublishedFile};
use crate::io::parquet::ShardOptions;
use crate::io::{FileKind, IoError};
use crate::record::Record;
use serde_json::{Map, Value, json};
use std::path::PathBuf;

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
    let all = expand_inputs(&spec.inputs)?;
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
    Ok(JobReport { name: spec.name.clone(), accounting: acc, files, rejected_files, input_files: input_names.len() })
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
        let dropped: u64 = st.dropped.values().sum();
        let _ = writeln!(s, "  {:<24} {:>10} {:>10} {:>10} {:>8}", st.stage, st.input, st.kept, dropped, st.errors);
        let mut reasons: Vec<_> = st.dropped.iter().collect();
        reasons.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
        for (reason, n) in reasons {
            let _ = writeln!(s, "    - {reason:<38} {n:>8}");
        }
    }
    for f in &report.files {
        let _ = writeln!(s, "  wrote {} ({} rows, {} bytes)", f.path, f.rows, f.bytes);
    }
    for f in &report.rejected_files {
        let _ = writeln!(s, "  rejected rows: {} ({} rows)", f.path, f.rows);
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
