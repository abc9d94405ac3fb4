//! The v2 mapping: what each v2 field becomes, and every loss named.

use super::mapping::{Use, to_v3};
use crate::wit::{
    AddressKind, CustomValue, LossKind, Permission, PhoneKind, Source, V2ActionBy, V2Address,
    V2AddressType, V2Contact, V2CustomField, V2EmailAddress, V2List, V2Note, V2Status,
};

fn v2() -> V2Contact {
    V2Contact {
        id: None,
        status: None,
        email_addresses: None,
        prefix_name: None,
        first_name: None,
        middle_name: None,
        last_name: None,
        job_title: None,
        company_name: None,
        department_name: None,
        home_phone: None,
        work_phone: None,
        cell_phone: None,
        fax: None,
        addresses: None,
        notes: None,
        lists: None,
        custom_fields: None,
        confirmed: None,
        source: None,
        source_details: None,
        created_date: None,
        modified_date: None,
    }
}

fn address(email: &str, status: Option<V2Status>) -> V2EmailAddress {
    V2EmailAddress {
        id: None,
        email_address: email.into(),
        status,
        confirm_status: None,
        opt_in_source: None,
        opt_in_date: None,
        opt_out_date: None,
    }
}

fn lost(mapped: &super::Mapped) -> Vec<(&str, LossKind)> {
    mapped
        .losses
        .iter()
        .map(|l| (l.field.as_str(), l.kind))
        .collect()
}

#[test]
fn a_plain_record_maps_without_losses() {
    let mut r = v2();
    r.email_addresses = Some(vec![address("ann@example.com", None)]);
    r.first_name = Some("Ann".into());
    r.company_name = Some("Acme".into());
    r.home_phone = Some("555-0100".into());
    r.cell_phone = Some("555-0101".into());
    let m = to_v3(&r, Use::Create).unwrap();
    assert!(m.losses.is_empty(), "{:?}", m.losses);
    let c = m.contact;
    assert_eq!(c.email_address.unwrap().address, "ann@example.com");
    assert_eq!(c.first_name.as_deref(), Some("Ann"));
    let phones: Vec<_> = c
        .phone_numbers
        .unwrap()
        .into_iter()
        .map(|p| (p.phone_number, p.kind))
        .collect();
    assert_eq!(
        phones,
        vec![
            ("555-0100".to_owned(), Some(PhoneKind::Home)),
            ("555-0101".to_owned(), Some(PhoneKind::Mobile))
        ]
    );
}

#[test]
fn fax_prefix_and_middle_name_are_named_as_lossy() {
    let mut r = v2();
    r.email_addresses = Some(vec![address("ann@example.com", None)]);
    r.prefix_name = Some("Dr.".into());
    r.middle_name = Some("Q".into());
    r.fax = Some("555-0199".into());
    let m = to_v3(&r, Use::Create).unwrap();
    assert_eq!(
        lost(&m),
        vec![
            ("prefix_name", LossKind::Dropped),
            ("middle_name", LossKind::Dropped),
            ("fax", LossKind::Approximated)
        ]
    );
    let phone = &m.contact.phone_numbers.unwrap()[0];
    assert_eq!(phone.phone_number, "555-0199");
    assert_eq!(phone.kind, Some(PhoneKind::Other));
}

#[test]
fn statuses_map_to_permissions_on_create_and_only_opt_outs_on_update() {
    let with = |status: V2Status, by: Option<V2ActionBy>| {
        let mut r = v2();
        let mut e = address("a@b.co", Some(status));
        e.opt_in_source = by;
        r.email_addresses = Some(vec![e]);
        r
    };
    let permission = |r: &V2Contact, usage| {
        to_v3(r, usage)
            .unwrap()
            .contact
            .email_address
            .unwrap()
            .permission_to_send
    };
    let visitor = Some(V2ActionBy::ActionByVisitor);
    let owner = Some(V2ActionBy::ActionByOwner);
    assert_eq!(
        permission(&with(V2Status::Active, visitor), Use::Create),
        Some(Permission::Explicit)
    );
    assert_eq!(
        permission(&with(V2Status::Active, owner), Use::Create),
        Some(Permission::Implicit)
    );
    assert_eq!(
        permission(&with(V2Status::Unconfirmed, None), Use::Create),
        Some(Permission::PendingConfirmation)
    );
    assert_eq!(
        permission(&with(V2Status::Optout, None), Use::Create),
        Some(Permission::Unsubscribed)
    );
    assert_eq!(
        permission(&with(V2Status::NonSubscriber, None), Use::Create),
        Some(Permission::NotSet)
    );
    assert_eq!(
        permission(&with(V2Status::Optout, None), Use::Update),
        Some(Permission::Unsubscribed)
    );
    assert_eq!(
        permission(&with(V2Status::Active, visitor), Use::Update),
        None
    );

    let created = to_v3(&with(V2Status::Active, owner), Use::Create).unwrap();
    assert_eq!(
        created.contact.email_address.unwrap().opt_in_source,
        Some(Source::Account)
    );
    let updated = to_v3(&with(V2Status::Active, owner), Use::Update).unwrap();
    assert_eq!(
        lost(&updated),
        vec![
            ("email_addresses[0].opt_in_source", LossKind::Dropped),
            ("email_addresses[0].status", LossKind::Dropped)
        ]
    );

    let removed = to_v3(&with(V2Status::Removed, None), Use::Create).unwrap_err();
    assert_eq!(removed[0].field, "email_addresses[0].status");
}

#[test]
fn addresses_join_their_lines_and_name_what_was_approximated() {
    let mut r = v2();
    r.addresses = Some(vec![V2Address {
        id: Some("17".into()),
        address_type: Some(V2AddressType::Business),
        line1: Some("1 Main St".into()),
        line2: Some("Suite 5".into()),
        line3: None,
        city: Some("Boston".into()),
        state: None,
        state_code: Some("MA".into()),
        country_code: Some("US".into()),
        postal_code: Some("02110".into()),
        sub_postal_code: Some("1234".into()),
    }]);
    r.last_name = Some("Lee".into());
    let m = to_v3(&r, Use::Create).unwrap();
    let a = &m.contact.street_addresses.as_ref().unwrap()[0];
    assert_eq!(a.kind, AddressKind::Work);
    assert_eq!(a.street.as_deref(), Some("1 Main St, Suite 5"));
    assert_eq!(a.state.as_deref(), Some("MA"));
    assert_eq!(a.country.as_deref(), Some("US"));
    assert_eq!(a.postal_code.as_deref(), Some("02110-1234"));
    assert_eq!(
        lost(&m),
        vec![
            ("addresses[0].id", LossKind::Dropped),
            ("addresses[0].line2", LossKind::Approximated),
            ("addresses[0].state_code", LossKind::Approximated),
            ("addresses[0].country_code", LossKind::Approximated),
            ("addresses[0].sub_postal_code", LossKind::Approximated)
        ]
    );
}

#[test]
fn lists_custom_fields_notes_and_extra_addresses() {
    let mut r = v2();
    r.email_addresses = Some(vec![address("a@b.co", None), address("second@b.co", None)]);
    r.lists = Some(vec![
        V2List {
            id: "07936F78-662A-11EB-AF0A-FA163E56C9B0".into(),
            status: Some("ACTIVE".into()),
        },
        V2List {
            id: "12".into(),
            status: Some("HIDDEN".into()),
        },
    ]);
    r.custom_fields = Some(vec![V2CustomField {
        name: "CustomField3".into(),
        value: "blue".into(),
    }]);
    r.notes = Some(vec![V2Note {
        id: Some("9".into()),
        note: "Met at the fair".into(),
        created_date: Some("2019-01-02T03:04:05Z".into()),
        modified_date: None,
    }]);
    let m = to_v3(&r, Use::Create).unwrap();
    assert_eq!(
        m.contact.list_memberships,
        Some(vec!["07936f78-662a-11eb-af0a-fa163e56c9b0".to_owned()])
    );
    assert_eq!(m.v2_list_ids, vec![(1, "12".to_owned())]);
    let custom = m.contact.custom.as_ref().unwrap();
    assert_eq!(custom[0].field, "CustomField3");
    assert_eq!(custom[0].value, CustomValue::Text("blue".into()));
    let note = &m.contact.notes.as_ref().unwrap()[0];
    assert_eq!(note.content, "Met at the fair");
    assert_eq!(note.created_at.as_deref(), Some("2019-01-02T03:04:05Z"));
    assert_eq!(
        lost(&m),
        vec![
            ("email_addresses[1]", LossKind::Dropped),
            ("notes[0].id", LossKind::Dropped),
            ("lists[1].status", LossKind::Dropped)
        ]
    );

    let mut bad = v2();
    bad.lists = Some(vec![V2List {
        id: "newsletter".into(),
        status: None,
    }]);
    assert_eq!(
        to_v3(&bad, Use::Create).unwrap_err()[0].field,
        "lists[0].id"
    );
}

#[test]
fn an_update_without_addresses_still_carries_an_opt_out() {
    let mut r = v2();
    r.status = Some(V2Status::Optout);
    let m = to_v3(&r, Use::Update).unwrap();
    let email = m.contact.email_address.expect("a permission change");
    assert_eq!(email.address, "");
    assert_eq!(email.permission_to_send, Some(Permission::Unsubscribed));

    r.status = Some(V2Status::Active);
    let m = to_v3(&r, Use::Update).unwrap();
    assert!(m.contact.email_address.is_none());
    assert_eq!(lost(&m), vec![("status", LossKind::Dropped)]);
}

#[test]
fn an_upsert_leaves_consent_to_the_form_and_refuses_an_opt_out() {
    let with = |status: V2Status| {
        let mut r = v2();
        let mut e = address("a@b.co", Some(status));
        e.opt_in_source = Some(V2ActionBy::ActionByOwner);
        r.email_addresses = Some(vec![e]);
        to_v3(&r, Use::Create).unwrap()
    };
    let mut active = with(V2Status::Active);
    super::leave_consent_to_the_form(&mut active, &v2()).unwrap();
    let email = active.contact.email_address.as_ref().unwrap();
    assert_eq!(email.permission_to_send, None);
    assert_eq!(email.opt_in_source, None);
    assert_eq!(
        lost(&active),
        vec![
            ("status", LossKind::Dropped),
            ("email_addresses[0].opt_in_source", LossKind::Dropped)
        ]
    );

    let mut out = with(V2Status::Optout);
    let Err(crate::wit::Error::Validation(v)) = super::leave_consent_to_the_form(&mut out, &v2())
    else {
        panic!("an opt-out must not be upserted");
    };
    assert_eq!(v.fields[0].field, "status");
}

#[test]
fn a_removed_v2_membership_does_not_join_the_list() {
    let mut r = v2();
    r.last_name = Some("Lee".into());
    r.lists = Some(vec![V2List {
        id: "07936f78-662a-11eb-af0a-fa163e56c9b0".into(),
        status: Some("REMOVED".into()),
    }]);
    let m = to_v3(&r, Use::Create).unwrap();
    assert_eq!(m.contact.list_memberships, Some(vec![]));
    assert_eq!(lost(&m), vec![("lists[0]", LossKind::Dropped)]);
}

#[test]
fn a_v2_list_id_too_long_to_be_one_is_refused_before_asking_the_api() {
    let mut r = v2();
    r.last_name = Some("Lee".into());
    r.lists = Some(vec![V2List {
        id: "99999999999999999999999".into(),
        status: None,
    }]);
    assert_eq!(to_v3(&r, Use::Create).unwrap_err()[0].field, "lists[0].id");
}

#[test]
fn with_three_other_phones_the_fax_is_dropped_not_the_record() {
    let mut r = v2();
    r.last_name = Some("Lee".into());
    r.home_phone = Some("1".into());
    r.work_phone = Some("2".into());
    r.cell_phone = Some("3".into());
    r.fax = Some("4".into());
    let m = to_v3(&r, Use::Create).unwrap();
    assert_eq!(m.contact.phone_numbers.as_ref().unwrap().len(), 3);
    assert_eq!(lost(&m), vec![("fax", LossKind::Dropped)]);
}

#[test]
fn validation_failures_name_the_v2_fields() {
    use crate::errors::{field, validation};
    use crate::wit::{Error, Outcome};
    let mut r = v2();
    r.custom_fields = Some(vec![
        V2CustomField {
            name: "CustomField1".into(),
            value: "a".into(),
        },
        V2CustomField {
            name: "CustomField9".into(),
            value: "b".into(),
        },
    ]);
    let failed = Outcome::Failed(validation(
        "the contact's names",
        vec![
            field(
                "custom.CustomField9",
                "the account has no custom field named \"CustomField9\"",
            ),
            field("list_memberships", "has 51 items"),
            field("first_name", "is longer than 50 characters"),
        ],
    ));
    let Outcome::Failed(Error::Validation(v)) = super::in_v2_terms(failed, &r) else {
        panic!("still a validation failure");
    };
    let fields: Vec<&str> = v.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["custom_fields[1]", "lists", "first_name"]);
    assert!(
        v.message.contains("custom_fields[1]: the account"),
        "{}",
        v.message
    );
    assert!(!v.message.contains("custom.CustomField9:"), "{}", v.message);
}
