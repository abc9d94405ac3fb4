//! The JSON form of what a write or a test returns: outcomes and account info, both ways.

use serde_json::Value;

use super::errors::{error_to_json, read_error};
use super::reader::{Obj, ObjWriter, Read, problem};
use crate::wit::{AccountInfo, Deletion, Outcome, Skip, Written};

/// The outcome's name, e.g. `not_attempted`.
pub fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Created(_) => "created",
        Outcome::Updated(_) => "updated",
        Outcome::Deleted(_) => "deleted",
        Outcome::Skipped(_) => "skipped",
        Outcome::Failed(_) => "failed",
        Outcome::NotAttempted(_) => "not_attempted",
    }
}

/// The contact an outcome concerns, when it names one.
pub fn outcome_contact_id(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Created(w) | Outcome::Updated(w) => Some(&w.contact_id),
        Outcome::Deleted(d) => Some(&d.contact_id),
        Outcome::Skipped(s) => s.contact_id.as_deref(),
        Outcome::Failed(_) | Outcome::NotAttempted(_) => None,
    }
}

pub fn outcome_to_json(outcome: &Outcome) -> Value {
    let mut w = ObjWriter::new();
    w.put("outcome", outcome_name(outcome));
    match outcome {
        Outcome::Created(written) | Outcome::Updated(written) => {
            w.put("contact_id", written.contact_id.clone())
                .put("notes", written.notes.clone());
        }
        Outcome::Deleted(deletion) => {
            w.put("contact_id", deletion.contact_id.clone())
                .put("already_deleted", deletion.already_deleted);
        }
        Outcome::Skipped(skip) => {
            w.opt("contact_id", skip.contact_id.clone())
                .put("reason", skip.reason.clone());
        }
        Outcome::Failed(error) | Outcome::NotAttempted(error) => {
            w.put("error", error_to_json(error));
        }
    }
    w.finish()
}

/// Reads an outcome; a `record` key (as in the CLI's NDJSON) is ignored.
pub fn outcome_from_json(value: &Value) -> Read<Outcome> {
    let obj = Obj::new(value, "")?;
    obj.only(&[
        "record",
        "outcome",
        "contact_id",
        "notes",
        "already_deleted",
        "reason",
        "error",
    ])?;
    let name = crate::records::names::normalise(&obj.required_string("outcome")?);
    let contact_id = || {
        obj.string("contact_id")?
            .ok_or_else(|| problem(&obj.path("contact_id"), "is required"))
    };
    let written = || -> Read<Written> {
        Ok(Written {
            contact_id: contact_id()?,
            notes: obj.strings("notes")?.unwrap_or_default(),
        })
    };
    let error = || match obj.get("error") {
        Some(e) => read_error(e, "error"),
        None => Err(problem("error", "is required")),
    };
    Ok(match name.as_str() {
        "created" => Outcome::Created(written()?),
        "updated" => Outcome::Updated(written()?),
        "deleted" => Outcome::Deleted(Deletion {
            contact_id: contact_id()?,
            already_deleted: obj.bool("already_deleted")?.unwrap_or(false),
        }),
        "skipped" => Outcome::Skipped(Skip {
            contact_id: obj.string("contact_id")?,
            reason: obj.string("reason")?.unwrap_or_default(),
        }),
        "failed" => Outcome::Failed(error()?),
        "not_attempted" => Outcome::NotAttempted(error()?),
        other => {
            return Err(problem("outcome", format!("unknown outcome \"{other}\"")));
        }
    })
}

pub fn account_info_to_json(info: &AccountInfo) -> Value {
    ObjWriter::new()
        .opt("organization_name", info.organization_name.clone())
        .opt("contact_email", info.contact_email.clone())
        .opt("encoded_account_id", info.encoded_account_id.clone())
        .put("contacts_readable", info.contacts_readable)
        .put("notes", info.notes.clone())
        .finish()
}

pub fn account_info_from_json(value: &Value) -> Read<AccountInfo> {
    let obj = Obj::new(value, "")?;
    obj.only(&[
        "organization_name",
        "contact_email",
        "encoded_account_id",
        "contacts_readable",
        "notes",
    ])?;
    Ok(AccountInfo {
        organization_name: obj.string("organization_name")?,
        contact_email: obj.string("contact_email")?,
        encoded_account_id: obj.string("encoded_account_id")?,
        contacts_readable: obj.bool("contacts_readable")?.unwrap_or(false),
        notes: obj.strings("notes")?.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wit::{ApiFailure, ConflictFailure, Error};
    use serde_json::json;

    fn conflict() -> Error {
        Error::Conflict(ConflictFailure {
            failure: ApiFailure {
                status: 409,
                error_key: Some("contacts.api.conflict".into()),
                message: "email exists".into(),
            },
            existing_contact_id: Some("c-9".into()),
        })
    }

    #[test]
    fn outcomes_round_trip() {
        let outcomes = vec![
            Outcome::Created(Written {
                contact_id: "c-1".into(),
                notes: vec!["email lower-cased".into()],
            }),
            Outcome::Updated(Written {
                contact_id: "c-2".into(),
                notes: vec![],
            }),
            Outcome::Deleted(Deletion {
                contact_id: "c-3".into(),
                already_deleted: true,
            }),
            Outcome::Skipped(Skip {
                contact_id: None,
                reason: "exists".into(),
            }),
            Outcome::Failed(conflict()),
            Outcome::NotAttempted(Error::InvalidConfig("bad url".into())),
        ];
        for outcome in outcomes {
            let value = outcome_to_json(&outcome);
            assert!(outcome_from_json(&value).unwrap() == outcome, "{value}");
        }
    }

    #[test]
    fn outcome_json_shapes() {
        let deleted = outcome_to_json(&Outcome::Deleted(Deletion {
            contact_id: "c-3".into(),
            already_deleted: false,
        }));
        assert_eq!(
            deleted,
            json!({"outcome": "deleted", "contact_id": "c-3", "already_deleted": false})
        );
        let failed = outcome_to_json(&Outcome::NotAttempted(Error::InvalidConfig("x".into())));
        assert_eq!(
            failed,
            json!({"outcome": "not_attempted", "error": {"kind": "invalid_config", "message": "x"}})
        );
        let err = outcome_from_json(&json!({"outcome": "created"})).unwrap_err();
        assert_eq!(err.to_string(), "field `contact_id`: is required");
    }

    #[test]
    fn account_info_round_trips() {
        let info = AccountInfo {
            organization_name: Some("Acme".into()),
            contact_email: None,
            encoded_account_id: Some("a07e".into()),
            contacts_readable: true,
            notes: vec!["token lacks account_read".into()],
        };
        let value = account_info_to_json(&info);
        assert!(value.get("contact_email").is_none());
        assert!(account_info_from_json(&value).unwrap() == info);
    }
}
