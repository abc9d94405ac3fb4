//! The update activity: merge keeps what is not mentioned, empty clears, read-only fields are
//! never echoed, email conflicts leave the contact unchanged.

use host_test::wit::{
    Contact, ContactField, ContactRef, ContactUpdate, Error, Outcome, UpdateMode, UpdateOptions,
};
use serde_json::{Value, json};

use crate::support::{assert_no_secret, config, contact, emulator, harness, written_id};

fn merge() -> UpdateOptions {
    UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: None,
    }
}

fn by_id(id: &str, changes: Contact) -> ContactUpdate {
    ContactUpdate {
        target: ContactRef::Id(id.into()),
        changes,
        clear: vec![],
    }
}

fn rich_contact(emu: &cc_emulator::Emulator) -> (String, [String; 2], String) {
    let lists = [emu.create_list("Newsletter"), emu.create_list("Customers")];
    let field = emu.create_custom_field("Tier", "string");
    let id = emu.insert_contact(json!({
        "email_address": {"address": "keep@example.com", "permission_to_send": "explicit"},
        "first_name": "Kim", "last_name": "Old", "job_title": "Buyer",
        "list_memberships": lists,
        "custom_fields": [{"custom_field_id": field, "value": "silver"}],
        "phone_numbers": [{"phone_number": "+44 20 7946 0000", "kind": "work"}],
    }));
    (id, lists, field)
}

fn last_put_body(emu: &cc_emulator::Emulator) -> Value {
    let put = emu
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "PUT")
        .expect("a PUT was sent");
    serde_json::from_slice(&put.body).expect("the PUT body is JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_only_the_last_name_keeps_lists_custom_fields_and_phones() {
    let emu = emulator();
    let (id, lists, field) = rich_contact(&emu);
    let records = vec![by_id(&id, contact(json!({"last_name": "New"})))];

    let run = harness()
        .update(&config(&emu), &records, &merge())
        .await
        .expect("no trap");
    assert_eq!(written_id(&run.value[0]), id);
    assert!(matches!(run.value[0], Outcome::Updated(_)));

    let stored = emu.contact(&id).unwrap();
    assert_eq!(stored["last_name"], "New");
    assert_eq!(stored["first_name"], "Kim");
    assert_eq!(stored["job_title"], "Buyer");
    assert_eq!(stored["email_address"]["permission_to_send"], "explicit");
    assert_eq!(stored["list_memberships"], json!(lists));
    assert_eq!(stored["custom_fields"][0]["custom_field_id"], json!(field));
    assert_eq!(stored["custom_fields"][0]["value"], "silver");
    assert_eq!(
        stored["phone_numbers"][0]["phone_number"],
        "+44 20 7946 0000"
    );
    assert_eq!(stored["update_source"], "Account");
    assert_no_secret(&run.capture);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_list_set_leaves_every_list_while_silence_keeps_them() {
    let emu = emulator();
    let (id, lists, _) = rich_contact(&emu);

    let silent = vec![by_id(&id, contact(json!({"job_title": "Owner"})))];
    harness()
        .update(&config(&emu), &silent, &merge())
        .await
        .expect("no trap");
    assert_eq!(emu.contact(&id).unwrap()["list_memberships"], json!(lists));

    let empty = vec![by_id(&id, contact(json!({"list_memberships": []})))];
    let run = harness()
        .update(&config(&emu), &empty, &merge())
        .await
        .expect("no trap");
    assert!(
        matches!(run.value[0], Outcome::Updated(_)),
        "{:?}",
        run.value[0]
    );
    let stored = emu.contact(&id).unwrap();
    let remaining = stored.get("list_memberships").cloned().unwrap_or(json!([]));
    assert_eq!(remaining, json!([]));
    assert_eq!(stored["job_title"], "Owner");

    let cleared = ContactUpdate {
        target: ContactRef::Id(id.clone()),
        changes: contact(json!({})),
        clear: vec![ContactField::JobTitle],
    };
    harness()
        .update(&config(&emu), &[cleared], &merge())
        .await
        .expect("no trap");
    assert!(emu.contact(&id).unwrap().get("job_title").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_fields_from_a_previous_read_are_never_echoed() {
    let emu = emulator();
    let id = emu.insert_contact(json!({
        "email_address": {
            "address": "ro@example.com", "permission_to_send": "implicit",
            "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z",
            "opt_in_source": "Account", "opt_in_date": "2025-01-01T00:00:00Z",
            "confirm_status": "off",
        },
        "first_name": "Read", "last_name": "Only",
        "create_source": "Account", "update_source": "Contact",
        "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z",
        "phone_numbers": [{"phone_number": "555-0101", "kind": "home"}],
        "street_addresses": [{"kind": "home", "street": "1 Main St", "city": "Springfield"}],
    }));

    // What a query returned, sent back as the change set with one field edited.
    let mut run = harness()
        .query(
            &config(&emu),
            &host_test::records::json::query_request_from_json(&json!({
                "email": "ro@example.com",
                "subresources": ["phone_numbers", "street_addresses"],
            }))
            .expect("query request"),
            None,
        )
        .await
        .expect("no trap")
        .expect("query");
    let mut read = run
        .next_page()
        .await
        .expect("no trap")
        .expect("page")
        .expect("page")[0]
        .clone();
    assert!(read.created_at.is_some() && read.contact_id.is_some());
    read.first_name = Some("Edited".into());

    let records = vec![by_id(&id, read)];
    let result = harness()
        .update(&config(&emu), &records, &merge())
        .await
        .expect("no trap");
    assert!(
        matches!(result.value[0], Outcome::Updated(_)),
        "{:?}",
        result.value[0]
    );

    let body = last_put_body(&emu);
    let text = body.to_string();
    for key in [
        "contact_id",
        "created_at",
        "updated_at",
        "deleted_at",
        "create_source",
        "opt_in_date",
        "opt_out_date",
        "opt_out_source",
        "confirm_status",
        "phone_number_id",
        "street_address_id",
    ] {
        assert!(
            !text.contains(&format!("\"{key}\"")),
            "{key} was echoed: {text}"
        );
    }
    assert_eq!(body["update_source"], "Account");
    let stored = emu.contact(&id).unwrap();
    assert_eq!(stored["first_name"], "Edited");
    assert_eq!(stored["phone_numbers"][0]["phone_number"], "555-0101");
}

#[tokio::test(flavor = "multi_thread")]
async fn taking_another_contacts_email_is_a_conflict_and_changes_nothing() {
    let emu = emulator();
    emu.insert_contact(
        json!({"email_address": {"address": "owner@example.com"}, "first_name": "Owner"}),
    );
    let id = emu.insert_contact(json!({
        "email_address": {"address": "mover@example.com", "permission_to_send": "implicit"},
        "first_name": "Mover",
    }));
    let before = emu.contact(&id).unwrap();

    let records = vec![by_id(
        &id,
        contact(
            json!({"email_address": {"address": "OWNER@Example.com"}, "first_name": "Changed"}),
        ),
    )];
    let run = harness()
        .update(&config(&emu), &records, &merge())
        .await
        .expect("no trap");
    assert!(
        matches!(run.value[0], Outcome::Failed(Error::Conflict(_))),
        "{:?}",
        run.value[0]
    );
    assert_eq!(emu.contact(&id).unwrap(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn by_email_replace_mode_and_unknown_targets() {
    let emu = emulator();
    let id = emu.insert_contact(json!({
        "email_address": {"address": "whole@example.com", "permission_to_send": "implicit"},
        "first_name": "Whole", "last_name": "Contact", "job_title": "Clerk",
    }));
    let replace = UpdateOptions {
        mode: Some(UpdateMode::Replace),
        update_source: None,
        create_missing: None,
    };
    let records = vec![
        ContactUpdate {
            target: ContactRef::Email("WHOLE@example.com".into()),
            changes: contact(
                json!({"email_address": {"address": "whole@example.com"}, "first_name": "Only"}),
            ),
            clear: vec![],
        },
        by_id(
            "00000000-0000-1000-8000-000000000000",
            contact(json!({"first_name": "Ghost"})),
        ),
        ContactUpdate {
            target: ContactRef::Email("nobody@example.com".into()),
            changes: contact(json!({"first_name": "Ghost"})),
            clear: vec![],
        },
    ];

    let run = harness()
        .update(&config(&emu), &records, &replace)
        .await
        .expect("no trap");
    assert_eq!(written_id(&run.value[0]), id);
    let stored = emu.contact(&id).unwrap();
    assert_eq!(stored["first_name"], "Only");
    assert!(
        stored.get("last_name").is_none(),
        "replace clears what the record omits"
    );
    assert!(
        matches!(run.value[1], Outcome::Failed(Error::NotFound(_))),
        "{:?}",
        run.value[1]
    );
    assert!(
        matches!(run.value[2], Outcome::Failed(Error::NotFound(_))),
        "{:?}",
        run.value[2]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn updating_a_deleted_contact_restores_it_and_says_so() {
    let emu = emulator();
    let id = emu.insert_contact(json!({
        "email_address": {"address": "back@example.com", "permission_to_send": "implicit"},
        "first_name": "Back", "deleted_at": "2026-02-02",
    }));
    let records = vec![by_id(&id, contact(json!({"job_title": "Returning"})))];

    let run = harness()
        .update(&config(&emu), &records, &merge())
        .await
        .expect("no trap");
    match &run.value[0] {
        Outcome::Updated(w) => assert!(
            w.notes
                .iter()
                .any(|n| n.contains("restored") || n.contains("deleted")),
            "{:?}",
            w.notes
        ),
        other => panic!("expected an update, got {other:?}"),
    }
    assert!(emu.contact(&id).unwrap().get("deleted_at").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_permission_never_resubscribes_a_contact_who_opted_out() {
    let emu = emulator();
    let id = emu.insert_contact(json!({
        "email_address": {
            "address": "gone.quiet@example.com", "permission_to_send": "unsubscribed",
            "opt_out_source": "Contact", "opt_out_date": "2026-05-01T10:00:00Z",
        },
        "first_name": "Quiet",
    }));
    let before = emu.contact(&id).unwrap();
    let records = vec![by_id(
        &id,
        contact(json!({
            "email_address": {"address": "gone.quiet@example.com", "permission_to_send": "implicit"},
            "job_title": "Editor",
        })),
    )];

    let run = harness()
        .update(&config(&emu), &records, &merge())
        .await
        .expect("no trap");
    let Outcome::Updated(written) = &run.value[0] else {
        panic!("expected an update, got {:?}", run.value[0]);
    };
    assert!(
        written
            .notes
            .iter()
            .any(|n| n.contains("kept \"unsubscribed\"")),
        "{:?}",
        written.notes
    );
    let stored = emu.contact(&id).unwrap();
    assert_eq!(stored["job_title"], "Editor");
    assert_eq!(
        stored["email_address"]["permission_to_send"],
        "unsubscribed"
    );
    assert_eq!(
        stored["email_address"]["opt_out_date"],
        before["email_address"]["opt_out_date"]
    );
    assert_eq!(stored["email_address"]["opt_out_source"], "Contact");
}
