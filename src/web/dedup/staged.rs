//! Multi-machine dedup in three stages: `signatures` (each rank hashes its share of the input files
//! into a signature file), `cluster` (one process merges every rank's file in global input order and
//! applies the rule of [`super::index::DedupIndex`], writing the removal list) and `apply` (each rank
//! drops the rows the removal list names).
//!
//! Rank `R` of `W` takes the input files whose index `i` (in the order given on the command line)
//! has `i % W == R`. With Slurm job arrays (the CLI flags are the lead's):
//!
//! ```text
//! sbatch --array=0-15 --wrap 'sftkit dedup --stage signatures --rank $SLURM_ARRAY_TASK_ID \
//!        --world-size 16 in/*.jsonl -o work/'
//! sbatch --dependency=afterok:<sig job> --wrap 'sftkit dedup --stage cluster in/*.jsonl -o work/'
//! sbatch --dependency=afterok:<cluster job> --array=0-15 --wrap 'sftkit dedup --stage apply \
//!        --rank $SLURM_ARRAY_TASK_ID --world-size 16 in/*.jsonl -o out/'
//! ```
//!
//! # Signature file format (little-endian), version 1
//! - header, 40 bytes: magic `SFTKSIG\0`, version `u32`, flags `u32` (bit 0 exact, bit 1 minhash),
//!   `n_grams`, `bands`, `rows` and a reserved zero (`u32` each), `seed` `u64`;
//! - records, in ascending (file index, line): `file_index u32`, `line u64`, `present u8` (bit 0: exact
//!   hash, bit 1: band hashes), `exact u64` (0 when absent), `bands x u64` (only when present),
//!   `id_len u32`, `id` (UTF-8);
//! - trailer, 24 bytes: magic `SFTKEND\0`, record count `u64`, xxh3-64 of all record bytes `u64`.
//!
//! A file without its trailer (killed writer, truncated copy) is rejected before any work, naming the
//! file; a damaged body fails the count or checksum check.

use super::index::DedupIndex;
use super::{DedupConfig, DedupError, DocHasher, DocHashes, Method, removal_detail};
use crate::record::Verdict;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

const MAGIC: &[u8; 8] = b"SFTKSIG\0";
const END_MAGIC: &[u8; 8] = b"SFTKEND\0";
const VERSION: u32 = 1;
const HEADER_LEN: u64 = 40;
const TRAILER_LEN: u64 = 24;

fn header_bytes(cfg: &DedupConfig) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN as usize);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&VERSION.to_le_bytes());
    let flags = u32::from(cfg.exact) | (u32::from(cfg.minhash) << 1);
    h.extend_from_slice(&flags.to_le_bytes());
    for v in [cfg.n_grams, cfg.bands, cfg.rows, 0] {
        h.extend_from_slice(&(v as u32).to_le_bytes());
    }
    h.extend_from_slice(&cfg.seed.to_le_bytes());
    h
}

/// Writes one rank's signature file. Records must come in ascending (file index, line).
pub struct SignatureWriter {
    path: PathBuf,
    out: BufWriter<File>,
    hasher: DocHasher,
    checksum: Xxh3,
    count: u64,
    last: Option<(u32, u64)>,
    buf: Vec<u8>,
}

impl SignatureWriter {
    /// Create (truncate) `path` and write the header for `cfg`.
    pub fn create(path: impl AsRef<Path>, cfg: &DedupConfig) -> Result<Self, DedupError> {
        let path = path.as_ref().to_path_buf();
        let hasher = DocHasher::new(cfg)?;
        let file = File::create(&path).map_err(|e| DedupError::io(&path, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        out.write_all(&header_bytes(cfg)).map_err(|e| DedupError::io(&path, e))?;
        Ok(SignatureWriter { path, out, hasher, checksum: Xxh3::new(), count: 0, last: None, buf: Vec::new() })
    }

    /// The hasher this writer uses (to compute [`DocHashes`] in parallel before [`Self::write_hashes`]).
    pub fn hasher(&self) -> &DocHasher {
        &self.hasher
    }

    /// Hash `text` and append its record.
    pub fn write(&mut self, file_index: u32, line: u64, id: &str, text: &str) -> Result<(), DedupError> {
        let hashes = self.hasher.hash(text);
        self.write_hashes(file_index, line, id, &hashes)
    }

    /// Append a record whose hashes were computed already (with [`Self::hasher`]).
    pub fn write_hashes(&mut self, file_index: u32, line: u64, id: &str, hashes: &DocHashes) -> Result<(), DedupError> {
        if self.last.is_some_and(|l| l >= (file_index, line)) {
            return Err(DedupError::BadSignatureFile {
                path: self.path.display().to_string(),
                message: format!(
                    "record ({file_index}, {line}) written after {:?}: records must be in input order",
                    self.last
                ),
            });
        }
        self.last = Some((file_index, line));
        let b = &mut self.buf;
        b.clear();
        b.extend_from_slice(&file_index.to_le_bytes());
        b.extend_from_slice(&line.to_le_bytes());
        let present = u8::from(hashes.exact.is_some()) | (u8::from(hashes.bands.is_some()) << 1);
        b.push(present);
        b.extend_from_slice(&hashes.exact.unwrap_or(0).to_le_bytes());
        if let Some(bands) = &hashes.bands {
            for h in bands {
                b.extend_from_slice(&h.to_le_bytes());
            }
        }
        b.extend_from_slice(&(id.len() as u32).to_le_bytes());
        b.extend_from_slice(id.as_bytes());
        self.checksum.update(b);
        self.count += 1;
        self.out.write_all(b).map_err(|e| DedupError::io(&self.path, e))
    }

    /// Write the trailer and flush; returns the number of records.
    pub fn finish(mut self) -> Result<u64, DedupError> {
        let mut t = Vec::with_capacity(TRAILER_LEN as usize);
        t.extend_from_slice(END_MAGIC);
        t.extend_from_slice(&self.count.to_le_bytes());
        t.extend_from_slice(&self.checksum.digest().to_le_bytes());
        self.out.write_all(&t).map_err(|e| DedupError::io(&self.path, e))?;
        self.out.flush().map_err(|e| DedupError::io(&self.path, e))?;
        self.out.get_ref().sync_all().map_err(|e| DedupError::io(&self.path, e))?;
        Ok(self.count)
    }
}

/// One record read back from a signature file.
struct SigRecord {
    file_index: u32,
    line: u64,
    id: String,
    hashes: DocHashes,
}

/// Streams the records of one signature file, checking header, order, count and checksum.
struct SignatureReader {
    path: PathBuf,
    input: std::io::Take<BufReader<File>>,
    bands: usize,
    expected_count: u64,
    expected_checksum: u64,
    checksum: Xxh3,
    count: u64,
    last: Option<(u32, u64)>,
    buf: Vec<u8>,
}

impl SignatureReader {
    fn bad(path: &Path, message: impl Into<String>) -> DedupError {
        DedupError::BadSignatureFile { path: path.display().to_string(), message: message.into() }
    }

    fn open(path: &Path, cfg: &DedupConfig) -> Result<Self, DedupError> {
        let mut file = File::open(path).map_err(|e| DedupError::io(path, e))?;
        let size = file.metadata().map_err(|e| DedupError::io(path, e))?.len();
        if size < HEADER_LEN + TRAILER_LEN {
            return Err(Self::bad(path, format!("truncated: {size} bytes, shorter than header + trailer")));
        }
        let mut header = vec![0u8; HEADER_LEN as usize];
        file.read_exact(&mut header).map_err(|e| DedupError::io(path, e))?;
        if &header[..8] != MAGIC {
            return Err(Self::bad(path, "not an sftkit signature file (bad magic)"));
        }
        let version = u32::from_le_bytes(header[8..12].try_into().unwrap());
        if version != VERSION {
            return Err(Self::bad(path, format!("format version {version}, this build reads {VERSION}")));
        }
        if header != header_bytes(cfg) {
            return Err(Self::bad(
                path,
                "written with a different dedup config (exact/minhash/n_grams/bands/rows/seed)",
            ));
        }
        let mut trailer = [0u8; TRAILER_LEN as usize];
        file.seek(SeekFrom::Start(size - TRAILER_LEN)).map_err(|e| DedupError::io(path, e))?;
        file.read_exact(&mut trailer).map_err(|e| DedupError::io(path, e))?;
        if &trailer[..8] != END_MAGIC {
            return Err(Self::bad(
                path,
                format!(
                    "truncated or unfinished: no end marker in its last {TRAILER_LEN} bytes ({size} bytes); re-run the signatures stage for this rank"
                ),
            ));
        }
        let expected_count = u64::from_le_bytes(trailer[8..16].try_into().unwrap());
        let expected_checksum = u64::from_le_bytes(trailer[16..24].try_into().unwrap());
        file.seek(SeekFrom::Start(HEADER_LEN)).map_err(|e| DedupError::io(path, e))?;
        let input = BufReader::with_capacity(1 << 20, file).take(size - HEADER_LEN - TRAILER_LEN);
        Ok(SignatureReader {
            path: path.to_path_buf(),
            input,
            bands: cfg.bands,
            expected_count,
            expected_checksum,
            checksum: Xxh3::new(),
            count: 0,
            last: None,
            buf: Vec::new(),
        })
    }

    fn read_exact(&mut self, n: usize) -> Result<bool, DedupError> {
        self.buf.resize(n, 0);
        let mut filled = 0;
        while filled < n {
            let got = self.input.read(&mut self.buf[filled..]).map_err(|e| DedupError::io(&self.path, e))?;
            if got == 0 {
                if filled == 0 {
                    return Ok(false);
                }
                return Err(Self::bad(&self.path, format!("truncated inside record {}", self.count)));
            }
            filled += got;
        }
        self.checksum.update(&self.buf);
        Ok(true)
    }

    fn next_record(&mut self) -> Result<Option<SigRecord>, DedupError> {
        if !self.read_exact(21)? {
            if self.count != self.expected_count {
                return Err(Self::bad(
                    &self.path,
                    format!("{} records, trailer says {}", self.count, self.expected_count),
                ));
            }
            if self.checksum.digest() != self.expected_checksum {
                return Err(Self::bad(&self.path, "checksum mismatch: the file is damaged"));
            }
            return Ok(None);
        }
        let file_index = u32::from_le_bytes(self.buf[0..4].try_into().unwrap());
        let line = u64::from_le_bytes(self.buf[4..12].try_into().unwrap());
        let present = self.buf[12];
        let exact_raw = u64::from_le_bytes(self.buf[13..21].try_into().unwrap());
        let exact = (present & 1 != 0).then_some(exact_raw);
        let bands = if present & 2 != 0 {
            if !self.read_exact(8 * self.bands)? {
                return Err(Self::bad(&self.path, format!("truncated inside record {}", self.count)));
            }
            Some(self.buf.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect())
        } else {
            None
        };
        if !self.read_exact(4)? {
            return Err(Self::bad(&self.path, format!("truncated inside record {}", self.count)));
        }
        let id_len = u32::from_le_bytes(self.buf[0..4].try_into().unwrap()) as usize;
        if !self.read_exact(id_len)? && id_len > 0 {
            return Err(Self::bad(&self.path, format!("truncated inside record {}", self.count)));
        }
        let id = String::from_utf8(self.buf.clone())
            .map_err(|_| Self::bad(&self.path, format!("record {} has an id that is not UTF-8", self.count)))?;
        if self.last.is_some_and(|l| l >= (file_index, line)) {
            return Err(Self::bad(&self.path, format!("records out of input order at ({file_index}, {line})")));
        }
        self.last = Some((file_index, line));
        self.count += 1;
        Ok(Some(SigRecord { file_index, line, id, hashes: DocHashes { exact, bands } }))
    }
}

/// A removed document: how it was found and the kept document it duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    pub method: Method,
    pub duplicate_of: String,
}

impl Removal {
    /// `{"method": .., "duplicate_of": ..}`, as stored under `_removed`.
    pub fn detail(&self) -> serde_json::Value {
        removal_detail(self.method, &self.duplicate_of)
    }

    /// The verdict the `apply` stage returns for this row (the same as [`super::DedupStage`]'s).
    pub fn verdict(&self) -> Verdict {
        Verdict::Drop { reason: "duplicate".into(), detail: Some(self.detail()) }
    }
}

/// One line of a removal list file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RemovalRow {
    file_index: u32,
    line: u64,
    id: String,
    method: Method,
    duplicate_of: String,
}

/// The documents to remove, by (input file index, line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Removals {
    /// Documents the cluster stage saw (0 when read from a file).
    pub documents: u64,
    map: HashMap<(u32, u64), (String, Removal)>,
}

impl Removals {
    pub fn get(&self, file_index: u32, line: u64) -> Option<&Removal> {
        self.map.get(&(file_index, line)).map(|(_, r)| r)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// (file index, line, removed id, removal), in input order.
    pub fn sorted(&self) -> Vec<(u32, u64, &str, &Removal)> {
        let mut v: Vec<_> = self.map.iter().map(|(&(f, l), (id, r))| (f, l, id.as_str(), r)).collect();
        v.sort_unstable_by_key(|&(f, l, _, _)| (f, l));
        v
    }

    /// Write as JSON lines `{"file_index","line","id","method","duplicate_of"}` in input order.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), DedupError> {
        let path = path.as_ref();
        let file = File::create(path).map_err(|e| DedupError::io(path, e))?;
        let mut out = BufWriter::new(file);
        for (file_index, line, id, r) in self.sorted() {
            let row = RemovalRow {
                file_index,
                line,
                id: id.to_string(),
                method: r.method,
                duplicate_of: r.duplicate_of.clone(),
            };
            serde_json::to_writer(&mut out, &row).map_err(|e| DedupError::io(path, e.into()))?;
            out.write_all(b"\n").map_err(|e| DedupError::io(path, e))?;
        }
        out.flush().map_err(|e| DedupError::io(path, e))
    }

    /// Read a file written by [`Self::write`].
    pub fn read(path: impl AsRef<Path>) -> Result<Self, DedupError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| DedupError::io(path, e))?;
        let mut removals = Removals::default();
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| DedupError::io(path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let row: RemovalRow = serde_json::from_str(&line).map_err(|e| DedupError::BadRemovals {
                path: path.display().to_string(),
                line: i + 1,
                message: e.to_string(),
            })?;
            removals.map.insert(
                (row.file_index, row.line),
                (row.id, Removal { method: row.method, duplicate_of: row.duplicate_of }),
            );
        }
        Ok(removals)
    }
}

/// The `cluster` stage: merge every rank's signature file in global input order and apply the
/// sequential rule. Memory: the index only (files are streamed).
pub fn cluster(sig_files: &[PathBuf], cfg: &DedupConfig) -> Result<Removals, DedupError> {
    cfg.validate()?;
    let mut readers = sig_files.iter().map(|p| SignatureReader::open(p, cfg)).collect::<Result<Vec<_>, _>>()?;
    let mut heads: Vec<Option<SigRecord>> = Vec::with_capacity(readers.len());
    let mut heap = BinaryHeap::new();
    for (i, r) in readers.iter_mut().enumerate() {
        let rec = r.next_record()?;
        if let Some(rec) = &rec {
            heap.push(Reverse((rec.file_index, rec.line, i)));
        }
        heads.push(rec);
    }
    let mut index = DedupIndex::new(cfg.index_bands(), 0);
    let mut removals = Removals::default();
    let mut last: Option<(u32, u64, usize)> = None;
    while let Some(Reverse((file_index, line, i))) = heap.pop() {
        if let Some((lf, ll, li)) = last
            && (lf, ll) == (file_index, line)
        {
            return Err(SignatureReader::bad(
                &sig_files[i],
                format!("document ({file_index}, {line}) is also in {}", sig_files[li].display()),
            ));
        }
        last = Some((file_index, line, i));
        let rec = heads[i].take().expect("heap entry has a record");
        if let Some(hit) = index.decide(&rec.id, &rec.hashes) {
            let removal = Removal { method: hit.method, duplicate_of: hit.duplicate_of.to_string() };
            removals.map.insert((file_index, line), (rec.id, removal));
        }
        removals.documents += 1;
        let next = readers[i].next_record()?;
        if let Some(n) = &next {
            heap.push(Reverse((n.file_index, n.line, i)));
        }
        heads[i] = next;
    }
    Ok(removals)
}
