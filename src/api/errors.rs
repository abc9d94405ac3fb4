//! Turns a non-2xx API response into the WIT error: the body may be a JSON array of
//! `{error_key, error_message}`, one such object, another JSON value, HTML, text or nothing,
//! and every case yields a message without panicking. A 415 becomes `bad-response`, not
//! `validation`: it means the connector sent a body the API could not read, which no change
//! to the record would fix.

use serde_json::Value;

use crate::errors::{bad_response, field};
use crate::uuid::find_uuid;
use crate::wit::{
    ApiFailure, ConflictFailure, Error, FieldError, ForbiddenFailure, ValidationFailure,
};

/// Longest snippet of a non-JSON body quoted in a message.
const SNIPPET_CHARS: usize = 80;
/// How many of the API's messages an error keeps. Their length is bounded later, once
/// secrets are scrubbed (`errors::scrub`): cutting first could leave part of a token.
const MESSAGES_KEPT: usize = 10;

/// What an operation needs, so a 403 can say which scope and privilege are missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    ReadContacts,
    WriteContacts,
    ReadAccount,
    ReadLists,
    WriteLists,
}

impl Access {
    pub fn scope(self) -> &'static str {
        match self {
            Access::ReadContacts
            | Access::WriteContacts
            | Access::ReadLists
            | Access::WriteLists => "contact_data",
            Access::ReadAccount => "account_read",
        }
    }

    pub fn privilege(self) -> &'static str {
        match self {
            Access::ReadContacts => "contacts:read",
            Access::WriteContacts => "contacts:write",
            Access::ReadAccount => "account:read",
            Access::ReadLists => "contacts:lists:read",
            Access::WriteLists => "contacts:lists:write",
        }
    }
}

/// What the body of a refusal said.
#[derive(Debug, PartialEq)]
struct Said {
    error_key: Option<String>,
    /// The API's own messages; empty when the body carried none.
    messages: Vec<String>,
    /// The messages joined, or a description of the body.
    message: String,
}

/// Maps a status and body to the error case the WIT contract names for it.
pub fn from_response(status: u16, body: &[u8], access: Access) -> Error {
    let said = read_body(status, body);
    let failure = ApiFailure {
        status,
        error_key: said.error_key.clone(),
        message: said.message.clone(),
    };
    match status {
        400 => Error::Validation(ValidationFailure {
            status: Some(status),
            error_key: said.error_key,
            fields: fields_named(&said.messages),
            message: said.message,
        }),
        401 => Error::Unauthorized(failure),
        403 => Error::Forbidden(ForbiddenFailure {
            failure,
            required_scope: Some(access.scope().to_owned()),
            required_privilege: Some(access.privilege().to_owned()),
        }),
        404 => Error::NotFound(failure),
        409 => Error::Conflict(ConflictFailure {
            existing_contact_id: said.messages.iter().find_map(|m| find_uuid(m)),
            failure,
        }),
        415 => bad_response(
            status,
            format!(
                "failed to send the request: the API could not read its body ({})",
                said.message
            ),
        ),
        429 if said
            .error_key
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("quota_exceeded")) =>
        {
            Error::QuotaExhausted(failure)
        }
        429 => Error::RateLimited(failure),
        500..=599 => Error::ServerError(failure),
        _ => bad_response(
            status,
            format!(
                "failed to use the response: the API answered HTTP {status} ({})",
                said.message
            ),
        ),
    }
}

fn read_body(status: u16, body: &[u8]) -> Said {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    let describe = |what: &str| Said {
        error_key: None,
        messages: Vec::new(),
        message: format!("HTTP {status} with {what}"),
    };

    if trimmed.is_empty() {
        return describe("an empty body");
    }
    if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
        let mut keys = Vec::new();
        let mut messages = Vec::new();
        match &value {
            Value::Array(items) => {
                for item in items {
                    collect(item, &mut keys, &mut messages);
                }
            }
            Value::String(s) if !s.trim().is_empty() => messages.push(cleaned(s)),
            other => collect(other, &mut keys, &mut messages),
        }
        keys.truncate(MESSAGES_KEPT);
        messages.truncate(MESSAGES_KEPT);
        if messages.is_empty() && keys.is_empty() {
            return describe("an unexpected JSON body");
        }
        let message = if messages.is_empty() {
            format!("HTTP {status} with error key \"{}\"", keys.join("\", \""))
        } else {
            messages.join("; ")
        };
        return Said {
            error_key: keys.into_iter().next(),
            messages,
            message,
        };
    }

    let looks_html = trimmed.starts_with('<');
    let snippet = snippet(trimmed, looks_html);
    let what = if looks_html {
        "an HTML body"
    } else {
        "a text body"
    };
    if snippet.is_empty() {
        describe(what)
    } else {
        describe(&format!("{what}: \"{snippet}\""))
    }
}

/// Takes `error_key` and `error_message` from one object; OAuth-style `error` and
/// `error_description`, or a bare `message`, are understood too.
fn collect(value: &Value, keys: &mut Vec<String>, messages: &mut Vec<String>) {
    let Value::Object(map) = value else {
        return;
    };
    let text = |name: &str| {
        map.get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(cleaned)
    };
    if let Some(key) = text("error_key").or_else(|| text("error")) {
        keys.push(key);
    }
    if let Some(message) = text("error_message")
        .or_else(|| text("error_description"))
        .or_else(|| text("message"))
    {
        messages.push(message);
    }
}

/// One of the API's messages as kept in an error: control characters, which could forge
/// log lines, become spaces.
fn cleaned(message: &str) -> String {
    message
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Visible text of a non-JSON body: tags dropped, whitespace collapsed, control characters
/// removed, at most [`SNIPPET_CHARS`] characters.
fn snippet(text: &str, strip_tags: bool) -> String {
    let mut visible = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' if strip_tags => {
                in_tag = true;
                visible.push(' ');
            }
            '>' if strip_tags && in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_control() || c.is_whitespace() || c == '"' => visible.push(' '),
            c => visible.push(c),
        }
    }
    let words: Vec<&str> = visible.split_whitespace().collect();
    let collapsed = words.join(" ");
    if collapsed.chars().count() <= SNIPPET_CHARS {
        collapsed
    } else {
        let cut: String = collapsed.chars().take(SNIPPET_CHARS).collect();
        format!("{cut}…")
    }
}

/// Verbs that follow a field name in the API's validation messages ("create_source is
/// missing", "limit must be between 1 and 500").
const FIELD_VERBS: [&str; 11] = [
    "is", "are", "does", "do", "must", "has", "have", "cannot", "can", "should", "exceeds",
];

/// Fields named by validation messages such as "create_source is missing, create_source
/// does not have a valid value"; messages that name none give nothing.
fn fields_named(messages: &[String]) -> Vec<FieldError> {
    let mut fields: Vec<FieldError> = Vec::new();
    for message in messages {
        let body = message
            .strip_prefix("Validation failed:")
            .unwrap_or(message)
            .trim();
        for clause in body.split([',', ';']) {
            let clause = clause.trim().trim_end_matches('.');
            let mut words = clause.splitn(2, ' ');
            let (Some(name), Some(rest)) = (words.next(), words.next()) else {
                continue;
            };
            let verb = rest.split(' ').next().unwrap_or("");
            if is_field_name(name) && FIELD_VERBS.contains(&verb) {
                let found = field(name, rest.trim());
                if !fields.contains(&found) {
                    fields.push(found);
                }
            }
        }
    }
    fields
}

/// Lower-case words that open sentences without naming a field.
const NOT_FIELDS: [&str; 5] = ["this", "that", "it", "there", "request"];

fn is_field_name(word: &str) -> bool {
    !NOT_FIELDS.contains(&word)
        && word.starts_with(|c: char| c.is_ascii_lowercase())
        && word.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '[' | ']')
        })
}

#[cfg(test)]
mod tests;
