//! Unit tests of the contact's JSON form: its shape, round trips, lenient names and the
//! errors that name a field.

use serde_json::json;

use super::contact::{contact_from_json, contact_to_json, email_only, empty_contact};
use crate::wit::{
    AddressKind, Birthday, Contact, CustomEntry, CustomFieldValue, CustomValue, Note, Permission,
    PhoneKind, PhoneNumber, Source, StreetAddress,
};

fn full_contact() -> Contact {
    let mut email = email_only("ann@example.com");
    email.permission_to_send = Some(Permission::PendingConfirmation);
    email.opt_in_source = Some(Source::Contact);
    Contact {
        contact_id: Some("c-1".into()),
        email_address: Some(email),
        first_name: Some("Ånn".into()),
        last_name: Some(String::new()),
        birthday: Some(Birthday { month: 5, day: 17 }),
        anniversary: Some("2020-06-01".into()),
        create_source: Some(Source::Account),
        deleted_at: Some("2024-01-02".into()),
        custom_fields: Some(vec![CustomFieldValue {
            custom_field_id: "cf-1".into(),
            value: Some("gold".into()),
            choice_ids: Some(vec!["1".into(), "2".into()]),
        }]),
        phone_numbers: Some(vec![PhoneNumber {
            phone_number_id: None,
            phone_number: "+1 555 0100".into(),
            kind: Some(PhoneKind::Mobile),
            create_source: None,
            update_source: None,
            created_at: None,
            updated_at: None,
        }]),
        street_addresses: Some(vec![StreetAddress {
            street_address_id: None,
            kind: AddressKind::Work,
            street: Some("1 Main St".into()),
            city: Some("Zürich".into()),
            state: None,
            postal_code: Some("8000".into()),
            country: Some("CH".into()),
            created_at: None,
            updated_at: None,
        }]),
        list_memberships: Some(vec!["l-1".into()]),
        taggings: Some(vec![]),
        notes: Some(vec![Note {
            note_id: Some("n-1".into()),
            created_at: None,
            content: "met at fair".into(),
        }]),
        lists: Some(vec!["Newsletter".into()]),
        tags: Some(vec![]),
        custom: Some(vec![
            CustomEntry {
                field: "Shoe Size".into(),
                value: CustomValue::Number(42.0),
            },
            CustomEntry {
                field: "Tier".into(),
                value: CustomValue::Blank,
            },
        ]),
        ..empty_contact()
    }
}

#[test]
fn contact_json_reads_like_v3() {
    let value = contact_to_json(&full_contact());
    assert_eq!(value["email_address"]["address"], "ann@example.com");
    assert_eq!(
        value["email_address"]["permission_to_send"],
        "pending_confirmation"
    );
    assert_eq!(value["birthday"], json!({"month": 5, "day": 17}));
    assert_eq!(value["create_source"], "account");
    assert_eq!(value["phone_numbers"][0]["kind"], "mobile");
    assert_eq!(value["custom_fields"][0]["choice_ids"], json!(["1", "2"]));
    assert_eq!(value["taggings"], json!([]));
    assert_eq!(value["last_name"], "");
    assert_eq!(value["lists"], json!(["Newsletter"]));
    assert_eq!(value["tags"], json!([]));
    assert_eq!(value["custom"], json!({"Shoe Size": 42, "Tier": null}));
    assert!(
        value.get("job_title").is_none(),
        "absent fields are left out"
    );
}

#[test]
fn contact_round_trips() {
    let contact = full_contact();
    let back = contact_from_json(&contact_to_json(&contact)).unwrap();
    assert!(back == contact);
}

#[test]
fn email_may_be_a_plain_string_and_enums_are_lenient() {
    let value = json!({
        "email_address": "bo@example.com",
        "create_source": "Account",
        "phone_numbers": [{"phone_number": "1", "kind": "HOME"}],
    });
    let contact = contact_from_json(&value).unwrap();
    assert_eq!(contact.email_address.unwrap().address, "bo@example.com");
    assert_eq!(contact.create_source, Some(Source::Account));
    assert_eq!(
        contact.phone_numbers.unwrap()[0].kind,
        Some(PhoneKind::Home)
    );
}

#[test]
fn bad_values_name_their_field() {
    let err = contact_from_json(&json!({"birthday": {"month": "May", "day": 1}})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "field `birthday.month`: expected a number, found a string"
    );

    let err =
        contact_from_json(&json!({"phone_numbers": [{"phone_number": "1"}, {"kind": "home"}]}))
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "field `phone_numbers[1].phone_number`: is required"
    );

    let err = contact_from_json(
        &json!({"email_address": {"address": "a@b.c", "permission_to_send": "yes"}}),
    )
    .unwrap_err();
    assert_eq!(err.field, "email_address.permission_to_send");
    assert!(err.problem.contains("\"not_set\""), "{err}");

    let err = contact_from_json(&json!({"street_addresses": [{"city": "X"}]})).unwrap_err();
    assert_eq!(err.field, "street_addresses[0].kind");

    let err = contact_from_json(&json!({"nickname": "x"})).unwrap_err();
    assert!(err.problem.contains("unknown field `nickname`"), "{err}");

    let err = contact_from_json(&json!(["not", "an", "object"])).unwrap_err();
    assert_eq!(err.to_string(), "expected an object, found an array");
}

#[test]
fn names_and_custom_values_read_from_their_json_types() {
    let contact = contact_from_json(&json!({
        "email_address": "cy@example.com",
        "lists": ["Newsletter", "Leads"],
        "tags": ["VIP"],
        "custom": {"Signup_Date": "2026-03-01", "Vip": true, "Colours": ["Red"], "Gone": null},
    }))
    .unwrap();
    assert_eq!(
        contact.lists.as_deref(),
        Some(&["Newsletter".to_owned(), "Leads".to_owned()][..])
    );
    assert_eq!(contact.tags.as_deref(), Some(&["VIP".to_owned()][..]));
    let custom = contact.custom.unwrap();
    let value = |field: &str| {
        custom
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.value.clone())
    };
    assert!(value("Signup_Date") == Some(CustomValue::Text("2026-03-01".into())));
    assert!(value("Vip") == Some(CustomValue::Boolean(true)));
    assert!(value("Colours") == Some(CustomValue::Choices(vec!["Red".into()])));
    assert!(value("Gone") == Some(CustomValue::Blank));

    let err = contact_from_json(&json!({"lists": "Newsletter"})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "field `lists`: expected an array, found a string"
    );
    let err = contact_from_json(&json!({"tags": ["VIP", 7]})).unwrap_err();
    assert_eq!(err.field, "tags[1]");
    let err = contact_from_json(&json!({"custom": {"Vip": {"yes": true}}})).unwrap_err();
    assert_eq!(err.field, "custom.Vip");
}
