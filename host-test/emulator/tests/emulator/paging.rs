//! Cursor paging of `GET /contacts`: page sizes, cursors with `/`, `+` and `=` matched byte for
//! byte, and the `limit` range.

use std::collections::HashSet;

use cc_emulator::{Behaviour, LimitPolicy};
use serde_json::json;

use crate::client::{Conn, assert_error, emulator, get};

#[test]
fn pages_cover_every_contact_exactly_once() {
    let emulator = emulator();
    for i in 0..1203 {
        emulator
            .insert_contact(json!({"email_address": {"address": format!("p{i:04}@example.com")}}));
    }
    let mut conn = Conn::open(emulator.addr());
    let mut target = "/v3/contacts?limit=500&include_count=true".to_string();
    let mut sizes = Vec::new();
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    loop {
        let reply = conn.request("GET", &target, &[], None);
        assert_eq!(reply.status, 200, "{target}: {}", reply.text());
        let body = reply.json();
        assert_eq!(body["contacts_count"], 1203, "the count survives paging");
        let contacts = body["contacts"].as_array().unwrap();
        sizes.push(contacts.len());
        for contact in contacts {
            let email = contact["email_address"]["address"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(seen.insert(email.clone()), "{email} returned twice");
            order.push(email);
        }
        let Some(next) = body["_links"]["next"]["href"].as_str() else {
            assert_eq!(body["_links"], json!({}));
            break;
        };
        let cursor = next
            .strip_prefix("/v3/contacts?cursor=")
            .expect("path-relative link");
        assert!(
            cursor.contains('/') && cursor.contains('+') && cursor.contains('='),
            "cursor {cursor}"
        );
        target = next.to_string();
    }
    assert_eq!(sizes, [500, 500, 203]);
    assert_eq!(seen.len(), 1203);
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "creation order");
}

#[test]
fn a_reencoded_cursor_is_refused() {
    let emulator = emulator();
    for i in 0..3 {
        emulator.insert_contact(json!({"first_name": format!("c{i}")}));
    }
    let first = get(&emulator, "/v3/contacts?limit=1").json();
    let next = first["_links"]["next"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let cursor = next.strip_prefix("/v3/contacts?cursor=").unwrap();

    let encoded = cursor
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    for bad in [
        encoded,
        cursor.replace('+', " ").replace(' ', "%20"),
        "bm9wZQ==".to_string(),
    ] {
        let reply = get(&emulator, &format!("/v3/contacts?cursor={bad}"));
        assert_error(
            &reply,
            400,
            "contacts.api.validation.error",
            "cursor is invalid",
        );
    }

    // The raw cursor works, and carries the original filters: extra params are ignored.
    let second = get(&emulator, &format!("{next}&limit=50&status=deleted")).json();
    assert_eq!(second["contacts"].as_array().unwrap().len(), 1);
    assert_eq!(second["contacts"][0]["first_name"], "c1");

    // A cursor of another collection is refused too.
    let reply = get(&emulator, &format!("/v3/contact_lists?cursor={cursor}"));
    assert_error(
        &reply,
        400,
        "contacts.api.validation.error",
        "cursor is invalid",
    );
}

#[test]
fn limit_outside_1_to_500_is_refused_or_clamped() {
    let emulator = emulator();
    for i in 0..3 {
        emulator.insert_contact(json!({"first_name": format!("c{i}")}));
    }
    for bad in ["1000", "0", "-1", "ten", "501"] {
        let reply = get(&emulator, &format!("/v3/contacts?limit={bad}"));
        assert_error(&reply, 400, "contacts.api.validation.error", "limit");
    }
    let one = get(&emulator, "/v3/contacts?limit=1").json();
    assert_eq!(one["contacts"].as_array().unwrap().len(), 1);

    emulator.set_behaviour(Behaviour {
        limit_out_of_range: LimitPolicy::Clamp,
        ..Behaviour::default()
    });
    let clamped = get(&emulator, "/v3/contacts?limit=1000");
    assert_eq!(clamped.status, 200);
    assert_eq!(clamped.json()["contacts"].as_array().unwrap().len(), 3);
    let low = get(&emulator, "/v3/contacts?limit=0").json();
    assert_eq!(low["contacts"].as_array().unwrap().len(), 1);
    assert_eq!(get(&emulator, "/v3/contacts?limit=ten").status, 400);
}

#[test]
fn default_page_size_is_50_and_filters_hold_across_pages() {
    let emulator = emulator();
    for i in 0..120 {
        let permission = if i % 3 == 0 {
            "unsubscribed"
        } else {
            "implicit"
        };
        emulator.insert_contact(json!({"email_address": {"address": format!("f{i:03}@example.com"), "permission_to_send": permission}}));
    }
    let first = get(&emulator, "/v3/contacts").json();
    assert_eq!(first["contacts"].as_array().unwrap().len(), 50);

    let mut target = "/v3/contacts?status=unsubscribed&limit=15".to_string();
    let mut total = 0;
    while let Some(body) = Some(get(&emulator, &target).json()) {
        for contact in body["contacts"].as_array().unwrap() {
            assert_eq!(
                contact["email_address"]["permission_to_send"],
                "unsubscribed"
            );
            total += 1;
        }
        match body["_links"]["next"]["href"].as_str() {
            Some(next) => target = next.to_string(),
            None => break,
        }
    }
    assert_eq!(total, 40);
}
