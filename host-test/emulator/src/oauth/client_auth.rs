//! Client authentication at the token and device endpoints: confidential clients send
//! `Authorization: Basic base64(client_id:client_secret)` (or a `client_secret` parameter),
//! public clients only a `client_id` parameter.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::http::query::decode;
use crate::http::request::Request;
use crate::oauth::error::OAuthError;
use crate::oauth::form::Params;
use crate::oauth::records::ClientAuth;
use crate::oauth::settings::OAuthClient;
use crate::oauth::store::OAuthStore;

/// The credentials a request presents, before they are checked (no `Debug`: it holds the
/// secret).
pub struct Presented {
    pub client_id: Option<String>,
    secret: Option<String>,
    pub method: ClientAuth,
    /// Why the credentials cannot be used at all, if they cannot.
    problem: Option<OAuthError>,
}

impl Presented {
    /// Reads the Basic header and the `client_id` / `client_secret` parameters.
    pub fn read(request: &Request, params: &Params) -> Presented {
        let basic = request.header("authorization").and_then(|value| {
            let (scheme, credentials) = value.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("basic")
                .then(|| credentials.trim().to_string())
        });
        let param_id = params.get("client_id").map(str::to_string);
        let param_secret = params.get("client_secret").map(str::to_string);
        let mut presented = Presented {
            client_id: param_id.clone(),
            secret: param_secret.clone(),
            method: match (&param_id, &param_secret) {
                (_, Some(_)) => ClientAuth::SecretParameter,
                (Some(_), None) => ClientAuth::ClientIdOnly,
                (None, None) => ClientAuth::Missing,
            },
            problem: None,
        };
        let Some(basic) = basic else {
            return presented;
        };

        presented.method = ClientAuth::Basic;
        let Some((id, secret)) = parse_basic(&basic) else {
            presented.problem = Some(OAuthError::invalid_client(
                "The Basic credentials are not base64 of client_id:client_secret.",
            ));
            return presented;
        };
        if param_secret.is_some() {
            presented.problem = Some(OAuthError::invalid_request(
                "The request uses more than one client authentication method.",
            ));
        } else if param_id.as_ref().is_some_and(|p| *p != id) {
            presented.problem = Some(OAuthError::invalid_client(
                "The client_id parameter does not match the Basic credentials.",
            ));
        }
        presented.client_id = Some(id);
        presented.secret = Some(secret);
        presented
    }

    /// The registered client, once its credentials check out.
    pub fn verify(&self, store: &OAuthStore) -> Result<OAuthClient, OAuthError> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let Some(id) = self.client_id.as_deref() else {
            return Err(OAuthError::invalid_client(
                "Client authentication is required: send Basic credentials or client_id.",
            ));
        };
        let Some(client) = store.client(id) else {
            return Err(OAuthError::invalid_client(format!(
                "The client \"{id}\" is not registered."
            )));
        };
        let presented = self.secret.as_deref().filter(|s| !s.is_empty());
        match (&client.client_secret, presented) {
            (Some(expected), Some(given)) if given == expected => Ok(client.clone()),
            (Some(_), Some(_)) => Err(OAuthError::invalid_client(
                "Client authentication failed: the client secret is wrong.",
            )),
            (Some(_), None) => Err(OAuthError::invalid_client(
                "Client authentication failed: this client must send its secret.",
            )),
            (None, Some(_)) => Err(OAuthError::invalid_client(
                "Client authentication failed: a public client has no secret to send.",
            )),
            (None, None) => Ok(client.clone()),
        }
    }
}

/// `client_id:client_secret` from base64, each part form-decoded as RFC 6749 asks.
fn parse_basic(credentials: &str) -> Option<(String, String)> {
    let bytes = STANDARD.decode(credentials).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(':')?;
    let id = decode(id).unwrap_or_else(|| id.to_string());
    let secret = if secret.contains('%') {
        decode(secret).unwrap_or_else(|| secret.to_string())
    } else {
        secret.to_string()
    };
    (!id.is_empty()).then_some((id, secret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request::Version;
    use crate::oauth::settings::OAuthSettings;

    fn request(authorization: Option<&str>, query: &str) -> (Request, Params) {
        let mut headers = Vec::new();
        if let Some(value) = authorization {
            headers.push(("authorization".to_string(), value.to_string()));
        }
        let request = Request {
            method: "POST".into(),
            path: "/oauth2/default/v1/token".into(),
            query: Some(query.to_string()),
            version: Version::Http11,
            headers,
            body: Vec::new(),
        };
        let params = Params::read(&request).unwrap();
        (request, params)
    }

    fn check(authorization: Option<&str>, query: &str) -> Result<String, &'static str> {
        let store = OAuthStore::new(OAuthSettings::default(), OAuthClient::defaults(), 1);
        let (request, params) = request(authorization, query);
        Presented::read(&request, &params)
            .verify(&store)
            .map(|c| c.client_id)
            .map_err(|e| e.code)
    }

    #[test]
    fn confidential_clients_need_their_secret() {
        let good = format!(
            "Basic {}",
            STANDARD.encode("emulator-client:emulator-secret")
        );
        let wrong = format!("Basic {}", STANDARD.encode("emulator-client:nope"));
        assert_eq!(
            check(Some(&good), "grant_type=x").as_deref(),
            Ok("emulator-client")
        );
        assert_eq!(
            check(
                None,
                "client_id=emulator-client&client_secret=emulator-secret"
            )
            .as_deref(),
            Ok("emulator-client")
        );
        assert_eq!(check(Some(&wrong), ""), Err("invalid_client"));
        assert_eq!(
            check(None, "client_id=emulator-client"),
            Err("invalid_client")
        );
        assert_eq!(check(Some("Basic !!!"), ""), Err("invalid_client"));
        assert_eq!(
            check(Some(&good), "client_secret=emulator-secret"),
            Err("invalid_request")
        );
        assert_eq!(check(Some(&good), "client_id=other"), Err("invalid_client"));
    }

    #[test]
    fn public_clients_send_only_their_id() {
        let public = "client_id=emulator-public-client";
        assert_eq!(check(None, public).as_deref(), Ok("emulator-public-client"));
        assert_eq!(
            check(None, &format!("{public}&client_secret=x")),
            Err("invalid_client")
        );
        assert_eq!(check(None, "client_id=unknown"), Err("invalid_client"));
        assert_eq!(check(None, ""), Err("invalid_client"));
    }
}
