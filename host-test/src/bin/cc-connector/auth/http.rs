//! The CLI's own requests to the authorization server (code exchange, device flow, forced
//! refresh): one form-encoded POST over wasmtime-wasi-http's client, which speaks HTTPS, and
//! the token answer read into credentials or into an error without secrets.

use std::time::Duration;

use anyhow::{Context as _, anyhow};
use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use serde::Deserialize;
use wasmtime_wasi_http::RequestOptions;

const TIMEOUT: Duration = Duration::from_secs(30);

/// Percent-encodes a form value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A form body from name/value pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The application's credentials for the token endpoint.
pub struct Client<'a> {
    pub id: &'a str,
    pub secret: Option<&'a str>,
}

/// Status and body of one answer.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// POSTs `body` (form-encoded) to `url`. A confidential client authenticates with HTTP
/// Basic; a public one adds `client_id` to the form.
pub async fn post_form(url: &str, client: &Client<'_>, body: &str) -> anyhow::Result<Answer> {
    let mut body = body.to_owned();
    let mut builder = http::Request::builder()
        .method("POST")
        .uri(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json");
    match client.secret {
        Some(secret) => {
            let pair = format!("{}:{secret}", client.id);
            let basic = base64::engine::general_purpose::STANDARD.encode(pair);
            builder = builder.header("authorization", format!("Basic {basic}"));
        }
        None => {
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(&form(&[("client_id", client.id)]));
        }
    }
    let request = builder
        .header("content-length", body.len().to_string())
        .body(Full::new(Bytes::from(body)).map_err(|never| match never {}))
        .with_context(|| format!("failed to build the request to \"{url}\""))?;

    let options = RequestOptions {
        connect_timeout: Some(TIMEOUT),
        first_byte_timeout: Some(TIMEOUT),
        between_bytes_timeout: Some(TIMEOUT),
    };
    let (response, io) = wasmtime_wasi_http::default_send_request(request, Some(options))
        .await
        .map_err(|e| anyhow!("failed to send the request to \"{url}\": {e:?}"))?;
    let worker = tokio::spawn(io);
    let status = response.status().as_u16();
    let collected = response
        .into_body()
        .collect()
        .await
        .map_err(|e| anyhow!("failed to read the answer from \"{url}\": {e:?}"));
    worker.abort();
    Ok(Answer {
        status,
        body: collected?.to_bytes().to_vec(),
    })
}

/// A token endpoint's successful answer. No `Debug`: it holds tokens.
#[derive(Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
}

/// An OAuth2 error answer.
#[derive(Deserialize)]
pub struct OAuthError {
    pub error: String,
    pub error_description: Option<String>,
}

impl Answer {
    /// The OAuth2 error code and description, when the body is one.
    pub fn oauth_error(&self) -> Option<OAuthError> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The tokens of a 2xx answer; anything else is an error naming the OAuth2 code.
    pub fn tokens(&self, what: &str) -> anyhow::Result<TokenAnswer> {
        if (200..300).contains(&self.status) {
            return serde_json::from_slice(&self.body).map_err(|_| {
                anyhow!(
                    "failed to {what}: the token endpoint answered {} without a token",
                    self.status
                )
            });
        }
        Err(self.refusal(what))
    }

    /// An error saying what the server refused.
    pub fn refusal(&self, what: &str) -> anyhow::Error {
        match self.oauth_error() {
            Some(e) => anyhow!(
                "failed to {what}: the authorization server answered {} ({}{})",
                self.status,
                e.error,
                e.error_description
                    .map(|d| format!(": \"{d}\""))
                    .unwrap_or_default()
            ),
            None => anyhow!(
                "failed to {what}: the authorization server answered {}",
                self.status
            ),
        }
    }
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
