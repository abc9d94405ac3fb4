//! The batch runner of the write activities: exactly one outcome per record, in input order;
//! after a fatal error every later record is `not-attempted` with that error. It logs a
//! debug line per failed record and one info line with the counts.

use crate::errors::{is_fatal, summary};
use crate::log::Log;
use crate::wit::{Error, Outcome};

/// The write activities, each with the outcome counts its summary always shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    Create,
    Update,
    Delete,
}

impl Activity {
    pub fn name(self) -> &'static str {
        match self {
            Activity::Create => "create",
            Activity::Update => "update",
            Activity::Delete => "delete",
        }
    }

    fn context(self) -> &'static str {
        match self {
            Activity::Create => "cc-connector::create",
            Activity::Update => "cc-connector::update",
            Activity::Delete => "cc-connector::delete",
        }
    }

    fn always_shown(self) -> &'static [&'static str] {
        match self {
            Activity::Create => &["created", "skipped", "failed", "not attempted"],
            Activity::Update => &["updated", "failed", "not attempted"],
            Activity::Delete => &["deleted", "failed", "not attempted"],
        }
    }
}

/// Runs `one` on each record until a fatal error, then marks the rest.
pub fn run_batch<T>(
    log: &Log,
    activity: Activity,
    records: Vec<T>,
    mut one: impl FnMut(T) -> Outcome,
) -> Vec<Outcome> {
    let mut fatal: Option<Error> = None;
    let mut outcomes = Vec::with_capacity(records.len());
    for (index, record) in records.into_iter().enumerate() {
        let outcome = match &fatal {
            Some(error) => Outcome::NotAttempted(error.clone()),
            None => one(record),
        };
        if let Outcome::Failed(error) = &outcome {
            log.debug(
                activity.context(),
                &format!(
                    "{}: record {index} failed: {}",
                    activity.name(),
                    summary(error)
                ),
            );
            if is_fatal(error) {
                fatal = Some(error.clone());
            }
        }
        outcomes.push(outcome);
    }
    log.info(activity.context(), &counts_line(activity, &outcomes));
    outcomes
}

/// `create: 200 records: 180 created, 3 skipped, 17 failed, 0 not attempted`.
pub fn counts_line(activity: Activity, outcomes: &[Outcome]) -> String {
    let mut created = 0;
    let mut updated = 0;
    let mut deleted = 0;
    let mut already = 0;
    let mut skipped = 0;
    let mut failed = 0;
    let mut not_attempted = 0;
    for outcome in outcomes {
        match outcome {
            Outcome::Created(_) => created += 1,
            Outcome::Updated(_) => updated += 1,
            Outcome::Deleted(d) => {
                deleted += 1;
                if d.already_deleted {
                    already += 1;
                }
            }
            Outcome::Skipped(_) => skipped += 1,
            Outcome::Failed(_) => failed += 1,
            Outcome::NotAttempted(_) => not_attempted += 1,
        }
    }

    let deleted_text = if already > 0 {
        format!("{deleted} deleted ({already} already)")
    } else {
        format!("{deleted} deleted")
    };
    let counts = [
        ("created", created, format!("{created} created")),
        ("updated", updated, format!("{updated} updated")),
        ("deleted", deleted, deleted_text),
        ("skipped", skipped, format!("{skipped} skipped")),
        ("failed", failed, format!("{failed} failed")),
        (
            "not attempted",
            not_attempted,
            format!("{not_attempted} not attempted"),
        ),
    ];
    let shown: Vec<String> = counts
        .into_iter()
        .filter(|(name, count, _)| *count > 0 || activity.always_shown().contains(name))
        .map(|(_, _, text)| text)
        .collect();
    let noun = if outcomes.len() == 1 {
        "record"
    } else {
        "records"
    };
    format!(
        "{}: {} {noun}: {}",
        activity.name(),
        outcomes.len(),
        shown.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::errors::validation;
    use crate::log::Level;
    use crate::secret::Scrubber;
    use crate::testing::CaptureSink;
    use crate::wit::{ApiFailure, Deletion, Skip, Written};

    fn written() -> Outcome {
        Outcome::Created(Written {
            contact_id: "c".into(),
            notes: vec![],
        })
    }

    fn unauthorized() -> Error {
        Error::Unauthorized(ApiFailure {
            status: 401,
            error_key: None,
            message: "Unauthorized".into(),
        })
    }

    #[test]
    fn a_fatal_error_marks_every_later_record_not_attempted() {
        let sink = Rc::new(CaptureSink::default());
        let log = Log::new(sink.clone(), Scrubber::default());
        let mut calls = 0;
        let outcomes = run_batch(&log, Activity::Create, vec![1, 2, 3, 4], |n| {
            calls += 1;
            match n {
                1 => written(),
                2 => Outcome::Failed(validation("the contact", vec![])),
                3 => Outcome::Failed(unauthorized()),
                _ => written(),
            }
        });
        assert_eq!(calls, 3, "the record after the fatal error is never run");
        assert_eq!(outcomes.len(), 4);
        assert!(matches!(outcomes[1], Outcome::Failed(Error::Validation(_))));
        assert_eq!(outcomes[2], Outcome::Failed(unauthorized()));
        assert_eq!(outcomes[3], Outcome::NotAttempted(unauthorized()));

        let lines = sink.lines();
        let info: Vec<&(Level, String, String)> =
            lines.iter().filter(|l| l.0 == Level::Info).collect();
        assert_eq!(info.len(), 1);
        assert_eq!(
            info[0].2,
            "create: 4 records: 1 created, 0 skipped, 2 failed, 1 not attempted"
        );
        assert!(
            lines.iter().any(|l| l.0 == Level::Debug
                && l.2 == "create: record 2 failed: unauthorized: Unauthorized")
        );
    }

    #[test]
    fn counts_show_what_happened() {
        let outcomes = vec![
            Outcome::Deleted(Deletion {
                contact_id: "a".into(),
                already_deleted: true,
            }),
            Outcome::Deleted(Deletion {
                contact_id: "b".into(),
                already_deleted: false,
            }),
            Outcome::Skipped(Skip {
                contact_id: None,
                reason: "r".into(),
            }),
        ];
        assert_eq!(
            counts_line(Activity::Delete, &outcomes),
            "delete: 3 records: 2 deleted (1 already), 1 skipped, 0 failed, 0 not attempted"
        );
        assert_eq!(
            counts_line(Activity::Update, &[]),
            "update: 0 records: 0 updated, 0 failed, 0 not attempted"
        );
        assert_eq!(
            counts_line(Activity::Create, &[written()]),
            "create: 1 record: 1 created, 0 skipped, 0 failed, 0 not attempted"
        );
    }
}
