//! The CSV form of contacts, updates, references and outcomes.

mod columns;
mod input;
mod output;

pub use columns::{COLUMN_NAMES, Column, CsvUse, format_birthday, parse_birthday, split_list};
pub use input::{contacts_from_csv, refs_from_csv, updates_from_csv};
pub use output::{OUTCOME_HEADER, contact_header, contact_row, fits_flat_form, outcome_row};
