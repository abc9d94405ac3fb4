//! `test` against emulators set up for each diagnosis: every failure a sentence a person can
//! act on, and the notes about a connection that cannot renew itself.

use cc_emulator::{Canned, Emulator, EmulatorConfig, RefreshMode, Script, TokenGrant};
use host_test::wit::{Error, TransportKind};
use serde_json::json;

use crate::auth::{CLIENT_ID, CLIENT_SECRET, now, oauth_config, oauth_emulator};
use crate::oauth;
use crate::support::{TOKEN, config, emulator, harness};

fn with_scopes(scopes: &[&str]) -> Emulator {
    Emulator::start(EmulatorConfig {
        tokens: vec![TokenGrant::new(TOKEN, scopes)],
        ..EmulatorConfig::default()
    })
    .expect("start the emulator")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_renewing_connection_names_the_account_without_a_refresh_note() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    let run = harness()
        .test(&oauth_config(&emu, &issued, now() + issued.expires_in))
        .await
        .expect("no trap");
    let info = run.value.expect("the connection works");
    assert_eq!(
        info.organization_name.as_deref(),
        Some("Emulated Organization")
    );
    assert!(info.notes.is_empty(), "{:?}", info.notes);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_without_a_refresh_token_says_so_up_front() {
    let emu = emulator();
    let info = harness()
        .test(&config(&emu))
        .await
        .expect("no trap")
        .value
        .expect("works");
    assert!(
        info.notes
            .iter()
            .any(|n| n.contains("cannot renew itself") && n.contains("offline_access")),
        "{:?}",
        info.notes
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_that_cannot_be_renewed_says_authorize_again() {
    let emu = oauth_emulator(RefreshMode::Rotating);
    let issued = oauth::issue(&emu, CLIENT_ID, CLIENT_SECRET);
    emu.expire_access_token(&issued.access_token);
    emu.expire_refresh_token(&issued.refresh_token);
    let run = harness()
        .test(&oauth_config(&emu, &issued, now() + issued.expires_in))
        .await
        .expect("no trap");
    let Err(Error::ReauthorizationRequired(message)) = &run.value else {
        panic!("expected reauthorization-required, got {:?}", run.value);
    };
    assert!(
        message.contains("authorize the connection again"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_contact_scope_is_named() {
    let emu = with_scopes(&["account_read"]);
    let run = harness().test(&config(&emu)).await.expect("no trap");
    let Err(Error::Forbidden(f)) = &run.value else {
        panic!("expected forbidden, got {:?}", run.value);
    };
    assert_eq!(f.required_scope.as_deref(), Some("contact_data"));
    assert_eq!(f.required_privilege, None);
    assert!(
        f.failure
            .message
            .contains("not granted the contact_data scope"),
        "{}",
        f.failure.message
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_user_privilege_is_named() {
    let emu = emulator();
    emu.script(Script::new(
        "/v3/account/user/privileges",
        1,
        Canned::json(
            200,
            json!([{"privilege_id": 1, "privilege_name": "account:read"}]),
        ),
    ));
    emu.script(Script::new(
        "/v3/contacts",
        1,
        Canned::json(
            403,
            json!({"error_key": "forbidden", "error_message": "Forbidden"}),
        ),
    ));
    let run = harness().test(&config(&emu)).await.expect("no trap");
    let Err(Error::Forbidden(f)) = &run.value else {
        panic!("expected forbidden, got {:?}", run.value);
    };
    assert_eq!(f.required_privilege.as_deref(), Some("contacts:read"));
    assert!(
        f.failure
            .message
            .contains("lacks the contacts:read privilege"),
        "{}",
        f.failure.message
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_base_url_is_named() {
    let emu = emulator();
    let mut cfg = config(&emu);
    cfg.api_base_url = Some(format!("{}/v2", emu.origin()));
    let run = harness().test(&cfg).await.expect("no trap");
    let Err(Error::BadResponse(b)) = &run.value else {
        panic!("expected bad-response, got {:?}", run.value);
    };
    assert!(b.message.contains("looks wrong"), "{}", b.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_host_is_a_transport_diagnosis() {
    let emu = emulator();
    let mut cfg = config(&emu);
    // A port nothing listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    cfg.api_base_url = Some(format!("http://127.0.0.1:{port}/v3"));
    cfg.timeouts = Some(host_test::wit::Timeouts {
        connect_ms: Some(2_000),
        first_byte_ms: Some(2_000),
        between_bytes_ms: Some(2_000),
    });
    cfg.retry = Some(host_test::wit::RetryPolicy {
        max_attempts: Some(1),
        initial_delay_ms: None,
        max_delay_ms: None,
    });
    let run = harness().test(&cfg).await.expect("no trap");
    let Err(Error::Transport(t)) = &run.value else {
        panic!("expected transport, got {:?}", run.value);
    };
    assert_eq!(t.kind, TransportKind::ConnectionRefused);
    assert!(
        t.message.starts_with("failed to test the connection: "),
        "{}",
        t.message
    );
}

/// A config that fails fast: one attempt, short timeouts.
fn impatient(mut cfg: host_test::wit::ConnectionConfig) -> host_test::wit::ConnectionConfig {
    cfg.timeouts = Some(host_test::wit::Timeouts {
        connect_ms: Some(2_000),
        first_byte_ms: Some(300),
        between_bytes_ms: Some(300),
    });
    cfg.retry = Some(host_test::wit::RetryPolicy {
        max_attempts: Some(1),
        initial_delay_ms: None,
        max_delay_ms: None,
    });
    cfg
}

#[tokio::test(flavor = "multi_thread")]
async fn a_base_url_answering_something_else_is_named() {
    let emu = emulator();
    emu.script(Script::new(
        "/portal",
        10,
        Canned::html(200, "<html><body>Welcome to our portal</body></html>"),
    ));
    let mut cfg = config(&emu);
    cfg.api_base_url = Some(format!("{}/portal", emu.origin()));
    let run = harness().test(&cfg).await.expect("no trap");
    let Err(Error::BadResponse(b)) = &run.value else {
        panic!("expected bad-response, got {:?}", run.value);
    };
    assert!(b.message.contains("looks wrong"), "{}", b.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_host_is_a_timeout_diagnosis() {
    let emu = emulator();
    emu.script_fault(
        Script::new(
            "/v3/account/summary",
            1,
            Canned::json(200, json!({"organization_name": "late"})),
        ),
        cc_emulator::Fault::Delay(std::time::Duration::from_secs(3)),
    );
    let run = harness()
        .test(&impatient(config(&emu)))
        .await
        .expect("no trap");
    let Err(Error::Transport(t)) = &run.value else {
        panic!("expected transport, got {:?}", run.value);
    };
    assert_eq!(t.kind, TransportKind::Timeout, "{}", t.message);
    assert!(
        t.message.starts_with("failed to test the connection: "),
        "{}",
        t.message
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_that_does_not_speak_tls_is_a_tls_diagnosis() {
    let emu = emulator();
    let mut cfg = impatient(config(&emu));
    // The emulator speaks plain HTTP, so a TLS handshake with it fails.
    cfg.api_base_url = Some(format!("https://{}/v3", emu.addr()));
    let run = harness().test(&cfg).await.expect("no trap");
    let Err(Error::Transport(t)) = &run.value else {
        panic!("expected transport, got {:?}", run.value);
    };
    assert_eq!(t.kind, TransportKind::Tls, "{}", t.message);
    assert!(
        t.message.starts_with("failed to test the connection: "),
        "{}",
        t.message
    );
}
