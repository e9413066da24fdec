//! Exact and near-duplicate removal (MinHash LSH), in one process or in stages over many machines.
//!
//! # Rule (identical in both modes)
//! Documents are visited in global input order (input file index, then line).
//! - **exact**: the xxh3-64 hash of the normalised text ([`normalize::simplify_text`]) equals an earlier
//!   document's. Documents whose normalised text is empty get no exact hash (they are never exact
//!   duplicates: an empty text says nothing about the row).
//! - **minhash** (near): otherwise, any of its LSH band hashes equals an earlier document's in the same
//!   band. Documents with fewer words than one shingle (`n_grams`) have no signature, as in datatrove,
//!   and are never near duplicates.
//!
//! A removed document's `duplicate_of` is the id of the kept document of the cluster of the earliest
//! matching earlier document (removed documents join their match's cluster, so every cluster's kept
//! document is its first in input order). Removed rows carry
//! `{"method": "exact"|"minhash", "duplicate_of": KEPT_ID}`.
//!
//! # Detection probability
//! Two documents whose shingle sets have Jaccard similarity `s` share at least one band with
//! probability `P = 1 - (1 - s^r)^b`. For the default `b = 14` bands of `r = 8` rows:
//!
//! | s    | 0.50   | 0.60   | 0.70   | 0.75   | 0.80   | 0.85   | 0.90   | 0.95          |
//! |------|--------|--------|--------|--------|--------|--------|--------|---------------|
//! | P    | 0.0533 | 0.2111 | 0.5645 | 0.7716 | 0.9235 | 0.9884 | 0.9996 | 1 - 2.4e-7    |
//!
//! The threshold `(1/b)^(1/r)` is 0.72. Editing a fraction `e` of the words breaks up to 5 shingles per
//! edit, so `s` is about `(1 - 5e) / (1 + 5e)`: 0.90 at 1% edits, 0.82 at 2%.
//!
//! # Memory
//! The index keeps 15 hash-map entries of 12 bytes (+1 control byte) per distinct document (exact +
//! 14 bands), 4 bytes per document and the ids of kept documents; no texts. Measured with
//! `dedup_bench memory N` (peak RSS growth, 12-byte ids, all documents distinct, release build):
//! 445 bytes/document at 1 million (hash tables just after doubling: load 0.48), 357 bytes/document at
//! 10 million (3.49 GB peak RSS), so 10 million documents fit in 4 GB. The cluster stage streams the
//! signature files and holds only this index.

pub mod files;
pub mod index;
pub mod minhash;
pub mod normalize;
pub mod staged;
mod unicode_tables;

use crate::pipeline::stage::OrderedStage;
use crate::record::{Record, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub use index::DedupIndex;
pub use minhash::MinHasher;
pub use normalize::simplify_text;
pub use staged::{Removal, Removals, SignatureWriter, cluster};

/// Dedup settings (`[dedup]` in the config file). Defaults are datatrove 0.10.1's `MinhashConfig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DedupConfig {
    /// Remove exact duplicates of the normalised text. Default `true`.
    pub exact: bool,
    /// Remove near duplicates (MinHash LSH). Default `true`.
    pub minhash: bool,
    /// Words per shingle. Default 5 (datatrove `MinhashConfig.n_grams`).
    pub n_grams: usize,
    /// LSH bands. Default 14 (datatrove `MinhashConfig.num_buckets`).
    pub bands: usize,
    /// MinHash values per band. Default 8 (datatrove `MinhashConfig.hashes_per_bucket`).
    pub rows: usize,
    /// Seed of the permutations; every rank must use the same. Default 1 (datatrove `MinhashConfig.seed`).
    pub seed: u64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig { exact: true, minhash: true, n_grams: 5, bands: 14, rows: 8, seed: 1 }
    }
}

impl DedupConfig {
    pub fn validate(&self) -> Result<(), DedupError> {
        if self.minhash && (self.n_grams == 0 || self.bands == 0 || self.rows == 0) {
            return Err(DedupError::Config("n_grams, bands and rows must be at least 1".into()));
        }
        if !self.exact && !self.minhash {
            return Err(DedupError::Config("at least one of exact and minhash must be on".into()));
        }
        Ok(())
    }

    /// Bands the index keeps (0 when minhash is off).
    pub fn index_bands(&self) -> usize {
        if self.minhash { self.bands } else { 0 }
    }
}

/// Errors of the dedup module.
#[derive(Debug, thiserror::Error)]
pub enum DedupError {
    #[error("invalid dedup config: {0}")]
    Config(String),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("signature file {path}: {message}")]
    BadSignatureFile { path: String, message: String },
    #[error("removal list {path}, line {line}: {message}")]
    BadRemovals { path: String, line: usize, message: String },
}

impl DedupError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        DedupError::Io { path: path.display().to_string(), source }
    }
}

/// How a removed document was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Exact,
    Minhash,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Minhash => "minhash",
        }
    }
}

/// What the index needs of one document: computed in parallel, decided in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocHashes {
    /// Hash of the normalised text; `None` when exact dedup is off or the normalised text is empty.
    pub exact: Option<u64>,
    /// One hash per band; `None` when minhash is off or the text has fewer than `n_grams` words.
    pub bands: Option<Vec<u64>>,
}

/// Computes [`DocHashes`] for a configuration (cheap to share across threads).
#[derive(Debug, Clone)]
pub struct DocHasher {
    cfg: DedupConfig,
    minhasher: Option<MinHasher>,
}

impl DocHasher {
    pub fn new(cfg: &DedupConfig) -> Result<Self, DedupError> {
        cfg.validate()?;
        let minhasher = cfg.minhash.then(|| MinHasher::new(cfg.n_grams, cfg.bands, cfg.rows, cfg.seed));
        Ok(DocHasher { cfg: cfg.clone(), minhasher })
    }

    pub fn hash(&self, text: &str) -> DocHashes {
        let normalized = simplify_text(text);
        let exact =
            (self.cfg.exact && !normalized.is_empty()).then(|| xxhash_rust::xxh3::xxh3_64(normalized.as_bytes()));
        let bands = self.minhasher.as_ref().and_then(|m| m.band_hashes_of_text(&normalized));
        DocHashes { exact, bands }
    }
}

/// The `{"method": .., "duplicate_of": ..}` object stored with a removed row.
pub fn removal_detail(method: Method, duplicate_of: &str) -> serde_json::Value {
    json!({"method": method.as_str(), "duplicate_of": duplicate_of})
}

/// The single-process dedup stage: `prepare` hashes the text (parallel), `decide` consults and
/// updates the index in input order.
pub struct DedupStage {
    hasher: DocHasher,
    index: DedupIndex,
    text_field: String,
}

impl DedupStage {
    /// Dedup on the string field `text_field` (records without it are errors).
    pub fn new(cfg: DedupConfig, text_field: impl Into<String>) -> Result<Self, DedupError> {
        let hasher = DocHasher::new(&cfg)?;
        let index = DedupIndex::new(cfg.index_bands(), 0);
        Ok(DedupStage { hasher, index, text_field: text_field.into() })
    }

    /// The index (e.g. to report documents seen and kept).
    pub fn index(&self) -> &DedupIndex {
        &self.index
    }
}

impl OrderedStage for DedupStage {
    type Prepared = DocHashes;

    fn name(&self) -> &str {
        "dedup"
    }

    fn prepare(&self, rec: &Record) -> Result<DocHashes, String> {
        match rec.str_field(&self.text_field) {
            Some(text) => Ok(self.hasher.hash(text)),
            None => Err(format!("field `{}` is missing or not a string", self.text_field)),
        }
    }

    fn decide(&mut self, rec: &mut Record, prepared: DocHashes) -> Verdict {
        match self.index.decide(&rec.id, &prepared) {
            None => Verdict::Keep,
            Some(hit) => {
                Verdict::Drop { reason: "duplicate".into(), detail: Some(removal_detail(hit.method, hit.duplicate_of)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_and_unknown_fields() {
        let cfg: DedupConfig = serde_json::from_str("{}").unwrap();
        assert_eq!((cfg.n_grams, cfg.bands, cfg.rows, cfg.seed), (5, 14, 8, 1));
        assert!(cfg.exact && cfg.minhash);
        assert!(serde_json::from_str::<DedupConfig>(r#"{"band": 3}"#).is_err());
        let bad = DedupConfig { rows: 0, ..Default::default() };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn short_and_empty_texts() {
        let h = DocHasher::new(&DedupConfig::default()).unwrap();
        let four = h.hash("one two three four");
        assert!(four.exact.is_some() && four.bands.is_none());
        let five = h.hash("one two three four five");
        assert_eq!(five.bands.as_ref().map(Vec::len), Some(14));
        assert_eq!(h.hash(" ... !!! ").exact, None);
    }
}
