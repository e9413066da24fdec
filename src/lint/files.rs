//! Linting whole input files: read (streaming, in batches), lint in parallel, collect findings
//! in input order. A row that cannot be read or parsed is an error naming `file:line`.

use super::{Finding, Linter};
use crate::io::IoError;
use crate::io::inputs::expand_inputs;
use crate::io::jsonl::parse_line;
use crate::io::reader::{Payload, RowSource};
use crate::pipeline::executor::make_record;
use crate::record::Record;
use rayon::prelude::*;

/// What a lint run saw.
pub struct LintRun {
    pub findings: Vec<Finding>,
    pub records: usize,
}

/// Lint every record of `inputs` (files, folders, globs). Findings come out in input order.
pub fn lint_inputs(
    inputs: &[String],
    linter: &Linter,
    reference_field: Option<&str>,
    id_field: &str,
) -> Result<LintRun, IoError> {
    let files = expand_inputs(inputs)?.into_iter().enumerate().collect();
    let mut src = RowSource::new(files);
    let mut findings = Vec::new();
    let mut records = 0usize;
    loop {
        let mut batch = Vec::with_capacity(4096);
        let more = src.next_batch(4096, &mut batch);
        let recs: Vec<Result<Record, IoError>> = batch
            .into_par_iter()
            .map(|row| match row.payload {
                Payload::Line(bytes) => parse_line(&bytes)
                    .map(|f| make_record(f, row.source.clone(), id_field))
                    .map_err(|m| IoError::Other { message: format!("{}: {m}", row.source) }),
                Payload::Row(f) => Ok(make_record(f, row.source, id_field)),
                Payload::Broken(m) => Err(IoError::Other { message: m }),
            })
            .collect();
        let recs: Vec<Record> = recs.into_iter().collect::<Result<_, _>>()?;
        records += recs.len();
        findings.extend(linter.lint_all(&recs, reference_field));
        if !more {
            break;
        }
    }
    Ok(LintRun { findings, records })
}
