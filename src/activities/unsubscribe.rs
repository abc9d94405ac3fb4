//! Delete's `unsubscribe` mode: opts each target's address out (`permission_to_send:
//! unsubscribed`, with the reason given) instead of soft-deleting it, for mappings that
//! relied on the v2 API's delete meaning opt-out. The PUT sends the contact's current core
//! fields back, since the API clears those a PUT leaves out; subresources are left out and
//! kept. A deleted contact is skipped, because any PUT would restore it.

use super::delete::find;
use super::lookup::{self, is_deleted};
use super::update::{Settings, apply_and_put};
use crate::api::client::Client;
use crate::blank;
use crate::catalog::Resolved;
use crate::errors::{field, validation};
use crate::outcomes::{Activity, run_batch};
use crate::wit::{
    ContactRef, EmailAddress, Error, Outcome, Permission, Skip, Source, Unsubscription, UpdateMode,
};

pub fn run(client: &Client, records: Vec<ContactRef>, reason: Option<&str>) -> Vec<Outcome> {
    run_batch(client, Activity::Delete, records, |target| {
        unsubscribe_one(client, &target, reason).unwrap_or_else(Outcome::Failed)
    })
}

fn unsubscribe_one(
    client: &Client,
    target: &ContactRef,
    reason: Option<&str>,
) -> Result<Outcome, Error> {
    let existing = find(client, target)?;
    let contact_id = lookup::id_of(&existing, 200)?;
    if is_deleted(&existing) {
        return Ok(Outcome::Skipped(Skip {
            contact_id: Some(contact_id),
            reason: "the contact is deleted; unsubscribing it would restore it, so it was left \
                     alone"
                .into(),
        }));
    }
    let Some(current) = existing.email_address.as_ref() else {
        return Err(no_address());
    };
    let Some(address) = current.address.clone().filter(|a| !a.is_empty()) else {
        return Err(no_address());
    };
    if current.permission_to_send.as_deref() == Some("unsubscribed") {
        return Ok(Outcome::Unsubscribed(Unsubscription {
            contact_id,
            already_unsubscribed: true,
        }));
    }

    let mut changes = blank::contact();
    changes.email_address = Some(EmailAddress {
        permission_to_send: Some(Permission::Unsubscribed),
        opt_out_reason: reason.map(str::to_owned),
        ..blank::email(&address)
    });
    let settings = Settings {
        mode: UpdateMode::Merge,
        source: Source::Account,
        create_missing: false,
        email_only: true,
    };
    let written = apply_and_put(
        client,
        existing,
        &changes,
        &Resolved::default(),
        &[],
        &settings,
        Vec::new(),
    )?;
    Ok(Outcome::Unsubscribed(Unsubscription {
        contact_id: written.contact_id,
        already_unsubscribed: false,
    }))
}

fn no_address() -> Error {
    validation(
        "the unsubscribe",
        vec![field(
            "email_address",
            "the contact has no email address to opt out",
        )],
    )
}

#[cfg(test)]
mod tests;
