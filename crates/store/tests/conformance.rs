//! The conformance suite, executed twice: against SQLite in a fresh temporary file per test, and
//! against PostgreSQL in a fresh schema per test. Each test removes its file or schema when its
//! store is dropped, whether it passed or failed.
//!
//! PostgreSQL is required, never skipped: without a reachable server every PostgreSQL test fails
//! with a message saying how to start one (`POSBRIDGE_PG_URL` points elsewhere; the default is
//! `postgres://postgres@127.0.0.1:5432/test`).

// The factories fail the test loudly when they cannot make a store.
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

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
use posbridge_store::model::{
    BillChange, BillPage, BillQuery, ClaimLimits, ClerkChanges, ClerkEntry, DeliveryAttempt,
    EventFilter, EventStatus, ImportSummary, OutboxEvent, PoolStatus, RetrySelector,
    SettlementChange, SettlementRecord,
};
use posbridge_store::postgres::{PostgresOptions, PostgresStore};
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};
use posbridge_store::{Actor, OpResult, Store, StoreError};

/// The PostgreSQL server used when `POSBRIDGE_PG_URL` is not set.
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A name no other test of this or a concurrent run uses: process id, a counter, and the clock.
// The clock only makes names unique across runs; no assertion depends on it.
#[allow(clippy::disallowed_methods)]
fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// A fresh SQLite store in a new file under the temporary directory, removed after the test.
async fn sqlite_store() -> Arc<dyn Store> {
    let dir: PathBuf = std::env::temp_dir().join(unique_name("posbridge_conformance"));
    std::fs::create_dir_all(&dir).expect("creating a temporary directory");
    let path = dir.join("store.db");
    let path = path.to_str().expect("a UTF-8 temporary path");
    let store = SqliteStore::open(path, SqliteOptions::default())
        .await
        .unwrap_or_else(|err| panic!("opening SQLite at {path}: {err}"));
    Arc::new(Disposable {
        store: Some(store),
        cleanup: Cleanup::Dir(dir),
    })
}

/// A fresh PostgreSQL store in a new schema of the server `POSBRIDGE_PG_URL` names, dropped
/// after the test.
async fn postgres_store() -> Arc<dyn Store> {
    let url = std::env::var("POSBRIDGE_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned());
    let schema = unique_name("conformance");
    let options = PostgresOptions {
        schema: Some(schema.clone()),
        // Small enough that tests running side by side stay under the server's 100 connections,
        // large enough for the concurrency cases to contend for real.
        pool_size: 8,
    };
    match PostgresStore::connect(&url, options).await {
        Ok(store) => Arc::new(Disposable {
            store: Some(store),
            cleanup: Cleanup::Schema { url, schema },
        }),
        Err(err) => panic!(
            "the conformance suite requires PostgreSQL and could not use {}: {err}\n\
             Start the local server with\n    \
             pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
             (trust authentication, database `test`), or point POSBRIDGE_PG_URL at another \
             server, e.g. POSBRIDGE_PG_URL=postgres://user@host:5432/db",
            posbridge_store::redact(&url)
        ),
    }
}

/// What a test leaves behind, removed when its store is dropped (also when the test fails).
enum Cleanup {
    /// The temporary directory of a SQLite database.
    Dir(PathBuf),
    /// The schema of a PostgreSQL store.
    Schema { url: String, schema: String },
}

impl Cleanup {
    fn run(&self) {
        match self {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            // The test's runtime may be unwinding or blocked in this drop, so the schema is
            // dropped over a connection of its own, on a thread with a runtime of its own.
            Cleanup::Schema { url, schema } => {
                let (url, sql) = (
                    url.clone(),
                    format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                );
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| e.to_string())?;
                    runtime.block_on(async {
                        let (client, connection) =
                            tokio_postgres::connect(&url, tokio_postgres::NoTls)
                                .await
                                .map_err(|e| e.to_string())?;
                        let driver = tokio::spawn(connection);
                        let result = client.batch_execute(&sql).await.map_err(|e| e.to_string());
                        drop(client);
                        let _ = driver.await;
                        result
                    })
                })
                .join();
                if let Ok(Err(err)) = dropped {
                    eprintln!("could not drop schema {schema}: {err}");
                }
            }
        }
    }
}

/// A store that removes its database when dropped; every operation goes to the inner store.
struct Disposable<S> {
    /// Always `Some` until dropped: taken first, so the database is closed before its removal.
    store: Option<S>,
    cleanup: Cleanup,
}

impl<S> Disposable<S> {
    fn inner(&self) -> &S {
        self.store.as_ref().expect("a live store")
    }
}

impl<S> Drop for Disposable<S> {
    fn drop(&mut self) {
        drop(self.store.take());
        self.cleanup.run();
    }
}

#[async_trait]
impl<S: Store> Store for Disposable<S> {
    fn backend(&self) -> &'static str {
        self.inner().backend()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.inner().ping().await
    }

    async fn bill_figures(
        &self,
        from: Timestamp,
        to: Timestamp,
        shop: Option<&ShopId>,
    ) -> Result<Vec<BillFigures>, StoreError> {
        self.inner().bill_figures(from, to, shop).await
    }

    async fn settlement_figures(
        &self,
        from: CivilDate,
        to: CivilDate,
        customer_id: Option<&str>,
    ) -> Result<Vec<SettlementFigures>, StoreError> {
        self.inner().settlement_figures(from, to, customer_id).await
    }

    fn pool_status(&self) -> PoolStatus {
        self.inner().pool_status()
    }

    async fn import_master_data(
        &self,
        data: &MasterData,
        now: Timestamp,
    ) -> OpResult<ImportSummary, MasterDataError> {
        self.inner().import_master_data(data, now).await
    }

    async fn master_data(&self) -> Result<MasterData, StoreError> {
        self.inner().master_data().await
    }

    async fn account_by_token(
        &self,
        token_sha256: &[u8; 32],
    ) -> Result<Option<Account>, StoreError> {
        self.inner().account_by_token(token_sha256).await
    }

    async fn account_by_app_key(&self, app_key: &str) -> Result<Option<Account>, StoreError> {
        self.inner().account_by_app_key(app_key).await
    }

    async fn add_or_update_bill(
        &self,
        actor: &Actor,
        channel: &Channel,
        content: &SellBillContent,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        self.inner()
            .add_or_update_bill(actor, channel, content, now)
            .await
    }

    async fn pay_bill(
        &self,
        actor: &Actor,
        customer: &CustomerUnit,
        bill: &BillRef,
        payment: &PaymentRequest,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        self.inner()
            .pay_bill(actor, customer, bill, payment, now)
            .await
    }

    async fn delete_or_close_bill(
        &self,
        actor: &Actor,
        customer: &CustomerUnit,
        bill: &BillRef,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError> {
        self.inner()
            .delete_or_close_bill(actor, customer, bill, now)
            .await
    }

    async fn bill(
        &self,
        customer: &CustomerUnit,
        bill: &BillRef,
    ) -> Result<Option<BillRecord>, StoreError> {
        self.inner().bill(customer, bill).await
    }

    async fn list_bills(
        &self,
        customer: &CustomerUnit,
        query: &BillQuery,
    ) -> Result<BillPage, StoreError> {
        self.inner().list_bills(customer, query).await
    }

    async fn add_settlement(
        &self,
        actor: &Actor,
        merchant: MerchantId,
        content: &SettlementContent,
        now: Timestamp,
    ) -> OpResult<SettlementChange, SettlementError> {
        self.inner()
            .add_settlement(actor, merchant, content, now)
            .await
    }

    async fn settlement(
        &self,
        merchant: MerchantId,
        bill_num: &str,
    ) -> Result<Option<SettlementRecord>, StoreError> {
        self.inner().settlement(merchant, bill_num).await
    }

    async fn sync_clerks(
        &self,
        shops: &BTreeSet<ShopId>,
        batch: &ClerkBatch,
        now: Timestamp,
    ) -> OpResult<ClerkChanges, ClerkRejection> {
        self.inner().sync_clerks(shops, batch, now).await
    }

    async fn clerks(
        &self,
        shop: &ShopId,
        include_deleted: bool,
    ) -> Result<Vec<ClerkEntry>, StoreError> {
        self.inner().clerks(shop, include_deleted).await
    }

    async fn events(&self, filter: &EventFilter) -> Result<Vec<OutboxEvent>, StoreError> {
        self.inner().events(filter).await
    }

    async fn event_counts(&self) -> Result<Vec<(EventStatus, u64)>, StoreError> {
        self.inner().event_counts().await
    }

    async fn oldest_undelivered(&self) -> Result<Option<Timestamp>, StoreError> {
        self.inner().oldest_undelivered().await
    }

    async fn claim_due_events(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limits: &ClaimLimits,
    ) -> Result<Vec<OutboxEvent>, StoreError> {
        self.inner()
            .claim_due_events(now, lease_until, limits)
            .await
    }

    async fn record_attempt(
        &self,
        event_id: i64,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        self.inner().record_attempt(event_id, attempt).await
    }

    async fn retry_events(
        &self,
        selector: &RetrySelector,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        self.inner().retry_events(selector, now).await
    }
}

mod sqlite {
    posbridge_store::conformance_tests!(crate::sqlite_store());
}

mod postgres {
    posbridge_store::conformance_tests!(crate::postgres_store());
}
