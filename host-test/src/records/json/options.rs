//! The JSON form of the write activities' options (create, update, delete), both ways.

use serde_json::Value;

use super::reader::{Obj, ObjWriter, Read};
use crate::wit::{CreateOptions, DeleteOptions, UpdateOptions};

/// Options that leave everything at its default.
pub fn default_create_options() -> CreateOptions {
    CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    }
}

/// Options that leave everything at its default.
pub fn default_update_options() -> UpdateOptions {
    UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: None,
    }
}

/// Options that leave everything at its default (a soft delete).
pub fn default_delete_options() -> DeleteOptions {
    DeleteOptions {
        mode: None,
        opt_out_reason: None,
    }
}

pub fn create_options_to_json(options: &CreateOptions) -> Value {
    ObjWriter::new()
        .name("create_source", options.create_source)
        .name("on_conflict", options.on_conflict)
        .name("mode", options.mode)
        .opt("contacts_gave_consent", options.contacts_gave_consent)
        .opt("create_missing", options.create_missing)
        .finish()
}

pub fn create_options_from_json(value: &Value) -> Read<CreateOptions> {
    let obj = Obj::new(value, "")?;
    obj.only(&[
        "create_source",
        "on_conflict",
        "mode",
        "contacts_gave_consent",
        "create_missing",
    ])?;
    Ok(CreateOptions {
        create_source: obj.enumeration("create_source")?,
        on_conflict: obj.enumeration("on_conflict")?,
        mode: obj.enumeration("mode")?,
        contacts_gave_consent: obj.bool("contacts_gave_consent")?,
        create_missing: obj.bool("create_missing")?,
    })
}

pub fn update_options_to_json(options: &UpdateOptions) -> Value {
    ObjWriter::new()
        .name("mode", options.mode)
        .name("update_source", options.update_source)
        .opt("create_missing", options.create_missing)
        .finish()
}

pub fn update_options_from_json(value: &Value) -> Read<UpdateOptions> {
    let obj = Obj::new(value, "")?;
    obj.only(&["mode", "update_source", "create_missing"])?;
    Ok(UpdateOptions {
        mode: obj.enumeration("mode")?,
        update_source: obj.enumeration("update_source")?,
        create_missing: obj.bool("create_missing")?,
    })
}

pub fn delete_options_to_json(options: &DeleteOptions) -> Value {
    ObjWriter::new()
        .name("mode", options.mode)
        .opt("opt_out_reason", options.opt_out_reason.clone())
        .finish()
}

pub fn delete_options_from_json(value: &Value) -> Read<DeleteOptions> {
    let obj = Obj::new(value, "")?;
    obj.only(&["mode", "opt_out_reason"])?;
    Ok(DeleteOptions {
        mode: obj.enumeration("mode")?,
        opt_out_reason: obj.string("opt_out_reason")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wit::{ConflictPolicy, CreateMode, DeleteMode, Source, UpdateMode};
    use serde_json::json;

    #[test]
    fn options_read_lenient_names() {
        let options =
            create_options_from_json(&json!({"create_source": "Contact", "on_conflict": "SKIP"}))
                .unwrap();
        assert!(options.create_source == Some(Source::Contact));
        assert!(options.on_conflict == Some(ConflictPolicy::Skip));
        assert_eq!(
            create_options_to_json(&options),
            json!({"create_source": "contact", "on_conflict": "skip"})
        );
    }

    #[test]
    fn create_options_round_trip_with_upsert() {
        let options = CreateOptions {
            mode: Some(CreateMode::Upsert),
            contacts_gave_consent: Some(true),
            create_missing: Some(false),
            ..default_create_options()
        };
        let value = create_options_to_json(&options);
        assert_eq!(
            value,
            json!({"mode": "upsert", "contacts_gave_consent": true, "create_missing": false})
        );
        assert!(create_options_from_json(&value).unwrap() == options);
        assert_eq!(create_options_to_json(&default_create_options()), json!({}));

        let err = create_options_from_json(&json!({"mode": "merge"})).unwrap_err();
        assert_eq!(err.field, "mode");
        assert!(err.problem.contains("\"create\" or \"upsert\""), "{err}");
        let err = create_options_from_json(&json!({"contacts_gave_consent": 1})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `contacts_gave_consent`: expected true or false, found a number"
        );
    }

    #[test]
    fn update_options_round_trip() {
        let options = UpdateOptions {
            mode: Some(UpdateMode::Replace),
            update_source: Some(Source::Account),
            create_missing: Some(true),
        };
        let value = update_options_to_json(&options);
        assert_eq!(value["create_missing"], true);
        assert!(update_options_from_json(&value).unwrap() == options);
        assert!(update_options_from_json(&json!({"create-missing": "no"})).is_err());
    }

    #[test]
    fn delete_options_round_trip() {
        let options = DeleteOptions {
            mode: Some(DeleteMode::Unsubscribe),
            opt_out_reason: Some("asked by phone".into()),
        };
        let value = delete_options_to_json(&options);
        assert_eq!(
            value,
            json!({"mode": "unsubscribe", "opt_out_reason": "asked by phone"})
        );
        assert!(delete_options_from_json(&value).unwrap() == options);

        let soft = delete_options_from_json(&json!({"mode": "Soft-Delete"})).unwrap();
        assert!(soft.mode == Some(DeleteMode::SoftDelete));
        assert_eq!(delete_options_to_json(&default_delete_options()), json!({}));
        let err = delete_options_from_json(&json!({"reason": "x"})).unwrap_err();
        assert!(err.problem.contains("unknown field `reason`"), "{err}");
    }
}
