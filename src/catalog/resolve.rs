//! Turning the names a record gives (`lists`, `tags`, `custom`) into the ids the API
//! takes. Named lists and tags join `list-memberships` and `taggings`; named custom field
//! values are checked against their field and kept apart, since a create adds them while an
//! update lays them over the contact's current values.

use super::{Catalog, Kind, value};
use crate::api::client::Client;
use crate::errors::{field, validation};
use crate::wit::{Contact, CustomFieldValue, Error, FieldError};

/// What resolving a record's names produced, beyond the ids written into the contact.
#[derive(Debug, Default, PartialEq)]
pub struct Resolved {
    /// Each named custom field's id and its value; `None` removes the value.
    pub custom: Vec<(String, Option<CustomFieldValue>)>,
    /// Things the caller should know, e.g. lists that were created.
    pub notes: Vec<String>,
}

impl Resolved {
    /// For a new contact: the named values join the given ones.
    pub fn add_to(&self, contact: &mut Contact) {
        if self.custom.is_empty() {
            return;
        }
        let fields = contact.custom_fields.get_or_insert_with(Vec::new);
        fields.extend(self.custom.iter().filter_map(|(_, v)| v.clone()));
    }

    /// For an update: the named values replace those of the same fields, whether the
    /// record also gives `custom-fields` or the contact's current ones are kept.
    pub fn lay_over(&self, existing: &Contact, changes: &mut Contact) {
        if self.custom.is_empty() {
            return;
        }
        let mut fields = changes
            .custom_fields
            .clone()
            .or_else(|| existing.custom_fields.clone())
            .unwrap_or_default();
        for (id, stored) in &self.custom {
            fields.retain(|f| !f.custom_field_id.eq_ignore_ascii_case(id));
            if let Some(stored) = stored {
                fields.push(stored.clone());
            }
        }
        changes.custom_fields = Some(fields);
    }
}

/// Resolves the record's names in place. An unknown name, or a value that does not fit its
/// field, is a validation error naming the field; failures to read the account are
/// returned as they are. With `create_missing`, unknown lists and tags are made.
pub fn resolve(
    catalog: &Catalog,
    client: &Client,
    contact: &mut Contact,
    create_missing: bool,
) -> Result<Resolved, Error> {
    let mut problems = Vec::new();
    let mut resolved = Resolved::default();

    let lists = contact.lists.take();
    let tags = contact.tags.take();
    let mut found_lists = Lookup::default();
    let mut found_tags = Lookup::default();
    if let Some(names) = &lists {
        found_lists = look_up(
            catalog,
            client,
            Kind::Lists,
            names,
            create_missing,
            &mut problems,
        )?;
    }
    if let Some(names) = &tags {
        found_tags = look_up(
            catalog,
            client,
            Kind::Tags,
            names,
            create_missing,
            &mut problems,
        )?;
    }
    if let Some(entries) = contact.custom.take() {
        for entry in &entries {
            let path = format!("custom.{}", entry.field);
            let Some(def) = catalog.field(client, &entry.field)? else {
                problems.push(field(
                    path,
                    format!("the account has no custom field named \"{}\"", entry.field),
                ));
                continue;
            };
            if resolved.custom.iter().any(|(id, _)| *id == def.id) {
                problems.push(field(
                    path,
                    format!("names custom field \"{}\" a second time", def.name),
                ));
                continue;
            }
            let given_too = contact
                .custom_fields
                .iter()
                .flatten()
                .any(|f| f.custom_field_id.eq_ignore_ascii_case(&def.id));
            if given_too {
                problems.push(field(
                    path,
                    format!(
                        "custom field \"{}\" is also given by id in custom_fields",
                        def.name
                    ),
                ));
                continue;
            }
            match value::to_api(&def, &entry.value) {
                Ok(stored) => resolved.custom.push((def.id.clone(), stored)),
                Err(reason) => problems.push(field(path, reason)),
            }
        }
    }

    if !problems.is_empty() {
        return Err(validation("the contact's names", problems));
    }
    // Only a record that is otherwise sound makes anything in the account.
    if lists.is_some() {
        let ids = found_lists.finish(catalog, client, Kind::Lists, &mut resolved.notes)?;
        join(&mut contact.list_memberships, ids);
    }
    if tags.is_some() {
        let ids = found_tags.finish(catalog, client, Kind::Tags, &mut resolved.notes)?;
        join(&mut contact.taggings, ids);
    }
    Ok(resolved)
}

/// The ids found for some names, and the names still to be made.
#[derive(Default)]
struct Lookup {
    ids: Vec<String>,
    missing: Vec<String>,
}

impl Lookup {
    /// Makes the missing ones and returns every id, in order and without repeats.
    fn finish(
        mut self,
        catalog: &Catalog,
        client: &Client,
        kind: Kind,
        notes: &mut Vec<String>,
    ) -> Result<Vec<String>, Error> {
        for name in &self.missing {
            let made = catalog.create(client, kind, name)?;
            notes.push(format!("created {} \"{}\"", kind.noun(), made.name));
            if !self.ids.contains(&made.id) {
                self.ids.push(made.id);
            }
        }
        Ok(self.ids)
    }
}

/// Looks the names up; unknown ones are problems, or names to make with `create_missing`.
fn look_up(
    catalog: &Catalog,
    client: &Client,
    kind: Kind,
    names: &[String],
    create_missing: bool,
    problems: &mut Vec<FieldError>,
) -> Result<Lookup, Error> {
    let key = match kind {
        Kind::Lists => "lists",
        Kind::Tags => "tags",
    };
    let mut lookup = Lookup::default();
    for (i, name) in names.iter().enumerate() {
        let path = format!("{key}[{i}]");
        if name.trim().is_empty() {
            problems.push(field(
                path,
                format!("a {} name cannot be empty", kind.noun()),
            ));
            continue;
        }
        match catalog.find(client, kind, name)? {
            Some(found) if !lookup.ids.contains(&found.id) => lookup.ids.push(found.id),
            Some(_) => {}
            None if create_missing => {
                if !lookup.missing.iter().any(|m| super::same_name(m, name)) {
                    lookup.missing.push(name.trim().to_owned());
                }
            }
            None => problems.push(field(
                path,
                format!(
                    "the account has no {} named \"{name}\" (create-missing would create it)",
                    kind.noun()
                ),
            )),
        }
    }
    Ok(lookup)
}

/// Adds ids to a membership set, keeping its order and skipping repeats.
fn join(target: &mut Option<Vec<String>>, ids: Vec<String>) {
    let set = target.get_or_insert_with(Vec::new);
    for id in ids {
        if !set.iter().any(|s| s.eq_ignore_ascii_case(&id)) {
            set.push(id);
        }
    }
}
