//! Update: targets, merge and replace bodies, restoring deleted contacts, conflicts.

use serde_json::{Value, json};

use super::*;
use crate::catalog::Catalog;
use crate::http::Method;
use crate::testing::{Harness, contact, email, resource};
use crate::wit::{CustomFieldValue, PhoneKind, PhoneNumber};

const ID: &str = "0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1";
const OTHER: &str = "af73e650-96f0-11ef-b2a0-fa163eafb85e";
const LIST: &str = "07936f78-662a-11eb-af0a-fa163e56c9b0";
const FIELD: &str = "1618ae62-4752-11e9-9c8a-fa163e6b01c1";
const INCLUDE: &str =
    "include=custom_fields,list_memberships,phone_numbers,street_addresses,taggings,notes";

/// The activity with a fresh catalog, as a new connection has.
fn run(client: &Client, records: Vec<ContactUpdate>, options: &UpdateOptions) -> Vec<Outcome> {
    super::run(client, &Catalog::default(), records, options)
}

fn get_whole() -> String {
    format!("/v3/contacts/{ID}?{INCLUDE}")
}

fn put() -> String {
    format!("/v3/contacts/{ID}")
}

/// The contact as the API holds it, with every subresource and read-only field.
fn stored() -> Value {
    let mut r = resource(ID, "ann@example.com");
    r["first_name"] = json!("Ann");
    r["last_name"] = json!("Lee");
    r["job_title"] = json!("Chef");
    r["birthday_month"] = json!(3);
    r["birthday_day"] = json!(4);
    r["custom_fields"] = json!([{"custom_field_id": FIELD, "value": "blue"}]);
    r["phone_numbers"] = json!([{
        "phone_number_id": OTHER, "phone_number": "+1-555-0100", "kind": "home",
        "create_source": "Account", "created_at": "2024-10-30T18:56:35Z"
    }]);
    r["list_memberships"] = json!([LIST]);
    r
}

fn options(mode: Option<UpdateMode>) -> UpdateOptions {
    UpdateOptions {
        mode,
        update_source: None,
        create_missing: None,
    }
}

fn by_id(changes: Contact, clear: Vec<ContactField>) -> ContactUpdate {
    ContactUpdate {
        target: ContactRef::Id(ID.into()),
        changes,
        clear,
    }
}

fn last_name(name: &str) -> Contact {
    let mut c = contact();
    c.last_name = Some(name.into());
    c
}

fn only(outcomes: Vec<Outcome>) -> Outcome {
    assert_eq!(outcomes.len(), 1);
    outcomes.into_iter().next().unwrap()
}

#[test]
fn merge_keeps_lists_custom_fields_and_phones_when_only_the_last_name_changes() {
    let h = Harness::new();
    h.expect_json(Method::Get, &get_whole(), 200, stored());
    h.expect_json(Method::Put, &put(), 200, stored());
    let outcome = only(run(
        &h.client,
        vec![by_id(last_name("Park"), vec![])],
        &options(None),
    ));
    assert_eq!(
        outcome,
        Outcome::Updated(Written {
            contact_id: ID.into(),
            notes: vec![],
            losses: vec![],
        })
    );
    assert_eq!(
        h.body(1),
        json!({
            "email_address": {"address": "ann@example.com", "permission_to_send": "implicit"},
            "first_name": "Ann",
            "last_name": "Park",
            "job_title": "Chef",
            "birthday_month": 3,
            "birthday_day": 4,
            "update_source": "Account",
            "custom_fields": [{"custom_field_id": FIELD, "value": "blue"}],
            "phone_numbers": [{"phone_number": "+1-555-0100", "kind": "home"}],
            "list_memberships": [LIST]
        })
    );
    assert_eq!(
        h.info_lines(),
        vec!["update: 1 record: 1 updated, 0 failed, 0 not attempted"]
    );
}

#[test]
fn an_empty_list_clears_memberships_and_clear_entries_clear_fields() {
    let h = Harness::new();
    h.expect_json(Method::Get, &get_whole(), 200, stored());
    h.expect_json(Method::Put, &put(), 200, stored());
    let mut changes = contact();
    changes.list_memberships = Some(vec![]);
    changes.job_title = Some(String::new());
    let clear = vec![ContactField::CustomFields, ContactField::Birthday];
    run(
        &h.client,
        vec![by_id(changes, clear)],
        &options(Some(UpdateMode::Merge)),
    );
    let body = h.body(1);
    assert_eq!(body["list_memberships"], json!([]));
    assert_eq!(body["custom_fields"], json!([]));
    assert!(body.get("job_title").is_none());
    assert!(body.get("birthday_month").is_none());
    assert_eq!(body["phone_numbers"].as_array().unwrap().len(), 1);
}

#[test]
fn read_only_fields_in_the_record_are_never_echoed() {
    let h = Harness::new();
    h.expect_json(Method::Get, &get_whole(), 200, stored());
    h.expect_json(Method::Put, &put(), 200, stored());
    let mut changes = last_name("Park");
    changes.contact_id = Some(OTHER.into());
    changes.created_at = Some("2000-01-01T00:00:00Z".into());
    changes.deleted_at = Some("2000-01-02".into());
    changes.create_source = Some(Source::Contact);
    changes.phone_numbers = Some(vec![PhoneNumber {
        phone_number_id: Some(OTHER.into()),
        phone_number: "+1-555-0199".into(),
        kind: Some(PhoneKind::Mobile),
        create_source: Some(Source::Contact),
        update_source: Some(Source::Contact),
        created_at: Some("2000-01-01T00:00:00Z".into()),
        updated_at: Some("2000-01-01T00:00:00Z".into()),
    }]);
    let mut e = email("");
    e.opt_in_date = Some("2000-01-01T00:00:00Z".into());
    e.confirm_status = Some(crate::wit::ConfirmStatus::Confirmed);
    changes.email_address = Some(e);
    run(&h.client, vec![by_id(changes, vec![])], &options(None));
    let body = h.body(1).to_string();
    for forbidden in [
        "contact_id",
        "created_at",
        "updated_at",
        "deleted_at",
        "create_source",
        "phone_number_id",
        "opt_in_date",
        "confirm_status",
        "opt_in_source",
    ] {
        assert!(!body.contains(forbidden), "{forbidden} echoed in {body}");
    }
    assert!(body.contains("+1-555-0199"), "{body}");
}

#[test]
fn replace_sends_exactly_the_given_fields_plus_the_email() {
    let h = Harness::new();
    h.expect_json(Method::Get, &format!("/v3/contacts/{ID}"), 200, stored());
    h.expect_json(Method::Put, &put(), 200, stored());
    let mut changes = last_name("Park");
    changes.custom_fields = Some(vec![CustomFieldValue {
        custom_field_id: FIELD.into(),
        value: Some("red".into()),
        choice_ids: None,
    }]);
    let given = UpdateOptions {
        mode: Some(UpdateMode::Replace),
        update_source: Some(Source::Contact),
        create_missing: None,
    };
    run(
        &h.client,
        vec![by_id(changes, vec![ContactField::Taggings])],
        &given,
    );
    assert_eq!(
        h.body(1),
        json!({
            "email_address": {"address": "ann@example.com", "permission_to_send": "implicit"},
            "last_name": "Park",
            "update_source": "Contact",
            "custom_fields": [{"custom_field_id": FIELD, "value": "red"}],
            "taggings": []
        })
    );
}

#[test]
fn targets_by_email_are_looked_up_with_status_all() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        &format!("/v3/contacts?email=ann%40example.com&status=all&{INCLUDE}"),
        200,
        json!({"contacts": [stored()]}),
    );
    h.expect_json(Method::Put, &put(), 200, stored());
    let record = ContactUpdate {
        target: ContactRef::Email(" ANN@example.com".into()),
        changes: last_name("Park"),
        clear: vec![],
    };
    let Outcome::Updated(w) = only(run(&h.client, vec![record], &options(None))) else {
        panic!("expected an update");
    };
    assert_eq!(w.contact_id, ID);
}

#[test]
fn an_unknown_email_is_not_found() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contacts?email=nobody%40example.com&status=all",
        200,
        json!({"contacts": []}),
    );
    let record = ContactUpdate {
        target: ContactRef::Email("nobody@example.com".into()),
        changes: last_name("Park"),
        clear: vec![],
    };
    let outcome = only(run(
        &h.client,
        vec![record],
        &options(Some(UpdateMode::Replace)),
    ));
    let Outcome::Failed(Error::NotFound(f)) = outcome else {
        panic!("expected not-found, got {outcome:?}");
    };
    assert!(f.message.contains("nobody@example.com"), "{}", f.message);
}

#[test]
fn an_unknown_id_is_not_found_and_a_bad_id_is_refused_unsent() {
    let h = Harness::new();
    h.expect(
        Method::Get,
        &get_whole(),
        404,
        r#"[{"error_key":"contacts.api.not_found","error_message":"Not found"}]"#,
    );
    let outcome = only(run(
        &h.client,
        vec![by_id(last_name("X"), vec![])],
        &options(None),
    ));
    assert!(matches!(outcome, Outcome::Failed(Error::NotFound(_))));

    let record = ContactUpdate {
        target: ContactRef::Id("../account/summary".into()),
        changes: last_name("X"),
        clear: vec![],
    };
    let Outcome::Failed(Error::Validation(v)) = only(run(&h.client, vec![record], &options(None)))
    else {
        panic!("expected validation");
    };
    assert_eq!(v.fields[0].field, "target.id");
}

#[test]
fn updating_a_deleted_contact_restores_it_with_a_note() {
    let h = Harness::new();
    let mut deleted = stored();
    deleted["deleted_at"] = json!("2024-12-01");
    deleted["list_memberships"] = json!([]);
    h.expect_json(Method::Get, &get_whole(), 200, deleted);
    h.expect_json(Method::Put, &put(), 200, stored());
    let mut changes = contact();
    changes.list_memberships = Some(vec![LIST.into()]);
    let Outcome::Updated(w) = only(run(&h.client, vec![by_id(changes, vec![])], &options(None)))
    else {
        panic!("expected an update");
    };
    assert_eq!(
        w.notes,
        vec!["the contact had been deleted; this update restored it"]
    );
}

#[test]
fn an_email_taken_by_another_contact_is_a_conflict() {
    let h = Harness::new();
    h.expect_json(Method::Get, &get_whole(), 200, stored());
    let message = format!("Validation failed: Email already exists for contact {OTHER}.");
    h.expect_json(
        Method::Put,
        &put(),
        409,
        json!([{"error_key": "contacts.api.conflict", "error_message": message}]),
    );
    let mut changes = contact();
    changes.email_address = Some(email("Bo@Example.com"));
    let outcome = only(run(&h.client, vec![by_id(changes, vec![])], &options(None)));
    let Outcome::Failed(Error::Conflict(c)) = outcome else {
        panic!("expected a conflict, got {outcome:?}");
    };
    assert_eq!(c.existing_contact_id.as_deref(), Some(OTHER));
    assert_eq!(h.body(1)["email_address"]["address"], "bo@example.com");
}

#[test]
fn the_merged_contact_is_validated_before_sending() {
    let h = Harness::new();
    h.expect_json(Method::Get, &get_whole(), 200, stored());
    let mut changes = contact();
    changes.first_name = Some("x".repeat(60));
    let outcome = only(run(&h.client, vec![by_id(changes, vec![])], &options(None)));
    let Outcome::Failed(Error::Validation(v)) = outcome else {
        panic!("expected validation, got {outcome:?}");
    };
    assert_eq!(v.fields[0].field, "first_name");
    assert_eq!(h.requests().len(), 1, "nothing is sent after the read");
}

#[test]
fn a_forbidden_write_stops_the_batch() {
    let h = Harness::new();
    h.expect_json(Method::Get, &get_whole(), 200, stored());
    h.expect(Method::Put, &put(), 403, "");
    let records = vec![by_id(last_name("A"), vec![]), by_id(last_name("B"), vec![])];
    let outcomes = run(&h.client, records, &options(None));
    let Outcome::Failed(Error::Forbidden(f)) = &outcomes[0] else {
        panic!("expected forbidden");
    };
    assert_eq!(f.required_privilege.as_deref(), Some("contacts:write"));
    assert!(matches!(
        outcomes[1],
        Outcome::NotAttempted(Error::Forbidden(_))
    ));
}

#[test]
fn an_unsubscribed_contact_keeps_its_opt_out_while_the_rest_is_updated() {
    let h = Harness::new();
    let mut opted_out = stored();
    opted_out["email_address"]["permission_to_send"] = json!("unsubscribed");
    h.expect_json(Method::Get, &get_whole(), 200, opted_out);
    h.expect_json(Method::Put, &put(), 200, stored());
    let mut changes = last_name("Stale");
    changes.email_address = Some(email("ann@example.com"));
    if let Some(e) = changes.email_address.as_mut() {
        e.permission_to_send = Some(Permission::Implicit);
    }

    let Outcome::Updated(w) = only(run(&h.client, vec![by_id(changes, vec![])], &options(None)))
    else {
        panic!("expected an update");
    };
    let body = h.body(1);
    assert_eq!(body["email_address"]["permission_to_send"], "unsubscribed");
    assert_eq!(body["last_name"], "Stale");
    assert_eq!(w.notes.len(), 1);
    assert!(
        w.notes[0].starts_with("email_address.permission_to_send: kept \"unsubscribed\""),
        "{:?}",
        w.notes
    );
}

#[test]
fn a_subscribed_contact_may_change_its_permission() {
    let h = Harness::new();
    h.expect_json(Method::Get, &get_whole(), 200, stored());
    h.expect_json(Method::Put, &put(), 200, stored());
    let mut changes = contact();
    changes.email_address = Some(email("ann@example.com"));
    if let Some(e) = changes.email_address.as_mut() {
        e.permission_to_send = Some(Permission::Unsubscribed);
    }

    let Outcome::Updated(w) = only(run(&h.client, vec![by_id(changes, vec![])], &options(None)))
    else {
        panic!("expected an update");
    };
    assert_eq!(
        h.body(1)["email_address"]["permission_to_send"],
        "unsubscribed"
    );
    assert_eq!(
        w.notes,
        vec!["email_address.permission_to_send: changed from \"implicit\" to \"unsubscribed\""]
    );
}

#[test]
fn a_contact_waiting_to_confirm_is_not_marked_as_having_given_permission() {
    let h = Harness::new();
    let mut pending = stored();
    pending["email_address"]["permission_to_send"] = json!("pending_confirmation");
    h.expect_json(Method::Get, &get_whole(), 200, pending.clone());
    h.expect_json(Method::Put, &put(), 200, pending);
    let mut changes = last_name("Park");
    changes.email_address = Some(email("ann@example.com"));
    if let Some(e) = changes.email_address.as_mut() {
        e.permission_to_send = Some(Permission::Explicit);
    }

    let Outcome::Updated(w) = only(run(&h.client, vec![by_id(changes, vec![])], &options(None)))
    else {
        panic!("expected an update");
    };
    assert_eq!(
        h.body(1)["email_address"]["permission_to_send"],
        "pending_confirmation"
    );
    assert_eq!(h.body(1)["last_name"], "Park");
    assert!(
        w.notes[0].contains("kept \"pending_confirmation\" instead of \"explicit\""),
        "{:?}",
        w.notes
    );
}

#[test]
fn a_hold_or_an_unreadable_permission_is_kept_and_only_an_opt_out_goes_through() {
    for (stored_permission, asked, sent) in [
        (Some("temp_hold"), Permission::Explicit, Some("temp_hold")),
        (
            Some("temp_hold"),
            Permission::Unsubscribed,
            Some("unsubscribed"),
        ),
        (Some("UNSUBSCRIBED"), Permission::Explicit, None),
        (None, Permission::Implicit, None),
        (
            Some("opted_out"),
            Permission::Unsubscribed,
            Some("unsubscribed"),
        ),
    ] {
        let h = Harness::new();
        let mut held = stored();
        match stored_permission {
            Some(p) => held["email_address"]["permission_to_send"] = json!(p),
            None => {
                held["email_address"]
                    .as_object_mut()
                    .unwrap()
                    .remove("permission_to_send");
            }
        }
        h.expect_json(Method::Get, &get_whole(), 200, held.clone());
        h.expect_json(Method::Put, &put(), 200, held);
        let mut changes = contact();
        changes.email_address = Some(email("ann@example.com"));
        if let Some(e) = changes.email_address.as_mut() {
            e.permission_to_send = Some(asked);
        }
        let Outcome::Updated(w) =
            only(run(&h.client, vec![by_id(changes, vec![])], &options(None)))
        else {
            panic!("expected an update");
        };
        let body = h.body(1);
        assert_eq!(
            body["email_address"]
                .get("permission_to_send")
                .and_then(|p| p.as_str()),
            sent,
            "{stored_permission:?} asked {asked:?}"
        );
        assert_eq!(w.notes.len(), 1, "{:?}", w.notes);
    }
}
