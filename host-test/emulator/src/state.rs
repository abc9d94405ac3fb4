//! Everything the emulator holds in memory: the account's contacts, lists, custom fields and
//! tags, plus the cursors, scripts, request log, rate counters and the authorization server;
//! all behind one mutex.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::api::custom_field_choices::{self, DEFAULT_DISPLAY_TYPE, NewChoice};
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
    /// The V2 sequence id of each list, by list id; kept apart so list bodies never show it.
    list_sequences: HashMap<String, u64>,
    /// The last V2 list sequence id issued.
    last_list_sequence: u64,
    /// `CustomField` objects in creation order.
    pub custom_fields: Vec<Map<String, Value>>,
    /// The last custom field choice id issued; choice ids are unique in the account.
    last_choice_id: u64,
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
            list_sequences: HashMap::new(),
            last_list_sequence: 0,
            custom_fields: Vec::new(),
            last_choice_id: 0,
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

    /// A custom field by id.
    pub fn custom_field(&self, id: &str) -> Option<&Map<String, Value>> {
        self.custom_fields
            .iter()
            .find(|f| f.get("custom_field_id").and_then(Value::as_str) == Some(id))
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
        self.last_list_sequence += 1;
        self.list_sequences
            .insert(id.clone(), self.last_list_sequence);
        id
    }

    /// The V2 sequence id of a list (a decimal number issued from 1 in creation order).
    pub fn list_sequence(&self, list_id: &str) -> Option<u64> {
        self.list_sequences.get(list_id).copied()
    }

    /// The id of the list with a V2 sequence id.
    pub fn list_by_sequence(&self, sequence: u64) -> Option<&str> {
        self.list_sequences
            .iter()
            .find(|(_, s)| **s == sequence)
            .map(|(id, _)| id.as_str())
    }

    /// Soft-deletes a list as the API's asynchronous delete leaves it once finished: sets
    /// `deleted_at` and removes the list from every contact. `false` for an unknown or
    /// already deleted list.
    pub fn delete_list(&mut self, list_id: &str, at: i64) -> bool {
        let Some(list) = self.lists.iter_mut().find(|l| {
            l.get("list_id").and_then(Value::as_str) == Some(list_id)
                && !l.contains_key("deleted_at")
        }) else {
            return false;
        };
        list.insert("deleted_at".into(), json!(clock::format_date(at)));
        list.insert("updated_at".into(), json!(clock::format_timestamp(at)));
        for contact in &mut self.contacts {
            if let Some(lists) = contact
                .doc
                .get_mut("list_memberships")
                .and_then(Value::as_array_mut)
            {
                lists.retain(|l| l.as_str() != Some(list_id));
            }
        }
        true
    }

    /// Creates a custom field of an API type (`string`, `date`, `currency`, ...); returns its
    /// id. The field's `name` is its label with spaces turned into underscores. A select
    /// type gets the default display type and no choices; see [`State::add_select_field`].
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
        if custom_field_choices::is_select(kind) {
            field["metadata"] = json!({"display_type": DEFAULT_DISPLAY_TYPE});
            field["choices"] = json!([]);
        }
        self.custom_fields.push(object(field));
        id
    }

    /// Creates a `single_select` or `multi_select` field with its display type and choices;
    /// returns its id. Each choice gets the next account-wide integer id.
    pub fn add_select_field(
        &mut self,
        label: &str,
        kind: &str,
        display_type: &str,
        choices: &[NewChoice],
        at: i64,
    ) -> String {
        let id = self.add_custom_field(label, kind, at);
        let stamp = clock::format_timestamp(at);
        let stored = custom_field_choices::stored(&id, choices, &mut self.last_choice_id, &stamp);
        if let Some(field) = self.custom_fields.last_mut() {
            field.insert("metadata".into(), json!({"display_type": display_type}));
            field.insert("choices".into(), stored);
        }
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
