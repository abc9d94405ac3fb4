//! The `delete` activity: reads each target first, so an unknown contact is `not-found` and
//! an already deleted one is reported without sending `DELETE`; otherwise
//! `DELETE /contacts/{id}` soft-deletes it. A retried `DELETE` that meets a 404 is settled
//! by reading the contact again.

use super::lookup::{self, checked_email, checked_id, is_deleted, no_contact_with};
use crate::api::client::Client;
use crate::api::errors::Access;
use crate::outcomes::{Activity, run_batch};
use crate::url::encode;
use crate::wit::{ContactRef, Deletion, Error, Outcome};

pub fn run(client: &Client, records: Vec<ContactRef>) -> Vec<Outcome> {
    run_batch(
        client,
        Activity::Delete,
        records,
        |target| match delete_one(client, &target) {
            Ok(deletion) => Outcome::Deleted(deletion),
            Err(error) => Outcome::Failed(error),
        },
    )
}

fn delete_one(client: &Client, target: &ContactRef) -> Result<Deletion, Error> {
    let existing = match target {
        ContactRef::Id(id) => lookup::by_id(client, &checked_id("id", id)?, false)?,
        ContactRef::Email(email) => {
            let email = checked_email("email", email)?;
            lookup::by_email(client, &email, false)?.ok_or_else(|| no_contact_with(&email))?
        }
    };
    let contact_id = lookup::id_of(&existing, 200)?;
    if is_deleted(&existing) {
        return Ok(Deletion {
            contact_id,
            already_deleted: true,
        });
    }
    let path = format!("/contacts/{}", encode(&contact_id));
    match client.delete(&path, Access::WriteContacts) {
        Ok(_) => {}
        // An API that answers 404 for a deleted contact does so when an earlier attempt,
        // whose answer was lost, deleted it: the contact reads back deleted.
        Err(Error::NotFound(failure)) => {
            let reread = lookup::by_id(client, &contact_id, false);
            if !reread.as_ref().is_ok_and(is_deleted) {
                return Err(Error::NotFound(failure));
            }
        }
        Err(error) => return Err(error),
    }
    Ok(Deletion {
        contact_id,
        already_deleted: false,
    })
}

#[cfg(test)]
mod tests;
