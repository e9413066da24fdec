//! One input file: open it lazily with polars, decide which queries apply to its schema, run them
//! with the streaming engine, and turn polars' errors into ones that name the file (and the line).

use super::StatsError;
use crate::io::jsonl::{LineReader, parse_line};
use crate::io::{Compression, FileKind, IoError};
use crate::web::text::count_split;
use polars::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

fn pl_path(path: &Path) -> Result<PlRefPath, StatsError> {
    match path.to_str() {
        Some(s) => Ok(PlRefPath::new(s)),
        None => Err(StatsError::read(path, "path is not valid UTF-8 (polars needs UTF-8 paths)")),
    }
}

/// A lazy scan of `path`. JSONL schemas are inferred over every row (`schema: None`) unless given,
/// so a type that changes late in a file or a key that first appears late is still seen.
fn open(path: &Path, schema: Option<SchemaRef>) -> Result<LazyFrame, StatsError> {
    let lf = match FileKind::from_path(path) {
        Some(FileKind::Parquet) => {
            let p = pl_path(path)?;
            // Our inputs are already expanded: a `[` in a file name is not a pattern.
            let args = ScanArgsParquet { glob: false, schema, ..Default::default() };
            LazyFrame::scan_parquet(p, args)
        }
        Some(FileKind::Jsonl(_)) => {
            // An open file, not a path: polars would expand a path with `[` or `*` as a glob.
            let file = std::fs::File::open(path).map_err(|e| IoError::io(path, e))?;
            LazyJsonLineReader::new_with_sources(ScanSources::Files(Arc::from([file])))
                .with_infer_schema_length(None)
                .with_schema(schema)
                .finish()
        }
        Some(FileKind::Warc(_)) => {
            return Err(StatsError::read(path, "stats reads Parquet and JSONL; export WARC/WET to one of them first"));
        }
        None => return Err(StatsError::read(path, "unsupported file type")),
    };
    lf.map_err(|e| explain(path, e))
}

/// The file's schema (for JSONL: inferred over all rows, which reads the whole file once). A JSONL
/// file without a single row has an empty schema (polars cannot infer one) and is counted as 0 rows.
pub(super) fn schema(path: &Path) -> Result<SchemaRef, StatsError> {
    if let Some(FileKind::Jsonl(c)) = FileKind::from_path(path) {
        let mut reader = LineReader::open(path, c)?;
        if reader.next_line(&mut Vec::new())?.is_none() {
            return Ok(Arc::new(Schema::default()));
        }
    }
    let mut lf = open(path, None)?;
    lf.collect_schema().map_err(|e| explain(path, e))
}

/// A polars error about `path`, made specific: for JSONL the file is read again with sftkit's own
/// reader to find the first line that is not a JSON object (or the point where decompression
/// fails), so the error says `file:line` as every other command does.
fn explain(path: &Path, err: PolarsError) -> StatsError {
    if let Some(FileKind::Jsonl(c)) = FileKind::from_path(path)
        && let Some(found) = first_bad_line(path, c)
    {
        return found;
    }
    let msg = err.to_string();
    let msg = msg.trim();
    match FileKind::from_path(path) {
        Some(FileKind::Parquet) => StatsError::read(path, format!("not a readable Parquet file: {msg}")),
        _ => StatsError::read(path, msg),
    }
}

fn first_bad_line(path: &Path, c: Compression) -> Option<StatsError> {
    let mut reader = match LineReader::open(path, c) {
        Ok(r) => r,
        Err(e) => return Some(e.into()),
    };
    let mut buf = Vec::new();
    loop {
        match reader.next_line(&mut buf) {
            Err(e) => return Some(e.into()),
            Ok(None) => return None,
            Ok(Some(line)) => {
                if let Err(message) = parse_line(&buf) {
                    return Some(StatsError::Row { path: path.to_path_buf(), line, message });
                }
            }
        }
    }
}

/// What to compute for one file, from its schema.
#[derive(Debug, Clone, Default)]
pub(super) struct FilePlan {
    /// The text column, when this file has it as strings.
    pub text: Option<String>,
    /// Conversation columns and the struct field holding each message's role.
    pub chat_columns: Vec<(String, String)>,
    /// The column of lint findings (list of structs with `rule` and `severity`).
    pub lint_column: Option<String>,
    /// The lint column's items are findings (structs); false for a `lint` column whose lists are
    /// all empty, which a Parquet writer or JSON reader types as a list of strings or nulls.
    pub lint_findings: bool,
    /// `_rejected` is a struct with `stage` and `reason`; `Some(true)` when it also has `error`.
    pub rejected: Option<bool>,
    /// Notes about columns, each kept only if the column has a non-null value in this file (a
    /// column that is null on every row of a shard gets a placeholder type there).
    pub notes: Vec<(String, String)>,
}

fn struct_fields(dtype: &DataType) -> Option<&[Field]> {
    match dtype {
        DataType::Struct(fields) => Some(fields.as_slice()),
        _ => None,
    }
}

fn list_struct_fields(dtype: &DataType) -> Option<&[Field]> {
    match dtype {
        DataType::List(inner) => struct_fields(inner),
        _ => None,
    }
}

fn has_field(fields: &[Field], name: &str) -> bool {
    fields.iter().any(|f| f.name.as_str() == name)
}

impl FilePlan {
    pub fn new(schema: &Schema, text_column: Option<&str>, path: &Path) -> Result<FilePlan, StatsError> {
        let mut plan = FilePlan::default();
        if let Some(t) = text_column {
            match schema.get(t) {
                Some(DataType::String) => plan.text = Some(t.to_string()),
                // A JSONL column that is null on every row: no values, nothing to measure.
                Some(DataType::Null) | None => {}
                Some(other) => {
                    return Err(StatsError::read(path, format!("text column {t:?} holds {other}, not strings")));
                }
            }
        }
        for (column, role) in [("messages", "role"), ("conversations", "from")] {
            match schema.get(column) {
                None | Some(DataType::Null) => {}
                Some(dtype) => match list_struct_fields(dtype) {
                    Some(fields) if has_field(fields, role) => plan.chat_columns.push((column.into(), role.into())),
                    _ => plan.notes.push((
                        column.to_string(),
                        format!(
                            "column {column:?} is {dtype}, not a list of messages with {role:?}: no turns or roles from it"
                        ),
                    )),
                },
            }
        }
        let is_lint = |dtype: &DataType| {
            list_struct_fields(dtype).is_some_and(|f| has_field(f, "rule") && has_field(f, "severity"))
        };
        plan.lint_column = match schema.get("lint") {
            Some(d) if is_lint(d) => Some("lint".to_string()),
            _ => schema.iter().find(|(_, d)| is_lint(d)).map(|(n, _)| n.to_string()),
        };
        plan.lint_findings = plan.lint_column.is_some();
        if plan.lint_column.is_none()
            && let Some(DataType::List(inner)) = schema.get("lint")
            && matches!(**inner, DataType::String | DataType::Null)
        {
            plan.lint_column = Some("lint".to_string());
        }
        if let Some(fields) = schema.get("_rejected").and_then(struct_fields)
            && has_field(fields, "stage")
            && has_field(fields, "reason")
        {
            plan.rejected = Some(has_field(fields, "error"));
        }
        Ok(plan)
    }
}

/// The results of one file's queries.
#[derive(Debug, Default)]
pub(super) struct FilePart {
    pub rows: u64,
    pub nulls: HashMap<String, u64>,
    /// Characters and words per non-null text value.
    pub text: Option<(Series, Series)>,
    /// Messages per conversation, for rows that have one.
    pub turns: Option<Series>,
    pub roles: Vec<(String, u64)>,
    pub lint_rows: u64,
    /// (rule, severity, findings)
    pub lint: Vec<(String, String, u64)>,
    /// (stage, reason, is_error, rows)
    pub rejected: Vec<(String, String, bool, u64)>,
}

const ROWS: &str = "__sftkit_rows";
const LINT_ROWS: &str = "__sftkit_lint_rows";
const KEEP_NONE: ExplodeOptions = ExplodeOptions { empty_as_null: false, keep_nulls: false };

/// Characters (code points) of a string expression.
pub(super) fn chars(e: Expr) -> Expr {
    e.str().len_chars()
}

/// Words (Python `str.split()`) of a string expression, counted by [`count_split`] (a byte scan
/// that decodes only the lead bytes of multi-byte whitespace). polars' `str.count_matches` with
/// [`super::WORD_PATTERN`] gives the same counts at about twice the CPU.
pub(super) fn words(e: Expr) -> Expr {
    e.map(
        |c: Column| {
            let counts: UInt32Chunked =
                c.str()?.iter().map(|t| t.map(|t| u32::try_from(count_split(t)).unwrap_or(u32::MAX))).collect();
            Ok(counts.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::UInt32)),
    )
}

/// Run the file's queries with the streaming engine and read their results.
pub(super) fn run(path: &Path, plan: &FilePlan, schema: &SchemaRef) -> Result<FilePart, StatsError> {
    if schema.is_empty() {
        return Ok(FilePart::default());
    }
    let base = open(path, Some(schema.clone()))?;
    let mut queries: Vec<LazyFrame> = Vec::new();

    // 0: rows, nulls per column, rows with lint findings.
    let mut counts = vec![len().cast(DataType::UInt64).alias(ROWS)];
    for name in schema.iter_names() {
        counts.push(col(name.clone()).null_count().cast(DataType::UInt64).alias(name.clone()));
    }
    if let Some(l) = &plan.lint_column {
        counts.push(col(l.as_str()).list().len().gt(lit(0)).sum().cast(DataType::UInt64).alias(LINT_ROWS));
    }
    queries.push(base.clone().select(counts));

    let text_q = plan.text.as_ref().map(|t| {
        queries.push(
            base.clone()
                .filter(col(t.as_str()).is_not_null())
                .select([chars(col(t.as_str())).alias("chars"), words(col(t.as_str())).alias("words")]),
        );
        queries.len() - 1
    });

    let turns_q = if plan.chat_columns.is_empty() {
        None
    } else {
        let mut lens = plan.chat_columns.iter().map(|(c, _)| col(c.as_str()).list().len());
        let first = lens.next().expect("one column");
        let turns = match lens.next() {
            Some(second) => {
                let (c0, _) = &plan.chat_columns[0];
                when(col(c0.as_str()).is_not_null()).then(first).otherwise(second)
            }
            None => first,
        };
        queries.push(base.clone().select([turns.alias("turns")]).drop_nulls(None));
        Some(queries.len() - 1)
    };
    let role_qs: Vec<usize> = plan
        .chat_columns
        .iter()
        .map(|(c, field)| {
            let role = col(c.as_str()).explode(KEEP_NONE).struct_().field_by_name(field).cast(DataType::String);
            queries.push(base.clone().select([role.alias("role")]).group_by([col("role")]).agg([len().alias("n")]));
            queries.len() - 1
        })
        .collect();

    let lint_q = plan.lint_column.as_ref().filter(|_| plan.lint_findings).map(|l| {
        let item = col(l.as_str()).explode(KEEP_NONE);
        queries.push(
            base.clone()
                .select([
                    item.clone().struct_().field_by_name("rule").cast(DataType::String).alias("rule"),
                    item.struct_().field_by_name("severity").cast(DataType::String).alias("severity"),
                ])
                .group_by([col("rule"), col("severity")])
                .agg([len().alias("n")]),
        );
        queries.len() - 1
    });

    let rejected_q = plan.rejected.map(|has_error| {
        let r = || col("_rejected").struct_();
        let error = if has_error {
            r().field_by_name("error").cast(DataType::Boolean).fill_null(lit(false))
        } else {
            lit(false)
        };
        queries.push(
            base.clone()
                .filter(col("_rejected").is_not_null())
                .select([
                    r().field_by_name("stage").cast(DataType::String).alias("stage"),
                    r().field_by_name("reason").cast(DataType::String).alias("reason"),
                    error.alias("error"),
                ])
                .group_by_stable([col("stage"), col("reason"), col("error")])
                .agg([len().alias("n")]),
        );
        queries.len() - 1
    });

    // One streaming collect per query, not `collect_all`: polars would share the scan through a
    // multiplexer that buffers morsels for its slowest consumer (the word count), which held
    // 700-900 MB on a 1 GB input; one at a time it stays near 80 MB, for about 1.1-1.4x the time
    // (Parquet reads only each query's columns; JSONL is parsed once per query).
    let mut dfs = Vec::with_capacity(queries.len());
    for q in queries {
        let df = q.collect_with_engine(Engine::Streaming).map_err(|e| explain(path, e))?;
        dfs.push(df.unwrap_single());
    }
    read_results(&dfs, schema, plan.lint_column.is_some(), text_q, turns_q, &role_qs, lint_q, rejected_q)
        .map_err(|e| StatsError::read(path, format!("reading polars' results: {e}")))
}

fn u64_at(df: &DataFrame, name: &str, i: usize) -> PolarsResult<u64> {
    Ok(df.column(name)?.cast(&DataType::UInt64)?.u64()?.get(i).unwrap_or(0))
}

/// The string column `name` of a group-by result, nulls as `(null)`.
fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    let c = df.column(name)?.cast(&DataType::String)?;
    let ca = c.str()?;
    Ok((0..ca.len()).map(|i| ca.get(i).unwrap_or("(null)").to_string()).collect())
}

fn counts(df: &DataFrame) -> PolarsResult<Vec<u64>> {
    let c = df.column("n")?.cast(&DataType::UInt64)?;
    let ca = c.u64()?;
    Ok((0..ca.len()).map(|i| ca.get(i).unwrap_or(0)).collect())
}

#[allow(clippy::too_many_arguments)]
fn read_results(
    dfs: &[DataFrame],
    schema: &Schema,
    lint_rows: bool,
    text_q: Option<usize>,
    turns_q: Option<usize>,
    role_qs: &[usize],
    lint_q: Option<usize>,
    rejected_q: Option<usize>,
) -> PolarsResult<FilePart> {
    let mut part = FilePart::default();
    let c = &dfs[0];
    part.rows = u64_at(c, ROWS, 0)?;
    for name in schema.iter_names() {
        part.nulls.insert(name.to_string(), u64_at(c, name, 0)?);
    }
    if lint_rows {
        part.lint_rows = u64_at(c, LINT_ROWS, 0)?;
    }
    if let Some(i) = text_q {
        let df = &dfs[i];
        part.text = Some((
            df.column("chars")?.as_materialized_series().clone(),
            df.column("words")?.as_materialized_series().clone(),
        ));
    }
    if let Some(i) = turns_q {
        part.turns = Some(dfs[i].column("turns")?.as_materialized_series().clone());
    }
    for &i in role_qs {
        let df = &dfs[i];
        part.roles.extend(strings(df, "role")?.into_iter().zip(counts(df)?));
    }
    if let Some(i) = lint_q {
        let df = &dfs[i];
        for ((rule, severity), n) in strings(df, "rule")?.into_iter().zip(strings(df, "severity")?).zip(counts(df)?) {
            // Exploding an empty findings list gives one null row: not a finding.
            if rule != "(null)" {
                part.lint.push((rule, severity, n));
            }
        }
    }
    if let Some(i) = rejected_q {
        let df = &dfs[i];
        let ca = df.column("error")?.bool()?;
        let errors: Vec<bool> = (0..ca.len()).map(|i| ca.get(i).unwrap_or(false)).collect();
        for (((stage, reason), error), n) in
            strings(df, "stage")?.into_iter().zip(strings(df, "reason")?).zip(errors).zip(counts(df)?)
        {
            part.rejected.push((stage, reason, error, n));
        }
    }
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list_of(fields: &[(&str, DataType)]) -> DataType {
        DataType::List(Box::new(DataType::Struct(
            fields.iter().map(|(n, d)| Field::new((*n).into(), d.clone())).collect(),
        )))
    }

    #[test]
    fn plan_follows_the_schema() {
        let schema = Schema::from_iter([
            Field::new("text".into(), DataType::String),
            Field::new("messages".into(), list_of(&[("role", DataType::String), ("content", DataType::String)])),
            Field::new("conversations".into(), list_of(&[("from", DataType::String), ("value", DataType::String)])),
            Field::new("findings".into(), list_of(&[("rule", DataType::String), ("severity", DataType::String)])),
            Field::new(
                "_rejected".into(),
                DataType::Struct(vec![
                    Field::new("stage".into(), DataType::String),
                    Field::new("reason".into(), DataType::String),
                ]),
            ),
        ]);
        let p = FilePlan::new(&schema, Some("text"), Path::new("x.parquet")).unwrap();
        assert_eq!(p.text.as_deref(), Some("text"));
        assert_eq!(
            p.chat_columns,
            [("messages".to_string(), "role".to_string()), ("conversations".to_string(), "from".to_string())]
        );
        assert_eq!(p.lint_column.as_deref(), Some("findings"), "found by its shape, whatever its name");
        assert!(p.lint_findings);
        assert_eq!(p.rejected, Some(false));
        assert!(p.notes.is_empty());

        // messages as JSON text (a fallback column), lint lists that are all empty, numeric text
        let schema = Schema::from_iter([
            Field::new("text".into(), DataType::Int64),
            Field::new("messages".into(), DataType::String),
            Field::new("lint".into(), DataType::List(Box::new(DataType::String))),
        ]);
        let p = FilePlan::new(&schema, None, Path::new("x.parquet")).unwrap();
        assert!(p.chat_columns.is_empty());
        assert_eq!(p.notes.len(), 1, "{:?}", p.notes);
        assert_eq!((p.lint_column.as_deref(), p.lint_findings), (Some("lint"), false));
        let err = FilePlan::new(&schema, Some("text"), Path::new("x.parquet")).unwrap_err().to_string();
        assert!(err.contains("x.parquet") && err.contains("not strings"), "{err}");
    }
}
