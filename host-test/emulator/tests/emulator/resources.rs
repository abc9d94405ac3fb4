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

#[test]
fn tags_need_a_name_and_page_by_cursor() {
    let emulator = emulator();
    for body in [
        json!({}),
        json!({"name": "  "}),
        json!({"name": "x".repeat(256)}),
    ] {
        let reply = call(&emulator, "POST", "/v3/contact_tags", Some(&body));
        assert_error(&reply, 400, "contacts.api.validation.error", "name");
    }
    let mut created = Vec::new();
    for i in 0..5 {
        let reply = call(
            &emulator,
            "POST",
            "/v3/contact_tags",
            Some(&json!({"name": format!("Tag {i}"), "tag_source": "Contact"})),
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
        let tag = reply.json();
        assert_eq!(tag["tag_source"], "Contact");
        created.push(tag["tag_id"].as_str().unwrap().to_string());
    }
    let duplicate = call(
        &emulator,
        "POST",
        "/v3/contact_tags",
        Some(&json!({"name": "Tag 3"})),
    );
    assert_error(&duplicate, 409, "contacts.api.conflict", "Tag 3");

    // Pages of two, the options kept across cursors.
    let mut target = "/v3/contact_tags?limit=2&include_count=true".to_string();
    let mut ids = Vec::new();
    let mut sizes = Vec::new();
    loop {
        let body = get(&emulator, &target).json();
        let tags = body["tags"].as_array().unwrap();
        sizes.push(tags.len());
        for tag in tags {
            assert_eq!(tag["contacts_count"], 0, "{tag}");
            ids.push(tag["tag_id"].as_str().unwrap().to_string());
        }
        match body["_links"]["next"]["href"].as_str() {
            Some(next) => {
                assert!(next.starts_with("/v3/contact_tags?cursor="), "{next}");
                target = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(ids, created);
    assert_error(
        &get(&emulator, "/v3/contact_tags?limit=501"),
        400,
        "contacts.api.validation.error",
        "limit",
    );
    let lists_cursor = get(&emulator, "/v3/contact_tags?limit=1").json()["_links"]["next"]["href"]
        .as_str()
        .unwrap()
        .replace("/v3/contact_tags", "/v3/contact_lists");
    assert_eq!(
        get(&emulator, &lists_cursor).status,
        400,
        "a tags cursor is not a lists cursor"
    );
}

#[test]
fn lists_filter_by_exact_name_and_status() {
    let emulator = emulator();
    let news = emulator.create_list("Newsletter");
    let old = emulator.create_list("Old Newsletter");
    let events = emulator.create_list("Events");
    let member =
        emulator.insert_contact(json!({"first_name": "M", "list_memberships": [old, events]}));
    assert!(emulator.delete_list(&old));
    assert!(!emulator.delete_list(&old), "already deleted");
    assert_eq!(
        emulator.contact(&member).unwrap()["list_memberships"],
        json!([events])
    );

    let names = |target: &str| -> Vec<String> {
        let reply = get(&emulator, target);
        assert_eq!(reply.status, 200, "{target}: {}", reply.text());
        reply.json()["lists"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("/v3/contact_lists"), ["Newsletter", "Events"]);
    assert_eq!(
        names("/v3/contact_lists?status=active"),
        ["Newsletter", "Events"]
    );
    assert_eq!(
        names("/v3/contact_lists?status=deleted"),
        ["Old Newsletter"]
    );
    assert_eq!(
        names("/v3/contact_lists?status=all"),
        ["Newsletter", "Old Newsletter", "Events"]
    );
    assert_eq!(
        names("/v3/contact_lists?status=active,deleted&limit=1&include_count=true").len(),
        1
    );
    assert_eq!(names("/v3/contact_lists?name=Newsletter"), ["Newsletter"]);
    assert!(names("/v3/contact_lists?name=newsletter").is_empty());
    assert!(names("/v3/contact_lists?name=News").is_empty());
    assert!(names("/v3/contact_lists?name=Old%20Newsletter").is_empty());
    assert_eq!(
        names("/v3/contact_lists?name=Old%20Newsletter&status=all"),
        ["Old Newsletter"]
    );
    assert_error(
        &get(&emulator, "/v3/contact_lists?status=archived"),
        400,
        "contacts.api.validation.error",
        "status",
    );
    let deleted = get(&emulator, &format!("/v3/contact_lists/{old}")).json();
    assert!(deleted["deleted_at"].is_string(), "{deleted}");
    assert_eq!(
        get(&emulator, &format!("/v3/contact_lists/{news}")).json()["name"],
        "Newsletter"
    );

    // The deleted list takes no members, and its name is free again.
    let body = json!({"first_name": "N", "create_source": "Account", "list_memberships": [old]});
    let refused = call(&emulator, "POST", "/v3/contacts", Some(&body));
    assert_error(
        &refused,
        400,
        "contacts.api.validation.error",
        "list_memberships[0]",
    );
    let again = call(
        &emulator,
        "POST",
        "/v3/contact_lists",
        Some(&json!({"name": "Old Newsletter"})),
    );
    assert_eq!(again.status, 201, "{}", again.text());
}

#[test]
fn lists_page_with_a_small_limit_and_keep_their_filters() {
    let emulator = emulator();
    for i in 0..7 {
        let id = emulator.create_list(&format!("L{i}"));
        if i % 3 == 0 {
            emulator.delete_list(&id);
        }
    }
    let mut target = "/v3/contact_lists?limit=2&include_count=true".to_string();
    let mut pages = Vec::new();
    loop {
        let body = get(&emulator, &target).json();
        assert_eq!(body["lists_count"], 4, "the count survives paging");
        let names: Vec<String> = body["lists"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_string())
            .collect();
        pages.push(names);
        match body["_links"]["next"]["href"].as_str() {
            Some(next) => target = next.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, [vec!["L1", "L2"], vec!["L4", "L5"]]);
}
