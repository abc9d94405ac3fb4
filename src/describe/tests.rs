//! The schemas parse, and their key parts say what the JSON form is.

use serde_json::Value;

use super::*;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("a schema is JSON")
}

fn all() -> Vec<(&'static str, Value)> {
    let s = schemas();
    vec![
        ("connection_config", parse(&s.connection_config)),
        ("query_input", parse(&s.query_input)),
        ("query_output", parse(&s.query_output)),
        ("create_input", parse(&s.create_input)),
        ("update_input", parse(&s.update_input)),
        ("delete_input", parse(&s.delete_input)),
        ("write_output", parse(&s.write_output)),
        ("create_v2_input", parse(&s.create_v2_input)),
        ("update_v2_input", parse(&s.update_v2_input)),
    ]
}

/// Every `$ref` in the document, as its JSON pointer.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_document_declares_its_draft_and_title_and_resolves_its_refs() {
    for (name, doc) in all() {
        assert_eq!(doc["$schema"], DRAFT, "{name}");
        assert!(
            doc["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{name}"
        );
        let mut found = Vec::new();
        refs(&doc, &mut found);
        for r in found {
            let pointer = r.strip_prefix('#').expect("local ref");
            assert!(doc.pointer(pointer).is_some(), "{name}: dangling {r}");
        }
    }
}

#[test]
fn config_marks_secrets_write_only() {
    let doc = parse(&schemas().connection_config);
    assert_eq!(doc["required"], serde_json::json!(["access_token"]));
    for secret in ["access_token", "refresh_token", "client_secret"] {
        let p = &doc["properties"][secret];
        assert_eq!(p["writeOnly"], true, "{secret}");
        assert_eq!(p["format"], "password", "{secret}");
        assert!(p.get("default").is_none(), "{secret}");
    }
    assert_eq!(
        doc["properties"]["api_base_url"]["default"],
        DEFAULT_API_BASE_URL
    );
    assert_eq!(
        doc["properties"]["timeouts"]["properties"]["connect_ms"]["default"],
        10_000
    );
    assert_eq!(
        doc["properties"]["pacing"]["properties"]["requests_per_second"]["exclusiveMinimum"],
        0
    );
}

#[test]
fn query_input_limits() {
    let doc = parse(&schemas().query_input);
    let p = &doc["properties"];
    assert_eq!(p["page_size"]["minimum"], 1);
    assert_eq!(p["page_size"]["maximum"], 500);
    assert_eq!(p["lists"]["maxItems"], 25);
    assert_eq!(p["tags"]["maxItems"], 50);
    let statuses = p["status"]["items"]["enum"].as_array().unwrap();
    assert!(statuses.contains(&"pending_confirmation".into()));
    assert_eq!(statuses.len(), 7);
}

#[test]
fn contact_schema_follows_the_spec() {
    let doc = parse(&schemas().create_input);
    let p = &doc["properties"];
    assert_eq!(
        p["email_address"]["required"],
        serde_json::json!(["address"])
    );
    assert_eq!(p["email_address"]["properties"]["address"]["maxLength"], 80);
    let permissions = p["email_address"]["properties"]["permission_to_send"]["enum"].clone();
    assert_eq!(permissions.as_array().unwrap().len(), 6);
    assert_eq!(p["first_name"]["maxLength"], 50);
    assert_eq!(p["birthday"]["properties"]["month"]["maximum"], 12);
    assert_eq!(p["birthday"]["properties"]["day"]["maximum"], 31);
    assert_eq!(p["custom_fields"]["maxItems"], 25);
    assert_eq!(p["phone_numbers"]["maxItems"], 3);
    assert_eq!(
        p["phone_numbers"]["items"]["properties"]["phone_number"]["maxLength"],
        25
    );
    assert_eq!(
        p["street_addresses"]["items"]["required"],
        serde_json::json!(["kind"])
    );
    assert_eq!(p["notes"]["maxItems"], 150);
    assert_eq!(
        p["notes"]["items"]["properties"]["content"]["maxLength"],
        2000
    );
    for read_only in [
        "contact_id",
        "created_at",
        "updated_at",
        "deleted_at",
        "create_source",
    ] {
        assert_eq!(p[read_only]["readOnly"], true, "{read_only}");
    }
    assert_eq!(
        parse(&schemas().query_output)["properties"],
        doc["properties"]
    );
}

#[test]
fn anniversary_pattern_accepts_the_spec_formats() {
    let doc = parse(&schemas().create_input);
    let pattern = doc["properties"]["anniversary"]["pattern"]
        .as_str()
        .unwrap();
    assert!(pattern.starts_with('^') && pattern.ends_with('$'));
    assert_eq!(doc["properties"]["anniversary"]["maxLength"], 10);
}

#[test]
fn update_and_delete_inputs() {
    let update = parse(&schemas().update_input);
    assert_eq!(update["required"], serde_json::json!(["target", "changes"]));
    assert_eq!(
        update["properties"]["clear"]["items"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
    assert!(update["$defs"]["contact"]["properties"]["email_address"].is_object());
    let delete = parse(&schemas().delete_input);
    let cases = delete["oneOf"].as_array().unwrap();
    assert_eq!(cases[0]["required"], serde_json::json!(["id"]));
    assert_eq!(cases[1]["required"], serde_json::json!(["email"]));
}

#[test]
fn write_output_names_every_outcome_and_error_kind() {
    let doc = parse(&schemas().write_output);
    let outcomes: Vec<&str> = doc["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["properties"]["outcome"]["const"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        vec![
            "created",
            "updated",
            "deleted",
            "unsubscribed",
            "skipped",
            "failed",
            "not_attempted"
        ]
    );
    let kinds: Vec<&str> = doc["$defs"]["error"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["properties"]["kind"]["const"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 14);
    let transport = crate::wit::Error::Transport(crate::wit::TransportFailure {
        kind: crate::wit::TransportKind::Tls,
        message: String::new(),
    });
    assert!(kinds.contains(&crate::errors::kind_name(&transport)));
    assert!(kinds.contains(&"quota_exhausted"));
}

#[test]
fn an_account_s_schemas_spell_out_its_names_and_typed_custom_fields() {
    use crate::http::Method;
    use crate::testing::Harness;
    use serde_json::json;

    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contact_lists?limit=500",
        200,
        json!({"lists": [{"list_id": "07936f78-662a-11eb-af0a-fa163e56c9b0", "name": "Newsletter"}]}),
    );
    h.expect_json(
        Method::Get,
        "/v3/contact_tags?limit=500",
        200,
        json!({"tags": [{"tag_id": "1618ae62-4752-11e9-9c8a-fa163e6b01c1", "name": "VIP"}]}),
    );
    h.expect_json(
        Method::Get,
        "/v3/contact_custom_fields?limit=100",
        200,
        json!({"custom_fields": [
            {"custom_field_id": "a", "label": "Tier", "name": "Tier", "type": "single_select",
             "choices": [{"choice_id": 1, "choice_label": "Gold"}]},
            {"custom_field_id": "b", "label": "Visits", "name": "Visits", "type": "number",
             "metadata": {"integer": true, "allow_negative": false}}
        ]}),
    );
    let catalog = crate::catalog::Catalog::default();
    let s = for_account(&h.client, &catalog).unwrap();
    for doc in [parse(&s.create_input), parse(&s.query_output)] {
        let props = &doc["properties"];
        assert_eq!(props["lists"]["items"]["enum"], json!(["Newsletter"]));
        assert_eq!(props["tags"]["items"]["enum"], json!(["VIP"]));
        let custom = &props["custom"];
        assert_eq!(custom["additionalProperties"], json!(false));
        assert_eq!(custom["properties"]["Tier"]["enum"], json!(["Gold", null]));
        assert_eq!(
            custom["properties"]["Visits"]["type"],
            json!(["integer", "string", "null"])
        );
        assert_eq!(custom["properties"]["Visits"]["minimum"], json!(0));
    }
    let update = parse(&s.update_input);
    assert!(update["$defs"]["contact"]["properties"]["custom"]["properties"]["Tier"].is_object());

    // Any account's schemas take any name.
    let generic = parse(&schemas().create_input);
    assert!(generic["properties"]["custom"]["additionalProperties"].is_object());
    assert!(
        generic["properties"]["lists"]["items"]
            .get("enum")
            .is_none()
    );
}
