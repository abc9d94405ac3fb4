//! What the command tells the person running it on stderr: the connector's capture at the
//! chosen verbosity, and the summary of outcomes at the end.

use std::collections::BTreeMap;

use host_test::records::json::{error_summary, outcome_name};
use host_test::wit::Outcome;
use host_test::{Capture, Level};

/// How much of a capture to show: warnings and refusals always; `-v` adds info records and
/// every request made; `-vv` debug records and the guest's stdout/stderr; `-vvv` trace.
pub fn print_capture(capture: &Capture, verbose: u8) {
    let min = match verbose {
        0 => Level::Warn,
        1 => Level::Info,
        2 => Level::Debug,
        _ => Level::Trace,
    };
    for record in capture.logs_at_least(min) {
        eprintln!("{record}");
    }
    if verbose >= 1 {
        for line in &capture.egress {
            eprintln!("[request] {line}");
        }
    }
    for line in &capture.denied {
        eprintln!("[refused] {line}");
    }
    if verbose >= 2 {
        for (name, text) in [("stdout", &capture.stdout), ("stderr", &capture.stderr)] {
            for line in text.lines() {
                eprintln!("[guest {name}] {line}");
            }
        }
    }
}

/// Counts of outcomes by name, and the failures with their records.
#[derive(Default)]
pub struct Tally {
    counts: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
    pub records: usize,
}

impl Tally {
    pub fn add(&mut self, first_record: usize, outcomes: &[Outcome]) {
        for (i, outcome) in outcomes.iter().enumerate() {
            *self.counts.entry(outcome_name(outcome)).or_default() += 1;
            if let Outcome::Failed(e) | Outcome::NotAttempted(e) = outcome {
                self.failures
                    .push(format!("record {}: {}", first_record + i, error_summary(e)));
            }
        }
        self.records += outcomes.len();
    }

    /// Whether every record succeeded (skips count as success).
    pub fn all_succeeded(&self) -> bool {
        self.failures.is_empty()
    }

    /// `created 10, failed 2` in a fixed order.
    pub fn counts(&self) -> String {
        let order = [
            "created",
            "updated",
            "deleted",
            "skipped",
            "failed",
            "not_attempted",
        ];
        let parts: Vec<String> = order
            .iter()
            .filter_map(|name| self.counts.get(name).map(|n| format!("{name} {n}")))
            .collect();
        if parts.is_empty() {
            "nothing".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// Prints the failures (up to `limit`) and the counts to stderr.
    pub fn print(&self, activity: &str, limit: usize) {
        for line in self.failures.iter().take(limit) {
            eprintln!("{line}");
        }
        if self.failures.len() > limit {
            eprintln!("... and {} more failures", self.failures.len() - limit);
        }
        eprintln!("{activity}: {} records: {}", self.records, self.counts());
    }
}
