//! `GET /authorize`: checks the client and redirect URI (a 400 page when either is wrong),
//! then approves on the emulated user's behalf and redirects with a one-time code, or with
//! an OAuth2 `error` for any other problem.

use std::time::Instant;

use crate::http::request::Request;
use crate::http::response::Response;
use crate::oauth::error::page;
use crate::oauth::form::{Params, append_query};
use crate::oauth::store::{AuthCode, OAuthStore};

/// Answers an authorization request.
pub fn authorize(store: &mut OAuthStore, request: &Request) -> Response {
    let params = match Params::from_query(request.query.as_deref()) {
        Ok(params) => params,
        Err(error) => return page(400, "Invalid authorization request", &error.description),
    };

    // Without a known client and one of its redirect URIs, nothing may be redirected.
    let Some(client_id) = params.get("client_id") else {
        return page(
            400,
            "Invalid authorization request",
            "client_id is required.",
        );
    };
    let Some(client) = store.client(client_id).cloned() else {
        let message = format!("The client \"{client_id}\" is not registered.");
        return page(400, "Invalid authorization request", &message);
    };
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return page(
            400,
            "Invalid authorization request",
            "redirect_uri is required.",
        );
    };
    if !client.redirect_uris.iter().any(|u| u == redirect_uri) {
        let message =
            format!("The redirect_uri \"{redirect_uri}\" is not registered for this client.");
        return page(400, "Invalid authorization request", &message);
    }

    // Other problems go back to the client on the redirect.
    let state = params.get("state");
    let refuse = |code: &str, description: &str| {
        let mut pairs = vec![("error", code), ("error_description", description)];
        if let Some(state) = state {
            pairs.push(("state", state));
        }
        redirect(&append_query(redirect_uri, &pairs))
    };
    if params.get("response_type") != Some("code") {
        return refuse(
            "unsupported_response_type",
            "The response_type must be code.",
        );
    }
    if state.is_none() && store.settings.require_state {
        return refuse("invalid_request", "The state parameter is required.");
    }
    let scopes = params.scopes();
    if scopes.is_empty() {
        return refuse("invalid_scope", "The scope parameter is required.");
    }
    if let Some(scope) = scopes.iter().find(|s| !client.allows(s)) {
        let description = format!("The scope \"{scope}\" is not allowed for this client.");
        return refuse("invalid_scope", &description);
    }
    let challenge = match (
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    ) {
        (Some(challenge), Some("S256")) if is_s256_challenge(challenge) => {
            Some(challenge.to_string())
        }
        (Some(_), Some("S256")) => {
            return refuse(
                "invalid_request",
                "The code_challenge must be 43 base64url characters.",
            );
        }
        (Some(_), _) => {
            return refuse("invalid_request", "The code_challenge_method must be S256.");
        }
        (None, Some(_)) => {
            return refuse(
                "invalid_request",
                "A code_challenge_method was given without a code_challenge.",
            );
        }
        (None, None) if client.client_secret.is_none() => {
            return refuse(
                "invalid_request",
                "PKCE is required for public clients: send code_challenge.",
            );
        }
        (None, None) => None,
    };
    if store.settings.deny_authorization {
        return refuse("access_denied", "The user denied the request.");
    }

    // Approved: issue a one-time code.
    let code = store.add_code(AuthCode {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        scopes,
        challenge,
        nonce: params.get("nonce").map(str::to_string),
        expires_at: Instant::now() + store.settings.authorization_code_lifetime,
    });
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    redirect(&append_query(redirect_uri, &pairs))
}

/// Whether `text` can be an `S256` challenge: base64url of 32 bytes, no padding.
fn is_s256_challenge(text: &str) -> bool {
    text.len() == 43
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn redirect(location: &str) -> Response {
    Response {
        status: 302,
        content_type: None,
        headers: vec![
            ("Location".into(), location.to_string()),
            ("Cache-Control".into(), "no-store".into()),
        ],
        body: Vec::new(),
    }
}
