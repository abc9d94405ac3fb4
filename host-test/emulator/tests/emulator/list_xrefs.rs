//! `GET /contact_lists/list_id_xrefs`: V2 sequence ids given to lists, their cross-references
//! to V3 list ids, and the refusals.

use serde_json::json;

use crate::client::{assert_error, call, emulator, get};

const VALIDATION: &str = "contacts.api.validation.error";

#[test]
fn lists_get_sequence_ids_that_cross_reference() {
    let emulator = emulator();
    let first = emulator.create_list("First");
    let created = call(
        &emulator,
        "POST",
        "/v3/contact_lists",
        Some(&json!({"name": "Second"})),
    );
    assert_eq!(created.status, 201);
    assert!(created.json().get("sequence_id").is_none());
    let second = created.json()["list_id"].as_str().unwrap().to_string();
    let third = emulator.create_list("Third");
    assert_eq!(emulator.list_sequence_id(&first).as_deref(), Some("1"));
    assert_eq!(emulator.list_sequence_id(&second).as_deref(), Some("2"));
    assert_eq!(emulator.list_sequence_id(&third).as_deref(), Some("3"));
    assert_eq!(
        emulator.list_sequence_id("af73e650-96f0-11ef-b2a0-fa163eafb85e"),
        None
    );

    // Sorted by sequence id, unknown ids left out, repeats answered once.
    let reply = get(
        &emulator,
        "/v3/contact_lists/list_id_xrefs?sequence_ids=3,77,1,3",
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"xrefs": [
            {"sequence_id": "1", "list_id": first},
            {"sequence_id": "3", "list_id": third},
        ]})
    );
    let padded = get(
        &emulator,
        "/v3/contact_lists/list_id_xrefs?sequence_ids=0002",
    );
    assert_eq!(
        padded.json()["xrefs"],
        json!([{"sequence_id": "0002", "list_id": second}])
    );
    let nothing = get(&emulator, "/v3/contact_lists/list_id_xrefs?sequence_ids=9");
    assert_eq!(nothing.json(), json!({"xrefs": []}));

    // A list body never carries the sequence id, and the route is not a list id.
    for list in emulator.lists() {
        assert!(list.get("sequence_id").is_none(), "{list}");
    }
    let listed = get(&emulator, "/v3/contact_lists").json();
    assert!(listed["lists"][0].get("sequence_id").is_none());
    let one = get(&emulator, &format!("/v3/contact_lists/{first}")).json();
    assert!(one.get("sequence_id").is_none());
    assert_eq!(one["name"], "First");
}

#[test]
fn bad_sequence_id_requests_are_refused() {
    let emulator = emulator();
    emulator.create_list("Only");
    assert_error(
        &get(&emulator, "/v3/contact_lists/list_id_xrefs"),
        400,
        VALIDATION,
        "sequence_ids is required",
    );
    assert_error(
        &get(&emulator, "/v3/contact_lists/list_id_xrefs?sequence_ids="),
        400,
        VALIDATION,
        "sequence_ids",
    );
    assert_error(
        &get(
            &emulator,
            "/v3/contact_lists/list_id_xrefs?sequence_ids=1,abc",
        ),
        400,
        VALIDATION,
        "\"abc\"",
    );
    let csv = |n: usize| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let at_most = get(
        &emulator,
        &format!("/v3/contact_lists/list_id_xrefs?sequence_ids={}", csv(500)),
    );
    assert_eq!(at_most.status, 200, "{}", at_most.text());
    assert_eq!(at_most.json()["xrefs"].as_array().unwrap().len(), 1);
    assert_error(
        &get(
            &emulator,
            &format!("/v3/contact_lists/list_id_xrefs?sequence_ids={}", csv(501)),
        ),
        400,
        VALIDATION,
        "maximum of 500",
    );
    let posted = call(
        &emulator,
        "POST",
        "/v3/contact_lists/list_id_xrefs",
        Some(&json!({})),
    );
    assert_eq!(posted.status, 405);
}
