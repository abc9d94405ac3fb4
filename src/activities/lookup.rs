//! Finding one existing contact, by id or by email address. Email lookups ask for
//! `status=all`, because deleted contacts still hold their address.

use crate::api::client::Client;
use crate::api::errors::Access;
use crate::api::wire::{ContactResource, ContactsPage};
use crate::errors::{bad_response, field, validation};
use crate::url::QueryString;
use crate::uuid::is_uuid;
use crate::validate::{email_problem, normalise_email, same_address};
use crate::wit::{ApiFailure, Error};

/// Every subresource, for reads that must see the whole contact.
pub const ALL_SUBRESOURCES: [&str; 6] = [
    "custom_fields",
    "list_memberships",
    "phone_numbers",
    "street_addresses",
    "taggings",
    "notes",
];

/// `GET /contacts/{id}`, with every subresource when `whole` is set. `id` has been checked
/// to be a UUID, so it is safe in a path.
pub fn by_id(client: &Client, id: &str, whole: bool) -> Result<ContactResource, Error> {
    let mut query = QueryString::default();
    if whole {
        query.push_csv("include", &ALL_SUBRESOURCES);
    }
    let response = client.get(
        &format!("/contacts/{id}{}", query.finish()),
        Access::ReadContacts,
    )?;
    client.read_json(&response, "the contact")
}

/// `GET /contacts?email=…&status=all`; `email` is already normalised. `None` when no contact,
/// active or deleted, holds the address.
pub fn by_email(
    client: &Client,
    email: &str,
    whole: bool,
) -> Result<Option<ContactResource>, Error> {
    let mut query = QueryString::default();
    query.push("email", email);
    query.push("status", "all");
    if whole {
        query.push_csv("include", &ALL_SUBRESOURCES);
    }
    let response = client.get(
        &format!("/contacts{}", query.finish()),
        Access::ReadContacts,
    )?;
    let page: ContactsPage = client.read_json(&response, "the contacts found by email")?;
    Ok(page.contacts.into_iter().find(|c| {
        c.email_address
            .as_ref()
            .and_then(|e| e.address.as_deref())
            .is_some_and(|a| same_address(a, email))
    }))
}

/// The `not-found` error of an email lookup that found nothing.
pub fn no_contact_with(email: &str) -> Error {
    Error::NotFound(ApiFailure {
        status: 404,
        error_key: None,
        message: format!(
            "failed to find a contact with email address \"{email}\": no contact, active or \
             deleted, has it"
        ),
    })
}

/// The id of a resource the API returned, which every contact carries.
pub fn id_of(resource: &ContactResource, status: u16) -> Result<String, Error> {
    resource
        .contact_id
        .clone()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            bad_response(
                status,
                "failed to read the contact: the API's answer carries no contact_id".into(),
            )
        })
}

/// Whether the API marks the contact deleted.
pub fn is_deleted(resource: &ContactResource) -> bool {
    resource
        .deleted_at
        .as_deref()
        .is_some_and(|d| !d.is_empty())
}

/// A caller's contact id, checked before it goes into a path.
pub fn checked_id(path: &str, id: &str) -> Result<String, Error> {
    if is_uuid(id) {
        Ok(id.to_owned())
    } else {
        let reason = format!("\"{id}\" is not a UUID");
        Err(validation(
            "the contact reference",
            vec![field(path, reason)],
        ))
    }
}

/// A caller's email address, normalised and checked.
pub fn checked_email(path: &str, email: &str) -> Result<String, Error> {
    let normalised = normalise_email(email);
    match email_problem(&normalised) {
        None => Ok(normalised),
        Some(problem) => Err(validation(
            "the contact reference",
            vec![field(path, problem)],
        )),
    }
}
