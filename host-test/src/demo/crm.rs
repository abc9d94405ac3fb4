//! The demo's bundled CRM export (`host-test/data/crm-export.csv`) and its mapping onto
//! connector contacts: the CRM's column names, its dates of birth and opt-in flags, and its
//! lead status turned into list memberships.

use anyhow::Context as _;

use crate::records::ids::derived_uuid;
use crate::records::json::{email_only, empty_contact};
use crate::wit::{
    AddressKind, Birthday, Contact, Note, Permission, PhoneKind, PhoneNumber, StreetAddress,
};

/// The export, as a CRM wrote it: quoted cells, CRLF line ends, a header of its own names.
pub const CRM_EXPORT: &str = include_str!("../../data/crm-export.csv");

/// List ids the mapping assigns: opted-in rows join `newsletter`, customers `customers`.
#[derive(Debug, Clone)]
pub struct CrmLists {
    pub newsletter: String,
    pub customers: String,
}

/// One mapped row: the CRM's own id beside the contact built from the row.
#[derive(Debug, Clone)]
pub struct CrmRow {
    pub crm_id: String,
    pub contact: Contact,
}

/// Maps every row of `text` (a CSV with the export's header) to a contact. Cells are passed
/// on as they are, stray spaces and letter case included: normalising them is the
/// connector's job, and its outcomes say what it changed.
pub fn map_export(text: &str, lists: &CrmLists) -> anyhow::Result<Vec<CrmRow>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .context("failed to read the CRM export's header")?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("failed to map the CRM export: no \"{name}\" column"))
    };
    let cols = Columns {
        record_id: column("Record ID")?,
        email: column("Email Address")?,
        first_name: column("First Name")?,
        last_name: column("Last Name")?,
        company: column("Company Name")?,
        job_title: column("Job Title")?,
        mobile: column("Mobile Phone")?,
        office: column("Office Phone")?,
        street: column("Street Address")?,
        city: column("City")?,
        state: column("State/Region")?,
        postal_code: column("Postal Code")?,
        country: column("Country/Region")?,
        birth_date: column("Date of Birth")?,
        opt_in: column("Email Opt-In")?,
        lead_status: column("Lead Status")?,
        notes: column("Notes")?,
    };

    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("failed to read CRM row {}", i + 1))?;
        let row = map_row(&record, &cols, lists)
            .with_context(|| format!("failed to map CRM row {}", i + 1))?;
        rows.push(row);
    }
    Ok(rows)
}

struct Columns {
    record_id: usize,
    email: usize,
    first_name: usize,
    last_name: usize,
    company: usize,
    job_title: usize,
    mobile: usize,
    office: usize,
    street: usize,
    city: usize,
    state: usize,
    postal_code: usize,
    country: usize,
    birth_date: usize,
    opt_in: usize,
    lead_status: usize,
    notes: usize,
}

fn map_row(record: &csv::StringRecord, cols: &Columns, lists: &CrmLists) -> anyhow::Result<CrmRow> {
    // A blank cell is absent; anything else is passed on untouched.
    let cell = |i: usize| {
        record
            .get(i)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_owned)
    };
    let mut contact = empty_contact();
    contact.first_name = cell(cols.first_name);
    contact.last_name = cell(cols.last_name);
    contact.company_name = cell(cols.company);
    contact.job_title = cell(cols.job_title);

    let mut memberships = Vec::new();
    if let Some(address) = cell(cols.email) {
        let mut email = email_only(&address);
        email.permission_to_send = match cell(cols.opt_in).as_deref().map(str::trim) {
            Some("Yes") => {
                memberships.push(lists.newsletter.clone());
                Some(Permission::Explicit)
            }
            Some("No") => Some(Permission::NotSet),
            _ => None,
        };
        contact.email_address = Some(email);
    }
    if cell(cols.lead_status).as_deref() == Some("Customer") {
        memberships.push(lists.customers.clone());
    }
    if !memberships.is_empty() {
        contact.list_memberships = Some(memberships);
    }

    let phones: Vec<PhoneNumber> = [
        (cols.mobile, PhoneKind::Mobile),
        (cols.office, PhoneKind::Work),
    ]
    .into_iter()
    .filter_map(|(i, kind)| cell(i).map(|number| phone(number, kind)))
    .collect();
    if !phones.is_empty() {
        contact.phone_numbers = Some(phones);
    }

    let parts = [
        cols.street,
        cols.city,
        cols.state,
        cols.postal_code,
        cols.country,
    ]
    .map(cell);
    if parts.iter().any(Option::is_some) {
        let [street, city, state, postal_code, country] = parts;
        contact.street_addresses = Some(vec![StreetAddress {
            street_address_id: None,
            kind: AddressKind::Work,
            street,
            city,
            state,
            postal_code,
            country,
            created_at: None,
            updated_at: None,
        }]);
    }

    if let Some(date) = cell(cols.birth_date) {
        contact.birthday = Some(birthday_of(&date).with_context(|| {
            format!("failed to read the date of birth \"{date}\": expected YYYY-MM-DD")
        })?);
    }
    let crm_id = cell(cols.record_id).unwrap_or_default();
    if let Some(content) = cell(cols.notes) {
        // The API wants an id on every note; the CRM's record id keeps it stable.
        contact.notes = Some(vec![Note {
            note_id: Some(derived_uuid(&[&crm_id, &content])),
            created_at: None,
            content,
        }]);
    }

    Ok(CrmRow { crm_id, contact })
}

fn phone(number: String, kind: PhoneKind) -> PhoneNumber {
    PhoneNumber {
        phone_number_id: None,
        phone_number: number,
        kind: Some(kind),
        create_source: None,
        update_source: None,
        created_at: None,
        updated_at: None,
    }
}

/// The month and day of a `YYYY-MM-DD` date (the API keeps no birth year).
fn birthday_of(date: &str) -> Option<Birthday> {
    let mut parts = date.trim().split('-');
    let (_year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let month: u8 = month.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Birthday { month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> CrmLists {
        CrmLists {
            newsletter: "l-news".into(),
            customers: "l-cust".into(),
        }
    }

    #[test]
    fn the_bundled_export_maps_every_row() {
        let rows = map_export(CRM_EXPORT, &lists()).unwrap();
        assert_eq!(rows.len(), 200);
        assert!(rows.iter().all(|r| r.crm_id.starts_with("CRM-")));
        let no_email = rows
            .iter()
            .filter(|r| r.contact.email_address.is_none())
            .count();
        assert_eq!(no_email, 1);
        let non_ascii = rows
            .iter()
            .filter(|r| {
                r.contact
                    .first_name
                    .as_deref()
                    .is_some_and(|n| !n.is_ascii())
            })
            .count();
        assert!(non_ascii > 10, "{non_ascii}");
    }

    #[test]
    fn the_export_holds_the_pinned_seed_addresses() {
        let rows = map_export(CRM_EXPORT, &lists()).unwrap();
        let emails: Vec<String> = rows
            .iter()
            .filter_map(|r| r.contact.email_address.as_ref())
            .map(|e| e.address.trim().to_lowercase())
            .collect();
        assert!(emails.contains(&"fberenger@contoso.example".to_owned()));
        assert!(emails.contains(&"helene.dubois97@mail.example".to_owned()));
    }

    #[test]
    fn rows_map_opt_in_dates_and_status() {
        let text = "\"Record ID\",\"Email Address\",\"First Name\",\"Last Name\",\"Company Name\",\"Job Title\",\"Mobile Phone\",\"Office Phone\",\"Street Address\",\"City\",\"State/Region\",\"Postal Code\",\"Country/Region\",\"Date of Birth\",\"Email Opt-In\",\"Lead Status\",\"Notes\"\r\n\
            \"CRM-1\",\" Ann@X.example \",\"Ånn\",\"\",\"\",\"\",\"+1 555\",\"\",\"\",\"Köln\",\"\",\"\",\"\",\"1980-05-17\",\"Yes\",\"Customer\",\"hi\"\r\n\
            \"CRM-2\",\"bo@x.example\",\"Bo\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"No\",\"Open\",\"\"\r\n";
        let rows = map_export(text, &lists()).unwrap();
        let ann = &rows[0].contact;
        let email = ann.email_address.as_ref().unwrap();
        assert_eq!(email.address, " Ann@X.example ");
        assert_eq!(email.permission_to_send, Some(Permission::Explicit));
        assert!(ann.birthday == Some(Birthday { month: 5, day: 17 }));
        assert_eq!(
            ann.list_memberships.as_deref(),
            Some(&["l-news".to_owned(), "l-cust".to_owned()][..])
        );
        assert_eq!(
            ann.phone_numbers.as_ref().unwrap()[0].kind,
            Some(PhoneKind::Mobile)
        );
        assert_eq!(
            ann.street_addresses.as_ref().unwrap()[0].city.as_deref(),
            Some("Köln")
        );
        assert_eq!(ann.last_name, None);

        let bo = &rows[1].contact;
        assert_eq!(
            bo.email_address.as_ref().unwrap().permission_to_send,
            Some(Permission::NotSet)
        );
        assert!(bo.list_memberships.is_none());
        assert!(bo.street_addresses.is_none());
    }

    #[test]
    fn bad_dates_name_the_row() {
        let text = "\"Record ID\",\"Email Address\",\"First Name\",\"Last Name\",\"Company Name\",\"Job Title\",\"Mobile Phone\",\"Office Phone\",\"Street Address\",\"City\",\"State/Region\",\"Postal Code\",\"Country/Region\",\"Date of Birth\",\"Email Opt-In\",\"Lead Status\",\"Notes\"\n\
            \"CRM-1\",\"a@x.example\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"17/05/1980\",\"\",\"\",\"\"\n";
        let err = map_export(text, &lists()).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to map CRM row 1: failed to read the date of birth \"17/05/1980\": expected YYYY-MM-DD"
        );
    }
}
