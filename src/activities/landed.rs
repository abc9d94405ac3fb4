//! Whether a create whose answer was lost took effect. After a timeout, a reset or a 5xx the
//! connector looks the address up (deleted contacts included) and decides whether the
//! contact it finds is its own earlier attempt or someone else's.
//!
//! The rule: the holder is ours when it is not deleted, the API created it no earlier than
//! [`CLOCK_SKEW_SECS`] before our first uncertain attempt left (by our wall clock), its
//! `create_source` is the one we sent, and every core field we sent (names, job title,
//! company) reads back the same. Anything else held the address before us, or changed since:
//! it is a conflict, handled by the create's `on-conflict` policy.

use crate::api::wire::ContactResource;
use crate::convert::source_to_wire;
use crate::wit::{Contact, Source};

/// How far the API's clock may run behind ours and still count a contact as created after
/// our attempt.
pub const CLOCK_SKEW_SECS: i64 = 120;

/// Seconds since the Unix epoch by the host's wall clock.
pub fn wall_now_secs() -> i64 {
    #[cfg(target_family = "wasm")]
    {
        i64::try_from(::wasi::clocks::wall_clock::now().seconds).unwrap_or(i64::MAX)
    }
    #[cfg(not(target_family = "wasm"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// Whether `holder` is the contact our attempt sent at `attempt_secs` created.
pub fn is_our_attempt(
    holder: &ContactResource,
    sent: &Contact,
    source: Source,
    attempt_secs: i64,
) -> bool {
    let deleted = holder.deleted_at.as_deref().is_some_and(|d| !d.is_empty());
    let created = holder.created_at.as_deref().and_then(parse_timestamp);
    let recent = created.is_some_and(|at| at >= attempt_secs - CLOCK_SKEW_SECS);
    let same_source = holder
        .create_source
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case(source_to_wire(source)));
    let same = |ours: &Option<String>, theirs: &Option<String>| match ours {
        None => true,
        Some(value) => theirs.as_deref() == Some(value.as_str()),
    };
    let same_fields = same(&sent.first_name, &holder.first_name)
        && same(&sent.last_name, &holder.last_name)
        && same(&sent.job_title, &holder.job_title)
        && same(&sent.company_name, &holder.company_name);
    !deleted && recent && same_source && same_fields
}

/// Seconds since the epoch of an ISO-8601 date-time such as `2024-10-30T18:56:35Z`,
/// `2016-03-03T10:53:04-05:00` or `2016-01-23T13:48:44.108Z`.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', 't', ' '])?;
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }

    let (clock, offset_secs) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (clock, zone) = time.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = zone[1..].split_once(':').unwrap_or((&zone[1..], "0"));
        let hours: i64 = hours.parse().ok()?;
        let minutes: i64 = minutes.parse().ok()?;
        (clock, sign * (hours * 3600 + minutes * 60))
    };
    let clock = clock.split('.').next()?;
    let mut fields = clock.splitn(3, ':');
    let hour: i64 = fields.next()?.parse().ok()?;
    let minute: i64 = fields.next()?.parse().ok()?;
    let second: i64 = fields.next().unwrap_or("0").parse().ok()?;

    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::contact;

    const ATTEMPT: i64 = 1_730_314_595; // 2024-10-30T18:56:35Z

    fn holder(created_at: &str, first_name: Option<&str>) -> ContactResource {
        let mut json = serde_json::json!({
            "contact_id": "c", "create_source": "Account", "created_at": created_at,
            "email_address": {"address": "a@example.com"},
        });
        if let Some(name) = first_name {
            json["first_name"] = name.into();
        }
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn timestamps_in_the_api_forms_parse() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp("2024-10-30T18:56:35Z"), Some(ATTEMPT));
        assert_eq!(
            parse_timestamp("2024-10-30T13:56:35.108-05:00"),
            Some(ATTEMPT)
        );
        assert_eq!(
            parse_timestamp("2024-10-30T18:56:35.000+00:00"),
            Some(ATTEMPT)
        );
        assert_eq!(parse_timestamp("2024-10-30"), None);
        assert_eq!(parse_timestamp("soon"), None);
    }

    #[test]
    fn a_recent_holder_with_our_content_is_our_attempt() {
        let mut sent = contact();
        sent.first_name = Some("Ann".into());
        let ours = holder("2024-10-30T18:56:36Z", Some("Ann"));
        assert!(is_our_attempt(&ours, &sent, Source::Account, ATTEMPT));
        // A little clock skew is allowed.
        let skewed = holder("2024-10-30T18:55:40Z", Some("Ann"));
        assert!(is_our_attempt(&skewed, &sent, Source::Account, ATTEMPT));
    }

    #[test]
    fn an_older_different_or_deleted_holder_is_someone_else() {
        let mut sent = contact();
        sent.first_name = Some("Ann".into());
        let old = holder("2024-10-30T18:00:00Z", Some("Ann"));
        assert!(!is_our_attempt(&old, &sent, Source::Account, ATTEMPT));
        let other = holder("2024-10-30T18:56:36Z", Some("Bob"));
        assert!(!is_our_attempt(&other, &sent, Source::Account, ATTEMPT));
        let ours = holder("2024-10-30T18:56:36Z", Some("Ann"));
        assert!(!is_our_attempt(&ours, &sent, Source::Contact, ATTEMPT));
        let mut deleted = ours;
        deleted.deleted_at = Some("2024-10-30".into());
        assert!(!is_our_attempt(&deleted, &sent, Source::Account, ATTEMPT));
        let undated = holder("", Some("Ann"));
        assert!(!is_our_attempt(&undated, &sent, Source::Account, ATTEMPT));
    }
}
