//! Stored forms of a contact's email address and subresources: ids, timestamps and sources
//! filled in, with unchanged entries keeping their ids across a `PUT`.

use serde_json::{Map, Value, json};

use crate::api::contact_input::NoteInput;
use crate::clock;
use crate::state::State;

/// Sets `permission_to_send` on a stored `email_address` and the opt-in/out details that go
/// with it. `source` is who acted (`Contact` or `Account`); `stamp` is the change time.
pub fn apply_permission(
    email: &mut Map<String, Value>,
    permission: &str,
    source: &str,
    opt_out_reason: Option<&str>,
    stamp: &str,
) {
    let previous = email
        .get("permission_to_send")
        .and_then(Value::as_str)
        .map(str::to_string);
    email.insert("permission_to_send".into(), json!(permission));
    email.insert("updated_at".into(), json!(stamp));
    match permission {
        "unsubscribed" => {
            email.insert("opt_out_source".into(), json!(source));
            email.insert("opt_out_date".into(), json!(stamp));
            if let Some(reason) = opt_out_reason {
                email.insert("opt_out_reason".into(), json!(reason));
            }
        }
        _ => {
            for key in ["opt_out_source", "opt_out_date", "opt_out_reason"] {
                email.remove(key);
            }
        }
    }
    if permission == "explicit" || permission == "implicit" {
        email.insert("opt_in_source".into(), json!(source));
        email.insert("opt_in_date".into(), json!(stamp));
    }
    let confirm = match (permission, previous.as_deref()) {
        ("pending_confirmation", _) => "pending",
        ("explicit", Some("pending_confirmation")) => "confirmed",
        _ => email
            .get("confirm_status")
            .and_then(Value::as_str)
            .unwrap_or("off"),
    }
    .to_string();
    email.insert("confirm_status".into(), json!(confirm));
}

/// A new stored `email_address`.
pub fn new_email(
    address: &str,
    permission: &str,
    source: &str,
    reason: Option<&str>,
    stamp: &str,
) -> Map<String, Value> {
    let mut email = Map::new();
    email.insert("address".into(), json!(address));
    email.insert("created_at".into(), json!(stamp));
    apply_permission(&mut email, permission, source, reason, stamp);
    email
}

/// Stored phone numbers; an entry equal to a previous one keeps its id and creation details.
pub fn phone_numbers(
    state: &mut State,
    input: &[(String, Option<String>)],
    previous: &[Value],
    source: &str,
    stamp: &str,
) -> Value {
    let items = input
        .iter()
        .map(|(number, kind)| {
            let same = previous.iter().find(|p| {
                p["phone_number"].as_str() == Some(number) && p["kind"].as_str() == kind.as_deref()
            });
            if let Some(same) = same {
                return same.clone();
            }
            let mut phone = json!({
                "phone_number_id": state.ids.next_id(),
                "phone_number": number,
                "created_at": stamp,
                "updated_at": stamp,
                "create_source": source,
            });
            if let Some(kind) = kind {
                phone["kind"] = json!(kind);
            }
            phone
        })
        .collect();
    Value::Array(items)
}

/// Stored street addresses; an entry equal to a previous one keeps its id and timestamps.
pub fn street_addresses(
    state: &mut State,
    input: &[Map<String, Value>],
    previous: &[Value],
    stamp: &str,
) -> Value {
    const FIELDS: [&str; 6] = ["kind", "street", "city", "state", "postal_code", "country"];
    let items = input
        .iter()
        .map(|address| {
            let same = previous
                .iter()
                .find(|p| FIELDS.iter().all(|f| p.get(*f) == address.get(*f)));
            if let Some(same) = same {
                return same.clone();
            }
            let mut stored = address.clone();
            stored.insert("street_address_id".into(), json!(state.ids.next_id()));
            stored.insert("created_at".into(), json!(stamp));
            stored.insert("updated_at".into(), json!(stamp));
            Value::Object(stored)
        })
        .collect();
    Value::Array(items)
}

/// Stored notes, newest first; notes without id or creation time get them.
pub fn notes(state: &mut State, input: &[NoteInput], stamp: &str) -> Value {
    let mut items: Vec<(i64, Value)> = input
        .iter()
        .map(|note| {
            let created = note.created_at.clone().unwrap_or_else(|| stamp.to_string());
            let order = clock::parse_iso8601_millis(&created).unwrap_or(0);
            let id = note.note_id.clone().unwrap_or_else(|| state.ids.next_id());
            (
                order,
                json!({"note_id": id, "created_at": created, "content": note.content}),
            )
        })
        .collect();
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    Value::Array(items.into_iter().map(|(_, v)| v).collect())
}

/// A string array value.
pub fn id_array(ids: &[String]) -> Value {
    Value::Array(ids.iter().map(|id| json!(id)).collect())
}
