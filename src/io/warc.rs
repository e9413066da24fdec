//! WARC and WET files (ISO 28500, WARC/1.0 and 1.1), plain or gzip (one member per record, as
//! Common Crawl writes them, or one member for the whole file).
//!
//! Which records become rows:
//!
//! | `WARC-Type` | row |
//! |---|---|
//! | `conversion` (WET: text extracted by the crawler) | `text` = the block, UTF-8 |
//! | `response` with an HTTP payload | `html` = the HTTP body, `http_status`, `content_type` |
//! | `warcinfo`, `request`, `metadata`, `resource`, `revisit`, ... | none: they describe the crawl, not documents |
//!
//! Every row also has `id` (`WARC-Record-ID` without the angle brackets), `url`
//! (`WARC-Target-URI`) and `date` (`WARC-Date`). The row number reported in errors and in
//! `_rejected.source` is the record's 1-based position in the file, counting every record.
//!
//! Text extraction from HTML (what trafilatura does in datatrove) is not built: rows read from WARC
//! responses carry `html` and no `text`, so the web filters reject them with "field \"text\" is
//! missing". Use WET files (or a converted JSONL) for filtering.

use super::{Compression, IoError};
use serde_json::{Map, Value};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Opens `path` as a buffered stream, decompressing as `compression` says; returns the stream and
/// the name of its format for error messages.
pub fn open_decompressed(
    path: &Path,
    compression: Compression,
    plain_name: &'static str,
) -> Result<(Box<dyn BufRead + Send>, &'static str), IoError> {
    let file = std::fs::File::open(path).map_err(|e| IoError::io(path, e))?;
    Ok(match compression {
        Compression::None => (Box::new(BufReader::with_capacity(1 << 20, file)), plain_name),
        Compression::Gzip => (
            Box::new(BufReader::with_capacity(
                1 << 20,
                flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, file)),
            )),
            "gzip",
        ),
        Compression::Zstd => {
            let dec = zstd::stream::read::Decoder::new(file).map_err(|e| IoError::io(path, e))?;
            (Box::new(BufReader::with_capacity(1 << 20, dec)), "zstd")
        }
    })
}

/// A document record: its 1-based position among all the file's records, and its row.
pub type WarcRow = (u64, Map<String, Value>);

/// Streams the document records of a WARC/WET file as rows.
pub struct WarcReader {
    path: PathBuf,
    inner: Box<dyn BufRead + Send>,
    format: &'static str,
    /// Records read so far (all types).
    record: u64,
    /// Uncompressed bytes consumed so far.
    pub bytes: u64,
    done: bool,
}

impl WarcReader {
    pub fn open(path: &Path, compression: Compression) -> Result<Self, IoError> {
        let (inner, format) = open_decompressed(path, compression, "WARC")?;
        Ok(WarcReader { path: path.to_path_buf(), inner, format, record: 0, bytes: 0, done: false })
    }

    fn corrupt(&mut self, message: impl std::fmt::Display) -> IoError {
        self.done = true;
        IoError::Corrupt {
            path: self.path.clone(),
            format: self.format,
            message: format!("record {}: {message}", self.record),
        }
    }

    fn read_error(&mut self, e: std::io::Error) -> IoError {
        match e.kind() {
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput | std::io::ErrorKind::UnexpectedEof => {
                self.corrupt(e)
            }
            _ => {
                self.done = true;
                IoError::io(&self.path, e)
            }
        }
    }

    /// One header line without its line end; `None` at end of input.
    fn line(&mut self, buf: &mut Vec<u8>) -> Result<Option<()>, IoError> {
        buf.clear();
        let n = self.inner.read_until(b'\n', buf).map_err(|e| self.read_error(e))?;
        if n == 0 {
            return Ok(None);
        }
        self.bytes += n as u64;
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        Ok(Some(()))
    }

    /// The next document record as `(record number, row)`, `Ok(None)` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<WarcRow>, IoError> {
        let mut line = Vec::new();
        while !self.done {
            // Skip the blank lines between records, then expect the version line.
            loop {
                if self.line(&mut line)?.is_none() {
                    self.done = true;
                    return Ok(None);
                }
                if !line.is_empty() {
                    break;
                }
            }
            self.record += 1;
            if !line.starts_with(b"WARC/") {
                let shown = String::from_utf8_lossy(&line[..line.len().min(40)]).into_owned();
                return Err(self.corrupt(format!("expected a `WARC/1.x` version line, found {shown:?}")));
            }
            let mut headers: Vec<(String, String)> = Vec::new();
            loop {
                if self.line(&mut line)?.is_none() {
                    return Err(self.corrupt("file ends inside the record's headers"));
                }
                if line.is_empty() {
                    break;
                }
                let text = String::from_utf8_lossy(&line);
                match text.split_once(':') {
                    Some((k, v)) => headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string())),
                    None if text.starts_with([' ', '\t']) && !headers.is_empty() => {
                        // A folded continuation line.
                        let last = headers.last_mut().expect("checked non-empty");
                        last.1.push(' ');
                        last.1.push_str(text.trim());
                    }
                    None => return Err(self.corrupt(format!("malformed header line {text:?}"))),
                }
            }
            let get = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
            let Some(length) = get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
                return Err(self.corrupt("missing or invalid Content-Length"));
            };
            let mut block = Vec::with_capacity(length.min(1 << 24) as usize);
            let got = (&mut self.inner).take(length).read_to_end(&mut block).map_err(|e| self.read_error(e))?;
            self.bytes += got as u64;
            if (got as u64) < length {
                return Err(self.corrupt(format!("truncated: Content-Length {length}, only {got} bytes left")));
            }
            let kind = get("warc-type").unwrap_or("").to_ascii_lowercase();
            let mut row = Map::new();
            let id = get("warc-record-id").unwrap_or("").trim_start_matches('<').trim_end_matches('>').to_string();
            row.insert("id".into(), Value::String(id));
            let url = get("warc-target-uri").unwrap_or("").trim_start_matches('<').trim_end_matches('>');
            row.insert("url".into(), Value::String(url.to_string()));
            row.insert("date".into(), Value::String(get("warc-date").unwrap_or("").to_string()));
            match kind.as_str() {
                "conversion" => match String::from_utf8(block) {
                    Ok(text) => {
                        row.insert("text".into(), Value::String(text));
                        return Ok(Some((self.record, row)));
                    }
                    Err(e) => return Err(self.corrupt(format!("conversion block is not UTF-8: {e}"))),
                },
                "response" if get("content-type").is_some_and(|c| c.starts_with("application/http")) => {
                    let (status, content_type, body) = split_http(&block);
                    row.insert("http_status".into(), status.map_or(Value::Null, Value::from));
                    row.insert("content_type".into(), content_type.map_or(Value::Null, Value::String));
                    row.insert("html".into(), Value::String(String::from_utf8_lossy(body).into_owned()));
                    return Ok(Some((self.record, row)));
                }
                _ => continue,
            }
        }
        Ok(None)
    }
}

/// Splits an HTTP response into its status code, `Content-Type` and body.
fn split_http(block: &[u8]) -> (Option<u16>, Option<String>, &[u8]) {
    let (head, body) = match find(block, b"\r\n\r\n") {
        Some(i) => (&block[..i], &block[i + 4..]),
        None => match find(block, b"\n\n") {
            Some(i) => (&block[..i], &block[i + 2..]),
            None => (block, &block[block.len()..]),
        },
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok());
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string());
    (status, content_type, body)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, block: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-04-25T16:24:44Z\r\n\
             WARC-Record-ID: <urn:uuid:{kind}-1>\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    fn rows(bytes: &[u8]) -> Result<Vec<WarcRow>, IoError> {
        let mut f = tempfile::NamedTempFile::with_suffix(".warc.wet").unwrap();
        f.write_all(bytes).unwrap();
        let mut r = WarcReader::open(f.path(), Compression::None).unwrap();
        let mut out = Vec::new();
        while let Some(row) = r.next_row()? {
            out.push(row);
        }
        Ok(out)
    }

    #[test]
    fn wet_conversion_records_become_text_rows() {
        let text = "Héllo wörld.\nSecond line with Content-Length: 5 inside.";
        let wet = [record("warcinfo", "", "software: test"), record("conversion", "http://a.example/", text)].concat();
        let got = rows(wet.as_bytes()).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 2, "record numbers count every record");
        assert_eq!(got[0].1["text"], text);
        assert_eq!(got[0].1["url"], "http://a.example/");
        assert_eq!(got[0].1["id"], "urn:uuid:conversion-1");
        assert_eq!(got[0].1["date"], "2024-04-25T16:24:44Z");
    }

    #[test]
    fn truncated_and_malformed_records_name_the_record() {
        let wet = record("conversion", "u", "0123456789");
        let cut = &wet.as_bytes()[..wet.len() - 8];
        let err = rows(cut).unwrap_err().to_string();
        assert!(err.contains("record 1: truncated: Content-Length 10"), "{err}");
        let err = rows(format!("{wet}garbage here\r\n").as_bytes()).unwrap_err().to_string();
        assert!(err.contains("record 2: expected a `WARC/1.x` version line"), "{err}");
        let err = rows(b"WARC/1.0\r\nWARC-Type: conversion\r\n\r\n").unwrap_err().to_string();
        assert!(err.contains("missing or invalid Content-Length"), "{err}");
    }

    #[test]
    fn http_responses_split_status_type_and_body() {
        let (status, ct, body) = split_http(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>x</p>");
        assert_eq!((status, ct.as_deref(), body), (Some(404), Some("text/html"), &b"<p>x</p>"[..]));
    }
}
