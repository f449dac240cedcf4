//! [`Store`] on PostgreSQL: every call is one transaction, retried when it loses a race.

use std::collections::BTreeSet;
use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use async_trait::async_trait;
use posbridge_domain::calendar::{CivilDate, Timestamp};
use posbridge_domain::clerk::{ClerkBatch, ClerkRejection};
use posbridge_domain::ids::{CustomerUnit, MerchantId, ShopId};
use posbridge_domain::master::{Account, MasterData, MasterDataError};
use posbridge_domain::report::{BillFigures, SettlementFigures};
use posbridge_domain::sell_bill::{
    BillRecord, BillRef, Channel, PaymentRequest, SellBillContent, SellBillError,
};
use posbridge_domain::settlement::{SettlementContent, SettlementError};
use tokio_postgres::IsolationLevel;

use super::PostgresStore;
use super::sql::db_error;
use super::tx::PgTx;
use crate::api::{Actor, Store};
use crate::error::{OpError, OpResult, StoreError};
use crate::model::{
    BillChange, BillPage, BillQuery, ClaimLimits, ClerkChanges, ClerkEntry, DeliveryAttempt,
    EventFilter, EventStatus, ImportSummary, OutboxEvent, PoolStatus, RetrySelector,
    SettlementChange, SettlementRecord,
};
use crate::ops;
use crate::tx::Tx;

/// How many times an operation is tried before a conflict is reported. Losing a race usually
/// costs one retry (the retry reads the winner's result); the bound only stops a livelock.
const ATTEMPTS_MAX: u32 = 20;

/// Runs `$op`, an expression over `&mut $tx` (a [`PgTx`]), in a `READ COMMITTED` transaction:
/// commits on success, rolls back on failure, and tries again from the start when the database
/// reported a conflict. A macro rather than a function because the operation borrows the
/// transaction, which a closure cannot hand out for an `async` body in a `Send` future.
macro_rules! in_transaction {
    ($store:expr, |$tx:ident| $op:expr) => {{
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let mut client = $store.client().await?;
            let transaction = client
                .build_transaction()
                .isolation_level(IsolationLevel::ReadCommitted)
                .start()
                .await
                .map_err(db_error)?;
            let mut $tx = PgTx::new(transaction);
            let outcome = $op.await;
            match finish($tx, outcome, attempt).await {
                Step::Done(outcome) => break outcome,
                Step::Retry => backoff(attempt).await,
            }
        }
    }};
}

/// Runs `$op`, a read of one statement over `&mut $tx`, on a pooled connection without an
/// explicit transaction: the statement is its own snapshot, and the hot lookups (the account of
/// every request) save the `BEGIN` and `COMMIT` round trips.
macro_rules! autocommit {
    ($store:expr, |$tx:ident| $op:expr) => {{
        let client = $store.client().await?;
        let mut $tx = PgTx::autocommit(&client);
        $op.await
    }};
}

/// What to do after an attempt.
enum Step<R> {
    /// Answer this.
    Done(R),
    /// Run the operation again in a new transaction.
    Retry,
}

/// The result of an operation, as the retry loop judges it.
trait Outcome: Sized {
    /// Whether the operation succeeded, so its transaction is to be committed.
    fn succeeded(&self) -> bool;
    /// Whether it failed on a conflict that a fresh attempt may resolve.
    fn conflicted(&self) -> bool;
    /// The result that reports a store failure.
    fn failed(error: StoreError) -> Self;
}

impl<T> Outcome for Result<T, StoreError> {
    fn succeeded(&self) -> bool {
        self.is_ok()
    }

    fn conflicted(&self) -> bool {
        matches!(self, Err(StoreError::Conflict(_)))
    }

    fn failed(error: StoreError) -> Self {
        Err(error)
    }
}

impl<T, E> Outcome for OpResult<T, E> {
    fn succeeded(&self) -> bool {
        self.is_ok()
    }

    fn conflicted(&self) -> bool {
        matches!(self, Err(OpError::Store(StoreError::Conflict(_))))
    }

    fn failed(error: StoreError) -> Self {
        Err(OpError::Store(error))
    }
}

/// Commits a successful attempt (answering only once the commit is durable) or rolls back a
/// failed one, and decides whether to try again.
async fn finish<R: Outcome>(tx: PgTx<'_>, outcome: R, attempt: u32) -> Step<R> {
    let Some(transaction) = tx.into_inner() else {
        return Step::Done(outcome);
    };
    if outcome.succeeded() {
        return match transaction.commit().await.map_err(db_error) {
            Ok(()) => Step::Done(outcome),
            Err(StoreError::Conflict(_)) if attempt < ATTEMPTS_MAX => Step::Retry,
            Err(error) => Step::Done(R::failed(error)),
        };
    }
    // Nothing of a failed attempt is kept; a failing rollback means the connection is gone,
    // and the pool will not hand that connection out again.
    if let Err(error) = transaction.rollback().await {
        tracing::debug!(error = %super::sql::describe(&error), "rollback failed");
    }
    if outcome.conflicted() && attempt < ATTEMPTS_MAX {
        Step::Retry
    } else {
        Step::Done(outcome)
    }
}

/// A short random pause before a retry, growing with the attempt, so transactions that
/// collided do not collide again in lockstep.
async fn backoff(attempt: u32) {
    let ceiling_us = 250u64 << attempt.min(8);
    let pause_us = RandomState::new().hash_one(attempt) % ceiling_us;
    tokio::time::sleep(Duration::from_micros(pause_us)).await;
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.simple_query("SELECT 1").await.map_err(db_error)?;
        Ok(())
    }

    async fn bill_figures(
        &self,
        from: Timestamp,
        to: Timestamp,
        shop: Option<&ShopId>,
    ) -> Result<Vec<BillFigures>, StoreError> {
        let client = self.client().await?;
        super::reports::bill_figures(&PgTx::autocommit(&client), from, to, shop).await
    }

    async fn settlement_figures(
        &self,
        from: CivilDate,
        to: CivilDate,
        customer_id: Option<&str>,
    ) -> Result<Vec<SettlementFigures>, StoreError> {
        let client = self.client().await?;
        super::reports::settlement_figures(&PgTx::autocommit(&client), from, to, customer_id).await
    }

    fn pool_status(&self) -> PoolStatus {
        let status = self.pool.status();
        PoolStatus {
            max: status.max_size,
            open: status.size,
            idle: status.available,
            waiting: status.waiting,
        }
    }

    async fn import_master_data(
        &self,
        data: &MasterData,
        now: Timestamp,
    ) -> OpResult<ImportSummary, MasterDataError> {
        in_transaction!(self, |tx| ops::master::import(&mut tx, data, now))
    }

    async fn master_data(&self) -> Result<MasterData, StoreError> {
        in_transaction!(self, |tx| tx.load_master())
    }

    async fn account_by_token(
        &self,
        token_sha256: &[u8; 32],
    ) -> Result<Option<Account>, StoreError> {
        autocommit!(self, |tx| tx.account_by_token(token_sha256))
    }

    async fn account_by_app_key(&self, app_key: &str) -> Result<Option<Account>, StoreError> {
        autocommit!(self, |tx| tx.account_by_app_key(app_key))
    }

    async fn add_or_update_bill(
        &self,
        actor: &Actor,
        channel: &Channel,
        content: &SellBillContent,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        in_transaction!(self, |tx| ops::sell::add_or_update(
            &mut tx, actor, channel, content, now
        ))
    }

    async fn pay_bill(
        &self,
        actor: &Actor,
        customer: &CustomerUnit,
        bill: &BillRef,
        payment: &PaymentRequest,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        in_transaction!(self, |tx| ops::sell::pay(
            &mut tx, actor, customer, bill, payment, now
        ))
    }

    async fn delete_or_close_bill(
        &self,
        actor: &Actor,
        customer: &CustomerUnit,
        bill: &BillRef,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        in_transaction!(self, |tx| ops::sell::delete_or_close(
            &mut tx, actor, customer, bill, now
        ))
    }

    async fn bill(
        &self,
        customer: &CustomerUnit,
        bill: &BillRef,
    ) -> Result<Option<BillRecord>, StoreError> {
        autocommit!(self, |tx| ops::sell::get(&mut tx, customer, bill))
    }

    async fn list_bills(
        &self,
        customer: &CustomerUnit,
        query: &BillQuery,
    ) -> Result<BillPage, StoreError> {
        autocommit!(self, |tx| ops::sell::list(&mut tx, customer, query))
    }

    async fn add_settlement(
        &self,
        actor: &Actor,
        merchant: MerchantId,
        content: &SettlementContent,
        now: Timestamp,
    ) -> OpResult<SettlementChange, SettlementError> {
        in_transaction!(self, |tx| ops::settle::add(
            &mut tx, actor, merchant, content, now
        ))
    }

    async fn settlement(
        &self,
        merchant: MerchantId,
        bill_num: &str,
    ) -> Result<Option<SettlementRecord>, StoreError> {
        autocommit!(self, |tx| tx.settlement_by_key(merchant, bill_num))
    }

    async fn sync_clerks(
        &self,
        shops: &BTreeSet<ShopId>,
        batch: &ClerkBatch,
        now: Timestamp,
    ) -> OpResult<ClerkChanges, ClerkRejection> {
        in_transaction!(self, |tx| ops::clerks::sync(&mut tx, shops, batch, now))
    }

    async fn clerks(
        &self,
        shop: &ShopId,
        include_deleted: bool,
    ) -> Result<Vec<ClerkEntry>, StoreError> {
        autocommit!(self, |tx| tx.list_clerks(shop, include_deleted))
    }

    async fn events(&self, filter: &EventFilter) -> Result<Vec<OutboxEvent>, StoreError> {
        autocommit!(self, |tx| tx.events(filter))
    }

    async fn event_counts(&self) -> Result<Vec<(EventStatus, u64)>, StoreError> {
        autocommit!(self, |tx| tx.event_counts())
    }

    async fn oldest_undelivered(&self) -> Result<Option<Timestamp>, StoreError> {
        let client = self.client().await?;
        let row = PgTx::autocommit(&client)
            .query_opt(
                "SELECT MIN(occurred_at) AS at FROM outbox WHERE status IN ('pending', 'failing')",
                &[],
            )
            .await?;
        match row {
            Some(row) => Ok(super::sql::column::<Option<i64>>(&row, "at")?.map(Timestamp)),
            None => Ok(None),
        }
    }

    async fn claim_due_events(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limits: &ClaimLimits,
    ) -> Result<Vec<OutboxEvent>, StoreError> {
        in_transaction!(self, |tx| tx.claim_due_events(now, lease_until, limits))
    }

    async fn record_attempt(
        &self,
        event_id: i64,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |tx| tx.record_attempt(event_id, attempt))
    }

    async fn retry_events(
        &self,
        selector: &RetrySelector,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        in_transaction!(self, |tx| tx.retry_events(selector, now))
    }
}
