//! The `Stage` abstraction that filters, dedup, render and lint plug into.

use crate::record::{Record, Verdict};

/// A step of a pipeline that looks at records one at a time.
///
/// `process` is called from several threads at once for the records of one batch, so a stage
/// must not depend on the order in which records reach it. Stages that keep state across
/// records (dedup) implement [`OrderedStage`] instead.
pub trait Stage: Send + Sync {
    /// The stage's name, as shown in summaries and in `_rejected.stage`.
    fn name(&self) -> &str;
    /// Decide the record's fate; the stage may edit `rec.fields` (e.g. C4 line removal rewrites
    /// `text`, language id adds `language`).
    fn process(&self, rec: &mut Record) -> Verdict;
}

/// A stage whose decisions depend on earlier records (dedup): records of a batch are first
/// prepared in parallel, then decided one by one in input order.
pub trait OrderedStage: Send + Sync {
    type Prepared: Send;
    fn name(&self) -> &str;
    /// Parallel, order-independent work (e.g. MinHash signature of the text).
    fn prepare(&self, rec: &Record) -> Result<Self::Prepared, String>;
    /// Sequential decision in input order (e.g. index insert and lookup).
    fn decide(&mut self, rec: &mut Record, prepared: Self::Prepared) -> Verdict;
}
