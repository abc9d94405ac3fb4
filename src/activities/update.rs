//! The `update` activity: finds each target contact (by id, or by email with `status=all`),
//! applies the record in merge or replace mode, checks the result and sends it with
//! `PUT /contacts/{id}`. Create's `on-conflict: update` reuses the apply-and-send step.

use super::lookup::{self, checked_email, checked_id, is_deleted, no_contact_with};
use crate::api::client::Client;
use crate::api::errors::Access;
use crate::api::wire::ContactResource;
use crate::catalog::{self, Catalog, Resolved, resolve};
use crate::convert::{
    WriteKind, contact_from_wire, contact_to_write, permission_to_wire, source_to_wire,
};
use crate::errors::validation;
use crate::merge::{Applied, merge, replace};
use crate::outcomes::{Activity, run_batch};
use crate::url::encode;
use crate::validate::validate_contact;
use crate::wit::{
    Contact, ContactField, ContactRef, ContactUpdate, Error, Outcome, Permission, Source,
    UpdateMode, UpdateOptions, Written,
};

const RESTORED: &str = "the contact had been deleted; this update restored it";

pub fn run(
    client: &Client,
    catalog: &Catalog,
    records: Vec<ContactUpdate>,
    options: &UpdateOptions,
) -> Vec<Outcome> {
    catalog.start_call();
    let settings = Settings::from_options(options);
    run_batch(client, Activity::Update, records, |record| {
        if let Some(outcome) = catalog::unattempted(catalog, &record.changes) {
            return outcome;
        }
        match update_one(client, catalog, &record, &settings) {
            Ok(written) => Outcome::Updated(written),
            Err(error) => Outcome::Failed(error),
        }
    })
}

/// How every record of one update call is applied.
pub struct Settings {
    pub mode: UpdateMode,
    pub source: Source,
    pub create_missing: bool,
    /// Check only the email address fields: an opt-out must not be blocked by a stored
    /// field the connector's own checks would refuse.
    pub email_only: bool,
}

impl Settings {
    pub fn from_options(options: &UpdateOptions) -> Settings {
        Settings {
            mode: options.mode.unwrap_or(UpdateMode::Merge),
            source: options.update_source.unwrap_or(Source::Account),
            create_missing: options.create_missing.unwrap_or(false),
            email_only: false,
        }
    }
}

/// Updates one record; `update-v2` uses it for its mapped records.
pub fn update_one(
    client: &Client,
    catalog: &Catalog,
    record: &ContactUpdate,
    settings: &Settings,
) -> Result<Written, Error> {
    // Named custom values are laid over the current ones, so those must be read too.
    let whole = settings.mode == UpdateMode::Merge || record.changes.custom.is_some();
    let existing = match &record.target {
        ContactRef::Id(id) => lookup::by_id(client, &checked_id("target.id", id)?, whole)?,
        ContactRef::Email(email) => {
            let email = checked_email("target.email", email)?;
            lookup::by_email(client, &email, whole)?.ok_or_else(|| no_contact_with(&email))?
        }
    };
    let mut changes = record.changes.clone();
    let mut resolved = resolve(catalog, client, &mut changes, settings.create_missing)?;
    if resolved.has_missing() {
        // Nothing is made for an update that would be refused anyway.
        let current = contact_from_wire(existing.clone());
        apply(
            &current,
            &resolved.with_stand_ins(&changes),
            &resolved,
            &record.clear,
            settings,
            stored_permission(&existing),
            &mut Vec::new(),
        )?;
        resolved.make_missing(catalog, client, &mut changes)?;
    }
    let notes = resolved.notes.clone();
    apply_and_put(
        client,
        existing,
        &changes,
        &resolved,
        &record.clear,
        settings,
        notes,
    )
    .map_err(|error| resolved.noted(error))
}

/// Applies the changes to the existing contact, checks the result and sends the PUT.
/// `notes` are the caller's notes so far; the outcome's notes add to them.
pub fn apply_and_put(
    client: &Client,
    existing: ContactResource,
    changes: &Contact,
    resolved: &Resolved,
    clear: &[ContactField],
    settings: &Settings,
    mut notes: Vec<String>,
) -> Result<Written, Error> {
    let id = lookup::id_of(&existing, 200)?;
    let was_deleted = is_deleted(&existing);
    let stored = stored_permission(&existing).map(str::to_owned);
    let existing = contact_from_wire(existing);
    let applied = apply(
        &existing,
        changes,
        resolved,
        clear,
        settings,
        stored.as_deref(),
        &mut notes,
    )?;

    let mut body = contact_to_write(&applied.contact, WriteKind::Update);
    body.update_source = Some(source_to_wire(settings.source));
    let response = client.put_json(
        &format!("/contacts/{}", encode(&id)),
        &body,
        Access::WriteContacts,
    )?;

    notes.extend(applied.notes);
    if was_deleted {
        notes.push(RESTORED.to_owned());
    }
    // The id is known already; an answer without a readable body still means success.
    let written_id = client
        .read_json::<ContactResource>(&response, "the updated contact")
        .ok()
        .and_then(|r| r.contact_id)
        .filter(|answered| !answered.is_empty())
        .unwrap_or(id);
    Ok(Written {
        contact_id: written_id,
        notes,
        losses: Vec::new(),
    })
}

/// The contact the PUT would send, checked; `notes` gains what was kept from it.
fn apply(
    existing: &Contact,
    changes: &Contact,
    resolved: &Resolved,
    clear: &[ContactField],
    settings: &Settings,
    stored: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<Applied, Error> {
    let mode = settings.mode;
    let mut changes = changes.clone();
    resolved.lay_over(existing, &mut changes);
    let mut applied = match mode {
        UpdateMode::Merge => merge(existing, &changes, clear),
        UpdateMode::Replace => replace(existing, &changes, clear),
    }
    .map_err(|fields| validation("the update", fields))?;
    if let Some(note) = guard_consent(existing, stored, &mut applied.contact) {
        notes.push(note);
    }
    let mut problems = validate_contact(&applied.contact);
    if settings.email_only {
        problems.retain(|p| p.field.starts_with("email_address"));
    }
    if !problems.is_empty() {
        return Err(validation("the updated contact", problems));
    }
    Ok(applied)
}

/// The permission exactly as the API stored it.
fn stored_permission(existing: &ContactResource) -> Option<&str> {
    existing
        .email_address
        .as_ref()
        .and_then(|e| e.permission_to_send.as_deref())
}

/// Consent moves only the ways the account may move it. An unsubscribed contact stays
/// unsubscribed: only the contact can opt in again (the API's resubscribe flow asks them to
/// confirm). A contact waiting to confirm a subscription is not marked as having given
/// permission: only their confirmation does that. A record that asks otherwise, often a
/// stale value from an earlier export, keeps the current permission, the rest of the update
/// goes ahead, and the returned note says what was kept; any other change of permission is
/// noted too, so none goes unseen.
fn guard_consent(
    existing: &Contact,
    stored: Option<&str>,
    applied: &mut Contact,
) -> Option<String> {
    existing.email_address.as_ref()?;
    let email = applied.email_address.as_mut()?;
    let asked = email.permission_to_send?;
    let Some(was) = existing
        .email_address
        .as_ref()
        .and_then(|e| e.permission_to_send)
    else {
        // A permission the connector cannot read may be one no write should change; only an
        // opt-out, always allowed, goes ahead.
        let shown = stored.map_or("none".to_owned(), |s| format!("\"{s}\""));
        if asked == Permission::Unsubscribed {
            return Some(format!(
                "email_address.permission_to_send: changed from {shown} to \"unsubscribed\""
            ));
        }
        email.permission_to_send = None;
        return Some(format!(
            "email_address.permission_to_send: kept the stored permission ({shown}) instead of \
             \"{}\": the connector cannot tell whether that change is allowed",
            permission_to_wire(asked)
        ));
    };
    if asked == was {
        return None;
    }
    let why = match (was, asked) {
        (Permission::Unsubscribed, _) => {
            "the contact opted out, and only the contact can opt in again"
        }
        (Permission::PendingConfirmation, Permission::Explicit | Permission::Implicit) => {
            "the contact has not confirmed the subscription yet, and only their confirmation \
             opts them in"
        }
        (Permission::TempHold, asked) if asked != Permission::Unsubscribed => {
            "Constant Contact put the address on hold, and a write does not lift the hold"
        }
        _ => {
            return Some(format!(
                "email_address.permission_to_send: changed from \"{}\" to \"{}\"",
                permission_to_wire(was),
                permission_to_wire(asked)
            ));
        }
    };
    email.permission_to_send = Some(was);
    Some(format!(
        "email_address.permission_to_send: kept \"{}\" instead of \"{}\": {why}",
        permission_to_wire(was),
        permission_to_wire(asked)
    ))
}

#[cfg(test)]
mod tests;
