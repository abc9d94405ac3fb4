//! Names beside ids in query output: each included list membership, tagging and custom
//! field value is given the name the account knows it by (a custom field's key, which is
//! its label when another field shares its name). An id the account no longer knows keeps
//! its place among the ids and has no name, so `lists` can be shorter than the ids.

use super::{Catalog, Kind, value};
use crate::api::client::Client;
use crate::wit::{Contact, CustomEntry, Error};

/// Fills `lists`, `tags` and `custom` of each contact from the subresources it carries.
pub fn fill_names(
    catalog: &Catalog,
    client: &Client,
    contacts: &mut [Contact],
) -> Result<(), Error> {
    for contact in contacts {
        if let Some(ids) = &contact.list_memberships {
            contact.lists = Some(names(catalog, client, Kind::Lists, ids)?);
        }
        if let Some(ids) = &contact.taggings {
            contact.tags = Some(names(catalog, client, Kind::Tags, ids)?);
        }
        if let Some(fields) = &contact.custom_fields {
            let mut entries = Vec::with_capacity(fields.len());
            for stored in fields {
                if let Some((key, def)) = catalog.field_by_id(client, &stored.custom_field_id)? {
                    entries.push(CustomEntry {
                        field: key,
                        value: value::from_api(&def, stored),
                    });
                }
            }
            contact.custom = Some(entries);
        }
    }
    Ok(())
}

fn names(
    catalog: &Catalog,
    client: &Client,
    kind: Kind,
    ids: &[String],
) -> Result<Vec<String>, Error> {
    let mut names = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(name) = catalog.name_of(client, kind, id)? {
            names.push(name);
        }
    }
    Ok(names)
}
