//! The `describe` activity: JSON Schema (draft 2020-12) documents of the JSON form of the
//! connection config and of each activity's input and output, for hosts that draw forms and
//! mapping screens. `for_account` makes them for one account: its lists, tags and custom
//! fields by name.

mod account;
mod contact;
mod v2;

use serde_json::{Map, Value, json};

use crate::api::client::Client;
use crate::catalog::Catalog;
use crate::config::{DEFAULT_API_BASE_URL, DEFAULT_AUTH_BASE_URL};
use crate::wit::{Error, Schemas};

use account::Account;

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schemas for any account.
pub fn schemas() -> Schemas {
    build(None)
}

/// The schemas for the connection's account.
pub fn for_account(client: &Client, catalog: &Catalog) -> Result<Schemas, Error> {
    let account = Account::read(client, catalog)?;
    Ok(build(Some(&account)))
}

fn build(account: Option<&Account>) -> Schemas {
    let contact = || contact::contact_in(account);
    let update_defs = || {
        [
            ("contact", contact()),
            ("contact_ref", contact::contact_ref()),
        ]
    };
    Schemas {
        connection_config: document("Connection config", connection_config()),
        query_input: document("Query input", query_request()),
        query_output: document("Query output", contact()),
        create_input: document("Create input", contact()),
        update_input: with_defs("Update input", contact::contact_update(), update_defs()),
        delete_input: document("Delete input", contact::contact_ref()),
        write_output: document("Write output", outcome()),
        create_v2_input: document("Create v2 input", v2::contact()),
        update_v2_input: with_defs(
            "Update v2 input",
            v2::update(),
            [
                ("v2_contact", v2::contact()),
                ("contact_ref", contact::contact_ref()),
            ],
        ),
    }
}

fn document(title: &str, schema: Value) -> String {
    with_defs(title, schema, [])
}

/// Adds `$schema`, `title` and any `$defs` to a schema and renders it.
fn with_defs<const N: usize>(title: &str, schema: Value, defs: [(&str, Value); N]) -> String {
    let mut object = match schema {
        Value::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("allOf".into(), json!([other]));
            map
        }
    };
    object.insert("$schema".into(), json!(DRAFT));
    object.insert("title".into(), json!(title));
    if N > 0 {
        let defs: Map<String, Value> = defs
            .into_iter()
            .map(|(name, schema)| (name.to_owned(), schema))
            .collect();
        object.insert("$defs".into(), Value::Object(defs));
    }
    Value::Object(object).to_string()
}

fn secret(description: &str) -> Value {
    json!({
        "type": "string",
        "minLength": 1,
        "writeOnly": true,
        "format": "password",
        "description": description
    })
}

fn timeout(description: &str, default: u32) -> Value {
    json!({
        "type": "integer",
        "minimum": 1,
        "maximum": u32::MAX,
        "default": default,
        "description": format!("{description}, in milliseconds.")
    })
}

fn connection_config() -> Value {
    json!({
        "type": "object",
        "description": "Settings a connection is opened with. Only access_token is required; secrets are never shown back.",
        "required": ["access_token"],
        "properties": {
            "api_base_url": {
                "type": "string",
                "format": "uri",
                "pattern": "^[hH][tT][tT][pP][sS]?://",
                "default": DEFAULT_API_BASE_URL,
                "description": "Base URL of the v3 API (http or https, with a host). Every request and pagination link stays on its origin."
            },
            "auth_base_url": {
                "type": "string",
                "format": "uri",
                "pattern": "^[hH][tT][tT][pP][sS]?://",
                "default": DEFAULT_AUTH_BASE_URL,
                "description": "Base URL of the OAuth2 authorization server."
            },
            "access_token": secret("OAuth2 bearer access token. Never logged or returned."),
            "access_token_expires_at": {
                "type": "integer",
                "minimum": 0,
                "description": "When the access token expires, in seconds since the Unix epoch."
            },
            "refresh_token": secret("OAuth2 refresh token, for connections that renew themselves."),
            "client_id": {"type": "string", "description": "OAuth2 client id (the application's API key)."},
            "client_secret": secret("OAuth2 client secret; public clients have none."),
            "timeouts": {
                "type": "object",
                "description": "HTTP timeouts for every request of the connection.",
                "properties": {
                    "connect_ms": timeout("Establishing the connection", 10_000),
                    "first_byte_ms": timeout("From the end of the request to the first response byte", 30_000),
                    "between_bytes_ms": timeout("Longest pause between two response body chunks", 30_000)
                },
                "additionalProperties": false
            },
            "pacing": {
                "type": "object",
                "description": "Request pacing; absent means the API's limit of 4 requests per second.",
                "required": ["requests_per_second"],
                "properties": {
                    "requests_per_second": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "default": 4,
                        "description": "Requests per second, sustained; lower it when several instances share one application key."
                    }
                },
                "additionalProperties": false
            },
            "retry": {
                "type": "object",
                "description": "Retries of requests that failed for a passing reason (429 throttled, 5xx, timeouts, resets), with exponential backoff and jitter; Retry-After is honoured.",
                "properties": {
                    "max_attempts": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": u32::MAX,
                        "default": crate::api::retry::DEFAULT_MAX_ATTEMPTS,
                        "description": "Attempts per request, the first included; 1 turns retries off."
                    },
                    "initial_delay_ms": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": u32::MAX,
                        "default": crate::api::retry::DEFAULT_INITIAL_DELAY_MS,
                        "description": "Delay before the first retry, in milliseconds; it doubles with each retry."
                    },
                    "max_delay_ms": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": u32::MAX,
                        "default": crate::api::retry::DEFAULT_MAX_DELAY_MS,
                        "description": "Longest single delay, in milliseconds; not below initial_delay_ms. A longer Retry-After ends the retries."
                    }
                },
                "additionalProperties": false
            },
            "refresh_margin_seconds": {
                "type": "integer",
                "minimum": 0,
                "maximum": u32::MAX,
                "default": 300,
                "description": "Renew the access token once it is this close to expiry, in seconds."
            },
            "time_budget_ms": {
                "type": "integer",
                "minimum": 1,
                "description": "Longest one activity call may take, waits and retries included, in milliseconds; once spent, the remaining records are not attempted (budget_exhausted)."
            }
        },
        "additionalProperties": false
    })
}

fn date_time(description: &str) -> Value {
    json!({"type": "string", "format": "date-time", "minLength": 1, "description": description})
}

fn query_request() -> Value {
    json!({
        "type": "object",
        "description": "Which contacts to read. Empty lists and absent values do not filter.",
        "properties": {
            "email": {"type": "string", "format": "email", "maxLength": 80, "description": "Exact email address, matched case-insensitively."},
            "status": {
                "type": "array",
                "items": {"type": "string", "enum": ["all", "active", "deleted", "not_set", "pending_confirmation", "temp_hold", "unsubscribed"]},
                "uniqueItems": true,
                "description": "Statuses to return; empty means every contact that is not deleted."
            },
            "lists": {"type": "array", "items": {"type": "string", "format": "uuid"}, "maxItems": 25, "description": "Contacts on any of these lists."},
            "tags": {"type": "array", "items": {"type": "string", "format": "uuid"}, "maxItems": 50, "description": "Contacts with any of these tags."},
            "created_after": date_time("Created after this ISO-8601 date-time."),
            "created_before": date_time("Created before this ISO-8601 date-time."),
            "updated_after": date_time("Updated after this ISO-8601 date-time."),
            "updated_before": date_time("Updated before this ISO-8601 date-time."),
            "subresources": {
                "type": "array",
                "items": {"type": "string", "enum": ["custom_fields", "list_memberships", "phone_numbers", "street_addresses", "taggings", "notes"]},
                "uniqueItems": true,
                "description": "Subresources to return with each contact."
            },
            "page_size": {"type": "integer", "minimum": 1, "maximum": 500, "default": 500, "description": "Contacts per page."},
            "max_records": {"type": "integer", "minimum": 0, "description": "Stop after this many contacts."},
            "with_names": {"type": "boolean", "default": false, "description": "Fill lists, tags and custom with names beside the ids of the included subresources."}
        },
        "additionalProperties": false
    })
}

fn api_failure_fields() -> Value {
    json!({
        "status": {"type": "integer", "minimum": 100, "maximum": 599, "description": "HTTP status of the response."},
        "error_key": {"type": "string", "description": "The API's error_key."}
    })
}

fn error_case(kind: &str, description: &str, extra: Value, required: &[&str]) -> Value {
    let mut properties = json!({
        "kind": {"const": kind},
        "message": {"type": "string", "description": "What went wrong, in a sentence; never holds a secret."}
    });
    if let (Value::Object(props), Value::Object(extra)) = (&mut properties, extra) {
        props.extend(extra);
    }
    let mut needed = vec!["kind", "message"];
    needed.extend_from_slice(required);
    json!({"type": "object", "description": description, "required": needed, "properties": properties})
}

fn error() -> Value {
    let api = api_failure_fields();
    let with = |more: Value| {
        let mut merged = api.clone();
        if let (Value::Object(m), Value::Object(more)) = (&mut merged, more) {
            m.extend(more);
        }
        merged
    };
    let plain = json!({});
    json!({
        "description": "Why an operation failed.",
        "oneOf": [
            error_case("invalid_config", "The connection config or the activity options are unusable.", plain.clone(), &[]),
            error_case("unauthorized", "401: the access token is invalid, expired or revoked.", api.clone(), &["status"]),
            error_case("reauthorization_required", "A person must authorize the connection again.", plain.clone(), &[]),
            error_case("forbidden", "403: a scope, a privilege or the application state.", with(json!({
                "required_scope": {"type": "string", "description": "The OAuth2 scope the operation needs."},
                "required_privilege": {"type": "string", "description": "The user privilege the operation needs."}
            })), &["status"]),
            error_case("not_found", "404: the contact does not exist.", api.clone(), &["status"]),
            error_case("conflict", "409: the email address belongs to another contact (deleted ones included).", with(json!({
                "existing_contact_id": {"type": "string", "format": "uuid", "description": "The contact holding the address."}
            })), &["status"]),
            error_case("validation", "The record's content: refused by the connector before sending (no status) or by the API (400).", with(json!({
                "fields": {
                    "type": "array",
                    "description": "The fields at fault.",
                    "items": {
                        "type": "object",
                        "required": ["field", "reason"],
                        "properties": {
                            "field": {"type": "string", "description": "Path in the record, e.g. email_address.address or phone_numbers[1]."},
                            "reason": {"type": "string", "description": "Why it was refused."}
                        }
                    }
                }
            })), &["fields"]),
            error_case("rate_limited", "429 throttled: too many requests per second.", api.clone(), &["status"]),
            error_case("quota_exhausted", "429 quota_exceeded: the daily request quota is spent.", api.clone(), &["status"]),
            error_case("server_error", "5xx: the API failed.", api.clone(), &["status"]),
            error_case("transport", "No HTTP response arrived.", json!({
                "transport_kind": {"type": "string", "enum": ["timeout", "connection_refused", "connection_reset", "dns", "tls", "denied", "other"], "description": "What kind of failure."}
            }), &["transport_kind"]),
            error_case("bad_response", "An HTTP response the connector could not use.", json!({
                "status": {"type": "integer", "description": "HTTP status of the response."}
            }), &["status"]),
            error_case("credentials_not_saved", "The host could not keep renewed credentials.", plain.clone(), &[]),
            error_case("budget_exhausted", "The activity ran out of its time budget.", plain, &[])
        ]
    })
}

fn outcome() -> Value {
    let written = |name: &str, description: &str| {
        json!({
            "type": "object",
            "description": description,
            "required": ["outcome", "contact_id", "notes"],
            "properties": {
                "outcome": {"const": name},
                "contact_id": {"type": "string", "format": "uuid", "description": "The contact written."},
                "notes": {"type": "array", "items": {"type": "string"}, "description": "Things to know, e.g. a normalised email address."},
                "losses": {
                    "type": "array",
                    "description": "Input fields written only approximately or not at all (v2 records, upsert).",
                    "items": {
                        "type": "object",
                        "required": ["field", "kind", "detail"],
                        "properties": {
                            "field": {"type": "string", "description": "The field's path in the input, e.g. fax."},
                            "kind": {"type": "string", "enum": ["dropped", "approximated"], "description": "Not written, or written in a nearby form."},
                            "detail": {"type": "string", "description": "What happened to it."}
                        }
                    }
                }
            }
        })
    };
    let failed = |name: &str, description: &str| {
        json!({
            "type": "object",
            "description": description,
            "required": ["outcome", "error"],
            "properties": {"outcome": {"const": name}, "error": {"$ref": "#/$defs/error"}}
        })
    };
    json!({
        "description": "The result for one input record; exactly one per record, in input order.",
        "oneOf": [
            written("created", "The contact was created."),
            written("updated", "The contact was updated."),
            {
                "type": "object",
                "description": "The contact was deleted, or had been already.",
                "required": ["outcome", "contact_id", "already_deleted"],
                "properties": {
                    "outcome": {"const": "deleted"},
                    "contact_id": {"type": "string", "format": "uuid", "description": "The contact deleted."},
                    "already_deleted": {"type": "boolean", "description": "True when nothing had to change."}
                }
            },
            {
                "type": "object",
                "description": "The contact's address was opted out (delete in unsubscribe mode), or had been already.",
                "required": ["outcome", "contact_id", "already_unsubscribed"],
                "properties": {
                    "outcome": {"const": "unsubscribed"},
                    "contact_id": {"type": "string", "format": "uuid", "description": "The contact unsubscribed."},
                    "already_unsubscribed": {"type": "boolean", "description": "True when nothing had to change."}
                }
            },
            {
                "type": "object",
                "description": "The record was deliberately left alone.",
                "required": ["outcome", "reason"],
                "properties": {
                    "outcome": {"const": "skipped"},
                    "contact_id": {"type": "string", "format": "uuid", "description": "The contact concerned, when one exists."},
                    "reason": {"type": "string", "description": "Why nothing was done."}
                }
            },
            failed("failed", "This record failed; the others are unaffected."),
            failed("not_attempted", "Not tried because an earlier error stopped the activity; send it again as it is.")
        ],
        "$defs": {"error": error()}
    })
}

#[cfg(test)]
mod tests;
