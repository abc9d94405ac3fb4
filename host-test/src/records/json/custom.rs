//! The JSON form of a contact's `custom` values: one object mapping each field's name to its
//! value, where the JSON type picks the WIT case (string → `text`, number → `number`,
//! boolean → `boolean`, array of strings → `choices`, `null` → `blank`).

use serde_json::{Map, Value};

use super::reader::{FieldError, Obj, Read, problem};
use crate::wit::{CustomEntry, CustomValue};

/// The `custom` object. Keys come out sorted by field name (the JSON maps of this crate keep
/// no insertion order); a name given twice keeps its last value.
pub fn custom_to_json(entries: &[CustomEntry]) -> Value {
    let mut map = Map::new();
    for entry in entries {
        map.insert(entry.field.clone(), custom_value_to_json(&entry.value));
    }
    Value::Object(map)
}

fn custom_value_to_json(value: &CustomValue) -> Value {
    match value {
        CustomValue::Text(text) => Value::from(text.clone()),
        CustomValue::Number(n) => number_to_json(*n),
        CustomValue::Boolean(b) => Value::from(*b),
        CustomValue::Choices(labels) => Value::from(labels.clone()),
        CustomValue::Blank => Value::Null,
    }
}

/// Whole numbers are written without a fraction (`3`, not `3.0`), so a schema that asks for
/// an integer accepts them. A number JSON cannot hold (NaN, infinity) is written as `null`.
fn number_to_json(n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole f64 below it is exact
    if n.fract() == 0.0 && n.abs() < EXACT {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

/// Reads the `custom` key of a contact object; absent (or `null`) means `none`. Entries
/// follow the keys' order, which is sorted by name.
pub(crate) fn read_custom(obj: &Obj<'_>) -> Read<Option<Vec<CustomEntry>>> {
    let Some(custom) = obj.object("custom")? else {
        return Ok(None);
    };
    custom
        .entries()
        .map(|(field, path, value)| {
            Ok(CustomEntry {
                field: field.to_owned(),
                value: read_custom_value(value, &path)?,
            })
        })
        .collect::<Result<Vec<_>, FieldError>>()
        .map(Some)
}

fn read_custom_value(value: &Value, path: &str) -> Read<CustomValue> {
    match value {
        Value::Null => Ok(CustomValue::Blank),
        Value::String(text) => Ok(CustomValue::Text(text.clone())),
        Value::Bool(b) => Ok(CustomValue::Boolean(*b)),
        Value::Number(n) => read_number(n, path),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(label) => Ok(label.clone()),
                _ => Err(problem(
                    &format!("{path}[{i}]"),
                    "expected a string (a choice's label)",
                )),
            })
            .collect::<Read<Vec<_>>>()
            .map(CustomValue::Choices),
        Value::Object(_) => Err(problem(
            path,
            "expected a string, number, boolean, array of strings or null, found an object",
        )),
    }
}

/// Whole numbers past 2^53 do not survive the WIT's `f64`: one JSON holds as an integer is
/// passed as its digits (text, which number fields accept), and a whole number JSON could
/// only read as a float is refused, since its digits were already rounded when it was read.
fn read_number(n: &serde_json::Number, path: &str) -> Read<CustomValue> {
    const EXACT: u64 = 1 << 53;
    let beyond = |magnitude: u64| magnitude > EXACT;
    if n.as_u64().is_some_and(beyond) || n.as_i64().is_some_and(|i| beyond(i.unsigned_abs())) {
        return Ok(CustomValue::Text(n.to_string()));
    }
    let Some(float) = n.as_f64().filter(|f| f.is_finite()) else {
        return Err(problem(path, format!("{n} is not a usable number")));
    };
    if float.fract() == 0.0 && float.abs() > EXACT as f64 {
        return Err(problem(
            path,
            format!("{n} is a whole number too large to read exactly; write it as a string"),
        ));
    }
    Ok(CustomValue::Number(float))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Read<Option<Vec<CustomEntry>>> {
        let contact = json!({ "custom": value });
        read_custom(&Obj::new(&contact, "").unwrap())
    }

    fn entry(field: &str, value: CustomValue) -> CustomEntry {
        CustomEntry {
            field: field.into(),
            value,
        }
    }

    #[test]
    fn json_types_pick_the_custom_value_case() {
        let entries = read(json!({
            "Signup Date": "2026-01-02",
            "Score": 4.5,
            "Seats": 3,
            "Vip": true,
            "Colours": ["Red", "Blue"],
            "Notes": null,
        }))
        .unwrap()
        .unwrap();
        let expected = [
            entry(
                "Colours",
                CustomValue::Choices(vec!["Red".into(), "Blue".into()]),
            ),
            entry("Notes", CustomValue::Blank),
            entry("Score", CustomValue::Number(4.5)),
            entry("Seats", CustomValue::Number(3.0)),
            entry("Signup Date", CustomValue::Text("2026-01-02".into())),
            entry("Vip", CustomValue::Boolean(true)),
        ];
        assert!(entries == expected, "{entries:?}");
    }

    #[test]
    fn custom_values_round_trip_and_blank_is_null() {
        let entries = vec![
            entry("A", CustomValue::Blank),
            entry("B", CustomValue::Number(-0.25)),
            entry("C", CustomValue::Number(12.0)),
            entry("D", CustomValue::Choices(vec![])),
            entry("E", CustomValue::Text(String::new())),
            entry("F", CustomValue::Boolean(false)),
        ];
        let value = custom_to_json(&entries);
        assert_eq!(
            value,
            json!({"A": null, "B": -0.25, "C": 12, "D": [], "E": "", "F": false})
        );
        assert!(
            value["C"].is_i64(),
            "a whole number is written as an integer"
        );
        assert!(read(value).unwrap().unwrap() == entries);
    }

    #[test]
    fn whole_numbers_past_two_to_the_53_keep_their_digits() {
        let entries = read(json!({
            "Big": 9_007_199_254_740_993_u64,
            "Low": -9_007_199_254_740_993_i64,
            "Edge": 9_007_199_254_740_992_u64,
        }))
        .unwrap()
        .unwrap();
        let expected = [
            entry("Big", CustomValue::Text("9007199254740993".into())),
            entry("Edge", CustomValue::Number(9_007_199_254_740_992.0)),
            entry("Low", CustomValue::Text("-9007199254740993".into())),
        ];
        assert!(entries == expected, "{entries:?}");
    }

    #[test]
    fn whole_numbers_already_rounded_by_json_are_refused() {
        let contact: Value =
            serde_json::from_str(r#"{"custom": {"Id": 123456789012345678901234567890}}"#).unwrap();
        let err = read_custom(&Obj::new(&contact, "").unwrap()).unwrap_err();
        assert_eq!(err.field, "custom.Id");
        assert!(err.problem.contains("write it as a string"), "{err}");
        let fine = read(json!({"Price": 12.25})).unwrap().unwrap();
        assert!(fine == [entry("Price", CustomValue::Number(12.25))]);
    }

    #[test]
    fn absent_custom_is_none_and_empty_is_a_value() {
        assert!(read(Value::Null).unwrap().is_none());
        assert_eq!(read(json!({})).unwrap(), Some(vec![]));
    }

    #[test]
    fn wrong_types_name_their_field() {
        let err = read(json!({"Colours": ["Red", 2]})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `custom.Colours[1]`: expected a string (a choice's label)"
        );
        let err = read(json!({"Size": {"value": 3}})).unwrap_err();
        assert_eq!(err.field, "custom.Size");
        assert!(err.problem.contains("found an object"), "{err}");
        let err = read(json!(["Size", 3])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `custom`: expected an object, found an array"
        );
    }
}
