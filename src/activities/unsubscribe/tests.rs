//! Delete in unsubscribe mode: the opt-out PUT, contacts already out, deleted contacts left
//! alone.

use serde_json::json;

use super::*;
use crate::http::Method;
use crate::testing::{Harness, resource};

const ID: &str = "0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";

fn only(outcomes: Vec<Outcome>) -> Outcome {
    assert_eq!(outcomes.len(), 1);
    outcomes.into_iter().next().unwrap()
}

#[test]
fn the_address_is_opted_out_and_the_core_fields_sent_back() {
    let h = Harness::new();
    let mut stored = resource(ID, "ann@example.com");
    stored["first_name"] = json!("Ann");
    h.expect_json(
        Method::Get,
        &format!("/v3/contacts/{ID}"),
        200,
        stored.clone(),
    );
    h.expect_json(Method::Put, &format!("/v3/contacts/{ID}"), 200, stored);
    let outcome = only(run(
        &h.client,
        vec![ContactRef::Id(ID.into())],
        Some("asked by phone"),
    ));
    assert_eq!(
        outcome,
        Outcome::Unsubscribed(Unsubscription {
            contact_id: ID.into(),
            already_unsubscribed: false,
        })
    );
    assert_eq!(
        h.body(1),
        json!({
            "email_address": {
                "address": "ann@example.com",
                "permission_to_send": "unsubscribed",
                "opt_out_reason": "asked by phone"
            },
            "first_name": "Ann",
            "update_source": "Account"
        })
    );
}

#[test]
fn an_unsubscribed_contact_needs_no_request() {
    let h = Harness::new();
    let mut stored = resource(ID, "ann@example.com");
    stored["email_address"]["permission_to_send"] = json!("unsubscribed");
    h.expect_json(Method::Get, &format!("/v3/contacts/{ID}"), 200, stored);
    let outcome = only(run(&h.client, vec![ContactRef::Id(ID.into())], None));
    assert_eq!(
        outcome,
        Outcome::Unsubscribed(Unsubscription {
            contact_id: ID.into(),
            already_unsubscribed: true,
        })
    );
    assert_eq!(h.requests().len(), 1);
}

#[test]
fn a_deleted_contact_is_skipped_rather_than_restored() {
    let h = Harness::new();
    let mut stored = resource(ID, "ann@example.com");
    stored["deleted_at"] = json!("2024-11-01");
    h.expect_json(
        Method::Get,
        "/v3/contacts?email=ann%40example.com&status=all",
        200,
        json!({"contacts": [stored]}),
    );
    let Outcome::Skipped(skip) = only(run(
        &h.client,
        vec![ContactRef::Email("Ann@example.com".into())],
        None,
    )) else {
        panic!("expected skipped");
    };
    assert!(skip.reason.contains("restore"), "{}", skip.reason);
    assert_eq!(h.requests().len(), 1);
}

#[test]
fn a_stored_field_the_checks_would_refuse_does_not_block_the_opt_out() {
    let h = Harness::new();
    let mut stored = resource(ID, "ann@example.com");
    stored["first_name"] = json!("x".repeat(60));
    h.expect_json(
        Method::Get,
        &format!("/v3/contacts/{ID}"),
        200,
        stored.clone(),
    );
    h.expect_json(Method::Put, &format!("/v3/contacts/{ID}"), 200, stored);
    let outcome = only(run(&h.client, vec![ContactRef::Id(ID.into())], None));
    assert!(matches!(outcome, Outcome::Unsubscribed(_)), "{outcome:?}");

    // The reason is still checked.
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        &format!("/v3/contacts/{ID}"),
        200,
        resource(ID, "ann@example.com"),
    );
    let long = "r".repeat(256);
    let Outcome::Failed(Error::Validation(v)) =
        only(run(&h.client, vec![ContactRef::Id(ID.into())], Some(&long)))
    else {
        panic!("expected a validation failure");
    };
    assert_eq!(v.fields[0].field, "email_address.opt_out_reason");
}
