//! Instants as RFC 3339 text with the business time zone's offset (`2024-05-01T14:30:00.000+08:00`),
//! and the business offset itself (`POSBRIDGE_TIMEZONE`, default `+08:00`).

use std::fmt::Write as _;

use posbridge_domain::calendar::Timestamp;

/// A fixed offset from UTC, in minutes, between −23:59 and +23:59.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UtcOffset {
    minutes: i32,
}

impl UtcOffset {
    /// UTC.
    pub const UTC: UtcOffset = UtcOffset { minutes: 0 };
    /// China Standard Time, the default business time zone.
    pub const CHINA: UtcOffset = UtcOffset { minutes: 8 * 60 };

    /// Reads `+08:00`, `-05:30` or `Z`.
    ///
    /// ```
    /// use posbridge_protocol::time_text::UtcOffset;
    ///
    /// assert_eq!(UtcOffset::parse("+08:00"), Some(UtcOffset::CHINA));
    /// assert_eq!(UtcOffset::parse("Z"), Some(UtcOffset::UTC));
    /// assert_eq!(UtcOffset::parse("+24:00"), None);
    /// ```
    pub fn parse(text: &str) -> Option<UtcOffset> {
        if text == "Z" {
            return Some(UtcOffset::UTC);
        }
        let bytes = text.as_bytes();
        let sign = match bytes.first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return None,
        };
        let (hours, minutes) = text.get(1..)?.split_once(':')?;
        if hours.len() != 2 || minutes.len() != 2 {
            return None;
        }
        let hours: i32 = hours.parse().ok()?;
        let minutes: i32 = minutes.parse().ok()?;
        (hours < 24 && minutes < 60).then_some(UtcOffset {
            minutes: sign * (hours * 60 + minutes),
        })
    }

    /// The offset in minutes east of UTC.
    pub fn minutes(self) -> i32 {
        self.minutes
    }
}

/// `±HH:MM`, UTC as `+00:00`.
///
/// ```
/// use posbridge_protocol::time_text::UtcOffset;
///
/// assert_eq!(UtcOffset::CHINA.to_string(), "+08:00");
/// assert_eq!(UtcOffset::parse("-05:30").unwrap().to_string(), "-05:30");
/// assert_eq!(UtcOffset::UTC.to_string(), "+00:00");
/// ```
impl std::fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.minutes < 0 { '-' } else { '+' };
        let minutes = self.minutes.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

/// `at` as RFC 3339 in the given offset, to the millisecond.
///
/// ```
/// use posbridge_domain::calendar::Timestamp;
/// use posbridge_protocol::time_text::{format_rfc3339, UtcOffset};
///
/// assert_eq!(format_rfc3339(Timestamp(0), UtcOffset::CHINA), "1970-01-01T08:00:00.000+08:00");
/// assert_eq!(format_rfc3339(Timestamp(1_714_545_000_123), UtcOffset::UTC), "2024-05-01T06:30:00.123Z");
/// ```
pub fn format_rfc3339(at: Timestamp, offset: UtcOffset) -> String {
    let local_millis = at.0.saturating_add(i64::from(offset.minutes) * 60_000);
    let days = local_millis.div_euclid(86_400_000);
    let millis_of_day = local_millis.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let seconds = millis_of_day / 1000;
    let mut out = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        millis_of_day % 1000
    );
    if offset.minutes == 0 {
        out.push('Z');
    } else {
        let sign = if offset.minutes < 0 { '-' } else { '+' };
        let minutes = offset.minutes.abs();
        let _ = write!(out, "{sign}{:02}:{:02}", minutes / 60, minutes % 60);
    }
    out
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_across_leap_years_and_before_1970() {
        let check = |millis: i64, expect: &str| {
            assert_eq!(
                format_rfc3339(Timestamp(millis), UtcOffset::UTC),
                expect,
                "{millis}"
            );
        };
        check(951_782_400_000, "2000-02-29T00:00:00.000Z");
        check(4_107_542_399_999, "2100-02-28T23:59:59.999Z");
        check(-1, "1969-12-31T23:59:59.999Z");
        check(-86_400_000 * 365, "1969-01-01T00:00:00.000Z");
        let west = UtcOffset::parse("-05:30").unwrap();
        assert_eq!(
            format_rfc3339(Timestamp(0), west),
            "1969-12-31T18:30:00.000-05:30"
        );
    }
}
