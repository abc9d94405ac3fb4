//! The JSON form of the connector's error (its kind, message and the payload's fields
//! flattened), both ways, and a one-line summary of an error for people.

use serde_json::Value;

use super::reader::{Obj, ObjWriter, Read, enum_value, problem};
use crate::records::names::EnumName;
use crate::wit::{
    ApiFailure, BadResponseFailure, ConflictFailure, Error, FieldError, ForbiddenFailure,
    TransportFailure, ValidationFailure,
};

/// The written name of an error's case, e.g. `quota_exhausted`.
pub fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::InvalidConfig(_) => "invalid_config",
        Error::Unauthorized(_) => "unauthorized",
        Error::ReauthorizationRequired(_) => "reauthorization_required",
        Error::Forbidden(_) => "forbidden",
        Error::NotFound(_) => "not_found",
        Error::Conflict(_) => "conflict",
        Error::Validation(_) => "validation",
        Error::RateLimited(_) => "rate_limited",
        Error::QuotaExhausted(_) => "quota_exhausted",
        Error::ServerError(_) => "server_error",
        Error::Transport(_) => "transport",
        Error::BadResponse(_) => "bad_response",
        Error::CredentialsNotSaved(_) => "credentials_not_saved",
        Error::BudgetExhausted(_) => "budget_exhausted",
    }
}

/// The error's message.
pub fn error_message(error: &Error) -> &str {
    match error {
        Error::InvalidConfig(m)
        | Error::ReauthorizationRequired(m)
        | Error::CredentialsNotSaved(m)
        | Error::BudgetExhausted(m) => m,
        Error::Unauthorized(f)
        | Error::NotFound(f)
        | Error::RateLimited(f)
        | Error::QuotaExhausted(f)
        | Error::ServerError(f) => &f.message,
        Error::Forbidden(f) => &f.failure.message,
        Error::Conflict(f) => &f.failure.message,
        Error::Validation(f) => &f.message,
        Error::Transport(f) => &f.message,
        Error::BadResponse(f) => &f.message,
    }
}

/// One line for people: `kind: message`, then the details that matter (status, fields,
/// the scope or contact concerned).
pub fn error_summary(error: &Error) -> String {
    let mut details = Vec::new();
    let api = |f: &ApiFailure, details: &mut Vec<String>| {
        details.push(format!("status {}", f.status));
        if let Some(key) = &f.error_key {
            details.push(format!("error key \"{key}\""));
        }
    };
    match error {
        Error::Unauthorized(f)
        | Error::NotFound(f)
        | Error::RateLimited(f)
        | Error::QuotaExhausted(f)
        | Error::ServerError(f) => api(f, &mut details),
        Error::Forbidden(f) => {
            api(&f.failure, &mut details);
            if let Some(scope) = &f.required_scope {
                details.push(format!("needs scope \"{scope}\""));
            }
            if let Some(privilege) = &f.required_privilege {
                details.push(format!("needs privilege \"{privilege}\""));
            }
        }
        Error::Conflict(f) => {
            api(&f.failure, &mut details);
            if let Some(id) = &f.existing_contact_id {
                details.push(format!("existing contact \"{id}\""));
            }
        }
        Error::Validation(f) => {
            if let Some(status) = f.status {
                details.push(format!("status {status}"));
            }
            // Fields the message already names are not repeated.
            for field in f.fields.iter().filter(|e| !f.message.contains(&e.field)) {
                details.push(format!("`{}`: {}", field.field, field.reason));
            }
        }
        Error::Transport(f) => details.push(f.kind.name().to_owned()),
        Error::BadResponse(f) => details.push(format!("status {}", f.status)),
        _ => {}
    }
    let mut line = format!("{}: {}", error_kind(error), error_message(error));
    if !details.is_empty() {
        line.push_str(&format!(" ({})", details.join("; ")));
    }
    line
}

pub fn error_to_json(error: &Error) -> Value {
    let mut w = ObjWriter::new();
    w.put("kind", error_kind(error))
        .put("message", error_message(error));
    let api = |w: &mut ObjWriter, f: &ApiFailure| {
        w.put("status", f.status)
            .opt("error_key", f.error_key.clone());
    };
    match error {
        Error::Unauthorized(f)
        | Error::NotFound(f)
        | Error::RateLimited(f)
        | Error::QuotaExhausted(f)
        | Error::ServerError(f) => api(&mut w, f),
        Error::Forbidden(f) => {
            api(&mut w, &f.failure);
            w.opt("required_scope", f.required_scope.clone())
                .opt("required_privilege", f.required_privilege.clone());
        }
        Error::Conflict(f) => {
            api(&mut w, &f.failure);
            w.opt("existing_contact_id", f.existing_contact_id.clone());
        }
        Error::Validation(f) => {
            let fields: Vec<Value> = f
                .fields
                .iter()
                .map(|e| serde_json::json!({"field": e.field, "reason": e.reason}))
                .collect();
            w.opt("status", f.status)
                .opt("error_key", f.error_key.clone())
                .put("fields", fields);
        }
        Error::Transport(f) => {
            w.put("transport_kind", f.kind.name());
        }
        Error::BadResponse(f) => {
            w.put("status", f.status);
        }
        Error::InvalidConfig(_)
        | Error::ReauthorizationRequired(_)
        | Error::CredentialsNotSaved(_)
        | Error::BudgetExhausted(_) => {}
    }
    w.finish()
}

pub fn error_from_json(value: &Value) -> Read<Error> {
    read_error(value, "")
}

pub(super) fn read_error(value: &Value, path: &str) -> Read<Error> {
    let obj = Obj::new(value, path)?;
    obj.only(&[
        "kind",
        "message",
        "status",
        "error_key",
        "required_scope",
        "required_privilege",
        "existing_contact_id",
        "fields",
        "transport_kind",
    ])?;
    let kind = crate::records::names::normalise(&obj.required_string("kind")?);
    let message = obj.string("message")?.unwrap_or_default();
    let status = || {
        obj.uint::<u16>("status")?
            .ok_or_else(|| problem(&obj.path("status"), "is required"))
    };
    let api = || -> Read<ApiFailure> {
        Ok(ApiFailure {
            status: status()?,
            error_key: obj.string("error_key")?,
            message: message.clone(),
        })
    };
    let error = match kind.as_str() {
        "invalid_config" => Error::InvalidConfig(message.clone()),
        "unauthorized" => Error::Unauthorized(api()?),
        "reauthorization_required" => Error::ReauthorizationRequired(message.clone()),
        "forbidden" => Error::Forbidden(ForbiddenFailure {
            failure: api()?,
            required_scope: obj.string("required_scope")?,
            required_privilege: obj.string("required_privilege")?,
        }),
        "not_found" => Error::NotFound(api()?),
        "conflict" => Error::Conflict(ConflictFailure {
            failure: api()?,
            existing_contact_id: obj.string("existing_contact_id")?,
        }),
        "validation" => {
            let mut fields = Vec::new();
            for (item_path, item) in obj.array("fields")?.unwrap_or_default() {
                let f = Obj::new(item, &item_path)?;
                f.only(&["field", "reason"])?;
                fields.push(FieldError {
                    field: f.required_string("field")?,
                    reason: f.string("reason")?.unwrap_or_default(),
                });
            }
            Error::Validation(ValidationFailure {
                status: obj.uint("status")?,
                error_key: obj.string("error_key")?,
                fields,
                message: message.clone(),
            })
        }
        "rate_limited" => Error::RateLimited(api()?),
        "quota_exhausted" => Error::QuotaExhausted(api()?),
        "server_error" => Error::ServerError(api()?),
        "transport" => {
            let transport_kind = obj.required_string("transport_kind")?;
            Error::Transport(TransportFailure {
                kind: enum_value(&obj.path("transport_kind"), &transport_kind)?,
                message: message.clone(),
            })
        }
        "bad_response" => Error::BadResponse(BadResponseFailure {
            status: status()?,
            message: message.clone(),
        }),
        "credentials_not_saved" => Error::CredentialsNotSaved(message.clone()),
        "budget_exhausted" => Error::BudgetExhausted(message.clone()),
        other => {
            return Err(problem(
                &obj.path("kind"),
                format!("unknown error kind \"{other}\""),
            ));
        }
    };
    Ok(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wit::TransportKind;
    use serde_json::json;

    fn api(status: u16, key: Option<&str>, message: &str) -> ApiFailure {
        ApiFailure {
            status,
            error_key: key.map(str::to_owned),
            message: message.into(),
        }
    }

    fn every_error() -> Vec<Error> {
        vec![
            Error::InvalidConfig("bad url".into()),
            Error::Unauthorized(api(401, Some("unauthorized"), "Unauthorized")),
            Error::ReauthorizationRequired("authorize again".into()),
            Error::Forbidden(ForbiddenFailure {
                failure: api(403, None, "Forbidden"),
                required_scope: Some("contact_data".into()),
                required_privilege: Some("contacts:write".into()),
            }),
            Error::NotFound(api(404, Some("contacts.api.not_found"), "no such contact")),
            Error::Conflict(ConflictFailure {
                failure: api(409, Some("contacts.api.conflict"), "email exists"),
                existing_contact_id: Some("c-9".into()),
            }),
            Error::Validation(ValidationFailure {
                status: None,
                error_key: None,
                fields: vec![FieldError {
                    field: "email-address.address".into(),
                    reason: "is not an email address".into(),
                }],
                message: "invalid contact".into(),
            }),
            Error::RateLimited(api(429, Some("throttled"), "Too Many Requests")),
            Error::QuotaExhausted(api(429, Some("quota_exceeded"), "Limit Exceeded")),
            Error::ServerError(api(503, None, "unavailable")),
            Error::Transport(TransportFailure {
                kind: TransportKind::ConnectionRefused,
                message: "refused".into(),
            }),
            Error::BadResponse(BadResponseFailure {
                status: 200,
                message: "not json".into(),
            }),
            Error::CredentialsNotSaved("could not save".into()),
            Error::BudgetExhausted("out of time".into()),
        ]
    }

    #[test]
    fn every_error_round_trips() {
        for error in every_error() {
            let value = error_to_json(&error);
            let back = error_from_json(&value).unwrap();
            assert!(back == error, "{value}");
        }
    }

    #[test]
    fn error_payloads_are_flattened() {
        let errors = every_error();
        assert_eq!(
            error_to_json(&errors[8]),
            json!({"kind": "quota_exhausted", "message": "Limit Exceeded", "status": 429, "error_key": "quota_exceeded"})
        );
        let forbidden = error_to_json(&errors[3]);
        assert_eq!(forbidden["required_scope"], "contact_data");
        assert_eq!(forbidden["status"], 403);
        let validation = error_to_json(&errors[6]);
        assert_eq!(validation["fields"][0]["field"], "email-address.address");
        assert!(validation.get("status").is_none());
        assert_eq!(
            error_to_json(&errors[10])["transport_kind"],
            "connection_refused"
        );
    }

    #[test]
    fn summaries_carry_the_details() {
        let errors = every_error();
        assert_eq!(
            error_summary(&errors[5]),
            "conflict: email exists (status 409; error key \"contacts.api.conflict\"; existing contact \"c-9\")"
        );
        assert_eq!(
            error_summary(&errors[6]),
            "validation: invalid contact (`email-address.address`: is not an email address)"
        );
        assert_eq!(error_summary(&errors[0]), "invalid_config: bad url");

        let named = Error::Validation(ValidationFailure {
            status: Some(400),
            error_key: None,
            fields: vec![FieldError {
                field: "birthday.day".into(),
                reason: "too big".into(),
            }],
            message: "birthday.day: too big".into(),
        });
        assert_eq!(
            error_summary(&named),
            "validation: birthday.day: too big (status 400)"
        );
    }
}
