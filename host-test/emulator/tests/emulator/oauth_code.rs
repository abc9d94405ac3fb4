//! The authorization-code flow: `/authorize` redirects and refusals, the code exchange with
//! Basic credentials or PKCE, and the issued token working on the v3 API.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cc_emulator::{
    DEFAULT_CLIENT_ID, DEFAULT_PUBLIC_CLIENT_ID, DEFAULT_REDIRECT_URI, OAuthClient, OAuthSettings,
    pkce_challenge,
};
use serde_json::Value;

use crate::oauth_support::{
    AUTHORIZE_PATH, TOKEN_PATH, VERIFIER, api_get, authorize_url, basic, browse, code_for,
    default_basic, form, oauth_error, post_form, post_query, redirect_param, redirect_params,
    sign_in, unlimited,
};

#[test]
fn authorize_redirects_with_a_code_and_the_state() {
    let emulator = unlimited();
    let url = authorize_url(
        DEFAULT_CLIENT_ID,
        "contact_data offline_access",
        &[("state", "a b&c")],
    )
    .replace("state=st-1&", "");
    let reply = browse(&emulator, &url);
    assert_eq!(reply.status, 302, "{}", reply.text());
    let location = reply.header("location").unwrap();
    assert!(
        location.starts_with(&format!("{DEFAULT_REDIRECT_URI}?code=")),
        "{location}"
    );
    assert!(location.ends_with("&state=a%20b%26c"), "{location}");
    let params = redirect_params(&reply);
    assert_eq!(params.len(), 2);
    assert_eq!(params[0].1.len(), 43, "a 32-byte base64url code");
    assert_eq!(redirect_param(&reply, "state").as_deref(), Some("a b&c"));
}

#[test]
fn the_code_exchange_issues_tokens_the_api_accepts() {
    let emulator = unlimited();
    let tokens = sign_in(&emulator, "contact_data offline_access openid");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 86_400);
    assert_eq!(tokens["scope"], "contact_data offline_access openid");
    assert_eq!(tokens["refresh_token"].as_str().unwrap().len(), 43);
    let access = tokens["access_token"].as_str().unwrap();

    // The access token is JWT-shaped; its claims carry the scopes and expiry.
    let claims = access.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    assert_eq!(claims["cid"], DEFAULT_CLIENT_ID);
    assert_eq!(
        claims["scp"],
        serde_json::json!(["contact_data", "offline_access", "openid"])
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        86_400
    );
    let id_token = tokens["id_token"].as_str().unwrap();
    assert_eq!(id_token.split('.').count(), 3);

    // The API takes the token, within its scopes only.
    assert_eq!(api_get(&emulator, "/v3/contacts", access).status, 200);
    let summary = api_get(&emulator, "/v3/account/summary", access);
    assert_eq!(summary.status, 403);
    assert_eq!(summary.json()["error_key"], "forbidden");
    assert_eq!(
        emulator.access_token_scopes(access),
        Some(vec![
            "contact_data".to_string(),
            "offline_access".to_string(),
            "openid".to_string()
        ])
    );
    let counters = emulator.token_counters();
    assert_eq!(
        (
            counters.code_exchanges,
            counters.access_tokens_issued,
            counters.refresh_tokens_issued
        ),
        (1, 1, 1)
    );
}

#[test]
fn no_refresh_token_without_offline_access_and_no_id_token_without_openid() {
    let emulator = unlimited();
    let tokens = sign_in(&emulator, "contact_data account_read");
    assert!(tokens.get("refresh_token").is_none(), "{tokens}");
    assert!(tokens.get("id_token").is_none(), "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        api_get(&emulator, "/v3/account/summary", access).status,
        200
    );
}

#[test]
fn a_code_works_once_for_its_client_and_redirect_uri() {
    let emulator = unlimited();
    let exchange = |code: &str, redirect_uri: &str, auth: &str| {
        let query = form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ]);
        post_query(&emulator, TOKEN_PATH, auth, &query)
    };

    let code = code_for(&emulator, "contact_data");
    assert_eq!(
        exchange(&code, DEFAULT_REDIRECT_URI, &default_basic()).status,
        200
    );
    let again = exchange(&code, DEFAULT_REDIRECT_URI, &default_basic());
    assert_eq!(oauth_error(&again, 400), "invalid_grant");

    let code = code_for(&emulator, "contact_data");
    let elsewhere = exchange(&code, "http://127.0.0.1/other", &default_basic());
    assert_eq!(oauth_error(&elsewhere, 400), "invalid_grant");

    emulator.register_client(OAuthClient::confidential(
        "second",
        "s2",
        &[DEFAULT_REDIRECT_URI],
    ));
    let code = code_for(&emulator, "contact_data");
    let stolen = exchange(&code, DEFAULT_REDIRECT_URI, &basic("second", "s2"));
    assert_eq!(oauth_error(&stolen, 400), "invalid_grant");

    let missing = exchange("", DEFAULT_REDIRECT_URI, &default_basic());
    assert_eq!(oauth_error(&missing, 400), "invalid_request");
    let unknown = exchange("not-a-code", DEFAULT_REDIRECT_URI, &default_basic());
    assert_eq!(oauth_error(&unknown, 400), "invalid_grant");
}

#[test]
fn codes_expire() {
    let emulator = unlimited();
    emulator.set_oauth_settings(OAuthSettings {
        authorization_code_lifetime: std::time::Duration::ZERO,
        token_rate_limit: None,
        ..OAuthSettings::default()
    });
    let code = code_for(&emulator, "contact_data");
    let query = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", DEFAULT_REDIRECT_URI),
    ]);
    let reply = post_query(&emulator, TOKEN_PATH, &default_basic(), &query);
    assert_eq!(oauth_error(&reply, 400), "invalid_grant");
}

#[test]
fn unknown_clients_and_unregistered_redirects_get_a_page_not_a_redirect() {
    let emulator = unlimited();
    let unknown = authorize_url("nobody", "contact_data", &[]);
    let elsewhere = format!(
        "{AUTHORIZE_PATH}?{}",
        form(&[
            ("client_id", DEFAULT_CLIENT_ID),
            ("redirect_uri", "http://127.0.0.1/evil"),
            ("response_type", "code"),
            ("scope", "contact_data"),
            ("state", "s"),
        ])
    );
    let no_redirect = format!("{AUTHORIZE_PATH}?client_id={DEFAULT_CLIENT_ID}&scope=contact_data");
    for (url, part) in [
        (unknown, "nobody"),
        (elsewhere, "http://127.0.0.1/evil"),
        (no_redirect, "redirect_uri"),
    ] {
        let reply = browse(&emulator, &url);
        assert_eq!(reply.status, 400, "{url}");
        assert_eq!(reply.header("location"), None);
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(reply.text().contains(part), "{}", reply.text());
    }
}

#[test]
fn other_authorize_problems_are_redirected_as_errors() {
    let emulator = unlimited();
    let cases: [(String, &str); 6] = [
        (
            authorize_url(DEFAULT_CLIENT_ID, "contact_data", &[])
                .replace("response_type=code", "response_type=token"),
            "unsupported_response_type",
        ),
        (
            authorize_url(DEFAULT_CLIENT_ID, "contact_data", &[]).replace("&state=st-1", ""),
            "invalid_request",
        ),
        (authorize_url(DEFAULT_CLIENT_ID, "", &[]), "invalid_scope"),
        (
            authorize_url(DEFAULT_CLIENT_ID, "contact_data campaign_admin", &[]),
            "invalid_scope",
        ),
        (
            authorize_url(DEFAULT_PUBLIC_CLIENT_ID, "contact_data", &[]),
            "invalid_request",
        ),
        (
            authorize_url(
                DEFAULT_PUBLIC_CLIENT_ID,
                "contact_data",
                &[
                    ("code_challenge", &pkce_challenge(VERIFIER)),
                    ("code_challenge_method", "plain"),
                ],
            ),
            "invalid_request",
        ),
    ];
    for (url, error) in cases {
        let reply = browse(&emulator, &url);
        assert_eq!(
            redirect_param(&reply, "error").as_deref(),
            Some(error),
            "{url}"
        );
        assert!(redirect_param(&reply, "error_description").is_some());
        assert_eq!(redirect_param(&reply, "code"), None);
    }

    // State is optional when configured so, and consent can be denied.
    emulator.set_oauth_settings(OAuthSettings {
        require_state: false,
        ..OAuthSettings::default()
    });
    let stateless =
        authorize_url(DEFAULT_CLIENT_ID, "contact_data", &[]).replace("&state=st-1", "");
    assert!(redirect_param(&browse(&emulator, &stateless), "code").is_some());
    emulator.set_oauth_settings(OAuthSettings {
        deny_authorization: true,
        ..OAuthSettings::default()
    });
    let denied = browse(
        &emulator,
        &authorize_url(DEFAULT_CLIENT_ID, "contact_data", &[]),
    );
    assert_eq!(
        redirect_param(&denied, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(redirect_param(&denied, "state").as_deref(), Some("st-1"));
}

#[test]
fn public_clients_prove_the_code_with_pkce() {
    let emulator = unlimited();
    let challenge = pkce_challenge(VERIFIER);
    let code = || {
        let url = authorize_url(
            DEFAULT_PUBLIC_CLIENT_ID,
            "contact_data offline_access",
            &[
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ],
        );
        redirect_param(&browse(&emulator, &url), "code").expect("a code")
    };
    let exchange = |code: &str, verifier: Option<&str>| {
        let mut pairs = vec![
            ("grant_type", "authorization_code"),
            ("client_id", DEFAULT_PUBLIC_CLIENT_ID),
            ("code", code),
            ("redirect_uri", DEFAULT_REDIRECT_URI),
        ];
        if let Some(verifier) = verifier {
            pairs.push(("code_verifier", verifier));
        }
        post_form(&emulator, TOKEN_PATH, "", &form(&pairs))
    };

    let other_verifier = VERIFIER.replace('a', "b");
    assert_eq!(
        oauth_error(&exchange(&code(), Some(&other_verifier)), 400),
        "invalid_grant"
    );
    assert_eq!(
        oauth_error(&exchange(&code(), None), 400),
        "invalid_request"
    );
    assert_eq!(
        oauth_error(&exchange(&code(), Some("short")), 400),
        "invalid_request"
    );
    let reply = exchange(&code(), Some(VERIFIER));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.json()["refresh_token"].is_string());

    // A confidential client may use PKCE too, but a verifier without a challenge is refused.
    let plain = code_for(&emulator, "contact_data");
    let body = form(&[
        ("grant_type", "authorization_code"),
        ("code", &plain),
        ("redirect_uri", DEFAULT_REDIRECT_URI),
        ("code_verifier", VERIFIER),
    ]);
    let reply = post_form(&emulator, TOKEN_PATH, &default_basic(), &body);
    assert_eq!(oauth_error(&reply, 400), "invalid_grant");
}

#[test]
fn the_token_endpoint_authenticates_clients() {
    let emulator = unlimited();
    let code = code_for(&emulator, "contact_data");
    let query = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", DEFAULT_REDIRECT_URI),
    ]);
    let wrong = post_query(
        &emulator,
        TOKEN_PATH,
        &basic(DEFAULT_CLIENT_ID, "nope"),
        &query,
    );
    assert_eq!(oauth_error(&wrong, 401), "invalid_client");
    assert!(wrong.header("www-authenticate").is_some());
    assert_eq!(wrong.header("cache-control"), Some("no-store"));
    let anonymous = post_query(&emulator, TOKEN_PATH, "", &query);
    assert_eq!(oauth_error(&anonymous, 401), "invalid_client");
    let confidential_without_secret = post_query(
        &emulator,
        TOKEN_PATH,
        "",
        &format!("{query}&client_id={DEFAULT_CLIENT_ID}"),
    );
    assert_eq!(
        oauth_error(&confidential_without_secret, 401),
        "invalid_client"
    );

    // A client secret parameter is accepted in place of the Basic header.
    let code = code_for(&emulator, "contact_data");
    let body = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", DEFAULT_REDIRECT_URI),
        ("client_id", DEFAULT_CLIENT_ID),
        ("client_secret", cc_emulator::DEFAULT_CLIENT_SECRET),
    ]);
    assert_eq!(post_form(&emulator, TOKEN_PATH, "", &body).status, 200);

    let grant = |grant_type: &str| {
        post_form(
            &emulator,
            TOKEN_PATH,
            &default_basic(),
            &form(&[("grant_type", grant_type)]),
        )
    };
    assert_eq!(
        oauth_error(&grant("client_credentials"), 400),
        "unauthorized_client"
    );
    assert_eq!(oauth_error(&grant("magic"), 400), "unsupported_grant_type");
    let no_grant = post_form(&emulator, TOKEN_PATH, &default_basic(), "scope=x");
    assert_eq!(oauth_error(&no_grant, 400), "invalid_request");

    let json = crate::client::Conn::open(emulator.addr()).request(
        "POST",
        TOKEN_PATH,
        &[("Authorization", &default_basic())],
        Some(br#"{"grant_type":"refresh_token"}"#),
    );
    assert_eq!(oauth_error(&json, 400), "invalid_request");
    let get = browse(&emulator, TOKEN_PATH);
    assert_eq!(oauth_error(&get, 405), "invalid_request");
    let discovery = browse(
        &emulator,
        "/oauth2/default/.well-known/openid-configuration",
    );
    assert_eq!(discovery.status, 404);
}
