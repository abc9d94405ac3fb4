//! Delete: by id and by email, already deleted, not found, 204 without a content type.

use serde_json::json;

use super::*;
use crate::http::Method;
use crate::testing::{Harness, resource};
use crate::wit::DeleteMode;

const ID: &str = "0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";

/// The activity in its default mode.
fn run(client: &Client, records: Vec<ContactRef>) -> Vec<Outcome> {
    super::run(client, records, &soft_delete_options())
}

fn soft_delete_options() -> DeleteOptions {
    DeleteOptions {
        mode: Some(DeleteMode::SoftDelete),
        opt_out_reason: None,
    }
}

fn only(outcomes: Vec<Outcome>) -> Outcome {
    assert_eq!(outcomes.len(), 1);
    outcomes.into_iter().next().unwrap()
}

fn deleted(already: bool) -> Outcome {
    Outcome::Deleted(Deletion {
        contact_id: ID.into(),
        already_deleted: already,
    })
}

#[test]
fn by_id_reads_then_deletes_and_accepts_an_empty_204() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        &format!("/v3/contacts/{ID}"),
        200,
        resource(ID, "a@b.co"),
    );
    h.expect(Method::Delete, &format!("/v3/contacts/{ID}"), 204, "");
    assert_eq!(
        only(run(&h.client, vec![ContactRef::Id(ID.into())])),
        deleted(false)
    );
    let delete = &h.requests()[1];
    assert_eq!(delete.body, None);
    assert_eq!(
        h.info_lines(),
        vec!["delete: 1 record: 1 deleted, 0 failed, 0 not attempted"]
    );
}

#[test]
fn an_already_deleted_contact_is_not_deleted_again() {
    let h = Harness::new();
    let mut gone = resource(ID, "a@b.co");
    gone["deleted_at"] = json!("2024-12-01");
    h.expect_json(Method::Get, &format!("/v3/contacts/{ID}"), 200, gone);
    assert_eq!(
        only(run(&h.client, vec![ContactRef::Id(ID.into())])),
        deleted(true)
    );
}

#[test]
fn an_unknown_id_is_not_found() {
    let h = Harness::new();
    h.expect(Method::Get, &format!("/v3/contacts/{ID}"), 404, "");
    let outcome = only(run(&h.client, vec![ContactRef::Id(ID.into())]));
    assert!(
        matches!(outcome, Outcome::Failed(Error::NotFound(_))),
        "{outcome:?}"
    );
}

#[test]
fn by_email_uses_status_all_and_handles_each_case() {
    let h = Harness::new();
    let lookup = "/v3/contacts?email=a%40b.co&status=all";
    h.expect_json(
        Method::Get,
        lookup,
        200,
        json!({"contacts": [resource(ID, "a@b.co")]}),
    );
    h.expect(Method::Delete, &format!("/v3/contacts/{ID}"), 204, "");
    let mut gone = resource(ID, "a@b.co");
    gone["deleted_at"] = json!("2024-12-01");
    h.expect_json(Method::Get, lookup, 200, json!({"contacts": [gone]}));
    h.expect_json(Method::Get, lookup, 200, json!({"contacts": []}));
    let outcomes = run(
        &h.client,
        vec![
            ContactRef::Email("A@B.co".into()),
            ContactRef::Email("a@b.co".into()),
            ContactRef::Email("a@b.co ".into()),
        ],
    );
    assert_eq!(outcomes[0], deleted(false));
    assert_eq!(outcomes[1], deleted(true));
    assert!(matches!(outcomes[2], Outcome::Failed(Error::NotFound(_))));
    assert_eq!(
        h.info_lines(),
        vec!["delete: 3 records: 2 deleted (1 already), 1 failed, 0 not attempted"]
    );
}

#[test]
fn bad_references_are_refused_unsent() {
    let h = Harness::new();
    let outcomes = run(
        &h.client,
        vec![
            ContactRef::Id("x/../y".into()),
            ContactRef::Email("nope".into()),
        ],
    );
    let fields: Vec<String> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Failed(Error::Validation(v)) => v.fields[0].field.clone(),
            other => panic!("expected validation, got {other:?}"),
        })
        .collect();
    assert_eq!(fields, vec!["id", "email"]);
}

#[test]
fn unauthorized_marks_the_rest_not_attempted() {
    let h = Harness::new();
    h.expect(
        Method::Get,
        &format!("/v3/contacts/{ID}"),
        401,
        r#"{"error_key":"unauthorized","error_message":"Unauthorized"}"#,
    );
    let outcomes = run(
        &h.client,
        vec![ContactRef::Id(ID.into()), ContactRef::Id(ID.into())],
    );
    assert!(matches!(
        outcomes[0],
        Outcome::Failed(Error::Unauthorized(_))
    ));
    assert!(matches!(
        outcomes[1],
        Outcome::NotAttempted(Error::Unauthorized(_))
    ));
}

#[test]
fn a_404_to_a_retried_delete_of_a_contact_now_deleted_is_a_deletion() {
    let h = Harness::new();
    h.client.retry().set_policy(crate::api::retry::RetryPolicy {
        max_attempts: 2,
        initial_delay_ms: 10,
        max_delay_ms: 10,
    });
    let path = format!("/v3/contacts/{ID}");
    let mut gone = resource(ID, "a@b.co");
    gone["deleted_at"] = json!("2024-11-01");
    h.expect_json(Method::Get, &path, 200, resource(ID, "a@b.co"));
    h.expect_failure(
        Method::Delete,
        &path,
        crate::http::TransportError {
            kind: crate::wit::TransportKind::ConnectionReset,
            message: "the connection closed before the response".into(),
        },
    );
    h.expect(Method::Delete, &path, 404, "[]");
    h.expect_json(Method::Get, &path, 200, gone);
    assert_eq!(
        only(run(&h.client, vec![ContactRef::Id(ID.into())])),
        deleted(false)
    );
}

#[test]
fn a_404_to_a_delete_of_a_contact_still_there_is_not_found() {
    let h = Harness::new();
    let path = format!("/v3/contacts/{ID}");
    h.expect_json(Method::Get, &path, 200, resource(ID, "a@b.co"));
    h.expect(Method::Delete, &path, 404, "[]");
    h.expect_json(Method::Get, &path, 200, resource(ID, "a@b.co"));
    assert!(matches!(
        only(run(&h.client, vec![ContactRef::Id(ID.into())])),
        Outcome::Failed(Error::NotFound(_))
    ));
}

#[test]
fn an_opt_out_reason_with_a_soft_delete_is_refused_before_any_request() {
    let h = Harness::new();
    let options = DeleteOptions {
        mode: None,
        opt_out_reason: Some("moved away".into()),
    };
    let outcomes = super::run(&h.client, vec![ContactRef::Id(ID.into())], &options);
    let Outcome::Failed(Error::InvalidConfig(message)) = &outcomes[0] else {
        panic!("expected invalid-config, got {:?}", outcomes[0]);
    };
    assert!(message.contains("unsubscribe mode"), "{message}");
    assert!(h.requests().is_empty());
}
