//! In-place upgrades: a database as an older posbridge left it (schema version 1) keeps its data
//! when the current one opens it, gains what later versions add, and records the new version.

// A test: failures panic; the clock only makes names unique.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

#[path = "../benches/support/fixture.rs"]
#[allow(dead_code)]
mod fixture;

use std::time::{SystemTime, UNIX_EPOCH};

use posbridge_domain::calendar::Timestamp;
use posbridge_store::model::{AttemptVerdict, DeliveryAttempt, EventFilter, EventStatus};
use posbridge_store::postgres::{PostgresOptions, PostgresStore};
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};
use posbridge_store::{Actor, Store};

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{prefix}_{}_{nanos}", std::process::id())
}

/// Writes a bill (and its outbox event) with a version-1 store.
async fn write_old(store: &dyn Store) -> String {
    store
        .import_master_data(&fixture::master_data().unwrap(), Timestamp(0))
        .await
        .unwrap();
    let change = store
        .add_or_update_bill(
            &Actor::new(fixture::ACCOUNT_ID),
            &fixture::channel(),
            &fixture::bill("OLD-1").unwrap(),
            Timestamp(1_000),
        )
        .await
        .unwrap();
    change.bill.bill_num.to_string()
}

/// The current store reads the old bill and uses version 2's delivery log on its event.
async fn check_current(store: &dyn Store, bill_num: &str) {
    let bill = store
        .bill(
            &fixture::channel().customer,
            &posbridge_domain::sell_bill::BillRef::parse(Some(bill_num), None).unwrap(),
        )
        .await
        .unwrap()
        .expect("the bill written before the upgrade");
    assert_eq!(bill.content.sender_bill_num.as_str(), "OLD-1");
    let events = store.events(&EventFilter::default()).await.unwrap();
    assert_eq!(events.len(), 1);
    // The delivery log came with version 2.
    let attempt = DeliveryAttempt {
        at: Timestamp(2_000),
        status_code: Some(200),
        error: None,
        latency_ms: 3,
        next: AttemptVerdict::Delivered,
    };
    store.record_attempt(events[0].id, &attempt).await.unwrap();
    let events = store.events(&EventFilter::default()).await.unwrap();
    assert_eq!(events[0].status, EventStatus::Delivered);
    assert_eq!(events[0].attempts, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_upgrades_in_place() {
    let path = std::env::temp_dir().join(format!("{}.db", unique("posbridge-migrate")));
    let bill_num = {
        let old = SqliteStore::open_at_version(&path, SqliteOptions::default(), 1)
            .await
            .unwrap();
        let version: i64 = rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(version, 1);
        write_old(&old).await
    };
    let current = SqliteStore::open(&path, SqliteOptions::default())
        .await
        .unwrap();
    check_current(&current, &bill_num).await;
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(version, 2);
    drop(current);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_upgrades_in_place() {
    let url = std::env::var("POSBRIDGE_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let options = PostgresOptions {
        schema: Some(unique("pbmig")),
        ..PostgresOptions::default()
    };
    let old = PostgresStore::connect_at_version(&url, options.clone(), 1)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is required for this test ({e}). Start it with \
                 `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` \
                 or point POSBRIDGE_PG_URL at a server"
            )
        });
    let bill_num = write_old(&old).await;
    let current = PostgresStore::connect(&url, options).await.unwrap();
    check_current(&current, &bill_num).await;
    current.drop_schema().await.unwrap();
}
