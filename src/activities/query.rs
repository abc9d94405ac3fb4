//! The `query` activity: a checked request becomes the first page's URL, and the stream
//! follows the API's `_links.next.href` byte for byte, one page per call, until the last page
//! or `max-records`. After an error the stream stays put, so a retry fetches the same page.
//! A request `with-names` gets names beside ids from the connection's catalog.

use std::collections::HashSet;
use std::rc::Rc;

use crate::api::client::Client;
use crate::api::errors::Access;
use crate::api::wire::ContactsPage;
use crate::catalog::{Catalog, fill_names};
use crate::convert::contact_from_wire;
use crate::errors::{bad_response, field, validation};
use crate::url::QueryString;
use crate::uuid::is_uuid;
use crate::validate::{email_problem, normalise_email};
use crate::wit::{
    Checkpoint, Contact, ContactStatus, Error, FieldError, QueryRequest, Subresource,
};

const CONTEXT: &str = "cc-connector::query";
const MAX_PAGE_SIZE: u16 = 500;
const MAX_LISTS: usize = 25;
const MAX_TAGS: usize = 50;

/// Where the stream stands.
#[derive(Clone, Debug, PartialEq)]
enum Position {
    /// The first page has not been fetched.
    First,
    /// The next page, as the API linked it.
    Link(String),
    /// Every page has been delivered.
    Done,
}

/// One query's pages.
pub struct QueryStream {
    client: Rc<Client>,
    /// The catalog that names ids, when the request asked for names.
    names: Option<Rc<Catalog>>,
    first_page: String,
    position: Position,
    delivered: u64,
    max_records: Option<u64>,
    /// Links this stream has delivered pages from, so a cycle of links is refused instead
    /// of delivering the same contacts forever.
    followed: HashSet<String>,
    /// Whether the closing info line has been logged.
    reported: bool,
    /// The connection's retry count when the stream started, so the closing line can say
    /// how many retries its pages took.
    retries_at_start: u64,
}

impl QueryStream {
    /// Checks the request and prepares its first page; sends nothing.
    pub fn start(
        client: Rc<Client>,
        catalog: Rc<Catalog>,
        request: QueryRequest,
    ) -> Result<QueryStream, Error> {
        let first_page = first_page(&request)?;
        // The whole stream is one call for the catalog: an id it does not know reads the
        // account again once, not once per page.
        catalog.start_call();
        Ok(QueryStream {
            names: request.with_names.then_some(catalog),
            first_page,
            position: Position::First,
            delivered: 0,
            max_records: request.max_records,
            followed: HashSet::new(),
            reported: false,
            retries_at_start: client.retry().retries(),
            client,
        })
    }

    /// Continues from a checkpoint taken from a stream of the same request.
    pub fn resume(
        client: Rc<Client>,
        catalog: Rc<Catalog>,
        request: QueryRequest,
        checkpoint: Checkpoint,
    ) -> Result<QueryStream, Error> {
        let first_page = first_page(&request)?;
        let position = match (checkpoint.finished, checkpoint.next_page) {
            (true, _) => Position::Done,
            (false, None) => Position::First,
            (false, Some(link)) => {
                client
                    .config()
                    .api_base
                    .resolve_link(&link)
                    .map_err(|reason| {
                        validation("the checkpoint", vec![field("next_page", reason)])
                    })?;
                Position::Link(link)
            }
        };
        catalog.start_call();
        Ok(QueryStream {
            names: request.with_names.then_some(catalog),
            first_page,
            position,
            delivered: checkpoint.delivered,
            max_records: request.max_records,
            followed: HashSet::new(),
            reported: false,
            retries_at_start: client.retry().retries(),
            client,
        })
    }

    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            next_page: match &self.position {
                Position::Link(link) => Some(link.clone()),
                Position::First | Position::Done => None,
            },
            delivered: self.delivered,
            finished: self.position == Position::Done,
        }
    }

    /// The next page, or `None` once the query is exhausted. Each call is an activity call
    /// with its own time budget; a failed page is retried by the client with the same link,
    /// and after an error the stream stays where it was.
    pub fn next_page(&mut self) -> Result<Option<Vec<Contact>>, Error> {
        self.client.start_call();
        let room = self
            .max_records
            .map(|max| max.saturating_sub(self.delivered));
        if self.position == Position::Done || room == Some(0) {
            self.finish();
            return Ok(None);
        }

        let response = match &self.position {
            Position::Link(href) => {
                let target =
                    self.client
                        .config()
                        .api_base
                        .resolve_link(href)
                        .map_err(|reason| {
                            bad_response(
                                200,
                                format!("failed to follow the next-page link \"{href}\": {reason}"),
                            )
                        })?;
                self.client.get_target(target, Access::ReadContacts)?
            }
            _ => self.client.get(&self.first_page, Access::ReadContacts)?,
        };
        let page: ContactsPage = self.client.read_json(&response, "the contacts page")?;

        let next = page.next_href().map(str::to_owned);
        let current = match &self.position {
            Position::Link(current) => Some(current.as_str()),
            _ => None,
        };
        if let Some(next) = &next
            && (current == Some(next.as_str()) || self.followed.contains(next))
        {
            return Err(bad_response(
                response.status,
                format!(
                    "failed to page through the contacts: the link \"{next}\" leads back to a \
                     page already delivered"
                ),
            ));
        }
        if let Some(current) = current {
            self.followed.insert(current.to_owned());
        }

        let mut contacts: Vec<Contact> = page.contacts.into_iter().map(contact_from_wire).collect();
        let mut full = false;
        if let Some(room) = room
            && contacts.len() as u64 >= room
        {
            contacts.truncate(usize::try_from(room).unwrap_or(usize::MAX));
            full = true;
        }
        if let Some(catalog) = &self.names {
            catalog.forget_failure();
            fill_names(catalog, &self.client, &mut contacts)?;
        }
        self.delivered = self.delivered.saturating_add(contacts.len() as u64);
        self.position = match next {
            Some(link) if !full => Position::Link(link),
            _ => Position::Done,
        };

        self.client.log().debug(
            CONTEXT,
            &format!(
                "query: page of {} contacts, {} delivered so far",
                contacts.len(),
                self.delivered
            ),
        );
        if self.position == Position::Done {
            self.finish();
            if contacts.is_empty() {
                return Ok(None);
            }
        }
        Ok(Some(contacts))
    }

    /// Marks the stream done and logs its total once.
    fn finish(&mut self) {
        self.position = Position::Done;
        if !self.reported {
            self.reported = true;
            self.client.log().info(
                CONTEXT,
                &match self.client.retry().retries() - self.retries_at_start {
                    0 => format!("query: finished: {} contacts delivered", self.delivered),
                    1 => format!(
                        "query: finished: {} contacts delivered; 1 retry",
                        self.delivered
                    ),
                    n => format!(
                        "query: finished: {} contacts delivered; {n} retries",
                        self.delivered
                    ),
                },
            );
        }
    }
}

fn status_to_wire(status: ContactStatus) -> &'static str {
    match status {
        ContactStatus::All => "all",
        ContactStatus::Active => "active",
        ContactStatus::Deleted => "deleted",
        ContactStatus::NotSet => "not_set",
        ContactStatus::PendingConfirmation => "pending_confirmation",
        ContactStatus::TempHold => "temp_hold",
        ContactStatus::Unsubscribed => "unsubscribed",
    }
}

fn subresource_to_wire(subresource: Subresource) -> &'static str {
    match subresource {
        Subresource::CustomFields => "custom_fields",
        Subresource::ListMemberships => "list_memberships",
        Subresource::PhoneNumbers => "phone_numbers",
        Subresource::StreetAddresses => "street_addresses",
        Subresource::Taggings => "taggings",
        Subresource::Notes => "notes",
    }
}

fn unique<T: PartialEq + Copy>(items: &[T]) -> Vec<T> {
    let mut out = Vec::new();
    for item in items {
        if !out.contains(item) {
            out.push(*item);
        }
    }
    out
}

/// Checks a request and builds the API path of its first page.
/// Whether `text` has the shape of an ISO-8601 date (`2026-01-31`) or date-time
/// (`2026-01-31T09:30:00Z`, with optional fraction and offset), as the API's filters take.
fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let date = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10);
    if !date {
        return false;
    }
    match bytes.get(10) {
        None => true,
        Some(b'T') => {
            digits(11..13)
                && bytes.get(13) == Some(&b':')
                && digits(14..16)
                && bytes[16..]
                    .iter()
                    .all(|b| b.is_ascii_digit() || b".:+-Z".contains(b))
        }
        Some(_) => false,
    }
}

fn first_page(request: &QueryRequest) -> Result<String, Error> {
    let mut errors: Vec<FieldError> = Vec::new();

    let page_size = request.page_size.unwrap_or(MAX_PAGE_SIZE);
    if page_size == 0 || page_size > MAX_PAGE_SIZE {
        errors.push(field(
            "page_size",
            format!("{page_size} is not from 1 to {MAX_PAGE_SIZE}"),
        ));
    }
    let email = request.email.as_deref().map(normalise_email);
    if let Some(problem) = email.as_deref().and_then(email_problem) {
        errors.push(field("email", problem));
    }
    for (name, ids, max) in [
        ("lists", &request.lists, MAX_LISTS),
        ("tags", &request.tags, MAX_TAGS),
    ] {
        if ids.len() > max {
            errors.push(field(
                name,
                format!("has {} ids; at most {max} are allowed", ids.len()),
            ));
        }
        for (i, id) in ids.iter().enumerate() {
            if !is_uuid(id) {
                errors.push(field(
                    format!("{name}[{i}]"),
                    format!("\"{id}\" is not a UUID"),
                ));
            }
        }
    }
    let dates = [
        ("created_after", &request.created_after),
        ("created_before", &request.created_before),
        ("updated_after", &request.updated_after),
        ("updated_before", &request.updated_before),
    ];
    for (name, value) in dates {
        match value.as_deref().map(str::trim) {
            Some("") => errors.push(field(name, "must not be empty when given")),
            Some(v) if !is_date_time(v) => errors.push(field(
                name,
                format!("\"{v}\" is not an ISO-8601 date-time such as 2026-01-31T00:00:00Z"),
            )),
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(validation("the query", errors));
    }

    // A small `max-records` needs no bigger page than itself.
    let limit = match request.max_records {
        Some(max) if max > 0 && max < u64::from(page_size) => max,
        _ => u64::from(page_size),
    };
    let mut query = QueryString::default();
    query.push("limit", &limit.to_string());
    let statuses: Vec<&str> = unique(&request.status)
        .into_iter()
        .map(status_to_wire)
        .collect();
    query.push_csv("status", &statuses);
    if let Some(email) = &email {
        query.push("email", email);
    }
    query.push_csv("lists", &request.lists);
    query.push_csv("tags", &request.tags);
    for (name, value) in dates {
        if let Some(value) = value {
            query.push(name, value.trim());
        }
    }
    let include: Vec<&str> = unique(&request.subresources)
        .into_iter()
        .map(subresource_to_wire)
        .collect();
    query.push_csv("include", &include);
    Ok(format!("/contacts{}", query.finish()))
}

#[cfg(test)]
mod tests;
