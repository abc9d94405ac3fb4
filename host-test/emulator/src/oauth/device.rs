//! The device flow (RFC 8628): `POST /device/authorize` hands out a device code and a user
//! code, the user approves on the verification page (or a test approves directly), and the
//! device polls the token endpoint until it gets tokens.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::http::request::Request;
use crate::http::response::Response;
use crate::oauth::client_auth::Presented;
use crate::oauth::error::{OAuthError, no_store_headers, page};
use crate::oauth::form::{Params, append_query};
use crate::oauth::grants::{self, GrantKind, Granted, RefreshPlan};
use crate::oauth::settings::OAuthClient;
use crate::oauth::store::{DeviceStatus, OAuthStore};

/// The path of the verification page, under the emulator's origin.
pub const VERIFICATION_PATH: &str = "/activate";

/// Answers a device authorization request.
pub fn authorize(store: &mut OAuthStore, request: &Request) -> Response {
    match start(store, request) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn start(store: &mut OAuthStore, request: &Request) -> Result<Response, OAuthError> {
    let params = Params::read(request)?;
    let client = Presented::read(request, &params).verify(store)?;
    let scopes = params.scopes();
    if scopes.is_empty() {
        return Err(OAuthError::invalid_scope(
            "The scope parameter is required.",
        ));
    }
    if let Some(scope) = scopes.iter().find(|s| !client.allows(s)) {
        return Err(OAuthError::invalid_scope(format!(
            "The scope \"{scope}\" is not allowed for this client."
        )));
    }

    let (device_code, user_code) = store.add_device(&client.client_id, scopes);
    let verification_uri = format!("{}{VERIFICATION_PATH}", store.origin);
    let complete = append_query(&verification_uri, &[("user_code", &user_code)]);
    let body = json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": verification_uri,
        "verification_uri_complete": complete,
        "expires_in": store.settings.device_code_lifetime.as_secs(),
        "interval": store.settings.device_poll_interval_secs,
    });
    let mut response = Response::json(200, &body);
    response.headers = no_store_headers();
    Ok(response)
}

/// The device-code grant: one poll of the token endpoint.
pub fn poll(
    store: &mut OAuthStore,
    client: &OAuthClient,
    params: &Params,
) -> Result<Granted, OAuthError> {
    let value = params.require("device_code")?;
    let auto_approve = store.settings.device_auto_approve_after_polls;
    let slow_down_secs = store.settings.device_slow_down_secs;
    let device = store
        .device_by_code(value)
        .filter(|d| d.client_id == client.client_id)
        .ok_or_else(|| OAuthError::invalid_grant("The device code is invalid."))?;
    if device.status == DeviceStatus::Used {
        return Err(OAuthError::invalid_grant(
            "The device code was already exchanged for tokens.",
        ));
    }
    let now = Instant::now();
    if now >= device.expires_at {
        return Err(OAuthError::device(
            "expired_token",
            "The device code has expired.",
        ));
    }

    // Polling faster than the interval is refused, and the interval grows.
    let too_soon = device
        .last_poll
        .is_some_and(|last| now.duration_since(last) < Duration::from_secs(device.interval_secs));
    device.last_poll = Some(now);
    if too_soon {
        device.interval_secs += slow_down_secs;
        return Err(OAuthError::device(
            "slow_down",
            format!(
                "Polling too fast; wait {} seconds between requests.",
                device.interval_secs
            ),
        ));
    }
    device.polls += 1;
    if device.status == DeviceStatus::Pending && auto_approve.is_some_and(|n| device.polls >= n) {
        device.status = DeviceStatus::Approved;
    }

    match device.status {
        DeviceStatus::Pending => Err(OAuthError::device(
            "authorization_pending",
            "The user has not yet approved the device.",
        )),
        DeviceStatus::Denied => Err(OAuthError::device(
            "access_denied",
            "The user denied the device.",
        )),
        DeviceStatus::Approved | DeviceStatus::Used => {
            device.status = DeviceStatus::Used;
            let scopes = device.scopes.clone();
            Ok(grants::issue(
                store,
                &client.client_id,
                &scopes,
                None,
                RefreshPlan::Fresh,
                GrantKind::Device,
            ))
        }
    }
}

/// Records the user's answer for a pending, unexpired device authorization; false when the
/// user code names none.
pub fn decide(store: &mut OAuthStore, user_code: &str, approve: bool) -> bool {
    match store.device_by_user_code(user_code) {
        Some(device)
            if device.status == DeviceStatus::Pending && Instant::now() < device.expires_at =>
        {
            device.status = if approve {
                DeviceStatus::Approved
            } else {
                DeviceStatus::Denied
            };
            true
        }
        _ => false,
    }
}

/// `GET /activate?user_code=...`: the emulated user approves the device.
pub fn verification_page(store: &mut OAuthStore, request: &Request) -> Response {
    let user_code = Params::from_query(request.query.as_deref())
        .ok()
        .and_then(|p| p.get("user_code").map(str::to_string));
    let Some(user_code) = user_code else {
        return page(
            400,
            "Device activation",
            "The user_code parameter is required.",
        );
    };
    if decide(store, &user_code, true) {
        page(200, "Device activated", "You can return to your device.")
    } else {
        let message = format!("The code \"{user_code}\" is unknown, used or expired.");
        page(400, "Device activation", &message)
    }
}
