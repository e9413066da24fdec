//! Turning the command line's INPUT arguments (files, directories, globs) into a sorted list of
//! data files, and sharing that list among ranks.

use super::{FileKind, IoError};
use std::path::{Path, PathBuf};

/// Expand files, directories (recursively, supported files only) and glob patterns into a list of
/// data files. Directory and glob expansions are sorted by path; explicit arguments keep their
/// order. A path given twice is read once.
pub fn expand_inputs(args: &[String]) -> Result<Vec<PathBuf>, IoError> {
    let mut out: Vec<PathBuf> = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if path.is_dir() {
            let mut found = Vec::new();
            walk_dir(path, &mut found)?;
            found.sort();
            if found.is_empty() {
                return Err(IoError::format(path, "directory holds no .jsonl/.json/.parquet/.warc/.wet files"));
            }
            out.extend(found);
        } else if path.exists() {
            if FileKind::from_path(path).is_none() {
                return Err(IoError::format(
                    path,
                    "unsupported file type (expected .jsonl, .json, .ndjson, .warc, .wet, optionally .gz/.zst, or .parquet)",
                ));
            }
            out.push(path.to_path_buf());
        } else if arg.contains(['*', '?', '[']) {
            let entries =
                glob::glob(arg).map_err(|e| IoError::Other { message: format!("bad glob pattern {arg:?}: {e}") })?;
            let mut found = Vec::new();
            for entry in entries {
                let p = entry.map_err(|e| IoError::io(e.path(), std::io::Error::other(e.to_string())))?;
                if p.is_file() && FileKind::from_path(&p).is_some() {
                    found.push(p);
                }
            }
            found.sort();
            if found.is_empty() {
                return Err(IoError::Other { message: format!("{arg}: glob matched no data files") });
            }
            out.extend(found);
        } else {
            return Err(IoError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

fn walk_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), IoError> {
    let rd = std::fs::read_dir(dir).map_err(|e| IoError::io(dir, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| IoError::io(dir, e))?;
        let p = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue; // hidden files and our own temporary folders
        }
        if p.is_dir() {
            walk_dir(&p, out)?;
        } else if FileKind::from_path(&p).is_some() && !is_manifest(&name.to_string_lossy()) {
            out.push(p);
        }
    }
    Ok(())
}

/// sftkit's own `manifest.json` / `manifest-r00001.json` beside shards: metadata, not rows, so a
/// folder of shards can be read back as input.
fn is_manifest(name: &str) -> bool {
    name == "manifest.json"
        || name
            .strip_prefix("manifest-r")
            .and_then(|r| r.strip_suffix(".json"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The files rank `rank` of `world_size` processes: every file whose index `i` (in the expanded
/// list) satisfies `i % world_size == rank`. Over all ranks every file is taken exactly once.
/// Returns `(global_file_index, path)` pairs.
pub fn partition(files: &[PathBuf], rank: usize, world_size: usize) -> Vec<(usize, PathBuf)> {
    files.iter().enumerate().filter(|(i, _)| i % world_size == rank).map(|(i, p)| (i, p.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_covers_each_file_once() {
        let files: Vec<PathBuf> = (0..11).map(|i| PathBuf::from(format!("f{i}.jsonl"))).collect();
        for w in 1..=5 {
            let mut seen = vec![0; files.len()];
            for r in 0..w {
                for (i, p) in partition(&files, r, w) {
                    assert_eq!(p, files[i]);
                    seen[i] += 1;
                }
            }
            assert!(seen.iter().all(|&c| c == 1), "world size {w}: {seen:?}");
        }
    }

    #[test]
    fn manifests_are_not_data() {
        assert!(is_manifest("manifest.json") && is_manifest("manifest-r00003.json"));
        assert!(!is_manifest("manifest-rx.json") && !is_manifest("data.json"));
    }

    #[test]
    fn kinds_from_names() {
        use super::super::Compression::*;
        assert_eq!(FileKind::from_path(Path::new("a.jsonl")), Some(FileKind::Jsonl(None)));
        assert_eq!(FileKind::from_path(Path::new("a.JSONL.GZ")), Some(FileKind::Jsonl(Gzip)));
        assert_eq!(FileKind::from_path(Path::new("a.json.zst")), Some(FileKind::Jsonl(Zstd)));
        assert_eq!(FileKind::from_path(Path::new("a.parquet")), Some(FileKind::Parquet));
        assert_eq!(FileKind::from_path(Path::new("a.txt")), Option::None);
    }
}
