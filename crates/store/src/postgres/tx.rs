//! [`PgTx`]: the transaction primitives of [`Tx`] on one PostgreSQL transaction.
//!
//! The trait's methods delegate to the topic modules (`master`, `bills`, `settlements`,
//! `clerks`, `outbox`), which hold the SQL. Every statement goes through the connection's
//! statement cache, so a statement is parsed and planned once per pooled connection.

use std::collections::{BTreeMap, BTreeSet};

use posbridge_domain::amounts::RebateRate;
use posbridge_domain::calendar::Timestamp;
use posbridge_domain::catalog::ShopCatalog;
use posbridge_domain::clerk::{ClerkChange, ClerkKey, StoredClerk};
use posbridge_domain::ids::{
    BillNum, CustomerUnit, GuiderNumber, MerchantId, ProductId, SenderBillNum, ShopId,
};
use posbridge_domain::master::{Account, KnownKeys, MasterData};
use posbridge_domain::sell_bill::{BillRecord, Payment};
use posbridge_domain::settlement::{SettledQuantities, Settlement};
use rust_decimal::Decimal;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::sql::db_error;
use super::{accounts, bills, clerks, master, outbox, settlements};
use crate::error::StoreError;
use crate::model::{
    BillQuery, ClaimLimits, ClerkEntry, DeliveryAttempt, EventFilter, EventStatus, ImportSummary,
    OutboxEvent, RetrySelector, SettlementRecord,
};
use crate::tx::{NewEvent, StoredBill, Tx};

/// Statement parameters, as the driver takes them.
pub(crate) type Params<'p> = [&'p (dyn ToSql + Sync)];

/// One open PostgreSQL transaction on a pooled connection, or a pooled connection in autocommit
/// mode for reads of one statement (one round trip each way fewer than `BEGIN … COMMIT`).
pub(crate) struct PgTx<'c> {
    conn: Conn<'c>,
}

enum Conn<'c> {
    Transaction(deadpool_postgres::Transaction<'c>),
    Autocommit(&'c deadpool_postgres::Object),
}

impl<'c> PgTx<'c> {
    /// Wraps a transaction the caller began (and will commit or roll back).
    pub(crate) fn new(transaction: deadpool_postgres::Transaction<'c>) -> PgTx<'c> {
        PgTx {
            conn: Conn::Transaction(transaction),
        }
    }

    /// Wraps a connection for single-statement reads: each statement is its own snapshot.
    pub(crate) fn autocommit(client: &'c deadpool_postgres::Object) -> PgTx<'c> {
        PgTx {
            conn: Conn::Autocommit(client),
        }
    }

    /// The transaction, to commit or roll back; `None` in autocommit mode.
    pub(crate) fn into_inner(self) -> Option<deadpool_postgres::Transaction<'c>> {
        match self.conn {
            Conn::Transaction(transaction) => Some(transaction),
            Conn::Autocommit(_) => None,
        }
    }

    async fn prepare(&self, sql: &str) -> Result<tokio_postgres::Statement, StoreError> {
        match &self.conn {
            Conn::Transaction(t) => t.prepare_cached(sql).await,
            Conn::Autocommit(c) => c.prepare_cached(sql).await,
        }
        .map_err(db_error)
    }

    /// Every row `sql` answers.
    pub(crate) async fn query(
        &self,
        sql: &str,
        params: &Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let statement = self.prepare(sql).await?;
        match &self.conn {
            Conn::Transaction(t) => t.query(&statement, params).await,
            Conn::Autocommit(c) => c.query(&statement, params).await,
        }
        .map_err(db_error)
    }

    /// The row `sql` answers, if any (more than one is a broken key: `Corrupt`).
    pub(crate) async fn query_opt(
        &self,
        sql: &str,
        params: &Params<'_>,
    ) -> Result<Option<Row>, StoreError> {
        let mut rows = self.query(sql, params).await?;
        if rows.len() > 1 {
            return Err(StoreError::Corrupt(format!(
                "{} rows where at most one was expected: {sql}",
                rows.len()
            )));
        }
        Ok(rows.pop())
    }

    /// The one row `sql` answers; none is `NotFound` (`what` names the missing row).
    pub(crate) async fn query_one(
        &self,
        sql: &str,
        params: &Params<'_>,
        what: &str,
    ) -> Result<Row, StoreError> {
        self.query_opt(sql, params)
            .await?
            .ok_or_else(|| StoreError::NotFound(what.to_owned()))
    }

    /// Runs a statement; answers how many rows it changed.
    pub(crate) async fn execute(&self, sql: &str, params: &Params<'_>) -> Result<u64, StoreError> {
        let statement = self.prepare(sql).await?;
        match &self.conn {
            Conn::Transaction(t) => t.execute(&statement, params).await,
            Conn::Autocommit(c) => c.execute(&statement, params).await,
        }
        .map_err(db_error)
    }
}

impl Tx for PgTx<'_> {
    async fn known_keys(&mut self) -> Result<KnownKeys, StoreError> {
        master::known_keys(self).await
    }

    async fn upsert_master(
        &mut self,
        data: &MasterData,
        now: Timestamp,
    ) -> Result<ImportSummary, StoreError> {
        master::upsert(self, data, now).await
    }

    async fn load_master(&mut self) -> Result<MasterData, StoreError> {
        master::load(self).await
    }

    async fn account_by_token(
        &mut self,
        token_sha256: &[u8; 32],
    ) -> Result<Option<Account>, StoreError> {
        accounts::by_token(self, token_sha256).await
    }

    async fn account_by_app_key(&mut self, app_key: &str) -> Result<Option<Account>, StoreError> {
        accounts::by_app_key(self, app_key).await
    }

    async fn catalog(
        &mut self,
        shop: &ShopId,
        products: &BTreeSet<ProductId>,
        guide: Option<&GuiderNumber>,
    ) -> Result<ShopCatalog, StoreError> {
        master::catalog(self, shop, products, guide).await
    }

    async fn merchant_shops(
        &mut self,
        merchant: MerchantId,
    ) -> Result<BTreeSet<ShopId>, StoreError> {
        master::merchant_shops(self, merchant).await
    }

    async fn rebate_rate(&mut self, unit: &CustomerUnit) -> Result<Option<RebateRate>, StoreError> {
        master::rebate_rate(self, unit).await
    }

    async fn bill_by_key(
        &mut self,
        customer: &CustomerUnit,
        sender_bill_num: &SenderBillNum,
        lock: bool,
    ) -> Result<Option<StoredBill>, StoreError> {
        bills::by_key(self, customer, sender_bill_num, lock).await
    }

    async fn bill_by_num(
        &mut self,
        bill_num: &BillNum,
        lock: bool,
    ) -> Result<Option<StoredBill>, StoreError> {
        bills::by_num(self, bill_num, lock).await
    }

    async fn next_bill_num(&mut self, now: Timestamp) -> Result<BillNum, StoreError> {
        bills::next_bill_num(self, now).await
    }

    async fn insert_bill(
        &mut self,
        record: &BillRecord,
        document: &str,
    ) -> Result<i64, StoreError> {
        bills::insert(self, record, document).await
    }

    async fn update_bill(
        &mut self,
        id: i64,
        record: &BillRecord,
        document: &str,
    ) -> Result<(), StoreError> {
        bills::update(self, id, record, document).await
    }

    async fn insert_payment(&mut self, bill_id: i64, payment: &Payment) -> Result<(), StoreError> {
        bills::insert_payment(self, bill_id, payment).await
    }

    async fn list_bills(
        &mut self,
        customer: &CustomerUnit,
        query: &BillQuery,
    ) -> Result<Vec<StoredBill>, StoreError> {
        bills::list(self, customer, query).await
    }

    async fn settlement_by_key(
        &mut self,
        merchant: MerchantId,
        bill_num: &str,
    ) -> Result<Option<SettlementRecord>, StoreError> {
        settlements::by_key(self, merchant, bill_num).await
    }

    async fn lock_sell_bills(
        &mut self,
        bill_nums: &BTreeSet<BillNum>,
    ) -> Result<Vec<StoredBill>, StoreError> {
        settlements::lock_sell_bills(self, bill_nums).await
    }

    async fn settled(
        &mut self,
        bill_nums: &BTreeSet<BillNum>,
    ) -> Result<SettledQuantities, StoreError> {
        settlements::settled(self, bill_nums).await
    }

    async fn insert_settlement(
        &mut self,
        merchant: MerchantId,
        settlement: &Settlement,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        settlements::insert(self, merchant, settlement, now).await
    }

    async fn add_settled(
        &mut self,
        bill_num: &BillNum,
        product: ProductId,
        sold: Decimal,
        increment: Decimal,
    ) -> Result<(), StoreError> {
        settlements::add_settled(self, bill_num, product, sold, increment).await
    }

    async fn clerks_by_keys(
        &mut self,
        keys: &BTreeSet<ClerkKey>,
    ) -> Result<BTreeMap<ClerkKey, StoredClerk>, StoreError> {
        clerks::by_keys(self, keys).await
    }

    async fn write_clerk(
        &mut self,
        change: &ClerkChange,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        clerks::write(self, change, now).await
    }

    async fn list_clerks(
        &mut self,
        shop: &ShopId,
        include_deleted: bool,
    ) -> Result<Vec<ClerkEntry>, StoreError> {
        clerks::list(self, shop, include_deleted).await
    }

    async fn insert_event(&mut self, event: NewEvent<'_>) -> Result<i64, StoreError> {
        outbox::insert(self, event).await
    }

    async fn events(&mut self, filter: &EventFilter) -> Result<Vec<OutboxEvent>, StoreError> {
        outbox::events(self, filter).await
    }

    async fn event_counts(&mut self) -> Result<Vec<(EventStatus, u64)>, StoreError> {
        outbox::event_counts(self).await
    }

    async fn claim_due_events(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limits: &ClaimLimits,
    ) -> Result<Vec<OutboxEvent>, StoreError> {
        outbox::claim_due(self, now, lease_until, limits).await
    }

    async fn record_attempt(
        &mut self,
        event_id: i64,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        outbox::record_attempt(self, event_id, attempt).await
    }

    async fn retry_events(
        &mut self,
        selector: &RetrySelector,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        outbox::retry(self, selector, now).await
    }
}
