//! Concurrency cases (CONTRACT §5, §6, §11): tasks released together on a multi-threaded runtime
//! race for one key, one ledger or one outstanding amount, and the database keeps the rules.
//! Also the durability of answers: what a write answered, a fresh read sees.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;

use posbridge_domain::ErrorKind;
use posbridge_domain::clerk::ClerkBatch;
use posbridge_domain::ids::MerchantId;
use posbridge_domain::sell_bill::{BillEventKind, BillRecord, BillState, Outcome, SellBillError};
use posbridge_domain::settlement::SettlementFailure;

use super::fixtures::{
    all_bills, all_events, at, by_num, ch_s001, clerk, create, d, erp_shops, events_of, hundred,
    m2, master_data, money, paid_bill, payment, read_bill, scarves, seed, settlement,
};
use super::settlements::{first_failure, settle};
use crate::api::Store;
use crate::error::OpError;
use crate::model::{BillChange, EventPayload, EventSubject};

/// Runs `n` tasks, each released at once by a barrier, and answers their results in task order.
async fn race<T, F, Fut>(n: usize, task: F) -> Vec<T>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let barrier = barrier.clone();
            let work = task(i);
            tokio::spawn(async move {
                barrier.wait().await;
                work.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for handle in handles {
        results.push(handle.await.expect("a racing task panicked"));
    }
    results
}

/// The bill payloads of a bill's events, by sequence.
async fn payloads(store: &Arc<dyn Store>, bill: &BillRecord) -> Vec<BillRecord> {
    let events = events_of(store, EventSubject::Bill(bill.bill_num.clone())).await;
    events
        .into_iter()
        .zip(1..)
        .map(|(event, n)| {
            assert_eq!(event.sequence, n, "events of a bill are numbered 1, 2, …");
            match event.payload {
                EventPayload::Bill(record) => *record,
                other => panic!("a bill event carries {other:?}"),
            }
        })
        .collect()
}

/// 50 tasks sending one key with identical content at once make exactly one bill: one answer
/// created it, 49 are replays of it, and there is one `bill.created` event.
pub async fn concurrent_identical_creates_make_one_bill(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let sent = scarves("P-RACE", "2");
    let answers = race(50, |_| {
        let (store, account, sent) = (store.clone(), account.clone(), sent.clone());
        async move {
            store
                .add_or_update_bill(&account.actor, &account.channel, &sent, at(1))
                .await
        }
    })
    .await;
    let answers: Vec<BillChange> = answers
        .into_iter()
        .map(|a| a.expect("every identical submission succeeds"))
        .collect();
    let nums: BTreeSet<_> = answers.iter().map(|a| a.bill.bill_num.clone()).collect();
    assert_eq!(nums.len(), 1, "one BillNum among the answers: {nums:?}");
    let created = answers
        .iter()
        .filter(|a| matches!(&a.outcome, Outcome::Changed(e) if e.kind() == BillEventKind::Created))
        .count();
    let replays = answers
        .iter()
        .filter(|a| a.outcome == Outcome::Replayed)
        .count();
    assert_eq!((created, replays), (1, 49));
    let bills = all_bills(&store, account.customer()).await;
    assert_eq!(bills.len(), 1);
    for answer in &answers {
        assert_eq!(answer.bill, bills[0], "every answer describes the one bill");
    }
    let events = all_events(&store).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "bill.created");
}

/// 50 tasks sending one key with two different contents at once make exactly one bill; every
/// answer names it and describes a state it really had; each change answered is one version and
/// one event.
pub async fn concurrent_different_contents_make_one_bill(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let contents = [scarves("P-RACE", "1"), scarves("P-RACE", "2")];
    let answers = race(50, |i| {
        let (store, account) = (store.clone(), account.clone());
        let sent = contents[i % 2].clone();
        async move {
            store
                .add_or_update_bill(&account.actor, &account.channel, &sent, at(1))
                .await
        }
    })
    .await;
    let answers: Vec<BillChange> = answers
        .into_iter()
        .map(|a| a.expect("every submission to an Initial bill succeeds"))
        .collect();
    let bills = all_bills(&store, account.customer()).await;
    assert_eq!(bills.len(), 1, "exactly one bill exists");
    let bill = &bills[0];
    assert!(
        answers.iter().all(|a| a.bill.bill_num == bill.bill_num),
        "one BillNum"
    );
    let n_changed = answers
        .iter()
        .filter(|a| matches!(a.outcome, Outcome::Changed(_)))
        .count();
    let n_created = answers
        .iter()
        .filter(|a| matches!(&a.outcome, Outcome::Changed(e) if e.kind() == BillEventKind::Created))
        .count();
    assert_eq!(n_created, 1);
    assert_eq!(
        bill.version as usize, n_changed,
        "one version per change answered"
    );
    assert_eq!(bill.history.len(), n_changed);
    let states = payloads(&store, bill).await;
    assert_eq!(states.len(), n_changed, "one event per change answered");
    assert_eq!(states.last(), Some(bill));
    for answer in &answers {
        match &answer.outcome {
            Outcome::Changed(event) => {
                let state = &states[event.sequence() as usize - 1];
                assert_eq!(&answer.bill, state, "a change answers the bill it made");
            }
            Outcome::Replayed => assert!(
                states.contains(&answer.bill),
                "a replay answers a state that existed: {:?}",
                answer.bill
            ),
        }
        assert!(contents.contains(&answer.bill.content));
    }
}

/// 20 settlements with distinct `BillNum`s, each settling 1 of the 5 units of one sell line, sent
/// at once: exactly 5 succeed, the other 15 are 4003, and the ledger holds exactly 5.
pub async fn concurrent_settlements_never_over_settle(store: Arc<dyn Store>) {
    seed(&store).await;
    let sell = paid_bill(&store, &ch_s001(), &scarves("P-1", "5"), at(1)).await;
    let answers = race(20, |i| {
        let store = store.clone();
        let content = settlement(&format!("JS-RACE-{i}"), &sell, &[(1, "1", "10.00")]);
        async move { (content.bill_num.clone(), settle(&store, &content, 2).await) }
    })
    .await;
    let mut accepted = Vec::new();
    for (bill_num, answer) in answers {
        match answer {
            Ok(change) => {
                assert!(!change.replayed);
                accepted.push(bill_num);
            }
            Err(OpError::Refused(error)) => {
                assert_eq!(error.kind(), ErrorKind::OverSettled, "{error:?}");
                let read = store
                    .settlement(MerchantId(2), &bill_num)
                    .await
                    .expect("read");
                assert_eq!(read, None, "a refused settlement is not stored");
            }
            Err(other) => panic!("settlement {bill_num} failed in the store: {other:?}"),
        }
    }
    assert_eq!(
        accepted.len(),
        5,
        "exactly the 5 units sold are settled: {accepted:?}"
    );
    for bill_num in &accepted {
        let read = store
            .settlement(MerchantId(2), bill_num)
            .await
            .expect("read");
        assert!(read.is_some(), "accepted settlement {bill_num} is stored");
    }
    let late = settlement("JS-LATE", &sell, &[(1, "1", "10.00")]);
    let error = match settle(&store, &late, 3).await {
        Err(OpError::Refused(error)) => error,
        other => panic!("expected 4003, got {other:?}"),
    };
    let SettlementFailure::OverSettled { settled, sold, .. } = first_failure(&error) else {
        panic!("expected 4003, got {error:?}");
    };
    assert_eq!(
        (*sold, *settled),
        (d("5"), d("5")),
        "the ledger holds exactly what was sold"
    );
    let n_events = all_events(&store)
        .await
        .iter()
        .filter(|e| e.kind == "settlement.created" && e.account_id == m2().account_id)
        .count();
    assert_eq!(n_events, 5);
}

/// 20 payments of 10.00 with distinct `PayNum`s on a bill of 100.00, sent at once: exactly 10
/// succeed and pay the total, the other 10 find nothing outstanding (3004).
pub async fn concurrent_payments_never_over_pay(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let bill = create(&store, &account, &hundred("P-1"), at(1)).await;
    let answers = race(20, |i| {
        let (store, account, bill_num) = (store.clone(), account.clone(), bill.bill_num.clone());
        async move {
            let request = payment(&format!("PAY-{i}"), Some("10.00"));
            store
                .pay_bill(
                    &account.actor,
                    account.customer(),
                    &by_num(&bill_num),
                    &request,
                    at(2),
                )
                .await
        }
    })
    .await;
    let mut kinds = Vec::new();
    for answer in answers {
        match answer {
            Ok(change) => match change.outcome {
                Outcome::Changed(event) => kinds.push(event.kind()),
                Outcome::Replayed => panic!("a new PayNum cannot be a replay"),
            },
            Err(error) => assert_eq!(
                error,
                OpError::Refused(SellBillError::ExceedsOutstanding {
                    bill_num: bill.bill_num.clone(),
                    requested: money("10.00"),
                    outstanding: money("0.00"),
                })
            ),
        }
    }
    assert_eq!(kinds.len(), 10, "exactly the total is paid");
    let n_paid = kinds.iter().filter(|k| **k == BillEventKind::Paid).count();
    assert_eq!(n_paid, 1, "one payment completes the bill: {kinds:?}");
    let stored = read_bill(&store, account.customer(), &by_num(&bill.bill_num))
        .await
        .expect("bill");
    assert_eq!(stored.state, BillState::Paid);
    assert_eq!(stored.paid_amount, money("100.00"));
    assert_eq!(stored.payments.len(), 10);
    assert_eq!(payloads(&store, &stored).await.len(), 11);
}

/// Whatever a write answered, a read right after it sees: bills, payments, closing, settlements,
/// clerks and master data.
pub async fn answers_are_durable(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let customer = account.customer().clone();
    let reads = |bill: BillRecord| {
        let (store, customer) = (store.clone(), customer.clone());
        async move {
            let read = read_bill(&store, &customer, &by_num(&bill.bill_num)).await;
            assert_eq!(read, Some(bill), "a fresh read sees the answered bill");
        }
    };
    let created = create(&store, &account, &scarves("P-1", "3"), at(1)).await;
    reads(created.clone()).await;
    let change = store
        .pay_bill(
            &account.actor,
            &customer,
            &by_num(&created.bill_num),
            &payment("PAY-1", Some("1.00")),
            at(2),
        )
        .await
        .expect("pay");
    reads(change.bill).await;
    let change = store
        .delete_or_close_bill(&account.actor, &customer, &by_num(&created.bill_num), at(3))
        .await
        .expect("close");
    reads(change.bill).await;
    let paid = paid_bill(&store, &account, &scarves("P-2", "1"), at(4)).await;
    reads(paid.clone()).await;
    let change = settle(&store, &settlement("JS-1", &paid, &[(1, "1", "5.00")]), 5)
        .await
        .expect("settle");
    let read = store.settlement(MerchantId(2), "JS-1").await.expect("read");
    assert_eq!(read, Some(change.record));
    let clerk = clerk("S001", "C1", "Wang");
    let batch = ClerkBatch::Add(vec![clerk.clone()]);
    let shops = erp_shops();
    store
        .sync_clerks(&shops, &batch, at(6))
        .await
        .expect("add clerk");
    let listed = store
        .clerks(&clerk.store_code, false)
        .await
        .expect("clerks");
    assert_eq!(
        listed.iter().map(|e| &e.stored.clerk).collect::<Vec<_>>(),
        vec![&clerk]
    );
    let mut data = master_data();
    data.merchants[1].name = "Renamed".into();
    store
        .import_master_data(&data, at(7))
        .await
        .expect("import");
    let merchants = store.master_data().await.expect("master data").merchants;
    assert!(
        merchants.iter().any(|m| m.name == "Renamed"),
        "{merchants:?}"
    );
    assert_eq!(
        all_events(&store).await.len(),
        3 + 2 + 1,
        "P-1, P-2 and the settlement"
    );
}

/// The pool gauges are consistent before, and after a burst of concurrent reads: something is
/// open, nothing idle that is not open, and nobody left waiting once the burst is over.
pub async fn pool_status_adds_up(store: Arc<dyn Store>) {
    let check = |when: &str| {
        let status = store.pool_status();
        assert!(status.max >= 1, "{when}: {status:?}");
        assert!(status.idle <= status.open, "{when}: {status:?}");
        assert_eq!(status.waiting, 0, "{when}: {status:?}");
        status
    };
    check("at start");
    let pings = race(32, |_| {
        let store = Arc::clone(&store);
        async move { store.ping().await }
    })
    .await;
    assert!(pings.iter().all(Result::is_ok));
    let after = check("after the burst");
    assert!(after.open >= 1, "a connection stays open: {after:?}");
}
