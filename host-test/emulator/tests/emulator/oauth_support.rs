//! Helpers for the authorization-server tests: form posts to the token endpoint, Basic
//! credentials, reading redirects, and a complete authorization-code sign-in.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cc_emulator::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REDIRECT_URI, Emulator, EmulatorConfig,
    OAuthSettings,
};
use serde_json::Value;

use crate::client::{Conn, Reply};

pub const TOKEN_PATH: &str = "/oauth2/default/v1/token";
pub const AUTHORIZE_PATH: &str = "/oauth2/default/v1/authorize";
pub const DEVICE_PATH: &str = "/oauth2/default/v1/device/authorize";
/// A verifier of the allowed shape (43 characters).
pub const VERIFIER: &str = "a-verifier-that-is-long-enough.0123456789~_abc";

/// An emulator whose token endpoint has no rate limit (most tests send bursts).
pub fn unlimited() -> Emulator {
    let config = EmulatorConfig {
        oauth: OAuthSettings {
            token_rate_limit: None,
            ..OAuthSettings::default()
        },
        ..EmulatorConfig::default()
    };
    Emulator::start(config).expect("start emulator")
}

/// `Basic base64(id:secret)`.
pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// The default confidential client's credentials.
pub fn default_basic() -> String {
    basic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
}

/// Percent-encodes a form value.
pub fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `a=1&b=2` from pairs, values encoded.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{n}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// POSTs a form body; `authorization` may be empty for none.
pub fn post_form(emulator: &Emulator, path: &str, authorization: &str, body: &str) -> Reply {
    let headers = [
        ("Authorization", authorization),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    Conn::open(emulator.addr()).request("POST", path, &headers, Some(body.as_bytes()))
}

/// POSTs with every parameter in the query string and an empty body, as many integrations
/// call the real service.
pub fn post_query(emulator: &Emulator, path: &str, authorization: &str, query: &str) -> Reply {
    let headers = [
        ("Authorization", authorization),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let target = format!("{path}?{query}");
    Conn::open(emulator.addr()).request("POST", &target, &headers, Some(b""))
}

/// A GET without any Authorization header.
pub fn browse(emulator: &Emulator, target: &str) -> Reply {
    Conn::open(emulator.addr()).request("GET", target, &[("Authorization", "")], None)
}

/// The decoded query parameters of a redirect's `Location`.
pub fn redirect_params(reply: &Reply) -> Vec<(String, String)> {
    assert_eq!(reply.status, 302, "not a redirect: {}", reply.text());
    let location = reply.header("location").expect("a Location header");
    let (_, query) = location.split_once('?').expect("a query in the Location");
    query
        .split('&')
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            (n.to_string(), decode(v))
        })
        .collect()
}

/// One parameter of a redirect.
pub fn redirect_param(reply: &Reply, name: &str) -> Option<String> {
    redirect_params(reply)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

/// An authorization URL for a client with the given extra parameters.
pub fn authorize_url(client_id: &str, scope: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("client_id", client_id),
        ("redirect_uri", DEFAULT_REDIRECT_URI),
        ("response_type", "code"),
        ("scope", scope),
        ("state", "st-1"),
    ];
    pairs.extend_from_slice(extra);
    format!("{AUTHORIZE_PATH}?{}", form(&pairs))
}

/// A code for the default confidential client.
pub fn code_for(emulator: &Emulator, scope: &str) -> String {
    let reply = browse(emulator, &authorize_url(DEFAULT_CLIENT_ID, scope, &[]));
    redirect_param(&reply, "code").expect("a code")
}

/// Signs the default confidential client in; returns the token response.
pub fn sign_in(emulator: &Emulator, scope: &str) -> Value {
    let code = code_for(emulator, scope);
    let query = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", DEFAULT_REDIRECT_URI),
    ]);
    let reply = post_query(emulator, TOKEN_PATH, &default_basic(), &query);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

/// A refresh by the default confidential client.
pub fn refresh(emulator: &Emulator, refresh_token: &str) -> Reply {
    let body = form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ]);
    post_form(emulator, TOKEN_PATH, &default_basic(), &body)
}

/// The OAuth2 `error` of a reply, asserting its status.
pub fn oauth_error(reply: &Reply, status: u16) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    assert!(
        body["error_description"].is_string(),
        "no description: {body}"
    );
    body["error"].as_str().expect("an error code").to_string()
}

/// A v3 API GET with a bearer token.
pub fn api_get(emulator: &Emulator, target: &str, token: &str) -> Reply {
    let bearer = format!("Bearer {token}");
    Conn::open(emulator.addr()).request("GET", target, &[("Authorization", &bearer)], None)
}
