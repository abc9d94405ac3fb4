//! Checks a contact against the v3 spec's limits before anything is sent, naming each field
//! at fault by its path in the JSON form (e.g. `email_address.address`, `phone_numbers[1]`).

use crate::errors::field;
use crate::uuid::is_uuid;
use crate::wit::{Birthday, Contact, FieldError};

pub const MAX_EMAIL: usize = 80;
const MAX_NAME: usize = 50;
const MAX_ANNIVERSARY: usize = 10;
const MAX_PHONE: usize = 25;
const MAX_STREET: usize = 255;
const MAX_PLACE: usize = 50;
const MAX_CUSTOM_VALUE: usize = 255;
const MAX_NOTE: usize = 2000;
const MAX_OPT_OUT_REASON: usize = 255;
const MAX_CUSTOM_FIELDS: usize = 25;
const MAX_PHONES: usize = 3;
const MAX_ADDRESSES: usize = 3;
const MAX_LISTS: usize = 50;
const MAX_TAGS: usize = 50;
const MAX_NOTES: usize = 150;

/// How the connector stores addresses: trimmed and lower-cased.
pub fn normalise_email(address: &str) -> String {
    // A letter whose lower case is more than one character (Turkish `İ` becomes `i` plus a
    // combining dot) is kept as it is: that would be a different address, not its lower case.
    address
        .trim()
        .chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        })
        .collect()
}

/// Whether two addresses are the same one, whichever way each was lower-cased: the API may
/// fold letters the connector keeps (Turkish `İ`), so both are folded fully before comparing.
pub fn same_address(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Characters no address holds: invisible formatting characters (soft hyphen, zero-width
/// and direction marks, byte-order mark), which would make a near copy of another address
/// look the same, and the characters that only appear around or between addresses.
fn foreign(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '<'
            | '>'
            | '('
            | ')'
            | '['
            | ']'
            | ','
            | ';'
            | ':'
            | '\\'
            | '"'
    )
}

/// Why an (already normalised) address is not one, if it is not: one `@`, a non-empty local
/// part, a dotted domain of letters, digits and hyphens, no spaces or invisible characters,
/// at most 80 characters.
pub fn email_problem(address: &str) -> Option<String> {
    if address.is_empty() {
        return Some("must not be empty".into());
    }
    if address.chars().count() > MAX_EMAIL {
        return Some(format!("is longer than {MAX_EMAIL} characters"));
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("contains spaces or control characters".into());
    }
    if let Some(c) = address.chars().find(|c| foreign(*c)) {
        return Some(format!(
            "contains the character U+{:04X}, which no address holds",
            u32::from(c)
        ));
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Some(format!("\"{address}\" has no @"));
    };
    if domain.contains('@') {
        return Some(format!("\"{address}\" has more than one @"));
    }
    if local.is_empty() {
        return Some(format!("\"{address}\" has nothing before the @"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return Some(format!("\"{address}\" has no valid domain after the @"));
    }
    let label_char = |c: char| c.is_alphanumeric() || c == '-';
    if labels.iter().any(|l| !l.chars().all(label_char)) {
        return Some(format!(
            "\"{address}\" has a domain with characters other than letters, digits and hyphens"
        ));
    }
    None
}

/// Every problem with the writable fields of a contact that is about to be sent.
pub fn validate_contact(contact: &Contact) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut fail = |path: String, reason: String| errors.push(field(path, reason));

    let has_email = contact
        .email_address
        .as_ref()
        .is_some_and(|e| !e.address.is_empty());
    let has_name = [&contact.first_name, &contact.last_name]
        .iter()
        .any(|n| n.as_ref().is_some_and(|n| !n.is_empty()));
    if !has_email && !has_name {
        fail(
            "email_address".into(),
            "a contact needs an email address, a first name or a last name".into(),
        );
    }

    if let Some(email) = &contact.email_address {
        if let Some(problem) = email_problem(&email.address) {
            fail("email_address.address".into(), problem);
        }
        check_len(
            &mut fail,
            "email_address.opt_out_reason",
            &email.opt_out_reason,
            MAX_OPT_OUT_REASON,
        );
    }

    for (name, value) in [
        ("first_name", &contact.first_name),
        ("last_name", &contact.last_name),
        ("job_title", &contact.job_title),
        ("company_name", &contact.company_name),
    ] {
        check_len(&mut fail, name, value, MAX_NAME);
    }
    if let Some(birthday) = contact.birthday {
        check_birthday(&mut fail, birthday);
    }
    if let Some(anniversary) = contact.anniversary.as_deref().filter(|a| !a.is_empty()) {
        if anniversary.chars().count() > MAX_ANNIVERSARY {
            fail(
                "anniversary".into(),
                format!("is longer than {MAX_ANNIVERSARY} characters"),
            );
        } else if !is_anniversary(anniversary) {
            fail(
                "anniversary".into(),
                format!(
                    "\"{anniversary}\" is not a date in an accepted format (YYYY-MM-DD, \
                     MM/DD/YYYY, M-D-YYYY and similar)"
                ),
            );
        }
    }

    if let Some(fields) = &contact.custom_fields {
        check_count(&mut fail, "custom_fields", fields.len(), MAX_CUSTOM_FIELDS);
        for (i, custom) in fields.iter().enumerate() {
            check_uuid(
                &mut fail,
                &format!("custom_fields[{i}].custom_field_id"),
                &custom.custom_field_id,
            );
            check_len(
                &mut fail,
                &format!("custom_fields[{i}].value"),
                &custom.value,
                MAX_CUSTOM_VALUE,
            );
        }
    }
    if let Some(phones) = &contact.phone_numbers {
        check_count(&mut fail, "phone_numbers", phones.len(), MAX_PHONES);
        for (i, phone) in phones.iter().enumerate() {
            let path = format!("phone_numbers[{i}].phone_number");
            if phone.phone_number.trim().is_empty() {
                fail(path, "must not be empty".into());
            } else {
                check_len(
                    &mut fail,
                    &path,
                    &Some(phone.phone_number.clone()),
                    MAX_PHONE,
                );
            }
        }
    }
    if let Some(addresses) = &contact.street_addresses {
        check_count(
            &mut fail,
            "street_addresses",
            addresses.len(),
            MAX_ADDRESSES,
        );
        for (i, a) in addresses.iter().enumerate() {
            check_len(
                &mut fail,
                &format!("street_addresses[{i}].street"),
                &a.street,
                MAX_STREET,
            );
            for (name, value) in [
                ("city", &a.city),
                ("state", &a.state),
                ("postal_code", &a.postal_code),
                ("country", &a.country),
            ] {
                check_len(
                    &mut fail,
                    &format!("street_addresses[{i}].{name}"),
                    value,
                    MAX_PLACE,
                );
            }
        }
    }
    for (name, ids, max) in [
        ("list_memberships", &contact.list_memberships, MAX_LISTS),
        ("taggings", &contact.taggings, MAX_TAGS),
    ] {
        if let Some(ids) = ids {
            check_count(&mut fail, name, ids.len(), max);
            for (i, id) in ids.iter().enumerate() {
                check_uuid(&mut fail, &format!("{name}[{i}]"), id);
            }
        }
    }
    if let Some(notes) = &contact.notes {
        check_count(&mut fail, "notes", notes.len(), MAX_NOTES);
        for (i, note) in notes.iter().enumerate() {
            if let Some(id) = note.note_id.as_deref().filter(|id| !id.is_empty()) {
                check_uuid(&mut fail, &format!("notes[{i}].note_id"), id);
            }
            let path = format!("notes[{i}].content");
            if note.content.trim().is_empty() {
                fail(path, "must not be empty".into());
            } else {
                check_len(&mut fail, &path, &Some(note.content.clone()), MAX_NOTE);
            }
        }
    }
    errors
}

fn check_len(
    fail: &mut impl FnMut(String, String),
    path: &str,
    value: &Option<String>,
    max: usize,
) {
    let Some(value) = value else {
        return;
    };
    if value.chars().count() > max {
        fail(path.to_owned(), format!("is longer than {max} characters"));
    }
    // Line breaks and tabs are text; other control characters (NUL, escapes) are not.
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        fail(
            path.to_owned(),
            format!("contains the control character U+{:04X}", u32::from(c)),
        );
    }
}

fn check_count(fail: &mut impl FnMut(String, String), path: &str, count: usize, max: usize) {
    if count > max {
        fail(
            path.to_owned(),
            format!("has {count} items; at most {max} are allowed"),
        );
    }
}

fn check_uuid(fail: &mut impl FnMut(String, String), path: &str, id: &str) {
    if !is_uuid(id) {
        fail(path.to_owned(), format!("\"{id}\" is not a UUID"));
    }
}

fn check_birthday(fail: &mut impl FnMut(String, String), birthday: Birthday) {
    if !(1..=12).contains(&birthday.month) {
        fail(
            "birthday.month".into(),
            format!("{} is not a month from 1 to 12", birthday.month),
        );
        return;
    }
    // No year is stored, so February allows the 29th.
    let last = days_in_month(birthday.month, None);
    if birthday.day < 1 || birthday.day > last {
        fail(
            "birthday.day".into(),
            format!(
                "{} is not a day of month {} (1 to {last})",
                birthday.day, birthday.month
            ),
        );
    }
}

fn days_in_month(month: u8, year: Option<u32>) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

/// The accepted forms: year first (`YYYY-MM-DD`, `YYYY/M/D`) or year last (`MM/DD/YYYY`,
/// `M-D-YYYY`), one separator throughout, month and day of one or two digits, and a real
/// calendar date.
fn is_anniversary(text: &str) -> bool {
    let separator = if text.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = text.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, lens: &[usize]| {
        lens.contains(&s.len()) && s.chars().all(|ch| ch.is_ascii_digit())
    };
    let (year, month, day) = if digits(a, &[4]) && digits(b, &[1, 2]) && digits(c, &[1, 2]) {
        (a, b, c)
    } else if digits(a, &[1, 2]) && digits(b, &[1, 2]) && digits(c, &[4]) {
        (c, a, b)
    } else {
        return false;
    };
    let (Ok(year), Ok(month), Ok(day)) =
        (year.parse::<u32>(), month.parse::<u8>(), day.parse::<u8>())
    else {
        return false;
    };
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(month, Some(year))
}

#[cfg(test)]
mod tests;
