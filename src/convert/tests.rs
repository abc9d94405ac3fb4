//! Reading full resources and writing only writable fields.

use serde_json::json;

use super::*;
use crate::testing::{contact, email};

const ID: &str = "af73e650-96f0-11ef-b2a0-fa163eafb85e";
const LIST: &str = "07936f78-662a-11eb-af0a-fa163e56c9b0";
const FIELD: &str = "1618ae62-4752-11e9-9c8a-fa163e6b01c1";
const NOTE: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

fn full_resource() -> ContactResource {
    serde_json::from_value(json!({
        "contact_id": ID,
        "email_address": {
            "address": "ann@example.com",
            "permission_to_send": "pending_confirmation",
            "created_at": "2024-10-30T18:56:35Z",
            "updated_at": "2024-10-30T18:56:35Z",
            "opt_in_source": "Contact",
            "opt_in_date": "2024-10-30T18:56:35Z",
            "opt_out_source": "Account",
            "opt_out_date": "2024-11-30T18:56:35Z",
            "opt_out_reason": "moved",
            "confirm_status": "confirmed"
        },
        "first_name": "Ann",
        "last_name": "Lee",
        "job_title": "Chef",
        "company_name": "Acme",
        "birthday_month": 2,
        "birthday_day": 29,
        "anniversary": "2006-11-15",
        "create_source": "Account",
        "update_source": "Contact",
        "created_at": "2024-10-30T18:56:35Z",
        "updated_at": "2024-10-31T18:56:35Z",
        "deleted_at": "2024-12-01",
        "custom_fields": [{"custom_field_id": FIELD, "value": "blue", "choice_ids": ["1"]}],
        "phone_numbers": [{
            "phone_number_id": ID, "phone_number": "+1-555", "kind": "mobile",
            "create_source": "Account", "update_source": "Account",
            "created_at": "2024-10-30T18:56:35Z", "updated_at": "2024-10-30T18:56:35Z"
        }],
        "street_addresses": [{
            "street_address_id": ID, "kind": "work", "street": "1 Main St",
            "city": "Chicago", "state": "Illinois", "postal_code": "60609",
            "country": "United States", "created_at": "2024-10-30T18:56:35Z"
        }],
        "list_memberships": [LIST],
        "taggings": [LIST],
        "notes": [{"note_id": NOTE, "created_at": "2024-10-30T18:56:35Z", "content": "hi"}],
        "sms_channel": {"sms_address": "5551212"}
    }))
    .unwrap()
}

#[test]
fn reads_keep_every_field() {
    let c = contact_from_wire(full_resource());
    assert_eq!(c.contact_id.as_deref(), Some(ID));
    let e = c.email_address.as_ref().unwrap();
    assert_eq!(e.permission_to_send, Some(Permission::PendingConfirmation));
    assert_eq!(e.opt_in_source, Some(Source::Contact));
    assert_eq!(e.opt_out_source, Some(Source::Account));
    assert_eq!(e.confirm_status, Some(ConfirmStatus::Confirmed));
    assert_eq!(e.opt_out_reason.as_deref(), Some("moved"));
    assert_eq!(c.birthday, Some(Birthday { month: 2, day: 29 }));
    assert_eq!(c.update_source, Some(Source::Contact));
    assert_eq!(c.deleted_at.as_deref(), Some("2024-12-01"));
    assert_eq!(
        c.phone_numbers.as_ref().unwrap()[0].kind,
        Some(PhoneKind::Mobile)
    );
    assert_eq!(
        c.street_addresses.as_ref().unwrap()[0].kind,
        AddressKind::Work
    );
    assert_eq!(
        c.custom_fields.as_ref().unwrap()[0].value.as_deref(),
        Some("blue")
    );
    assert_eq!(c.notes.as_ref().unwrap()[0].content, "hi");
    assert_eq!(c.list_memberships, Some(vec![LIST.to_owned()]));
}

#[test]
fn unknown_values_read_as_absent() {
    let resource: ContactResource = serde_json::from_value(json!({
        "email_address": {"address": "a@b.co", "permission_to_send": "weird"},
        "birthday_month": 13, "birthday_day": 1,
        "create_source": "Robot",
        "phone_numbers": [{"phone_number": "1", "kind": "fax"}, {"kind": "home"}],
        "street_addresses": [{"kind": "moon"}]
    }))
    .unwrap();
    let c = contact_from_wire(resource);
    assert_eq!(c.email_address.unwrap().permission_to_send, None);
    assert_eq!(c.birthday, None);
    assert_eq!(c.create_source, None);
    let phones = c.phone_numbers.unwrap();
    assert_eq!(phones.len(), 1);
    assert_eq!(phones[0].kind, None);
    assert_eq!(c.street_addresses.unwrap()[0].kind, AddressKind::Other);
}

#[test]
fn writes_never_carry_read_only_fields() {
    let c = contact_from_wire(full_resource());
    let body = serde_json::to_value(contact_to_write(&c, WriteKind::Update)).unwrap();
    assert_eq!(
        body,
        json!({
            "email_address": {
                "address": "ann@example.com",
                "permission_to_send": "pending_confirmation",
                "opt_out_reason": "moved"
            },
            "first_name": "Ann",
            "last_name": "Lee",
            "job_title": "Chef",
            "company_name": "Acme",
            "birthday_month": 2,
            "birthday_day": 29,
            "anniversary": "2006-11-15",
            "custom_fields": [{"custom_field_id": FIELD, "value": "blue", "choice_ids": ["1"]}],
            "phone_numbers": [{"phone_number": "+1-555", "kind": "mobile"}],
            "street_addresses": [{
                "kind": "work", "street": "1 Main St", "city": "Chicago",
                "state": "Illinois", "postal_code": "60609", "country": "United States"
            }],
            "list_memberships": [LIST],
            "taggings": [LIST],
            "notes": [{"note_id": NOTE, "created_at": "2024-10-30T18:56:35Z", "content": "hi"}]
        })
    );
}

#[test]
fn create_leaves_out_empty_values_and_the_opt_out_reason() {
    let mut c = contact();
    let mut e = email("ann@example.com");
    e.opt_out_reason = Some("x".into());
    e.permission_to_send = Some(Permission::NotSet);
    c.email_address = Some(e);
    c.first_name = Some(String::new());
    c.list_memberships = Some(vec![]);
    c.phone_numbers = Some(vec![]);
    let body = serde_json::to_value(contact_to_write(&c, WriteKind::Create)).unwrap();
    assert_eq!(
        body,
        json!({"email_address": {"address": "ann@example.com", "permission_to_send": "not_set"}})
    );
}

#[test]
fn update_sends_empty_lists_to_clear_them() {
    let mut c = contact();
    c.list_memberships = Some(vec![]);
    c.custom_fields = Some(vec![]);
    let body = serde_json::to_value(contact_to_write(&c, WriteKind::Update)).unwrap();
    assert_eq!(body, json!({"list_memberships": [], "custom_fields": []}));
}

#[test]
fn sources_are_capitalised() {
    assert_eq!(source_to_wire(Source::Account), "Account");
    assert_eq!(source_to_wire(Source::Contact), "Contact");
    assert_eq!(permission_to_wire(Permission::TempHold), "temp_hold");
}
