//! The realistic seed: lists, custom fields, tags and thousands of varied contacts, all
//! drawn deterministically from one seed value.

mod cultures;
mod data;
mod person;

use std::collections::HashSet;

use crate::clock;
use crate::model::StoredContact;
use crate::prng::SplitMix64;
use crate::state::State;
use person::{Kind, Person};

/// What [`crate::Emulator::seed_realistic`] created.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeedSummary {
    /// Contacts created, deleted ones included.
    pub contacts: usize,
    pub deleted: usize,
    pub unsubscribed: usize,
    /// `(id, name)` of each list.
    pub lists: Vec<(String, String)>,
    /// `(id, label)` of each custom field.
    pub custom_fields: Vec<(String, String)>,
    /// `(id, name)` of each tag.
    pub tags: Vec<(String, String)>,
    /// A few addresses of each kind, for demos: active first, then deleted, then
    /// unsubscribed.
    pub sample_emails: Vec<String>,
    pub sample_active: Vec<String>,
    pub sample_deleted: Vec<String>,
    pub sample_unsubscribed: Vec<String>,
}

const TWO_YEARS: i64 = 2 * 365 * 86_400;

/// Adds the seed's lists, custom fields, tags and `count` contacts to `state`.
pub fn seed(state: &mut State, count: usize, seed: u64) -> SeedSummary {
    let mut rng = SplitMix64::new(seed);
    let now = clock::now_secs();
    let mut summary = SeedSummary::default();

    // Account structure, created before any contact.
    let origin = now - TWO_YEARS - 30 * 86_400;
    for (i, (name, description)) in data::LISTS.iter().enumerate() {
        let id = state.add_list(name, Some(description), i == 0, origin + i as i64 * 3600);
        summary.lists.push((id, name.to_string()));
    }
    for (i, (label, kind)) in data::CUSTOM_FIELDS.iter().enumerate() {
        let id = state.add_custom_field(label, kind, origin + i as i64 * 60);
        summary.custom_fields.push((id, label.to_string()));
    }
    for (i, name) in data::TAGS.iter().enumerate() {
        let id = state.add_tag(name, origin + i as i64 * 60);
        summary.tags.push((id, name.to_string()));
    }

    // Creation times spread over two years, oldest first, so creation order and
    // `created_at` agree.
    let mut times: Vec<i64> = (0..count)
        .map(|_| now - 60 - rng.below(TWO_YEARS as u64) as i64)
        .collect();
    times.sort_unstable();

    let mut taken: HashSet<String> = HashSet::new();
    let ids = person::Ids {
        lists: summary.lists.iter().map(|(id, _)| id.clone()).collect(),
        custom_fields: summary
            .custom_fields
            .iter()
            .map(|(id, _)| id.clone())
            .collect(),
        tags: summary.tags.iter().map(|(id, _)| id.clone()).collect(),
    };
    for (index, created) in times.into_iter().enumerate() {
        let person = Person::draw(&mut rng, index, created, now);
        let email = person.email(&mut rng, &mut |candidate: &str| {
            taken.contains(candidate) || state.email_owner(candidate).is_some()
        });
        if let Some(email) = &email {
            taken.insert(email.clone());
        }
        let doc = person.document(&mut rng, state, &ids, email.as_deref());
        let id = doc["contact_id"].as_str().unwrap_or_default().to_string();
        let serde_json::Value::Object(doc) = doc else {
            continue;
        };
        if state.add_contact(StoredContact { id, doc }).is_err() {
            continue;
        }

        // Tally and keep samples for demos.
        summary.contacts += 1;
        let sample = match (person.kind, &email) {
            (Kind::Deleted, Some(e)) => {
                summary.deleted += 1;
                Some((&mut summary.sample_deleted, e))
            }
            (Kind::Deleted, None) => {
                summary.deleted += 1;
                None
            }
            (Kind::Unsubscribed, Some(e)) => {
                summary.unsubscribed += 1;
                Some((&mut summary.sample_unsubscribed, e))
            }
            (Kind::Active, Some(e)) => Some((&mut summary.sample_active, e)),
            _ => None,
        };
        if let Some((samples, email)) = sample.filter(|(s, _)| s.len() < 5) {
            samples.push(email.clone());
        }
    }

    summary.sample_emails = summary
        .sample_active
        .iter()
        .take(5)
        .chain(summary.sample_deleted.iter().take(2))
        .chain(summary.sample_unsubscribed.iter().take(2))
        .cloned()
        .collect();
    summary
}
