//! One seeded contact: who they are (culture, names, consent state) and their full v3
//! `ContactResource` document.

use serde_json::{Map, Value, json};

use super::data::{self, Culture, Name};
use crate::clock;
use crate::prng::SplitMix64;
use crate::state::State;

/// The consent state a seeded contact ends up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `explicit` or `implicit`.
    Active,
    Unsubscribed,
    Deleted,
    Pending,
    NotSet,
    TempHold,
}

/// Ids of the seeded lists, custom fields (in [`data::CUSTOM_FIELDS`] order) and tags.
pub struct Ids {
    pub lists: Vec<String>,
    pub custom_fields: Vec<String>,
    pub tags: Vec<String>,
}

/// A drawn person, before the document is built.
pub struct Person {
    pub kind: Kind,
    culture: &'static Culture,
    first: Name,
    last: Name,
    created: i64,
    now: i64,
    /// `permission_to_send` (for deleted contacts, the one they had).
    permission: &'static str,
    has_email: bool,
}

impl Person {
    /// Draws the person created `index`-th, at `created`.
    pub fn draw(rng: &mut SplitMix64, index: usize, created: i64, now: i64) -> Person {
        let culture = rng.pick(super::cultures::CULTURES);
        let roll = rng.below(100);
        let kind = match roll {
            0..=2 => Kind::Deleted,
            3..=6 => Kind::Unsubscribed,
            7..=8 => Kind::Pending,
            9..=10 => Kind::NotSet,
            11 => Kind::TempHold,
            _ => Kind::Active,
        };
        let permission = match kind {
            Kind::Unsubscribed => "unsubscribed",
            Kind::Pending => "pending_confirmation",
            Kind::NotSet => "not_set",
            Kind::TempHold => "temp_hold",
            Kind::Active | Kind::Deleted if roll % 5 < 2 => "explicit",
            Kind::Active | Kind::Deleted => "implicit",
        };
        Person {
            kind,
            culture,
            first: *rng.pick(culture.first),
            last: *rng.pick(culture.last),
            created,
            now,
            permission,
            // A few contacts were added by name only.
            has_email: index % 250 != 17,
        }
    }

    /// A unique address derived from the name, or `None` for a name-only contact.
    pub fn email(
        &self,
        rng: &mut SplitMix64,
        taken: &mut dyn FnMut(&str) -> bool,
    ) -> Option<String> {
        if !self.has_email {
            return None;
        }
        let (first, last) = (self.first.1, self.last.1);
        let domain = rng.pick(data::DOMAINS);
        let local = match rng.below(6) {
            0 => format!("{first}.{last}"),
            1 => format!("{}{last}", &first[..1]),
            2 => format!("{first}_{last}"),
            3 => format!("{last}.{first}"),
            4 => format!("{first}{}", rng.between(1, 99)),
            _ => format!("{first}.{last}{}", rng.between(70, 99)),
        };
        let mut candidate = format!("{local}@{domain}");
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{local}{n}@{domain}");
            n += 1;
        }
        Some(candidate)
    }

    /// The full contact document.
    pub fn document(
        &self,
        rng: &mut SplitMix64,
        state: &mut State,
        ids: &Ids,
        email: Option<&str>,
    ) -> Value {
        let created = self.created;
        let stamp = |secs: i64| clock::format_timestamp(secs);
        let later =
            |rng: &mut SplitMix64| created + rng.below((self.now - created).max(1) as u64) as i64;
        let source = if rng.percent(35) {
            "Contact"
        } else {
            "Account"
        };
        let mut doc = Map::new();
        doc.insert("contact_id".into(), json!(state.ids.next_id()));

        // When it last changed: never, some time later, or when it was deleted.
        let deleted = (self.kind == Kind::Deleted).then(|| later(rng));
        let updated = match deleted {
            Some(at) => Some(at),
            None if rng.percent(50) => Some(later(rng)),
            None => None,
        };

        // Core properties.
        if let Some(address) = email {
            doc.insert(
                "email_address".into(),
                self.email_document(rng, address, source, updated),
            );
        }
        doc.insert("first_name".into(), json!(self.first.0));
        doc.insert("last_name".into(), json!(self.last.0));
        if rng.percent(60) {
            doc.insert("company_name".into(), json!(rng.pick(data::COMPANIES)));
        }
        if rng.percent(50) {
            doc.insert("job_title".into(), json!(rng.pick(data::JOB_TITLES)));
        }
        if rng.percent(25) {
            let month = rng.between(1, 12) as u32;
            let day = rng.between(1, i64::from(clock::days_in_month(2001, month)));
            doc.insert("birthday_month".into(), json!(month));
            doc.insert("birthday_day".into(), json!(day));
        }
        if rng.percent(15) {
            let days = clock::days_from_civil(1995, 1, 1) + rng.below(30 * 365) as i64;
            doc.insert(
                "anniversary".into(),
                json!(clock::format_date(days * 86_400)),
            );
        }
        doc.insert("create_source".into(), json!(source));
        doc.insert("created_at".into(), json!(stamp(created)));
        doc.insert(
            "updated_at".into(),
            json!(stamp(updated.unwrap_or(created))),
        );
        if updated.is_some() {
            let by = if rng.percent(70) {
                "Account"
            } else {
                "Contact"
            };
            doc.insert("update_source".into(), json!(by));
        }
        if let Some(at) = deleted {
            doc.insert("deleted_at".into(), json!(clock::format_date(at)));
        }

        // Subresources.
        doc.insert(
            "phone_numbers".into(),
            self.phones(rng, state, source, created),
        );
        doc.insert(
            "street_addresses".into(),
            self.addresses(rng, state, created),
        );
        doc.insert("custom_fields".into(), self.custom_fields(rng, ids));
        let lists = if deleted.is_some() {
            Vec::new()
        } else {
            let count = 1 + rng.below(3) as usize;
            distinct(rng, &ids.lists, count)
        };
        doc.insert("list_memberships".into(), json!(lists));
        let tags = if rng.percent(20) {
            let count = 1 + rng.below(2) as usize;
            distinct(rng, &ids.tags, count)
        } else {
            Vec::new()
        };
        doc.insert("taggings".into(), json!(tags));
        let mut notes = Vec::new();
        if rng.percent(5) {
            for _ in 0..1 + rng.below(2) {
                let at = later(rng);
                notes.push((at, json!({"note_id": state.ids.next_id(), "created_at": stamp(at), "content": rng.pick(data::NOTES)})));
            }
            notes.sort_by_key(|note| std::cmp::Reverse(note.0));
        }
        doc.insert(
            "notes".into(),
            Value::Array(notes.into_iter().map(|(_, n)| n).collect()),
        );
        Value::Object(doc)
    }

    fn email_document(
        &self,
        rng: &mut SplitMix64,
        address: &str,
        source: &str,
        updated: Option<i64>,
    ) -> Value {
        let created = clock::format_timestamp(self.created);
        let mut email = json!({
            "address": address,
            "permission_to_send": self.permission,
            "created_at": created,
            "updated_at": created,
            "confirm_status": "off",
        });
        if matches!(self.kind, Kind::Active | Kind::Deleted | Kind::Unsubscribed) {
            email["opt_in_source"] = json!(source);
            email["opt_in_date"] = json!(created);
        }
        if self.permission == "explicit" && source == "Contact" {
            email["confirm_status"] = json!("confirmed");
        }
        if self.kind == Kind::Pending {
            email["confirm_status"] = json!("pending");
        }
        if self.kind == Kind::Unsubscribed {
            let at = self.created + rng.below((self.now - self.created).max(1) as u64) as i64;
            let out = clock::format_timestamp(at);
            email["opt_out_source"] = json!(if rng.percent(85) {
                "Contact"
            } else {
                "Account"
            });
            email["opt_out_date"] = json!(out);
            email["updated_at"] = json!(out);
            if rng.percent(50) {
                email["opt_out_reason"] = json!(rng.pick(data::OPT_OUT_REASONS));
            }
        } else if let Some(at) = updated.filter(|_| rng.percent(20)) {
            email["updated_at"] = json!(clock::format_timestamp(at));
        }
        email
    }

    fn phones(&self, rng: &mut SplitMix64, state: &mut State, source: &str, at: i64) -> Value {
        let count = match rng.below(10) {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        let kinds = ["mobile", "work", "home", "other"];
        let first_kind = rng.below(4) as usize;
        let stamp = clock::format_timestamp(at);
        let items: Vec<Value> = (0..count)
            .map(|i| {
                let pattern = *rng.pick(self.culture.phones);
                json!({
                    "phone_number_id": state.ids.next_id(),
                    "phone_number": fill(rng, pattern),
                    "kind": kinds[(first_kind + i) % kinds.len()],
                    "created_at": stamp,
                    "updated_at": stamp,
                    "create_source": source,
                })
            })
            .collect();
        Value::Array(items)
    }

    fn addresses(&self, rng: &mut SplitMix64, state: &mut State, at: i64) -> Value {
        let count = match rng.below(10) {
            0..=4 => 0,
            5..=8 => 1,
            _ => 2,
        };
        let stamp = clock::format_timestamp(at);
        let items: Vec<Value> = (0..count)
            .map(|i| {
                let place = rng.pick(self.culture.places);
                let street = *rng.pick(self.culture.streets);
                json!({
                    "street_address_id": state.ids.next_id(),
                    "kind": if i == 0 { "home" } else { "work" },
                    "street": fill(rng, street),
                    "city": place.city,
                    "state": place.state,
                    "postal_code": fill(rng, place.postal),
                    "country": place.country,
                    "created_at": stamp,
                    "updated_at": stamp,
                })
            })
            .collect();
        Value::Array(items)
    }

    fn custom_fields(&self, rng: &mut SplitMix64, ids: &Ids) -> Value {
        let mut fields = Vec::new();
        let mut add = |index: usize, value: String| {
            if let Some(id) = ids.custom_fields.get(index) {
                fields.push(json!({"custom_field_id": id, "value": value}));
            }
        };
        if rng.percent(60) {
            add(0, rng.pick(data::TIERS).to_string());
        }
        if rng.percent(40) {
            let since = self.created - rng.below(6 * 365 * 86_400) as i64;
            add(1, clock::format_date(since));
        }
        if rng.percent(35) {
            add(
                2,
                format!("{}.{:02}", rng.between(20, 25_000), rng.below(100)),
            );
        }
        if rng.percent(30) {
            add(3, self.culture.language.to_string());
        }
        Value::Array(fields)
    }
}

/// Replaces every `#` in a pattern with a random digit.
fn fill(rng: &mut SplitMix64, pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| {
            if c == '#' {
                char::from(b'0' + rng.below(10) as u8)
            } else {
                c
            }
        })
        .collect()
}

/// Up to `count` distinct ids.
fn distinct(rng: &mut SplitMix64, ids: &[String], count: usize) -> Vec<String> {
    let mut chosen: Vec<String> = Vec::new();
    for _ in 0..count * 3 {
        if chosen.len() == count.min(ids.len()) {
            break;
        }
        let id = rng.pick(ids);
        if !chosen.contains(id) {
            chosen.push(id.clone());
        }
    }
    chosen
}
