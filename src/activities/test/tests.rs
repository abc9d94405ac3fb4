//! Connection test diagnoses.

use serde_json::json;

use super::*;
use crate::errors::message;
use crate::http::{Method, TransportError};
use crate::testing::Harness;

const SUMMARY: &str = "/v3/account/summary";
const CONTACTS: &str = "/v3/contacts?limit=1";
const PRIVILEGES: &str = "/v3/account/user/privileges";

fn privileges(names: &[&str]) -> serde_json::Value {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| json!({"privilege_id": i, "privilege_name": name}))
        .collect()
}

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
            notes: vec![NO_REFRESH_TOKEN.to_owned()],
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
    h.expect_json(Method::Get, PRIVILEGES, 200, privileges(&["account:read"]));
    h.expect_json(Method::Get, CONTACTS, 200, json!({"contacts": []}));
    let info = run(&h.client).unwrap();
    assert!(info.contacts_readable);
    assert_eq!(info.organization_name, None);
    assert_eq!(
        info.notes,
        vec![
            NO_REFRESH_TOKEN.to_owned(),
            NO_ACCOUNT_READ_SCOPE.to_owned()
        ]
    );
}

#[test]
fn summary_forbidden_for_lack_of_privilege_says_so() {
    let h = Harness::new();
    h.expect(Method::Get, SUMMARY, 403, "");
    h.expect_json(Method::Get, PRIVILEGES, 200, privileges(&["contacts:read"]));
    h.expect_json(Method::Get, CONTACTS, 200, json!({"contacts": []}));
    let info = run(&h.client).unwrap();
    assert_eq!(info.notes[1], NO_ACCOUNT_READ_PRIVILEGE);
}

#[test]
fn contacts_forbidden_with_the_privilege_held_names_the_missing_scope() {
    let h = Harness::new();
    h.expect_json(Method::Get, SUMMARY, 200, summary_body());
    h.expect(Method::Get, CONTACTS, 403, "");
    h.expect_json(Method::Get, PRIVILEGES, 200, privileges(&["contacts:read"]));
    let Error::Forbidden(f) = run(&h.client).unwrap_err() else {
        panic!("expected forbidden");
    };
    assert_eq!(f.required_scope.as_deref(), Some("contact_data"));
    assert_eq!(f.required_privilege, None);
    assert!(
        f.failure
            .message
            .contains("the token is not granted the contact_data scope"),
        "{}",
        f.failure.message
    );
}

#[test]
fn contacts_forbidden_without_the_privilege_names_the_privilege() {
    let h = Harness::new();
    h.expect_json(Method::Get, SUMMARY, 200, summary_body());
    h.expect(Method::Get, CONTACTS, 403, "");
    h.expect_json(Method::Get, PRIVILEGES, 200, privileges(&["account:read"]));
    let Error::Forbidden(f) = run(&h.client).unwrap_err() else {
        panic!("expected forbidden");
    };
    assert_eq!(f.required_scope, None);
    assert_eq!(f.required_privilege.as_deref(), Some("contacts:read"));
    assert!(
        f.failure
            .message
            .contains("lacks the contacts:read privilege"),
        "{}",
        f.failure.message
    );
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
    h.expect(Method::Get, PRIVILEGES, 404, "");
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
