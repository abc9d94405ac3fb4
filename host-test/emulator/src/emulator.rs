//! The emulator handle: starts the server, exposes its URLs, and lets tests read and change
//! the state directly (hooks for select fields, list sequence ids and the catalog are in
//! `account_hooks`, the authorization server's in `oauth_hooks`). Dropping it stops the
//! server.

use std::collections::BTreeMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::Context;
use serde_json::Value;

use crate::clock;
use crate::config::{Behaviour, EmulatorConfig, TokenGrant};
use crate::faults::{FaultMix, FaultRule};
use crate::fixtures;
use crate::model::Includes;
use crate::recorded::RecordedRequest;
use crate::script::{Fault, Script, Scripted};
use crate::seed::{self, SeedSummary};
use crate::server::{self, Shared};
use crate::state::State;

mod account_hooks;
mod oauth_hooks;

/// A running emulator on a loopback port.
#[derive(Debug)]
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    acceptor: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds `config.bind` and starts serving.
    pub fn start(config: EmulatorConfig) -> anyhow::Result<Emulator> {
        let listener = TcpListener::bind(config.bind)
            .with_context(|| format!("failed to bind emulator to \"{}\"", config.bind))?;
        let addr = listener
            .local_addr()
            .context("failed to read the emulator's bound address")?;
        let entropy = RandomState::new().hash_one((addr, std::process::id()));
        for grant in &config.tokens {
            crate::secrets::remember(&grant.token);
        }
        for client in &config.oauth_clients {
            if let Some(secret) = &client.client_secret {
                crate::secrets::remember(secret);
            }
        }
        let mut state = State::new(&config, entropy);
        state.oauth.origin = format!("http://{addr}");
        let shared = Arc::new(Shared::new(state));
        let acceptor = server::spawn_acceptor(listener, Arc::clone(&shared))
            .context("failed to start the emulator's accept thread")?;
        Ok(Emulator {
            shared,
            addr,
            acceptor: Some(acceptor),
        })
    }

    /// Starts an emulator with the default configuration.
    pub fn start_default() -> anyhow::Result<Emulator> {
        Emulator::start(EmulatorConfig::default())
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/v3`, the API base URL.
    pub fn base_url(&self) -> String {
        format!("{}/v3", self.origin())
    }

    /// `http://127.0.0.1:PORT/oauth2/default/v1`, the authorization server base URL.
    pub fn auth_base_url(&self) -> String {
        format!("{}/oauth2/default/v1", self.origin())
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stores a `ContactResource`-shaped object (subresources and read-only fields kept,
    /// missing ids and timestamps filled in); returns its id. Panics on a duplicate id or
    /// email address; see [`Emulator::try_insert_contact`].
    pub fn insert_contact(&self, contact: Value) -> String {
        match self.try_insert_contact(contact) {
            Ok(id) => id,
            Err(error) => panic!("{error:#}"),
        }
    }

    /// Like [`Emulator::insert_contact`], returning an error instead of panicking.
    pub fn try_insert_contact(&self, contact: Value) -> anyhow::Result<String> {
        fixtures::insert_contact(&mut self.shared.lock(), contact)
    }

    /// Adds realistic data: six lists, four custom fields, five tags and `contacts` varied
    /// contacts (a few percent deleted or unsubscribed), all drawn from `seed`.
    pub fn seed_realistic(&self, contacts: usize, seed: u64) -> SeedSummary {
        seed::seed(&mut self.shared.lock(), contacts, seed)
    }

    /// Creates a contact list; returns its id.
    pub fn create_list(&self, name: &str) -> String {
        self.shared
            .lock()
            .add_list(name, None, false, clock::now_secs())
    }

    /// Creates a custom field of an API type (`string`, `date`, `currency`, ...); returns its
    /// id. A select type gets no choices; see [`Emulator::create_custom_field_with_choices`].
    pub fn create_custom_field(&self, label: &str, kind: &str) -> String {
        self.shared
            .lock()
            .add_custom_field(label, kind, clock::now_secs())
    }

    /// Creates a tag; returns its id.
    pub fn create_tag(&self, name: &str) -> String {
        self.shared.lock().add_tag(name, clock::now_secs())
    }

    /// A contact with every subresource, deleted ones included.
    pub fn contact(&self, id: &str) -> Option<Value> {
        self.shared
            .lock()
            .contact(id)
            .map(|c| c.render(Includes::all()))
    }

    /// Every contact with every subresource, deleted ones included, in creation order.
    pub fn contacts(&self) -> Vec<Value> {
        let state = self.shared.lock();
        state
            .contacts
            .iter()
            .map(|c| c.render(Includes::all()))
            .collect()
    }

    /// The contact holding an email address (any case), deleted ones included.
    pub fn find_by_email(&self, email: &str) -> Option<Value> {
        let state = self.shared.lock();
        state
            .email_owner(email)
            .map(|pos| state.contacts[pos].render(Includes::all()))
    }

    /// Every contact list, in creation order.
    pub fn lists(&self) -> Vec<Value> {
        let state = self.shared.lock();
        state.lists.iter().cloned().map(Value::Object).collect()
    }

    /// Every custom field definition, in creation order.
    pub fn custom_fields(&self) -> Vec<Value> {
        let state = self.shared.lock();
        state
            .custom_fields
            .iter()
            .cloned()
            .map(Value::Object)
            .collect()
    }

    /// Every tag, in creation order.
    pub fn tags(&self) -> Vec<Value> {
        let state = self.shared.lock();
        state.tags.iter().cloned().map(Value::Object).collect()
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Adds a canned answer; scripts match in the order they were added.
    pub fn script(&self, script: Script) {
        self.shared.lock().scripts.push(Scripted {
            script,
            fault: None,
        });
    }

    /// Adds a canned answer delivered with a transport fault (a delay, a stalled or
    /// truncated body, or no answer at all).
    pub fn script_fault(&self, script: Script, fault: Fault) {
        self.shared.lock().scripts.push(Scripted {
            script,
            fault: Some(fault),
        });
    }

    /// Places an injected fault on the next matching requests; rules match in the order
    /// they were added, after scripts and before the seeded mix.
    pub fn inject_fault(&self, rule: FaultRule) {
        self.shared.lock().faults.add_rule(rule);
    }

    /// Draws faults at a seeded rate from now on; `None` stops them.
    pub fn set_fault_mix(&self, mix: Option<FaultMix>) {
        self.shared.lock().faults.set_mix(mix);
    }

    /// How many faults of each kind (by label, e.g. `503 html`) were injected so far.
    pub fn fault_counts(&self) -> BTreeMap<String, usize> {
        self.shared.lock().faults.counts()
    }

    /// Removes every fault rule and stops the seeded mix.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Removes every pending script.
    pub fn clear_scripts(&self) {
        self.shared.lock().scripts.clear();
    }

    /// Replaces the behaviour settings.
    pub fn set_behaviour(&self, behaviour: Behaviour) {
        self.shared.lock().behaviour = behaviour;
    }

    /// The current behaviour settings.
    pub fn behaviour(&self) -> Behaviour {
        self.shared.lock().behaviour.clone()
    }

    /// Accepts one more token.
    pub fn add_token(&self, grant: TokenGrant) {
        crate::secrets::remember(&grant.token);
        self.shared.lock().tokens.push(grant);
    }

    /// Stops accepting a token, configured or issued by the authorization server.
    pub fn revoke_token(&self, token: &str) {
        let mut state = self.shared.lock();
        state.tokens.retain(|g| g.token != token);
        state.oauth.expire_access(token);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        server::stop(&self.shared, self.addr, self.acceptor.take());
    }
}
