//! `POST /contacts`: validate, refuse a taken email address with 409, store, answer 201.

use serde_json::{Map, Value, json};

use crate::api::contact_input::{self, ContactInput, Mode};
use crate::api::error::ApiError;
use crate::api::params;
use crate::api::subresources;
use crate::clock;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::model::{Includes, StoredContact};
use crate::state::State;

/// Creates a contact from a `ContactPostRequest`.
pub fn create(state: &mut State, request: &Request) -> Result<Response, ApiError> {
    let body = params::json_body(request)?;
    let mut input = contact_input::parse(&body, Mode::Create, state)?;
    if let Some(email) = &mut input.email {
        if let Some(owner) = state.email_owner(&email.address) {
            return Err(ApiError::email_conflict(&state.contacts[owner].id));
        }
        if state.behaviour.lowercase_emails_on_store {
            email.address = email.address.to_lowercase();
        }
    }

    let contact = build(state, &input);
    let rendered = if state.behaviour.post_returns_subresources {
        contact.render(Includes::all())
    } else {
        contact.render(Includes::none())
    };
    state
        .add_contact(contact)
        .map_err(|e| ApiError::array(500, "contacts.api.internal_error", e))?;
    Ok(Response::json(201, &rendered))
}

/// The stored contact for a validated create request.
fn build(state: &mut State, input: &ContactInput) -> StoredContact {
    let id = state.ids.next_id();
    let stamp = clock::format_timestamp(clock::now_secs());
    let source = input.source.as_str();
    let mut doc = Map::new();
    doc.insert("contact_id".into(), json!(id));

    // Core properties.
    if let Some(email) = &input.email {
        let default = state.behaviour.default_permission_on_post.clone();
        let permission = email.permission.as_deref().unwrap_or(&default);
        let stored = subresources::new_email(
            &email.address,
            permission,
            source,
            email.opt_out_reason.as_deref(),
            &stamp,
        );
        doc.insert("email_address".into(), Value::Object(stored));
    }
    doc.extend(input.core.clone());
    if let Some(sms) = &input.sms_channel {
        let mut sms = sms.clone();
        sms["sms_channel_id"] = json!(state.ids.next_id());
        sms["create_source"] = json!(source);
        doc.insert("sms_channel".into(), sms);
    }
    doc.insert("create_source".into(), json!(source));
    doc.insert("created_at".into(), json!(stamp));
    doc.insert("updated_at".into(), json!(stamp));

    // Subresources, each stored as an array (empty when not given).
    let phones = input.phone_numbers.as_deref().unwrap_or(&[]);
    let phones = subresources::phone_numbers(state, phones, &[], source, &stamp);
    doc.insert("phone_numbers".into(), phones);
    let addresses = input.street_addresses.as_deref().unwrap_or(&[]);
    let addresses = subresources::street_addresses(state, addresses, &[], &stamp);
    doc.insert("street_addresses".into(), addresses);
    let notes = subresources::notes(state, input.notes.as_deref().unwrap_or(&[]), &stamp);
    doc.insert("notes".into(), notes);
    let custom_fields = input.custom_fields.clone().unwrap_or_default();
    doc.insert("custom_fields".into(), Value::Array(custom_fields));
    let lists = input.list_memberships.as_deref().unwrap_or(&[]);
    doc.insert("list_memberships".into(), subresources::id_array(lists));
    let tags = input.taggings.as_deref().unwrap_or(&[]);
    doc.insert("taggings".into(), subresources::id_array(tags));

    StoredContact { id, doc }
}
