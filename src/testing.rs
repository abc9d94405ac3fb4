//! Test doubles for the seams: a scripted transport that checks every request it is sent,
//! a manual clock, a sink that captures log lines, and a harness wiring them to a client.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use serde_json::Value;

use crate::api::client::Client;
use crate::clock::Clock;
use crate::config::Config;
use crate::http::{Method, Request, Response, Timeouts, Transport, TransportError};
use crate::log::{Level, Sink};
use crate::platform::Environment;
use crate::wit;

/// The access token every harness connection uses; no log line may contain it.
pub const TOKEN: &str = "test-access-token-5f2a91";
/// The base URL every harness connection uses unless told otherwise.
pub const BASE: &str = "http://127.0.0.1:4010/v3";

/// A clock that moves only when slept on or advanced.
#[derive(Default)]
pub struct FakeClock {
    now: Cell<u64>,
    sleeps: RefCell<Vec<u64>>,
}

impl FakeClock {
    pub fn advance(&self, nanos: u64) {
        self.now.set(self.now.get() + nanos);
    }

    pub fn sleeps(&self) -> Vec<u64> {
        self.sleeps.borrow().clone()
    }
}

impl Clock for FakeClock {
    fn now_nanos(&self) -> u64 {
        self.now.get()
    }

    fn sleep_nanos(&self, nanos: u64) {
        self.sleeps.borrow_mut().push(nanos);
        self.advance(nanos);
    }
}

/// Keeps every log line.
#[derive(Default)]
pub struct CaptureSink {
    lines: RefCell<Vec<(Level, String, String)>>,
}

impl CaptureSink {
    pub fn lines(&self) -> Vec<(Level, String, String)> {
        self.lines.borrow().clone()
    }
}

impl Sink for CaptureSink {
    fn log(&self, level: Level, context: &str, message: &str) {
        self.lines
            .borrow_mut()
            .push((level, context.to_owned(), message.to_owned()));
    }
}

/// One expected request and the reply it gets.
struct Step {
    method: Method,
    path_and_query: String,
    reply: Result<Response, TransportError>,
}

#[derive(Default)]
struct Script {
    steps: RefCell<VecDeque<Step>>,
    seen: RefCell<Vec<Request>>,
}

struct FakeTransport {
    script: Rc<Script>,
    token: String,
}

impl Transport for FakeTransport {
    fn send(&self, request: &Request, timeouts: &Timeouts) -> Result<Response, TransportError> {
        self.script.seen.borrow_mut().push(request.clone());
        let line = format!(
            "{} {}",
            request.method.as_str(),
            request.target.path_and_query
        );
        let step = self
            .script
            .steps
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| panic!("unexpected request: {line}"));
        let expected = format!("{} {}", step.method.as_str(), step.path_and_query);
        assert_eq!(line, expected, "request out of script");

        let bearer = format!("Bearer {}", self.token);
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
        assert_eq!(request.header("accept"), Some("application/json"));
        assert!(timeouts.connect_ms > 0 && timeouts.first_byte_ms > 0);
        match &request.body {
            Some(body) => {
                assert_eq!(request.header("content-type"), Some("application/json"));
                let length = body.len().to_string();
                assert_eq!(request.header("content-length"), Some(length.as_str()));
            }
            None => {
                assert_eq!(request.header("content-type"), None);
                assert_eq!(request.header("content-length"), None);
            }
        }
        step.reply
    }
}

/// A client over the fakes, with the script and captures at hand. Dropping it checks that
/// every scripted request was made and that no log line holds a secret.
pub struct Harness {
    pub client: Rc<Client>,
    pub clock: Rc<FakeClock>,
    sink: Rc<CaptureSink>,
    script: Rc<Script>,
    secrets: Vec<String>,
}

pub fn config(token: &str) -> wit::ConnectionConfig {
    wit::ConnectionConfig {
        api_base_url: Some(BASE.into()),
        auth_base_url: None,
        access_token: token.into(),
        access_token_expires_at: None,
        refresh_token: None,
        client_id: None,
        client_secret: None,
        timeouts: None,
        pacing: None,
        refresh_margin_seconds: None,
        retry: None,
        time_budget_ms: None,
    }
}

impl Harness {
    pub fn new() -> Harness {
        Harness::with_config(config(TOKEN))
    }

    pub fn with_config(given: wit::ConnectionConfig) -> Harness {
        let mut secrets = vec![given.access_token.clone()];
        secrets.extend(given.refresh_token.clone());
        secrets.extend(given.client_secret.clone());
        let token = given.access_token.clone();
        let config = Config::from_wit(given).expect("test config is valid");

        let clock = Rc::new(FakeClock::default());
        let sink = Rc::new(CaptureSink::default());
        let script = Rc::new(Script::default());
        let environment = Environment {
            transport: Box::new(FakeTransport {
                script: Rc::clone(&script),
                token,
            }),
            clock: clock.clone(),
            sink: sink.clone(),
        };
        Harness {
            client: Rc::new(Client::new(config, environment)),
            clock,
            sink,
            script,
            secrets,
        }
    }

    /// Scripts the next request (`path` includes the base path, e.g. `/v3/contacts`) and the
    /// response it gets.
    pub fn expect(&self, method: Method, path: &str, status: u16, body: &str) -> &Self {
        let mut headers = vec![];
        if !body.is_empty() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        self.reply(
            method,
            path,
            Ok(Response {
                status,
                headers,
                body: body.as_bytes().to_vec(),
            }),
        )
    }

    pub fn expect_json(&self, method: Method, path: &str, status: u16, body: Value) -> &Self {
        self.expect(method, path, status, &body.to_string())
    }

    pub fn expect_failure(&self, method: Method, path: &str, failure: TransportError) -> &Self {
        self.reply(method, path, Err(failure))
    }

    fn reply(&self, method: Method, path: &str, reply: Result<Response, TransportError>) -> &Self {
        self.script.steps.borrow_mut().push_back(Step {
            method,
            path_and_query: path.to_owned(),
            reply,
        });
        self
    }

    pub fn requests(&self) -> Vec<Request> {
        self.script.seen.borrow().clone()
    }

    /// The JSON body of the `index`th request made.
    pub fn body(&self, index: usize) -> Value {
        let requests = self.requests();
        let body = requests
            .get(index)
            .and_then(|r| r.body.clone())
            .unwrap_or_else(|| panic!("request {index} has no body"));
        serde_json::from_slice(&body).expect("request body is JSON")
    }

    pub fn log_lines(&self) -> Vec<(Level, String, String)> {
        self.sink.lines()
    }

    pub fn info_lines(&self) -> Vec<String> {
        self.log_lines()
            .into_iter()
            .filter(|(level, _, _)| *level == Level::Info)
            .map(|(_, _, message)| message)
            .collect()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let left: Vec<String> = self
            .script
            .steps
            .borrow()
            .iter()
            .map(|s| format!("{} {}", s.method.as_str(), s.path_and_query))
            .collect();
        assert!(left.is_empty(), "scripted requests never made: {left:?}");
        for (_, context, message) in self.sink.lines() {
            for secret in &self.secrets {
                assert!(
                    !message.contains(secret.as_str()) && !context.contains(secret.as_str()),
                    "a log line holds a secret: {message}"
                );
            }
        }
    }
}

/// A contact resource as the API returns it, with the given id and email.
pub fn resource(id: &str, email: &str) -> Value {
    serde_json::json!({
        "contact_id": id,
        "email_address": {
            "address": email,
            "permission_to_send": "implicit",
            "created_at": "2024-10-30T18:56:35Z",
            "opt_in_source": "Account"
        },
        "create_source": "Account",
        "created_at": "2024-10-30T18:56:35Z",
        "updated_at": "2024-10-30T18:56:35Z"
    })
}

pub use crate::blank::{contact, email};
