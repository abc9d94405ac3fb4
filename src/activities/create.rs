//! The `create` activity: normalises and checks each record, sends `POST /contacts` with
//! the chosen `create_source`, and resolves a 409 by the `on-conflict` policy. A conflict
//! with a deleted contact never revives it: only an explicit update does.
//!
//! Creates are retry-safe. A POST is never sent again blindly: after an uncertain failure
//! (timeout, reset, 5xx) the connector waits, looks the address up (deleted contacts
//! included) and reports the contact as created when the rule in `landed` says the earlier
//! attempt made it, as a conflict when someone else holds the address, and only posts again
//! when nobody does. A record without an email address cannot be looked up, so its
//! uncertain failure is reported as it is.

use super::landed::{is_our_attempt, wall_now_secs};
use super::lookup::{self, is_deleted};
use super::update::{self, apply_and_put};
use crate::api::client::{ApiResponse, Client};
use crate::api::errors::Access;
use crate::api::retry::{Safety, is_uncertain, retry_reason};
use crate::api::wire::{ContactResource, ContactWrite};
use crate::catalog::{self, Catalog, Resolved, resolve};
use crate::convert::{WriteKind, contact_to_write, permission_to_wire, source_to_wire};
use crate::errors::validation;
use crate::merge::normalised_note;
use crate::outcomes::{Activity, run_batch};
use crate::validate::{normalise_email, validate_contact};
use crate::wit::{
    ApiFailure, ConflictFailure, ConflictPolicy, Contact, CreateOptions, Error, Outcome,
    Permission, Skip, Source, UpdateMode, Written,
};

pub fn run(
    client: &Client,
    catalog: &Catalog,
    records: Vec<Contact>,
    options: &CreateOptions,
) -> Vec<Outcome> {
    catalog.start_call();
    let settings = Settings::from_options(options);
    run_batch(client, Activity::Create, records, |record| {
        create_one(client, catalog, record, &settings)
    })
}

/// How every record of one create call is written.
pub struct Settings {
    pub source: Source,
    pub policy: ConflictPolicy,
    pub create_missing: bool,
}

impl Settings {
    pub fn from_options(options: &CreateOptions) -> Settings {
        Settings {
            source: options.create_source.unwrap_or(Source::Account),
            policy: options.on_conflict.unwrap_or(ConflictPolicy::Fail),
            create_missing: options.create_missing.unwrap_or(false),
        }
    }
}

/// Creates one record; `create-v2` uses it for its mapped records.
pub fn create_one(
    client: &Client,
    catalog: &Catalog,
    mut contact: Contact,
    settings: &Settings,
) -> Outcome {
    if let Some(outcome) = catalog::unattempted(catalog, &contact) {
        return outcome;
    }
    let mut notes = Vec::new();
    if let Some(email) = &mut contact.email_address {
        let normalised = normalise_email(&email.address);
        if normalised != email.address {
            notes.push(normalised_note(&email.address, &normalised));
            email.address = normalised;
        }
    }
    let mut resolved = match resolve(catalog, client, &mut contact, settings.create_missing) {
        Ok(resolved) => resolved,
        Err(error) => return Outcome::Failed(error),
    };
    let mut sent = resolved.with_stand_ins(&contact);
    resolved.add_to(&mut sent);
    let problems = validate_contact(&sent);
    if !problems.is_empty() {
        return Outcome::Failed(validation("the contact", problems));
    }
    if resolved.has_missing() {
        if let Err(error) = resolved.make_missing(catalog, client, &mut contact) {
            return Outcome::Failed(error);
        }
        sent = contact.clone();
        resolved.add_to(&mut sent);
    }
    notes.extend(resolved.notes.iter().cloned());

    let mut body = contact_to_write(&sent, WriteKind::Create);
    body.create_source = Some(source_to_wire(settings.source));
    let record = Record {
        contact: &contact,
        resolved: &resolved,
    };
    let outcome = post_until_settled(
        client,
        record,
        &body,
        settings.source,
        settings.policy,
        notes,
    );
    resolved.tell(outcome)
}

/// A record on its way: its contact with ids resolved, and its named custom values, which
/// a merge into an existing contact lays over that contact's own.
#[derive(Clone, Copy)]
struct Record<'a> {
    contact: &'a Contact,
    resolved: &'a Resolved,
}

/// Posts the contact, settling uncertain failures by looking the address up before any
/// second POST; see the module documentation.
fn post_until_settled(
    client: &Client,
    record: Record<'_>,
    body: &ContactWrite,
    source: Source,
    policy: ConflictPolicy,
    mut notes: Vec<String>,
) -> Outcome {
    let contact = record.contact;
    let email = contact
        .email_address
        .as_ref()
        .map(|e| e.address.clone())
        .filter(|a| !a.is_empty());
    let max_attempts = client.retry().policy().max_attempts;
    // When the first attempt with an uncertain outcome left, by the wall clock.
    let mut uncertain_since: Option<i64> = None;
    let mut attempt = 1;
    loop {
        let sent_at = wall_now_secs();
        let error = match client.post_json("/contacts", body, Access::WriteContacts) {
            Ok(response) => return created(client, &response, notes),
            Err(Error::Conflict(conflict)) => {
                if let (Some(since), Some(email)) = (uncertain_since, &email)
                    && let Ok(Some(holder)) = lookup::by_email(client, email, false)
                    && is_our_attempt(&holder, contact, source, since)
                {
                    return landed(holder, notes);
                }
                return on_conflict(client, record, conflict, source, policy, notes);
            }
            Err(error) if is_uncertain(&error) => error,
            Err(error) => return Outcome::Failed(error),
        };
        let since = *uncertain_since.get_or_insert(sent_at);
        let Some(email) = &email else {
            return Outcome::Failed(error);
        };

        if attempt < max_attempts {
            let reason = retry_reason(&error, Safety::Idempotent)
                .unwrap_or_else(|| "an uncertain failure".into());
            let reason = format!("{reason}; the address is looked up before posting again");
            let line = "POST /v3/contacts";
            if let Err(stop) = client.pause_before_retry(attempt, line, &reason, &error) {
                return Outcome::Failed(stop);
            }
        }

        match lookup::by_email(client, email, false) {
            Ok(Some(holder)) if is_our_attempt(&holder, contact, source, since) => {
                return landed(holder, notes);
            }
            Ok(Some(holder)) => {
                let Some(id) = holder.contact_id.clone() else {
                    return Outcome::Failed(error);
                };
                notes.push(format!(
                    "an earlier attempt failed ({}); the address was then found on another contact",
                    crate::errors::summary(&error)
                ));
                let conflict = ConflictFailure {
                    failure: ApiFailure {
                        status: 409,
                        error_key: None,
                        message: format!(
                            "failed to create the contact: email address \"{email}\" already \
                             belongs to contact \"{id}\""
                        ),
                    },
                    existing_contact_id: Some(id),
                };
                return on_conflict(client, record, conflict, source, policy, notes);
            }
            Ok(None) if attempt < max_attempts => attempt += 1,
            Ok(None) => return Outcome::Failed(error),
            Err(lookup_error) => return Outcome::Failed(lookup_error),
        }
    }
}

/// The outcome of a 2xx answer to the POST.
fn created(client: &Client, response: &ApiResponse, notes: Vec<String>) -> Outcome {
    let id = client
        .read_json::<ContactResource>(response, "the created contact")
        .and_then(|r| lookup::id_of(&r, response.status));
    match id {
        Ok(contact_id) => Outcome::Created(Written {
            contact_id,
            notes,
            losses: Vec::new(),
        }),
        Err(error) => Outcome::Failed(error),
    }
}

/// The outcome when an earlier attempt, whose answer was lost, created the contact.
fn landed(holder: ContactResource, mut notes: Vec<String>) -> Outcome {
    match lookup::id_of(&holder, 200) {
        Ok(contact_id) => {
            notes.push(
                "the answer to the create was lost; the contact it created was found by its \
                 email address"
                    .into(),
            );
            Outcome::Created(Written {
                contact_id,
                notes,
                losses: Vec::new(),
            })
        }
        Err(error) => Outcome::Failed(error),
    }
}

/// Finds who holds the address (from the message, else by lookup) and applies the policy.
fn on_conflict(
    client: &Client,
    record: Record<'_>,
    conflict: ConflictFailure,
    source: Source,
    policy: ConflictPolicy,
    mut notes: Vec<String>,
) -> Outcome {
    let contact = record.contact;
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
            let changes = without_initial_consent(contact, &existing, &mut notes);
            match apply_and_put(
                client,
                existing,
                &changes,
                record.resolved,
                &[],
                &update::Settings {
                    mode: UpdateMode::Merge,
                    source,
                    create_missing: false,
                    email_only: false,
                },
                notes,
            ) {
                Ok(written) => Outcome::Updated(written),
                Err(error) => Outcome::Failed(error),
            }
        }
    }
}

/// A create record's permission is the consent a new contact starts with; merged into a
/// contact that exists, it would overwrite that contact's own. Only an opt-out is carried
/// over; any other permission is kept as the contact has it, and the note says so.
fn without_initial_consent(
    contact: &Contact,
    existing: &ContactResource,
    notes: &mut Vec<String>,
) -> Contact {
    let mut changes = contact.clone();
    let current = existing
        .email_address
        .as_ref()
        .and_then(|e| e.permission_to_send.clone());
    if let Some(email) = changes.email_address.as_mut()
        && let Some(asked) = email.permission_to_send
        && asked != Permission::Unsubscribed
        && current.as_deref() != Some(permission_to_wire(asked))
    {
        email.permission_to_send = None;
        notes.push(format!(
            "email_address.permission_to_send: kept \"{}\" instead of \"{}\": a create \
             record's permission does not change an existing contact's",
            current.as_deref().unwrap_or("unknown"),
            permission_to_wire(asked)
        ));
    }
    changes
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
mod consent_tests;
#[cfg(test)]
mod tests;
