//! `cc-connector auth refresh`: renews the access token of a credentials file once, now,
//! waiting out the token endpoint's rate limit, and rewrites the file atomically.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::anyhow;
use clap::Args;

use super::common::{DEFAULT_AUTH_BASE_URL, print_summary};
use super::file::Credentials;
use super::http::{self, form, now_secs};
use crate::exit::{CmdResult, Exit, OrExit, say};

/// Token requests answered 429 in a row before giving up.
const MAX_THROTTLED: u32 = 5;

#[derive(Args)]
pub struct RefreshArgs {
    /// The credentials file to renew
    #[arg(long, env = "CC_CREDENTIALS", value_name = "PATH")]
    credentials: PathBuf,

    /// OAuth2 client secret; omit for a public application
    #[arg(
        long,
        env = "CC_CLIENT_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    client_secret: Option<String>,
}

impl RefreshArgs {
    pub async fn run(self) -> CmdResult {
        let mut held = Credentials::read(&self.credentials).or_exit(Exit::Usage)?;
        let Some(refresh_token) = held.refresh_token.clone() else {
            return Err(anyhow!(
                "failed to renew the access token: the file has no refresh token; run \
                 `cc-connector auth login` again"
            ))
            .or_exit(Exit::Usage);
        };
        let Some(client_id) = held.client_id.clone() else {
            return Err(anyhow!(
                "failed to renew the access token: the file records no client_id"
            ))
            .or_exit(Exit::Usage);
        };
        let auth = held
            .auth_base_url
            .clone()
            .unwrap_or_else(|| DEFAULT_AUTH_BASE_URL.into());
        let client = http::Client {
            id: &client_id,
            secret: self
                .client_secret
                .as_deref()
                .filter(|s| !s.trim().is_empty()),
        };
        let body = form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh_token),
        ]);

        let mut throttled = 0;
        let tokens = loop {
            let answer = http::post_form(&format!("{auth}/token"), &client, &body)
                .await
                .or_exit(Exit::Stopped)?;
            if answer.status == 429 && throttled < MAX_THROTTLED {
                throttled += 1;
                tokio::time::sleep(Duration::from_millis(1_100)).await;
                continue;
            }
            break answer
                .tokens("renew the access token")
                .or_exit(Exit::Stopped)?;
        };

        let rotated = tokens
            .refresh_token
            .as_deref()
            .is_some_and(|new| new != refresh_token);
        held.access_token = tokens.access_token;
        held.access_token_expires_at = tokens.expires_in.map(|s| now_secs() + s);
        if let Some(new) = tokens.refresh_token {
            held.refresh_token = Some(new);
        }
        if tokens.scope.is_some() {
            held.scope = tokens.scope;
        }
        held.write(&self.credentials).or_exit(Exit::Harness)?;

        say(&format!(
            "renewed the access token{}; credentials written to \"{}\"",
            if rotated {
                " and the rotated refresh token"
            } else {
                ""
            },
            self.credentials.display()
        ))?;
        print_summary(&held)?;
        Ok(Exit::Success)
    }
}
