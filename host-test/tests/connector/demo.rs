//! The demo runs to the end, and what it reports agrees with the emulator's final state.

use std::collections::HashSet;

use host_test::demo::{DemoOptions, run};
use host_test::records::json::outcome_contact_id;
use host_test::wit::{ContactRef, Outcome};

use crate::support::harness;

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_runs_to_the_end_and_agrees_with_the_emulator() {
    let mut printed = Vec::new();
    let report = run(harness(), DemoOptions::default(), &mut printed)
        .await
        .expect("the demo runs to the end");
    let text = String::from_utf8(printed).expect("utf-8 output");
    let emu = &report.emulator;
    let stored = emu.contacts();

    // Every record got one outcome, and the printed summary says what the report holds.
    assert_eq!(report.create.outcomes.len(), report.create.records.len());
    assert_eq!(report.update.outcomes.len(), report.update.records.len());
    assert_eq!(report.delete.outcomes.len(), report.delete.records.len());
    for (step, done, total) in [
        (
            "create",
            report.create.count("created"),
            report.create.outcomes.len(),
        ),
        (
            "update",
            report.update.count("updated"),
            report.update.outcomes.len(),
        ),
        (
            "delete",
            report.delete.count("deleted"),
            report.delete.outcomes.len(),
        ),
    ] {
        let line = format!("{step}: {done} of {total}");
        assert!(text.contains(&line), "the summary lacks {line:?}:\n{text}");
    }

    // The CRM export has rows of every kind: most succeed, some are refused.
    let created = report.create.count("created");
    assert!(
        created > 150,
        "only {created} of {} rows created",
        report.create.outcomes.len()
    );
    assert!(
        report.create.count("failed") >= 3,
        "invalid and duplicate rows must fail"
    );

    // Created contacts exist, once each, with the normalised address; nothing else was added.
    let created_ids: Vec<&str> = report
        .create
        .outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Created(_)))
        .filter_map(outcome_contact_id)
        .collect();
    assert_eq!(stored.len(), report.seed.contacts + created_ids.len());
    for (record, outcome) in report.create.pairs() {
        let Outcome::Created(w) = outcome else {
            continue;
        };
        let contact = emu
            .contact(&w.contact_id)
            .expect("a created contact exists");
        if let Some(email) = &record.email_address {
            assert_eq!(
                contact["email_address"]["address"],
                email.address.trim().to_lowercase()
            );
        }
    }
    let emails: Vec<String> = stored
        .iter()
        .filter_map(|c| {
            c["email_address"]["address"]
                .as_str()
                .map(str::to_lowercase)
        })
        .collect();
    let unique: HashSet<&String> = emails.iter().collect();
    assert_eq!(unique.len(), emails.len(), "an address is held twice");

    // Updated contacts carry the change.
    for (record, outcome) in report.update.pairs() {
        let Outcome::Updated(w) = outcome else {
            continue;
        };
        let contact = emu.contact(&w.contact_id).expect("exists");
        if let Some(title) = &record.changes.job_title {
            assert_eq!(contact["job_title"], title.as_str());
        }
        if let Some(lists) = &record.changes.list_memberships {
            let mut want = lists.clone();
            want.sort();
            let mut got: Vec<String> = contact["list_memberships"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            got.sort();
            assert_eq!(got, want);
        }
    }

    // Deleted contacts are soft-deleted; the unknown one is not found.
    let newly_deleted = report
        .delete
        .outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Deleted(d) if !d.already_deleted))
        .count();
    for (target, outcome) in report.delete.pairs() {
        match outcome {
            Outcome::Deleted(d) => {
                let contact = emu.contact(&d.contact_id).expect("exists");
                assert!(
                    contact.get("deleted_at").is_some(),
                    "{target:?} is not deleted"
                );
            }
            Outcome::Failed(_) => {
                if let ContactRef::Id(id) = target {
                    assert!(emu.contact(id).is_none(), "{id} exists but was not deleted");
                }
            }
            other => panic!("unexpected delete outcome {other:?}"),
        }
    }
    let deleted_now = stored
        .iter()
        .filter(|c| c.get("deleted_at").is_some())
        .count();
    assert_eq!(deleted_now, report.seed.deleted + newly_deleted);
}
