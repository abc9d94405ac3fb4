//! Tags: `GET /contact_tags` (per-tag counts, cursor paging) and `POST /contact_tags`.

use serde_json::{Map, Value, json};

use crate::api::error::{ApiError, CONFLICT};
use crate::api::paging::{self, Collection, Page};
use crate::api::params;
use crate::clock;
use crate::http::query::Query;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::state::State;

/// The options of a tags query, kept with its cursors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TagQuery {
    /// Adds `contacts_count` to each tag.
    pub include_count: bool,
}

fn render(state: &State, tag: &Map<String, Value>, with_count: bool) -> Value {
    let mut out = tag.clone();
    if with_count {
        let id = tag.get("tag_id").and_then(Value::as_str).unwrap_or("");
        let count = state
            .contacts
            .iter()
            .filter(|c| !c.is_deleted() && c.ids_in("taggings").contains(&id))
            .count();
        out.insert("contacts_count".into(), json!(count));
    }
    Value::Object(out)
}

/// Answers `GET /contact_tags`.
pub fn list(state: &mut State, query: &Query) -> Result<Response, ApiError> {
    let is_tags = |c: &Collection| matches!(c, Collection::Tags(_));
    let page = match paging::resume(&state.cursors, query, is_tags)? {
        Some(page) => page,
        None => Page {
            limit: params::limit(query, 50, 500, state.behaviour.limit_out_of_range)?,
            collection: Collection::Tags(TagQuery {
                include_count: params::boolean(query, "include_count")?,
            }),
            position: 0,
        },
    };
    let Collection::Tags(options) = &page.collection else {
        return Err(ApiError::validation("cursor is invalid"));
    };
    let (chosen, next) = paging::select(&state.tags, page.position, page.limit, |_| true);
    let tags: Vec<Value> = chosen
        .iter()
        .map(|&pos| render(state, &state.tags[pos], options.include_count))
        .collect();
    let next_cursor = next.map(|position| {
        state.cursors.issue(Page {
            collection: page.collection.clone(),
            position,
            limit: page.limit,
        })
    });
    let body = json!({"tags": tags, "_links": paging::links("/v3/contact_tags", next_cursor)});
    Ok(Response::json(200, &body))
}

/// Answers `POST /contact_tags` (`TagPost`).
pub fn create(state: &mut State, request: &Request) -> Result<Response, ApiError> {
    let body = params::json_body(request)?;
    let name = body.get("name").and_then(Value::as_str).map(str::trim);
    let Some(name) = name.filter(|n| !n.is_empty() && n.chars().count() <= 255) else {
        return Err(ApiError::validation(
            "name is required and must be 1 to 255 characters",
        ));
    };
    if state
        .tags
        .iter()
        .any(|t| t.get("name").and_then(Value::as_str) == Some(name))
    {
        return Err(ApiError::array(
            409,
            CONFLICT,
            format!("A tag named \"{name}\" already exists."),
        ));
    }
    state.add_tag(name, clock::now_secs());
    let mut tag = state.tags.last().cloned().unwrap_or_default();
    if let Some(source) = body.get("tag_source").and_then(Value::as_str) {
        tag.insert("tag_source".into(), json!(source));
        if let Some(stored) = state.tags.last_mut() {
            stored.insert("tag_source".into(), json!(source));
        }
    }
    Ok(Response::json(201, &Value::Object(tag)))
}
