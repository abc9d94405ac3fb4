//! Conversions between the v3 wire shapes and the WIT contact model: reads keep every field
//! the API returned; writes keep only what the API lets a client write.

use crate::api::wire::{
    ContactResource, ContactWrite, CustomFieldRead, CustomFieldWrite, EmailAddressRead,
    EmailAddressWrite, NoteRead, NoteWrite, PhoneNumberRead, PhoneNumberWrite, StreetAddressRead,
    StreetAddressWrite,
};
use crate::wit::{
    AddressKind, Birthday, ConfirmStatus, Contact, CustomFieldValue, EmailAddress, Note,
    Permission, PhoneKind, PhoneNumber, Source, StreetAddress,
};

/// Which request body a contact becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    /// `POST /contacts`: empty lists add nothing and are left out.
    Create,
    /// `PUT /contacts/{id}`: an empty list clears the subresource, so it is sent.
    Update,
}

pub fn permission_to_wire(permission: Permission) -> &'static str {
    match permission {
        Permission::Explicit => "explicit",
        Permission::Implicit => "implicit",
        Permission::NotSet => "not_set",
        Permission::PendingConfirmation => "pending_confirmation",
        Permission::TempHold => "temp_hold",
        Permission::Unsubscribed => "unsubscribed",
    }
}

fn permission_from_wire(text: &str) -> Option<Permission> {
    Some(match text {
        "explicit" => Permission::Explicit,
        "implicit" => Permission::Implicit,
        "not_set" => Permission::NotSet,
        "pending_confirmation" => Permission::PendingConfirmation,
        "temp_hold" => Permission::TempHold,
        "unsubscribed" => Permission::Unsubscribed,
        _ => return None,
    })
}

/// The API spells sources with a capital letter.
pub fn source_to_wire(source: Source) -> &'static str {
    match source {
        Source::Account => "Account",
        Source::Contact => "Contact",
    }
}

fn source_from_wire(text: &str) -> Option<Source> {
    if text.eq_ignore_ascii_case("account") {
        Some(Source::Account)
    } else if text.eq_ignore_ascii_case("contact") {
        Some(Source::Contact)
    } else {
        None
    }
}

fn confirm_from_wire(text: &str) -> Option<ConfirmStatus> {
    Some(match text {
        "pending" => ConfirmStatus::Pending,
        "confirmed" => ConfirmStatus::Confirmed,
        "off" => ConfirmStatus::Off,
        _ => return None,
    })
}

pub fn phone_kind_to_wire(kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::Home => "home",
        PhoneKind::Work => "work",
        PhoneKind::Mobile => "mobile",
        PhoneKind::Other => "other",
    }
}

fn phone_kind_from_wire(text: &str) -> Option<PhoneKind> {
    Some(match text {
        "home" => PhoneKind::Home,
        "work" => PhoneKind::Work,
        "mobile" => PhoneKind::Mobile,
        "other" => PhoneKind::Other,
        _ => return None,
    })
}

fn address_kind_to_wire(kind: AddressKind) -> &'static str {
    match kind {
        AddressKind::Home => "home",
        AddressKind::Work => "work",
        AddressKind::Other => "other",
    }
}

/// The kind is required in the WIT model; an unknown or missing one reads as `other`.
fn address_kind_from_wire(text: Option<&str>) -> AddressKind {
    match text {
        Some("home") => AddressKind::Home,
        Some("work") => AddressKind::Work,
        _ => AddressKind::Other,
    }
}

/// A contact as the API returned it. Values the WIT model cannot hold (an unknown enum
/// string, a birthday out of range) read as absent.
pub fn contact_from_wire(resource: ContactResource) -> Contact {
    let birthday = match (resource.birthday_month, resource.birthday_day) {
        (Some(month), Some(day)) => match (u8::try_from(month), u8::try_from(day)) {
            (Ok(month), Ok(day)) if (1..=12).contains(&month) && (1..=31).contains(&day) => {
                Some(Birthday { month, day })
            }
            _ => None,
        },
        _ => None,
    };
    Contact {
        contact_id: resource.contact_id,
        email_address: resource.email_address.and_then(email_from_wire),
        first_name: resource.first_name,
        last_name: resource.last_name,
        job_title: resource.job_title,
        company_name: resource.company_name,
        birthday,
        anniversary: resource.anniversary,
        create_source: resource.create_source.as_deref().and_then(source_from_wire),
        update_source: resource.update_source.as_deref().and_then(source_from_wire),
        created_at: resource.created_at,
        updated_at: resource.updated_at,
        deleted_at: resource.deleted_at,
        custom_fields: resource.custom_fields.map(|list| {
            list.into_iter()
                .filter_map(custom_field_from_wire)
                .collect()
        }),
        phone_numbers: resource
            .phone_numbers
            .map(|list| list.into_iter().filter_map(phone_from_wire).collect()),
        street_addresses: resource
            .street_addresses
            .map(|list| list.into_iter().map(address_from_wire).collect()),
        list_memberships: resource.list_memberships,
        taggings: resource.taggings,
        notes: resource
            .notes
            .map(|list| list.into_iter().map(note_from_wire).collect()),
        lists: None,
        tags: None,
        custom: None,
    }
}

fn email_from_wire(email: EmailAddressRead) -> Option<EmailAddress> {
    Some(EmailAddress {
        address: email.address?,
        permission_to_send: email
            .permission_to_send
            .as_deref()
            .and_then(permission_from_wire),
        opt_in_source: email.opt_in_source.as_deref().and_then(source_from_wire),
        opt_in_date: email.opt_in_date,
        opt_out_source: email.opt_out_source.as_deref().and_then(source_from_wire),
        opt_out_date: email.opt_out_date,
        opt_out_reason: email.opt_out_reason,
        confirm_status: email.confirm_status.as_deref().and_then(confirm_from_wire),
        created_at: email.created_at,
        updated_at: email.updated_at,
    })
}

fn custom_field_from_wire(field: CustomFieldRead) -> Option<CustomFieldValue> {
    Some(CustomFieldValue {
        custom_field_id: field.custom_field_id?,
        value: field.value,
        choice_ids: field.choice_ids,
    })
}

fn phone_from_wire(phone: PhoneNumberRead) -> Option<PhoneNumber> {
    Some(PhoneNumber {
        phone_number_id: phone.phone_number_id,
        phone_number: phone.phone_number?,
        kind: phone.kind.as_deref().and_then(phone_kind_from_wire),
        create_source: phone.create_source.as_deref().and_then(source_from_wire),
        update_source: phone.update_source.as_deref().and_then(source_from_wire),
        created_at: phone.created_at,
        updated_at: phone.updated_at,
    })
}

fn address_from_wire(address: StreetAddressRead) -> StreetAddress {
    StreetAddress {
        street_address_id: address.street_address_id,
        kind: address_kind_from_wire(address.kind.as_deref()),
        street: address.street,
        city: address.city,
        state: address.state,
        postal_code: address.postal_code,
        country: address.country,
        created_at: address.created_at,
        updated_at: address.updated_at,
    }
}

fn note_from_wire(note: NoteRead) -> Note {
    Note {
        note_id: note.note_id,
        created_at: note.created_at,
        content: note.content.unwrap_or_default(),
    }
}

/// Absent or empty text is left out of a write.
fn text(value: &Option<String>) -> Option<String> {
    value.as_ref().filter(|v| !v.is_empty()).cloned()
}

/// The writable part of a contact. Read-only fields (ids, timestamps, sources, opt-in and
/// opt-out details, confirm status) are never copied. The caller sets the source field.
pub fn contact_to_write(contact: &Contact, kind: WriteKind) -> ContactWrite {
    let list = |value: &Option<Vec<String>>| match value {
        Some(items) if items.is_empty() && kind == WriteKind::Create => None,
        other => other.clone(),
    };
    let keep_empty = kind == WriteKind::Update;
    ContactWrite {
        email_address: contact
            .email_address
            .as_ref()
            .filter(|e| !e.address.is_empty())
            .map(|e| EmailAddressWrite {
                address: e.address.clone(),
                permission_to_send: e.permission_to_send.map(permission_to_wire),
                opt_out_reason: match kind {
                    WriteKind::Update => text(&e.opt_out_reason),
                    WriteKind::Create => None,
                },
            }),
        first_name: text(&contact.first_name),
        last_name: text(&contact.last_name),
        job_title: text(&contact.job_title),
        company_name: text(&contact.company_name),
        create_source: None,
        update_source: None,
        birthday_month: contact.birthday.map(|b| b.month),
        birthday_day: contact.birthday.map(|b| b.day),
        anniversary: text(&contact.anniversary),
        custom_fields: contact
            .custom_fields
            .as_ref()
            .filter(|l| keep_empty || !l.is_empty())
            .map(|l| l.iter().map(custom_field_to_write).collect()),
        phone_numbers: contact
            .phone_numbers
            .as_ref()
            .filter(|l| keep_empty || !l.is_empty())
            .map(|l| l.iter().map(phone_to_write).collect()),
        street_addresses: contact
            .street_addresses
            .as_ref()
            .filter(|l| keep_empty || !l.is_empty())
            .map(|l| l.iter().map(address_to_write).collect()),
        list_memberships: list(&contact.list_memberships),
        taggings: list(&contact.taggings),
        notes: contact
            .notes
            .as_ref()
            .filter(|l| keep_empty || !l.is_empty())
            .map(|l| l.iter().map(note_to_write).collect()),
    }
}

fn custom_field_to_write(field: &CustomFieldValue) -> CustomFieldWrite {
    CustomFieldWrite {
        custom_field_id: field.custom_field_id.clone(),
        value: field.value.clone(),
        choice_ids: field.choice_ids.clone(),
    }
}

fn phone_to_write(phone: &PhoneNumber) -> PhoneNumberWrite {
    PhoneNumberWrite {
        phone_number: phone.phone_number.clone(),
        kind: phone.kind.map(phone_kind_to_wire),
    }
}

fn address_to_write(address: &StreetAddress) -> StreetAddressWrite {
    StreetAddressWrite {
        kind: address_kind_to_wire(address.kind),
        street: text(&address.street),
        city: text(&address.city),
        state: text(&address.state),
        postal_code: text(&address.postal_code),
        country: text(&address.country),
    }
}

/// A note without an id is sent without one; the API gives it an id.
fn note_to_write(note: &Note) -> NoteWrite {
    NoteWrite {
        note_id: note.note_id.clone().filter(|id| !id.is_empty()),
        created_at: text(&note.created_at),
        content: note.content.clone(),
    }
}

#[cfg(test)]
mod tests;
