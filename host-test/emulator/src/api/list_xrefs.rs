//! `GET /contact_lists/list_id_xrefs`: the V3 `list_id` of each V2 list sequence id asked
//! for, sorted by sequence id, unknown ids left out.
//!
//! Sequence ids are decimal numbers. An id is matched by its numeric value (leading zeros
//! allowed) and answered in the form it was asked for, so a client can map the answer back
//! onto its own ids; how the real API treats leading zeros is not confirmed.

use serde_json::{Value, json};

use crate::api::error::ApiError;
use crate::api::params;
use crate::http::query::Query;
use crate::http::response::Response;
use crate::state::State;

/// Most sequence ids one request may carry.
pub const MAX_SEQUENCE_IDS: usize = 500;

/// Answers `GET /contact_lists/list_id_xrefs?sequence_ids=<csv>`.
pub fn list_xrefs(state: &State, query: &Query) -> Result<Response, ApiError> {
    let Some(requested) = params::csv(query, "sequence_ids")? else {
        return Err(ApiError::validation("sequence_ids is required"));
    };
    if requested.len() > MAX_SEQUENCE_IDS {
        return Err(ApiError::validation(format!(
            "sequence_ids exceeds the maximum of {MAX_SEQUENCE_IDS} ids"
        )));
    }

    // Each id parsed, then matched; repeats of one number answer once.
    let mut found: Vec<(u64, String, &str)> = Vec::new();
    for text in &requested {
        let number = Some(text)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<u64>().ok());
        let Some(number) = number else {
            return Err(ApiError::validation(format!(
                "sequence_ids does not have a valid value: \"{text}\" is not a V2 list id"
            )));
        };
        if found.iter().any(|(n, _, _)| *n == number) {
            continue;
        }
        if let Some(list_id) = state.list_by_sequence(number) {
            found.push((number, text.clone(), list_id));
        }
    }
    found.sort_by_key(|(number, _, _)| *number);

    let xrefs: Vec<Value> = found
        .into_iter()
        .map(|(_, sequence_id, list_id)| json!({"sequence_id": sequence_id, "list_id": list_id}))
        .collect();
    Ok(Response::json(200, &json!({"xrefs": xrefs})))
}
