//! Spooling Parquet writers: one inferred schema for all shards.
//!
//! Rows are appended as JSON lines to a hidden spool file in the output folder while the schema
//! is inferred over every row; `finish` then streams the spool through `arrow_json`'s decoder
//! (bounded batches) into zstd-compressed Parquet, rolling to a new shard at the row or byte
//! limit, and finally renames the shards to `{split}-{index:05}-of-{count:05}.parquet` (the
//! count is only known at the end) and deletes the spool.
//!
//! While rows are still coming, the Parquet encoding already runs on a background thread
//! ([`Speculation`]), with the schema inferred from the first [`SPECULATE_AFTER_ROWS`] rows:
//! when the schema inferred over all rows turns out the same, its shards are the ones `finish`
//! would have written (same lines, same batches, same schema), so they are kept; otherwise they
//! are deleted and the spool is drained as described above. The output never depends on it.
//!
//! Zero rows: one valid shard `{split}-00000-of-00001.parquet` with zero rows is written. Its
//! schema is the inferred one, or `text: string` when nothing at all was seen (Parquet needs at
//! least one column for `datasets`/pyarrow to build a table with features). `datasets` loads
//! such a file as an empty split; with no file at all, `load_dataset` fails on the split.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use arrow::array::RecordBatch;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::json::ReaderBuilder;
use arrow::json::reader::Decoder;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::io::IoError;
use crate::io::schema::{InferredSchema, JsonFallback, SchemaInference};

/// Rows per decoded batch handed to the Parquet writer (also the granularity of byte splits).
const DECODE_BATCH_ROWS: usize = 4096;
/// JSON bytes per decoded batch, so very long rows do not make huge batches.
const DECODE_BATCH_BYTES: usize = 32 << 20;

/// Rows whose inferred schema the background encoder starts with.
const SPECULATE_AFTER_ROWS: u64 = 1000;
/// Bytes of JSON lines handed to the background encoder at a time.
const SPECULATE_CHUNK_BYTES: usize = 1 << 20;

/// Data and dictionary page size limit: 8 MiB instead of parquet-rs' 1 MiB. zstd compresses
/// each page on its own, and with 1 MiB pages long-text columns came out 40% bigger than
/// pyarrow's files (60.1 vs 43.2 MB for 200 MB of dclm-like JSON); at 8 MiB they are the same
/// size (42.9 MB) and writing is faster. A 1 000-row group of web text is ~3 MB, so a text
/// column chunk is usually one dictionary attempt + one page.
const PAGE_BYTES: usize = 8 << 20;

/// How shards are cut and encoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShardOptions {
    /// Split name, the file name prefix. Default `"train"` (the `datasets` default split).
    pub split: String,
    /// Most rows per shard; `None` = no row limit. Default `None`: `datasets`' `push_to_hub`
    /// and the Hub's Parquet conversion cut shards by size only.
    pub max_rows_per_shard: Option<u64>,
    /// Shard size limit in bytes, estimated while writing from the encoded sizes (bytes already
    /// written + the open row group's estimated encoded size); a shard closes at the first batch
    /// boundary past it. Default 500 MB (`datasets` `config.MAX_SHARD_SIZE = "500MB"`).
    pub max_shard_bytes: u64,
    /// Most rows per row group. Default 1 000: `datasets`' own default writer batch size, which
    /// is its Parquet row group size ("The default in `datasets` is 1,000", docstring of
    /// `datasets.arrow_writer.get_writer_batch_size`); keeps random access cheap for the Hub's
    /// dataset viewer.
    pub row_group_rows: usize,
    /// Row group size limit in estimated encoded bytes. Default 128 MiB (the traditional
    /// Parquet block size, `parquet.block.size`).
    pub row_group_bytes: usize,
    /// zstd level, 1..=22. Default 3 (zstd's own default, also pyarrow's).
    pub zstd_level: i32,
}

impl Default for ShardOptions {
    fn default() -> Self {
        Self {
            split: "train".into(),
            max_rows_per_shard: None,
            max_shard_bytes: 500_000_000,
            row_group_rows: 1_000,
            row_group_bytes: 128 << 20,
            zstd_level: 3,
        }
    }
}

/// One written Parquet file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// File name inside the output folder (for `SingleFileWriter`: the file name of the path).
    pub file_name: String,
    pub rows: u64,
    /// File size in bytes.
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// What a writer produced.
#[derive(Debug, Clone)]
pub struct WriteReport {
    /// Files in order.
    pub shards: Vec<ShardInfo>,
    /// Total rows.
    pub rows: u64,
    /// Bytes of JSON (one line per row) that went through the spool.
    pub json_bytes: u64,
    /// Arrow schema shared by every file.
    pub schema: SchemaRef,
    /// Nodes stored as JSON strings (see `schema` module); empty when everything was typed.
    pub fallbacks: Vec<JsonFallback>,
}

/// Writes `{split}-{index:05}-of-{count:05}.parquet` shards into a folder.
pub struct ShardWriter {
    dir: PathBuf,
    opts: ShardOptions,
    spool: Spool,
}

impl ShardWriter {
    /// Start writing into `dir` (which must exist). The spool file is created there.
    pub fn create(dir: &Path, opts: ShardOptions) -> Result<Self, IoError> {
        validate(dir, &opts)?;
        let proto = SinkProto { dir: dir.to_owned(), opts: opts.clone(), single: None };
        Ok(Self { dir: dir.to_owned(), spool: Spool::create(dir, proto)?, opts })
    }

    /// Add one row.
    pub fn push(&mut self, row: &Map<String, Value>) -> Result<(), IoError> {
        self.spool.push(row)
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> u64 {
        self.spool.inference.rows()
    }

    /// Write the shards, remove the spool, and report.
    pub fn finish(mut self) -> Result<WriteReport, IoError> {
        let mut sink = self.spool.proto.sink();
        let report = self.spool.drain(&mut sink, &self.opts)?;
        let count = sink.closed.len();
        let mut shards = Vec::with_capacity(count);
        for (i, c) in sink.closed.drain(..).enumerate() {
            let name = format!("{}-{:05}-of-{:05}.parquet", self.opts.split, i, count);
            let dest = self.dir.join(&name);
            fs::rename(&c.tmp, &dest).map_err(|e| IoError::io(&dest, e))?;
            shards.push(ShardInfo { file_name: name, rows: c.rows, bytes: c.bytes, sha256: c.sha256 });
        }
        Ok(WriteReport { shards, ..report })
    }
}

/// Writes every row into one Parquet file (same spool approach; the spool sits beside it).
pub struct SingleFileWriter {
    path: PathBuf,
    spool: Spool,
}

impl SingleFileWriter {
    /// Start writing `path`; only `row_group_rows`, `row_group_bytes` and `zstd_level` of `opts`
    /// apply.
    pub fn create(path: &Path, opts: ShardOptions) -> Result<Self, IoError> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        validate(&dir, &opts)?;
        if path.file_name().is_none() {
            return Err(IoError::Format { path: path.to_owned(), message: "output path has no file name".into() });
        }
        let proto = SinkProto {
            dir: PathBuf::new(),
            opts: ShardOptions { max_rows_per_shard: None, max_shard_bytes: u64::MAX, ..opts.clone() },
            single: Some(path.to_owned()),
        };
        Ok(Self { path: path.to_owned(), spool: Spool::create(&dir, proto)? })
    }

    /// Add one row.
    pub fn push(&mut self, row: &Map<String, Value>) -> Result<(), IoError> {
        self.spool.push(row)
    }

    /// Write the file (to a `.partial` name, then renamed over `path`), remove the spool.
    pub fn finish(mut self) -> Result<WriteReport, IoError> {
        let mut sink = self.spool.proto.sink();
        let opts = sink.opts.clone();
        let report = self.spool.drain(&mut sink, &opts)?;
        let c = sink.closed.pop().expect("drain always closes one file");
        fs::rename(&c.tmp, &self.path).map_err(|e| IoError::io(&self.path, e))?;
        let file_name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(WriteReport {
            shards: vec![ShardInfo { file_name, rows: c.rows, bytes: c.bytes, sha256: c.sha256 }],
            ..report
        })
    }
}

fn validate(dir: &Path, opts: &ShardOptions) -> Result<(), IoError> {
    let bad = |message: String| Err(IoError::Format { path: dir.to_owned(), message });
    if opts.row_group_rows == 0 || opts.row_group_bytes == 0 || opts.max_shard_bytes == 0 {
        return bad("row_group_rows, row_group_bytes and max_shard_bytes must be > 0".into());
    }
    if opts.max_rows_per_shard == Some(0) {
        return bad("max_rows_per_shard must be > 0".into());
    }
    if ZstdLevel::try_new(opts.zstd_level).is_err() {
        return bad(format!("zstd level {} is not in 1..=22", opts.zstd_level));
    }
    if opts.split.is_empty() || opts.split.contains(['/', '\\']) {
        return bad(format!("bad split name {:?}", opts.split));
    }
    Ok(())
}

static SPOOL_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The JSON-lines spool plus the schema inferred so far. Removed on drop.
struct Spool {
    path: PathBuf,
    out: Option<BufWriter<File>>,
    inference: SchemaInference,
    bytes: u64,
    line: Vec<u8>,
    /// How the writer cuts its output.
    proto: SinkProto,
    /// Lines not yet handed to the background encoder (all of them before it starts).
    pending: Vec<u8>,
    /// The background encoder, once started; `None` again if it gave up.
    spec: Option<Speculation>,
    /// Whether a background encoder was started (it starts once at most).
    spec_started: bool,
    /// Rows after which it starts ([`SPECULATE_AFTER_ROWS`]; tests change it).
    speculate_after: u64,
}

/// What a [`Sink`] is made from.
#[derive(Clone)]
struct SinkProto {
    dir: PathBuf,
    opts: ShardOptions,
    single: Option<PathBuf>,
}

impl SinkProto {
    fn sink(&self) -> Sink {
        Sink {
            dir: self.dir.clone(),
            opts: self.opts.clone(),
            single: self.single.clone(),
            open: None,
            closed: Vec::new(),
        }
    }
}

/// Parquet encoding of the spooled lines on a background thread, with the schema inferred from
/// the first rows (see the module doc).
struct Speculation {
    inferred: InferredSchema,
    tx: Option<SyncSender<Vec<u8>>>,
    cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<Result<Sink, IoError>>>,
}

impl Speculation {
    fn start(inferred: InferredSchema, proto: &SinkProto, spool: &Path) -> Self {
        let (tx, rx) = sync_channel::<Vec<u8>>(4);
        let cancel = Arc::new(AtomicBool::new(false));
        let (theirs, mut sink, spool, stop) = (inferred.clone(), proto.sink(), spool.to_owned(), Arc::clone(&cancel));
        let handle = std::thread::spawn(move || {
            let inferred = theirs;
            let props = writer_properties(&sink.opts, &inferred);
            let mut batches = Batcher::new(&inferred, &spool)?;
            let mut line_no = 0u64;
            for chunk in rx {
                if stop.load(Ordering::Relaxed) {
                    return Err(IoError::Other { message: "cancelled".into() });
                }
                for line in chunk.split_inclusive(|&b| b == b'\n') {
                    line_no += 1;
                    if let Some(batch) = batches.add(line, line_no)? {
                        sink.write(&batch, &inferred.schema, &props)?;
                    }
                }
            }
            if stop.load(Ordering::Relaxed) {
                return Err(IoError::Other { message: "cancelled".into() });
            }
            if let Some(batch) = batches.flush()? {
                sink.write(&batch, &inferred.schema, &props)?;
            }
            if sink.closed.is_empty() && sink.open.is_none() {
                sink.open(&inferred.schema, &props)?;
            }
            sink.close()?;
            Ok(sink)
        });
        Speculation { inferred, tx: Some(tx), cancel, handle: Some(handle) }
    }

    /// Hand over lines; false if the encoder has stopped.
    fn send(&mut self, lines: Vec<u8>) -> bool {
        self.tx.as_ref().is_some_and(|tx| tx.send(lines).is_ok())
    }

    /// Wait for the encoder; its sink if it finished without error.
    fn join(mut self) -> Option<Sink> {
        self.tx = None;
        self.handle.take().and_then(|h| h.join().ok()).and_then(Result::ok)
    }
}

impl Drop for Speculation {
    fn drop(&mut self) {
        // Not joined (a failed run, or a schema that changed): stop the encoder, whose Sink
        // removes its files when dropped.
        self.cancel.store(true, Ordering::Relaxed);
        self.tx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// The schema inferred from the rows so far, as the spool is decoded with it.
fn schema_for_writing(inference: &SchemaInference) -> InferredSchema {
    let mut inferred = inference.finish();
    if inferred.schema.fields().is_empty() {
        inferred.schema = Arc::new(Schema::new(vec![Field::new("text", DataType::Utf8, true)]));
    }
    inferred
}

fn same_schema(a: &InferredSchema, b: &InferredSchema) -> bool {
    a.schema == b.schema && a.columns == b.columns && a.fallbacks == b.fallbacks
}

impl Spool {
    fn create(dir: &Path, proto: SinkProto) -> Result<Self, IoError> {
        let n = SPOOL_COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".sftkit-spool-{}-{n}.jsonl", std::process::id()));
        let file = File::options().write(true).create_new(true).open(&path).map_err(|e| IoError::io(&path, e))?;
        Ok(Self {
            out: Some(BufWriter::with_capacity(1 << 20, file)),
            path,
            inference: SchemaInference::new(),
            bytes: 0,
            line: Vec::new(),
            proto,
            pending: Vec::new(),
            spec: None,
            spec_started: false,
            speculate_after: SPECULATE_AFTER_ROWS,
        })
    }

    fn push(&mut self, row: &Map<String, Value>) -> Result<(), IoError> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, row).map_err(|source| IoError::Json {
            path: self.path.clone(),
            line: self.inference.rows() + 1,
            source,
        })?;
        self.line.push(b'\n');
        let out = self.out.as_mut().expect("spool is open until drained");
        out.write_all(&self.line).map_err(|e| IoError::io(&self.path, e))?;
        self.bytes += self.line.len() as u64;
        self.inference.observe_row(row);
        if self.spec_started && self.spec.is_none() {
            return Ok(()); // the encoder gave up: everything is drained at the end
        }
        self.pending.extend_from_slice(&self.line);
        if !self.spec_started && self.inference.rows() >= self.speculate_after {
            self.spec_started = true;
            self.spec = Some(Speculation::start(schema_for_writing(&self.inference), &self.proto, &self.path));
        }
        if self.pending.len() >= SPECULATE_CHUNK_BYTES
            && let Some(spec) = self.spec.as_mut()
            && !spec.send(std::mem::take(&mut self.pending))
        {
            self.spec = None;
        }
        Ok(())
    }

    /// Stream the spool into `sink`, close its last file, delete the spool. When the background
    /// encoder ran with the final schema, its shards become `sink`'s instead.
    fn drain(&mut self, sink: &mut Sink, opts: &ShardOptions) -> Result<WriteReport, IoError> {
        if let Some(mut out) = self.out.take() {
            out.flush().map_err(|e| IoError::io(&self.path, e))?;
        }
        let inferred = schema_for_writing(&self.inference);
        if let Some(mut spec) = self.spec.take() {
            let rest = std::mem::take(&mut self.pending);
            if same_schema(&spec.inferred, &inferred)
                && (rest.is_empty() || spec.send(rest))
                && let Some(done) = spec.join()
            {
                *sink = done;
                #[cfg(test)]
                tests::BACKGROUND_USED.with(|c| c.set(c.get() + 1));
                fs::remove_file(&self.path).map_err(|e| IoError::io(&self.path, e))?;
                return Ok(WriteReport {
                    shards: Vec::new(),
                    rows: self.inference.rows(),
                    json_bytes: self.bytes,
                    schema: Arc::clone(&inferred.schema),
                    fallbacks: inferred.fallbacks,
                });
            }
        }
        self.pending = Vec::new();
        let props = writer_properties(opts, &inferred);
        let file = File::open(&self.path).map_err(|e| IoError::io(&self.path, e))?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut batches = Batcher::new(&inferred, &self.path)?;
        let mut line = Vec::new();
        let mut line_no = 0u64;
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line).map_err(|e| IoError::io(&self.path, e))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            if let Some(batch) = batches.add(&line, line_no)? {
                sink.write(&batch, &inferred.schema, &props)?;
            }
        }
        if let Some(batch) = batches.flush()? {
            sink.write(&batch, &inferred.schema, &props)?;
        }
        if sink.closed.is_empty() && sink.open.is_none() {
            sink.open(&inferred.schema, &props)?;
        }
        sink.close()?;
        drop(batches);
        drop(reader);
        fs::remove_file(&self.path).map_err(|e| IoError::io(&self.path, e))?;
        Ok(WriteReport {
            shards: Vec::new(),
            rows: self.inference.rows(),
            json_bytes: self.bytes,
            schema: Arc::clone(&inferred.schema),
            fallbacks: inferred.fallbacks,
        })
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        self.out = None;
        let _ = fs::remove_file(&self.path);
    }
}

fn writer_properties(opts: &ShardOptions, inferred: &InferredSchema) -> WriterProperties {
    let level = ZstdLevel::try_new(opts.zstd_level).unwrap_or_default();
    let mut kv = vec![KeyValue::new("sftkit.version".to_owned(), env!("CARGO_PKG_VERSION").to_owned())];
    if !inferred.fallbacks.is_empty() {
        let json = serde_json::to_string(&inferred.fallbacks).unwrap_or_default();
        kv.push(KeyValue::new("sftkit.json_fallbacks".to_owned(), json));
    }
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .set_max_row_group_row_count(Some(opts.row_group_rows))
        .set_max_row_group_bytes(Some(opts.row_group_bytes))
        .set_data_page_size_limit(PAGE_BYTES)
        .set_dictionary_page_size_limit(PAGE_BYTES)
        .set_key_value_metadata(Some(kv))
        .build()
}

/// Groups spool lines into decoded record batches.
struct Batcher<'a> {
    inferred: &'a InferredSchema,
    spool: &'a Path,
    decoder: Decoder,
    /// Raw JSON lines (fast path, used when nothing fell back to JSON strings).
    raw: Vec<u8>,
    /// Parsed rows (when some nodes must be re-serialized as JSON strings).
    parsed: Vec<Map<String, Value>>,
    rows: usize,
    bytes: usize,
}

impl<'a> Batcher<'a> {
    fn new(inferred: &'a InferredSchema, spool: &'a Path) -> Result<Self, IoError> {
        let decoder = ReaderBuilder::new(Arc::clone(&inferred.schema))
            // One more than we ever feed, so the decoder never stops part way through a chunk.
            .with_batch_size(DECODE_BATCH_ROWS + 1)
            .build_decoder()
            .map_err(|source| IoError::Arrow { path: spool.to_owned(), source })?;
        Ok(Self { inferred, spool, decoder, raw: Vec::new(), parsed: Vec::new(), rows: 0, bytes: 0 })
    }

    fn add(&mut self, line: &[u8], line_no: u64) -> Result<Option<RecordBatch>, IoError> {
        if self.inferred.fallbacks.is_empty() {
            self.raw.extend_from_slice(line);
        } else {
            let row = serde_json::from_slice(line).map_err(|source| IoError::Json {
                path: self.spool.to_owned(),
                line: line_no,
                source,
            })?;
            self.parsed.push(row);
        }
        self.bytes += line.len();
        self.rows += 1;
        if self.rows >= DECODE_BATCH_ROWS || self.bytes >= DECODE_BATCH_BYTES { self.flush() } else { Ok(None) }
    }

    fn flush(&mut self) -> Result<Option<RecordBatch>, IoError> {
        if self.rows == 0 {
            return Ok(None);
        }
        let err = |source| IoError::Arrow { path: self.spool.to_owned(), source };
        if self.inferred.fallbacks.is_empty() {
            let used = self.decoder.decode(&self.raw).map_err(err)?;
            if used != self.raw.len() {
                return Err(IoError::Format {
                    path: self.spool.to_owned(),
                    message: format!("JSON decoder stopped at byte {used} of {}", self.raw.len()),
                });
            }
        } else {
            let shaped: Vec<_> = self.parsed.iter().map(|r| self.inferred.shaped(r)).collect();
            self.decoder.serialize(&shaped).map_err(err)?;
        }
        let batch = self.decoder.flush().map_err(err)?;
        self.raw.clear();
        self.parsed.clear();
        self.rows = 0;
        self.bytes = 0;
        Ok(batch)
    }
}

/// A shard being written: hashes and counts the bytes as they go to disk.
struct HashingFile {
    file: BufWriter<File>,
    hasher: Sha256,
    bytes: u64,
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

struct OpenShard {
    writer: ArrowWriter<HashingFile>,
    tmp: PathBuf,
    rows: u64,
}

struct ClosedShard {
    tmp: PathBuf,
    rows: u64,
    bytes: u64,
    sha256: String,
}

/// Receives record batches and cuts them into files.
struct Sink {
    dir: PathBuf,
    opts: ShardOptions,
    /// `Some(path)` for a single output file.
    single: Option<PathBuf>,
    open: Option<OpenShard>,
    closed: Vec<ClosedShard>,
}

impl Sink {
    fn tmp_path(&self) -> PathBuf {
        match &self.single {
            Some(p) => {
                let mut name = p.file_name().unwrap_or_default().to_owned();
                name.push(".partial");
                p.with_file_name(name)
            }
            None => self.dir.join(format!(".{}-{:05}.parquet.partial", self.opts.split, self.closed.len())),
        }
    }

    fn open(&mut self, schema: &SchemaRef, props: &WriterProperties) -> Result<(), IoError> {
        let tmp = self.tmp_path();
        let file = File::create(&tmp).map_err(|e| IoError::io(&tmp, e))?;
        let out = HashingFile { file: BufWriter::with_capacity(1 << 20, file), hasher: Sha256::new(), bytes: 0 };
        let writer = ArrowWriter::try_new(out, Arc::clone(schema), Some(props.clone()))
            .map_err(|source| IoError::Parquet { path: tmp.clone(), source })?;
        self.open = Some(OpenShard { writer, tmp, rows: 0 });
        Ok(())
    }

    fn write(&mut self, batch: &RecordBatch, schema: &SchemaRef, props: &WriterProperties) -> Result<(), IoError> {
        let n = batch.num_rows();
        if n == 0 {
            return Ok(());
        }
        // Write in slices of at most ~1/8 of the shard byte limit, so a shard closes near it.
        let row_bytes = (batch.get_array_memory_size() / n).max(1) as u64;
        let slice_rows = (self.opts.max_shard_bytes / 8 / row_bytes).clamp(1, 1024) as usize;
        let mut offset = 0;
        while offset < n {
            if self.open.is_none() {
                self.open(schema, props)?;
            }
            let shard = self.open.as_mut().expect("opened above");
            let room = self.opts.max_rows_per_shard.map_or(u64::MAX, |m| m - shard.rows);
            let take = (n - offset).min(slice_rows).min(usize::try_from(room).unwrap_or(usize::MAX));
            shard
                .writer
                .write(&batch.slice(offset, take))
                .map_err(|source| IoError::Parquet { path: shard.tmp.clone(), source })?;
            shard.rows += take as u64;
            offset += take;
            let estimated = (shard.writer.bytes_written() + shard.writer.in_progress_size()) as u64;
            let full_rows = self.opts.max_rows_per_shard == Some(shard.rows);
            if full_rows || estimated >= self.opts.max_shard_bytes {
                self.close()?;
            }
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), IoError> {
        let Some(shard) = self.open.take() else {
            return Ok(());
        };
        let tmp = shard.tmp;
        let mut out = shard.writer.into_inner().map_err(|source| IoError::Parquet { path: tmp.clone(), source })?;
        out.flush().map_err(|e| IoError::io(&tmp, e))?;
        out.file.get_ref().sync_all().map_err(|e| IoError::io(&tmp, e))?;
        self.closed.push(ClosedShard {
            tmp,
            rows: shard.rows,
            bytes: out.bytes,
            sha256: hex::encode(out.hasher.finalize()),
        });
        Ok(())
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // Only reached with leftovers on an error path: remove partial files.
        if let Some(open) = self.open.take() {
            let _ = fs::remove_file(&open.tmp);
        }
        for c in &self.closed {
            let _ = fs::remove_file(&c.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// How many `finish` calls on this thread kept the background encoder's shards.
        pub(super) static BACKGROUND_USED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// The shards' bytes, in order.
    fn write_shards(rows: &[Map<String, Value>], speculate_after: u64) -> Vec<Vec<u8>> {
        let dir = tempfile::tempdir().unwrap();
        let opts = ShardOptions { max_rows_per_shard: Some(1500), row_group_rows: 300, ..Default::default() };
        let mut w = ShardWriter::create(dir.path(), opts).unwrap();
        w.spool.speculate_after = speculate_after;
        for r in rows {
            w.push(r).unwrap();
        }
        let report = w.finish().unwrap();
        let leftovers = fs::read_dir(dir.path()).unwrap().count() - report.shards.len();
        assert_eq!(leftovers, 0, "only the shards remain");
        report.shards.iter().map(|s| fs::read(dir.path().join(&s.file_name)).unwrap()).collect()
    }

    #[test]
    fn background_encoding_writes_the_same_bytes() {
        let row = |i: usize, late: bool| {
            let mut m = Map::new();
            m.insert("id".into(), Value::from(format!("doc-{i}")));
            m.insert("text".into(), Value::from("word ".repeat(i % 50)));
            // from row 2500 on, "n" changes type: the schema of the first rows is not the final one
            m.insert("n".into(), if late { Value::from("x") } else { Value::from(i) });
            m
        };
        let stable: Vec<_> = (0..4000).map(|i| row(i, false)).collect();
        let changing: Vec<_> = (0..4000).map(|i| row(i, i >= 2500)).collect();
        for (rows, kept_by) in [(&stable, [true, true, true, true]), (&changing, [false, false, true, true])] {
            let reference = write_shards(rows, u64::MAX); // never in the background
            assert!(reference.len() >= 3);
            for (after, kept) in [1, 1000, 3999, 4000].into_iter().zip(kept_by) {
                let before = BACKGROUND_USED.with(|c| c.get());
                assert!(write_shards(rows, after) == reference, "speculating after {after} rows");
                assert_eq!(BACKGROUND_USED.with(|c| c.get()) - before, usize::from(kept), "after {after}");
            }
        }
    }
}
