//! `GET /contacts` filters: status, email, lists, tags, dates, `include` and `include_count`.

use cc_emulator::Emulator;
use serde_json::{Value, json};

use crate::client::{assert_error, emulator, get};

/// Emails of the contacts a query returns, in order.
fn emails(emulator: &Emulator, target: &str) -> Vec<String> {
    let reply = get(emulator, target);
    assert_eq!(reply.status, 200, "{target}: {}", reply.text());
    reply.json()["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["email_address"]["address"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

fn person(email: &str, permission: &str, extra: Value) -> Value {
    let mut contact =
        json!({"email_address": {"address": email, "permission_to_send": permission}});
    if let (Some(target), Some(more)) = (contact.as_object_mut(), extra.as_object()) {
        target.extend(more.clone());
    }
    contact
}

fn fixture() -> (Emulator, String, String, String) {
    let emulator = emulator();
    let news = emulator.create_list("News");
    let vip = emulator.create_list("VIP");
    let tag = emulator.create_tag("Referral");
    let at = |day: u32| format!("2025-03-{day:02}T10:00:00Z");
    let rows = [
        (
            "explicit@example.com",
            "explicit",
            json!({"list_memberships": [news], "created_at": at(1), "updated_at": at(20)}),
        ),
        (
            "implicit@example.com",
            "implicit",
            json!({"list_memberships": [vip], "taggings": [tag], "created_at": at(2), "updated_at": at(3)}),
        ),
        (
            "unsub@example.com",
            "unsubscribed",
            json!({"created_at": at(3), "updated_at": at(4)}),
        ),
        (
            "pending@example.com",
            "pending_confirmation",
            json!({"list_memberships": [news, vip], "created_at": at(4), "updated_at": at(5)}),
        ),
        (
            "notset@example.com",
            "not_set",
            json!({"created_at": at(5), "updated_at": at(6)}),
        ),
        (
            "hold@example.com",
            "temp_hold",
            json!({"created_at": at(6), "updated_at": at(7)}),
        ),
        (
            "deleted@example.com",
            "implicit",
            json!({"deleted_at": "2025-03-10", "created_at": at(7), "updated_at": at(10)}),
        ),
    ];
    for (email, permission, extra) in rows {
        emulator.insert_contact(person(email, permission, extra));
    }
    emulator
        .insert_contact(json!({"first_name": "NoEmail", "created_at": at(8), "updated_at": at(8)}));
    (emulator, news, vip, tag)
}

#[test]
fn default_excludes_deleted_and_status_filters_combine() {
    let (emulator, ..) = fixture();
    let default = emails(&emulator, "/v3/contacts");
    assert_eq!(default.len(), 7);
    assert!(!default.contains(&"deleted@example.com".to_string()));
    assert_eq!(emails(&emulator, "/v3/contacts?status=all").len(), 8);
    assert_eq!(
        emails(&emulator, "/v3/contacts?status=deleted"),
        ["deleted@example.com"]
    );
    assert_eq!(
        emails(&emulator, "/v3/contacts?status=active"),
        ["explicit@example.com", "implicit@example.com"]
    );
    assert_eq!(
        emails(&emulator, "/v3/contacts?status=unsubscribed,temp_hold"),
        ["unsub@example.com", "hold@example.com"]
    );
    assert_eq!(
        emails(&emulator, "/v3/contacts?status=pending_confirmation"),
        ["pending@example.com"]
    );
    assert_eq!(
        emails(&emulator, "/v3/contacts?status=not_set"),
        ["notset@example.com"]
    );
    let reply = get(&emulator, "/v3/contacts?status=gone");
    assert_error(&reply, 400, "contacts.api.validation.error", "status");
}

#[test]
fn email_filter_is_exact_and_case_insensitive() {
    let (emulator, ..) = fixture();
    assert_eq!(
        emails(&emulator, "/v3/contacts?email=UNSUB%40Example.com"),
        ["unsub@example.com"]
    );
    assert!(emails(&emulator, "/v3/contacts?email=unsub@example").is_empty());
    assert!(emails(&emulator, "/v3/contacts?email=deleted@example.com").is_empty());
    assert_eq!(
        emails(
            &emulator,
            "/v3/contacts?email=deleted@example.com&status=all"
        ),
        ["deleted@example.com"]
    );
}

#[test]
fn list_and_tag_filters_match_any() {
    let (emulator, news, vip, tag) = fixture();
    assert_eq!(
        emails(&emulator, &format!("/v3/contacts?lists={news}")),
        ["explicit@example.com", "pending@example.com"]
    );
    assert_eq!(
        emails(&emulator, &format!("/v3/contacts?lists={news},{vip}")),
        [
            "explicit@example.com",
            "implicit@example.com",
            "pending@example.com"
        ]
    );
    assert_eq!(
        emails(&emulator, &format!("/v3/contacts?tags={tag}")),
        ["implicit@example.com"]
    );
    let too_many = vec![news.clone(); 26].join(",");
    let reply = get(&emulator, &format!("/v3/contacts?lists={too_many}"));
    assert_error(&reply, 400, "contacts.api.validation.error", "lists");
}

#[test]
fn date_filters_are_exclusive_and_validated() {
    let (emulator, ..) = fixture();
    assert_eq!(
        emails(
            &emulator,
            "/v3/contacts?created_after=2025-03-05T10:00:00Z&status=all"
        ),
        ["hold@example.com", "deleted@example.com", ""]
    );
    assert_eq!(
        emails(
            &emulator,
            "/v3/contacts?created_before=2025-03-02T10:00:00.000Z"
        ),
        ["explicit@example.com"]
    );
    assert_eq!(
        emails(
            &emulator,
            "/v3/contacts?updated_after=2025-03-06T10:00:00Z&updated_before=2025-03-20T10:00:00Z"
        ),
        ["hold@example.com", ""]
    );
    // An offset must be percent-encoded: a raw "+" decodes to a space and is refused.
    assert_eq!(
        emails(
            &emulator,
            "/v3/contacts?updated_after=2025-03-20T06:00:00-05:00"
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        emails(
            &emulator,
            "/v3/contacts?updated_after=2025-03-20T14:00:00%2B05:00"
        )
        .len(),
        1
    );
    let raw_plus = get(
        &emulator,
        "/v3/contacts?updated_after=2025-03-20T14:00:00+05:00",
    );
    assert_error(
        &raw_plus,
        400,
        "contacts.api.validation.error",
        "updated_after",
    );
    let reply = get(&emulator, "/v3/contacts?created_after=last-week");
    assert_error(
        &reply,
        400,
        "contacts.api.validation.error",
        "created_after",
    );
}

#[test]
fn include_controls_subresources_and_count_is_optional() {
    let (emulator, news, ..) = fixture();
    let bare = get(&emulator, "/v3/contacts?email=explicit@example.com").json();
    let contact = &bare["contacts"][0];
    for name in [
        "list_memberships",
        "custom_fields",
        "phone_numbers",
        "street_addresses",
        "taggings",
        "notes",
    ] {
        assert!(
            contact.get(name).is_none(),
            "{name} returned without include"
        );
    }
    assert!(bare.get("contacts_count").is_none());

    let target = "/v3/contacts?email=explicit@example.com&include=list_memberships,phone_numbers&include_count=true";
    let full = get(&emulator, target).json();
    let contact = &full["contacts"][0];
    assert_eq!(contact["list_memberships"], json!([news]));
    assert_eq!(contact["phone_numbers"], json!([]));
    assert!(contact.get("notes").is_none());
    assert_eq!(full["contacts_count"], 1);
    assert_eq!(full["_links"], json!({}));

    assert_eq!(
        get(&emulator, "/v3/contacts?include_count=true").json()["contacts_count"],
        7
    );
    let reply = get(&emulator, "/v3/contacts?include=lists");
    assert_error(&reply, 400, "contacts.api.validation.error", "include");
    let reply = get(&emulator, "/v3/contacts?include_count=yes");
    assert_error(
        &reply,
        400,
        "contacts.api.validation.error",
        "include_count",
    );
}
