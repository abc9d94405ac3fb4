//! Merge and replace semantics on plain contacts.

use super::*;
use crate::testing::{contact, email};
use crate::wit::{Birthday, Permission};

const LIST: &str = "07936f78-662a-11eb-af0a-fa163e56c9b0";

fn existing() -> Contact {
    let mut c = contact();
    c.contact_id = Some("id".into());
    let mut e = email("ann@example.com");
    e.permission_to_send = Some(Permission::Explicit);
    c.email_address = Some(e);
    c.first_name = Some("Ann".into());
    c.last_name = Some("Lee".into());
    c.job_title = Some("Chef".into());
    c.birthday = Some(Birthday { month: 1, day: 2 });
    c.list_memberships = Some(vec![LIST.into()]);
    c
}

#[test]
fn merge_keeps_what_is_absent() {
    let mut changes = contact();
    changes.last_name = Some("Park".into());
    let applied = merge(&existing(), &changes, &[]).unwrap();
    let c = applied.contact;
    assert_eq!(c.last_name.as_deref(), Some("Park"));
    assert_eq!(c.first_name.as_deref(), Some("Ann"));
    assert_eq!(c.job_title.as_deref(), Some("Chef"));
    assert_eq!(c.birthday, Some(Birthday { month: 1, day: 2 }));
    assert_eq!(c.list_memberships, Some(vec![LIST.to_owned()]));
    assert_eq!(c.email_address.unwrap().address, "ann@example.com");
    assert!(applied.notes.is_empty());
}

#[test]
fn merge_clears_with_empty_values_and_clear_entries() {
    let mut changes = contact();
    changes.job_title = Some(String::new());
    changes.list_memberships = Some(vec![]);
    let clear = [ContactField::Birthday, ContactField::Taggings];
    let c = merge(&existing(), &changes, &clear).unwrap().contact;
    assert_eq!(c.job_title, None);
    assert_eq!(c.list_memberships, Some(vec![]));
    assert_eq!(c.birthday, None);
    assert_eq!(c.taggings, Some(vec![]));
}

#[test]
fn giving_and_clearing_a_field_is_refused() {
    let mut changes = contact();
    changes.first_name = Some("Bo".into());
    let errors = merge(&existing(), &changes, &[ContactField::FirstName]).unwrap_err();
    assert_eq!(
        errors,
        vec![field(
            "first_name",
            "is both given a value and listed in clear"
        )]
    );
    assert!(replace(&existing(), &changes, &[ContactField::FirstName]).is_err());
}

#[test]
fn email_changes_are_normalised_and_permission_kept() {
    let mut changes = contact();
    changes.email_address = Some(email(" New@Example.com "));
    let applied = merge(&existing(), &changes, &[]).unwrap();
    let e = applied.contact.email_address.unwrap();
    assert_eq!(e.address, "new@example.com");
    assert_eq!(e.permission_to_send, Some(Permission::Explicit));
    assert_eq!(
        applied.notes,
        vec!["email address \" New@Example.com \" was normalised to \"new@example.com\""]
    );
}

#[test]
fn an_empty_address_keeps_the_existing_one_and_applies_the_permission() {
    let mut change = email("");
    change.permission_to_send = Some(Permission::Unsubscribed);
    change.opt_out_reason = Some("asked".into());
    let mut changes = contact();
    changes.email_address = Some(change);
    let e = merge(&existing(), &changes, &[])
        .unwrap()
        .contact
        .email_address
        .unwrap();
    assert_eq!(e.address, "ann@example.com");
    assert_eq!(e.permission_to_send, Some(Permission::Unsubscribed));
    assert_eq!(e.opt_out_reason.as_deref(), Some("asked"));

    let mut no_email = existing();
    no_email.email_address = None;
    let errors = merge(&no_email, &changes, &[]).unwrap_err();
    assert_eq!(errors[0].field, "email_address.address");
}

#[test]
fn replace_keeps_only_what_is_given_but_always_the_email() {
    let mut changes = contact();
    changes.first_name = Some("Bo".into());
    let c = replace(&existing(), &changes, &[ContactField::Notes])
        .unwrap()
        .contact;
    assert_eq!(c.first_name.as_deref(), Some("Bo"));
    assert_eq!(c.last_name, None);
    assert_eq!(c.job_title, None);
    assert_eq!(c.birthday, None);
    assert_eq!(
        c.list_memberships, None,
        "absent subresources are left to the API"
    );
    assert_eq!(c.notes, Some(vec![]));
    let e = c.email_address.unwrap();
    assert_eq!(e.address, "ann@example.com");
    assert_eq!(e.permission_to_send, Some(Permission::Explicit));
}
