//! What the authorization server remembers: registered clients, pending authorization and
//! device codes, refresh-token families and issued access tokens. Every issued secret is
//! kept only as its SHA-256 digest, so neither the state nor its `Debug` output holds one.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::clock;
use crate::oauth::jwt::{self, Claims};
use crate::oauth::records::{TokenCounters, TokenRef, TokenRequestRecord};
use crate::oauth::settings::{OAuthClient, OAuthSettings};
use crate::oauth::sha256;
use crate::prng::SplitMix64;

type Digest = [u8; 32];

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    /// The PKCE `S256` challenge, when the request carried one.
    pub challenge: Option<String>,
    pub nonce: Option<String>,
    pub expires_at: Instant,
}

/// One issued refresh token. Tokens issued from one another form a family.
#[derive(Debug, Clone)]
pub struct RefreshRecord {
    pub family: usize,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub active: bool,
    pub last_used: Instant,
}

/// Where a device authorization stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved,
    Denied,
    /// Tokens were issued; the device code is spent.
    Used,
}

/// One device authorization (RFC 8628).
#[derive(Debug, Clone)]
pub struct DeviceAuth {
    device_digest: Digest,
    /// `XXXX-XXXX`, upper case.
    pub user_code: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires_at: Instant,
    pub interval_secs: u64,
    pub last_poll: Option<Instant>,
    /// Polls that were not refused with `slow_down`.
    pub polls: u32,
    pub status: DeviceStatus,
}

#[derive(Debug, Clone)]
struct IssuedAccess {
    client_id: String,
    scopes: Vec<String>,
    expires_at: Instant,
}

/// Freshly minted tokens for one grant.
#[derive(Debug, Clone)]
pub struct Minted {
    pub access_token: String,
    pub expires_in: u64,
    pub id_token: Option<String>,
}

/// The authorization server's state.
pub struct OAuthStore {
    pub settings: OAuthSettings,
    /// `http://127.0.0.1:PORT`, set once the emulator is bound.
    pub origin: String,
    clients: Vec<OAuthClient>,
    random: SplitMix64,
    codes: HashMap<Digest, AuthCode>,
    refresh: Vec<RefreshRecord>,
    refresh_index: HashMap<Digest, usize>,
    access: HashMap<Digest, IssuedAccess>,
    devices: Vec<DeviceAuth>,
    rate: HashMap<String, VecDeque<Instant>>,
    pub records: Vec<TokenRequestRecord>,
    pub counters: TokenCounters,
}

impl std::fmt::Debug for OAuthStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthStore")
            .field("settings", &self.settings)
            .field("clients", &self.clients)
            .field("pending_codes", &self.codes.len())
            .field("refresh_tokens", &self.refresh.len())
            .field("access_tokens", &self.access.len())
            .field("devices", &self.devices.len())
            .field("counters", &self.counters)
            .finish()
    }
}

impl OAuthStore {
    /// A store with the given clients and settings; `entropy` seeds the secrets.
    pub fn new(settings: OAuthSettings, clients: Vec<OAuthClient>, entropy: u64) -> OAuthStore {
        OAuthStore {
            settings,
            origin: "http://127.0.0.1".to_string(),
            clients,
            random: SplitMix64::new(entropy ^ 0x5eed_0a17_4c11_e7a5),
            codes: HashMap::new(),
            refresh: Vec::new(),
            refresh_index: HashMap::new(),
            access: HashMap::new(),
            devices: Vec::new(),
            rate: HashMap::new(),
            records: Vec::new(),
            counters: TokenCounters::default(),
        }
    }

    /// A registered client by id.
    pub fn client(&self, client_id: &str) -> Option<&OAuthClient> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    /// Registers a client, replacing one with the same id.
    pub fn register(&mut self, client: OAuthClient) {
        self.clients.retain(|c| c.client_id != client.client_id);
        self.clients.push(client);
    }

    /// A new random secret: 32 bytes in base64url (43 characters).
    pub fn secret(&mut self) -> String {
        let value = URL_SAFE_NO_PAD.encode(self.random_bytes());
        crate::secrets::remember(&value);
        value
    }

    fn random_bytes(&mut self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_exact_mut(8) {
            chunk.copy_from_slice(&self.random.next_u64().to_le_bytes());
        }
        bytes
    }

    /// Counts one token request by `client`; false when the per-second limit is reached.
    pub fn admit(&mut self, client: &str) -> bool {
        let Some(limit) = self.settings.token_rate_limit else {
            return true;
        };
        let now = Instant::now();
        let window = self.rate.entry(client.to_string()).or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            return false;
        }
        window.push_back(now);
        true
    }

    /// Stores an authorization code; returns the code.
    pub fn add_code(&mut self, code: AuthCode) -> String {
        let value = self.secret();
        self.codes.insert(sha256::digest(value.as_bytes()), code);
        value
    }

    /// Removes and returns the authorization code `value` (codes are single use).
    pub fn take_code(&mut self, value: &str) -> Option<AuthCode> {
        self.codes.remove(&sha256::digest(value.as_bytes()))
    }

    /// Mints an access token (and an ID token when `openid` is granted) for `scopes`.
    pub fn mint_access(
        &mut self,
        client_id: &str,
        scopes: &[String],
        nonce: Option<&str>,
    ) -> Minted {
        let lifetime = self.settings.access_token_lifetime;
        let expires_in = lifetime.as_millis().div_ceil(1000) as u64;
        let issued_at = clock::now_secs();
        let issuer = format!("{}/oauth2/default", self.origin);
        let unique = self.secret();
        let claims = Claims {
            issuer: &issuer,
            client_id,
            scopes,
            issued_at,
            expires_at: issued_at + expires_in as i64,
            unique: &unique,
        };
        let access_token = jwt::access_token(&claims, &self.random_bytes());
        crate::secrets::remember(&access_token);
        let id_token = scopes
            .iter()
            .any(|s| s == "openid")
            .then(|| jwt::id_token(&claims, nonce, &self.random_bytes()));

        let issued = IssuedAccess {
            client_id: client_id.to_string(),
            scopes: scopes.to_vec(),
            expires_at: Instant::now() + lifetime,
        };
        self.access
            .insert(sha256::digest(access_token.as_bytes()), issued);
        self.counters.access_tokens_issued += 1;
        Minted {
            access_token,
            expires_in,
            id_token,
        }
    }

    /// Mints a refresh token in `family` (a new family when `None`).
    pub fn mint_refresh(
        &mut self,
        client_id: &str,
        scopes: &[String],
        family: Option<usize>,
    ) -> (String, TokenRef) {
        let value = self.secret();
        let index = self.refresh.len();
        self.refresh.push(RefreshRecord {
            family: family.unwrap_or(index),
            client_id: client_id.to_string(),
            scopes: scopes.to_vec(),
            active: true,
            last_used: Instant::now(),
        });
        self.refresh_index
            .insert(sha256::digest(value.as_bytes()), index);
        self.counters.refresh_tokens_issued += 1;
        let reference = self.token_ref(&value);
        (value, reference)
    }

    /// Names a refresh token value by issue order and digest.
    pub fn token_ref(&self, value: &str) -> TokenRef {
        let digest = sha256::digest(value.as_bytes());
        TokenRef {
            index: self.refresh_index.get(&digest).copied(),
            digest: sha256::hex(&digest[..8]),
        }
    }

    /// The issue position of a refresh token value.
    pub fn refresh_position(&self, value: &str) -> Option<usize> {
        self.refresh_index
            .get(&sha256::digest(value.as_bytes()))
            .copied()
    }

    /// The refresh token issued at `index`.
    pub fn refresh_record(&mut self, index: usize) -> &mut RefreshRecord {
        &mut self.refresh[index]
    }

    /// Deactivates every token of a refresh family.
    pub fn revoke_family(&mut self, family: usize) {
        for record in self.refresh.iter_mut().filter(|r| r.family == family) {
            record.active = false;
        }
    }

    /// Whether a refresh family still has an active token.
    pub fn family_active(&self, family: usize) -> bool {
        self.refresh.iter().any(|r| r.family == family && r.active)
    }

    /// Makes a refresh token unusable; false when the emulator never issued it.
    pub fn expire_refresh(&mut self, value: &str) -> bool {
        match self.refresh_position(value) {
            Some(index) => {
                self.refresh[index].active = false;
                true
            }
            None => false,
        }
    }

    /// The scopes of an issued access token that has not expired.
    pub fn access_scopes(&self, token: &str) -> Option<Vec<String>> {
        self.access_grant(token).map(|(scopes, _)| scopes)
    }

    /// The scopes and client of an issued access token that has not expired.
    pub fn access_grant(&self, token: &str) -> Option<(Vec<String>, String)> {
        let issued = self.access.get(&sha256::digest(token.as_bytes()))?;
        (Instant::now() < issued.expires_at)
            .then(|| (issued.scopes.clone(), issued.client_id.clone()))
    }

    /// Ends an issued access token's life now; false when the emulator never issued it.
    pub fn expire_access(&mut self, token: &str) -> bool {
        match self.access.get_mut(&sha256::digest(token.as_bytes())) {
            Some(issued) => {
                issued.expires_at = Instant::now();
                true
            }
            None => false,
        }
    }

    /// Starts a device authorization; returns the device code and the user code.
    pub fn add_device(&mut self, client_id: &str, scopes: Vec<String>) -> (String, String) {
        let device_code = self.secret();
        let user_code = self.user_code();
        self.devices.push(DeviceAuth {
            device_digest: sha256::digest(device_code.as_bytes()),
            user_code: user_code.clone(),
            client_id: client_id.to_string(),
            scopes,
            expires_at: Instant::now() + self.settings.device_code_lifetime,
            interval_secs: self.settings.device_poll_interval_secs,
            last_poll: None,
            polls: 0,
            status: DeviceStatus::Pending,
        });
        (device_code, user_code)
    }

    /// Eight letters without vowels, e.g. `WDJB-MJHT`, unique among live devices.
    fn user_code(&mut self) -> String {
        const LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
        loop {
            let mut code = String::with_capacity(9);
            for i in 0..8 {
                if i == 4 {
                    code.push('-');
                }
                code.push(*self.random.pick(LETTERS) as char);
            }
            if !self.devices.iter().any(|d| d.user_code == code) {
                return code;
            }
        }
    }

    /// The device authorization a device code belongs to.
    pub fn device_by_code(&mut self, device_code: &str) -> Option<&mut DeviceAuth> {
        let digest = sha256::digest(device_code.as_bytes());
        self.devices.iter_mut().find(|d| d.device_digest == digest)
    }

    /// The device authorization of a user code (any case, dash optional).
    pub fn device_by_user_code(&mut self, user_code: &str) -> Option<&mut DeviceAuth> {
        let wanted: String = user_code
            .chars()
            .filter(|c| *c != '-' && !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        self.devices
            .iter_mut()
            .find(|d| d.user_code.replace('-', "") == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> OAuthStore {
        OAuthStore::new(OAuthSettings::default(), OAuthClient::defaults(), 42)
    }

    #[test]
    fn codes_are_single_use_and_secrets_unique() {
        let mut store = store();
        let code = AuthCode {
            client_id: "c".into(),
            redirect_uri: "http://127.0.0.1/cb".into(),
            scopes: vec![],
            challenge: None,
            nonce: None,
            expires_at: Instant::now(),
        };
        let value = store.add_code(code);
        assert_eq!(value.len(), 43);
        assert!(store.take_code(&value).is_some());
        assert!(store.take_code(&value).is_none());
        assert_ne!(store.secret(), store.secret());
    }

    #[test]
    fn debug_output_holds_no_secret() {
        let mut store = store();
        let minted = store.mint_access("c", &["contact_data".to_string()], None);
        let (refresh, reference) = store.mint_refresh("c", &[], None);
        let shown = format!("{store:?}");
        assert!(!shown.contains(&minted.access_token) && !shown.contains(&refresh));
        assert!(!shown.contains("emulator-secret"), "{shown}");
        assert_eq!(reference.index, Some(0));
        assert_eq!(store.token_ref("never issued").index, None);
    }

    #[test]
    fn access_tokens_expire() {
        let mut store = store();
        let token = store
            .mint_access("c", &["contact_data".to_string()], None)
            .access_token;
        assert_eq!(
            store.access_scopes(&token),
            Some(vec!["contact_data".to_string()])
        );
        assert!(store.expire_access(&token));
        assert_eq!(store.access_scopes(&token), None);
        assert!(!store.expire_access("other"));
    }

    #[test]
    fn user_codes_match_loosely() {
        let mut store = store();
        let (_, user_code) = store.add_device("c", vec![]);
        assert_eq!(user_code.len(), 9);
        let loose = user_code.replace('-', "").to_lowercase();
        assert!(store.device_by_user_code(&loose).is_some());
        assert!(store.device_by_user_code("AAAA-AAAA").is_none());
    }
}
