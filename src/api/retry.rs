//! When and how long to wait before sending a failed request again: the checked retry
//! policy, which failures are passing ones for a given kind of request, exponential backoff
//! with jitter, and the `Retry-After` header.

use std::cell::Cell;

use crate::budget::Budget;
use crate::errors::invalid_config;
use crate::http::{Response, Timeouts};
use crate::wit::{self, Error, TransportKind};

pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;
pub const DEFAULT_INITIAL_DELAY_MS: u32 = 500;
pub const DEFAULT_MAX_DELAY_MS: u32 = 30_000;

/// The connection's retry settings, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included; at least 1.
    pub max_attempts: u32,
    pub initial_delay_ms: u32,
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_delay_ms: DEFAULT_INITIAL_DELAY_MS,
            max_delay_ms: DEFAULT_MAX_DELAY_MS,
        }
    }
}

impl RetryPolicy {
    /// Checks the contract's `retry-policy`; absent values take the defaults.
    pub fn from_wit(given: Option<wit::RetryPolicy>) -> Result<RetryPolicy, Error> {
        let defaults = RetryPolicy::default();
        let Some(given) = given else {
            return Ok(defaults);
        };
        let policy = RetryPolicy {
            max_attempts: given.max_attempts.unwrap_or(defaults.max_attempts),
            initial_delay_ms: given.initial_delay_ms.unwrap_or(defaults.initial_delay_ms),
            max_delay_ms: given.max_delay_ms.unwrap_or(defaults.max_delay_ms),
        };
        if policy.max_attempts == 0 {
            return Err(invalid_config(
                "failed to open the connection: retry.max_attempts must be at least 1",
            ));
        }
        if policy.max_delay_ms < policy.initial_delay_ms {
            return Err(invalid_config(&format!(
                "failed to open the connection: retry.max_delay_ms \"{}\" is below \
                 retry.initial_delay_ms \"{}\"",
                policy.max_delay_ms, policy.initial_delay_ms
            )));
        }
        Ok(policy)
    }

    /// The delay before retry number `retry` (1 for the first), before jitter: the initial
    /// delay doubled per earlier retry, capped at the longest delay.
    pub fn base_delay_ms(&self, retry: u32) -> u64 {
        let doublings = retry.saturating_sub(1).min(32);
        let delay = u64::from(self.initial_delay_ms).saturating_mul(1u64 << doublings);
        delay.min(u64::from(self.max_delay_ms))
    }
}

/// What a failed request may have done on the server, which decides what may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safety {
    /// Sending it twice does what sending it once does (GET, PUT, DELETE): every passing
    /// failure is retried.
    Idempotent,
    /// Sending it twice could apply it twice (POST): only failures that prove the request
    /// was not applied are retried here; the caller handles the uncertain ones.
    NotApplied,
}

/// Why a failure is worth another attempt, or `None` when it is not.
pub fn retry_reason(error: &Error, safety: Safety) -> Option<String> {
    match error {
        Error::RateLimited(f) => Some(format!("HTTP {} throttled", f.status)),
        Error::Transport(t) if t.kind == TransportKind::ConnectionRefused => {
            Some("connection refused".into())
        }
        _ if safety == Safety::NotApplied => None,
        Error::ServerError(f) => Some(format!("HTTP {} server error", f.status)),
        Error::Transport(t) => match t.kind {
            TransportKind::Timeout => Some("timeout".into()),
            TransportKind::ConnectionReset => Some("connection reset".into()),
            TransportKind::Other => Some("transport failure".into()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a failure leaves open whether the server applied the request: no answer, or a
/// 5xx, which a gateway may give after the API acted.
pub fn is_uncertain(error: &Error) -> bool {
    match error {
        Error::ServerError(_) => true,
        Error::Transport(t) => matches!(
            t.kind,
            TransportKind::Timeout | TransportKind::ConnectionReset | TransportKind::Other
        ),
        _ => false,
    }
}

/// The `Retry-After` of a response in milliseconds, when it is a number of seconds (the
/// HTTP-date form is not used by this API and is ignored).
pub fn retry_after_ms(response: &Response) -> Option<u64> {
    let value = response
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
        .map(|(_, value)| value.trim())?;
    value.parse::<u64>().ok().map(|s| s.saturating_mul(1000))
}

/// Jitter for backoff delays: a small xorshift generator, seeded from the clock, that picks
/// each delay evenly from the upper half of its base, so instances that failed together do
/// not retry together.
#[derive(Debug)]
pub struct Jitter {
    state: Cell<u64>,
}

impl Jitter {
    pub fn new(seed: u64) -> Jitter {
        Jitter {
            state: Cell::new(seed | 1),
        }
    }

    /// A delay from `base / 2` to `base`.
    pub fn spread(&self, base_ms: u64) -> u64 {
        let mut x = self.state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state.set(x);
        let half = base_ms / 2;
        half + x % (base_ms - half + 1)
    }
}

/// A connection's retry settings and budget, with the counters its activities report.
#[derive(Debug)]
pub struct RetryContext {
    policy: Cell<RetryPolicy>,
    pub budget: Budget,
    pub jitter: Jitter,
    /// The `Retry-After` of the last attempt's answer.
    retry_after_ms: Cell<Option<u64>>,
    retries: Cell<u64>,
    writes: Cell<u64>,
}

impl RetryContext {
    /// The default policy, no budget, jitter seeded from `seed`. Unit tests start with
    /// retries off, so a scripted failure reaches the code under test as it is; the tests
    /// of retrying turn them on with [`RetryContext::set_policy`].
    pub fn new(seed: u64) -> RetryContext {
        #[cfg(not(test))]
        let policy = RetryPolicy::default();
        #[cfg(test)]
        let policy = RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        };
        RetryContext {
            policy: Cell::new(policy),
            budget: Budget::unlimited(),
            jitter: Jitter::new(seed),
            retry_after_ms: Cell::new(None),
            retries: Cell::new(0),
            writes: Cell::new(0),
        }
    }

    pub fn policy(&self) -> RetryPolicy {
        self.policy.get()
    }

    pub fn set_policy(&self, policy: RetryPolicy) {
        self.policy.set(policy);
    }

    pub fn set_retry_after(&self, ms: Option<u64>) {
        self.retry_after_ms.set(ms);
    }

    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after_ms.get()
    }

    pub fn count_retry(&self) {
        self.retries.set(self.retries.get() + 1);
    }

    /// Retries made on this connection so far.
    pub fn retries(&self) -> u64 {
        self.retries.get()
    }

    /// Counts a write attempt (POST, PUT, DELETE) that may have been applied.
    pub fn count_write(&self) {
        self.writes.set(self.writes.get() + 1);
    }

    /// Write attempts that may have been applied, so far.
    pub fn writes(&self) -> u64 {
        self.writes.get()
    }

    /// The request timeouts, each cut to what is left of the budget at `now`.
    pub fn timeouts_within(&self, timeouts: &Timeouts, now_nanos: u64) -> Timeouts {
        let Some(left) = self.budget.remaining_ms(now_nanos) else {
            return *timeouts;
        };
        let cap = |ms: u32| ms.min(u32::try_from(left).unwrap_or(u32::MAX).max(1));
        Timeouts {
            connect_ms: cap(timeouts.connect_ms),
            first_byte_ms: cap(timeouts.first_byte_ms),
            between_bytes_ms: cap(timeouts.between_bytes_ms),
        }
    }
}

/// Whether an attempt's result means the server may have applied it: a success, or a
/// failure that leaves it open.
pub fn may_have_applied<T>(result: &Result<T, Error>) -> bool {
    match result {
        Ok(_) => true,
        Err(error) => is_uncertain(error) || matches!(error, Error::BadResponse(_)),
    }
}

#[cfg(test)]
mod client_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wit::{ApiFailure, TransportFailure};

    fn api(status: u16) -> ApiFailure {
        ApiFailure {
            status,
            error_key: None,
            message: "m".into(),
        }
    }

    fn transport(kind: TransportKind) -> Error {
        Error::Transport(TransportFailure {
            kind,
            message: "m".into(),
        })
    }

    #[test]
    fn the_policy_takes_defaults_and_refuses_nonsense() {
        assert_eq!(RetryPolicy::from_wit(None).unwrap(), RetryPolicy::default());
        let given = |max_attempts, initial, max| wit::RetryPolicy {
            max_attempts,
            initial_delay_ms: initial,
            max_delay_ms: max,
        };
        let policy = RetryPolicy::from_wit(Some(given(Some(2), None, Some(900)))).unwrap();
        assert_eq!(
            policy,
            RetryPolicy {
                max_attempts: 2,
                initial_delay_ms: 500,
                max_delay_ms: 900
            }
        );
        assert!(RetryPolicy::from_wit(Some(given(Some(0), None, None))).is_err());
        let Err(Error::InvalidConfig(m)) =
            RetryPolicy::from_wit(Some(given(None, Some(10), Some(5))))
        else {
            panic!("expected invalid-config");
        };
        assert!(m.contains("retry.max_delay_ms \"5\""), "{m}");
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            initial_delay_ms: 500,
            max_delay_ms: 3000,
        };
        let delays: Vec<u64> = (1..=5).map(|n| policy.base_delay_ms(n)).collect();
        assert_eq!(delays, [500, 1000, 2000, 3000, 3000]);
        assert_eq!(policy.base_delay_ms(u32::MAX), 3000);
    }

    #[test]
    fn jitter_stays_in_the_upper_half_and_varies() {
        let jitter = Jitter::new(12345);
        let delays: Vec<u64> = (0..200).map(|_| jitter.spread(1000)).collect();
        assert!(delays.iter().all(|d| (500..=1000).contains(d)));
        assert!(delays.iter().any(|d| *d != delays[0]));
        assert_eq!(jitter.spread(0), 0);
    }

    #[test]
    fn posts_retry_only_what_was_not_applied() {
        let throttled = Error::RateLimited(api(429));
        let quota = Error::QuotaExhausted(api(429));
        let server = Error::ServerError(api(503));
        for safety in [Safety::Idempotent, Safety::NotApplied] {
            assert!(retry_reason(&throttled, safety).is_some());
            assert!(retry_reason(&transport(TransportKind::ConnectionRefused), safety).is_some());
            assert_eq!(retry_reason(&quota, safety), None);
            assert_eq!(retry_reason(&Error::NotFound(api(404)), safety), None);
            assert_eq!(
                retry_reason(&transport(TransportKind::Denied), safety),
                None
            );
        }
        assert_eq!(
            retry_reason(&server, Safety::Idempotent).as_deref(),
            Some("HTTP 503 server error")
        );
        assert_eq!(retry_reason(&server, Safety::NotApplied), None);
        assert!(retry_reason(&transport(TransportKind::Timeout), Safety::Idempotent).is_some());
        assert_eq!(
            retry_reason(
                &transport(TransportKind::ConnectionReset),
                Safety::NotApplied
            ),
            None
        );
        assert!(is_uncertain(&server));
        assert!(is_uncertain(&transport(TransportKind::Timeout)));
        assert!(!is_uncertain(&throttled));
        assert!(!is_uncertain(&transport(TransportKind::ConnectionRefused)));
    }

    #[test]
    fn the_config_schema_describes_the_policy_and_the_budget() {
        let schema: serde_json::Value =
            serde_json::from_str(&crate::describe::schemas().connection_config).unwrap();
        let retry = &schema["properties"]["retry"]["properties"];
        assert_eq!(retry["max_attempts"]["default"], DEFAULT_MAX_ATTEMPTS);
        assert_eq!(retry["max_attempts"]["minimum"], 1);
        assert_eq!(
            retry["initial_delay_ms"]["default"],
            DEFAULT_INITIAL_DELAY_MS
        );
        assert_eq!(retry["max_delay_ms"]["default"], DEFAULT_MAX_DELAY_MS);
        assert_eq!(schema["properties"]["time_budget_ms"]["minimum"], 1);
    }

    #[test]
    fn timeouts_are_cut_to_what_is_left_of_the_budget() {
        let context = RetryContext::new(1);
        let timeouts = Timeouts::default();
        assert_eq!(context.timeouts_within(&timeouts, 0), timeouts);
        context.budget.set_limit_ms(Some(1500));
        context.budget.start(0);
        let cut = context.timeouts_within(&timeouts, 500_000_000);
        assert_eq!(
            cut,
            Timeouts {
                connect_ms: 1000,
                first_byte_ms: 1000,
                between_bytes_ms: 1000
            }
        );
        assert_eq!(
            context.timeouts_within(&timeouts, u64::MAX).first_byte_ms,
            1
        );
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let response = |value: &str| Response {
            status: 429,
            headers: vec![("retry-after".into(), value.into())],
            body: vec![],
        };
        assert_eq!(retry_after_ms(&response("3")), Some(3000));
        assert_eq!(
            retry_after_ms(&response("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(
            retry_after_ms(&Response {
                status: 503,
                headers: vec![],
                body: vec![]
            }),
            None
        );
    }
}
