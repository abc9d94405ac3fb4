//! The session through a real client: renewal ahead of expiry and after a 401, the hand-off
//! to the host before the new token is used, and the errors that stop renewal for good.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use super::host::{AuthHost, Keeper, WallClock};
use crate::api::client::Client;
use crate::api::errors::Access;
use crate::config::Config;
use crate::constantcontact::connector::credentials::TokenSet;
use crate::http::{Request, Response, Timeouts, Transport, TransportError};
use crate::platform::Environment;
use crate::testing::{CaptureSink, FakeClock, config as wit_config};
use crate::wit::Error;

const NOW: u64 = 1_800_000_000;
const TOKEN_ANSWER: &str = r#"{"access_token":"at-renewed-2","token_type":"Bearer",
    "expires_in":86400,"refresh_token":"rt-rotated-2"}"#;
const UNAUTHORIZED: &str = r#"{"error_key":"unauthorized","error_message":"Unauthorized"}"#;

#[derive(Default)]
struct Wire {
    replies: RefCell<VecDeque<(u16, &'static str)>>,
    seen: RefCell<Vec<Request>>,
}

struct FakeTransport(Rc<Wire>);

impl Transport for FakeTransport {
    fn send(&self, request: &Request, _: &Timeouts) -> Result<Response, TransportError> {
        self.0.seen.borrow_mut().push(request.clone());
        let (status, body) = self
            .0
            .replies
            .borrow_mut()
            .pop_front()
            .expect("a scripted reply");
        Ok(Response {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        })
    }
}

struct Fixed;

impl WallClock for Fixed {
    fn now_secs(&self) -> u64 {
        NOW
    }
}

/// Records each save with how many requests had been sent by then.
struct Recorder {
    wire: Rc<Wire>,
    refuse: bool,
    saved: RefCell<Vec<(TokenSet, usize)>>,
}

impl Keeper for Recorder {
    fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        let sent = self.wire.seen.borrow().len();
        self.saved.borrow_mut().push((tokens.clone(), sent));
        if self.refuse {
            Err("disk full".into())
        } else {
            Ok(())
        }
    }
}

struct Setup {
    client: Client,
    wire: Rc<Wire>,
    keeper: Rc<Recorder>,
    sink: Rc<CaptureSink>,
}

fn setup(expires_at: Option<u64>, refresh: bool, refuse: bool) -> Setup {
    let mut given = wit_config("at-original-1");
    given.access_token_expires_at = expires_at;
    given.refresh_token = refresh.then(|| "rt-original-1".to_owned());
    given.client_id = Some("app".into());
    let config = Config::from_wit(given).unwrap();
    let wire = Rc::new(Wire::default());
    let keeper = Rc::new(Recorder {
        wire: Rc::clone(&wire),
        refuse,
        saved: RefCell::default(),
    });
    let sink = Rc::new(CaptureSink::default());
    let environment = Environment {
        transport: Box::new(FakeTransport(Rc::clone(&wire))),
        clock: Rc::new(FakeClock::default()),
        sink: sink.clone(),
    };
    let client = Client::new(config, environment).with_auth_host(AuthHost {
        wall: Rc::new(Fixed),
        keeper: keeper.clone(),
    });
    Setup {
        client,
        wire,
        keeper,
        sink,
    }
}

impl Setup {
    fn reply(&self, status: u16, body: &'static str) -> &Self {
        self.wire.replies.borrow_mut().push_back((status, body));
        self
    }

    fn bearer(&self, index: usize) -> String {
        let seen = self.wire.seen.borrow();
        seen[index]
            .headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.clone())
            .unwrap()
    }

    fn paths(&self) -> Vec<String> {
        self.wire
            .seen
            .borrow()
            .iter()
            .map(|r| r.target.path_and_query.clone())
            .collect()
    }
}

const TOKEN_PATH: &str = "/oauth2/default/v1/token";

#[test]
fn a_token_within_the_margin_is_renewed_and_saved_before_use() {
    let s = setup(Some(NOW + 60), true, false);
    s.reply(200, TOKEN_ANSWER).reply(200, "{}").reply(200, "{}");
    s.client.get("/contacts", Access::ReadContacts).unwrap();
    s.client.get("/contacts", Access::ReadContacts).unwrap();

    assert_eq!(s.paths()[0], TOKEN_PATH);
    let saved = s.keeper.saved.borrow();
    assert_eq!(saved.len(), 1, "one refresh for one expiry");
    assert_eq!(saved[0].1, 1, "saved before any request used the new token");
    assert_eq!(saved[0].0.refresh_token.as_deref(), Some("rt-rotated-2"));
    assert_eq!(saved[0].0.access_token_expires_at, Some(NOW + 86400));
    assert_eq!(s.bearer(1), "Bearer at-renewed-2");
    assert_eq!(s.bearer(2), "Bearer at-renewed-2");
}

#[test]
fn a_401_renews_once_and_a_second_401_needs_a_person() {
    let s = setup(None, true, false);
    s.reply(401, UNAUTHORIZED)
        .reply(200, TOKEN_ANSWER)
        .reply(200, "{}");
    s.client.get("/contacts", Access::ReadContacts).unwrap();
    assert_eq!(s.paths(), ["/v3/contacts", TOKEN_PATH, "/v3/contacts"]);

    s.reply(401, UNAUTHORIZED)
        .reply(200, TOKEN_ANSWER)
        .reply(401, UNAUTHORIZED);
    let error = s.client.get("/contacts", Access::ReadContacts).unwrap_err();
    assert!(
        matches!(&error, Error::ReauthorizationRequired(m) if m.contains("authorize the connection again")),
        "{error:?}"
    );
    assert_eq!(s.paths().len(), 6, "no loop after the second 401");
}

#[test]
fn a_refused_save_stops_every_later_request() {
    let s = setup(Some(NOW - 5), true, true);
    s.reply(200, TOKEN_ANSWER);
    let error = s.client.get("/contacts", Access::ReadContacts).unwrap_err();
    assert!(
        matches!(&error, Error::CredentialsNotSaved(m) if m.contains("disk full")),
        "{error:?}"
    );
    let again = s.client.get("/contacts", Access::ReadContacts).unwrap_err();
    assert!(matches!(again, Error::CredentialsNotSaved(_)));
    assert_eq!(s.paths(), [TOKEN_PATH], "nothing sent with unsaved tokens");
}

#[test]
fn without_a_refresh_token_a_401_is_reauthorization_only_for_expiring_tokens() {
    let s = setup(Some(NOW + 3600), false, false);
    s.reply(401, UNAUTHORIZED);
    let error = s.client.get("/contacts", Access::ReadContacts).unwrap_err();
    assert!(matches!(error, Error::ReauthorizationRequired(_)));

    let s = setup(None, false, false);
    s.reply(401, UNAUTHORIZED);
    let error = s.client.get("/contacts", Access::ReadContacts).unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)));
    assert!(s.keeper.saved.borrow().is_empty());
}

#[test]
fn renewed_tokens_are_scrubbed_from_logs_and_errors() {
    let s = setup(Some(NOW), true, false);
    s.reply(200, TOKEN_ANSWER).reply(
        400,
        r#"[{"error_key":"x","error_message":"first_name at-renewed-2 rt-rotated-2"}]"#,
    );
    let error = s.client.get("/contacts", Access::ReadContacts).unwrap_err();
    let text = format!("{error:?}");
    assert!(
        !text.contains("at-renewed-2") && !text.contains("rt-rotated-2"),
        "{text}"
    );
    assert!(text.contains("<redacted>"), "{text}");
    s.client.log().info("t", "now at-renewed-2");
    let lines = s.sink.lines();
    assert!(lines.iter().any(|(_, _, m)| m == "now <redacted>"));
}

#[test]
fn a_passing_failure_ahead_of_expiry_keeps_the_current_token() {
    let s = setup(Some(NOW + 60), true, false);
    s.reply(503, "").reply(200, "{}");
    s.client.get("/contacts", Access::ReadContacts).unwrap();
    assert_eq!(s.paths(), [TOKEN_PATH, "/v3/contacts"]);
    assert_eq!(s.bearer(1), "Bearer at-original-1");
}

#[test]
fn a_query_stream_and_a_batch_on_one_connection_share_one_refresh() {
    let s = setup(Some(NOW + 60), true, false);
    let client = Rc::new(s.client);
    let page = r#"{"contacts": [], "_links": {"next": {"href": "/v3/contacts?cursor=abc"}}}"#;
    s.wire.replies.borrow_mut().extend([
        (200, TOKEN_ANSWER),
        (200, page),
        (200, "{}"),
        (200, page),
    ]);
    let mut stream = crate::activities::query::QueryStream::start(
        Rc::clone(&client),
        Rc::default(),
        crate::wit::QueryRequest {
            email: None,
            status: vec![],
            lists: vec![],
            tags: vec![],
            created_after: None,
            created_before: None,
            updated_after: None,
            updated_before: None,
            subresources: vec![],
            page_size: None,
            max_records: None,
            with_names: false,
        },
    )
    .unwrap();

    stream.next_page().unwrap();
    client
        .post_json("/contacts", &serde_json::json!({}), Access::WriteContacts)
        .unwrap();
    let _ = stream.next_page();

    let paths: Vec<String> = s
        .wire
        .seen
        .borrow()
        .iter()
        .map(|r| r.target.path_and_query.clone())
        .collect();
    assert_eq!(paths.iter().filter(|p| p.as_str() == TOKEN_PATH).count(), 1);
    assert_eq!(s.keeper.saved.borrow().len(), 1);
    let bearers: Vec<String> = s.wire.seen.borrow()[1..]
        .iter()
        .map(|r| {
            r.headers
                .iter()
                .find(|(n, _)| n == "authorization")
                .map(|(_, v)| v.clone())
                .unwrap()
        })
        .collect();
    assert_eq!(bearers, vec!["Bearer at-renewed-2"; 3]);
}

#[test]
fn a_token_shorter_lived_than_the_margin_is_not_renewed_on_every_request() {
    let s = setup(Some(NOW), true, false);
    let short = r#"{"access_token":"at-short-3","token_type":"Bearer","expires_in":100}"#;
    s.reply(200, short).reply(200, "{}").reply(200, "{}");
    s.client.get("/contacts", Access::ReadContacts).unwrap();
    s.client.get("/contacts", Access::ReadContacts).unwrap();
    assert_eq!(s.paths(), [TOKEN_PATH, "/v3/contacts", "/v3/contacts"]);
    let saved = s.keeper.saved.borrow();
    assert_eq!(
        saved[0].0.refresh_token, None,
        "none returned: the host keeps the old one"
    );
    assert_eq!(s.bearer(2), "Bearer at-short-3");
}

#[test]
fn waiting_out_the_token_endpoint_counts_against_the_time_budget() {
    let s = setup(Some(NOW), true, false);
    let policy = crate::api::retry::RetryPolicy::from_wit(None).unwrap();
    let budget = crate::budget::Budget::from_wit(Some(500)).unwrap();
    let client = s.client.with_retry(policy, budget);
    client.start_call();
    s.wire
        .replies
        .borrow_mut()
        .push_back((429, r#"{"error":"rate_limited"}"#));
    let error = client.get("/contacts", Access::ReadContacts).unwrap_err();
    assert!(
        matches!(&error, Error::BudgetExhausted(m) if m.starts_with("failed to renew the access token")),
        "{error:?}"
    );
    assert_eq!(s.wire.seen.borrow().len(), 1, "gave up instead of waiting");
}
