//! Store throughput, in one run: the raw SQLite rate of single-row fsync'd commits, the store's
//! bill-create rate with 1, 8 and 64 concurrent callers on SQLite (group commit) and PostgreSQL,
//! and `pgbench` running an equivalent transaction with the same client counts.
//!
//! Run with `cargo xtask bench`; PostgreSQL comes from `POSBRIDGE_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). Prints a table and the ratios the issue asks for.
// A bench stops at its first failure; the clock only makes names unique.
// Rates and percentiles are measurements, not money: floats are right here.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::disallowed_methods)]
#![allow(clippy::float_arithmetic)]

#[allow(dead_code)]
#[path = "support/fixture.rs"]
mod fixture;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use posbridge_domain::calendar::Timestamp;
use posbridge_store::postgres::{PostgresOptions, PostgresStore};
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};
use posbridge_store::{Actor, Store};

const CALLERS: [usize; 3] = [1, 8, 64];
const RUN: Duration = Duration::from_secs(3);

struct Rate {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{prefix}_{}_{nanos}", std::process::id())
}

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("{}.db", unique(name)))
}

fn remove_db(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Single-row inserts, each its own transaction: one fsync'd commit per row.
fn raw_sqlite_commits() -> f64 {
    let path = scratch("raw");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("full");
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        .expect("table");
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < RUN {
        conn.execute("INSERT INTO t (v) VALUES (?1)", [format!("row {n}")])
            .expect("insert");
        n += 1;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    drop(conn);
    remove_db(&path);
    rate
}

async fn create_bills(store: Arc<dyn Store>, callers: usize, run: &str) -> Rate {
    let counter = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for caller in 0..callers {
        let (store, counter, run) = (Arc::clone(&store), Arc::clone(&counter), run.to_owned());
        tasks.push(tokio::spawn(async move {
            let actor = Actor::new(fixture::ACCOUNT_ID);
            let channel = fixture::channel();
            let mut latencies = Vec::new();
            while started.elapsed() < RUN {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let content = fixture::bill(&format!("{run}-{caller}-{n}")).expect("bill");
                let began = Instant::now();
                store
                    .add_or_update_bill(&actor, &channel, &content, Timestamp(n as i64))
                    .await
                    .expect("create");
                latencies.push(began.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("caller"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    Rate {
        per_second: latencies.len() as f64 / elapsed,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    }
}

async fn sqlite_store(callers: usize, options: SqliteOptions) -> Rate {
    let path = scratch("store");
    let store = SqliteStore::open(&path, options).await.expect("open");
    let master = fixture::master_data().expect("fixture");
    store
        .import_master_data(&master, Timestamp(0))
        .await
        .expect("import");
    let rate = create_bills(Arc::new(store), callers, "s").await;
    remove_db(&path);
    rate
}

fn pg_url() -> String {
    std::env::var("POSBRIDGE_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

async fn postgres_store(callers: usize) -> Rate {
    let options = PostgresOptions {
        schema: Some(unique("pbbench")),
        pool_size: callers.clamp(4, 64),
    };
    let store = PostgresStore::connect(&pg_url(), options)
        .await
        .expect("postgres");
    let master = fixture::master_data().expect("fixture");
    store
        .import_master_data(&master, Timestamp(0))
        .await
        .expect("import");
    let store = Arc::new(store);
    let rate = create_bills(Arc::clone(&store) as Arc<dyn Store>, callers, "p").await;
    let _ = store.drop_schema().await;
    rate
}

/// The transaction a straightforward implementation runs for a new bill, as plain SQL over tables
/// with the store's columns, keys and indexes: look the key up with a row lock, read the stock
/// record and the price quote, take a number, insert the bill and its outbox event.
const PGBENCH_SETUP: &str = "
DROP SCHEMA IF EXISTS pgbench_posbridge CASCADE;
CREATE SCHEMA pgbench_posbridge;
SET search_path = pgbench_posbridge;
CREATE TABLE stock (shop_id TEXT, product_id BIGINT, quantity NUMERIC,
    PRIMARY KEY (shop_id, product_id));
CREATE TABLE prices (shop_id TEXT, product_id BIGINT, listing_price NUMERIC,
    retail_price NUMERIC, lowest_retail_price NUMERIC, PRIMARY KEY (shop_id, product_id));
CREATE TABLE guides (number TEXT PRIMARY KEY);
INSERT INTO stock VALUES ('S001', 1, 0);
INSERT INTO prices VALUES ('S001', 1, 128, 99, 79);
INSERT INTO guides VALUES ('D-1');
CREATE SEQUENCE bill_num_seq;
CREATE TABLE sell_bills (id BIGSERIAL PRIMARY KEY, bill_num TEXT NOT NULL UNIQUE,
    customer_type TEXT NOT NULL, customer_id TEXT NOT NULL, sender_bill_num TEXT NOT NULL,
    shop_id TEXT NOT NULL, state TEXT NOT NULL, version BIGINT NOT NULL,
    total_amount NUMERIC NOT NULL, discount_amount NUMERIC NOT NULL, paid_amount NUMERIC NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, document TEXT NOT NULL,
    UNIQUE (customer_type, customer_id, sender_bill_num));
CREATE INDEX ON sell_bills (customer_type, customer_id, id);
CREATE INDEX ON sell_bills (created_at);
CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, account_id TEXT NOT NULL,
    subject_kind TEXT NOT NULL, subject TEXT NOT NULL, sequence BIGINT NOT NULL,
    kind TEXT NOT NULL, occurred_at BIGINT NOT NULL, status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, document TEXT NOT NULL,
    UNIQUE (subject_kind, subject, sequence));
CREATE INDEX ON outbox (status, next_attempt_at);
";

/// One bill: the key is the client id and a random number, the documents as long as a real one.
const PGBENCH_SCRIPT: &str = "\\set k random(1, 2000000000)
BEGIN;
SELECT id, document FROM pgbench_posbridge.sell_bills WHERE customer_type = 'TA' AND customer_id = 'C001' AND sender_bill_num = :client_id || '-' || :k FOR UPDATE;
SELECT quantity::text FROM pgbench_posbridge.stock WHERE shop_id = 'S001' AND product_id = 1;
SELECT listing_price::text, retail_price::text, lowest_retail_price::text FROM pgbench_posbridge.prices WHERE shop_id = 'S001' AND product_id = 1;
SELECT nextval('pgbench_posbridge.bill_num_seq') AS n \\gset
INSERT INTO pgbench_posbridge.sell_bills (bill_num, customer_type, customer_id, sender_bill_num, shop_id, state, version, total_amount, discount_amount, paid_amount, created_at, updated_at, document) VALUES ('SB' || :n, 'TA', 'C001', :client_id || '-' || :k, 'S001', 'Initial', 1, '168.30'::numeric, '29.70'::numeric, '0'::numeric, :k, :k, repeat('x', 900));
INSERT INTO pgbench_posbridge.outbox (account_id, subject_kind, subject, sequence, kind, occurred_at, status, next_attempt_at, document) VALUES ('ch-bench', 'bill', 'SB' || :n, 1, 'bill.created', :k, 'pending', :k, repeat('x', 900));
COMMIT;
";

fn pgbench(clients: usize) -> Option<f64> {
    let script = std::env::temp_dir().join(format!("{}.sql", unique("pgbench")));
    std::fs::write(&script, PGBENCH_SCRIPT).ok()?;
    let url = pg_url();
    let output = Command::new("pgbench")
        .args([
            "-n",
            "-M",
            "prepared",
            "-c",
            &clients.to_string(),
            "-j",
            "2",
        ])
        .args(["-T", &RUN.as_secs().to_string(), "-f"])
        .arg(&script)
        .arg(&url)
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&script);
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|tps| tps.parse().ok())
}

fn psql(sql: &str) -> bool {
    Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", &pg_url(), "-c", sql])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "store bench: {RUN:?} per measurement, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    // The disk's fsync rate drifts with the machine's neighbours: measure it before and after
    // the SQLite rows and compare against the mean.
    let raw_before = raw_sqlite_commits();
    println!(
        "\n{:<10} {:>7} {:>10} {:>8} {:>8} {:>14}",
        "backend", "callers", "bills/s", "p50 ms", "p99 ms", "vs reference"
    );
    for callers in CALLERS {
        let rate = runtime.block_on(sqlite_store(callers, SqliteOptions::default()));
        println!(
            "{:<10} {:>7} {:>10.0} {:>8.2} {:>8.2} {:>13.1}x raw",
            "sqlite",
            callers,
            rate.per_second,
            rate.p50_ms,
            rate.p99_ms,
            rate.per_second / raw_before
        );
    }
    // The same store committing each bill alone: what group commit is worth here.
    let one_per_commit = SqliteOptions {
        batch_max: 1,
        ..SqliteOptions::default()
    };
    let alone = runtime.block_on(sqlite_store(64, one_per_commit));
    println!(
        "{:<10} {:>7} {:>10.0} {:>8.2} {:>8.2} {:>13.1}x raw",
        "sqlite/1",
        64,
        alone.per_second,
        alone.p50_ms,
        alone.p99_ms,
        alone.per_second / raw_before
    );
    let raw_after = raw_sqlite_commits();
    println!(
        "raw SQLite single-row fsync'd commits: {raw_before:.0}/s before, {raw_after:.0}/s after \
         (sqlite/1 = the store with group commit off)"
    );
    let pgbench_ready = psql(PGBENCH_SETUP);
    for callers in CALLERS {
        let rate = runtime.block_on(postgres_store(callers));
        let reference = if pgbench_ready {
            pgbench(callers)
        } else {
            None
        };
        let versus = reference.map_or("pgbench n/a".to_owned(), |tps| {
            format!("{:.2}x pgbench ({tps:.0} tps)", rate.per_second / tps)
        });
        println!(
            "{:<10} {:>7} {:>10.0} {:>8.2} {:>8.2} {versus:>14}",
            "postgres", callers, rate.per_second, rate.p50_ms, rate.p99_ms
        );
    }
    if pgbench_ready {
        psql("DROP SCHEMA IF EXISTS pgbench_posbridge CASCADE");
    }
}
