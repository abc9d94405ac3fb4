//! Writing contacts as flat CSV rows (the columns the reader accepts) and outcomes as
//! `record,outcome,contact_id,error_kind,message` rows.

use super::columns::{COLUMN_NAMES, format_birthday};
use crate::records::json::{error_kind, error_summary, outcome_contact_id, outcome_name};
use crate::records::names::EnumName;
use crate::wit::{Contact, Outcome, PhoneKind, Written};

/// The header row for contacts.
pub fn contact_header() -> Vec<String> {
    COLUMN_NAMES.iter().map(|s| (*s).to_owned()).collect()
}

/// One contact as cells under [`contact_header`]. Several phones of one kind are joined with
/// `;`; only the first street address fits; notes are joined by blank lines.
pub fn contact_row(contact: &Contact) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let email = contact.email_address.as_ref();
    let phones = |kind: Option<PhoneKind>| -> String {
        let numbers: Vec<&str> = contact
            .phone_numbers
            .iter()
            .flatten()
            .filter(|p| match kind {
                None => matches!(p.kind, None | Some(PhoneKind::Other)),
                Some(k) => p.kind == Some(k),
            })
            .map(|p| p.phone_number.as_str())
            .collect();
        numbers.join(";")
    };
    let address = contact.street_addresses.iter().flatten().next();
    let address_part = |part: fn(&crate::wit::StreetAddress) -> &Option<String>| {
        address.and_then(|a| part(a).clone()).unwrap_or_default()
    };
    let custom_fields: Vec<String> = contact
        .custom_fields
        .iter()
        .flatten()
        .map(|f| {
            let value = match (&f.value, &f.choice_ids) {
                (Some(v), _) => v.clone(),
                (None, Some(choices)) => choices.join(","),
                (None, None) => String::new(),
            };
            format!("{}={value}", f.custom_field_id)
        })
        .collect();
    let notes: Vec<&str> = contact
        .notes
        .iter()
        .flatten()
        .map(|n| n.content.as_str())
        .collect();

    vec![
        opt(&contact.contact_id),
        email.map(|e| e.address.clone()).unwrap_or_default(),
        email
            .and_then(|e| e.permission_to_send)
            .map(|p| p.name().to_owned())
            .unwrap_or_default(),
        opt(&contact.first_name),
        opt(&contact.last_name),
        opt(&contact.job_title),
        opt(&contact.company_name),
        contact
            .birthday
            .map(|b| format_birthday(b.month, b.day))
            .unwrap_or_default(),
        opt(&contact.anniversary),
        phones(None),
        phones(Some(PhoneKind::Home)),
        phones(Some(PhoneKind::Work)),
        phones(Some(PhoneKind::Mobile)),
        address_part(|a| &a.street),
        address_part(|a| &a.city),
        address_part(|a| &a.state),
        address_part(|a| &a.postal_code),
        address_part(|a| &a.country),
        address
            .map(|a| a.kind.name().to_owned())
            .unwrap_or_default(),
        contact
            .list_memberships
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(";"),
        contact
            .taggings
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(";"),
        custom_fields.join(";"),
        notes.join("\n\n"),
        opt(&contact.created_at),
        opt(&contact.updated_at),
        opt(&contact.deleted_at),
    ]
}

/// Whether [`contact_row`] holds all of the contact's writable data. It does not when the
/// contact has a second street address (dropped), several notes (joined into one) or a
/// custom field with only choices (written as a value); an update read back from such a row
/// would lose or merge them.
pub fn fits_flat_form(contact: &Contact) -> bool {
    let count = |n: Option<usize>| n.unwrap_or(0);
    let choice_only = contact
        .custom_fields
        .iter()
        .flatten()
        .any(|f| f.value.is_none() && f.choice_ids.as_ref().is_some_and(|c| !c.is_empty()));
    count(contact.street_addresses.as_ref().map(Vec::len)) <= 1
        && count(contact.notes.as_ref().map(Vec::len)) <= 1
        && !choice_only
}

/// The header row for outcomes.
pub const OUTCOME_HEADER: [&str; 5] = ["record", "outcome", "contact_id", "error_kind", "message"];

/// One outcome as cells under [`OUTCOME_HEADER`]; `record` is 1-based. A write's `message`
/// holds its notes and losses.
pub fn outcome_row(record: usize, outcome: &Outcome) -> [String; 5] {
    let (kind, message) = match outcome {
        Outcome::Created(w) | Outcome::Updated(w) => (String::new(), written_message(w)),
        Outcome::Deleted(d) if d.already_deleted => (String::new(), "already deleted".to_owned()),
        Outcome::Deleted(_) => (String::new(), String::new()),
        Outcome::Unsubscribed(u) if u.already_unsubscribed => {
            (String::new(), "already unsubscribed".to_owned())
        }
        Outcome::Unsubscribed(_) => (String::new(), String::new()),
        Outcome::Skipped(s) => (String::new(), s.reason.clone()),
        Outcome::Failed(e) | Outcome::NotAttempted(e) => {
            (error_kind(e).to_owned(), error_summary(e))
        }
    };
    [
        record.to_string(),
        outcome_name(outcome).to_owned(),
        outcome_contact_id(outcome).unwrap_or_default().to_owned(),
        kind,
        message,
    ]
}

/// A write's notes, then its losses as `field dropped: detail`, joined by `; `.
fn written_message(written: &Written) -> String {
    let losses = written
        .losses
        .iter()
        .map(|l| format!("{} {}: {}", l.field, l.kind.name(), l.detail));
    let parts: Vec<String> = written.notes.iter().cloned().chain(losses).collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::csv::input::contacts_from_csv;
    use crate::records::json::{email_only, empty_contact};
    use crate::wit::{
        AddressKind, ApiFailure, Birthday, ConflictFailure, CustomFieldValue, Error, FieldLoss,
        LossKind, Note, Permission, PhoneNumber, StreetAddress, Unsubscription,
    };

    fn phone(number: &str, kind: Option<PhoneKind>) -> PhoneNumber {
        PhoneNumber {
            phone_number_id: None,
            phone_number: number.into(),
            kind,
            create_source: None,
            update_source: None,
            created_at: None,
            updated_at: None,
        }
    }

    #[test]
    fn contacts_written_as_csv_read_back() {
        let mut email = email_only("ann@example.com");
        email.permission_to_send = Some(Permission::Implicit);
        let contact = Contact {
            contact_id: Some("c-1".into()),
            email_address: Some(email),
            first_name: Some("Ånn, the \"first\"".into()),
            birthday: Some(Birthday { month: 2, day: 9 }),
            // In column order: `phone`, then `home_phone` (the CSV groups phones by kind).
            phone_numbers: Some(vec![
                phone("3", None),
                phone("1", Some(PhoneKind::Home)),
                phone("2", Some(PhoneKind::Home)),
            ]),
            street_addresses: Some(vec![StreetAddress {
                street_address_id: None,
                kind: AddressKind::Other,
                street: None,
                city: Some("Köln".into()),
                state: None,
                postal_code: None,
                country: None,
                created_at: None,
                updated_at: None,
            }]),
            list_memberships: Some(vec!["l-1".into(), "l-2".into()]),
            custom_fields: Some(vec![
                CustomFieldValue {
                    custom_field_id: "cf-1".into(),
                    value: Some("gold".into()),
                    choice_ids: None,
                },
                CustomFieldValue {
                    custom_field_id: "cf-2".into(),
                    value: Some("English; Français".into()),
                    choice_ids: None,
                },
            ]),
            created_at: Some("2024-01-01T00:00:00Z".into()),
            ..empty_contact()
        };

        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(contact_header()).unwrap();
        writer.write_record(contact_row(&contact)).unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();

        let back = contacts_from_csv(&text).unwrap().remove(0);
        assert_eq!(back.contact_id.as_deref(), Some("c-1"));
        assert_eq!(back.first_name, contact.first_name);
        let email = back.email_address.unwrap();
        assert_eq!(email.permission_to_send, Some(Permission::Implicit));
        assert!(back.birthday == contact.birthday);
        assert!(back.phone_numbers == contact.phone_numbers);
        assert!(back.street_addresses == contact.street_addresses);
        assert!(back.list_memberships == contact.list_memberships);
        assert!(back.custom_fields == contact.custom_fields);
        assert_eq!(back.created_at, contact.created_at);
    }

    #[test]
    fn rows_that_lose_data_are_known() {
        let note = |content: &str| Note {
            note_id: None,
            created_at: None,
            content: content.into(),
        };
        let mut contact = empty_contact();
        contact.notes = Some(vec![note("one")]);
        assert!(fits_flat_form(&contact));
        contact.notes = Some(vec![note("one"), note("two")]);
        assert!(!fits_flat_form(&contact));

        let mut contact = empty_contact();
        contact.custom_fields = Some(vec![CustomFieldValue {
            custom_field_id: "cf-1".into(),
            value: None,
            choice_ids: Some(vec!["ch-1".into()]),
        }]);
        assert!(!fits_flat_form(&contact));
    }

    #[test]
    fn outcome_rows() {
        let created = Outcome::Created(Written {
            contact_id: "c-1".into(),
            notes: vec!["a".into(), "b".into()],
            losses: vec![],
        });
        assert_eq!(
            outcome_row(1, &created),
            ["1", "created", "c-1", "", "a; b"]
        );
        let lossy = Outcome::Updated(Written {
            contact_id: "c-2".into(),
            notes: vec!["a".into()],
            losses: vec![FieldLoss {
                field: "fax".into(),
                kind: LossKind::Approximated,
                detail: "written as an other phone".into(),
            }],
        });
        assert_eq!(
            outcome_row(2, &lossy)[4],
            "a; fax approximated: written as an other phone"
        );
        let unsubscribed = Outcome::Unsubscribed(Unsubscription {
            contact_id: "c-3".into(),
            already_unsubscribed: true,
        });
        assert_eq!(
            outcome_row(3, &unsubscribed),
            ["3", "unsubscribed", "c-3", "", "already unsubscribed"]
        );

        let failed = Outcome::Failed(Error::Conflict(ConflictFailure {
            failure: ApiFailure {
                status: 409,
                error_key: None,
                message: "taken".into(),
            },
            existing_contact_id: Some("c-9".into()),
        }));
        let row = outcome_row(7, &failed);
        assert_eq!(row[0], "7");
        assert_eq!(row[1], "failed");
        assert_eq!(row[2], "");
        assert_eq!(row[3], "conflict");
        assert_eq!(
            row[4],
            "conflict: taken (status 409; existing contact \"c-9\")"
        );
    }
}
