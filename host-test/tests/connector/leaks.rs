//! A representative set of jobs with distinctive secrets (client secret, issued tokens and
//! every token renewed along the way), renewing, failing and echoing: no secret may appear in
//! any capture, outcome, error or stream checkpoint, in Debug or in the JSON form.

use cc_emulator::{Canned, RefreshMode, Script};
use host_test::records::json::{default_delete_options, error_to_json, outcome_to_json};
use host_test::wit::{ContactRef, ContactUpdate, CreateOptions, Error, Outcome, UpdateOptions};
use serde_json::json;

use crate::auth::{CLIENT_ID, CLIENT_SECRET, RecordingStore, now, oauth_config, oauth_emulator};
use crate::oauth;
use crate::support::{contact, harness};

/// Everything the jobs left behind, as text.
#[derive(Default)]
struct Seen {
    texts: Vec<String>,
}

impl Seen {
    fn outcomes(&mut self, outcomes: &[Outcome]) {
        for outcome in outcomes {
            self.texts.push(format!("{outcome:?}"));
            self.texts.push(outcome_to_json(outcome).to_string());
        }
    }

    fn error(&mut self, error: &Error) {
        self.texts.push(format!("{error:?}"));
        self.texts.push(error_to_json(error).to_string());
    }

    fn debug(&mut self, value: &impl std::fmt::Debug) {
        self.texts.push(format!("{value:?}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_any_capture_outcome_or_error() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    for i in 0..12 {
        emu.insert_contact(
            json!({"email_address": {"address": format!("leak{i:02}@example.com")}}),
        );
    }
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    let store = RecordingStore::new(&emu, false);
    let h = harness().clone().with_credentials(store.clone());
    let mut seen = Seen::default();
    let options = CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    };

    // A renewing test, then a create that renews ahead of expiry.
    let mut config = oauth_config(&emu, &issued, now() + 10);
    let run = h.test(&config).await.unwrap();
    seen.debug(&run.capture);
    if let Err(e) = &run.value {
        seen.error(e);
    }
    let (saved, _) = store.sets().last().cloned().expect("renewed in test");
    config.access_token = saved.access_token.clone();
    config.refresh_token = saved.refresh_token.clone();
    config.access_token_expires_at = saved.access_token_expires_at;

    // The API echoes the renewed token in a refusal: the connector learned it, so it is
    // scrubbed from the error.
    emu.script(
        Script::new(
            "/v3/contacts",
            1,
            Canned::json(
                400,
                json!([{"error_key": "contacts.api.validation.error",
                        "error_message": format!("first_name {} is odd", config.access_token)}]),
            ),
        )
        .with_method("POST"),
    );
    let records: Vec<_> = (0..3)
        .map(|i| contact(json!({"email_address": {"address": format!("new{i}@example.com")}})))
        .collect();
    let run = h.create(&config, &records, &options).await.unwrap();
    seen.debug(&run.capture);
    seen.outcomes(&run.value);

    // A query renewed by a 401 in the middle.
    let mut request = host_test::records::json::empty_query();
    request.page_size = Some(5);
    let mut stream = h.query(&config, &request, None).await.unwrap().unwrap();
    let first = stream.next_page().await.unwrap().unwrap();
    seen.debug(&first);
    emu.expire_access_token(&config.access_token);
    while let Some(page) = stream.next_page().await.unwrap().unwrap() {
        seen.debug(&page);
    }
    seen.debug(&stream.checkpoint().await.unwrap());
    seen.debug(&stream.capture());
    let (saved, _) = store.sets().last().cloned().unwrap();
    config.access_token = saved.access_token.clone();
    config.refresh_token = saved.refresh_token.clone();

    // An update and a delete, one of them answered by a 401 that echoes the token.
    emu.script(Script::new(
        "/v3/contacts/",
        1,
        Canned::json(
            401,
            json!({"error_key": "unauthorized", "error_message": format!("token {} refused", config.access_token)}),
        ),
    ));
    let updates = vec![ContactUpdate {
        target: ContactRef::Email("leak00@example.com".into()),
        changes: contact(json!({"first_name": "Ada"})),
        clear: vec![],
    }];
    let run = h
        .update(
            &config,
            &updates,
            &UpdateOptions {
                mode: None,
                update_source: None,
                create_missing: None,
            },
        )
        .await
        .unwrap();
    seen.debug(&run.capture);
    seen.outcomes(&run.value);
    let (saved, _) = store.sets().last().cloned().unwrap();
    config.access_token = saved.access_token.clone();
    config.refresh_token = saved.refresh_token.clone();
    let run = h
        .delete(
            &config,
            &[ContactRef::Email("leak01@example.com".into())],
            &default_delete_options(),
        )
        .await
        .unwrap();
    seen.debug(&run.capture);
    seen.outcomes(&run.value);

    // Failures: a wrong client secret, a refused save, an echoed token with no refresh.
    let mut wrong = config.clone();
    wrong.client_secret = Some("cs-wrong-Xk2-distinctive".into());
    wrong.access_token_expires_at = Some(1);
    let run = h.create(&wrong, &records[..1], &options).await.unwrap();
    seen.debug(&run.capture);
    seen.outcomes(&run.value);

    let refusing = RecordingStore::new(&emu, true);
    let mut due = config.clone();
    due.access_token_expires_at = Some(1);
    let run = harness()
        .clone()
        .with_credentials(refusing.clone())
        .create(&due, &records[..2], &options)
        .await
        .unwrap();
    seen.debug(&run.capture);
    seen.outcomes(&run.value);

    emu.script(Script::new(
        "/v3/account",
        1,
        Canned::json(
            401,
            json!({"error_key": "unauthorized", "error_message": format!("bad {}", issued.refresh_token)}),
        ),
    ));
    let mut no_refresh = config.clone();
    no_refresh.refresh_token = None;
    let run = harness().test(&no_refresh).await.unwrap();
    seen.debug(&run.capture);
    if let Err(e) = &run.value {
        seen.error(e);
    }

    let mut secrets = vec![
        issued.access_token.clone(),
        issued.refresh_token.clone(),
        CLIENT_SECRET.to_owned(),
        "cs-wrong-Xk2-distinctive".to_owned(),
    ];
    for (set, _) in store.sets().into_iter().chain(refusing.sets()) {
        secrets.push(set.access_token);
        secrets.extend(set.refresh_token);
    }
    assert!(store.sets().len() >= 3, "the jobs renewed several times");
    assert!(secrets.len() >= 10);
    assert!(seen.texts.len() > 20);
    for text in &seen.texts {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret leaked: {}",
                text.replace(secret.as_str(), "<THE SECRET>")
            );
        }
    }
    // The scan looks at real text: the echoed refusal did reach a capture, scrubbed.
    assert!(seen.texts.iter().any(|t| t.contains("<redacted>")));
}

/// The suite-wide scan (`support::watch_for_leaks`) is not vacuous: a secret the connector
/// cannot know about, echoed by the API, reaches an outcome and fails the test that made it.
#[tokio::test(flavor = "multi_thread")]
#[should_panic(expected = "a secret leaked from create")]
async fn the_suite_wide_scan_fails_a_test_that_leaks() {
    let emu = crate::support::emulator();
    emu.add_token(cc_emulator::TokenGrant::new(
        "another-tenants-token-0123456789",
        &["contact_data"],
    ));
    emu.script(
        Script::new(
            "/v3/contacts",
            1,
            Canned::json(
                400,
                json!([{"error_key": "contacts.api.validation.error",
                        "error_message": "token another-tenants-token-0123456789 is odd"}]),
            ),
        )
        .with_method("POST"),
    );
    let records = vec![contact(json!({"first_name": "Leaky"}))];
    let options = CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    };
    let _ = harness()
        .create(&crate::support::config(&emu), &records, &options)
        .await;
}
