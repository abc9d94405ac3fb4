//! The v2 contact model mapped onto v3, field by field. Every v2 field that v3 cannot hold
//! exactly comes back as a `field-loss` naming it, so nothing is dropped without a word.
//! The README's mapping table is the reader's version of this file.

use crate::blank;
use crate::errors::field;
use crate::uuid::is_uuid;
use crate::wit::{
    AddressKind, Contact, CustomEntry, CustomValue, FieldError, FieldLoss, LossKind, Note,
    Permission, PhoneKind, PhoneNumber, Source, StreetAddress, V2ActionBy, V2Address,
    V2AddressType, V2Contact, V2EmailAddress, V2Status,
};

/// What the mapped record is for: a create may set what only creation sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    Create,
    Update,
}

/// A v2 record in v3 form.
#[derive(Debug, PartialEq)]
pub struct Mapped {
    pub contact: Contact,
    pub losses: Vec<FieldLoss>,
    /// v2 list ids still to translate, with their place in `lists`.
    pub v2_list_ids: Vec<(usize, String)>,
}

fn loss(field: impl Into<String>, kind: LossKind, detail: impl Into<String>) -> FieldLoss {
    FieldLoss {
        field: field.into(),
        kind,
        detail: detail.into(),
    }
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Maps one record; the errors name v2 fields that make no sense in v3.
pub fn to_v3(v2: &V2Contact, usage: Use) -> Result<Mapped, Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut losses = Vec::new();
    let mut c = blank::contact();

    for (name, value, what) in [
        ("prefix_name", &v2.prefix_name, "a name prefix"),
        ("middle_name", &v2.middle_name, "a middle name"),
        ("department_name", &v2.department_name, "a department"),
    ] {
        if present(value).is_some() {
            losses.push(loss(
                name,
                LossKind::Dropped,
                format!("v3 contacts have no field for {what}"),
            ));
        }
    }
    for (name, value) in [
        ("id", &v2.id),
        ("created_date", &v2.created_date),
        ("modified_date", &v2.modified_date),
    ] {
        if present(value).is_some() {
            losses.push(loss(name, LossKind::Dropped, "read-only: v3 keeps its own"));
        }
    }
    if v2.confirmed.is_some() {
        losses.push(loss(
            "confirmed",
            LossKind::Dropped,
            "read-only: v3 keeps its own confirm status",
        ));
    }
    if present(&v2.source).is_some() {
        losses.push(loss(
            "source",
            LossKind::Dropped,
            "v3 records who created the contact (Account or Contact) from the activity's options",
        ));
    }
    if present(&v2.source_details).is_some() {
        losses.push(loss(
            "source_details",
            LossKind::Dropped,
            "v3 has no field for it",
        ));
    }

    c.first_name = v2.first_name.clone();
    c.last_name = v2.last_name.clone();
    c.job_title = v2.job_title.clone();
    c.company_name = v2.company_name.clone();

    email(v2, usage, &mut c, &mut losses, &mut problems);
    phones(v2, &mut c, &mut losses);
    if let Some(addresses) = &v2.addresses {
        c.street_addresses = Some(
            addresses
                .iter()
                .enumerate()
                .map(|(i, a)| address(i, a, &mut losses))
                .collect(),
        );
    }
    if let Some(notes) = &v2.notes {
        let mut mapped = Vec::with_capacity(notes.len());
        for (i, n) in notes.iter().enumerate() {
            if present(&n.id).is_some() {
                losses.push(loss(
                    format!("notes[{i}].id"),
                    LossKind::Dropped,
                    "v3 assigns its own",
                ));
            }
            if present(&n.modified_date).is_some() {
                losses.push(loss(
                    format!("notes[{i}].modified_date"),
                    LossKind::Dropped,
                    "v3 notes keep only their creation time",
                ));
            }
            mapped.push(Note {
                note_id: None,
                created_at: n.created_date.clone().filter(|d| !d.trim().is_empty()),
                content: n.note.clone(),
            });
        }
        c.notes = Some(mapped);
    }
    if let Some(fields) = &v2.custom_fields {
        c.custom = Some(
            fields
                .iter()
                .map(|f| CustomEntry {
                    field: f.name.clone(),
                    value: if f.value.is_empty() {
                        CustomValue::Blank
                    } else {
                        CustomValue::Text(f.value.clone())
                    },
                })
                .collect(),
        );
    }

    let mut v2_list_ids = Vec::new();
    if let Some(lists) = &v2.lists {
        let mut ids = Vec::new();
        for (i, list) in lists.iter().enumerate() {
            let id = list.id.trim();
            let status = present(&list.status);
            if status.is_some_and(|s| s.eq_ignore_ascii_case("removed")) {
                losses.push(loss(
                    format!("lists[{i}]"),
                    LossKind::Dropped,
                    "the v2 membership was removed, so the list is not among the contact's lists",
                ));
                continue;
            }
            if is_uuid(id) {
                ids.push(id.to_ascii_lowercase());
            } else if is_v2_id(id) {
                v2_list_ids.push((i, id.to_owned()));
            } else if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
                problems.push(field(
                    format!("lists[{i}].id"),
                    format!("\"{id}\" has more digits than a v2 list id"),
                ));
            } else {
                problems.push(field(
                    format!("lists[{i}].id"),
                    format!("\"{id}\" is neither a v2 list id (a number) nor a v3 list id"),
                ));
            }
            if let Some(status) = status.filter(|s| !s.eq_ignore_ascii_case("active")) {
                losses.push(loss(
                    format!("lists[{i}].status"),
                    LossKind::Dropped,
                    format!("v3 list memberships have no status, so \"{status}\" was not kept"),
                ));
            }
        }
        c.list_memberships = Some(ids);
    }

    if problems.is_empty() {
        Ok(Mapped {
            contact: c,
            losses,
            v2_list_ids,
        })
    } else {
        Err(problems)
    }
}

/// A v2 id: a whole number (v2 ids are 64-bit integers, so at most 18 digits here).
fn is_v2_id(id: &str) -> bool {
    (1..=18).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit())
}

/// The first address and its consent; later addresses have no place in v3.
fn email(
    v2: &V2Contact,
    usage: Use,
    c: &mut Contact,
    losses: &mut Vec<FieldLoss>,
    problems: &mut Vec<FieldError>,
) {
    let addresses = v2.email_addresses.as_deref().unwrap_or_default();
    for i in 1..addresses.len() {
        losses.push(loss(
            format!("email_addresses[{i}]"),
            LossKind::Dropped,
            "a v3 contact has one email address",
        ));
    }
    let first = addresses.first();
    let email_status = first.and_then(|e| e.status);
    let status = email_status.or(v2.status);
    if let (Some(contact_status), Some(used)) = (v2.status, email_status)
        && contact_status != used
    {
        losses.push(loss(
            "status",
            LossKind::Dropped,
            "differs from email_addresses[0].status, which was used",
        ));
    }
    let status_field = if email_status.is_some() {
        "email_addresses[0].status"
    } else {
        "status"
    };

    // An update may change the permission of the address the contact already has; the
    // merge keeps that address when the record's is empty.
    let address = match (first, usage) {
        (Some(first), _) => first.email_address.clone(),
        (None, Use::Update) => String::new(),
        (None, Use::Create) => {
            if status.is_some() {
                losses.push(loss(
                    status_field,
                    LossKind::Dropped,
                    "the contact has no email address to carry it",
                ));
            }
            return;
        }
    };
    let mut email = blank::email(&address);
    let permission_only = first.is_none();
    let none = V2EmailAddress {
        id: None,
        email_address: String::new(),
        status: None,
        confirm_status: None,
        opt_in_source: None,
        opt_in_date: None,
        opt_out_date: None,
    };
    let first = first.unwrap_or(&none);
    for (name, value, why) in [
        ("id", &first.id, "v3 has no id for an address"),
        (
            "confirm_status",
            &first.confirm_status,
            "read-only: v3 keeps its own",
        ),
        (
            "opt_in_date",
            &first.opt_in_date,
            "read-only: v3 keeps its own",
        ),
        (
            "opt_out_date",
            &first.opt_out_date,
            "read-only: v3 keeps its own",
        ),
    ] {
        if present(value).is_some() {
            losses.push(loss(
                format!("email_addresses[0].{name}"),
                LossKind::Dropped,
                why,
            ));
        }
    }
    let by_visitor = first.opt_in_source == Some(V2ActionBy::ActionByVisitor);
    if let Some(source) = first.opt_in_source {
        match usage {
            Use::Create => {
                email.opt_in_source = Some(match source {
                    V2ActionBy::ActionByOwner => Source::Account,
                    V2ActionBy::ActionByVisitor => Source::Contact,
                });
            }
            Use::Update => losses.push(loss(
                "email_addresses[0].opt_in_source",
                LossKind::Dropped,
                "v3 sets the opt-in source only when a contact is created",
            )),
        }
    }

    if let Some(status) = status {
        match permission(status, by_visitor, usage) {
            Ok(Some(p)) => email.permission_to_send = Some(p),
            Ok(None) => losses.push(loss(
                status_field,
                LossKind::Dropped,
                match usage {
                    Use::Create => "v3 has no such permission; the API's default applies",
                    Use::Update => {
                        "an update changes permission from a v2 status only to opt out (OPTOUT)"
                    }
                },
            )),
            Err(reason) => problems.push(field(status_field, reason)),
        }
    }
    if permission_only && email.permission_to_send.is_none() {
        return;
    }
    c.email_address = Some(email);
}

/// The v3 permission a v2 status stands for. An update carries only an opt-out, so a stale
/// export never changes anyone's consent the other way.
fn permission(
    status: V2Status,
    by_visitor: bool,
    usage: Use,
) -> Result<Option<Permission>, String> {
    match (status, usage) {
        (V2Status::Removed, Use::Create) => Err(
            "a REMOVED contact cannot be created; create it without the status, or delete it"
                .into(),
        ),
        (V2Status::Removed, Use::Update) => {
            Err("REMOVED means deleted in v3; use delete instead of update".into())
        }
        (V2Status::Optout, _) => Ok(Some(Permission::Unsubscribed)),
        (_, Use::Update) | (V2Status::Visitor, _) => Ok(None),
        (V2Status::Active, Use::Create) if by_visitor => Ok(Some(Permission::Explicit)),
        (V2Status::Active, Use::Create) => Ok(Some(Permission::Implicit)),
        (V2Status::Unconfirmed, Use::Create) => Ok(Some(Permission::PendingConfirmation)),
        (V2Status::NonSubscriber, Use::Create) => Ok(Some(Permission::NotSet)),
    }
}

fn phones(v2: &V2Contact, c: &mut Contact, losses: &mut Vec<FieldLoss>) {
    let mut numbers = Vec::new();
    for (name, value, kind) in [
        ("home_phone", &v2.home_phone, PhoneKind::Home),
        ("work_phone", &v2.work_phone, PhoneKind::Work),
        ("cell_phone", &v2.cell_phone, PhoneKind::Mobile),
        ("fax", &v2.fax, PhoneKind::Other),
    ] {
        let Some(number) = present(value) else {
            continue;
        };
        if name == "fax" && numbers.len() == 3 {
            losses.push(loss(
                "fax",
                LossKind::Dropped,
                "v3 holds three phone numbers, taken by the home, work and cell phones",
            ));
            continue;
        }
        if name == "fax" {
            losses.push(loss(
                "fax",
                LossKind::Approximated,
                "v3 has no fax number; written as a phone number of kind other",
            ));
        }
        numbers.push(PhoneNumber {
            phone_number_id: None,
            phone_number: number.to_owned(),
            kind: Some(kind),
            create_source: None,
            update_source: None,
            created_at: None,
            updated_at: None,
        });
    }
    if !numbers.is_empty() {
        c.phone_numbers = Some(numbers);
    }
}

fn address(i: usize, a: &V2Address, losses: &mut Vec<FieldLoss>) -> StreetAddress {
    let at = |name: &str| format!("addresses[{i}].{name}");
    let kind = match a.address_type {
        Some(V2AddressType::Personal) => AddressKind::Home,
        Some(V2AddressType::Business) => AddressKind::Work,
        Some(V2AddressType::Unknown) => AddressKind::Other,
        None => {
            losses.push(loss(
                at("address_type"),
                LossKind::Approximated,
                "absent; written as kind other",
            ));
            AddressKind::Other
        }
    };
    if present(&a.id).is_some() {
        losses.push(loss(at("id"), LossKind::Dropped, "v3 assigns its own"));
    }
    let lines: Vec<&str> = [&a.line1, &a.line2, &a.line3]
        .into_iter()
        .filter_map(present)
        .collect();
    for (n, line) in [(2, &a.line2), (3, &a.line3)] {
        if present(line).is_some() {
            losses.push(loss(
                at(&format!("line{n}")),
                LossKind::Approximated,
                "v3 has one street field; the lines were joined with \", \"",
            ));
        }
    }
    let state = match (present(&a.state), present(&a.state_code)) {
        (Some(state), Some(code)) => {
            if !state.eq_ignore_ascii_case(code) {
                losses.push(loss(
                    at("state_code"),
                    LossKind::Dropped,
                    "v3 keeps one state text; state was used",
                ));
            }
            Some(state.to_owned())
        }
        (Some(state), None) => Some(state.to_owned()),
        (None, Some(code)) => {
            losses.push(loss(
                at("state_code"),
                LossKind::Approximated,
                "written as the state's text",
            ));
            Some(code.to_owned())
        }
        (None, None) => None,
    };
    let country = present(&a.country_code).map(|code| {
        losses.push(loss(
            at("country_code"),
            LossKind::Approximated,
            "v3 keeps the country as free text; the code was written as it is",
        ));
        code.to_owned()
    });
    let postal_code = match (present(&a.postal_code), present(&a.sub_postal_code)) {
        (postal, Some(sub)) => {
            losses.push(loss(
                at("sub_postal_code"),
                LossKind::Approximated,
                "v3 has no sub postal code; appended to postal_code after a \"-\"",
            ));
            Some(match postal {
                Some(p) => format!("{p}-{sub}"),
                None => sub.to_owned(),
            })
        }
        (postal, None) => postal.map(str::to_owned),
    };
    StreetAddress {
        street_address_id: None,
        kind,
        street: (!lines.is_empty()).then(|| lines.join(", ")),
        city: present(&a.city).map(str::to_owned),
        state,
        postal_code,
        country,
        created_at: None,
        updated_at: None,
    }
}
