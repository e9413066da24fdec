//! Drop reasons from sftkit manifests (`manifest.json`, `manifest-r00003.json`): the per-stage
//! counts a run wrote beside its shards, summed per job over ranks.

use super::StatsError;
pub use crate::pipeline::executor::StageCounts;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// Row counts of a job, as the manifest's `rows` object has them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RowCounts {
    pub input: u64,
    pub kept: u64,
    pub dropped: u64,
    pub errors: u64,
}

/// A job's counts, summed over the manifests that name it (one per rank).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JobDrops {
    pub job: String,
    pub manifests: Vec<String>,
    pub rows: RowCounts,
    pub stages: Vec<StageCounts>,
}

fn count(v: &Value, key: &str, path: &Path, what: &str) -> Result<u64, StatsError> {
    match v.get(key) {
        Some(n) => n.as_u64().ok_or_else(|| StatsError::manifest(path, format!("{what}.{key} is not a count: {n}"))),
        None => Ok(0),
    }
}

/// Read one manifest and add its counts to `jobs` (jobs and stages keep first-seen order).
pub fn add_manifest(path: &Path, jobs: &mut Vec<JobDrops>) -> Result<(), StatsError> {
    let text = std::fs::read_to_string(path).map_err(|e| crate::io::IoError::io(path, e))?;
    let m: Value = serde_json::from_str(&text)
        .map_err(|e| StatsError::manifest(path, format!("line {}: invalid JSON: {e}", e.line())))?;
    if !m.is_object() {
        return Err(StatsError::manifest(path, "not a JSON object"));
    }
    let name = m.get("job").and_then(Value::as_str).unwrap_or("").to_string();
    let i = match jobs.iter().position(|j| j.job == name) {
        Some(i) => i,
        None => {
            jobs.push(JobDrops { job: name, ..Default::default() });
            jobs.len() - 1
        }
    };
    let job = &mut jobs[i];
    job.manifests.push(path.display().to_string());
    if let Some(rows) = m.get("rows") {
        job.rows.input += count(rows, "input", path, "rows")?;
        job.rows.kept += count(rows, "kept", path, "rows")?;
        job.rows.dropped += count(rows, "dropped", path, "rows")?;
        job.rows.errors += count(rows, "errors", path, "rows")?;
    }
    let stages = match m.get("stages") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(StatsError::manifest(path, "`stages` is not a list")),
    };
    for st in stages {
        let Some(stage) = st.get("stage").and_then(Value::as_str) else {
            return Err(StatsError::manifest(path, format!("a stage without a name: {st}")));
        };
        let j = match job.stages.iter().position(|s| s.stage == stage) {
            Some(j) => j,
            None => {
                job.stages.push(StageCounts { stage: stage.to_string(), ..Default::default() });
                job.stages.len() - 1
            }
        };
        let what = format!("stages[{stage}]");
        let input = count(st, "in", path, &what)?;
        let kept = count(st, "kept", path, &what)?;
        let errors = count(st, "errors", path, &what)?;
        let s = &mut job.stages[j];
        s.input += input;
        s.kept += kept;
        s.errors += errors;
        match st.get("dropped") {
            None | Some(Value::Null) => {}
            Some(Value::Object(d)) => {
                for (reason, n) in d {
                    let n = n.as_u64().ok_or_else(|| {
                        StatsError::manifest(path, format!("{what}.dropped.{reason} is not a count: {n}"))
                    })?;
                    *s.dropped.entry(reason.clone()).or_default() += n;
                }
            }
            Some(other) => return Err(StatsError::manifest(path, format!("{what}.dropped is not an object: {other}"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_of_one_job_add_up() {
        let dir = tempfile::tempdir().unwrap();
        let m = |rank: u64, lang: u64, kept: u64| {
            serde_json::json!({"job": "web", "rank": rank, "rows": {"input": lang + kept, "kept": kept, "dropped": lang, "errors": 0},
                "stages": [{"stage": "language", "in": lang + kept, "kept": kept, "dropped": {"language": lang}, "errors": 0}]})
        };
        let a = dir.path().join("manifest-r00000.json");
        let b = dir.path().join("manifest-r00001.json");
        std::fs::write(&a, m(0, 2, 5).to_string()).unwrap();
        std::fs::write(&b, m(1, 3, 1).to_string()).unwrap();
        let mut jobs = Vec::new();
        add_manifest(&a, &mut jobs).unwrap();
        add_manifest(&b, &mut jobs).unwrap();
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].rows, RowCounts { input: 11, kept: 6, dropped: 5, errors: 0 });
        assert_eq!(jobs[0].stages[0].input, 11);
        assert_eq!(jobs[0].stages[0].dropped["language"], 5);
    }

    #[test]
    fn bad_manifest_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("manifest.json");
        std::fs::write(&p, "{\n  \"job\": \"web\",\n  oops\n}").unwrap();
        let err = add_manifest(&p, &mut Vec::new()).unwrap_err().to_string();
        assert!(err.contains("manifest.json") && err.contains("line 3"), "{err}");
    }
}
