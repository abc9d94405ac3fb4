//! Flags the `auth` subcommands share (where the authorization server is, which
//! application, which file), the scopes they request, and the summary they print.

use std::path::PathBuf;

use clap::Args;

use super::file::Credentials;
use super::http::now_secs;
use crate::exit::{Failure, say};

pub const DEFAULT_AUTH_BASE_URL: &str = "https://authz.constantcontact.com/oauth2/default/v1";
/// `offline_access` for a refresh token, plus what the activities need.
pub const REQUIRED_SCOPES: [&str; 3] = ["offline_access", "contact_data", "account_read"];

/// Which application signs in, where, and where the credentials go. No `Debug`.
#[derive(Args)]
pub struct AppArgs {
    /// The credentials file to write (created 0600, replaced atomically)
    #[arg(long, env = "CC_CREDENTIALS", value_name = "PATH")]
    pub credentials: PathBuf,

    /// Base URL of the OAuth2 server [default: https://authz.constantcontact.com/oauth2/default/v1]
    #[arg(long, env = "CC_AUTH_BASE_URL", value_name = "URL")]
    pub auth_base_url: Option<String>,

    /// Base URL of the v3 API to record with the credentials [default: https://api.cc.email/v3]
    #[arg(long, env = "CC_API_BASE_URL", value_name = "URL")]
    pub api_base_url: Option<String>,

    /// OAuth2 client id (the application's API key)
    #[arg(long, env = "CC_CLIENT_ID", value_name = "ID")]
    pub client_id: String,

    /// OAuth2 client secret; omit for a public (PKCE or device flow) application
    #[arg(
        long,
        env = "CC_CLIENT_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub client_secret: Option<String>,

    /// Scopes to request besides offline_access, contact_data and account_read
    #[arg(long = "scope", value_name = "SCOPE")]
    pub extra_scopes: Vec<String>,
}

impl AppArgs {
    pub fn auth_base(&self) -> String {
        self.auth_base_url
            .clone()
            .unwrap_or_else(|| DEFAULT_AUTH_BASE_URL.into())
            .trim_end_matches('/')
            .to_owned()
    }

    /// The space-separated scopes to request.
    pub fn scopes(&self) -> String {
        let mut scopes: Vec<String> = REQUIRED_SCOPES.iter().map(|s| s.to_string()).collect();
        for extra in self.extra_scopes.iter().flat_map(|s| s.split_whitespace()) {
            if !scopes.iter().any(|s| s == extra) {
                scopes.push(extra.to_owned());
            }
        }
        scopes.join(" ")
    }

    pub fn client(&self) -> super::http::Client<'_> {
        super::http::Client {
            id: &self.client_id,
            secret: self
                .client_secret
                .as_deref()
                .filter(|s| !s.trim().is_empty()),
        }
    }

    /// Credentials for this application from a token answer.
    pub fn credentials(&self, answer: super::http::TokenAnswer) -> Credentials {
        Credentials {
            api_base_url: self.api_base_url.clone(),
            auth_base_url: Some(self.auth_base()),
            client_id: Some(self.client_id.clone()),
            access_token: answer.access_token,
            access_token_expires_at: answer.expires_in.map(|s| now_secs() + s),
            refresh_token: answer.refresh_token,
            scope: answer.scope,
        }
    }
}

/// Prints what the credentials allow, never a token.
pub fn print_summary(credentials: &Credentials) -> Result<(), Failure> {
    let expiry = match credentials.access_token_expires_at {
        Some(at) => {
            let now = now_secs();
            if at > now {
                format!("at {at} (Unix time), in {} minutes", (at - now) / 60)
            } else {
                format!("at {at} (Unix time), expired")
            }
        }
        None => "unknown".into(),
    };
    say(&format!(
        "  client id:      {}",
        credentials.client_id.as_deref().unwrap_or("(not recorded)")
    ))?;
    say(&format!("  access token:   expires {expiry}"))?;
    say(&format!(
        "  refresh token:  {}",
        if credentials.refresh_token.is_some() {
            "present: the connection renews itself"
        } else {
            "absent: authorize again when the access token expires"
        }
    ))?;
    say(&format!(
        "  scopes:         {}",
        credentials.scope.as_deref().unwrap_or("(not recorded)")
    ))?;
    Ok(())
}
