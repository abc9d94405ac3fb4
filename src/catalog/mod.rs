//! The account's lists, tags and custom fields, read once and kept for the connection's
//! life, so records can name them instead of giving ids. Each table is read on first use;
//! when a name is missing it is read again, at most once per activity call, in case the
//! account gained it since.

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
use crate::wit::Error;

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

    fn find<P: Fn(&T) -> bool>(&self, predicate: P) -> Option<T> {
        self.rows
            .borrow()
            .as_ref()?
            .iter()
            .find(|r| predicate(r))
            .cloned()
    }

    fn all(&self) -> Vec<T> {
        self.rows.borrow().clone().unwrap_or_default()
    }
}

/// The cache. Interior mutability, because activities borrow the connection shared.
#[derive(Default)]
pub struct Catalog {
    lists: Table<Named>,
    tags: Table<Named>,
    fields: Table<FieldDef>,
    /// v2 list ids already translated to v3 list ids.
    xrefs: RefCell<HashMap<String, String>>,
}

/// How a name is compared: surrounding spaces and letter case do not count.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl Catalog {
    /// Starts an activity call: every table may be read again once on a miss.
    pub fn start_call(&self) {
        self.lists.fresh.set(false);
        self.tags.fresh.set(false);
        self.fields.fresh.set(false);
    }

    fn table(&self, kind: Kind) -> &Table<Named> {
        match kind {
            Kind::Lists => &self.lists,
            Kind::Tags => &self.tags,
        }
    }

    /// Reads a table when it was never read.
    fn ensure(&self, client: &Client, kind: Kind) -> Result<(), Error> {
        if !self.table(kind).loaded() {
            self.reload(client, kind)?;
        }
        Ok(())
    }

    fn reload(&self, client: &Client, kind: Kind) -> Result<(), Error> {
        let rows = match kind {
            Kind::Lists => fetch::lists(client)?,
            Kind::Tags => fetch::tags(client)?,
        };
        self.table(kind).set(rows);
        Ok(())
    }

    /// The list or tag with this name, reading the account again once per call on a miss.
    pub fn find(&self, client: &Client, kind: Kind, name: &str) -> Result<Option<Named>, Error> {
        self.ensure(client, kind)?;
        let table = self.table(kind);
        let lookup = |t: &Table<Named>| {
            t.find(|n| n.name == name.trim())
                .or_else(|| unique(t, name))
        };
        if let Some(found) = lookup(table) {
            return Ok(Some(found));
        }
        if table.fresh.get() {
            return Ok(None);
        }
        self.reload(client, kind)?;
        Ok(lookup(self.table(kind)))
    }

    /// The name of the list or tag with this id, when the account has it.
    pub fn name_of(&self, client: &Client, kind: Kind, id: &str) -> Result<Option<String>, Error> {
        self.ensure(client, kind)?;
        let table = self.table(kind);
        let lookup = |t: &Table<Named>| t.find(|n| n.id.eq_ignore_ascii_case(id)).map(|n| n.name);
        if let Some(name) = lookup(table) {
            return Ok(Some(name));
        }
        if table.fresh.get() {
            return Ok(None);
        }
        self.reload(client, kind)?;
        Ok(lookup(self.table(kind)))
    }

    /// Every list or tag of the account.
    pub fn all(&self, client: &Client, kind: Kind) -> Result<Vec<Named>, Error> {
        self.ensure(client, kind)?;
        Ok(self.table(kind).all())
    }

    /// Makes the list or tag, or finds it when someone else just made it.
    pub fn create(&self, client: &Client, kind: Kind, name: &str) -> Result<Named, Error> {
        let made = provision::create(client, kind, name.trim());
        match made {
            Ok(named) => {
                self.table(kind).push(named.clone());
                Ok(named)
            }
            Err(error) => {
                // A conflict, or an answer lost on the way: the name may exist now.
                self.reload(client, kind)?;
                match self.table(kind).find(|n| same_name(&n.name, name)) {
                    Some(found) => Ok(found),
                    None => Err(error),
                }
            }
        }
    }

    /// The custom field with this name or label, reading the account again once per call on
    /// a miss.
    pub fn field(&self, client: &Client, name: &str) -> Result<Option<FieldDef>, Error> {
        if !self.fields.loaded() {
            self.fields.set(fetch::custom_fields(client)?);
        }
        if let Some(found) = field_named(&self.fields, name) {
            return Ok(Some(found));
        }
        if self.fields.fresh.get() {
            return Ok(None);
        }
        self.fields.set(fetch::custom_fields(client)?);
        Ok(field_named(&self.fields, name))
    }

    /// The custom field with this id, when the account has it.
    pub fn field_by_id(&self, client: &Client, id: &str) -> Result<Option<FieldDef>, Error> {
        if !self.fields.loaded() {
            self.fields.set(fetch::custom_fields(client)?);
        }
        let lookup = |t: &Table<FieldDef>| t.find(|f| f.id.eq_ignore_ascii_case(id));
        if let Some(found) = lookup(&self.fields) {
            return Ok(Some(found));
        }
        if self.fields.fresh.get() {
            return Ok(None);
        }
        self.fields.set(fetch::custom_fields(client)?);
        Ok(lookup(&self.fields))
    }

    /// Every custom field of the account.
    pub fn fields(&self, client: &Client) -> Result<Vec<FieldDef>, Error> {
        if !self.fields.loaded() {
            self.fields.set(fetch::custom_fields(client)?);
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
            let found = fetch::list_xrefs(client, &missing)?;
            self.xrefs.borrow_mut().extend(found);
        }
        let known = self.xrefs.borrow();
        Ok(v2_ids
            .iter()
            .filter_map(|id| known.get(id).map(|v3| (id.clone(), v3.clone())))
            .collect())
    }
}

/// The one row whose name matches apart from case and spaces; none when several do.
fn unique(table: &Table<Named>, name: &str) -> Option<Named> {
    let rows = table.rows.borrow();
    let mut matching = rows.as_ref()?.iter().filter(|n| same_name(&n.name, name));
    let first = matching.next()?;
    matching.next().is_none().then(|| first.clone())
}

/// The field whose name, else label, matches exactly; else the one matching apart from
/// case and spaces.
fn field_named(table: &Table<FieldDef>, name: &str) -> Option<FieldDef> {
    let rows = table.rows.borrow();
    let rows = rows.as_ref()?;
    let wanted = name.trim();
    if let Some(f) = rows.iter().find(|f| f.name == wanted || f.label == wanted) {
        return Some(f.clone());
    }
    let mut matching = rows
        .iter()
        .filter(|f| same_name(&f.name, name) || same_name(&f.label, name));
    let first = matching.next()?;
    matching.next().is_none().then(|| first.clone())
}
