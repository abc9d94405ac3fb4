//! Lists, custom fields and tags: collection shapes, filters, creation and paging.

use serde_json::json;

use crate::client::{assert_error, call, emulator, get};

#[test]
fn lists_have_the_spec_shape_and_filters() {
    let emulator = emulator();
    let news = emulator.create_list("Newsletter");
    let vip = emulator.create_list("VIP");
    emulator.insert_contact(json!({"email_address": {"address": "a@example.com", "permission_to_send": "explicit"}, "list_memberships": [news, vip]}));
    emulator.insert_contact(json!({"email_address": {"address": "b@example.com", "permission_to_send": "unsubscribed"}, "list_memberships": [news]}));

    let body = get(
        &emulator,
        "/v3/contact_lists?include_count=true&include_membership_count=all",
    )
    .json();
    assert_eq!(body["lists_count"], 2);
    let first = &body["lists"][0];
    assert_eq!(first["list_id"], news.as_str());
    assert_eq!(first["name"], "Newsletter");
    assert_eq!(first["favorite"], false);
    assert!(first["created_at"].is_string() && first["updated_at"].is_string());
    assert_eq!(first["membership_count"], 2);
    let active = get(
        &emulator,
        "/v3/contact_lists?include_membership_count=active",
    )
    .json();
    assert_eq!(active["lists"][0]["membership_count"], 1);

    let named = get(&emulator, "/v3/contact_lists?name=VIP").json();
    assert_eq!(named["lists"].as_array().unwrap().len(), 1);
    assert_eq!(named["lists"][0]["list_id"], vip.as_str());
    assert!(
        get(&emulator, "/v3/contact_lists").json()["lists"][0]
            .get("membership_count")
            .is_none()
    );

    let one = get(&emulator, &format!("/v3/contact_lists/{vip}"));
    assert_eq!(one.json()["name"], "VIP");
    assert_eq!(
        get(
            &emulator,
            "/v3/contact_lists/af73e650-96f0-11ef-b2a0-fa163eafb85e"
        )
        .status,
        404
    );
    assert_error(
        &get(&emulator, "/v3/contact_lists?limit=1001"),
        400,
        "contacts.api.validation.error",
        "limit",
    );
    assert_eq!(get(&emulator, "/v3/contact_lists?limit=1000").status, 200);
}

#[test]
fn lists_page_by_cursor_and_can_be_created() {
    let emulator = emulator();
    for i in 0..5 {
        let reply = call(
            &emulator,
            "POST",
            "/v3/contact_lists",
            Some(&json!({"name": format!("List {i}"), "favorite": i == 0})),
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
    }
    let duplicate = call(
        &emulator,
        "POST",
        "/v3/contact_lists",
        Some(&json!({"name": "List 0"})),
    );
    assert_error(&duplicate, 409, "contacts.api.conflict", "List 0");

    let mut target = "/v3/contact_lists?limit=2".to_string();
    let mut names = Vec::new();
    loop {
        let body = get(&emulator, &target).json();
        for list in body["lists"].as_array().unwrap() {
            names.push(list["name"].as_str().unwrap().to_string());
        }
        match body["_links"]["next"]["href"].as_str() {
            Some(next) => {
                assert!(next.starts_with("/v3/contact_lists?cursor="));
                target = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(names, ["List 0", "List 1", "List 2", "List 3", "List 4"]);
    assert_eq!(emulator.lists()[0]["favorite"], true);
}

#[test]
fn custom_fields_have_the_spec_shape_and_page() {
    let emulator = emulator();
    let tier = emulator.create_custom_field("Customer Tier", "string");
    emulator.create_custom_field("Since", "date");
    let created = call(
        &emulator,
        "POST",
        "/v3/contact_custom_fields",
        Some(&json!({"label": "Lifetime Value", "type": "currency"})),
    );
    assert_eq!(created.status, 201);
    assert_eq!(created.json()["name"], "Lifetime_Value");
    let bad = call(
        &emulator,
        "POST",
        "/v3/contact_custom_fields",
        Some(&json!({"label": "X", "type": "colour"})),
    );
    assert_error(&bad, 400, "contacts.api.validation.error", "type");

    let page = get(&emulator, "/v3/contact_custom_fields?limit=2").json();
    let fields = page["custom_fields"].as_array().unwrap();
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[0]["custom_field_id"], tier.as_str());
    assert_eq!(fields[0]["label"], "Customer Tier");
    assert_eq!(fields[0]["name"], "Customer_Tier");
    assert_eq!(fields[0]["type"], "string");
    let next = page["_links"]["next"]["href"].as_str().unwrap();
    let rest = get(&emulator, next).json();
    assert_eq!(rest["custom_fields"].as_array().unwrap().len(), 1);
    assert_eq!(rest["_links"], json!({}));
    assert_error(
        &get(&emulator, "/v3/contact_custom_fields?limit=101"),
        400,
        "contacts.api.validation.error",
        "limit",
    );
    assert_eq!(emulator.custom_fields().len(), 3);
}

#[test]
fn tags_count_contacts_and_custom_field_values_are_stored() {
    let emulator = emulator();
    let tag = emulator.create_tag("Referral");
    let field = emulator.create_custom_field("Tier", "string");
    let reply = call(
        &emulator,
        "POST",
        "/v3/contacts",
        Some(&json!({
            "first_name": "T", "create_source": "Account", "taggings": [tag],
            "custom_fields": [{"custom_field_id": field, "value": "Gold"}]
        })),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let id = reply.json()["contact_id"].as_str().unwrap().to_string();
    let tags = get(&emulator, "/v3/contact_tags?include_count=true").json();
    assert_eq!(tags["tags"][0]["name"], "Referral");
    assert_eq!(tags["tags"][0]["contacts_count"], 1);
    let contact = get(
        &emulator,
        &format!("/v3/contacts/{id}?include=custom_fields,taggings"),
    )
    .json();
    assert_eq!(
        contact["custom_fields"],
        json!([{"custom_field_id": field, "value": "Gold"}])
    );
    assert_eq!(contact["taggings"], json!([tag]));
    let duplicate = call(
        &emulator,
        "POST",
        "/v3/contact_tags",
        Some(&json!({"name": "Referral"})),
    );
    assert_eq!(duplicate.status, 409);
}
