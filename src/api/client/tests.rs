//! The client's request building, logging, pacing and failure mapping.

use serde_json::json;

use super::*;
use crate::log::Level;
use crate::testing::{Harness, TOKEN};
use crate::wit::TransportKind;

#[test]
fn get_goes_below_the_base_path_with_token_and_accept() {
    let h = Harness::new();
    h.expect(
        Method::Get,
        "/v3/contacts?limit=1",
        200,
        r#"{"contacts":[]}"#,
    );
    let response = h
        .client
        .get("/contacts?limit=1", Access::ReadContacts)
        .unwrap();
    assert_eq!(response.status, 200);
    let request = &h.requests()[0];
    assert_eq!(request.target.authority, "127.0.0.1:4010");
    assert_eq!(request.body, None);
}

#[test]
fn json_bodies_carry_content_type_and_length() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 201, "{}");
    h.client
        .post_json(
            "/contacts",
            &json!({"first_name": "Ann"}),
            Access::WriteContacts,
        )
        .unwrap();
    let request = &h.requests()[0];
    assert_eq!(request.header("content-length"), Some("20"));
    assert_eq!(h.body(0), json!({"first_name": "Ann"}));
}

#[test]
fn each_exchange_is_logged_at_debug_without_headers() {
    let h = Harness::new();
    h.expect(Method::Get, "/v3/contacts?limit=1", 200, "{}");
    h.client
        .get("/contacts?limit=1", Access::ReadContacts)
        .unwrap();
    let lines = h.log_lines();
    assert_eq!(lines.len(), 1);
    let (level, context, message) = &lines[0];
    assert_eq!(*level, Level::Debug);
    assert_eq!(context, "cc-connector::http");
    assert_eq!(message, "GET /v3/contacts?limit=1 -> 200, 2 bytes, 0 ms");
    assert!(!message.contains("Bearer"));
}

#[test]
fn requests_are_paced() {
    let mut given = crate::testing::config(TOKEN);
    given.pacing = Some(crate::wit::Pacing {
        requests_per_second: 10.0,
    });
    let h = Harness::with_config(given);
    for _ in 0..3 {
        h.expect(Method::Delete, "/v3/contacts/x", 204, "");
    }
    for _ in 0..3 {
        h.client
            .delete("/contacts/x", Access::WriteContacts)
            .unwrap();
    }
    assert_eq!(h.clock.sleeps(), vec![102_000_000, 102_000_000]);
}

#[test]
fn refusals_become_typed_errors() {
    let h = Harness::new();
    h.expect(
        Method::Get,
        "/v3/contacts",
        401,
        r#"{"error_key":"unauthorized","error_message":"Unauthorized"}"#,
    );
    let error = h.client.get("/contacts", Access::ReadContacts).unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)));
}

#[test]
fn transport_failures_keep_their_kind_and_name_the_request() {
    let h = Harness::new();
    h.expect_failure(
        Method::Get,
        "/v3/contacts",
        crate::http::TransportError {
            kind: TransportKind::ConnectionRefused,
            message: "the connection was refused".into(),
        },
    );
    let Error::Transport(t) = h.client.get("/contacts", Access::ReadContacts).unwrap_err() else {
        panic!("expected a transport error");
    };
    assert_eq!(t.kind, TransportKind::ConnectionRefused);
    assert_eq!(
        t.message,
        "failed to send GET /v3/contacts to \"http://127.0.0.1:4010\": the connection was refused"
    );
}

#[test]
fn a_body_echoing_the_token_is_scrubbed_from_the_error() {
    let h = Harness::new();
    let echo = format!("<html>Authorization: Bearer {TOKEN}</html>");
    h.expect(Method::Get, "/v3/contacts", 502, &echo);
    let error = h.client.get("/contacts", Access::ReadContacts).unwrap_err();
    let text = format!("{error:?}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("<redacted>"), "{text}");
}

#[test]
fn unparseable_success_bodies_are_bad_responses() {
    let h = Harness::new();
    h.expect(
        Method::Get,
        "/v3/account/summary",
        200,
        "<html>login</html>",
    );
    let response = h
        .client
        .get("/account/summary", Access::ReadAccount)
        .unwrap();
    let error = h
        .client
        .read_json::<crate::api::wire::AccountSummary>(&response, "the account summary")
        .unwrap_err();
    let Error::BadResponse(b) = error else {
        panic!("expected bad-response");
    };
    assert_eq!(b.status, 200);
    assert!(
        b.message
            .starts_with("failed to read the account summary: the API answered 200"),
        "{}",
        b.message
    );
}
