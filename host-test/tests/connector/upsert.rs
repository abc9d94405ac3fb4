//! Create's upsert mode through the sign-up form: appends to an existing contact, creates a
//! new one, restores a deleted one, and is refused without the consent statement, without a
//! list, and for a contact that unsubscribed.

use cc_emulator::{Behaviour, Emulator, EmulatorConfig};
use host_test::wit::{CreateMode, CreateOptions, Error, Outcome};
use serde_json::json;

use crate::support::{config, contact, emulator, harness, request_lines};

fn upsert(consent: Option<bool>) -> CreateOptions {
    CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: Some(CreateMode::Upsert),
        contacts_gave_consent: consent,
        create_missing: None,
    }
}

/// The status the emulator answered the sign-up forms with, in order.
fn form_statuses(emu: &Emulator) -> Vec<u16> {
    emu.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/v3/contacts/sign_up_form")
        .map(|r| r.status)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_contact_gains_the_list_and_keeps_the_rest_and_a_new_one_is_created() {
    let emu = emulator();
    let a = emu.create_list("A");
    let b = emu.create_list("B");
    let id = emu.insert_contact(json!({
        "email_address": {"address": "ann@example.com", "permission_to_send": "implicit"},
        "first_name": "Ann", "last_name": "Lee",
        "list_memberships": [a],
    }));
    let records = vec![
        contact(
            json!({"email_address": {"address": "Ann@Example.com"}, "lists": ["B"], "job_title": "Chef"}),
        ),
        contact(
            json!({"email_address": {"address": "new@example.com"}, "first_name": "Nia", "list_memberships": [b]}),
        ),
    ];
    let run = harness()
        .create(&config(&emu), &records, &upsert(Some(true)))
        .await
        .expect("no trap");

    let Outcome::Updated(updated) = &run.value[0] else {
        panic!("expected updated, got {:?}", run.value[0]);
    };
    assert_eq!(updated.contact_id, id);
    let stored = emu.contact(&id).unwrap();
    assert_eq!(stored["list_memberships"], json!([a, b]));
    assert_eq!(stored["first_name"], "Ann");
    assert_eq!(stored["last_name"], "Lee");
    assert_eq!(stored["job_title"], "Chef");

    let Outcome::Created(created) = &run.value[1] else {
        panic!("expected created, got {:?}", run.value[1]);
    };
    let new = emu.contact(&created.contact_id).unwrap();
    assert_eq!(new["first_name"], "Nia");
    assert_eq!(new["email_address"]["permission_to_send"], "explicit");
    assert_eq!(form_statuses(&emu), vec![200, 201]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_list_set_and_a_missing_consent_statement_are_refused_before_sending() {
    let emu = emulator();
    let list = emu.create_list("A");
    let no_lists = vec![
        contact(json!({"email_address": {"address": "a@example.com"}, "list_memberships": []})),
        contact(json!({"email_address": {"address": "b@example.com"}})),
    ];
    let run = harness()
        .create(&config(&emu), &no_lists, &upsert(Some(true)))
        .await
        .expect("no trap");
    for outcome in &run.value {
        let Outcome::Failed(Error::Validation(v)) = outcome else {
            panic!("expected a validation failure, got {outcome:?}");
        };
        assert_eq!(v.fields[0].field, "list_memberships");
    }

    let listed = vec![contact(
        json!({"email_address": {"address": "c@example.com"}, "list_memberships": [list]}),
    )];
    for consent in [None, Some(false)] {
        let run = harness()
            .create(&config(&emu), &listed, &upsert(consent))
            .await
            .expect("no trap");
        let Outcome::Failed(Error::InvalidConfig(message)) = &run.value[0] else {
            panic!("expected invalid-config, got {:?}", run.value[0]);
        };
        assert!(message.contains("contacts-gave-consent"), "{message}");
    }
    assert!(form_statuses(&emu).is_empty());
    assert!(
        request_lines(&emu)
            .iter()
            .all(|l| !l.starts_with("GET /v3/contacts?")),
        "not even a lookup is made"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_contact_is_restored_and_an_unsubscribed_one_left_alone() {
    let emu = emulator();
    let list = emu.create_list("A");
    let deleted = emu.insert_contact(json!({
        "email_address": {"address": "gone@example.com", "permission_to_send": "implicit"},
        "first_name": "Gus", "deleted_at": "2026-01-05",
    }));
    let unsubscribed = emu.insert_contact(json!({
        "email_address": {"address": "out@example.com", "permission_to_send": "unsubscribed"},
        "first_name": "Una",
    }));
    let records = vec![
        contact(
            json!({"email_address": {"address": "gone@example.com"}, "list_memberships": [list]}),
        ),
        contact(
            json!({"email_address": {"address": "out@example.com"}, "list_memberships": [list]}),
        ),
    ];
    let run = harness()
        .create(&config(&emu), &records, &upsert(Some(true)))
        .await
        .expect("no trap");

    let Outcome::Updated(restored) = &run.value[0] else {
        panic!("expected updated, got {:?}", run.value[0]);
    };
    assert_eq!(restored.contact_id, deleted);
    assert!(
        restored.notes.iter().any(|n| n.contains("restored")),
        "{:?}",
        restored.notes
    );
    let back = emu.contact(&deleted).unwrap();
    assert!(back.get("deleted_at").is_none(), "{back}");
    assert_eq!(back["list_memberships"], json!([list]));

    let Outcome::Skipped(skip) = &run.value[1] else {
        panic!("expected skipped, got {:?}", run.value[1]);
    };
    assert_eq!(skip.contact_id.as_deref(), Some(unsubscribed.as_str()));
    assert!(skip.reason.contains("unsubscribed"), "{}", skip.reason);
    let out = emu.contact(&unsubscribed).unwrap();
    assert_eq!(out["email_address"]["permission_to_send"], "unsubscribed");
    assert_eq!(
        form_statuses(&emu).len(),
        1,
        "only the deleted contact's form was sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_confirmed_opt_in_a_new_contact_waits_for_confirmation() {
    let emu = Emulator::start(EmulatorConfig {
        behaviour: Behaviour {
            confirmed_opt_in: true,
            ..Behaviour::default()
        },
        ..EmulatorConfig::default()
    })
    .expect("start the emulator");
    let list = emu.create_list("A");
    let records = vec![contact(
        json!({"email_address": {"address": "coi@example.com"}, "list_memberships": [list]}),
    )];
    let run = harness()
        .create(&config(&emu), &records, &upsert(Some(true)))
        .await
        .expect("no trap");
    let Outcome::Created(created) = &run.value[0] else {
        panic!("expected created, got {:?}", run.value[0]);
    };
    let stored = emu.contact(&created.contact_id).unwrap();
    assert_eq!(
        stored["email_address"]["permission_to_send"],
        "pending_confirmation"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unsubscribed_address_with_a_letter_folded_differently_is_still_left_alone() {
    let emu = emulator();
    let list = emu.create_list("A");
    // Created through the connector, which keeps `İ`; the emulator folds it fully.
    let created = harness()
        .create(
            &config(&emu),
            &[contact(json!({"email_address": {"address": "İrem.yilmaz@example.com", "permission_to_send": "unsubscribed"}}))],
            &CreateOptions {
                mode: None,
                ..upsert(None)
            },
        )
        .await
        .expect("no trap");
    let id = crate::support::written_id(&created.value[0]).to_owned();

    let run = harness()
        .create(
            &config(&emu),
            &[contact(json!({"email_address": {"address": "İrem.yilmaz@example.com"}, "list_memberships": [list]}))],
            &upsert(Some(true)),
        )
        .await
        .expect("no trap");
    let Outcome::Skipped(skip) = &run.value[0] else {
        panic!("expected skipped, got {:?}", run.value[0]);
    };
    assert_eq!(skip.contact_id.as_deref(), Some(id.as_str()));
    let stored = emu.contact(&id).unwrap();
    assert_eq!(
        stored["email_address"]["permission_to_send"],
        "unsubscribed"
    );
    assert!(form_statuses(&emu).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_is_made_only_for_a_contact_that_is_then_written() {
    let emu = emulator();
    emu.insert_contact(json!({
        "email_address": {"address": "out@example.com", "permission_to_send": "unsubscribed"},
    }));
    let records = vec![
        contact(
            json!({"email_address": {"address": "out@example.com"}, "lists": ["Made For Out"]}),
        ),
        contact(
            json!({"email_address": {"address": "long@example.com"}, "first_name": "x".repeat(51), "lists": ["Made For Long"]}),
        ),
        contact(
            json!({"email_address": {"address": "fine@example.com"}, "lists": ["Made For Fine"]}),
        ),
    ];
    let options = CreateOptions {
        create_missing: Some(true),
        ..upsert(Some(true))
    };
    let run = harness()
        .create(&config(&emu), &records, &options)
        .await
        .expect("no trap");
    assert!(
        matches!(run.value[0], Outcome::Skipped(_)),
        "{:?}",
        run.value[0]
    );
    assert!(
        matches!(run.value[1], Outcome::Failed(Error::Validation(_))),
        "{:?}",
        run.value[1]
    );
    let Outcome::Created(fine) = &run.value[2] else {
        panic!("expected created, got {:?}", run.value[2]);
    };
    assert!(
        fine.notes
            .contains(&"created list \"Made For Fine\"".to_owned()),
        "{:?}",
        fine.notes
    );
    let names: Vec<String> = emu
        .lists()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, vec!["Made For Fine"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_permission_does_not_skip_the_confirmation() {
    let emu = Emulator::start(EmulatorConfig {
        behaviour: Behaviour {
            confirmed_opt_in: true,
            ..Behaviour::default()
        },
        ..EmulatorConfig::default()
    })
    .expect("start the emulator");
    let list = emu.create_list("A");
    let created = harness()
        .create(
            &config(&emu),
            &[contact(json!({"email_address": {"address": "coi@example.com"}, "list_memberships": [list]}))],
            &upsert(Some(true)),
        )
        .await
        .expect("no trap");
    let id = crate::support::written_id(&created.value[0]).to_owned();

    let update = host_test::records::json::contact_update_from_json(&json!({
        "target": {"id": id},
        "changes": {"email_address": {"address": "coi@example.com", "permission_to_send": "explicit"}, "first_name": "Cora"},
    }))
    .expect("a valid update");
    let options = host_test::wit::UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: None,
    };
    let run = harness()
        .update(&config(&emu), &[update], &options)
        .await
        .expect("no trap");
    let Outcome::Updated(written) = &run.value[0] else {
        panic!("expected updated, got {:?}", run.value[0]);
    };
    assert!(
        written
            .notes
            .iter()
            .any(|n| n.contains("kept \"pending_confirmation\"")),
        "{:?}",
        written.notes
    );
    let stored = emu.contact(&id).unwrap();
    assert_eq!(
        stored["email_address"]["permission_to_send"],
        "pending_confirmation"
    );
    assert_eq!(stored["first_name"], "Cora");
}
