//! `PUT /contacts/{id}`: replace the core properties, replace the subresources that were
//! sent, keep the rest; revives deleted contacts; 409 for an address another contact holds.

use serde_json::{Value, json};

use crate::api::contact_input::{self, Mode};
use crate::api::contact_item;
use crate::api::error::ApiError;
use crate::api::params;
use crate::api::subresources;
use crate::clock;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::model::{CORE_SCALARS, Includes};
use crate::state::State;

/// Updates a contact from a `ContactPutRequest`.
pub fn update(state: &mut State, id: &str, request: &Request) -> Result<Response, ApiError> {
    let pos = contact_item::find(state, id)?;
    let body = params::json_body(request)?;
    let mut input = contact_input::parse(&body, Mode::Update, state)?;
    let current = state.contacts[pos].clone();
    let stamp = clock::format_timestamp(State::change_time(current.text("updated_at")));
    let source = input.source.clone();
    let mut doc = current.doc.clone();

    // Email address: kept when omitted; a new address must be free.
    let old_email = current.email().map(str::to_string);
    if let Some(email_in) = &mut input.email {
        if let Some(owner) = state.email_owner(&email_in.address).filter(|o| *o != pos) {
            return Err(ApiError::email_conflict(&state.contacts[owner].id));
        }
        if state.behaviour.lowercase_emails_on_store {
            email_in.address = email_in.address.to_lowercase();
        }
        let reason = email_in.opt_out_reason.as_deref();
        match doc.get_mut("email_address").and_then(Value::as_object_mut) {
            Some(email) => {
                if email.get("address").and_then(Value::as_str) != Some(&email_in.address) {
                    email.insert("address".into(), json!(email_in.address));
                    email.insert("updated_at".into(), json!(stamp));
                }
                let now = email.get("permission_to_send").and_then(Value::as_str);
                match email_in.permission.as_deref() {
                    Some(p) if Some(p) != now => {
                        subresources::apply_permission(email, p, &source, reason, &stamp)
                    }
                    Some("unsubscribed") if reason.is_some() => {
                        email.insert("opt_out_reason".into(), json!(reason));
                    }
                    _ => {}
                }
            }
            None => {
                let default = state.behaviour.default_permission_on_post.clone();
                let permission = email_in.permission.as_deref().unwrap_or(&default);
                let email =
                    subresources::new_email(&email_in.address, permission, &source, reason, &stamp);
                doc.insert("email_address".into(), Value::Object(email));
            }
        }
    }

    // Core scalars: replaced as a whole; the SMS channel is kept when omitted.
    for key in CORE_SCALARS {
        doc.remove(key);
    }
    doc.extend(input.core.clone());
    if let Some(sms) = &input.sms_channel {
        let mut sms = sms.clone();
        let id = doc
            .get("sms_channel")
            .and_then(|s| s.get("sms_channel_id"))
            .cloned()
            .unwrap_or_else(|| json!(state.ids.next_id()));
        sms["sms_channel_id"] = id;
        sms["update_source"] = json!(source);
        doc.insert("sms_channel".into(), sms);
    }
    let has_identity = ["email_address", "first_name", "last_name", "sms_channel"]
        .iter()
        .any(|k| doc.contains_key(*k));
    if !has_identity {
        return Err(ApiError::validation(
            "email_address, first_name, last_name or sms_channel is required; a contact must keep at least one",
        ));
    }

    // Subresources: the ones sent replace the stored set.
    let mut sent = Includes::none();
    let previous = |key: &str| {
        current
            .doc
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    if let Some(phones) = &input.phone_numbers {
        let stored =
            subresources::phone_numbers(state, phones, &previous("phone_numbers"), &source, &stamp);
        doc.insert("phone_numbers".into(), stored);
        sent = sent.with("phone_numbers");
    }
    if let Some(addresses) = &input.street_addresses {
        let stored =
            subresources::street_addresses(state, addresses, &previous("street_addresses"), &stamp);
        doc.insert("street_addresses".into(), stored);
        sent = sent.with("street_addresses");
    }
    if let Some(notes) = &input.notes {
        doc.insert("notes".into(), subresources::notes(state, notes, &stamp));
        sent = sent.with("notes");
    }
    if let Some(fields) = &input.custom_fields {
        doc.insert("custom_fields".into(), Value::Array(fields.clone()));
        sent = sent.with("custom_fields");
    }
    if let Some(lists) = &input.list_memberships {
        doc.insert("list_memberships".into(), subresources::id_array(lists));
        sent = sent.with("list_memberships");
    }
    if let Some(tags) = &input.taggings {
        doc.insert("taggings".into(), subresources::id_array(tags));
        sent = sent.with("taggings");
    }

    // Revive, stamp and store.
    doc.remove("deleted_at");
    doc.insert("update_source".into(), json!(source));
    doc.insert("updated_at".into(), json!(stamp));
    state.contacts[pos].doc = doc;
    let new_email = state.contacts[pos].email().map(str::to_string);
    if new_email != old_email {
        state.reindex_email(pos, old_email.as_deref(), new_email.as_deref());
    }
    Ok(Response::json(200, &state.contacts[pos].render(sent)))
}
