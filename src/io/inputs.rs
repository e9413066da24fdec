//! Turning the command line's INPUT arguments (files, directories, globs) into a sorted list of
//! data files, and sharing that list among ranks.

use super::{FileKind, IoError};
use std::path::{Path, PathBuf};

/// Expand files, directories (recursively, supported files only) and glob patterns into a list of
/// data files. Directory and glob expansions are sorted by path; explicit arguments keep their
/// order. A path given twice is read once. sftkit's own manifests (`manifest.json`,
/// `manifest-r00001.json`) found in a directory or matched by a glob are metadata, not rows, and
/// are left out.
pub fn expand_inputs(args: &[String]) -> Result<Vec<PathBuf>, IoError> {
    Ok(expand(args, false)?.data)
}

/// Data files and sftkit manifests named by the INPUT arguments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expanded {
    pub data: Vec<PathBuf>,
    pub manifests: Vec<PathBuf>,
}

/// As [`expand_inputs`], but keeps the manifests found beside the data (and any manifest file named
/// explicitly) in [`Expanded::manifests`], for commands that read them (`sftkit stats`). A folder
/// holding only manifests is not an error here.
pub fn expand_inputs_with_manifests(args: &[String]) -> Result<Expanded, IoError> {
    expand(args, true)
}

fn expand(args: &[String], keep_manifests: bool) -> Result<Expanded, IoError> {
    let mut out = Expanded::default();
    for arg in args {
        let path = Path::new(arg);
        if path.is_dir() {
            let mut found = Expanded::default();
            walk_dir(path, &mut found)?;
            found.data.sort();
            found.manifests.sort();
            if found.data.is_empty() && (!keep_manifests || found.manifests.is_empty()) {
                return Err(IoError::format(path, "directory holds no .jsonl/.json/.parquet/.warc/.wet files"));
            }
            out.data.extend(found.data);
            out.manifests.extend(found.manifests);
        } else if path.exists() {
            if keep_manifests && path.is_file() && is_manifest_path(path) {
                out.manifests.push(path.to_path_buf());
                continue;
            }
            if FileKind::from_path(path).is_none() {
                return Err(IoError::format(
                    path,
                    "unsupported file type (expected .jsonl, .json, .ndjson, .warc, .wet, optionally .gz/.zst, or .parquet)",
                ));
            }
            out.data.push(path.to_path_buf());
        } else if arg.contains(['*', '?', '[']) {
            let entries =
                glob::glob(arg).map_err(|e| IoError::Other { message: format!("bad glob pattern {arg:?}: {e}") })?;
            let mut found = Expanded::default();
            for entry in entries {
                let p = entry.map_err(|e| IoError::io(e.path(), std::io::Error::other(e.to_string())))?;
                if !p.is_file() {
                    continue;
                }
                if is_manifest_path(&p) {
                    found.manifests.push(p);
                } else if FileKind::from_path(&p).is_some() {
                    found.data.push(p);
                }
            }
            found.data.sort();
            found.manifests.sort();
            if found.data.is_empty() && (!keep_manifests || found.manifests.is_empty()) {
                return Err(IoError::Other { message: format!("{arg}: glob matched no data files") });
            }
            out.data.extend(found.data);
            out.manifests.extend(found.manifests);
        } else {
            return Err(IoError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.data.retain(|p| seen.insert(p.clone()));
    out.manifests.retain(|p| seen.insert(p.clone()));
    if !keep_manifests {
        out.manifests.clear();
    }
    Ok(out)
}

fn walk_dir(dir: &Path, out: &mut Expanded) -> Result<(), IoError> {
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
        } else if is_manifest(&name.to_string_lossy()) {
            out.manifests.push(p);
        } else if FileKind::from_path(&p).is_some() {
            out.data.push(p);
        }
    }
    Ok(())
}

fn is_manifest_path(path: &Path) -> bool {
    path.file_name().is_some_and(|n| is_manifest(&n.to_string_lossy()))
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
    fn manifests_are_kept_apart_from_data() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("shards")).unwrap();
        for f in ["shards/train-00000-of-00001.parquet", "shards/manifest.json", "shards/manifest-r00001.json"] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        std::fs::create_dir(d.join("only")).unwrap();
        std::fs::write(d.join("only/manifest.json"), b"{}").unwrap();
        let s = |p: &str| d.join(p).to_string_lossy().into_owned();
        let e = expand_inputs_with_manifests(&[s("shards")]).unwrap();
        assert_eq!(e.data, vec![d.join("shards/train-00000-of-00001.parquet")]);
        assert_eq!(e.manifests, vec![d.join("shards/manifest-r00001.json"), d.join("shards/manifest.json")]);
        // a glob matching a manifest: data for nobody, a manifest for stats
        let g = s("shards/*.json*");
        assert!(expand_inputs(std::slice::from_ref(&g)).is_err(), "no data files matched");
        assert_eq!(expand_inputs_with_manifests(&[g]).unwrap().manifests.len(), 2);
        // an explicit manifest file; a folder of manifests only
        let e = expand_inputs_with_manifests(&[s("shards/manifest.json"), s("only")]).unwrap();
        assert!(e.data.is_empty());
        assert_eq!(e.manifests, vec![d.join("shards/manifest.json"), d.join("only/manifest.json")]);
        assert!(expand_inputs(&[s("only")]).is_err());
        assert_eq!(expand_inputs(&[s("shards")]).unwrap(), vec![d.join("shards/train-00000-of-00001.parquet")]);
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
