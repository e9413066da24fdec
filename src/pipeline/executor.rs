//! The streaming executor: reads batches, runs stages, writes kept rows in input order, and
//! accounts for every row.
//!
//! A reader thread fills batches of raw rows (bounded channel: at most `IN_FLIGHT` batches wait),
//! the calling thread parses them and runs each stage over the batch with rayon, then emits the
//! results in input order. Output is therefore byte-identical for any thread count.

use super::stage::{OrderedStage, Stage};
use crate::io::IoError;
use crate::io::jsonl::parse_line;
use crate::io::reader::{Payload, RawRow, RowSource};
use crate::record::{Fate, Record, Source, Verdict};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

const IN_FLIGHT: usize = 2;

/// What to do with a row that cannot be processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Stop the run, exit non-zero and publish nothing.
    #[default]
    Fail,
    /// Send the row to the rejected sink with its error and go on.
    Skip,
}

/// A stage of either kind, ready to run.
pub enum AnyStage {
    Parallel(Box<dyn Stage>),
    Ordered(Box<dyn ErasedOrdered>),
}

impl AnyStage {
    pub fn name(&self) -> &str {
        match self {
            AnyStage::Parallel(s) => s.name(),
            AnyStage::Ordered(s) => s.name(),
        }
    }
    pub fn ordered<S: OrderedStage + 'static>(s: S) -> Self {
        AnyStage::Ordered(Box::new(s))
    }
}

/// Object-safe view of an [`OrderedStage`].
pub trait ErasedOrdered: Send + Sync {
    fn name(&self) -> &str;
    /// Run over the live records of a batch (`live[i]` false: skip record i).
    fn run_batch(&mut self, recs: &mut [Record], live: &[bool]) -> Vec<Option<Verdict>>;
}

impl<S: OrderedStage> ErasedOrdered for S {
    fn name(&self) -> &str {
        OrderedStage::name(self)
    }
    fn run_batch(&mut self, recs: &mut [Record], live: &[bool]) -> Vec<Option<Verdict>> {
        let prepared: Vec<Option<Result<S::Prepared, String>>> = {
            let this = &*self;
            recs.par_iter().zip(live.par_iter()).map(|(r, &l)| if l { Some(this.prepare(r)) } else { None }).collect()
        };
        recs.iter_mut()
            .zip(prepared)
            .map(|(r, p)| match p {
                None => None,
                Some(Err(message)) => Some(Verdict::Error { message }),
                Some(Ok(p)) => Some(self.decide(r, p)),
            })
            .collect()
    }
}

/// Per-stage counts, as shown in the summary and written to the manifest (and read back from
/// manifests by `sftkit stats`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageCounts {
    pub stage: String,
    #[serde(rename = "in")]
    pub input: u64,
    pub kept: u64,
    pub dropped: BTreeMap<String, u64>,
    pub errors: u64,
}

impl StageCounts {
    /// Rows dropped for any reason.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.values().sum()
    }
}

/// The accounting of a run: `input_rows == kept + dropped + errors`, always.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Accounting {
    pub input_rows: u64,
    pub kept: u64,
    pub dropped: u64,
    pub errors: u64,
    /// Rows that failed before any stage (unreadable or unparsable input).
    pub read_errors: u64,
    pub stages: Vec<StageCounts>,
    pub input_bytes: u64,
    pub seconds: f64,
}

impl Accounting {
    pub fn balanced(&self) -> bool {
        self.input_rows == self.kept + self.dropped + self.errors
    }
}

/// A run that could not complete.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("{at}: {stage}: {message}")]
    Row { at: Source, stage: String, message: String },
    #[error("accounting mismatch: {input} input rows but {kept} kept + {dropped} dropped + {errors} errors")]
    Accounting { input: u64, kept: u64, dropped: u64, errors: u64 },
}

/// Options of one run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub on_error: OnError,
    pub threads: usize,
    pub batch_size: usize,
    pub id_field: String,
    pub progress: bool,
    pub label: String,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            on_error: OnError::Fail,
            threads: 0,
            batch_size: 2048,
            id_field: "id".into(),
            progress: false,
            label: String::new(),
        }
    }
}

/// One row that ended dropped or in error, as the rejected sink receives it.
pub struct Rejected<'a> {
    pub record: Option<&'a Record>,
    pub raw: Option<&'a [u8]>,
    pub source: &'a Source,
    pub fate: &'a Fate,
}

impl Rejected<'_> {
    /// The JSON object written to `--rejected`: the original row (or `_raw` when it could not be
    /// parsed) plus `_rejected: {stage, reason, source, ...}`; dedup removals also carry
    /// `_removed: {method, duplicate_of}`.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut obj = match (self.record, self.raw) {
            (Some(r), _) => r.fields.clone(),
            (None, Some(raw)) => {
                let mut m = Map::new();
                m.insert("_raw".into(), Value::String(String::from_utf8_lossy(raw).into_owned()));
                m
            }
            (None, None) => Map::new(),
        };
        let mut rej = Map::new();
        match self.fate {
            Fate::Dropped { stage, reason, detail } => {
                rej.insert("stage".into(), json!(stage));
                rej.insert("reason".into(), json!(reason));
                if let Some(Value::Object(d)) = detail {
                    if stage == "dedup" {
                        obj.insert("_removed".into(), Value::Object(d.clone()));
                    }
                    for (k, v) in d {
                        rej.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                } else if let Some(d) = detail {
                    rej.insert("detail".into(), d.clone());
                }
            }
            Fate::Error { stage, message } => {
                rej.insert("stage".into(), json!(stage));
                rej.insert("reason".into(), json!(message));
                rej.insert("error".into(), json!(true));
            }
            Fate::Kept => {}
        }
        rej.insert("source".into(), json!(self.source.to_string()));
        obj.insert("_rejected".into(), Value::Object(rej));
        obj
    }
}

/// Where a run's rows go.
pub trait Sinks: Send {
    fn kept(&mut self, rec: &Record) -> Result<(), IoError>;
    fn rejected(&mut self, rej: &Rejected<'_>) -> Result<(), IoError>;
}

/// Run `stages` over `files` (pairs of global file index and path), sending rows to `sinks`.
pub fn run(
    files: Vec<(usize, PathBuf)>,
    stages: &mut [AnyStage],
    sinks: &mut dyn Sinks,
    opts: &RunOptions,
) -> Result<Accounting, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| IoError::Other { message: format!("thread pool: {e}") })?;
    pool.install(|| run_in_pool(files, stages, sinks, opts))
}

fn run_in_pool(
    files: Vec<(usize, PathBuf)>,
    stages: &mut [AnyStage],
    sinks: &mut dyn Sinks,
    opts: &RunOptions,
) -> Result<Accounting, RunError> {
    let start = Instant::now();
    let mut acc = Accounting {
        stages: stages.iter().map(|s| StageCounts { stage: s.name().to_string(), ..Default::default() }).collect(),
        ..Default::default()
    };
    let (tx, rx) = sync_channel::<(Vec<RawRow>, u64)>(IN_FLIGHT);
    let batch_size = opts.batch_size.max(1);
    let reader = std::thread::spawn(move || {
        let mut src = RowSource::new(files);
        loop {
            let mut batch = Vec::with_capacity(batch_size);
            let more = src.next_batch(batch_size, &mut batch);
            if !batch.is_empty() && tx.send((batch, src.bytes_read)).is_err() {
                break;
            }
            if !more {
                break;
            }
        }
    });
    let progress = crate::progress::Progress::new(opts.progress, &opts.label);
    let result = (|| {
        for (batch, bytes) in rx.iter() {
            process_batch(batch, stages, sinks, opts, &mut acc)?;
            acc.input_bytes = bytes;
            progress.update(acc.input_rows, bytes);
        }
        Ok::<(), RunError>(())
    })();
    drop(rx);
    let _ = reader.join();
    progress.finish();
    result?;
    acc.seconds = start.elapsed().as_secs_f64();
    if !acc.balanced() {
        return Err(RunError::Accounting {
            input: acc.input_rows,
            kept: acc.kept,
            dropped: acc.dropped,
            errors: acc.errors,
        });
    }
    Ok(acc)
}

/// A row after parsing: a record, or the reason it has none.
enum Parsed {
    Ok(Record),
    Bad { raw: Option<Vec<u8>>, message: String },
}

fn to_record(row: RawRow, id_field: &str) -> (Source, Parsed) {
    let source = row.source;
    let parsed = match row.payload {
        Payload::Line(bytes) => match parse_line(&bytes) {
            Ok(fields) => Parsed::Ok(make_record(fields, source.clone(), id_field)),
            Err(message) => Parsed::Bad { raw: Some(bytes), message },
        },
        Payload::Row(fields) => Parsed::Ok(make_record(fields, source.clone(), id_field)),
        Payload::Broken(message) => Parsed::Bad { raw: None, message },
    };
    (source, parsed)
}

/// Build a record; its id is the `id_field` value (strings as they are, numbers printed) or
/// `file:line`.
pub fn make_record(fields: Map<String, Value>, source: Source, id_field: &str) -> Record {
    let id = match fields.get(id_field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => source.to_string(),
        Some(v) => v.to_string(),
    };
    Record { id, source, fields }
}

fn process_batch(
    batch: Vec<RawRow>,
    stages: &mut [AnyStage],
    sinks: &mut dyn Sinks,
    opts: &RunOptions,
    acc: &mut Accounting,
) -> Result<(), RunError> {
    let parsed: Vec<(Source, Parsed)> = batch.into_par_iter().map(|r| to_record(r, &opts.id_field)).collect();
    acc.input_rows += parsed.len() as u64;

    // Split into records (with their slot) and read failures.
    let n = parsed.len();
    let mut fates: Vec<Option<Fate>> = vec![None; n];
    let mut raws: Vec<Option<Vec<u8>>> = vec![None; n];
    let mut sources: Vec<Source> = Vec::with_capacity(n);
    let mut recs: Vec<Record> = Vec::with_capacity(n);
    let mut slot_of: Vec<Option<usize>> = vec![None; n];
    for (i, (source, p)) in parsed.into_iter().enumerate() {
        match p {
            Parsed::Ok(r) => {
                slot_of[i] = Some(recs.len());
                recs.push(r);
            }
            Parsed::Bad { raw, message } => {
                if opts.on_error == OnError::Fail {
                    return Err(RunError::Row { at: source, stage: "read".into(), message });
                }
                fates[i] = Some(Fate::Error { stage: "read".into(), message });
                raws[i] = raw;
                acc.read_errors += 1;
            }
        }
        sources.push(source);
    }

    // Run the stages over the live records. Consecutive parallel stages run as one chain per
    // record (on one thread, so a filter can reuse the previous filter's tokens); an ordered
    // stage runs over the whole batch.
    let mut rec_fate: Vec<Option<Fate>> = vec![None; recs.len()];
    let mut si = 0;
    while si < stages.len() {
        let live: Vec<bool> = rec_fate.iter().map(Option::is_none).collect();
        // (stage index, verdict) pairs per record, in stage order.
        let results: Vec<Vec<(usize, Verdict)>> = match &mut stages[si] {
            AnyStage::Ordered(s) => {
                let vs = s.run_batch(&mut recs, &live);
                let out = vs.into_iter().map(|v| v.map(|v| vec![(si, v)]).unwrap_or_default()).collect();
                si += 1;
                out
            }
            AnyStage::Parallel(_) => {
                let mut end = si;
                while end < stages.len() && matches!(stages[end], AnyStage::Parallel(_)) {
                    end += 1;
                }
                let chain: Vec<&dyn Stage> = stages[si..end]
                    .iter()
                    .map(|s| match s {
                        AnyStage::Parallel(p) => &**p,
                        AnyStage::Ordered(_) => unreachable!("chain holds parallel stages only"),
                    })
                    .collect();
                let first = si;
                let out = recs
                    .par_iter_mut()
                    .zip(live.par_iter())
                    .map(|(r, &l)| {
                        let mut vs = Vec::new();
                        if l {
                            for (k, st) in chain.iter().enumerate() {
                                let v = st.process(r);
                                let stop = v != Verdict::Keep;
                                vs.push((first + k, v));
                                if stop {
                                    break;
                                }
                            }
                        }
                        vs
                    })
                    .collect();
                si = end;
                out
            }
        };
        for (k, vs) in results.into_iter().enumerate() {
            for (stage_idx, v) in vs {
                let counts = &mut acc.stages[stage_idx];
                counts.input += 1;
                match v {
                    Verdict::Keep => counts.kept += 1,
                    Verdict::Drop { reason, detail } => {
                        *counts.dropped.entry(reason.clone()).or_default() += 1;
                        rec_fate[k] = Some(Fate::Dropped { stage: counts.stage.clone(), reason, detail });
                    }
                    Verdict::Error { message } => {
                        counts.errors += 1;
                        if opts.on_error == OnError::Fail {
                            return Err(RunError::Row {
                                at: recs[k].source.clone(),
                                stage: counts.stage.clone(),
                                message,
                            });
                        }
                        rec_fate[k] = Some(Fate::Error { stage: counts.stage.clone(), message });
                    }
                }
            }
        }
    }

    // Emit in input order.
    let mut recs_iter = recs.into_iter().zip(rec_fate);
    for i in 0..n {
        if slot_of[i].is_some() {
            let (rec, fate) = recs_iter.next().expect("record for slot");
            match fate {
                None => {
                    acc.kept += 1;
                    sinks.kept(&rec)?;
                }
                Some(f) => {
                    match f {
                        Fate::Error { .. } => acc.errors += 1,
                        _ => acc.dropped += 1,
                    }
                    sinks.rejected(&Rejected { record: Some(&rec), raw: None, source: &rec.source, fate: &f })?;
                }
            }
        } else {
            acc.errors += 1;
            let f = fates[i].take().expect("read failure fate");
            sinks.rejected(&Rejected { record: None, raw: raws[i].as_deref(), source: &sources[i], fate: &f })?;
        }
    }
    Ok(())
}
