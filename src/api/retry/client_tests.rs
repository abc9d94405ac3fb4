//! The client's send loop: which failures it retries for each method, how often, how long
//! it waits, what it logs, and how the time budget ends it.

use serde_json::json;

use super::*;
use crate::api::errors::Access;
use crate::http::{Method, TransportError};
use crate::log::Level;
use crate::testing::Harness;

const CONTACTS: &str = "/v3/contacts?limit=1";
const ONE: &str = "/v3/contacts/af73e650-96f0-11ef-b2a0-fa163eafb85e";

fn retrying(max_attempts: u32) -> Harness {
    let h = Harness::new();
    h.client.retry().set_policy(RetryPolicy {
        max_attempts,
        initial_delay_ms: 100,
        max_delay_ms: 400,
    });
    h
}

fn retry_lines(h: &Harness) -> Vec<String> {
    h.log_lines()
        .into_iter()
        .filter(|(level, _, line)| *level == Level::Debug && line.contains(": retry "))
        .map(|(_, _, line)| line)
        .collect()
}

fn reset() -> TransportError {
    TransportError {
        kind: TransportKind::ConnectionReset,
        message: "the connection closed before the response".into(),
    }
}

#[test]
fn a_get_is_retried_after_a_server_error_and_the_retry_is_logged() {
    let h = retrying(3);
    h.expect(Method::Get, CONTACTS, 503, "<html>unavailable</html>");
    h.expect(Method::Get, CONTACTS, 200, r#"{"contacts":[]}"#);
    let response = h.client.get("/contacts?limit=1", Access::ReadContacts);
    assert_eq!(response.unwrap().status, 200);
    assert_eq!(h.client.retry().retries(), 1);
    let lines = retry_lines(&h);
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("GET /v3/contacts?limit=1: retry 1 of 2 in "),
        "{lines:?}"
    );
    assert!(
        lines[0].ends_with(" ms after HTTP 503 server error"),
        "{lines:?}"
    );
}

#[test]
fn attempts_are_bounded_and_delays_double() {
    let h = retrying(4);
    for _ in 0..4 {
        h.expect_failure(Method::Get, CONTACTS, reset());
    }
    let error = h
        .client
        .get("/contacts?limit=1", Access::ReadContacts)
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let delays: Vec<u64> = retry_lines(&h)
        .iter()
        .map(|l| {
            let after = l.split(" in ").nth(1).unwrap();
            after.split(' ').next().unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(delays.len(), 3, "three retries after four attempts");
    assert!((50..=100).contains(&delays[0]), "{delays:?}");
    assert!((100..=200).contains(&delays[1]), "{delays:?}");
    assert!((200..=400).contains(&delays[2]), "{delays:?}");
}

#[test]
fn puts_and_deletes_are_retried_after_resets_and_timeouts() {
    let h = retrying(2);
    h.expect_failure(Method::Put, ONE, reset());
    h.expect(Method::Put, ONE, 200, "{}");
    h.expect_failure(
        Method::Delete,
        ONE,
        TransportError {
            kind: TransportKind::Timeout,
            message: "the first-byte timeout expired".into(),
        },
    );
    h.expect(Method::Delete, ONE, 204, "");
    let path = "/contacts/af73e650-96f0-11ef-b2a0-fa163eafb85e";
    assert!(
        h.client
            .put_json(path, &json!({}), Access::WriteContacts)
            .is_ok()
    );
    assert!(h.client.delete(path, Access::WriteContacts).is_ok());
    assert_eq!(h.client.retry().retries(), 2);
    assert_eq!(
        h.client.retry().writes(),
        4,
        "every write attempt may have applied"
    );
}

#[test]
fn a_post_is_retried_only_when_it_surely_was_not_applied() {
    let h = retrying(3);
    h.expect(
        Method::Post,
        "/v3/contacts",
        429,
        r#"{"error_key":"throttled","error_message":"Too Many Requests"}"#,
    );
    h.expect(Method::Post, "/v3/contacts", 503, "");
    let error = h
        .client
        .post_json("/contacts", &json!({}), Access::WriteContacts)
        .unwrap_err();
    assert!(matches!(error, Error::ServerError(_)), "{error:?}");
    assert_eq!(h.client.retry().retries(), 1, "the 429 only");
    assert_eq!(h.client.retry().writes(), 1, "the 429 was not applied");
}

#[test]
fn the_daily_quota_and_client_errors_are_not_retried() {
    let h = retrying(3);
    h.expect(
        Method::Get,
        CONTACTS,
        429,
        r#"{"error_key":"quota_exceeded","error_message":"Limit Exceeded"}"#,
    );
    h.expect(Method::Get, CONTACTS, 404, "[]");
    let quota = h.client.get("/contacts?limit=1", Access::ReadContacts);
    assert!(matches!(quota, Err(Error::QuotaExhausted(_))), "{quota:?}");
    let missing = h.client.get("/contacts?limit=1", Access::ReadContacts);
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
    assert_eq!(h.client.retry().retries(), 0);
}

#[test]
fn a_pause_that_would_overrun_the_budget_ends_with_budget_exhausted() {
    let h = Harness::new();
    h.client.retry().set_policy(RetryPolicy {
        max_attempts: 5,
        initial_delay_ms: 2000,
        max_delay_ms: 4000,
    });
    h.client.retry().budget.set_limit_ms(Some(500));
    h.client.start_call();
    h.expect(Method::Get, CONTACTS, 502, "");
    let Err(Error::BudgetExhausted(message)) =
        h.client.get("/contacts?limit=1", Access::ReadContacts)
    else {
        panic!("expected budget-exhausted");
    };
    assert!(
        message.starts_with(
            "failed to retry GET /v3/contacts?limit=1: the time budget of 500 ms is spent"
        ),
        "{message}"
    );
    assert!(message.contains("server_error"), "{message}");
    assert!(h.clock.sleeps().is_empty(), "it does not wait for nothing");
}

#[test]
fn pacing_within_a_spent_budget_sends_nothing() {
    let h = Harness::new();
    h.client.retry().budget.set_limit_ms(Some(100));
    h.client.start_call();
    h.expect(Method::Get, CONTACTS, 200, "{}");
    assert!(
        h.client
            .get("/contacts?limit=1", Access::ReadContacts)
            .is_ok()
    );
    // At 4 per second the next request would leave after the budget's end.
    let next = h.client.get("/contacts?limit=1", Access::ReadContacts);
    assert!(matches!(next, Err(Error::BudgetExhausted(_))), "{next:?}");
    assert_eq!(h.requests().len(), 1);
    assert!(
        h.clock.sleeps().is_empty(),
        "it does not sleep past the budget"
    );
}
