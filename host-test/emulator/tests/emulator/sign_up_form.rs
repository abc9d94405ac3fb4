//! `POST /v3/contacts/sign_up_form`: creation with explicit (or pending) permission, partial
//! updates that append lists and custom fields, restoration of deleted contacts, validation.

use cc_emulator::{Behaviour, EmulatorConfig, TokenGrant};
use serde_json::{Value, json};

use crate::client::{Conn, assert_error, call, emulator};

const PATH: &str = "/v3/contacts/sign_up_form";

fn sign_up(emulator: &cc_emulator::Emulator, body: Value) -> crate::client::Reply {
    call(emulator, "POST", PATH, Some(&body))
}

#[test]
fn a_new_address_creates_an_explicit_contact() {
    let emulator = emulator();
    let list = emulator.create_list("Newsletter");
    let field = emulator.create_custom_field("Favourite colour", "string");
    let reply = sign_up(
        &emulator,
        json!({
            "email_address": "New.Person@Example.com",
            "first_name": "New", "last_name": "", "job_title": "Baker",
            "phone_number": "(555) 555-1212",
            "list_memberships": [list, list],
            "custom_fields": [{"custom_field_id": field, "value": "teal"}],
            "anniversary": "11-15-2006", "birthday_month": 11, "birthday_day": 24,
            "street_address": {"kind": "home", "city": "Waltham", "country": "United States"}
        }),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["action"], "created");
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
    let id = body["contact_id"].as_str().unwrap();

    let stored = emulator.contact(id).unwrap();
    let email = &stored["email_address"];
    assert_eq!(email["address"], "new.person@example.com");
    assert_eq!(email["permission_to_send"], "explicit");
    assert_eq!(email["opt_in_source"], "Contact");
    assert!(email["opt_in_date"].is_string());
    assert_eq!(stored["create_source"], "Contact");
    assert_eq!(stored["first_name"], "New");
    assert!(stored.get("last_name").is_none());
    assert_eq!(stored["anniversary"], "2006-11-15");
    assert_eq!(
        (
            stored["birthday_month"].clone(),
            stored["birthday_day"].clone()
        ),
        (json!(11), json!(24))
    );
    assert_eq!(stored["list_memberships"], json!([list]));
    assert_eq!(
        stored["custom_fields"],
        json!([{"custom_field_id": field, "value": "teal"}])
    );
    let phone = &stored["phone_numbers"][0];
    assert_eq!(
        (phone["phone_number"].clone(), phone["kind"].clone()),
        (json!("(555) 555-1212"), json!("other"))
    );
    assert!(phone["phone_number_id"].is_string());
    let address = &stored["street_addresses"][0];
    assert_eq!(address["city"], "Waltham");
    assert!(address["street_address_id"].is_string());
}

#[test]
fn confirmed_opt_in_makes_new_contacts_pending() {
    let emulator = emulator();
    emulator.set_behaviour(Behaviour {
        confirmed_opt_in: true,
        ..Behaviour::default()
    });
    let list = emulator.create_list("L");
    let reply = sign_up(
        &emulator,
        json!({"email_address": "coi@example.com", "list_memberships": [list]}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let stored = emulator.find_by_email("coi@example.com").unwrap();
    assert_eq!(
        stored["email_address"]["permission_to_send"],
        "pending_confirmation"
    );
    assert_eq!(stored["email_address"]["confirm_status"], "pending");
}

#[test]
fn an_existing_address_is_updated_partially_and_appended_to() {
    let emulator = emulator();
    let old_list = emulator.create_list("Old");
    let new_list = emulator.create_list("New");
    let kept_field = emulator.create_custom_field("Kept", "string");
    let changed_field = emulator.create_custom_field("Changed", "string");
    let id = emulator.insert_contact(json!({
        "email_address": {"address": "Known@Example.com", "permission_to_send": "unsubscribed",
                          "opt_out_source": "Contact", "opt_out_date": "2025-01-01T00:00:00Z"},
        "first_name": "Old", "last_name": "Stays", "job_title": "Clerk",
        "list_memberships": [old_list],
        "custom_fields": [{"custom_field_id": kept_field, "value": "k"}, {"custom_field_id": changed_field, "value": "before"}],
        "phone_numbers": [{"phone_number": "555-0100", "kind": "home"}],
        "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"
    }));
    let before = emulator.contact(&id).unwrap();

    let reply = sign_up(
        &emulator,
        json!({
            "email_address": "known@example.COM",
            "first_name": "New",
            "phone_number": "555-0100",
            "list_memberships": [new_list, old_list],
            "custom_fields": [{"custom_field_id": changed_field, "value": "after"}]
        }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"contact_id": id, "action": "updated"}));

    let after = emulator.contact(&id).unwrap();
    assert_eq!(after["first_name"], "New");
    assert_eq!(after["last_name"], "Stays", "unsent properties are kept");
    assert_eq!(after["job_title"], "Clerk");
    assert_eq!(after["email_address"]["address"], "Known@Example.com");
    assert_eq!(after["list_memberships"], json!([old_list, new_list]));
    assert_eq!(
        after["custom_fields"],
        json!([{"custom_field_id": kept_field, "value": "k"}, {"custom_field_id": changed_field, "value": "after"}])
    );
    assert_eq!(
        after["phone_numbers"], before["phone_numbers"],
        "a known number is not added twice"
    );
    assert_eq!(after["update_source"], "Contact");
    assert!(after["updated_at"].as_str() > before["updated_at"].as_str());

    // Even an unsubscribed contact becomes explicit: the real API does this.
    let email = &after["email_address"];
    assert_eq!(email["permission_to_send"], "explicit");
    assert_eq!(email["opt_in_source"], "Contact");
    assert!(email.get("opt_out_date").is_none() && email.get("opt_out_source").is_none());
    assert_eq!(emulator.contacts().len(), 1);
}

#[test]
fn a_deleted_contact_is_restored_with_the_new_lists() {
    let emulator = emulator();
    let list = emulator.create_list("Back");
    let id = emulator.insert_contact(json!({
        "email_address": {"address": "gone@example.com", "permission_to_send": "explicit"},
        "deleted_at": "2025-03-04", "list_memberships": [],
        "phone_numbers": [{"phone_number": "1"}, {"phone_number": "2"}, {"phone_number": "3"}]
    }));
    let reply = sign_up(
        &emulator,
        json!({"email_address": "gone@example.com", "list_memberships": [list], "phone_number": "4",
               "street_address": {"kind": "work", "street": "1 Main St"}}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let after = emulator.contact(&id).unwrap();
    assert!(after.get("deleted_at").is_none(), "restored: {after}");
    assert_eq!(after["list_memberships"], json!([list]));
    let numbers: Vec<&str> = after["phone_numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phone_number"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        ["1", "2", "4"],
        "at most three numbers; the newest replaces the last"
    );
    assert_eq!(after["street_addresses"][0]["street"], "1 Main St");
    let listed = crate::client::get(&emulator, "/v3/contacts?email=gone@example.com").json();
    assert_eq!(
        listed["contacts"].as_array().unwrap().len(),
        1,
        "live again: {listed}"
    );
}

#[test]
fn invalid_bodies_are_400_arrays_and_store_nothing() {
    let emulator = emulator();
    let list = emulator.create_list("L");
    let field = emulator.create_custom_field("F", "string");
    let unknown = "af73e650-96f0-11ef-b2a0-fa163eafb85e";
    let many_fields: Vec<Value> = (0..51)
        .map(|_| json!({"custom_field_id": field, "value": "x"}))
        .collect();
    let cases = [
        (
            json!({"email_address": "a@example.com"}),
            "list_memberships is required",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": []}),
            "at least one",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": [unknown]}),
            "list_memberships[0]",
        ),
        (
            json!({"list_memberships": [list]}),
            "email_address is required",
        ),
        (
            json!({"email_address": {"address": "a@example.com"}, "list_memberships": [list]}),
            "email_address must be a string",
        ),
        (
            json!({"email_address": format!("{}@example.com", "a".repeat(40)), "list_memberships": [list]}),
            "email_address exceeds the maximum length of 50",
        ),
        (
            json!({"email_address": "nope", "list_memberships": [list]}),
            "email_address is not a valid",
        ),
        (
            json!({"sms_channel": {"sms_address": "5555550100"}, "list_memberships": [list]}),
            "sms_channel",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": [list], "custom_fields": many_fields}),
            "custom_fields exceeds the maximum of 50",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": [list], "custom_fields": [{"custom_field_id": unknown}]}),
            "custom_fields[0].custom_field_id",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": [list], "street_address": {"city": "X"}}),
            "street_address.kind is required",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": [list], "street_address": [{"kind": "home"}]}),
            "street_address must be an object",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": [list], "phone_number": "5".repeat(26)}),
            "phone_number exceeds the maximum length of 25",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": [list], "birthday_day": 3}),
            "birthday_month is required",
        ),
        (
            json!({"email_address": "a@example.com", "list_memberships": [list], "first_name": "x".repeat(51)}),
            "first_name exceeds",
        ),
        (json!("a@example.com"), "JSON object"),
    ];
    for (body, part) in cases {
        let reply = sign_up(&emulator, body.clone());
        assert_error(&reply, 400, "contacts.api.validation.error", part);
    }
    assert!(emulator.contacts().is_empty(), "nothing was stored");
    let messages = sign_up(&emulator, json!({"email_address": "nope"})).json();
    assert_eq!(
        messages.as_array().unwrap().len(),
        2,
        "every problem is reported: {messages}"
    );
}

#[test]
fn sign_up_needs_contact_data_and_post() {
    let config = EmulatorConfig {
        tokens: vec![TokenGrant::new("account-only", &["account_read"])],
        ..EmulatorConfig::default()
    };
    let emulator = cc_emulator::Emulator::start(config).unwrap();
    let body = br#"{"email_address":"a@example.com","list_memberships":[]}"#;
    let reply = Conn::open(emulator.addr()).request(
        "POST",
        PATH,
        &[("Authorization", "Bearer account-only")],
        Some(body),
    );
    assert_eq!(reply.status, 403);
    assert_eq!(reply.json()["error_key"], "forbidden");

    let emulator = crate::client::emulator();
    let get = crate::client::get(&emulator, PATH);
    assert_error(&get, 405, "method_not_allowed", "GET");
    let text = Conn::open(emulator.addr()).request(
        "POST",
        PATH,
        &[("Content-Type", "text/plain")],
        Some(b"email"),
    );
    assert_eq!(text.status, 415);
}
