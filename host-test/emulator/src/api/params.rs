//! Query parameter and request body readers shared by the handlers; each refusal is the 400
//! (or 415) the API would send.

use serde_json::Value;

use crate::api::error::ApiError;
use crate::clock;
use crate::config::LimitPolicy;
use crate::http::query::Query;
use crate::http::request::Request;

/// A decoded parameter value.
pub fn text(query: &Query, name: &str) -> Result<Option<String>, ApiError> {
    query
        .get(name)
        .map_err(|n| ApiError::validation(format!("{n} does not have a valid value")))
}

/// `limit`: an integer in `1..=max`, `default` when absent. Out-of-range values are refused
/// or clamped per the policy.
pub fn limit(
    query: &Query,
    default: usize,
    max: usize,
    policy: LimitPolicy,
) -> Result<usize, ApiError> {
    let Some(raw) = text(query, "limit")? else {
        return Ok(default);
    };
    let invalid = || {
        ApiError::validation(format!(
            "limit does not have a valid value; it must be between 1 and {max}"
        ))
    };
    let value: i64 = raw.trim().parse().map_err(|_| invalid())?;
    if (1..=max as i64).contains(&value) {
        return Ok(value as usize);
    }
    match policy {
        LimitPolicy::Reject400 => Err(invalid()),
        LimitPolicy::Clamp => Ok(value.clamp(1, max as i64) as usize),
    }
}

/// A boolean parameter (`true` or `false`); false when absent.
pub fn boolean(query: &Query, name: &str) -> Result<bool, ApiError> {
    match text(query, name)?.as_deref() {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(ApiError::validation(format!(
            "{name} does not have a valid value"
        ))),
    }
}

/// A comma-separated parameter, split and trimmed; empty items are refused.
pub fn csv(query: &Query, name: &str) -> Result<Option<Vec<String>>, ApiError> {
    let Some(raw) = text(query, name)? else {
        return Ok(None);
    };
    let items: Vec<String> = raw.split(',').map(|s| s.trim().to_string()).collect();
    if items.iter().any(String::is_empty) {
        return Err(ApiError::validation(format!(
            "{name} does not have a valid value"
        )));
    }
    Ok(Some(items))
}

/// An ISO-8601 date-time parameter, in milliseconds since the epoch.
pub fn instant(query: &Query, name: &str) -> Result<Option<i64>, ApiError> {
    let Some(raw) = text(query, name)? else {
        return Ok(None);
    };
    clock::parse_iso8601_millis(raw.trim())
        .map(Some)
        .ok_or_else(|| {
            ApiError::validation(format!(
                "{name} does not have a valid value; it must be an ISO-8601 date-time"
            ))
        })
}

/// The JSON body of a POST or PUT: 415 unless declared `application/json`, 400 unless it
/// parses.
pub fn json_body(request: &Request) -> Result<Value, ApiError> {
    let declared = request.header("content-type").map(|v| {
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if declared.as_deref() != Some("application/json") {
        return Err(ApiError::unsupported_media_type());
    }
    serde_json::from_slice(&request.body).map_err(|e| {
        ApiError::array(
            400,
            "contacts.api.bad_request",
            format!("The request body is not valid JSON: {e}"),
        )
    })
}
