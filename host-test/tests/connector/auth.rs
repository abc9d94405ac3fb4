//! Connections that renew themselves: proactive and 401-driven refreshes through the real
//! component, rotation hand-off to the host, refusal to persist, both refresh modes.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cc_emulator::{Canned, Emulator, OAuthClient, RefreshMode, Script};
use host_test::harness::{CredentialStore, Harness};
use host_test::wit::{ConnectionConfig, CreateOptions, Error, Outcome, TokenSet};
use serde_json::json;

use crate::oauth::{self, Issued, REDIRECT_URI};
use crate::support::{contact, emulator, harness};

pub const CLIENT_ID: &str = "auth-test-client";
pub const CLIENT_SECRET: &str = "cs-7Qz4-distinctive-client-secret";
const OPTIONS: CreateOptions = CreateOptions {
    create_source: None,
    on_conflict: None,
    mode: None,
    contacts_gave_consent: None,
    create_missing: None,
};

/// Keeps every saved set with how many requests the emulator had seen when it arrived;
/// refuses when told to.
pub struct RecordingStore {
    emulator: Arc<Emulator>,
    refuse: bool,
    pub saved: Mutex<Vec<(TokenSet, usize)>>,
}

impl RecordingStore {
    pub fn new(emulator: &Arc<Emulator>, refuse: bool) -> Arc<RecordingStore> {
        Arc::new(RecordingStore {
            emulator: Arc::clone(emulator),
            refuse,
            saved: Mutex::new(Vec::new()),
        })
    }

    pub fn sets(&self) -> Vec<(TokenSet, usize)> {
        self.saved.lock().unwrap().clone()
    }
}

impl CredentialStore for RecordingStore {
    fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        let seen = self.emulator.requests().len();
        self.saved.lock().unwrap().push((tokens.clone(), seen));
        if self.refuse {
            Err("the vault is read-only".into())
        } else {
            Ok(())
        }
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An emulator with a confidential client of the given refresh mode.
pub fn oauth_emulator(mode: RefreshMode) -> Arc<Emulator> {
    let emu = emulator();
    emu.register_client(
        OAuthClient::confidential(CLIENT_ID, CLIENT_SECRET, &[REDIRECT_URI])
            .with_refresh_mode(mode),
    );
    Arc::new(emu)
}

/// A renewing connection for issued tokens.
pub fn oauth_config(emu: &Emulator, issued: &Issued, expires_at: u64) -> ConnectionConfig {
    let mut config = host_test::harness::default_config(
        &emu.base_url(),
        &emu.auth_base_url(),
        &issued.access_token,
    );
    config.access_token_expires_at = Some(expires_at);
    config.refresh_token = Some(issued.refresh_token.clone());
    config.client_id = Some(CLIENT_ID.into());
    config.client_secret = Some(CLIENT_SECRET.into());
    config.pacing = Some(host_test::wit::Pacing {
        requests_per_second: 1000.0,
    });
    config
}

fn people(n: usize, tag: &str) -> Vec<host_test::wit::Contact> {
    (0..n)
        .map(|i| contact(json!({"email_address": {"address": format!("{tag}{i:03}@example.com")}})))
        .collect()
}

fn store_harness(store: Arc<RecordingStore>) -> Harness {
    harness().clone().with_credentials(store)
}

/// Index of the first token request after the initial code exchange.
fn refresh_request_index(emu: &Emulator) -> usize {
    emu.requests()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.path.ends_with("/token"))
        .map(|(i, _)| i)
        .nth(1)
        .expect("a refresh request")
}

#[tokio::test(flavor = "multi_thread")]
async fn expiry_during_a_batch_refreshes_once_and_hands_off_first() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    let mut settings = emu.oauth_settings();
    settings.access_token_lifetime = Duration::from_secs(2);
    emu.set_oauth_settings(settings.clone());
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    settings.access_token_lifetime = Duration::from_secs(86_400);
    emu.set_oauth_settings(settings);

    let mut config = oauth_config(&emu, &issued, now() + issued.expires_in);
    config.refresh_margin_seconds = Some(0);
    // 50 records at 10 per second outlast the 2-second token.
    config.pacing = Some(host_test::wit::Pacing {
        requests_per_second: 10.0,
    });
    let store = RecordingStore::new(&emu, false);
    let run = store_harness(store.clone())
        .create(&config, &people(50, "batch"), &OPTIONS)
        .await
        .expect("no trap");

    assert_eq!(run.value.len(), 50);
    for (i, outcome) in run.value.iter().enumerate() {
        assert!(
            matches!(outcome, Outcome::Created(_)),
            "record {i}: {outcome:?}"
        );
    }
    assert_eq!(emu.refresh_count(), 1, "exactly one refresh");
    assert_eq!(emu.contacts().len(), 50);

    let sets = store.sets();
    assert_eq!(sets.len(), 1);
    let (saved, seen_at_save) = &sets[0];
    let new_refresh = saved
        .refresh_token
        .clone()
        .expect("a rotated refresh token");
    assert_ne!(new_refresh, issued.refresh_token);
    assert_ne!(saved.access_token, issued.access_token);
    // Nothing reached the emulator between the token answer and the save.
    assert_eq!(*seen_at_save, refresh_request_index(&emu) + 1);

    let old = emu.refresh_token_ref(&issued.refresh_token);
    let presented_old = emu
        .token_requests()
        .iter()
        .filter(|r| r.presented_refresh_token.as_ref() == Some(&old))
        .count();
    assert_eq!(
        presented_old, 1,
        "the old refresh token is sent exactly once"
    );
    assert!(!emu.was_refresh_token_used(&new_refresh));

    let text = format!("{:?}{:?}", run.capture, run.value);
    for secret in [
        issued.access_token.as_str(),
        issued.refresh_token.as_str(),
        saved.access_token.as_str(),
        new_refresh.as_str(),
        CLIENT_SECRET,
    ] {
        assert!(!text.contains(secret), "a secret leaked into the capture");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_mid_query_refreshes_once_then_a_second_one_ends_resumably() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    for i in 0..30 {
        emu.insert_contact(json!({"email_address": {"address": format!("q{i:02}@example.com")}}));
    }
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    let config = oauth_config(&emu, &issued, now() + issued.expires_in);
    let store = RecordingStore::new(&emu, false);
    let h = store_harness(store.clone());
    let mut request = host_test::records::json::empty_query();
    request.page_size = Some(10);

    let mut run = h
        .query(&config, &request, None)
        .await
        .expect("no trap")
        .expect("query");
    let first = run.next_page().await.unwrap().unwrap().unwrap();
    assert_eq!(first.len(), 10);

    emu.expire_access_token(&issued.access_token);
    let second = run.next_page().await.unwrap().unwrap().unwrap();
    let address = |c: &host_test::wit::Contact| c.email_address.clone().unwrap().address;
    assert_eq!(address(&second[0]), "q10@example.com");
    assert_eq!(emu.refresh_count(), 1);
    assert_eq!(store.sets().len(), 1);

    emu.script(Script::new(
        "/v3/contacts",
        2,
        Canned::json(
            401,
            json!({"error_key": "unauthorized", "error_message": "Unauthorized"}),
        ),
    ));
    let error = run.next_page().await.unwrap().unwrap_err();
    let Error::ReauthorizationRequired(message) = &error else {
        panic!("expected reauthorization-required, got {error:?}");
    };
    assert!(
        message.contains("authorize the connection again"),
        "{message}"
    );
    // The renewed token was refused, so the second 401 is not a reason to refresh again.
    assert_eq!(emu.refresh_count(), 2, "one more refresh, then no loop");
    let checkpoint = run.checkpoint().await.unwrap();
    assert_eq!(checkpoint.delivered, 20);
    assert!(!checkpoint.finished && checkpoint.next_page.is_some());

    let (saved, _) = store.sets().last().cloned().unwrap();
    let mut renewed = config.clone();
    renewed.access_token = saved.access_token.clone();
    renewed.refresh_token = saved.refresh_token.clone();
    renewed.access_token_expires_at = saved.access_token_expires_at;
    let mut resumed = h
        .query(&renewed, &request, Some(&checkpoint))
        .await
        .expect("no trap")
        .expect("resume");
    let third = resumed.next_page().await.unwrap().unwrap().unwrap();
    assert_eq!(address(&third[0]), "q20@example.com");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_that_cannot_keep_credentials_stops_the_batch() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    // Already within the margin: the first record renews.
    let config = oauth_config(&emu, &issued, now() + 10);
    let store = RecordingStore::new(&emu, true);
    let run = store_harness(store.clone())
        .create(&config, &people(5, "refused"), &OPTIONS)
        .await
        .expect("no trap");

    let Outcome::Failed(Error::CredentialsNotSaved(message)) = &run.value[0] else {
        panic!("expected credentials-not-saved, got {:?}", run.value[0]);
    };
    assert!(message.contains("the vault is read-only"), "{message}");
    for outcome in &run.value[1..] {
        assert!(
            matches!(
                outcome,
                Outcome::NotAttempted(Error::CredentialsNotSaved(_))
            ),
            "{outcome:?}"
        );
    }
    assert!(emu.contacts().is_empty(), "no record was written");
    assert_eq!(emu.refresh_count(), 1);
    let (unsaved, _) = store.sets()[0].clone();
    let text = format!("{:?}{:?}", run.capture, run.value);
    assert!(!text.contains(&unsaved.access_token));
}

async fn renewing_job(mode: RefreshMode) -> (Issued, Vec<TokenSet>) {
    let emu = oauth_emulator(mode);
    let mut settings = emu.oauth_settings();
    settings.token_rate_limit = None;
    emu.set_oauth_settings(settings);
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    let store = RecordingStore::new(&emu, false);
    let h = store_harness(store.clone());

    let mut config = oauth_config(&emu, &issued, now() + 5);
    for round in 0..2 {
        let run = h
            .create(&config, &people(3, &format!("m{round}-")), &OPTIONS)
            .await
            .expect("no trap");
        assert!(
            run.value.iter().all(|o| matches!(o, Outcome::Created(_))),
            "{:?}",
            run.value
        );
        let (saved, _) = store.sets().last().cloned().expect("saved");
        config.access_token = saved.access_token.clone();
        config.refresh_token = saved.refresh_token.clone().or(config.refresh_token);
        // Pretend the renewed token is about to expire too, so the next job renews again.
        config.access_token_expires_at = Some(now() + 5);
    }
    assert_eq!(emu.refresh_count(), 2);
    assert_eq!(emu.contacts().len(), 6);
    let sets = store.sets().into_iter().map(|(s, _)| s).collect();
    (issued, sets)
}

#[tokio::test(flavor = "multi_thread")]
async fn rotating_and_long_lived_modes_run_the_same_job() {
    let (issued, rotating) = renewing_job(RefreshMode::Rotating).await;
    let first = rotating[0].refresh_token.clone().unwrap();
    let second = rotating[1].refresh_token.clone().unwrap();
    assert_ne!(first, issued.refresh_token);
    assert_ne!(first, second);

    let (issued, long_lived) = renewing_job(RefreshMode::LongLived).await;
    for set in &long_lived {
        let kept = set
            .refresh_token
            .as_deref()
            .unwrap_or(&issued.refresh_token);
        assert_eq!(kept, issued.refresh_token);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_refresh_token_requires_reauthorization() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    emu.expire_refresh_token(&issued.refresh_token);
    let config = oauth_config(&emu, &issued, now().saturating_sub(1));
    let run = harness()
        .create(&config, &people(2, "grant"), &OPTIONS)
        .await
        .expect("no trap");
    let Outcome::Failed(Error::ReauthorizationRequired(message)) = &run.value[0] else {
        panic!("expected reauthorization-required, got {:?}", run.value[0]);
    };
    assert!(message.contains("invalid_grant"), "{message}");
    assert!(
        message.contains("authorize the connection again"),
        "{message}"
    );
    assert!(matches!(
        run.value[1],
        Outcome::NotAttempted(Error::ReauthorizationRequired(_))
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_client_secret_is_invalid_config() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    let mut config = oauth_config(&emu, &issued, now().saturating_sub(1));
    config.client_secret = Some("cs-wrong-secret-value".into());
    let run = harness()
        .create(&config, &people(1, "client"), &OPTIONS)
        .await
        .expect("no trap");
    let Outcome::Failed(Error::InvalidConfig(message)) = &run.value[0] else {
        panic!("expected invalid-config, got {:?}", run.value[0]);
    };
    assert!(message.contains("invalid_client"), "{message}");
    assert!(!message.contains("cs-wrong-secret-value"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_refresh_token_an_expired_token_requires_reauthorization() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    let mut config = oauth_config(&emu, &issued, now() + issued.expires_in);
    config.refresh_token = None;
    let ok = harness()
        .create(&config, &people(1, "before"), &OPTIONS)
        .await
        .expect("no trap");
    assert!(matches!(ok.value[0], Outcome::Created(_)));

    emu.expire_access_token(&issued.access_token);
    let run = harness()
        .create(&config, &people(1, "after"), &OPTIONS)
        .await
        .expect("no trap");
    assert!(
        matches!(
            run.value[0],
            Outcome::Failed(Error::ReauthorizationRequired(_))
        ),
        "{:?}",
        run.value[0]
    );
    assert_eq!(emu.refresh_count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_endpoints_rate_limit_is_waited_out() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    // Renewing right after the code exchange meets the one-per-second limit.
    let config = oauth_config(&emu, &issued, now() + 10);
    let run = harness()
        .create(&config, &people(1, "limit"), &OPTIONS)
        .await
        .expect("no trap");
    assert!(
        matches!(run.value[0], Outcome::Created(_)),
        "{:?}",
        run.value[0]
    );
    let counters = emu.token_counters();
    assert!(counters.rate_limited >= 1, "{counters:?}");
    assert_eq!(counters.refreshes, 1);
}
