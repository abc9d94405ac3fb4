//! The spec's limits, one check at a time.

use super::*;
use crate::testing::{contact, email};
use crate::wit::{AddressKind, CustomFieldValue, Note, PhoneNumber, StreetAddress};

const ID: &str = "af73e650-96f0-11ef-b2a0-fa163eafb85e";

fn with_email(address: &str) -> Contact {
    let mut c = contact();
    c.email_address = Some(email(address));
    c
}

fn fields(c: &Contact) -> Vec<String> {
    validate_contact(c).into_iter().map(|e| e.field).collect()
}

fn phone(number: &str) -> PhoneNumber {
    PhoneNumber {
        phone_number_id: None,
        phone_number: number.into(),
        kind: None,
        create_source: None,
        update_source: None,
        created_at: None,
        updated_at: None,
    }
}

#[test]
fn normalising_trims_and_lowercases() {
    assert_eq!(
        normalise_email("  Ann.Lee@Example.COM \t"),
        "ann.lee@example.com"
    );
}

#[test]
fn normalising_keeps_letters_whose_lower_case_is_longer() {
    assert_eq!(
        normalise_email("ÖZ.İstanbul@Example.com"),
        "öz.İstanbul@example.com"
    );
}

#[test]
fn control_characters_in_text_are_refused_but_line_breaks_are_not() {
    let mut c = with_email("a@b.co");
    c.first_name = Some("Ann\u{0}".into());
    c.job_title = Some("Chef\u{1b}[2J".into());
    c.notes = Some(vec![crate::wit::Note {
        note_id: None,
        created_at: None,
        content: "line one\nline two\ttabbed".into(),
    }]);
    assert_eq!(fields(&c), vec!["first_name", "job_title"]);
}

#[test]
fn email_syntax() {
    for good in ["a@b.co", "first.last+tag@sub.example.org", "x_y@d-1.io"] {
        assert_eq!(email_problem(good), None, "{good}");
    }
    for bad in [
        "",
        "plain",
        "@example.com",
        "a@@example.com",
        "a@b@example.com",
        "a@example",
        "a@.example.com",
        "a@example..com",
        "a@example.com.",
        "a b@example.com",
    ] {
        assert!(email_problem(bad).is_some(), "{bad}");
    }
    let long = format!("{}@example.com", "a".repeat(70));
    assert_eq!(
        email_problem(&long).as_deref(),
        Some("is longer than 80 characters")
    );
}

#[test]
fn a_contact_needs_an_email_or_a_name() {
    assert_eq!(fields(&contact()), vec!["email_address"]);
    let mut named = contact();
    named.last_name = Some("Lee".into());
    assert!(fields(&named).is_empty());
    let mut empty_names = contact();
    empty_names.first_name = Some(String::new());
    assert_eq!(fields(&empty_names), vec!["email_address"]);
    assert!(fields(&with_email("a@b.co")).is_empty());
}

#[test]
fn bad_email_names_the_address_field() {
    let errors = validate_contact(&with_email("not-an-email"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "email_address.address");
    assert!(
        errors[0].reason.contains("has no @"),
        "{}",
        errors[0].reason
    );
}

#[test]
fn text_lengths() {
    let mut c = with_email("a@b.co");
    c.first_name = Some("é".repeat(50));
    assert!(fields(&c).is_empty(), "50 characters (not bytes) are fine");
    c.first_name = Some("x".repeat(51));
    c.company_name = Some("x".repeat(51));
    c.email_address.as_mut().unwrap().opt_out_reason = Some("x".repeat(256));
    assert_eq!(
        fields(&c),
        vec!["email_address.opt_out_reason", "first_name", "company_name"]
    );
}

#[test]
fn birthdays_must_be_real_days() {
    let mut c = with_email("a@b.co");
    for (month, day, ok) in [
        (2, 29, true),
        (12, 31, true),
        (4, 31, false),
        (2, 30, false),
        (0, 1, false),
        (13, 1, false),
        (1, 0, false),
    ] {
        c.birthday = Some(Birthday { month, day });
        assert_eq!(fields(&c).is_empty(), ok, "{month}/{day}");
    }
    c.birthday = Some(Birthday { month: 13, day: 1 });
    assert_eq!(fields(&c), vec!["birthday.month"]);
    c.birthday = Some(Birthday { month: 6, day: 31 });
    assert_eq!(fields(&c), vec!["birthday.day"]);
}

#[test]
fn anniversary_formats() {
    for good in [
        "2006-11-15",
        "2006-1-5",
        "2006/11/15",
        "2006/1/5",
        "11/15/2006",
        "1/5/2006",
        "1-5-2006",
        "1-15-2006",
        "11-15-2006",
        "2024-02-29",
        "",
    ] {
        let mut c = with_email("a@b.co");
        c.anniversary = Some(good.into());
        assert!(fields(&c).is_empty(), "{good}");
    }
    for bad in [
        "2006-13-01",
        "2023-02-29",
        "15/11/2006",
        "2006.11.15",
        "2006-11/15",
        "06-11-15",
        "yesterday",
        "2006-11-15T00",
        "11/15/2006x",
    ] {
        let mut c = with_email("a@b.co");
        c.anniversary = Some(bad.into());
        assert_eq!(fields(&c), vec!["anniversary"], "{bad}");
    }
}

#[test]
fn subresource_counts_and_contents() {
    let mut c = with_email("a@b.co");
    c.phone_numbers = Some(vec![phone("1"), phone("2"), phone("3"), phone("4")]);
    c.list_memberships = Some(vec![ID.to_owned(); 51]);
    c.taggings = Some(vec!["not-a-uuid".into()]);
    c.custom_fields = Some(vec![CustomFieldValue {
        custom_field_id: ID.into(),
        value: Some("v".repeat(256)),
        choice_ids: None,
    }]);
    assert_eq!(
        fields(&c),
        vec![
            "custom_fields[0].value",
            "phone_numbers",
            "list_memberships",
            "taggings[0]"
        ]
    );
}

#[test]
fn phones_addresses_and_notes() {
    let mut c = with_email("a@b.co");
    c.phone_numbers = Some(vec![phone(""), phone(&"9".repeat(26))]);
    c.street_addresses = Some(vec![StreetAddress {
        street_address_id: None,
        kind: AddressKind::Home,
        street: Some("s".repeat(256)),
        city: Some("c".repeat(51)),
        state: None,
        postal_code: None,
        country: None,
        created_at: None,
        updated_at: None,
    }]);
    c.notes = Some(vec![
        Note {
            note_id: None,
            created_at: None,
            content: "hello".into(),
        },
        Note {
            note_id: Some("not-a-uuid".into()),
            created_at: None,
            content: "hi".into(),
        },
        Note {
            note_id: Some(ID.into()),
            created_at: None,
            content: "n".repeat(2001),
        },
    ]);
    assert_eq!(
        fields(&c),
        vec![
            "phone_numbers[0].phone_number",
            "phone_numbers[1].phone_number",
            "street_addresses[0].street",
            "street_addresses[0].city",
            "notes[1].note_id",
            "notes[2].content"
        ]
    );
}

#[test]
fn read_only_fields_are_not_checked() {
    let mut c = with_email("a@b.co");
    c.contact_id = Some("whatever".into());
    c.created_at = Some("not a date".into());
    assert!(fields(&c).is_empty());
}

#[test]
fn addresses_are_the_same_whichever_side_folded_a_letter_fully() {
    // The connector keeps `İ`; an API that folds it fully stores `i̇`.
    assert_eq!(normalise_email("İrem@Example.com"), "İrem@example.com");
    assert!(same_address("İrem@example.com", "i\u{307}rem@example.com"));
    assert!(same_address(" Ünal@example.com", "ünal@example.com"));
    assert!(!same_address("irem@example.com", "i\u{307}rem@example.com"));
}

#[test]
fn invisible_and_bracketing_characters_make_no_address() {
    for bad in [
        "unsub@exa\u{00AD}mple.com",
        "w@example.com\u{200B}",
        "<unsub@example.com>",
        "a@exa_mple.com",
        "a@example.com;b@example.com",
    ] {
        assert!(email_problem(bad).is_some(), "{bad:?}");
    }
    for good in [
        "o'brien+news@example.co.uk",
        "josé@bücher.example",
        "a.b-c@x-y.example",
    ] {
        assert_eq!(email_problem(good), None, "{good}");
    }
}
