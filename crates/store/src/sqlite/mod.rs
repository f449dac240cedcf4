//! The SQLite backend, the embedded default (`sqlite://PATH`).
//!
//! One writer thread owns the only write connection and group-commits: it takes every write
//! waiting at that moment, runs each in its own savepoint of one transaction (a refused or failed
//! operation rolls back only its own savepoint), commits once — WAL with `synchronous=FULL`, so
//! the commit is synced — and only then answers each caller. Reads run on their own connections
//! in blocking tasks and never wait for the writer.

mod error;
mod master;
mod outbox;
mod reader;
mod reports;
mod tx;
mod writer;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
use rusqlite::Connection;

use crate::api::{Actor, Store};
use crate::error::{OpError, OpResult, StoreError};
use crate::migrate::{Migration, SQLITE};
use crate::model::{
    BillChange, BillPage, BillQuery, ClaimLimits, ClerkChanges, ClerkEntry, DeliveryAttempt,
    EventFilter, EventStatus, ImportSummary, OutboxEvent, PoolStatus, RetrySelector,
    SettlementChange, SettlementRecord,
};
use crate::ops;
use crate::tx::Tx;
use error::sql_error;
use reader::ReaderPool;
pub use tx::SqliteTx;
use writer::{Writer, run_now};

/// Tuning of the SQLite backend.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// The most writes one commit takes (default 512).
    pub batch_max: usize,
    /// Read connections kept open (default 8).
    pub readers: usize,
    /// Writes queued before callers wait to enqueue (default 4096).
    pub queue: usize,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            batch_max: 512,
            readers: 8,
            queue: 4096,
        }
    }
}

/// The SQLite store.
pub struct SqliteStore {
    path: PathBuf,
    writer: Writer,
    readers: ReaderPool,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub async fn open(
        path: impl AsRef<Path>,
        options: SqliteOptions,
    ) -> Result<SqliteStore, StoreError> {
        Self::open_at_version(path, options, crate::migrate::LATEST).await
    }

    /// Opens the database applying migrations only up to `version`: how a test makes a database
    /// as an older posbridge left it.
    pub async fn open_at_version(
        path: impl AsRef<Path>,
        options: SqliteOptions,
        version: i64,
    ) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let migrate_path = path.clone();
        let write_conn = tokio::task::spawn_blocking(move || {
            let mut conn = connect(&migrate_path)?;
            migrate(&mut conn, SQLITE, version)?;
            Ok::<_, StoreError>(conn)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("sqlite open task: {e}")))??;
        let writer = Writer::spawn(write_conn, options.batch_max, options.queue)?;
        let readers = ReaderPool::new(path.clone(), options.readers);
        Ok(SqliteStore {
            path,
            writer,
            readers,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The instant of the oldest undelivered event.
const OLDEST_UNDELIVERED: &str =
    "SELECT MIN(occurred_at) FROM outbox WHERE status IN ('pending', 'failing')";

/// Statements kept prepared per connection.
const STATEMENT_CACHE: usize = 128;

/// Opens a connection with the durability settings of CONTRACT §11.
fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| {
        StoreError::Unavailable(format!(
            "cannot open sqlite database {}: {e}",
            path.display()
        ))
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(sql_error)?;
    // Every statement of the store is prepared once per connection and kept: there are about
    // 40, and rusqlite's default cache of 16 would re-parse them under a mixed load.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(sql_error)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql_error)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(sql_error)?;
    Ok(conn)
}

/// Applies the migrations above the database's version, up to `target`, each in a transaction.
fn migrate(conn: &mut Connection, migrations: &[Migration], target: i64) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL DEFAULT (unixepoch()))",
    )
    .map_err(sql_error)?;
    let current: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(sql_error)?;
    if current > crate::migrate::LATEST {
        return Err(StoreError::Corrupt(format!(
            "database schema version {current} is newer than this posbridge knows ({})",
            crate::migrate::LATEST
        )));
    }
    for migration in migrations
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        let tx = conn.transaction().map_err(sql_error)?;
        tx.execute_batch(migration.sql).map_err(sql_error)?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES (?1)",
            [migration.version],
        )
        .map_err(sql_error)?;
        tx.commit().map_err(sql_error)?;
    }
    Ok(())
}

/// Flattens a committed operation's result.
fn settled<T, E>(result: Result<OpResult<T, E>, StoreError>) -> OpResult<T, E> {
    result.map_err(OpError::Store).and_then(|r| r)
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.readers
            .read(|conn| {
                conn.query_row("SELECT 1", [], |_| Ok(()))
                    .map_err(sql_error)
            })
            .await
    }

    async fn bill_figures(
        &self,
        from: Timestamp,
        to: Timestamp,
        shop: Option<&ShopId>,
    ) -> Result<Vec<BillFigures>, StoreError> {
        let shop = shop.cloned();
        self.readers
            .read(move |conn| reports::bill_figures(conn, from, to, shop.as_ref()))
            .await
    }

    async fn settlement_figures(
        &self,
        from: CivilDate,
        to: CivilDate,
        customer_id: Option<&str>,
    ) -> Result<Vec<SettlementFigures>, StoreError> {
        let customer_id = customer_id.map(str::to_owned);
        self.readers
            .read(move |conn| reports::settlement_figures(conn, from, to, customer_id.as_deref()))
            .await
    }

    fn pool_status(&self) -> PoolStatus {
        let readers = self.readers.status();
        PoolStatus {
            max: readers.max + 1,
            open: readers.open + 1,
            idle: readers.idle,
            waiting: self.writer.queued(),
        }
    }

    async fn import_master_data(
        &self,
        data: &MasterData,
        now: Timestamp,
    ) -> OpResult<ImportSummary, MasterDataError> {
        let data = data.clone();
        settled(
            self.writer
                .write(move |tx| run_now(ops::master::import(tx, &data, now)))
                .await,
        )
    }

    async fn master_data(&self) -> Result<MasterData, StoreError> {
        self.readers.read_tx(|tx| run_now(tx.load_master())).await
    }

    async fn account_by_token(
        &self,
        token_sha256: &[u8; 32],
    ) -> Result<Option<Account>, StoreError> {
        let hash = *token_sha256;
        self.readers
            .read_tx(move |tx| run_now(tx.account_by_token(&hash)))
            .await
    }

    async fn account_by_app_key(&self, app_key: &str) -> Result<Option<Account>, StoreError> {
        let key = app_key.to_owned();
        self.readers
            .read_tx(move |tx| run_now(tx.account_by_app_key(&key)))
            .await
    }

    async fn add_or_update_bill(
        &self,
        actor: &Actor,
        channel: &Channel,
        content: &SellBillContent,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        let (actor, channel, content) = (actor.clone(), channel.clone(), content.clone());
        settled(
            self.writer
                .write(move |tx| {
                    run_now(ops::sell::add_or_update(
                        tx, &actor, &channel, &content, now,
                    ))
                })
                .await,
        )
    }

    async fn pay_bill(
        &self,
        actor: &Actor,
        customer: &CustomerUnit,
        bill: &BillRef,
        payment: &PaymentRequest,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        let (actor, customer, bill, payment) = (
            actor.clone(),
            customer.clone(),
            bill.clone(),
            payment.clone(),
        );
        settled(
            self.writer
                .write(move |tx| {
                    run_now(ops::sell::pay(tx, &actor, &customer, &bill, &payment, now))
                })
                .await,
        )
    }

    async fn delete_or_close_bill(
        &self,
        actor: &Actor,
        customer: &CustomerUnit,
        bill: &BillRef,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        let (actor, customer, bill) = (actor.clone(), customer.clone(), bill.clone());
        settled(
            self.writer
                .write(move |tx| {
                    run_now(ops::sell::delete_or_close(
                        tx, &actor, &customer, &bill, now,
                    ))
                })
                .await,
        )
    }

    async fn bill(
        &self,
        customer: &CustomerUnit,
        bill: &BillRef,
    ) -> Result<Option<BillRecord>, StoreError> {
        let (customer, bill) = (customer.clone(), bill.clone());
        self.readers
            .read_tx(move |tx| run_now(ops::sell::get(tx, &customer, &bill)))
            .await
    }

    async fn list_bills(
        &self,
        customer: &CustomerUnit,
        query: &BillQuery,
    ) -> Result<BillPage, StoreError> {
        let (customer, query) = (customer.clone(), query.clone());
        self.readers
            .read_tx(move |tx| run_now(ops::sell::list(tx, &customer, &query)))
            .await
    }

    async fn add_settlement(
        &self,
        actor: &Actor,
        merchant: MerchantId,
        content: &SettlementContent,
        now: Timestamp,
    ) -> OpResult<SettlementChange, SettlementError> {
        let (actor, content) = (actor.clone(), content.clone());
        settled(
            self.writer
                .write(move |tx| run_now(ops::settle::add(tx, &actor, merchant, &content, now)))
                .await,
        )
    }

    async fn settlement(
        &self,
        merchant: MerchantId,
        bill_num: &str,
    ) -> Result<Option<SettlementRecord>, StoreError> {
        let bill_num = bill_num.to_owned();
        self.readers
            .read_tx(move |tx| run_now(tx.settlement_by_key(merchant, &bill_num)))
            .await
    }

    async fn sync_clerks(
        &self,
        shops: &BTreeSet<ShopId>,
        batch: &ClerkBatch,
        now: Timestamp,
    ) -> OpResult<ClerkChanges, ClerkRejection> {
        let (shops, batch) = (shops.clone(), batch.clone());
        settled(
            self.writer
                .write(move |tx| run_now(ops::clerks::sync(tx, &shops, &batch, now)))
                .await,
        )
    }

    async fn clerks(
        &self,
        shop: &ShopId,
        include_deleted: bool,
    ) -> Result<Vec<ClerkEntry>, StoreError> {
        let shop = shop.clone();
        self.readers
            .read_tx(move |tx| run_now(tx.list_clerks(&shop, include_deleted)))
            .await
    }

    async fn events(&self, filter: &EventFilter) -> Result<Vec<OutboxEvent>, StoreError> {
        let filter = filter.clone();
        self.readers
            .read_tx(move |tx| run_now(tx.events(&filter)))
            .await
    }

    async fn event_counts(&self) -> Result<Vec<(EventStatus, u64)>, StoreError> {
        self.readers.read_tx(|tx| run_now(tx.event_counts())).await
    }

    async fn oldest_undelivered(&self) -> Result<Option<Timestamp>, StoreError> {
        self.readers
            .read(|conn| {
                conn.prepare_cached(OLDEST_UNDELIVERED)
                    .and_then(|mut s| s.query_row([], |r| r.get::<_, Option<i64>>(0)))
                    .map(|at| at.map(Timestamp))
                    .map_err(sql_error)
            })
            .await
    }

    async fn claim_due_events(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limits: &ClaimLimits,
    ) -> Result<Vec<OutboxEvent>, StoreError> {
        let limits = limits.clone();
        self.writer
            .write(move |tx| run_now(tx.claim_due_events(now, lease_until, &limits)))
            .await?
    }

    async fn record_attempt(
        &self,
        event_id: i64,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        let attempt = attempt.clone();
        self.writer
            .write(move |tx| run_now(tx.record_attempt(event_id, &attempt)))
            .await?
    }

    async fn retry_events(
        &self,
        selector: &RetrySelector,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let selector = selector.clone();
        self.writer
            .write(move |tx| run_now(tx.retry_events(&selector, now)))
            .await?
    }
}
