//! The `authorization_code` and `refresh_token` grants, and the token response every grant
//! shares: `{access_token, token_type, expires_in, scope, refresh_token?, id_token?}`.

use std::time::Instant;

use serde_json::{Map, Value, json};

use crate::oauth::error::OAuthError;
use crate::oauth::form::Params;
use crate::oauth::records::TokenRef;
use crate::oauth::settings::{OAuthClient, RefreshMode};
use crate::oauth::sha256;
use crate::oauth::store::OAuthStore;

/// Which grant produced tokens, for the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantKind {
    Code,
    Refresh,
    Device,
}

/// A successful token answer.
#[derive(Debug, Clone)]
pub struct Granted {
    pub body: Map<String, Value>,
    /// The refresh token the body carries, named without revealing it.
    pub refresh: Option<TokenRef>,
    pub kind: GrantKind,
}

/// What refresh token goes with new tokens.
#[derive(Debug, Clone)]
pub enum RefreshPlan {
    /// A new family, when `offline_access` is among the granted scopes.
    Fresh,
    /// The next token of a rotating family.
    Rotate { family: usize, scopes: Vec<String> },
    /// The long-lived token that was presented.
    Same(String),
}

/// Exchanges an authorization code, checking its client, redirect URI and PKCE verifier.
pub fn authorization_code(
    store: &mut OAuthStore,
    client: &OAuthClient,
    params: &Params,
) -> Result<Granted, OAuthError> {
    let value = params.require("code")?;
    let redirect_uri = params.require("redirect_uri")?;
    let verifier = params.get("code_verifier");

    // A code works once, for its client and redirect URI, before it expires.
    let invalid = || OAuthError::invalid_grant("The authorization code is invalid or has expired.");
    let code = store.take_code(value).ok_or_else(invalid)?;
    if Instant::now() >= code.expires_at {
        return Err(invalid());
    }
    if code.client_id != client.client_id {
        return Err(OAuthError::invalid_grant(
            "The authorization code was issued to another client.",
        ));
    }
    if code.redirect_uri != redirect_uri {
        return Err(OAuthError::invalid_grant(
            "The redirect_uri does not match the one of the authorization request.",
        ));
    }

    // PKCE: the verifier must hash to the challenge the authorization request carried.
    match (&code.challenge, verifier) {
        (Some(_), None) => {
            return Err(OAuthError::invalid_request(
                "The code_verifier is required: the authorization request had a code_challenge.",
            ));
        }
        (Some(_), Some(verifier)) if !is_verifier(verifier) => {
            return Err(OAuthError::invalid_request(
                "The code_verifier must be 43 to 128 unreserved characters.",
            ));
        }
        (Some(challenge), Some(verifier)) if sha256::pkce_challenge(verifier) != *challenge => {
            return Err(OAuthError::invalid_grant("PKCE verification failed."));
        }
        (None, Some(_)) => {
            return Err(OAuthError::invalid_grant(
                "A code_verifier was sent but the authorization request had no code_challenge.",
            ));
        }
        _ => {}
    }

    let nonce = code.nonce.as_deref();
    Ok(issue(
        store,
        &client.client_id,
        &code.scopes,
        nonce,
        RefreshPlan::Fresh,
        GrantKind::Code,
    ))
}

/// Uses a refresh token: rotating clients get a new one (the old one and every earlier one
/// stop working), long-lived clients get the same one back.
pub fn refresh(
    store: &mut OAuthStore,
    client: &OAuthClient,
    params: &Params,
) -> Result<Granted, OAuthError> {
    let value = params.require("refresh_token")?;
    let invalid = || OAuthError::invalid_grant("The refresh token is invalid or expired.");
    let index = store.refresh_position(value).ok_or_else(invalid)?;
    let record = store.refresh_record(index).clone();
    if record.client_id != client.client_id {
        return Err(invalid());
    }

    // A rotated-out token coming back means it leaked or two refreshes raced: like the real
    // service, end the whole family.
    if !record.active {
        if store.family_active(record.family) {
            store.revoke_family(record.family);
        }
        return Err(invalid());
    }
    if record.last_used.elapsed() >= store.settings.refresh_token_idle_lifetime {
        store.refresh_record(index).active = false;
        return Err(invalid());
    }

    // An optional `scope` narrows the new access token, never widens it.
    let requested = params.scopes();
    if let Some(extra) = requested.iter().find(|s| !record.scopes.contains(s)) {
        return Err(OAuthError::invalid_scope(format!(
            "The scope \"{extra}\" was not granted to this refresh token."
        )));
    }
    let scopes = if requested.is_empty() {
        record.scopes.clone()
    } else {
        requested
    };

    let plan = match client.refresh_mode {
        RefreshMode::Rotating => {
            store.refresh_record(index).active = false;
            RefreshPlan::Rotate {
                family: record.family,
                scopes: record.scopes.clone(),
            }
        }
        RefreshMode::LongLived => {
            store.refresh_record(index).last_used = Instant::now();
            RefreshPlan::Same(value.to_string())
        }
    };
    Ok(issue(
        store,
        &client.client_id,
        &scopes,
        None,
        plan,
        GrantKind::Refresh,
    ))
}

/// Mints the tokens of a successful grant and builds the answer.
pub fn issue(
    store: &mut OAuthStore,
    client_id: &str,
    scopes: &[String],
    nonce: Option<&str>,
    plan: RefreshPlan,
    kind: GrantKind,
) -> Granted {
    let minted = store.mint_access(client_id, scopes, nonce);
    let mut body = Map::new();
    body.insert("access_token".into(), json!(minted.access_token));
    body.insert("token_type".into(), json!("Bearer"));
    body.insert("expires_in".into(), json!(minted.expires_in));
    body.insert("scope".into(), json!(scopes.join(" ")));

    let refresh = match plan {
        RefreshPlan::Fresh if scopes.iter().any(|s| s == "offline_access") => {
            Some(store.mint_refresh(client_id, scopes, None))
        }
        RefreshPlan::Fresh => None,
        RefreshPlan::Rotate { family, scopes } => {
            Some(store.mint_refresh(client_id, &scopes, Some(family)))
        }
        RefreshPlan::Same(value) => {
            let reference = store.token_ref(&value);
            Some((value, reference))
        }
    };
    let refresh = refresh.map(|(value, reference)| {
        body.insert("refresh_token".into(), json!(value));
        reference
    });
    if let Some(id_token) = minted.id_token {
        body.insert("id_token".into(), json!(id_token));
    }
    Granted {
        body,
        refresh,
        kind,
    }
}

/// Whether `text` is a well-formed PKCE verifier (RFC 7636 section 4.1).
fn is_verifier(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}
