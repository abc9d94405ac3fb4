//! `create-v2` and `update-v2`: records in the v2 contact model of Constant Contact's Java
//! SDK, mapped to v3 (`mapping`) and then written exactly as `create` and `update` write
//! v3 records. v2 list ids are translated through the API's cross-reference; each outcome
//! carries the fields that were carried only approximately or not at all.

mod mapping;

#[cfg(test)]
mod tests;

use crate::activities::{create, update, upsert};
use crate::api::client::Client;
use crate::catalog::Catalog;
use crate::errors::{field, validation};
use crate::outcomes::{Activity, run_batch};
use crate::wit::{
    ContactUpdate, CreateMode, CreateOptions, Error, FieldLoss, LossKind, Outcome, Permission,
    UpdateOptions, V2Contact, V2Update,
};

pub use mapping::{Mapped, Use, to_v3};

pub fn create(
    client: &Client,
    catalog: &Catalog,
    records: Vec<V2Contact>,
    options: &CreateOptions,
) -> Vec<Outcome> {
    catalog.start_call();
    let upsert = options.mode == Some(CreateMode::Upsert);
    let settings = create::Settings::from_options(options);
    run_batch(client, Activity::Create, records, |record| {
        if upsert && let Some(error) = upsert::refusal(options) {
            return Outcome::Failed(error);
        }
        if let Some(outcome) = unattempted(catalog, &record) {
            return outcome;
        }
        let mut mapped = match map(client, catalog, &record, Use::Create) {
            Ok(mapped) => mapped,
            Err(error) => return Outcome::Failed(error),
        };
        if upsert && let Err(error) = leave_consent_to_the_form(&mut mapped, &record) {
            return Outcome::Failed(error);
        }
        let outcome = if upsert {
            upsert::upsert_checked(client, catalog, mapped.contact, options)
        } else {
            create::create_one(client, catalog, mapped.contact, &settings)
        };
        with_losses(in_v2_terms(outcome, &record), mapped.losses)
    })
}

pub fn update(
    client: &Client,
    catalog: &Catalog,
    records: Vec<V2Update>,
    options: &UpdateOptions,
) -> Vec<Outcome> {
    catalog.start_call();
    let settings = update::Settings::from_options(options);
    run_batch(client, Activity::Update, records, |record| {
        if let Some(outcome) = unattempted(catalog, &record.changes) {
            return outcome;
        }
        let mapped = match map(client, catalog, &record.changes, Use::Update) {
            Ok(mapped) => mapped,
            Err(error) => return Outcome::Failed(error),
        };
        let v3 = ContactUpdate {
            target: record.target,
            changes: mapped.contact,
            clear: Vec::new(),
        };
        let outcome = match update::update_one(client, catalog, &v3, &settings) {
            Ok(written) => Outcome::Updated(written),
            Err(error) => Outcome::Failed(error),
        };
        with_losses(in_v2_terms(outcome, &record.changes), mapped.losses)
    })
}

/// The outcome of a record that needs the account's lists or custom fields when reading
/// them already failed in this call.
fn unattempted(catalog: &Catalog, record: &V2Contact) -> Option<Outcome> {
    let names = record.custom_fields.is_some()
        || record
            .lists
            .iter()
            .flatten()
            .any(|l| !crate::uuid::is_uuid(l.id.trim()));
    if !names {
        return None;
    }
    catalog.broken().map(Outcome::NotAttempted)
}

/// Maps the record and translates its v2 list ids.
fn map(
    client: &Client,
    catalog: &Catalog,
    record: &V2Contact,
    usage: Use,
) -> Result<Mapped, Error> {
    let mut mapped = to_v3(record, usage).map_err(|fields| validation("the v2 contact", fields))?;
    if mapped.v2_list_ids.is_empty() {
        return Ok(mapped);
    }
    let wanted: Vec<String> = mapped
        .v2_list_ids
        .iter()
        .map(|(_, id)| id.clone())
        .collect();
    let found = catalog.v3_list_ids(client, &wanted)?;
    let mut problems = Vec::new();
    let ids = mapped.contact.list_memberships.get_or_insert_with(Vec::new);
    for (i, v2_id) in &mapped.v2_list_ids {
        match found.get(v2_id) {
            Some(v3) if !ids.contains(v3) => ids.push(v3.clone()),
            Some(_) => {}
            None => problems.push(field(
                format!("lists[{i}].id"),
                format!("the account has no list with v2 id \"{v2_id}\""),
            )),
        }
    }
    if problems.is_empty() {
        Ok(mapped)
    } else {
        Err(validation("the v2 contact", problems))
    }
}

/// The sign-up form records explicit permission itself, so a mapped permission and opt-in
/// source have no place in an upsert: they are reported as dropped. An opt-out cannot be
/// dropped that way, since the form would opt the contact in: such a record is refused.
fn leave_consent_to_the_form(mapped: &mut Mapped, record: &V2Contact) -> Result<(), Error> {
    let status = match record.email_addresses.iter().flatten().next() {
        Some(first) if first.status.is_some() => "email_addresses[0].status",
        _ => "status",
    };
    let Some(email) = mapped.contact.email_address.as_mut() else {
        return Ok(());
    };
    if email.permission_to_send == Some(Permission::Unsubscribed) {
        return Err(validation(
            "the v2 contact",
            vec![field(
                status,
                "OPTOUT cannot be upserted: the sign-up form would record explicit permission; \
                 use create or update",
            )],
        ));
    }
    if let Some(permission) = email.permission_to_send.take() {
        mapped.losses.push(FieldLoss {
            field: status.into(),
            kind: LossKind::Dropped,
            detail: format!(
                "upsert records explicit permission itself, so \"{}\" was not written",
                crate::convert::permission_to_wire(permission)
            ),
        });
    }
    if email.opt_in_source.take().is_some() {
        mapped.losses.push(FieldLoss {
            field: "email_addresses[0].opt_in_source".into(),
            kind: LossKind::Dropped,
            detail: "upsert records the contact as the source".into(),
        });
    }
    Ok(())
}

/// A validation failure names the v2 fields the record gave, not the v3 fields they were
/// mapped to: `custom.CustomField3` becomes `custom_fields[2]`, `list_memberships` `lists`.
fn in_v2_terms(outcome: Outcome, record: &V2Contact) -> Outcome {
    let Outcome::Failed(Error::Validation(mut failure)) = outcome else {
        return outcome;
    };
    for f in &mut failure.fields {
        let v2 = if let Some(name) = f.field.strip_prefix("custom.") {
            record
                .custom_fields
                .iter()
                .flatten()
                .position(|c| c.name == name)
                .map(|i| format!("custom_fields[{i}]"))
        } else if f.field == "list_memberships" {
            Some("lists".to_owned())
        } else {
            None
        };
        if let Some(v2) = v2 {
            failure.message = failure
                .message
                .replace(&format!("{}: ", f.field), &format!("{v2}: "));
            f.field = v2;
        }
    }
    Outcome::Failed(Error::Validation(failure))
}

/// Adds the mapping's losses to a written outcome; other outcomes say nothing was written.
fn with_losses(outcome: Outcome, losses: Vec<FieldLoss>) -> Outcome {
    match outcome {
        Outcome::Created(mut w) => {
            w.losses.splice(0..0, losses);
            Outcome::Created(w)
        }
        Outcome::Updated(mut w) => {
            w.losses.splice(0..0, losses);
            Outcome::Updated(w)
        }
        other => other,
    }
}
