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

/// The Python interpreter the tests use as an independent reader: `$SFTKIT_PYTHON` or `python3`.
pub fn python() -> String {
    std::env::var("SFTKIT_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Can [`python`] import `module`? When not, the test skips with a printed reason — unless
/// `require_var` is set (CI sets it), which makes the absence a failure.
pub fn has_module(module: &str, require_var: &str) -> bool {
    let ok = std::process::Command::new(python())
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os(require_var).is_some() {
            panic!("{require_var} is set but `{} -c 'import {module}'` fails", python());
        }
        eprintln!("skipping: {module} not importable by {} (set {require_var}=1 to fail)", python());
    }
    ok
}

/// Run a Python `script` with `args`; it must succeed and print one JSON value, returned.
pub fn python_json<I, S>(script: &str, args: I) -> serde_json::Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = std::process::Command::new(python()).arg("-c").arg(script).args(args).output().expect("run python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}
