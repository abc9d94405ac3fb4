//! Checking a named custom field value against its field's type and choices, and turning it
//! into what the API stores (`value` text, or `choice_ids` for select fields); and the way
//! back, for query output.

use super::field::{Choice, FieldDef, FieldType};
use super::same_name;
use crate::wit::{CustomFieldValue, CustomValue};

/// The API keeps at most this many characters of a value.
const MAX_VALUE: usize = 255;

/// The value to send, `None` for a blank, or why the value does not fit the field.
pub fn to_api(def: &FieldDef, value: &CustomValue) -> Result<Option<CustomFieldValue>, String> {
    if let CustomValue::Blank = value {
        return Ok(None);
    }
    let stored = |text: String| CustomFieldValue {
        custom_field_id: def.id.clone(),
        value: Some(text),
        choice_ids: None,
    };
    let checked = match &def.kind {
        FieldType::SingleSelect | FieldType::MultiSelect => {
            let ids = choices(def, value)?;
            if ids.is_empty() {
                return Ok(None);
            }
            return Ok(Some(CustomFieldValue {
                custom_field_id: def.id.clone(),
                value: None,
                choice_ids: Some(ids),
            }));
        }
        FieldType::Number | FieldType::Currency => number(def, value)?,
        FieldType::Boolean => match value {
            CustomValue::Boolean(b) => b.to_string(),
            CustomValue::Text(t) if t.trim().eq_ignore_ascii_case("true") => "true".into(),
            CustomValue::Text(t) if t.trim().eq_ignore_ascii_case("false") => "false".into(),
            _ => return Err(format!("takes true or false, not {}", shown(value))),
        },
        FieldType::Date => {
            let text = text(value, "a date (YYYY-MM-DD)")?;
            if !is_date(text.trim()) {
                return Err(format!("\"{text}\" is not a date (YYYY-MM-DD)"));
            }
            text.trim().to_owned()
        }
        FieldType::DateTime => {
            let text = text(value, "a date-time (YYYY-MM-DDTHH:MM:SSZ)")?;
            let t = text.trim();
            let date = t.get(..10).is_some_and(is_date);
            if t.len() < 19 || !date || !t.get(10..).is_some_and(is_time) {
                return Err(format!(
                    "\"{text}\" is not a date-time (YYYY-MM-DDTHH:MM:SS with Z or an offset)"
                ));
            }
            t.to_owned()
        }
        FieldType::String | FieldType::TextArea | FieldType::Other(_) => match value {
            CustomValue::Text(t) => t.clone(),
            CustomValue::Number(n) => format_number(*n),
            CustomValue::Boolean(b) => b.to_string(),
            _ => return Err(format!("takes text, not {}", shown(value))),
        },
    };
    if checked.chars().count() > MAX_VALUE {
        return Err(match def.kind {
            FieldType::Number | FieldType::Currency => {
                format!(
                    "{} has more digits than the {MAX_VALUE} a value holds",
                    shown(value)
                )
            }
            _ => format!("is longer than {MAX_VALUE} characters"),
        });
    }
    Ok(Some(stored(checked)))
}

/// The value in the form a mapping reads: numbers as numbers, choices by label.
pub fn from_api(def: &FieldDef, stored: &CustomFieldValue) -> CustomValue {
    let text = stored.value.clone().filter(|v| !v.is_empty());
    match &def.kind {
        FieldType::SingleSelect | FieldType::MultiSelect => {
            let labels: Vec<String> = stored
                .choice_ids
                .iter()
                .flatten()
                .filter_map(|id| def.choices.iter().find(|c| &c.id == id))
                .map(|c| c.label.clone())
                .collect();
            match (labels.is_empty(), text) {
                (true, Some(t)) => CustomValue::Text(t),
                (true, None) => CustomValue::Blank,
                (false, _) if def.kind == FieldType::SingleSelect && labels.len() == 1 => {
                    CustomValue::Text(labels[0].clone())
                }
                (false, _) => CustomValue::Choices(labels),
            }
        }
        // A number only when every digit survives as one; else the text as stored, which a
        // write takes back unchanged.
        FieldType::Number | FieldType::Currency => match text {
            Some(t) => match t.trim().parse::<f64>() {
                Ok(n) if n.is_finite() && format_number(n) == without_trailing_zeros(t.trim()) => {
                    CustomValue::Number(n)
                }
                _ => CustomValue::Text(t),
            },
            None => CustomValue::Blank,
        },
        FieldType::Boolean => match text.as_deref().map(str::trim) {
            Some("true") => CustomValue::Boolean(true),
            Some("false") => CustomValue::Boolean(false),
            Some(other) => CustomValue::Text(other.to_owned()),
            None => CustomValue::Blank,
        },
        _ => text.map_or(CustomValue::Blank, CustomValue::Text),
    }
}

fn choices(def: &FieldDef, value: &CustomValue) -> Result<Vec<String>, String> {
    let labels: Vec<&str> = match value {
        CustomValue::Text(t) => vec![t.as_str()],
        CustomValue::Choices(list) => list.iter().map(String::as_str).collect(),
        _ => return Err(format!("takes choice labels, not {}", shown(value))),
    };
    if def.kind == FieldType::SingleSelect && labels.len() > 1 {
        return Err(format!("takes one choice, not {}", labels.len()));
    }
    let mut ids = Vec::with_capacity(labels.len());
    for label in labels {
        let choice = find_choice(&def.choices, label).ok_or_else(|| {
            let known: Vec<String> = def
                .choices
                .iter()
                .map(|c| format!("\"{}\"", c.label))
                .collect();
            format!(
                "\"{label}\" is not a choice of this field (choices: {})",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            )
        })?;
        if !ids.contains(&choice.id) {
            ids.push(choice.id.clone());
        }
    }
    Ok(ids)
}

fn find_choice<'a>(choices: &'a [Choice], label: &str) -> Option<&'a Choice> {
    choices
        .iter()
        .find(|c| c.label == label)
        .or_else(|| choices.iter().find(|c| same_name(&c.label, label)))
}

fn number(def: &FieldDef, value: &CustomValue) -> Result<String, String> {
    let (n, written) = match value {
        CustomValue::Number(n) => (*n, None),
        CustomValue::Text(t) => {
            let n = t
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("\"{t}\" is not a number"))?;
            // A plain numeral is kept digit for digit; only other forms go through `f64`.
            (n, is_numeral(t.trim()).then(|| t.trim().to_owned()))
        }
        _ => return Err(format!("takes a number, not {}", shown(value))),
    };
    if !n.is_finite() {
        return Err(format!("takes a finite number, not {}", shown(value)));
    }
    if n < 0.0 && !def.allow_negative {
        return Err(format!(
            "{} is negative, which this field does not allow",
            format_number(n)
        ));
    }
    if def.integer && n.fract() != 0.0 {
        return Err(format!("{} is not a whole number", format_number(n)));
    }
    let text = written.unwrap_or_else(|| format_number(n));
    if def.integer && text.contains('.') && !text.trim_end_matches('0').ends_with('.') {
        return Err(format!("{text} is not a whole number"));
    }
    if let Some(places) = def.decimal_places {
        let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
        if decimals > places as usize {
            return Err(format!(
                "{text} has more than {places} digits after the decimal point"
            ));
        }
    }
    Ok(text)
}

/// `1.50` as `1.5`, `2.0` as `2`: the form `format_number` gives a number it reads back.
fn without_trailing_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// An optional minus, digits, and optionally a point and more digits.
fn is_numeral(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A number as the API stores it: no exponent, no trailing zeros.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn text<'a>(value: &'a CustomValue, wanted: &str) -> Result<&'a String, String> {
    match value {
        CustomValue::Text(t) => Ok(t),
        _ => Err(format!("takes {wanted}, not {}", shown(value))),
    }
}

fn shown(value: &CustomValue) -> String {
    match value {
        CustomValue::Text(t) => format!("the text \"{t}\""),
        CustomValue::Number(n) => format!("the number {}", format_number(*n)),
        CustomValue::Boolean(b) => format!("the boolean {b}"),
        CustomValue::Choices(c) => format!("a list of {} choices", c.len()),
        CustomValue::Blank => "a blank".into(),
    }
}

/// `YYYY-MM-DD` naming a real day.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `THH:MM:SS`, optional fraction, then `Z` or `±HH:MM`.
fn is_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 9 || b[0] != b'T' || b[3] != b':' || b[6] != b':' {
        return false;
    }
    let two = |at: usize, max: u32| {
        text.get(at..at + 2)
            .and_then(|s| s.parse::<u32>().ok())
            .is_some_and(|v| v <= max)
            && b[at].is_ascii_digit()
            && b[at + 1].is_ascii_digit()
    };
    if !(two(1, 23) && two(4, 59) && two(7, 60)) {
        return false;
    }
    let mut rest = &text[9..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest {
        "Z" => true,
        offset if offset.len() == 6 && (offset.starts_with('+') || offset.starts_with('-')) => {
            let o = offset.as_bytes();
            let part =
                |r: std::ops::Range<usize>| offset.get(r).and_then(|p| p.parse::<u32>().ok());
            o[3] == b':'
                && o[1..3].iter().chain(&o[4..6]).all(u8::is_ascii_digit)
                && part(1..3).is_some_and(|h| h <= 23)
                && part(4..6).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
