//! Scripted answers: they replace the API for matching requests, in order, a set number of
//! times, and the request is not applied.

use cc_emulator::{Canned, Script};
use serde_json::json;

use crate::client::{Conn, call, emulator, get};

#[test]
fn scripts_answer_instead_of_the_api_then_run_out() {
    let emulator = emulator();
    emulator.script(
        Script::new("/v3/contacts", 2, Canned::json(503, json!({"oops": true})))
            .with_method("POST"),
    );
    emulator.script(Script::new(
        "/v3/contacts",
        1,
        Canned::html(502, "<html>bad gateway</html>").with_header("Retry-After", "7"),
    ));

    let body = json!({"first_name": "Never", "create_source": "Account"});
    for _ in 0..2 {
        let reply = call(&emulator, "POST", "/v3/contacts", Some(&body));
        assert_eq!(reply.status, 503);
        assert_eq!(reply.json(), json!({"oops": true}));
    }
    assert!(
        emulator.contacts().is_empty(),
        "scripted requests are not applied"
    );

    let reply = get(&emulator, "/v3/contacts");
    assert_eq!(reply.status, 502);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.header("retry-after"), Some("7"));
    assert_eq!(reply.text(), "<html>bad gateway</html>");

    let reply = call(&emulator, "POST", "/v3/contacts", Some(&body));
    assert_eq!(reply.status, 201, "scripts are used up");

    let log = emulator.requests();
    let scripted: Vec<(u16, bool)> = log.iter().map(|r| (r.status, r.scripted)).collect();
    assert_eq!(
        scripted,
        [(503, true), (503, true), (502, true), (201, false)]
    );
}

#[test]
fn scripts_apply_before_authentication_and_can_be_empty() {
    let emulator = emulator();
    emulator.script(Script::new("/v3/", 1, Canned::empty(204)));
    let mut conn = Conn::open(emulator.addr());
    let reply = conn.request(
        "GET",
        "/v3/contacts",
        &[("Authorization", "Bearer nobody")],
        None,
    );
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("content-type"), None);
    let reply = conn.request(
        "GET",
        "/v3/contacts",
        &[("Authorization", "Bearer nobody")],
        None,
    );
    assert_eq!(reply.status, 401);

    emulator.script(Script::new("/v3/contacts", 5, Canned::empty(500)));
    emulator.clear_scripts();
    assert_eq!(get(&emulator, "/v3/contacts").status, 200);
}
