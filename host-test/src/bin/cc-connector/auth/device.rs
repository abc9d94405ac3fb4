//! `cc-connector auth device`: the device authorization flow. It prints the code and the
//! page to enter it on, then polls the token endpoint politely: at the interval the server
//! gave, five seconds slower after each `slow_down`, until approval, denial or expiry.

use std::time::{Duration, Instant};

use anyhow::anyhow;
use clap::Args;
use serde::Deserialize;

use super::common::{AppArgs, print_summary};
use super::http::{self, form};
use crate::exit::{CmdResult, Exit, OrExit, say};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// What RFC 8628 adds to the interval after `slow_down`.
const SLOW_DOWN_SECS: u64 = 5;
const DEFAULT_INTERVAL_SECS: u64 = 5;

#[derive(Args)]
pub struct DeviceArgs {
    #[command(flatten)]
    app: AppArgs,
}

/// The device authorization answer. No `Debug`: the device code is a secret.
#[derive(Deserialize)]
struct DeviceCode {
    device_code: String,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: Option<String>,
    expires_in: Option<u64>,
    interval: Option<u64>,
}

impl DeviceArgs {
    pub async fn run(self) -> CmdResult {
        let auth = self.app.auth_base();
        let client = self.app.client();
        let scopes = self.app.scopes();
        let answer = http::post_form(
            &format!("{auth}/device/authorize"),
            &client,
            &form(&[("scope", &scopes)]),
        )
        .await
        .or_exit(Exit::Stopped)?;
        if !(200..300).contains(&answer.status) {
            return Err(answer.refusal("start the device flow")).or_exit(Exit::Stopped);
        }
        let device: DeviceCode = serde_json::from_slice(&answer.body)
            .map_err(|_| {
                anyhow!("failed to start the device flow: the answer is not a device code")
            })
            .or_exit(Exit::Stopped)?;

        eprintln!("To sign in, open {}", device.verification_uri);
        eprintln!("and enter the code {}", device.user_code);
        if let Some(complete) = &device.verification_uri_complete {
            eprintln!("(or open {complete})");
        }

        let mut interval = device.interval.unwrap_or(DEFAULT_INTERVAL_SECS).max(1);
        let deadline = Instant::now() + Duration::from_secs(device.expires_in.unwrap_or(600));
        let poll = form(&[
            ("grant_type", DEVICE_GRANT),
            ("device_code", &device.device_code),
        ]);
        let tokens = loop {
            tokio::time::sleep(Duration::from_secs(interval)).await;
            if Instant::now() >= deadline {
                return Err(anyhow!(
                    "failed to sign in: the code expired before it was approved"
                ))
                .or_exit(Exit::Stopped);
            }
            let answer = http::post_form(&format!("{auth}/token"), &client, &poll)
                .await
                .or_exit(Exit::Stopped)?;
            if (200..300).contains(&answer.status) {
                break answer
                    .tokens("finish the device flow")
                    .or_exit(Exit::Stopped)?;
            }
            match answer.oauth_error().map(|e| e.error).as_deref() {
                Some("authorization_pending") => {}
                Some("slow_down") => interval += SLOW_DOWN_SECS,
                _ if answer.status == 429 => interval += 1,
                _ => return Err(answer.refusal("finish the device flow")).or_exit(Exit::Stopped),
            }
        };

        let credentials = self.app.credentials(tokens);
        credentials
            .write(&self.app.credentials)
            .or_exit(Exit::Harness)?;
        say(&format!(
            "signed in; credentials written to \"{}\"",
            self.app.credentials.display()
        ))?;
        print_summary(&credentials)?;
        Ok(Exit::Success)
    }
}
