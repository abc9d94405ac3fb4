//! `describe-account`: the schemas made for one account show its custom fields, typed, and
//! its lists and tags by name; and the records they describe are accepted.

use host_test::wit::{CreateOptions, Outcome};
use serde_json::{Value, json};

use crate::support::{config, contact, emulator, harness, written_id};

#[tokio::test(flavor = "multi_thread")]
async fn an_account_with_three_custom_fields_shows_them_typed() {
    let emu = emulator();
    emu.seed_catalog();
    let run = harness()
        .describe_account(&config(&emu))
        .await
        .expect("no trap");
    let schemas = run.value.expect("describe the account");
    let create: Value = serde_json::from_str(&schemas.create_input).expect("JSON");
    let custom = &create["properties"]["custom"];
    let fields = custom["properties"].as_object().expect("named properties");
    let mut names: Vec<&String> = fields.keys().collect();
    names.sort();
    assert_eq!(names, vec!["Lifetime_Value", "Signup_Date", "Tier"]);
    assert_eq!(custom["additionalProperties"], json!(false));
    assert_eq!(
        fields["Tier"]["enum"],
        json!(["Gold", "Silver", "Bronze", null])
    );
    assert_eq!(fields["Tier"]["title"], "Tier");
    assert_eq!(fields["Signup_Date"]["format"], "date");
    assert_eq!(fields["Signup_Date"]["title"], "Signup Date");
    assert_eq!(
        fields["Lifetime_Value"]["type"],
        json!(["number", "string", "null"])
    );

    let lists = &create["properties"]["lists"]["items"]["enum"];
    assert_eq!(lists, &json!(["Customers", "Events", "Newsletter"]));
    let tags = &create["properties"]["tags"]["items"]["enum"];
    assert_eq!(tags, &json!(["VIP", "Webinar 2026"]));

    let output: Value = serde_json::from_str(&schemas.query_output).expect("JSON");
    assert_eq!(output["properties"]["custom"], *custom);
    let update: Value = serde_json::from_str(&schemas.update_input).expect("JSON");
    assert_eq!(update["$defs"]["contact"]["properties"]["custom"], *custom);

    // A record written to that schema is accepted as it stands.
    let record = json!({
        "email_address": {"address": "fit@example.com"},
        "lists": ["Newsletter"], "tags": ["VIP"],
        "custom": {"Tier": "Silver", "Signup_Date": "2026-12-01", "Lifetime_Value": 10},
    });
    let options = CreateOptions {
        create_source: None,
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    };
    let written = harness()
        .create(&config(&emu), &[contact(record)], &options)
        .await
        .expect("no trap");
    assert!(
        matches!(written.value[0], Outcome::Created(_)),
        "{:?}",
        written.value[0]
    );
    let stored = emu.contact(written_id(&written.value[0])).unwrap();
    assert_eq!(stored["custom_fields"].as_array().map(Vec::len), Some(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_without_the_lists_privilege_gets_a_forbidden_error() {
    let emu = emulator();
    emu.seed_catalog();
    emu.script(
        cc_emulator::Script::new(
            "/v3/contact_lists",
            1,
            cc_emulator::Canned::json(
                403,
                json!([{"error_key": "forbidden", "error_message": "This user lacks a privilege."}]),
            ),
        )
        .with_method("GET"),
    );
    let run = harness()
        .describe_account(&config(&emu))
        .await
        .expect("no trap");
    let Err(host_test::wit::Error::Forbidden(f)) = run.value else {
        panic!("expected forbidden, got {:?}", run.value);
    };
    assert_eq!(f.required_privilege.as_deref(), Some("contacts:lists:read"));
}
