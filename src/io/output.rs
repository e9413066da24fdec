//! Output destinations — a JSONL file, a single Parquet file, a folder of Parquet shards, or
//! stdout — published atomically: everything is written under a hidden temporary name beside the
//! target and renamed into place by [`Output::commit`]. Dropping an uncommitted `Output` (a failed
//! run) removes the temporary files, so a failed run publishes nothing.

use super::jsonl::JsonlWriter;
use super::parquet::{ShardOptions, ShardWriter};
use super::{Compression, FileKind, IoError};
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where rows go, decided from the `-o` argument.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputKind {
    Stdout,
    Jsonl(Compression),
    ParquetFile,
    ParquetDir,
}

impl OutputKind {
    /// `-` is stdout; `.jsonl[.gz|.zst]` (or `.json`, `.ndjson`) a JSONL file; `.parquet` one Parquet
    /// file; anything else a folder of Parquet shards.
    pub fn from_arg(path: &Path) -> OutputKind {
        if path.as_os_str() == "-" {
            return OutputKind::Stdout;
        }
        match FileKind::from_path(path) {
            Some(FileKind::Jsonl(c)) => OutputKind::Jsonl(c),
            Some(FileKind::Parquet) => OutputKind::ParquetFile,
            // Not writable: `Output::create` refuses it before anything is written.
            Some(FileKind::Warc(_)) => OutputKind::ParquetFile,
            None => OutputKind::ParquetDir,
        }
    }
}

/// `(rank, world_size)` when the run is one of several; names gain `r{rank:05}`.
pub type RankInfo = Option<(usize, usize)>;

enum Writer {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    Jsonl(JsonlWriter),
    Shards(Box<ShardWriter>),
}

/// One file published by a commit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PublishedFile {
    pub path: String,
    pub rows: u64,
    pub bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

pub struct Output {
    kind: OutputKind,
    target: PathBuf,
    tmp: Option<PathBuf>,
    writer: Option<Writer>,
    rank: RankInfo,
    rows: u64,
}

fn tmp_name(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".{name}.sftkit-tmp-{}", std::process::id()))
}

/// `out.jsonl` -> `out.r00001.jsonl` for rank 1 of a multi-rank run.
pub fn ranked_file_name(target: &Path, rank: RankInfo) -> PathBuf {
    let Some((r, w)) = rank else { return target.to_path_buf() };
    if w <= 1 {
        return target.to_path_buf();
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (stem, ext) = match name.find('.') {
        Some(i) => (&name[..i], &name[i..]),
        None => (name.as_str(), ""),
    };
    target.with_file_name(format!("{stem}.r{r:05}{ext}"))
}

impl Output {
    pub fn create(target: &Path, shards: &ShardOptions, rank: RankInfo) -> Result<Output, IoError> {
        if matches!(FileKind::from_path(target), Some(FileKind::Warc(_))) {
            return Err(IoError::format(target, "sftkit reads WARC/WET but writes only .jsonl, .parquet or a folder"));
        }
        let kind = OutputKind::from_arg(target);
        let target = if kind == OutputKind::ParquetDir { target.to_path_buf() } else { ranked_file_name(target, rank) };
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty())
            && kind != OutputKind::Stdout
        {
            std::fs::create_dir_all(parent).map_err(|e| IoError::io(parent, e))?;
        }
        let (tmp, writer) = match &kind {
            OutputKind::Stdout => (None, Writer::Stdout(std::io::BufWriter::with_capacity(1 << 20, std::io::stdout()))),
            OutputKind::Jsonl(c) => {
                let tmp = tmp_name(&target);
                (Some(tmp.clone()), Writer::Jsonl(JsonlWriter::create(&tmp, *c)?))
            }
            OutputKind::ParquetFile | OutputKind::ParquetDir => {
                let tmp = tmp_name(&target);
                if tmp.exists() {
                    std::fs::remove_dir_all(&tmp).map_err(|e| IoError::io(&tmp, e))?;
                }
                std::fs::create_dir_all(&tmp).map_err(|e| IoError::io(&tmp, e))?;
                let mut opts = shards.clone();
                if kind == OutputKind::ParquetFile {
                    opts.max_rows_per_shard = None;
                    opts.max_shard_bytes = u64::MAX;
                } else if let Some((r, w)) = rank
                    && w > 1
                {
                    opts.split = format!("{}-r{r:05}", shards.split);
                }
                (Some(tmp.clone()), Writer::Shards(Box::new(ShardWriter::create(&tmp, opts)?)))
            }
        };
        Ok(Output { kind, target, tmp, writer: Some(writer), rank, rows: 0 })
    }

    pub fn kind(&self) -> &OutputKind {
        &self.kind
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    pub fn write(&mut self, row: &Map<String, Value>) -> Result<(), IoError> {
        self.rows += 1;
        match self.writer.as_mut().expect("write after commit") {
            Writer::Stdout(w) => {
                let mut line = serde_json::to_vec(row).map_err(|e| IoError::Other { message: e.to_string() })?;
                line.push(b'\n');
                w.write_all(&line).map_err(|e| IoError::io(Path::new("<stdout>"), e))
            }
            Writer::Jsonl(w) => w.write_row(row),
            Writer::Shards(w) => w.push(row),
        }
    }

    /// Finish writing and move the result into place. For a Parquet folder, `manifest` (if given)
    /// gains a `files` list and is written as `manifest.json` (`manifest-r{rank}.json` for one rank
    /// of several) — the last file renamed in, so its presence marks a complete output.
    pub fn commit(mut self, manifest: Option<&mut Map<String, Value>>) -> Result<Vec<PublishedFile>, IoError> {
        let writer = self.writer.take().expect("commit once");
        let tmp = self.tmp.take();
        let result = self.commit_inner(writer, tmp.clone(), manifest);
        if result.is_err()
            && let Some(t) = &tmp
        {
            remove_any(t);
        }
        result
    }

    fn commit_inner(
        &mut self,
        writer: Writer,
        tmp: Option<PathBuf>,
        manifest: Option<&mut Map<String, Value>>,
    ) -> Result<Vec<PublishedFile>, IoError> {
        match writer {
            Writer::Stdout(mut w) => {
                w.flush().map_err(|e| IoError::io(Path::new("<stdout>"), e))?;
                Ok(vec![PublishedFile { path: "-".into(), rows: self.rows, bytes: 0, sha256: None }])
            }
            Writer::Jsonl(w) => {
                w.finish()?;
                let tmp = tmp.expect("tmp file");
                let bytes = std::fs::metadata(&tmp).map_err(|e| IoError::io(&tmp, e))?.len();
                std::fs::rename(&tmp, &self.target).map_err(|e| IoError::io(&self.target, e))?;
                Ok(vec![PublishedFile {
                    path: self.target.display().to_string(),
                    rows: self.rows,
                    bytes,
                    sha256: None,
                }])
            }
            Writer::Shards(w) => {
                let tmp = tmp.expect("tmp dir");
                let report = w.finish()?;
                let infos = &report.shards;
                let files: Vec<PublishedFile> = infos
                    .iter()
                    .map(|i| PublishedFile {
                        path: i.file_name.clone(),
                        rows: i.rows,
                        bytes: i.bytes,
                        sha256: Some(i.sha256.clone()),
                    })
                    .collect();
                if self.kind == OutputKind::ParquetFile {
                    let only = &infos[0];
                    let src = tmp.join(&only.file_name);
                    std::fs::rename(&src, &self.target).map_err(|e| IoError::io(&self.target, e))?;
                    remove_any(&tmp);
                    let mut f = files[0].clone();
                    f.path = self.target.display().to_string();
                    return Ok(vec![f]);
                }
                let multi = matches!(self.rank, Some((_, w)) if w > 1);
                let manifest_name = match self.rank {
                    Some((r, w)) if w > 1 => format!("manifest-r{r:05}.json"),
                    _ => "manifest.json".to_string(),
                };
                if let Some(m) = manifest {
                    m.insert("files".into(), json!(files));
                    let fallbacks: Vec<Value> =
                        report.fallbacks.iter().map(|f| json!({"path": f.path, "kinds": f.kinds})).collect();
                    m.insert("json_fallback_columns".into(), Value::Array(fallbacks));
                    m.insert("total_rows".into(), json!(files.iter().map(|f| f.rows).sum::<u64>()));
                    m.insert("total_bytes".into(), json!(files.iter().map(|f| f.bytes).sum::<u64>()));
                    let text = serde_json::to_string_pretty(&Value::Object(m.clone())).expect("json");
                    let mp = tmp.join(&manifest_name);
                    std::fs::write(&mp, text + "\n").map_err(|e| IoError::io(&mp, e))?;
                }
                if multi {
                    // Several ranks share the folder: move files in one by one, manifest last.
                    std::fs::create_dir_all(&self.target).map_err(|e| IoError::io(&self.target, e))?;
                    for f in &files {
                        let dst = self.target.join(&f.path);
                        std::fs::rename(tmp.join(&f.path), &dst).map_err(|e| IoError::io(&dst, e))?;
                    }
                    let mp = tmp.join(&manifest_name);
                    if mp.exists() {
                        let dst = self.target.join(&manifest_name);
                        std::fs::rename(&mp, &dst).map_err(|e| IoError::io(&dst, e))?;
                    }
                    remove_any(&tmp);
                } else {
                    // Replace the whole folder: old one aside, new one in, old one removed.
                    let old = tmp.with_extension("old");
                    let had_old = self.target.exists();
                    if had_old {
                        std::fs::rename(&self.target, &old).map_err(|e| IoError::io(&self.target, e))?;
                    }
                    if let Err(e) = std::fs::rename(&tmp, &self.target) {
                        if had_old {
                            let _ = std::fs::rename(&old, &self.target);
                        }
                        return Err(IoError::io(&self.target, e));
                    }
                    if had_old {
                        remove_any(&old);
                    }
                }
                Ok(files)
            }
        }
    }
}

fn remove_any(p: &Path) {
    if p.is_dir() {
        let _ = std::fs::remove_dir_all(p);
    } else {
        let _ = std::fs::remove_file(p);
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            self.writer.take();
            remove_any(&tmp);
        }
    }
}
