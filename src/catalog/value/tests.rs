//! Custom values checked against their field's type and choices, and read back.

use super::super::field::{Choice, FieldDef, FieldType};
use super::*;
use crate::wit::{CustomFieldValue, CustomValue};

const TIER: &str = "1618ae62-4752-11e9-9c8a-fa163e6b01c1";

fn def(kind: FieldType) -> FieldDef {
    FieldDef {
        id: TIER.into(),
        name: "Tier".into(),
        label: "Tier".into(),
        kind,
        integer: false,
        allow_negative: true,
        decimal_places: None,
        choices: vec![
            Choice {
                id: "1".into(),
                label: "Gold".into(),
            },
            Choice {
                id: "2".into(),
                label: "Silver".into(),
            },
        ],
    }
}

fn text(t: &str) -> CustomValue {
    CustomValue::Text(t.into())
}

fn stored(value: Option<&str>, choices: Option<Vec<&str>>) -> Option<CustomFieldValue> {
    Some(CustomFieldValue {
        custom_field_id: TIER.into(),
        value: value.map(str::to_owned),
        choice_ids: choices.map(|c| c.into_iter().map(str::to_owned).collect()),
    })
}

#[test]
fn select_values_become_choice_ids_by_label_in_any_case() {
    let single = def(FieldType::SingleSelect);
    assert_eq!(
        to_api(&single, &text("gold")),
        Ok(stored(None, Some(vec!["1"])))
    );
    let err = to_api(&single, &text("Platinum")).unwrap_err();
    assert!(
        err.contains("\"Platinum\" is not a choice") && err.contains("\"Gold\", \"Silver\""),
        "{err}"
    );
    let two = CustomValue::Choices(vec!["Gold".into(), "Silver".into()]);
    assert_eq!(to_api(&single, &two), Err("takes one choice, not 2".into()));
    let multi = def(FieldType::MultiSelect);
    assert_eq!(to_api(&multi, &two), Ok(stored(None, Some(vec!["1", "2"]))));
    assert!(to_api(&multi, &CustomValue::Number(1.0)).is_err());
    assert_eq!(to_api(&multi, &CustomValue::Choices(vec![])), Ok(None));
}

#[test]
fn numbers_are_checked_against_the_field_settings() {
    let mut number = def(FieldType::Number);
    assert_eq!(
        to_api(&number, &CustomValue::Number(42.0)),
        Ok(stored(Some("42"), None))
    );
    assert_eq!(
        to_api(&number, &text(" 12.5 ")),
        Ok(stored(Some("12.5"), None))
    );
    assert_eq!(
        to_api(&number, &text("twelve")),
        Err("\"twelve\" is not a number".into())
    );
    number.integer = true;
    number.allow_negative = false;
    assert!(
        to_api(&number, &CustomValue::Number(1.5))
            .unwrap_err()
            .contains("whole number")
    );
    assert!(
        to_api(&number, &CustomValue::Number(-1.0))
            .unwrap_err()
            .contains("negative")
    );
    let mut currency = def(FieldType::Currency);
    currency.decimal_places = Some(2);
    assert_eq!(
        to_api(&currency, &CustomValue::Number(19.99)),
        Ok(stored(Some("19.99"), None))
    );
    assert!(
        to_api(&currency, &CustomValue::Number(1.005))
            .unwrap_err()
            .contains("more than 2 digits")
    );
    assert!(to_api(&currency, &CustomValue::Boolean(true)).is_err());
    let big = "123456789012345678901234567890";
    assert_eq!(to_api(&currency, &text(big)), Ok(stored(Some(big), None)));
    assert_eq!(
        to_api(&currency, &text("1e400")),
        Err("takes a finite number, not the text \"1e400\"".into())
    );
    assert_eq!(
        to_api(&currency, &text("1e3")),
        Ok(stored(Some("1000"), None))
    );
    assert!(to_api(&currency, &text("19.999")).is_err());
}

#[test]
fn dates_booleans_and_text_are_checked() {
    let date = def(FieldType::Date);
    assert_eq!(
        to_api(&date, &text("2024-02-29")),
        Ok(stored(Some("2024-02-29"), None))
    );
    assert!(to_api(&date, &text("2023-02-29")).is_err());
    assert!(to_api(&date, &text("29/02/2024")).is_err());
    let datetime = def(FieldType::DateTime);
    for good in ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00.125+02:00"] {
        assert!(to_api(&datetime, &text(good)).is_ok(), "{good}");
    }
    for bad in [
        "2024-05-01",
        "2024-05-01T25:00:00Z",
        "2024-05-01T10:00:00",
        "2026-01-0é00:00:00Zxxxx",
        "2026-01-01Té0:00:00Z",
        "2026-01-01T10:00:00+0é:00",
        "2026-01-01T10:00:00+99:99",
    ] {
        assert!(to_api(&datetime, &text(bad)).is_err(), "{bad}");
    }
    let boolean = def(FieldType::Boolean);
    assert_eq!(
        to_api(&boolean, &text("TRUE")),
        Ok(stored(Some("true"), None))
    );
    assert!(to_api(&boolean, &text("yes")).is_err());
    let string = def(FieldType::String);
    assert_eq!(
        to_api(&string, &CustomValue::Number(7.0)),
        Ok(stored(Some("7"), None))
    );
    assert_eq!(
        to_api(&string, &text(&"x".repeat(256))),
        Err("is longer than 255 characters".into())
    );
    assert_eq!(to_api(&string, &CustomValue::Blank), Ok(None));
}

#[test]
fn stored_values_read_back_in_the_field_type() {
    let single = def(FieldType::SingleSelect);
    let read = from_api(&single, &stored(None, Some(vec!["2"])).unwrap());
    assert_eq!(read, text("Silver"));
    let number = def(FieldType::Number);
    assert_eq!(
        from_api(&number, &stored(Some("3.5"), None).unwrap()),
        CustomValue::Number(3.5)
    );
    assert_eq!(
        from_api(&number, &stored(Some("1.50"), None).unwrap()),
        CustomValue::Number(1.5)
    );
    let long = "12345678901234567890";
    assert_eq!(
        from_api(&number, &stored(Some(long), None).unwrap()),
        text(long)
    );
    let boolean = def(FieldType::Boolean);
    assert_eq!(
        from_api(&boolean, &stored(Some("false"), None).unwrap()),
        CustomValue::Boolean(false)
    );
    assert_eq!(
        from_api(&boolean, &stored(None, None).unwrap()),
        CustomValue::Blank
    );
}
