//! Validation of the subresources (custom fields aside, see `contact_custom_fields`) and the
//! SMS channel of a contact request body, one message per problem, each starting with the
//! item's path (e.g. `notes[2].content`).

use serde_json::{Map, Value};

use crate::api::contact_input::{ADDRESS_KINDS, Checker, NoteInput, PHONE_KINDS, SMS_PERMISSIONS};
use crate::clock;

impl Checker<'_> {
    pub(super) fn phone_numbers(
        &mut self,
        obj: &Map<String, Value>,
    ) -> Option<Vec<(String, Option<String>)>> {
        let items = self.array(obj, "phone_numbers", 3)?;
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("phone_numbers[{i}]");
            let Some(phone) = item.as_object() else {
                self.fail(format!("{path} must be an object"));
                continue;
            };
            let number = self.string(phone, "phone_number", &format!("{path}.phone_number"), 25);
            let kind = self.string(phone, "kind", &format!("{path}.kind"), 10);
            if kind
                .as_ref()
                .is_some_and(|k| !PHONE_KINDS.contains(&k.as_str()))
            {
                self.fail(format!("{path}.kind does not have a valid value"));
            }
            match number {
                Some(number) => out.push((number, kind)),
                None => self.require(&format!("{path}.phone_number")),
            }
        }
        Some(out)
    }

    pub(super) fn street_addresses(
        &mut self,
        obj: &Map<String, Value>,
    ) -> Option<Vec<Map<String, Value>>> {
        let items = self.array(obj, "street_addresses", 3)?;
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("street_addresses[{i}]");
            let Some(address) = item.as_object() else {
                self.fail(format!("{path} must be an object"));
                continue;
            };
            out.push(self.street_address(address, &path));
        }
        Some(out)
    }

    /// One street address object; `kind` is required.
    pub(super) fn street_address(
        &mut self,
        address: &Map<String, Value>,
        path: &str,
    ) -> Map<String, Value> {
        let mut stored = Map::new();
        match self.string(address, "kind", &format!("{path}.kind"), 10) {
            Some(kind) if ADDRESS_KINDS.contains(&kind.as_str()) => {
                stored.insert("kind".into(), Value::String(kind));
            }
            Some(_) => self.fail(format!("{path}.kind does not have a valid value")),
            None => self.fail(format!("{path}.kind is required")),
        }
        for (key, max) in [
            ("street", 255),
            ("city", 50),
            ("state", 50),
            ("postal_code", 50),
            ("country", 50),
        ] {
            if let Some(value) = self.string(address, key, &format!("{path}.{key}"), max) {
                stored.insert(key.into(), Value::String(value));
            }
        }
        stored
    }

    pub(super) fn references(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        max: usize,
        what: &str,
    ) -> Option<Vec<String>> {
        let items = self.array(obj, key, max)?;
        let mut out: Vec<String> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(id) = item.as_str() else {
                self.fail(format!("{key}[{i}] must be a string"));
                continue;
            };
            let exists = match what {
                "list" => self.state.list_exists(id),
                _ => self.state.tag_exists(id),
            };
            if !exists {
                self.fail(format!(
                    "{key}[{i}] {id} does not identify a {what} of this account"
                ));
            } else if !out.iter().any(|o| o == id) {
                out.push(id.to_string());
            }
        }
        Some(out)
    }

    pub(super) fn notes(&mut self, obj: &Map<String, Value>) -> Option<Vec<NoteInput>> {
        let items = self.array(obj, "notes", 150)?;
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("notes[{i}]");
            let Some(note) = item.as_object() else {
                self.fail(format!("{path} must be an object"));
                continue;
            };
            let content = self.string(note, "content", &format!("{path}.content"), 2000);
            let note_id = self.string(note, "note_id", &format!("{path}.note_id"), 36);
            let created_at = self.string(note, "created_at", &format!("{path}.created_at"), 40);
            if created_at
                .as_ref()
                .is_some_and(|at| clock::parse_iso8601_millis(at).is_none())
            {
                self.fail(format!("{path}.created_at is not an ISO-8601 date-time"));
            }
            match content {
                Some(content) => out.push(NoteInput {
                    note_id,
                    created_at,
                    content,
                }),
                None => self.require(&format!("{path}.content")),
            }
        }
        Some(out)
    }

    pub(super) fn sms_channel(&mut self, obj: &Map<String, Value>) -> Option<Value> {
        let sms = match obj.get("sms_channel") {
            None | Some(Value::Null) => return None,
            Some(Value::Object(sms)) => sms,
            Some(_) => {
                self.fail("sms_channel must be an object".into());
                return None;
            }
        };
        let address = self.string(sms, "full_sms_address", "sms_channel.full_sms_address", 16);
        let digits: String = address
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if digits.len() < 7 {
            self.fail(
                "sms_channel.full_sms_address is required and must hold a phone number".into(),
            );
        }
        let mut consents = Vec::new();
        match sms.get("sms_channel_consents").and_then(Value::as_array) {
            Some(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("sms_channel.sms_channel_consents[{i}]");
                    let permission = item.get("sms_consent_permission").and_then(Value::as_str);
                    let kind = item.get("consent_type").and_then(Value::as_str);
                    if !permission.is_some_and(|p| SMS_PERMISSIONS.contains(&p)) {
                        self.fail(format!(
                            "{path}.sms_consent_permission does not have a valid value"
                        ));
                    }
                    if kind != Some("promotional_sms") {
                        self.fail(format!("{path}.consent_type does not have a valid value"));
                    }
                    consents.push(serde_json::json!({
                        "sms_consent_permission": permission.unwrap_or(""),
                        "consent_type": "promotional_sms",
                    }));
                }
            }
            _ => self.fail("sms_channel.sms_channel_consents is required".into()),
        }
        let (dial_code, local) = match digits.strip_prefix('1') {
            Some(local) if digits.len() == 11 => ("1", local.to_string()),
            _ => ("", digits.clone()),
        };
        let mut stored = serde_json::json!({
            "sms_address": local,
            "sms_channel_consents": consents,
        });
        if !dial_code.is_empty() {
            stored["dial_code"] = Value::from(dial_code);
            stored["country_code"] = Value::from("US");
        }
        Some(stored)
    }
}
