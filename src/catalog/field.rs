//! A custom field definition as `GET /contact_custom_fields` returns it: its id, name,
//! label, type, numeric settings and choices.

use serde::Deserialize;

/// The API's custom field types; a type the connector does not know is kept as text.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    String,
    TextArea,
    Date,
    DateTime,
    Number,
    Currency,
    Boolean,
    SingleSelect,
    MultiSelect,
    Other(String),
}

impl FieldType {
    pub fn parse(text: &str) -> FieldType {
        match text {
            "string" => FieldType::String,
            "text_area" => FieldType::TextArea,
            "date" => FieldType::Date,
            "datetime" => FieldType::DateTime,
            "number" => FieldType::Number,
            "currency" => FieldType::Currency,
            "boolean" => FieldType::Boolean,
            "single_select" => FieldType::SingleSelect,
            "multi_select" => FieldType::MultiSelect,
            other => FieldType::Other(other.to_owned()),
        }
    }
}

/// One choice of a select field. The API gives choice ids as numbers in definitions and
/// as strings on contacts; both are kept here as the string.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// A custom field of the account.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    pub id: String,
    pub name: String,
    pub label: String,
    pub kind: FieldType,
    /// Whole numbers only (`metadata.integer`).
    pub integer: bool,
    /// Negative numbers allowed (`metadata.allow_negative`); absent means allowed.
    pub allow_negative: bool,
    /// Most digits after the point (`metadata.decimal_places`).
    pub decimal_places: Option<u32>,
    pub choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Wire {
    custom_field_id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    choices: Option<Vec<WireChoice>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Metadata {
    allow_negative: Option<bool>,
    decimal_places: Option<u32>,
    integer: Option<bool>,
}

#[derive(Deserialize)]
struct WireChoice {
    choice_id: serde_json::Value,
    #[serde(default)]
    choice_label: serde_json::Value,
    #[serde(default)]
    deleted_at: Option<String>,
}

/// A string, or a number written out; a choice with neither is skipped.
fn text(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => Some(s),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for FieldDef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        let label = wire.label.unwrap_or_default();
        let name = wire.name.unwrap_or_else(|| label.replace(' ', "_"));
        let metadata = wire.metadata.unwrap_or_default();
        let choices = wire
            .choices
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.deleted_at.is_none())
            .filter_map(|c| {
                Some(Choice {
                    id: text(c.choice_id)?,
                    label: text(c.choice_label)?,
                })
            })
            .collect();
        Ok(FieldDef {
            id: wire.custom_field_id,
            name,
            label,
            kind: FieldType::parse(wire.kind.as_deref().unwrap_or("string")),
            integer: metadata.integer.unwrap_or(false),
            allow_negative: metadata.allow_negative.unwrap_or(true),
            decimal_places: metadata.decimal_places,
            choices,
        })
    }
}
