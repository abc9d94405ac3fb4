//! Reading contacts, updates and references from a CSV file with a header row of flat
//! column names. A blank cell means absent; an unknown column is an error naming it; a bad
//! cell is an error naming its record and column.

use anyhow::{Context as _, anyhow, bail};

use super::columns::{Column, CsvUse, parse_birthday, split_custom_fields, split_list};
use crate::records::ids::derived_uuid;
use crate::records::json::{email_only, empty_contact};
use crate::records::names::EnumName;
use crate::wit::{
    AddressKind, Birthday, Contact, ContactField, ContactRef, ContactUpdate, CustomFieldValue,
    Note, Permission, PhoneNumber, StreetAddress,
};

/// The header of a CSV file, resolved to columns.
struct Header {
    columns: Vec<Column>,
}

impl Header {
    fn read(names: &csv::StringRecord, usage: CsvUse) -> anyhow::Result<Header> {
        let mut columns: Vec<Column> = Vec::new();
        let mut unknown = Vec::new();
        let mut misplaced = Vec::new();
        for name in names {
            match Column::parse(name) {
                Some(column) if columns.contains(&column) => bail!(
                    "failed to read the CSV header: the column \"{}\" appears twice",
                    name.trim()
                ),
                Some(column) if column.allowed_in(usage) => columns.push(column),
                Some(_) => misplaced.push(format!("\"{}\"", name.trim())),
                None => unknown.push(format!("\"{}\"", name.trim())),
            }
        }
        if !unknown.is_empty() {
            bail!(
                "failed to read the CSV header: unknown columns {}",
                unknown.join(", ")
            );
        }
        if !misplaced.is_empty() {
            bail!(
                "failed to read the CSV header: columns {} do not belong in a {} file",
                misplaced.join(", "),
                match usage {
                    CsvUse::Create => "create",
                    CsvUse::Update => "update",
                    CsvUse::Delete => "delete",
                }
            );
        }
        Ok(Header { columns })
    }

    /// The non-blank cells of a row, with their columns.
    fn cells<'r>(
        &'r self,
        row: &'r csv::StringRecord,
    ) -> impl Iterator<Item = (&'r Column, &'r str)> {
        self.columns
            .iter()
            .zip(row.iter())
            .filter(|(_, cell)| !cell.trim().is_empty())
    }
}

/// Every data row of `text`, each with its 1-based record number.
fn rows(text: &str, usage: CsvUse) -> anyhow::Result<(Header, Vec<(usize, csv::StringRecord)>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let names = reader
        .headers()
        .context("failed to read the CSV header")?
        .clone();
    let header = Header::read(&names, usage)?;
    let mut rows = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.with_context(|| format!("failed to read record {}", i + 1))?;
        if row.len() > header.columns.len()
            && row
                .iter()
                .skip(header.columns.len())
                .any(|c| !c.trim().is_empty())
        {
            bail!(
                "failed to read record {}: it has {} cells for {} columns",
                i + 1,
                row.len(),
                header.columns.len()
            );
        }
        rows.push((i + 1, row));
    }
    Ok((header, rows))
}

/// Reads contacts for `create`.
pub fn contacts_from_csv(text: &str) -> anyhow::Result<Vec<Contact>> {
    let (header, rows) = rows(text, CsvUse::Create)?;
    rows.iter()
        .map(|(n, row)| {
            let cells: Vec<_> = header.cells(row).collect();
            contact_from_cells(&cells, true, false)
                .with_context(|| format!("failed to read record {n}"))
        })
        .collect()
}

/// Reads updates: the target is `id` when given, else `email`; with an `id` target the
/// `email` column is a change of address.
pub fn updates_from_csv(text: &str) -> anyhow::Result<Vec<ContactUpdate>> {
    let (header, rows) = rows(text, CsvUse::Update)?;
    rows.iter()
        .map(|(n, row)| {
            let cells: Vec<_> = header.cells(row).collect();
            update_from_cells(&cells).with_context(|| format!("failed to read record {n}"))
        })
        .collect()
}

/// Reads references for `delete`: `id` when given, else `email`.
pub fn refs_from_csv(text: &str) -> anyhow::Result<Vec<ContactRef>> {
    let (header, rows) = rows(text, CsvUse::Delete)?;
    rows.iter()
        .map(|(n, row)| {
            let cells: Vec<_> = header.cells(row).collect();
            target_of(&cells).with_context(|| format!("failed to read record {n}"))
        })
        .collect()
}

fn cell<'a>(cells: &[(&Column, &'a str)], wanted: &Column) -> Option<&'a str> {
    cells.iter().find(|(c, _)| *c == wanted).map(|(_, v)| *v)
}

fn target_of(cells: &[(&Column, &str)]) -> anyhow::Result<ContactRef> {
    if let Some(id) = cell(cells, &Column::Id) {
        return Ok(ContactRef::Id(id.trim().to_owned()));
    }
    if let Some(email) = cell(cells, &Column::Email) {
        return Ok(ContactRef::Email(email.to_owned()));
    }
    Err(anyhow!("it needs an `id` or an `email`"))
}

fn update_from_cells(cells: &[(&Column, &str)]) -> anyhow::Result<ContactUpdate> {
    let target = target_of(cells)?;
    let email_is_change = matches!(target, ContactRef::Id(_));
    let mut changes = contact_from_cells(cells, email_is_change, true)?;
    changes.contact_id = None;
    let clear = match cell(cells, &Column::Clear) {
        None => Vec::new(),
        Some(names) => split_list(names)
            .iter()
            .map(|name| {
                ContactField::parse(name).ok_or_else(|| {
                    anyhow!(
                        "column `clear`: unknown field \"{name}\"; expected {}",
                        ContactField::expected()
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?,
    };
    Ok(ContactUpdate {
        target,
        changes,
        clear,
    })
}

/// Builds a contact from the non-blank cells of a row. `with_email` says whether the `email`
/// column is part of the contact (it is not when it only names an update's target);
/// `for_update` says the contact is an update's changes, where a `permission` needs no address.
fn contact_from_cells(
    cells: &[(&Column, &str)],
    with_email: bool,
    for_update: bool,
) -> anyhow::Result<Contact> {
    let mut contact = empty_contact();
    let mut address: Option<StreetAddress> = None;
    let mut address_kind: Option<AddressKind> = None;
    let mut permission: Option<Permission> = None;
    let mut notes: Option<String> = None;

    for (column, value) in cells {
        let text = || Some((*value).to_owned());
        match column {
            Column::Id => contact.contact_id = Some(value.trim().to_owned()),
            Column::Email if with_email => contact.email_address = Some(email_only(value)),
            Column::Email | Column::Clear => {}
            Column::Permission => {
                permission = Some(Permission::parse(value).ok_or_else(|| {
                    anyhow!(
                        "column `permission`: unknown value \"{}\"; expected {}",
                        value.trim(),
                        Permission::expected()
                    )
                })?);
            }
            Column::FirstName => contact.first_name = text(),
            Column::LastName => contact.last_name = text(),
            Column::JobTitle => contact.job_title = text(),
            Column::CompanyName => contact.company_name = text(),
            Column::Birthday => {
                let (month, day) = parse_birthday(value).ok_or_else(|| {
                    anyhow!(
                        "column `birthday`: expected MM-DD, found \"{}\"",
                        value.trim()
                    )
                })?;
                contact.birthday = Some(Birthday { month, day });
            }
            Column::Anniversary => contact.anniversary = Some(value.trim().to_owned()),
            Column::Phone(kind) => {
                let phones = contact.phone_numbers.get_or_insert_with(Vec::new);
                for number in split_list(value) {
                    phones.push(PhoneNumber {
                        phone_number_id: None,
                        phone_number: number,
                        kind: *kind,
                        create_source: None,
                        update_source: None,
                        created_at: None,
                        updated_at: None,
                    });
                }
            }
            Column::Street => address_part(&mut address).street = text(),
            Column::City => address_part(&mut address).city = text(),
            Column::State => address_part(&mut address).state = text(),
            Column::PostalCode => address_part(&mut address).postal_code = text(),
            Column::Country => address_part(&mut address).country = text(),
            Column::AddressKind => {
                address_kind = Some(AddressKind::parse(value).ok_or_else(|| {
                    anyhow!(
                        "column `address_kind`: unknown value \"{}\"; expected {}",
                        value.trim(),
                        AddressKind::expected()
                    )
                })?);
            }
            Column::Lists => contact.list_memberships = Some(split_list(value)),
            Column::Tags => contact.taggings = Some(split_list(value)),
            Column::CustomField(id) => custom_fields(&mut contact).push(CustomFieldValue {
                custom_field_id: id.clone(),
                value: text(),
                choice_ids: None,
            }),
            Column::CustomFields => {
                let pairs = split_custom_fields(value)
                    .map_err(|cause| anyhow!("column `custom_fields`: {cause}"))?;
                for (id, field_value) in pairs {
                    custom_fields(&mut contact).push(CustomFieldValue {
                        custom_field_id: id,
                        value: Some(field_value),
                        choice_ids: None,
                    });
                }
            }
            Column::Notes => notes = Some((*value).to_owned()),
            Column::CreatedAt => contact.created_at = Some(value.trim().to_owned()),
            Column::UpdatedAt => contact.updated_at = Some(value.trim().to_owned()),
            Column::DeletedAt => contact.deleted_at = Some(value.trim().to_owned()),
        }
    }

    if let Some(permission) = permission {
        if for_update && contact.email_address.is_none() {
            // In an update an empty address keeps the contact's current one, so a row can
            // change consent whether its target is an id or an email.
            contact.email_address = Some(email_only(""));
        }
        let email = contact
            .email_address
            .as_mut()
            .ok_or_else(|| anyhow!("column `permission`: it needs an email address"))?;
        email.permission_to_send = Some(permission);
    }
    if let Some(content) = notes {
        // The API wants an id on every note written; derive one from the note's owner and
        // content so the same row always sends the same note.
        // The `email` cell counts even when it only names an update's target, so two
        // contacts given the same note by email do not share its id.
        let owner = contact
            .contact_id
            .clone()
            .or_else(|| cell(cells, &Column::Email).map(|e| e.trim().to_lowercase()))
            .unwrap_or_default();
        contact.notes = Some(vec![Note {
            note_id: Some(derived_uuid(&[&owner, &content])),
            created_at: None,
            content,
        }]);
    }
    match (address, address_kind) {
        (Some(mut address), kind) => {
            address.kind = kind.unwrap_or(AddressKind::Home);
            contact.street_addresses = Some(vec![address]);
        }
        (None, Some(_)) => bail!("column `address_kind`: it needs an address"),
        (None, None) => {}
    }
    Ok(contact)
}

fn address_part(address: &mut Option<StreetAddress>) -> &mut StreetAddress {
    address.get_or_insert_with(|| StreetAddress {
        street_address_id: None,
        kind: AddressKind::Home,
        street: None,
        city: None,
        state: None,
        postal_code: None,
        country: None,
        created_at: None,
        updated_at: None,
    })
}

fn custom_fields(contact: &mut Contact) -> &mut Vec<CustomFieldValue> {
    contact.custom_fields.get_or_insert_with(Vec::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wit::PhoneKind;

    #[test]
    fn contacts_read_every_column() {
        let text = "email,first_name,last_name,permission,birthday,home_phone,mobile_phone,street,city,country,address_kind,lists,tags,cf:cf-1,notes\n\
            \" Ann@Example.com \",Ånn,,explicit,05-17,555-1;555-2,555-3,1 Main St,Zürich,CH,work,l-1; l-2,t-1,gold,\"met at the fair\"\n";
        let contacts = contacts_from_csv(text).unwrap();
        assert_eq!(contacts.len(), 1);
        let c = &contacts[0];
        let email = c.email_address.as_ref().unwrap();
        assert_eq!(
            email.address, " Ann@Example.com ",
            "the connector normalises addresses"
        );
        assert_eq!(email.permission_to_send, Some(Permission::Explicit));
        assert_eq!(c.first_name.as_deref(), Some("Ånn"));
        assert_eq!(c.last_name, None, "blank cells are absent");
        assert!(c.birthday == Some(Birthday { month: 5, day: 17 }));
        let phones = c.phone_numbers.as_ref().unwrap();
        assert_eq!(phones.len(), 3);
        assert_eq!(phones[1].phone_number, "555-2");
        assert_eq!(phones[2].kind, Some(PhoneKind::Mobile));
        let address = &c.street_addresses.as_ref().unwrap()[0];
        assert_eq!(address.kind, AddressKind::Work);
        assert_eq!(address.city.as_deref(), Some("Zürich"));
        assert_eq!(
            c.list_memberships.as_deref(),
            Some(&["l-1".to_owned(), "l-2".to_owned()][..])
        );
        assert_eq!(c.custom_fields.as_ref().unwrap()[0].custom_field_id, "cf-1");
        let note = &c.notes.as_ref().unwrap()[0];
        assert_eq!(note.content, "met at the fair");
        assert_eq!(
            note.note_id.as_deref(),
            Some(derived_uuid(&["ann@example.com", "met at the fair"]).as_str())
        );
    }

    #[test]
    fn unknown_columns_are_named() {
        let err = contacts_from_csv("email,nickname,Age\na@b.c,x,3\n").unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to read the CSV header: unknown columns \"nickname\", \"Age\""
        );
    }

    #[test]
    fn bad_cells_name_record_and_column() {
        let text = "email,birthday\na@b.c,05-01\nb@b.c,13-40\n";
        let err = contacts_from_csv(text).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to read record 2: column `birthday`: expected MM-DD, found \"13-40\""
        );
        let err = contacts_from_csv("first_name,permission\nAnn,explicit\n").unwrap_err();
        assert!(
            format!("{err:#}").contains("needs an email address"),
            "{err:#}"
        );
    }

    #[test]
    fn updates_target_id_first_then_email() {
        let text = "id,email,job_title,clear\n\
            c-1,new@b.c,CTO,first_name;phone_numbers\n\
            ,old@b.c,CEO,\n";
        let updates = updates_from_csv(text).unwrap();
        assert!(updates[0].target == ContactRef::Id("c-1".into()));
        assert_eq!(
            updates[0].changes.email_address.as_ref().unwrap().address,
            "new@b.c",
            "with an id target the email is a change"
        );
        assert!(updates[0].clear == [ContactField::FirstName, ContactField::PhoneNumbers]);
        assert!(updates[1].target == ContactRef::Email("old@b.c".into()));
        assert!(updates[1].changes.email_address.is_none());
        assert_eq!(updates[1].changes.job_title.as_deref(), Some("CEO"));

        let err = updates_from_csv("id,job_title\n,CTO\n").unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to read record 1: it needs an `id` or an `email`"
        );
        let err = updates_from_csv("id,clear\nc-1,age\n").unwrap_err();
        assert!(
            format!("{err:#}").contains("column `clear`: unknown field \"age\""),
            "{err:#}"
        );
    }

    #[test]
    fn updates_change_permission_without_an_address() {
        let text = "email,permission\na@b.c,unsubscribed\n";
        let updates = updates_from_csv(text).unwrap();
        assert!(updates[0].target == ContactRef::Email("a@b.c".into()));
        let email = updates[0].changes.email_address.as_ref().unwrap();
        assert_eq!(email.address, "", "an empty address keeps the current one");
        assert_eq!(email.permission_to_send, Some(Permission::Unsubscribed));

        let updates = updates_from_csv("id,permission\nc-1,explicit\n").unwrap();
        let email = updates[0].changes.email_address.as_ref().unwrap();
        assert_eq!(email.address, "");
        assert_eq!(email.permission_to_send, Some(Permission::Explicit));

        let updates = updates_from_csv("id,email,permission\nc-1,new@b.c,implicit\n").unwrap();
        let email = updates[0].changes.email_address.as_ref().unwrap();
        assert_eq!(
            email.address, "new@b.c",
            "a change of address keeps its permission"
        );
        assert_eq!(email.permission_to_send, Some(Permission::Implicit));
    }

    #[test]
    fn notes_of_different_targets_get_different_ids() {
        let text = "email,notes\na@b.c,Called\nd@e.f,Called\n";
        let updates = updates_from_csv(text).unwrap();
        let id = |i: usize| {
            updates[i].changes.notes.as_ref().unwrap()[0]
                .note_id
                .clone()
        };
        assert_ne!(id(0), id(1));
        assert_eq!(
            id(0).as_deref(),
            Some(derived_uuid(&["a@b.c", "Called"]).as_str())
        );
    }

    #[test]
    fn deletes_take_only_targets() {
        let refs = refs_from_csv("id,email\nc-1,\n,a@b.c\n").unwrap();
        assert!(
            refs == [
                ContactRef::Id("c-1".into()),
                ContactRef::Email("a@b.c".into())
            ]
        );
        let err = refs_from_csv("email,first_name\na@b.c,Ann\n").unwrap_err();
        assert!(
            format!("{err:#}").contains("do not belong in a delete file"),
            "{err:#}"
        );
    }

    #[test]
    fn extra_cells_are_an_error_but_short_rows_are_blank() {
        let contacts = contacts_from_csv("email,first_name\na@b.c\n").unwrap();
        assert_eq!(contacts[0].first_name, None);
        let err = contacts_from_csv("email\na@b.c,extra\n").unwrap_err();
        assert!(
            format!("{err:#}").contains("2 cells for 1 columns"),
            "{err:#}"
        );
    }

    #[test]
    fn a_column_may_appear_once() {
        let err = contacts_from_csv("email,First_Name,first-name\na@b.c,A,B\n").unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to read the CSV header: the column \"first-name\" appears twice"
        );
    }

    #[test]
    fn clear_is_refused_outside_updates() {
        assert!(contacts_from_csv("email,clear\na@b.c,notes\n").is_err());
    }
}
