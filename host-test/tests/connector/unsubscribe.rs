//! Opting out: delete in unsubscribe mode, and an explicit unsubscribe by update.

use host_test::wit::{
    ContactRef, DeleteMode, DeleteOptions, Outcome, Unsubscription, UpdateOptions,
};
use serde_json::json;

use crate::support::{config, emulator, harness, request_lines};

fn unsubscribe(reason: Option<&str>) -> DeleteOptions {
    DeleteOptions {
        mode: Some(DeleteMode::Unsubscribe),
        opt_out_reason: reason.map(str::to_owned),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_in_unsubscribe_mode_opts_out_and_keeps_the_contact() {
    let emu = emulator();
    let list = emu.create_list("Newsletter");
    let ann = emu.insert_contact(json!({
        "email_address": {"address": "ann@example.com", "permission_to_send": "explicit"},
        "first_name": "Ann", "list_memberships": [list],
    }));
    let out = emu.insert_contact(json!({
        "email_address": {"address": "out@example.com", "permission_to_send": "unsubscribed"},
    }));
    let gone = emu.insert_contact(json!({
        "email_address": {"address": "gone@example.com", "permission_to_send": "implicit"},
        "deleted_at": "2026-02-03",
    }));
    let targets = vec![
        ContactRef::Email("ANN@example.com".into()),
        ContactRef::Id(out.clone()),
        ContactRef::Id(gone.clone()),
    ];
    let run = harness()
        .delete(
            &config(&emu),
            &targets,
            &unsubscribe(Some("asked at the desk")),
        )
        .await
        .expect("no trap");

    assert_eq!(
        run.value[0],
        Outcome::Unsubscribed(Unsubscription {
            contact_id: ann.clone(),
            already_unsubscribed: false,
        })
    );
    let stored = emu.contact(&ann).unwrap();
    assert_eq!(
        stored["email_address"]["permission_to_send"],
        "unsubscribed"
    );
    assert_eq!(
        stored["email_address"]["opt_out_reason"],
        "asked at the desk"
    );
    assert_eq!(stored["first_name"], "Ann");
    assert!(stored.get("deleted_at").is_none());
    assert_eq!(
        stored["list_memberships"],
        json!([list]),
        "an opt-out is not a delete"
    );

    assert_eq!(
        run.value[1],
        Outcome::Unsubscribed(Unsubscription {
            contact_id: out,
            already_unsubscribed: true,
        })
    );
    let Outcome::Skipped(skip) = &run.value[2] else {
        panic!("expected skipped, got {:?}", run.value[2]);
    };
    assert!(skip.reason.contains("restore"), "{}", skip.reason);
    assert!(emu.contact(&gone).unwrap().get("deleted_at").is_some());

    let writes: Vec<String> = request_lines(&emu)
        .into_iter()
        .filter(|l| !l.starts_with("GET"))
        .collect();
    assert_eq!(writes, vec![format!("PUT /v3/contacts/{ann}")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_unsubscribes_with_a_reason_when_asked() {
    let emu = emulator();
    let id = emu.insert_contact(json!({
        "email_address": {"address": "ann@example.com", "permission_to_send": "explicit"},
        "first_name": "Ann",
    }));
    let update = host_test::records::json::contact_update_from_json(&json!({
        "target": {"id": id},
        "changes": {"email_address": {"address": "ann@example.com", "permission_to_send": "unsubscribed", "opt_out_reason": "moved away"}},
    }))
    .expect("a valid update");
    let options = UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: None,
    };
    let run = harness()
        .update(&config(&emu), &[update], &options)
        .await
        .expect("no trap");
    assert!(
        matches!(run.value[0], Outcome::Updated(_)),
        "{:?}",
        run.value[0]
    );
    let stored = emu.contact(&id).unwrap();
    assert_eq!(
        stored["email_address"]["permission_to_send"],
        "unsubscribed"
    );
    assert_eq!(stored["email_address"]["opt_out_reason"], "moved away");
    assert_eq!(stored["first_name"], "Ann");
}
