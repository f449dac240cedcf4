//! Rebate settlements on PostgreSQL: the idempotency key, the locked sell bills and the
//! settled-quantity ledger, whose `CHECK (settled <= sold)` makes the database refuse a double
//! rebate whatever the writing process believed.

use std::collections::BTreeSet;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::ids::{BillNum, MerchantId, ProductId};
use posbridge_domain::settlement::{SettledQuantities, Settlement};
use rust_decimal::Decimal;

use super::bills::stored_bill;
use super::sql::{column, decimal_column, numeric_text, timestamp_column};
use super::tx::PgTx;
use crate::codec;
use crate::error::StoreError;
use crate::model::SettlementRecord;
use crate::tx::StoredBill;

/// The settlement of `merchant` with this `BillNum`.
pub(crate) async fn by_key(
    tx: &PgTx<'_>,
    merchant: MerchantId,
    bill_num: &str,
) -> Result<Option<SettlementRecord>, StoreError> {
    let row = tx
        .query_opt(
            "SELECT id, merchant_id, created_at, document FROM settlements \
             WHERE merchant_id = $1 AND bill_num = $2",
            &[&merchant.0, &bill_num],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut record = codec::settlement::decode(&column::<String>(&row, "document")?)?;
    // The key columns are what the constraints hold; they win over the document's copy.
    record.id = column(&row, "id")?;
    record.merchant_id = MerchantId(column(&row, "merchant_id")?);
    record.created_at = timestamp_column(&row, "created_at")?;
    Ok(Some(record))
}

/// The sell bills with these numbers, locked in number order (byte order, whatever the
/// database's collation) so that settlements over overlapping bills cannot deadlock.
pub(crate) async fn lock_sell_bills(
    tx: &PgTx<'_>,
    bill_nums: &BTreeSet<BillNum>,
) -> Result<Vec<StoredBill>, StoreError> {
    let nums: Vec<&str> = bill_nums.iter().map(BillNum::as_str).collect();
    let rows = tx
        .query(
            "SELECT id, document FROM sell_bills WHERE bill_num = ANY($1) \
             ORDER BY bill_num COLLATE \"C\" FOR UPDATE",
            &[&nums],
        )
        .await?;
    rows.iter().map(stored_bill).collect()
}

/// Quantities settled so far of these bills.
pub(crate) async fn settled(
    tx: &PgTx<'_>,
    bill_nums: &BTreeSet<BillNum>,
) -> Result<SettledQuantities, StoreError> {
    let nums: Vec<&str> = bill_nums.iter().map(BillNum::as_str).collect();
    let rows = tx
        .query(
            "SELECT bill_num, product_id, settled::text AS settled FROM settled_quantities \
             WHERE bill_num = ANY($1)",
            &[&nums],
        )
        .await?;
    let mut ledger = SettledQuantities::new();
    for row in &rows {
        ledger.add(
            &BillNum::new(column::<String>(row, "bill_num")?),
            ProductId(column(row, "product_id")?),
            decimal_column(row, "settled")?,
        );
    }
    Ok(ledger)
}

/// Inserts a settlement; its key already taken is a `Conflict` (SQLSTATE 23505). The id is drawn
/// first because the stored document carries it.
pub(crate) async fn insert(
    tx: &PgTx<'_>,
    merchant: MerchantId,
    settlement: &Settlement,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let row = tx
        .query_one(
            "SELECT nextval('settlements_id_seq') AS id",
            &[],
            "settlements_id_seq",
        )
        .await?;
    let id: i64 = column(&row, "id")?;
    let record = SettlementRecord {
        id,
        merchant_id: merchant,
        settlement: settlement.clone(),
        created_at: now,
    };
    let document = codec::settlement::encode(&record);
    let content = &settlement.content;
    let happen_date = codec::settlement::happen_date_key(content.happen_date);
    let sales = numeric_text(settlement.sales_amount.get());
    let cal = numeric_text(settlement.cal_amount.get());
    let rebate = numeric_text(settlement.rebate_amount.get());
    tx.execute(
        "INSERT INTO settlements (id, merchant_id, bill_num, shop_id, customer_type, \
         customer_id, cal_user_type, happen_date, sales_amount, cal_amount, rebate_amount, \
         created_at, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::numeric, \
         $10::text::numeric, $11::text::numeric, $12, $13)",
        &[
            &id,
            &merchant.0,
            &content.bill_num,
            &content.shop_id.as_str(),
            &content.customer.customer_type,
            &content.customer.customer_id,
            &content.cal_user_type.code(),
            &happen_date,
            &sales,
            &cal,
            &rebate,
            &now.0,
            &document,
        ],
    )
    .await?;
    Ok(id)
}

/// Adds `increment` to the ledger entry of (bill, product). The upsert adds in the database,
/// under the row's lock, and the table's checks refuse a total above `sold` (SQLSTATE 23514,
/// a `Conflict`), so two processes can never settle the same goods twice.
pub(crate) async fn add_settled(
    tx: &PgTx<'_>,
    bill_num: &BillNum,
    product: ProductId,
    sold: Decimal,
    increment: Decimal,
) -> Result<(), StoreError> {
    let sold = numeric_text(sold);
    let increment = numeric_text(increment);
    tx.execute(
        "INSERT INTO settled_quantities (bill_num, product_id, sold, settled) \
         VALUES ($1, $2, $3::text::numeric, $4::text::numeric) \
         ON CONFLICT (bill_num, product_id) \
         DO UPDATE SET settled = settled_quantities.settled + EXCLUDED.settled",
        &[&bill_num.as_str(), &product.0, &sold, &increment],
    )
    .await?;
    Ok(())
}
