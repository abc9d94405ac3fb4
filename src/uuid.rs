//! Recognising the API's ids: UUID strings in the 8-4-4-4-12 hexadecimal form.

const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
const LEN: usize = 36;

/// True when `text` is exactly one UUID (either letter case).
pub fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != LEN {
        return false;
    }
    let mut at = 0;
    for (i, group) in GROUPS.iter().enumerate() {
        if i > 0 {
            if bytes[at] != b'-' {
                return false;
            }
            at += 1;
        }
        if !bytes[at..at + group].iter().all(u8::is_ascii_hexdigit) {
            return false;
        }
        at += group;
    }
    true
}

/// The first UUID inside a text, such as an API message naming the contact that already
/// holds an email address.
pub fn find_uuid(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(LEN - 1)).find_map(|start| {
        let candidate = text.get(start..start + LEN)?;
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_hexdigit();
        let after_ok = bytes
            .get(start + LEN)
            .is_none_or(|b| !b.is_ascii_hexdigit() && *b != b'-');
        (before_ok && after_ok && is_uuid(candidate)).then(|| candidate.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_uuids() {
        assert!(is_uuid("af73e650-96f0-11ef-b2a0-fa163eafb85e"));
        assert!(is_uuid("AF73E650-96F0-11EF-B2A0-FA163EAFB85E"));
        assert!(!is_uuid("af73e650-96f0-11ef-b2a0-fa163eafb85"));
        assert!(!is_uuid("af73e650x96f0-11ef-b2a0-fa163eafb85e"));
        assert!(!is_uuid("gf73e650-96f0-11ef-b2a0-fa163eafb85e"));
        assert!(!is_uuid("../account/summary-00000000000000000"));
        assert!(!is_uuid(""));
    }

    #[test]
    fn finds_the_uuid_in_a_conflict_message() {
        let message = "Validation failed: Email already exists for contact \
                       0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1.";
        assert_eq!(
            find_uuid(message).as_deref(),
            Some("0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1")
        );
        assert_eq!(
            find_uuid("Validation failed: EmailAddress is not unique"),
            None
        );
        assert_eq!(
            find_uuid("é0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1"),
            Some("0a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1".into())
        );
        assert_eq!(find_uuid("10a8e2b3c-1d4e-11ef-9a3b-fa163e6b01c1"), None);
        assert_eq!(find_uuid(""), None);
    }
}
