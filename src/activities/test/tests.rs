//! Connection test diagnoses.

use serde_json::json;

use super::*;
use crate::errors::message;
use crate::http::{Method, TransportError};
use crate::testing::Harness;

const SUMMARY: &str = "/v3/account/summary";
const CONTACTS: &str = "/v3/contacts?limit=1";

fn summary_body() -> serde_json::Value {
    json!({
        "contact_email": "owner@example.com",
        "encoded_account_id": "p07e1l8cdif9dl",
        "organization_name": "Example Org",
        "first_name": "Pat"
    })
}

#[test]
fn success_reports_the_account() {
    let h = Harness::new();
    h.expect_json(Method::Get, SUMMARY, 200, summary_body());
    h.expect_json(
        Method::Get,
        CONTACTS,
        200,
        json!({"contacts": [], "_links": {}}),
    );
    let info = run(&h.client).unwrap();
    assert_eq!(
        info,
        AccountInfo {
            organization_name: Some("Example Org".into()),
            contact_email: Some("owner@example.com".into()),
            encoded_account_id: Some("p07e1l8cdif9dl".into()),
            contacts_readable: true,
            notes: vec![],
        }
    );
    assert_eq!(
        h.info_lines(),
        vec!["test: reached account \"Example Org\"; contacts are readable"]
    );
}

#[test]
fn summary_forbidden_but_contacts_readable_is_success_with_a_note() {
    let h = Harness::new();
    h.expect(
        Method::Get,
        SUMMARY,
        403,
        r#"[{"error_key":"forbidden","error_message":"Forbidden"}]"#,
    );
    h.expect_json(Method::Get, CONTACTS, 200, json!({"contacts": []}));
    let info = run(&h.client).unwrap();
    assert!(info.contacts_readable);
    assert_eq!(info.organization_name, None);
    assert_eq!(info.notes.len(), 1);
    assert!(info.notes[0].contains("account_read"), "{}", info.notes[0]);
}

#[test]
fn unauthorized_says_to_authorize_again_and_stops() {
    let h = Harness::new();
    h.expect(
        Method::Get,
        SUMMARY,
        401,
        r#"{"error_key":"unauthorized","error_message":"Unauthorized"}"#,
    );
    let error = run(&h.client).unwrap_err();
    let Error::Unauthorized(f) = &error else {
        panic!("expected unauthorized, got {error:?}");
    };
    assert_eq!(f.error_key.as_deref(), Some("unauthorized"));
    assert!(
        f.message.contains(
            "the access token was rejected: it is invalid, expired or revoked; \
                            authorize the connection again"
        ),
        "{}",
        f.message
    );
    assert_eq!(h.requests().len(), 1);
}

#[test]
fn contacts_forbidden_names_scope_and_privilege() {
    let h = Harness::new();
    h.expect_json(Method::Get, SUMMARY, 200, summary_body());
    h.expect(Method::Get, CONTACTS, 403, "");
    let Error::Forbidden(f) = run(&h.client).unwrap_err() else {
        panic!("expected forbidden");
    };
    assert_eq!(f.required_scope.as_deref(), Some("contact_data"));
    assert_eq!(f.required_privilege.as_deref(), Some("contacts:read"));
    assert!(
        f.failure.message.contains("grant the contact_data scope"),
        "{}",
        f.failure.message
    );
    assert!(
        f.failure.message.contains("contacts:read privilege"),
        "{}",
        f.failure.message
    );
}

#[test]
fn not_found_says_the_base_url_looks_wrong() {
    let h = Harness::new();
    h.expect(Method::Get, SUMMARY, 404, "<html>Not Found</html>");
    let Error::BadResponse(b) = run(&h.client).unwrap_err() else {
        panic!("expected bad-response");
    };
    assert_eq!(b.status, 404);
    assert!(
        b.message
            .contains("the API base URL \"http://127.0.0.1:4010/v3\" looks wrong"),
        "{}",
        b.message
    );
}

#[test]
fn a_non_api_answer_says_the_base_url_looks_wrong() {
    let h = Harness::new();
    h.expect(
        Method::Get,
        SUMMARY,
        200,
        "<!doctype html><title>Welcome</title>",
    );
    let error = run(&h.client).unwrap_err();
    assert!(matches!(error, Error::BadResponse(_)));
    assert!(
        message(&error).contains("looks wrong"),
        "{}",
        message(&error)
    );

    let h = Harness::new();
    h.expect_json(Method::Get, SUMMARY, 200, summary_body());
    h.expect_json(Method::Get, CONTACTS, 200, json!({"hello": "world"}));
    let error = run(&h.client).unwrap_err();
    assert!(
        message(&error).contains("GET /contacts?limit=1 answered 200"),
        "{}",
        message(&error)
    );
}

#[test]
fn transport_failures_keep_their_kind_with_advice() {
    let h = Harness::new();
    h.expect_failure(
        Method::Get,
        SUMMARY,
        TransportError {
            kind: TransportKind::Dns,
            message: "the host name did not resolve".into(),
        },
    );
    let Error::Transport(t) = run(&h.client).unwrap_err() else {
        panic!("expected transport");
    };
    assert_eq!(t.kind, TransportKind::Dns);
    assert!(
        t.message
            .starts_with("failed to test the connection: the host of"),
        "{}",
        t.message
    );
    assert!(
        t.message.contains("check the API base URL"),
        "{}",
        t.message
    );
    assert_eq!(h.info_lines().len(), 1);
    assert!(h.info_lines()[0].starts_with("test: failed: transport: "));
}

#[test]
fn server_errors_pass_through() {
    let h = Harness::new();
    h.expect(Method::Get, SUMMARY, 503, "");
    assert!(matches!(run(&h.client).unwrap_err(), Error::ServerError(_)));
}
