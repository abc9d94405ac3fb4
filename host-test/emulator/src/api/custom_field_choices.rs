//! Choices of `single_select` and `multi_select` custom fields: reading `choices` and
//! `metadata.display_type` from a `CustomFieldRequest`, storing them as `CustomFieldChoice`
//! objects with integer ids, and reading a stored field's choices back.

use serde_json::{Map, Value, json};

use crate::api::error::ApiError;

/// The custom field types that carry choices.
pub const SELECT_TYPES: [&str; 2] = ["single_select", "multi_select"];
/// Values of `metadata.display_type`.
pub const DISPLAY_TYPES: [&str; 3] = ["dropdown", "checkbox", "radio"];
/// The display type of a select field created without one.
pub const DEFAULT_DISPLAY_TYPE: &str = "dropdown";
/// Longest `choice_label`.
const LABEL_MAX: usize = 255;

/// Whether fields of this type carry choices.
pub fn is_select(kind: &str) -> bool {
    SELECT_TYPES.contains(&kind)
}

/// Most choices a select field of a display type holds: 100 for a dropdown, 20 for radio
/// buttons and checkboxes.
pub fn max_choices(display_type: &str) -> usize {
    if display_type == "dropdown" { 100 } else { 20 }
}

/// One choice of a field being created.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChoice {
    pub label: String,
    /// `display_order` as sent; the choice's position (from 1) when omitted.
    pub display_order: Option<i64>,
}

/// The choice settings of a select field being created.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRequest {
    pub display_type: String,
    pub choices: Vec<NewChoice>,
}

/// Reads the choice settings of a create body for a field of `kind`: `Ok(None)` for a type
/// without choices, 400 when a select type has no choices, when another type has some, or
/// when a choice is malformed, repeats a label (any case) or exceeds the display type's
/// maximum. Every problem is one message.
pub fn parse(body: &Map<String, Value>, kind: &str) -> Result<Option<ChoiceRequest>, ApiError> {
    let items = match body.get("choices") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ApiError::validation("choices must be an array")),
    };
    if !is_select(kind) {
        if items.is_empty() {
            return Ok(None);
        }
        return Err(ApiError::validation(format!(
            "choices is only allowed for single_select and multi_select fields, not \"{kind}\""
        )));
    }
    if items.is_empty() {
        return Err(ApiError::validation(format!(
            "choices is required for a {kind} field; give at least one"
        )));
    }

    // The display type decides how many choices fit.
    let display_type = match body.get("metadata").and_then(|m| m.get("display_type")) {
        None | Some(Value::Null) => DEFAULT_DISPLAY_TYPE.to_string(),
        Some(Value::String(t)) if DISPLAY_TYPES.contains(&t.as_str()) => t.clone(),
        Some(_) => {
            let allowed = DISPLAY_TYPES.join(", ");
            return Err(ApiError::validation(format!(
                "metadata.display_type does not have a valid value; use one of {allowed}"
            )));
        }
    };
    let max = max_choices(&display_type);
    if items.len() > max {
        return Err(ApiError::validation(format!(
            "choices exceeds the maximum of {max} items for display type {display_type}"
        )));
    }

    // Each choice on its own; a label may appear once.
    let mut errors = Vec::new();
    let mut choices: Vec<NewChoice> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match choice(item, &format!("choices[{i}]")) {
            Ok(new) => {
                let repeat = choices
                    .iter()
                    .position(|c| c.label.to_lowercase() == new.label.to_lowercase());
                match repeat {
                    Some(first) => errors.push(format!(
                        "choices[{i}].choice_label \"{}\" repeats choices[{first}]",
                        new.label
                    )),
                    None => choices.push(new),
                }
            }
            Err(message) => errors.push(message),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validations(&errors));
    }
    Ok(Some(ChoiceRequest {
        display_type,
        choices,
    }))
}

/// One `CustomFieldChoiceRequest`; `Err` is its validation message.
fn choice(item: &Value, path: &str) -> Result<NewChoice, String> {
    let Some(item) = item.as_object() else {
        return Err(format!("{path} must be an object"));
    };
    let label = match item.get("choice_label") {
        Some(Value::String(label)) if !label.trim().is_empty() => label.trim(),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            return Err(format!("{path}.choice_label is required"));
        }
        Some(_) => return Err(format!("{path}.choice_label must be a string")),
    };
    if label.chars().count() > LABEL_MAX {
        return Err(format!(
            "{path}.choice_label exceeds the maximum length of {LABEL_MAX}"
        ));
    }
    let display_order = match item.get("display_order") {
        None | Some(Value::Null) => None,
        Some(order) => match order.as_i64() {
            Some(order) => Some(order),
            None => return Err(format!("{path}.display_order must be an integer")),
        },
    };
    Ok(NewChoice {
        label: label.to_string(),
        display_order,
    })
}

/// The stored `choices` array of field `field_id`, ids drawn from `next_id` (the last id
/// issued, shared by every field of the account).
pub fn stored(field_id: &str, choices: &[NewChoice], next_id: &mut u64, stamp: &str) -> Value {
    let stored = choices
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            *next_id += 1;
            json!({
                "custom_field_id": field_id,
                "choice_id": *next_id,
                "choice_label": choice.label,
                "display_order": choice.display_order.unwrap_or(i as i64 + 1),
                "created_at": stamp,
                "updated_at": stamp,
            })
        })
        .collect();
    Value::Array(stored)
}

/// `(choice_id, choice_label)` of each choice of a stored field, in stored order.
pub fn choices_of(field: &Map<String, Value>) -> Vec<(u64, &str)> {
    field
        .get("choices")
        .and_then(Value::as_array)
        .map(|choices| {
            choices
                .iter()
                .filter_map(|c| {
                    let id = c.get("choice_id")?.as_u64()?;
                    Some((id, c.get("choice_label")?.as_str()?))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn messages(error: ApiError) -> Vec<String> {
        let entries = error.body.as_array().cloned().unwrap_or_default();
        entries
            .iter()
            .map(|e| e["error_message"].as_str().unwrap_or("").to_string())
            .collect()
    }

    #[test]
    fn reads_choices_with_the_default_display_type() {
        let request = body(json!({"choices": [
            {"choice_label": " Gold "}, {"choice_label": "Silver", "display_order": 7}
        ]}));
        let parsed = parse(&request, "single_select").unwrap().unwrap();
        assert_eq!(parsed.display_type, "dropdown");
        assert_eq!(
            parsed.choices,
            [
                NewChoice {
                    label: "Gold".into(),
                    display_order: None
                },
                NewChoice {
                    label: "Silver".into(),
                    display_order: Some(7)
                },
            ]
        );
        assert_eq!(parse(&body(json!({})), "string"), Ok(None));
        assert_eq!(parse(&body(json!({"choices": []})), "date"), Ok(None));
    }

    #[test]
    fn refuses_missing_misplaced_and_repeated_choices() {
        let none = parse(&body(json!({})), "multi_select").unwrap_err();
        assert_eq!(none.status, 400);
        assert!(messages(none)[0].starts_with("choices is required"));
        let misplaced = parse(&body(json!({"choices": [{"choice_label": "A"}]})), "string");
        assert!(messages(misplaced.unwrap_err())[0].contains("not \"string\""));

        let repeated = body(json!({"choices": [
            {"choice_label": "Gold"}, {"choice_label": ""}, {"choice_label": "GOLD"},
            {"choice_label": "X", "display_order": "first"}
        ]}));
        let found = messages(parse(&repeated, "single_select").unwrap_err());
        assert_eq!(
            found,
            [
                "choices[1].choice_label is required",
                "choices[2].choice_label \"GOLD\" repeats choices[0]",
                "choices[3].display_order must be an integer",
            ]
        );
    }

    #[test]
    fn caps_choices_by_display_type() {
        let labels = |n: usize| -> Vec<Value> {
            (0..n)
                .map(|i| json!({"choice_label": format!("c{i}")}))
                .collect()
        };
        let dropdown = body(json!({"choices": labels(100)}));
        assert_eq!(
            parse(&dropdown, "multi_select")
                .unwrap()
                .unwrap()
                .choices
                .len(),
            100
        );
        let too_many = body(json!({"choices": labels(101)}));
        assert!(messages(parse(&too_many, "multi_select").unwrap_err())[0].contains("100"));
        let radio = body(json!({"choices": labels(21), "metadata": {"display_type": "radio"}}));
        assert!(messages(parse(&radio, "single_select").unwrap_err())[0].contains("20"));
        let odd = body(json!({"choices": labels(1), "metadata": {"display_type": "list"}}));
        assert!(messages(parse(&odd, "single_select").unwrap_err())[0].contains("display_type"));
    }

    #[test]
    fn stores_choices_with_account_wide_ids() {
        let mut next = 4;
        let choices = [
            NewChoice {
                label: "Gold".into(),
                display_order: None,
            },
            NewChoice {
                label: "Silver".into(),
                display_order: Some(9),
            },
        ];
        let stored = stored("f1", &choices, &mut next, "2026-01-02T03:04:05Z");
        assert_eq!(next, 6);
        assert_eq!(stored[0]["choice_id"], 5);
        assert_eq!(stored[0]["display_order"], 1);
        assert_eq!(stored[1]["display_order"], 9);
        assert_eq!(stored[1]["custom_field_id"], "f1");
        let field = body(json!({"choices": stored}));
        assert_eq!(choices_of(&field), [(5, "Gold"), (6, "Silver")]);
    }
}
