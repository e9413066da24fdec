//! Web text for pretraining corpora: datatrove-compatible quality filters, the Python-compatible
//! text primitives and spaCy-compatible tokenizer they count on, and deduplication.

pub mod dedup;
pub mod filters;
pub mod text;
pub mod tokenizer;

mod tables;
