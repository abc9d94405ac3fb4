//! Contact lists: `GET /contact_lists` (name and status filters, counts, cursor paging),
//! `GET /contact_lists/{id}` and `POST /contact_lists`.

use serde_json::{Map, Value, json};

use crate::api::error::{ApiError, CONFLICT};
use crate::api::paging::{self, Collection, Page};
use crate::api::params;
use crate::clock;
use crate::http::query::Query;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::ids;
use crate::state::State;

/// The filters of a lists query, kept with its cursors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListQuery {
    pub name: Option<String>,
    /// `None` means active lists only.
    pub statuses: Option<Vec<String>>,
    pub include_count: bool,
    /// `all` or `active`, from `include_membership_count`.
    pub membership_count: Option<String>,
}

impl ListQuery {
    fn from_query(query: &Query) -> Result<ListQuery, ApiError> {
        let statuses = params::csv(query, "status")?;
        if let Some(bad) = statuses
            .iter()
            .flatten()
            .find(|s| !["all", "active", "deleted"].contains(&s.as_str()))
        {
            return Err(ApiError::validation(format!(
                "status does not have a valid value: \"{bad}\""
            )));
        }
        Ok(ListQuery {
            name: params::text(query, "name")?,
            statuses,
            include_count: params::boolean(query, "include_count")?,
            membership_count: membership_param(query)?,
        })
    }

    fn matches(&self, list: &Map<String, Value>) -> bool {
        let deleted = list.contains_key("deleted_at");
        let status_ok = match &self.statuses {
            None => !deleted,
            Some(statuses) => statuses.iter().any(|s| match s.as_str() {
                "all" => true,
                "deleted" => deleted,
                _ => !deleted,
            }),
        };
        status_ok
            && self
                .name
                .as_ref()
                .is_none_or(|n| list.get("name").and_then(Value::as_str) == Some(n))
    }
}

fn membership_param(query: &Query) -> Result<Option<String>, ApiError> {
    match params::text(query, "include_membership_count")? {
        None => Ok(None),
        Some(v) if v == "all" || v == "active" => Ok(Some(v)),
        Some(_) => Err(ApiError::validation(
            "include_membership_count does not have a valid value",
        )),
    }
}

/// A list as returned, with `membership_count` when asked.
fn render(state: &State, list: &Map<String, Value>, membership: Option<&str>) -> Value {
    let mut out = list.clone();
    if let Some(kind) = membership {
        let id = list.get("list_id").and_then(Value::as_str).unwrap_or("");
        let count = state
            .contacts
            .iter()
            .filter(|c| c.ids_in("list_memberships").contains(&id))
            .filter(|c| {
                kind == "all"
                    || (!c.is_deleted() && matches!(c.permission(), Some("explicit" | "implicit")))
            })
            .count();
        out.insert("membership_count".into(), json!(count));
    }
    Value::Object(out)
}

/// Answers `GET /contact_lists`.
pub fn list(state: &mut State, query: &Query) -> Result<Response, ApiError> {
    let is_lists = |c: &Collection| matches!(c, Collection::Lists(_));
    let page = match paging::resume(&state.cursors, query, is_lists)? {
        Some(page) => page,
        None => Page {
            limit: params::limit(query, 50, 1000, state.behaviour.limit_out_of_range)?,
            collection: Collection::Lists(ListQuery::from_query(query)?),
            position: 0,
        },
    };
    let Collection::Lists(filters) = &page.collection else {
        return Err(ApiError::validation("cursor is invalid"));
    };

    let (chosen, next) = paging::select(&state.lists, page.position, page.limit, |l| {
        filters.matches(l)
    });
    let lists: Vec<Value> = chosen
        .iter()
        .map(|&pos| {
            render(
                state,
                &state.lists[pos],
                filters.membership_count.as_deref(),
            )
        })
        .collect();
    let mut body = json!({"lists": lists});
    if filters.include_count {
        body["lists_count"] = json!(state.lists.iter().filter(|l| filters.matches(l)).count());
    }
    let next_cursor = next.map(|position| {
        state.cursors.issue(Page {
            collection: page.collection.clone(),
            position,
            limit: page.limit,
        })
    });
    body["_links"] = paging::links("/v3/contact_lists", next_cursor);
    Ok(Response::json(200, &body))
}

/// Answers `GET /contact_lists/{id}`.
pub fn get(state: &State, id: &str, query: &Query) -> Result<Response, ApiError> {
    if !ids::is_uuid(id) {
        return Err(ApiError::not_found("list_id is in an invalid format."));
    }
    let list = state
        .lists
        .iter()
        .find(|l| l.get("list_id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| ApiError::not_found(format!("List {id} was not found.")))?;
    let membership = membership_param(query)?;
    Ok(Response::json(
        200,
        &render(state, list, membership.as_deref()),
    ))
}

/// Answers `POST /contact_lists` (`ListInput`).
pub fn create(state: &mut State, request: &Request) -> Result<Response, ApiError> {
    let body = params::json_body(request)?;
    let name = body.get("name").and_then(Value::as_str).map(str::trim);
    let Some(name) = name.filter(|n| !n.is_empty() && n.chars().count() <= 255) else {
        return Err(ApiError::validation(
            "name is required and must be 1 to 255 characters",
        ));
    };
    let taken = state.lists.iter().any(|l| {
        l.get("name").and_then(Value::as_str) == Some(name) && !l.contains_key("deleted_at")
    });
    if taken {
        return Err(ApiError::array(
            409,
            CONFLICT,
            format!("A list named \"{name}\" already exists."),
        ));
    }
    let favorite = body
        .get("favorite")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let description = body.get("description").and_then(Value::as_str);
    let id = state.add_list(name, description, favorite, clock::now_secs());
    let list = state.lists.last().cloned().unwrap_or_default();
    debug_assert_eq!(
        list.get("list_id").and_then(Value::as_str),
        Some(id.as_str())
    );
    Ok(Response::json(201, &Value::Object(list)))
}
