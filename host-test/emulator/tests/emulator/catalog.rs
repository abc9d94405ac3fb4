//! The named catalog seed: what it creates, that the ids it returns work in API calls, and
//! that it refuses to reuse a taken name.

use serde_json::json;

use crate::client::{call, emulator, get};

#[test]
fn the_catalog_creates_named_lists_tags_and_typed_fields() {
    let emulator = emulator();
    let catalog = emulator.seed_catalog();

    let lists = emulator.lists();
    let names: Vec<&str> = lists.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Newsletter", "Customers", "Events"]);
    assert_eq!(lists[0]["list_id"], catalog.newsletter_list.as_str());
    assert_eq!(lists[1]["list_id"], catalog.customers_list.as_str());
    assert_eq!(lists[2]["list_id"], catalog.events_list.as_str());
    let tags = emulator.tags();
    assert_eq!(tags[0]["name"], "VIP");
    assert_eq!(tags[0]["tag_id"], catalog.vip_tag.as_str());
    assert_eq!(tags[1]["name"], "Webinar 2026");
    assert_eq!(tags[1]["tag_id"], catalog.webinar_tag.as_str());

    // The custom fields, read over HTTP.
    let fields = get(&emulator, "/v3/contact_custom_fields").json()["custom_fields"].clone();
    let shape: Vec<(&str, &str, &str)> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap();
            (text("label"), text("name"), text("type"))
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("Tier", "Tier", "single_select"),
            ("Signup Date", "Signup_Date", "date"),
            ("Lifetime Value", "Lifetime_Value", "currency"),
        ]
    );
    assert_eq!(fields[0]["custom_field_id"], catalog.tier_field.as_str());
    assert_eq!(
        fields[1]["custom_field_id"],
        catalog.signup_date_field.as_str()
    );
    assert_eq!(
        fields[2]["custom_field_id"],
        catalog.lifetime_value_field.as_str()
    );
    let choices: Vec<(String, &str)> = fields[0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["choice_id"].to_string(),
                c["choice_label"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        choices,
        [
            (catalog.tier_gold.clone(), "Gold"),
            (catalog.tier_silver.clone(), "Silver"),
            (catalog.tier_bronze.clone(), "Bronze"),
        ]
    );

    // The ids are usable in a contact write.
    let body = json!({
        "email_address": {"address": "cat@example.com"}, "create_source": "Account",
        "list_memberships": [catalog.newsletter_list, catalog.events_list],
        "taggings": [catalog.vip_tag],
        "custom_fields": [
            {"custom_field_id": catalog.tier_field, "choice_ids": [catalog.tier_silver]},
            {"custom_field_id": catalog.signup_date_field, "value": "2026-03-01"},
            {"custom_field_id": catalog.lifetime_value_field, "value": "120.50"},
        ]
    });
    let reply = call(&emulator, "POST", "/v3/contacts", Some(&body));
    assert_eq!(reply.status, 201, "{}", reply.text());
}

#[test]
fn the_catalog_refuses_taken_names() {
    let emulator = emulator();
    emulator.create_tag("vip");
    let error = emulator.try_seed_catalog().unwrap_err();
    assert_eq!(
        error.to_string(),
        "failed to seed the catalog: a tag named \"VIP\" already exists"
    );
    assert!(emulator.lists().is_empty(), "nothing was created");

    let other = crate::client::emulator();
    other.seed_catalog();
    assert!(other.try_seed_catalog().is_err());
    assert_eq!(other.lists().len(), 3);
}
