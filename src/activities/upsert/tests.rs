//! Upsert: the consent statement, what the flat body can carry, unsubscribed contacts left
//! alone, and the outcome told from the lookup.

use serde_json::{Value, json};

use super::*;
use crate::http::Method;
use crate::testing::{Harness, contact, email, resource};
use crate::wit::{CreateMode, PhoneKind, PhoneNumber};

const ID: &str = "0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";
const LIST: &str = "07936f78-662a-11eb-af0a-fa163e56c9b0";
const LOOKUP: &str = "/v3/contacts?email=ann%40example.com&status=all";
const FORM: &str = "/v3/contacts/sign_up_form";

fn options(consent: Option<bool>) -> CreateOptions {
    CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: Some(CreateMode::Upsert),
        contacts_gave_consent: consent,
        create_missing: None,
    }
}

fn ann() -> Contact {
    let mut c = contact();
    c.email_address = Some(email("Ann@Example.com"));
    c.first_name = Some("Ann".into());
    c.list_memberships = Some(vec![LIST.into()]);
    c
}

fn upsert(h: &Harness, records: Vec<Contact>, consent: Option<bool>) -> Vec<Outcome> {
    run(&h.client, &Catalog::default(), records, &options(consent))
}

fn only(outcomes: Vec<Outcome>) -> Outcome {
    assert_eq!(outcomes.len(), 1);
    outcomes.into_iter().next().unwrap()
}

fn no_contacts() -> Value {
    json!({"contacts": []})
}

#[test]
fn without_the_consent_statement_nothing_is_sent() {
    let h = Harness::new();
    for consent in [None, Some(false)] {
        let outcomes = upsert(&h, vec![ann(), ann()], consent);
        assert_eq!(outcomes.len(), 2);
        for outcome in outcomes {
            let Outcome::Failed(Error::InvalidConfig(message)) = outcome else {
                panic!("expected invalid-config, got {outcome:?}");
            };
            assert!(message.contains("contacts-gave-consent"), "{message}");
        }
    }
    assert!(h.requests().is_empty());
}

#[test]
fn a_new_address_is_created_with_the_flat_body() {
    let h = Harness::new();
    h.expect_json(Method::Get, LOOKUP, 200, no_contacts());
    h.expect_json(
        Method::Post,
        FORM,
        201,
        json!({"contact_id": ID, "action": "created"}),
    );
    let mut c = ann();
    c.phone_numbers = Some(vec![PhoneNumber {
        phone_number_id: None,
        phone_number: "555-0100".into(),
        kind: Some(PhoneKind::Work),
        create_source: None,
        update_source: None,
        created_at: None,
        updated_at: None,
    }]);
    let Outcome::Created(written) = only(upsert(&h, vec![c], Some(true))) else {
        panic!("expected created");
    };
    assert_eq!(written.contact_id, ID);
    assert_eq!(written.losses.len(), 1);
    assert_eq!(written.losses[0].field, "phone_numbers[0].kind");
    assert_eq!(
        h.body(1),
        json!({
            "email_address": "ann@example.com",
            "first_name": "Ann",
            "phone_number": "555-0100",
            "list_memberships": [LIST]
        })
    );
}

#[test]
fn an_existing_address_is_updated_and_a_deleted_one_restored() {
    let h = Harness::new();
    let mut deleted = resource(ID, "ann@example.com");
    deleted["deleted_at"] = json!("2024-11-01");
    h.expect_json(Method::Get, LOOKUP, 200, json!({"contacts": [deleted]}));
    // A retried request meets the contact it created: the lookup still decides.
    h.expect_json(
        Method::Post,
        FORM,
        200,
        json!({"contact_id": ID, "action": "updated"}),
    );
    let Outcome::Updated(written) = only(upsert(&h, vec![ann()], Some(true))) else {
        panic!("expected updated");
    };
    assert!(
        written.notes.iter().any(|n| n.contains("restored")),
        "{:?}",
        written.notes
    );
}

#[test]
fn an_unsubscribed_contact_is_skipped_and_never_posted() {
    let h = Harness::new();
    let mut gone = resource(ID, "ann@example.com");
    gone["email_address"]["permission_to_send"] = json!("unsubscribed");
    h.expect_json(Method::Get, LOOKUP, 200, json!({"contacts": [gone]}));
    let Outcome::Skipped(skip) = only(upsert(&h, vec![ann()], Some(true))) else {
        panic!("expected skipped");
    };
    assert_eq!(skip.contact_id.as_deref(), Some(ID));
    assert!(skip.reason.contains("unsubscribed"), "{}", skip.reason);
    assert_eq!(h.requests().len(), 1);
}

#[test]
fn what_the_form_cannot_carry_is_refused_before_sending() {
    let h = Harness::new();
    let mut no_lists = ann();
    no_lists.list_memberships = Some(vec![]);
    let mut permission = ann();
    permission
        .email_address
        .as_mut()
        .unwrap()
        .permission_to_send = Some(crate::wit::Permission::Explicit);
    let mut tagged = ann();
    tagged.taggings = Some(vec![LIST.into()]);
    let mut nameless = ann();
    nameless.email_address = None;
    let outcomes = upsert(&h, vec![no_lists, permission, tagged, nameless], Some(true));
    let fields: Vec<String> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Failed(Error::Validation(v)) => v.fields[0].field.clone(),
            other => panic!("expected validation, got {other:?}"),
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            "list_memberships",
            "email_address.permission_to_send",
            "taggings",
            "email_address.address"
        ]
    );
    assert!(h.requests().is_empty());
}

fn retrying(h: &Harness) {
    h.client.retry().set_policy(crate::api::retry::RetryPolicy {
        max_attempts: 2,
        initial_delay_ms: 100,
        max_delay_ms: 1000,
    });
}

#[test]
fn a_failed_form_for_a_new_address_is_sent_again_only_when_nobody_holds_it() {
    let h = Harness::new();
    retrying(&h);
    h.expect_json(Method::Get, LOOKUP, 200, no_contacts());
    h.expect(Method::Post, FORM, 503, "");
    h.expect_json(Method::Get, LOOKUP, 200, no_contacts());
    h.expect_json(
        Method::Post,
        FORM,
        201,
        json!({"contact_id": ID, "action": "created"}),
    );
    assert!(matches!(
        only(upsert(&h, vec![ann()], Some(true))),
        Outcome::Created(_)
    ));
}

#[test]
fn a_contact_a_lost_form_created_and_still_to_confirm_is_not_sent_a_second_form() {
    let h = Harness::new();
    retrying(&h);
    h.expect_json(Method::Get, LOOKUP, 200, no_contacts());
    h.expect(Method::Post, FORM, 504, "");
    let mut pending = resource(ID, "ann@example.com");
    pending["email_address"]["permission_to_send"] = json!("pending_confirmation");
    h.expect_json(Method::Get, LOOKUP, 200, json!({"contacts": [pending]}));
    let Outcome::Created(written) = only(upsert(&h, vec![ann()], Some(true))) else {
        panic!("expected created");
    };
    assert_eq!(written.contact_id, ID);
    assert!(
        written.notes.iter().any(|n| n.contains("was lost")),
        "{:?}",
        written.notes
    );
    let posts = h
        .requests()
        .iter()
        .filter(|r| r.method == Method::Post)
        .count();
    assert_eq!(posts, 1);
}

#[test]
fn an_existing_contact_takes_the_form_again_and_the_permission_change_is_noted() {
    let h = Harness::new();
    retrying(&h);
    h.expect_json(
        Method::Get,
        LOOKUP,
        200,
        json!({"contacts": [resource(ID, "ann@example.com")]}),
    );
    h.expect(Method::Post, FORM, 503, "");
    h.expect_json(
        Method::Post,
        FORM,
        200,
        json!({"contact_id": ID, "action": "updated"}),
    );
    let Outcome::Updated(written) = only(upsert(&h, vec![ann()], Some(true))) else {
        panic!("expected updated");
    };
    assert!(
        written
            .notes
            .contains(&"email_address.permission_to_send: changed from \"implicit\" to \"explicit\" by the sign-up form".to_owned()),
        "{:?}",
        written.notes
    );
}

#[test]
fn contacts_still_to_confirm_or_on_hold_are_left_alone() {
    for permission in ["pending_confirmation", "temp_hold", "UNSUBSCRIBED"] {
        let h = Harness::new();
        let mut holder = resource(ID, "ann@example.com");
        holder["email_address"]["permission_to_send"] = json!(permission);
        h.expect_json(Method::Get, LOOKUP, 200, json!({"contacts": [holder]}));
        let Outcome::Skipped(skip) = only(upsert(&h, vec![ann()], Some(true))) else {
            panic!("expected skipped for {permission}");
        };
        assert!(skip.reason.contains(permission), "{}", skip.reason);
        assert_eq!(h.requests().len(), 1);
    }
}

#[test]
fn choices_and_blanks_are_refused_since_the_form_takes_text_only() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contact_custom_fields?limit=100",
        200,
        json!({"custom_fields": [
            {"custom_field_id": "1618ae62-4752-11e9-9c8a-fa163e6b01c1", "label": "Tier", "type": "single_select",
             "choices": [{"choice_id": 1, "choice_label": "Gold"}]},
            {"custom_field_id": "2618ae62-4752-11e9-9c8a-fa163e6b01c1", "label": "Note", "type": "string"}
        ]}),
    );
    let mut c = ann();
    c.custom = Some(vec![
        crate::wit::CustomEntry {
            field: "Tier".into(),
            value: crate::wit::CustomValue::Text("Gold".into()),
        },
        crate::wit::CustomEntry {
            field: "Note".into(),
            value: crate::wit::CustomValue::Blank,
        },
    ]);
    let Outcome::Failed(Error::Validation(v)) = only(upsert(&h, vec![c], Some(true))) else {
        panic!("expected a validation failure");
    };
    let fields: Vec<&str> = v.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["custom.Tier", "custom.Note"]);
    assert_eq!(h.requests().len(), 1, "only the custom fields were read");
}

#[test]
fn a_contact_whose_permission_cannot_be_read_is_left_alone() {
    let h = Harness::new();
    let mut holder = resource(ID, "ann@example.com");
    holder["email_address"]
        .as_object_mut()
        .unwrap()
        .remove("permission_to_send");
    h.expect_json(Method::Get, LOOKUP, 200, json!({"contacts": [holder]}));
    let Outcome::Skipped(skip) = only(upsert(&h, vec![ann()], Some(true))) else {
        panic!("expected skipped");
    };
    assert!(skip.reason.contains("no permission"), "{}", skip.reason);
    assert_eq!(h.requests().len(), 1);
}
