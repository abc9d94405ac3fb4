//! The JSON form of what a write or a test returns: outcomes and account info, both ways.

use serde_json::Value;

use super::errors::{error_to_json, read_error};
use super::reader::{FieldError, Obj, ObjWriter, Read, problem};
use crate::records::names::EnumName;
use crate::wit::{AccountInfo, Deletion, FieldLoss, Outcome, Skip, Unsubscription, Written};

/// The outcome's name, e.g. `not_attempted`.
pub fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Created(_) => "created",
        Outcome::Updated(_) => "updated",
        Outcome::Deleted(_) => "deleted",
        Outcome::Unsubscribed(_) => "unsubscribed",
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
        Outcome::Unsubscribed(u) => Some(&u.contact_id),
        Outcome::Skipped(s) => s.contact_id.as_deref(),
        Outcome::Failed(_) | Outcome::NotAttempted(_) => None,
    }
}

/// An outcome; `losses` is left out when there are none.
pub fn outcome_to_json(outcome: &Outcome) -> Value {
    let mut w = ObjWriter::new();
    w.put("outcome", outcome_name(outcome));
    match outcome {
        Outcome::Created(written) | Outcome::Updated(written) => {
            w.put("contact_id", written.contact_id.clone())
                .put("notes", written.notes.clone());
            if !written.losses.is_empty() {
                let losses: Vec<Value> = written.losses.iter().map(loss_to_json).collect();
                w.put("losses", losses);
            }
        }
        Outcome::Deleted(deletion) => {
            w.put("contact_id", deletion.contact_id.clone())
                .put("already_deleted", deletion.already_deleted);
        }
        Outcome::Unsubscribed(unsubscription) => {
            w.put("contact_id", unsubscription.contact_id.clone())
                .put("already_unsubscribed", unsubscription.already_unsubscribed);
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
        "losses",
        "already_deleted",
        "already_unsubscribed",
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
            losses: read_losses(&obj)?,
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
        "unsubscribed" => Outcome::Unsubscribed(Unsubscription {
            contact_id: contact_id()?,
            already_unsubscribed: obj.bool("already_unsubscribed")?.unwrap_or(false),
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

fn loss_to_json(loss: &FieldLoss) -> Value {
    ObjWriter::new()
        .put("field", loss.field.clone())
        .put("kind", loss.kind.name())
        .put("detail", loss.detail.clone())
        .finish()
}

fn read_losses(obj: &Obj<'_>) -> Read<Vec<FieldLoss>> {
    let items = obj.array("losses")?.unwrap_or_default();
    items
        .into_iter()
        .map(|(path, item)| {
            let loss = Obj::new(item, &path)?;
            loss.only(&["field", "kind", "detail"])?;
            Ok(FieldLoss {
                field: loss.required_string("field")?,
                kind: loss
                    .enumeration("kind")?
                    .ok_or_else(|| problem(&loss.path("kind"), "is required"))?,
                detail: loss.string("detail")?.unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, FieldError>>()
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
    use crate::wit::{ApiFailure, ConflictFailure, Error, LossKind};
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
                losses: vec![],
            }),
            Outcome::Updated(Written {
                contact_id: "c-2".into(),
                notes: vec![],
                losses: vec![FieldLoss {
                    field: "fax".into(),
                    kind: LossKind::Approximated,
                    detail: "written as an other phone".into(),
                }],
            }),
            Outcome::Deleted(Deletion {
                contact_id: "c-3".into(),
                already_deleted: true,
            }),
            Outcome::Unsubscribed(Unsubscription {
                contact_id: "c-4".into(),
                already_unsubscribed: true,
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

        let unsubscribed = outcome_to_json(&Outcome::Unsubscribed(Unsubscription {
            contact_id: "c-5".into(),
            already_unsubscribed: false,
        }));
        assert_eq!(
            unsubscribed,
            json!({"outcome": "unsubscribed", "contact_id": "c-5", "already_unsubscribed": false})
        );
    }

    #[test]
    fn losses_are_written_only_when_there_are_some() {
        let mut written = Written {
            contact_id: "c-1".into(),
            notes: vec![],
            losses: vec![],
        };
        let plain = outcome_to_json(&Outcome::Created(written.clone()));
        assert_eq!(
            plain,
            json!({"outcome": "created", "contact_id": "c-1", "notes": []})
        );

        written.losses.push(FieldLoss {
            field: "prefix_name".into(),
            kind: LossKind::Dropped,
            detail: "v3 has no prefix".into(),
        });
        let lossy = outcome_to_json(&Outcome::Updated(written));
        assert_eq!(
            lossy["losses"],
            json!([{"field": "prefix_name", "kind": "dropped", "detail": "v3 has no prefix"}])
        );

        let err = outcome_from_json(&json!({
            "outcome": "created", "contact_id": "c-1",
            "losses": [{"field": "fax", "kind": "lost"}],
        }))
        .unwrap_err();
        assert_eq!(err.field, "losses[0].kind");
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
