//! What the command tells the person running it on stderr: the connector's capture at the
//! chosen verbosity, and the summary of outcomes at the end.

use std::collections::BTreeMap;

use host_test::records::json::{error_summary, outcome_name};
use host_test::wit::Outcome;
use host_test::{Capture, Level};

/// The longest text from the API or the connector shown on one line of stderr, in characters.
const SHOWN_CHARS: usize = 2000;

/// `text` fit for one line of a terminal: control characters (newlines, escape sequences)
/// are written as `\u{..}` escapes, so an answer cannot forge lines or move the cursor,
/// and text past `SHOWN_CHARS` is cut, saying how much was left out. The outcome files keep
/// the whole text.
pub fn for_terminal(text: &str) -> String {
    let mut shown = String::new();
    let mut chars = text.chars();
    for c in chars.by_ref().take(SHOWN_CHARS) {
        if c.is_control() {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    let left = chars.count();
    if left > 0 {
        shown.push_str(&format!("... ({left} more characters)"));
    }
    shown
}

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
        eprintln!("{}", for_terminal(&record.to_string()));
    }
    if verbose >= 1 {
        for line in &capture.egress {
            eprintln!("[request] {}", for_terminal(line));
        }
    }
    for line in &capture.denied {
        eprintln!("[refused] {}", for_terminal(line));
    }
    if verbose >= 2 {
        for (name, text) in [("stdout", &capture.stdout), ("stderr", &capture.stderr)] {
            for line in text.lines() {
                eprintln!("[guest {name}] {}", for_terminal(line));
            }
        }
    }
}

/// Counts of outcomes by name, and the failures with their records.
#[derive(Default)]
pub struct Tally {
    counts: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
    /// Writes that carried some input field only approximately or not at all.
    lossy: usize,
    pub records: usize,
}

impl Tally {
    pub fn add(&mut self, first_record: usize, outcomes: &[Outcome]) {
        for (i, outcome) in outcomes.iter().enumerate() {
            *self.counts.entry(outcome_name(outcome)).or_default() += 1;
            if let Outcome::Created(w) | Outcome::Updated(w) = outcome
                && !w.losses.is_empty()
            {
                self.lossy += 1;
            }
            if let Outcome::Failed(e) | Outcome::NotAttempted(e) = outcome {
                self.failures.push(format!(
                    "record {}: {}",
                    first_record + i,
                    for_terminal(&error_summary(e))
                ));
            }
        }
        self.records += outcomes.len();
    }

    /// Whether every record succeeded (skips count as success).
    pub fn all_succeeded(&self) -> bool {
        self.failures.is_empty()
    }

    /// `created 10, failed 2` in a fixed order, then how many writes lost fields.
    pub fn counts(&self) -> String {
        let order = [
            "created",
            "updated",
            "deleted",
            "unsubscribed",
            "skipped",
            "failed",
            "not_attempted",
        ];
        let parts: Vec<String> = order
            .iter()
            .filter_map(|name| self.counts.get(name).map(|n| format!("{name} {n}")))
            .collect();
        if parts.is_empty() {
            return "nothing".to_owned();
        }
        let mut line = parts.join(", ");
        if self.lossy > 0 {
            line.push_str(&format!(
                " ({} written with losses: see `losses` in the outcomes)",
                self.lossy
            ));
        }
        line
    }

    /// Prints the failures (up to `limit`) and the counts to stderr.
    pub fn print(&self, activity: &str, limit: usize) {
        for line in self.failures.iter().take(limit) {
            eprintln!("{line}");
        }
        if self.failures.len() > limit {
            eprintln!("... and {} more failures", self.failures.len() - limit);
        }
        eprintln!("{}", self.summary(activity));
    }

    /// `create: 2 records: created 1, failed 1`.
    fn summary(&self, activity: &str) -> String {
        let noun = if self.records == 1 {
            "record"
        } else {
            "records"
        };
        format!("{activity}: {} {noun}: {}", self.records, self.counts())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_record_for_one() {
        let mut tally = Tally {
            records: 1,
            ..Tally::default()
        };
        assert!(
            tally.summary("delete").starts_with("delete: 1 record: "),
            "{}",
            tally.summary("delete")
        );
        tally.records = 2;
        assert!(tally.summary("delete").starts_with("delete: 2 records: "));
    }
    use host_test::wit::{Deletion, Error, FieldLoss, LossKind, Outcome, Unsubscription, Written};

    #[test]
    fn terminal_text_cannot_forge_lines_or_flood() {
        assert_eq!(
            for_terminal("plain: \"ok\" Ünïcode"),
            "plain: \"ok\" Ünïcode"
        );
        assert_eq!(
            for_terminal("evil\n\u{1b}[2Jforged: line\r"),
            "evil\\u{a}\\u{1b}[2Jforged: line\\u{d}"
        );
        let long = "E".repeat(SHOWN_CHARS + 5);
        let shown = for_terminal(&long);
        assert!(shown.starts_with(&"E".repeat(SHOWN_CHARS)), "{shown}");
        assert!(shown.ends_with("EEE... (5 more characters)"), "{shown}");
    }

    #[test]
    fn failures_are_shown_on_one_line() {
        let mut tally = Tally::default();
        tally.add(7, &[Outcome::Failed(Error::InvalidConfig("a\nb".into()))]);
        assert_eq!(tally.failures, ["record 7: invalid_config: a\\u{a}b"]);
        assert!(!tally.all_succeeded());
    }

    #[test]
    fn counts_include_unsubscribed_and_losses() {
        let mut tally = Tally::default();
        let written = |losses: Vec<FieldLoss>| Written {
            contact_id: "c-1".into(),
            notes: vec![],
            losses,
        };
        let fax = FieldLoss {
            field: "fax".into(),
            kind: LossKind::Approximated,
            detail: "written as an other phone".into(),
        };
        tally.add(
            1,
            &[
                Outcome::Unsubscribed(Unsubscription {
                    contact_id: "c-1".into(),
                    already_unsubscribed: false,
                }),
                Outcome::Deleted(Deletion {
                    contact_id: "c-2".into(),
                    already_deleted: false,
                }),
                Outcome::Unsubscribed(Unsubscription {
                    contact_id: "c-3".into(),
                    already_unsubscribed: true,
                }),
                Outcome::Created(written(vec![fax])),
                Outcome::Created(written(vec![])),
            ],
        );
        assert_eq!(
            tally.counts(),
            "created 2, deleted 1, unsubscribed 2 (1 written with losses: see `losses` in the \
             outcomes)"
        );
        assert!(tally.all_succeeded());
    }
}
