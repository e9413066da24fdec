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

/// Run the `sftkit` binary with `args` in `cwd`.
pub fn sftkit(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sftkit")).args(args).current_dir(cwd).output().expect("run sftkit")
}

/// Assert that a run of [`sftkit`] succeeded, showing its stderr when not.
pub fn ok(out: &std::process::Output) {
    assert!(out.status.success(), "sftkit failed: {}\nstderr:\n{}", out.status, String::from_utf8_lossy(&out.stderr));
}

/// The rows of a JSONL file (plain, `.gz` with any number of members, or `.zst`).
pub fn read_jsonl(path: &std::path::Path) -> Vec<serde_json::Value> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.to_string_lossy();
    let text = if name.ends_with(".gz") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut s).unwrap();
        s
    } else if name.ends_with(".zst") {
        String::from_utf8(zstd::decode_all(&bytes[..]).unwrap()).unwrap()
    } else {
        String::from_utf8(bytes).unwrap()
    };
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Write `rows` as JSONL, one compact object a line.
pub fn write_jsonl(path: &std::path::Path, rows: &[serde_json::Value]) {
    let mut s = String::new();
    for r in rows {
        s.push_str(&serde_json::to_string(r).unwrap());
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

/// `bytes` as one gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut e, bytes).unwrap();
    e.finish().unwrap()
}

/// A copy of the project's data/, pipelines/, templates/ and guidelines/ in a temporary folder, so
/// tests that run the bundled pipeline do not race on `out/`.
pub fn project_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["data", "pipelines", "templates", "guidelines"] {
        copy_dir(&root.join(sub), &dir.path().join(sub));
    }
    dir
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    if !from.exists() {
        return;
    }
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}
