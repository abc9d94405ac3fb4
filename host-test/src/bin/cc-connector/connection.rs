//! Connection settings from flags, the environment and a JSON config file (flags beat the
//! environment, which beats the file). Secret values are never printed, not even as
//! `--help` defaults.

use std::path::PathBuf;

use clap::Args;
use host_test::records::json::connection_config_from_json;
use host_test::wit::ConnectionConfig;

use crate::exit::{Exit, Failure, OrExit, usage};

/// Connection flags. No `Debug`: it would show the secrets.
#[derive(Args)]
pub struct ConnectionArgs {
    /// Base URL of the v3 API [default: https://api.cc.email/v3]
    #[arg(long, env = "CC_API_BASE_URL", value_name = "URL")]
    api_base_url: Option<String>,

    /// Base URL of the OAuth2 server [default: https://authz.constantcontact.com/oauth2/default/v1]
    #[arg(long, env = "CC_AUTH_BASE_URL", value_name = "URL")]
    auth_base_url: Option<String>,

    /// OAuth2 access token (prefer the environment variable: flags show in process lists)
    #[arg(
        long,
        env = "CC_ACCESS_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    access_token: Option<String>,

    /// OAuth2 refresh token
    #[arg(
        long,
        env = "CC_REFRESH_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    refresh_token: Option<String>,

    /// OAuth2 client id (the application's API key)
    #[arg(long, env = "CC_CLIENT_ID", value_name = "ID")]
    client_id: Option<String>,

    /// OAuth2 client secret
    #[arg(
        long,
        env = "CC_CLIENT_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    client_secret: Option<String>,

    /// A JSON file in the connection-config form (e.g. {"api_base_url": ..., "access_token": ...})
    #[arg(long = "config", value_name = "PATH")]
    config_file: Option<PathBuf>,

    /// A credentials file from `cc-connector auth`: its tokens are used, and renewed ones are
    /// written back to it
    #[arg(long, env = "CC_CREDENTIALS", value_name = "PATH")]
    credentials: Option<PathBuf>,
}

impl ConnectionArgs {
    /// `config` with the tokens the `--credentials` file holds now, so each batch uses the
    /// credentials the previous one renewed (a rotated refresh token works only once).
    pub fn current(&self, config: &ConnectionConfig) -> ConnectionConfig {
        let mut config = config.clone();
        if let Some(held) = self
            .credentials
            .as_ref()
            .and_then(|path| crate::auth::file::Credentials::read(path).ok())
        {
            held.apply(&mut config);
        }
        config
    }

    /// The harness to run with: one that writes renewed credentials to the `--credentials`
    /// file, when one is given.
    pub fn harness(&self, loaded: &host_test::Harness) -> host_test::Harness {
        match &self.credentials {
            Some(path) => loaded.clone().with_credentials(std::sync::Arc::new(
                crate::auth::file::FileCredentials::new(path.clone()),
            )),
            None => loaded.clone(),
        }
    }

    /// The connection config these settings describe.
    pub fn resolve(&self) -> Result<ConnectionConfig, Failure> {
        let mut config = match &self.config_file {
            Some(path) => read_config_file(path)?,
            None => ConnectionConfig {
                api_base_url: None,
                auth_base_url: None,
                access_token: String::new(),
                access_token_expires_at: None,
                refresh_token: None,
                client_id: None,
                client_secret: None,
                timeouts: None,
                pacing: None,
                refresh_margin_seconds: None,
                retry: None,
                time_budget_ms: None,
            },
        };

        if let Some(path) = &self.credentials {
            crate::auth::file::Credentials::read(path)
                .or_exit(Exit::Usage)?
                .apply(&mut config);
        }

        let set = |target: &mut Option<String>, value: &Option<String>| {
            if let Some(value) = value.as_ref().filter(|v| !v.trim().is_empty()) {
                *target = Some(value.clone());
            }
        };
        set(&mut config.api_base_url, &self.api_base_url);
        set(&mut config.auth_base_url, &self.auth_base_url);
        set(&mut config.refresh_token, &self.refresh_token);
        set(&mut config.client_id, &self.client_id);
        set(&mut config.client_secret, &self.client_secret);
        if let Some(token) = self.access_token.as_ref().filter(|t| !t.trim().is_empty()) {
            config.access_token = token.clone();
        }

        if config.access_token.trim().is_empty() {
            return Err(usage(
                "failed to configure the connection: no access token; set CC_ACCESS_TOKEN, \
                 pass --access-token or put access_token in the --config file"
                    .into(),
            ));
        }
        if config.refresh_token.is_some() && self.credentials.is_none() {
            // With rotating refresh tokens (Constant Contact's default) the one given here
            // stops working at the first renewal, and the new one would die with this process.
            eprintln!(
                "warning: renewed tokens will not be kept: a rotated refresh token is lost when \
                 this command ends; pass --credentials FILE (see `cc-connector auth`) to keep them"
            );
        }
        Ok(config)
    }
}

fn read_config_file(path: &PathBuf) -> Result<ConnectionConfig, Failure> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("failed to read the config file \"{shown}\": {e}"))
        .or_exit(Exit::Usage)?;
    // The parse error text could quote the file; say only where it failed.
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| {
            anyhow::anyhow!(
                "failed to read the config file \"{shown}\": invalid JSON at line {} column {}",
                e.line(),
                e.column()
            )
        })
        .or_exit(Exit::Usage)?;
    connection_config_from_json(&value)
        .map_err(|e| anyhow::anyhow!("failed to read the config file \"{shown}\": {e}"))
        .or_exit(Exit::Usage)
}
