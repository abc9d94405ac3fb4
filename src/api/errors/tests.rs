//! Every status and body shape the mapping must handle.

use super::*;
use crate::wit::Error;

const CONFLICT_ID: &str = "0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";

fn map(status: u16, body: &str) -> Error {
    from_response(status, body.as_bytes(), Access::WriteContacts)
}

fn api(error: &Error) -> &ApiFailure {
    match error {
        Error::Unauthorized(f)
        | Error::NotFound(f)
        | Error::RateLimited(f)
        | Error::QuotaExhausted(f)
        | Error::ServerError(f) => f,
        Error::Forbidden(f) => &f.failure,
        Error::Conflict(f) => &f.failure,
        other => panic!("no api-failure in {other:?}"),
    }
}

#[test]
fn array_body_messages_are_joined() {
    let body = r#"[{"error_key":"contacts.api.validation.error","error_message":"first"},
                   {"error_key":"other","error_message":"second"}]"#;
    let error = map(500, body);
    let failure = api(&error);
    assert!(matches!(error, Error::ServerError(_)));
    assert_eq!(failure.message, "first; second");
    assert_eq!(
        failure.error_key.as_deref(),
        Some("contacts.api.validation.error")
    );
    assert_eq!(failure.status, 500);
}

#[test]
fn single_object_body_is_understood() {
    let error = map(
        401,
        r#"{"error_key":"unauthorized","error_message":"Unauthorized"}"#,
    );
    assert_eq!(
        error,
        Error::Unauthorized(ApiFailure {
            status: 401,
            error_key: Some("unauthorized".into()),
            message: "Unauthorized".into(),
        })
    );
}

#[test]
fn oauth_style_and_bare_message_objects_are_understood() {
    let oauth = map(
        401,
        r#"{"error":"invalid_token","error_description":"expired"}"#,
    );
    assert_eq!(api(&oauth).error_key.as_deref(), Some("invalid_token"));
    assert_eq!(api(&oauth).message, "expired");
    let bare = map(404, r#"{"message":"no such thing"}"#);
    assert_eq!(api(&bare).message, "no such thing");
    let string = map(404, r#""gone""#);
    assert_eq!(api(&string).message, "gone");
}

#[test]
fn empty_html_text_and_odd_json_bodies_are_described() {
    assert_eq!(api(&map(502, "")).message, "HTTP 502 with an empty body");
    assert_eq!(
        api(&map(502, "  \n")).message,
        "HTTP 502 with an empty body"
    );

    let html = "<html><head><title>502 Bad Gateway</title></head>\
                <body><h1>Bad\tGateway</h1></body></html>";
    assert_eq!(
        api(&map(502, html)).message,
        "HTTP 502 with an HTML body: \"502 Bad Gateway Bad Gateway\""
    );
    assert_eq!(
        api(&map(503, "<br/>")).message,
        "HTTP 503 with an HTML body"
    );

    let long = "x".repeat(500);
    let text = api(&map(500, &long)).message.clone();
    assert!(
        text.starts_with("HTTP 500 with a text body: \"xxx"),
        "{text}"
    );
    assert!(text.chars().count() < 130, "{text}");

    assert_eq!(
        api(&map(500, "[1, 2]")).message,
        "HTTP 500 with an unexpected JSON body"
    );
    assert_eq!(
        api(&map(500, "{}")).message,
        "HTTP 500 with an unexpected JSON body"
    );
    assert_eq!(
        api(&map(500, "null")).message,
        "HTTP 500 with an unexpected JSON body"
    );
    assert_eq!(
        api(&map(500, r#"[{"error_key":"k"}]"#)).message,
        "HTTP 500 with error key \"k\""
    );
}

#[test]
fn control_characters_and_quotes_are_removed_from_snippets() {
    let message = api(&map(500, "bad\u{0007}\"quoted\"\r\nline"))
        .message
        .clone();
    assert_eq!(message, "HTTP 500 with a text body: \"bad quoted line\"");
}

#[test]
fn invalid_utf8_never_panics() {
    let error = from_response(500, &[0xff, 0xfe, b'<', 0x80], Access::ReadContacts);
    assert!(matches!(error, Error::ServerError(_)));
}

#[test]
fn bad_request_is_validation_with_named_fields() {
    let body = r#"[{"error_key":"contacts.api.validation.error",
        "error_message":"create_source is missing, create_source does not have a valid value"}]"#;
    let Error::Validation(v) = map(400, body) else {
        panic!("expected validation");
    };
    assert_eq!(v.status, Some(400));
    assert_eq!(
        v.error_key.as_deref(),
        Some("contacts.api.validation.error")
    );
    assert_eq!(
        v.fields,
        vec![
            field("create_source", "is missing"),
            field("create_source", "does not have a valid value"),
        ]
    );
    assert_eq!(
        v.message,
        "create_source is missing, create_source does not have a valid value"
    );
}

#[test]
fn bad_request_without_a_field_name_has_no_fields() {
    let body =
        r#"[{"error_key":"contacts.api.bad_request","error_message":"Sequence ID is invalid."}]"#;
    let Error::Validation(v) = map(400, body) else {
        panic!("expected validation");
    };
    assert!(v.fields.is_empty());
    assert_eq!(v.message, "Sequence ID is invalid.");

    let Error::Validation(v) = map(400, "<html>oops</html>") else {
        panic!("expected validation");
    };
    assert!(v.fields.is_empty());
    assert_eq!(v.message, "HTTP 400 with an HTML body: \"oops\"");
}

#[test]
fn forbidden_names_the_scope_and_privilege_of_the_operation() {
    let cases = [
        (Access::ReadContacts, "contact_data", "contacts:read"),
        (Access::WriteContacts, "contact_data", "contacts:write"),
        (Access::ReadAccount, "account_read", "account:read"),
    ];
    for (access, scope, privilege) in cases {
        let Error::Forbidden(f) = from_response(403, b"", access) else {
            panic!("expected forbidden");
        };
        assert_eq!(f.required_scope.as_deref(), Some(scope));
        assert_eq!(f.required_privilege.as_deref(), Some(privilege));
        assert_eq!(f.failure.message, "HTTP 403 with an empty body");
    }
}

#[test]
fn not_found_is_not_found() {
    let body = r#"[{"error_key":"contacts.api.not_found","error_message":"contact_id is in an invalid format."}]"#;
    let error = map(404, body);
    assert!(matches!(error, Error::NotFound(_)));
    assert_eq!(api(&error).message, "contact_id is in an invalid format.");
}

#[test]
fn conflict_carries_the_existing_id_when_the_message_names_one() {
    let body = format!(
        r#"[{{"error_key":"contacts.api.conflict","error_message":"Validation failed: Email already exists for contact {CONFLICT_ID}."}}]"#
    );
    let Error::Conflict(c) = map(409, &body) else {
        panic!("expected conflict");
    };
    assert_eq!(c.existing_contact_id.as_deref(), Some(CONFLICT_ID));
    assert_eq!(
        c.failure.error_key.as_deref(),
        Some("contacts.api.conflict")
    );

    let old = r#"[{"error_key":"contacts.api.conflict","error_message":"Validation failed: EmailAddress is not unique"}]"#;
    let Error::Conflict(c) = map(409, old) else {
        panic!("expected conflict");
    };
    assert_eq!(c.existing_contact_id, None);
}

#[test]
fn unsupported_media_type_is_a_bad_response() {
    let Error::BadResponse(b) = map(415, r#"[{"error_message":"Unsupported Media Type"}]"#) else {
        panic!("expected bad-response");
    };
    assert_eq!(b.status, 415);
    assert!(
        b.message.contains("could not read its body"),
        "{}",
        b.message
    );
    assert!(
        b.message.contains("Unsupported Media Type"),
        "{}",
        b.message
    );
}

#[test]
fn too_many_requests_splits_on_the_error_key() {
    let quota = map(
        429,
        r#"{"error_key":"quota_exceeded","error_message":"Limit Exceeded"}"#,
    );
    assert!(matches!(quota, Error::QuotaExhausted(_)));
    let throttled = map(
        429,
        r#"{"error_key":"throttled","error_message":"Too Many Requests"}"#,
    );
    assert!(matches!(throttled, Error::RateLimited(_)));
    assert!(matches!(map(429, ""), Error::RateLimited(_)));
}

#[test]
fn server_errors_and_other_statuses() {
    for status in [500, 502, 503, 599] {
        assert!(matches!(map(status, ""), Error::ServerError(_)), "{status}");
    }
    for status in [301, 405, 410, 418] {
        let Error::BadResponse(b) = map(status, "") else {
            panic!("expected bad-response for {status}");
        };
        assert_eq!(b.status, status);
        assert!(
            b.message.contains(&format!("HTTP {status}")),
            "{}",
            b.message
        );
    }
}

#[test]
fn forged_log_lines_in_api_messages_are_flattened() {
    let body = serde_json::json!([
        {"error_key": "k", "error_message": "line one\nFAKE LOG LINE\u{1b}[2J"},
    ])
    .to_string();
    let Error::Validation(v) = from_response(400, body.as_bytes(), Access::WriteContacts) else {
        panic!("expected validation");
    };
    assert!(
        v.message.contains("line one FAKE LOG LINE"),
        "{}",
        v.message
    );
    assert!(!v.message.chars().any(char::is_control), "{:?}", v.message);
}
