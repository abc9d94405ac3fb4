//! Validation of `ContactPostRequest` and `ContactPutRequest` bodies into a normalised input.
//! Every problem becomes one 400 message that starts with the field's path, e.g.
//! `phone_numbers[1].kind does not have a valid value`.

use serde_json::{Map, Value};

use crate::api::error::ApiError;
use crate::clock;
use crate::state::State;

/// Values of `permission_to_send`.
pub const PERMISSIONS: [&str; 6] = [
    "explicit",
    "implicit",
    "not_set",
    "pending_confirmation",
    "temp_hold",
    "unsubscribed",
];
/// Values of `create_source`, `update_source` and the opt-in/out sources.
pub const SOURCES: [&str; 2] = ["Contact", "Account"];
pub(super) const PHONE_KINDS: [&str; 4] = ["home", "work", "mobile", "other"];
pub(super) const ADDRESS_KINDS: [&str; 3] = ["home", "work", "other"];
pub(super) const SMS_PERMISSIONS: [&str; 4] = [
    "explicit",
    "unsubscribed",
    "pending_confirmation",
    "not_set",
];

/// Which body is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `POST /contacts`: needs `create_source`.
    Create,
    /// `PUT /contacts/{id}`: needs `update_source`.
    Update,
}

/// The `email_address` object of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailInput {
    pub address: String,
    pub permission: Option<String>,
    pub opt_out_reason: Option<String>,
}

/// One note of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteInput {
    pub note_id: Option<String>,
    pub created_at: Option<String>,
    pub content: String,
}

/// A validated request body. `None` subresources were omitted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactInput {
    /// `create_source` or `update_source`.
    pub source: String,
    pub email: Option<EmailInput>,
    /// The core scalars that were given and not blank, normalised.
    pub core: Map<String, Value>,
    pub custom_fields: Option<Vec<Value>>,
    /// `(phone_number, kind)` pairs.
    pub phone_numbers: Option<Vec<(String, Option<String>)>>,
    pub street_addresses: Option<Vec<Map<String, Value>>>,
    pub list_memberships: Option<Vec<String>>,
    pub taggings: Option<Vec<String>>,
    pub notes: Option<Vec<NoteInput>>,
    /// The stored form of `sms_channel`.
    pub sms_channel: Option<Value>,
}

/// Validates a body against the spec's limits and the account's lists, custom fields and tags.
pub fn parse(body: &Value, mode: Mode, state: &State) -> Result<ContactInput, ApiError> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::validation(
            "the request body must be a JSON object",
        ));
    };
    let mut check = Checker {
        state,
        errors: Vec::new(),
    };
    let mut input = ContactInput::default();

    // The source of the change.
    let source_key = match mode {
        Mode::Create => "create_source",
        Mode::Update => "update_source",
    };
    match obj.get(source_key).and_then(Value::as_str) {
        Some(source) if SOURCES.contains(&source) => input.source = source.to_string(),
        _ => check.fail(format!(
            "{source_key} is missing, {source_key} does not have a valid value"
        )),
    }

    // Core properties.
    input.email = check.email(obj);
    for key in ["first_name", "last_name", "job_title", "company_name"] {
        if let Some(value) = check.string(obj, key, key, 50) {
            input.core.insert(key.to_string(), Value::String(value));
        }
    }
    check.birthday(obj, &mut input.core);
    check.anniversary(obj, &mut input.core);
    input.sms_channel = check.sms_channel(obj);

    // Subresources.
    input.custom_fields = check.custom_fields(obj);
    input.phone_numbers = check.phone_numbers(obj);
    input.street_addresses = check.street_addresses(obj);
    input.list_memberships = check.references(obj, "list_memberships", 50, "list");
    input.taggings = check.references(obj, "taggings", 50, "tag");
    input.notes = check.notes(obj);

    if mode == Mode::Create
        && input.email.is_none()
        && input.sms_channel.is_none()
        && !input.core.contains_key("first_name")
        && !input.core.contains_key("last_name")
    {
        check.fail(
            "email_address, first_name, last_name or sms_channel is required; give at least one"
                .into(),
        );
    }
    if check.errors.is_empty() {
        Ok(input)
    } else {
        Err(ApiError::validations(&check.errors))
    }
}

/// Whether `text` is shaped like an email address.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.contains('@')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..")
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Collects validation messages while reading a body.
pub(super) struct Checker<'a> {
    pub(super) state: &'a State,
    pub(super) errors: Vec<String>,
}

impl Checker<'_> {
    pub(super) fn fail(&mut self, message: String) {
        self.errors.push(message);
    }

    /// Reports `path` as required unless it already has an error (too long, wrong type).
    pub(super) fn require(&mut self, path: &str) {
        let prefix = format!("{path} ");
        if !self.errors.iter().any(|e| e.starts_with(&prefix)) {
            self.fail(format!("{path} is required"));
        }
    }

    /// A string property; `None` when absent, null or blank.
    pub(super) fn string(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
        max: usize,
    ) -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) if s.chars().count() > max => {
                self.fail(format!("{path} exceeds the maximum length of {max}"));
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.fail(format!("{path} must be a string"));
                None
            }
        }
    }

    /// An array property of at most `max` items; `None` when absent or null.
    pub(super) fn array<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        key: &str,
        max: usize,
    ) -> Option<&'v Vec<Value>> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) if items.len() > max => {
                self.fail(format!("{key} exceeds the maximum of {max} items"));
                None
            }
            Some(Value::Array(items)) => Some(items),
            Some(_) => {
                self.fail(format!("{key} must be an array"));
                None
            }
        }
    }

    fn email(&mut self, obj: &Map<String, Value>) -> Option<EmailInput> {
        let email = match obj.get("email_address") {
            None | Some(Value::Null) => return None,
            Some(Value::Object(email)) => email,
            Some(_) => {
                self.fail("email_address must be an object".into());
                return None;
            }
        };
        let address = self.string(email, "address", "email_address.address", 80);
        let permission = self.string(
            email,
            "permission_to_send",
            "email_address.permission_to_send",
            40,
        );
        if permission
            .as_ref()
            .is_some_and(|p| !PERMISSIONS.contains(&p.as_str()))
        {
            self.fail("email_address.permission_to_send does not have a valid value".into());
        }
        let opt_out_reason =
            self.string(email, "opt_out_reason", "email_address.opt_out_reason", 255);
        let Some(address) = address else {
            self.require("email_address.address");
            return None;
        };
        if !is_email(&address) {
            self.fail("email_address.address is not a valid email address".into());
            return None;
        }
        Some(EmailInput {
            address,
            permission,
            opt_out_reason,
        })
    }

    /// `anniversary` in any accepted format, stored as `YYYY-MM-DD` in `core`.
    pub(super) fn anniversary(&mut self, obj: &Map<String, Value>, core: &mut Map<String, Value>) {
        let Some(text) = self.string(obj, "anniversary", "anniversary", 10) else {
            return;
        };
        match clock::normalise_anniversary(text.trim()) {
            Some(date) => {
                core.insert("anniversary".into(), Value::String(date));
            }
            None => self.fail("anniversary does not have a valid value; use a format such as YYYY-MM-DD or MM/DD/YYYY".into()),
        }
    }

    /// `birthday_month` and `birthday_day`, both or neither, into `core`.
    pub(super) fn birthday(&mut self, obj: &Map<String, Value>, core: &mut Map<String, Value>) {
        let mut part = |key: &str, max: u64| match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_u64() {
                Some(n) if (1..=max).contains(&n) => Some(n),
                _ => {
                    self.errors.push(format!(
                        "{key} does not have a valid value; it must be an integer from 1 to {max}"
                    ));
                    None
                }
            },
        };
        let month = part("birthday_month", 12);
        let day = part("birthday_day", 31);
        match (month, day) {
            (Some(month), Some(day)) => {
                if day > u64::from(clock::days_in_month(2000, month as u32)) {
                    self.fail(format!("birthday_day {day} is not a day of month {month}"));
                    return;
                }
                core.insert("birthday_month".into(), Value::from(month));
                core.insert("birthday_day".into(), Value::from(day));
            }
            (Some(_), None)
                if !obj.contains_key("birthday_day") || obj["birthday_day"].is_null() =>
            {
                self.fail("birthday_day is required with birthday_month".into())
            }
            (None, Some(_))
                if !obj.contains_key("birthday_month") || obj["birthday_month"].is_null() =>
            {
                self.fail("birthday_month is required with birthday_day".into())
            }
            _ => {}
        }
    }
}
