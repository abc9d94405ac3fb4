//! What tests read back about token-endpoint traffic: one record per request, naming the
//! refresh tokens by issue order and digest (never in clear), and running counters.

/// A refresh token named without revealing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRef {
    /// Position in the order the emulator issued refresh tokens (0 for the first);
    /// `None` for a value the emulator never issued.
    pub index: Option<usize>,
    /// The first 16 hex digits of the value's SHA-256.
    pub digest: String,
}

/// How a token request identified its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic base64(client_id:client_secret)`.
    Basic,
    /// A `client_secret` parameter.
    SecretParameter,
    /// Only a `client_id` parameter (public clients).
    ClientIdOnly,
    /// Nothing that names a client.
    Missing,
}

/// One request to the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequestRecord {
    /// The `grant_type` parameter as sent.
    pub grant_type: Option<String>,
    /// The client the request named (Basic user or `client_id` parameter).
    pub client_id: Option<String>,
    pub client_auth: ClientAuth,
    /// Whether any parameter came in the query string rather than the body.
    pub parameters_in_query: bool,
    /// The refresh token presented, if any.
    pub presented_refresh_token: Option<TokenRef>,
    /// The refresh token the answer carried, if any.
    pub issued_refresh_token: Option<TokenRef>,
    /// The status answered.
    pub status: u16,
    /// The OAuth2 `error` code of a refusal.
    pub error: Option<String>,
}

/// Running totals of token-endpoint outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenCounters {
    /// Successful `authorization_code` exchanges.
    pub code_exchanges: u32,
    /// Successful `refresh_token` grants.
    pub refreshes: u32,
    /// Successful device-code grants.
    pub device_grants: u32,
    /// Requests refused with a 4xx other than 429.
    pub refused: u32,
    /// Requests refused with 429.
    pub rate_limited: u32,
    /// Access tokens issued by any grant.
    pub access_tokens_issued: u32,
    /// Refresh tokens issued by any grant (a long-lived token handed back again is not
    /// counted twice).
    pub refresh_tokens_issued: u32,
}
