//! The API client: addresses requests below the base URL, adds the bearer token and JSON
//! headers, paces them within the call's time budget, retries passing failures, logs one
//! debug line per exchange and per retry, and turns every failure into the WIT error with
//! secrets scrubbed out.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::errors::{Access, from_response};
use super::retry::{
    RetryContext, RetryPolicy, Safety, may_have_applied, retry_after_ms, retry_reason,
};
use crate::auth::{Io, Session};
use crate::budget::Budget;
use crate::clock::Clock;
use crate::config::Config;
use crate::errors::{bad_response, scrub, summary};
use crate::http::{Method, Request, Transport};
use crate::log::Log;
use crate::pacing::Pacer;
use crate::platform::Environment;
use crate::secret::Scrubber;
use crate::url::Target;
use crate::wit::{Error, TransportFailure};

const CONTEXT: &str = "cc-connector::http";
const NANOS_PER_MILLI: u64 = 1_000_000;

/// A 2xx response.
#[derive(Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// One connection's way to the API.
pub struct Client {
    retry: RetryContext,
    config: Config,
    transport: Box<dyn Transport>,
    clock: Rc<dyn Clock>,
    log: Log,
    scrubber: Scrubber,
    pacer: RefCell<Pacer>,
    auth: Session,
}

impl Client {
    pub fn new(config: Config, environment: Environment) -> Client {
        let scrubber = config.scrubber();
        let auth = Session::new(&config, crate::auth::host::platform());
        Client {
            retry: RetryContext::new(environment.clock.now_nanos()),
            auth,
            log: Log::new(environment.sink, scrubber.clone()),
            pacer: RefCell::new(Pacer::new(config.requests_per_second)),
            transport: environment.transport,
            clock: environment.clock,
            scrubber,
            config,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the wall clock and credential keeper that token renewal uses.
    #[cfg(test)]
    pub fn with_auth_host(mut self, host: crate::auth::AuthHost) -> Client {
        self.auth = Session::new(&self.config, host);
        self
    }

    /// The connection's tokens and their renewal.
    pub fn auth(&self) -> &Session {
        &self.auth
    }

    /// The same client with the connection's retry policy and time budget.
    pub fn with_retry(mut self, policy: RetryPolicy, budget: Budget) -> Client {
        self.retry.set_policy(policy);
        self.retry.budget = budget;
        self
    }

    /// Retry settings, budget and counters.
    pub fn retry(&self) -> &RetryContext {
        &self.retry
    }

    /// Starts the time budget of an activity call.
    pub fn start_call(&self) {
        self.retry.budget.start(self.clock.now_nanos());
    }

    /// Whether the budget of the call in progress is spent.
    pub fn budget_spent(&self) -> bool {
        !self.retry.budget.allows(self.clock.now_nanos(), 0)
    }

    /// Waits before retry number `retry` of `line` after `error` (`reason` says why it is
    /// retried): the last answer's `Retry-After` when it gave one, else the backoff. Fails
    /// with `error` when the server asks for a longer wait than the policy's longest delay,
    /// and with `budget-exhausted` when the wait would overrun the call's budget.
    pub fn pause_before_retry(
        &self,
        retry: u32,
        line: &str,
        reason: &str,
        error: &Error,
    ) -> Result<(), Error> {
        let policy = self.retry.policy();
        let delay_ms = match self.retry.retry_after() {
            Some(ms) if ms > u64::from(policy.max_delay_ms) => return Err(error.clone()),
            Some(ms) => ms,
            None => self.retry.jitter.spread(policy.base_delay_ms(retry)),
        };
        if !self.retry.budget.allows(self.clock.now_nanos(), delay_ms) {
            let cause = summary(error);
            return Err(self
                .retry
                .budget
                .exhausted(&format!("retry {line}"), Some(&cause)));
        }
        self.log.debug(
            CONTEXT,
            &format!(
                "{line}: retry {retry} of {} in {delay_ms} ms after {reason}",
                policy.max_attempts - 1
            ),
        );
        self.retry.count_retry();
        self.clock
            .sleep_nanos(delay_ms.saturating_mul(NANOS_PER_MILLI));
        Ok(())
    }

    pub fn log(&self) -> &Log {
        &self.log
    }

    /// `GET` of an API path such as `/contacts?limit=1`.
    pub fn get(&self, api_path: &str, access: Access) -> Result<ApiResponse, Error> {
        let target = self.config.api_base.join(api_path);
        self.authorized(Method::Get, target, None, access, Safety::Idempotent)
    }

    /// `GET` of a target already resolved against the base URL (a pagination link).
    pub fn get_target(&self, target: Target, access: Access) -> Result<ApiResponse, Error> {
        self.authorized(Method::Get, target, None, access, Safety::Idempotent)
    }

    pub fn post_json<T: Serialize>(
        &self,
        api_path: &str,
        body: &T,
        access: Access,
    ) -> Result<ApiResponse, Error> {
        self.send_json(Method::Post, api_path, body, access)
    }

    /// A POST that may safely be sent twice, such as the sign-up form's create-or-update:
    /// every passing failure is retried, as for a PUT.
    pub fn post_json_repeatable<T: Serialize>(
        &self,
        api_path: &str,
        body: &T,
        access: Access,
    ) -> Result<ApiResponse, Error> {
        let bytes = encode_body(body)?;
        let target = self.config.api_base.join(api_path);
        self.authorized(
            Method::Post,
            target,
            Some(bytes),
            access,
            Safety::Idempotent,
        )
    }

    pub fn put_json<T: Serialize>(
        &self,
        api_path: &str,
        body: &T,
        access: Access,
    ) -> Result<ApiResponse, Error> {
        self.send_json(Method::Put, api_path, body, access)
    }

    pub fn delete(&self, api_path: &str, access: Access) -> Result<ApiResponse, Error> {
        let target = self.config.api_base.join(api_path);
        self.authorized(Method::Delete, target, None, access, Safety::Idempotent)
    }

    /// Parses a 2xx body; `what` completes "failed to read …", e.g. "the contact".
    pub fn read_json<T: DeserializeOwned>(
        &self,
        response: &ApiResponse,
        what: &str,
    ) -> Result<T, Error> {
        serde_json::from_slice(&response.body).map_err(|e| {
            let error = bad_response(
                response.status,
                format!(
                    "failed to read {what}: the API answered {} with a body that is not the \
                     expected JSON ({e})",
                    response.status
                ),
            );
            scrub(error, &self.scrubber)
        })
    }

    fn send_json<T: Serialize>(
        &self,
        method: Method,
        api_path: &str,
        body: &T,
        access: Access,
    ) -> Result<ApiResponse, Error> {
        let bytes = encode_body(body)?;
        let target = self.config.api_base.join(api_path);
        let safety = match method {
            Method::Post => Safety::NotApplied,
            Method::Get | Method::Put | Method::Delete => Safety::Idempotent,
        };
        self.authorized(method, target, Some(bytes), access, safety)
    }

    /// One exchange with the current access token, renewed when due and once after a 401.
    fn authorized(
        &self,
        method: Method,
        target: Target,
        body: Option<Vec<u8>>,
        access: Access,
        safety: Safety,
    ) -> Result<ApiResponse, Error> {
        let io = Io {
            transport: self.transport.as_ref(),
            clock: self.clock.as_ref(),
            log: &self.log,
            scrubber: &self.scrubber,
            timeouts: &self.config.timeouts,
            budget: &self.retry.budget,
        };
        self.auth.send(&self.config, &io, || {
            self.exchange(method, target.clone(), body.clone(), access, safety)
        })
    }

    /// Sends a request until it succeeds, fails for good, or runs out of attempts or
    /// budget. Passing failures are retried after a pause; a POST that is not repeatable
    /// only when it surely was not applied, since its callers settle uncertain creates
    /// themselves.
    fn exchange(
        &self,
        method: Method,
        target: Target,
        body: Option<Vec<u8>>,
        access: Access,
        safety: Safety,
    ) -> Result<ApiResponse, Error> {
        let mut attempt = 1;
        loop {
            let result = self.attempt(method, target.clone(), body.clone(), access);
            if method != Method::Get && may_have_applied(&result) {
                self.retry.count_write();
            }
            let error = match result {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            let Some(reason) = retry_reason(&error, safety) else {
                return Err(error);
            };
            if attempt >= self.retry.policy().max_attempts {
                return Err(error);
            }
            let line = format!("{} {}", method.as_str(), target.path_and_query);
            self.pause_before_retry(attempt, &line, &reason, &error)?;
            attempt += 1;
        }
    }

    /// One attempt: paced within the budget, sent with timeouts cut to the budget, logged.
    fn attempt(
        &self,
        method: Method,
        target: Target,
        body: Option<Vec<u8>>,
        access: Access,
    ) -> Result<ApiResponse, Error> {
        let request = self.request(method, target, body);
        let line = format!("{} {}", method.as_str(), request.target.path_and_query);

        self.retry.set_retry_after(None);
        if let Ok(mut pacer) = self.pacer.try_borrow_mut()
            && !pacer.wait_within(self.clock.as_ref(), self.retry.budget.deadline())
        {
            return Err(self.retry.budget.exhausted(&format!("send {line}"), None));
        }
        let started = self.clock.now_nanos();
        let timeouts = self.retry.timeouts_within(&self.config.timeouts, started);
        let result = self.transport.send(&request, &timeouts);
        let elapsed_ms = self.clock.now_nanos().saturating_sub(started) / NANOS_PER_MILLI;

        match result {
            Err(failure) => {
                self.log.debug(
                    CONTEXT,
                    &format!("{line} failed after {elapsed_ms} ms: {}", failure.message),
                );
                let error = Error::Transport(TransportFailure {
                    kind: failure.kind,
                    message: format!(
                        "failed to send {line} to \"{}\": {}",
                        self.config.api_base.origin(),
                        failure.message
                    ),
                });
                Err(scrub(error, &self.scrubber))
            }
            Ok(response) => {
                self.log.debug(
                    CONTEXT,
                    &format!(
                        "{line} -> {}, {} bytes, {elapsed_ms} ms",
                        response.status,
                        response.body.len()
                    ),
                );
                if (200..300).contains(&response.status) {
                    Ok(ApiResponse {
                        status: response.status,
                        body: response.body,
                    })
                } else {
                    self.retry.set_retry_after(retry_after_ms(&response));
                    let error = from_response(response.status, &response.body, access);
                    Err(scrub(error, &self.scrubber))
                }
            }
        }
    }

    fn request(&self, method: Method, target: Target, body: Option<Vec<u8>>) -> Request {
        let mut headers = vec![
            ("authorization".to_owned(), self.auth.bearer()),
            ("accept".to_owned(), "application/json".to_owned()),
        ];
        if let Some(bytes) = &body {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
            headers.push(("content-length".to_owned(), bytes.len().to_string()));
        }
        Request {
            method,
            target,
            headers,
            body,
        }
    }
}

#[cfg(test)]
mod tests;

fn encode_body<T: Serialize>(body: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body)
        .map_err(|e| bad_response(0, format!("failed to encode the request body: {e}")))
}
