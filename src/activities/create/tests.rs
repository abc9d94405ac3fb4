//! Create: normalisation, validation, the request body and every conflict policy.

use serde_json::{Value, json};

use super::*;
use crate::catalog::Catalog;
use crate::http::{Method, TransportError};
use crate::testing::{Harness, contact, email, resource};
use crate::wit::{Permission, TransportKind};

const NEW_ID: &str = "af73e650-96f0-11ef-b2a0-fa163eafb85e";
const OLD_ID: &str = "0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";
const LIST: &str = "07936f78-662a-11eb-af0a-fa163e56c9b0";
const LOOKUP: &str = "/v3/contacts?email=ann%40example.com&status=all";
const LOOKUP_WHOLE: &str = "/v3/contacts?email=ann%40example.com&status=all\
    &include=custom_fields,list_memberships,phone_numbers,street_addresses,taggings,notes";
const GET_WHOLE: &str = "/v3/contacts/0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1\
    ?include=custom_fields,list_memberships,phone_numbers,street_addresses,taggings,notes";
const PUT_OLD: &str = "/v3/contacts/0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";

/// The activity with a fresh catalog, as a new connection has.
fn run(client: &Client, records: Vec<Contact>, options: &CreateOptions) -> Vec<Outcome> {
    super::run(client, &Catalog::default(), records, options)
}

fn options(policy: Option<ConflictPolicy>) -> CreateOptions {
    CreateOptions {
        create_source: None,
        on_conflict: policy,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    }
}

fn ann() -> Contact {
    let mut c = contact();
    c.email_address = Some(email("  Ann@Example.com"));
    c.first_name = Some("Ann".into());
    c
}

fn conflict_body(with_id: bool) -> String {
    let message = if with_id {
        format!("Validation failed: Email already exists for contact {OLD_ID}.")
    } else {
        "Validation failed: EmailAddress is not unique".to_owned()
    };
    json!([{"error_key": "contacts.api.conflict", "error_message": message}]).to_string()
}

fn holder(deleted: bool) -> Value {
    let mut r = resource(OLD_ID, "ann@example.com");
    r["last_name"] = json!("Lee");
    r["list_memberships"] = json!([LIST]);
    if deleted {
        r["deleted_at"] = json!("2024-12-01");
        r["list_memberships"] = json!([]);
    }
    r
}

/// The conflict an outcome failed with.
fn conflict(outcome: Outcome) -> ConflictFailure {
    match outcome {
        Outcome::Failed(Error::Conflict(c)) => c,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn only(outcomes: Vec<Outcome>) -> Outcome {
    assert_eq!(outcomes.len(), 1);
    outcomes.into_iter().next().unwrap()
}

#[test]
fn creates_with_a_normalised_email_and_a_note() {
    let h = Harness::new();
    h.expect_json(
        Method::Post,
        "/v3/contacts",
        201,
        resource(NEW_ID, "ann@example.com"),
    );
    let outcome = only(run(&h.client, vec![ann()], &options(None)));
    assert_eq!(
        outcome,
        Outcome::Created(Written {
            contact_id: NEW_ID.into(),
            notes: vec![
                "email address \"  Ann@Example.com\" was normalised to \"ann@example.com\"".into()
            ],
            losses: vec![],
        })
    );
    assert_eq!(
        h.body(0),
        json!({
            "email_address": {"address": "ann@example.com"},
            "first_name": "Ann",
            "create_source": "Account"
        })
    );
    assert_eq!(
        h.info_lines(),
        vec!["create: 1 record: 1 created, 0 skipped, 0 failed, 0 not attempted"]
    );
}

#[test]
fn the_body_holds_only_writable_fields_and_the_chosen_source() {
    let h = Harness::new();
    h.expect_json(
        Method::Post,
        "/v3/contacts",
        201,
        resource(NEW_ID, "ann@example.com"),
    );
    let mut c = ann();
    c.contact_id = Some(OLD_ID.into());
    c.created_at = Some("2020-01-01T00:00:00Z".into());
    c.update_source = Some(Source::Contact);
    c.deleted_at = Some("2020-01-02".into());
    c.list_memberships = Some(vec![LIST.into()]);
    let e = c.email_address.as_mut().unwrap();
    e.permission_to_send = Some(Permission::PendingConfirmation);
    e.opt_in_source = Some(Source::Contact);
    e.opt_out_date = Some("2020-01-01T00:00:00Z".into());
    e.confirm_status = Some(crate::wit::ConfirmStatus::Confirmed);
    let given = CreateOptions {
        create_source: Some(Source::Contact),
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    };
    run(&h.client, vec![c], &given);
    assert_eq!(
        h.body(0),
        json!({
            "email_address": {"address": "ann@example.com", "permission_to_send": "pending_confirmation"},
            "first_name": "Ann",
            "create_source": "Contact",
            "list_memberships": [LIST]
        })
    );
}

#[test]
fn invalid_records_fail_without_a_request() {
    let h = Harness::new();
    let mut bad_email = contact();
    bad_email.email_address = Some(email("ann.example.com"));
    let mut long_name = ann();
    long_name.last_name = Some("x".repeat(51));
    let outcomes = run(
        &h.client,
        vec![bad_email, long_name, contact()],
        &options(None),
    );
    let fields: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Failed(Error::Validation(v)) => {
                assert_eq!(v.status, None);
                assert!(
                    v.message.starts_with("failed to validate the contact: "),
                    "{}",
                    v.message
                );
                v.fields.iter().map(|f| f.field.clone()).collect()
            }
            other => panic!("expected a validation failure, got {other:?}"),
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            vec!["email_address.address"],
            vec!["last_name"],
            vec!["email_address"]
        ]
    );
    assert!(h.requests().is_empty());
}

#[test]
fn conflict_with_the_id_in_the_message_fails_by_default() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(true));
    h.expect_json(Method::Get, PUT_OLD, 200, holder(false));
    let c = conflict(only(run(&h.client, vec![ann()], &options(None))));
    assert_eq!(c.existing_contact_id.as_deref(), Some(OLD_ID));
    assert_eq!(c.failure.status, 409);
    assert!(
        c.failure.message.contains("Email already exists"),
        "{}",
        c.failure.message
    );
}

#[test]
fn conflict_with_a_deleted_holder_says_so() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(true));
    h.expect_json(Method::Get, PUT_OLD, 200, holder(true));
    let c = conflict(only(run(&h.client, vec![ann()], &options(None))));
    assert_eq!(c.existing_contact_id.as_deref(), Some(OLD_ID));
    assert!(
        c.failure.message.contains("belongs to deleted contact"),
        "{}",
        c.failure.message
    );
}

#[test]
fn conflict_whose_holder_cannot_be_read_still_reports_the_conflict() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(true));
    h.expect(Method::Get, PUT_OLD, 500, "");
    let c = conflict(only(run(&h.client, vec![ann()], &options(None))));
    assert_eq!(c.existing_contact_id.as_deref(), Some(OLD_ID));
}

#[test]
fn conflict_without_an_id_looks_the_holder_up_with_status_all() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(false));
    h.expect_json(
        Method::Get,
        LOOKUP,
        200,
        json!({"contacts": [holder(true)]}),
    );
    let outcome = only(run(
        &h.client,
        vec![ann()],
        &options(Some(ConflictPolicy::Fail)),
    ));
    let Outcome::Failed(Error::Conflict(c)) = outcome else {
        panic!("expected a conflict");
    };
    assert_eq!(c.existing_contact_id.as_deref(), Some(OLD_ID));
}

#[test]
fn conflict_whose_holder_cannot_be_found_still_fails() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(false));
    h.expect_json(Method::Get, LOOKUP, 200, json!({"contacts": []}));
    let c = conflict(only(run(&h.client, vec![ann()], &options(None))));
    assert_eq!(c.existing_contact_id, None);
    assert!(
        c.failure.message.contains("no contact, active or deleted"),
        "{}",
        c.failure.message
    );
}

#[test]
fn skip_reports_the_holder() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(true));
    h.expect_json(Method::Get, PUT_OLD, 200, holder(false));
    let outcome = only(run(
        &h.client,
        vec![ann()],
        &options(Some(ConflictPolicy::Skip)),
    ));
    assert_eq!(
        outcome,
        Outcome::Skipped(Skip {
            contact_id: Some(OLD_ID.into()),
            reason: format!(
                "email address \"ann@example.com\" already belongs to contact \"{OLD_ID}\""
            ),
        })
    );

    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(false));
    h.expect_json(
        Method::Get,
        LOOKUP,
        200,
        json!({"contacts": [holder(true)]}),
    );
    let Outcome::Skipped(skip) = only(run(
        &h.client,
        vec![ann()],
        &options(Some(ConflictPolicy::Skip)),
    )) else {
        panic!("expected a skip");
    };
    assert!(skip.reason.contains("deleted contact"), "{}", skip.reason);
}

#[test]
fn update_policy_merges_into_the_holder() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(true));
    h.expect_json(Method::Get, GET_WHOLE, 200, holder(false));
    h.expect_json(Method::Put, PUT_OLD, 200, holder(false));
    let outcome = only(run(
        &h.client,
        vec![ann()],
        &options(Some(ConflictPolicy::Update)),
    ));
    let Outcome::Updated(written) = outcome else {
        panic!("expected an update, got {outcome:?}");
    };
    assert_eq!(written.contact_id, OLD_ID);
    assert_eq!(written.notes.len(), 2);
    assert!(
        written.notes[1].contains("was merged into it"),
        "{:?}",
        written.notes
    );
    assert_eq!(
        h.body(2),
        json!({
            "email_address": {"address": "ann@example.com", "permission_to_send": "implicit"},
            "first_name": "Ann",
            "last_name": "Lee",
            "update_source": "Account",
            "list_memberships": [LIST]
        })
    );
}

#[test]
fn update_policy_never_revives_a_deleted_holder() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(true));
    h.expect_json(Method::Get, GET_WHOLE, 200, holder(true));
    let outcome = only(run(
        &h.client,
        vec![ann()],
        &options(Some(ConflictPolicy::Update)),
    ));
    let Outcome::Failed(Error::Conflict(c)) = outcome else {
        panic!("expected a conflict, got {outcome:?}");
    };
    assert_eq!(c.existing_contact_id.as_deref(), Some(OLD_ID));
    assert!(
        c.failure.message.contains("belongs to deleted contact"),
        "{}",
        c.failure.message
    );
    assert!(
        c.failure
            .message
            .contains("only an explicit update restores"),
        "{}",
        c.failure.message
    );

    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(false));
    h.expect_json(
        Method::Get,
        LOOKUP_WHOLE,
        200,
        json!({"contacts": [holder(true)]}),
    );
    let outcome = only(run(
        &h.client,
        vec![ann()],
        &options(Some(ConflictPolicy::Update)),
    ));
    assert!(
        matches!(outcome, Outcome::Failed(Error::Conflict(_))),
        "{outcome:?}"
    );
}

#[test]
fn a_fatal_error_stops_the_batch() {
    let h = Harness::new();
    h.expect_json(
        Method::Post,
        "/v3/contacts",
        201,
        resource(NEW_ID, "ann@example.com"),
    );
    h.expect(
        Method::Post,
        "/v3/contacts",
        429,
        r#"{"error_key":"quota_exceeded","error_message":"Limit Exceeded"}"#,
    );
    let outcomes = run(
        &h.client,
        vec![ann(), ann(), ann(), contact()],
        &options(None),
    );
    assert!(matches!(outcomes[0], Outcome::Created(_)));
    // The refused record was not applied, so it is as much not attempted as the rest.
    let Outcome::NotAttempted(quota) = &outcomes[1] else {
        panic!("expected not-attempted, got {:?}", outcomes[1]);
    };
    assert!(matches!(quota, Error::QuotaExhausted(_)));
    assert_eq!(outcomes[2], Outcome::NotAttempted(quota.clone()));
    assert_eq!(outcomes[3], Outcome::NotAttempted(quota.clone()));
    assert_eq!(
        h.info_lines(),
        vec!["create: 4 records: 1 created, 0 skipped, 0 failed, 3 not attempted"]
    );
}

#[test]
fn non_fatal_errors_fail_only_their_record() {
    let h = Harness::new();
    // Uncertain failures are looked up before they are reported; nobody holds the address.
    h.expect(Method::Post, "/v3/contacts", 503, "");
    h.expect(Method::Get, LOOKUP, 200, r#"{"contacts":[]}"#);
    h.expect_failure(
        Method::Post,
        "/v3/contacts",
        TransportError {
            kind: TransportKind::Timeout,
            message: "the first-byte timeout expired".into(),
        },
    );
    h.expect(Method::Get, LOOKUP, 200, r#"{"contacts":[]}"#);
    h.expect(
        Method::Post,
        "/v3/contacts",
        400,
        r#"[{"error_key":"contacts.api.validation.error","error_message":"first_name is invalid"}]"#,
    );
    h.expect_json(
        Method::Post,
        "/v3/contacts",
        201,
        resource(NEW_ID, "ann@example.com"),
    );
    let outcomes = run(&h.client, vec![ann(), ann(), ann(), ann()], &options(None));
    assert!(matches!(
        outcomes[0],
        Outcome::Failed(Error::ServerError(_))
    ));
    assert!(matches!(outcomes[1], Outcome::Failed(Error::Transport(_))));
    let Outcome::Failed(Error::Validation(v)) = &outcomes[2] else {
        panic!("expected an API validation failure");
    };
    assert_eq!(v.status, Some(400));
    assert_eq!(v.fields[0].field, "first_name");
    assert!(matches!(outcomes[3], Outcome::Created(_)));
}

#[test]
fn a_denied_destination_is_fatal() {
    let h = Harness::new();
    h.expect_failure(
        Method::Post,
        "/v3/contacts",
        TransportError {
            kind: TransportKind::Denied,
            message: "the host does not allow this destination".into(),
        },
    );
    let outcomes = run(&h.client, vec![ann(), ann()], &options(None));
    assert!(matches!(
        outcomes[1],
        Outcome::NotAttempted(Error::Transport(_))
    ));
}

#[test]
fn a_created_answer_without_an_id_is_a_bad_response() {
    let h = Harness::new();
    h.expect(Method::Post, "/v3/contacts", 201, "{}");
    let outcome = only(run(&h.client, vec![ann()], &options(None)));
    assert!(
        matches!(outcome, Outcome::Failed(Error::BadResponse(_))),
        "{outcome:?}"
    );
}

#[test]
fn a_token_echoed_by_the_api_reaches_neither_outcomes_nor_logs() {
    let h = Harness::new();
    let echo = json!([{
        "error_key": "server",
        "error_message": format!("bad header: Bearer {}", crate::testing::TOKEN)
    }]);
    h.expect_json(Method::Post, "/v3/contacts", 500, echo);
    h.expect(Method::Get, LOOKUP, 200, r#"{"contacts":[]}"#);
    let outcome = only(run(&h.client, vec![ann()], &options(None)));
    let text = format!("{outcome:?}");
    assert!(!text.contains(crate::testing::TOKEN), "{text}");
    assert!(text.contains("bad header: Bearer <redacted>"), "{text}");
    let logged = h
        .log_lines()
        .into_iter()
        .any(|(_, _, line)| line.contains("bad header: Bearer <redacted>"));
    assert!(
        logged,
        "the failed record's debug line carries the scrubbed message"
    );
}

/// A resource the API created just now (any time after the attempt counts).
fn fresh(id: &str, first_name: &str) -> Value {
    let mut json = resource(id, "ann@example.com");
    json["created_at"] = "2999-01-01T00:00:00Z".into();
    json["first_name"] = first_name.into();
    json
}

fn retrying(h: &Harness, max_attempts: u32) {
    h.client.retry().set_policy(crate::api::retry::RetryPolicy {
        max_attempts,
        initial_delay_ms: 100,
        max_delay_ms: 1000,
    });
}

/// The debug lines of the pauses before retries.
fn retry_lines(h: &Harness) -> Vec<String> {
    h.log_lines()
        .into_iter()
        .map(|(_, _, line)| line)
        .filter(|line| line.contains(": retry "))
        .collect()
}

fn reset() -> TransportError {
    TransportError {
        kind: TransportKind::ConnectionReset,
        message: "the connection closed before the response".into(),
    }
}

#[test]
fn a_lost_answer_whose_create_landed_is_reported_created_without_a_second_post() {
    let h = Harness::new();
    retrying(&h, 3);
    h.expect_failure(Method::Post, "/v3/contacts", reset());
    h.expect_json(
        Method::Get,
        LOOKUP,
        200,
        json!({"contacts": [fresh(NEW_ID, "Ann")]}),
    );
    let Outcome::Created(written) = only(run(&h.client, vec![ann()], &options(None))) else {
        panic!("expected created");
    };
    assert_eq!(written.contact_id, NEW_ID);
    assert!(
        written
            .notes
            .iter()
            .any(|n| n.contains("answer to the create was lost")),
        "{:?}",
        written.notes
    );
    assert_eq!(retry_lines(&h).len(), 1, "one pause before the lookup");
    assert!(
        h.info_lines()[0].ends_with("; 1 retry"),
        "{:?}",
        h.info_lines()
    );
}

#[test]
fn a_failed_create_that_did_not_land_is_posted_again() {
    let h = Harness::new();
    retrying(&h, 3);
    h.expect(
        Method::Post,
        "/v3/contacts",
        502,
        "<html>bad gateway</html>",
    );
    h.expect(Method::Get, LOOKUP, 200, r#"{"contacts":[]}"#);
    h.expect_json(Method::Post, "/v3/contacts", 201, fresh(NEW_ID, "Ann"));
    let Outcome::Created(written) = only(run(&h.client, vec![ann()], &options(None))) else {
        panic!("expected created");
    };
    assert_eq!(written.contact_id, NEW_ID);
    let lines = retry_lines(&h);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let delay: u64 = lines[0]
        .split(" in ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|ms| ms.parse().ok())
        .expect("a delay");
    assert!((50..=100).contains(&delay), "{lines:?}");
    assert!(
        lines[0].ends_with(
            "POST /v3/contacts: retry 1 of 2 in {delay} ms after HTTP 502 server error; the address is looked up before posting again"
                .replace("{delay}", &delay.to_string())
                .as_str()
        ),
        "{lines:?}"
    );
}

#[test]
fn an_older_holder_found_after_a_lost_answer_is_a_conflict() {
    let h = Harness::new();
    retrying(&h, 3);
    h.expect_failure(Method::Post, "/v3/contacts", reset());
    let mut older = resource(OLD_ID, "ann@example.com");
    older["first_name"] = "Ann".into();
    h.expect_json(
        Method::Get,
        LOOKUP,
        200,
        json!({"contacts": [older.clone()]}),
    );
    h.expect_json(Method::Get, &format!("/v3/contacts/{OLD_ID}"), 200, older);
    let Outcome::Failed(Error::Conflict(conflict)) =
        only(run(&h.client, vec![ann()], &options(None)))
    else {
        panic!("expected a conflict");
    };
    assert_eq!(conflict.existing_contact_id.as_deref(), Some(OLD_ID));
}

#[test]
fn a_conflict_after_a_lost_answer_is_settled_by_the_holder() {
    let h = Harness::new();
    retrying(&h, 3);
    // The lookup missed the contact (the API was slow to show it); the second POST then
    // meets the first one's contact.
    h.expect(Method::Post, "/v3/contacts", 504, "");
    h.expect(Method::Get, LOOKUP, 200, r#"{"contacts":[]}"#);
    h.expect(Method::Post, "/v3/contacts", 409, &conflict_body(true));
    h.expect_json(
        Method::Get,
        LOOKUP,
        200,
        json!({"contacts": [fresh(NEW_ID, "Ann")]}),
    );
    let Outcome::Created(written) = only(run(&h.client, vec![ann()], &options(None))) else {
        panic!("expected created");
    };
    assert_eq!(written.contact_id, NEW_ID);
}

#[test]
fn uncertain_failures_give_up_after_the_last_attempt() {
    let h = Harness::new();
    retrying(&h, 2);
    for _ in 0..2 {
        h.expect(Method::Post, "/v3/contacts", 500, "");
        h.expect(Method::Get, LOOKUP, 200, r#"{"contacts":[]}"#);
    }
    let outcome = only(run(&h.client, vec![ann()], &options(None)));
    assert!(
        matches!(outcome, Outcome::Failed(Error::ServerError(_))),
        "{outcome:?}"
    );
    assert_eq!(retry_lines(&h).len(), 1, "no pause after the last attempt");
}
