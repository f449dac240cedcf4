//! The `timestamp` parameter: `yyyy-MM-dd HH:mm:ss` in GMT+8 (the TOP gateway's clock), accepted
//! within ±5 minutes of the server's "now", which the caller passes in as Unix seconds.

use posbridge_domain::calendar::CivilDateTime;

use super::gateway::GatewayError;

/// How far a `timestamp` may be from now, either way, in seconds.
pub const TIMESTAMP_TOLERANCE_S: i64 = 5 * 60;

/// The offset of the `timestamp` parameter's clock from UTC, in seconds (GMT+8).
pub const TIMESTAMP_OFFSET_S: i64 = 8 * 60 * 60;

/// The Unix time (seconds) a `yyyy-MM-dd HH:mm:ss` GMT+8 timestamp stands for; `None` unless it
/// is a real date and time in exactly that layout.
///
/// ```
/// use posbridge_protocol::qimen::timestamp::parse_timestamp;
///
/// assert_eq!(parse_timestamp("1970-01-01 08:00:00"), Some(0));
/// assert_eq!(parse_timestamp("2017-02-10 00:00:00"), Some(1_486_656_000));
/// assert_eq!(parse_timestamp("2017-02-30 00:00:00"), None);
/// assert_eq!(parse_timestamp("1486656000"), None);
/// ```
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let civil = CivilDateTime::parse(text)?;
    let days = days_from_civil(
        i64::from(civil.date.year()),
        i64::from(civil.date.month()),
        i64::from(civil.date.day()),
    );
    let seconds = i64::from(civil.time.hour()) * 3600
        + i64::from(civil.time.minute()) * 60
        + i64::from(civil.time.second());
    Some(days * 86_400 + seconds - TIMESTAMP_OFFSET_S)
}

/// `unix_s` written as a `timestamp`, the inverse of [`parse_timestamp`]: what a client sends.
///
/// ```
/// use posbridge_protocol::qimen::timestamp::{format_timestamp, parse_timestamp};
///
/// assert_eq!(format_timestamp(0), "1970-01-01 08:00:00");
/// assert_eq!(format_timestamp(1_486_656_000), "2017-02-10 00:00:00");
/// assert_eq!(parse_timestamp(&format_timestamp(1_767_225_599)), Some(1_767_225_599));
/// ```
pub fn format_timestamp(unix_s: i64) -> String {
    const DAY_S: i64 = 86_400;
    let local = unix_s.saturating_add(TIMESTAMP_OFFSET_S);
    let (year, month, day) = crate::time_text::civil_from_days(local.div_euclid(DAY_S));
    let second = local.rem_euclid(DAY_S);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        second / 3600,
        second % 3600 / 60,
        second % 60
    )
}

/// Checks a `timestamp` against `now_unix_s`: it must parse and lie within
/// [`TIMESTAMP_TOLERANCE_S`] of now, both ends included. Returns its Unix time.
///
/// ```
/// use posbridge_protocol::qimen::GatewayError;
/// use posbridge_protocol::qimen::timestamp::check_timestamp;
///
/// let now = 1_486_656_000; // 2017-02-10 00:00:00 GMT+8
/// assert_eq!(check_timestamp("2017-02-10 00:05:00", now), Ok(now + 300));
/// assert_eq!(check_timestamp("2017-02-10 00:05:01", now), Err(GatewayError::InvalidTimestamp));
/// assert_eq!(check_timestamp("2017-02-10T00:00:00", now), Err(GatewayError::InvalidTimestamp));
/// ```
pub fn check_timestamp(text: &str, now_unix_s: i64) -> Result<i64, GatewayError> {
    let at = parse_timestamp(text).ok_or(GatewayError::InvalidTimestamp)?;
    // `abs_diff` cannot overflow, whatever "now" the caller passes.
    if at.abs_diff(now_unix_s) <= TIMESTAMP_TOLERANCE_S.unsigned_abs() {
        Ok(at)
    } else {
        Err(GatewayError::InvalidTimestamp)
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`),
/// for years 1 to 9999, where every intermediate value is non-negative.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Count years from March, so that the leap day is the last day of the year.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
