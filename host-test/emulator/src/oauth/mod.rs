//! The emulated OAuth2 authorization server under `/oauth2/default/v1`: authorization code
//! (with PKCE), refresh and device grants, issuing access tokens the v3 API then accepts.

pub mod authorize;
pub mod client_auth;
pub mod device;
pub mod error;
pub mod form;
pub mod grants;
pub mod jwt;
pub mod records;
pub mod settings;
pub mod sha256;
pub mod store;
pub mod token;

use crate::http::request::Request;
use crate::http::response::Response;
use error::{OAuthError, page};
use store::OAuthStore;

/// The path prefix of the authorization server's endpoints.
pub const AUTH_BASE_PATH: &str = "/oauth2/default/v1";

/// Whether a path belongs to the authorization server rather than the v3 API.
pub fn serves(path: &str) -> bool {
    path.starts_with("/oauth2/") || path == device::VERIFICATION_PATH
}

/// Answers one authorization-server request.
pub fn handle(store: &mut OAuthStore, request: &Request) -> Response {
    let path = request.path.as_str();
    let method = request.method.as_str();
    if path == device::VERIFICATION_PATH {
        return match method {
            "GET" => device::verification_page(store, request),
            _ => page(405, "Method not allowed", "Use GET."),
        };
    }
    match (path.strip_prefix(AUTH_BASE_PATH), method) {
        (Some("/authorize"), "GET") => authorize::authorize(store, request),
        (Some("/authorize"), _) => page(405, "Method not allowed", "Use GET."),
        (Some("/token"), "POST") => token::token(store, request),
        (Some("/device/authorize"), "POST") => device::authorize(store, request),
        (Some("/token" | "/device/authorize"), _) => {
            OAuthError::method_not_allowed(method, path).into_response()
        }
        _ => OAuthError::not_found(path).into_response(),
    }
}

/// A query string or form body as the request log keeps it: credential values redacted.
pub fn redact_for_log(path: &str, raw: &[u8]) -> Vec<u8> {
    if !serves(path) {
        return raw.to_vec();
    }
    // Anything that is not form text (JSON, binary) is hidden whole.
    match std::str::from_utf8(raw) {
        Ok(text) if !text.trim_start().starts_with(['{', '[']) => form::redact(text).into_bytes(),
        _ => b"<redacted>".to_vec(),
    }
}
