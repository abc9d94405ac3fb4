//! Harness behaviour against the real component: limits, the outcome guarantee when a
//! connection cannot open, capture scrubbing and the compiled cache.

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use cc_emulator::{DEFAULT_TOKEN, Emulator};

use super::*;
use crate::records::json::{
    default_create_options, default_delete_options, default_update_options, email_only,
    empty_contact, empty_v2_contact,
};
use crate::wit::{V2EmailAddress, V2Update};

fn harness(limits: Limits) -> Harness {
    Harness::load(HarnessOptions {
        limits,
        ..HarnessOptions::default()
    })
    .expect("the built component loads")
}

/// A loopback port that accepts connections and never answers.
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
            });
        }
    });
    port
}

fn contact(email: &str) -> Contact {
    Contact {
        email_address: Some(email_only(email)),
        ..empty_contact()
    }
}

#[tokio::test]
async fn a_call_over_the_memory_limit_names_it() {
    let h = harness(Limits {
        memory_bytes: 64 << 10,
        ..Limits::default()
    });
    let err = h.describe().await.expect_err("64 KiB is too little");
    let limit = err.downcast_ref::<LimitExceeded>().expect("a limit error");
    assert_eq!(limit.kind, LimitKind::Memory);
    assert!(
        format!("{err:#}").contains("memory limit of 65536 bytes"),
        "{err:#}"
    );
}

#[tokio::test]
async fn a_call_past_the_wall_clock_names_it() {
    let port = silent_server();
    let h = harness(Limits {
        wall_clock: Duration::from_millis(400),
        ..Limits::default()
    });
    let base = format!("http://127.0.0.1:{port}");
    let config = default_config(&format!("{base}/v3"), &base, "tok");

    let started = Instant::now();
    let err = h.test(&config).await.expect_err("the server never answers");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let limit = err.downcast_ref::<LimitExceeded>().expect("a limit error");
    assert_eq!(limit.kind, LimitKind::WallClock);
    assert_eq!(
        format!("{err:#}"),
        "failed to run test: the connector exceeded its wall-clock limit of 400 ms"
    );
}

#[tokio::test]
async fn the_http_cap_turns_a_silent_server_into_a_connector_error() {
    let port = silent_server();
    let h = harness(Limits {
        first_byte_timeout: Duration::from_millis(300),
        ..Limits::default()
    });
    let base = format!("http://127.0.0.1:{port}");
    let config = default_config(&format!("{base}/v3"), &base, "tok");

    let started = Instant::now();
    let run = h.test(&config).await.expect("no trap, no limit");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(run.value, Err(Error::Transport(_))),
        "{:?}",
        run.value.as_ref().err()
    );
    assert!(!run.capture.egress.is_empty());
}

#[tokio::test]
async fn writes_that_cannot_open_a_connection_account_for_every_record() {
    let h = harness(Limits::default());
    let config = default_config("not a url", "also not", "tok");
    let records = [
        contact("a@b.example"),
        contact("c@d.example"),
        contact("e@f.example"),
    ];

    let run = h
        .create(&config, &records, &default_create_options())
        .await
        .unwrap();
    assert_eq!(run.value.len(), 3);
    assert!(
        run.value
            .iter()
            .all(|o| matches!(o, Outcome::NotAttempted(Error::InvalidConfig(_))))
    );

    let refs = [ContactRef::Id("x".into())];
    let run = h
        .delete(&config, &refs, &default_delete_options())
        .await
        .unwrap();
    assert!(matches!(run.value[..], [Outcome::NotAttempted(_)]));

    let v2 = V2Contact {
        email_addresses: Some(vec![V2EmailAddress {
            id: None,
            email_address: "g@h.example".into(),
            status: None,
            confirm_status: None,
            opt_in_source: None,
            opt_in_date: None,
            opt_out_date: None,
        }]),
        ..empty_v2_contact()
    };
    let run = h
        .create_v2(
            &config,
            &[v2.clone(), v2.clone()],
            &default_create_options(),
        )
        .await
        .unwrap();
    assert!(
        matches!(
            run.value[..],
            [
                Outcome::NotAttempted(Error::InvalidConfig(_)),
                Outcome::NotAttempted(Error::InvalidConfig(_))
            ]
        ),
        "{:?}",
        run.value
    );
    let update = V2Update {
        target: ContactRef::Email("g@h.example".into()),
        changes: v2,
    };
    let run = h
        .update_v2(&config, &[update], &default_update_options())
        .await
        .unwrap();
    assert!(matches!(
        run.value[..],
        [Outcome::NotAttempted(Error::InvalidConfig(_))]
    ));
}

#[tokio::test]
async fn describe_account_reports_a_connection_that_cannot_open() {
    let h = harness(Limits::default());
    let run = h
        .describe_account(&default_config("not a url", "also not", "tok"))
        .await
        .unwrap();
    let error = run.value.expect_err("the config is unusable");
    assert!(matches!(error, Error::InvalidConfig(_)), "{error:?}");
}

#[tokio::test]
async fn describe_account_names_the_accounts_lists() {
    let emulator = Emulator::start_default().unwrap();
    emulator.create_list("Harness Picks");
    let h = harness(Limits::default());
    let config = default_config(
        &emulator.base_url(),
        &emulator.auth_base_url(),
        DEFAULT_TOKEN,
    );
    let schemas = h.describe_account(&config).await.unwrap().value.unwrap();
    let create: serde_json::Value = serde_json::from_str(&schemas.create_input).unwrap();
    let names = &create["properties"]["lists"]["items"]["enum"];
    assert!(
        names
            .as_array()
            .is_some_and(|n| n.contains(&"Harness Picks".into())),
        "{names}"
    );
    let generic = h.describe().await.unwrap().value;
    assert_ne!(generic.create_input, schemas.create_input);
}

#[tokio::test]
async fn tokens_never_reach_the_capture() {
    let emulator = Emulator::start_default().unwrap();
    let h = harness(Limits::default());

    let good = default_config(
        &emulator.base_url(),
        &emulator.auth_base_url(),
        DEFAULT_TOKEN,
    );
    let run = h.test(&good).await.unwrap();
    assert!(run.value.is_ok());
    assert!(
        run.capture.egress.iter().any(|l| l.contains("/v3/")),
        "{:?}",
        run.capture.egress
    );
    assert!(!run.capture.to_string().contains(DEFAULT_TOKEN));

    let secret = "tok-not-known-to-the-emulator-8f3a";
    let mut bad = default_config(&emulator.base_url(), &emulator.auth_base_url(), secret);
    bad.refresh_token = Some("refresh-secret-91ab".into());
    let run = h.test(&bad).await.unwrap();
    let error = run.value.expect_err("the emulator refuses the token");
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    let everything = format!("{}{error:?}", run.capture);
    assert!(!everything.contains(secret), "{everything}");
    assert!(!everything.contains("refresh-secret-91ab"), "{everything}");
}

#[test]
fn the_compiled_component_is_cached_once() {
    let dir = std::env::temp_dir().join(format!("host-test-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let options = HarnessOptions {
        cache_dir: Some(dir.clone()),
        ..HarnessOptions::default()
    };

    Harness::load(options.clone()).unwrap();
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let modified = files[0].metadata().unwrap().modified().unwrap();

    Harness::load(options).unwrap();
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].metadata().unwrap().modified().unwrap(), modified);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn assert_send<T: Send>(_: &T) {}

#[test]
fn the_harness_and_its_futures_can_move_between_threads() {
    fn shared<T: Send + Sync + Clone + 'static>() {}
    shared::<Harness>();

    let h = harness(Limits::default());
    let config = default_config("http://127.0.0.1:9/v3", "http://127.0.0.1:9", "tok");
    let options = default_create_options();
    let request = crate::records::json::empty_query();
    // Built, never polled: only their types matter.
    assert_send(&h.test(&config));
    assert_send(&h.describe());
    assert_send(&h.create(&config, &[], &options));
    assert_send(&h.delete(&config, &[], &default_delete_options()));
    assert_send(&h.create_v2(&config, &[], &options));
    assert_send(&h.update_v2(&config, &[], &default_update_options()));
    assert_send(&h.describe_account(&config));
    assert_send(&h.query(&config, &request, None));
}

#[tokio::test]
async fn a_query_run_can_move_between_threads() {
    let emulator = Emulator::start_default().unwrap();
    emulator.seed_realistic(20, 1);
    let h = harness(Limits::default());
    let config = default_config(
        &emulator.base_url(),
        &emulator.auth_base_url(),
        DEFAULT_TOKEN,
    );
    let request = crate::records::json::empty_query();
    let mut run = h.query(&config, &request, None).await.unwrap().unwrap();

    let handle = tokio::spawn(async move {
        let page = run.next_page().await.unwrap().unwrap().unwrap_or_default();
        (page.len(), run.capture())
    });
    let (count, capture) = handle.await.unwrap();
    assert!(count > 0);
    assert!(!capture.egress.is_empty());
}

#[tokio::test]
async fn the_cpu_meter_stops_a_spinning_guest() {
    // The connector never spins, so a bare module stands in for it, on the harness's engine
    // (ticker thread included) with the callback every connector store uses.
    let engine = engine::new_engine().unwrap();
    let module =
        wasmtime::Module::new(&engine, r#"(module (func (export "spin") (loop br 0)))"#).unwrap();
    let mut store =
        wasmtime::Store::new(&engine, limits::CpuMeter::new(Duration::from_millis(200)));
    store.epoch_deadline_callback(|mut ctx| ctx.data_mut().tick());
    store.set_epoch_deadline(1);
    let instance = wasmtime::Instance::new_async(&mut store, &module, &[])
        .await
        .unwrap();
    let spin = instance
        .get_typed_func::<(), ()>(&mut store, "spin")
        .unwrap();

    let started = Instant::now();
    let trap = spin.call_async(&mut store, ()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let exceeded = store
        .data()
        .exceeded
        .clone()
        .expect("the meter recorded the limit");
    assert_eq!(exceeded.kind, LimitKind::Cpu);
    assert!(
        format!("{trap:?}").contains("CPU limit of 200 ms"),
        "{trap:?}"
    );
}
