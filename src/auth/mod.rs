//! Keeping a connection authorized: the current tokens of one connection, renewed once they
//! come within the refresh margin of expiry or after a 401, then the request tried once more.
//!
//! The guest is single-threaded and every request blocks, so the tokens in one [`Session`]
//! are shared by everything on the connection (batches and query streams alike) and a
//! refresh is naturally single-flight. A generation counter makes that explicit: a 401 for a
//! token that has since been renewed retries with the new one instead of refreshing again.
//!
//! Without a refresh token (or without the `client_id` a refresh needs) nothing is renewed: a 401 is `reauthorization-required` when the
//! token's expiry is known (an OAuth2 connection that ran out), else the API's `unauthorized`.

mod base64;
pub mod host;
mod refresh;
mod token;

use std::cell::RefCell;

pub use host::AuthHost;

use crate::api::client::ApiResponse;
use crate::budget::Budget;
use crate::clock::Clock;
use crate::config::Config;
use crate::http::{Timeouts, Transport};
use crate::log::Log;
use crate::secret::{Scrubber, Secret};
use crate::wit::Error;

const CONTEXT: &str = "cc-connector::auth";

/// What a refresh sends and logs with, lent by the client.
pub struct Io<'a> {
    pub transport: &'a dyn Transport,
    pub clock: &'a dyn Clock,
    pub log: &'a Log,
    pub scrubber: &'a Scrubber,
    pub timeouts: &'a Timeouts,
    /// The activity call's time budget, which waits for the token endpoint count against.
    pub budget: &'a Budget,
}

/// The tokens a connection uses now.
#[derive(Debug)]
pub struct Tokens {
    access: Secret,
    expires_at: Option<u64>,
    /// When to renew ahead of expiry: the margin before it, or half the lifetime of a token
    /// that lives shorter than twice the margin, so a short-lived token is not renewed on
    /// every request.
    renew_at: Option<u64>,
    refresh: Option<Secret>,
    /// Counts the refreshes so far.
    generation: u64,
}

/// One connection's credentials and their renewal.
pub struct Session {
    host: AuthHost,
    tokens: RefCell<Tokens>,
    /// Whether the config names the application (`client_id`), which a refresh needs.
    has_client: bool,
    /// Set once renewing failed for good (refused refresh token, credentials not kept):
    /// every later request fails the same way without being sent.
    stopped: RefCell<Option<Error>>,
}

impl Session {
    pub fn new(config: &Config, host: AuthHost) -> Session {
        Session {
            host,
            tokens: RefCell::new(Tokens {
                access: config.access_token.clone(),
                expires_at: config.access_token_expires_at,
                renew_at: config
                    .access_token_expires_at
                    .map(|at| at.saturating_sub(u64::from(config.refresh_margin_seconds))),
                refresh: config.refresh_token.clone(),
                generation: 0,
            }),
            has_client: config.client_id.as_deref().is_some_and(|id| !id.is_empty()),
            stopped: RefCell::new(None),
        }
    }

    /// The `Authorization` header value for the current access token.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.tokens.borrow().access.expose())
    }

    /// Whether the connection can renew itself: it holds a refresh token and names the
    /// application.
    pub fn can_refresh(&self) -> bool {
        self.has_client && self.tokens.borrow().refresh.is_some()
    }

    /// Runs `attempt` (one request with the current token), renewing the token first when
    /// it is about to expire, and once after a 401. A second 401 is
    /// `reauthorization-required`.
    pub fn send(
        &self,
        config: &Config,
        io: &Io<'_>,
        mut attempt: impl FnMut() -> Result<ApiResponse, Error>,
    ) -> Result<ApiResponse, Error> {
        if let Some(error) = self.stopped.borrow().clone() {
            return Err(error);
        }
        self.renew_if_due(config, io)?;

        let generation = self.tokens.borrow().generation;
        let refused = match attempt() {
            Err(Error::Unauthorized(f)) => f,
            other => return other,
        };

        if self.tokens.borrow().generation == generation {
            if !self.can_refresh() {
                // A plain bearer token (no expiry known) reports the API's refusal as it is;
                // an OAuth2 connection that cannot renew itself needs a person.
                if self.tokens.borrow().expires_at.is_none() {
                    return Err(Error::Unauthorized(refused));
                }
                return Err(Error::ReauthorizationRequired(
                    "failed to authorize the request: the access token was refused (expired, \
                     revoked or invalid) and the connection cannot renew it (no refresh token \
                     or no client_id), so a person must authorize it again"
                        .to_owned(),
                ));
            }
            io.log
                .debug(CONTEXT, "the API refused the access token; renewing it");
            self.renew(config, io)?;
        }

        match attempt() {
            Err(Error::Unauthorized(f)) => Err(Error::ReauthorizationRequired(format!(
                "failed to authorize the request: the API refused the access token again \
                 right after it was renewed (\"{}\"), so a person must authorize the \
                 connection again",
                f.message
            ))),
            other => other,
        }
    }

    /// Renews ahead of expiry. A passing failure (server error, network) does not stop a
    /// request while the current token is still valid.
    fn renew_if_due(&self, config: &Config, io: &Io<'_>) -> Result<(), Error> {
        let (due, expired) = {
            let tokens = self.tokens.borrow();
            match (tokens.expires_at, tokens.renew_at, &tokens.refresh) {
                (Some(expires_at), Some(renew_at), Some(_)) if self.has_client => {
                    let now = self.host.wall.now_secs();
                    (now >= renew_at, now >= expires_at)
                }
                _ => (false, false),
            }
        };
        if !due {
            return Ok(());
        }
        io.log
            .debug(CONTEXT, "the access token is about to expire; renewing it");
        match self.renew(config, io) {
            Err(error) if !expired && !self.is_stopped() => {
                io.log.debug(
                    CONTEXT,
                    &format!(
                        "renewing failed; using the current token until it expires: {}",
                        crate::errors::summary(&error)
                    ),
                );
                Ok(())
            }
            other => other,
        }
    }

    fn renew(&self, config: &Config, io: &Io<'_>) -> Result<(), Error> {
        let result = {
            let mut tokens = self.tokens.borrow_mut();
            refresh::run(io, config, &self.host, &mut tokens)
        };
        result.map_err(|error| {
            let error = crate::errors::scrub(error, io.scrubber);
            if stops_renewal(&error) {
                *self.stopped.borrow_mut() = Some(error.clone());
            }
            error
        })
    }

    fn is_stopped(&self) -> bool {
        self.stopped.borrow().is_some()
    }
}

/// Failures after which no further refresh may be tried on this connection: the refresh
/// token is gone, the configuration is wrong, or unsaved tokens exist.
fn stops_renewal(error: &Error) -> bool {
    matches!(
        error,
        Error::ReauthorizationRequired(_) | Error::InvalidConfig(_) | Error::CredentialsNotSaved(_)
    )
}

#[cfg(test)]
mod tests;
