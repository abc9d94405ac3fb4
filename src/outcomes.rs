//! The batch runner of the write activities: exactly one outcome per record, in input order;
//! after a fatal error every later record is `not-attempted` with that error. The call's
//! time budget starts here and is checked before each record. A record stopped by the quota
//! or the budget before any write of it may have been applied is itself `not-attempted`, so
//! sending it again is safe; so is a record that needed something which failed earlier in
//! the call, though the records that do not need it go on. It logs a debug line per failed
//! record and one info line with the counts and the retries.

use crate::api::client::Client;
use crate::errors::{is_fatal, summary};
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

/// Runs `one` on each record until a fatal error or the end of the budget, then marks the
/// rest.
pub fn run_batch<T>(
    client: &Client,
    activity: Activity,
    records: Vec<T>,
    mut one: impl FnMut(T) -> Outcome,
) -> Vec<Outcome> {
    client.start_call();
    let log = client.log();
    let retries_before = client.retry().retries();
    let mut fatal: Option<Error> = None;
    let mut outcomes = Vec::with_capacity(records.len());
    for (index, record) in records.into_iter().enumerate() {
        // Counted from 1, as people and the outcome files count records.
        let number = index + 1;
        let outcome = match &fatal {
            Some(error) => Outcome::NotAttempted(error.clone()),
            None if client.budget_spent() => {
                let doing = format!("{} record {number}", activity.name());
                Outcome::NotAttempted(client.retry().budget.exhausted(&doing, None))
            }
            None => {
                let writes_before = client.retry().writes();
                let outcome = one(record);
                untouched_if_stopped(outcome, client.retry().writes() == writes_before)
            }
        };
        match &outcome {
            Outcome::Failed(error) => {
                log.debug(
                    activity.context(),
                    &format!(
                        "{}: record {number} failed: {}",
                        activity.name(),
                        summary(error)
                    ),
                );
                if is_fatal(error) {
                    fatal = Some(error.clone());
                }
            }
            Outcome::NotAttempted(error) if fatal.is_none() && is_fatal(error) => {
                log.debug(
                    activity.context(),
                    &format!(
                        "{}: stopped at record {number}: {}",
                        activity.name(),
                        summary(error)
                    ),
                );
                fatal = Some(error.clone());
            }
            // A record left alone because something it needs failed earlier in the call
            // (the account's lists, say); records that do not need it go on.
            Outcome::NotAttempted(error) if fatal.is_none() => {
                log.debug(
                    activity.context(),
                    &format!(
                        "{}: record {number} not attempted: {}",
                        activity.name(),
                        summary(error)
                    ),
                );
            }
            _ => {}
        }
        outcomes.push(outcome);
    }
    let retries = client.retry().retries() - retries_before;
    log.info(
        activity.context(),
        &counts_line(activity, &outcomes, retries),
    );
    outcomes
}

/// A record that the quota or the budget stopped before any write of it may have been
/// applied was, in effect, not attempted.
fn untouched_if_stopped(outcome: Outcome, nothing_written: bool) -> Outcome {
    match outcome {
        Outcome::Failed(error @ (Error::QuotaExhausted(_) | Error::BudgetExhausted(_)))
            if nothing_written =>
        {
            Outcome::NotAttempted(error)
        }
        other => other,
    }
}

/// `create: 200 records: 180 created, 3 skipped, 17 failed, 0 not attempted`, followed by
/// `; 4 retries` when requests were retried.
pub fn counts_line(activity: Activity, outcomes: &[Outcome], retries: u64) -> String {
    let mut created = 0;
    let mut updated = 0;
    let mut deleted = 0;
    let mut already = 0;
    let mut unsubscribed = 0;
    let mut already_unsubscribed = 0;
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
            Outcome::Unsubscribed(u) => {
                unsubscribed += 1;
                if u.already_unsubscribed {
                    already_unsubscribed += 1;
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
    let unsubscribed_text = if already_unsubscribed > 0 {
        format!("{unsubscribed} unsubscribed ({already_unsubscribed} already)")
    } else {
        format!("{unsubscribed} unsubscribed")
    };
    let counts = [
        ("created", created, format!("{created} created")),
        ("updated", updated, format!("{updated} updated")),
        ("deleted", deleted, deleted_text),
        ("unsubscribed", unsubscribed, unsubscribed_text),
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
    let mut line = format!(
        "{}: {} {noun}: {}",
        activity.name(),
        outcomes.len(),
        shown.join(", ")
    );
    match retries {
        0 => {}
        1 => line.push_str("; 1 retry"),
        n => line.push_str(&format!("; {n} retries")),
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::validation;
    use crate::log::Level;
    use crate::testing::Harness;
    use crate::wit::{ApiFailure, Deletion, Skip, Written};

    fn written() -> Outcome {
        Outcome::Created(Written {
            contact_id: "c".into(),
            notes: vec![],
            losses: vec![],
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
        let h = Harness::new();
        let mut calls = 0;
        let outcomes = run_batch(&h.client, Activity::Create, vec![1, 2, 3, 4], |n| {
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

        let lines = h.log_lines();
        let info: Vec<&(Level, String, String)> =
            lines.iter().filter(|l| l.0 == Level::Info).collect();
        assert_eq!(info.len(), 1);
        assert_eq!(
            info[0].2,
            "create: 4 records: 1 created, 0 skipped, 2 failed, 1 not attempted"
        );
        assert!(
            lines.iter().any(|l| l.0 == Level::Debug
                && l.2 == "create: record 3 failed: unauthorized: Unauthorized")
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
            counts_line(Activity::Delete, &outcomes, 0),
            "delete: 3 records: 2 deleted (1 already), 1 skipped, 0 failed, 0 not attempted"
        );
        assert_eq!(
            counts_line(Activity::Update, &[], 1),
            "update: 0 records: 0 updated, 0 failed, 0 not attempted; 1 retry"
        );
        assert_eq!(
            counts_line(Activity::Create, &[written()], 3),
            "create: 1 record: 1 created, 0 skipped, 0 failed, 0 not attempted; 3 retries"
        );
    }

    fn quota() -> Error {
        Error::QuotaExhausted(ApiFailure {
            status: 429,
            error_key: Some("quota_exceeded".into()),
            message: "Limit Exceeded".into(),
        })
    }

    #[test]
    fn a_record_stopped_by_the_quota_before_writing_is_not_attempted() {
        let h = Harness::new();
        let outcomes = run_batch(&h.client, Activity::Create, vec![1, 2, 3], |n| match n {
            1 => written(),
            _ => Outcome::Failed(quota()),
        });
        assert_eq!(
            outcomes[1..],
            [
                Outcome::NotAttempted(quota()),
                Outcome::NotAttempted(quota())
            ]
        );
        assert!(h.info_lines()[0].ends_with("1 created, 0 skipped, 0 failed, 2 not attempted"));
    }

    #[test]
    fn a_spent_budget_stops_the_batch_before_the_next_record() {
        let h = Harness::new();
        h.client.retry().budget.set_limit_ms(Some(100));
        let clock = h.clock.clone();
        let mut calls = 0;
        let outcomes = run_batch(&h.client, Activity::Delete, vec![1, 2, 3], |_| {
            calls += 1;
            clock.advance(150_000_000);
            written()
        });
        assert_eq!(calls, 1);
        let Outcome::NotAttempted(Error::BudgetExhausted(m)) = &outcomes[1] else {
            panic!("expected budget-exhausted, got {:?}", outcomes[1]);
        };
        assert_eq!(
            m,
            "failed to delete record 2: the time budget of 100 ms is spent"
        );
        assert_eq!(outcomes[2], outcomes[1]);
    }
}
