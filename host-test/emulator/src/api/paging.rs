//! Cursor paging: opaque cursors mapped to the query and the position to resume from.
//!
//! Every cursor is standard base64 with padding and always contains `/`, `+` and `=`, so a
//! client that re-encodes it is caught: cursors are matched byte for byte against the raw
//! query string.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::api::contacts_query::ContactQuery;
use crate::api::error::ApiError;
use crate::http::query::Query;

/// The collection a cursor pages through, with its original filters.
#[derive(Debug, Clone, PartialEq)]
pub enum Collection {
    Contacts(ContactQuery),
    Lists(crate::api::lists::ListQuery),
    CustomFields,
    Tags(crate::api::tags::TagQuery),
}

/// Where a cursor resumes.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub collection: Collection,
    /// Position in creation order of the first item the next page may hold.
    pub position: usize,
    pub limit: usize,
}

/// Issued cursors.
#[derive(Debug)]
pub struct CursorStore {
    pages: HashMap<String, Page>,
    serial: u64,
}

impl CursorStore {
    /// An empty store; `entropy` makes cursors differ between emulator instances.
    pub fn new(entropy: u64) -> CursorStore {
        CursorStore {
            pages: HashMap::new(),
            serial: entropy & 0xffff,
        }
    }

    /// Issues a cursor for `page`.
    pub fn issue(&mut self, page: Page) -> String {
        self.serial += 1;
        let mut payload = format!(
            "limit={}&next={}&s={}",
            page.limit, page.position, self.serial
        )
        .into_bytes();
        // Pad to a multiple of three, then end on two bytes that encode as "+/8=".
        while payload.len() % 3 != 0 {
            payload.push(b'&');
        }
        payload.extend_from_slice(&[0xFB, 0xFF]);
        let cursor = STANDARD.encode(payload);
        self.pages.insert(cursor.clone(), page);
        cursor
    }

    /// The page a raw cursor value stands for.
    pub fn lookup(&self, raw: &str) -> Option<&Page> {
        self.pages.get(raw)
    }
}

/// The page a request asks for when it carries `cursor`: `Ok(None)` without a cursor, 400
/// for a cursor that was never issued or belongs to another collection.
pub fn resume(
    store: &CursorStore,
    query: &Query,
    same_collection: fn(&Collection) -> bool,
) -> Result<Option<Page>, ApiError> {
    let Some(raw) = query.raw("cursor") else {
        return Ok(None);
    };
    match store.lookup(raw) {
        Some(page) if same_collection(&page.collection) => Ok(Some(page.clone())),
        _ => Err(ApiError::validation("cursor is invalid")),
    }
}

/// Selects up to `limit` positions from `start` whose items pass `keep`; also returns the
/// position of the next passing item, when there is one.
pub fn select<T>(
    items: &[T],
    start: usize,
    limit: usize,
    keep: impl Fn(&T) -> bool,
) -> (Vec<usize>, Option<usize>) {
    let mut chosen = Vec::new();
    for (pos, item) in items.iter().enumerate().skip(start) {
        if !keep(item) {
            continue;
        }
        if chosen.len() == limit {
            return (chosen, Some(pos));
        }
        chosen.push(pos);
    }
    (chosen, None)
}

/// The `_links` object: with `next` when another page follows.
pub fn links(path: &str, next_cursor: Option<String>) -> Value {
    match next_cursor {
        Some(cursor) => json!({"next": {"href": format!("{path}?cursor={cursor}")}}),
        None => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_hold_slash_plus_and_equals_and_are_unique() {
        let mut store = CursorStore::new(99);
        let mut seen = std::collections::HashSet::new();
        for position in 0..200 {
            let cursor = store.issue(Page {
                collection: Collection::CustomFields,
                position,
                limit: 7,
            });
            assert!(cursor.contains('/') && cursor.contains('+') && cursor.contains('='));
            assert!(seen.insert(cursor.clone()));
            assert_eq!(store.lookup(&cursor).unwrap().position, position);
        }
    }

    #[test]
    fn selects_pages() {
        let items: Vec<u32> = (0..10).collect();
        let even = |x: &u32| x.is_multiple_of(2);
        assert_eq!(select(&items, 0, 2, even), (vec![0, 2], Some(4)));
        assert_eq!(select(&items, 4, 2, even), (vec![4, 6], Some(8)));
        assert_eq!(select(&items, 8, 2, even), (vec![8], None));
        assert_eq!(select(&items, 0, 5, even), (vec![0, 2, 4, 6, 8], None));
    }
}
