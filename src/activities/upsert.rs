//! Create's `upsert` mode: `POST /contacts/sign_up_form`, which creates the contact or
//! updates the one holding the address, adding lists and custom field values to its own.
//!
//! The endpoint records every contact it touches as having given explicit permission, even
//! one that had opted out. So the mode runs only when the caller states that the contacts
//! consented, and each address is looked up first: a contact that unsubscribed, or that has
//! yet to confirm a subscription (or is on hold), is skipped with a reason; any other change
//! to `explicit` is noted. (A contact that unsubscribes between that read and the POST is
//! not caught; the README lists this.) Everything the flat body cannot carry is refused
//! before sending (`form`), except a phone number's kind, which is reported as dropped.
//!
//! Sending the form again for a contact that already existed does what sending it once did.
//! For a new address it does not: with confirmed opt-in, a second form would confirm the
//! contact the first one created. So a form for a new address is sent like a create: after
//! an uncertain failure the address is looked up, and the contact found is the outcome.

mod form;

use super::lookup::{self, id_of, is_deleted};
use crate::api::client::{ApiResponse, Client};
use crate::api::errors::Access;
use crate::api::retry::{Safety, is_uncertain, retry_reason};
use crate::api::wire::{ContactResource, SignUpAnswer, SignUpForm};
use crate::catalog::{self, Catalog, resolve};
use crate::errors::{bad_response, field, invalid_config, validation};
use crate::merge::normalised_note;
use crate::outcomes::{Activity, run_batch};
use crate::validate::{normalise_email, validate_contact};
use crate::wit::{Contact, CreateOptions, Error, FieldLoss, LossKind, Outcome, Skip, Written};

const FORM: &str = "/contacts/sign_up_form";

pub fn run(
    client: &Client,
    catalog: &Catalog,
    records: Vec<Contact>,
    options: &CreateOptions,
) -> Vec<Outcome> {
    catalog.start_call();
    run_batch(client, Activity::Create, records, |record| {
        upsert_checked(client, catalog, record, options)
    })
}

/// Why the batch may not be upserted: the caller did not state the contacts' consent.
pub fn refusal(options: &CreateOptions) -> Option<Error> {
    (options.contacts_gave_consent != Some(true)).then(|| {
        invalid_config(
            "failed to upsert the contact: the sign-up form records explicit permission to \
             email every contact it writes, so upsert needs contacts-gave-consent set to true",
        )
    })
}

/// Upserts one record once the caller's consent statement is checked; `create-v2` uses it
/// for its mapped records.
pub fn upsert_checked(
    client: &Client,
    catalog: &Catalog,
    record: Contact,
    options: &CreateOptions,
) -> Outcome {
    if let Some(error) = refusal(options) {
        return Outcome::Failed(error);
    }
    if let Some(outcome) = catalog::unattempted(catalog, &record) {
        return outcome;
    }
    let create_missing = options.create_missing.unwrap_or(false);
    upsert_one(client, catalog, record, create_missing).unwrap_or_else(Outcome::Failed)
}

fn upsert_one(
    client: &Client,
    catalog: &Catalog,
    mut contact: Contact,
    create_missing: bool,
) -> Result<Outcome, Error> {
    let mut notes = Vec::new();
    let mut losses = Vec::new();
    let address = match &contact.email_address {
        Some(email) if !email.address.trim().is_empty() => {
            let normalised = normalise_email(&email.address);
            if normalised != email.address {
                notes.push(normalised_note(&email.address, &normalised));
            }
            normalised
        }
        _ => {
            return Err(validation(
                "the upsert",
                vec![field(
                    "email_address.address",
                    "is required: upsert matches contacts by email address",
                )],
            ));
        }
    };
    if let Some(email) = &mut contact.email_address {
        email.address = address.clone();
    }
    let problems = form::uncarried(&contact, &address);
    if !problems.is_empty() {
        return Err(validation("the upsert", problems));
    }

    let mut resolved = resolve(catalog, client, &mut contact, create_missing)?;
    let mut problems = form::uncarried_values(&resolved, &contact);
    resolved.add_to(&mut contact);
    problems.extend(validate_contact(&resolved.with_stand_ins(&contact)));
    let no_lists = contact.list_memberships.as_ref().is_none_or(Vec::is_empty);
    if no_lists && !resolved.makes_lists() {
        problems.push(field(
            "list_memberships",
            "upsert needs at least one list (by id in list_memberships or by name in lists)",
        ));
    }
    if !problems.is_empty() {
        return Err(validation("the upsert", problems));
    }
    if let Some(kind) = contact
        .phone_numbers
        .iter()
        .flatten()
        .next()
        .and_then(|p| p.kind)
    {
        losses.push(FieldLoss {
            field: "phone_numbers[0].kind".into(),
            kind: LossKind::Dropped,
            detail: format!(
                "the sign-up form takes a phone number without a kind, so \"{}\" was not kept",
                crate::convert::phone_kind_to_wire(kind)
            ),
        });
    }

    let holder = lookup::by_email(client, &address, false)?;
    if let Some(holder) = &holder {
        if let Some(skip) = left_alone(holder, &address) {
            return Ok(Outcome::Skipped(skip));
        }
        if is_deleted(holder) {
            notes.push("the contact had been deleted; the upsert restored it".into());
        }
        if let Some(was) = permission_of(holder).filter(|p| *p != "explicit") {
            notes.push(format!(
                "email_address.permission_to_send: changed from \"{was}\" to \"explicit\" by \
                 the sign-up form"
            ));
        }
    }
    if resolved.has_missing() {
        resolved.make_missing(catalog, client, &mut contact)?;
    }
    notes.extend(resolved.notes.iter().cloned());

    let body = form::form(&contact, address.clone());
    let sent =
        send(client, &body, &address, holder.as_ref()).map_err(|error| resolved.noted(error))?;
    let (contact_id, existed) = match sent {
        Sent::Answered(response) => (
            answered_id(client, &response, holder.as_ref())?,
            holder.is_some(),
        ),
        Sent::Landed(id) => {
            notes.push(
                "the answer to the sign-up form was lost; the contact it created was found by \
                 its email address"
                    .into(),
            );
            (id, false)
        }
    };
    let written = Written {
        contact_id,
        notes,
        losses,
    };
    Ok(if existed {
        Outcome::Updated(written)
    } else {
        Outcome::Created(written)
    })
}

fn permission_of(holder: &ContactResource) -> Option<&str> {
    holder
        .email_address
        .as_ref()
        .and_then(|e| e.permission_to_send.as_deref())
}

/// The skip for a contact whose consent the form must not overwrite. Only the permissions
/// the account may raise to `explicit` let the form through; anything else, a permission the
/// connector does not know or none at all included, leaves the contact alone.
fn left_alone(holder: &ContactResource, address: &str) -> Option<Skip> {
    let permission = permission_of(holder);
    let why = match permission {
        Some("explicit" | "implicit" | "not_set") => return None,
        Some("unsubscribed") => "unsubscribed".to_owned(),
        Some("pending_confirmation") => {
            "has not confirmed its subscription yet (pending_confirmation)".to_owned()
        }
        Some("temp_hold") => "is on hold (temp_hold)".to_owned(),
        Some(other) => format!("has a permission the connector does not know (\"{other}\")"),
        None => "has no permission the connector could read".to_owned(),
    };
    Some(Skip {
        contact_id: holder.contact_id.clone(),
        reason: format!(
            "email address \"{address}\" {why}; upsert would record explicit permission for \
             it, so the contact was left alone"
        ),
    })
}

/// How the form went.
enum Sent {
    Answered(ApiResponse),
    /// An attempt whose answer was lost created this contact.
    Landed(String),
}

/// Sends the form. For an existing contact a failed attempt is simply sent again; for a new
/// address an uncertain one is settled by looking the address up first.
fn send(
    client: &Client,
    body: &SignUpForm,
    address: &str,
    holder: Option<&ContactResource>,
) -> Result<Sent, Error> {
    if holder.is_some() {
        return client
            .post_json_repeatable(FORM, body, Access::WriteContacts)
            .map(Sent::Answered);
    }
    let max_attempts = client.retry().policy().max_attempts;
    let mut attempt = 1;
    loop {
        let error = match client.post_json(FORM, body, Access::WriteContacts) {
            Ok(response) => return Ok(Sent::Answered(response)),
            Err(error) if is_uncertain(&error) => error,
            Err(error) => return Err(error),
        };
        if attempt < max_attempts {
            let reason = retry_reason(&error, Safety::Idempotent)
                .unwrap_or_else(|| "an uncertain failure".into());
            let reason = format!("{reason}; the address is looked up before sending again");
            client.pause_before_retry(
                attempt,
                "POST /v3/contacts/sign_up_form",
                &reason,
                &error,
            )?;
        }
        if let Some(found) = lookup::by_email(client, address, false)? {
            // Someone holds the address now: most likely the lost attempt's contact. One
            // already `explicit` takes the form again harmlessly, which makes sure the
            // record's lists and values are on it; any other is left as it stands, since a
            // second form would confirm a contact that must confirm by itself.
            if permission_of(&found) == Some("explicit") {
                return client
                    .post_json_repeatable(FORM, body, Access::WriteContacts)
                    .map(Sent::Answered);
            }
            return id_of(&found, 200).map(Sent::Landed);
        }
        if attempt >= max_attempts {
            return Err(error);
        }
        attempt += 1;
    }
}

/// The contact the form's answer names, or the one looked up before.
fn answered_id(
    client: &Client,
    response: &ApiResponse,
    holder: Option<&ContactResource>,
) -> Result<String, Error> {
    let answer: SignUpAnswer = client.read_json(response, "the sign-up form's answer")?;
    answer
        .contact_id
        .filter(|id| !id.is_empty())
        .or_else(|| holder.and_then(|h| h.contact_id.clone()))
        .ok_or_else(|| {
            bad_response(
                response.status,
                "failed to read the sign-up form's answer: it names no contact".into(),
            )
        })
}

#[cfg(test)]
mod tests;
