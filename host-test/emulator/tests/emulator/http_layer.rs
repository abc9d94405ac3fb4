//! The HTTP layer: keep-alive, chunked bodies, `Connection: close`, garbage, the request log
//! and shutdown on drop.

use std::net::TcpStream;
use std::time::Duration;

use cc_emulator::Emulator;
use serde_json::json;

use crate::client::{Conn, assert_error, call, emulator, get};

#[test]
fn two_requests_share_one_keep_alive_connection() {
    let emulator = emulator();
    let mut conn = Conn::open(emulator.addr());
    let first = conn.request("GET", "/v3/contacts", &[], None);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("connection"), None);
    let body = br#"{"first_name":"Kept","create_source":"Account"}"#;
    let second = conn.request("POST", "/v3/contacts", &[], Some(body));
    assert_eq!(second.status, 201, "{}", second.text());
    let third = conn.request("GET", "/v3/contacts", &[], None);
    assert_eq!(third.json()["contacts"].as_array().unwrap().len(), 1);
}

#[test]
fn connection_close_is_honoured() {
    let emulator = emulator();
    let mut conn = Conn::open(emulator.addr());
    let reply = conn.request("GET", "/v3/contacts", &[("Connection", "close")], None);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(
        conn.read_to_end().is_empty(),
        "server closed after the response"
    );
}

#[test]
fn chunked_request_bodies_are_reassembled() {
    let emulator = emulator();
    let mut conn = Conn::open(emulator.addr());
    let json = r#"{"email_address":{"address":"chunky@example.com"},"create_source":"Contact"}"#;
    let (a, b) = json.split_at(20);
    let raw = format!(
        "POST /v3/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer emulator-token\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{a}\r\n{:x};note=1\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    conn.send_raw(raw.as_bytes());
    let reply = conn.read_reply();
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(
        reply.json()["email_address"]["address"],
        "chunky@example.com"
    );
    assert_eq!(emulator.requests()[0].body, json.as_bytes());

    // The connection is still usable after a chunked request.
    let next = conn.request("GET", "/v3/contacts?email=chunky@example.com", &[], None);
    assert_eq!(next.json()["contacts"].as_array().unwrap().len(), 1);
}

#[test]
fn garbage_gets_400_and_the_server_keeps_serving() {
    let emulator = emulator();
    for garbage in [
        &b"\x16\x03\x01\x02\x00 hello\r\n\r\n"[..],
        b"GET /v3/contacts HTTP/9.9\r\n\r\n",
        b"GET /v3/contacts HTTP/1.1\r\nbroken header\r\n\r\n",
        b"POST /v3/contacts HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n",
        b"POST /v3/contacts HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    ] {
        let mut conn = Conn::open(emulator.addr());
        conn.send_raw(garbage);
        let reply = conn.read_reply();
        assert_eq!(
            reply.status,
            400,
            "for {:?}",
            String::from_utf8_lossy(garbage)
        );
        assert_eq!(reply.header("connection"), Some("close"));
        assert!(reply.json()[0]["error_message"].is_string());
    }
    // A peer that vanishes mid-request does not hurt either.
    let mut conn = Conn::open(emulator.addr());
    conn.send_raw(b"POST /v3/contacts HTTP/1.1\r\nContent-Length: 100\r\n\r\n{");
    drop(conn);

    assert_eq!(get(&emulator, "/v3/contacts").status, 200);
    let logged = emulator.requests();
    assert!(logged.iter().filter(|r| r.status == 400).count() >= 5);
}

#[test]
fn no_content_has_no_body_and_no_content_type() {
    let emulator = emulator();
    let id = emulator.insert_contact(json!({"first_name": "Gone"}));
    let mut conn = Conn::open(emulator.addr());
    let target = format!("/v3/contacts/{id}");
    let reply = conn.request("DELETE", &target, &[("Connection", "close")], None);
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("content-type"), None);
    assert_eq!(reply.header("content-length"), None);
    assert!(conn.read_to_end().is_empty(), "no body bytes follow a 204");
}

#[test]
fn requests_are_logged_with_the_token_redacted() {
    let emulator = emulator();
    call(
        &emulator,
        "GET",
        "/v3/contacts?limit=5&email=a%2Bb%40example.com",
        None,
    );
    let logged = emulator.requests();
    assert_eq!(logged.len(), 1);
    let request = &logged[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v3/contacts");
    assert_eq!(
        request.query.as_deref(),
        Some("limit=5&email=a%2Bb%40example.com")
    );
    assert_eq!(request.header("authorization"), Some("Bearer <redacted>"));
    assert_eq!(request.header("host"), Some("localhost"));
    assert_eq!(request.status, 200);
    assert!(!request.scripted);
    assert!(!format!("{logged:?}").contains("emulator-token"));

    emulator.clear_requests();
    assert!(emulator.requests().is_empty());
}

#[test]
fn bodies_must_be_declared_json_and_parse() {
    let emulator = emulator();
    let mut conn = Conn::open(emulator.addr());
    let body = br#"{"first_name":"A","create_source":"Account"}"#;
    let reply = conn.request(
        "POST",
        "/v3/contacts",
        &[("Content-Type", "text/plain")],
        Some(body),
    );
    assert_error(&reply, 415, "unsupported_media_type", "application/json");
    let reply = conn.request("POST", "/v3/contacts", &[("Content-Type", "")], Some(body));
    assert_eq!(reply.status, 415);
    let charset = [("Content-Type", "application/json; charset=utf-8")];
    let reply = conn.request("POST", "/v3/contacts", &charset, Some(body));
    assert_eq!(reply.status, 201, "{}", reply.text());
    let reply = conn.request("POST", "/v3/contacts", &[], Some(b"{\"first_name\":"));
    assert_error(&reply, 400, "contacts.api.bad_request", "not valid JSON");
    assert_eq!(emulator.contacts().len(), 1);
}

#[test]
fn unknown_paths_and_methods_get_array_errors() {
    let emulator = emulator();
    assert_error(
        &get(&emulator, "/v3/nothing"),
        404,
        "not_found",
        "/v3/nothing",
    );
    assert_error(
        &get(&emulator, "/elsewhere"),
        404,
        "not_found",
        "/elsewhere",
    );
    let reply = call(&emulator, "PATCH", "/v3/contacts", Some(&json!({})));
    assert_error(&reply, 405, "method_not_allowed", "PATCH");
}

#[test]
fn dropping_the_handle_stops_the_server() {
    let emulator = Emulator::start(Default::default()).unwrap();
    let addr = emulator.addr();
    let mut idle = Conn::open(addr);
    assert_eq!(idle.request("GET", "/v3/contacts", &[], None).status, 200);
    drop(emulator);

    // The open keep-alive connection is closed, and nothing accepts any more.
    assert!(idle.read_to_end().is_empty());
    let refused = TcpStream::connect_timeout(&addr, Duration::from_millis(500));
    assert!(refused.is_err(), "the port still accepts connections");
}

#[test]
fn urls_point_at_the_bound_port() {
    let emulator = emulator();
    let port = emulator.addr().port();
    assert_ne!(port, 0);
    assert_eq!(emulator.origin(), format!("http://127.0.0.1:{port}"));
    assert_eq!(emulator.base_url(), format!("http://127.0.0.1:{port}/v3"));
    assert_eq!(
        emulator.auth_base_url(),
        format!("http://127.0.0.1:{port}/oauth2/default/v1")
    );
}

#[test]
fn concurrent_clients_are_served_consistently() {
    let emulator = emulator();
    let addr = emulator.addr();
    let workers: Vec<_> = (0..8)
        .map(|worker| {
            std::thread::spawn(move || {
                let mut conn = Conn::open(addr);
                for i in 0..25 {
                    let body = json!({
                        "email_address": {"address": format!("w{worker}-{i}@example.com")},
                        "create_source": "Account"
                    })
                    .to_string();
                    let reply = conn.request("POST", "/v3/contacts", &[], Some(body.as_bytes()));
                    assert_eq!(reply.status, 201, "{}", reply.text());
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker thread");
    }
    assert_eq!(emulator.contacts().len(), 200);
    let body = get(&emulator, "/v3/contacts?include_count=true&limit=1").json();
    assert_eq!(body["contacts_count"], 200);
    assert_eq!(emulator.requests().len(), 201);
}

#[test]
fn the_handle_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Emulator>();
    assert_send_sync::<cc_emulator::EmulatorConfig>();

    let emulator = std::sync::Arc::new(emulator());
    let other = std::sync::Arc::clone(&emulator);
    let id = std::thread::spawn(move || other.create_list("From a thread"))
        .join()
        .unwrap();
    assert_eq!(emulator.lists()[0]["list_id"], id.as_str());
}
