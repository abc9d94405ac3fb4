//! Typed reading of JSON objects that keeps track of where it is, so a bad value is reported
//! with its path (`birthday.month`, `phone_numbers[2].kind`).

use std::fmt;

use serde_json::{Map, Value};

use crate::records::names::EnumName;

/// A value that could not be read, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field; empty for the record itself.
    pub field: String,
    pub problem: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "field `{}`: {}", self.field, self.problem)
        }
    }
}

impl std::error::Error for FieldError {}

pub type Read<T> = Result<T, FieldError>;

pub(crate) fn problem(field: &str, problem: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        problem: problem.into(),
    }
}

/// The JSON type of a value, for "expected X, found Y" messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A JSON object being read. Keys are matched with `-` read as `_`; `null` means absent.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    /// The value at `path` as an object.
    pub(crate) fn new(value: &'a Value, path: &str) -> Read<Obj<'a>> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path: path.to_owned(),
            }),
            other => Err(problem(
                path,
                format!("expected an object, found {}", kind(other)),
            )),
        }
    }

    pub(crate) fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// Refuses keys not in `known`, naming them.
    pub(crate) fn only(&self, known: &[&str]) -> Read<()> {
        let unknown: Vec<String> = self
            .map
            .keys()
            .filter(|k| !known.contains(&k.replace('-', "_").as_str()))
            .map(|k| format!("`{}`", self.path(k)))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let (noun, list) = match unknown.len() {
            1 => ("field", unknown[0].clone()),
            _ => ("fields", unknown.join(", ")),
        };
        Err(problem(
            &self.path,
            format!("unknown {noun} {list}; known fields: {}", known.join(", ")),
        ))
    }

    /// The value of `key`, `None` when absent or null.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        let found = self.map.get(key).or_else(|| {
            let dashed = key.replace('_', "-");
            self.map.get(&dashed)
        });
        found.filter(|v| !v.is_null())
    }

    /// Every key as written (no `-` to `_` reading), with its path and value, `null` included:
    /// for objects whose keys are data, such as `custom`.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&'a str, String, &'a Value)> + '_ {
        self.map
            .iter()
            .map(|(key, value)| (key.as_str(), self.path(key), value))
    }

    fn expected(&self, key: &str, what: &str, found: &Value) -> FieldError {
        problem(
            &self.path(key),
            format!("expected {what}, found {}", kind(found)),
        )
    }

    pub(crate) fn string(&self, key: &str) -> Read<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.expected(key, "a string", other)),
        }
    }

    /// An id given as a string or as a whole number (some v2 tools wrote ids as numbers),
    /// read as a string.
    pub(crate) fn id(&self, key: &str) -> Read<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
            Some(other) => Err(self.expected(key, "a string or a whole number", other)),
        }
    }

    pub(crate) fn required_string(&self, key: &str) -> Read<String> {
        self.string(key)?
            .ok_or_else(|| problem(&self.path(key), "is required"))
    }

    pub(crate) fn bool(&self, key: &str) -> Read<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.expected(key, "true or false", other)),
        }
    }

    pub(crate) fn u64(&self, key: &str) -> Read<Option<u64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| {
                problem(
                    &self.path(key),
                    format!("expected a whole number of 0 or more, found {n}"),
                )
            }),
            Some(other) => Err(self.expected(key, "a number", other)),
        }
    }

    /// A whole number that must fit `T` (e.g. `u8`, `u16`, `u32`).
    pub(crate) fn uint<T: TryFrom<u64>>(&self, key: &str) -> Read<Option<T>> {
        let Some(n) = self.u64(key)? else {
            return Ok(None);
        };
        let max = std::mem::size_of::<T>() * 8;
        T::try_from(n).map(Some).map_err(|_| {
            problem(
                &self.path(key),
                format!("{n} is too large (at most {})", (1u128 << max) - 1),
            )
        })
    }

    pub(crate) fn f64(&self, key: &str) -> Read<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(other) => Err(self.expected(key, "a number", other)),
        }
    }

    pub(crate) fn enumeration<E: EnumName>(&self, key: &str) -> Read<Option<E>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => enum_value(&self.path(key), s).map(Some),
            Some(other) => Err(self.expected(key, "a string", other)),
        }
    }

    pub(crate) fn object(&self, key: &str) -> Read<Option<Obj<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => Obj::new(value, &self.path(key)).map(Some),
        }
    }

    /// The items of an array, each with its path.
    pub(crate) fn array(&self, key: &str) -> Read<Option<Vec<(String, &'a Value)>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => {
                let base = self.path(key);
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{base}[{i}]"), v))
                    .collect();
                Ok(Some(items))
            }
            Some(other) => Err(self.expected(key, "an array", other)),
        }
    }

    pub(crate) fn strings(&self, key: &str) -> Read<Option<Vec<String>>> {
        let Some(items) = self.array(key)? else {
            return Ok(None);
        };
        items
            .into_iter()
            .map(|(path, v)| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(problem(
                    &path,
                    format!("expected a string, found {}", kind(other)),
                )),
            })
            .collect::<Read<Vec<_>>>()
            .map(Some)
    }

    pub(crate) fn enums<E: EnumName>(&self, key: &str) -> Read<Vec<E>> {
        let Some(items) = self.array(key)? else {
            return Ok(Vec::new());
        };
        items
            .into_iter()
            .map(|(path, v)| match v {
                Value::String(s) => enum_value(&path, s),
                other => Err(problem(
                    &path,
                    format!("expected a string, found {}", kind(other)),
                )),
            })
            .collect()
    }
}

pub(crate) fn enum_value<E: EnumName>(path: &str, text: &str) -> Read<E> {
    E::parse(text).ok_or_else(|| {
        problem(
            path,
            format!("unknown value \"{text}\"; expected {}", E::expected()),
        )
    })
}

/// Builds a JSON object, leaving out absent values.
#[derive(Default)]
pub(crate) struct ObjWriter {
    map: Map<String, Value>,
}

impl ObjWriter {
    pub(crate) fn new() -> Self {
        ObjWriter::default()
    }

    pub(crate) fn put(&mut self, key: &str, value: impl Into<Value>) -> &mut Self {
        self.map.insert(key.to_owned(), value.into());
        self
    }

    pub(crate) fn opt(&mut self, key: &str, value: Option<impl Into<Value>>) -> &mut Self {
        if let Some(value) = value {
            self.put(key, value);
        }
        self
    }

    pub(crate) fn name<E: EnumName>(&mut self, key: &str, value: Option<E>) -> &mut Self {
        self.opt(key, value.map(E::name))
    }

    pub(crate) fn finish(&mut self) -> Value {
        Value::Object(std::mem::take(&mut self.map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn problems_name_the_path() {
        let value = json!({"birthday": {"month": "May"}});
        let obj = Obj::new(&value, "").unwrap();
        let birthday = obj.object("birthday").unwrap().unwrap();
        let err = birthday.uint::<u8>("month").unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `birthday.month`: expected a number, found a string"
        );
    }

    #[test]
    fn dashes_in_keys_are_accepted_and_null_is_absent() {
        let value = json!({"first-name": "Ann", "last_name": null});
        let obj = Obj::new(&value, "").unwrap();
        assert_eq!(obj.string("first_name").unwrap().as_deref(), Some("Ann"));
        assert_eq!(obj.string("last_name").unwrap(), None);
        obj.only(&["first_name", "last_name"]).unwrap();
    }

    #[test]
    fn unknown_keys_are_named() {
        let value = json!({"frist_name": "Ann"});
        let obj = Obj::new(&value, "changes").unwrap();
        let err = obj.only(&["first_name"]).unwrap_err();
        assert_eq!(err.field, "changes");
        assert!(
            err.problem.contains("unknown field `changes.frist_name`"),
            "{err}"
        );
    }

    #[test]
    fn numbers_must_fit() {
        let value = json!({"page_size": 70000, "n": -1});
        let obj = Obj::new(&value, "").unwrap();
        let err = obj.uint::<u16>("page_size").unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `page_size`: 70000 is too large (at most 65535)"
        );
        assert!(obj.u64("n").is_err());
    }

    #[test]
    fn array_items_have_indexed_paths() {
        let value = json!({"lists": ["a", 3]});
        let obj = Obj::new(&value, "").unwrap();
        let err = obj.strings("lists").unwrap_err();
        assert_eq!(err.field, "lists[1]");
    }
}
