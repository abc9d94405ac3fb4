//! The harness bounds every call: wall-clock time and memory. A call cut off by a limit is an
//! error the host can tell apart, and the next call runs in a fresh instance.

use std::time::Duration;

use host_test::harness::{Harness, HarnessOptions, Limits};
use host_test::wit::{CreateOptions, Pacing};
use host_test::{LimitExceeded, LimitKind};
use serde_json::json;

use crate::support::{config, contact, emulator};

fn harness_with(limits: impl FnOnce(&mut Limits)) -> Harness {
    let mut options = HarnessOptions::default();
    limits(&mut options.limits);
    Harness::load(options).expect("load the component")
}

fn limit_of(error: &anyhow::Error) -> Option<LimitKind> {
    error
        .chain()
        .find_map(|e| e.downcast_ref::<LimitExceeded>())
        .map(|l| l.kind)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wall_clock_limit_cuts_a_slow_job_off() {
    let emu = emulator();
    let mut cfg = config(&emu);
    cfg.pacing = Some(Pacing {
        requests_per_second: 2.0,
    });
    let records: Vec<_> = (0..6)
        .map(|i| contact(json!({"email_address": {"address": format!("w{i}@example.com")}})))
        .collect();
    let options = CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    };
    let harness = harness_with(|l| l.wall_clock = Duration::from_millis(400));

    let error = harness
        .create(&cfg, &records, &options)
        .await
        .expect_err("six requests paced at 2 per second cannot fit in 400 ms");
    assert_eq!(limit_of(&error), Some(LimitKind::WallClock), "{error:#}");

    // The next call gets a fresh instance and works.
    let again = harness.test(&config(&emu)).await.expect("no trap");
    assert!(again.value.is_ok(), "{:?}", again.value);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_memory_limit_stops_a_call_without_harming_the_next() {
    let emu = emulator();
    let big = "x".repeat(2000);
    for i in 0..150 {
        let notes: Vec<_> = (0..10)
            .map(|n| json!({"note_id": format!("00000000-0000-1000-8000-{n:012}"), "content": big}))
            .collect();
        emu.insert_contact(json!({
            "email_address": {"address": format!("m{i}@example.com")}, "first_name": "M", "notes": notes,
        }));
    }
    let harness = harness_with(|l| l.memory_bytes = 4 << 20);
    let request = host_test::records::json::query_request_from_json(
        &json!({"page_size": 500, "subresources": ["notes"]}),
    )
    .expect("request");

    let error = match harness.query(&config(&emu), &request, None).await {
        Err(e) => e,
        Ok(Err(api)) => panic!("expected the memory limit, got {api:?}"),
        Ok(Ok(mut run)) => match run.next_page().await {
            Err(e) => e,
            Ok(page) => panic!("3 MB of notes cannot fit in 4 MiB, got {page:?}"),
        },
    };
    assert_eq!(limit_of(&error), Some(LimitKind::Memory), "{error:#}");

    let again = harness.test(&config(&emu)).await.expect("no trap");
    assert!(again.value.is_ok(), "{:?}", again.value);
}
