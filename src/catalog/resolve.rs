//! Turning the names a record gives (`lists`, `tags`, `custom`) into the ids the API
//! takes. Named lists and tags join `list-memberships` and `taggings`; named custom field
//! values are checked against their field and kept apart, since a create adds them while an
//! update lays them over the contact's current values. Lists and tags the account lacks are
//! only made, when asked, once the caller has checked the whole record (`make_missing`).

use super::{Catalog, Found, Kind, value};
use crate::api::client::Client;
use crate::errors::{field, validation, with_note};
use crate::wit::{Contact, CustomFieldValue, Error, FieldError, Outcome};

/// The API's longest list or tag name.
const MAX_NAME: usize = 255;

/// What resolving a record's names produced, beyond the ids written into the contact.
#[derive(Debug, Default, PartialEq)]
pub struct Resolved {
    /// Each named custom field's id and its value; `None` removes the value.
    pub custom: Vec<(String, Option<CustomFieldValue>)>,
    /// Things the caller should know, e.g. lists that were created.
    pub notes: Vec<String>,
    /// Lists and tags to make before the record is written.
    missing_lists: Vec<String>,
    missing_tags: Vec<String>,
    /// What was made for the record, e.g. `list "Autumn Fair"`.
    made: Vec<String>,
    /// The names the record gave `custom`'s values by, in the order of `custom`.
    custom_names: Vec<String>,
}

impl Resolved {
    /// Each named custom value with the name the record gave it by.
    pub fn named_values(&self) -> impl Iterator<Item = (&str, Option<&CustomFieldValue>)> {
        self.custom_names
            .iter()
            .zip(&self.custom)
            .map(|(name, (_, value))| (name.as_str(), value.as_ref()))
    }
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

    /// Whether lists or tags wait to be made.
    pub fn has_missing(&self) -> bool {
        !self.missing_lists.is_empty() || !self.missing_tags.is_empty()
    }

    /// Whether a list waits to be made, which the record will then be on.
    pub fn makes_lists(&self) -> bool {
        !self.missing_lists.is_empty()
    }

    /// Stands in for the ids still to be made, so a record can be checked whole (counts,
    /// clashes with `clear`) before anything is made for it.
    pub fn with_stand_ins(&self, contact: &Contact) -> Contact {
        let mut probe = contact.clone();
        let stand_in = |n: usize| format!("00000000-0000-4000-8000-{n:012}");
        for (target, names) in [
            (&mut probe.list_memberships, &self.missing_lists),
            (&mut probe.taggings, &self.missing_tags),
        ] {
            if !names.is_empty() {
                let ids = (0..names.len()).map(stand_in).collect();
                join(target, ids);
            }
        }
        probe
    }

    /// The error, telling what was made for the record before it struck.
    pub fn noted(&self, error: Error) -> Error {
        match self.made() {
            Some(made) => with_note(error, &made),
            None => error,
        }
    }

    /// What was made for the record, for an outcome that does not list it in its notes.
    fn made(&self) -> Option<String> {
        (!self.made.is_empty()).then(|| {
            format!(
                "created {} for this record, and it stays",
                self.made.join(", ")
            )
        })
    }

    /// Tells an outcome that did not write the record what was made for it anyway.
    pub fn tell(&self, outcome: Outcome) -> Outcome {
        let Some(made) = self.made() else {
            return outcome;
        };
        match outcome {
            Outcome::Failed(error) => Outcome::Failed(self.noted(error)),
            Outcome::Skipped(mut skip) => {
                skip.reason = format!("{}; {made}", skip.reason);
                Outcome::Skipped(skip)
            }
            other => other,
        }
    }

    /// Makes the lists and tags the record named but the account lacked, and adds their ids
    /// to the contact. Call it only once the record has passed every other check. A failure
    /// part way says what was made before it.
    pub fn make_missing(
        &mut self,
        catalog: &Catalog,
        client: &Client,
        contact: &mut Contact,
    ) -> Result<(), Error> {
        self.make_each(catalog, client, contact)
            .map_err(|error| self.noted(error))
    }

    fn make_each(
        &mut self,
        catalog: &Catalog,
        client: &Client,
        contact: &mut Contact,
    ) -> Result<(), Error> {
        for (kind, names) in [
            (Kind::Lists, std::mem::take(&mut self.missing_lists)),
            (Kind::Tags, std::mem::take(&mut self.missing_tags)),
        ] {
            let target = match kind {
                Kind::Lists => &mut contact.list_memberships,
                Kind::Tags => &mut contact.taggings,
            };
            for name in names {
                let made = catalog.create(client, kind, &name)?;
                let what = format!("{} \"{}\"", kind.noun(), made.name);
                self.notes.push(format!("created {what}"));
                self.made.push(what);
                join(target, vec![made.id]);
            }
        }
        Ok(())
    }
}

/// Resolves the record's names in place. An unknown or ambiguous name, or a value that does
/// not fit its field, is a validation error naming the field; failures to read the account
/// are returned as they are. With `create_missing`, unknown lists and tags are noted for
/// `make_missing` instead.
pub fn resolve(
    catalog: &Catalog,
    client: &Client,
    contact: &mut Contact,
    create_missing: bool,
) -> Result<Resolved, Error> {
    let mut problems = Vec::new();
    let mut resolved = Resolved::default();

    for kind in [Kind::Lists, Kind::Tags] {
        let names = match kind {
            Kind::Lists => contact.lists.take(),
            Kind::Tags => contact.tags.take(),
        };
        let Some(names) = names else {
            continue;
        };
        let (ids, missing) = look_up(catalog, client, kind, &names, create_missing, &mut problems)?;
        match kind {
            Kind::Lists => {
                join(&mut contact.list_memberships, ids);
                resolved.missing_lists = missing;
            }
            Kind::Tags => {
                join(&mut contact.taggings, ids);
                resolved.missing_tags = missing;
            }
        }
    }

    if let Some(entries) = contact.custom.take() {
        for entry in &entries {
            let path = format!("custom.{}", entry.field);
            let def = match catalog.field(client, &entry.field)? {
                Found::One(def) => def,
                Found::Missing => {
                    problems.push(field(
                        path,
                        format!("the account has no custom field named \"{}\"", entry.field),
                    ));
                    continue;
                }
                Found::Ambiguous(names) => {
                    problems.push(field(path, ambiguous("custom field", &names)));
                    continue;
                }
            };
            if resolved.custom.iter().any(|(id, _)| *id == def.id) {
                problems.push(field(
                    path,
                    format!("names custom field \"{}\" a second time", def.name),
                ));
                continue;
            }
            let stored = match value::to_api(&def, &entry.value) {
                Ok(stored) => stored,
                Err(reason) => {
                    problems.push(field(path, reason));
                    continue;
                }
            };
            // A query's output with names carries each value twice, by id and by name; fed
            // back, the two agree and count once. Two different values are a contradiction.
            let by_id = |f: &CustomFieldValue| f.custom_field_id.eq_ignore_ascii_case(&def.id);
            if let Some(given) = contact.custom_fields.iter().flatten().find(|f| by_id(f)) {
                if !same_value(given, stored.as_ref()) {
                    problems.push(field(
                        path,
                        format!(
                            "custom field \"{}\" is also given by id in custom_fields, with \
                             another value",
                            def.name
                        ),
                    ));
                    continue;
                }
                if let Some(fields) = contact.custom_fields.as_mut() {
                    fields.retain(|f| !by_id(f));
                }
            }
            resolved.custom.push((def.id.clone(), stored));
            resolved.custom_names.push(entry.field.clone());
        }
    }

    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(validation("the contact's names", problems))
    }
}

/// Whether a value given by id is the one a name gave.
fn same_value(given: &CustomFieldValue, named: Option<&CustomFieldValue>) -> bool {
    let text = |v: &Option<String>| v.clone().filter(|t| !t.is_empty());
    let choices = |c: &Option<Vec<String>>| {
        let mut c = c.clone().unwrap_or_default();
        c.sort();
        c
    };
    match named {
        Some(named) => {
            text(&given.value) == text(&named.value)
                && choices(&given.choice_ids) == choices(&named.choice_ids)
        }
        None => text(&given.value).is_none() && choices(&given.choice_ids).is_empty(),
    }
}

fn ambiguous(noun: &str, names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let how = if noun == "custom field" {
        "give one exactly, or its label or id"
    } else {
        "give one exactly"
    };
    format!("matches several {noun}s ({}); {how}", quoted.join(", "))
}

/// Looks the names up: the ids found, in order and without repeats, and the names to make.
/// Unknown names are problems unless `create_missing`; ambiguous ones always are.
fn look_up(
    catalog: &Catalog,
    client: &Client,
    kind: Kind,
    names: &[String],
    create_missing: bool,
    problems: &mut Vec<FieldError>,
) -> Result<(Vec<String>, Vec<String>), Error> {
    let key = match kind {
        Kind::Lists => "lists",
        Kind::Tags => "tags",
    };
    let mut ids = Vec::with_capacity(names.len());
    let mut missing: Vec<String> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let path = format!("{key}[{i}]");
        if name.trim().is_empty() {
            problems.push(field(
                path,
                format!("a {} name cannot be empty", kind.noun()),
            ));
            continue;
        }
        if name.trim().chars().count() > MAX_NAME {
            problems.push(field(path, format!("is longer than {MAX_NAME} characters")));
            continue;
        }
        if name.chars().any(char::is_control) {
            problems.push(field(path, "holds a control character"));
            continue;
        }
        match catalog.find(client, kind, name)? {
            Found::One(found) if !ids.contains(&found.id) => ids.push(found.id),
            Found::One(_) => {}
            Found::Ambiguous(names) => problems.push(field(path, ambiguous(kind.noun(), &names))),
            Found::Missing if create_missing => {
                if !missing.iter().any(|m| super::same_name(m, name)) {
                    missing.push(name.trim().to_owned());
                }
            }
            Found::Missing => problems.push(field(
                path,
                format!(
                    "the account has no {} named \"{name}\" (create-missing would create it)",
                    kind.noun()
                ),
            )),
        }
    }
    Ok((ids, missing))
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
