//! JSON Schemas of the contact record in the JSON form, and of the update and reference
//! records built on it. Limits mirror the v3 spec and the connector's own checks.

use serde_json::{Value, json};

use super::account::{Account, custom, named_list};

const DATE_TIME: &str = "ISO-8601 date and time, as the API returns it.";

fn text(description: &str, max: usize) -> Value {
    json!({"type": "string", "description": description, "maxLength": max})
}

fn timestamp(description: &str) -> Value {
    json!({
        "type": "string",
        "format": "date-time",
        "description": format!("{description} {DATE_TIME}"),
        "readOnly": true
    })
}

fn uuid(description: &str) -> Value {
    json!({"type": "string", "format": "uuid", "description": description})
}

fn read_only_source(description: &str) -> Value {
    json!({
        "type": "string",
        "enum": ["contact", "account"],
        "description": description,
        "readOnly": true
    })
}

pub const PERMISSIONS: [&str; 6] = [
    "explicit",
    "implicit",
    "not_set",
    "pending_confirmation",
    "temp_hold",
    "unsubscribed",
];

fn email_address() -> Value {
    json!({
        "type": "object",
        "description": "The contact's email address and its consent details.",
        "required": ["address"],
        "properties": {
            "address": {
                "type": "string",
                "format": "email",
                "maxLength": 80,
                "description": "Unique within the account, deleted contacts included. Trimmed and lower-cased before it is sent. In an update, an empty address keeps the current one."
            },
            "permission_to_send": {
                "type": "string",
                "enum": PERMISSIONS,
                "description": "Consent to send email."
            },
            "opt_in_source": read_only_source("Who opted the address in; the API sets it."),
            "opt_in_date": timestamp("When the address opted in."),
            "opt_out_source": read_only_source("Who opted the address out."),
            "opt_out_date": timestamp("When the address opted out."),
            "opt_out_reason": text("Why the address opted out; written by updates only.", 255),
            "confirm_status": {
                "type": "string",
                "enum": ["pending", "confirmed", "off"],
                "description": "Confirmed opt-in state.",
                "readOnly": true
            },
            "created_at": timestamp("When the address was added."),
            "updated_at": timestamp("When the address last changed.")
        },
        "additionalProperties": false
    })
}

fn phone_number() -> Value {
    json!({
        "type": "object",
        "required": ["phone_number"],
        "properties": {
            "phone_number_id": {"type": "string", "format": "uuid", "readOnly": true, "description": "The phone number's id."},
            "phone_number": {"type": "string", "minLength": 1, "maxLength": 25, "description": "The number as typed."},
            "kind": {"type": "string", "enum": ["home", "work", "mobile", "other"], "description": "What kind of phone it is."},
            "create_source": read_only_source("Who added the number."),
            "update_source": read_only_source("Who last changed the number."),
            "created_at": timestamp("When the number was added."),
            "updated_at": timestamp("When the number last changed.")
        },
        "additionalProperties": false
    })
}

fn street_address() -> Value {
    json!({
        "type": "object",
        "required": ["kind"],
        "properties": {
            "street_address_id": {"type": "string", "format": "uuid", "readOnly": true, "description": "The address's id."},
            "kind": {"type": "string", "enum": ["home", "work", "other"], "description": "What kind of place it is."},
            "street": text("Number and street.", 255),
            "city": text("City.", 50),
            "state": text("State or province, as free text.", 50),
            "postal_code": text("Zip or postal code.", 50),
            "country": text("Country, as free text.", 50),
            "created_at": timestamp("When the address was added."),
            "updated_at": timestamp("When the address last changed.")
        },
        "additionalProperties": false
    })
}

fn custom_field() -> Value {
    json!({
        "type": "object",
        "required": ["custom_field_id"],
        "properties": {
            "custom_field_id": uuid("The account's custom field."),
            "value": text("The value.", 255),
            "choice_ids": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Chosen options, for single- and multi-select fields."
            }
        },
        "additionalProperties": false
    })
}

fn note() -> Value {
    json!({
        "type": "object",
        "required": ["content"],
        "properties": {
            "note_id": uuid("The note's id; a new note may omit it and the API assigns one."),
            "created_at": {"type": "string", "format": "date-time", "description": "When the note was made."},
            "content": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "The note's text."}
        },
        "additionalProperties": false
    })
}

fn ids(description: &str, max: usize) -> Value {
    json!({
        "type": "array",
        "items": {"type": "string", "format": "uuid"},
        "maxItems": max,
        "description": description
    })
}

/// The contact record; read-only fields are marked and ignored by writes. With an account,
/// its names and custom fields are spelled out.
pub fn contact_in(account: Option<&Account>) -> Value {
    let mut schema = json!({
        "type": "object",
        "description": "A Constant Contact v3 contact. Absent fields are not given (or not returned); in an update an empty string or list clears the field. Read-only fields are never sent.",
        "properties": {
            "contact_id": {"type": "string", "format": "uuid", "readOnly": true, "description": "The contact's id."},
            "email_address": email_address(),
            "first_name": text("First name.", 50),
            "last_name": text("Last name.", 50),
            "job_title": text("Job title.", 50),
            "company_name": text("Company name.", 50),
            "birthday": {
                "type": "object",
                "description": "Month and day of the birthday; no year is stored.",
                "required": ["month", "day"],
                "properties": {
                    "month": {"type": "integer", "minimum": 1, "maximum": 12, "description": "1 to 12."},
                    "day": {"type": "integer", "minimum": 1, "maximum": 31, "description": "1 to 31, valid for the month (February allows 29)."}
                },
                "additionalProperties": false
            },
            "anniversary": {
                "type": "string",
                "maxLength": 10,
                "pattern": "^([0-9]{4}([-/])[0-9]{1,2}\\2[0-9]{1,2}|[0-9]{1,2}([-/])[0-9]{1,2}\\3[0-9]{4})?$",
                "description": "A date: YYYY-MM-DD, YYYY-M-D, YYYY/MM/DD, YYYY/M/D, MM/DD/YYYY, M/D/YYYY, MM-DD-YYYY or M-D-YYYY."
            },
            "create_source": read_only_source("Who created the contact."),
            "update_source": read_only_source("Who last updated the contact."),
            "created_at": timestamp("When the contact was created."),
            "updated_at": timestamp("When the contact last changed."),
            "deleted_at": {"type": "string", "format": "date", "readOnly": true, "description": "The date the contact was deleted; present only on deleted contacts."},
            "custom_fields": {"type": "array", "items": custom_field(), "maxItems": 25, "description": "Values of the account's custom fields."},
            "phone_numbers": {"type": "array", "items": phone_number(), "maxItems": 3, "description": "Phone numbers."},
            "street_addresses": {"type": "array", "items": street_address(), "maxItems": 3, "description": "Street addresses."},
            "list_memberships": ids("Ids of the lists the contact belongs to.", 50),
            "taggings": ids("Ids of the tags on the contact.", 50),
            "notes": {"type": "array", "items": note(), "maxItems": 150, "description": "Notes, newest first."}
        },
        "additionalProperties": false
    });
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        props.insert("lists".into(), named_list(account.map(|a| a.lists.as_slice()), "Lists by name; a write adds them to list_memberships, a query with names fills them."));
        props.insert(
            "tags".into(),
            named_list(
                account.map(|a| a.tags.as_slice()),
                "Tags by name; a write adds them to taggings, a query with names fills them.",
            ),
        );
        props.insert(
            "custom".into(),
            custom(account.map(|a| a.fields.as_slice())),
        );
    }
    schema
}

/// A contact named by id or by email address.
pub fn contact_ref() -> Value {
    json!({
        "description": "One existing contact, by id or by email address (any letter case; deleted contacts are found too).",
        "oneOf": [
            {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string", "format": "uuid", "description": "The contact's id."}},
                "additionalProperties": false
            },
            {
                "type": "object",
                "required": ["email"],
                "properties": {"email": {"type": "string", "format": "email", "maxLength": 80, "description": "The contact's email address."}},
                "additionalProperties": false
            }
        ]
    })
}

pub const CLEARABLE: [&str; 12] = [
    "first_name",
    "last_name",
    "job_title",
    "company_name",
    "birthday",
    "anniversary",
    "custom_fields",
    "phone_numbers",
    "street_addresses",
    "list_memberships",
    "taggings",
    "notes",
];

/// One update: the target, the changes and the fields to clear.
pub fn contact_update() -> Value {
    json!({
        "type": "object",
        "description": "One update: which contact, what to set and what to clear.",
        "required": ["target", "changes"],
        "properties": {
            "target": {"$ref": "#/$defs/contact_ref"},
            "changes": {"$ref": "#/$defs/contact"},
            "clear": {
                "type": "array",
                "items": {"type": "string", "enum": CLEARABLE},
                "uniqueItems": true,
                "description": "Fields to clear; a field may not be both given and cleared."
            }
        },
        "additionalProperties": false
    })
}
