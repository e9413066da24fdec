//! JSON Lines: streaming line reader (plain, multi-member gzip, zstd) and writers.

use super::{Compression, IoError};
use serde_json::{Map, Value};
use std::fs::File;
use std::io::{BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Reads a JSONL file line by line, decompressing as its extension says.
/// Yields `(line_number, bytes)` for every non-blank line (1-based numbers count blank lines too,
/// so they match what an editor shows). A decompression failure is a file-level error.
pub struct LineReader {
    path: PathBuf,
    inner: Box<dyn BufRead + Send>,
    line: u64,
    format: &'static str,
    done: bool,
}

impl LineReader {
    pub fn open(path: &Path, compression: Compression) -> Result<Self, IoError> {
        let (inner, format) = super::warc::open_decompressed(path, compression, "JSONL")?;
        Ok(LineReader { path: path.to_path_buf(), inner, line: 0, format, done: false })
    }

    /// The next non-blank line, `Ok(None)` at the end of the file.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> Result<Option<u64>, IoError> {
        if self.done {
            return Ok(None);
        }
        loop {
            buf.clear();
            let n = self.inner.read_until(b'\n', buf).map_err(|e| {
                self.done = true;
                match e.kind() {
                    std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::InvalidInput
                    | std::io::ErrorKind::UnexpectedEof
                        if self.format != "JSONL" =>
                    {
                        IoError::Corrupt {
                            path: self.path.clone(),
                            format: self.format,
                            message: format!("{e} (after line {})", self.line),
                        }
                    }
                    _ => IoError::io(&self.path, e),
                }
            })?;
            if n == 0 {
                self.done = true;
                return Ok(None);
            }
            self.line += 1;
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Ok(Some(self.line));
        }
    }
}

/// Parse one JSONL line into an object. The message says what is wrong, without the location
/// (the caller adds `file:line`).
pub fn parse_line(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(format!("invalid UTF-8 at byte {}", e.valid_up_to()));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(format!("expected a JSON object, found {}", json_kind(&other))),
        Err(e) => Err(format!("malformed JSON: {e}")),
    }
}

pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Writes JSON objects one per line, compressed as `compression` says.
pub struct JsonlWriter {
    path: PathBuf,
    inner: Option<Box<dyn FinishWrite>>,
    bytes_in: u64,
}

trait FinishWrite: Write + Send {
    fn finish_box(self: Box<Self>) -> std::io::Result<()>;
}

impl FinishWrite for BufWriter<File> {
    fn finish_box(mut self: Box<Self>) -> std::io::Result<()> {
        self.flush()?;
        self.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}
impl FinishWrite for flate2::write::GzEncoder<BufWriter<File>> {
    fn finish_box(self: Box<Self>) -> std::io::Result<()> {
        let mut w = (*self).finish()?;
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}
impl FinishWrite for zstd::stream::write::Encoder<'static, BufWriter<File>> {
    fn finish_box(self: Box<Self>) -> std::io::Result<()> {
        let mut w = (*self).finish()?;
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

impl JsonlWriter {
    pub fn create(path: &Path, compression: Compression) -> Result<Self, IoError> {
        let file = File::create(path).map_err(|e| IoError::io(path, e))?;
        let buf = BufWriter::with_capacity(1 << 20, file);
        let inner: Box<dyn FinishWrite> = match compression {
            Compression::None => Box::new(buf),
            Compression::Gzip => Box::new(flate2::write::GzEncoder::new(buf, flate2::Compression::new(6))),
            Compression::Zstd => Box::new(zstd::stream::write::Encoder::new(buf, 3).map_err(|e| IoError::io(path, e))?),
        };
        Ok(JsonlWriter { path: path.to_path_buf(), inner: Some(inner), bytes_in: 0 })
    }

    pub fn write_row(&mut self, row: &Map<String, Value>) -> Result<(), IoError> {
        let mut line = serde_json::to_vec(row).map_err(|e| IoError::format(&self.path, e.to_string()))?;
        line.push(b'\n');
        self.write_raw(&line)
    }

    /// Write an already-serialised line (must end with `\n`).
    pub fn write_raw(&mut self, line: &[u8]) -> Result<(), IoError> {
        self.bytes_in += line.len() as u64;
        let w = self.inner.as_mut().expect("write after finish");
        w.write_all(line).map_err(|e| IoError::io(&self.path, e))
    }

    /// Flush, finish the compressed stream and fsync.
    pub fn finish(mut self) -> Result<(), IoError> {
        if let Some(w) = self.inner.take() {
            w.finish_box().map_err(|e| IoError::io(&self.path, e))?;
        }
        Ok(())
    }
}

/// Read a whole small JSON or JSONL file of objects (tests, configs). Not streaming.
pub fn read_all(path: &Path) -> Result<Vec<Map<String, Value>>, IoError> {
    let comp = match super::FileKind::from_path(path) {
        Some(super::FileKind::Jsonl(c)) => c,
        _ => Compression::None,
    };
    let mut r = LineReader::open(path, comp)?;
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Some(line) = r.next_line(&mut buf)? {
        let row = parse_line(&buf).map_err(|m| IoError::format(path, format!("line {line}: {m}")))?;
        out.push(row);
    }
    Ok(out)
}

/// Read everything from `r` into a string (helper for configs).
pub fn read_to_string(path: &Path) -> Result<String, IoError> {
    let mut s = String::new();
    File::open(path).and_then(|mut f| f.read_to_string(&mut s)).map_err(|e| IoError::io(path, e))?;
    Ok(s)
}
