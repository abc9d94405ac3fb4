//! The account's lists, tags and custom fields, read once and kept for the connection's
//! life, so records can name them instead of giving ids. Each table is read on first use;
//! when a name is missing it is read again, at most once per activity call, in case the
//! account gained it since. A table that cannot be read is not asked for again in the same
//! call: the records still needing it are left unattempted instead of costing requests.

mod fetch;
mod field;
mod names;
mod provision;
mod resolve;
mod value;

#[cfg(test)]
mod tests;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::api::client::Client;
use crate::api::retry::{Safety, is_uncertain, retry_reason};
use crate::errors::with_context;
use crate::wit::{Contact, Error, Outcome};

pub use field::{FieldDef, FieldType};
pub use names::fill_names;
pub use resolve::{Resolved, resolve};

/// One named thing of the account: a list or a tag.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// Which table a lookup concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Lists,
    Tags,
}

impl Kind {
    /// The word used in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Lists => "list",
            Kind::Tags => "tag",
        }
    }
}

/// What looking a name up found.
#[derive(Clone, Debug, PartialEq)]
pub enum Found<T> {
    One(T),
    Missing,
    /// Several match apart from letter case and spaces, none exactly: their names.
    Ambiguous(Vec<String>),
}

/// A table and whether it was read during the current call.
struct Table<T> {
    rows: RefCell<Option<Vec<T>>>,
    fresh: Cell<bool>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: RefCell::new(None),
            fresh: Cell::new(false),
        }
    }
}

impl<T: Clone> Table<T> {
    fn loaded(&self) -> bool {
        self.rows.borrow().is_some()
    }

    fn set(&self, rows: Vec<T>) {
        *self.rows.borrow_mut() = Some(rows);
        self.fresh.set(true);
    }

    fn push(&self, row: T) {
        if let Some(rows) = self.rows.borrow_mut().as_mut() {
            rows.push(row);
        }
    }

    fn all(&self) -> Vec<T> {
        self.rows.borrow().clone().unwrap_or_default()
    }

    /// Looks at the rows without copying them.
    fn with<R>(&self, look: impl FnOnce(&[T]) -> R) -> R {
        look(self.rows.borrow().as_deref().unwrap_or_default())
    }
}

/// The cache. Interior mutability, because activities borrow the connection shared.
#[derive(Default)]
pub struct Catalog {
    lists: Table<Named>,
    tags: Table<Named>,
    /// Each custom field with its key, worked out once per read.
    fields: Table<(String, FieldDef)>,
    /// v2 list ids already translated to v3 list ids.
    xrefs: RefCell<HashMap<String, String>>,
    /// Why a table could not be read during the current call.
    broken: RefCell<Option<Error>>,
}

/// How a name is compared when no name matches exactly: surrounding spaces and letter case
/// do not count.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Whether a record names anything, so writing it needs the catalog.
pub fn needs(contact: &Contact) -> bool {
    contact.lists.is_some() || contact.tags.is_some() || contact.custom.is_some()
}

/// The outcome of a record that needs the account's names when reading them already failed
/// in this call: not attempted, with that failure, so it costs no requests.
pub fn unattempted(catalog: &Catalog, contact: &Contact) -> Option<Outcome> {
    if !needs(contact) {
        return None;
    }
    catalog.broken().map(Outcome::NotAttempted)
}

/// The rows matching `wanted` exactly (by any of `keys`), else apart from case and spaces.
fn pick<T: Clone>(rows: &[T], wanted: &str, keys: impl Fn(&T) -> Vec<&str>) -> Found<T> {
    let wanted = wanted.trim();
    let exact: Vec<&T> = rows.iter().filter(|r| keys(r).contains(&wanted)).collect();
    if let [one] = exact.as_slice() {
        return Found::One((*one).clone());
    }
    let near: Vec<&T> = if exact.is_empty() {
        rows.iter()
            .filter(|r| keys(r).iter().any(|k| same_name(k, wanted)))
            .collect()
    } else {
        exact
    };
    match near.as_slice() {
        [] => Found::Missing,
        [one] => Found::One((*one).clone()),
        several => {
            let mut names: Vec<String> = several
                .iter()
                .map(|r| keys(r).first().copied().unwrap_or_default().to_owned())
                .collect();
            names.dedup();
            Found::Ambiguous(names)
        }
    }
}

impl Catalog {
    /// Starts an activity call: every table may be read again once on a miss, and one that
    /// failed may be tried again.
    pub fn start_call(&self) {
        self.lists.fresh.set(false);
        self.tags.fresh.set(false);
        self.fields.fresh.set(false);
        self.broken.replace(None);
    }

    /// Lets a table that failed be read again, for a query's next page: each page is a
    /// call of its own, while the rest of the stream's catalog stays.
    pub fn forget_failure(&self) {
        self.broken.replace(None);
    }

    /// The error that stopped reading the account during this call, if one did.
    pub fn broken(&self) -> Option<Error> {
        self.broken.borrow().clone()
    }

    fn table(&self, kind: Kind) -> &Table<Named> {
        match kind {
            Kind::Lists => &self.lists,
            Kind::Tags => &self.tags,
        }
    }

    /// Runs one read of the account, unless one already failed in this call. A refusal of
    /// what one record asked (a 400 or 404) says nothing about the next record, so only
    /// other failures stop the reads.
    fn read<T>(&self, read: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        if let Some(error) = self.broken() {
            return Err(error);
        }
        read().inspect_err(|error| {
            if !matches!(error, Error::Validation(_) | Error::NotFound(_)) {
                self.broken.replace(Some(error.clone()));
            }
        })
    }

    fn reload(&self, client: &Client, kind: Kind) -> Result<(), Error> {
        let rows = self.read(|| match kind {
            Kind::Lists => fetch::lists(client),
            Kind::Tags => fetch::tags(client),
        })?;
        self.table(kind).set(rows);
        Ok(())
    }

    fn reload_fields(&self, client: &Client) -> Result<(), Error> {
        let rows = self.read(|| fetch::custom_fields(client))?;
        let keyed = rows
            .iter()
            .map(|f| (field_key(f, &rows), f.clone()))
            .collect();
        self.fields.set(keyed);
        Ok(())
    }

    /// Looks a row up in a table, reading it first when never read, and again once per
    /// call when the row is not there.
    fn look<T: Clone, R>(
        &self,
        table: &Table<T>,
        reload: impl Fn() -> Result<(), Error>,
        find: impl Fn(&[T]) -> R,
        missing: impl Fn(&R) -> bool,
    ) -> Result<R, Error> {
        if !table.loaded() {
            reload()?;
        }
        let found = table.with(&find);
        if !missing(&found) || table.fresh.get() {
            return Ok(found);
        }
        reload()?;
        Ok(table.with(find))
    }

    /// The list or tag with this name.
    pub fn find(&self, client: &Client, kind: Kind, name: &str) -> Result<Found<Named>, Error> {
        self.look(
            self.table(kind),
            || self.reload(client, kind),
            |rows| pick(rows, name, |n: &Named| vec![n.name.as_str()]),
            |found| *found == Found::Missing,
        )
    }

    /// The name of the list or tag with this id, when the account has it.
    pub fn name_of(&self, client: &Client, kind: Kind, id: &str) -> Result<Option<String>, Error> {
        self.look(
            self.table(kind),
            || self.reload(client, kind),
            |rows| {
                rows.iter()
                    .find(|n| n.id.eq_ignore_ascii_case(id))
                    .map(|n| n.name.clone())
            },
            Option::is_none,
        )
    }

    /// Every list or tag of the account.
    pub fn all(&self, client: &Client, kind: Kind) -> Result<Vec<Named>, Error> {
        if !self.table(kind).loaded() {
            self.reload(client, kind)?;
        }
        Ok(self.table(kind).all())
    }

    /// Makes the list or tag, or finds it when someone else (or an attempt whose answer was
    /// lost) just made it. After an uncertain failure the account is read before posting
    /// again, so a name is never made twice.
    pub fn create(&self, client: &Client, kind: Kind, name: &str) -> Result<Named, Error> {
        let name = name.trim();
        let max_attempts = client.retry().policy().max_attempts;
        let mut attempt = 1;
        loop {
            let error = match provision::create(client, kind, name) {
                Ok(named) => {
                    self.table(kind).push(named.clone());
                    return Ok(named);
                }
                Err(error) => error,
            };
            self.reload(client, kind)?;
            if let Found::One(found) = pick(&self.table(kind).all(), name, |n: &Named| {
                vec![n.name.as_str()]
            }) {
                return Ok(found);
            }
            let context = format!("failed to create {} \"{name}\"", kind.noun());
            if !is_uncertain(&error) || attempt >= max_attempts {
                return Err(with_context(error, &context));
            }
            let reason = retry_reason(&error, Safety::Idempotent)
                .unwrap_or_else(|| "an uncertain failure".into());
            let reason = format!("{reason}; the {}s were read again first", kind.noun());
            client
                .pause_before_retry(
                    attempt,
                    &format!("POST {}", provision::path(kind)),
                    &reason,
                    &error,
                )
                .map_err(|stop| with_context(stop, &context))?;
            attempt += 1;
        }
    }

    /// The custom field with this key, name or label.
    pub fn field(&self, client: &Client, name: &str) -> Result<Found<FieldDef>, Error> {
        self.look(
            &self.fields,
            || self.reload_fields(client),
            |rows| {
                // A field's key names it alone, so it wins over names and labels.
                if let Some((_, f)) = rows.iter().find(|(key, _)| key == name.trim()) {
                    return Found::One(f.clone());
                }
                match pick(rows, name, |(_, f): &(String, FieldDef)| {
                    vec![f.name.as_str(), f.label.as_str()]
                }) {
                    Found::One((_, f)) => Found::One(f),
                    Found::Missing => Found::Missing,
                    Found::Ambiguous(names) => Found::Ambiguous(names),
                }
            },
            |found| *found == Found::Missing,
        )
    }

    /// The custom field with this id, and its key, when the account has it.
    pub fn field_by_id(
        &self,
        client: &Client,
        id: &str,
    ) -> Result<Option<(String, FieldDef)>, Error> {
        self.look(
            &self.fields,
            || self.reload_fields(client),
            |rows| {
                rows.iter()
                    .find(|(_, f)| f.id.eq_ignore_ascii_case(id))
                    .cloned()
            },
            Option::is_none,
        )
    }

    /// Every custom field of the account, each with its key.
    pub fn fields(&self, client: &Client) -> Result<Vec<(String, FieldDef)>, Error> {
        if !self.fields.loaded() {
            self.reload_fields(client)?;
        }
        Ok(self.fields.all())
    }

    /// The v3 ids of v2 list ids, asking the API for those not yet known. Unknown v2 ids
    /// are absent from the answer.
    pub fn v3_list_ids(
        &self,
        client: &Client,
        v2_ids: &[String],
    ) -> Result<HashMap<String, String>, Error> {
        let missing: Vec<String> = {
            let known = self.xrefs.borrow();
            v2_ids
                .iter()
                .filter(|id| !known.contains_key(*id))
                .cloned()
                .collect()
        };
        if !missing.is_empty() {
            let found = self.read(|| fetch::list_xrefs(client, &missing))?;
            self.xrefs.borrow_mut().extend(found);
        }
        let known = self.xrefs.borrow();
        Ok(v2_ids
            .iter()
            .filter_map(|id| known.get(id).map(|v3| (id.clone(), v3.clone())))
            .collect())
    }
}

/// The key a custom field goes by in `custom`: its name, or its label when another field
/// has the same name, or its id when the label is shared too.
pub fn field_key(field: &FieldDef, all: &[FieldDef]) -> String {
    let shared = |key: fn(&FieldDef) -> &str| {
        all.iter()
            .filter(|f| f.id != field.id)
            .any(|f| same_name(key(f), key(field)))
    };
    if !shared(|f| f.name.as_str()) {
        field.name.clone()
    } else if !shared(|f| f.label.as_str()) && !all.iter().any(|f| f.name == field.label) {
        field.label.clone()
    } else {
        field.id.clone()
    }
}
