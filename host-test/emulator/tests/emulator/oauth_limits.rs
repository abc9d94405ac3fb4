//! The token endpoint's per-client rate limit, and secrets kept out of the request log and
//! the records.

use std::time::Duration;

use cc_emulator::{DEFAULT_PUBLIC_CLIENT_ID, DEFAULT_REDIRECT_URI, Emulator, OAuthSettings};

use crate::oauth_support::{
    TOKEN_PATH, VERIFIER, authorize_url, browse, default_basic, form, oauth_error, post_form,
    redirect_param, refresh, sign_in, unlimited,
};

#[test]
fn the_token_endpoint_allows_one_request_per_second_per_client() {
    let emulator = crate::client::emulator();
    assert_eq!(emulator.oauth_settings().token_rate_limit, Some(1));
    let body = form(&[("grant_type", "refresh_token"), ("refresh_token", "x")]);
    let first = post_form(&emulator, TOKEN_PATH, &default_basic(), &body);
    assert_eq!(oauth_error(&first, 400), "invalid_grant");
    let second = post_form(&emulator, TOKEN_PATH, &default_basic(), &body);
    assert_eq!(oauth_error(&second, 429), "rate_limited");
    assert_eq!(second.header("retry-after"), None);

    // Other clients have their own window; the first one recovers after a second.
    let public = form(&[
        ("grant_type", "refresh_token"),
        ("client_id", DEFAULT_PUBLIC_CLIENT_ID),
        ("refresh_token", "x"),
    ]);
    assert_eq!(post_form(&emulator, TOKEN_PATH, "", &public).status, 400);
    std::thread::sleep(Duration::from_millis(1050));
    assert_eq!(
        post_form(&emulator, TOKEN_PATH, &default_basic(), &body).status,
        400
    );
    let counters = emulator.token_counters();
    assert_eq!((counters.rate_limited, counters.refused), (1, 3));
    let limited = &emulator.token_requests()[1];
    assert_eq!(
        (limited.status, limited.error.as_deref()),
        (429, Some("rate_limited"))
    );

    // Turned off, bursts pass.
    emulator.set_oauth_settings(OAuthSettings {
        token_rate_limit: None,
        ..OAuthSettings::default()
    });
    for _ in 0..5 {
        assert_eq!(
            post_form(&emulator, TOKEN_PATH, &default_basic(), &body).status,
            400
        );
    }
}

/// Every secret a full session handled, to look for in logs.
fn session_secrets(emulator: &Emulator) -> Vec<String> {
    let tokens = sign_in(emulator, "contact_data offline_access openid");
    let first_refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let renewed = refresh(emulator, &first_refresh).json();

    // A PKCE sign-in with every parameter in the body.
    let url = authorize_url(
        DEFAULT_PUBLIC_CLIENT_ID,
        "contact_data",
        &[
            ("code_challenge", &cc_emulator::pkce_challenge(VERIFIER)),
            ("code_challenge_method", "S256"),
        ],
    );
    let code = redirect_param(&browse(emulator, &url), "code").unwrap();
    let body = form(&[
        ("grant_type", "authorization_code"),
        ("client_id", DEFAULT_PUBLIC_CLIENT_ID),
        ("code", &code),
        ("redirect_uri", DEFAULT_REDIRECT_URI),
        ("code_verifier", VERIFIER),
    ]);
    let pkce = post_form(emulator, TOKEN_PATH, "", &body).json();

    vec![
        cc_emulator::DEFAULT_CLIENT_SECRET.to_string(),
        tokens["access_token"].as_str().unwrap().to_string(),
        tokens["id_token"].as_str().unwrap().to_string(),
        first_refresh,
        renewed["refresh_token"].as_str().unwrap().to_string(),
        renewed["access_token"].as_str().unwrap().to_string(),
        code,
        VERIFIER.to_string(),
        pkce["access_token"].as_str().unwrap().to_string(),
    ]
}

#[test]
fn secrets_never_reach_the_request_log_or_the_records() {
    let emulator = unlimited();
    let secrets = session_secrets(&emulator);
    let access = secrets[1].clone();
    assert_eq!(
        crate::oauth_support::api_get(&emulator, "/v3/contacts", &access).status,
        200
    );

    let requests = emulator.requests();
    assert!(requests.len() >= 6);
    let logged = format!("{requests:?}");
    let records = format!("{:?}", emulator.token_requests());
    let handle = format!("{emulator:?}");
    for secret in &secrets {
        assert!(
            !logged.contains(secret.as_str()),
            "request log holds {secret}"
        );
        assert!(!records.contains(secret.as_str()), "records hold {secret}");
        assert!(
            !handle.contains(secret.as_str()),
            "Debug of the handle holds {secret}"
        );
    }

    // What is kept stays useful: names, grant types and the redaction marks.
    let exchange = &requests[1];
    assert_eq!(exchange.path, TOKEN_PATH);
    assert_eq!(exchange.header("authorization"), Some("Basic <redacted>"));
    let query = exchange.query.as_deref().unwrap();
    assert!(query.contains("grant_type=authorization_code"), "{query}");
    assert!(query.contains("code=<redacted>"), "{query}");
    let pkce = requests
        .iter()
        .rev()
        .find(|r| r.path == TOKEN_PATH)
        .unwrap();
    let body = pkce.body_text();
    assert!(
        body.contains("code_verifier=<redacted>") && body.contains("code=<redacted>"),
        "{body}"
    );
    assert!(
        body.contains(&format!("client_id={DEFAULT_PUBLIC_CLIENT_ID}")),
        "{body}"
    );
}

#[test]
fn api_limits_follow_the_client_across_refreshed_tokens() {
    let emulator = unlimited();
    emulator.set_behaviour(cc_emulator::Behaviour {
        rate_limit: Some(cc_emulator::RateLimit {
            per_second: 100,
            per_day: 3,
        }),
        ..cc_emulator::Behaviour::default()
    });
    let tokens = sign_in(&emulator, "contact_data offline_access");
    let first = tokens["access_token"].as_str().unwrap().to_string();
    let renewed = refresh(&emulator, tokens["refresh_token"].as_str().unwrap()).json();
    let second = renewed["access_token"].as_str().unwrap().to_string();
    let get = |token: &str| crate::oauth_support::api_get(&emulator, "/v3/contacts", token);

    let statuses: Vec<u16> = [&first, &second, &first]
        .iter()
        .map(|t| get(t).status)
        .collect();
    assert_eq!(statuses, [200, 200, 200]);
    let over = get(&second);
    assert_eq!(over.status, 429, "the new token shares the client's quota");
    assert_eq!(over.json()["error_key"], "quota_exceeded");
    // A configured token keeps its own counters.
    assert_eq!(get(cc_emulator::DEFAULT_TOKEN).status, 200);
}
