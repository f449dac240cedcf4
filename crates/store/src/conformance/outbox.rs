//! History and outbox cases (CONTRACT §5, §9): one history entry and one event per change, in
//! order per bill; claiming, leases, attempts and operator retries.

use std::collections::BTreeSet;
use std::sync::Arc;

use posbridge_domain::ids::BillNum;
use posbridge_domain::sell_bill::{BillEventKind, BillRecord, BillState, SellBillError};

use super::fixtures::{
    ChannelAccount, all_events, at, by_num, ch_s001, ch_s002, changed, create, events_of, pay,
    refused, replayed, scarves, seed,
};
use crate::api::Store;
use crate::model::{
    AttemptVerdict, ClaimLimits, DeliveryAttempt, EventFilter, EventPayload, EventStatus,
    EventSubject, OutboxEvent, RetrySelector,
};

/// After create, update, pay, pay and close, the bill's history and its events are the five
/// changes in order: sequences 1 to 5, each event by the acting account, pending, carrying the
/// bill as it was right after that change; replays and refusals add nothing.
pub async fn history_and_events_follow_every_change(store: Arc<dyn Store>) {
    seed(&store).await;
    let (creator, payer) = (ch_s001(), ch_s002());
    let customer = creator.channel.customer.clone();
    let mut snapshots: Vec<BillRecord> = Vec::new();
    let bill = create(&store, &creator, &scarves("P-1", "1"), at(1)).await;
    snapshots.push(bill.clone());
    let update = store
        .add_or_update_bill(
            &creator.actor,
            &creator.channel,
            &scarves("P-1", "2"),
            at(2),
        )
        .await;
    snapshots.push(changed(update.expect("update"), BillEventKind::Updated));
    for (pay_num, seconds) in [("PAY-1", 3), ("PAY-2", 4)] {
        let change = pay(
            &store,
            &payer,
            &bill.bill_num,
            pay_num,
            Some("10.00"),
            at(seconds),
        )
        .await;
        snapshots.push(changed(change, BillEventKind::PaymentReceived));
    }
    let close = store
        .delete_or_close_bill(&creator.actor, &customer, &by_num(&bill.bill_num), at(5))
        .await;
    snapshots.push(changed(close.expect("close"), BillEventKind::Closed));
    let other = create(&store, &creator, &scarves("P-2", "1"), at(6)).await;

    // Replays and refusals write nothing.
    let replay = store
        .add_or_update_bill(
            &creator.actor,
            &creator.channel,
            &scarves("P-1", "2"),
            at(7),
        )
        .await;
    assert_eq!(
        refused(replay),
        SellBillError::DeletedOrClosed {
            bill_num: bill.bill_num.clone(),
            state: BillState::Closed,
        }
    );
    replayed(
        pay(
            &store,
            &payer,
            &bill.bill_num,
            "PAY-1",
            Some("10.00"),
            at(8),
        )
        .await,
    );
    let again = store
        .delete_or_close_bill(&creator.actor, &customer, &by_num(&bill.bill_num), at(9))
        .await;
    replayed(again.expect("repeated close"));

    let last = snapshots.last().expect("five changes").clone();
    let kinds = [
        BillEventKind::Created,
        BillEventKind::Updated,
        BillEventKind::PaymentReceived,
        BillEventKind::PaymentReceived,
        BillEventKind::Closed,
    ];
    let history: Vec<_> = last
        .history
        .iter()
        .map(|h| (h.sequence, h.event, h.version, h.state, h.at))
        .collect();
    use BillState::{Closed, Initial, PartPaid};
    let expected: Vec<_> = [
        (1, Initial),
        (2, Initial),
        (2, PartPaid),
        (2, PartPaid),
        (2, Closed),
    ]
    .into_iter()
    .zip(kinds)
    .zip(1..)
    .map(|(((version, state), kind), n)| (n, kind, version, state, at(i64::from(n))))
    .collect();
    assert_eq!(history, expected);

    let subject = EventSubject::Bill(bill.bill_num.clone());
    let events = events_of(&store, subject.clone()).await;
    assert_eq!(events.len(), 5, "{events:#?}");
    let actors = [
        "ch-s001-c001",
        "ch-s001-c001",
        "ch-s002-c001",
        "ch-s002-c001",
        "ch-s001-c001",
    ];
    for (i, event) in events.iter().enumerate() {
        let n = i + 1;
        assert_eq!(event.subject, subject);
        assert_eq!(event.sequence as usize, n);
        assert_eq!(event.kind, kinds[i].as_str(), "event {n}");
        assert_eq!(
            event.account_id, actors[i],
            "event {n} is by the acting account"
        );
        assert_eq!(event.occurred_at, at(n as i64));
        assert_eq!(event.status, EventStatus::Pending);
        assert_eq!(event.attempts, 0);
        assert_eq!((&event.last_status_code, &event.last_error), (&None, &None));
        let EventPayload::Bill(payload) = &event.payload else {
            panic!("event {n} carries a settlement: {:?}", event.payload);
        };
        assert_eq!(
            **payload, snapshots[i],
            "event {n} carries the bill right after the change"
        );
    }
    assert!(events.windows(2).all(|w| w[0].id < w[1].id), "ids increase");

    let all = all_events(&store).await;
    assert_eq!(all.len(), 6, "five for P-1, one for P-2");
    let others = events_of(&store, EventSubject::Bill(other.bill_num.clone())).await;
    assert_eq!(others.len(), 1);
    assert_eq!(
        (others[0].sequence, others[0].kind.as_str()),
        (1, "bill.created")
    );
    let none = events_of(&store, EventSubject::Bill(BillNum::new("NO-SUCH-BILL"))).await;
    assert_eq!(none, vec![]);
    let filtered = |statuses: Vec<EventStatus>, limit: u32| EventFilter {
        statuses,
        subject: Some(subject.clone()),
        limit,
    };
    let pending = store
        .events(&filtered(vec![EventStatus::Pending], 100))
        .await
        .expect("events");
    assert_eq!(pending, events);
    let delivered = store
        .events(&filtered(vec![EventStatus::Delivered], 100))
        .await
        .expect("events");
    assert_eq!(delivered, vec![]);
    let oldest = store.events(&filtered(vec![], 2)).await.expect("events");
    assert_eq!(oldest, events[..2].to_vec(), "a limit keeps the oldest");
}

async fn claim(store: &Arc<dyn Store>, now: i64, limit: u32) -> BTreeSet<(EventSubject, u32)> {
    claim_within(store, now, &ClaimLimits::new(limit)).await
}

async fn claim_within(
    store: &Arc<dyn Store>,
    now: i64,
    limits: &ClaimLimits,
) -> BTreeSet<(EventSubject, u32)> {
    let claimed = store
        .claim_due_events(at(now), at(now + 60), limits)
        .await
        .expect("claiming events");
    claimed
        .iter()
        .map(|e| (e.subject.clone(), e.sequence))
        .collect()
}

async fn record(store: &Arc<dyn Store>, event: &OutboxEvent, now: i64, next: AttemptVerdict) {
    let (status_code, error) = match next {
        AttemptVerdict::Delivered => (Some(200), None),
        AttemptVerdict::RetryAt(_) => (Some(500), Some("receiver answered 500".to_owned())),
        AttemptVerdict::Dead => (None, Some("connection refused".to_owned())),
    };
    let attempt = DeliveryAttempt {
        at: at(now),
        status_code,
        error,
        latency_ms: 12,
        next,
    };
    store
        .record_attempt(event.id, &attempt)
        .await
        .expect("recording an attempt");
}

async fn event(store: &Arc<dyn Store>, bill: &BillNum, sequence: u32) -> OutboxEvent {
    let events = events_of(store, EventSubject::Bill(bill.clone())).await;
    events
        .into_iter()
        .find(|e| e.sequence == sequence)
        .unwrap_or_else(|| panic!("event {sequence} of {bill}"))
}

fn key(bill: &BillNum, sequence: u32) -> (EventSubject, u32) {
    (EventSubject::Bill(bill.clone()), sequence)
}

/// Claims hand out only the oldest undelivered event of each bill, nothing not yet due, nothing
/// leased to an earlier claim until its lease ends, and nothing dead; attempts set the status and
/// schedule; operator retries reschedule undelivered events and count them.
pub async fn outbox_claims_in_order_per_bill(store: Arc<dyn Store>) {
    seed(&store).await;
    let account = ch_s001();
    let a = create(&store, &account, &scarves("P-A", "1"), at(1))
        .await
        .bill_num;
    let update = store
        .add_or_update_bill(
            &account.actor,
            &account.channel,
            &scarves("P-A", "2"),
            at(2),
        )
        .await;
    update.expect("update");
    pay(&store, &account, &a, "PAY-1", Some("1.00"), at(3)).await;
    let b = create(&store, &account, &scarves("P-B", "1"), at(4))
        .await
        .bill_num;
    // Bill C's event happens at second 200, after the first claims' "now".
    let c = create(&store, &account, &scarves("P-C", "1"), at(200))
        .await
        .bill_num;

    let oldest = || {
        let store = store.clone();
        async move { store.oldest_undelivered().await.expect("oldest") }
    };
    assert_eq!(oldest().await, Some(at(1)), "A1 waits longest");

    let first = claim(&store, 100, 1).await;
    assert_eq!(first.len(), 1, "a limit of 1 claims one event: {first:?}");
    let second = claim(&store, 100, 10).await;
    let both: BTreeSet<_> = first.union(&second).cloned().collect();
    assert_eq!(
        both,
        [key(&a, 1), key(&b, 1)].into(),
        "only the first event of each due bill"
    );
    assert_eq!(
        claim(&store, 101, 10).await,
        [].into(),
        "leased events are not claimed again"
    );

    record(
        &store,
        &event(&store, &a, 1).await,
        102,
        AttemptVerdict::Delivered,
    )
    .await;
    let a1 = event(&store, &a, 1).await;
    assert_eq!(
        (a1.status, a1.attempts, a1.last_status_code),
        (EventStatus::Delivered, 1, Some(200))
    );
    assert_eq!(
        claim(&store, 103, 10).await,
        [key(&a, 2)].into(),
        "delivery unblocks the next"
    );
    assert_eq!(oldest().await, Some(at(2)), "A1 is delivered; A2 is next");

    let a2 = event(&store, &a, 2).await;
    record(&store, &a2, 104, AttemptVerdict::RetryAt(at(300))).await;
    let a2 = event(&store, &a, 2).await;
    assert_eq!((a2.status, a2.attempts), (EventStatus::Failing, 1));
    assert_eq!(a2.next_attempt_at, at(300));
    assert_eq!(a2.last_status_code, Some(500));
    assert_eq!(a2.last_error.as_deref(), Some("receiver answered 500"));
    assert_eq!(
        claim(&store, 105, 10).await,
        [].into(),
        "a retry waits; its successors wait too"
    );

    assert_eq!(
        claim(&store, 170, 10).await,
        [key(&b, 1)].into(),
        "an expired lease frees B1"
    );
    record(
        &store,
        &event(&store, &b, 1).await,
        171,
        AttemptVerdict::Dead,
    )
    .await;
    let b1 = event(&store, &b, 1).await;
    assert_eq!((b1.status, b1.attempts), (EventStatus::Dead, 1));

    assert_eq!(
        claim(&store, 250, 10).await,
        [key(&c, 1)].into(),
        "C is due, B1 is dead"
    );
    record(
        &store,
        &event(&store, &c, 1).await,
        251,
        AttemptVerdict::Delivered,
    )
    .await;
    assert_eq!(
        claim(&store, 300, 10).await,
        [key(&a, 2)].into(),
        "the retry is due"
    );
    record(
        &store,
        &event(&store, &a, 2).await,
        301,
        AttemptVerdict::Delivered,
    )
    .await;
    assert_eq!(claim(&store, 302, 10).await, [key(&a, 3)].into());
    record(
        &store,
        &event(&store, &a, 3).await,
        303,
        AttemptVerdict::Delivered,
    )
    .await;
    let a2 = event(&store, &a, 2).await;
    assert_eq!((a2.status, a2.attempts), (EventStatus::Delivered, 2));
    assert_eq!(
        claim(&store, 10_000, 10).await,
        [].into(),
        "dead and delivered are never claimed"
    );
    assert_eq!(oldest().await, None, "nothing waits: delivered or dead");

    // Operator retries.
    let b1 = event(&store, &b, 1).await;
    let retry = |selector: RetrySelector, now: i64| {
        let store = store.clone();
        async move { store.retry_events(&selector, at(now)).await.expect("retry") }
    };
    assert_eq!(retry(RetrySelector::Event(b1.id), 400).await, 1);
    assert_eq!(event(&store, &b, 1).await.next_attempt_at, at(400));
    assert_ne!(event(&store, &b, 1).await.status, EventStatus::Delivered);
    assert_eq!(
        claim(&store, 400, 10).await,
        [key(&b, 1)].into(),
        "a retried dead event is due"
    );
    record(
        &store,
        &event(&store, &b, 1).await,
        401,
        AttemptVerdict::RetryAt(at(5_000)),
    )
    .await;
    assert_eq!(event(&store, &b, 1).await.status, EventStatus::Failing);
    assert_eq!(
        retry(RetrySelector::Event(a1.id), 402).await,
        1,
        "a delivered event named by id is replayed"
    );
    let replay = event(&store, &a, 1).await;
    assert_eq!((replay.id, replay.status), (a1.id, EventStatus::Pending));
    assert_eq!(claim(&store, 402, 10).await, [key(&a, 1)].into());
    record(&store, &replay, 402, AttemptVerdict::Delivered).await;
    assert_eq!(event(&store, &a, 1).await.attempts, 2);
    assert_eq!(
        retry(RetrySelector::Event(i64::MAX), 402).await,
        0,
        "no such event"
    );
    assert_eq!(retry(RetrySelector::Bill(a.clone()), 403).await, 0);
    assert_eq!(retry(RetrySelector::Bill(b.clone()), 500).await, 1);
    assert_eq!(event(&store, &b, 1).await.next_attempt_at, at(500));
    assert_eq!(claim(&store, 500, 10).await, [key(&b, 1)].into());

    let d = create(&store, &account, &scarves("P-D", "1"), at(600))
        .await
        .bill_num;
    let update = store
        .add_or_update_bill(
            &account.actor,
            &account.channel,
            &scarves("P-D", "2"),
            at(601),
        )
        .await;
    update.expect("update");
    assert_eq!(
        retry(RetrySelector::Since(at(600)), 700).await,
        2,
        "D's two events"
    );
    assert_eq!(retry(RetrySelector::Since(at(601)), 700).await, 1);
    assert_eq!(
        retry(RetrySelector::Since(at(0)), 800).await,
        3,
        "B1 and D's two events"
    );
    assert_eq!(retry(RetrySelector::Since(at(10_000)), 800).await, 0);
    let d2 = event(&store, &d, 2).await;
    assert_eq!(
        (d2.next_attempt_at, d2.status),
        (at(800), EventStatus::Pending)
    );
    let due = claim(&store, 800, 10).await;
    assert_eq!(
        due,
        [key(&b, 1), key(&d, 1)].into(),
        "D2 still waits for D1"
    );
    let statuses: Vec<EventStatus> = all_events(&store).await.iter().map(|e| e.status).collect();
    let n_delivered = statuses
        .iter()
        .filter(|s| **s == EventStatus::Delivered)
        .count();
    assert_eq!((statuses.len(), n_delivered), (7, 4));
    // The aggregate counts agree with the events, status by status.
    let counts = store.event_counts().await.expect("counts");
    for status in EventStatus::ALL {
        let listed = statuses.iter().filter(|s| **s == status).count() as u64;
        assert!(counts.contains(&(status, listed)), "{status:?}: {counts:?}");
    }
}

/// A claim takes at most `per_account` events of one account, counting those the caller has in
/// flight, oldest first, and passes over an account with no room; the total limit holds too.
pub async fn outbox_claims_within_account_limits(store: Arc<dyn Store>) {
    seed(&store).await;
    let (one, two) = (ch_s001(), ch_s002());
    let mut xs = Vec::new();
    for n in 1..=4 {
        let bill = create(&store, &one, &scarves(&format!("X-{n}"), "1"), at(n)).await;
        xs.push(bill.bill_num);
    }
    let mut ys = Vec::new();
    for n in 5..=6 {
        let bill = create(&store, &two, &scarves(&format!("Y-{n}"), "1"), at(n)).await;
        ys.push(bill.bill_num);
    }
    let limits = |total: u32, per_account: u32, busy: &[(&ChannelAccount, u32)]| ClaimLimits {
        total,
        per_account,
        in_flight: busy
            .iter()
            .map(|(account, n)| (account.actor.account_id.clone(), *n))
            .collect(),
    };
    let first = |bills: &[BillNum]| -> Vec<(EventSubject, u32)> {
        bills.iter().map(|bill| key(bill, 1)).collect()
    };
    // Each round starts after the previous round's leases (60 s) ran out.
    let everything: BTreeSet<_> = first(&xs).into_iter().chain(first(&ys)).collect();
    assert_eq!(
        claim_within(&store, 100, &limits(10, 10, &[])).await,
        everything,
        "within the limits every due event"
    );
    let expected: BTreeSet<_> = first(&xs[..2]).into_iter().chain(first(&ys)).collect();
    assert_eq!(
        claim_within(&store, 200, &limits(10, 2, &[])).await,
        expected,
        "the two oldest of each account"
    );
    let expected: BTreeSet<_> = first(&xs[..1]).into_iter().chain(first(&ys[..1])).collect();
    assert_eq!(
        claim_within(&store, 300, &limits(10, 2, &[(&one, 1), (&two, 1)])).await,
        expected,
        "events in flight count against the limit"
    );
    assert_eq!(
        claim_within(&store, 400, &limits(10, 2, &[(&one, 2), (&two, 0)])).await,
        first(&ys).into_iter().collect(),
        "a full account is passed over"
    );
    assert_eq!(
        claim_within(&store, 500, &limits(10, 2, &[(&one, 5), (&two, 2)])).await,
        BTreeSet::new(),
        "every account is full"
    );
    assert_eq!(
        claim_within(&store, 600, &limits(3, 2, &[])).await,
        first(&xs[..2]).into_iter().chain(first(&ys[..1])).collect(),
        "the total limit takes the oldest"
    );
}
