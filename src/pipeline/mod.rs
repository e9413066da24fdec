//! Stage trait, streaming executor, accounting, jobs and TOML pipeline configs.
pub mod config;
pub mod executor;
pub mod job;
pub mod registry;
pub mod stage;
