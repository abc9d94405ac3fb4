//! The device flow: the device authorization answer, polling (`authorization_pending`,
//! `slow_down`, `expired_token`, `access_denied`), approval by hook, by verification page and
//! automatically.

use std::time::Duration;

use cc_emulator::{DEFAULT_CLIENT_ID, DEFAULT_PUBLIC_CLIENT_ID, Emulator, OAuthSettings};
use serde_json::Value;

use crate::oauth_support::{
    DEVICE_PATH, TOKEN_PATH, api_get, browse, default_basic, form, oauth_error, post_form,
    post_query,
};

/// An emulator with quick device polling and no token rate limit.
fn device_emulator(settings: OAuthSettings) -> Emulator {
    let emulator = crate::oauth_support::unlimited();
    emulator.set_oauth_settings(OAuthSettings {
        token_rate_limit: None,
        device_poll_interval_secs: 0,
        ..settings
    });
    emulator
}

fn start(emulator: &Emulator, scope: &str) -> Value {
    let body = form(&[("client_id", DEFAULT_PUBLIC_CLIENT_ID), ("scope", scope)]);
    let reply = post_form(emulator, DEVICE_PATH, "", &body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

fn poll(emulator: &Emulator, device_code: &str) -> crate::client::Reply {
    let body = form(&[
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("client_id", DEFAULT_PUBLIC_CLIENT_ID),
        ("device_code", device_code),
    ]);
    post_form(emulator, TOKEN_PATH, "", &body)
}

#[test]
fn device_authorization_answers_the_rfc_fields() {
    let emulator = crate::oauth_support::unlimited();
    let body = start(&emulator, "contact_data offline_access");
    let user_code = body["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9, "{user_code}");
    assert_eq!(&user_code[4..5], "-");
    assert_eq!(body["device_code"].as_str().unwrap().len(), 43);
    let uri = format!("{}/activate", emulator.origin());
    assert_eq!(body["verification_uri"], uri.as_str());
    assert_eq!(
        body["verification_uri_complete"],
        format!("{uri}?user_code={user_code}").as_str()
    );
    assert_eq!(
        (body["expires_in"].clone(), body["interval"].clone()),
        (600.into(), 5.into())
    );

    let refused = post_form(
        &emulator,
        DEVICE_PATH,
        "",
        "client_id=nobody&scope=contact_data",
    );
    assert_eq!(oauth_error(&refused, 401), "invalid_client");
    let no_scope = post_form(
        &emulator,
        DEVICE_PATH,
        "",
        &format!("client_id={DEFAULT_PUBLIC_CLIENT_ID}"),
    );
    assert_eq!(oauth_error(&no_scope, 400), "invalid_scope");
    // A confidential client authenticates here too, parameters in the query string.
    let query = "scope=contact_data";
    assert_eq!(
        post_query(&emulator, DEVICE_PATH, &default_basic(), query).status,
        200
    );
    let bare = post_query(
        &emulator,
        DEVICE_PATH,
        "",
        &format!("client_id={DEFAULT_CLIENT_ID}&{query}"),
    );
    assert_eq!(oauth_error(&bare, 401), "invalid_client");
}

#[test]
fn polling_is_pending_until_approved_then_tokens_once() {
    let emulator = device_emulator(OAuthSettings::default());
    let body = start(&emulator, "contact_data offline_access");
    let device_code = body["device_code"].as_str().unwrap();
    let user_code = body["user_code"].as_str().unwrap();

    for _ in 0..2 {
        assert_eq!(
            oauth_error(&poll(&emulator, device_code), 400),
            "authorization_pending"
        );
    }
    assert!(emulator.approve_device(&user_code.to_lowercase().replace('-', "")));
    assert!(!emulator.approve_device(user_code), "already decided");
    let reply = poll(&emulator, device_code);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let tokens = reply.json();
    assert_eq!(tokens["scope"], "contact_data offline_access");
    assert!(tokens["refresh_token"].is_string());
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(api_get(&emulator, "/v3/contacts", access).status, 200);

    let again = poll(&emulator, device_code);
    assert_eq!(oauth_error(&again, 400), "invalid_grant");
    assert_eq!(oauth_error(&poll(&emulator, "bogus"), 400), "invalid_grant");
    assert_eq!(emulator.token_counters().device_grants, 1);
}

#[test]
fn polling_faster_than_the_interval_is_slowed_down() {
    let emulator = device_emulator(OAuthSettings::default());
    emulator.set_oauth_settings(OAuthSettings {
        token_rate_limit: None,
        device_poll_interval_secs: 1,
        device_slow_down_secs: 1,
        ..OAuthSettings::default()
    });
    let body = start(&emulator, "contact_data");
    assert_eq!(body["interval"], 1);
    let device_code = body["device_code"].as_str().unwrap();
    assert_eq!(
        oauth_error(&poll(&emulator, device_code), 400),
        "authorization_pending"
    );
    let fast = poll(&emulator, device_code);
    assert_eq!(oauth_error(&fast, 400), "slow_down");
    assert!(
        fast.json()["error_description"]
            .as_str()
            .unwrap()
            .contains("2 seconds")
    );

    // The interval grew to 2 seconds, so 1.2 s later is still too soon (and it grows to 3);
    // 3.1 s after that is fine.
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(oauth_error(&poll(&emulator, device_code), 400), "slow_down");
    std::thread::sleep(Duration::from_millis(3100));
    assert!(emulator.approve_device(body["user_code"].as_str().unwrap()));
    assert_eq!(poll(&emulator, device_code).status, 200);
}

#[test]
fn devices_can_be_denied_expire_or_approve_themselves() {
    let emulator = device_emulator(OAuthSettings::default());
    let denied = start(&emulator, "contact_data");
    assert!(emulator.deny_device(denied["user_code"].as_str().unwrap()));
    let reply = poll(&emulator, denied["device_code"].as_str().unwrap());
    assert_eq!(oauth_error(&reply, 400), "access_denied");

    emulator.set_oauth_settings(OAuthSettings {
        token_rate_limit: None,
        device_poll_interval_secs: 0,
        device_code_lifetime: Duration::ZERO,
        ..OAuthSettings::default()
    });
    let expired = start(&emulator, "contact_data");
    assert_eq!(expired["expires_in"], 0);
    let reply = poll(&emulator, expired["device_code"].as_str().unwrap());
    assert_eq!(oauth_error(&reply, 400), "expired_token");
    assert!(!emulator.approve_device(expired["user_code"].as_str().unwrap()));

    emulator.set_oauth_settings(OAuthSettings {
        token_rate_limit: None,
        device_poll_interval_secs: 0,
        device_auto_approve_after_polls: Some(3),
        ..OAuthSettings::default()
    });
    let auto = start(&emulator, "contact_data");
    let code = auto["device_code"].as_str().unwrap();
    let statuses: Vec<u16> = (0..3).map(|_| poll(&emulator, code).status).collect();
    assert_eq!(statuses, [400, 400, 200]);
    assert_eq!(poll(&emulator, code).json()["error"], "invalid_grant");
}

#[test]
fn the_verification_page_approves_a_device() {
    let emulator = device_emulator(OAuthSettings::default());
    let body = start(&emulator, "contact_data");
    let complete = body["verification_uri_complete"].as_str().unwrap();
    let path = complete.strip_prefix(&emulator.origin()).unwrap();
    let page = browse(&emulator, path);
    assert_eq!(page.status, 200, "{}", page.text());
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        poll(&emulator, body["device_code"].as_str().unwrap()).status,
        200
    );

    let unknown = browse(&emulator, "/activate?user_code=ZZZZ-ZZZZ");
    assert_eq!(unknown.status, 400);
    assert!(unknown.text().contains("ZZZZ-ZZZZ"));
    assert_eq!(browse(&emulator, "/activate").status, 400);
}
