//! `GET /contacts/{id}` and `DELETE /contacts/{id}` (soft delete), plus the id lookup the
//! single-contact endpoints share.

use serde_json::{Value, json};

use crate::api::error::ApiError;
use crate::api::params;
use crate::clock;
use crate::config::DeletedDeletePolicy;
use crate::http::query::Query;
use crate::http::response::Response;
use crate::ids;
use crate::model::Includes;
use crate::state::State;

/// Position of the contact a path names: 404 for a malformed or unknown id.
pub fn find(state: &State, id: &str) -> Result<usize, ApiError> {
    if !ids::is_uuid(id) {
        return Err(ApiError::not_found("contact_id is in an invalid format."));
    }
    state
        .contact_position(id)
        .ok_or_else(|| ApiError::not_found(format!("Contact {id} was not found.")))
}

/// The `include` parameter; 400 for an unknown subresource.
pub fn includes(query: &Query) -> Result<Includes, ApiError> {
    match params::text(query, "include")? {
        None => Ok(Includes::none()),
        Some(csv) => Includes::parse(&csv).map_err(|name| {
            ApiError::validation(format!(
                "include does not have a valid value: \"{name}\" is not a contact subresource"
            ))
        }),
    }
}

/// Returns one contact, deleted ones included.
pub fn get(state: &State, id: &str, query: &Query) -> Result<Response, ApiError> {
    let pos = find(state, id)?;
    let includes = includes(query)?;
    Ok(Response::json(200, &state.contacts[pos].render(includes)))
}

/// Soft-deletes a contact: sets `deleted_at` to today and removes its list memberships. The
/// email address stays taken.
pub fn delete(state: &mut State, id: &str) -> Result<Response, ApiError> {
    let pos = find(state, id)?;
    let contact = &mut state.contacts[pos];
    if contact.is_deleted() {
        return match state.behaviour.delete_of_deleted {
            DeletedDeletePolicy::NoContent => Ok(Response::empty(204)),
            DeletedDeletePolicy::NotFound => {
                Err(ApiError::not_found(format!("Contact {id} was not found.")))
            }
        };
    }
    let now = State::change_time(contact.text("updated_at"));
    contact
        .doc
        .insert("deleted_at".into(), json!(clock::format_date(now)));
    contact
        .doc
        .insert("updated_at".into(), json!(clock::format_timestamp(now)));
    contact
        .doc
        .insert("list_memberships".into(), Value::Array(Vec::new()));
    Ok(Response::empty(204))
}
