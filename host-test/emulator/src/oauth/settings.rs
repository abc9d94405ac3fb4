//! Configuration of the emulated authorization server: the registered OAuth2 clients and the
//! lifetimes, limits and switches of its endpoints.

use std::time::Duration;

use crate::config::ALL_SCOPES;

/// The client id of the confidential client the default configuration registers.
pub const DEFAULT_CLIENT_ID: &str = "emulator-client";
/// The secret of [`DEFAULT_CLIENT_ID`].
pub const DEFAULT_CLIENT_SECRET: &str = "emulator-secret";
/// The client id of the public (PKCE and device flow) client the default configuration
/// registers.
pub const DEFAULT_PUBLIC_CLIENT_ID: &str = "emulator-public-client";
/// The redirect URI both default clients accept.
pub const DEFAULT_REDIRECT_URI: &str = "http://127.0.0.1/callback";

/// What a refresh returns, chosen per application in the developer portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshMode {
    /// Each refresh returns a new refresh token and invalidates every earlier one.
    #[default]
    Rotating,
    /// Each refresh returns the refresh token that was presented.
    LongLived,
}

/// An application registered with the authorization server.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthClient {
    /// The portal's "API key".
    pub client_id: String,
    /// `Some` for a confidential client, which authenticates with HTTP Basic (or a
    /// `client_secret` parameter); `None` for a public client, which must use PKCE.
    pub client_secret: Option<String>,
    /// The redirect URIs `/authorize` accepts, compared exactly.
    pub redirect_uris: Vec<String>,
    pub refresh_mode: RefreshMode,
    /// The scopes the client may request.
    pub allowed_scopes: Vec<String>,
}

impl OAuthClient {
    /// A confidential client with rotating refresh tokens and every scope (plus `openid`).
    pub fn confidential(client_id: &str, secret: &str, redirect_uris: &[&str]) -> OAuthClient {
        OAuthClient {
            client_secret: Some(secret.to_string()),
            ..OAuthClient::public(client_id, redirect_uris)
        }
    }

    /// A public client with rotating refresh tokens and every scope (plus `openid`).
    pub fn public(client_id: &str, redirect_uris: &[&str]) -> OAuthClient {
        let mut allowed_scopes: Vec<String> = ALL_SCOPES.iter().map(|s| s.to_string()).collect();
        allowed_scopes.push("openid".to_string());
        OAuthClient {
            client_id: client_id.to_string(),
            client_secret: None,
            redirect_uris: redirect_uris.iter().map(|u| u.to_string()).collect(),
            refresh_mode: RefreshMode::Rotating,
            allowed_scopes,
        }
    }

    /// The same client with another refresh mode.
    pub fn with_refresh_mode(mut self, mode: RefreshMode) -> OAuthClient {
        self.refresh_mode = mode;
        self
    }

    /// The same client limited to these scopes.
    pub fn with_scopes(mut self, scopes: &[&str]) -> OAuthClient {
        self.allowed_scopes = scopes.iter().map(|s| s.to_string()).collect();
        self
    }

    /// The clients the default configuration registers: [`DEFAULT_CLIENT_ID`] (confidential)
    /// and [`DEFAULT_PUBLIC_CLIENT_ID`], both accepting [`DEFAULT_REDIRECT_URI`].
    pub fn defaults() -> Vec<OAuthClient> {
        vec![
            OAuthClient::confidential(
                DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET,
                &[DEFAULT_REDIRECT_URI],
            ),
            OAuthClient::public(DEFAULT_PUBLIC_CLIENT_ID, &[DEFAULT_REDIRECT_URI]),
        ]
    }

    /// Whether the client may request `scope`.
    pub fn allows(&self, scope: &str) -> bool {
        self.allowed_scopes.iter().any(|s| s == scope)
    }
}

impl std::fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = self.client_secret.as_ref().map(|_| "<redacted>");
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &secret)
            .field("redirect_uris", &self.redirect_uris)
            .field("refresh_mode", &self.refresh_mode)
            .field("allowed_scopes", &self.allowed_scopes)
            .finish()
    }
}

/// Lifetimes, limits and switches of the authorization server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthSettings {
    /// How long an issued access token is accepted by the API. Default 24 hours (tests
    /// shorten it, e.g. to 2 seconds).
    pub access_token_lifetime: Duration,
    /// How long an authorization code can be exchanged. Default 5 minutes.
    pub authorization_code_lifetime: Duration,
    /// A refresh token not used for this long stops working. Default 180 days.
    pub refresh_token_idle_lifetime: Duration,
    /// Token-endpoint requests allowed per client in any one-second window (429
    /// `rate_limited` beyond it); `None` enforces none. Default `Some(1)`.
    pub token_rate_limit: Option<u32>,
    /// How long a device code stays usable. Default 10 minutes.
    pub device_code_lifetime: Duration,
    /// The polling `interval` handed out with a device code, in seconds; a poll sooner than
    /// this after the previous one answers `slow_down`. Default 5.
    pub device_poll_interval_secs: u64,
    /// Seconds added to a device code's interval after each `slow_down`. Default 5.
    pub device_slow_down_secs: u64,
    /// Approve a device code by itself on its Nth admitted poll (1 = the first poll gets
    /// tokens); `None` (the default) waits for [`crate::Emulator::approve_device`] or the
    /// verification page.
    pub device_auto_approve_after_polls: Option<u32>,
    /// Whether `/authorize` refuses a request without `state`. Default true.
    pub require_state: bool,
    /// Whether the emulated user denies consent at `/authorize` (the redirect then carries
    /// `error=access_denied`). Default false: every request is approved.
    pub deny_authorization: bool,
}

impl Default for OAuthSettings {
    fn default() -> Self {
        OAuthSettings {
            access_token_lifetime: Duration::from_secs(24 * 3600),
            authorization_code_lifetime: Duration::from_secs(300),
            refresh_token_idle_lifetime: Duration::from_secs(180 * 86_400),
            token_rate_limit: Some(1),
            device_code_lifetime: Duration::from_secs(600),
            device_poll_interval_secs: 5,
            device_slow_down_secs: 5,
            device_auto_approve_after_polls: None,
            require_state: true,
            deny_authorization: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let client = OAuthClient::confidential("id-1", "hunter2", &["http://127.0.0.1/cb"]);
        let shown = format!("{client:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("<redacted>") && shown.contains("id-1"),
            "{shown}"
        );
        assert!(client.allows("contact_data") && client.allows("openid"));
        assert!(!client.with_scopes(&["account_read"]).allows("contact_data"));
    }
}
