//! Authentication (401 object bodies), scopes (403) and rate limits (429 object bodies).

use cc_emulator::{Behaviour, EmulatorConfig, RateLimit, TokenGrant};
use serde_json::json;

use crate::client::{Conn, get};

#[test]
fn missing_or_unknown_tokens_get_401_with_an_object_body() {
    let emulator = crate::client::emulator();
    let mut conn = Conn::open(emulator.addr());
    for auth in [
        "",
        "Bearer wrong",
        "Basic ZW11bGF0b3ItdG9rZW4=",
        "emulator-token",
    ] {
        let reply = conn.request("GET", "/v3/contacts", &[("Authorization", auth)], None);
        assert_eq!(reply.status, 401, "for {auth:?}");
        assert_eq!(
            reply.json(),
            json!({"error_key": "unauthorized", "error_message": "Unauthorized"})
        );
    }
    let ok = conn.request(
        "GET",
        "/v3/contacts",
        &[("Authorization", "bearer emulator-token")],
        None,
    );
    assert_eq!(ok.status, 200);
}

#[test]
fn missing_scopes_get_403_with_an_object_body() {
    let config = EmulatorConfig {
        tokens: vec![
            TokenGrant::new("account-only", &["account_read"]),
            TokenGrant::new("contacts-only", &["contact_data"]),
        ],
        ..Default::default()
    };
    let emulator = cc_emulator::Emulator::start(config).unwrap();
    let mut conn = Conn::open(emulator.addr());
    let as_account = [("Authorization", "Bearer account-only")];
    let as_contacts = [("Authorization", "Bearer contacts-only")];

    for path in [
        "/v3/contacts",
        "/v3/contact_lists",
        "/v3/contact_custom_fields",
        "/v3/contact_tags",
    ] {
        let reply = conn.request("GET", path, &as_account, None);
        assert_eq!(reply.status, 403, "{path}");
        assert_eq!(reply.json()["error_key"], "forbidden");
        assert!(
            reply.json()["error_message"]
                .as_str()
                .unwrap()
                .contains("contact_data")
        );
    }
    let reply = conn.request("GET", "/v3/account/summary", &as_contacts, None);
    assert_eq!(reply.status, 403);
    assert!(reply.json().is_object());

    let summary = conn.request("GET", "/v3/account/summary", &as_account, None);
    assert_eq!(summary.status, 200);
    assert_eq!(summary.json()["organization_name"], "Emulated Organization");
    assert!(summary.json()["encoded_account_id"].is_string());
    let contacts = conn.request("GET", "/v3/contacts", &as_contacts, None);
    assert_eq!(contacts.status, 200);
    // Privileges need a valid token but no scope.
    let privileges = conn.request("GET", "/v3/account/user/privileges", &as_contacts, None);
    assert_eq!(privileges.status, 200);
    assert!(privileges.text().contains("contacts:write"));
}

#[test]
fn tokens_can_be_added_and_revoked() {
    let emulator = crate::client::emulator();
    let mut conn = Conn::open(emulator.addr());
    let fresh = [("Authorization", "Bearer fresh")];
    assert_eq!(
        conn.request("GET", "/v3/contacts", &fresh, None).status,
        401
    );
    emulator.add_token(TokenGrant::all_scopes("fresh"));
    assert_eq!(
        conn.request("GET", "/v3/contacts", &fresh, None).status,
        200
    );
    emulator.revoke_token("fresh");
    assert_eq!(
        conn.request("GET", "/v3/contacts", &fresh, None).status,
        401
    );
}

#[test]
fn rate_limits_answer_429_objects_when_enabled() {
    let emulator = crate::client::emulator();
    emulator.set_behaviour(Behaviour {
        rate_limit: Some(RateLimit {
            per_second: 2,
            per_day: 1000,
        }),
        ..Behaviour::default()
    });
    let statuses: Vec<u16> = (0..3)
        .map(|_| get(&emulator, "/v3/contacts").status)
        .collect();
    assert_eq!(statuses, [200, 200, 429]);
    let reply = get(&emulator, "/v3/contacts");
    assert_eq!(reply.status, 429);
    assert_eq!(
        reply.json(),
        json!({"error_key": "throttled", "error_message": "Too Many Requests"})
    );
    assert_eq!(reply.header("retry-after"), None);
}
