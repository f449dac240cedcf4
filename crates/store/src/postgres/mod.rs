//! The PostgreSQL backend (`postgres://…`), for scale-out: several server processes share one
//! database.
//!
//! Connections come from a pool; each operation runs in one `READ COMMITTED` transaction with
//! `synchronous_commit=on`, so an answered write is durable. Concurrency is resolved only by the
//! database: unique keys (idempotency), row locks (`SELECT … FOR UPDATE` on the bill being
//! written, sell bills locked in number order by a settlement), the ledger's `CHECK` constraints
//! and `SKIP LOCKED` outbox claims. A transaction that loses a race (unique or check violation,
//! serialization failure, deadlock) is rolled back and the whole operation retried, so it reads
//! the winner's result and answers as a replay or a refusal.
//!
//! - `schema`: the per-run schema and the migrations, serialised across processes.
//! - `store`: the [`crate::Store`] implementation and its retry loop.
//! - `tx`: [`crate::tx::Tx`] on one transaction, delegating to `master`, `accounts`, `bills`,
//!   `settlements`, `clerks` and `outbox`, which hold the SQL.
//! - `sql`: error mapping and typed column reads.

mod accounts;
mod bills;
mod clerks;
mod master;
mod outbox;
mod reports;
mod schema;
mod settlements;
mod sql;
mod store;
mod tx;

#[cfg(test)]
mod tests;

use std::fmt;
use std::time::Duration;

use deadpool_postgres::{Manager, Object, Pool, Runtime};
use tokio_postgres::NoTls;

use crate::error::StoreError;
use crate::{migrate, redact};

/// How to start the PostgreSQL server the tests and the development setup expect.
const START_HINT: &str =
    "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`";

/// How long opening one connection may take before the database counts as unavailable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a caller waits for a pooled connection before the database counts as unavailable.
const POOL_WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Connection settings of the PostgreSQL backend.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// The schema to keep every table in, created if missing (tests use one per run so runs
    /// never collide); `None` keeps the server's default `search_path`.
    pub schema: Option<String>,
    /// The most connections the pool holds.
    pub pool_size: usize,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            schema: None,
            pool_size: 16,
        }
    }
}

/// A posbridge database on PostgreSQL.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    schema: Option<String>,
    /// The URL without its password, for messages.
    target: String,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("target", &self.target)
            .field("schema", &self.schema)
            .field("pool", &self.pool.status())
            .finish()
    }
}

impl PostgresStore {
    /// Connects and applies every pending migration.
    pub async fn connect(url: &str, options: PostgresOptions) -> Result<PostgresStore, StoreError> {
        PostgresStore::connect_at_version(url, options, migrate::LATEST).await
    }

    /// Connects and applies pending migrations up to `version` only: a database as an older
    /// posbridge left it, for proving that a later [`PostgresStore::connect`] upgrades it in
    /// place.
    pub async fn connect_at_version(
        url: &str,
        options: PostgresOptions,
        version: i64,
    ) -> Result<PostgresStore, StoreError> {
        let target = redact(url);
        let config = session_config(url, &options)?;
        let pool = Pool::builder(Manager::new(config, NoTls))
            .max_size(options.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(CONNECT_TIMEOUT))
            .wait_timeout(Some(POOL_WAIT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Unavailable(format!("PostgreSQL pool for {target}: {e}")))?;
        let store = PostgresStore {
            pool,
            schema: options.schema,
            target,
        };
        let mut client = store.pool.get().await.map_err(|e| {
            StoreError::Unavailable(format!(
                "cannot connect to PostgreSQL at {}: {e}; is the server running? {START_HINT}",
                store.target
            ))
        })?;
        schema::migrate(&mut client, store.schema.as_deref(), version).await?;
        Ok(store)
    }

    /// The schema the tables are in, when one was chosen.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// Drops this store's schema and everything in it (for tests cleaning up after a run); does
    /// nothing when the store uses the default schema.
    pub async fn drop_schema(&self) -> Result<(), StoreError> {
        let Some(schema) = &self.schema else {
            return Ok(());
        };
        let client = self.client().await?;
        client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .await
            .map_err(sql::db_error)
    }

    /// A pooled connection.
    async fn client(&self) -> Result<Object, StoreError> {
        self.pool
            .get()
            .await
            .map_err(|e| StoreError::Unavailable(format!("PostgreSQL at {}: {e}", self.target)))
    }
}

/// The driver's settings for `url`, with the session settings every pooled connection needs:
/// durable commits and, when chosen, the schema. They are set at connection start, so no
/// connection can ever run a statement without them.
fn session_config(
    url: &str,
    options: &PostgresOptions,
) -> Result<tokio_postgres::Config, StoreError> {
    let mut config: tokio_postgres::Config = url.parse().map_err(|e| {
        StoreError::Unavailable(format!("invalid PostgreSQL URL {}: {e}", redact(url)))
    })?;
    let mut session = String::new();
    if let Some(given) = config.get_options() {
        session.push_str(given);
        session.push(' ');
    }
    // Ours come last, so they win over the same settings given in the URL.
    session.push_str("-c synchronous_commit=on");
    if let Some(schema) = &options.schema {
        schema::check_name(schema)?;
        session.push_str(&format!(" -c search_path={schema}"));
    }
    config.options(session);
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("posbridge");
    }
    Ok(config)
}
