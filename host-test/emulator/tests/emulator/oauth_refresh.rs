//! Refresh tokens (rotating and long-lived), access-token expiry on the API, and the records
//! that tell tests which refresh token was presented.

use std::time::Duration;

use cc_emulator::{
    ClientAuth, DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_URI, OAuthClient, OAuthSettings, RefreshMode,
};

use crate::oauth_support::{
    TOKEN_PATH, api_get, basic, form, oauth_error, post_form, refresh, sign_in, unlimited,
};

fn text(value: &serde_json::Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {value}"))
        .to_string()
}

#[test]
fn rotating_refresh_tokens_are_single_use() {
    let emulator = unlimited();
    let first = text(
        &sign_in(&emulator, "contact_data offline_access"),
        "refresh_token",
    );

    let reply = refresh(&emulator, &first);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    let second = text(&body, "refresh_token");
    assert_ne!(second, first, "rotation returns a new refresh token");
    assert_eq!(body["scope"], "contact_data offline_access");
    let access = text(&body, "access_token");
    assert_eq!(api_get(&emulator, "/v3/contacts", &access).status, 200);

    let third = text(&refresh(&emulator, &second).json(), "refresh_token");
    assert_eq!(emulator.refresh_count(), 2);

    // The records name which token each request presented, by issue order.
    let records = emulator.token_requests();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].grant_type.as_deref(), Some("authorization_code"));
    assert!(records[0].parameters_in_query);
    assert_eq!(records[0].client_auth, ClientAuth::Basic);
    assert_eq!(records[0].presented_refresh_token, None);
    assert_eq!(
        records[0].issued_refresh_token.as_ref().unwrap().index,
        Some(0)
    );
    assert_eq!(
        records[1].presented_refresh_token.as_ref().unwrap().index,
        Some(0)
    );
    assert_eq!(
        records[2].presented_refresh_token.as_ref().unwrap().index,
        Some(1)
    );
    assert_eq!(
        records[2].issued_refresh_token,
        Some(emulator.refresh_token_ref(&third))
    );
    assert!(!records[1].parameters_in_query);
    assert!(emulator.was_refresh_token_used(&first));
    assert!(emulator.was_refresh_token_used(&second));
    assert!(!emulator.was_refresh_token_used(&third));
}

#[test]
fn reusing_a_rotated_refresh_token_fails_and_ends_the_family() {
    let emulator = unlimited();
    let first = text(
        &sign_in(&emulator, "contact_data offline_access"),
        "refresh_token",
    );
    let second = text(&refresh(&emulator, &first).json(), "refresh_token");

    let reused = refresh(&emulator, &first);
    assert_eq!(oauth_error(&reused, 400), "invalid_grant");
    let after = refresh(&emulator, &second);
    assert_eq!(
        oauth_error(&after, 400),
        "invalid_grant",
        "the reuse revoked the newest token too"
    );
    let last = emulator.token_requests().pop().unwrap();
    assert_eq!(
        (last.status, last.error.as_deref()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(emulator.token_counters().refused, 2);

    // A fresh sign-in starts a new family that works.
    let fresh = text(
        &sign_in(&emulator, "contact_data offline_access"),
        "refresh_token",
    );
    assert_eq!(refresh(&emulator, &fresh).status, 200);
}

#[test]
fn long_lived_refresh_tokens_come_back_unchanged() {
    let emulator = unlimited();
    let client = OAuthClient::confidential("steady", "steady-secret", &[DEFAULT_REDIRECT_URI])
        .with_refresh_mode(RefreshMode::LongLived);
    emulator.register_client(client);
    let code_url =
        crate::oauth_support::authorize_url("steady", "contact_data offline_access", &[]);
    let code = crate::oauth_support::redirect_param(
        &crate::oauth_support::browse(&emulator, &code_url),
        "code",
    )
    .unwrap();
    let auth = basic("steady", "steady-secret");
    let exchange = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", DEFAULT_REDIRECT_URI),
    ]);
    let tokens = post_form(&emulator, TOKEN_PATH, &auth, &exchange).json();
    let token = text(&tokens, "refresh_token");

    let mut access_tokens = vec![text(&tokens, "access_token")];
    for _ in 0..3 {
        let body = form(&[("grant_type", "refresh_token"), ("refresh_token", &token)]);
        let reply = post_form(&emulator, TOKEN_PATH, &auth, &body);
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(text(&reply.json(), "refresh_token"), token);
        access_tokens.push(text(&reply.json(), "access_token"));
    }
    access_tokens.dedup();
    assert_eq!(
        access_tokens.len(),
        4,
        "each refresh mints a new access token"
    );
    let counters = emulator.token_counters();
    assert_eq!((counters.refreshes, counters.refresh_tokens_issued), (3, 1));

    // Another client cannot use it, and an expired one is refused.
    let stolen = refresh(&emulator, &token);
    assert_eq!(oauth_error(&stolen, 400), "invalid_grant");
    assert!(emulator.expire_refresh_token(&token));
    let body = form(&[("grant_type", "refresh_token"), ("refresh_token", &token)]);
    let expired = post_form(&emulator, TOKEN_PATH, &auth, &body);
    assert_eq!(oauth_error(&expired, 400), "invalid_grant");
    assert!(!emulator.expire_refresh_token("never-issued"));
}

#[test]
fn a_refresh_can_narrow_but_not_widen_the_scopes() {
    let emulator = unlimited();
    let token = text(
        &sign_in(&emulator, "contact_data account_read offline_access"),
        "refresh_token",
    );
    let narrow = form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", &token),
        ("scope", "contact_data"),
    ]);
    let reply = post_form(
        &emulator,
        TOKEN_PATH,
        &crate::oauth_support::default_basic(),
        &narrow,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["scope"], "contact_data");
    let access = text(&body, "access_token");
    assert_eq!(
        api_get(&emulator, "/v3/account/summary", &access).status,
        403
    );

    // The rotated token keeps the original grant.
    let next = text(&body, "refresh_token");
    let wide = form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", &next),
        ("scope", "contact_data campaign_data"),
    ]);
    let reply = post_form(
        &emulator,
        TOKEN_PATH,
        &crate::oauth_support::default_basic(),
        &wide,
    );
    assert_eq!(oauth_error(&reply, 400), "invalid_scope");
    let full = refresh(&emulator, &next).json();
    assert_eq!(full["scope"], "contact_data account_read offline_access");
}

#[test]
fn access_tokens_expire_on_the_api() {
    let emulator = unlimited();
    emulator.set_oauth_settings(OAuthSettings {
        access_token_lifetime: Duration::from_secs(1),
        token_rate_limit: None,
        ..OAuthSettings::default()
    });
    let tokens = sign_in(&emulator, "contact_data offline_access");
    assert_eq!(tokens["expires_in"], 1);
    let access = text(&tokens, "access_token");
    assert_eq!(api_get(&emulator, "/v3/contacts", &access).status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    let expired = api_get(&emulator, "/v3/contacts", &access);
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json()["error_key"], "unauthorized");
    assert_eq!(emulator.access_token_scopes(&access), None);

    // A refresh brings a working token; expiring it by hand ends it at once.
    let renewed = text(
        &refresh(&emulator, &text(&tokens, "refresh_token")).json(),
        "access_token",
    );
    assert_eq!(api_get(&emulator, "/v3/contacts", &renewed).status, 200);
    assert!(emulator.expire_access_token(&renewed));
    assert_eq!(api_get(&emulator, "/v3/contacts", &renewed).status, 401);

    // Revoking works on issued tokens as on configured ones.
    let other = text(&sign_in(&emulator, "contact_data"), "access_token");
    emulator.revoke_token(&other);
    assert_eq!(api_get(&emulator, "/v3/contacts", &other).status, 401);
    assert!(emulator.expire_access_token(cc_emulator::DEFAULT_TOKEN));
    assert_eq!(
        api_get(&emulator, "/v3/contacts", cc_emulator::DEFAULT_TOKEN).status,
        401
    );
    assert!(!emulator.expire_access_token("unknown"));
    assert_eq!(
        emulator.token_requests()[0].client_id.as_deref(),
        Some(DEFAULT_CLIENT_ID)
    );
}
