//! The token endpoint's refresh-token grant: the form-encoded request, and its answer read
//! into new credentials or into a typed error that says what the user must do.

use serde::Deserialize;

use super::base64;
use crate::config::Config;
use crate::errors::{bad_response, invalid_config};
use crate::http::{Method, Request, Response};
use crate::secret::Secret;
use crate::url::encode;
use crate::wit::{ApiFailure, Error};

/// What a successful refresh returned.
#[derive(Debug)]
pub struct Grant {
    pub access_token: Secret,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<Secret>,
    pub scope: Option<String>,
}

/// How the token endpoint answered.
#[derive(Debug)]
pub enum Answer {
    Granted(Grant),
    /// 429: too many token requests; wait this long (seconds, when the server said).
    Throttled(Option<u64>),
    Refused(Error),
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<String>,
    error_description: Option<String>,
}

/// `POST {auth-base-url}/token` with the refresh-token grant. Confidential clients
/// authenticate with HTTP Basic; public ones name themselves with `client_id`.
pub fn request(config: &Config, refresh_token: &Secret) -> Result<Request, Error> {
    let Some(client_id) = config.client_id.as_deref().filter(|id| !id.is_empty()) else {
        return Err(invalid_config(
            "failed to renew the access token: client_id is not set; give the application's \
             API key as client_id so the connection can renew itself",
        ));
    };

    let mut form = format!(
        "grant_type=refresh_token&refresh_token={}",
        encode(refresh_token.expose())
    );
    let mut headers = vec![
        (
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ),
        ("accept".to_owned(), "application/json".to_owned()),
    ];
    match &config.client_secret {
        Some(secret) => {
            let pair = format!("{client_id}:{}", secret.expose());
            headers.push((
                "authorization".to_owned(),
                format!("Basic {}", base64::encode(pair.as_bytes())),
            ));
        }
        None => form.push_str(&format!("&client_id={}", encode(client_id))),
    }
    let body = form.into_bytes();
    headers.push(("content-length".to_owned(), body.len().to_string()));

    Ok(Request {
        method: Method::Post,
        target: config.auth_base.join("/token"),
        headers,
        body: Some(body),
    })
}

/// Reads the token endpoint's answer.
pub fn read(response: &Response) -> Answer {
    let status = response.status;
    if status == 429 {
        let wait = response
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
            .and_then(|(_, value)| value.trim().parse::<u64>().ok());
        return Answer::Throttled(wait);
    }
    if (200..300).contains(&status) {
        return granted(response);
    }
    Answer::Refused(refused(status, &response.body))
}

fn granted(response: &Response) -> Answer {
    let status = response.status;
    let body: TokenBody = match serde_json::from_slice(&response.body) {
        Ok(body) => body,
        Err(_) => {
            return Answer::Refused(bad_response(
                status,
                format!(
                    "failed to renew the access token: the token endpoint answered {status} \
                     with a body that is not a token response"
                ),
            ));
        }
    };
    let Some(access_token) = body.access_token.filter(|t| !t.trim().is_empty()) else {
        return Answer::Refused(bad_response(
            status,
            "failed to renew the access token: the token endpoint's answer has no access_token"
                .to_owned(),
        ));
    };
    if let Some(kind) = body.token_type.as_deref()
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Answer::Refused(bad_response(
            status,
            format!(
                "failed to renew the access token: the token endpoint issued a \"{kind}\" \
                 token, not a bearer token"
            ),
        ));
    }
    Answer::Granted(Grant {
        access_token: Secret::new(access_token),
        expires_in: body.expires_in,
        refresh_token: body
            .refresh_token
            .filter(|t| !t.trim().is_empty())
            .map(Secret::new),
        scope: body.scope,
    })
}

/// Maps an OAuth2 error answer to the error case that says what must be done.
fn refused(status: u16, body: &[u8]) -> Error {
    let said: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let code = said.as_ref().and_then(|s| s.error.clone());
    let description = said.and_then(|s| s.error_description);
    let what = match (&code, &description) {
        (Some(code), Some(text)) => format!("{code}: \"{text}\""),
        (Some(code), None) => code.clone(),
        (None, _) => format!("HTTP {status}"),
    };

    match code.as_deref() {
        Some("invalid_grant") => Error::ReauthorizationRequired(format!(
            "failed to renew the access token: the authorization server refused the refresh \
             token ({what}); it expired, was revoked or was already used, so a person must \
             authorize the connection again"
        )),
        Some("invalid_client") => invalid_config(&format!(
            "failed to renew the access token: the authorization server did not accept the \
             client credentials ({what}); check client_id and client_secret"
        )),
        Some("unauthorized_client") => invalid_config(&format!(
            "failed to renew the access token: the application may not use refresh tokens \
             ({what}); enable the refresh token grant for it in the developer portal"
        )),
        Some(_) if (400..500).contains(&status) => invalid_config(&format!(
            "failed to renew the access token: the authorization server refused the request \
             ({what}); check auth_base_url, client_id and client_secret"
        )),
        _ if status == 404 || status == 405 => invalid_config(&format!(
            "failed to renew the access token: the token endpoint answered {status}, so \
             auth_base_url looks wrong; the usual one is \
             \"https://authz.constantcontact.com/oauth2/default/v1\""
        )),
        _ if (500..600).contains(&status) => Error::ServerError(ApiFailure {
            status,
            error_key: code.clone(),
            message: format!(
                "failed to renew the access token: the authorization server failed ({what})"
            ),
        }),
        _ => bad_response(
            status,
            format!(
                "failed to renew the access token: the token endpoint answered {status} \
                 ({what})"
            ),
        ),
    }
}

#[cfg(test)]
mod tests;
