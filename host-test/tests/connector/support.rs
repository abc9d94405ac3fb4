//! Shared set-up: one harness per test binary, a fresh emulator per test, and small builders
//! for records written in the JSON form.

use std::sync::OnceLock;

use cc_emulator::{Emulator, EmulatorConfig};
use host_test::harness::{Capture, Harness, HarnessOptions};
use host_test::wit::{ConnectionConfig, Contact, Outcome};
use serde_json::Value;

pub const TOKEN: &str = "emulator-token";

/// The harness, loaded once for the whole binary (the component compiles once).
pub fn harness() -> &'static Harness {
    watch_for_leaks();
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| Harness::load(HarnessOptions::default()).expect("load the component"))
}

/// A fresh emulator with default behaviour and the default token.
pub fn emulator() -> Emulator {
    watch_for_leaks();
    Emulator::start(EmulatorConfig::default()).expect("start the emulator")
}

/// From now on every call through any harness in this binary is scanned: its capture (log
/// lines, guest stdout and stderr, requests) and its value (outcomes, errors, pages,
/// checkpoints) must hold none of the secrets any emulator issued or was configured with.
/// Every test reaches this through `harness`, `emulator` or `config`, so the whole suite is
/// scanned.
pub fn watch_for_leaks() {
    fn scan(activity: &str, text: &str) {
        for secret in cc_emulator::issued_secrets() {
            if text.contains(secret.as_str()) {
                let shown = text.replace(secret.as_str(), "<THE SECRET>");
                let at = shown.find("<THE SECRET>").unwrap_or(0);
                let before = shown[..at].chars().count();
                let around: String = shown
                    .chars()
                    .skip(before.saturating_sub(120))
                    .take(300)
                    .collect();
                panic!("a secret leaked from {activity}: ...{around}...");
            }
        }
    }
    host_test::harness::observe_every_call(scan);
}

/// A connection config for `emulator` with pacing raised so tests take no time waiting.
pub fn config(emulator: &Emulator) -> ConnectionConfig {
    watch_for_leaks();
    let mut config =
        host_test::harness::default_config(&emulator.base_url(), &emulator.auth_base_url(), TOKEN);
    config.pacing = Some(host_test::wit::Pacing {
        requests_per_second: 1000.0,
    });
    config
}

/// A contact from its JSON form.
pub fn contact(json: Value) -> Contact {
    host_test::records::json::contact_from_json(&json).expect("a valid contact in JSON form")
}

/// Fails the test when the token shows up anywhere in what the component produced.
pub fn assert_no_secret(capture: &Capture) {
    let text = format!("{capture:?}");
    assert!(
        !text.contains(TOKEN),
        "the access token leaked into the capture"
    );
}

/// The contact id of a created or updated outcome.
pub fn written_id(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Created(w) | Outcome::Updated(w) => &w.contact_id,
        other => panic!("expected a created or updated outcome, got {other:?}"),
    }
}

/// Requests the emulator received, as `METHOD path?query` lines.
pub fn request_lines(emulator: &Emulator) -> Vec<String> {
    emulator
        .requests()
        .into_iter()
        .map(|r| match r.query {
            Some(q) => format!("{} {}?{}", r.method, r.path, q),
            None => format!("{} {}", r.method, r.path),
        })
        .collect()
}
