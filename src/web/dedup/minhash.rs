//! MinHash signatures over word n-gram shingles, and their LSH band hashes.
//!
//! Shingles are formed as datatrove's `MinhashDedupSignature.get_shingles` forms them: the words of
//! the *normalised* text ([`super::normalize::simplify_text`]), every run of `n_grams` consecutive
//! words joined by one space and hashed to 64 bits (datatrove: xxhash64; here xxh3-64 of the same
//! bytes). A document with fewer than `n_grams` words has no shingle, hence no signature: datatrove
//! writes no signature for it, so it can never be a near duplicate (exact dedup still applies).
//!
//! Words: datatrove splits the normalised text with its language word tokenizer (spaCy's blank
//! English tokenizer for English). After `simplify_text` almost all of spaCy's splits are on spaces;
//! the rest (`‘` and currency prefixes, unit suffixes such as `0gb`, `cannot` -> `can not`, `dont` ->
//! `do nt`) are not reproduced: we split on whitespace, for every language. Both copies of a
//! duplicate pair go through the same splitter, so this changes which shingles exist, not the
//! quality of the detection.
//!
//! Permutations: `h_i(x) = (a_i * x + b_i) mod 2^64`, the minimum of each over the shingle hashes
//! `x`. This is datatrove's family as it really runs: it computes `(a_i * x + b_i) % (2^61 - 1)` in
//! numpy `uint64`, whose product and sum wrap mod 2^64 before the `%`; we drop the final `%`, which
//! only folds the top of the range. `a_i` (odd) and `b_i` are drawn from `seed` with SplitMix64
//! (datatrove uses numpy's RandomState), so signatures are not bit-identical to datatrove's. The loop
//! is compiled for AVX-512 and AVX2 too and picked at run time; all paths give the same values.

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Computes MinHash signatures and LSH band hashes for one configuration.
#[derive(Debug, Clone)]
pub struct MinHasher {
    n_grams: usize,
    bands: usize,
    rows: usize,
    a: Vec<u64>,
    b: Vec<u64>,
}

impl MinHasher {
    /// `bands * rows` permutations drawn from `seed`. `n_grams`, `bands` and `rows` must be >= 1
    /// (checked by [`super::DedupConfig::validate`]).
    pub fn new(n_grams: usize, bands: usize, rows: usize, seed: u64) -> Self {
        let num_perm = bands * rows;
        let mut state = seed;
        let mut a = Vec::with_capacity(num_perm);
        let mut b = Vec::with_capacity(num_perm);
        for _ in 0..num_perm {
            a.push(splitmix64(&mut state) | 1);
            b.push(splitmix64(&mut state));
        }
        MinHasher { n_grams, bands, rows, a, b }
    }

    pub fn num_perm(&self) -> usize {
        self.a.len()
    }

    pub fn bands(&self) -> usize {
        self.bands
    }

    /// The 64-bit hashes of the word n-grams of `normalized` (output of `simplify_text`), in text order
    /// (repeats included). Empty when the text has fewer than `n_grams` words.
    pub fn shingles(&self, normalized: &str) -> Vec<u64> {
        let n = self.n_grams;
        // Byte spans of the words.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        let bytes = normalized.as_bytes();
        // Whitespace other than ' ' starts with one of these bytes (ASCII controls 9-13, or the
        // lead byte of U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000); without them, the words
        // are the non-empty pieces between spaces.
        if !bytes.iter().any(|&b| matches!(b, 9..=13 | 0xC2 | 0xE1 | 0xE2 | 0xE3)) {
            let mut from = 0usize;
            for i in memchr::memchr_iter(b' ', bytes) {
                if i > from {
                    spans.push((from, i));
                }
                from = i + 1;
            }
            if from < bytes.len() {
                start = Some(from);
            }
        } else {
            for (i, c) in normalized.char_indices() {
                if c.is_whitespace() {
                    if let Some(s) = start.take() {
                        spans.push((s, i));
                    }
                } else if start.is_none() {
                    start = Some(i);
                }
            }
        }
        if let Some(s) = start {
            spans.push((s, normalized.len()));
        }
        if spans.len() < n {
            return Vec::new();
        }
        // `simplify_text` leaves single ASCII spaces between words (except, rarely, where it dropped a
        // lone combining mark), so an n-gram joined by " " is usually a slice of the text itself.
        let single_spaced = spans.windows(2).all(|w| w[1].0 == w[0].1 + 1 && normalized.as_bytes()[w[0].1] == b' ');
        let mut out = Vec::with_capacity(spans.len() + 1 - n);
        let mut buf = String::new();
        for i in 0..=spans.len() - n {
            if single_spaced {
                out.push(xxh3_64(&normalized.as_bytes()[spans[i].0..spans[i + n - 1].1]));
            } else {
                buf.clear();
                for (k, &(s, e)) in spans[i..i + n].iter().enumerate() {
                    if k > 0 {
                        buf.push(' ');
                    }
                    buf.push_str(&normalized[s..e]);
                }
                out.push(xxh3_64(buf.as_bytes()));
            }
        }
        out
    }

    /// The MinHash signature (`bands * rows` values) of a set of shingle hashes; `None` when empty.
    pub fn signature(&self, shingles: &[u64]) -> Option<Vec<u64>> {
        if shingles.is_empty() {
            return None;
        }
        let mut mins = vec![u64::MAX; self.num_perm()];
        min_hashes(shingles, &self.a, &self.b, &mut mins);
        Some(mins)
    }

    /// One 64-bit hash per band: xxh3 of the band's `rows` values (little-endian), seeded by the band
    /// index. Two documents collide in band `j` iff (up to a 2^-64 chance) their rows of band `j` agree.
    pub fn band_hashes(&self, signature: &[u64]) -> Vec<u64> {
        signature
            .chunks_exact(self.rows)
            .enumerate()
            .map(|(j, rows)| {
                let mut bytes = Vec::with_capacity(8 * rows.len());
                for r in rows {
                    bytes.extend_from_slice(&r.to_le_bytes());
                }
                xxh3_64_with_seed(&bytes, j as u64)
            })
            .collect()
    }

    /// Normalised text -> band hashes, or `None` when the text has fewer than `n_grams` words.
    pub fn band_hashes_of_text(&self, normalized: &str) -> Option<Vec<u64>> {
        let sig = self.signature(&self.shingles(normalized))?;
        Some(self.band_hashes(&sig))
    }
}

/// `mins[i] = min(mins[i], min over x of a[i] * x + b[i] (mod 2^64))`, on the widest SIMD available.
fn min_hashes(shingles: &[u64], a: &[u64], b: &[u64], mins: &mut [u64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512dq") {
            // SAFETY: the CPU has the features the function is compiled for.
            return unsafe { min_hashes_avx512(shingles, a, b, mins) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { min_hashes_avx2(shingles, a, b, mins) };
        }
    }
    min_hashes_generic(shingles, a, b, mins)
}

#[inline(always)]
fn min_hashes_generic(shingles: &[u64], a: &[u64], b: &[u64], mins: &mut [u64]) {
    let n = mins.len().min(a.len()).min(b.len());
    let (a, b, mins) = (&a[..n], &b[..n], &mut mins[..n]);
    for &x in shingles {
        for i in 0..n {
            let h = a[i].wrapping_mul(x).wrapping_add(b[i]);
            mins[i] = mins[i].min(h);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn min_hashes_avx512(shingles: &[u64], a: &[u64], b: &[u64], mins: &mut [u64]) {
    min_hashes_generic(shingles, a, b, mins)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn min_hashes_avx2(shingles: &[u64], a: &[u64], b: &[u64], mins: &mut [u64]) {
    min_hashes_generic(shingles, a, b, mins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_paths_agree_with_scalar() {
        let h = MinHasher::new(5, 14, 8, 3);
        let mut state = 1u64;
        let shingles: Vec<u64> = (0..1000).map(|_| splitmix64(&mut state)).collect();
        let mut scalar = vec![u64::MAX; h.num_perm()];
        for &x in &shingles {
            for ((m, &a), &b) in scalar.iter_mut().zip(&h.a).zip(&h.b) {
                *m = (*m).min(a.wrapping_mul(x).wrapping_add(b));
            }
        }
        assert_eq!(h.signature(&shingles).unwrap(), scalar);
    }

    #[test]
    fn shingles_are_hashes_of_joined_ngrams() {
        let h = MinHasher::new(3, 1, 1, 1);
        let sh = h.shingles("a bb c dd");
        assert_eq!(sh, vec![xxh3_64(b"a bb c"), xxh3_64(b"bb c dd")]);
        // A double space (lone mark removed by simplify_text) still joins with one space.
        assert_eq!(h.shingles("a  bb c"), vec![xxh3_64(b"a bb c")]);
        // other whitespace splits words too
        assert_eq!(h.shingles(" a\u{a0}bb\tc  "), vec![xxh3_64(b"a bb c")]);
        assert_eq!(h.shingles(" a bb c "), vec![xxh3_64(b"a bb c")]);
        assert!(h.shingles("a bb").is_empty());
    }

    #[test]
    fn signature_estimates_jaccard() {
        // Two sets of 1000 random shingles sharing 600: Jaccard 600/1400 = 0.4286. With 112
        // permutations the estimate's standard deviation is sqrt(J(1-J)/112) = 0.047; average over 20
        // seeds brings it to 0.0105, so 0.05 is more than 4 sigma.
        let mut state = 7u64;
        let common: Vec<u64> = (0..600).map(|_| splitmix64(&mut state)).collect();
        let mut x = common.clone();
        let mut y = common;
        x.extend((0..400).map(|_| splitmix64(&mut state)));
        y.extend((0..400).map(|_| splitmix64(&mut state)));
        let mut total = 0.0;
        for seed in 0..20 {
            let h = MinHasher::new(5, 14, 8, seed);
            let (sx, sy) = (h.signature(&x).unwrap(), h.signature(&y).unwrap());
            total += sx.iter().zip(&sy).filter(|(a, b)| a == b).count() as f64 / sx.len() as f64;
        }
        let est = total / 20.0;
        assert!((est - 600.0 / 1400.0).abs() < 0.05, "estimate {est}");
    }
    #[test]
    fn lsh_candidate_rate_follows_the_curve() {
        // 500 pairs of random shingle sets with c common and u own shingles each, Jaccard c/(c+2u).
        // Expected rates 1-(1-J^8)^14 computed in Python: J=0.8018 -> 0.9274 (sd 0.0116 over 500
        // pairs), J=0.6 -> 0.2111 (sd 0.0183). Tolerance: about 4 sd.
        let h = MinHasher::new(5, 14, 8, 1);
        let mut state = 99u64;
        for (c, u, expected, tol) in [(178usize, 22usize, 0.9274, 0.045), (150, 50, 0.2111, 0.07)] {
            let mut hits = 0;
            for _ in 0..500 {
                let common: Vec<u64> = (0..c).map(|_| splitmix64(&mut state)).collect();
                let mut x = common.clone();
                let mut y = common;
                x.extend((0..u).map(|_| splitmix64(&mut state)));
                y.extend((0..u).map(|_| splitmix64(&mut state)));
                let bx = h.band_hashes(&h.signature(&x).unwrap());
                let by = h.band_hashes(&h.signature(&y).unwrap());
                hits += usize::from(bx.iter().zip(&by).any(|(a, b)| a == b));
            }
            let rate = hits as f64 / 500.0;
            println!("c={c} u={u}: candidate rate {rate}, curve {expected}");
            assert!((rate - expected).abs() < tol, "c={c} u={u}: rate {rate}, expected {expected}");
        }
    }
}
