//! `GET /contacts`: status, email, list, tag and date filters, `include`, `include_count`,
//! `limit` and cursor paging in creation order.

use serde_json::{Value, json};

use crate::api::contact_item;
use crate::api::error::ApiError;
use crate::api::paging::{self, Collection, Page};
use crate::api::params;
use crate::http::query::Query;
use crate::http::response::Response;
use crate::model::{Includes, StoredContact};
use crate::state::State;

const STATUSES: [&str; 7] = [
    "all",
    "active",
    "deleted",
    "not_set",
    "pending_confirmation",
    "temp_hold",
    "unsubscribed",
];
const SMS_STATUSES: [&str; 5] = [
    "all",
    "explicit",
    "unsubscribed",
    "pending_confirmation",
    "not_set",
];

/// The filters of a contacts query, kept with its cursors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactQuery {
    /// `None` means the default: every contact that is not deleted.
    pub statuses: Option<Vec<String>>,
    /// Lower-cased.
    pub email: Option<String>,
    pub lists: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub sms_statuses: Option<Vec<String>>,
    pub created_after: Option<i64>,
    pub created_before: Option<i64>,
    pub updated_after: Option<i64>,
    pub updated_before: Option<i64>,
    pub optout_after: Option<i64>,
    pub optout_before: Option<i64>,
    pub includes: Includes,
    pub include_count: bool,
}

impl ContactQuery {
    /// Reads the filters from a query string.
    pub fn from_query(query: &Query) -> Result<ContactQuery, ApiError> {
        let statuses = params::csv(query, "status")?;
        if let Some(bad) = statuses
            .iter()
            .flatten()
            .find(|s| !STATUSES.contains(&s.as_str()))
        {
            return Err(ApiError::validation(format!(
                "status does not have a valid value: \"{bad}\""
            )));
        }
        let sms_statuses = params::csv(query, "sms_status")?;
        if let Some(bad) = sms_statuses
            .iter()
            .flatten()
            .find(|s| !SMS_STATUSES.contains(&s.as_str()))
        {
            return Err(ApiError::validation(format!(
                "sms_status does not have a valid value: \"{bad}\""
            )));
        }
        let lists = params::csv(query, "lists")?;
        if lists.as_ref().is_some_and(|l| l.len() > 25) {
            return Err(ApiError::validation("lists accepts at most 25 list ids"));
        }
        let tags = params::csv(query, "tags")?;
        if tags.as_ref().is_some_and(|t| t.len() > 50) {
            return Err(ApiError::validation("tags accepts at most 50 tag ids"));
        }
        if params::text(query, "segment_id")?.is_some() {
            return Err(ApiError::validation(
                "segment_id is not supported by this emulator",
            ));
        }
        Ok(ContactQuery {
            statuses,
            email: params::text(query, "email")?.map(|e| e.trim().to_lowercase()),
            lists,
            tags,
            sms_statuses,
            created_after: params::instant(query, "created_after")?,
            created_before: params::instant(query, "created_before")?,
            updated_after: params::instant(query, "updated_after")?,
            updated_before: params::instant(query, "updated_before")?,
            optout_after: params::instant(query, "optout_after")?,
            optout_before: params::instant(query, "optout_before")?,
            includes: contact_item::includes(query)?,
            include_count: params::boolean(query, "include_count")?,
        })
    }

    /// Whether a contact passes every filter.
    pub fn matches(&self, contact: &StoredContact) -> bool {
        let status_ok = match &self.statuses {
            None => !contact.is_deleted(),
            Some(statuses) => statuses.iter().any(|s| status_matches(s, contact)),
        };
        status_ok
            && self
                .email
                .as_ref()
                .is_none_or(|e| contact.email().is_some_and(|c| c.to_lowercase() == *e))
            && any_of(&self.lists, &contact.ids_in("list_memberships"))
            && any_of(&self.tags, &contact.ids_in("taggings"))
            && self.sms_statuses.as_ref().is_none_or(|wanted| {
                let permission = contact.sms_permission();
                wanted
                    .iter()
                    .any(|w| (w == "all" && permission.is_some()) || permission == Some(w.as_str()))
            })
            && within(
                contact.millis("created_at"),
                self.created_after,
                self.created_before,
            )
            && within(
                contact.millis("updated_at"),
                self.updated_after,
                self.updated_before,
            )
            && within(
                contact.opt_out_millis(),
                self.optout_after,
                self.optout_before,
            )
    }
}

fn status_matches(status: &str, contact: &StoredContact) -> bool {
    match status {
        "all" => true,
        "deleted" => contact.is_deleted(),
        "active" => {
            !contact.is_deleted() && matches!(contact.permission(), Some("explicit" | "implicit"))
        }
        other => !contact.is_deleted() && contact.permission() == Some(other),
    }
}

fn any_of(wanted: &Option<Vec<String>>, held: &[&str]) -> bool {
    wanted
        .as_ref()
        .is_none_or(|wanted| wanted.iter().any(|w| held.contains(&w.as_str())))
}

/// Exclusive bounds: `after` means strictly later, `before` strictly earlier. A contact
/// without the timestamp passes only when no bound is given.
fn within(value: Option<i64>, after: Option<i64>, before: Option<i64>) -> bool {
    if after.is_none() && before.is_none() {
        return true;
    }
    value.is_some_and(|v| after.is_none_or(|a| v > a) && before.is_none_or(|b| v < b))
}

/// Answers `GET /contacts`, first page or a cursor's page.
pub fn list(state: &mut State, query: &Query) -> Result<Response, ApiError> {
    let is_contacts = |c: &Collection| matches!(c, Collection::Contacts(_));
    let page = match paging::resume(&state.cursors, query, is_contacts)? {
        Some(page) => page,
        None => {
            let limit = params::limit(query, 50, 500, state.behaviour.limit_out_of_range)?;
            Page {
                collection: Collection::Contacts(ContactQuery::from_query(query)?),
                position: 0,
                limit,
            }
        }
    };
    let Collection::Contacts(filters) = &page.collection else {
        return Err(ApiError::validation("cursor is invalid"));
    };

    let (chosen, next) = paging::select(&state.contacts, page.position, page.limit, |c| {
        filters.matches(c)
    });
    let contacts: Vec<Value> = chosen
        .iter()
        .map(|&pos| state.contacts[pos].render(filters.includes))
        .collect();
    let mut body = json!({"contacts": contacts});
    if filters.include_count {
        let count = state.contacts.iter().filter(|c| filters.matches(c)).count();
        body["contacts_count"] = json!(count);
    }
    let next_cursor = next.map(|position| {
        state.cursors.issue(Page {
            collection: page.collection.clone(),
            position,
            limit: page.limit,
        })
    });
    body["_links"] = paging::links("/v3/contacts", next_cursor);
    Ok(Response::json(200, &body))
}
