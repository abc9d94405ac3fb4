//! What one account adds to the schemas: its list and tag names as enumerations and its
//! custom fields as named, typed properties of `custom`, read through the connection's
//! catalog.

use serde_json::{Map, Value, json};

use crate::api::client::Client;
use crate::catalog::{Catalog, FieldDef, FieldType, Kind};
use crate::wit::Error;

/// The account's names, as the schemas show them.
pub struct Account {
    pub lists: Vec<String>,
    pub tags: Vec<String>,
    /// Each custom field with the key it goes by in `custom`.
    pub fields: Vec<(String, FieldDef)>,
}

impl Account {
    pub fn read(client: &Client, catalog: &Catalog) -> Result<Account, Error> {
        let names = |kind| -> Result<Vec<String>, Error> {
            let mut names: Vec<String> = catalog
                .all(client, kind)?
                .into_iter()
                .map(|n| n.name)
                .collect();
            names.sort();
            names.dedup();
            Ok(names)
        };
        let lists = names(Kind::Lists)?;
        let tags = names(Kind::Tags)?;
        let mut fields = catalog.fields(client)?;
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Account {
            lists,
            tags,
            fields,
        })
    }
}

/// An array of names; with the account's names, an enumeration of them.
pub fn named_list(names: Option<&[String]>, description: &str) -> Value {
    let items = match names {
        Some(names) => json!({"type": "string", "enum": names}),
        None => json!({"type": "string", "minLength": 1}),
    };
    json!({"type": "array", "items": items, "maxItems": 50, "description": description})
}

/// The `custom` object: any field name for any account, or this account's fields.
pub fn custom(fields: Option<&[(String, FieldDef)]>) -> Value {
    let description = "Custom field values by field name (the label is accepted too); null removes a value in an update.";
    let Some(fields) = fields else {
        return json!({
            "type": "object",
            "description": description,
            "maxProperties": 25,
            "additionalProperties": {
                "type": ["string", "number", "boolean", "array", "null"],
                "items": {"type": "string"}
            }
        });
    };
    let properties: Map<String, Value> = fields
        .iter()
        .map(|(key, f)| (key.clone(), field_schema(f)))
        .collect();
    json!({
        "type": "object",
        "description": description,
        "maxProperties": 25,
        "properties": properties,
        "additionalProperties": false
    })
}

/// A number field: a JSON number, or a numeral as text for values too long for a JSON
/// number to hold exactly (query output gives those as text).
fn numeric(kind: &str, whole: bool) -> Value {
    let pattern = if whole {
        "^-?[0-9]+(\\.0+)?$"
    } else {
        "^-?[0-9]+(\\.[0-9]+)?$"
    };
    json!({"type": [kind, "string", "null"], "pattern": pattern})
}

/// One custom field as a typed property.
fn field_schema(field: &FieldDef) -> Value {
    let labels: Vec<&str> = field.choices.iter().map(|c| c.label.as_str()).collect();
    let (mut schema, kind) = match &field.kind {
        FieldType::String | FieldType::Other(_) => (
            json!({"type": ["string", "null"], "maxLength": 255}),
            "text",
        ),
        FieldType::TextArea => (
            json!({"type": ["string", "null"], "maxLength": 255}),
            "text area",
        ),
        FieldType::Date => (
            json!({"type": ["string", "null"], "format": "date"}),
            "date",
        ),
        FieldType::DateTime => (
            json!({"type": ["string", "null"], "format": "date-time"}),
            "date-time",
        ),
        FieldType::Number => (
            numeric(
                if field.integer { "integer" } else { "number" },
                field.integer,
            ),
            "number",
        ),
        FieldType::Currency => (numeric("number", false), "currency"),
        FieldType::Boolean => (json!({"type": ["boolean", "null"]}), "boolean"),
        FieldType::SingleSelect => {
            let mut choices: Vec<Value> = labels.iter().map(|l| json!(l)).collect();
            choices.push(Value::Null);
            (json!({"enum": choices}), "one choice")
        }
        FieldType::MultiSelect => (
            json!({"type": ["array", "null"], "items": {"enum": labels}, "uniqueItems": true}),
            "choices",
        ),
    };
    if let Some(object) = schema.as_object_mut() {
        if matches!(field.kind, FieldType::Number | FieldType::Currency) && !field.allow_negative {
            object.insert("minimum".into(), json!(0));
        }
        object.insert("title".into(), json!(field.label));
        let mut description = format!("Custom field \"{}\" ({kind})", field.label);
        if let Some(places) = field.decimal_places {
            description.push_str(&format!(", at most {places} decimal places"));
        }
        description.push('.');
        object.insert("description".into(), json!(description));
    }
    schema
}
