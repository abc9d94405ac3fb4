//! `POST /contacts/sign_up_form`: create or update by email address. A new contact answers
//! 201 `{contact_id, action: "created"}`; an existing one (deleted ones included, and
//! restored) answers 200 `{contact_id, action: "updated"}` after a partial update that
//! appends lists and custom fields and sets `permission_to_send` to `explicit`.

use serde_json::{Map, Value, json};

use crate::api::error::ApiError;
use crate::api::params;
use crate::api::sign_up_input::{self, SignUpInput};
use crate::api::subresources;
use crate::clock;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::model::StoredContact;
use crate::state::State;

/// Who the API records as the source of sign-up changes.
const SOURCE: &str = "Contact";
/// The kind given to the form's single phone number.
const PHONE_KIND: &str = "other";
/// Most phone numbers and street addresses a contact holds.
const SUBRESOURCE_CAP: usize = 3;

/// Creates or updates a contact from a `ContactCreateOrUpdateInput`.
pub fn sign_up(state: &mut State, request: &Request) -> Result<Response, ApiError> {
    let body = params::json_body(request)?;
    let input = sign_up_input::parse(&body, state)?;
    match state.email_owner(&input.email) {
        None => create(state, input),
        Some(pos) => update(state, pos, input),
    }
}

fn create(state: &mut State, input: SignUpInput) -> Result<Response, ApiError> {
    let id = state.ids.next_id();
    let stamp = clock::format_timestamp(clock::now_secs());
    let mut doc = Map::new();
    doc.insert("contact_id".into(), json!(id));

    // Permission follows the account's confirmed opt-in setting.
    let address = if state.behaviour.lowercase_emails_on_store {
        input.email.to_lowercase()
    } else {
        input.email.clone()
    };
    let permission = if state.behaviour.confirmed_opt_in {
        "pending_confirmation"
    } else {
        "explicit"
    };
    let email = subresources::new_email(&address, permission, SOURCE, None, &stamp);
    doc.insert("email_address".into(), Value::Object(email));
    doc.extend(input.core);
    doc.insert("create_source".into(), json!(SOURCE));
    doc.insert("created_at".into(), json!(stamp));
    doc.insert("updated_at".into(), json!(stamp));

    // Subresources, each stored as an array.
    let phones = match &input.phone_number {
        Some(number) => new_phone(state, number, &stamp),
        None => Vec::new(),
    };
    doc.insert("phone_numbers".into(), Value::Array(phones));
    let addresses = input.street_address.as_slice();
    let addresses = subresources::street_addresses(state, addresses, &[], &stamp);
    doc.insert("street_addresses".into(), addresses);
    doc.insert("notes".into(), json!([]));
    doc.insert("custom_fields".into(), Value::Array(input.custom_fields));
    let lists = subresources::id_array(&input.list_memberships);
    doc.insert("list_memberships".into(), lists);
    doc.insert("taggings".into(), json!([]));

    state
        .add_contact(StoredContact {
            id: id.clone(),
            doc,
        })
        .map_err(|e| ApiError::array(500, "contacts.api.internal_error", e))?;
    Ok(Response::json(
        201,
        &json!({"contact_id": id, "action": "created"}),
    ))
}

fn update(state: &mut State, pos: usize, input: SignUpInput) -> Result<Response, ApiError> {
    let current = state.contacts[pos].clone();
    let stamp = clock::format_timestamp(State::change_time(current.text("updated_at")));
    let mut doc = current.doc;

    // Only the properties sent change; the address itself is kept as stored.
    doc.extend(input.core);
    if let Some(email) = doc.get_mut("email_address").and_then(Value::as_object_mut)
        && email.get("permission_to_send").and_then(Value::as_str) != Some("explicit")
    {
        subresources::apply_permission(email, "explicit", SOURCE, None, &stamp);
    }

    // Phone and address join the existing ones; lists and custom fields are appended.
    if let Some(number) = &input.phone_number {
        let phones = array_mut(&mut doc, "phone_numbers");
        if !phones.iter().any(|p| p["phone_number"] == number.as_str()) {
            let phone = new_phone(state, number, &stamp);
            add_capped(array_mut(&mut doc, "phone_numbers"), phone);
        }
    }
    if let Some(address) = &input.street_address {
        let previous = array_mut(&mut doc, "street_addresses").clone();
        let stored =
            subresources::street_addresses(state, std::slice::from_ref(address), &previous, &stamp);
        let stored = stored.as_array().cloned().unwrap_or_default();
        if !stored.iter().all(|a| previous.contains(a)) {
            add_capped(array_mut(&mut doc, "street_addresses"), stored);
        }
    }
    let lists = array_mut(&mut doc, "list_memberships");
    for list in &input.list_memberships {
        if !lists.iter().any(|l| l == list.as_str()) {
            lists.push(json!(list));
        }
    }
    let fields = array_mut(&mut doc, "custom_fields");
    for field in input.custom_fields {
        let same = fields
            .iter_mut()
            .find(|f| f["custom_field_id"] == field["custom_field_id"]);
        match same {
            Some(slot) => *slot = field,
            None => fields.push(field),
        }
    }

    // Restore, stamp and store.
    doc.remove("deleted_at");
    doc.insert("update_source".into(), json!(SOURCE));
    doc.insert("updated_at".into(), json!(stamp));
    state.contacts[pos].doc = doc;
    let id = state.contacts[pos].id.clone();
    Ok(Response::json(
        200,
        &json!({"contact_id": id, "action": "updated"}),
    ))
}

/// A stored phone number of the form's kind, as a one-item list.
fn new_phone(state: &mut State, number: &str, stamp: &str) -> Vec<Value> {
    let input = [(number.to_string(), Some(PHONE_KIND.to_string()))];
    let stored = subresources::phone_numbers(state, &input, &[], SOURCE, stamp);
    stored.as_array().cloned().unwrap_or_default()
}

/// A subresource array of the stored document, created empty when missing.
fn array_mut<'a>(doc: &'a mut Map<String, Value>, key: &str) -> &'a mut Vec<Value> {
    let slot = doc.entry(key.to_string()).or_insert_with(|| json!([]));
    if !slot.is_array() {
        *slot = json!([]);
    }
    slot.as_array_mut()
        .expect("the slot holds an array: it was just made one")
}

/// Appends entries, replacing the last one when the contact already holds the maximum.
fn add_capped(items: &mut Vec<Value>, entries: Vec<Value>) {
    for entry in entries {
        if items.len() >= SUBRESOURCE_CAP {
            items.pop();
        }
        items.push(entry);
    }
}
