//! Injected faults of the emulated API: failures a test places on exact requests or draws at
//! a seeded rate, each either before the request is applied (an error status, a reset) or
//! after it (a lost, late or cut answer), so retry and duplicate handling can be checked.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use crate::http::response::Response;
use crate::prng::SplitMix64;
use crate::script::Fault;

/// What an error status's body looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// The API's JSON: an object for 429, an array of `{error_key, error_message}` otherwise.
    Json,
    /// An HTML page, as a proxy or gateway sends.
    Html,
    /// No body at all.
    Empty,
}

/// One injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectedFault {
    /// Answer this status (429 `throttled`, 500, 502, 503, 504) without applying the request.
    Status { status: u16, body: BodyKind },
    /// Close the connection without applying the request or answering.
    ResetBeforeApply,
    /// Apply the request, then close the connection without answering: the answer is lost.
    ResetAfterApply,
    /// Apply the request and hold the answer back this long (a first-byte timeout).
    SlowFirstByte(Duration),
    /// Apply the request and send at most half of the answer's body before closing.
    TruncatedBody,
}

impl InjectedFault {
    /// Every kind of fault: 429 and each 5xx in every body kind, both resets, a slow
    /// first byte of `slow` and a cut body.
    pub fn every_kind(slow: Duration) -> Vec<InjectedFault> {
        let mut all = Vec::new();
        for status in [429, 500, 502, 503, 504] {
            for body in [BodyKind::Json, BodyKind::Html, BodyKind::Empty] {
                all.push(InjectedFault::Status { status, body });
            }
        }
        all.extend([
            InjectedFault::ResetBeforeApply,
            InjectedFault::ResetAfterApply,
            InjectedFault::SlowFirstByte(slow),
            InjectedFault::TruncatedBody,
        ]);
        all
    }

    /// Whether the emulated API applies the request before the fault strikes.
    pub fn applies_request(self) -> bool {
        matches!(
            self,
            InjectedFault::ResetAfterApply
                | InjectedFault::SlowFirstByte(_)
                | InjectedFault::TruncatedBody
        )
    }

    /// A short label for counting, e.g. `503 html` or `reset after apply`.
    pub fn label(self) -> String {
        match self {
            InjectedFault::Status { status, body } => {
                let body = match body {
                    BodyKind::Json => "json",
                    BodyKind::Html => "html",
                    BodyKind::Empty => "empty",
                };
                format!("{status} {body}")
            }
            InjectedFault::ResetBeforeApply => "reset before apply".into(),
            InjectedFault::ResetAfterApply => "reset after apply".into(),
            InjectedFault::SlowFirstByte(_) => "slow first byte".into(),
            InjectedFault::TruncatedBody => "truncated body".into(),
        }
    }

    /// How an applied request's answer is delivered under this fault; `None` for the kinds
    /// that do not apply the request. A cut empty body loses the whole answer.
    pub fn delivery(self, response: &Response) -> Option<Fault> {
        match self {
            InjectedFault::ResetAfterApply => Some(Fault::Drop),
            InjectedFault::SlowFirstByte(pause) => Some(Fault::Delay(pause)),
            InjectedFault::TruncatedBody if response.body.is_empty() => Some(Fault::Drop),
            InjectedFault::TruncatedBody => Some(Fault::Truncate {
                after_bytes: response.body.len() / 2,
            }),
            InjectedFault::Status { .. } | InjectedFault::ResetBeforeApply => None,
        }
    }

    /// The answer of a `Status` fault; `None` for the other kinds.
    pub fn status_response(self) -> Option<Response> {
        let InjectedFault::Status { status, body } = self else {
            return None;
        };
        let response = match body {
            BodyKind::Json if status == 429 => Response::json(
                429,
                &json!({"error_key": "throttled", "error_message": "Too Many Requests"}),
            ),
            BodyKind::Json => Response::json(
                status,
                &json!([{"error_key": "server_error", "error_message": "The server failed to handle the request."}]),
            ),
            BodyKind::Html => Response {
                status,
                content_type: Some("text/html; charset=utf-8".into()),
                headers: Vec::new(),
                body: format!("<html><body><h1>{status} Error</h1></body></html>").into_bytes(),
            },
            BodyKind::Empty => Response::empty(status),
        };
        Some(response)
    }
}

/// A fault placed on the next `times` requests matching a method and path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// `None` matches any method.
    pub method: Option<String>,
    pub path_prefix: String,
    pub times: usize,
    pub fault: InjectedFault,
}

impl FaultRule {
    /// A rule for any method.
    pub fn new(path_prefix: &str, times: usize, fault: InjectedFault) -> FaultRule {
        FaultRule {
            method: None,
            path_prefix: path_prefix.to_string(),
            times,
            fault,
        }
    }

    /// The same rule restricted to one method.
    pub fn with_method(mut self, method: &str) -> FaultRule {
        self.method = Some(method.to_string());
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.times > 0
            && self.method.as_deref().is_none_or(|m| m == method)
            && path.starts_with(&self.path_prefix)
    }
}

/// Faults drawn at random, reproducibly: each request under `path_prefix` fails with
/// probability `per_mille / 1000`, with a kind picked evenly from `faults`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultMix {
    pub seed: u64,
    pub per_mille: u32,
    pub faults: Vec<InjectedFault>,
    /// Only requests under this path draw; default `/v3/`.
    pub path_prefix: String,
}

impl FaultMix {
    /// Every kind of [`InjectedFault::every_kind`] at `per_mille`, on every API path.
    pub fn every_kind(seed: u64, per_mille: u32, slow: Duration) -> FaultMix {
        FaultMix {
            seed,
            per_mille,
            faults: InjectedFault::every_kind(slow),
            path_prefix: "/v3/".into(),
        }
    }
}

/// The emulator's pending fault rules, its seeded mix, and what was injected so far.
#[derive(Debug, Default)]
pub struct FaultPlan {
    rules: Vec<FaultRule>,
    mix: Option<(FaultMix, SplitMix64)>,
    injected: BTreeMap<String, usize>,
}

impl FaultPlan {
    pub fn add_rule(&mut self, rule: FaultRule) {
        self.rules.push(rule);
    }

    /// Replaces the seeded mix; `None` stops random faults. The generator restarts from the
    /// seed, so the same requests in the same order meet the same faults.
    pub fn set_mix(&mut self, mix: Option<FaultMix>) {
        self.mix = mix.map(|m| {
            let rng = SplitMix64::new(m.seed);
            (m, rng)
        });
    }

    /// Forgets the rules and the mix; the counts stay.
    pub fn clear(&mut self) {
        self.rules.clear();
        self.mix = None;
    }

    /// How many faults of each label were injected.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.injected.clone()
    }

    /// The fault this request meets, if any: the first matching rule, else a draw.
    pub fn draw(&mut self, method: &str, path: &str) -> Option<InjectedFault> {
        let fault = self
            .rule_fault(method, path)
            .or_else(|| self.mix_fault(path))?;
        *self.injected.entry(fault.label()).or_default() += 1;
        Some(fault)
    }

    fn rule_fault(&mut self, method: &str, path: &str) -> Option<InjectedFault> {
        let index = self.rules.iter().position(|r| r.matches(method, path))?;
        let rule = &mut self.rules[index];
        rule.times -= 1;
        let fault = rule.fault;
        if rule.times == 0 {
            self.rules.remove(index);
        }
        Some(fault)
    }

    fn mix_fault(&mut self, path: &str) -> Option<InjectedFault> {
        let (mix, rng) = self.mix.as_mut()?;
        if mix.faults.is_empty() || !path.starts_with(&mix.path_prefix) {
            return None;
        }
        if rng.below(1000) >= u64::from(mix.per_mille) {
            return None;
        }
        Some(*rng.pick(&mix.faults))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(plan: &mut FaultPlan, n: usize) -> Vec<Option<InjectedFault>> {
        (0..n).map(|_| plan.draw("GET", "/v3/contacts")).collect()
    }

    #[test]
    fn a_seeded_mix_repeats_and_keeps_its_rate() {
        let mix = FaultMix::every_kind(42, 50, Duration::from_millis(5));
        let mut a = FaultPlan::default();
        a.set_mix(Some(mix.clone()));
        let mut b = FaultPlan::default();
        b.set_mix(Some(mix));
        let first = run(&mut a, 10_000);
        assert_eq!(first, run(&mut b, 10_000));

        let hits = first.iter().flatten().count();
        assert!((400..=600).contains(&hits), "{hits} faults in 10,000 at 5%");
        assert_eq!(
            a.counts().len(),
            InjectedFault::every_kind(Duration::ZERO).len()
        );
        assert_eq!(a.counts().values().sum::<usize>(), hits);
        assert_eq!(a.draw("GET", "/oauth2/default/v1/token"), None);
    }

    #[test]
    fn rules_match_exactly_and_run_out_before_the_mix() {
        let mut plan = FaultPlan::default();
        plan.add_rule(
            FaultRule::new("/v3/contacts", 2, InjectedFault::ResetAfterApply).with_method("POST"),
        );
        assert_eq!(plan.draw("GET", "/v3/contacts"), None);
        assert_eq!(
            plan.draw("POST", "/v3/contacts"),
            Some(InjectedFault::ResetAfterApply)
        );
        assert_eq!(
            plan.draw("POST", "/v3/contacts"),
            Some(InjectedFault::ResetAfterApply)
        );
        assert_eq!(plan.draw("POST", "/v3/contacts"), None);
        assert_eq!(plan.counts()["reset after apply"], 2);
    }

    #[test]
    fn status_bodies_follow_their_kind() {
        let json = InjectedFault::Status {
            status: 429,
            body: BodyKind::Json,
        };
        let body: serde_json::Value =
            serde_json::from_slice(&json.status_response().unwrap().body).unwrap();
        assert_eq!(body["error_key"], "throttled");

        let html = InjectedFault::Status {
            status: 502,
            body: BodyKind::Html,
        }
        .status_response()
        .unwrap();
        assert!(html.content_type.unwrap().starts_with("text/html"));
        let empty = InjectedFault::Status {
            status: 504,
            body: BodyKind::Empty,
        };
        assert!(empty.status_response().unwrap().body.is_empty());
        assert!(!empty.applies_request());
        assert!(InjectedFault::TruncatedBody.applies_request());
        assert_eq!(InjectedFault::ResetBeforeApply.status_response(), None);
    }
}
