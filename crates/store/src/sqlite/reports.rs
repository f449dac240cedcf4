//! The reports' reads on SQLite: the key columns of the bills of a creation window and of the
//! settlements of a `HappenDate` range, through the indexes on those columns.

use posbridge_domain::calendar::{CivilDate, Timestamp};
use posbridge_domain::ids::ShopId;
use posbridge_domain::report::{BillFigures, SettlementFigures};
use rusqlite::types::FromSql;
use rusqlite::{Connection, Row, params};

use super::error::sql_error;
use crate::codec;
use crate::error::StoreError;

/// The first seven columns of a report row, each as its column type says.
fn seven_columns<A, B, C, D, E, F, G>(r: &Row<'_>) -> rusqlite::Result<(A, B, C, D, E, F, G)>
where
    A: FromSql,
    B: FromSql,
    C: FromSql,
    D: FromSql,
    E: FromSql,
    F: FromSql,
    G: FromSql,
{
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

/// Figures of the bills created in `[from, to)`, of `shop` only when given.
pub fn bill_figures(
    conn: &Connection,
    from: Timestamp,
    to: Timestamp,
    shop: Option<&ShopId>,
) -> Result<Vec<BillFigures>, StoreError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT shop_id, customer_type, customer_id, state, total_amount, discount_amount,
                paid_amount
             FROM sell_bills
             WHERE created_at >= ?1 AND created_at < ?2 AND (?3 IS NULL OR shop_id = ?3)",
        )
        .map_err(sql_error)?;
    let rows = statement
        .query_map(
            params![from.0, to.0, shop.map(ShopId::as_str)],
            seven_columns,
        )
        .map_err(sql_error)?;
    rows.map(|row| codec::report::bill_figures(row.map_err(sql_error)?))
        .collect()
}

/// Figures of the settlements with a `HappenDate` in `[from, to]`, of one customer id only when
/// given.
pub fn settlement_figures(
    conn: &Connection,
    from: CivilDate,
    to: CivilDate,
    customer_id: Option<&str>,
) -> Result<Vec<SettlementFigures>, StoreError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT merchant_id, customer_type, customer_id, cal_user_type, sales_amount,
                cal_amount, rebate_amount
             FROM settlements
             WHERE happen_date >= ?1 AND happen_date <= ?2 AND (?3 IS NULL OR customer_id = ?3)",
        )
        .map_err(sql_error)?;
    let rows = statement
        .query_map(
            params![
                codec::settlement::happen_date_key(from),
                codec::settlement::happen_date_key(to),
                customer_id
            ],
            seven_columns,
        )
        .map_err(sql_error)?;
    rows.map(|row| codec::report::settlement_figures(row.map_err(sql_error)?))
        .collect()
}
