//! The parameters of `api/Pos/Sell/Bill/List` (CONTRACT §5): `from`/`to` (RFC 3339, or
//! `yyyyMMdd` for the whole business day), `state`, `cursor` and `limit`.

use posbridge_domain::calendar::{CivilDate, CivilTime, Timestamp};
use posbridge_domain::sell_bill::BillState;
use posbridge_protocol::time_text::UtcOffset;
use posbridge_store::model::{BillCursor, BillQuery};

use crate::error::ApiError;
use crate::query::Query;

/// The page size when `limit` is absent.
pub const LIMIT_DEFAULT: u32 = 50;
/// The largest page.
pub const LIMIT_MAX: u32 = 500;

const DAY_MS: i64 = 86_400_000;

/// The store query of a List call; `offset` is the business time zone of `yyyyMMdd` dates.
pub fn bill_query(query: &Query, offset: UtcOffset) -> Result<BillQuery, ApiError> {
    let limit = match query.get("limit") {
        None => LIMIT_DEFAULT,
        Some(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=LIMIT_MAX).contains(limit))
            .ok_or_else(|| ApiError::invalid("limit", format!("must be 1 to {LIMIT_MAX}")))?,
    };
    let state = query
        .get("state")
        .map(|text| {
            BillState::parse(text).ok_or_else(|| {
                ApiError::invalid(
                    "state",
                    "must be one of Initial, PartPaid, Paid, Deleted, Closed",
                )
            })
        })
        .transpose()?;
    let cursor = query
        .get("cursor")
        .map(|text| {
            decode_cursor(text)
                .ok_or_else(|| ApiError::invalid("cursor", "is not a cursor of this listing"))
        })
        .transpose()?;
    let created_from = query
        .get("from")
        .map(|text| instant(text, offset, Edge::Start).ok_or_else(|| bad_time("from")))
        .transpose()?;
    let created_to = query
        .get("to")
        .map(|text| instant(text, offset, Edge::End).ok_or_else(|| bad_time("to")))
        .transpose()?;
    Ok(BillQuery {
        created_from,
        created_to,
        state,
        cursor,
        limit,
    })
}

/// The text of a cursor: opaque to clients.
pub fn encode_cursor(cursor: BillCursor) -> String {
    format!("c{}", cursor.0)
}

fn decode_cursor(text: &str) -> Option<BillCursor> {
    text.strip_prefix('c')?.parse().ok().map(BillCursor)
}

fn bad_time(field: &str) -> ApiError {
    ApiError::invalid(field, "must be RFC 3339 with an offset or yyyyMMdd")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    End,
}

/// The business day `date` in the business time zone `offset`: its first millisecond and the
/// first of the next day.
pub fn business_day(date: CivilDate, offset: UtcOffset) -> (Timestamp, Timestamp) {
    let start = local_millis(date, 0) - i64::from(offset.minutes()) * 60_000;
    (Timestamp(start), Timestamp(start + DAY_MS))
}

/// An RFC 3339 instant, or the start of the business day `yyyyMMdd` in `offset` (the CLI's
/// `--since`).
pub fn start_instant(text: &str, offset: UtcOffset) -> Option<Timestamp> {
    instant(text, offset, Edge::Start)
}

/// An RFC 3339 instant, or the first (last) millisecond of a business day `yyyyMMdd`.
fn instant(text: &str, offset: UtcOffset, edge: Edge) -> Option<Timestamp> {
    let text = text.trim();
    if text.len() == 8 {
        let date = CivilDate::parse_compact(text)?;
        let start = local_millis(date, 0) - i64::from(offset.minutes()) * 60_000;
        return Some(Timestamp(match edge {
            Edge::Start => start,
            Edge::End => start + DAY_MS - 1,
        }));
    }
    rfc3339(text)
}

/// `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`, `t`/`z` and a space for `T` accepted.
fn rfc3339(text: &str) -> Option<Timestamp> {
    let date = CivilDate::parse_dashed(text.get(..10)?)?;
    let separator = text.get(10..11)?;
    if !matches!(separator, "T" | "t" | " ") {
        return None;
    }
    let time = CivilTime::parse_colon(text.get(11..19)?)?;
    let mut rest = text.get(19..)?;
    let mut millis = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let padded = format!("{:0<3}", fraction.get(..digits.min(3))?);
        millis = padded.parse().ok()?;
        rest = fraction.get(digits..)?;
    }
    let offset = if rest == "z" {
        UtcOffset::UTC
    } else {
        UtcOffset::parse(rest)?
    };
    let seconds =
        i64::from(time.hour()) * 3600 + i64::from(time.minute()) * 60 + i64::from(time.second());
    let local = local_millis(date, seconds * 1000 + millis);
    Some(Timestamp(local - i64::from(offset.minutes()) * 60_000))
}

/// Milliseconds since the epoch of a civil date plus `millis_of_day`, read as UTC.
fn local_millis(date: CivilDate, millis_of_day: i64) -> i64 {
    days_from_civil(date) * DAY_MS + millis_of_day
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(date: CivilDate) -> i64 {
    let month = i64::from(date.month());
    let year = i64::from(date.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(date.day()) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use posbridge_protocol::time_text::format_rfc3339;

    fn check(text: &str, edge: Edge, expect: Option<&str>) {
        let got = instant(text, UtcOffset::CHINA, edge).map(|t| format_rfc3339(t, UtcOffset::UTC));
        assert_eq!(got.as_deref(), expect, "{text}");
    }

    #[test]
    fn instants_and_business_days() {
        let day = CivilDate::new(2024, 5, 1).map(|d| business_day(d, UtcOffset::CHINA));
        let utc = |t| format_rfc3339(t, UtcOffset::UTC);
        assert_eq!(
            day.map(|(start, end)| (utc(start), utc(end))),
            Some((
                "2024-04-30T16:00:00.000Z".to_owned(),
                "2024-05-01T16:00:00.000Z".to_owned()
            ))
        );
        check("20240501", Edge::Start, Some("2024-04-30T16:00:00.000Z"));
        check("20240501", Edge::End, Some("2024-05-01T15:59:59.999Z"));
        check(
            "2024-05-01T08:00:00+08:00",
            Edge::Start,
            Some("2024-05-01T00:00:00.000Z"),
        );
        check(
            "2024-05-01T00:00:00.5Z",
            Edge::End,
            Some("2024-05-01T00:00:00.500Z"),
        );
        check(
            "2000-02-29T23:59:59.1234-05:30",
            Edge::Start,
            Some("2000-03-01T05:29:59.123Z"),
        );
        check(
            "1969-12-31T23:59:59Z",
            Edge::Start,
            Some("1969-12-31T23:59:59.000Z"),
        );
        check("20240230", Edge::Start, None);
        check("2024-05-01T08:00:00", Edge::Start, None);
        check("2024-05-01", Edge::Start, None);
        check("yesterday", Edge::Start, None);
    }

    #[test]
    fn limits_states_and_cursors() {
        let parse = |text: &str| bill_query(&Query::parse(text), UtcOffset::CHINA);
        assert_eq!(parse("").map(|q| q.limit), Ok(50));
        assert_eq!(parse("LIMIT=500").map(|q| q.limit), Ok(500));
        for bad in [
            "limit=0",
            "limit=501",
            "limit=x",
            "state=Open",
            "cursor=7",
            "from=x",
        ] {
            let error = parse(bad).err().map(|e| e.wire_code().errcode());
            assert_eq!(error, Some(1003), "{bad}");
        }
        let cursor = encode_cursor(BillCursor(42));
        assert_eq!(
            parse(&format!("cursor={cursor}&state=PartPaid")).map(|q| (q.cursor, q.state)),
            Ok((Some(BillCursor(42)), Some(BillState::PartPaid)))
        );
    }
}
