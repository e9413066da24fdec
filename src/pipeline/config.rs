//! Pipeline files (TOML): a list of jobs, each with inputs, stages and an output.
//!
//! ```toml
//! [run]                  # optional defaults for every job; command-line flags override them
//! threads = 0            # 0 = all cores
//! on_error = "fail"      # or "skip"
//!
//! [[job]]
//! name = "web"
//! inputs = ["data/web"]          # files, folders or globs, relative to the current directory
//! output = "out/web"             # folder = Parquet shards; .jsonl[.gz|.zst] or .parquet = one file
//! rejected = "out/web-rejected.jsonl"
//! text_field = "text"
//!
//! [[job.stage]]
//! type = "filter"                # filter | dedup | render | lint
//! name = "gopher_quality"        # the other keys are the stage's own settings
//! ```

use super::executor::OnError;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    pub threads: Option<usize>,
    pub on_error: Option<OnError>,
    pub batch_size: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobConfig {
    pub name: String,
    pub inputs: Vec<String>,
    pub output: String,
    pub rejected: Option<String>,
    pub text_field: Option<String>,
    pub id_field: Option<String>,
    pub split: Option<String>,
    pub max_rows_per_shard: Option<u64>,
    pub max_shard_bytes: Option<u64>,
    #[serde(default, rename = "stage")]
    pub stages: Vec<toml::Table>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineFile {
    #[serde(default)]
    pub run: RunSection,
    #[serde(rename = "job")]
    pub jobs: Vec<JobConfig>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

impl PipelineFile {
    pub fn load(path: &Path) -> Result<PipelineFile, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::File { path: path.display().to_string(), message: e.to_string() })?;
        Self::parse(&text).map_err(|m| ConfigError::File { path: path.display().to_string(), message: m })
    }

    pub fn parse(text: &str) -> Result<PipelineFile, String> {
        let p: PipelineFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if p.jobs.is_empty() {
            return Err("no [[job]] defined".into());
        }
        let mut names = std::collections::HashSet::new();
        for j in &p.jobs {
            if !names.insert(j.name.clone()) {
                return Err(format!("two jobs are named {:?}", j.name));
            }
            for st in &j.stages {
                if !st.contains_key("type") {
                    return Err(format!("job {:?}: a [[job.stage]] has no `type`", j.name));
                }
            }
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_jobs_and_rejects_unknown_keys() {
        let p = PipelineFile::parse(
            "[run]\nthreads = 2\n[[job]]\nname='a'\ninputs=['x']\noutput='o'\n[[job.stage]]\ntype='filter'\nname='length'\n",
        )
        .unwrap();
        assert_eq!(p.run.threads, Some(2));
        assert_eq!(p.jobs[0].stages.len(), 1);
        assert!(PipelineFile::parse("[[job]]\nname='a'\ninputs=['x']\noutput='o'\nbogus=1\n").is_err());
        assert!(PipelineFile::parse("[[job]]\nname='a'\ninputs=['x']\noutput='o'\n[[job.stage]]\nname='x'\n").is_err());
        assert!(PipelineFile::parse("[run]\n").is_err());
    }
}
