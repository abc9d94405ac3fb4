//! Refusals of the authorization server: OAuth2 JSON bodies `{error, error_description}` for
//! the token and device endpoints, and plain pages for `/authorize` requests that cannot be
//! redirected.

use serde_json::json;

use crate::http::response::Response;

/// An OAuth2 error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: u16,
    /// The OAuth2 `error` code, e.g. `invalid_grant`.
    pub code: &'static str,
    pub description: String,
}

impl OAuthError {
    fn new(status: u16, code: &'static str, description: impl Into<String>) -> OAuthError {
        OAuthError {
            status,
            code,
            description: description.into(),
        }
    }

    /// 400 `invalid_request`: a parameter is missing, repeated or malformed.
    pub fn invalid_request(description: impl Into<String>) -> OAuthError {
        OAuthError::new(400, "invalid_request", description)
    }

    /// 401 `invalid_client`: unknown client or failed client authentication.
    pub fn invalid_client(description: impl Into<String>) -> OAuthError {
        OAuthError::new(401, "invalid_client", description)
    }

    /// 400 `invalid_grant`: the code, refresh token or device code is not usable.
    pub fn invalid_grant(description: impl Into<String>) -> OAuthError {
        OAuthError::new(400, "invalid_grant", description)
    }

    /// 400 `invalid_scope`.
    pub fn invalid_scope(description: impl Into<String>) -> OAuthError {
        OAuthError::new(400, "invalid_scope", description)
    }

    /// 400 `unsupported_grant_type`.
    pub fn unsupported_grant_type(grant: &str) -> OAuthError {
        OAuthError::new(
            400,
            "unsupported_grant_type",
            format!("The grant type \"{grant}\" is not supported."),
        )
    }

    /// 400 `unauthorized_client`: a known grant type this kind of application may not use.
    pub fn unauthorized_client(grant: &str) -> OAuthError {
        OAuthError::new(
            400,
            "unauthorized_client",
            format!("The client is not authorized to use the grant type \"{grant}\"."),
        )
    }

    /// 400 with one of the device-flow polling codes (`authorization_pending`, `slow_down`,
    /// `expired_token`, `access_denied`).
    pub fn device(code: &'static str, description: impl Into<String>) -> OAuthError {
        OAuthError::new(400, code, description)
    }

    /// 429 `rate_limited`.
    pub fn rate_limited() -> OAuthError {
        OAuthError::new(
            429,
            "rate_limited",
            "Too many token requests for this client; retry in a second.",
        )
    }

    /// 405 for a method an endpoint does not serve.
    pub fn method_not_allowed(method: &str, path: &str) -> OAuthError {
        OAuthError::new(
            405,
            "invalid_request",
            format!("The method {method} is not allowed on {path}."),
        )
    }

    /// 404 for a path under the authorization server that does not exist.
    pub fn not_found(path: &str) -> OAuthError {
        OAuthError::new(404, "not_found", format!("No resource at {path}."))
    }

    /// The JSON response, marked as not cacheable; 401 adds a `WWW-Authenticate` challenge.
    pub fn into_response(self) -> Response {
        let body = json!({"error": self.code, "error_description": self.description});
        let mut response = Response::json(self.status, &body);
        response.headers = no_store_headers();
        if self.status == 401 {
            response.headers.push((
                "WWW-Authenticate".into(),
                "Basic realm=\"cc-emulator\"".into(),
            ));
        }
        response
    }
}

/// The headers every token response carries.
pub fn no_store_headers() -> Vec<(String, String)> {
    vec![
        ("Cache-Control".into(), "no-store".into()),
        ("Pragma".into(), "no-cache".into()),
    ]
}

/// A small HTML page with a status, for browser-facing endpoints.
pub fn page(status: u16, title: &str, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><title>{}</title></head><body><h1>{}</h1><p>{}</p></body></html>",
        escape_html(title),
        escape_html(title),
        escape_html(message)
    );
    Response {
        status,
        content_type: Some("text/html; charset=utf-8".into()),
        headers: Vec::new(),
        body: body.into_bytes(),
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_follow_oauth2() {
        let response = OAuthError::invalid_grant("gone").into_response();
        assert_eq!(response.status, 400);
        let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(
            body,
            json!({"error": "invalid_grant", "error_description": "gone"})
        );
        assert!(
            response
                .headers
                .iter()
                .any(|(n, v)| n == "Cache-Control" && v == "no-store")
        );
        let client = OAuthError::invalid_client("who").into_response();
        assert!(client.headers.iter().any(|(n, _)| n == "WWW-Authenticate"));
    }

    #[test]
    fn pages_escape_their_text() {
        let response = page(400, "Bad", "<script>");
        let text = String::from_utf8(response.body).unwrap();
        assert!(text.contains("&lt;script&gt;") && !text.contains("<script>"));
    }
}
