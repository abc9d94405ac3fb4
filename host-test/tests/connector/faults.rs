//! Nothing lost, nothing duplicated: write jobs and a long query under a seeded mix of every
//! injected fault, the daily quota running out mid-job, `Retry-After`, the time budget, and a
//! paced job against the API's enforced 4 requests per second.

use host_test::records::json::default_delete_options;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use cc_emulator::{
    Behaviour, BodyKind, Canned, Emulator, EmulatorConfig, FaultMix, InjectedFault, RateLimit,
    RecordedRequest, Script,
};
use host_test::wit::{
    ConnectionConfig, Contact, ContactRef, ContactUpdate, CreateOptions, Error, Outcome, Pacing,
    RetryPolicy, Timeouts, UpdateOptions,
};
use serde_json::{Value, json};

use crate::support::{config, contact, harness};

const SEED: u64 = 20_261_204;
/// Longer than the connection's first-byte timeout, so a slow answer is a timeout.
const SLOW: Duration = Duration::from_millis(700);

fn emulator_with(rate_limit: Option<RateLimit>) -> Emulator {
    Emulator::start(EmulatorConfig {
        behaviour: Behaviour {
            rate_limit,
            ..Behaviour::default()
        },
        ..EmulatorConfig::default()
    })
    .expect("start the emulator")
}

/// Fast pacing, short backoff and timeouts, and enough attempts that a 5% fault rate
/// practically never exhausts them.
fn resilient(emu: &Emulator) -> ConnectionConfig {
    let mut cfg = config(emu);
    cfg.pacing = Some(Pacing {
        requests_per_second: 2000.0,
    });
    cfg.retry = Some(RetryPolicy {
        max_attempts: Some(8),
        initial_delay_ms: Some(2),
        max_delay_ms: Some(40),
    });
    cfg.timeouts = Some(Timeouts {
        connect_ms: Some(2000),
        first_byte_ms: Some(300),
        between_bytes_ms: Some(300),
    });
    cfg
}

fn create_options() -> CreateOptions {
    CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    }
}

fn update_options() -> UpdateOptions {
    UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: None,
    }
}

/// Distinct contact ids the emulator applied a request to: `method` on `/v3/contacts/{id}`,
/// answered 2xx by the API itself (whether or not the answer reached the connector).
fn applied_ids(requests: &[RecordedRequest], method: &str) -> HashSet<String> {
    requests
        .iter()
        .filter(|r| r.method == method && !r.scripted && (200..300).contains(&r.status))
        .filter_map(|r| r.path.strip_prefix("/v3/contacts/"))
        .map(str::to_owned)
        .collect()
}

fn applied_posts(requests: &[RecordedRequest]) -> usize {
    requests
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v3/contacts" && r.status == 201)
        .count()
}

fn insert_people(emu: &Emulator, prefix: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            emu.insert_contact(json!({
                "email_address": {"address": format!("{prefix}{i:04}@example.com"), "permission_to_send": "implicit"},
                "first_name": format!("{prefix} {i}"),
            }))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_job_under_every_fault_loses_and_duplicates_nothing() {
    let emu = emulator_with(Some(RateLimit {
        per_second: 100_000,
        per_day: 10_000_000,
    }));
    let to_update = insert_people(&emu, "upd", 2000);
    let to_delete = insert_people(&emu, "del", 500);
    let before = emu.contacts().len();
    emu.clear_requests();
    emu.set_fault_mix(Some(FaultMix::every_kind(SEED, 50, SLOW)));
    let cfg = resilient(&emu);

    let creates: Vec<Contact> = (0..2000)
        .map(|i| {
            contact(json!({
                "email_address": {"address": format!("new{i:04}@example.com")},
                "first_name": format!("New {i}"), "job_title": "Founder",
            }))
        })
        .collect();
    let created = harness()
        .create(&cfg, &creates, &create_options())
        .await
        .expect("no trap")
        .value;

    let updates: Vec<ContactUpdate> = to_update
        .iter()
        .enumerate()
        .map(|(i, id)| ContactUpdate {
            // Half by id, half by email address.
            target: if i % 2 == 0 {
                ContactRef::Id(id.clone())
            } else {
                ContactRef::Email(format!("upd{i:04}@example.com"))
            },
            changes: contact(json!({"last_name": format!("Updated {i}")})),
            clear: vec![],
        })
        .collect();
    let updated = harness()
        .update(&cfg, &updates, &update_options())
        .await
        .expect("no trap")
        .value;

    let deletes: Vec<ContactRef> = to_delete.iter().cloned().map(ContactRef::Id).collect();
    let deleted = harness()
        .delete(&cfg, &deletes, &default_delete_options())
        .await
        .expect("no trap")
        .value;
    emu.set_fault_mix(None);

    // Every kind of fault struck, at about the rate asked for.
    let counts = emu.fault_counts();
    assert_eq!(
        counts.len(),
        InjectedFault::every_kind(SLOW).len(),
        "{counts:?}"
    );
    let requests = emu.requests();
    let injected: usize = counts.values().sum();
    let rate = injected as f64 / requests.len() as f64;
    assert!(
        (0.035..0.065).contains(&rate),
        "{injected} faults in {} requests",
        requests.len()
    );

    // One outcome per record, each the one expected.
    assert_eq!(created.len(), 2000);
    assert_eq!(updated.len(), 2000);
    assert_eq!(deleted.len(), 500);
    for (i, outcome) in created.iter().enumerate() {
        let Outcome::Created(written) = outcome else {
            panic!("create {i}: {outcome:?}");
        };
        let stored = emu
            .contact(&written.contact_id)
            .expect("the created contact");
        assert_eq!(
            stored["email_address"]["address"],
            format!("new{i:04}@example.com")
        );
        assert_eq!(stored["first_name"], format!("New {i}"));
    }
    for (i, outcome) in updated.iter().enumerate() {
        let Outcome::Updated(written) = outcome else {
            panic!("update {i}: {outcome:?}");
        };
        assert_eq!(written.contact_id, to_update[i]);
    }
    for (i, outcome) in deleted.iter().enumerate() {
        let Outcome::Deleted(deletion) = outcome else {
            panic!("delete {i}: {outcome:?}");
        };
        assert_eq!(deletion.contact_id, to_delete[i]);
    }

    // The emulator holds exactly the expected state, with no contact twice.
    let all = emu.contacts();
    assert_eq!(all.len(), before + 2000);
    let mut emails = HashSet::new();
    for stored in &all {
        let email = stored["email_address"]["address"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(emails.insert(email.clone()), "{email} exists twice");
    }
    for (i, id) in to_update.iter().enumerate() {
        let stored = emu.contact(id).unwrap();
        assert_eq!(stored["last_name"], format!("Updated {i}"));
        assert_eq!(
            stored["first_name"],
            format!("upd {i}"),
            "merge keeps the rest"
        );
    }
    for id in &to_delete {
        assert!(emu.contact(id).unwrap()["deleted_at"].is_string());
    }

    // The outcome counts equal what the emulator applied.
    assert_eq!(applied_posts(&requests), 2000);
    assert_eq!(applied_ids(&requests, "PUT").len(), 2000);
    assert_eq!(applied_ids(&requests, "DELETE").len(), 500);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_query_through_504s_and_resets_returns_every_contact_once() {
    let emu = emulator_with(None);
    let ids: HashSet<String> = insert_people(&emu, "q", 5000).into_iter().collect();
    emu.set_fault_mix(Some(FaultMix {
        seed: SEED,
        per_mille: 200,
        faults: vec![
            InjectedFault::Status {
                status: 504,
                body: BodyKind::Json,
            },
            InjectedFault::Status {
                status: 504,
                body: BodyKind::Html,
            },
            InjectedFault::Status {
                status: 504,
                body: BodyKind::Empty,
            },
            InjectedFault::ResetBeforeApply,
            InjectedFault::ResetAfterApply,
        ],
        path_prefix: "/v3/".into(),
    }));
    let mut request = host_test::records::json::empty_query();
    request.page_size = Some(100);
    let mut run = harness()
        .query(&resilient(&emu), &request, None)
        .await
        .expect("no trap")
        .expect("query");
    let mut seen = Vec::new();
    while let Some(page) = run.next_page().await.expect("no trap").expect("page") {
        seen.extend(page.into_iter().map(|c| c.contact_id.expect("an id")));
    }

    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(seen.len(), 5000, "no contact twice");
    assert_eq!(unique, ids, "every contact");
    let injected: usize = emu.fault_counts().values().sum();
    assert!(injected >= 5, "{:?}", emu.fault_counts());
    let info: Vec<String> = run
        .capture()
        .logs
        .iter()
        .map(|l| l.message.clone())
        .filter(|m| m.starts_with("query: finished"))
        .collect();
    assert_eq!(info.len(), 1, "{info:?}");
    assert!(
        info[0].contains("retr"),
        "the retries are counted: {info:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daily_quota_stops_a_job_and_a_rerun_of_the_rest_completes_it() {
    let emu = emulator_with(Some(RateLimit {
        per_second: 100_000,
        per_day: 30,
    }));
    let records: Vec<Contact> = (0..50)
        .map(|i| contact(json!({"email_address": {"address": format!("quota{i:02}@example.com")}})))
        .collect();
    let cfg = resilient(&emu);
    let first = harness()
        .create(&cfg, &records, &create_options())
        .await
        .expect("no trap")
        .value;

    assert_eq!(first.len(), 50);
    for (i, outcome) in first.iter().enumerate() {
        match (i < 30, outcome) {
            (true, Outcome::Created(w)) => {
                let stored = emu.contact(&w.contact_id).expect("created");
                assert_eq!(
                    stored["email_address"]["address"],
                    format!("quota{i:02}@example.com")
                );
            }
            (false, Outcome::NotAttempted(Error::QuotaExhausted(f))) => {
                assert_eq!(f.error_key.as_deref(), Some("quota_exceeded"));
            }
            _ => panic!("record {i}: {outcome:?}"),
        }
    }
    assert_eq!(emu.contacts().len(), 30);
    let quota_refusals = emu.requests().iter().filter(|r| r.status == 429).count();
    assert_eq!(quota_refusals, 1, "the quota is not retried");

    // A new day: send the not-attempted records again, as they are.
    emu.set_behaviour(Behaviour {
        rate_limit: Some(RateLimit {
            per_second: 100_000,
            per_day: 1000,
        }),
        ..Behaviour::default()
    });
    let rest: Vec<Contact> = records
        .iter()
        .zip(&first)
        .filter(|(_, o)| matches!(o, Outcome::NotAttempted(_)))
        .map(|(r, _)| r.clone())
        .collect();
    let second = harness()
        .create(&cfg, &rest, &create_options())
        .await
        .expect("no trap")
        .value;
    assert!(
        second.iter().all(|o| matches!(o, Outcome::Created(_))),
        "{second:?}"
    );
    let emails: HashSet<Value> = emu
        .contacts()
        .iter()
        .map(|c| c["email_address"]["address"].clone())
        .collect();
    assert_eq!(emu.contacts().len(), 50);
    assert_eq!(emails.len(), 50);
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_is_honoured() {
    let emu = emulator_with(None);
    insert_people(&emu, "ra", 3);
    let throttled = Canned::json(
        429,
        json!({"error_key": "throttled", "error_message": "Too Many Requests"}),
    )
    .with_header("Retry-After", "1");
    emu.script(Script::new("/v3/contacts", 1, throttled).with_method("GET"));
    let mut cfg = resilient(&emu);
    cfg.retry = Some(RetryPolicy {
        max_attempts: Some(3),
        initial_delay_ms: Some(1),
        max_delay_ms: Some(5000),
    });

    let started = Instant::now();
    let mut run = harness()
        .query(&cfg, &host_test::records::json::empty_query(), None)
        .await
        .expect("no trap")
        .expect("query");
    let page = run.next_page().await.expect("no trap").expect("page");
    assert_eq!(page.map(|p| p.len()), Some(3));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    let retried = run.capture().logs.iter().any(|l| {
        l.message
            .contains("retry 1 of 2 in 1000 ms after HTTP 429 throttled")
    });
    assert!(retried, "{:?}", run.capture().logs);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spent_time_budget_leaves_the_rest_not_attempted() {
    let emu = emulator_with(None);
    let mut cfg = config(&emu);
    cfg.pacing = Some(Pacing {
        requests_per_second: 5.0,
    });
    cfg.time_budget_ms = Some(1000);
    let records: Vec<Contact> = (0..12)
        .map(|i| {
            contact(json!({"email_address": {"address": format!("budget{i:02}@example.com")}}))
        })
        .collect();
    let started = Instant::now();
    let outcomes = harness()
        .create(&cfg, &records, &create_options())
        .await
        .expect("no trap")
        .value;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    let created = outcomes
        .iter()
        .take_while(|o| matches!(o, Outcome::Created(_)))
        .count();
    assert!((3..=6).contains(&created), "{outcomes:?}");
    for outcome in &outcomes[created..] {
        assert!(
            matches!(outcome, Outcome::NotAttempted(Error::BudgetExhausted(_))),
            "{outcome:?}"
        );
    }
    assert_eq!(emu.contacts().len(), created);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paced_job_meets_the_enforced_limit_without_a_single_429() {
    let emu = emulator_with(Some(RateLimit::default()));
    let mut cfg = config(&emu);
    cfg.pacing = None;
    let records: Vec<Contact> = (0..100)
        .map(|i| contact(json!({"email_address": {"address": format!("paced{i:03}@example.com")}})))
        .collect();
    let outcomes = harness()
        .create(&cfg, &records, &create_options())
        .await
        .expect("no trap")
        .value;

    assert!(outcomes.iter().all(|o| matches!(o, Outcome::Created(_))));
    let statuses: HashMap<u16, usize> = emu.requests().iter().fold(HashMap::new(), |mut m, r| {
        *m.entry(r.status).or_default() += 1;
        m
    });
    assert_eq!(statuses.get(&429), None, "{statuses:?}");
    assert_eq!(statuses.get(&201), Some(&100), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_page_that_outlasts_its_budget_fails_and_the_next_call_fetches_it() {
    let emu = emulator_with(None);
    let ids: HashSet<String> = insert_people(&emu, "b", 3).into_iter().collect();
    emu.inject_fault(
        cc_emulator::FaultRule::new(
            "/v3/contacts",
            5,
            InjectedFault::SlowFirstByte(Duration::from_secs(2)),
        )
        .with_method("GET"),
    );
    let mut cfg = config(&emu);
    cfg.time_budget_ms = Some(600);
    let mut run = harness()
        .query(&cfg, &host_test::records::json::empty_query(), None)
        .await
        .expect("no trap")
        .expect("query");

    let started = Instant::now();
    let error = run
        .next_page()
        .await
        .expect("no trap")
        .expect_err("the page cannot arrive within 600 ms");
    assert!(matches!(error, Error::BudgetExhausted(_)), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "the request timeout is cut to the budget: {:?}",
        started.elapsed()
    );

    emu.clear_faults();
    let page = run.next_page().await.expect("no trap").expect("page");
    let seen: HashSet<String> = page
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.contact_id)
        .collect();
    assert_eq!(seen, ids);
}
