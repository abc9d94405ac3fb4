//! The delete activity: soft delete by id or email, already-deleted, unknown contacts.

use cc_emulator::{Canned, Script};
use host_test::records::json::default_delete_options;
use host_test::wit::{ContactRef, Error, Outcome};
use serde_json::json;

use crate::support::{assert_no_secret, config, emulator, harness};

#[tokio::test(flavor = "multi_thread")]
async fn deletes_by_id_and_email_reports_already_deleted_and_unknown() {
    let emu = emulator();
    let list = emu.create_list("Members");
    let by_id = emu.insert_contact(json!({
        "email_address": {"address": "one@example.com"}, "first_name": "One", "list_memberships": [list],
    }));
    let by_email = emu.insert_contact(
        json!({"email_address": {"address": "two@example.com"}, "first_name": "Two"}),
    );
    let gone = emu.insert_contact(json!({
        "email_address": {"address": "three@example.com"}, "first_name": "Three", "deleted_at": "2026-01-01",
    }));
    let records = vec![
        ContactRef::Id(by_id.clone()),
        ContactRef::Email("TWO@example.com ".into()),
        ContactRef::Id(gone.clone()),
        ContactRef::Email("nobody@example.com".into()),
        ContactRef::Id("00000000-0000-1000-8000-000000000000".into()),
    ];

    let run = harness()
        .delete(&config(&emu), &records, &default_delete_options())
        .await
        .expect("no trap");
    let v = &run.value;
    assert!(
        matches!(&v[0], Outcome::Deleted(d) if d.contact_id == by_id && !d.already_deleted),
        "{:?}",
        v[0]
    );
    assert!(
        matches!(&v[1], Outcome::Deleted(d) if d.contact_id == by_email && !d.already_deleted),
        "{:?}",
        v[1]
    );
    assert!(
        matches!(&v[2], Outcome::Deleted(d) if d.contact_id == gone && d.already_deleted),
        "{:?}",
        v[2]
    );
    assert!(
        matches!(&v[3], Outcome::Failed(Error::NotFound(_))),
        "{:?}",
        v[3]
    );
    assert!(
        matches!(&v[4], Outcome::Failed(Error::NotFound(_))),
        "{:?}",
        v[4]
    );

    let first = emu.contact(&by_id).unwrap();
    assert!(first.get("deleted_at").is_some());
    assert_eq!(
        first.get("list_memberships").cloned().unwrap_or(json!([])),
        json!([])
    );
    assert!(emu.contact(&by_email).unwrap().get("deleted_at").is_some());
    let deletes = emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .count();
    assert_eq!(
        deletes, 2,
        "the already-deleted contact is not deleted again"
    );
    assert_no_secret(&run.capture);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_204_without_body_or_content_type_is_success() {
    let emu = emulator();
    let id = emu.insert_contact(
        json!({"email_address": {"address": "bare@example.com"}, "first_name": "Bare"}),
    );
    emu.script(Script {
        method: Some("DELETE".into()),
        path_prefix: format!("/v3/contacts/{id}"),
        times: 1,
        response: Canned {
            status: 204,
            content_type: None,
            body: vec![],
            headers: vec![],
        },
    });

    let run = harness()
        .delete(
            &config(&emu),
            &[ContactRef::Id(id.clone())],
            &default_delete_options(),
        )
        .await
        .expect("no trap");
    assert!(
        matches!(&run.value[0], Outcome::Deleted(d) if d.contact_id == id && !d.already_deleted),
        "{:?}",
        run.value[0]
    );
    let delete = emu
        .requests()
        .into_iter()
        .find(|r| r.method == "DELETE")
        .expect("sent");
    assert!(delete.scripted, "the canned 204 answered it");
}
