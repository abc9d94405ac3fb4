//! Test hooks for the account's structure on the emulator handle: select custom fields with
//! choices, V2 list sequence ids, list deletion and the named catalog seed.

use serde_json::{Value, json};

use crate::api::custom_field_choices::{self, choices_of};
use crate::catalog::{self, Catalog};
use crate::clock;

use super::Emulator;

impl Emulator {
    /// Creates a `single_select` or `multi_select` custom field (display type `dropdown`)
    /// whose choices have these labels, in this display order; returns its id. Panics on
    /// another type, a blank or repeated label, or more than 100 choices, as the API would
    /// refuse them.
    pub fn create_custom_field_with_choices(
        &self,
        label: &str,
        kind: &str,
        choices: &[&str],
    ) -> String {
        let labels: Vec<Value> = choices.iter().map(|c| json!({"choice_label": c})).collect();
        let body = json!({"choices": labels});
        let request = body
            .as_object()
            .map(|body| custom_field_choices::parse(body, kind));
        let request = match request {
            Some(Ok(Some(request))) => request,
            Some(Ok(None)) | None => {
                panic!("failed to create custom field \"{label}\": type \"{kind}\" has no choices")
            }
            Some(Err(refusal)) => {
                panic!(
                    "failed to create custom field \"{label}\": {}",
                    refusal.body
                )
            }
        };
        self.shared.lock().add_select_field(
            label,
            kind,
            &request.display_type,
            &request.choices,
            clock::now_secs(),
        )
    }

    /// The id of a custom field's choice by its label, as contacts carry it in
    /// `choice_ids` (a decimal string).
    pub fn custom_field_choice_id(&self, field_id: &str, label: &str) -> Option<String> {
        let state = self.shared.lock();
        let field = state.custom_field(field_id)?;
        choices_of(field)
            .into_iter()
            .find(|(_, l)| *l == label)
            .map(|(id, _)| id.to_string())
    }

    /// The V2 sequence id a list was given when it was created (decimal, from `1` in
    /// creation order), as `GET /contact_lists/list_id_xrefs` reports it; list bodies never
    /// show it.
    pub fn list_sequence_id(&self, list_id: &str) -> Option<String> {
        let state = self.shared.lock();
        state.list_sequence(list_id).map(|s| s.to_string())
    }

    /// Deletes a list as the API's asynchronous delete leaves it once finished: `deleted_at`
    /// set, every contact's membership removed. `false` for an unknown or already deleted
    /// list.
    pub fn delete_list(&self, list_id: &str) -> bool {
        self.shared.lock().delete_list(list_id, clock::now_secs())
    }

    /// Adds the named catalog: lists "Newsletter", "Customers", "Events"; tags "VIP",
    /// "Webinar 2026"; custom fields "Tier" (`single_select`, choices "Gold", "Silver",
    /// "Bronze"), "Signup Date" (`date`) and "Lifetime Value" (`currency`). Panics when a
    /// name is already taken; see [`Emulator::try_seed_catalog`].
    pub fn seed_catalog(&self) -> Catalog {
        match self.try_seed_catalog() {
            Ok(catalog) => catalog,
            Err(error) => panic!("{error:#}"),
        }
    }

    /// Like [`Emulator::seed_catalog`], returning an error instead of panicking.
    pub fn try_seed_catalog(&self) -> anyhow::Result<Catalog> {
        catalog::seed(&mut self.shared.lock())
    }
}
