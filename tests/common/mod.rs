//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The `../shared` fixtures folder beside the project (or `$SFTKIT_SHARED`).
///
/// Returns `None` — after printing why — when it is absent, so that a user's fresh clone can run
/// the suite; CI always has it, and `.ci/run` sets `SFTKIT_REQUIRE_SHARED=1` so that a missing
/// folder fails there instead of skipping.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SFTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("fixtures").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("SFTKIT_REQUIRE_SHARED").is_some() {
        panic!("SFTKIT_REQUIRE_SHARED is set but {} has no fixtures/", dir.display());
    }
    eprintln!("skipping: shared fixtures not found at {} (set SFTKIT_SHARED)", dir.display());
    None
}

/// `shared_dir()/fixtures/<rel>`, or return from the calling test (skip) when absent.
#[macro_export]
macro_rules! fixture_or_skip {
    ($rel:expr) => {
        match common::shared_dir() {
            Some(d) => d.join("fixtures").join($rel),
            None => return,
        }
    };
}
