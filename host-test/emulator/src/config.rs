//! Configuration of an emulator: the bind address, the bearer tokens it accepts, the
//! switches for API behaviour that the official sources leave unsettled, and the OAuth2
//! clients and settings of its authorization server.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use crate::oauth::settings::{OAuthClient, OAuthSettings};

/// Every OAuth2 scope the v3 API defines for ordinary applications.
pub const ALL_SCOPES: [&str; 6] = [
    "account_read",
    "account_update",
    "contact_data",
    "campaign_data",
    "billing_data",
    "offline_access",
];

/// The token the default configuration accepts.
pub const DEFAULT_TOKEN: &str = "emulator-token";

/// How an emulator starts.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Where to listen; the default `127.0.0.1:0` picks a free loopback port.
    pub bind: SocketAddr,
    /// The bearer tokens the API accepts, each with its scopes.
    pub tokens: Vec<TokenGrant>,
    /// Settings for API behaviour that no official source confirms.
    pub behaviour: Behaviour,
    /// The applications the authorization server knows; by default
    /// [`OAuthClient::defaults`].
    pub oauth_clients: Vec<OAuthClient>,
    /// Lifetimes, limits and switches of the authorization server.
    pub oauth: OAuthSettings,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            bind: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
            tokens: vec![TokenGrant::all_scopes(DEFAULT_TOKEN)],
            behaviour: Behaviour::default(),
            oauth_clients: OAuthClient::defaults(),
            oauth: OAuthSettings::default(),
        }
    }
}

/// A bearer token the emulator accepts and the scopes it carries.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenGrant {
    /// The exact `Authorization: Bearer` value.
    pub token: String,
    /// Scope names, e.g. `contact_data`, `account_read`.
    pub scopes: Vec<String>,
}

impl TokenGrant {
    /// A grant with the given scopes.
    pub fn new(token: &str, scopes: &[&str]) -> TokenGrant {
        TokenGrant {
            token: token.to_string(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A grant with every scope in [`ALL_SCOPES`].
    pub fn all_scopes(token: &str) -> TokenGrant {
        TokenGrant::new(token, &ALL_SCOPES)
    }

    /// Whether the grant carries `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

impl std::fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenGrant")
            .field("token", &"<redacted>")
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// What `limit` values outside the documented range do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LimitPolicy {
    /// Answer 400 `contacts.api.validation.error`.
    #[default]
    Reject400,
    /// Use the nearest value inside the range.
    Clamp,
}

/// What `DELETE /contacts/{id}` answers for a contact that is already deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeletedDeletePolicy {
    /// 204, as for a live contact.
    #[default]
    NoContent,
    /// 404 `contacts.api.not_found`.
    NotFound,
}

/// Request rate limits per configured token or per OAuth2 client, answered with the API's two
/// 429 bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in any one-second window (`throttled` beyond it).
    pub per_second: u32,
    /// Requests allowed per UTC day (`quota_exceeded` beyond it).
    pub per_day: u32,
}

impl Default for RateLimit {
    /// The published limits: 4 per second, 10,000 per day.
    fn default() -> Self {
        RateLimit {
            per_second: 4,
            per_day: 10_000,
        }
    }
}

/// Settings for API behaviour the official sources leave unsettled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behaviour {
    /// Store email addresses lower-cased. Lookups and uniqueness are case-insensitive
    /// either way. Default true.
    pub lowercase_emails_on_store: bool,
    /// What an out-of-range `limit` does. Default [`LimitPolicy::Reject400`].
    pub limit_out_of_range: LimitPolicy,
    /// What deleting a deleted contact answers. Default [`DeletedDeletePolicy::NoContent`].
    pub delete_of_deleted: DeletedDeletePolicy,
    /// Whether the 201 body of `POST /contacts` carries the subresources. Default false.
    pub post_returns_subresources: bool,
    /// `permission_to_send` given to a posted contact that names none. Default `implicit`.
    pub default_permission_on_post: String,
    /// Whether the account uses confirmed opt-in (sign-up forms then make contacts
    /// `pending_confirmation`). Default false.
    pub confirmed_opt_in: bool,
    /// Request rate limits; `None` (the default) enforces none.
    pub rate_limit: Option<RateLimit>,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            lowercase_emails_on_store: true,
            limit_out_of_range: LimitPolicy::Reject400,
            delete_of_deleted: DeletedDeletePolicy::NoContent,
            post_returns_subresources: false,
            default_permission_on_post: "implicit".to_string(),
            confirmed_opt_in: false,
            rate_limit: None,
        }
    }
}
