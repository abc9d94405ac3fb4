//! The realistic seed: deterministic, varied, consistent with the API's rules, and fast.

use std::collections::HashSet;
use std::time::Instant;

use serde_json::Value;

use crate::client::{emulator, get};

/// The parts of a contact that do not depend on ids or the clock.
fn fingerprint(contact: &Value) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        contact["email_address"]["address"],
        contact["first_name"],
        contact["last_name"],
        contact["email_address"]["permission_to_send"],
        contact["phone_numbers"].as_array().map_or(0, Vec::len),
    )
}

#[test]
fn the_same_seed_gives_the_same_people() {
    let a = emulator();
    let b = emulator();
    let c = emulator();
    let summary_a = a.seed_realistic(300, 42);
    let summary_b = b.seed_realistic(300, 42);
    c.seed_realistic(300, 43);
    let prints =
        |e: &cc_emulator::Emulator| e.contacts().iter().map(fingerprint).collect::<Vec<_>>();
    assert_eq!(prints(&a), prints(&b));
    assert_ne!(prints(&a), prints(&c));
    assert_eq!(summary_a.sample_emails, summary_b.sample_emails);
    assert_eq!(summary_a.deleted, summary_b.deleted);
}

#[test]
fn five_thousand_contacts_are_varied_and_consistent() {
    let emulator = emulator();
    let started = Instant::now();
    let summary = emulator.seed_realistic(5000, 7);
    let elapsed = started.elapsed();
    assert!(elapsed.as_secs() < 10, "seeding took {elapsed:?}");

    assert_eq!(summary.contacts, 5000);
    let names: Vec<&str> = summary.lists.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Newsletter",
            "Customers",
            "Prospects",
            "Events 2026",
            "VIP",
            "Partners"
        ]
    );
    assert_eq!(summary.custom_fields.len(), 4);
    assert_eq!(emulator.lists().len(), 6);
    assert_eq!(emulator.custom_fields().len(), 4);
    assert!(
        (75..=250).contains(&summary.deleted),
        "deleted {}",
        summary.deleted
    );
    assert!(
        (100..=300).contains(&summary.unsubscribed),
        "unsubscribed {}",
        summary.unsubscribed
    );

    let contacts = emulator.contacts();
    let mut emails = HashSet::new();
    let mut previous_created = String::new();
    let mut non_ascii = 0;
    let mut permissions = HashSet::new();
    for contact in &contacts {
        let created = contact["created_at"].as_str().unwrap().to_string();
        assert!(
            created >= previous_created,
            "creation order follows created_at"
        );
        previous_created = created;
        if let Some(address) = contact["email_address"]["address"].as_str() {
            assert!(address.is_ascii() && address.contains('@'), "{address}");
            assert!(emails.insert(address.to_lowercase()), "{address} twice");
            permissions.insert(
                contact["email_address"]["permission_to_send"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
        if !contact["first_name"].as_str().unwrap().is_ascii() {
            non_ascii += 1;
        }
        let lists = contact["list_memberships"].as_array().unwrap();
        if contact.get("deleted_at").is_some() {
            assert_eq!(contact["deleted_at"].as_str().unwrap().len(), 10);
            assert!(lists.is_empty(), "deleted contacts have no lists");
        } else {
            assert!((1..=3).contains(&lists.len()));
        }
        if contact["email_address"]["permission_to_send"] == "unsubscribed" {
            assert!(contact["email_address"]["opt_out_date"].is_string());
        }
        assert!(contact["phone_numbers"].as_array().unwrap().len() <= 2);
        assert!(contact["street_addresses"].as_array().unwrap().len() <= 2);
    }
    assert!(non_ascii > 500, "only {non_ascii} non-ASCII first names");
    for expected in [
        "explicit",
        "implicit",
        "unsubscribed",
        "pending_confirmation",
        "not_set",
        "temp_hold",
    ] {
        assert!(permissions.contains(expected), "no {expected} contact");
    }
    assert!(
        contacts.iter().any(|c| c.get("email_address").is_none()),
        "some name-only contacts"
    );
    assert!(
        contacts
            .iter()
            .any(|c| !c["notes"].as_array().unwrap().is_empty())
    );
    assert!(
        contacts
            .iter()
            .any(|c| c["custom_fields"].as_array().unwrap().len() == 4)
    );

    // The API agrees with the summary.
    let body = get(&emulator, "/v3/contacts?include_count=true&limit=1").json();
    assert_eq!(body["contacts_count"], 5000 - summary.deleted);
    let body = get(
        &emulator,
        "/v3/contacts?status=deleted&include_count=true&limit=1",
    )
    .json();
    assert_eq!(body["contacts_count"], summary.deleted);
}

#[test]
fn sample_emails_have_the_kinds_they_claim() {
    let emulator = emulator();
    let summary = emulator.seed_realistic(1000, 3);
    assert!(!summary.sample_active.is_empty());
    assert!(!summary.sample_deleted.is_empty());
    assert!(!summary.sample_unsubscribed.is_empty());
    for email in &summary.sample_active {
        let contact = emulator.find_by_email(email).unwrap();
        assert!(contact.get("deleted_at").is_none());
        let permission = contact["email_address"]["permission_to_send"]
            .as_str()
            .unwrap();
        assert!(permission == "explicit" || permission == "implicit");
    }
    for email in &summary.sample_deleted {
        assert!(
            emulator
                .find_by_email(email)
                .unwrap()
                .get("deleted_at")
                .is_some()
        );
    }
    for email in &summary.sample_unsubscribed {
        let contact = emulator.find_by_email(email).unwrap();
        assert_eq!(
            contact["email_address"]["permission_to_send"],
            "unsubscribed"
        );
    }
    assert!(summary.sample_emails.contains(&summary.sample_deleted[0]));
}

/// The demo's bundled CSV relies on these addresses of `seed_realistic(2000, 7)`; changing
/// the seed's tables or draws breaks it.
#[test]
fn the_demo_seed_is_pinned() {
    let emulator = emulator();
    let summary = emulator.seed_realistic(2000, 7);
    assert_eq!((summary.deleted, summary.unsubscribed), (47, 86));
    assert_eq!(summary.sample_active[0], "fberenger@contoso.example");
    assert_eq!(summary.sample_deleted[0], "helene.dubois97@mail.example");
    assert_eq!(summary.sample_unsubscribed[0], "yui.suzuki@contoso.example");
    let deleted = emulator
        .find_by_email("Helene.Dubois97@mail.example")
        .unwrap();
    assert!(deleted.get("deleted_at").is_some());
}
