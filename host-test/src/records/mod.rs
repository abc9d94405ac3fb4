//! Records in and out of the connector as files: the JSON form (NDJSON, one record a line)
//! and the flat CSV form, with errors that name the record and field at fault.

pub mod csv;
pub mod ids;
pub mod json;
mod model;
pub mod names;
mod stream;

pub use model::{Model, detect_model};
pub use stream::{
    ContactWriter, Format, OutcomeWriter, read_contacts, read_refs, read_updates, read_v2_contacts,
    read_v2_updates,
};
