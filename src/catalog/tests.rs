//! The catalog: paged reads, names matched exactly or apart from case, one refresh per call
//! on a miss, a failed read not repeated, lists made only for sound records, field keys,
//! named values laid over a contact's own, and names beside ids in query output.

use serde_json::json;

use super::field::{Choice, FieldDef, FieldType};
use super::*;
use crate::http::Method;
use crate::testing::{Harness, contact};
use crate::wit::{CustomEntry, CustomFieldValue, CustomValue, Outcome};

const NEWSLETTER: &str = "07936f78-662a-11eb-af0a-fa163e56c9b0";
const EVENTS: &str = "1a2b3c4d-662a-11eb-af0a-fa163e56c9b0";
const TIER: &str = "1618ae62-4752-11e9-9c8a-fa163e6b01c1";
const LISTS: &str = "/v3/contact_lists?limit=500";
const FIELDS: &str = "/v3/contact_custom_fields?limit=100";

fn def(kind: FieldType) -> FieldDef {
    FieldDef {
        id: TIER.into(),
        name: "Tier".into(),
        label: "Tier".into(),
        kind,
        integer: false,
        allow_negative: true,
        decimal_places: None,
        choices: vec![
            Choice {
                id: "1".into(),
                label: "Gold".into(),
            },
            Choice {
                id: "2".into(),
                label: "Silver".into(),
            },
        ],
    }
}

fn text(t: &str) -> CustomValue {
    CustomValue::Text(t.into())
}

fn stored(value: Option<&str>, choices: Option<Vec<&str>>) -> Option<CustomFieldValue> {
    Some(CustomFieldValue {
        custom_field_id: TIER.into(),
        value: value.map(str::to_owned),
        choice_ids: choices.map(|c| c.into_iter().map(str::to_owned).collect()),
    })
}

fn lists_page(rows: &[(&str, &str)], next: Option<&str>) -> serde_json::Value {
    let lists: Vec<_> = rows
        .iter()
        .map(|(id, name)| json!({"list_id": id, "name": name}))
        .collect();
    match next {
        Some(href) => json!({"lists": lists, "_links": {"next": {"href": href}}}),
        None => json!({"lists": lists}),
    }
}

#[test]
fn lists_are_read_across_pages_and_matched_apart_from_case() {
    let h = Harness::new();
    let next = "/v3/contact_lists?cursor=abc";
    h.expect_json(
        Method::Get,
        LISTS,
        200,
        lists_page(&[(NEWSLETTER, "Newsletter")], Some(next)),
    );
    h.expect_json(
        Method::Get,
        next,
        200,
        lists_page(&[(EVENTS, "Events")], None),
    );
    let catalog = Catalog::default();
    let mut c = contact();
    c.lists = Some(vec![
        " events ".into(),
        "Newsletter".into(),
        "NEWSLETTER".into(),
    ]);
    let resolved = resolve(&catalog, &h.client, &mut c, false).unwrap();
    assert_eq!(
        c.list_memberships,
        Some(vec![EVENTS.to_owned(), NEWSLETTER.to_owned()])
    );
    assert_eq!(c.lists, None);
    assert!(resolved.notes.is_empty());

    // The table is kept: a second record costs no request.
    let mut again = contact();
    again.lists = Some(vec!["Events".into()]);
    resolve(&catalog, &h.client, &mut again, false).unwrap();
    assert_eq!(h.requests().len(), 2);
}

#[test]
fn an_unknown_name_reads_the_account_again_once_per_call_then_names_the_field() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        LISTS,
        200,
        lists_page(&[(NEWSLETTER, "Newsletter")], None),
    );
    let catalog = Catalog::default();
    catalog.start_call();
    let mut c = contact();
    c.lists = Some(vec!["Newsletter".into(), "Newsleter".into()]);
    let Err(Error::Validation(v)) = resolve(&catalog, &h.client, &mut c, false) else {
        panic!("expected a validation error");
    };
    assert_eq!(v.fields.len(), 1);
    assert_eq!(v.fields[0].field, "lists[1]");
    assert!(
        v.fields[0].reason.contains("no list named \"Newsleter\""),
        "{}",
        v.fields[0].reason
    );
    // Read during this call already: no second read.
    assert_eq!(h.requests().len(), 1);

    // In the next call the miss reads the account again, and finds a list made meanwhile.
    catalog.start_call();
    h.expect_json(
        Method::Get,
        LISTS,
        200,
        lists_page(&[(NEWSLETTER, "Newsletter"), (EVENTS, "Newsleter")], None),
    );
    let mut c = contact();
    c.lists = Some(vec!["Newsleter".into()]);
    resolve(&catalog, &h.client, &mut c, false).unwrap();
    assert_eq!(c.list_memberships, Some(vec![EVENTS.to_owned()]));
}

#[test]
fn create_missing_makes_lists_only_for_an_otherwise_sound_record() {
    let h = Harness::new();
    h.expect_json(Method::Get, LISTS, 200, lists_page(&[], None));
    h.expect_json(Method::Get, FIELDS, 200, json!({"custom_fields": []}));
    let catalog = Catalog::default();
    catalog.start_call();
    let mut bad = contact();
    bad.lists = Some(vec!["Fresh".into()]);
    bad.custom = Some(vec![CustomEntry {
        field: "Nope".into(),
        value: text("x"),
    }]);
    let Err(Error::Validation(v)) = resolve(&catalog, &h.client, &mut bad, true) else {
        panic!("expected a validation error");
    };
    assert_eq!(v.fields[0].field, "custom.Nope");
    assert!(
        h.requests().iter().all(|r| r.method == Method::Get),
        "nothing was made"
    );

    h.expect_json(
        Method::Post,
        "/v3/contact_lists",
        201,
        json!({"list_id": EVENTS, "name": "Fresh"}),
    );
    let mut good = contact();
    good.lists = Some(vec!["Fresh".into()]);
    let mut resolved = resolve(&catalog, &h.client, &mut good, true).unwrap();
    assert!(resolved.has_missing());
    assert_eq!(h.requests().len(), 2, "resolving makes nothing");
    resolved
        .make_missing(&catalog, &h.client, &mut good)
        .unwrap();
    assert_eq!(good.list_memberships, Some(vec![EVENTS.to_owned()]));
    assert_eq!(resolved.notes, vec!["created list \"Fresh\"".to_owned()]);
    assert_eq!(h.body(2), json!({"name": "Fresh"}));

    // The made list is cached.
    let mut third = contact();
    third.lists = Some(vec!["fresh".into()]);
    let resolved = resolve(&catalog, &h.client, &mut third, true).unwrap();
    assert!(!resolved.has_missing());
    assert_eq!(third.list_memberships, Some(vec![EVENTS.to_owned()]));
    assert_eq!(h.requests().len(), 3);
}

#[test]
fn a_list_someone_else_just_made_is_found_after_the_conflict() {
    let h = Harness::new();
    h.expect_json(Method::Get, LISTS, 200, lists_page(&[], None));
    h.expect_json(
        Method::Post,
        "/v3/contact_lists",
        409,
        json!([{"error_key": "contact_lists.api.conflict", "error_message": "exists"}]),
    );
    h.expect_json(
        Method::Get,
        LISTS,
        200,
        lists_page(&[(EVENTS, "Fresh")], None),
    );
    let catalog = Catalog::default();
    let mut c = contact();
    c.lists = Some(vec!["Fresh".into()]);
    let mut resolved = resolve(&catalog, &h.client, &mut c, true).unwrap();
    resolved.make_missing(&catalog, &h.client, &mut c).unwrap();
    assert_eq!(c.list_memberships, Some(vec![EVENTS.to_owned()]));
}

#[test]
fn names_matching_several_apart_from_case_are_ambiguous_and_never_made() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        LISTS,
        200,
        lists_page(&[(NEWSLETTER, "Newsletter"), (EVENTS, "NEWSLETTER")], None),
    );
    let catalog = Catalog::default();
    catalog.start_call();
    let mut exact = contact();
    exact.lists = Some(vec!["NEWSLETTER".into()]);
    resolve(&catalog, &h.client, &mut exact, true).unwrap();
    assert_eq!(exact.list_memberships, Some(vec![EVENTS.to_owned()]));

    let mut vague = contact();
    vague.lists = Some(vec!["newsLetter".into()]);
    let Err(Error::Validation(v)) = resolve(&catalog, &h.client, &mut vague, true) else {
        panic!("expected a validation error");
    };
    assert!(
        v.fields[0].reason.contains("several lists"),
        "{}",
        v.fields[0].reason
    );
    assert_eq!(h.requests().len(), 1);
}

#[test]
fn a_failed_read_is_not_repeated_within_the_call() {
    let h = Harness::new();
    h.expect(Method::Get, LISTS, 500, "");
    let catalog = Catalog::default();
    catalog.start_call();
    for _ in 0..3 {
        let mut c = contact();
        c.lists = Some(vec!["Newsletter".into()]);
        assert!(matches!(
            resolve(&catalog, &h.client, &mut c, false),
            Err(Error::ServerError(_))
        ));
    }
    assert_eq!(h.requests().len(), 1);
    assert!(catalog.broken().is_some());
    let mut named = contact();
    named.lists = Some(vec![]);
    assert!(matches!(
        unattempted(&catalog, &named),
        Some(Outcome::NotAttempted(Error::ServerError(_)))
    ));
    assert_eq!(unattempted(&catalog, &contact()), None);

    // The next call reads the account again.
    catalog.start_call();
    assert!(catalog.broken().is_none());
    h.expect_json(
        Method::Get,
        LISTS,
        200,
        lists_page(&[(NEWSLETTER, "Newsletter")], None),
    );
    let mut again = contact();
    again.lists = Some(vec!["Newsletter".into()]);
    resolve(&catalog, &h.client, &mut again, false).unwrap();
    assert_eq!(again.list_memberships, Some(vec![NEWSLETTER.to_owned()]));
    assert_eq!(h.requests().len(), 2);
}

#[test]
fn a_field_sharing_another_s_name_goes_by_its_label() {
    let fields = vec![
        FieldDef {
            label: "Customer Since".into(),
            name: "Customer_Since".into(),
            ..def(FieldType::Date)
        },
        FieldDef {
            id: EVENTS.into(),
            label: "Customer since (text)".into(),
            name: "Customer_Since".into(),
            ..def(FieldType::String)
        },
    ];
    assert_eq!(field_key(&fields[0], &fields), "Customer Since");
    assert_eq!(field_key(&fields[1], &fields), "Customer since (text)");
    assert_eq!(field_key(&fields[0], &fields[..1]), "Customer_Since");
}

#[test]
fn named_custom_values_are_laid_over_the_contact_s_own() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        FIELDS,
        200,
        json!({"custom_fields": [
            {"custom_field_id": TIER, "label": "Tier", "name": "Tier", "type": "single_select",
             "choices": [{"choice_id": 1, "choice_label": "Gold"}, {"choice_id": 2, "choice_label": "Silver"}]},
            {"custom_field_id": EVENTS, "label": "Signup Date", "type": "date"}
        ]}),
    );
    let catalog = Catalog::default();
    let mut changes = contact();
    changes.custom = Some(vec![
        CustomEntry {
            field: "tier".into(),
            value: text("Silver"),
        },
        CustomEntry {
            field: "signup_date".into(),
            value: CustomValue::Blank,
        },
    ]);
    let resolved = resolve(&catalog, &h.client, &mut changes, false).unwrap();
    let mut existing = contact();
    let other = "99999999-4752-11e9-9c8a-fa163e6b01c1";
    existing.custom_fields = Some(vec![
        CustomFieldValue {
            custom_field_id: other.into(),
            value: Some("kept".into()),
            choice_ids: None,
        },
        CustomFieldValue {
            custom_field_id: EVENTS.into(),
            value: Some("2020-01-01".into()),
            choice_ids: None,
        },
        stored(None, Some(vec!["1"])).unwrap(),
    ]);
    resolved.lay_over(&existing, &mut changes);
    assert_eq!(
        changes.custom_fields,
        Some(vec![
            CustomFieldValue {
                custom_field_id: other.into(),
                value: Some("kept".into()),
                choice_ids: None,
            },
            stored(None, Some(vec!["2"])).unwrap(),
        ])
    );
}

#[test]
fn a_field_named_twice_or_also_given_by_id_is_refused() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        FIELDS,
        200,
        json!({"custom_fields": [{"custom_field_id": TIER, "label": "Tier", "type": "string"}]}),
    );
    let catalog = Catalog::default();
    let mut c = contact();
    c.custom_fields = Some(vec![stored(Some("a"), None).unwrap()]);
    c.custom = Some(vec![CustomEntry {
        field: "Tier".into(),
        value: text("b"),
    }]);
    let Err(Error::Validation(v)) = resolve(&catalog, &h.client, &mut c, false) else {
        panic!("expected a validation error");
    };
    assert!(
        v.fields[0].reason.contains("also given by id"),
        "{:?}",
        v.fields
    );
}

#[test]
fn query_output_gets_names_beside_ids() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        LISTS,
        200,
        lists_page(&[(NEWSLETTER, "Newsletter")], None),
    );
    h.expect_json(
        Method::Get,
        "/v3/contact_tags?limit=500",
        200,
        json!({"tags": [{"tag_id": EVENTS, "name": "VIP"}]}),
    );
    h.expect_json(
        Method::Get,
        FIELDS,
        200,
        json!({"custom_fields": [{"custom_field_id": TIER, "label": "Lifetime Value", "name": "Lifetime_Value", "type": "currency"}]}),
    );
    let catalog = Catalog::default();
    catalog.start_call();
    let mut c = contact();
    c.list_memberships = Some(vec![NEWSLETTER.into()]);
    c.taggings = Some(vec![EVENTS.into()]);
    c.custom_fields = Some(vec![stored(Some("12.5"), None).unwrap()]);
    let mut contacts = vec![c];
    fill_names(&catalog, &h.client, &mut contacts).unwrap();
    assert_eq!(contacts[0].lists, Some(vec!["Newsletter".to_owned()]));
    assert_eq!(contacts[0].tags, Some(vec!["VIP".to_owned()]));
    assert_eq!(
        contacts[0].custom,
        Some(vec![CustomEntry {
            field: "Lifetime_Value".into(),
            value: CustomValue::Number(12.5),
        }])
    );
}

#[test]
fn a_field_definition_that_cannot_be_read_costs_only_that_field() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        FIELDS,
        200,
        json!({"custom_fields": [
            {"label": "No id at all", "type": "string"},
            {"custom_field_id": TIER, "label": "Tier", "type": "single_select",
             "choices": [{"choice_id": 1, "choice_label": 2026}, {"choice_id": 2, "choice_label": null}]}
        ]}),
    );
    let catalog = Catalog::default();
    let fields = catalog.fields(&h.client).unwrap();
    assert_eq!(fields.len(), 1);
    let (key, tier) = &fields[0];
    assert_eq!(key, "Tier");
    assert_eq!(
        tier.choices,
        vec![Choice {
            id: "1".into(),
            label: "2026".into()
        }]
    );
}

#[test]
fn a_list_whose_creation_failed_uncertainly_is_looked_for_then_posted_again() {
    let h = Harness::new();
    h.client.retry().set_policy(crate::api::retry::RetryPolicy {
        max_attempts: 2,
        initial_delay_ms: 100,
        max_delay_ms: 1000,
    });
    h.expect_json(Method::Get, LISTS, 200, lists_page(&[], None));
    h.expect(Method::Post, "/v3/contact_lists", 503, "");
    h.expect_json(Method::Get, LISTS, 200, lists_page(&[], None));
    h.expect_json(
        Method::Post,
        "/v3/contact_lists",
        201,
        json!({"list_id": EVENTS, "name": "Fresh"}),
    );
    let catalog = Catalog::default();
    let mut c = contact();
    c.lists = Some(vec!["Fresh".into()]);
    let mut resolved = resolve(&catalog, &h.client, &mut c, true).unwrap();
    resolved.make_missing(&catalog, &h.client, &mut c).unwrap();
    assert_eq!(c.list_memberships, Some(vec![EVENTS.to_owned()]));
}

#[test]
fn a_list_that_cannot_be_made_says_which_and_what_was_made_before_it_once() {
    let h = Harness::new();
    h.expect_json(Method::Get, LISTS, 200, lists_page(&[], None));
    h.expect_json(
        Method::Get,
        "/v3/contact_tags?limit=500",
        200,
        json!({"tags": []}),
    );
    h.expect_json(
        Method::Post,
        "/v3/contact_lists",
        201,
        json!({"list_id": EVENTS, "name": "Fresh"}),
    );
    h.expect(Method::Post, "/v3/contact_tags", 500, "");
    h.expect_json(
        Method::Get,
        "/v3/contact_tags?limit=500",
        200,
        json!({"tags": []}),
    );
    let catalog = Catalog::default();
    let mut c = contact();
    c.lists = Some(vec!["Fresh".into()]);
    c.tags = Some(vec!["Booth".into()]);
    let mut resolved = resolve(&catalog, &h.client, &mut c, true).unwrap();
    let Err(error) = resolved.make_missing(&catalog, &h.client, &mut c) else {
        panic!("the tag cannot be made");
    };
    let message = crate::errors::message(&error);
    assert!(
        message.starts_with("failed to create tag \"Booth\": "),
        "{message}"
    );
    assert_eq!(
        message.matches("created list \"Fresh\"").count(),
        1,
        "{message}"
    );
}
