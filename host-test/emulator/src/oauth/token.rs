//! `POST /token`: the per-client rate limit, client authentication, the grant dispatch and
//! the record every request leaves for tests.

use serde_json::Value;

use crate::http::request::Request;
use crate::http::response::Response;
use crate::oauth::client_auth::Presented;
use crate::oauth::device;
use crate::oauth::error::{OAuthError, no_store_headers};
use crate::oauth::form::Params;
use crate::oauth::grants::{self, GrantKind, Granted};
use crate::oauth::records::TokenRequestRecord;
use crate::oauth::store::OAuthStore;

/// The device-flow grant type.
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Grant types the real service knows but does not let an ordinary application use.
const REFUSED_GRANTS: [&str; 4] = [
    "client_credentials",
    "password",
    "implicit",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
];

/// Answers a token request and records it.
pub fn token(store: &mut OAuthStore, request: &Request) -> Response {
    let (params, unreadable) = match Params::read(request) {
        Ok(params) => (params, None),
        Err(error) => (Params::default(), Some(error)),
    };
    let presented = Presented::read(request, &params);
    let mut record = TokenRequestRecord {
        grant_type: params.get("grant_type").map(str::to_string),
        client_id: presented.client_id.clone(),
        client_auth: presented.method,
        parameters_in_query: params.any_in_query(),
        presented_refresh_token: params.get("refresh_token").map(|t| store.token_ref(t)),
        issued_refresh_token: None,
        status: 0,
        error: None,
    };

    // The rate limit counts every request a client makes, good or bad.
    let client_key = presented.client_id.clone().unwrap_or_default();
    let outcome = if !store.admit(&client_key) {
        Err(OAuthError::rate_limited())
    } else if let Some(error) = unreadable {
        Err(error)
    } else {
        grant(store, &params, &presented)
    };

    let response = match outcome {
        Ok(granted) => {
            record.status = 200;
            record.issued_refresh_token = granted.refresh.clone();
            let counters = &mut store.counters;
            match granted.kind {
                GrantKind::Code => counters.code_exchanges += 1,
                GrantKind::Refresh => counters.refreshes += 1,
                GrantKind::Device => counters.device_grants += 1,
            }
            let mut response = Response::json(200, &Value::Object(granted.body));
            response.headers = no_store_headers();
            response
        }
        Err(error) => {
            record.status = error.status;
            record.error = Some(error.code.to_string());
            if error.status == 429 {
                store.counters.rate_limited += 1;
            } else {
                store.counters.refused += 1;
            }
            error.into_response()
        }
    };
    store.records.push(record);
    response
}

fn grant(
    store: &mut OAuthStore,
    params: &Params,
    presented: &Presented,
) -> Result<Granted, OAuthError> {
    let client = presented.verify(store)?;
    let grant_type = params.require("grant_type")?;
    match grant_type {
        "authorization_code" => grants::authorization_code(store, &client, params),
        "refresh_token" => grants::refresh(store, &client, params),
        DEVICE_GRANT => device::poll(store, &client, params),
        refused if REFUSED_GRANTS.contains(&refused) => {
            Err(OAuthError::unauthorized_client(refused))
        }
        other => Err(OAuthError::unsupported_grant_type(other)),
    }
}
