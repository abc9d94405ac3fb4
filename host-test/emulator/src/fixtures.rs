//! Direct state changes for tests and demos: inserting a ready-made contact, lists, custom
//! fields and tags without going through HTTP.

use anyhow::bail;
use serde_json::{Map, Value, json};

use crate::clock;
use crate::model::{SUBRESOURCES, StoredContact};
use crate::state::State;

/// Stores a `ContactResource`-shaped object as given, filling in what is missing: the id,
/// timestamps, `create_source` (`Account`), the email's permission (the behaviour's default)
/// and opt-in details, and the ids of phone numbers, addresses and notes. Read-only fields
/// that are given (`deleted_at` included) are kept. The address is stored exactly as given.
pub fn insert_contact(state: &mut State, contact: Value) -> anyhow::Result<String> {
    let Value::Object(mut doc) = contact else {
        bail!("failed to insert contact: it is not a JSON object");
    };

    // Identity and timestamps.
    let id = match doc.get("contact_id").and_then(Value::as_str) {
        Some(id) => id.to_ascii_lowercase(),
        None => state.ids.next_id(),
    };
    doc.insert("contact_id".into(), json!(id));
    let now = clock::format_timestamp(clock::now_secs());
    let created = text_or(&doc, "created_at", &now);
    doc.insert("created_at".into(), json!(created));
    let updated = text_or(&doc, "updated_at", &created);
    doc.insert("updated_at".into(), json!(updated));
    let source = text_or(&doc, "create_source", "Account");
    doc.insert("create_source".into(), json!(source));

    // Email details.
    let default_permission = state.behaviour.default_permission_on_post.clone();
    if let Some(email) = doc.get_mut("email_address").and_then(Value::as_object_mut) {
        if !email.get("address").is_some_and(Value::is_string) {
            bail!("failed to insert contact \"{id}\": email_address.address is missing");
        }
        let permission = text_or(email, "permission_to_send", &default_permission);
        email.insert("permission_to_send".into(), json!(permission));
        for key in ["created_at", "updated_at"] {
            let value = text_or(email, key, &created);
            email.insert(key.into(), json!(value));
        }
        if (permission == "explicit" || permission == "implicit")
            && !email.contains_key("opt_in_source")
        {
            email.insert("opt_in_source".into(), json!(source));
            email.insert("opt_in_date".into(), json!(created));
        }
        if !email.contains_key("confirm_status") {
            email.insert("confirm_status".into(), json!("off"));
        }
    }

    // Subresources: always stored as arrays, entries given ids.
    for name in SUBRESOURCES {
        if !doc.get(name).is_some_and(Value::is_array) {
            doc.insert(name.into(), Value::Array(Vec::new()));
        }
    }
    for (name, id_key) in [
        ("phone_numbers", "phone_number_id"),
        ("street_addresses", "street_address_id"),
        ("notes", "note_id"),
    ] {
        if let Some(items) = doc.get_mut(name).and_then(Value::as_array_mut) {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                if !item.contains_key(id_key) {
                    item.insert(id_key.into(), json!(state.ids.next_id()));
                }
                if !item.contains_key("created_at") {
                    item.insert("created_at".into(), json!(created));
                }
                if name != "notes" && !item.contains_key("updated_at") {
                    item.insert("updated_at".into(), json!(created));
                }
            }
        }
    }

    state
        .add_contact(StoredContact {
            id: id.clone(),
            doc,
        })
        .map_err(|cause| anyhow::anyhow!("failed to insert contact: {cause}"))?;
    Ok(id)
}

fn text_or(map: &Map<String, Value>, key: &str, default: &str) -> String {
    map.get(key)
        .and_then(Value::as_str)
        .unwrap_or(default)
        .to_string()
}
