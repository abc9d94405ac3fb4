//! `POST`, `PUT` and `DELETE` on contacts: validation, conflicts, replace-or-keep semantics,
//! soft deletion and revival.

use cc_emulator::{Behaviour, DeletedDeletePolicy};
use serde_json::{Value, json};

use crate::client::{assert_error, call, emulator, get};

fn post(emulator: &cc_emulator::Emulator, body: Value) -> crate::client::Reply {
    call(emulator, "POST", "/v3/contacts", Some(&body))
}

#[test]
fn post_creates_with_defaults_and_core_fields_only() {
    let emulator = emulator();
    let list = emulator.create_list("Newsletter");
    let reply = post(
        &emulator,
        json!({
            "email_address": {"address": "Ann.Lee@Example.com"},
            "first_name": "Ann",
            "last_name": "",
            "create_source": "Contact",
            "list_memberships": [list],
            "phone_numbers": [{"phone_number": "+1-555-555-0100", "kind": "mobile"}],
            "anniversary": "11/15/2006",
            "birthday_month": 2, "birthday_day": 29
        }),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let body = reply.json();
    let id = body["contact_id"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "1", "time-based uuid");
    let email = &body["email_address"];
    assert_eq!(email["address"], "ann.lee@example.com");
    assert_eq!(email["permission_to_send"], "implicit");
    assert_eq!(email["opt_in_source"], "Contact");
    assert!(email["opt_in_date"].is_string());
    assert_eq!(body["create_source"], "Contact");
    assert_eq!(body["anniversary"], "2006-11-15");
    assert!(body.get("last_name").is_none(), "blank values are omitted");
    assert!(body.get("update_source").is_none());
    assert!(
        body.get("list_memberships").is_none(),
        "no subresources in the 201 body"
    );
    assert!(body.get("phone_numbers").is_none());
    let created = body["created_at"].as_str().unwrap();
    assert_eq!(created.len(), 20, "YYYY-MM-DDTHH:MM:SSZ: {created}");
    assert!(created.ends_with('Z'));
    assert_eq!(body["updated_at"], body["created_at"]);

    let stored = emulator.contact(id).unwrap();
    assert_eq!(stored["list_memberships"], json!([list]));
    assert_eq!(stored["phone_numbers"][0]["kind"], "mobile");
    assert!(stored["phone_numbers"][0]["phone_number_id"].is_string());
}

#[test]
fn post_can_return_subresources_and_use_another_default_permission() {
    let emulator = emulator();
    emulator.set_behaviour(Behaviour {
        post_returns_subresources: true,
        default_permission_on_post: "explicit".into(),
        lowercase_emails_on_store: false,
        ..Behaviour::default()
    });
    let reply = post(
        &emulator,
        json!({"email_address": {"address": "Mixed@Example.com"}, "create_source": "Account"}),
    );
    let body = reply.json();
    assert_eq!(body["email_address"]["address"], "Mixed@Example.com");
    assert_eq!(body["email_address"]["permission_to_send"], "explicit");
    assert_eq!(body["list_memberships"], json!([]));
    assert_eq!(body["notes"], json!([]));
}

#[test]
fn post_validation_errors_are_arrays_naming_the_field() {
    let emulator = emulator();
    let cases = [
        (json!({"first_name": "A"}), "create_source is missing"),
        (
            json!({"first_name": "A", "create_source": "Robot"}),
            "create_source",
        ),
        (json!({"create_source": "Account"}), "at least one"),
        (
            json!({"create_source": "Account", "first_name": "x".repeat(51)}),
            "first_name exceeds the maximum length of 50",
        ),
        (
            json!({"create_source": "Account", "email_address": {"address": format!("{}@example.com", "a".repeat(70))}}),
            "email_address.address exceeds",
        ),
        (
            json!({"create_source": "Account", "email_address": {"address": "not-an-email"}}),
            "email_address.address is not a valid",
        ),
        (
            json!({"create_source": "Account", "email_address": {}}),
            "email_address.address is required",
        ),
        (
            json!({"create_source": "Account", "email_address": {"address": "a@example.com", "permission_to_send": "maybe"}}),
            "permission_to_send",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "phone_numbers": [{"phone_number": "1"}, {"phone_number": "2"}, {"phone_number": "3"}, {"phone_number": "4"}]}),
            "phone_numbers exceeds the maximum of 3",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "phone_numbers": [{"phone_number": "1", "kind": "fax"}]}),
            "phone_numbers[0].kind",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "street_addresses": [{"city": "Oslo"}]}),
            "street_addresses[0].kind is required",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "list_memberships": ["af73e650-96f0-11ef-b2a0-fa163eafb85e"]}),
            "list_memberships[0]",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "taggings": ["nope"]}),
            "taggings[0]",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "custom_fields": [{"custom_field_id": "af73e650-96f0-11ef-b2a0-fa163eafb85e", "value": "x"}]}),
            "custom_fields[0].custom_field_id",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "birthday_month": 4}),
            "birthday_day is required",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "birthday_month": 4, "birthday_day": 31}),
            "birthday_day",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "anniversary": "someday"}),
            "anniversary",
        ),
        (
            json!({"create_source": "Account", "first_name": "A", "notes": [{"content": ""}]}),
            "notes[0].content is required",
        ),
        (
            json!({"create_source": "Account", "first_name": 5}),
            "first_name must be a string",
        ),
        (json!(["not", "an", "object"]), "JSON object"),
    ];
    for (body, part) in cases {
        let reply = post(&emulator, body.clone());
        assert_error(&reply, 400, "contacts.api.validation.error", part);
        assert!(reply.json().is_array(), "for {body}");
    }
    assert!(emulator.contacts().is_empty(), "nothing was stored");

    // Several problems at once give several entries: the source, both names, and then no
    // usable identity is left.
    let reply = post(
        &emulator,
        json!({"first_name": "x".repeat(51), "last_name": "y".repeat(51)}),
    );
    let messages: Vec<String> = reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["error_message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(messages[0].starts_with("create_source"));
    assert!(messages[1].starts_with("first_name") && messages[2].starts_with("last_name"));
}

#[test]
fn post_refuses_an_email_held_by_any_contact_in_any_case() {
    let emulator = emulator();
    let live = emulator.insert_contact(json!({"email_address": {"address": "taken@example.com"}}));
    let gone = emulator.insert_contact(json!({
        "email_address": {"address": "gone@example.com"},
        "deleted_at": "2025-01-02"
    }));
    for (address, owner) in [
        ("taken@example.com", &live),
        ("TAKEN@Example.COM", &live),
        ("gone@example.com", &gone),
        ("Gone@Example.com", &gone),
    ] {
        let body = json!({"email_address": {"address": address}, "create_source": "Account"});
        let reply = post(&emulator, body);
        assert_eq!(reply.status, 409);
        assert_eq!(
            reply.json(),
            json!([{
                "error_key": "contacts.api.conflict",
                "error_message": format!("Validation failed: Email already exists for contact {owner}.")
            }])
        );
    }
    assert_eq!(emulator.contacts().len(), 2);
}

fn put(emulator: &cc_emulator::Emulator, id: &str, body: Value) -> crate::client::Reply {
    call(emulator, "PUT", &format!("/v3/contacts/{id}"), Some(&body))
}

#[test]
fn put_replaces_core_scalars_and_keeps_omitted_subresources() {
    let emulator = emulator();
    let list = emulator.create_list("Customers");
    let id = emulator.insert_contact(json!({
        "email_address": {"address": "keep@example.com", "permission_to_send": "explicit"},
        "first_name": "Old", "last_name": "Name", "job_title": "CEO", "company_name": "Acme",
        "birthday_month": 3, "birthday_day": 4, "anniversary": "2010-01-01",
        "list_memberships": [list],
        "phone_numbers": [{"phone_number": "555-0100", "kind": "home"}],
        "notes": [{"content": "first note", "created_at": "2025-01-01T00:00:00Z"}],
        "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"
    }));
    let before = emulator.contact(&id).unwrap();

    let reply = put(
        &emulator,
        &id,
        json!({"first_name": "New", "job_title": "  ", "update_source": "Account",
               "phone_numbers": [{"phone_number": "555-0100", "kind": "home"}, {"phone_number": "555-0199", "kind": "work"}]}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["first_name"], "New");
    for gone in [
        "last_name",
        "job_title",
        "company_name",
        "birthday_month",
        "birthday_day",
        "anniversary",
    ] {
        assert!(body.get(gone).is_none(), "{gone} should be unset: {body}");
    }
    assert_eq!(body["update_source"], "Account");
    assert_eq!(body["email_address"]["address"], "keep@example.com");
    assert_eq!(body["email_address"]["permission_to_send"], "explicit");
    assert_eq!(
        body["phone_numbers"].as_array().unwrap().len(),
        2,
        "sent subresources come back"
    );
    assert!(
        body.get("list_memberships").is_none(),
        "unsent subresources are not returned"
    );
    assert!(body["updated_at"].as_str() > before["updated_at"].as_str());

    let after = emulator.contact(&id).unwrap();
    assert_eq!(
        after["list_memberships"],
        json!([list]),
        "omitted subresources are kept"
    );
    assert_eq!(after["notes"], before["notes"]);
    assert_eq!(
        after["phone_numbers"][0]["phone_number_id"], before["phone_numbers"][0]["phone_number_id"],
        "an unchanged phone keeps its id"
    );

    // An empty array clears a subresource.
    let reply = put(
        &emulator,
        &id,
        json!({"first_name": "New", "update_source": "Account", "list_memberships": []}),
    );
    assert_eq!(reply.json()["list_memberships"], json!([]));
    assert_eq!(
        emulator.contact(&id).unwrap()["list_memberships"],
        json!([])
    );
}

#[test]
fn put_needs_update_source_and_a_complete_email_object() {
    let emulator = emulator();
    let id = emulator
        .insert_contact(json!({"email_address": {"address": "u@example.com"}, "first_name": "U"}));
    let reply = put(&emulator, &id, json!({"first_name": "V"}));
    assert_error(
        &reply,
        400,
        "contacts.api.validation.error",
        "update_source is missing",
    );
    let reply = put(
        &emulator,
        &id,
        json!({"update_source": "Account", "email_address": {"permission_to_send": "explicit"}}),
    );
    assert_error(
        &reply,
        400,
        "contacts.api.validation.error",
        "email_address.address is required",
    );
    assert_eq!(
        emulator.contact(&id).unwrap()["first_name"],
        "U",
        "nothing changed"
    );

    let unknown = put(
        &emulator,
        "af73e650-96f0-11ef-b2a0-fa163eafb85e",
        json!({"update_source": "Account", "first_name": "x"}),
    );
    assert_error(&unknown, 404, "contacts.api.not_found", "not found");
}

#[test]
fn put_to_another_contacts_email_is_a_conflict_and_changes_nothing() {
    let emulator = emulator();
    let other = emulator.insert_contact(
        json!({"email_address": {"address": "other@example.com"}, "deleted_at": "2025-05-05"}),
    );
    let id = emulator.insert_contact(
        json!({"email_address": {"address": "mine@example.com"}, "first_name": "Me"}),
    );
    let reply = put(
        &emulator,
        &id,
        json!({"update_source": "Contact", "email_address": {"address": "OTHER@example.com"}}),
    );
    assert_error(&reply, 409, "contacts.api.conflict", &other);
    let me = emulator.contact(&id).unwrap();
    assert_eq!(me["email_address"]["address"], "mine@example.com");
    assert_eq!(me["first_name"], "Me");

    // Changing only the case of one's own address is fine, and the index follows a move.
    let reply = put(
        &emulator,
        &id,
        json!({"update_source": "Contact", "email_address": {"address": "new@example.com"}}),
    );
    assert_eq!(reply.status, 200);
    assert!(emulator.find_by_email("mine@example.com").is_none());
    assert_eq!(
        emulator.find_by_email("NEW@example.com").unwrap()["contact_id"],
        id.as_str()
    );
    let reply = put(
        &emulator,
        &id,
        json!({"update_source": "Contact", "email_address": {"address": "New@Example.com"}}),
    );
    assert_eq!(reply.status, 200);
}

#[test]
fn put_unsubscribes_and_revives() {
    let emulator = emulator();
    let list = emulator.create_list("Back");
    let id = emulator.insert_contact(json!({
        "email_address": {"address": "leaving@example.com", "permission_to_send": "implicit"},
        "deleted_at": "2025-02-03", "list_memberships": []
    }));
    let reply = put(
        &emulator,
        &id,
        json!({
            "update_source": "Account",
            "email_address": {"address": "leaving@example.com", "permission_to_send": "unsubscribed", "opt_out_reason": "too many emails"},
            "list_memberships": [list]
        }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert!(
        body.get("deleted_at").is_none(),
        "a PUT revives a deleted contact"
    );
    let email = &body["email_address"];
    assert_eq!(email["permission_to_send"], "unsubscribed");
    assert_eq!(email["opt_out_source"], "Account");
    assert_eq!(email["opt_out_reason"], "too many emails");
    assert!(email["opt_out_date"].is_string());
    assert_eq!(body["list_memberships"], json!([list]));
}

#[test]
fn delete_is_soft_and_keeps_the_email_reserved() {
    let emulator = emulator();
    let list = emulator.create_list("L");
    let id = emulator.insert_contact(
        json!({"email_address": {"address": "del@example.com"}, "list_memberships": [list]}),
    );
    let reply = call(&emulator, "DELETE", &format!("/v3/contacts/{id}"), None);
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());

    let fetched = get(
        &emulator,
        &format!("/v3/contacts/{id}?include=list_memberships"),
    );
    assert_eq!(fetched.status, 200);
    let body = fetched.json();
    let deleted_at = body["deleted_at"].as_str().unwrap();
    assert_eq!(deleted_at.len(), 10, "a date: {deleted_at}");
    assert_eq!(body["list_memberships"], json!([]));

    let again = post(
        &emulator,
        json!({"email_address": {"address": "del@example.com"}, "create_source": "Account"}),
    );
    assert_eq!(again.status, 409);

    // Deleting again: 204 by default, 404 when configured.
    assert_eq!(
        call(&emulator, "DELETE", &format!("/v3/contacts/{id}"), None).status,
        204
    );
    emulator.set_behaviour(Behaviour {
        delete_of_deleted: DeletedDeletePolicy::NotFound,
        ..Behaviour::default()
    });
    let reply = call(&emulator, "DELETE", &format!("/v3/contacts/{id}"), None);
    assert_error(&reply, 404, "contacts.api.not_found", &id);
    let unknown = call(
        &emulator,
        "DELETE",
        "/v3/contacts/af73e650-96f0-11ef-b2a0-fa163eafb85e",
        None,
    );
    assert_eq!(unknown.status, 404);
}

#[test]
fn get_by_id_distinguishes_bad_format_from_unknown() {
    let emulator = emulator();
    let reply = get(&emulator, "/v3/contacts/not-a-uuid");
    assert_error(
        &reply,
        404,
        "contacts.api.not_found",
        "contact_id is in an invalid format.",
    );
    let reply = get(
        &emulator,
        "/v3/contacts/af73e650-96f0-11ef-b2a0-fa163eafb85e",
    );
    assert_error(
        &reply,
        404,
        "contacts.api.not_found",
        "af73e650-96f0-11ef-b2a0-fa163eafb85e",
    );
    let id = emulator.insert_contact(json!({"first_name": "Q"}));
    let reply = get(&emulator, &format!("/v3/contacts/{id}?include=bogus"));
    assert_error(&reply, 400, "contacts.api.validation.error", "bogus");
}
