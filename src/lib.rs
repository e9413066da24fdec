//! sftkit: clean web text, render chat finetuning sets, lint annotations, export Parquet shards.
//!
//! Layout: `io` (readers, writers, atomic outputs), `pipeline` (stages, executor, jobs, configs),
//! `web` (text filters and dedup), `chat` (conversation formats and chat templates), `lint`
//! (annotation guideline rules and reports), `stats` (polars analytics over shards), `cli` (the
//! command line).

pub mod chat;
pub mod cli;
pub mod io;
pub mod lint;
pub mod pipeline;
pub mod progress;
pub mod record;
pub mod stats;
pub mod web;
