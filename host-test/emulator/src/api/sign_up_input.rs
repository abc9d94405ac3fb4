//! Validation of the flat `ContactCreateOrUpdateInput` body of `POST /contacts/sign_up_form`:
//! an email string, names, one phone number, one street address, 1 to 50 lists and up to 50
//! custom fields. Each problem is one 400 message starting with the field's path.

use serde_json::{Map, Value};

use crate::api::contact_input::{Checker, is_email};
use crate::api::error::ApiError;
use crate::state::State;

/// A validated sign-up body; only what was sent (and not blank) is present.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SignUpInput {
    /// The address as sent.
    pub email: String,
    /// Names, job title, company, birthday and anniversary, normalised.
    pub core: Map<String, Value>,
    pub phone_number: Option<String>,
    /// The stored form of `street_address` (without id or timestamps).
    pub street_address: Option<Map<String, Value>>,
    /// Existing list ids, without repeats, at least one.
    pub list_memberships: Vec<String>,
    /// `{custom_field_id, value}` objects for existing fields.
    pub custom_fields: Vec<Value>,
}

/// Validates a body against the spec's limits and the account's lists and custom fields.
pub fn parse(body: &Value, state: &State) -> Result<SignUpInput, ApiError> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::validation(
            "the request body must be a JSON object",
        ));
    };
    let mut check = Checker {
        state,
        errors: Vec::new(),
    };
    let mut input = SignUpInput::default();

    // The email address identifies the contact; SMS-only sign-ups are not emulated.
    match check.string(obj, "email_address", "email_address", 50) {
        Some(address) if is_email(&address) => input.email = address,
        Some(_) => check.fail("email_address is not a valid email address".into()),
        None if obj.get("sms_channel").is_some_and(|s| !s.is_null()) => check.fail(
            "sms_channel sign-ups are not supported by the emulator; send email_address".into(),
        ),
        None => check.require("email_address"),
    }

    // Core properties.
    for key in ["first_name", "last_name", "job_title", "company_name"] {
        if let Some(value) = check.string(obj, key, key, 50) {
            input.core.insert(key.to_string(), Value::String(value));
        }
    }
    check.birthday(obj, &mut input.core);
    check.anniversary(obj, &mut input.core);
    input.phone_number = check.string(obj, "phone_number", "phone_number", 25);
    input.street_address = match obj.get("street_address") {
        None | Some(Value::Null) => None,
        Some(Value::Object(address)) => Some(check.street_address(address, "street_address")),
        Some(_) => {
            check.fail("street_address must be an object".into());
            None
        }
    };

    // Lists (required) and custom fields.
    let given_lists = obj
        .get("list_memberships")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    match check.references(obj, "list_memberships", 50, "list") {
        Some(lists) if given_lists > 0 => input.list_memberships = lists,
        Some(_) => check.fail("list_memberships must hold at least one list id".into()),
        None => check.require("list_memberships"),
    }
    input.custom_fields = check.custom_fields_up_to(obj, 50).unwrap_or_default();

    if check.errors.is_empty() {
        Ok(input)
    } else {
        Err(ApiError::validations(&check.errors))
    }
}
