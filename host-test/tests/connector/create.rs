//! The create activity: normalisation, checks before sending, conflicts, fatal errors.

use host_test::wit::{ConflictPolicy, CreateOptions, Error, Outcome, Source};
use serde_json::json;

use crate::support::{assert_no_secret, config, contact, emulator, harness, written_id};

fn options(on_conflict: Option<ConflictPolicy>) -> CreateOptions {
    CreateOptions {
        create_source: None,
        on_conflict,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn creates_contacts_with_subresources_and_normalised_email() {
    let emu = emulator();
    let list = emu.create_list("Customers");
    let field = emu.create_custom_field("Tier", "string");
    let records = vec![
        contact(json!({
            "email_address": {"address": "  Ana.Lopez@Example.COM ", "permission_to_send": "implicit"},
            "first_name": "Ana", "last_name": "López", "company_name": "Ñandú SA",
            "birthday": {"month": 2, "day": 29},
            "phone_numbers": [{"phone_number": "+34 600 000 000", "kind": "mobile"}],
            "street_addresses": [{"kind": "work", "street": "Calle Mayor 1", "city": "Madrid", "country": "Spain"}],
            "custom_fields": [{"custom_field_id": field, "value": "gold"}],
            "list_memberships": [list],
        })),
        contact(json!({"first_name": "Only", "last_name": "Names"})),
    ];

    let run = harness()
        .create(&config(&emu), &records, &options(None))
        .await
        .expect("no trap");
    assert_eq!(run.value.len(), 2);
    let stored = emu.contact(written_id(&run.value[0])).expect("stored");
    assert_eq!(stored["email_address"]["address"], "ana.lopez@example.com");
    assert_eq!(stored["last_name"], "López");
    assert_eq!(stored["create_source"], "Account");
    assert_eq!(stored["list_memberships"], json!([list]));
    assert_eq!(stored["custom_fields"][0]["value"], "gold");
    assert_eq!(stored["phone_numbers"][0]["kind"], "mobile");
    assert_eq!(stored["birthday_month"], 2);
    assert!(emu.contact(written_id(&run.value[1])).is_some());

    for post in emu.requests().iter().filter(|r| r.method == "POST") {
        let header = |name: &str| {
            post.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(header("content-length"), Some(post.body.len().to_string()));
        assert!(header("transfer-encoding").is_none());
        assert!(header("content-type").is_some_and(|v| v.starts_with("application/json")));
    }
    assert_no_secret(&run.capture);
}

#[tokio::test(flavor = "multi_thread")]
async fn create_source_is_configurable() {
    let emu = emulator();
    let records = vec![contact(
        json!({"email_address": {"address": "self@example.com"}}),
    )];
    let opts = CreateOptions {
        create_source: Some(Source::Contact),
        on_conflict: None,
        mode: None,
        contacts_gave_consent: None,
        create_missing: None,
    };
    let run = harness()
        .create(&config(&emu), &records, &opts)
        .await
        .expect("no trap");
    let stored = emu.contact(written_id(&run.value[0])).expect("stored");
    assert_eq!(stored["create_source"], "Contact");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_records_fail_alone_naming_the_field_and_are_never_sent() {
    let emu = emulator();
    let records = vec![
        contact(json!({"email_address": {"address": "not-an-email"}})),
        contact(json!({"email_address": {"address": "good@example.com"}})),
        contact(json!({"first_name": "x".repeat(51)})),
        contact(json!({"first_name": "Phones", "phone_numbers": [
            {"phone_number": "1"}, {"phone_number": "2"}, {"phone_number": "3"}, {"phone_number": "4"}]})),
        contact(json!({"first_name": "Bad", "birthday": {"month": 2, "day": 31}})),
        contact(json!({"company_name": "Nobody"})),
    ];

    let run = harness()
        .create(&config(&emu), &records, &options(None))
        .await
        .expect("no trap");
    let fields: Vec<Option<String>> = run
        .value
        .iter()
        .map(|o| match o {
            Outcome::Failed(Error::Validation(v)) => {
                assert!(v.status.is_none(), "refused by the connector, not the API");
                Some(
                    v.fields
                        .first()
                        .map(|f| f.field.clone())
                        .unwrap_or_default(),
                )
            }
            Outcome::Created(_) => None,
            other => panic!("unexpected outcome {other:?}"),
        })
        .collect();

    assert!(
        fields[0].as_deref().unwrap().contains("email_address"),
        "{fields:?}"
    );
    assert_eq!(fields[1], None);
    assert!(
        fields[2].as_deref().unwrap().contains("first_name"),
        "{fields:?}"
    );
    assert!(
        fields[3].as_deref().unwrap().contains("phone_numbers"),
        "{fields:?}"
    );
    assert!(
        fields[4].as_deref().unwrap().contains("birthday"),
        "{fields:?}"
    );
    assert!(fields[5].is_some(), "a contact needs an email or a name");
    let posts = emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1, "only the valid record is sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_duplicate_email_is_a_conflict_carrying_the_existing_id() {
    let emu = emulator();
    let existing = emu.insert_contact(json!({
        "email_address": {"address": "taken@example.com", "permission_to_send": "explicit"},
        "first_name": "Original", "list_memberships": [],
    }));
    let records = vec![contact(
        json!({"email_address": {"address": "Taken@Example.com"}, "job_title": "Chef"}),
    )];

    let run = harness()
        .create(&config(&emu), &records, &options(None))
        .await
        .expect("no trap");
    match &run.value[0] {
        Outcome::Failed(Error::Conflict(c)) => {
            assert_eq!(c.existing_contact_id.as_deref(), Some(existing.as_str()))
        }
        other => panic!("expected a conflict, got {other:?}"),
    }

    let run = harness()
        .create(
            &config(&emu),
            &records,
            &options(Some(ConflictPolicy::Skip)),
        )
        .await
        .expect("no trap");
    match &run.value[0] {
        Outcome::Skipped(s) => assert_eq!(s.contact_id.as_deref(), Some(existing.as_str())),
        other => panic!("expected a skip, got {other:?}"),
    }
    assert!(emu.contact(&existing).unwrap().get("job_title").is_none());

    let run = harness()
        .create(
            &config(&emu),
            &records,
            &options(Some(ConflictPolicy::Update)),
        )
        .await
        .expect("no trap");
    assert_eq!(written_id(&run.value[0]), existing);
    assert!(matches!(run.value[0], Outcome::Updated(_)));
    let stored = emu.contact(&existing).unwrap();
    assert_eq!(stored["job_title"], "Chef");
    assert_eq!(
        stored["first_name"], "Original",
        "the merge keeps what the record omits"
    );
    assert_eq!(emu.contacts().len(), 1, "no second contact was created");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_address_of_a_deleted_contact_is_a_conflict_never_a_success() {
    let emu = emulator();
    let deleted = emu.insert_contact(json!({
        "email_address": {"address": "former@example.com", "permission_to_send": "implicit"},
        "first_name": "Former", "deleted_at": "2026-03-01",
    }));
    let records = vec![contact(
        json!({"email_address": {"address": "former@example.com"}, "first_name": "New"}),
    )];

    // The API's default lookup does not see the deleted contact.
    let lookup =
        host_test::records::json::query_request_from_json(&json!({"email": "former@example.com"}))
            .expect("request");
    let mut run = harness()
        .query(&config(&emu), &lookup, None)
        .await
        .expect("no trap")
        .expect("query");
    let page = run.next_page().await.expect("no trap").expect("page");
    assert!(
        page.as_ref().is_none_or(|p| p.is_empty()),
        "a lookup without status=all found {page:?}"
    );

    for policy in [None, Some(ConflictPolicy::Update)] {
        let run = harness()
            .create(&config(&emu), &records, &options(policy))
            .await
            .expect("no trap");
        match &run.value[0] {
            Outcome::Failed(Error::Conflict(c)) => {
                assert_eq!(c.existing_contact_id.as_deref(), Some(deleted.as_str()));
                assert!(
                    c.failure.message.contains("deleted"),
                    "{}",
                    c.failure.message
                );
            }
            other => panic!("expected a conflict with the deleted contact, got {other:?}"),
        }
    }
    let stored = emu.contact(&deleted).unwrap();
    assert!(
        stored.get("deleted_at").is_some(),
        "the deleted contact was not revived"
    );
    assert_eq!(stored["first_name"], "Former");
    assert_eq!(emu.contacts().len(), 1);

    // The API's default lookup does not see the deleted contact, and POST answers 409.
    let statuses: Vec<(String, u16)> = emu
        .requests()
        .into_iter()
        .map(|r| {
            (
                format!("{} {}?{}", r.method, r.path, r.query.unwrap_or_default()),
                r.status,
            )
        })
        .collect();
    assert!(
        statuses
            .iter()
            .any(|(l, s)| l.starts_with("POST /v3/contacts") && *s == 409),
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_token_stops_the_batch_and_accounts_for_every_record() {
    let emu = emulator();
    let mut cfg = config(&emu);
    cfg.access_token = "revoked-token".into();
    let records: Vec<_> = (0..4)
        .map(|i| contact(json!({"email_address": {"address": format!("r{i}@example.com")}})))
        .collect();

    let run = harness()
        .create(&cfg, &records, &options(None))
        .await
        .expect("no trap");
    assert_eq!(run.value.len(), 4);
    assert!(
        matches!(run.value[0], Outcome::Failed(Error::Unauthorized(_))),
        "{:?}",
        run.value[0]
    );
    for later in &run.value[1..] {
        assert!(
            matches!(later, Outcome::NotAttempted(Error::Unauthorized(_))),
            "{later:?}"
        );
    }
    assert_eq!(
        emu.requests().len(),
        1,
        "nothing is sent after the token is rejected"
    );
    assert!(emu.contacts().is_empty());
}
