//! [`Tx`] on a SQLite connection: the SQL of bills, settlements, the catalog and clerks.
//! Master data and the outbox are in sibling modules.

use std::collections::{BTreeMap, BTreeSet};

use posbridge_domain::amounts::RebateRate;
use posbridge_domain::calendar::Timestamp;
use posbridge_domain::catalog::{PriceQuote, ShopCatalog};
use posbridge_domain::clerk::{ClerkChange, ClerkKey, StoredClerk};
use posbridge_domain::ids::{
    BillNum, CustomerUnit, GuiderNumber, MerchantId, ProductId, SenderBillNum, ShopId,
};
use posbridge_domain::master::{Account, KnownKeys, MasterData};
use posbridge_domain::sell_bill::{BillRecord, Payment};
use posbridge_domain::settlement::{SettledQuantities, Settlement};
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;

use super::error::sql_error;
use super::{master, outbox};
use crate::codec;
use crate::error::StoreError;
use crate::model::{
    BillQuery, ClaimLimits, ClerkEntry, DeliveryAttempt, EventFilter, EventStatus, ImportSummary,
    OutboxEvent, RetrySelector, SettlementRecord,
};
use crate::tx::{NewEvent, StoredBill, Tx, bill_num_of};

/// A transaction on a SQLite connection; the writer or a reader has begun it.
pub struct SqliteTx<'c> {
    conn: &'c mut Connection,
}

impl<'c> SqliteTx<'c> {
    /// Wraps a connection inside a transaction.
    pub fn new(conn: &'c mut Connection) -> SqliteTx<'c> {
        SqliteTx { conn }
    }
}

const BILL_COLUMNS: &str = "id, document";

fn stored_bill(row: &Row<'_>) -> rusqlite::Result<(i64, String)> {
    Ok((row.get(0)?, row.get(1)?))
}

fn decode_bill((id, document): (i64, String)) -> Result<StoredBill, StoreError> {
    Ok(StoredBill {
        id,
        record: codec::bill::decode(&document)?,
    })
}

impl Tx for SqliteTx<'_> {
    async fn known_keys(&mut self) -> Result<KnownKeys, StoreError> {
        master::known_keys(self.conn)
    }

    async fn upsert_master(
        &mut self,
        data: &MasterData,
        now: Timestamp,
    ) -> Result<ImportSummary, StoreError> {
        master::upsert(self.conn, data, now)
    }

    async fn load_master(&mut self) -> Result<MasterData, StoreError> {
        master::load(self.conn)
    }

    async fn account_by_token(
        &mut self,
        token_sha256: &[u8; 32],
    ) -> Result<Option<Account>, StoreError> {
        master::account_where(self.conn, "token_sha256 = ?1", &token_sha256.as_slice())
    }

    async fn account_by_app_key(&mut self, app_key: &str) -> Result<Option<Account>, StoreError> {
        master::account_where(self.conn, "kind = 'erp' AND app_key = ?1", &app_key)
    }

    async fn catalog(
        &mut self,
        shop: &ShopId,
        products: &BTreeSet<ProductId>,
        guide: Option<&GuiderNumber>,
    ) -> Result<ShopCatalog, StoreError> {
        let mut catalog = ShopCatalog::new();
        let mut stock = self
            .conn
            .prepare_cached("SELECT quantity FROM stock WHERE shop_id = ?1 AND product_id = ?2")
            .map_err(sql_error)?;
        let mut price = self
            .conn
            .prepare_cached(
                "SELECT listing_price, retail_price, lowest_retail_price FROM prices
                 WHERE shop_id = ?1 AND product_id = ?2",
            )
            .map_err(sql_error)?;
        for product in products {
            let quantity: Option<String> = stock
                .query_row(params![shop.as_str(), product.0], |r| r.get(0))
                .optional()
                .map_err(sql_error)?;
            if let Some(quantity) = quantity {
                catalog
                    .stock
                    .insert(*product, codec::decimal::parse(&quantity)?);
            }
            let quote: Option<(String, String, String)> = price
                .query_row(params![shop.as_str(), product.0], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()
                .map_err(sql_error)?;
            if let Some((listing, retail, lowest)) = quote {
                catalog.prices.insert(
                    *product,
                    PriceQuote {
                        listing_price: codec::decimal::unit_price(&listing)?,
                        retail_price: codec::decimal::unit_price(&retail)?,
                        lowest_retail_price: codec::decimal::unit_price(&lowest)?,
                    },
                );
            }
        }
        if let Some(guide) = guide {
            let known = self
                .conn
                .prepare_cached("SELECT 1 FROM guides WHERE number = ?1")
                .and_then(|mut s| s.exists([guide.as_str()]))
                .map_err(sql_error)?;
            if known {
                catalog.guides.insert(guide.clone());
            }
        }
        Ok(catalog)
    }

    async fn merchant_shops(
        &mut self,
        merchant: MerchantId,
    ) -> Result<BTreeSet<ShopId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM shops WHERE merchant_id = ?1")
            .map_err(sql_error)?;
        let rows = stmt
            .query_map([merchant.0], |r| r.get::<_, String>(0))
            .map_err(sql_error)?;
        rows.map(|r| r.map(ShopId::new).map_err(sql_error))
            .collect()
    }

    async fn rebate_rate(&mut self, unit: &CustomerUnit) -> Result<Option<RebateRate>, StoreError> {
        let rate: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT rebate_rate FROM customer_units WHERE customer_type = ?1 AND customer_id = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![unit.customer_type, unit.customer_id], |r| r.get(0))
                    .optional()
            })
            .map_err(sql_error)?;
        rate.map(|r| codec::decimal::rebate_rate(&r)).transpose()
    }

    async fn bill_by_key(
        &mut self,
        customer: &CustomerUnit,
        sender_bill_num: &SenderBillNum,
        _lock: bool,
    ) -> Result<Option<StoredBill>, StoreError> {
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT {BILL_COLUMNS} FROM sell_bills
                 WHERE customer_type = ?1 AND customer_id = ?2 AND sender_bill_num = ?3"
            ))
            .and_then(|mut s| {
                s.query_row(
                    params![
                        customer.customer_type,
                        customer.customer_id,
                        sender_bill_num.as_str()
                    ],
                    stored_bill,
                )
                .optional()
            })
            .map_err(sql_error)?;
        row.map(decode_bill).transpose()
    }

    async fn bill_by_num(
        &mut self,
        bill_num: &BillNum,
        _lock: bool,
    ) -> Result<Option<StoredBill>, StoreError> {
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT {BILL_COLUMNS} FROM sell_bills WHERE bill_num = ?1"
            ))
            .and_then(|mut s| s.query_row([bill_num.as_str()], stored_bill).optional())
            .map_err(sql_error)?;
        row.map(decode_bill).transpose()
    }

    async fn next_bill_num(&mut self, _now: Timestamp) -> Result<BillNum, StoreError> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "UPDATE counters SET value = value + 1 WHERE name = 'bill_num' RETURNING value",
            )
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(sql_error)?;
        Ok(bill_num_of(n))
    }

    async fn insert_bill(
        &mut self,
        record: &BillRecord,
        document: &str,
    ) -> Result<i64, StoreError> {
        let totals = record.priced.totals;
        self.conn
            .prepare_cached(
                "INSERT INTO sell_bills (bill_num, customer_type, customer_id, sender_bill_num,
                    shop_id, state, version, total_amount, discount_amount, paid_amount,
                    created_at, updated_at, document)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    record.bill_num.as_str(),
                    record.customer.customer_type,
                    record.customer.customer_id,
                    record.content.sender_bill_num.as_str(),
                    record.shop_id.as_str(),
                    record.state.as_str(),
                    record.version,
                    totals.total.to_string(),
                    totals.discount.to_string(),
                    record.paid_amount.to_string(),
                    record.created_at.0,
                    record.updated_at.0,
                    document,
                ])
            })
            .map_err(sql_error)?;
        Ok(self.conn.last_insert_rowid())
    }

    async fn update_bill(
        &mut self,
        id: i64,
        record: &BillRecord,
        document: &str,
    ) -> Result<(), StoreError> {
        let totals = record.priced.totals;
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE sell_bills SET state = ?2, version = ?3, total_amount = ?4,
                    discount_amount = ?5, paid_amount = ?6, updated_at = ?7, document = ?8
                 WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    record.state.as_str(),
                    record.version,
                    totals.total.to_string(),
                    totals.discount.to_string(),
                    record.paid_amount.to_string(),
                    record.updated_at.0,
                    document,
                ])
            })
            .map_err(sql_error)?;
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound(format!("sell bill row {id}")))
        }
    }

    async fn insert_payment(&mut self, bill_id: i64, payment: &Payment) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO bill_payments (bill_id, pay_num, amount, paid_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    bill_id,
                    payment.request.pay_num.as_str(),
                    payment.amount.to_string(),
                    payment.paid_at.0
                ])
            })
            .map_err(sql_error)?;
        Ok(())
    }

    async fn list_bills(
        &mut self,
        customer: &CustomerUnit,
        query: &BillQuery,
    ) -> Result<Vec<StoredBill>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {BILL_COLUMNS} FROM sell_bills
                 WHERE customer_type = ?1 AND customer_id = ?2
                   AND (?3 IS NULL OR created_at >= ?3) AND (?4 IS NULL OR created_at <= ?4)
                   AND (?5 IS NULL OR state = ?5) AND (?6 IS NULL OR id < ?6)
                 ORDER BY id DESC LIMIT ?7"
            ))
            .map_err(sql_error)?;
        let rows = stmt
            .query_map(
                params![
                    customer.customer_type,
                    customer.customer_id,
                    query.created_from.map(|t| t.0),
                    query.created_to.map(|t| t.0),
                    query.state.map(|s| s.as_str()),
                    query.cursor.map(|c| c.0),
                    i64::from(query.limit) + 1,
                ],
                stored_bill,
            )
            .map_err(sql_error)?;
        rows.map(|r| r.map_err(sql_error).and_then(decode_bill))
            .collect()
    }

    async fn settlement_by_key(
        &mut self,
        merchant: MerchantId,
        bill_num: &str,
    ) -> Result<Option<SettlementRecord>, StoreError> {
        let document: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT document FROM settlements WHERE merchant_id = ?1 AND bill_num = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![merchant.0, bill_num], |r| r.get(0))
                    .optional()
            })
            .map_err(sql_error)?;
        document.map(|d| codec::settlement::decode(&d)).transpose()
    }

    async fn lock_sell_bills(
        &mut self,
        bill_nums: &BTreeSet<BillNum>,
    ) -> Result<Vec<StoredBill>, StoreError> {
        let mut bills = Vec::with_capacity(bill_nums.len());
        for bill_num in bill_nums {
            if let Some(bill) = self.bill_by_num(bill_num, true).await? {
                bills.push(bill);
            }
        }
        Ok(bills)
    }

    async fn settled(
        &mut self,
        bill_nums: &BTreeSet<BillNum>,
    ) -> Result<SettledQuantities, StoreError> {
        let mut ledger = SettledQuantities::new();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT product_id, settled FROM settled_quantities WHERE bill_num = ?1",
            )
            .map_err(sql_error)?;
        for bill_num in bill_nums {
            let rows = stmt
                .query_map([bill_num.as_str()], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(sql_error)?;
            for row in rows {
                let (product, settled) = row.map_err(sql_error)?;
                ledger.add(
                    bill_num,
                    ProductId(product),
                    codec::decimal::parse(&settled)?,
                );
            }
        }
        Ok(ledger)
    }

    async fn insert_settlement(
        &mut self,
        merchant: MerchantId,
        settlement: &Settlement,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let c = &settlement.content;
        self.conn
            .prepare_cached(
                "INSERT INTO settlements (merchant_id, bill_num, shop_id, customer_type,
                    customer_id, cal_user_type, happen_date, sales_amount, cal_amount,
                    rebate_amount, created_at, document)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '')",
            )
            .and_then(|mut s| {
                s.execute(params![
                    merchant.0,
                    c.bill_num,
                    c.shop_id.as_str(),
                    c.customer.customer_type,
                    c.customer.customer_id,
                    c.cal_user_type.code(),
                    codec::settlement::happen_date_key(c.happen_date),
                    settlement.sales_amount.to_string(),
                    settlement.cal_amount.to_string(),
                    settlement.rebate_amount.to_string(),
                    now.0,
                ])
            })
            .map_err(sql_error)?;
        let id = self.conn.last_insert_rowid();
        // The document carries the id the insert assigned.
        let record = SettlementRecord {
            id,
            merchant_id: merchant,
            settlement: settlement.clone(),
            created_at: now,
        };
        self.conn
            .prepare_cached("UPDATE settlements SET document = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id, codec::settlement::encode(&record)]))
            .map_err(sql_error)?;
        Ok(id)
    }

    async fn add_settled(
        &mut self,
        bill_num: &BillNum,
        product: ProductId,
        sold: Decimal,
        increment: Decimal,
    ) -> Result<(), StoreError> {
        let current: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT settled FROM settled_quantities WHERE bill_num = ?1 AND product_id = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![bill_num.as_str(), product.0], |r| r.get(0))
                    .optional()
            })
            .map_err(sql_error)?;
        let before = current.as_deref().map(codec::decimal::parse).transpose()?;
        let total = before.unwrap_or(Decimal::ZERO) + increment;
        // The database's last word on "settled ≤ sold", whatever the caller checked.
        if total > sold || increment <= Decimal::ZERO {
            return Err(StoreError::Conflict(format!(
                "settling {increment} more of product {product} on bill {bill_num} exceeds the {sold} sold"
            )));
        }
        self.conn
            .prepare_cached(
                "INSERT INTO settled_quantities (bill_num, product_id, sold, settled)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (bill_num, product_id) DO UPDATE SET settled = excluded.settled",
            )
            .and_then(|mut s| {
                s.execute(params![
                    bill_num.as_str(),
                    product.0,
                    sold.to_string(),
                    total.to_string()
                ])
            })
            .map_err(sql_error)?;
        Ok(())
    }

    async fn clerks_by_keys(
        &mut self,
        keys: &BTreeSet<ClerkKey>,
    ) -> Result<BTreeMap<ClerkKey, StoredClerk>, StoreError> {
        outbox::clerks_by_keys(self.conn, keys)
    }

    async fn write_clerk(
        &mut self,
        change: &ClerkChange,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        outbox::write_clerk(self.conn, change, now)
    }

    async fn list_clerks(
        &mut self,
        shop: &ShopId,
        include_deleted: bool,
    ) -> Result<Vec<ClerkEntry>, StoreError> {
        outbox::list_clerks(self.conn, shop, include_deleted)
    }

    async fn insert_event(&mut self, event: NewEvent<'_>) -> Result<i64, StoreError> {
        outbox::insert_event(self.conn, event)
    }

    async fn events(&mut self, filter: &EventFilter) -> Result<Vec<OutboxEvent>, StoreError> {
        outbox::events(self.conn, filter)
    }

    async fn event_counts(&mut self) -> Result<Vec<(EventStatus, u64)>, StoreError> {
        outbox::event_counts(self.conn)
    }

    async fn claim_due_events(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limits: &ClaimLimits,
    ) -> Result<Vec<OutboxEvent>, StoreError> {
        outbox::claim_due_events(self.conn, now, lease_until, limits)
    }

    async fn record_attempt(
        &mut self,
        event_id: i64,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        outbox::record_attempt(self.conn, event_id, attempt)
    }

    async fn retry_events(
        &mut self,
        selector: &RetrySelector,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        outbox::retry_events(self.conn, selector, now)
    }
}
