//! The connection's `test`: who the account is, or a diagnosis a person can act on.

use cc_emulator::{Emulator, EmulatorConfig, TokenGrant};
use host_test::wit::{Error, TransportKind};

use crate::support::{assert_no_secret, config, emulator, harness};

fn emulator_with_scopes(scopes: &[&str]) -> Emulator {
    Emulator::start(EmulatorConfig {
        tokens: vec![TokenGrant {
            token: crate::support::TOKEN.into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }],
        ..EmulatorConfig::default()
    })
    .expect("start the emulator")
}

#[tokio::test(flavor = "multi_thread")]
async fn names_the_account_and_proves_contact_access() {
    let emu = emulator();
    let run = harness().test(&config(&emu)).await.expect("run test");
    let account = run.value.expect("the connection works");

    assert!(account.contacts_readable);
    assert!(account.organization_name.is_some_and(|n| !n.is_empty()));
    let paths: Vec<String> = emu.requests().into_iter().map(|r| r.path).collect();
    assert!(
        paths.contains(&"/v3/account/summary".to_string()),
        "{paths:?}"
    );
    assert!(paths.contains(&"/v3/contacts".to_string()), "{paths:?}");
    assert_no_secret(&run.capture);
}

#[tokio::test(flavor = "multi_thread")]
async fn rejected_token_is_unauthorized() {
    let emu = emulator();
    let mut cfg = config(&emu);
    cfg.access_token = "not-a-valid-token".into();
    let run = harness().test(&cfg).await.expect("run test");

    match run.value {
        Err(Error::Unauthorized(failure)) => {
            assert_eq!(failure.status, 401);
            assert!(
                failure.message.contains("authorize the connection again"),
                "the message must say what to do: {}",
                failure.message
            );
        }
        other => panic!("expected unauthorized, got {other:?}"),
    }
    assert!(!format!("{:?}", run.capture).contains("not-a-valid-token"));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_account_scope_still_proves_contact_access() {
    let emu = emulator_with_scopes(&["contact_data"]);
    let run = harness().test(&config(&emu)).await.expect("run test");
    let account = run.value.expect("contacts are readable");

    assert!(account.contacts_readable);
    assert!(account.organization_name.is_none());
    assert!(
        account.notes.iter().any(|n| n.contains("account_read")),
        "notes should name the missing scope: {:?}",
        account.notes
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_contact_scope_is_forbidden_naming_the_scope() {
    let emu = emulator_with_scopes(&["account_read"]);
    let run = harness().test(&config(&emu)).await.expect("run test");

    match run.value {
        Err(Error::Forbidden(f)) => {
            assert_eq!(f.failure.status, 403);
            assert_eq!(f.required_scope.as_deref(), Some("contact_data"));
        }
        other => panic!("expected forbidden, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_base_url_is_reported_as_such() {
    let emu = emulator();
    let mut cfg = config(&emu);
    cfg.api_base_url = Some(format!("{}/not-the-api", emu.origin()));
    let run = harness().test(&cfg).await.expect("run test");

    match run.value {
        Err(Error::BadResponse(b)) => {
            assert_eq!(b.status, 404);
            assert!(b.message.contains("base URL"), "{}", b.message);
        }
        other => panic!("expected a bad response about the base URL, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_host_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let emu = emulator();
    let mut cfg = config(&emu);
    cfg.api_base_url = Some(format!("http://127.0.0.1:{port}/v3"));
    let run = harness().test(&cfg).await.expect("run test");

    match run.value {
        Err(Error::Transport(t)) => assert_eq!(t.kind, TransportKind::ConnectionRefused),
        other => panic!("expected a refused connection, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_config_is_refused_before_any_request() {
    let emu = emulator();
    let mut cfg = config(&emu);
    cfg.api_base_url = Some("ftp://example.invalid/v3".into());
    let run = harness().test(&cfg).await.expect("run test");
    assert!(
        matches!(run.value, Err(Error::InvalidConfig(_))),
        "{:?}",
        run.value
    );

    let mut cfg = config(&emu);
    cfg.access_token = String::new();
    let run = harness().test(&cfg).await.expect("run test");
    assert!(
        matches!(run.value, Err(Error::InvalidConfig(_))),
        "{:?}",
        run.value
    );
    assert!(emu.requests().is_empty());
}
