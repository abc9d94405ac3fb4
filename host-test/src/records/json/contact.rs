//! The JSON form of a contact and its parts, both ways. Keys follow the WIT field names with
//! `_` (so they read like v3), absent options are left out.

use serde_json::Value;

use super::custom::{custom_to_json, read_custom};
use super::reader::{FieldError, Obj, ObjWriter, Read, problem};
use crate::wit::{
    Birthday, Contact, CustomFieldValue, EmailAddress, Note, PhoneNumber, StreetAddress,
};

const CONTACT_FIELDS: &[&str] = &[
    "contact_id",
    "email_address",
    "first_name",
    "last_name",
    "job_title",
    "company_name",
    "birthday",
    "anniversary",
    "create_source",
    "update_source",
    "created_at",
    "updated_at",
    "deleted_at",
    "custom_fields",
    "phone_numbers",
    "street_addresses",
    "list_memberships",
    "taggings",
    "notes",
    "lists",
    "tags",
    "custom",
];

/// A contact with every field absent.
pub fn empty_contact() -> Contact {
    Contact {
        contact_id: None,
        email_address: None,
        first_name: None,
        last_name: None,
        job_title: None,
        company_name: None,
        birthday: None,
        anniversary: None,
        create_source: None,
        update_source: None,
        created_at: None,
        updated_at: None,
        deleted_at: None,
        custom_fields: None,
        phone_numbers: None,
        street_addresses: None,
        list_memberships: None,
        taggings: None,
        notes: None,
        lists: None,
        tags: None,
        custom: None,
    }
}

/// An email address with only the address set.
pub fn email_only(address: &str) -> EmailAddress {
    EmailAddress {
        address: address.to_owned(),
        permission_to_send: None,
        opt_in_source: None,
        opt_in_date: None,
        opt_out_source: None,
        opt_out_date: None,
        opt_out_reason: None,
        confirm_status: None,
        created_at: None,
        updated_at: None,
    }
}

pub fn contact_to_json(contact: &Contact) -> Value {
    let mut w = ObjWriter::new();
    w.opt("contact_id", contact.contact_id.clone())
        .opt(
            "email_address",
            contact.email_address.as_ref().map(email_to_json),
        )
        .opt("first_name", contact.first_name.clone())
        .opt("last_name", contact.last_name.clone())
        .opt("job_title", contact.job_title.clone())
        .opt("company_name", contact.company_name.clone())
        .opt(
            "birthday",
            contact
                .birthday
                .map(|b| serde_json::json!({"month": b.month, "day": b.day})),
        )
        .opt("anniversary", contact.anniversary.clone())
        .name("create_source", contact.create_source)
        .name("update_source", contact.update_source)
        .opt("created_at", contact.created_at.clone())
        .opt("updated_at", contact.updated_at.clone())
        .opt("deleted_at", contact.deleted_at.clone());

    let list = |items: &[Value]| Value::Array(items.to_vec());
    if let Some(fields) = &contact.custom_fields {
        let items: Vec<Value> = fields.iter().map(custom_field_to_json).collect();
        w.put("custom_fields", list(&items));
    }
    if let Some(phones) = &contact.phone_numbers {
        let items: Vec<Value> = phones.iter().map(phone_to_json).collect();
        w.put("phone_numbers", list(&items));
    }
    if let Some(addresses) = &contact.street_addresses {
        let items: Vec<Value> = addresses.iter().map(address_to_json).collect();
        w.put("street_addresses", list(&items));
    }
    w.opt("list_memberships", contact.list_memberships.clone())
        .opt("taggings", contact.taggings.clone());
    if let Some(notes) = &contact.notes {
        let items: Vec<Value> = notes.iter().map(note_to_json).collect();
        w.put("notes", list(&items));
    }
    w.opt("lists", contact.lists.clone())
        .opt("tags", contact.tags.clone())
        .opt("custom", contact.custom.as_deref().map(custom_to_json));
    w.finish()
}

/// Reads a contact. `email_address` may also be given as a plain string.
pub fn contact_from_json(value: &Value) -> Read<Contact> {
    read_contact(value, "")
}

pub(crate) fn read_contact(value: &Value, path: &str) -> Read<Contact> {
    let obj = Obj::new(value, path)?;
    obj.only(CONTACT_FIELDS)?;

    let email_address = match obj.get("email_address") {
        None => None,
        Some(Value::String(address)) => Some(email_only(address)),
        Some(value) => Some(read_email(value, &obj.path("email_address"))?),
    };
    let birthday = match obj.object("birthday")? {
        None => None,
        Some(b) => {
            b.only(&["month", "day"])?;
            let month = b
                .uint::<u8>("month")?
                .ok_or_else(|| problem(&b.path("month"), "is required"))?;
            let day = b
                .uint::<u8>("day")?
                .ok_or_else(|| problem(&b.path("day"), "is required"))?;
            Some(Birthday { month, day })
        }
    };

    Ok(Contact {
        contact_id: obj.string("contact_id")?,
        email_address,
        first_name: obj.string("first_name")?,
        last_name: obj.string("last_name")?,
        job_title: obj.string("job_title")?,
        company_name: obj.string("company_name")?,
        birthday,
        anniversary: obj.string("anniversary")?,
        create_source: obj.enumeration("create_source")?,
        update_source: obj.enumeration("update_source")?,
        created_at: obj.string("created_at")?,
        updated_at: obj.string("updated_at")?,
        deleted_at: obj.string("deleted_at")?,
        custom_fields: items(&obj, "custom_fields", read_custom_field)?,
        phone_numbers: items(&obj, "phone_numbers", read_phone)?,
        street_addresses: items(&obj, "street_addresses", read_address)?,
        list_memberships: obj.strings("list_memberships")?,
        taggings: obj.strings("taggings")?,
        notes: items(&obj, "notes", read_note)?,
        lists: obj.strings("lists")?,
        tags: obj.strings("tags")?,
        custom: read_custom(&obj)?,
    })
}

fn items<T>(obj: &Obj<'_>, key: &str, read: fn(&Value, &str) -> Read<T>) -> Read<Option<Vec<T>>> {
    let Some(values) = obj.array(key)? else {
        return Ok(None);
    };
    values
        .into_iter()
        .map(|(path, v)| read(v, &path))
        .collect::<Result<Vec<T>, FieldError>>()
        .map(Some)
}

fn email_to_json(email: &EmailAddress) -> Value {
    ObjWriter::new()
        .put("address", email.address.clone())
        .name("permission_to_send", email.permission_to_send)
        .name("opt_in_source", email.opt_in_source)
        .opt("opt_in_date", email.opt_in_date.clone())
        .name("opt_out_source", email.opt_out_source)
        .opt("opt_out_date", email.opt_out_date.clone())
        .opt("opt_out_reason", email.opt_out_reason.clone())
        .name("confirm_status", email.confirm_status)
        .opt("created_at", email.created_at.clone())
        .opt("updated_at", email.updated_at.clone())
        .finish()
}

fn read_email(value: &Value, path: &str) -> Read<EmailAddress> {
    let obj = Obj::new(value, path)?;
    obj.only(&[
        "address",
        "permission_to_send",
        "opt_in_source",
        "opt_in_date",
        "opt_out_source",
        "opt_out_date",
        "opt_out_reason",
        "confirm_status",
        "created_at",
        "updated_at",
    ])?;
    Ok(EmailAddress {
        address: obj.required_string("address")?,
        permission_to_send: obj.enumeration("permission_to_send")?,
        opt_in_source: obj.enumeration("opt_in_source")?,
        opt_in_date: obj.string("opt_in_date")?,
        opt_out_source: obj.enumeration("opt_out_source")?,
        opt_out_date: obj.string("opt_out_date")?,
        opt_out_reason: obj.string("opt_out_reason")?,
        confirm_status: obj.enumeration("confirm_status")?,
        created_at: obj.string("created_at")?,
        updated_at: obj.string("updated_at")?,
    })
}

fn custom_field_to_json(field: &CustomFieldValue) -> Value {
    ObjWriter::new()
        .put("custom_field_id", field.custom_field_id.clone())
        .opt("value", field.value.clone())
        .opt("choice_ids", field.choice_ids.clone())
        .finish()
}

fn read_custom_field(value: &Value, path: &str) -> Read<CustomFieldValue> {
    let obj = Obj::new(value, path)?;
    obj.only(&["custom_field_id", "value", "choice_ids"])?;
    Ok(CustomFieldValue {
        custom_field_id: obj.required_string("custom_field_id")?,
        value: obj.string("value")?,
        choice_ids: obj.strings("choice_ids")?,
    })
}

fn phone_to_json(phone: &PhoneNumber) -> Value {
    ObjWriter::new()
        .opt("phone_number_id", phone.phone_number_id.clone())
        .put("phone_number", phone.phone_number.clone())
        .name("kind", phone.kind)
        .name("create_source", phone.create_source)
        .name("update_source", phone.update_source)
        .opt("created_at", phone.created_at.clone())
        .opt("updated_at", phone.updated_at.clone())
        .finish()
}

fn read_phone(value: &Value, path: &str) -> Read<PhoneNumber> {
    let obj = Obj::new(value, path)?;
    obj.only(&[
        "phone_number_id",
        "phone_number",
        "kind",
        "create_source",
        "update_source",
        "created_at",
        "updated_at",
    ])?;
    Ok(PhoneNumber {
        phone_number_id: obj.string("phone_number_id")?,
        phone_number: obj.required_string("phone_number")?,
        kind: obj.enumeration("kind")?,
        create_source: obj.enumeration("create_source")?,
        update_source: obj.enumeration("update_source")?,
        created_at: obj.string("created_at")?,
        updated_at: obj.string("updated_at")?,
    })
}

fn address_to_json(address: &StreetAddress) -> Value {
    ObjWriter::new()
        .opt("street_address_id", address.street_address_id.clone())
        .name("kind", Some(address.kind))
        .opt("street", address.street.clone())
        .opt("city", address.city.clone())
        .opt("state", address.state.clone())
        .opt("postal_code", address.postal_code.clone())
        .opt("country", address.country.clone())
        .opt("created_at", address.created_at.clone())
        .opt("updated_at", address.updated_at.clone())
        .finish()
}

fn read_address(value: &Value, path: &str) -> Read<StreetAddress> {
    let obj = Obj::new(value, path)?;
    obj.only(&[
        "street_address_id",
        "kind",
        "street",
        "city",
        "state",
        "postal_code",
        "country",
        "created_at",
        "updated_at",
    ])?;
    Ok(StreetAddress {
        street_address_id: obj.string("street_address_id")?,
        kind: obj
            .enumeration("kind")?
            .ok_or_else(|| problem(&obj.path("kind"), "is required"))?,
        street: obj.string("street")?,
        city: obj.string("city")?,
        state: obj.string("state")?,
        postal_code: obj.string("postal_code")?,
        country: obj.string("country")?,
        created_at: obj.string("created_at")?,
        updated_at: obj.string("updated_at")?,
    })
}

fn note_to_json(note: &Note) -> Value {
    ObjWriter::new()
        .opt("note_id", note.note_id.clone())
        .opt("created_at", note.created_at.clone())
        .put("content", note.content.clone())
        .finish()
}

fn read_note(value: &Value, path: &str) -> Read<Note> {
    let obj = Obj::new(value, path)?;
    obj.only(&["note_id", "created_at", "content"])?;
    Ok(Note {
        note_id: obj.string("note_id")?,
        created_at: obj.string("created_at")?,
        content: obj.required_string("content")?,
    })
}
