//! Records in the v2 contact model: mapped to v3 and written, with every lossy field named,
//! v2 list ids translated, CustomFieldN resolved, and consent carried only as an opt-out.

use host_test::wit::{CreateOptions, LossKind, Outcome, UpdateOptions};
use serde_json::{Value, json};

use crate::support::{config, emulator, harness, written_id};

fn v2(json: Value) -> host_test::wit::V2Contact {
    host_test::records::json::v2_contact_from_json(&json).expect("a valid v2 contact")
}

fn create_options() -> CreateOptions {
    CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    }
}

fn update_options() -> UpdateOptions {
    UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_v2_record_with_a_fax_and_a_prefix_is_created_and_both_are_named_lossy() {
    let emu = emulator();
    let list = emu.create_list("Newsletter");
    let v2_list_id = emu.list_sequence_id(&list).expect("a v2 id");
    let field = emu.create_custom_field("CustomField1", "string");
    let record = v2(json!({
        "status": "ACTIVE",
        "prefix_name": "Dr.",
        "first_name": "Grace", "last_name": "Hopper", "company_name": "Navy",
        "email_addresses": [{"email_address": "Grace@Example.com", "status": "ACTIVE", "opt_in_source": "ACTION_BY_OWNER"}],
        "home_phone": "555-0100", "fax": "555-0199",
        "addresses": [{"address_type": "BUSINESS", "line1": "1 Navy Way", "city": "Arlington", "state_code": "VA", "postal_code": "22202"}],
        "lists": [{"id": v2_list_id, "status": "ACTIVE"}],
        "custom_fields": [{"name": "CustomField1", "value": "COBOL"}],
        "notes": [{"note": "Met at the conference"}],
    }));
    let run = harness()
        .create_v2(&config(&emu), &[record], &create_options())
        .await
        .expect("no trap");
    let Outcome::Created(written) = &run.value[0] else {
        panic!("expected created, got {:?}", run.value[0]);
    };
    let losses: Vec<(&str, LossKind)> = written
        .losses
        .iter()
        .map(|l| (l.field.as_str(), l.kind))
        .collect();
    assert!(
        losses.contains(&("prefix_name", LossKind::Dropped)),
        "{losses:?}"
    );
    assert!(
        losses.contains(&("fax", LossKind::Approximated)),
        "{losses:?}"
    );
    assert!(
        losses.contains(&("addresses[0].state_code", LossKind::Approximated)),
        "{losses:?}"
    );

    let stored = emu.contact(&written.contact_id).expect("stored");
    assert_eq!(stored["email_address"]["address"], "grace@example.com");
    assert_eq!(stored["email_address"]["permission_to_send"], "implicit");
    assert_eq!(stored["first_name"], "Grace");
    assert_eq!(stored["company_name"], "Navy");
    let phones: Vec<(String, String)> = stored["phone_numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["phone_number"].as_str().unwrap().to_owned(),
                p["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        phones,
        vec![
            ("555-0100".to_owned(), "home".to_owned()),
            ("555-0199".to_owned(), "other".to_owned())
        ]
    );
    assert_eq!(stored["street_addresses"][0]["kind"], "work");
    assert_eq!(stored["street_addresses"][0]["street"], "1 Navy Way");
    assert_eq!(stored["street_addresses"][0]["state"], "VA");
    assert_eq!(stored["list_memberships"], json!([list]));
    assert_eq!(stored["custom_fields"][0]["custom_field_id"], json!(field));
    assert_eq!(stored["custom_fields"][0]["value"], "COBOL");
    assert_eq!(stored["notes"][0]["content"], "Met at the conference");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_v2_names_fail_their_record_alone() {
    let emu = emulator();
    emu.create_list("Newsletter");
    let records = vec![
        v2(
            json!({"email_addresses": [{"email_address": "a@example.com"}], "lists": [{"id": "999"}]}),
        ),
        v2(
            json!({"email_addresses": [{"email_address": "b@example.com"}], "custom_fields": [{"name": "CustomField9", "value": "x"}]}),
        ),
        v2(json!({"email_addresses": [{"email_address": "c@example.com"}], "status": "REMOVED"})),
        v2(json!({"email_addresses": [{"email_address": "d@example.com"}], "first_name": "Dee"})),
    ];
    let run = harness()
        .create_v2(&config(&emu), &records, &create_options())
        .await
        .expect("no trap");
    let fields: Vec<String> = run.value[..3]
        .iter()
        .map(|o| match o {
            Outcome::Failed(host_test::wit::Error::Validation(v)) => v.fields[0].field.clone(),
            other => panic!("expected validation, got {other:?}"),
        })
        .collect();
    assert_eq!(fields, vec!["lists[0].id", "custom_fields[0]", "status"]);
    let dee = emu.contact(written_id(&run.value[3])).unwrap();
    assert_eq!(dee["first_name"], "Dee");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_v2_update_carries_an_opt_out_but_never_a_stale_opt_in() {
    let emu = emulator();
    let active = emu.insert_contact(json!({
        "email_address": {"address": "on@example.com", "permission_to_send": "explicit"},
        "first_name": "On", "job_title": "Chef",
    }));
    let out = emu.insert_contact(json!({
        "email_address": {"address": "off@example.com", "permission_to_send": "unsubscribed"},
        "first_name": "Off",
    }));
    let updates = vec![
        host_test::records::json::v2_update_from_json(&json!({
            "target": {"email": "on@example.com"},
            "changes": {"status": "OPTOUT", "middle_name": "Q", "last_name": "Line"},
        }))
        .expect("a valid v2 update"),
        host_test::records::json::v2_update_from_json(&json!({
            "target": {"id": out},
            "changes": {"email_addresses": [{"email_address": "off@example.com", "status": "ACTIVE"}], "last_name": "Stale"},
        }))
        .expect("a valid v2 update"),
    ];
    let run = harness()
        .update_v2(&config(&emu), &updates, &update_options())
        .await
        .expect("no trap");

    let Outcome::Updated(first) = &run.value[0] else {
        panic!("expected updated, got {:?}", run.value[0]);
    };
    assert!(first.losses.iter().any(|l| l.field == "middle_name"));
    let on = emu.contact(&active).unwrap();
    assert_eq!(on["email_address"]["permission_to_send"], "unsubscribed");
    assert_eq!(on["job_title"], "Chef", "absent fields keep their value");
    assert_eq!(on["last_name"], "Line");

    let Outcome::Updated(second) = &run.value[1] else {
        panic!("expected updated, got {:?}", run.value[1]);
    };
    assert!(
        second
            .losses
            .iter()
            .any(|l| l.field == "email_addresses[0].status"),
        "{:?}",
        second.losses
    );
    let off = emu.contact(&out).unwrap();
    assert_eq!(off["email_address"]["permission_to_send"], "unsubscribed");
    assert_eq!(off["last_name"], "Stale");
}
