//! The JSON form of what goes into the connector: contact references and updates, query
//! requests and checkpoints, and the connection config (whose secrets are never written).

use serde_json::Value;

use super::contact::{contact_to_json, read_contact};
use super::reader::{Obj, ObjWriter, Read, problem};
use crate::records::names::EnumName;
use crate::wit::{
    Checkpoint, ConnectionConfig, ContactRef, ContactUpdate, Pacing, QueryRequest, RetryPolicy,
    Timeouts,
};

pub fn contact_ref_to_json(target: &ContactRef) -> Value {
    match target {
        ContactRef::Id(id) => serde_json::json!({ "id": id }),
        ContactRef::Email(email) => serde_json::json!({ "email": email }),
    }
}

/// Reads `{"id": ...}` or `{"email": ...}`; exactly one of them.
pub fn contact_ref_from_json(value: &Value) -> Read<ContactRef> {
    read_ref(value, "")
}

pub(super) fn read_ref(value: &Value, path: &str) -> Read<ContactRef> {
    let obj = Obj::new(value, path)?;
    obj.only(&["id", "email"])?;
    match (obj.string("id")?, obj.string("email")?) {
        (Some(id), None) => Ok(ContactRef::Id(id)),
        (None, Some(email)) => Ok(ContactRef::Email(email)),
        (Some(_), Some(_)) => Err(problem(path, "give either `id` or `email`, not both")),
        (None, None) => Err(problem(path, "expected `id` or `email`")),
    }
}

pub fn contact_update_to_json(update: &ContactUpdate) -> Value {
    let clear: Vec<&str> = update.clear.iter().map(|f| f.name()).collect();
    serde_json::json!({
        "target": contact_ref_to_json(&update.target),
        "changes": contact_to_json(&update.changes),
        "clear": clear,
    })
}

pub fn contact_update_from_json(value: &Value) -> Read<ContactUpdate> {
    let obj = Obj::new(value, "")?;
    obj.only(&["target", "changes", "clear"])?;
    let target = match obj.get("target") {
        Some(target) => read_ref(target, "target")?,
        None => return Err(problem("target", "is required")),
    };
    let changes = match obj.get("changes") {
        Some(changes) => read_contact(changes, "changes")?,
        None => super::contact::empty_contact(),
    };
    Ok(ContactUpdate {
        target,
        changes,
        clear: obj.enums("clear")?,
    })
}

/// A query request that filters nothing.
pub fn empty_query() -> QueryRequest {
    QueryRequest {
        email: None,
        status: Vec::new(),
        lists: Vec::new(),
        tags: Vec::new(),
        created_after: None,
        created_before: None,
        updated_after: None,
        updated_before: None,
        subresources: Vec::new(),
        page_size: None,
        max_records: None,
        with_names: false,
    }
}

pub fn query_request_to_json(request: &QueryRequest) -> Value {
    let names = |items: Vec<&'static str>| Value::from(items);
    ObjWriter::new()
        .opt("email", request.email.clone())
        .put(
            "status",
            names(request.status.iter().map(|s| s.name()).collect()),
        )
        .put("lists", request.lists.clone())
        .put("tags", request.tags.clone())
        .opt("created_after", request.created_after.clone())
        .opt("created_before", request.created_before.clone())
        .opt("updated_after", request.updated_after.clone())
        .opt("updated_before", request.updated_before.clone())
        .put(
            "subresources",
            names(request.subresources.iter().map(|s| s.name()).collect()),
        )
        .opt("page_size", request.page_size)
        .opt("max_records", request.max_records)
        .put("with_names", request.with_names)
        .finish()
}

/// Reads a query request; absent lists are empty and an absent `with_names` is false.
pub fn query_request_from_json(value: &Value) -> Read<QueryRequest> {
    let obj = Obj::new(value, "")?;
    obj.only(&[
        "email",
        "status",
        "lists",
        "tags",
        "created_after",
        "created_before",
        "updated_after",
        "updated_before",
        "subresources",
        "page_size",
        "max_records",
        "with_names",
    ])?;
    Ok(QueryRequest {
        email: obj.string("email")?,
        status: obj.enums("status")?,
        lists: obj.strings("lists")?.unwrap_or_default(),
        tags: obj.strings("tags")?.unwrap_or_default(),
        created_after: obj.string("created_after")?,
        created_before: obj.string("created_before")?,
        updated_after: obj.string("updated_after")?,
        updated_before: obj.string("updated_before")?,
        subresources: obj.enums("subresources")?,
        page_size: obj.uint("page_size")?,
        max_records: obj.u64("max_records")?,
        with_names: obj.bool("with_names")?.unwrap_or(false),
    })
}

pub fn checkpoint_to_json(checkpoint: &Checkpoint) -> Value {
    ObjWriter::new()
        .opt("next_page", checkpoint.next_page.clone())
        .put("delivered", checkpoint.delivered)
        .put("finished", checkpoint.finished)
        .finish()
}

pub fn checkpoint_from_json(value: &Value) -> Read<Checkpoint> {
    let obj = Obj::new(value, "")?;
    obj.only(&["next_page", "delivered", "finished"])?;
    Ok(Checkpoint {
        next_page: obj.string("next_page")?,
        delivered: obj.u64("delivered")?.unwrap_or(0),
        finished: obj.bool("finished")?.unwrap_or(false),
    })
}

/// The connection config without its secrets (`access_token`, `refresh_token` and
/// `client_secret` are left out), safe to print or store.
pub fn connection_config_to_json(config: &ConnectionConfig) -> Value {
    let timeouts = config.timeouts.map(|t| {
        ObjWriter::new()
            .opt("connect_ms", t.connect_ms)
            .opt("first_byte_ms", t.first_byte_ms)
            .opt("between_bytes_ms", t.between_bytes_ms)
            .finish()
    });
    let pacing = config
        .pacing
        .map(|p| serde_json::json!({"requests_per_second": p.requests_per_second}));
    let retry = config.retry.map(|r| {
        ObjWriter::new()
            .opt("max_attempts", r.max_attempts)
            .opt("initial_delay_ms", r.initial_delay_ms)
            .opt("max_delay_ms", r.max_delay_ms)
            .finish()
    });
    ObjWriter::new()
        .opt("api_base_url", config.api_base_url.clone())
        .opt("auth_base_url", config.auth_base_url.clone())
        .opt("access_token_expires_at", config.access_token_expires_at)
        .opt("client_id", config.client_id.clone())
        .opt("timeouts", timeouts)
        .opt("pacing", pacing)
        .opt("refresh_margin_seconds", config.refresh_margin_seconds)
        .opt("retry", retry)
        .opt("time_budget_ms", config.time_budget_ms)
        .finish()
}

/// Reads a connection config. The access token may be absent (it then reads as empty), for
/// config files that leave it to a flag or the environment.
pub fn connection_config_from_json(value: &Value) -> Read<ConnectionConfig> {
    let obj = Obj::new(value, "")?;
    obj.only(&[
        "api_base_url",
        "auth_base_url",
        "access_token",
        "access_token_expires_at",
        "refresh_token",
        "client_id",
        "client_secret",
        "timeouts",
        "pacing",
        "refresh_margin_seconds",
        "retry",
        "time_budget_ms",
    ])?;
    let timeouts = match obj.object("timeouts")? {
        None => None,
        Some(t) => {
            t.only(&["connect_ms", "first_byte_ms", "between_bytes_ms"])?;
            Some(Timeouts {
                connect_ms: t.uint("connect_ms")?,
                first_byte_ms: t.uint("first_byte_ms")?,
                between_bytes_ms: t.uint("between_bytes_ms")?,
            })
        }
    };
    let pacing = match obj.object("pacing")? {
        None => None,
        Some(p) => {
            p.only(&["requests_per_second"])?;
            let rate = p
                .f64("requests_per_second")?
                .ok_or_else(|| problem(&p.path("requests_per_second"), "is required"))?;
            Some(Pacing {
                requests_per_second: rate,
            })
        }
    };
    let retry = match obj.object("retry")? {
        None => None,
        Some(r) => {
            r.only(&["max_attempts", "initial_delay_ms", "max_delay_ms"])?;
            Some(RetryPolicy {
                max_attempts: r.uint("max_attempts")?,
                initial_delay_ms: r.uint("initial_delay_ms")?,
                max_delay_ms: r.uint("max_delay_ms")?,
            })
        }
    };
    Ok(ConnectionConfig {
        api_base_url: obj.string("api_base_url")?,
        auth_base_url: obj.string("auth_base_url")?,
        access_token: obj.string("access_token")?.unwrap_or_default(),
        access_token_expires_at: obj.u64("access_token_expires_at")?,
        refresh_token: obj.string("refresh_token")?,
        client_id: obj.string("client_id")?,
        client_secret: obj.string("client_secret")?,
        timeouts,
        pacing,
        refresh_margin_seconds: obj.uint("refresh_margin_seconds")?,
        retry,
        time_budget_ms: obj.u64("time_budget_ms")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::json::contact::{email_only, empty_contact};
    use crate::wit::{ContactField, ContactStatus, Subresource};
    use serde_json::json;

    #[test]
    fn refs_are_id_or_email() {
        let by_id = contact_ref_from_json(&json!({"id": "c-1"})).unwrap();
        assert!(by_id == ContactRef::Id("c-1".into()));
        assert_eq!(contact_ref_to_json(&by_id), json!({"id": "c-1"}));
        let by_email = contact_ref_from_json(&json!({"email": "A@b.c"})).unwrap();
        assert!(by_email == ContactRef::Email("A@b.c".into()));

        let both = contact_ref_from_json(&json!({"id": "1", "email": "a@b.c"})).unwrap_err();
        assert!(both.problem.contains("not both"), "{both}");
        assert!(contact_ref_from_json(&json!({})).is_err());
    }

    #[test]
    fn updates_round_trip_and_read_clear_names() {
        let update = ContactUpdate {
            target: ContactRef::Email("a@b.c".into()),
            changes: Contact {
                job_title: Some("CTO".into()),
                email_address: Some(email_only("new@b.c")),
                ..empty_contact()
            },
            clear: vec![ContactField::FirstName, ContactField::PhoneNumbers],
        };
        let value = contact_update_to_json(&update);
        assert_eq!(value["clear"], json!(["first_name", "phone_numbers"]));
        assert!(contact_update_from_json(&value).unwrap() == update);

        let err = contact_update_from_json(&json!({"target": {"id": "1"}, "clear": ["age"]}))
            .unwrap_err();
        assert_eq!(err.field, "clear[0]");
        let err =
            contact_update_from_json(&json!({"target": {"id": "1"}, "changes": {"birthday": 3}}))
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `changes.birthday`: expected an object, found a number"
        );
        let err = contact_update_from_json(&json!({"changes": {}})).unwrap_err();
        assert_eq!(err.to_string(), "field `target`: is required");
    }

    use crate::wit::Contact;

    #[test]
    fn query_requests_round_trip() {
        let request = QueryRequest {
            email: None,
            status: vec![ContactStatus::Active, ContactStatus::NotSet],
            lists: vec!["l-1".into()],
            subresources: vec![Subresource::CustomFields, Subresource::ListMemberships],
            updated_after: Some("2025-01-01T00:00:00Z".into()),
            page_size: Some(50),
            max_records: Some(120),
            ..empty_query()
        };
        let value = query_request_to_json(&request);
        assert_eq!(value["status"], json!(["active", "not_set"]));
        assert!(query_request_from_json(&value).unwrap() == request);

        let lenient =
            query_request_from_json(&json!({"status": ["Pending-Confirmation"]})).unwrap();
        assert!(lenient.status == [ContactStatus::PendingConfirmation]);
        assert!(query_request_from_json(&json!({"page_size": 1_000_000})).is_err());

        let named = query_request_from_json(&json!({"with_names": true})).unwrap();
        assert!(named.with_names);
        assert_eq!(query_request_to_json(&named)["with_names"], true);
        assert!(!query_request_from_json(&json!({})).unwrap().with_names);
        let err = query_request_from_json(&json!({"with_names": "yes"})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `with_names`: expected true or false, found a string"
        );
    }

    #[test]
    fn checkpoints_round_trip() {
        let checkpoint = Checkpoint {
            next_page: Some("/v3/contacts?cursor=abc".into()),
            delivered: 12,
            finished: false,
        };
        let value = checkpoint_to_json(&checkpoint);
        assert_eq!(
            value,
            json!({"next_page": "/v3/contacts?cursor=abc", "delivered": 12, "finished": false})
        );
        assert!(checkpoint_from_json(&value).unwrap() == checkpoint);
    }

    #[test]
    fn written_configs_hold_no_secrets() {
        let value = json!({
            "api_base_url": "http://127.0.0.1:1/v3",
            "access_token": "tok-secret",
            "refresh_token": "ref-secret",
            "client_id": "app",
            "client_secret": "cs-secret",
            "timeouts": {"connect_ms": 500},
            "pacing": {"requests_per_second": 2.5},
        });
        let config = connection_config_from_json(&value).unwrap();
        assert_eq!(config.access_token, "tok-secret");
        assert_eq!(config.timeouts.unwrap().connect_ms, Some(500));

        let written = connection_config_to_json(&config).to_string();
        assert!(!written.contains("secret"), "{written}");
        assert!(written.contains("\"client_id\":\"app\""), "{written}");
        assert!(written.contains("2.5"), "{written}");
    }

    #[test]
    fn config_without_a_token_reads_as_empty_token() {
        let config = connection_config_from_json(&json!({"api_base_url": "x"})).unwrap();
        assert_eq!(config.access_token, "");
        let err = connection_config_from_json(&json!({"pacing": {}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `pacing.requests_per_second`: is required"
        );
    }
}
