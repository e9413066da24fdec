//! Parquet input and output.
//!
//! - [`read_parquet`] streams rows out of a Parquet file, one record batch at a time.
//! - [`ShardWriter`] spools rows, infers one schema over all of them ([`super::schema`]) and
//!   writes `{split}-{index:05}-of-{count:05}.parquet` shards.
//! - [`SingleFileWriter`] does the same into one named file (`-o out.parquet`).

mod read;
mod write;

pub use read::{ParquetRows, read_parquet};
pub use write::{ShardInfo, ShardOptions, ShardWriter, SingleFileWriter, WriteReport};
