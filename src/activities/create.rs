//! The `create` activity: normalises and checks each record, sends `POST /contacts` with
//! the chosen `create_source`, and resolves a 409 by the `on-conflict` policy. A conflict
//! with a deleted contact never revives it: only an explicit update does.

use super::lookup::{self, is_deleted};
use super::update::apply_and_put;
use crate::api::client::Client;
use crate::api::errors::Access;
use crate::api::wire::ContactResource;
use crate::convert::{WriteKind, contact_to_write, source_to_wire};
use crate::errors::validation;
use crate::merge::normalised_note;
use crate::outcomes::{Activity, run_batch};
use crate::validate::{normalise_email, validate_contact};
use crate::wit::{
    ApiFailure, ConflictFailure, ConflictPolicy, Contact, CreateOptions, Error, Outcome, Skip,
    Source, UpdateMode, Written,
};

pub fn run(client: &Client, records: Vec<Contact>, options: &CreateOptions) -> Vec<Outcome> {
    let source = options.create_source.unwrap_or(Source::Account);
    let policy = options.on_conflict.unwrap_or(ConflictPolicy::Fail);
    run_batch(client.log(), Activity::Create, records, |record| {
        create_one(client, record, source, policy)
    })
}

fn create_one(
    client: &Client,
    mut contact: Contact,
    source: Source,
    policy: ConflictPolicy,
) -> Outcome {
    let mut notes = Vec::new();
    if let Some(email) = &mut contact.email_address {
        let normalised = normalise_email(&email.address);
        if normalised != email.address {
            notes.push(normalised_note(&email.address, &normalised));
            email.address = normalised;
        }
    }
    let problems = validate_contact(&contact);
    if !problems.is_empty() {
        return Outcome::Failed(validation("the contact", problems));
    }

    let mut body = contact_to_write(&contact, WriteKind::Create);
    body.create_source = Some(source_to_wire(source));
    let created = client.post_json("/contacts", &body, Access::WriteContacts);

    match created {
        Ok(response) => {
            let id = client
                .read_json::<ContactResource>(&response, "the created contact")
                .and_then(|r| lookup::id_of(&r, response.status));
            match id {
                Ok(contact_id) => Outcome::Created(Written { contact_id, notes }),
                Err(error) => Outcome::Failed(error),
            }
        }
        Err(Error::Conflict(conflict)) => {
            on_conflict(client, &contact, conflict, source, policy, notes)
        }
        Err(error) => Outcome::Failed(error),
    }
}

/// Finds who holds the address (from the message, else by lookup) and applies the policy.
fn on_conflict(
    client: &Client,
    contact: &Contact,
    conflict: ConflictFailure,
    source: Source,
    policy: ConflictPolicy,
    mut notes: Vec<String>,
) -> Outcome {
    let email = match &contact.email_address {
        Some(e) if !e.address.is_empty() => e.address.clone(),
        _ => return Outcome::Failed(Error::Conflict(conflict)),
    };

    let whole = policy == ConflictPolicy::Update;
    let mut holder = None;
    let existing_id = match conflict.existing_contact_id.clone() {
        Some(id) => id,
        None => match lookup::by_email(client, &email, whole) {
            Ok(Some(found)) => match found.contact_id.clone() {
                Some(id) => {
                    holder = Some(found);
                    id
                }
                None => return Outcome::Failed(Error::Conflict(conflict)),
            },
            Ok(None) => {
                let message = format!(
                    "{}; no contact, active or deleted, was found with email address \"{email}\"",
                    conflict.failure.message
                );
                return Outcome::Failed(conflict_error(conflict.failure, message, None));
            }
            Err(error) => return Outcome::Failed(error),
        },
    };
    // Whether the holder is deleted decides what the outcome says (and, for `update`, what
    // is done), so read it when the lookup has not already.
    let holder = match holder {
        Some(found) => Ok(found),
        None => lookup::by_id(client, &existing_id, whole),
    };
    let deleted = holder.as_ref().is_ok_and(is_deleted);

    match policy {
        ConflictPolicy::Fail => {
            let message = if deleted {
                deleted_holder_message(&email, &existing_id)
            } else {
                conflict.failure.message.clone()
            };
            Outcome::Failed(conflict_error(conflict.failure, message, Some(existing_id)))
        }
        ConflictPolicy::Skip => {
            let whose = if deleted {
                "deleted contact"
            } else {
                "contact"
            };
            Outcome::Skipped(Skip {
                reason: format!(
                    "email address \"{email}\" already belongs to {whose} \"{existing_id}\""
                ),
                contact_id: Some(existing_id),
            })
        }
        ConflictPolicy::Update => {
            let existing = match holder {
                Ok(found) => found,
                Err(error) => return Outcome::Failed(error),
            };
            if deleted {
                let message = deleted_holder_message(&email, &existing_id);
                return Outcome::Failed(conflict_error(
                    conflict.failure,
                    message,
                    Some(existing_id),
                ));
            }
            notes.push(format!(
                "email address \"{email}\" already belonged to contact \"{existing_id}\"; the \
                 record was merged into it"
            ));
            match apply_and_put(
                client,
                existing,
                contact,
                &[],
                UpdateMode::Merge,
                source,
                notes,
            ) {
                Ok(written) => Outcome::Updated(written),
                Err(error) => Outcome::Failed(error),
            }
        }
    }
}

/// Why a create failed against a deleted contact, and what to do about it.
fn deleted_holder_message(email: &str, existing_id: &str) -> String {
    format!(
        "failed to create the contact: email address \"{email}\" belongs to deleted contact \
         \"{existing_id}\", which only an explicit update restores"
    )
}

fn conflict_error(failure: ApiFailure, message: String, existing: Option<String>) -> Error {
    Error::Conflict(ConflictFailure {
        failure: ApiFailure { message, ..failure },
        existing_contact_id: existing,
    })
}

#[cfg(test)]
mod tests;
