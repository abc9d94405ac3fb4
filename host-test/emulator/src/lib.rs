//! An in-memory emulator of the Constant Contact v3 contacts API and its OAuth2 authorization
//! server, served over HTTP/1.1 on a loopback port, for integration tests, the CLI's
//! `emulator` command and demos.
//!
//! ```no_run
//! let emulator = cc_emulator::Emulator::start(Default::default())?;
//! let base = emulator.base_url(); // http://127.0.0.1:PORT/v3, token "emulator-token"
//! # Ok::<(), anyhow::Error>(())
//! ```

mod api;
mod catalog;
mod clock;
mod config;
mod emulator;
mod faults;
mod fixtures;
mod http;
mod ids;
mod model;
mod oauth;
mod prng;
mod recorded;
mod script;
mod secrets;
mod seed;
mod server;
mod state;

pub use catalog::Catalog;
pub use config::{
    ALL_SCOPES, Behaviour, DEFAULT_TOKEN, DeletedDeletePolicy, EmulatorConfig, LimitPolicy,
    RateLimit, TokenGrant,
};
pub use emulator::Emulator;
pub use faults::{BodyKind, FaultMix, FaultRule, InjectedFault};
pub use oauth::records::{ClientAuth, TokenCounters, TokenRef, TokenRequestRecord};
pub use oauth::settings::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PUBLIC_CLIENT_ID, DEFAULT_REDIRECT_URI,
    OAuthClient, OAuthSettings, RefreshMode,
};
pub use oauth::sha256::pkce_challenge;
pub use recorded::RecordedRequest;
pub use script::{Canned, Fault, Script};
pub use secrets::issued_secrets;
pub use seed::SeedSummary;
