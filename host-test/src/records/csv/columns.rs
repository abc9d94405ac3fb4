//! The flat CSV columns of a contact: their names, which activities accept them, and the
//! small text formats used inside cells (`MM-DD` birthdays, `;`-separated lists,
//! `id=value` custom fields).

use crate::wit::PhoneKind;

/// What a CSV file holds, which decides the columns it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvUse {
    /// Contacts to create (or contacts read by a query).
    Create,
    /// Updates: an `id` or `email` target, changes, and an optional `clear` column.
    Update,
    /// References: `id` or `email` only.
    Delete,
}

/// One column of a contact CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Id,
    Email,
    Permission,
    FirstName,
    LastName,
    JobTitle,
    CompanyName,
    Birthday,
    Anniversary,
    /// `phone` (no kind), `home_phone`, `work_phone`, `mobile_phone`.
    Phone(Option<PhoneKind>),
    Street,
    City,
    State,
    PostalCode,
    Country,
    AddressKind,
    Lists,
    Tags,
    /// `cf:<custom_field_id>`: the value of one custom field.
    CustomField(String),
    /// `custom_fields`: `id=value` pairs separated by `;`.
    CustomFields,
    Notes,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    /// `clear` (updates only): contact field names separated by `;`.
    Clear,
}

/// The fixed column names, in the order the CSV writer uses.
pub const COLUMN_NAMES: &[&str] = &[
    "id",
    "email",
    "permission",
    "first_name",
    "last_name",
    "job_title",
    "company_name",
    "birthday",
    "anniversary",
    "phone",
    "home_phone",
    "work_phone",
    "mobile_phone",
    "street",
    "city",
    "state",
    "postal_code",
    "country",
    "address_kind",
    "lists",
    "tags",
    "custom_fields",
    "notes",
    "created_at",
    "updated_at",
    "deleted_at",
];

impl Column {
    /// The column a header cell names, if any (any letter case, `-` or `_`).
    pub fn parse(header: &str) -> Option<Column> {
        let trimmed = header.trim();
        if let Some(id) = trimmed
            .strip_prefix("cf:")
            .or_else(|| trimmed.strip_prefix("CF:"))
        {
            let id = id.trim();
            return (!id.is_empty()).then(|| Column::CustomField(id.to_owned()));
        }
        let column = match crate::records::names::normalise(trimmed).as_str() {
            "id" => Column::Id,
            "email" => Column::Email,
            "permission" => Column::Permission,
            "first_name" => Column::FirstName,
            "last_name" => Column::LastName,
            "job_title" => Column::JobTitle,
            "company_name" => Column::CompanyName,
            "birthday" => Column::Birthday,
            "anniversary" => Column::Anniversary,
            "phone" => Column::Phone(None),
            "home_phone" => Column::Phone(Some(PhoneKind::Home)),
            "work_phone" => Column::Phone(Some(PhoneKind::Work)),
            "mobile_phone" => Column::Phone(Some(PhoneKind::Mobile)),
            "street" => Column::Street,
            "city" => Column::City,
            "state" => Column::State,
            "postal_code" => Column::PostalCode,
            "country" => Column::Country,
            "address_kind" => Column::AddressKind,
            "lists" => Column::Lists,
            "tags" => Column::Tags,
            "custom_fields" => Column::CustomFields,
            "notes" => Column::Notes,
            "created_at" => Column::CreatedAt,
            "updated_at" => Column::UpdatedAt,
            "deleted_at" => Column::DeletedAt,
            "clear" => Column::Clear,
            _ => return None,
        };
        Some(column)
    }

    /// Whether a file for `usage` may have this column.
    pub fn allowed_in(&self, usage: CsvUse) -> bool {
        match usage {
            CsvUse::Delete => matches!(self, Column::Id | Column::Email),
            CsvUse::Update => true,
            CsvUse::Create => !matches!(self, Column::Clear),
        }
    }
}

/// Splits a `;`-separated cell into its trimmed, non-empty parts.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads a `custom_fields` cell: `id=value` pairs separated by `;`. The writer does not
/// escape a `;` inside a value, so a part that does not start with an id (text without
/// spaces) and `=` continues the previous value: "id=English; Français" reads back whole.
/// Values and ids are trimmed; empty parts are skipped.
pub fn split_custom_fields(cell: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in cell.split(';') {
        if part.trim().is_empty() {
            continue;
        }
        let starts_pair = part.split_once('=').filter(|(id, _)| {
            let id = id.trim();
            !id.is_empty() && !id.contains(char::is_whitespace)
        });
        match (starts_pair, pairs.last_mut()) {
            (Some((id, value)), _) => pairs.push((id.trim().to_owned(), value.to_owned())),
            (None, Some((_, value))) => {
                value.push(';');
                value.push_str(part);
            }
            (None, None) => return Err(format!("expected id=value, found \"{}\"", part.trim())),
        }
    }
    for (_, value) in &mut pairs {
        *value = value.trim().to_owned();
    }
    Ok(pairs)
}

/// Reads `MM-DD` (or `M-D`, or with `/`) into month and day.
pub fn parse_birthday(cell: &str) -> Option<(u8, u8)> {
    let (month, day) = cell.trim().split_once(['-', '/'])?;
    let month: u8 = month.trim().parse().ok()?;
    let day: u8 = day.trim().parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((month, day))
}

pub fn format_birthday(month: u8, day: u8) -> String {
    format!("{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_leniently() {
        assert_eq!(Column::parse(" First-Name "), Some(Column::FirstName));
        assert_eq!(Column::parse("EMAIL"), Some(Column::Email));
        assert_eq!(
            Column::parse("cf:1a2b"),
            Some(Column::CustomField("1a2b".into()))
        );
        assert_eq!(
            Column::parse("mobile_phone"),
            Some(Column::Phone(Some(PhoneKind::Mobile)))
        );
        assert_eq!(Column::parse("cf:"), None);
        assert_eq!(Column::parse("nickname"), None);
    }

    #[test]
    fn every_written_column_can_be_read_back() {
        for name in COLUMN_NAMES {
            let column = Column::parse(name).unwrap_or_else(|| panic!("{name}"));
            assert!(column.allowed_in(CsvUse::Create), "{name}");
        }
    }

    #[test]
    fn delete_files_take_only_targets() {
        assert!(Column::Id.allowed_in(CsvUse::Delete));
        assert!(Column::Email.allowed_in(CsvUse::Delete));
        assert!(!Column::FirstName.allowed_in(CsvUse::Delete));
        assert!(!Column::Clear.allowed_in(CsvUse::Create));
    }

    #[test]
    fn birthdays_are_month_and_day() {
        assert_eq!(parse_birthday("05-17"), Some((5, 17)));
        assert_eq!(parse_birthday("5/7"), Some((5, 7)));
        assert_eq!(parse_birthday("13-01"), None);
        assert_eq!(parse_birthday("May 5"), None);
        assert_eq!(format_birthday(5, 7), "05-07");
    }

    #[test]
    fn custom_field_values_may_hold_semicolons() {
        let pairs = split_custom_fields("cf-1=English; Français;cf-2=Gold; ;").unwrap();
        assert_eq!(
            pairs,
            [
                ("cf-1".to_owned(), "English; Français".to_owned()),
                ("cf-2".to_owned(), "Gold".to_owned())
            ]
        );
        assert_eq!(
            split_custom_fields(" cf-1 = a=b ").unwrap(),
            [("cf-1".to_owned(), "a=b".to_owned())]
        );
        assert_eq!(
            split_custom_fields("no pair; cf-1=x").unwrap_err(),
            "expected id=value, found \"no pair\""
        );
    }

    #[test]
    fn lists_split_on_semicolons() {
        assert_eq!(split_list(" a ; ;b;"), ["a", "b"]);
        assert!(split_list("  ").is_empty());
    }
}
