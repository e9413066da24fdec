//! The staged dedup run over input files, for Slurm job arrays / Kubernetes Indexed Jobs:
//! `signatures` (per rank) -> `cluster` (once) -> `apply` (per rank, an ordinary job with
//! [`ApplyStage`]). Files are shared among ranks as everywhere in sftkit (`i % world_size == rank`
//! over the expanded input list), so every rank must be given the same INPUT arguments.

use super::staged::{Removals, SignatureWriter};
use super::{DedupConfig, DedupError, DocHashes};
use crate::io::inputs::{expand_inputs, partition};
use crate::io::jsonl::parse_line;
use crate::io::reader::{Payload, RowSource};
use crate::pipeline::executor::{OnError, make_record};
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The signature file of one rank inside the signatures folder.
pub fn signature_file(dir: &Path, rank: usize) -> PathBuf {
    dir.join(format!("signatures-r{rank:05}.sig"))
}

/// What the signatures step did.
#[derive(Debug, Default)]
pub struct SignatureReport {
    pub rows: u64,
    pub written: u64,
    pub skipped: u64,
}

/// Write the signature file of `rank` for its share of `inputs`. Bad rows fail the step (or,
/// with `OnError::Skip`, get no signature: they are never removed as duplicates).
#[allow(clippy::too_many_arguments)]
pub fn write_signatures(
    inputs: &[String],
    rank: usize,
    world_size: usize,
    dir: &Path,
    cfg: &DedupConfig,
    text_field: &str,
    id_field: &str,
    on_error: OnError,
) -> Result<SignatureReport, String> {
    let all = expand_inputs(inputs).map_err(|e| e.to_string())?;
    let files = partition(&all, rank, world_size);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let target = signature_file(dir, rank);
    let tmp = dir.join(format!(".signatures-r{rank:05}.sig.tmp-{}", std::process::id()));
    let result = (|| {
        let mut writer = SignatureWriter::create(&tmp, cfg).map_err(|e| e.to_string())?;
        let mut src = RowSource::new(files);
        let mut report = SignatureReport::default();
        loop {
            let mut batch = Vec::with_capacity(4096);
            let more = src.next_batch(4096, &mut batch);
            let hasher = writer.hasher();
            type Hashed = Result<(u32, Record, DocHashes), String>;
            let hashed: Vec<Hashed> = batch
                .into_par_iter()
                .map(|row| {
                    let idx = row.file_index as u32;
                    let fields = match row.payload {
                        Payload::Line(bytes) => parse_line(&bytes).map_err(|m| format!("{}: {m}", row.source))?,
                        Payload::Row(f) => f,
                        Payload::Broken(m) => return Err(m),
                    };
                    let rec = make_record(fields, row.source, id_field);
                    let text = rec
                        .str_field(text_field)
                        .ok_or_else(|| format!("{}: field `{text_field}` is missing or not a string", rec.source))?;
                    let h = hasher.hash(text);
                    Ok((idx, rec, h))
                })
                .collect();
            for h in hashed {
                report.rows += 1;
                match h {
                    Ok((idx, rec, hashes)) => {
                        writer.write_hashes(idx, rec.source.line, &rec.id, &hashes).map_err(|e| e.to_string())?;
                        report.written += 1;
                    }
                    Err(m) if on_error == OnError::Skip => {
                        eprintln!("skipped: {m}");
                        report.skipped += 1;
                    }
                    Err(m) => return Err(m),
                }
            }
            if !more {
                break;
            }
        }
        writer.finish().map_err(|e| e.to_string())?;
        Ok(report)
    })();
    match result {
        Ok(r) => {
            std::fs::rename(&tmp, &target).map_err(|e| format!("{}: {e}", target.display()))?;
            Ok(r)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The signature files named by `args`: files as given, folders' `*.sig` files sorted.
pub fn signature_files(args: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for a in args {
        let p = Path::new(a);
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{a}: {e}"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "sig"))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(format!("{a}: no .sig files"));
            }
            out.extend(found);
        } else if p.is_file() {
            out.push(p.to_path_buf());
        } else {
            return Err(format!("{a}: no such file or folder"));
        }
    }
    Ok(out)
}

/// Drops the rows a removal list names (the `apply` step).
pub struct ApplyStage {
    removals: Removals,
    file_index: HashMap<String, u32>,
}

impl ApplyStage {
    /// `inputs` must be the same arguments the signatures step was given.
    pub fn new(removals_path: &Path, inputs: &[String]) -> Result<Self, DedupError> {
        let removals = Removals::read(removals_path)?;
        let all = expand_inputs(inputs).map_err(|e| DedupError::Config(e.to_string()))?;
        let file_index = all.iter().enumerate().map(|(i, p)| (p.display().to_string(), i as u32)).collect();
        Ok(ApplyStage { removals, file_index })
    }
}

impl Stage for ApplyStage {
    fn name(&self) -> &str {
        "dedup"
    }
    fn process(&self, rec: &mut Record) -> Verdict {
        let Some(&idx) = self.file_index.get(&*rec.source.file) else {
            return Verdict::error(format!(
                "{} is not among the inputs the removal list was made for",
                rec.source.file
            ));
        };
        match self.removals.get(idx, rec.source.line) {
            Some(r) => r.verdict(),
            None => Verdict::Keep,
        }
    }
}
