//! `describe` and the JSON form agree: records the host writes in the JSON form (v3 and
//! v2) validate against the schemas the component describes, for any account and for one
//! account, and the schemas reject what the form rejects.

use host_test::records::json::{
    connection_config_to_json, contact_ref_to_json, contact_to_json, contact_update_to_json,
    default_create_options, outcome_to_json, query_request_from_json, query_request_to_json,
    v2_contact_from_json, v2_contact_to_json, v2_update_from_json, v2_update_to_json,
};
use host_test::wit::{
    ApiFailure, ConflictFailure, ContactField, ContactRef, ContactUpdate, Deletion, Error,
    FieldLoss, LossKind, Outcome, Skip, Unsubscription, Written,
};
use serde_json::{Value, json};

use crate::support::{config, contact, emulator, harness};

/// Checks `value` against the parts of JSON Schema the connector's schemas use: `$ref` into
/// `$defs`, `type`, `properties`, `required`, `additionalProperties: false`, `items`, `enum`,
/// `const`, `oneOf`, `allOf`, `maxLength`, `maxItems`, `minimum` and `maximum`. Returns the
/// first problem found, with its path.
fn check(value: &Value, schema: &Value, root: &Value, path: &str) -> Result<(), String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        let target = &root["$defs"][name];
        if target.is_null() {
            return Err(format!("{path}: unresolved {reference}"));
        }
        return check(value, target, root, path);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            check(value, s, root, path)?;
        }
    }
    if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = one
            .iter()
            .filter(|s| check(value, s, root, path).is_ok())
            .count();
        if matching != 1 {
            return Err(format!("{path}: matches {matching} of the oneOf schemas"));
        }
    }
    if let Some(kind) = schema.get("type") {
        let kinds: Vec<&str> = match kind {
            Value::String(k) => vec![k.as_str()],
            Value::Array(ks) => ks.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = kinds.iter().any(|k| match *k {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !fits {
            return Err(format!("{path}: {value} is not of type {kind}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        return Err(format!("{path}: {value} is not one of {allowed:?}"));
    }
    if let Some(constant) = schema.get("const")
        && constant != value
    {
        return Err(format!("{path}: {value} is not {constant}"));
    }
    if let (Some(max), Some(text)) = (
        schema.get("maxLength").and_then(Value::as_u64),
        value.as_str(),
    ) && text.chars().count() as u64 > max
    {
        return Err(format!("{path}: longer than {max}"));
    }
    if let Some(n) = value.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            return Err(format!("{path}: {n} is below the minimum"));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            return Err(format!("{path}: {n} is above the maximum"));
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
            && items.len() as u64 > max
        {
            return Err(format!("{path}: more than {max} items"));
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                check(item, item_schema, root, &format!("{path}[{i}]"))?;
            }
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = required.as_str().unwrap_or_default();
            if !object.contains_key(key) {
                return Err(format!("{path}: `{key}` is required"));
            }
        }
        for (key, field) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(field_schema) => check(field, field_schema, root, &format!("{path}.{key}"))?,
                None if schema.get("additionalProperties") == Some(&json!(false)) => {
                    return Err(format!("{path}: `{key}` is not allowed"));
                }
                None => {}
            }
        }
    }
    Ok(())
}

fn valid(value: &Value, schema: &Value) -> Result<(), String> {
    check(value, schema, schema, "$")
}

/// A contact with every writable field and subresource in its JSON form.
fn full_contact() -> Value {
    json!({
        "email_address": {"address": "full@example.com", "permission_to_send": "explicit"},
        "first_name": "Ana", "last_name": "López", "job_title": "Chef", "company_name": "Ñandú",
        "birthday": {"month": 2, "day": 29}, "anniversary": "2020-06-01",
        "custom_fields": [{"custom_field_id": "1618ae62-4752-11e9-9c8a-fa163e6b01c1", "value": "gold"}],
        "phone_numbers": [{"phone_number": "+34 600 000 000", "kind": "mobile"}],
        "street_addresses": [{"kind": "work", "street": "Calle Mayor 1", "city": "Madrid"}],
        "list_memberships": ["07936f78-662a-11eb-af0a-fa163e56c9b0"],
        "taggings": [],
        "notes": [{"content": "met at the fair"}],
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn records_in_the_json_form_validate_against_the_described_schemas() {
    let schemas = harness().describe().await.expect("no trap").value;
    let parse = |text: &str| -> Value { serde_json::from_str(text).expect("a schema is JSON") };
    let config_schema = parse(&schemas.connection_config);
    let create = parse(&schemas.create_input);
    let update = parse(&schemas.update_input);
    let delete = parse(&schemas.delete_input);
    let query_in = parse(&schemas.query_input);
    let query_out = parse(&schemas.query_output);
    let outcome = parse(&schemas.write_output);
    for schema in [
        &config_schema,
        &create,
        &update,
        &delete,
        &query_in,
        &query_out,
        &outcome,
    ] {
        assert!(
            schema["$schema"]
                .as_str()
                .is_some_and(|s| s.contains("2020-12")),
            "{schema}"
        );
    }

    // What the host writes for each activity's input validates.
    let written = contact_to_json(&contact(full_contact()));
    valid(&written, &create).expect("a full contact is a create input");
    let change = ContactUpdate {
        target: ContactRef::Email("full@example.com".into()),
        changes: contact(json!({"job_title": "Owner", "list_memberships": []})),
        clear: vec![ContactField::Birthday, ContactField::Notes],
    };
    valid(&contact_update_to_json(&change), &update).expect("an update input");
    for target in [
        ContactRef::Id("07936f78-662a-11eb-af0a-fa163e56c9b0".into()),
        ContactRef::Email("a@b.co".into()),
    ] {
        valid(&contact_ref_to_json(&target), &delete).expect("a delete input");
    }
    let request = query_request_from_json(&json!({
        "status": ["all"], "subresources": ["notes", "taggings"], "page_size": 200,
        "updated_after": "2026-01-01T00:00:00Z", "max_records": 10,
    }))
    .expect("a query request");
    valid(&query_request_to_json(&request), &query_in).expect("a query input");

    let mut cfg = config(&emulator());
    cfg.refresh_margin_seconds = Some(120);
    cfg.time_budget_ms = Some(60_000);
    let mut cfg_json = connection_config_to_json(&cfg);
    cfg_json["access_token"] = json!("not-a-real-token");
    valid(&cfg_json, &config_schema).expect("a connection config");

    // Every outcome variant the host writes validates as a write output.
    let failure = ApiFailure {
        status: 409,
        error_key: Some("contacts.api.conflict".into()),
        message: "taken".into(),
    };
    let outcomes = [
        Outcome::Created(Written {
            contact_id: "c1".into(),
            notes: vec!["normalised".into()],
            losses: vec![],
        }),
        Outcome::Updated(Written {
            contact_id: "c1".into(),
            notes: vec![],
            losses: vec![],
        }),
        Outcome::Deleted(Deletion {
            contact_id: "c1".into(),
            already_deleted: true,
        }),
        Outcome::Skipped(Skip {
            contact_id: None,
            reason: "exists".into(),
        }),
        Outcome::Failed(Error::Conflict(ConflictFailure {
            failure: failure.clone(),
            existing_contact_id: Some("c0".into()),
        })),
        Outcome::NotAttempted(Error::QuotaExhausted(failure)),
    ];
    for o in &outcomes {
        valid(&outcome_to_json(o), &outcome)
            .unwrap_or_else(|e| panic!("{e}: {}", outcome_to_json(o)));
    }

    // A contact the component returned from a query validates as query output.
    let emu = emulator();
    emu.insert_contact(full_contact());
    let every = query_request_from_json(&json!({"subresources": [
        "custom_fields", "list_memberships", "phone_numbers", "street_addresses", "taggings", "notes"]}))
    .expect("request");
    let mut run = harness()
        .query(&crate::support::config(&emu), &every, None)
        .await
        .expect("no trap")
        .expect("query");
    let page = run
        .next_page()
        .await
        .expect("no trap")
        .expect("page")
        .expect("a page");
    valid(&contact_to_json(&page[0]), &query_out).expect("a queried contact is query output");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_schemas_reject_what_the_connector_refuses() {
    let schemas = harness().describe().await.expect("no trap").value;
    let create: Value = serde_json::from_str(&schemas.create_input).expect("JSON");
    let query_in: Value = serde_json::from_str(&schemas.query_input).expect("JSON");

    let mut long_name = full_contact();
    long_name["first_name"] = json!("x".repeat(51));
    assert!(valid(&long_name, &create).is_err());
    let mut phones = full_contact();
    phones["phone_numbers"] = json!([{"phone_number": "1"}, {"phone_number": "2"}, {"phone_number": "3"}, {"phone_number": "4"}]);
    assert!(valid(&phones, &create).is_err());
    let mut unknown = full_contact();
    unknown["favourite_colour"] = json!("blue");
    assert!(valid(&unknown, &create).is_err());
    assert!(valid(&json!({"page_size": 1000}), &query_in).is_err());
    assert!(valid(&json!({"status": ["everything"]}), &query_in).is_err());
}

/// A v2 contact with every field, spelled as the v2 API spelled it.
fn full_v2_contact() -> Value {
    json!({
        "id": 1001, "status": "ACTIVE",
        "email_addresses": [{
            "id": "e1", "email_address": "v2@example.com", "status": "ACTIVE",
            "confirm_status": "NO_CONFIRMATION_REQUIRED", "opt_in_source": "ACTION_BY_OWNER",
            "opt_in_date": "2014-01-02T03:04:05.000Z", "opt_out_date": "2015-01-02T03:04:05.000Z",
        }],
        "prefix_name": "Dr.", "first_name": "Vera", "middle_name": "Q", "last_name": "Two",
        "job_title": "Clerk", "company_name": "Old Co", "department_name": "Archive",
        "home_phone": "555-0100", "work_phone": "555-0101", "cell_phone": "555-0102",
        "fax": "555-0103",
        "addresses": [{
            "id": 7, "address_type": "BUSINESS", "line1": "1 Main St", "line2": "Floor 2",
            "line3": "Desk 3", "city": "Boston", "state": "Massachusetts", "state_code": "MA",
            "country_code": "us", "postal_code": "02110", "sub_postal_code": "1234",
        }],
        "notes": [{"id": 3, "note": "kept from v2", "created_date": "2015-05-05T00:00:00.000Z",
                   "modified_date": "2015-06-06T00:00:00.000Z"}],
        "lists": [{"id": 1, "status": "ACTIVE"}],
        "custom_fields": [{"name": "CustomField1", "value": "gold"}],
        "confirmed": false, "source": "API", "source_details": "import",
        "created_date": "2014-01-02T03:04:05.000Z", "modified_date": "2016-01-02T03:04:05.000Z",
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn names_custom_values_and_v2_records_validate_against_the_described_schemas() {
    let schemas = harness().describe().await.expect("no trap").value;
    let parse = |text: &str| -> Value { serde_json::from_str(text).expect("a schema is JSON") };
    let create = parse(&schemas.create_input);
    let update = parse(&schemas.update_input);
    let query_in = parse(&schemas.query_input);
    let outcome = parse(&schemas.write_output);
    let create_v2 = parse(&schemas.create_v2_input);
    let update_v2 = parse(&schemas.update_v2_input);
    for schema in [&create_v2, &update_v2] {
        assert!(
            schema["$schema"]
                .as_str()
                .is_some_and(|s| s.contains("2020-12")),
            "{schema}"
        );
    }

    // Names and custom values, every JSON type of them.
    let mut named = full_contact();
    named["lists"] = json!(["Newsletter"]);
    named["tags"] = json!(["VIP"]);
    named["custom"] = json!({
        "Tier": "Gold", "Score": 4.5, "Seats": 3, "Vip": true, "Colours": ["Red"], "Gone": null,
    });
    let written = contact_to_json(&contact(named));
    assert_eq!(written["custom"]["Seats"], json!(3));
    valid(&written, &create).expect("a contact with names is a create input");
    let change = ContactUpdate {
        target: ContactRef::Email("full@example.com".into()),
        changes: contact(json!({"tags": [], "custom": {"Tier": null}})),
        clear: vec![],
    };
    valid(&contact_update_to_json(&change), &update).expect("an update with names");
    let request =
        query_request_from_json(&json!({"with_names": true, "subresources": ["taggings"]}))
            .expect("a query request");
    valid(&query_request_to_json(&request), &query_in).expect("a query with names");

    // The new outcomes.
    let fax = FieldLoss {
        field: "fax".into(),
        kind: LossKind::Approximated,
        detail: "written as a phone of kind other".into(),
    };
    let outcomes = [
        Outcome::Created(Written {
            contact_id: "c1".into(),
            notes: vec![],
            losses: vec![fax.clone()],
        }),
        Outcome::Updated(Written {
            contact_id: "c1".into(),
            notes: vec!["normalised".into()],
            losses: vec![FieldLoss {
                kind: LossKind::Dropped,
                ..fax
            }],
        }),
        Outcome::Unsubscribed(Unsubscription {
            contact_id: "c1".into(),
            already_unsubscribed: false,
        }),
        Outcome::Unsubscribed(Unsubscription {
            contact_id: "c1".into(),
            already_unsubscribed: true,
        }),
    ];
    for o in &outcomes {
        valid(&outcome_to_json(o), &outcome)
            .unwrap_or_else(|e| panic!("{e}: {}", outcome_to_json(o)));
    }

    // v2 records, read in the v2 API's spelling and written in the JSON form.
    let v2 = v2_contact_from_json(&full_v2_contact()).expect("a v2 contact");
    let v2_written = v2_contact_to_json(&v2);
    assert_eq!(v2_written["status"], "active");
    assert_eq!(v2_written["lists"][0]["id"], "1");
    valid(&v2_written, &create_v2).expect("a full v2 contact is a create-v2 input");
    let v2_change = v2_update_from_json(&json!({
        "target": {"email": "v2@example.com"},
        "changes": {"cell_phone": "555-0199", "status": "OPTOUT"},
    }))
    .expect("a v2 update");
    valid(&v2_update_to_json(&v2_change), &update_v2).expect("a v2 update input");

    // What the v2 reader refuses, the v2 schemas refuse too.
    let mut unknown = full_v2_contact();
    unknown["nickname"] = json!("V");
    assert!(v2_contact_from_json(&unknown).is_err());
    assert!(valid(&unknown, &create_v2).is_err());
    assert!(valid(&json!({"status": "SUBSCRIBED"}), &create_v2).is_err());
    assert!(v2_contact_from_json(&json!({"status": "SUBSCRIBED"})).is_err());
    assert!(
        valid(&json!({"changes": {}}), &update_v2).is_err(),
        "target is required"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn contacts_queried_with_names_validate_against_the_accounts_schemas() {
    let emu = emulator();
    emu.seed_catalog();
    let record = json!({
        "email_address": {"address": "named@example.com"},
        "lists": ["Newsletter", "Events"], "tags": ["VIP"],
        "custom": {"Tier": "Bronze", "Signup_Date": "2026-12-01", "Lifetime_Value": 250},
    });
    let created = harness()
        .create(&config(&emu), &[contact(record)], &default_create_options())
        .await
        .expect("no trap");
    assert!(
        matches!(created.value[0], Outcome::Created(_)),
        "{:?}",
        created.value[0]
    );

    let schemas = harness()
        .describe_account(&config(&emu))
        .await
        .expect("no trap")
        .value
        .expect("describe the account");
    let query_out: Value = serde_json::from_str(&schemas.query_output).expect("JSON");
    let request = query_request_from_json(&json!({
        "with_names": true,
        "subresources": ["custom_fields", "list_memberships", "taggings"],
    }))
    .expect("request");
    let mut run = harness()
        .query(&config(&emu), &request, None)
        .await
        .expect("no trap")
        .expect("query");
    let page = run
        .next_page()
        .await
        .expect("no trap")
        .expect("page")
        .expect("a page");
    let queried = contact_to_json(&page[0]);
    assert_eq!(queried["custom"]["Tier"], "Bronze", "{queried}");
    assert_eq!(queried["custom"]["Lifetime_Value"], json!(250), "{queried}");
    valid(&queried, &query_out).unwrap_or_else(|e| panic!("{e}: {queried}"));

    // The account's schema refuses a name the account lacks.
    let mut unknown = queried.clone();
    unknown["lists"] = json!(["Newsleter"]);
    assert!(valid(&unknown, &query_out).is_err());
}
