//! Injected faults over real HTTP: error statuses that leave the state alone, resets before
//! and after the request is applied, late and cut answers, and a seeded mix that repeats.

use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use cc_emulator::{BodyKind, DEFAULT_TOKEN, FaultMix, FaultRule, InjectedFault};
use serde_json::json;

use crate::client::{Conn, call, emulator, get};

fn post_contact(addr: std::net::SocketAddr, email: &str) -> Vec<u8> {
    let body = json!({"email_address": {"address": email}, "create_source": "Account"}).to_string();
    let head = format!(
        "POST /v3/contacts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {DEFAULT_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    std::io::Write::write_all(&mut stream, head.as_bytes()).expect("write");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

#[test]
fn status_faults_are_not_applied_and_carry_their_body_kind() {
    let emulator = emulator();
    emulator.inject_fault(
        FaultRule::new(
            "/v3/contacts",
            1,
            InjectedFault::Status {
                status: 503,
                body: BodyKind::Html,
            },
        )
        .with_method("POST"),
    );
    emulator.inject_fault(FaultRule::new(
        "/v3/contacts",
        1,
        InjectedFault::Status {
            status: 429,
            body: BodyKind::Json,
        },
    ));
    let body = json!({"email_address": {"address": "s@example.com"}, "create_source": "Account"});
    let first = call(&emulator, "POST", "/v3/contacts", Some(&body));
    assert_eq!(first.status, 503);
    assert!(first.text().contains("<html>"));
    let second = call(&emulator, "POST", "/v3/contacts", Some(&body));
    assert_eq!(second.status, 429);
    assert_eq!(second.json()["error_key"], "throttled");
    assert!(
        emulator.contacts().is_empty(),
        "refused requests are not applied"
    );

    assert_eq!(
        call(&emulator, "POST", "/v3/contacts", Some(&body)).status,
        201
    );
    let statuses: Vec<u16> = emulator.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 429, 201]);
    assert_eq!(emulator.fault_counts()["503 html"], 1);
}

#[test]
fn a_reset_before_apply_loses_the_request_and_after_apply_only_the_answer() {
    let emulator = emulator();
    let post = |times| {
        FaultRule::new("/v3/contacts", times, InjectedFault::ResetBeforeApply).with_method("POST")
    };
    emulator.inject_fault(post(1));
    assert!(post_contact(emulator.addr(), "a@example.com").is_empty());
    assert!(emulator.find_by_email("a@example.com").is_none());
    assert_eq!(emulator.requests()[0].status, 0);

    emulator.inject_fault(
        FaultRule::new("/v3/contacts", 1, InjectedFault::ResetAfterApply).with_method("POST"),
    );
    assert!(post_contact(emulator.addr(), "b@example.com").is_empty());
    assert!(emulator.find_by_email("b@example.com").is_some(), "applied");
    assert_eq!(emulator.requests()[1].status, 201, "logged as applied");
}

#[test]
fn late_and_cut_answers_are_applied() {
    let emulator = emulator();
    emulator.inject_fault(
        FaultRule::new("/v3/contacts", 1, InjectedFault::TruncatedBody).with_method("POST"),
    );
    let answer = String::from_utf8(post_contact(emulator.addr(), "c@example.com")).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|v| v.parse().ok())
        .expect("a length");
    assert!(body.len() < length, "the body is cut short");
    assert!(emulator.find_by_email("c@example.com").is_some());

    emulator.inject_fault(FaultRule::new(
        "/v3/contacts",
        1,
        InjectedFault::SlowFirstByte(Duration::from_millis(300)),
    ));
    let started = Instant::now();
    let reply = get(&emulator, "/v3/contacts");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.status, 200);
}

#[test]
fn a_seeded_mix_strikes_the_same_requests_each_run() {
    let statuses = || {
        let emulator = emulator();
        emulator.set_fault_mix(Some(FaultMix {
            seed: 9,
            per_mille: 300,
            faults: vec![
                InjectedFault::Status {
                    status: 500,
                    body: BodyKind::Empty,
                },
                InjectedFault::Status {
                    status: 502,
                    body: BodyKind::Json,
                },
            ],
            path_prefix: "/v3/".into(),
        }));
        let mut conn = Conn::open(emulator.addr());
        let seen: Vec<u16> = (0..60)
            .map(|_| conn.request("GET", "/v3/contacts", &[], None).status)
            .collect();
        emulator.set_fault_mix(None);
        assert_eq!(get(&emulator, "/v3/contacts").status, 200);
        seen
    };
    let first = statuses();
    assert_eq!(first, statuses());
    let failed = first.iter().filter(|s| **s != 200).count();
    assert!((8..=30).contains(&failed), "{failed} of 60 at 30%");
    assert!(first.iter().all(|s| [200, 500, 502].contains(s)));
}
