//! Applying an update's changes to the contact it targets. Merge mode keeps whatever the
//! record leaves absent; replace mode keeps only what the record gives. Both keep the email
//! address and its permission unless the record changes them, because the API requires the
//! address in every PUT.

use crate::errors::field;
use crate::validate::normalise_email;
use crate::wit::{Contact, ContactField, EmailAddress, FieldError};

/// The contact to send, and what the caller should be told about it.
#[derive(Debug)]
pub struct Applied {
    pub contact: Contact,
    pub notes: Vec<String>,
}

/// The field's name in the JSON form.
pub fn field_name(field: ContactField) -> &'static str {
    match field {
        ContactField::FirstName => "first_name",
        ContactField::LastName => "last_name",
        ContactField::JobTitle => "job_title",
        ContactField::CompanyName => "company_name",
        ContactField::Birthday => "birthday",
        ContactField::Anniversary => "anniversary",
        ContactField::CustomFields => "custom_fields",
        ContactField::PhoneNumbers => "phone_numbers",
        ContactField::StreetAddresses => "street_addresses",
        ContactField::ListMemberships => "list_memberships",
        ContactField::Taggings => "taggings",
        ContactField::Notes => "notes",
    }
}

/// Merge mode: absent keeps, an empty string or list clears, anything else replaces.
pub fn merge(
    existing: &Contact,
    changes: &Contact,
    clear: &[ContactField],
) -> Result<Applied, Vec<FieldError>> {
    check_clear(changes, clear)?;
    let mut notes = Vec::new();
    let mut c = existing.clone();
    c.email_address = apply_email(existing, changes, &mut notes)?;

    for (target, change) in [
        (&mut c.first_name, &changes.first_name),
        (&mut c.last_name, &changes.last_name),
        (&mut c.job_title, &changes.job_title),
        (&mut c.company_name, &changes.company_name),
        (&mut c.anniversary, &changes.anniversary),
    ] {
        if let Some(value) = change {
            *target = Some(value.clone()).filter(|v| !v.is_empty());
        }
    }
    if changes.birthday.is_some() {
        c.birthday = changes.birthday;
    }
    replace_if_given(&mut c.custom_fields, &changes.custom_fields);
    replace_if_given(&mut c.phone_numbers, &changes.phone_numbers);
    replace_if_given(&mut c.street_addresses, &changes.street_addresses);
    replace_if_given(&mut c.list_memberships, &changes.list_memberships);
    replace_if_given(&mut c.taggings, &changes.taggings);
    replace_if_given(&mut c.notes, &changes.notes);

    apply_clear(&mut c, clear);
    Ok(Applied { contact: c, notes })
}

/// Replace mode: the record is the whole contact. Absent core fields are cleared (the PUT
/// leaves them out); absent subresources are left out too, which the API keeps.
pub fn replace(
    existing: &Contact,
    changes: &Contact,
    clear: &[ContactField],
) -> Result<Applied, Vec<FieldError>> {
    check_clear(changes, clear)?;
    let mut notes = Vec::new();
    let mut c = changes.clone();
    c.email_address = apply_email(existing, changes, &mut notes)?;
    apply_clear(&mut c, clear);
    Ok(Applied { contact: c, notes })
}

fn replace_if_given<T: Clone>(target: &mut Option<Vec<T>>, change: &Option<Vec<T>>) {
    if let Some(items) = change {
        *target = Some(items.clone());
    }
}

/// The address to send: the change's (normalised) when it gives one, else the existing one;
/// permission and opt-out reason likewise.
fn apply_email(
    existing: &Contact,
    changes: &Contact,
    notes: &mut Vec<String>,
) -> Result<Option<EmailAddress>, Vec<FieldError>> {
    let Some(change) = &changes.email_address else {
        return Ok(existing.email_address.clone());
    };
    let normalised = normalise_email(&change.address);
    let mut email = match (existing.email_address.clone(), normalised.is_empty()) {
        (Some(current), true) => current,
        (None, true) => {
            return Err(vec![field(
                "email_address.address",
                "is required: the contact has no email address to keep",
            )]);
        }
        (current, false) => {
            if normalised != change.address {
                notes.push(normalised_note(&change.address, &normalised));
            }
            let mut email = current.unwrap_or_else(|| change.clone());
            email.address = normalised;
            email
        }
    };
    if change.permission_to_send.is_some() {
        email.permission_to_send = change.permission_to_send;
    }
    if let Some(reason) = &change.opt_out_reason {
        email.opt_out_reason = Some(reason.clone()).filter(|r| !r.is_empty());
    }
    Ok(Some(email))
}

/// The note an outcome carries when an address was trimmed or lower-cased.
pub fn normalised_note(given: &str, normalised: &str) -> String {
    format!("email address \"{given}\" was normalised to \"{normalised}\"")
}

/// A field both given a value and listed in `clear` is a contradiction, not a choice.
fn check_clear(changes: &Contact, clear: &[ContactField]) -> Result<(), Vec<FieldError>> {
    let text = |v: &Option<String>| v.as_ref().is_some_and(|v| !v.is_empty());
    fn items<T>(v: &Option<Vec<T>>) -> bool {
        v.as_ref().is_some_and(|v| !v.is_empty())
    }
    let errors: Vec<FieldError> = clear
        .iter()
        .filter(|f| match f {
            ContactField::FirstName => text(&changes.first_name),
            ContactField::LastName => text(&changes.last_name),
            ContactField::JobTitle => text(&changes.job_title),
            ContactField::CompanyName => text(&changes.company_name),
            ContactField::Birthday => changes.birthday.is_some(),
            ContactField::Anniversary => text(&changes.anniversary),
            ContactField::CustomFields => items(&changes.custom_fields),
            ContactField::PhoneNumbers => items(&changes.phone_numbers),
            ContactField::StreetAddresses => items(&changes.street_addresses),
            ContactField::ListMemberships => items(&changes.list_memberships),
            ContactField::Taggings => items(&changes.taggings),
            ContactField::Notes => items(&changes.notes),
        })
        .map(|f| field(field_name(*f), "is both given a value and listed in clear"))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn apply_clear(c: &mut Contact, clear: &[ContactField]) {
    for f in clear {
        match f {
            ContactField::FirstName => c.first_name = None,
            ContactField::LastName => c.last_name = None,
            ContactField::JobTitle => c.job_title = None,
            ContactField::CompanyName => c.company_name = None,
            ContactField::Birthday => c.birthday = None,
            ContactField::Anniversary => c.anniversary = None,
            ContactField::CustomFields => c.custom_fields = Some(Vec::new()),
            ContactField::PhoneNumbers => c.phone_numbers = Some(Vec::new()),
            ContactField::StreetAddresses => c.street_addresses = Some(Vec::new()),
            ContactField::ListMemberships => c.list_memberships = Some(Vec::new()),
            ContactField::Taggings => c.taggings = Some(Vec::new()),
            ContactField::Notes => c.notes = Some(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests;
