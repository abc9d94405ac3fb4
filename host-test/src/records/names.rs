//! The written names of the WIT enums (the case names with `-` replaced by `_`), and their
//! lenient reading: any letter case, `-` or `_`.

use crate::wit::{
    AddressKind, ConfirmStatus, ConflictPolicy, ContactField, ContactStatus, CreateMode,
    DeleteMode, LossKind, Permission, PhoneKind, Source, Subresource, TransportKind, UpdateMode,
    V2ActionBy, V2AddressType, V2Status,
};

/// A WIT enum with a fixed table of written names.
pub trait EnumName: Sized + Copy + PartialEq + 'static {
    /// Every case with its name, in WIT order.
    const CASES: &'static [(Self, &'static str)];

    /// The written name.
    fn name(self) -> &'static str {
        Self::CASES
            .iter()
            .find(|(case, _)| *case == self)
            .map(|(_, name)| *name)
            .expect("every case is in the table")
    }

    /// Reads a name in any letter case, with `-` or `_` between words.
    fn parse(text: &str) -> Option<Self> {
        let wanted = normalise(text);
        Self::CASES
            .iter()
            .find(|(_, name)| *name == wanted)
            .map(|(case, _)| *case)
    }

    /// The accepted names, for error messages: `"a", "b" or "c"`.
    fn expected() -> String {
        let names: Vec<String> = Self::CASES
            .iter()
            .map(|(_, name)| format!("\"{name}\""))
            .collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Lower case, `-` and spaces turned into `_`, surrounding space removed.
pub fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

impl EnumName for Permission {
    const CASES: &'static [(Self, &'static str)] = &[
        (Permission::Explicit, "explicit"),
        (Permission::Implicit, "implicit"),
        (Permission::NotSet, "not_set"),
        (Permission::PendingConfirmation, "pending_confirmation"),
        (Permission::TempHold, "temp_hold"),
        (Permission::Unsubscribed, "unsubscribed"),
    ];
}

impl EnumName for Source {
    const CASES: &'static [(Self, &'static str)] =
        &[(Source::Contact, "contact"), (Source::Account, "account")];
}

impl EnumName for ConfirmStatus {
    const CASES: &'static [(Self, &'static str)] = &[
        (ConfirmStatus::Pending, "pending"),
        (ConfirmStatus::Confirmed, "confirmed"),
        (ConfirmStatus::Off, "off"),
    ];
}

impl EnumName for PhoneKind {
    const CASES: &'static [(Self, &'static str)] = &[
        (PhoneKind::Home, "home"),
        (PhoneKind::Work, "work"),
        (PhoneKind::Mobile, "mobile"),
        (PhoneKind::Other, "other"),
    ];
}

impl EnumName for AddressKind {
    const CASES: &'static [(Self, &'static str)] = &[
        (AddressKind::Home, "home"),
        (AddressKind::Work, "work"),
        (AddressKind::Other, "other"),
    ];
}

impl EnumName for ContactStatus {
    const CASES: &'static [(Self, &'static str)] = &[
        (ContactStatus::All, "all"),
        (ContactStatus::Active, "active"),
        (ContactStatus::Deleted, "deleted"),
        (ContactStatus::NotSet, "not_set"),
        (ContactStatus::PendingConfirmation, "pending_confirmation"),
        (ContactStatus::TempHold, "temp_hold"),
        (ContactStatus::Unsubscribed, "unsubscribed"),
    ];
}

impl EnumName for Subresource {
    const CASES: &'static [(Self, &'static str)] = &[
        (Subresource::CustomFields, "custom_fields"),
        (Subresource::ListMemberships, "list_memberships"),
        (Subresource::PhoneNumbers, "phone_numbers"),
        (Subresource::StreetAddresses, "street_addresses"),
        (Subresource::Taggings, "taggings"),
        (Subresource::Notes, "notes"),
    ];
}

impl EnumName for ConflictPolicy {
    const CASES: &'static [(Self, &'static str)] = &[
        (ConflictPolicy::Fail, "fail"),
        (ConflictPolicy::Skip, "skip"),
        (ConflictPolicy::Update, "update"),
    ];
}

impl EnumName for ContactField {
    const CASES: &'static [(Self, &'static str)] = &[
        (ContactField::FirstName, "first_name"),
        (ContactField::LastName, "last_name"),
        (ContactField::JobTitle, "job_title"),
        (ContactField::CompanyName, "company_name"),
        (ContactField::Birthday, "birthday"),
        (ContactField::Anniversary, "anniversary"),
        (ContactField::CustomFields, "custom_fields"),
        (ContactField::PhoneNumbers, "phone_numbers"),
        (ContactField::StreetAddresses, "street_addresses"),
        (ContactField::ListMemberships, "list_memberships"),
        (ContactField::Taggings, "taggings"),
        (ContactField::Notes, "notes"),
    ];
}

impl EnumName for UpdateMode {
    const CASES: &'static [(Self, &'static str)] = &[
        (UpdateMode::Merge, "merge"),
        (UpdateMode::Replace, "replace"),
    ];
}

impl EnumName for TransportKind {
    const CASES: &'static [(Self, &'static str)] = &[
        (TransportKind::Timeout, "timeout"),
        (TransportKind::ConnectionRefused, "connection_refused"),
        (TransportKind::ConnectionReset, "connection_reset"),
        (TransportKind::Dns, "dns"),
        (TransportKind::Tls, "tls"),
        (TransportKind::Denied, "denied"),
        (TransportKind::Other, "other"),
    ];
}

impl EnumName for CreateMode {
    const CASES: &'static [(Self, &'static str)] = &[
        (CreateMode::Create, "create"),
        (CreateMode::Upsert, "upsert"),
    ];
}

impl EnumName for DeleteMode {
    const CASES: &'static [(Self, &'static str)] = &[
        (DeleteMode::SoftDelete, "soft_delete"),
        (DeleteMode::Unsubscribe, "unsubscribe"),
    ];
}

impl EnumName for LossKind {
    const CASES: &'static [(Self, &'static str)] = &[
        (LossKind::Dropped, "dropped"),
        (LossKind::Approximated, "approximated"),
    ];
}

/// v2 statuses; the v2 API's upper-case spelling (`NON_SUBSCRIBER`) reads too, since
/// parsing ignores letter case.
impl EnumName for V2Status {
    const CASES: &'static [(Self, &'static str)] = &[
        (V2Status::Active, "active"),
        (V2Status::Unconfirmed, "unconfirmed"),
        (V2Status::Optout, "optout"),
        (V2Status::Removed, "removed"),
        (V2Status::NonSubscriber, "non_subscriber"),
        (V2Status::Visitor, "visitor"),
    ];
}

impl EnumName for V2ActionBy {
    const CASES: &'static [(Self, &'static str)] = &[
        (V2ActionBy::ActionByOwner, "action_by_owner"),
        (V2ActionBy::ActionByVisitor, "action_by_visitor"),
    ];
}

impl EnumName for V2AddressType {
    const CASES: &'static [(Self, &'static str)] = &[
        (V2AddressType::Personal, "personal"),
        (V2AddressType::Business, "business"),
        (V2AddressType::Unknown, "unknown"),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_wit_with_underscores() {
        assert_eq!(Permission::NotSet.name(), "not_set");
        assert_eq!(
            Permission::PendingConfirmation.name(),
            "pending_confirmation"
        );
        assert_eq!(Source::Account.name(), "account");
        assert_eq!(PhoneKind::Mobile.name(), "mobile");
        assert_eq!(
            TransportKind::ConnectionRefused.name(),
            "connection_refused"
        );
    }

    #[test]
    fn parsing_ignores_case_and_separator() {
        assert_eq!(Source::parse("Account"), Some(Source::Account));
        assert_eq!(Permission::parse("not-set"), Some(Permission::NotSet));
        assert_eq!(Permission::parse(" TEMP_HOLD "), Some(Permission::TempHold));
        assert_eq!(
            ContactStatus::parse("Pending-Confirmation"),
            Some(ContactStatus::PendingConfirmation)
        );
        assert_eq!(Permission::parse("maybe"), None);
    }

    #[test]
    fn every_case_round_trips() {
        fn check<E: EnumName + std::fmt::Debug>() {
            for (case, name) in E::CASES {
                assert_eq!(E::parse(name), Some(*case));
                assert_eq!(
                    E::parse(&name.to_uppercase().replace('_', "-")),
                    Some(*case)
                );
            }
        }
        check::<Permission>();
        check::<Source>();
        check::<ConfirmStatus>();
        check::<PhoneKind>();
        check::<AddressKind>();
        check::<ContactStatus>();
        check::<Subresource>();
        check::<ConflictPolicy>();
        check::<ContactField>();
        check::<UpdateMode>();
        check::<TransportKind>();
        check::<CreateMode>();
        check::<DeleteMode>();
        check::<LossKind>();
        check::<V2Status>();
        check::<V2ActionBy>();
        check::<V2AddressType>();
    }

    #[test]
    fn v2_upper_case_names_read() {
        assert_eq!(
            V2Status::parse("NON_SUBSCRIBER"),
            Some(V2Status::NonSubscriber)
        );
        assert_eq!(V2Status::parse("OPTOUT"), Some(V2Status::Optout));
        assert_eq!(
            V2ActionBy::parse("ACTION_BY_VISITOR"),
            Some(V2ActionBy::ActionByVisitor)
        );
        assert_eq!(
            V2AddressType::parse("PERSONAL"),
            Some(V2AddressType::Personal)
        );
        assert_eq!(V2Status::NonSubscriber.name(), "non_subscriber");
        assert_eq!(V2Status::parse("OPT_OUT"), None);
    }

    #[test]
    fn expected_lists_every_name() {
        assert_eq!(Source::expected(), "\"contact\" or \"account\"");
        assert_eq!(UpdateMode::expected(), "\"merge\" or \"replace\"");
    }
}
