//! Empty WIT records, to fill field by field.

use crate::wit;

/// An empty contact record, to fill field by field.
pub fn contact() -> wit::Contact {
    wit::Contact {
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
pub fn email(address: &str) -> wit::EmailAddress {
    wit::EmailAddress {
        address: address.into(),
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
