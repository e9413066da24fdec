//! Readers and writers: JSONL (plain, gzip, zstd), Parquet, input discovery and output sinks.

pub mod inputs;
pub mod jsonl;
pub mod output;
pub mod parquet;
pub mod reader;
pub mod schema;
pub mod warc;

use std::path::{Path, PathBuf};

/// Errors from reading or writing data files. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: corrupt or truncated {format} data: {message}", path.display())]
    Corrupt { path: PathBuf, format: &'static str, message: String },
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
    #[error("{message}")]
    Other { message: String },
    #[error("{}: not a readable Parquet file: {source}", path.display())]
    Parquet { path: PathBuf, source: ::parquet::errors::ParquetError },
    #[error("{}: corrupt or unreadable Parquet data: {source}", path.display())]
    ParquetData { path: PathBuf, source: arrow::error::ArrowError },
    #[error("{}: {source}", path.display())]
    Arrow { path: PathBuf, source: arrow::error::ArrowError },
    #[error("{}: line {line}: invalid JSON: {source}", path.display())]
    Json { path: PathBuf, line: u64, source: serde_json::Error },
}

impl IoError {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        IoError::Io { path: path.as_ref().to_path_buf(), source }
    }
    pub fn format(path: &Path, message: impl Into<String>) -> Self {
        IoError::Format { path: path.to_path_buf(), message: message.into() }
    }
}

/// Compression of a JSONL file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// The kind of a data file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jsonl(Compression),
    Parquet,
    /// WARC or WET (see [`warc`]); read only.
    Warc(Compression),
}

impl FileKind {
    /// `x.jsonl`, `x.json`, `x.ndjson`, `x.warc`, `x.wet`, `x.warc.wet` (optionally `.gz` / `.zst`),
    /// `x.parquet`.
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let (stem, comp) = if let Some(s) = name.strip_suffix(".gz") {
            (s, Compression::Gzip)
        } else if let Some(s) = name.strip_suffix(".zst") {
            (s, Compression::Zstd)
        } else if let Some(s) = name.strip_suffix(".zstd") {
            (s, Compression::Zstd)
        } else {
            (name.as_str(), Compression::None)
        };
        if stem.ends_with(".parquet") && comp == Compression::None {
            return Some(FileKind::Parquet);
        }
        if stem.ends_with(".jsonl") || stem.ends_with(".json") || stem.ends_with(".ndjson") {
            return Some(FileKind::Jsonl(comp));
        }
        if stem.ends_with(".warc") || stem.ends_with(".wet") {
            return Some(FileKind::Warc(comp));
        }
        None
    }
}
