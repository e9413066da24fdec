//! The in-memory dedup index: decides, document by document in input order, whether a document
//! duplicates an earlier one. Shared by the single-process [`super::DedupStage`] and by
//! [`super::staged::cluster`], so both modes apply literally the same rule.
//!
//! Memory (no texts are stored): one hash map from exact hash to document ordinal, one map per band
//! from band hash to the first document ordinal that had it, each entry 12 bytes plus hashbrown's
//! 1 control byte, at a load factor between 7/16 and 7/8; plus 4 bytes per document (its cluster's
//! kept document) and, per kept document, its id bytes and an 8-byte offset. With 14 bands that is
//! 15 entries per distinct document: between 15 x 13 / 0.875 = 223 and 15 x 13 / 0.4375 = 446 bytes
//! per document, plus the above. Measured: 445 bytes/document at 1M documents, 357 at 10M (see the
//! module doc of `dedup`).

use super::{DocHashes, Method};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A 64-bit hash stored as two `u32`s, so that a `(Key, u32)` map entry takes 12 bytes, not 16.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key([u32; 2]);

impl Key {
    fn new(h: u64) -> Self {
        Key([h as u32, (h >> 32) as u32])
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(u64::from(self.0[0]) | (u64::from(self.0[1]) << 32));
    }
}

/// The keys are xxh3 outputs, already uniformly distributed: hashing them again is wasted work.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by `Key`; fold anything else in for safety.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Map = HashMap<Key, u32, BuildHasherDefault<IdentityHasher>>;

/// Why a document is removed and which kept document it duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexHit<'a> {
    pub method: Method,
    /// Id of the kept document of the cluster of the earliest matching document.
    pub duplicate_of: &'a str,
}

/// The sequential dedup index (see the module doc for its memory cost).
pub struct DedupIndex {
    exact: Map,
    bands: Vec<Map>,
    /// For every document ordinal, the number of the kept document of its cluster.
    rep: Vec<u32>,
    /// Ids of the kept documents, concatenated; `kept_ends[k]` is the end of kept document `k`'s id.
    kept_ids: String,
    kept_ends: Vec<u64>,
}

impl DedupIndex {
    /// An index for `bands` band hashes per document. `expected_docs` pre-sizes the maps (0: grow).
    pub fn new(bands: usize, expected_docs: usize) -> Self {
        let map = || Map::with_capacity_and_hasher(expected_docs, Default::default());
        DedupIndex {
            exact: map(),
            bands: (0..bands).map(|_| map()).collect(),
            rep: Vec::with_capacity(expected_docs),
            kept_ids: String::new(),
            kept_ends: Vec::new(),
        }
    }

    /// Documents seen so far.
    pub fn len(&self) -> usize {
        self.rep.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rep.is_empty()
    }

    /// Documents kept so far.
    pub fn kept(&self) -> usize {
        self.kept_ends.len()
    }

    fn kept_id(&self, k: u32) -> &str {
        let k = k as usize;
        let start = if k == 0 { 0 } else { self.kept_ends[k - 1] as usize };
        &self.kept_ids[start..self.kept_ends[k] as usize]
    }

    /// Decide the next document in input order and record it. `None`: keep it.
    ///
    /// Rule: an exact duplicate if its exact hash equals an earlier document's; else a near duplicate
    /// if any band hash equals an earlier document's in the same band. The document then joins the
    /// cluster of the earliest such earlier document, whose kept document it names.
    ///
    /// # Panics
    /// After 2^32 - 1 documents (ordinals are `u32`).
    pub fn decide(&mut self, id: &str, hashes: &DocHashes) -> Option<IndexHit<'_>> {
        let ordinal = u32::try_from(self.rep.len()).expect("dedup index holds at most 2^32 - 1 documents");
        let mut hit: Option<(Method, u32)> = None;
        if let Some(h) = hashes.exact {
            match self.exact.entry(Key::new(h)) {
                std::collections::hash_map::Entry::Occupied(e) => hit = Some((Method::Exact, *e.get())),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(ordinal);
                }
            }
        }
        if let Some(bands) = &hashes.bands {
            debug_assert_eq!(bands.len(), self.bands.len());
            let mut earliest: Option<u32> = None;
            for (map, &h) in self.bands.iter_mut().zip(bands.iter()) {
                let first = *map.entry(Key::new(h)).or_insert(ordinal);
                if first != ordinal {
                    earliest = Some(earliest.map_or(first, |e| e.min(first)));
                }
            }
            if hit.is_none() {
                hit = earliest.map(|e| (Method::Minhash, e));
            }
        }
        match hit {
            Some((method, earlier)) => {
                let k = self.rep[earlier as usize];
                self.rep.push(k);
                Some(IndexHit { method, duplicate_of: self.kept_id(k) })
            }
            None => {
                let k = self.kept_ends.len() as u32;
                self.kept_ids.push_str(id);
                self.kept_ends.push(self.kept_ids.len() as u64);
                self.rep.push(k);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(exact: u64, bands: &[u64]) -> DocHashes {
        DocHashes { exact: Some(exact), bands: Some(bands.to_vec()) }
    }

    #[test]
    fn entry_is_twelve_bytes() {
        assert_eq!(std::mem::size_of::<(Key, u32)>(), 12);
    }

    #[test]
    fn chain_points_to_first_kept() {
        let mut ix = DedupIndex::new(2, 0);
        assert_eq!(ix.decide("a", &doc(1, &[10, 20])), None);
        // b shares band 0 with a.
        let hb = ix.decide("b", &doc(2, &[10, 21])).map(|h| (h.method, h.duplicate_of.to_string()));
        assert_eq!(hb, Some((Method::Minhash, "a".to_string())));
        // c shares band 1 only with b (removed): it belongs to a's cluster.
        let hc = ix.decide("c", &doc(3, &[11, 21])).map(|h| (h.method, h.duplicate_of.to_string()));
        assert_eq!(hc, Some((Method::Minhash, "a".to_string())));
        // d is new; e is an exact copy of c -> a.
        assert_eq!(ix.decide("d", &doc(4, &[12, 22])), None);
        let he = ix.decide("e", &doc(3, &[11, 21])).map(|h| (h.method, h.duplicate_of.to_string()));
        assert_eq!(he, Some((Method::Exact, "a".to_string())));
        // f matches d (band 0, ordinal 3) and b (band 1, ordinal 1): the earliest is b -> a.
        let hf = ix.decide("f", &doc(5, &[12, 21])).map(|h| (h.method, h.duplicate_of.to_string()));
        assert_eq!(hf, Some((Method::Minhash, "a".to_string())));
        // g matches only d.
        let hg = ix.decide("g", &doc(6, &[12, 99])).map(|h| (h.method, h.duplicate_of.to_string()));
        assert_eq!(hg, Some((Method::Minhash, "d".to_string())));
        assert_eq!((ix.len(), ix.kept()), (7, 2));
    }

    #[test]
    fn no_hashes_is_kept() {
        let mut ix = DedupIndex::new(2, 0);
        let none = DocHashes { exact: None, bands: None };
        assert_eq!(ix.decide("a", &none), None);
        assert_eq!(ix.decide("b", &none), None);
    }
}
