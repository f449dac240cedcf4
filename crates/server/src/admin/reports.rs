//! `GET /admin/v1/reports/daily?date=yyyyMMdd[&shopId=]` and
//! `GET /admin/v1/reports/rebates?from=yyyyMMdd&to=yyyyMMdd[&customerId=]` (CONTRACT §10): JSON,
//! or CSV with `Accept: text/csv`.
//!
//! The daily report takes the bills created in the business day (`[00:00, 24:00)` in the business
//! time zone) and counts them by their state now; the rebate report takes the settlements whose
//! `HappenDate` lies in `[from, to]`. The sums are the domain's.

use axum::extract::{RawQuery, State};
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use posbridge_domain::calendar::CivilDate;
use posbridge_domain::ids::ShopId;
use posbridge_domain::report::{daily, rebates};
use posbridge_protocol::report::{Table, daily_table, rebate_table};

use super::{admin_error, json_answer};
use crate::app::App;
use crate::error::ApiError;
use crate::listing::business_day;
use crate::query::Query;

/// The daily report of one business day.
pub(super) async fn daily_report(
    State(app): State<App>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = Query::parse(query.as_deref().unwrap_or(""));
    let date = match date_param(&query, "date") {
        Ok(date) => date,
        Err(error) => return admin_error(error),
    };
    let shop = query.get("shopId").map(ShopId::new);
    let (from, to) = business_day(date, app.offset);
    match app.store().bill_figures(from, to, shop.as_ref()).await {
        Ok(figures) => {
            let table = daily_table(&daily(figures));
            answer(&headers, &table, &[("date", &compact(date))])
        }
        Err(error) => admin_error(error.into()),
    }
}

/// The rebate report of a `HappenDate` range.
pub(super) async fn rebate_report(
    State(app): State<App>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = Query::parse(query.as_deref().unwrap_or(""));
    let (from, to) = match (date_param(&query, "from"), date_param(&query, "to")) {
        (Ok(from), Ok(to)) if from <= to => (from, to),
        (Ok(_), Ok(_)) => {
            return admin_error(ApiError::invalid("to", "must not be before from"));
        }
        (Err(error), _) | (_, Err(error)) => return admin_error(error),
    };
    let customer = query.get("customerId");
    match app.store().settlement_figures(from, to, customer).await {
        Ok(figures) => {
            let table = rebate_table(&rebates(figures));
            answer(
                &headers,
                &table,
                &[("from", &compact(from)), ("to", &compact(to))],
            )
        }
        Err(error) => admin_error(error.into()),
    }
}

/// A date as `yyyyMMdd`.
fn compact(date: CivilDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// A required `yyyyMMdd` parameter.
fn date_param(query: &Query, name: &str) -> Result<CivilDate, ApiError> {
    let text = query.get(name).ok_or_else(|| ApiError::missing(name))?;
    CivilDate::parse_compact(text.trim()).ok_or_else(|| ApiError::invalid(name, "must be yyyyMMdd"))
}

/// The table as CSV when `Accept` asks for `text/csv`, else as JSON.
fn answer(headers: &HeaderMap, table: &Table, head: &[(&'static str, &str)]) -> Response {
    let wants_csv = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|media| {
            media
                .split(';')
                .next()
                .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("text/csv"))
        });
    if !wants_csv {
        return json_answer(table.to_json(head));
    }
    let mut response = json_answer(table.to_csv());
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8; header=present"),
    );
    response
}
