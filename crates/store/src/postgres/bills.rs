//! Sell bills on PostgreSQL: lookups (row-locked when asked), numbering, writes, listing.

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::ids::{BillNum, CustomerUnit, SenderBillNum};
use posbridge_domain::sell_bill::{BillRecord, Payment};
use tokio_postgres::Row;

use super::sql::{column, numeric_text};
use super::tx::PgTx;
use crate::codec;
use crate::error::StoreError;
use crate::model::BillQuery;
use crate::tx::{StoredBill, bill_num_of};

/// The bill with this idempotency key; `FOR UPDATE` when `lock`, so concurrent writers of one
/// bill queue behind each other (across processes too).
pub(crate) async fn by_key(
    tx: &PgTx<'_>,
    customer: &CustomerUnit,
    sender_bill_num: &SenderBillNum,
    lock: bool,
) -> Result<Option<StoredBill>, StoreError> {
    let sql = if lock {
        "SELECT id, document FROM sell_bills \
         WHERE customer_type = $1 AND customer_id = $2 AND sender_bill_num = $3 FOR UPDATE"
    } else {
        "SELECT id, document FROM sell_bills \
         WHERE customer_type = $1 AND customer_id = $2 AND sender_bill_num = $3"
    };
    let row = tx
        .query_opt(
            sql,
            &[
                &customer.customer_type,
                &customer.customer_id,
                &sender_bill_num.as_str(),
            ],
        )
        .await?;
    row.as_ref().map(stored_bill).transpose()
}

/// The bill with this number (any owner); `FOR UPDATE` when `lock`.
pub(crate) async fn by_num(
    tx: &PgTx<'_>,
    bill_num: &BillNum,
    lock: bool,
) -> Result<Option<StoredBill>, StoreError> {
    let sql = if lock {
        "SELECT id, document FROM sell_bills WHERE bill_num = $1 FOR UPDATE"
    } else {
        "SELECT id, document FROM sell_bills WHERE bill_num = $1"
    };
    let row = tx.query_opt(sql, &[&bill_num.as_str()]).await?;
    row.as_ref().map(stored_bill).transpose()
}

/// A new `BillNum` from the sequence, spelled by [`bill_num_of`] as on SQLite. A sequence never
/// hands a value out twice, even when the drawing transaction rolls back, so numbers are never
/// reused, and it does not serialise the transactions that draw from it.
pub(crate) async fn next_bill_num(tx: &PgTx<'_>, _now: Timestamp) -> Result<BillNum, StoreError> {
    let row = tx
        .query_one("SELECT nextval('bill_num_seq') AS n", &[], "bill_num_seq")
        .await?;
    Ok(bill_num_of(column(&row, "n")?))
}

/// Inserts a new bill; its key or number already taken is a `Conflict` (SQLSTATE 23505).
pub(crate) async fn insert(
    tx: &PgTx<'_>,
    record: &BillRecord,
    document: &str,
) -> Result<i64, StoreError> {
    let total = numeric_text(record.priced.totals.total.get());
    let discount = numeric_text(record.priced.totals.discount.get());
    let paid = numeric_text(record.paid_amount.get());
    let row = tx
        .query_one(
            "INSERT INTO sell_bills (bill_num, customer_type, customer_id, sender_bill_num, \
             shop_id, state, version, total_amount, discount_amount, paid_amount, created_at, \
             updated_at, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::numeric, \
             $9::text::numeric, $10::text::numeric, $11, $12, $13) RETURNING id",
            &[
                &record.bill_num.as_str(),
                &record.customer.customer_type,
                &record.customer.customer_id,
                &record.content.sender_bill_num.as_str(),
                &record.shop_id.as_str(),
                &record.state.as_str(),
                &i64::from(record.version),
                &total,
                &discount,
                &paid,
                &record.created_at.0,
                &record.updated_at.0,
                &document,
            ],
            "inserted sell bill",
        )
        .await?;
    column(&row, "id")
}

/// Replaces a stored bill's record and the columns queries use.
pub(crate) async fn update(
    tx: &PgTx<'_>,
    id: i64,
    record: &BillRecord,
    document: &str,
) -> Result<(), StoreError> {
    let total = numeric_text(record.priced.totals.total.get());
    let discount = numeric_text(record.priced.totals.discount.get());
    let paid = numeric_text(record.paid_amount.get());
    let changed = tx
        .execute(
            "UPDATE sell_bills SET state = $2, version = $3, total_amount = $4::text::numeric, \
             discount_amount = $5::text::numeric, paid_amount = $6::text::numeric, \
             updated_at = $7, document = $8 WHERE id = $1",
            &[
                &id,
                &record.state.as_str(),
                &i64::from(record.version),
                &total,
                &discount,
                &paid,
                &record.updated_at.0,
                &document,
            ],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("sell bill row {id}")));
    }
    Ok(())
}

/// Records a payment's key; its `PayNum` already on the bill is a `Conflict` (SQLSTATE 23505).
pub(crate) async fn insert_payment(
    tx: &PgTx<'_>,
    bill_id: i64,
    payment: &Payment,
) -> Result<(), StoreError> {
    let amount = numeric_text(payment.amount.get());
    tx.execute(
        "INSERT INTO bill_payments (bill_id, pay_num, amount, paid_at) \
         VALUES ($1, $2, $3::text::numeric, $4)",
        &[
            &bill_id,
            &payment.request.pay_num.as_str(),
            &amount,
            &payment.paid_at.0,
        ],
    )
    .await?;
    Ok(())
}

/// Bills of `customer` matching `query`, newest first (by row id, which grows with creation),
/// at most `query.limit + 1` so the caller can tell whether another page follows.
pub(crate) async fn list(
    tx: &PgTx<'_>,
    customer: &CustomerUnit,
    query: &BillQuery,
) -> Result<Vec<StoredBill>, StoreError> {
    let created_from = query.created_from.map(|t| t.0);
    let created_to = query.created_to.map(|t| t.0);
    let state = query.state.map(|s| s.as_str());
    let before_id = query.cursor.map(|c| c.0);
    let limit = i64::from(query.limit) + 1;
    // One statement for every combination of filters: an absent filter is a NULL parameter.
    let rows = tx
        .query(
            "SELECT id, document FROM sell_bills \
             WHERE customer_type = $1 AND customer_id = $2 \
             AND ($3::bigint IS NULL OR created_at >= $3) \
             AND ($4::bigint IS NULL OR created_at <= $4) \
             AND ($5::text IS NULL OR state = $5) \
             AND ($6::bigint IS NULL OR id < $6) \
             ORDER BY id DESC LIMIT $7",
            &[
                &customer.customer_type,
                &customer.customer_id,
                &created_from,
                &created_to,
                &state,
                &before_id,
                &limit,
            ],
        )
        .await?;
    rows.iter().map(stored_bill).collect()
}

/// A bill from its `id` and `document` columns.
pub(crate) fn stored_bill(row: &Row) -> Result<StoredBill, StoreError> {
    Ok(StoredBill {
        id: column(row, "id")?,
        record: codec::bill::decode(&column::<String>(row, "document")?)?,
    })
}
