//! Unit tests of the v2 JSON form: round trips, the v2 API's upper-case enum values, ids
//! given as numbers, and errors that name their field.

use serde_json::json;

use super::*;
use crate::wit::{ContactRef, V2ActionBy, V2AddressType, V2Status};

fn full_v2_contact() -> V2Contact {
    V2Contact {
        id: Some("1001".into()),
        status: Some(V2Status::Active),
        email_addresses: Some(vec![V2EmailAddress {
            id: Some("e-1".into()),
            email_address: "dana@example.com".into(),
            status: Some(V2Status::NonSubscriber),
            confirm_status: Some("NO_CONFIRMATION_REQUIRED".into()),
            opt_in_source: Some(V2ActionBy::ActionByOwner),
            opt_in_date: Some("2014-01-02T03:04:05.000Z".into()),
            opt_out_date: None,
        }]),
        prefix_name: Some("Dr.".into()),
        first_name: Some("Dana".into()),
        middle_name: Some("Q".into()),
        last_name: Some("Ng".into()),
        job_title: None,
        company_name: Some("Acme".into()),
        department_name: Some("Sales".into()),
        home_phone: Some("555-0100".into()),
        work_phone: None,
        cell_phone: Some("555-0101".into()),
        fax: Some("555-0102".into()),
        addresses: Some(vec![V2Address {
            id: None,
            address_type: Some(V2AddressType::Business),
            line1: Some("1 Main St".into()),
            line2: Some("Suite 2".into()),
            line3: None,
            city: Some("Boston".into()),
            state: None,
            state_code: Some("MA".into()),
            country_code: Some("us".into()),
            postal_code: Some("02110".into()),
            sub_postal_code: Some("1234".into()),
        }]),
        notes: Some(vec![V2Note {
            id: Some("n-1".into()),
            note: "likes tea".into(),
            created_date: Some("2015-05-05T00:00:00.000Z".into()),
            modified_date: None,
        }]),
        lists: Some(vec![V2List {
            id: "1".into(),
            status: Some("ACTIVE".into()),
        }]),
        custom_fields: Some(vec![V2CustomField {
            name: "CustomField3".into(),
            value: "gold".into(),
        }]),
        confirmed: Some(false),
        source: Some("API".into()),
        source_details: None,
        created_date: None,
        modified_date: Some("2016-06-06T00:00:00.000Z".into()),
    }
}

#[test]
fn v2_contacts_round_trip_in_lower_case() {
    let contact = full_v2_contact();
    let value = v2_contact_to_json(&contact);
    assert_eq!(value["status"], "active");
    assert_eq!(value["email_addresses"][0]["status"], "non_subscriber");
    assert_eq!(
        value["email_addresses"][0]["opt_in_source"],
        "action_by_owner"
    );
    assert_eq!(value["addresses"][0]["address_type"], "business");
    assert_eq!(value["lists"], json!([{"id": "1", "status": "ACTIVE"}]));
    assert_eq!(
        value["custom_fields"],
        json!([{"name": "CustomField3", "value": "gold"}])
    );
    assert!(
        value.get("job_title").is_none(),
        "absent fields are left out"
    );
    assert!(v2_contact_from_json(&value).unwrap() == contact);

    let empty = v2_contact_to_json(&empty_v2_contact());
    assert_eq!(empty, json!({}));
}

#[test]
fn v2_api_spellings_read() {
    let contact = v2_contact_from_json(&json!({
        "id": 1001,
        "status": "OPTOUT",
        "email_addresses": [{
            "id": 77,
            "email_address": "eve@example.com",
            "status": "UNCONFIRMED",
            "opt_in_source": "ACTION_BY_VISITOR",
        }],
        "addresses": [{"address_type": "PERSONAL", "line1": "2 Elm St"}],
        "lists": [{"id": 12, "status": "ACTIVE"}, {"id": "07936f78-662a-11eb-af0a-fa163e56c9b0"}],
    }))
    .unwrap();
    assert_eq!(contact.id.as_deref(), Some("1001"));
    assert!(contact.status == Some(V2Status::Optout));
    let email = &contact.email_addresses.as_ref().unwrap()[0];
    assert_eq!(email.id.as_deref(), Some("77"));
    assert!(email.status == Some(V2Status::Unconfirmed));
    assert!(email.opt_in_source == Some(V2ActionBy::ActionByVisitor));
    assert!(contact.addresses.unwrap()[0].address_type == Some(V2AddressType::Personal));
    let lists = contact.lists.unwrap();
    assert_eq!(lists[0].id, "12");
    assert_eq!(lists[1].id, "07936f78-662a-11eb-af0a-fa163e56c9b0");
    assert_eq!(lists[1].status, None);
}

#[test]
fn bad_v2_values_name_their_field() {
    let err = v2_contact_from_json(&json!({"status": "SUBSCRIBED"})).unwrap_err();
    assert_eq!(err.field, "status");
    assert!(err.problem.contains("\"non_subscriber\""), "{err}");

    let err = v2_contact_from_json(&json!({"lists": [{"id": 1.5}]})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "field `lists[0].id`: expected a string or a whole number, found a number"
    );
    let err = v2_contact_from_json(&json!({"lists": [{"status": "ACTIVE"}]})).unwrap_err();
    assert_eq!(err.to_string(), "field `lists[0].id`: is required");

    let err =
        v2_contact_from_json(&json!({"email_addresses": [{"status": "ACTIVE"}]})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "field `email_addresses[0].email_address`: is required"
    );
    let err =
        v2_contact_from_json(&json!({"custom_fields": [{"name": "CustomField1", "value": 3}]}))
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "field `custom_fields[0].value`: expected a string, found a number"
    );
    let err = v2_contact_from_json(&json!({"confirmed": "yes"})).unwrap_err();
    assert_eq!(err.field, "confirmed");
    let err = v2_contact_from_json(&json!({"emailAddresses": []})).unwrap_err();
    assert!(
        err.problem.contains("unknown field `emailAddresses`"),
        "{err}"
    );
    let err = v2_contact_from_json(&json!({"addresses": [{"zip": "1"}]})).unwrap_err();
    assert_eq!(err.field, "addresses[0]");
}

#[test]
fn v2_updates_round_trip() {
    let update = V2Update {
        target: ContactRef::Email("dana@example.com".into()),
        changes: V2Contact {
            work_phone: Some("555-0199".into()),
            ..empty_v2_contact()
        },
    };
    let value = v2_update_to_json(&update);
    assert_eq!(
        value,
        json!({"target": {"email": "dana@example.com"}, "changes": {"work_phone": "555-0199"}})
    );
    assert!(v2_update_from_json(&value).unwrap() == update);

    let no_changes = v2_update_from_json(&json!({"target": {"id": "c-1"}})).unwrap();
    assert!(no_changes.changes == empty_v2_contact());
    let err = v2_update_from_json(&json!({"changes": {}})).unwrap_err();
    assert_eq!(err.to_string(), "field `target`: is required");
    let err =
        v2_update_from_json(&json!({"target": {"id": "c-1"}, "changes": {"fax": 5}})).unwrap_err();
    assert_eq!(err.field, "changes.fax");
    let err = v2_update_from_json(&json!({"target": {"id": "c-1"}, "clear": []})).unwrap_err();
    assert!(err.problem.contains("unknown field `clear`"), "{err}");
}
