//! Everything the emulator holds in memory: the account's contacts, lists, custom fields and
//! tags, plus the cursors, scripts, request log, rate counters and the authorization server;
//! all behind one mutex.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::api::paging::CursorStore;
use crate::api::rate::RateTracker;
use crate::clock;
use crate::config::{Behaviour, EmulatorConfig, TokenGrant};
use crate::faults::FaultPlan;
use crate::ids::IdGenerator;
use crate::model::StoredContact;
use crate::oauth::store::OAuthStore;
use crate::recorded::RecordedRequest;
use crate::script::Scripted;

/// The emulator's whole state.
#[derive(Debug)]
pub struct State {
    pub behaviour: Behaviour,
    pub tokens: Vec<TokenGrant>,
    pub ids: IdGenerator,
    /// Contacts in creation order; never removed (deletion is soft).
    pub contacts: Vec<StoredContact>,
    contact_index: HashMap<String, usize>,
    /// Lower-cased email address to position in `contacts`, deleted contacts included.
    email_index: HashMap<String, usize>,
    /// `ContactList` objects in creation order.
    pub lists: Vec<Map<String, Value>>,
    /// `CustomField` objects in creation order.
    pub custom_fields: Vec<Map<String, Value>>,
    /// `Tag` objects in creation order.
    pub tags: Vec<Map<String, Value>>,
    pub cursors: CursorStore,
    pub scripts: Vec<Scripted>,
    pub requests: Vec<RecordedRequest>,
    pub rate: RateTracker,
    /// Injected faults: exact rules and the seeded mix.
    pub faults: FaultPlan,
    /// The authorization server's clients, codes and issued tokens.
    pub oauth: OAuthStore,
}

impl State {
    /// A state with no data, accepting the configured tokens.
    pub fn new(config: &EmulatorConfig, entropy: u64) -> State {
        State {
            behaviour: config.behaviour.clone(),
            tokens: config.tokens.clone(),
            ids: IdGenerator::new(entropy),
            contacts: Vec::new(),
            contact_index: HashMap::new(),
            email_index: HashMap::new(),
            lists: Vec::new(),
            custom_fields: Vec::new(),
            tags: Vec::new(),
            cursors: CursorStore::new(entropy),
            scripts: Vec::new(),
            requests: Vec::new(),
            rate: RateTracker::default(),
            faults: FaultPlan::default(),
            oauth: OAuthStore::new(config.oauth.clone(), config.oauth_clients.clone(), entropy),
        }
    }

    /// Position of a contact in creation order, by id (case-insensitive).
    pub fn contact_position(&self, id: &str) -> Option<usize> {
        self.contact_index.get(&id.to_ascii_lowercase()).copied()
    }

    /// A contact by id.
    pub fn contact(&self, id: &str) -> Option<&StoredContact> {
        self.contact_position(id).map(|pos| &self.contacts[pos])
    }

    /// Position of the contact holding an email address (any case), deleted ones included.
    pub fn email_owner(&self, email: &str) -> Option<usize> {
        self.email_index.get(&email.to_lowercase()).copied()
    }

    /// Adds a contact; refuses a duplicate id or an email address another contact holds.
    pub fn add_contact(&mut self, contact: StoredContact) -> Result<(), String> {
        let id = contact.id.to_ascii_lowercase();
        if self.contact_index.contains_key(&id) {
            return Err(format!("contact id \"{id}\" is already used"));
        }
        if let Some(email) = contact.email() {
            if let Some(owner) = self.email_owner(email) {
                return Err(format!(
                    "email \"{email}\" already belongs to contact \"{}\"",
                    self.contacts[owner].id
                ));
            }
            self.email_index
                .insert(email.to_lowercase(), self.contacts.len());
        }
        self.contact_index.insert(id, self.contacts.len());
        self.contacts.push(contact);
        Ok(())
    }

    /// Moves the email index of the contact at `pos` from `old` to `new`.
    pub fn reindex_email(&mut self, pos: usize, old: Option<&str>, new: Option<&str>) {
        if let Some(old) = old {
            self.email_index.remove(&old.to_lowercase());
        }
        if let Some(new) = new {
            self.email_index.insert(new.to_lowercase(), pos);
        }
    }

    /// A timestamp for a change to something last changed at `previous`: now, or one second
    /// later than `previous` when the clock has not moved past it.
    pub fn change_time(previous: Option<&str>) -> i64 {
        let now = clock::now_secs();
        match previous.and_then(clock::parse_iso8601_millis) {
            Some(ms) if ms.div_euclid(1000) >= now => ms.div_euclid(1000) + 1,
            _ => now,
        }
    }

    /// Whether a live (not deleted) list has this id.
    pub fn list_exists(&self, id: &str) -> bool {
        self.lists.iter().any(|l| {
            l.get("list_id").and_then(Value::as_str) == Some(id) && !l.contains_key("deleted_at")
        })
    }

    /// Whether a custom field has this id.
    pub fn custom_field_exists(&self, id: &str) -> bool {
        self.custom_fields
            .iter()
            .any(|f| f.get("custom_field_id").and_then(Value::as_str) == Some(id))
    }

    /// Whether a tag has this id.
    pub fn tag_exists(&self, id: &str) -> bool {
        self.tags
            .iter()
            .any(|t| t.get("tag_id").and_then(Value::as_str) == Some(id))
    }

    /// Creates a list created at `at` (seconds since the epoch); returns its id.
    pub fn add_list(
        &mut self,
        name: &str,
        description: Option<&str>,
        favorite: bool,
        at: i64,
    ) -> String {
        let id = self.ids.next_id();
        let stamp = clock::format_timestamp(at);
        let mut list = json!({
            "list_id": id,
            "name": name,
            "favorite": favorite,
            "created_at": stamp,
            "updated_at": stamp,
        });
        if let Some(description) = description {
            list["description"] = json!(description);
        }
        self.lists.push(object(list));
        id
    }

    /// Creates a custom field of an API type (`string`, `date`, `currency`, ...); returns its
    /// id. The field's `name` is its label with spaces turned into underscores.
    pub fn add_custom_field(&mut self, label: &str, kind: &str, at: i64) -> String {
        let id = self.ids.next_id();
        let stamp = clock::format_timestamp(at);
        let mut field = json!({
            "custom_field_id": id,
            "label": label,
            "name": label.replace(' ', "_"),
            "type": kind,
            "created_at": stamp,
            "updated_at": stamp,
        });
        if kind == "date" {
            field["version"] = json!(2);
        }
        if kind == "currency" {
            field["metadata"] = json!({"currency_code": "USD", "decimal_places": 2});
        }
        self.custom_fields.push(object(field));
        id
    }

    /// Creates a tag; returns its id.
    pub fn add_tag(&mut self, name: &str, at: i64) -> String {
        let id = self.ids.next_id();
        let stamp = clock::format_timestamp(at);
        self.tags.push(object(json!({
            "tag_id": id,
            "name": name,
            "created_at": stamp,
            "updated_at": stamp,
        })));
        id
    }
}

/// The map inside a JSON object value (empty for anything else).
pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
