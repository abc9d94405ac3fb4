//! The `delete` activity: reads each target first, so an unknown contact is `not-found` and
//! an already deleted one is reported without sending `DELETE`; otherwise
//! `DELETE /contacts/{id}` soft-deletes it. A retried `DELETE` that meets a 404 is settled
//! by reading the contact again. In `unsubscribe` mode the address is opted out instead
//! (see `unsubscribe`).

use super::lookup::{self, checked_email, checked_id, is_deleted, no_contact_with};
use crate::api::client::Client;
use crate::api::errors::Access;
use crate::api::wire::ContactResource;
use crate::errors::invalid_config;
use crate::outcomes::{Activity, run_batch};
use crate::url::encode;
use crate::wit::{ContactRef, DeleteMode, DeleteOptions, Deletion, Error, Outcome};

pub fn run(client: &Client, records: Vec<ContactRef>, options: &DeleteOptions) -> Vec<Outcome> {
    let mode = options.mode.unwrap_or(DeleteMode::SoftDelete);
    if mode == DeleteMode::Unsubscribe {
        return super::unsubscribe::run(client, records, options.opt_out_reason.as_deref());
    }
    if options.opt_out_reason.is_some() {
        // A reason means the caller expected an opt-out; a soft delete is not one.
        let refusal = invalid_config(
            "failed to delete the contact: an opt-out reason applies only to the unsubscribe \
             mode, and a soft delete does not unsubscribe",
        );
        return run_batch(client, Activity::Delete, records, |_| {
            Outcome::Failed(refusal.clone())
        });
    }
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
    let existing = find(client, target)?;
    let contact_id = lookup::id_of(&existing, 200)?;
    if is_deleted(&existing) {
        return Ok(Deletion {
            contact_id,
            already_deleted: true,
        });
    }
    soft_delete(client, contact_id)
}

/// The target contact, deleted ones included, without subresources.
pub fn find(client: &Client, target: &ContactRef) -> Result<ContactResource, Error> {
    match target {
        ContactRef::Id(id) => lookup::by_id(client, &checked_id("id", id)?, false),
        ContactRef::Email(email) => {
            let email = checked_email("email", email)?;
            lookup::by_email(client, &email, false)?.ok_or_else(|| no_contact_with(&email))
        }
    }
}

fn soft_delete(client: &Client, contact_id: String) -> Result<Deletion, Error> {
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
