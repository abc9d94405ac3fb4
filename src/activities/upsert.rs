//! Create's `upsert` mode: `POST /contacts/sign_up_form`, which creates the contact or
//! updates the one holding the address, adding lists and custom field values to its own.
//!
//! The endpoint records every contact it touches as having given explicit permission, even
//! one that had opted out. So the mode runs only when the caller states that the contacts
//! consented, and each address is looked up first: an unsubscribed contact is skipped with
//! a reason, never opted back in. (A contact that unsubscribes between that read and the
//! POST is not caught; the README lists this.) Everything the flat body cannot carry is
//! refused before sending, except a phone number's kind, which is reported as dropped.
//! Sending the form twice does what sending it once does, so failed attempts are retried.

use super::lookup::{self, is_deleted};
use crate::api::client::Client;
use crate::api::errors::Access;
use crate::api::wire::{ContactResource, SignUpAnswer, SignUpForm};
use crate::catalog::{self, Catalog, resolve};
use crate::convert::{WriteKind, contact_to_write};
use crate::errors::{bad_response, field, invalid_config, validation, with_note};
use crate::merge::normalised_note;
use crate::outcomes::{Activity, run_batch};
use crate::validate::{normalise_email, validate_contact};
use crate::wit::{
    Contact, CreateOptions, Error, FieldError, FieldLoss, LossKind, Outcome, Skip, Written,
};

/// The sign-up form takes shorter addresses than the contact resource.
const MAX_FORM_EMAIL: usize = 50;

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

/// Upserts one record once the caller's consent statement is checked; `create-v2` uses it
/// for its mapped records.
pub fn upsert_checked(
    client: &Client,
    catalog: &Catalog,
    record: Contact,
    options: &CreateOptions,
) -> Outcome {
    if let Some(outcome) = catalog::unattempted(catalog, &record) {
        return outcome;
    }
    if options.contacts_gave_consent != Some(true) {
        return Outcome::Failed(invalid_config(
            "failed to upsert the contact: the sign-up form records explicit permission to \
             email every contact it writes, so upsert needs contacts-gave-consent set to true",
        ));
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
    let problems = uncarried(&contact, &address);
    if !problems.is_empty() {
        return Err(validation("the upsert", problems));
    }

    let mut resolved = resolve(catalog, client, &mut contact, create_missing)?;
    resolved.add_to(&mut contact);
    let mut problems = validate_contact(&resolved.with_stand_ins(&contact));
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
        let permission = holder
            .email_address
            .as_ref()
            .and_then(|e| e.permission_to_send.as_deref());
        if permission == Some("unsubscribed") {
            return Ok(Outcome::Skipped(Skip {
                contact_id: holder.contact_id.clone(),
                reason: format!(
                    "email address \"{address}\" unsubscribed; upsert would record explicit \
                     permission for it, so the contact was left alone"
                ),
            }));
        }
        if is_deleted(holder) {
            notes.push("the contact had been deleted; the upsert restored it".into());
        }
    }
    if resolved.has_missing() {
        resolved.make_missing(catalog, client, &mut contact)?;
    }
    notes.extend(resolved.notes.iter().cloned());
    send(client, &contact, address, holder, notes, losses).map_err(|error| match resolved.made() {
        Some(made) => with_note(error, &made),
        None => error,
    })
}

/// Sends the form and tells from the earlier lookup whether it created or updated.
fn send(
    client: &Client,
    contact: &Contact,
    address: String,
    holder: Option<ContactResource>,
    notes: Vec<String>,
    losses: Vec<FieldLoss>,
) -> Result<Outcome, Error> {
    let body = form(contact, address);
    let response =
        client.post_json_repeatable("/contacts/sign_up_form", &body, Access::WriteContacts)?;
    let answer: SignUpAnswer = client.read_json(&response, "the sign-up form's answer")?;
    let contact_id = answer
        .contact_id
        .filter(|id| !id.is_empty())
        .or_else(|| holder.as_ref().and_then(|h| h.contact_id.clone()))
        .ok_or_else(|| {
            bad_response(
                response.status,
                "failed to read the sign-up form's answer: it names no contact".into(),
            )
        })?;
    let written = Written {
        contact_id,
        notes,
        losses,
    };
    // A contact that existed before was updated, whatever status a retried request met.
    Ok(if holder.is_some() {
        Outcome::Updated(written)
    } else {
        Outcome::Created(written)
    })
}

/// The record's fields the flat sign-up body has no place for.
fn uncarried(contact: &Contact, address: &str) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if address.chars().count() > MAX_FORM_EMAIL {
        problems.push(field(
            "email_address.address",
            format!("is longer than {MAX_FORM_EMAIL} characters, the sign-up form's limit"),
        ));
    }
    if let Some(email) = &contact.email_address {
        if email.permission_to_send.is_some() {
            problems.push(field(
                "email_address.permission_to_send",
                "cannot be set by upsert: the sign-up form records explicit permission itself",
            ));
        }
        if email.opt_in_source.is_some() {
            problems.push(field(
                "email_address.opt_in_source",
                "cannot be set by upsert: the sign-up form records the contact as the source",
            ));
        }
        if email.opt_out_reason.as_ref().is_some_and(|r| !r.is_empty()) {
            problems.push(field(
                "email_address.opt_out_reason",
                "cannot be set by upsert",
            ));
        }
    }
    let given = |items: Option<usize>| items.unwrap_or(0) > 0;
    for (name, items) in [
        ("taggings", contact.taggings.as_ref().map(Vec::len)),
        ("tags", contact.tags.as_ref().map(Vec::len)),
    ] {
        if given(items) {
            problems.push(field(
                name,
                "cannot be carried by upsert; use create, or update afterwards",
            ));
        }
    }
    if given(contact.notes.as_ref().map(Vec::len)) {
        problems.push(field(
            "notes",
            "cannot be carried by upsert; use create, or update afterwards",
        ));
    }
    if contact.phone_numbers.as_ref().is_some_and(|p| p.len() > 1) {
        problems.push(field(
            "phone_numbers",
            "upsert carries one phone number at most",
        ));
    }
    if contact
        .street_addresses
        .as_ref()
        .is_some_and(|a| a.len() > 1)
    {
        problems.push(field(
            "street_addresses",
            "upsert carries one street address at most",
        ));
    }
    problems
}

/// The flat body, from the checked contact.
fn form(contact: &Contact, address: String) -> SignUpForm {
    let full = contact_to_write(contact, WriteKind::Create);
    SignUpForm {
        email_address: address,
        first_name: full.first_name,
        last_name: full.last_name,
        job_title: full.job_title,
        company_name: full.company_name,
        phone_number: full
            .phone_numbers
            .and_then(|p| p.into_iter().next())
            .map(|p| p.phone_number),
        list_memberships: full.list_memberships.unwrap_or_default(),
        custom_fields: full.custom_fields.filter(|c| !c.is_empty()),
        anniversary: full.anniversary,
        birthday_month: full.birthday_month,
        birthday_day: full.birthday_day,
        street_address: full.street_addresses.and_then(|a| a.into_iter().next()),
    }
}

#[cfg(test)]
mod tests;
