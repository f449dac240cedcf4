//! The reports' reads on PostgreSQL: the key columns of the bills of a creation window and of the
//! settlements of a `HappenDate` range; numerics are read as their text, exactly.

use posbridge_domain::calendar::{CivilDate, Timestamp};
use posbridge_domain::ids::ShopId;
use posbridge_domain::report::{BillFigures, SettlementFigures};

use super::sql::column;
use super::tx::PgTx;
use crate::codec;
use crate::error::StoreError;

/// Figures of the bills created in `[from, to)`, of `shop` only when given.
pub(crate) async fn bill_figures(
    tx: &PgTx<'_>,
    from: Timestamp,
    to: Timestamp,
    shop: Option<&ShopId>,
) -> Result<Vec<BillFigures>, StoreError> {
    let shop = shop.map(ShopId::as_str);
    let rows = tx
        .query(
            "SELECT shop_id, customer_type, customer_id, state, total_amount::text AS total, \
             discount_amount::text AS discount, paid_amount::text AS paid FROM sell_bills \
             WHERE created_at >= $1 AND created_at < $2 \
             AND ($3::text IS NULL OR shop_id = $3::text)",
            &[&from.0, &to.0, &shop],
        )
        .await?;
    rows.iter()
        .map(|row| {
            codec::report::bill_figures((
                column(row, "shop_id")?,
                column(row, "customer_type")?,
                column(row, "customer_id")?,
                column(row, "state")?,
                column(row, "total")?,
                column(row, "discount")?,
                column(row, "paid")?,
            ))
        })
        .collect()
}

/// Figures of the settlements with a `HappenDate` in `[from, to]`, of one customer id only when
/// given.
pub(crate) async fn settlement_figures(
    tx: &PgTx<'_>,
    from: CivilDate,
    to: CivilDate,
    customer_id: Option<&str>,
) -> Result<Vec<SettlementFigures>, StoreError> {
    let (from, to) = (
        codec::settlement::happen_date_key(from),
        codec::settlement::happen_date_key(to),
    );
    let rows = tx
        .query(
            "SELECT merchant_id, customer_type, customer_id, cal_user_type, \
             sales_amount::text AS sales, cal_amount::text AS cal, rebate_amount::text AS rebate \
             FROM settlements WHERE happen_date >= $1 AND happen_date <= $2 \
             AND ($3::text IS NULL OR customer_id = $3::text)",
            &[&from, &to, &customer_id],
        )
        .await?;
    rows.iter()
        .map(|row| {
            codec::report::settlement_figures((
                column(row, "merchant_id")?,
                column(row, "customer_type")?,
                column(row, "customer_id")?,
                column(row, "cal_user_type")?,
                column(row, "sales")?,
                column(row, "cal")?,
                column(row, "rebate")?,
            ))
        })
        .collect()
}
