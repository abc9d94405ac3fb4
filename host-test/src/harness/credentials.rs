//! The host side of `constantcontact:connector/credentials`: where a call's renewed OAuth2
//! credentials go. A platform keeps them in its own secret store; the default here keeps
//! the latest set in memory, which is enough for one process.

use std::fmt;
use std::sync::{Arc, Mutex};

use super::store::HostState;
use crate::wit::{CredentialsHost, TokenSet};

/// Somewhere renewed credentials are kept. `save` must return only once they are durable;
/// an error makes the connector stop rather than use tokens nobody kept.
pub trait CredentialStore: Send + Sync {
    fn save(&self, tokens: &TokenSet) -> Result<(), String>;
}

/// Keeps the latest credentials in memory.
#[derive(Default, Clone)]
pub struct MemoryCredentials {
    latest: Arc<Mutex<Option<TokenSet>>>,
}

impl MemoryCredentials {
    /// The credentials saved last, if any.
    pub fn latest(&self) -> Option<TokenSet> {
        self.latest
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl fmt::Debug for MemoryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryCredentials").finish_non_exhaustive()
    }
}

impl CredentialStore for MemoryCredentials {
    fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        *self
            .latest
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(tokens.clone());
        Ok(())
    }
}

impl CredentialsHost for HostState {
    async fn save(&mut self, tokens: TokenSet) -> Result<(), String> {
        // The capture must hide the new tokens before anything can log them.
        self.capture.learn_secret(&tokens.access_token);
        if let Some(refresh) = &tokens.refresh_token {
            self.capture.learn_secret(refresh);
        }
        let result = self.credentials.save(&tokens);
        let outcome = match &result {
            Ok(()) => "kept".to_string(),
            Err(why) => format!("not kept: {why}"),
        };
        self.capture.log(
            super::capture::Level::Info,
            "harness",
            &format!("renewed credentials {outcome}"),
        );
        result
    }
}
