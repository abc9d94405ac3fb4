//! Which contact model an NDJSON file of creates or updates is written in: v3 (the
//! connector's own JSON form) or v2 (the old API's, for `create-v2` and `update-v2`). The
//! keys each model alone has tell them apart; one file holds one model.

use anyhow::bail;
use serde_json::Value;

/// A contact model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    V2,
    V3,
}

impl Model {
    pub fn name(self) -> &'static str {
        match self {
            Model::V2 => "v2",
            Model::V3 => "v3",
        }
    }
}

/// Keys only a v2 contact has. `email_addresses` comes first: it is the usual giveaway.
const V2_ONLY: &[&str] = &[
    "email_addresses",
    "id",
    "status",
    "prefix_name",
    "middle_name",
    "department_name",
    "home_phone",
    "work_phone",
    "cell_phone",
    "fax",
    "addresses",
    "confirmed",
    "source",
    "source_details",
    "created_date",
    "modified_date",
];

/// Keys only a v3 contact has.
const V3_ONLY: &[&str] = &[
    "email_address",
    "contact_id",
    "birthday",
    "anniversary",
    "create_source",
    "update_source",
    "created_at",
    "updated_at",
    "deleted_at",
    "phone_numbers",
    "street_addresses",
    "list_memberships",
    "taggings",
    "tags",
    "custom",
];

/// The model one contact object says it is in, with the key that says so; `None` when it
/// has only keys both models share (or keys of both, which its reader will refuse).
fn model_of(contact: &Value) -> Option<(Model, &str)> {
    let map = contact.as_object()?;
    let has = |keys: &'static [&'static str]| {
        keys.iter().copied().find(|key| {
            map.keys()
                .any(|k| k.replace('-', "_").as_str() == *key && !map[k].is_null())
        })
    };
    match (has(V2_ONLY), has(V3_ONLY)) {
        (Some(key), None) => Some((Model::V2, key)),
        (None, Some(key)) => Some((Model::V3, key)),
        _ => None,
    }
}

/// The records of a file, as the reader numbers them: non-blank lines, from 1. Lines that
/// are not JSON are left to the reader, which reports them.
fn records(text: &str) -> impl Iterator<Item = (usize, Value)> + '_ {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .filter_map(|(i, line)| serde_json::from_str(line).ok().map(|v| (i + 1, v)))
}

/// The model of an NDJSON file: that of the first record whose keys tell (for updates,
/// `changes` holds the contact), v3 when none does. A record of the other model is an
/// error naming it.
pub fn detect_model(text: &str, updates: bool) -> anyhow::Result<Model> {
    let mut first: Option<(usize, Model, String)> = None;
    for (record, value) in records(text) {
        let contact = if updates {
            match value.get("changes") {
                Some(changes) => changes,
                None => continue,
            }
        } else {
            &value
        };
        let Some((model, key)) = model_of(contact) else {
            continue;
        };
        match &first {
            None => first = Some((record, model, key.to_owned())),
            Some((at, decided, because)) if *decided != model => {
                let place = if updates { "changes." } else { "" };
                bail!(
                    "failed to read record {record}: it is a {} record (it has `{place}{key}`) \
                     but record {at} is a {} record (it has `{place}{because}`); one file holds \
                     one model, or give --model",
                    model.name(),
                    decided.name(),
                );
            }
            Some(_) => {}
        }
    }
    Ok(first.map_or(Model::V3, |(_, model, _)| model))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_make_a_file_v2() {
        let text =
            "{\"email_addresses\": [{\"email_address\": \"a@b.c\"}]}\n{\"first_name\": \"X\"}\n";
        assert_eq!(detect_model(text, false).unwrap(), Model::V2);
        let text = "{\"email_address\": \"a@b.c\"}\n";
        assert_eq!(detect_model(text, false).unwrap(), Model::V3);
    }

    #[test]
    fn shared_keys_leave_the_choice_to_a_later_record() {
        let text = "{\"first_name\": \"A\"}\n\n{\"home_phone\": \"1\"}\n";
        assert_eq!(detect_model(text, false).unwrap(), Model::V2);
        assert_eq!(
            detect_model("{\"first_name\": \"A\"}\n", false).unwrap(),
            Model::V3
        );
        assert_eq!(detect_model("", false).unwrap(), Model::V3);
    }

    #[test]
    fn updates_are_told_apart_by_their_changes() {
        let text = "{\"target\": {\"id\": \"1\"}, \"changes\": {\"cell-phone\": \"5\"}}\n";
        assert_eq!(detect_model(text, true).unwrap(), Model::V2);
        let text =
            "{\"target\": {\"id\": \"1\"}, \"changes\": {\"taggings\": []}, \"clear\": []}\n";
        assert_eq!(detect_model(text, true).unwrap(), Model::V3);
    }

    #[test]
    fn mixed_files_name_the_record() {
        let text = concat!(
            "{\"email_addresses\": [{\"email_address\": \"a@b.c\"}]}\n",
            "not json\n",
            "{\"email_address\": \"d@e.f\"}\n",
        );
        let err = detect_model(text, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to read record 3: it is a v3 record (it has `email_address`) but record 1 \
             is a v2 record (it has `email_addresses`); one file holds one model, or give --model"
        );
        let text = concat!(
            "{\"target\": {\"id\": \"1\"}, \"changes\": {\"custom\": {}}}\n",
            "{\"target\": {\"id\": \"2\"}, \"changes\": {\"fax\": \"1\"}}\n",
        );
        let err = detect_model(text, true).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("failed to read record 2: it is a v2 record (it has `changes.fax`)"),
            "{err}"
        );
    }
}
