//! The v3 JSON shapes the connector reads and writes. Read shapes accept missing fields;
//! write shapes hold only writable fields and omit what is absent.

use serde::{Deserialize, Serialize};

/// `Customer`, from `GET /account/summary` (only the fields the connector reports).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountSummary {
    pub organization_name: Option<String>,
    pub contact_email: Option<String>,
    pub encoded_account_id: Option<String>,
}

/// `Contacts`, one page of `GET /contacts`.
#[derive(Debug, Deserialize)]
pub struct ContactsPage {
    pub contacts: Vec<ContactResource>,
    #[serde(default, rename = "_links")]
    pub links: Option<Links>,
}

impl ContactsPage {
    pub fn next_href(&self) -> Option<&str> {
        self.links
            .as_ref()?
            .next
            .as_ref()
            .map(|link| link.href.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Links {
    pub next: Option<Link>,
}

#[derive(Debug, Deserialize)]
pub struct Link {
    pub href: String,
}

/// `ContactResource`, as reads return it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct ContactResource {
    pub contact_id: Option<String>,
    pub email_address: Option<EmailAddressRead>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub job_title: Option<String>,
    pub company_name: Option<String>,
    pub birthday_month: Option<i64>,
    pub birthday_day: Option<i64>,
    pub anniversary: Option<String>,
    pub create_source: Option<String>,
    pub update_source: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub deleted_at: Option<String>,
    pub custom_fields: Option<Vec<CustomFieldRead>>,
    pub phone_numbers: Option<Vec<PhoneNumberRead>>,
    pub street_addresses: Option<Vec<StreetAddressRead>>,
    pub list_memberships: Option<Vec<String>>,
    pub taggings: Option<Vec<String>>,
    pub notes: Option<Vec<NoteRead>>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct EmailAddressRead {
    pub address: Option<String>,
    pub permission_to_send: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub opt_in_source: Option<String>,
    pub opt_in_date: Option<String>,
    pub opt_out_source: Option<String>,
    pub opt_out_date: Option<String>,
    pub opt_out_reason: Option<String>,
    pub confirm_status: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct CustomFieldRead {
    pub custom_field_id: Option<String>,
    pub value: Option<String>,
    pub choice_ids: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct PhoneNumberRead {
    pub phone_number_id: Option<String>,
    pub phone_number: Option<String>,
    pub kind: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub update_source: Option<String>,
    pub create_source: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct StreetAddressRead {
    pub street_address_id: Option<String>,
    pub kind: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct NoteRead {
    pub note_id: Option<String>,
    pub created_at: Option<String>,
    pub content: Option<String>,
}

/// The body of `POST /contacts` (`ContactPostRequest`) and `PUT /contacts/{id}`
/// (`ContactPutRequest`): writable fields only, absent ones omitted.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ContactWrite {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<EmailAddressWrite>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday_month: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday_day: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anniversary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<CustomFieldWrite>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<Vec<PhoneNumberWrite>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_addresses: Option<Vec<StreetAddressWrite>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_memberships: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taggings: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<NoteWrite>>,
}

/// `EmailAddressPost` / `EmailAddressPut`; `opt_out_reason` exists only in the PUT form.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EmailAddressWrite {
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_to_send: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opt_out_reason: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CustomFieldWrite {
    pub custom_field_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice_ids: Option<Vec<String>>,
}

/// `PhoneNumberPut`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PhoneNumberWrite {
    pub phone_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
}

/// `StreetAddressPut`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StreetAddressWrite {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// `Note`; a new note may come without an id, which the API then assigns.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct NoteWrite {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    pub content: String,
}

/// The body of `POST /contacts/sign_up_form` (`ContactCreateOrUpdateInput`): flat, one
/// phone number and one street address at most, lists required.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SignUpForm {
    pub email_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    pub list_memberships: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<CustomFieldWrite>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anniversary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday_month: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday_day: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<StreetAddressWrite>,
}

/// The answer to the sign-up form: which contact. (Its `action` string is not relied on:
/// the connector knows from its own lookup whether the contact existed.)
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignUpAnswer {
    pub contact_id: Option<String>,
}
