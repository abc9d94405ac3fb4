//! One refresh: sends the refresh-token grant (waiting out the token endpoint's rate limit
//! on the monotonic clock), teaches the scrubber the new tokens, and hands them to the host
//! before anyone may use them.

use super::host::AuthHost;
use super::token::{self, Answer, Grant};
use super::{Io, Tokens};
use crate::config::Config;
use crate::constantcontact::connector::credentials::TokenSet;
use crate::wit::{ApiFailure, Error, TransportFailure};

const CONTEXT: &str = "cc-connector::auth";
const NANOS_PER_SEC: u64 = 1_000_000_000;
/// Token requests allowed in a row answered 429 before giving up.
const MAX_THROTTLED: u32 = 5;
/// Wait after a 429 without `Retry-After`: just over the endpoint's one request per second.
const DEFAULT_THROTTLE_WAIT_NANOS: u64 = 1_100_000_000;
/// Longest `Retry-After` honoured, in seconds.
const MAX_THROTTLE_WAIT_SECS: u64 = 60;

/// Renews `tokens` in place. On success the host has kept the new set and `tokens` holds it.
pub fn run(
    io: &Io<'_>,
    config: &Config,
    host: &AuthHost,
    tokens: &mut Tokens,
) -> Result<(), Error> {
    let Some(refresh_token) = tokens.refresh.clone() else {
        return Err(Error::ReauthorizationRequired(
            "failed to renew the access token: the connection has no refresh token, so a \
             person must authorize it again"
                .to_owned(),
        ));
    };
    let request = token::request(config, &refresh_token)?;
    let origin = config.auth_base.origin();

    let mut throttled = 0;
    let grant = loop {
        let response = io
            .transport
            .send(&request, io.timeouts)
            .map_err(|failure| {
                Error::Transport(TransportFailure {
                    kind: failure.kind,
                    message: format!(
                        "failed to renew the access token at \"{origin}\": {}",
                        failure.message
                    ),
                })
            })?;
        io.log.debug(
            CONTEXT,
            &format!(
                "POST {} -> {}",
                request.target.path_and_query, response.status
            ),
        );
        match token::read(&response) {
            Answer::Granted(grant) => break grant,
            Answer::Refused(error) => return Err(error),
            Answer::Throttled(_) if throttled >= MAX_THROTTLED => {
                return Err(Error::RateLimited(ApiFailure {
                    status: 429,
                    error_key: None,
                    message: format!(
                        "failed to renew the access token: the token endpoint refused \
                         {} requests in a row as too many; try again later",
                        throttled + 1
                    ),
                }));
            }
            Answer::Throttled(after) => {
                throttled += 1;
                let wait = after
                    .map(|secs| secs.min(MAX_THROTTLE_WAIT_SECS) * NANOS_PER_SEC)
                    .filter(|nanos| *nanos > 0)
                    .unwrap_or(DEFAULT_THROTTLE_WAIT_NANOS);
                let wait_ms = wait / 1_000_000;
                if !io.budget.allows(io.clock.now_nanos(), wait_ms) {
                    return Err(io.budget.exhausted(
                        "renew the access token",
                        Some("the token endpoint answered 429"),
                    ));
                }
                io.log.debug(
                    CONTEXT,
                    &format!("token endpoint answered 429; waiting {wait_ms} ms"),
                );
                io.clock.sleep_nanos(wait);
            }
        }
    };

    keep(io, config, host, tokens, grant)
}

/// Saves the grant with the host, then makes it the connection's tokens.
fn keep(
    io: &Io<'_>,
    config: &Config,
    host: &AuthHost,
    tokens: &mut Tokens,
    grant: Grant,
) -> Result<(), Error> {
    io.scrubber.learn(&grant.access_token);
    if let Some(refresh) = &grant.refresh_token {
        io.scrubber.learn(refresh);
    }

    let now = host.wall.now_secs();
    let expires_at = grant.expires_in.map(|secs| now.saturating_add(secs));
    let rotated = match (&grant.refresh_token, &tokens.refresh) {
        (Some(new), Some(old)) => new != old,
        _ => false,
    };
    let set = TokenSet {
        access_token: grant.access_token.expose().to_owned(),
        access_token_expires_at: expires_at,
        refresh_token: grant.refresh_token.as_ref().map(|t| t.expose().to_owned()),
        scope: grant.scope.clone(),
    };
    host.keeper.save(&set).map_err(|why| {
        Error::CredentialsNotSaved(format!(
            "failed to keep the renewed credentials: the host answered \"{}\"; the connector \
             stopped rather than use tokens nobody kept",
            io.scrubber.scrub(&why)
        ))
    })?;

    tokens.access = grant.access_token;
    tokens.expires_at = expires_at;
    tokens.renew_at = grant.expires_in.map(|secs| {
        let lead = u64::from(config.refresh_margin_seconds).min(secs / 2);
        now.saturating_add(secs - lead)
    });
    if let Some(refresh) = grant.refresh_token {
        tokens.refresh = Some(refresh);
    }
    tokens.generation += 1;
    io.log.info(
        CONTEXT,
        &format!(
            "renewed the access token{}; the host kept the new credentials",
            if rotated {
                " and the rotated refresh token"
            } else {
                ""
            }
        ),
    );
    Ok(())
}
