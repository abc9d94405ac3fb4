//! The sign-up form's flat body (`ContactCreateOrUpdateInput`): what a record may carry
//! into it, and the body itself. It holds one phone number and one street address, custom
//! field values as text only, and no permission, tags or notes.

use crate::api::wire::SignUpForm;
use crate::catalog::Resolved;
use crate::convert::{WriteKind, contact_to_write};
use crate::errors::field;
use crate::wit::{Contact, FieldError};

/// The sign-up form takes shorter addresses than the contact resource.
const MAX_FORM_EMAIL: usize = 50;

/// The record's fields the flat sign-up body has no place for.
pub fn uncarried(contact: &Contact, address: &str) -> Vec<FieldError> {
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
pub fn form(contact: &Contact, address: String) -> SignUpForm {
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

/// Named custom values the form cannot carry: a choice (the form takes only text) or a
/// blank (the form only adds values).
pub fn uncarried_values(resolved: &Resolved, contact: &Contact) -> Vec<FieldError> {
    let mut problems = Vec::new();
    for (i, given) in contact.custom_fields.iter().flatten().enumerate() {
        if given.choice_ids.as_ref().is_some_and(|c| !c.is_empty()) {
            problems.push(field(
                format!("custom_fields[{i}].choice_ids"),
                "cannot be carried by upsert: the sign-up form takes custom values as text only",
            ));
        }
    }
    for (name, value) in resolved.named_values() {
        let path = format!("custom.{name}");
        match value {
            None => problems.push(field(
                path,
                "cannot be removed by upsert: the sign-up form only adds values",
            )),
            Some(v) if v.choice_ids.as_ref().is_some_and(|c| !c.is_empty()) => problems.push(field(
                path,
                "is a choice, which upsert cannot carry: the sign-up form takes custom values as \
                 text only",
            )),
            Some(_) => {}
        }
    }
    problems
}
