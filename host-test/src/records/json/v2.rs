//! The JSON form of the v2 contact model (`create-v2`, `update-v2`), both ways. Keys are the
//! WIT field names with `_`, which are the v2 API's own JSON keys. Enum values read in any
//! letter case, so the v2 API's `ACTIVE` or `ACTION_BY_OWNER` work, and are written in lower
//! case. Ids read as strings or whole numbers and are kept as strings.

use serde_json::Value;

use super::reader::{FieldError, Obj, ObjWriter, Read, problem};
use super::requests::{contact_ref_to_json, read_ref};
use crate::wit::{V2Address, V2Contact, V2CustomField, V2EmailAddress, V2List, V2Note, V2Update};

const CONTACT_FIELDS: &[&str] = &[
    "id",
    "status",
    "email_addresses",
    "prefix_name",
    "first_name",
    "middle_name",
    "last_name",
    "job_title",
    "company_name",
    "department_name",
    "home_phone",
    "work_phone",
    "cell_phone",
    "fax",
    "addresses",
    "notes",
    "lists",
    "custom_fields",
    "confirmed",
    "source",
    "source_details",
    "created_date",
    "modified_date",
];

const EMAIL_FIELDS: &[&str] = &[
    "id",
    "email_address",
    "status",
    "confirm_status",
    "opt_in_source",
    "opt_in_date",
    "opt_out_date",
];

const ADDRESS_FIELDS: &[&str] = &[
    "id",
    "address_type",
    "line1",
    "line2",
    "line3",
    "city",
    "state",
    "state_code",
    "country_code",
    "postal_code",
    "sub_postal_code",
];

/// A v2 contact with every field absent.
pub fn empty_v2_contact() -> V2Contact {
    V2Contact {
        id: None,
        status: None,
        email_addresses: None,
        prefix_name: None,
        first_name: None,
        middle_name: None,
        last_name: None,
        job_title: None,
        company_name: None,
        department_name: None,
        home_phone: None,
        work_phone: None,
        cell_phone: None,
        fax: None,
        addresses: None,
        notes: None,
        lists: None,
        custom_fields: None,
        confirmed: None,
        source: None,
        source_details: None,
        created_date: None,
        modified_date: None,
    }
}

pub fn v2_contact_to_json(contact: &V2Contact) -> Value {
    let mut w = ObjWriter::new();
    w.opt("id", contact.id.clone())
        .name("status", contact.status);
    if let Some(emails) = &contact.email_addresses {
        let items: Vec<Value> = emails.iter().map(email_to_json).collect();
        w.put("email_addresses", items);
    }
    w.opt("prefix_name", contact.prefix_name.clone())
        .opt("first_name", contact.first_name.clone())
        .opt("middle_name", contact.middle_name.clone())
        .opt("last_name", contact.last_name.clone())
        .opt("job_title", contact.job_title.clone())
        .opt("company_name", contact.company_name.clone())
        .opt("department_name", contact.department_name.clone())
        .opt("home_phone", contact.home_phone.clone())
        .opt("work_phone", contact.work_phone.clone())
        .opt("cell_phone", contact.cell_phone.clone())
        .opt("fax", contact.fax.clone());
    if let Some(addresses) = &contact.addresses {
        let items: Vec<Value> = addresses.iter().map(address_to_json).collect();
        w.put("addresses", items);
    }
    if let Some(notes) = &contact.notes {
        let items: Vec<Value> = notes.iter().map(note_to_json).collect();
        w.put("notes", items);
    }
    if let Some(lists) = &contact.lists {
        let items: Vec<Value> = lists.iter().map(list_to_json).collect();
        w.put("lists", items);
    }
    if let Some(fields) = &contact.custom_fields {
        let items: Vec<Value> = fields
            .iter()
            .map(|f| serde_json::json!({"name": f.name, "value": f.value}))
            .collect();
        w.put("custom_fields", items);
    }
    w.opt("confirmed", contact.confirmed)
        .opt("source", contact.source.clone())
        .opt("source_details", contact.source_details.clone())
        .opt("created_date", contact.created_date.clone())
        .opt("modified_date", contact.modified_date.clone())
        .finish()
}

pub fn v2_contact_from_json(value: &Value) -> Read<V2Contact> {
    read_v2_contact(value, "")
}

fn read_v2_contact(value: &Value, path: &str) -> Read<V2Contact> {
    let obj = Obj::new(value, path)?;
    obj.only(CONTACT_FIELDS)?;
    Ok(V2Contact {
        id: obj.id("id")?,
        status: obj.enumeration("status")?,
        email_addresses: items(&obj, "email_addresses", read_email)?,
        prefix_name: obj.string("prefix_name")?,
        first_name: obj.string("first_name")?,
        middle_name: obj.string("middle_name")?,
        last_name: obj.string("last_name")?,
        job_title: obj.string("job_title")?,
        company_name: obj.string("company_name")?,
        department_name: obj.string("department_name")?,
        home_phone: obj.string("home_phone")?,
        work_phone: obj.string("work_phone")?,
        cell_phone: obj.string("cell_phone")?,
        fax: obj.string("fax")?,
        addresses: items(&obj, "addresses", read_address)?,
        notes: items(&obj, "notes", read_note)?,
        lists: items(&obj, "lists", read_list)?,
        custom_fields: items(&obj, "custom_fields", read_custom_field)?,
        confirmed: obj.bool("confirmed")?,
        source: obj.string("source")?,
        source_details: obj.string("source_details")?,
        created_date: obj.string("created_date")?,
        modified_date: obj.string("modified_date")?,
    })
}

/// `{"target": <contact-ref>, "changes": <v2 contact>}`; absent `changes` change nothing.
pub fn v2_update_to_json(update: &V2Update) -> Value {
    serde_json::json!({
        "target": contact_ref_to_json(&update.target),
        "changes": v2_contact_to_json(&update.changes),
    })
}

pub fn v2_update_from_json(value: &Value) -> Read<V2Update> {
    let obj = Obj::new(value, "")?;
    obj.only(&["target", "changes"])?;
    let target = match obj.get("target") {
        Some(target) => read_ref(target, "target")?,
        None => return Err(problem("target", "is required")),
    };
    let changes = match obj.get("changes") {
        Some(changes) => read_v2_contact(changes, "changes")?,
        None => empty_v2_contact(),
    };
    Ok(V2Update { target, changes })
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

fn email_to_json(email: &V2EmailAddress) -> Value {
    ObjWriter::new()
        .opt("id", email.id.clone())
        .put("email_address", email.email_address.clone())
        .name("status", email.status)
        .opt("confirm_status", email.confirm_status.clone())
        .name("opt_in_source", email.opt_in_source)
        .opt("opt_in_date", email.opt_in_date.clone())
        .opt("opt_out_date", email.opt_out_date.clone())
        .finish()
}

fn read_email(value: &Value, path: &str) -> Read<V2EmailAddress> {
    let obj = Obj::new(value, path)?;
    obj.only(EMAIL_FIELDS)?;
    Ok(V2EmailAddress {
        id: obj.id("id")?,
        email_address: obj.required_string("email_address")?,
        status: obj.enumeration("status")?,
        confirm_status: obj.string("confirm_status")?,
        opt_in_source: obj.enumeration("opt_in_source")?,
        opt_in_date: obj.string("opt_in_date")?,
        opt_out_date: obj.string("opt_out_date")?,
    })
}

fn address_to_json(address: &V2Address) -> Value {
    ObjWriter::new()
        .opt("id", address.id.clone())
        .name("address_type", address.address_type)
        .opt("line1", address.line1.clone())
        .opt("line2", address.line2.clone())
        .opt("line3", address.line3.clone())
        .opt("city", address.city.clone())
        .opt("state", address.state.clone())
        .opt("state_code", address.state_code.clone())
        .opt("country_code", address.country_code.clone())
        .opt("postal_code", address.postal_code.clone())
        .opt("sub_postal_code", address.sub_postal_code.clone())
        .finish()
}

fn read_address(value: &Value, path: &str) -> Read<V2Address> {
    let obj = Obj::new(value, path)?;
    obj.only(ADDRESS_FIELDS)?;
    Ok(V2Address {
        id: obj.id("id")?,
        address_type: obj.enumeration("address_type")?,
        line1: obj.string("line1")?,
        line2: obj.string("line2")?,
        line3: obj.string("line3")?,
        city: obj.string("city")?,
        state: obj.string("state")?,
        state_code: obj.string("state_code")?,
        country_code: obj.string("country_code")?,
        postal_code: obj.string("postal_code")?,
        sub_postal_code: obj.string("sub_postal_code")?,
    })
}

fn note_to_json(note: &V2Note) -> Value {
    ObjWriter::new()
        .opt("id", note.id.clone())
        .put("note", note.note.clone())
        .opt("created_date", note.created_date.clone())
        .opt("modified_date", note.modified_date.clone())
        .finish()
}

fn read_note(value: &Value, path: &str) -> Read<V2Note> {
    let obj = Obj::new(value, path)?;
    obj.only(&["id", "note", "created_date", "modified_date"])?;
    Ok(V2Note {
        id: obj.id("id")?,
        note: obj.required_string("note")?,
        created_date: obj.string("created_date")?,
        modified_date: obj.string("modified_date")?,
    })
}

fn list_to_json(list: &V2List) -> Value {
    ObjWriter::new()
        .put("id", list.id.clone())
        .opt("status", list.status.clone())
        .finish()
}

fn read_list(value: &Value, path: &str) -> Read<V2List> {
    let obj = Obj::new(value, path)?;
    obj.only(&["id", "status"])?;
    Ok(V2List {
        id: obj
            .id("id")?
            .ok_or_else(|| problem(&obj.path("id"), "is required"))?,
        status: obj.string("status")?,
    })
}

fn read_custom_field(value: &Value, path: &str) -> Read<V2CustomField> {
    let obj = Obj::new(value, path)?;
    obj.only(&["name", "value"])?;
    Ok(V2CustomField {
        name: obj.required_string("name")?,
        value: obj.required_string("value")?,
    })
}

#[cfg(test)]
mod tests;
