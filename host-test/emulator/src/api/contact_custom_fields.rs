//! Validation of the `custom_fields` of a contact request body (`POST /contacts`, `PUT
//! /contacts/{id}`, `POST /contacts/sign_up_form`): each item names an existing field once,
//! `value` holds at most 255 characters, and `choice_ids` name choices of that field.
//!
//! The spec only says that `choice_ids` serve select fields. How strictly the real API checks
//! them is not confirmed; the emulator refuses what a careful server plausibly would: ids that
//! are not choices of the field, more than one id for a `single_select` field, and ids on a
//! field of another type. Ids are compared as numbers (the spec's example is `"000001"`) and
//! stored as plain decimal strings.

use serde_json::{Map, Value};

use crate::api::contact_input::Checker;
use crate::api::custom_field_choices::{self, choices_of};

/// Most characters of a custom field value.
const VALUE_MAX: usize = 255;

impl Checker<'_> {
    pub(super) fn custom_fields(&mut self, obj: &Map<String, Value>) -> Option<Vec<Value>> {
        self.custom_fields_up_to(obj, 25)
    }

    /// `custom_fields` of at most `max` items, each naming an existing field once; the
    /// stored form keeps `custom_field_id`, `value` and `choice_ids` only.
    pub(super) fn custom_fields_up_to(
        &mut self,
        obj: &Map<String, Value>,
        max: usize,
    ) -> Option<Vec<Value>> {
        let items = self.array(obj, "custom_fields", max)?;
        let state = self.state;
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("custom_fields[{i}]");
            let Some(field) = item.as_object() else {
                self.fail(format!("{path} must be an object"));
                continue;
            };

            // The field it names: existing, and named only once.
            let Some(id) = field.get("custom_field_id").and_then(Value::as_str) else {
                self.fail(format!("{path}.custom_field_id is required"));
                continue;
            };
            let Some(definition) = state.custom_field(id) else {
                self.fail(format!(
                    "{path}.custom_field_id {id} does not identify a custom field of this account"
                ));
                continue;
            };
            if seen.contains(&id) {
                self.fail(format!(
                    "{path}.custom_field_id {id} appears more than once"
                ));
                continue;
            }
            seen.push(id);

            // Its value and chosen choices.
            let mut stored = Map::new();
            stored.insert("custom_field_id".into(), Value::String(id.to_string()));
            match field.get("value") {
                None | Some(Value::Null) => {}
                Some(Value::String(v)) if v.chars().count() > VALUE_MAX => self.fail(format!(
                    "{path}.value exceeds the maximum length of {VALUE_MAX}"
                )),
                Some(Value::String(v)) => {
                    stored.insert("value".into(), Value::String(v.clone()));
                }
                Some(_) => self.fail(format!("{path}.value must be a string")),
            }
            let path = format!("{path}.choice_ids");
            if let Some(ids) = self.choice_ids(field.get("choice_ids"), definition, &path) {
                stored.insert("choice_ids".into(), ids);
            }
            out.push(Value::Object(stored));
        }
        Some(out)
    }

    /// The `choice_ids` of one item, checked against the field's definition; `None` when
    /// absent or refused.
    fn choice_ids(
        &mut self,
        given: Option<&Value>,
        definition: &Map<String, Value>,
        path: &str,
    ) -> Option<Value> {
        let items = match given {
            None | Some(Value::Null) => return None,
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.fail(format!("{path} must be an array"));
                return None;
            }
        };
        let field_id = definition
            .get("custom_field_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let kind = definition
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !custom_field_choices::is_select(kind) {
            if items.is_empty() {
                return Some(Value::Array(Vec::new()));
            }
            self.fail(format!(
                "{path} is only allowed for select fields; custom field {field_id} is {kind}"
            ));
            return None;
        }

        // Every id must be a choice of this field; repeats count once.
        let choices = choices_of(definition);
        let mut chosen: Vec<u64> = Vec::new();
        for item in items {
            let text = match item {
                Value::String(text) => text.trim().to_string(),
                Value::Number(n) if n.is_u64() => n.to_string(),
                _ => {
                    self.fail(format!("{path} must hold choice ids as strings"));
                    return None;
                }
            };
            let number = Some(&text)
                .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.parse::<u64>().ok())
                .filter(|n| choices.iter().any(|(id, _)| id == n));
            match number {
                Some(n) if chosen.contains(&n) => {}
                Some(n) => chosen.push(n),
                None => {
                    self.fail(format!(
                        "{path} holds \"{text}\", which is not a choice of custom field {field_id}"
                    ));
                    return None;
                }
            }
        }
        if kind == "single_select" && chosen.len() > 1 {
            self.fail(format!(
                "{path} holds {} choices; a single_select field takes at most one",
                chosen.len()
            ));
            return None;
        }
        let ids = chosen
            .iter()
            .map(|n| Value::String(n.to_string()))
            .collect();
        Some(Value::Array(ids))
    }
}
