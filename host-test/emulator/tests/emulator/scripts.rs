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

#[test]
fn faults_delay_stall_truncate_or_drop_the_answer() {
    use cc_emulator::Fault;
    use std::io::Read;
    use std::time::{Duration, Instant};

    let emulator = emulator();
    let pause = Duration::from_millis(300);
    let canned = Canned::json(200, json!({"contacts": [], "_links": {}}));

    // A delayed answer arrives complete, late.
    emulator.script_fault(
        Script::new("/v3/contacts", 1, canned.clone()),
        Fault::Delay(pause),
    );
    let started = Instant::now();
    let reply = get(&emulator, "/v3/contacts");
    assert!(started.elapsed() >= pause);
    assert_eq!(reply.json(), json!({"contacts": [], "_links": {}}));

    // A stalled body pauses after its first bytes.
    let stall = Fault::StallBody {
        after_bytes: 5,
        pause,
    };
    emulator.script_fault(Script::new("/v3/contacts", 1, canned.clone()), stall);
    let started = Instant::now();
    let reply = get(&emulator, "/v3/contacts");
    assert!(started.elapsed() >= pause);
    assert_eq!(reply.status, 200);

    // A truncated body ends early and the connection closes.
    let truncate = Fault::Truncate { after_bytes: 4 };
    emulator.script_fault(Script::new("/v3/contacts", 1, canned.clone()), truncate);
    let mut conn = Conn::open(emulator.addr());
    conn.send_raw(b"GET /v3/contacts HTTP/1.1\r\nHost: x\r\n\r\n");
    let raw = conn.read_to_end();
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("Content-Length: 27"), "{head}");
    assert_eq!(body, "{\"_l");

    // A dropped answer sends nothing at all and is logged with status 0.
    emulator.script_fault(Script::new("/v3/contacts", 1, canned), Fault::Drop);
    let mut stream = std::net::TcpStream::connect(emulator.addr()).unwrap();
    std::io::Write::write_all(&mut stream, b"GET /v3/contacts HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(rest.is_empty());
    let statuses: Vec<u16> = emulator.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 200, 200, 0]);
    assert_eq!(
        get(&emulator, "/v3/contacts").status,
        200,
        "the API answers again"
    );
}
