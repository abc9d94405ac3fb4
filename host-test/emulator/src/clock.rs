//! Time as the API writes it: UTC timestamps `YYYY-MM-DDTHH:MM:SSZ` and dates `YYYY-MM-DD`,
//! plus the ISO-8601 and anniversary formats clients send.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the epoch.
pub fn format_timestamp(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// `YYYY-MM-DD` for seconds since the epoch.
pub fn format_date(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Number of days in a month, leap years included.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses an ISO-8601 date or date-time into milliseconds since the epoch.
///
/// Accepts `YYYY-MM-DD`, and `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z`, an offset
/// (`+HH:MM`, `-HHMM`, `+HH`) or nothing (taken as UTC).
pub fn parse_iso8601_millis(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i64 = digits(&text[0..4])?;
    let month: u32 = digits(&text[5..7])?;
    let day: u32 = digits(&text[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let day_ms = days_from_civil(year, month, day) * 86_400_000;
    if bytes.len() == 10 {
        return Some(day_ms);
    }

    if bytes[10] != b'T' && bytes[10] != b't' {
        return None;
    }
    let rest = &text[11..];
    let (clock, offset_ms) = split_offset(rest)?;
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let hour: i64 = digits(parts[0])?;
    let minute: i64 = digits(parts[1])?;
    let second: i64 = match parts.get(2) {
        Some(s) => digits(s)?,
        None => 0,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let millis = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            let padded = format!("{f:0<3}");
            digits::<i64>(&padded[..3])?
        }
        Some(_) => return None,
        None => 0,
    };
    Some(day_ms + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offset_ms)
}

/// Splits a time-of-day from its zone designator; returns the zone offset in milliseconds.
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((clock, 0));
    }
    let Some(pos) = rest.find(['+', '-']) else {
        return Some((rest, 0));
    };
    let (clock, zone) = rest.split_at(pos);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let zone = zone[1..].replace(':', "");
    let (hours, minutes) = match zone.len() {
        2 => (digits::<i64>(&zone)?, 0),
        4 => (digits::<i64>(&zone[..2])?, digits::<i64>(&zone[2..])?),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some((clock, sign * (hours * 60 + minutes) * 60_000))
}

/// Parses an all-digit string.
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Normalises an anniversary in any of the API's accepted formats to `YYYY-MM-DD`.
///
/// Accepted: `MM/DD/YYYY`, `M/D/YYYY`, `YYYY/MM/DD`, `YYYY/M/D`, `YYYY-MM-DD`, `YYYY-M-D`,
/// `MM-DD-YYYY`, `M-D-YYYY`, `M-DD-YYYY`.
pub fn normalise_anniversary(text: &str) -> Option<String> {
    let separator = if text.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = text.split(separator).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let (year, month, day) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        (parts[2], parts[0], parts[1])
    } else {
        return None;
    };
    if month.len() > 2 || day.len() > 2 {
        return None;
    }
    let year: i64 = digits(year)?;
    let month: u32 = digits(month)?;
    let day: u32 = digits(day)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(1_730_314_595), "2024-10-30T18:56:35Z");
        assert_eq!(format_date(1_730_314_595), "2024-10-30");
    }

    #[test]
    fn civil_round_trips() {
        for days in [-1, 0, 59, 60, 11_016, 20_000, 30_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn parses_iso_forms() {
        let base = 1_730_314_595_000;
        assert_eq!(parse_iso8601_millis("2024-10-30T18:56:35Z"), Some(base));
        assert_eq!(
            parse_iso8601_millis("2024-10-30T18:56:35.250Z"),
            Some(base + 250)
        );
        assert_eq!(
            parse_iso8601_millis("2024-10-30T13:56:35-05:00"),
            Some(base)
        );
        assert_eq!(parse_iso8601_millis("2024-10-30T20:56:35+0200"), Some(base));
        assert_eq!(
            parse_iso8601_millis("2024-10-30"),
            Some(base - (18 * 3600 + 56 * 60 + 35) * 1000)
        );
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "2024-10-30 18:56:35Z",
        ] {
            assert_eq!(parse_iso8601_millis(bad), None, "{bad}");
        }
    }

    #[test]
    fn normalises_anniversaries() {
        assert_eq!(
            normalise_anniversary("11/15/2006").as_deref(),
            Some("2006-11-15")
        );
        assert_eq!(
            normalise_anniversary("2006/1/5").as_deref(),
            Some("2006-01-05")
        );
        assert_eq!(
            normalise_anniversary("1-05-2006").as_deref(),
            Some("2006-01-05")
        );
        assert_eq!(
            normalise_anniversary("2006-11-15").as_deref(),
            Some("2006-11-15")
        );
        assert_eq!(normalise_anniversary("2006-02-30"), None);
        assert_eq!(normalise_anniversary("15.11.2006"), None);
    }
}
