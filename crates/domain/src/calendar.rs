//! Dates, times and instants as values: the rules read no clock.
//!
//! The layouts are the ones the source documents use: `yyyyMMdd` and `HHmmss` for settlements,
//! `YYYY-MM-DD` and `YYYY-MM-DD hh:mm:ss` for clerks. Only real dates and times pass
//! (no 2023-02-29, no 24:00:00).

use std::fmt;

/// A calendar date without a time zone, years 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: u16,
    month: u8,
    day: u8,
}

/// A time of day, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilTime {
    hour: u8,
    minute: u8,
    second: u8,
}

/// A date and time without a time zone (the ERP's local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDateTime {
    /// The date.
    pub date: CivilDate,
    /// The time of day.
    pub time: CivilTime,
}

/// An instant, as milliseconds since 1970-01-01T00:00:00Z. Callers pass "now" in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

impl CivilDate {
    /// A real date, or `None`.
    pub fn new(year: u16, month: u8, day: u8) -> Option<CivilDate> {
        let real = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        real.then_some(CivilDate { year, month, day })
    }

    /// Reads `yyyyMMdd` (`20240229`).
    ///
    /// ```
    /// use posbridge_domain::calendar::CivilDate;
    ///
    /// assert!(CivilDate::parse_compact("20240229").is_some());
    /// assert!(CivilDate::parse_compact("20230229").is_none());
    /// assert!(CivilDate::parse_compact("2024-02-29").is_none());
    /// ```
    pub fn parse_compact(text: &str) -> Option<CivilDate> {
        let digits = fixed_digits(text, &[4, 2, 2], None)?;
        CivilDate::from_parts(&digits)
    }

    /// Reads `YYYY-MM-DD` (`2017-02-12`).
    pub fn parse_dashed(text: &str) -> Option<CivilDate> {
        let digits = fixed_digits(text, &[4, 2, 2], Some(b'-'))?;
        CivilDate::from_parts(&digits)
    }

    fn from_parts(parts: &[u32]) -> Option<CivilDate> {
        match *parts {
            [year, month, day] => CivilDate::new(
                u16::try_from(year).ok()?,
                u8::try_from(month).ok()?,
                u8::try_from(day).ok()?,
            ),
            _ => None,
        }
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl CivilTime {
    /// A real time of day, or `None`.
    pub fn new(hour: u8, minute: u8, second: u8) -> Option<CivilTime> {
        (hour < 24 && minute < 60 && second < 60).then_some(CivilTime {
            hour,
            minute,
            second,
        })
    }

    /// Reads `HHmmss` (`235959`).
    pub fn parse_compact(text: &str) -> Option<CivilTime> {
        let digits = fixed_digits(text, &[2, 2, 2], None)?;
        CivilTime::from_parts(&digits)
    }

    /// Reads `hh:mm:ss` (`23:59:59`).
    pub fn parse_colon(text: &str) -> Option<CivilTime> {
        let digits = fixed_digits(text, &[2, 2, 2], Some(b':'))?;
        CivilTime::from_parts(&digits)
    }

    fn from_parts(parts: &[u32]) -> Option<CivilTime> {
        match *parts {
            [hour, minute, second] => CivilTime::new(
                u8::try_from(hour).ok()?,
                u8::try_from(minute).ok()?,
                u8::try_from(second).ok()?,
            ),
            _ => None,
        }
    }

    /// The hour, 0 to 23.
    pub fn hour(self) -> u8 {
        self.hour
    }

    /// The minute.
    pub fn minute(self) -> u8 {
        self.minute
    }

    /// The second.
    pub fn second(self) -> u8 {
        self.second
    }
}

impl CivilDateTime {
    /// Reads `YYYY-MM-DD hh:mm:ss` (`2017-02-10 00:00:00`).
    ///
    /// ```
    /// use posbridge_domain::calendar::CivilDateTime;
    ///
    /// let earlier = CivilDateTime::parse("2017-02-10 00:00:00").unwrap();
    /// let later = CivilDateTime::parse("2017-02-10 00:00:01").unwrap();
    /// assert!(earlier < later);
    /// assert!(CivilDateTime::parse("2017-02-10T00:00:00").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<CivilDateTime> {
        let (date, time) = text.split_once(' ')?;
        Some(CivilDateTime {
            date: CivilDate::parse_dashed(date)?,
            time: CivilTime::parse_colon(time)?,
        })
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for CivilTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

impl fmt::Display for CivilDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.time)
    }
}

fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Splits `text` into groups of exactly `widths` ASCII digits, joined by `separator` if given.
fn fixed_digits(text: &str, widths: &[usize], separator: Option<u8>) -> Option<Vec<u32>> {
    let bytes = text.as_bytes();
    let mut parts = Vec::with_capacity(widths.len());
    let mut at = 0;
    for (index, &width) in widths.iter().enumerate() {
        if index > 0
            && let Some(sep) = separator
        {
            if bytes.get(at) != Some(&sep) {
                return None;
            }
            at += 1;
        }
        let group = bytes.get(at..at + width)?;
        if !group.iter().all(u8::is_ascii_digit) {
            return None;
        }
        parts.push(
            group
                .iter()
                .fold(0, |value, digit| value * 10 + u32::from(digit - b'0')),
        );
        at += width;
    }
    (at == bytes.len()).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_date(text: &str, expect: Option<&str>) {
        let got = CivilDate::parse_compact(text).map(|date| date.to_string());
        assert_eq!(got.as_deref(), expect, "{text}");
    }

    #[test]
    fn compact_dates_must_be_real() {
        check_date("20240229", Some("2024-02-29"));
        check_date("20000229", Some("2000-02-29"));
        check_date("19000229", None);
        check_date("20230229", None);
        check_date("20231131", None);
        check_date("20231301", None);
        check_date("20230100", None);
        check_date("00000101", None);
        check_date("2023011", None);
        check_date("202301011", None);
        check_date("2023-1-01", None);
        check_date("２０２３0101", None);
    }

    #[test]
    fn times_must_be_real() {
        assert_eq!(
            CivilTime::parse_compact("235959")
                .map(|t| t.to_string())
                .as_deref(),
            Some("23:59:59")
        );
        assert!(CivilTime::parse_compact("240000").is_none());
        assert!(CivilTime::parse_compact("236000").is_none());
        assert!(CivilTime::parse_compact("12:00:00").is_none());
        assert!(CivilTime::parse_colon("12:00:00").is_some());
        assert!(CivilTime::parse_colon("12:00").is_none());
    }

    #[test]
    fn date_times_order_chronologically() {
        let parse = |text| CivilDateTime::parse(text).unwrap();
        assert!(parse("2017-02-10 23:59:59") < parse("2017-02-11 00:00:00"));
        assert!(parse("2016-12-31 23:59:59") < parse("2017-01-01 00:00:00"));
        assert!(CivilDateTime::parse("2017-02-10  00:00:00").is_none());
        assert!(CivilDateTime::parse("2017-02-30 00:00:00").is_none());
    }
}
