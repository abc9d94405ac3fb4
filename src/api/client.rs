//! The API client: addresses requests below the base URL, adds the bearer token and JSON
//! headers, paces them, logs one debug line per exchange, and turns every failure into the
//! WIT error with secrets scrubbed out.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::errors::{Access, from_response};
use crate::auth::{Io, Session};
use crate::clock::Clock;
use crate::config::Config;
use crate::errors::{bad_response, scrub};
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

    pub fn log(&self) -> &Log {
        &self.log
    }

    /// `GET` of an API path such as `/contacts?limit=1`.
    pub fn get(&self, api_path: &str, access: Access) -> Result<ApiResponse, Error> {
        let target = self.config.api_base.join(api_path);
        self.authorized(Method::Get, target, None, access)
    }

    /// `GET` of a target already resolved against the base URL (a pagination link).
    pub fn get_target(&self, target: Target, access: Access) -> Result<ApiResponse, Error> {
        self.authorized(Method::Get, target, None, access)
    }

    pub fn post_json<T: Serialize>(
        &self,
        api_path: &str,
        body: &T,
        access: Access,
    ) -> Result<ApiResponse, Error> {
        self.send_json(Method::Post, api_path, body, access)
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
        self.authorized(Method::Delete, target, None, access)
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
        let bytes = serde_json::to_vec(body)
            .map_err(|e| bad_response(0, format!("failed to encode the request body: {e}")))?;
        let target = self.config.api_base.join(api_path);
        self.authorized(method, target, Some(bytes), access)
    }

    /// One exchange with the current access token, renewed when due and once after a 401.
    fn authorized(
        &self,
        method: Method,
        target: Target,
        body: Option<Vec<u8>>,
        access: Access,
    ) -> Result<ApiResponse, Error> {
        let io = Io {
            transport: self.transport.as_ref(),
            clock: self.clock.as_ref(),
            log: &self.log,
            scrubber: &self.scrubber,
            timeouts: &self.config.timeouts,
        };
        self.auth.send(&self.config, &io, || {
            self.exchange(method, target.clone(), body.clone(), access)
        })
    }

    fn exchange(
        &self,
        method: Method,
        target: Target,
        body: Option<Vec<u8>>,
        access: Access,
    ) -> Result<ApiResponse, Error> {
        let request = self.request(method, target, body);
        let line = format!("{} {}", method.as_str(), request.target.path_and_query);

        if let Ok(mut pacer) = self.pacer.try_borrow_mut() {
            pacer.wait(self.clock.as_ref());
        }
        let started = self.clock.now_nanos();
        let result = self.transport.send(&request, &self.config.timeouts);
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
