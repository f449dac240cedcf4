//! The Qimen `timestamp` parameter written from Unix seconds: `yyyy-MM-dd HH:mm:ss` in GMT+8,
//! the inverse of the protocol's `parse_timestamp`.

use posbridge_protocol::qimen::timestamp::TIMESTAMP_OFFSET_S;

const DAY_S: i64 = 86_400;

/// `unix_s` as a Qimen timestamp.
///
/// ```
/// use posbridge_client::qimen::format_timestamp;
///
/// assert_eq!(format_timestamp(0), "1970-01-01 08:00:00");
/// assert_eq!(format_timestamp(1_486_656_000), "2017-02-10 00:00:00");
/// ```
pub fn format_timestamp(unix_s: i64) -> String {
    let local = unix_s.saturating_add(TIMESTAMP_OFFSET_S);
    let (year, month, day) = civil_from_days(local.div_euclid(DAY_S));
    let second = local.rem_euclid(DAY_S);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        second / 3600,
        second % 3600 / 60,
        second % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    // Count from 0000-03-01, so that the leap day is the last day of a year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
