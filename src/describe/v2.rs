//! JSON Schemas of the v2 contact model accepted by `create-v2` and `update-v2`. Enum
//! values are accepted in the JSON form's lower case and in the v2 API's upper case.

use serde_json::{Value, json};

/// An enumeration in both spellings.
fn both_cases(values: &[&str], description: &str) -> Value {
    let mut all: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
    all.extend(values.iter().map(|v| v.to_uppercase()));
    json!({"type": "string", "enum": all, "description": description})
}

fn text(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

const STATUSES: [&str; 6] = [
    "active",
    "unconfirmed",
    "optout",
    "removed",
    "non_subscriber",
    "visitor",
];

/// A v2 contact.
pub fn contact() -> Value {
    json!({
        "type": "object",
        "description": "A contact in the v2 model of Constant Contact's Java SDK, mapped to v3; fields v3 cannot hold exactly are listed in the outcome's losses.",
        "properties": {
            "id": text("The v2 contact id; v3 assigns its own, so it is not written."),
            "status": both_cases(&STATUSES, "The v2 status; email_addresses[0].status wins when both are given."),
            "email_addresses": {
                "type": "array",
                "description": "Email addresses; v3 keeps the first.",
                "items": {
                    "type": "object",
                    "required": ["email_address"],
                    "properties": {
                        "id": text("Not written."),
                        "email_address": {"type": "string", "format": "email", "maxLength": 80, "description": "The address."},
                        "status": both_cases(&STATUSES, "Mapped to permission_to_send on create; only optout is carried by an update."),
                        "confirm_status": text("Read-only in v3; not written."),
                        "opt_in_source": both_cases(&["action_by_owner", "action_by_visitor"], "Mapped to opt_in_source (Account or Contact) on create."),
                        "opt_in_date": text("Read-only in v3; not written."),
                        "opt_out_date": text("Read-only in v3; not written.")
                    },
                    "additionalProperties": false
                }
            },
            "prefix_name": text("No v3 field; not written."),
            "first_name": {"type": "string", "maxLength": 50, "description": "First name."},
            "middle_name": text("No v3 field; not written."),
            "last_name": {"type": "string", "maxLength": 50, "description": "Last name."},
            "job_title": {"type": "string", "maxLength": 50, "description": "Job title."},
            "company_name": {"type": "string", "maxLength": 50, "description": "Company name."},
            "department_name": text("No v3 field; not written."),
            "home_phone": {"type": "string", "maxLength": 25, "description": "A phone of kind home."},
            "work_phone": {"type": "string", "maxLength": 25, "description": "A phone of kind work."},
            "cell_phone": {"type": "string", "maxLength": 25, "description": "A phone of kind mobile."},
            "fax": {"type": "string", "maxLength": 25, "description": "Written as a phone of kind other."},
            "addresses": {
                "type": "array",
                "maxItems": 3,
                "description": "Postal addresses; line1 to line3 are joined into street.",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": text("Not written."),
                        "address_type": both_cases(&["personal", "business", "unknown"], "home, work or other in v3."),
                        "line1": text("First street line."),
                        "line2": text("Second street line."),
                        "line3": text("Third street line."),
                        "city": text("City."),
                        "state": text("State, as text."),
                        "state_code": text("Written as the state when state is absent."),
                        "country_code": text("Written as the country's text."),
                        "postal_code": text("Postal code."),
                        "sub_postal_code": text("Appended to the postal code after a dash.")
                    },
                    "additionalProperties": false
                }
            },
            "notes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["note"],
                    "properties": {
                        "id": text("Not written."),
                        "note": {"type": "string", "maxLength": 2000, "description": "The note."},
                        "created_date": text("Written as the note's creation time."),
                        "modified_date": text("No v3 field; not written.")
                    },
                    "additionalProperties": false
                }
            },
            "lists": {
                "type": "array",
                "description": "List memberships by v2 list id (translated by the API) or v3 list id.",
                "items": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": text("A v2 or v3 list id."), "status": text("No v3 equivalent; not written.")},
                    "additionalProperties": false
                }
            },
            "custom_fields": {
                "type": "array",
                "description": "CustomField1 to CustomField15, resolved by name or label among the account's v3 custom fields.",
                "items": {
                    "type": "object",
                    "required": ["name", "value"],
                    "properties": {"name": text("The field's name, e.g. CustomField3."), "value": {"type": "string", "maxLength": 255, "description": "The value."}},
                    "additionalProperties": false
                }
            },
            "confirmed": {"type": "boolean", "description": "Read-only in v3; not written."},
            "source": text("v3 records the source from the options; not written."),
            "source_details": text("No v3 field; not written."),
            "created_date": text("Read-only; not written."),
            "modified_date": text("Read-only; not written.")
        },
        "additionalProperties": false
    })
}

/// One v2-shaped update.
pub fn update() -> Value {
    json!({
        "type": "object",
        "description": "One v2-shaped update: which contact, and the v2 fields to set.",
        "required": ["target", "changes"],
        "properties": {
            "target": {"$ref": "#/$defs/contact_ref"},
            "changes": {"$ref": "#/$defs/v2_contact"}
        },
        "additionalProperties": false
    })
}
