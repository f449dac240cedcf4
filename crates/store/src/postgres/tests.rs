//! Tests of what is particular to the PostgreSQL backend, against the server `POSBRIDGE_PG_URL`
//! names (default: the local one): migrations and in-place upgrade, connection failures, the
//! ledger's database checks, outbox leases. The behaviour both backends share is the
//! conformance suite's.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use posbridge_domain::ids::ProductId;
use posbridge_domain::sell_bill::{BillRecord, BillState};
use rust_decimal::Decimal;

use super::tx::PgTx;
use super::{PostgresOptions, PostgresStore, schema};
use crate::api::Store;
use crate::conformance::fixtures::{at, by_num, ch_s001, master_data, payment, scarves};
use crate::error::StoreError;
use crate::model::{AttemptVerdict, ClaimLimits, DeliveryAttempt, EventStatus, RetrySelector};
use crate::tx::Tx;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

fn url() -> String {
    std::env::var("POSBRIDGE_PG_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// A schema name no other test or run uses.
fn unique_schema() -> String {
    format!(
        "unit_pg_{}_{:016x}",
        std::process::id(),
        RandomState::new().hash_one(0u8)
    )
}

async fn store_at(schema: &str, version: Option<i64>) -> PostgresStore {
    let options = PostgresOptions {
        schema: Some(schema.to_owned()),
        pool_size: 4,
    };
    let connected = match version {
        Some(version) => PostgresStore::connect_at_version(&url(), options, version).await,
        None => PostgresStore::connect(&url(), options).await,
    };
    connected.unwrap_or_else(|e| panic!("these tests need PostgreSQL: {e}"))
}

/// A paid bill of two scarves (sold quantity 2 of product 1).
async fn paid_bill(store: &PostgresStore) -> BillRecord {
    store
        .import_master_data(&master_data(), at(0))
        .await
        .unwrap();
    let account = ch_s001();
    let created = store
        .add_or_update_bill(
            &account.actor,
            &account.channel,
            &scarves("B-1", "2"),
            at(1),
        )
        .await
        .unwrap();
    let paid = store
        .pay_bill(
            &account.actor,
            account.customer(),
            &by_num(&created.bill.bill_num),
            &payment("P-1", None),
            at(2),
        )
        .await
        .unwrap();
    assert_eq!(paid.bill.state, BillState::Paid);
    paid.bill
}

#[test]
fn schema_names_must_be_plain_identifiers() {
    let check = |name: &str, accepted: bool| {
        assert_eq!(schema::check_name(name).is_ok(), accepted, "{name:?}");
    };
    check("conformance_1_2", true);
    check("_x", true);
    check("Mixed_Case", true);
    check("", false);
    check("1abc", false);
    check("a-b", false);
    check("a; DROP SCHEMA public", false);
    check(&"x".repeat(64), false);
    check("PG_catalog", false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_unavailable_with_a_hint_and_no_password() {
    let options = PostgresOptions::default();
    let result =
        PostgresStore::connect("postgres://postgres:s3cret@127.0.0.1:1/test", options).await;
    let Err(StoreError::Unavailable(message)) = result else {
        panic!("expected Unavailable, got {result:?}");
    };
    assert!(
        message.contains("postgres://postgres:***@127.0.0.1:1/test"),
        "{message}"
    );
    assert!(message.contains("pg_ctlcluster"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_database_upgrades_in_place() {
    let name = unique_schema();
    let old = store_at(&name, Some(1)).await;
    old.import_master_data(&master_data(), at(0)).await.unwrap();
    let before = old.master_data().await.unwrap();
    assert_eq!(before.accounts.len(), master_data().accounts.len());
    let tables = |store: PostgresStore| async move {
        let client = store.client().await.unwrap();
        let versions: Vec<i64> = client
            .query(
                "SELECT version FROM schema_migrations ORDER BY version",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        let log = client
            .query_one("SELECT to_regclass('delivery_attempts') IS NOT NULL", &[])
            .await
            .unwrap()
            .get::<_, bool>(0);
        (versions, log)
    };
    assert_eq!(tables(old.clone()).await, (vec![1], false));

    let upgraded = store_at(&name, None).await;
    assert_eq!(tables(upgraded.clone()).await, (vec![1, 2], true));
    assert_eq!(upgraded.master_data().await.unwrap(), before);
    // Connecting again finds nothing left to apply.
    let again = store_at(&name, None).await;
    assert_eq!(tables(again).await, (vec![1, 2], true));
    upgraded.drop_schema().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_refuses_to_settle_more_than_was_sold() {
    let store = store_at(&unique_schema(), None).await;
    let bill = paid_bill(&store).await;
    let two = Decimal::TWO;
    let mut client = store.client().await.unwrap();
    let mut tx = PgTx::new(client.transaction().await.unwrap());
    tx.add_settled(&bill.bill_num, ProductId(1), two, Decimal::ONE)
        .await
        .unwrap();
    tx.add_settled(&bill.bill_num, ProductId(1), two, Decimal::ONE)
        .await
        .unwrap();
    let over = tx
        .add_settled(&bill.bill_num, ProductId(1), two, Decimal::new(1, 4))
        .await;
    assert!(matches!(over, Err(StoreError::Conflict(_))), "{over:?}");
    tx.into_inner().unwrap().rollback().await.unwrap();
    drop(client);
    store.drop_schema().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claimed_events_are_leased_and_delivered_in_order() {
    let store = store_at(&unique_schema(), None).await;
    let bill = paid_bill(&store).await;
    let (now, lease) = (at(10), at(70));
    let first = store
        .claim_due_events(now, lease, &ClaimLimits::new(10))
        .await
        .unwrap();
    assert_eq!(first.len(), 1, "only the bill's oldest event is due");
    assert_eq!((first[0].sequence, first[0].next_attempt_at), (1, lease));
    // Leased: nobody else gets it, and the bill's later event waits behind it.
    assert_eq!(
        store
            .claim_due_events(now, lease, &ClaimLimits::new(10))
            .await
            .unwrap(),
        vec![]
    );

    let attempt = |next| DeliveryAttempt {
        at: now,
        status_code: Some(500),
        error: Some("receiver failed".into()),
        latency_ms: 7,
        next,
    };
    store
        .record_attempt(first[0].id, &attempt(AttemptVerdict::RetryAt(at(20))))
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_due_events(now, lease, &ClaimLimits::new(10))
            .await
            .unwrap(),
        vec![]
    );
    let retried = store
        .claim_due_events(at(20), lease, &ClaimLimits::new(10))
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(
        (retried[0].id, retried[0].status, retried[0].attempts),
        (first[0].id, EventStatus::Failing, 1)
    );
    assert_eq!(retried[0].last_status_code, Some(500));

    store
        .record_attempt(first[0].id, &attempt(AttemptVerdict::Delivered))
        .await
        .unwrap();
    let second = store
        .claim_due_events(at(20), lease, &ClaimLimits::new(10))
        .await
        .unwrap();
    assert_eq!(
        second.iter().map(|e| e.sequence).collect::<Vec<_>>(),
        vec![2]
    );
    store
        .record_attempt(second[0].id, &attempt(AttemptVerdict::Dead))
        .await
        .unwrap();

    // A retry reschedules what is undelivered, dead included, and keeps the attempt count.
    let selector = RetrySelector::Bill(bill.bill_num.clone());
    assert_eq!(store.retry_events(&selector, at(30)).await.unwrap(), 1);
    let again = store
        .claim_due_events(at(30), lease, &ClaimLimits::new(10))
        .await
        .unwrap();
    assert_eq!(
        again
            .iter()
            .map(|e| (e.id, e.status, e.attempts))
            .collect::<Vec<_>>(),
        vec![(second[0].id, EventStatus::Pending, 1)]
    );
    let missing = store
        .record_attempt(i64::MAX, &attempt(AttemptVerdict::Dead))
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    store.drop_schema().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claimers_never_share_an_event() {
    let store = Arc::new(store_at(&unique_schema(), None).await);
    store
        .import_master_data(&master_data(), at(0))
        .await
        .unwrap();
    let account = ch_s001();
    for n in 0..12 {
        store
            .add_or_update_bill(
                &account.actor,
                &account.channel,
                &scarves(&format!("C-{n}"), "1"),
                at(1),
            )
            .await
            .unwrap();
    }
    let claimers: Vec<_> = (0..6)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .claim_due_events(at(5), at(60), &ClaimLimits::new(3))
                    .await
            })
        })
        .collect();
    let mut claimed = Vec::new();
    for claimer in claimers {
        claimed.extend(claimer.await.unwrap().unwrap().into_iter().map(|e| e.id));
    }
    claimed.sort_unstable();
    let count = claimed.len();
    claimed.dedup();
    assert_eq!((claimed.len(), count), (12, 12));
    store.drop_schema().await.unwrap();
}
