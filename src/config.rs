//! The validated connection configuration: base URLs, credentials (as [`Secret`]s), HTTP
//! timeouts and pacing. `open` builds it and refuses unusable values with `invalid-config`.

use crate::errors::invalid_config;
use crate::http::Timeouts;
use crate::secret::{Scrubber, Secret};
use crate::url::BaseUrl;
use crate::wit;

pub const DEFAULT_API_BASE_URL: &str = "https://api.cc.email/v3";
pub const DEFAULT_AUTH_BASE_URL: &str = "https://authz.constantcontact.com/oauth2/default/v1";
/// The API's published limit per application.
pub const DEFAULT_REQUESTS_PER_SECOND: f64 = 4.0;
/// How close to expiry an access token is renewed, in seconds.
pub const DEFAULT_REFRESH_MARGIN_SECONDS: u32 = 300;

/// Everything a connection was opened with, checked.
#[derive(Clone, Debug)]
pub struct Config {
    pub api_base: BaseUrl,
    pub auth_base: BaseUrl,
    pub access_token: Secret,
    pub access_token_expires_at: Option<u64>,
    pub refresh_token: Option<Secret>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    /// Renew the access token once it is this close to expiry, in seconds.
    pub refresh_margin_seconds: u32,
    pub timeouts: Timeouts,
    pub requests_per_second: f64,
}

impl Config {
    pub fn from_wit(config: wit::ConnectionConfig) -> Result<Config, wit::Error> {
        let api_base = base_url("api_base_url", config.api_base_url, DEFAULT_API_BASE_URL)?;
        let auth_base = base_url("auth_base_url", config.auth_base_url, DEFAULT_AUTH_BASE_URL)?;

        let token = config.access_token;
        if token.trim().is_empty() {
            return Err(invalid_config(
                "failed to open the connection: access_token is empty",
            ));
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid_config(
                "failed to open the connection: access_token contains whitespace or control \
                 characters",
            ));
        }

        let timeouts = timeouts(config.timeouts)?;
        let requests_per_second = match config.pacing {
            None => DEFAULT_REQUESTS_PER_SECOND,
            Some(p) if p.requests_per_second.is_finite() && p.requests_per_second > 0.0 => {
                p.requests_per_second
            }
            Some(p) => {
                return Err(invalid_config(&format!(
                    "failed to open the connection: pacing.requests_per_second \"{}\" must be a \
                     finite number greater than zero",
                    p.requests_per_second
                )));
            }
        };

        Ok(Config {
            api_base,
            auth_base,
            access_token: Secret::new(token),
            access_token_expires_at: config.access_token_expires_at,
            refresh_token: config.refresh_token.map(Secret::new),
            client_id: config.client_id,
            client_secret: config.client_secret.map(Secret::new),
            refresh_margin_seconds: config
                .refresh_margin_seconds
                .unwrap_or(DEFAULT_REFRESH_MARGIN_SECONDS),
            timeouts,
            requests_per_second,
        })
    }

    /// A scrubber for every secret this configuration holds.
    pub fn scrubber(&self) -> Scrubber {
        let secrets = [
            Some(&self.access_token),
            self.refresh_token.as_ref(),
            self.client_secret.as_ref(),
        ];
        Scrubber::new(secrets.into_iter().flatten())
    }
}

fn base_url(name: &str, value: Option<String>, default: &str) -> Result<BaseUrl, wit::Error> {
    let text = value.unwrap_or_else(|| default.to_owned());
    BaseUrl::parse(&text).map_err(|reason| {
        // The URL is shown only when it holds no credentials.
        let shown = if text.contains('@') {
            String::new()
        } else {
            format!(" \"{text}\"")
        };
        invalid_config(&format!(
            "failed to open the connection: {name}{shown} is not usable: {reason}"
        ))
    })
}

fn timeouts(value: Option<wit::Timeouts>) -> Result<Timeouts, wit::Error> {
    let defaults = Timeouts::default();
    let Some(given) = value else {
        return Ok(defaults);
    };
    let pick = |name: &str, value: Option<u32>, default: u32| match value {
        Some(0) => Err(invalid_config(&format!(
            "failed to open the connection: timeouts.{name} must be greater than zero"
        ))),
        Some(ms) => Ok(ms),
        None => Ok(default),
    };
    Ok(Timeouts {
        connect_ms: pick("connect_ms", given.connect_ms, defaults.connect_ms)?,
        first_byte_ms: pick("first_byte_ms", given.first_byte_ms, defaults.first_byte_ms)?,
        between_bytes_ms: pick(
            "between_bytes_ms",
            given.between_bytes_ms,
            defaults.between_bytes_ms,
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::message;

    pub fn minimal(token: &str) -> wit::ConnectionConfig {
        wit::ConnectionConfig {
            api_base_url: None,
            auth_base_url: None,
            access_token: token.into(),
            access_token_expires_at: None,
            refresh_token: None,
            client_id: None,
            client_secret: None,
            timeouts: None,
            pacing: None,
            refresh_margin_seconds: None,
            retry: None,
            time_budget_ms: None,
        }
    }

    fn refused(config: wit::ConnectionConfig) -> String {
        match Config::from_wit(config) {
            Err(wit::Error::InvalidConfig(m)) => m,
            other => panic!("expected invalid-config, got {other:?}"),
        }
    }

    #[test]
    fn defaults_apply_when_only_the_token_is_given() {
        let config = Config::from_wit(minimal("tok")).unwrap();
        assert_eq!(config.api_base.as_string(), DEFAULT_API_BASE_URL);
        assert_eq!(config.auth_base.as_string(), DEFAULT_AUTH_BASE_URL);
        assert_eq!(config.timeouts, Timeouts::default());
        assert_eq!(config.requests_per_second, 4.0);
    }

    #[test]
    fn given_values_are_kept_and_trailing_slashes_stripped() {
        let mut given = minimal("tok");
        given.api_base_url = Some("http://127.0.0.1:8080/v3/".into());
        given.timeouts = Some(wit::Timeouts {
            connect_ms: Some(5),
            first_byte_ms: None,
            between_bytes_ms: Some(7),
        });
        given.pacing = Some(wit::Pacing {
            requests_per_second: 0.5,
        });
        let config = Config::from_wit(given).unwrap();
        assert_eq!(config.api_base.as_string(), "http://127.0.0.1:8080/v3");
        assert_eq!(
            config.timeouts,
            Timeouts {
                connect_ms: 5,
                first_byte_ms: 30_000,
                between_bytes_ms: 7
            }
        );
        assert_eq!(config.requests_per_second, 0.5);
    }

    #[test]
    fn bad_values_are_invalid_config() {
        assert!(refused(minimal("")).contains("access_token is empty"));
        assert!(refused(minimal("  ")).contains("access_token is empty"));
        assert!(refused(minimal("a b")).contains("whitespace"));

        let mut bad_url = minimal("tok");
        bad_url.api_base_url = Some("ftp://example.com/v3".into());
        let m = refused(bad_url);
        assert!(
            m.starts_with("failed to open the connection: api_base_url"),
            "{m}"
        );
        assert!(m.contains("\"ftp://example.com/v3\""), "{m}");

        let mut no_host = minimal("tok");
        no_host.auth_base_url = Some("https:///v1".into());
        assert!(refused(no_host).contains("auth_base_url"));

        for rps in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let mut pacing = minimal("tok");
            pacing.pacing = Some(wit::Pacing {
                requests_per_second: rps,
            });
            assert!(refused(pacing).contains("requests_per_second"));
        }

        let mut zero = minimal("tok");
        zero.timeouts = Some(wit::Timeouts {
            connect_ms: None,
            first_byte_ms: Some(0),
            between_bytes_ms: None,
        });
        assert!(refused(zero).contains("timeouts.first_byte_ms"));
    }

    #[test]
    fn credentials_in_a_url_are_not_echoed() {
        let mut given = minimal("tok");
        given.api_base_url = Some("https://user:hunter22@example.com/v3".into());
        let m = refused(given);
        assert!(!m.contains("hunter22"), "{m}");
    }

    #[test]
    fn debug_and_errors_never_show_secrets() {
        let mut given = minimal("access-secret-1");
        given.refresh_token = Some("refresh-secret-2".into());
        given.client_secret = Some("client-secret-3".into());
        let config = Config::from_wit(given).unwrap();
        let debug = format!("{config:?}");
        for secret in ["access-secret-1", "refresh-secret-2", "client-secret-3"] {
            assert!(!debug.contains(secret), "{debug}");
            assert_eq!(config.scrubber().scrub(secret), "<redacted>");
        }
        let error = invalid_config("x");
        assert_eq!(message(&error), "x");
    }
}
