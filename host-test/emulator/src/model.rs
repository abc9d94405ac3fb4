//! The stored contact: its full v3 `ContactResource` JSON, with accessors for the values
//! filters need and rendering that keeps only the requested subresources.

use serde_json::{Map, Value};

use crate::clock;

/// The contact subresources, in the order the API documents them.
pub const SUBRESOURCES: [&str; 6] = [
    "custom_fields",
    "list_memberships",
    "phone_numbers",
    "street_addresses",
    "taggings",
    "notes",
];

/// The core scalar properties a `PUT` replaces (omitted or blank ones are unset).
pub const CORE_SCALARS: [&str; 7] = [
    "first_name",
    "last_name",
    "job_title",
    "company_name",
    "birthday_month",
    "birthday_day",
    "anniversary",
];

/// A set of subresources to include in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Includes {
    mask: u8,
}

impl Includes {
    /// No subresources.
    pub fn none() -> Includes {
        Includes { mask: 0 }
    }

    /// Every subresource.
    pub fn all() -> Includes {
        Includes {
            mask: (1 << SUBRESOURCES.len()) - 1,
        }
    }

    /// Parses an `include` csv. `sms_channel`, which the documentation lists but the spec
    /// does not, is accepted and changes nothing (it is always returned). `Err` carries the
    /// first unknown name.
    pub fn parse(csv: &str) -> Result<Includes, String> {
        let mut includes = Includes::none();
        for name in csv.split(',').map(str::trim) {
            if name == "sms_channel" {
                continue;
            }
            match SUBRESOURCES.iter().position(|s| *s == name) {
                Some(index) => includes.mask |= 1 << index,
                None => return Err(name.to_string()),
            }
        }
        Ok(includes)
    }

    /// Adds one subresource by name.
    pub fn with(mut self, name: &str) -> Includes {
        if let Some(index) = SUBRESOURCES.iter().position(|s| *s == name) {
            self.mask |= 1 << index;
        }
        self
    }

    /// Whether a subresource is included.
    pub fn contains(&self, name: &str) -> bool {
        SUBRESOURCES
            .iter()
            .position(|s| *s == name)
            .is_some_and(|index| self.mask & (1 << index) != 0)
    }
}

/// One contact as the emulator keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredContact {
    pub id: String,
    /// The complete `ContactResource`, every subresource included.
    pub doc: Map<String, Value>,
}

impl StoredContact {
    /// The email address, if the contact has one.
    pub fn email(&self) -> Option<&str> {
        self.doc.get("email_address")?.get("address")?.as_str()
    }

    /// `email_address.permission_to_send`, if set.
    pub fn permission(&self) -> Option<&str> {
        self.doc
            .get("email_address")?
            .get("permission_to_send")?
            .as_str()
    }

    /// Whether the contact is soft-deleted.
    pub fn is_deleted(&self) -> bool {
        self.doc.contains_key("deleted_at")
    }

    /// A top-level string property.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.doc.get(key)?.as_str()
    }

    /// A top-level timestamp, in milliseconds since the epoch.
    pub fn millis(&self, key: &str) -> Option<i64> {
        clock::parse_iso8601_millis(self.text(key)?)
    }

    /// `email_address.opt_out_date`, in milliseconds since the epoch.
    pub fn opt_out_millis(&self) -> Option<i64> {
        let text = self
            .doc
            .get("email_address")?
            .get("opt_out_date")?
            .as_str()?;
        clock::parse_iso8601_millis(text)
    }

    /// The ids in a string-array subresource (`list_memberships`, `taggings`).
    pub fn ids_in(&self, key: &str) -> Vec<&str> {
        self.doc
            .get(key)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The SMS consent permission, if the contact has an SMS channel.
    pub fn sms_permission(&self) -> Option<&str> {
        self.doc
            .get("sms_channel")?
            .get("sms_channel_consents")?
            .as_array()?
            .first()?
            .get("sms_consent_permission")?
            .as_str()
    }

    /// The contact as the API returns it: core properties plus the included subresources
    /// (an included subresource is always an array, possibly empty).
    pub fn render(&self, includes: Includes) -> Value {
        let mut doc = self.doc.clone();
        for name in SUBRESOURCES {
            if includes.contains(name) {
                let present = doc.get(name).is_some_and(Value::is_array);
                if !present {
                    doc.insert(name.to_string(), Value::Array(Vec::new()));
                }
            } else {
                doc.remove(name);
            }
        }
        Value::Object(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> StoredContact {
        let doc = json!({
            "contact_id": "c1",
            "email_address": {"address": "a@example.com", "permission_to_send": "implicit"},
            "first_name": "Ann",
            "list_memberships": ["l1", "l2"],
            "phone_numbers": [{"phone_number": "1", "kind": "home"}],
            "created_at": "2024-10-30T18:56:35Z"
        });
        StoredContact {
            id: "c1".into(),
            doc: doc.as_object().unwrap().clone(),
        }
    }

    #[test]
    fn renders_only_included_subresources() {
        let contact = sample();
        let bare = contact.render(Includes::none());
        assert!(bare.get("list_memberships").is_none());
        assert!(bare.get("phone_numbers").is_none());
        assert_eq!(bare["first_name"], "Ann");

        let some = contact.render(Includes::parse("list_memberships,notes").unwrap());
        assert_eq!(some["list_memberships"], json!(["l1", "l2"]));
        assert_eq!(some["notes"], json!([]));
        assert!(some.get("phone_numbers").is_none());
    }

    #[test]
    fn parses_includes() {
        assert!(
            Includes::parse("taggings, notes")
                .unwrap()
                .contains("notes")
        );
        assert_eq!(Includes::parse("custom_fields,bogus"), Err("bogus".into()));
        assert_eq!(Includes::parse(""), Err(String::new()));
        assert_eq!(Includes::parse("sms_channel"), Ok(Includes::none()));
    }

    #[test]
    fn reads_filter_values() {
        let contact = sample();
        assert_eq!(contact.email(), Some("a@example.com"));
        assert_eq!(contact.permission(), Some("implicit"));
        assert_eq!(contact.ids_in("list_memberships"), vec!["l1", "l2"]);
        assert_eq!(contact.millis("created_at"), Some(1_730_314_595_000));
        assert!(!contact.is_deleted());
    }
}
