//! Test hooks of the authorization server on the emulator handle: registering clients,
//! changing its settings, deciding device authorizations, expiring tokens and reading back
//! the token-endpoint traffic.

use crate::oauth::device;
use crate::oauth::records::{TokenCounters, TokenRef, TokenRequestRecord};
use crate::oauth::settings::{OAuthClient, OAuthSettings};

use super::Emulator;

impl Emulator {
    /// Registers an application, replacing one with the same client id.
    pub fn register_client(&self, client: OAuthClient) {
        if let Some(secret) = &client.client_secret {
            crate::secrets::remember(secret);
        }
        self.shared.lock().oauth.register(client);
    }

    /// The authorization server's current settings.
    pub fn oauth_settings(&self) -> OAuthSettings {
        self.shared.lock().oauth.settings.clone()
    }

    /// Replaces the authorization server's settings; tokens and codes already issued keep
    /// the lifetimes they were issued with.
    pub fn set_oauth_settings(&self, settings: OAuthSettings) {
        self.shared.lock().oauth.settings = settings;
    }

    /// Approves the pending device authorization with this user code (any case, dash
    /// optional); false when there is none.
    pub fn approve_device(&self, user_code: &str) -> bool {
        device::decide(&mut self.shared.lock().oauth, user_code, true)
    }

    /// Denies the pending device authorization with this user code; its next poll answers
    /// `access_denied`. False when there is none.
    pub fn deny_device(&self, user_code: &str) -> bool {
        device::decide(&mut self.shared.lock().oauth, user_code, false)
    }

    /// Ends an access token's life now, so the API answers 401 for it. A configured
    /// [`crate::TokenGrant`] is removed instead. False when the token is unknown.
    pub fn expire_access_token(&self, token: &str) -> bool {
        let mut state = self.shared.lock();
        let configured = state.tokens.len();
        state.tokens.retain(|g| g.token != token);
        let removed = state.tokens.len() != configured;
        state.oauth.expire_access(token) || removed
    }

    /// Makes a refresh token unusable (as if it had idled out); false when the emulator
    /// never issued it.
    pub fn expire_refresh_token(&self, token: &str) -> bool {
        self.shared.lock().oauth.expire_refresh(token)
    }

    /// The scopes of an issued, unexpired access token.
    pub fn access_token_scopes(&self, token: &str) -> Option<Vec<String>> {
        self.shared.lock().oauth.access_scopes(token)
    }

    /// Every token-endpoint request so far, oldest first.
    pub fn token_requests(&self) -> Vec<TokenRequestRecord> {
        self.shared.lock().oauth.records.clone()
    }

    /// Forgets the token-endpoint records (the counters keep counting).
    pub fn clear_token_requests(&self) {
        self.shared.lock().oauth.records.clear();
    }

    /// How a refresh token value appears in [`TokenRequestRecord`]s.
    pub fn refresh_token_ref(&self, token: &str) -> TokenRef {
        self.shared.lock().oauth.token_ref(token)
    }

    /// Whether any recorded token request presented this refresh token.
    pub fn was_refresh_token_used(&self, token: &str) -> bool {
        let state = self.shared.lock();
        let wanted = state.oauth.token_ref(token);
        state
            .oauth
            .records
            .iter()
            .any(|r| r.presented_refresh_token.as_ref() == Some(&wanted))
    }

    /// Running totals of token-endpoint outcomes.
    pub fn token_counters(&self) -> TokenCounters {
        self.shared.lock().oauth.counters
    }

    /// Successful refresh grants so far.
    pub fn refresh_count(&self) -> u32 {
        self.shared.lock().oauth.counters.refreshes
    }
}
