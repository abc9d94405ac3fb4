//! Create's merge into an existing contact leaves that contact's consent alone, except for
//! an opt-out.

use serde_json::json;

use super::*;
use crate::catalog::Catalog;
use crate::http::Method;
use crate::testing::{Harness, contact, email, resource};

const OLD_ID: &str = "0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";
const GET_WHOLE: &str = "/v3/contacts/0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1\
    ?include=custom_fields,list_memberships,phone_numbers,street_addresses,taggings,notes";
const PUT_OLD: &str = "/v3/contacts/0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";

fn merged(asked: Permission) -> (Harness, Outcome) {
    let h = Harness::new();
    let conflict = json!([{
        "error_key": "contacts.api.conflict",
        "error_message": format!("Validation failed: Email already exists for contact {OLD_ID}.")
    }]);
    let mut holder = resource(OLD_ID, "ann@example.com");
    holder["email_address"]["permission_to_send"] = json!("explicit");
    h.expect_json(Method::Post, "/v3/contacts", 409, conflict);
    h.expect_json(Method::Get, GET_WHOLE, 200, holder.clone());
    h.expect_json(Method::Put, PUT_OLD, 200, holder);
    let mut c = contact();
    let mut e = email("ann@example.com");
    e.permission_to_send = Some(asked);
    c.email_address = Some(e);
    let options = CreateOptions {
        create_source: None,
        on_conflict: Some(ConflictPolicy::Update),
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    };
    let outcomes = run(&h.client, &Catalog::default(), vec![c], &options);
    let outcome = outcomes.into_iter().next().unwrap();
    (h, outcome)
}

#[test]
fn a_create_record_s_permission_does_not_lower_an_existing_contact_s() {
    let (h, outcome) = merged(Permission::Implicit);
    let Outcome::Updated(written) = outcome else {
        panic!("expected an update, got {outcome:?}");
    };
    assert_eq!(h.body(2)["email_address"]["permission_to_send"], "explicit");
    assert!(
        written
            .notes
            .iter()
            .any(|n| n.contains("kept \"explicit\" instead of \"implicit\"")),
        "{:?}",
        written.notes
    );
}

#[test]
fn an_opt_out_in_a_create_record_is_carried_over() {
    let (h, outcome) = merged(Permission::Unsubscribed);
    assert!(matches!(outcome, Outcome::Updated(_)), "{outcome:?}");
    assert_eq!(
        h.body(2)["email_address"]["permission_to_send"],
        "unsubscribed"
    );
}
