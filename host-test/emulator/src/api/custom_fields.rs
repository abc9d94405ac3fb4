//! Custom field definitions: `GET /contact_custom_fields` (cursor paging),
//! `GET /contact_custom_fields/{id}` and `POST /contact_custom_fields` (choices of select
//! fields are read in `custom_field_choices`).

use serde_json::{Value, json};

use crate::api::custom_field_choices;
use crate::api::error::{ApiError, CONFLICT};
use crate::api::paging::{self, Collection, Page};
use crate::api::params;
use crate::clock;
use crate::http::query::Query;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::ids;
use crate::state::State;

/// The custom field types the API defines.
pub const TYPES: [&str; 9] = [
    "string",
    "date",
    "datetime",
    "single_select",
    "multi_select",
    "currency",
    "text_area",
    "number",
    "boolean",
];

/// Answers `GET /contact_custom_fields`.
pub fn list(state: &mut State, query: &Query) -> Result<Response, ApiError> {
    let is_fields = |c: &Collection| matches!(c, Collection::CustomFields);
    let page = match paging::resume(&state.cursors, query, is_fields)? {
        Some(page) => page,
        None => Page {
            limit: params::limit(query, 50, 100, state.behaviour.limit_out_of_range)?,
            collection: Collection::CustomFields,
            position: 0,
        },
    };
    let (chosen, next) = paging::select(&state.custom_fields, page.position, page.limit, |_| true);
    let fields: Vec<Value> = chosen
        .iter()
        .map(|&pos| Value::Object(state.custom_fields[pos].clone()))
        .collect();
    let next_cursor = next.map(|position| {
        state.cursors.issue(Page {
            collection: Collection::CustomFields,
            position,
            limit: page.limit,
        })
    });
    let body = json!({
        "custom_fields": fields,
        "_links": paging::links("/v3/contact_custom_fields", next_cursor),
    });
    Ok(Response::json(200, &body))
}

/// Answers `GET /contact_custom_fields/{id}`.
pub fn get(state: &State, id: &str) -> Result<Response, ApiError> {
    if !ids::is_uuid(id) {
        return Err(ApiError::not_found(
            "custom_field_id is in an invalid format.",
        ));
    }
    state
        .custom_fields
        .iter()
        .find(|f| f.get("custom_field_id").and_then(Value::as_str) == Some(id))
        .map(|f| Response::json(200, &Value::Object(f.clone())))
        .ok_or_else(|| ApiError::not_found(format!("Custom field {id} was not found.")))
}

/// Answers `POST /contact_custom_fields` (`CustomFieldRequest`; `metadata` is read only for
/// a select field's `display_type`).
pub fn create(state: &mut State, request: &Request) -> Result<Response, ApiError> {
    let body = params::json_body(request)?;
    let label = body.get("label").and_then(Value::as_str).map(str::trim);
    let Some(label) = label.filter(|l| !l.is_empty() && l.chars().count() <= 50) else {
        return Err(ApiError::validation(
            "label is required and must be 1 to 50 characters",
        ));
    };
    let kind = body.get("type").and_then(Value::as_str);
    let Some(kind) = kind.filter(|k| TYPES.contains(k)) else {
        return Err(ApiError::validation("type does not have a valid value"));
    };
    let choices = match body.as_object() {
        Some(obj) => custom_field_choices::parse(obj, kind)?,
        None => None,
    };
    let taken = state.custom_fields.iter().any(|f| {
        f.get("label")
            .and_then(Value::as_str)
            .is_some_and(|l| l.eq_ignore_ascii_case(label))
    });
    if taken {
        return Err(ApiError::array(
            409,
            CONFLICT,
            format!("A custom field labelled \"{label}\" already exists."),
        ));
    }
    let now = clock::now_secs();
    match choices {
        Some(request) => {
            state.add_select_field(label, kind, &request.display_type, &request.choices, now)
        }
        None => state.add_custom_field(label, kind, now),
    };
    let field = state.custom_fields.last().cloned().unwrap_or_default();
    Ok(Response::json(201, &Value::Object(field)))
}
