//! The conformance suite, executed twice: against SQLite in a fresh temporary file per test, and
//! against PostgreSQL in a fresh schema per test.
//!
//! PostgreSQL is required, never skipped: without a reachable server every PostgreSQL test fails
//! with a message saying how to start one (`POSBRIDGE_PG_URL` points elsewhere; the default is
//! `postgres://postgres@127.0.0.1:5432/test`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use posbridge_store::Store;
use posbridge_store::postgres::{PostgresOptions, PostgresStore};
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};

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

/// A fresh SQLite store in a new file under the temporary directory.
async fn sqlite_store() -> Arc<dyn Store> {
    let dir: PathBuf = std::env::temp_dir().join(unique_name("posbridge_conformance"));
    std::fs::create_dir_all(&dir).expect("creating a temporary directory");
    let path = dir.join("store.db");
    let path = path.to_str().expect("a UTF-8 temporary path");
    let store = SqliteStore::open(path, SqliteOptions::default())
        .await
        .unwrap_or_else(|err| panic!("opening SQLite at {path}: {err}"));
    Arc::new(store)
}

/// A fresh PostgreSQL store in a new schema of the server `POSBRIDGE_PG_URL` names.
async fn postgres_store() -> Arc<dyn Store> {
    let url = std::env::var("POSBRIDGE_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned());
    let options = PostgresOptions {
        schema: Some(unique_name("conformance")),
        // Small enough that tests running side by side stay under the server's 100 connections,
        // large enough for the concurrency cases to contend for real.
        pool_size: 8,
    };
    match PostgresStore::connect(&url, options).await {
        Ok(store) => Arc::new(store),
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

mod sqlite {
    posbridge_store::conformance_tests!(crate::sqlite_store());
}

mod postgres {
    posbridge_store::conformance_tests!(crate::postgres_store());
}
