//! The JSON form of every record that crosses the connector's boundary (see the common
//! conventions: WIT field names with `_`, absent options left out, enum names with `_`).

mod contact;
#[cfg(test)]
mod contact_tests;
mod custom;
mod errors;
mod options;
mod outcomes;
mod reader;
mod requests;
mod v2;

pub use contact::{contact_from_json, contact_to_json, email_only, empty_contact};
pub use errors::{error_from_json, error_kind, error_message, error_summary, error_to_json};
pub use options::{
    create_options_from_json, create_options_to_json, default_create_options,
    default_delete_options, default_update_options, delete_options_from_json,
    delete_options_to_json, update_options_from_json, update_options_to_json,
};
pub use outcomes::{
    account_info_from_json, account_info_to_json, outcome_contact_id, outcome_from_json,
    outcome_name, outcome_to_json,
};
pub use reader::FieldError;
pub use requests::{
    checkpoint_from_json, checkpoint_to_json, connection_config_from_json,
    connection_config_to_json, contact_ref_from_json, contact_ref_to_json,
    contact_update_from_json, contact_update_to_json, empty_query, query_request_from_json,
    query_request_to_json,
};
pub use v2::{
    empty_v2_contact, v2_contact_from_json, v2_contact_to_json, v2_update_from_json,
    v2_update_to_json,
};
