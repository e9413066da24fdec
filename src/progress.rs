//! Progress on stderr (records/s, MB/s), only when stderr is a terminal and not `--quiet`.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Instant;

pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
}

impl Progress {
    pub fn new(enabled: bool, label: &str) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::new_spinner();
            b.set_style(ProgressStyle::with_template("{spinner} {prefix} {msg}").expect("valid template"));
            b.set_prefix(label.to_string());
            b.enable_steady_tick(std::time::Duration::from_millis(200));
            b
        });
        Progress { bar, start: Instant::now() }
    }

    pub fn update(&self, rows: u64, bytes: u64) {
        if let Some(b) = &self.bar {
            let secs = self.start.elapsed().as_secs_f64().max(1e-6);
            b.set_message(format!(
                "{rows} records, {:.1} MB  ({:.0} records/s, {:.1} MB/s)",
                bytes as f64 / 1e6,
                rows as f64 / secs,
                bytes as f64 / 1e6 / secs
            ));
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
