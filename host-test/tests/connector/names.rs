//! Lists, tags and custom fields by name: resolution against the account, values checked by
//! field type, missing lists and tags made on request, and names beside ids in queries.

use host_test::wit::{CreateOptions, Error, Outcome, Subresource, UpdateOptions};
use serde_json::json;

use crate::support::{config, contact, emulator, harness, request_lines, written_id};

fn create_options(create_missing: bool) -> CreateOptions {
    CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: Some(create_missing),
    }
}

fn validation_fields(outcome: &Outcome) -> Vec<String> {
    match outcome {
        Outcome::Failed(Error::Validation(v)) => v.fields.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn names_land_as_the_right_ids_and_an_unknown_list_fails_only_its_record() {
    let emu = emulator();
    let ids = emu.seed_catalog();
    let records = vec![
        contact(json!({
            "email_address": {"address": "ann@example.com"},
            "lists": ["Newsletter"], "custom": {"Tier": "gold"},
        })),
        contact(json!({"email_address": {"address": "bob@example.com"}, "lists": ["Newsleter"]})),
        contact(json!({
            "email_address": {"address": "cy@example.com"},
            "lists": ["events", "Newsletter"], "tags": ["vip"],
            "custom": {"Signup Date": "2026-11-30", "Lifetime_Value": 120.5},
        })),
    ];
    let run = harness()
        .create(&config(&emu), &records, &create_options(false))
        .await
        .expect("no trap");

    let ann = emu.contact(written_id(&run.value[0])).expect("ann stored");
    assert_eq!(ann["list_memberships"], json!([ids.newsletter_list]));
    assert_eq!(
        ann["custom_fields"],
        json!([{"custom_field_id": ids.tier_field, "choice_ids": [ids.tier_gold]}])
    );

    assert_eq!(validation_fields(&run.value[1]), vec!["lists[0]"]);
    let Outcome::Failed(Error::Validation(v)) = &run.value[1] else {
        unreachable!()
    };
    assert!(
        v.fields[0].reason.contains("\"Newsleter\""),
        "{}",
        v.fields[0].reason
    );
    assert!(emu.find_by_email("bob@example.com").is_none());

    let cy = emu.contact(written_id(&run.value[2])).expect("cy stored");
    assert_eq!(
        cy["list_memberships"],
        json!([ids.events_list, ids.newsletter_list])
    );
    assert_eq!(cy["taggings"], json!([ids.vip_tag]));
    let mut values: Vec<(String, String)> = cy["custom_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["custom_field_id"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    values.sort();
    let mut expected = vec![
        (ids.signup_date_field.clone(), "2026-11-30".to_owned()),
        (ids.lifetime_value_field.clone(), "120.5".to_owned()),
    ];
    expected.sort();
    assert_eq!(values, expected);

    // The account's tables were read once for the whole batch, the miss included.
    let reads = |path: &str| {
        request_lines(&emu)
            .iter()
            .filter(|l| l.starts_with(&format!("GET {path}")))
            .count()
    };
    assert_eq!(reads("/v3/contact_lists"), 1);
    assert_eq!(reads("/v3/contact_custom_fields"), 1);
    assert_eq!(reads("/v3/contact_tags"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn values_that_do_not_fit_their_field_are_refused_before_sending() {
    let emu = emulator();
    emu.seed_catalog();
    let records = vec![
        contact(
            json!({"email_address": {"address": "a@example.com"}, "custom": {"Tier": "Platinum"}}),
        ),
        contact(
            json!({"email_address": {"address": "b@example.com"}, "custom": {"Lifetime Value": "lots"}}),
        ),
        contact(
            json!({"email_address": {"address": "c@example.com"}, "custom": {"Signup Date": "30/11/2026"}}),
        ),
        contact(
            json!({"email_address": {"address": "d@example.com"}, "custom": {"Shoe size": "42"}}),
        ),
    ];
    let run = harness()
        .create(&config(&emu), &records, &create_options(false))
        .await
        .expect("no trap");
    let fields: Vec<Vec<String>> = run.value.iter().map(validation_fields).collect();
    assert_eq!(
        fields,
        vec![
            vec!["custom.Tier"],
            vec!["custom.Lifetime Value"],
            vec!["custom.Signup Date"],
            vec!["custom.Shoe size"]
        ]
    );
    assert!(
        !request_lines(&emu)
            .iter()
            .any(|l| l.starts_with("POST /v3/contacts")),
        "nothing may be sent for refused records"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn create_missing_makes_each_new_list_and_tag_once() {
    let emu = emulator();
    emu.seed_catalog();
    let records = vec![
        contact(
            json!({"email_address": {"address": "a@example.com"}, "lists": ["Autumn Fair"], "tags": ["Booth 12"]}),
        ),
        contact(
            json!({"email_address": {"address": "b@example.com"}, "lists": ["autumn fair", "Newsletter"]}),
        ),
    ];
    let run = harness()
        .create(&config(&emu), &records, &create_options(true))
        .await
        .expect("no trap");
    let fair = emu
        .lists()
        .into_iter()
        .find(|l| l["name"] == "Autumn Fair")
        .expect("the list was made");
    let fair_id = fair["list_id"].as_str().unwrap().to_owned();
    assert!(emu.tags().iter().any(|t| t["name"] == "Booth 12"));
    let posts = request_lines(&emu)
        .iter()
        .filter(|l| *l == "POST /v3/contact_lists")
        .count();
    assert_eq!(posts, 1);

    let Outcome::Created(first) = &run.value[0] else {
        panic!("expected created, got {:?}", run.value[0]);
    };
    assert!(
        first
            .notes
            .contains(&"created list \"Autumn Fair\"".to_owned()),
        "{:?}",
        first.notes
    );
    let second = emu.contact(written_id(&run.value[1])).unwrap();
    assert_eq!(second["list_memberships"][0], json!(fair_id));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_sets_named_custom_values_and_keeps_the_others() {
    let emu = emulator();
    let ids = emu.seed_catalog();
    let id = emu.insert_contact(json!({
        "email_address": {"address": "ann@example.com", "permission_to_send": "implicit"},
        "first_name": "Ann",
        "custom_fields": [
            {"custom_field_id": ids.tier_field, "choice_ids": [ids.tier_gold]},
            {"custom_field_id": ids.signup_date_field, "value": "2025-01-02"}
        ],
    }));
    let update = host_test::records::json::contact_update_from_json(&json!({
        "target": {"email": "ANN@example.com"},
        "changes": {"custom": {"Lifetime Value": 99, "Signup Date": null}},
    }))
    .expect("a valid update");
    let options = UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: None,
    };
    let run = harness()
        .update(&config(&emu), &[update], &options)
        .await
        .expect("no trap");
    assert!(
        matches!(run.value[0], Outcome::Updated(_)),
        "{:?}",
        run.value[0]
    );
    let stored = emu.contact(&id).unwrap();
    assert_eq!(stored["first_name"], "Ann");
    assert_eq!(
        stored["custom_fields"],
        json!([
            {"custom_field_id": ids.tier_field, "choice_ids": [ids.tier_gold]},
            {"custom_field_id": ids.lifetime_value_field, "value": "99"}
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_with_names_gives_them_beside_the_ids() {
    let emu = emulator();
    let ids = emu.seed_catalog();
    emu.insert_contact(json!({
        "email_address": {"address": "ann@example.com", "permission_to_send": "implicit"},
        "list_memberships": [ids.newsletter_list, ids.events_list],
        "taggings": [ids.webinar_tag],
        "custom_fields": [
            {"custom_field_id": ids.tier_field, "choice_ids": [ids.tier_gold]},
            {"custom_field_id": ids.lifetime_value_field, "value": "12.5"}
        ],
    }));
    let mut request = host_test::records::json::empty_query();
    request.with_names = true;
    request.subresources = vec![
        Subresource::ListMemberships,
        Subresource::Taggings,
        Subresource::CustomFields,
    ];
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
    let json = host_test::records::json::contact_to_json(&page[0]);
    assert_eq!(json["lists"], json!(["Newsletter", "Events"]));
    assert_eq!(json["tags"], json!(["Webinar 2026"]));
    assert_eq!(json["custom"]["Tier"], json!("Gold"));
    assert_eq!(json["custom"]["Lifetime_Value"], json!(12.5));
    assert_eq!(
        json["list_memberships"],
        json!([ids.newsletter_list, ids.events_list])
    );

    // Without the flag no names, and no catalog reads.
    emu.clear_requests();
    request.with_names = false;
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
    assert!(page[0].lists.is_none() && page[0].custom.is_none());
    assert!(
        request_lines(&emu)
            .iter()
            .all(|l| l.starts_with("GET /v3/contacts"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_lists_cannot_be_read_the_records_needing_them_are_not_attempted() {
    let emu = emulator();
    emu.script(
        cc_emulator::Script::new("/v3/contact_lists", 1, cc_emulator::Canned::empty(500))
            .with_method("GET"),
    );
    let mut config = config(&emu);
    config.retry = Some(host_test::wit::RetryPolicy {
        max_attempts: Some(1),
        initial_delay_ms: None,
        max_delay_ms: None,
    });
    let records = vec![
        contact(json!({"email_address": {"address": "a@example.com"}, "lists": ["Newsletter"]})),
        contact(json!({"email_address": {"address": "b@example.com"}, "lists": ["Newsletter"]})),
        contact(json!({"email_address": {"address": "c@example.com"}, "first_name": "No names"})),
        contact(json!({"email_address": {"address": "d@example.com"}, "lists": ["Newsletter"]})),
    ];
    let run = harness()
        .create(&config, &records, &create_options(false))
        .await
        .expect("no trap");
    assert!(
        matches!(run.value[0], Outcome::Failed(Error::ServerError(_))),
        "{:?}",
        run.value[0]
    );
    assert!(
        matches!(run.value[1], Outcome::NotAttempted(Error::ServerError(_))),
        "{:?}",
        run.value[1]
    );
    assert!(
        matches!(run.value[2], Outcome::Created(_)),
        "{:?}",
        run.value[2]
    );
    assert!(
        matches!(run.value[3], Outcome::NotAttempted(Error::ServerError(_))),
        "{:?}",
        run.value[3]
    );
    let list_reads = request_lines(&emu)
        .iter()
        .filter(|l| l.starts_with("GET /v3/contact_lists"))
        .count();
    assert_eq!(list_reads, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_record_refused_whole_makes_no_list() {
    let emu = emulator();
    let sixty: Vec<String> = (0..60).map(|n| format!("New {n}")).collect();
    let records = vec![contact(
        json!({"email_address": {"address": "a@example.com"}, "lists": sixty}),
    )];
    let run = harness()
        .create(&config(&emu), &records, &create_options(true))
        .await
        .expect("no trap");
    assert_eq!(validation_fields(&run.value[0]), vec!["list_memberships"]);

    let id = emu.insert_contact(
        json!({"email_address": {"address": "b@example.com", "permission_to_send": "implicit"}}),
    );
    let update = host_test::records::json::contact_update_from_json(&json!({
        "target": {"id": id},
        "changes": {"lists": ["Promo"]},
        "clear": ["list_memberships"],
    }))
    .expect("a valid update");
    let options = UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: Some(true),
    };
    let run = harness()
        .update(&config(&emu), &[update], &options)
        .await
        .expect("no trap");
    assert_eq!(validation_fields(&run.value[0]), vec!["list_memberships"]);
    assert!(emu.lists().is_empty(), "{:?}", emu.lists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_s_output_with_names_can_be_sent_back_as_an_update() {
    let emu = emulator();
    let ids = emu.seed_catalog();
    let id = emu.insert_contact(json!({
        "email_address": {"address": "ann@example.com", "permission_to_send": "implicit"},
        "first_name": "Ann",
        "list_memberships": [ids.newsletter_list],
        "custom_fields": [{"custom_field_id": ids.tier_field, "choice_ids": [ids.tier_gold]}],
    }));
    let mut request = host_test::records::json::empty_query();
    request.with_names = true;
    request.subresources = vec![Subresource::ListMemberships, Subresource::CustomFields];
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
    let mut changes = host_test::records::json::contact_to_json(&page[0]);
    changes["first_name"] = json!("Anne");
    let update = host_test::records::json::contact_update_from_json(
        &json!({"target": {"id": id}, "changes": changes}),
    )
    .expect("a valid update");
    let options = UpdateOptions {
        mode: None,
        update_source: None,
        create_missing: None,
    };
    let written = harness()
        .update(&config(&emu), &[update], &options)
        .await
        .expect("no trap");
    assert!(
        matches!(written.value[0], Outcome::Updated(_)),
        "{:?}",
        written.value[0]
    );
    let stored = emu.contact(&id).unwrap();
    assert_eq!(stored["first_name"], "Anne");
    assert_eq!(stored["list_memberships"], json!([ids.newsletter_list]));
    assert_eq!(
        stored["custom_fields"],
        json!([{"custom_field_id": ids.tier_field, "choice_ids": [ids.tier_gold]}])
    );
}
