//! The CLI's `auth` subcommands end to end against the emulator, driven as a subprocess:
//! `login` with the test playing the browser, `device` with the test approving the code,
//! then `status`, `refresh` and an activity using and updating the credentials file.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use cc_emulator::{DEFAULT_PUBLIC_CLIENT_ID, OAuthClient};
use serde_json::Value;

use crate::oauth;
use crate::support::emulator;

const BIN: &str = env!("CARGO_BIN_EXE_cc-connector");

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cc-cli-auth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Streams the child's stderr lines to a channel, so the test can react to prompts.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stderr = child.stderr.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    receive
}

fn wait_for(lines: &mpsc::Receiver<String>, wanted: impl Fn(&str) -> bool) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("the CLI printed the prompt");
        if wanted(&line) {
            return line;
        }
    }
}

fn file_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the credentials file is private");
    }
}

fn run(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(BIN).args(args).output().expect("run the CLI");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_no_tokens(text: &str, file: &Value) {
    for key in ["access_token", "refresh_token"] {
        if let Some(token) = file[key].as_str() {
            assert!(!text.contains(token), "the {key} was printed");
        }
    }
}

#[test]
fn login_catches_the_redirect_and_the_file_drives_status_refresh_and_activities() {
    let emu = emulator();
    let port = free_port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    emu.register_client(OAuthClient::public("cli-public", &[redirect.as_str()]));
    let path = temp_file("login.json");
    let path_text = path.to_str().unwrap();
    let port_text = port.to_string();

    let mut child = Command::new(BIN)
        .args(["auth", "login", "--credentials", path_text])
        .args(["--auth-base-url", &emu.auth_base_url()])
        .args(["--api-base-url", &emu.base_url()])
        .args(["--client-id", "cli-public", "--port", &port_text])
        .args(["--timeout", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the CLI");
    let lines = stderr_lines(&mut child);
    let url = wait_for(&lines, |l| l.contains("/authorize?"));
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(url.contains("offline_access"), "{url}");

    // The browser: the authorization server redirects to the CLI's listener.
    let answer = oauth::send("GET", url.trim(), &[], "");
    assert_eq!(answer.status, 302, "{}", answer.body);
    let location = answer.header("location").unwrap().to_owned();
    assert!(location.starts_with(&redirect), "{location}");
    let landed = oauth::send("GET", &location, &[], "");
    assert_eq!(landed.status, 200);

    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}");
    let file = file_json(&path);
    assert_private(&path);
    assert!(file["refresh_token"].is_string());
    assert_eq!(file["client_id"], "cli-public");
    assert!(file["scope"].as_str().unwrap().contains("contact_data"));
    assert_no_tokens(&stdout, &file);

    let (ok, stdout, _) = run(&["auth", "status", "--credentials", path_text]);
    assert!(ok);
    assert!(
        stdout.contains("present: the connection renews itself"),
        "{stdout}"
    );
    assert_no_tokens(&stdout, &file);

    let (ok, stdout, stderr) = run(&["auth", "refresh", "--credentials", path_text]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("rotated refresh token"), "{stdout}");
    let renewed = file_json(&path);
    assert_private(&path);
    assert_ne!(renewed["refresh_token"], file["refresh_token"]);
    assert_eq!(emu.refresh_count(), 1);
    assert_no_tokens(&stdout, &renewed);

    // An activity with the file: force a renewal by making the token look expired.
    let mut expiring = renewed.clone();
    expiring["access_token_expires_at"] = Value::from(1);
    std::fs::write(&path, expiring.to_string()).unwrap();
    let (ok, stdout, stderr) = run(&["test", "--credentials", path_text]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("Emulated Organization"), "{stdout}");
    let after = file_json(&path);
    assert_private(&path);
    assert_ne!(after["refresh_token"], renewed["refresh_token"]);
    assert!(after["access_token_expires_at"].as_u64().unwrap() > 1);
    assert_eq!(emu.refresh_count(), 2);
    assert_no_tokens(&format!("{stdout}{stderr}"), &after);
    assert_no_tokens(&format!("{stdout}{stderr}"), &renewed);
}

#[test]
fn device_prints_the_code_and_polls_until_approved() {
    let emu = emulator();
    let mut settings = emu.oauth_settings();
    settings.device_poll_interval_secs = 1;
    emu.set_oauth_settings(settings);
    let path = temp_file("device.json");

    let mut child = Command::new(BIN)
        .args(["auth", "device", "--credentials", path.to_str().unwrap()])
        .args(["--auth-base-url", &emu.auth_base_url()])
        .args(["--client-id", DEFAULT_PUBLIC_CLIENT_ID])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the CLI");
    let lines = stderr_lines(&mut child);
    let line = wait_for(&lines, |l| l.contains("enter the code"));
    let code = line.rsplit(' ').next().unwrap().to_owned();
    // Let it poll while pending at least once.
    std::thread::sleep(Duration::from_millis(1_500));
    assert!(
        emu.approve_device(&code),
        "the printed code is the device's"
    );

    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}");
    let file = file_json(&path);
    assert_private(&path);
    assert!(file["access_token"].is_string());
    assert_no_tokens(&stdout, &file);
    let slow_downs = emu
        .token_requests()
        .iter()
        .filter(|r| r.error.as_deref() == Some("slow_down"))
        .count();
    assert_eq!(slow_downs, 0, "the CLI polls no faster than the interval");
}
