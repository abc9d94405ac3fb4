//! Every error body the API is known to send becomes the right typed error, with no trap.

use cc_emulator::{Canned, Emulator, Script};
use host_test::wit::{CreateOptions, Error, Outcome};
use serde_json::json;

use crate::support::{config, contact, emulator, harness};

fn answer_next_post(emu: &Emulator, response: Canned) {
    emu.script(Script {
        method: Some("POST".into()),
        path_prefix: "/v3/contacts".into(),
        times: 1,
        response,
    });
}

async fn create_one(emu: &Emulator) -> Vec<Outcome> {
    let records = vec![
        contact(json!({"email_address": {"address": "first@example.com"}})),
        contact(json!({"email_address": {"address": "second@example.com"}})),
    ];
    let options = CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    };
    // One attempt per request, so each scripted answer is reported as the API gave it.
    let mut cfg = config(emu);
    cfg.retry = Some(host_test::wit::RetryPolicy {
        max_attempts: Some(1),
        initial_delay_ms: None,
        max_delay_ms: None,
    });
    harness()
        .create(&cfg, &records, &options)
        .await
        .expect("no trap")
        .value
}

#[tokio::test(flavor = "multi_thread")]
async fn a_400_array_is_a_validation_error_with_the_apis_message() {
    let emu = emulator();
    answer_next_post(
        &emu,
        Canned::json(
            400,
            json!([{"error_key": "contacts.api.validation.error", "error_message": "first_name exceeds 50 characters"}]),
        ),
    );
    let outcomes = create_one(&emu).await;
    match &outcomes[0] {
        Outcome::Failed(Error::Validation(v)) => {
            assert_eq!(v.status, Some(400));
            assert_eq!(
                v.error_key.as_deref(),
                Some("contacts.api.validation.error")
            );
            assert!(
                v.message.contains("first_name exceeds 50 characters"),
                "{}",
                v.message
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(
        matches!(outcomes[1], Outcome::Created(_)),
        "one bad record never fails the batch"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_object_is_unauthorized_and_stops_the_batch() {
    let emu = emulator();
    answer_next_post(
        &emu,
        Canned::json(
            401,
            json!({"error_key": "unauthorized", "error_message": "Unauthorized"}),
        ),
    );
    let outcomes = create_one(&emu).await;
    match &outcomes[0] {
        Outcome::Failed(Error::Unauthorized(f)) => {
            assert_eq!(f.status, 401);
            assert_eq!(f.error_key.as_deref(), Some("unauthorized"));
        }
        other => panic!("expected unauthorized, got {other:?}"),
    }
    assert!(
        matches!(outcomes[1], Outcome::NotAttempted(Error::Unauthorized(_))),
        "{:?}",
        outcomes[1]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_415_is_reported_with_its_status() {
    let emu = emulator();
    answer_next_post(
        &emu,
        Canned::json(
            415,
            json!([{"error_key": "contacts.api.unsupported_media_type", "error_message": "Unsupported Media Type"}]),
        ),
    );
    let outcomes = create_one(&emu).await;
    // The connector sent a body the API could not read: not the record's fault, so a bad
    // response rather than a validation error.
    match &outcomes[0] {
        Outcome::Failed(Error::BadResponse(b)) => {
            assert_eq!(b.status, 415);
            assert!(
                b.message.contains("Unsupported Media Type"),
                "{}",
                b.message
            );
        }
        other => panic!("expected a bad response for the 415, got {other:?}"),
    }
    assert!(matches!(outcomes[1], Outcome::Created(_)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_500_with_an_empty_body_is_a_server_error() {
    let emu = emulator();
    answer_next_post(&emu, Canned::empty(500));
    let outcomes = create_one(&emu).await;
    match &outcomes[0] {
        Outcome::Failed(Error::ServerError(f)) => assert_eq!(f.status, 500),
        other => panic!("expected a server error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_502_with_an_html_body_is_a_server_error() {
    let emu = emulator();
    answer_next_post(
        &emu,
        Canned::html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
    );
    let outcomes = create_one(&emu).await;
    match &outcomes[0] {
        Outcome::Failed(Error::ServerError(f)) => {
            assert_eq!(f.status, 502);
            assert!(!f.message.is_empty());
        }
        other => panic!("expected a server error, got {other:?}"),
    }
    assert!(matches!(outcomes[1], Outcome::Created(_)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_success_status_with_an_unreadable_body_is_a_bad_response() {
    let emu = emulator();
    answer_next_post(&emu, Canned::html(201, "<p>created, probably</p>"));
    let outcomes = create_one(&emu).await;
    assert!(
        matches!(&outcomes[0], Outcome::Failed(Error::BadResponse(b)) if b.status == 201),
        "{:?}",
        outcomes[0]
    );
}
