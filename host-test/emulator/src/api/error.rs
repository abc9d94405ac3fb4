//! API refusals and their bodies: arrays of `{error_key, error_message}` for ordinary errors,
//! a single object for authentication, authorisation and rate-limit errors.

use serde_json::{Value, json};

use crate::http::response::Response;

/// `error_key` of 400 validation errors.
pub const VALIDATION: &str = "contacts.api.validation.error";
/// `error_key` of 404 errors.
pub const NOT_FOUND: &str = "contacts.api.not_found";
/// `error_key` of 409 errors.
pub const CONFLICT: &str = "contacts.api.conflict";

/// A refusal: an HTTP status and the body the API sends with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: Value,
}

impl ApiError {
    /// An array body with one entry.
    pub fn array(status: u16, key: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: json!([{"error_key": key, "error_message": message.into()}]),
        }
    }

    /// An object body.
    pub fn object(status: u16, key: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: json!({"error_key": key, "error_message": message.into()}),
        }
    }

    /// 400 with one validation message.
    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::array(400, VALIDATION, message)
    }

    /// 400 with several validation messages, one array entry each.
    pub fn validations(messages: &[String]) -> ApiError {
        let entries = messages
            .iter()
            .map(|m| json!({"error_key": VALIDATION, "error_message": m}))
            .collect();
        ApiError {
            status: 400,
            body: Value::Array(entries),
        }
    }

    /// 404 `contacts.api.not_found`.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::array(404, NOT_FOUND, message)
    }

    /// 409 for an email address another contact holds.
    pub fn email_conflict(existing_id: &str) -> ApiError {
        ApiError::array(
            409,
            CONFLICT,
            format!("Validation failed: Email already exists for contact {existing_id}."),
        )
    }

    /// 401 with the object body the API sends for a bad token.
    pub fn unauthorized() -> ApiError {
        ApiError::object(401, "unauthorized", "Unauthorized")
    }

    /// 403 for a token lacking a scope.
    pub fn forbidden(scope: &str) -> ApiError {
        ApiError::object(
            403,
            "forbidden",
            format!("Forbidden: this request requires the {scope} scope"),
        )
    }

    /// 415 for a body that is not declared as JSON.
    pub fn unsupported_media_type() -> ApiError {
        ApiError::array(
            415,
            "unsupported_media_type",
            "Unsupported Media Type; the payload must be in JSON format, and Content-Type must be application/json",
        )
    }

    /// 405 for a known path with a method it does not serve.
    pub fn method_not_allowed(method: &str, path: &str) -> ApiError {
        ApiError::array(
            405,
            "method_not_allowed",
            format!("method {method} is not allowed on {path}"),
        )
    }

    /// 404 for a path the API does not have.
    pub fn unknown_path(path: &str) -> ApiError {
        ApiError::array(404, "not_found", format!("no resource at {path}"))
    }

    /// The response carrying this error.
    pub fn into_response(self) -> Response {
        Response::json(self.status, &self.body)
    }
}
