//! A streaming source of raw rows over a list of input files, in input order.
//!
//! Reading (and decompressing) happens here; JSON parsing is left to the caller so that it can
//! run in parallel. File-level failures (a truncated archive, an unreadable Parquet file) come
//! out as a [`Payload::Broken`] row naming the file, so the executor can fail or skip by policy.

use super::jsonl::LineReader;
use super::parquet::{ParquetRows, read_parquet};
use super::warc::WarcReader;
use super::{FileKind, IoError};
use crate::record::Source;
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::sync::Arc;

/// What was read for one row.
#[derive(Debug)]
pub enum Payload {
    /// One JSONL line, not yet parsed.
    Line(Vec<u8>),
    /// One Parquet row, already decoded.
    Row(Map<String, Value>),
    /// The file could not be read any further (message names the file).
    Broken(String),
}

#[derive(Debug)]
pub struct RawRow {
    /// Index of the file in the full (un-partitioned) input list.
    pub file_index: usize,
    pub source: Source,
    pub payload: Payload,
}

enum Open {
    Jsonl(LineReader),
    /// rows, file size, rows read so far
    Parquet(ParquetRows, u64, u64),
    Warc(WarcReader),
}

/// Iterates over the rows of several files in order.
pub struct RowSource {
    files: std::vec::IntoIter<(usize, PathBuf)>,
    current: Option<(usize, Arc<str>, Open)>,
    buf: Vec<u8>,
    /// Bytes read so far (uncompressed line bytes for JSONL; file size for Parquet when done).
    pub bytes_read: u64,
    parquet_batch_rows: usize,
}

impl RowSource {
    pub fn new(files: Vec<(usize, PathBuf)>) -> Self {
        RowSource { files: files.into_iter(), current: None, buf: Vec::new(), bytes_read: 0, parquet_batch_rows: 1024 }
    }

    fn open_next(&mut self) -> Option<Result<(), RawRow>> {
        let (idx, path) = self.files.next()?;
        let name: Arc<str> = Arc::from(path.display().to_string());
        let opened = match FileKind::from_path(&path) {
            Some(FileKind::Jsonl(c)) => LineReader::open(&path, c).map(Open::Jsonl),
            Some(FileKind::Parquet) => read_parquet(&path, self.parquet_batch_rows).map(|r| {
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                Open::Parquet(r, size, 0)
            }),
            Some(FileKind::Warc(c)) => WarcReader::open(&path, c).map(Open::Warc),
            None => Err(IoError::format(&path, "unsupported file type")),
        };
        match opened {
            Ok(o) => {
                self.current = Some((idx, name, o));
                Some(Ok(()))
            }
            Err(e) => Some(Err(RawRow {
                file_index: idx,
                source: Source { file: name, line: 0 },
                payload: Payload::Broken(e.to_string()),
            })),
        }
    }

    /// Fill `out` with up to `max` rows. Returns false when every file is exhausted.
    pub fn next_batch(&mut self, max: usize, out: &mut Vec<RawRow>) -> bool {
        while out.len() < max {
            if self.current.is_none() {
                match self.open_next() {
                    None => return !out.is_empty(),
                    Some(Ok(())) => {}
                    Some(Err(row)) => {
                        out.push(row);
                        continue;
                    }
                }
            }
            let (idx, name, open) = self.current.as_mut().expect("file open");
            let idx = *idx;
            match open {
                Open::Jsonl(r) => match r.next_line(&mut self.buf) {
                    Ok(Some(line)) => {
                        self.bytes_read += self.buf.len() as u64 + 1;
                        out.push(RawRow {
                            file_index: idx,
                            source: Source { file: name.clone(), line },
                            payload: Payload::Line(std::mem::take(&mut self.buf)),
                        });
                    }
                    Ok(None) => self.current = None,
                    Err(e) => {
                        let line = 0;
                        out.push(RawRow {
                            file_index: idx,
                            source: Source { file: name.clone(), line },
                            payload: Payload::Broken(e.to_string()),
                        });
                        self.current = None;
                    }
                },
                Open::Parquet(rows, size, count) => match rows.next() {
                    Some(Ok(row)) => {
                        *count += 1;
                        let line = *count;
                        out.push(RawRow {
                            file_index: idx,
                            source: Source { file: name.clone(), line },
                            payload: Payload::Row(row),
                        });
                    }
                    Some(Err(e)) => {
                        out.push(RawRow {
                            file_index: idx,
                            source: Source { file: name.clone(), line: *count + 1 },
                            payload: Payload::Broken(e.to_string()),
                        });
                        self.current = None;
                    }
                    None => {
                        self.bytes_read += *size;
                        self.current = None;
                    }
                },
                Open::Warc(r) => {
                    let before = r.bytes;
                    let next = r.next_row();
                    self.bytes_read += r.bytes - before;
                    match next {
                        Ok(Some((line, row))) => out.push(RawRow {
                            file_index: idx,
                            source: Source { file: name.clone(), line },
                            payload: Payload::Row(row),
                        }),
                        Ok(None) => self.current = None,
                        Err(e) => {
                            out.push(RawRow {
                                file_index: idx,
                                source: Source { file: name.clone(), line: 0 },
                                payload: Payload::Broken(e.to_string()),
                            });
                            self.current = None;
                        }
                    }
                }
            }
        }
        true
    }
}
