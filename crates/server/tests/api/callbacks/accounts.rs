//! One account's receiver black-holes requests (accepts the connection, never answers): the
//! worker gives that account only its per-account share of attempts, and every event of another
//! account is delivered while those attempts still hang.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::net::TcpListener;

use super::*;

/// A loopback listener that accepts connections and keeps them open without reading or
/// answering; counts the connections. Aborting its task closes them all.
struct BlackHole {
    url: String,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl BlackHole {
    async fn open() -> BlackHole {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                held.push(stream);
            }
        });
        BlackHole {
            url,
            accepted,
            task,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_black_holed_account_never_delays_another() {
    let app = spawn().await;
    let hole = BlackHole::open().await;
    let (good_url, inbox) = receiver(0).await;
    let hole_url = hole.url.clone();
    // Account A (ch-s001-c001) black-holes; account B (ch-s002-c001) answers at once.
    hook_accounts(&app, true, &|account| match account {
        "ch-s001-c001" => Some(hole_url.clone()),
        "ch-s002-c001" => Some(good_url.clone()),
        _ => None,
    })
    .await;
    // A's events are older, so a claim in id order alone would give A every slot.
    const A_BILLS: usize = 12;
    for n in 0..A_BILLS {
        create(&app, CH_S001, &format!("HOLE-{n}")).await;
    }
    let mut b_bills = Vec::new();
    for n in 0..3 {
        b_bills.push(create(&app, CH_S002, &format!("GOOD-{n}")).await);
    }

    // Fewer slots than A has events, and attempts that outlast the test's deadline: without a
    // per-account limit, B would wait for A's attempts to time out.
    let config = DeliveryConfig {
        concurrency: 10,
        account_concurrency: 4,
        attempt_timeout: Duration::from_secs(120),
        ..quick()
    };
    let running = Running::start(&app, config);
    let events = events_until(&app, |events| {
        events
            .iter()
            .filter(|e| e.account_id == "ch-s002-c001")
            .all(|e| e.status == EventStatus::Delivered)
            && hole.accepted() == 4
    })
    .await;

    // A's attempts hang right now: four connections open, not one of A's events settled.
    assert_eq!(hole.accepted(), 4, "A holds only its share of the slots");
    let a_events: Vec<_> = events
        .iter()
        .filter(|e| e.account_id == "ch-s001-c001")
        .collect();
    assert_eq!(a_events.len(), A_BILLS);
    assert!(
        a_events
            .iter()
            .all(|e| e.status == EventStatus::Pending && e.attempts == 0),
        "no attempt of A has ended: {a_events:?}"
    );
    let b_ids: Vec<String> = events
        .iter()
        .filter(|e| e.account_id == "ch-s002-c001")
        .map(|e| e.wire_id())
        .collect();
    assert_eq!(b_ids.len(), b_bills.len());
    let mut accepted = Inbox::accepted_ids(&inbox);
    accepted.sort();
    let mut expected = b_ids.clone();
    expected.sort();
    assert_eq!(accepted, expected, "B got each of its events once");
    for (headers, body) in &inbox.lock().unwrap().received {
        let outcome = verify(
            b"ch-s002-c001-secret",
            header(headers, TIMESTAMP_HEADER),
            header(headers, SIGNATURE_HEADER),
            body,
            (fixtures::T0_MS + 7_200_000) / 1000,
            600,
        );
        assert_eq!(outcome, Ok(()), "signed with B's secret");
    }

    // Closing the black hole ends A's attempts (they fail), so the worker can stop.
    hole.task.abort();
    running.stop().await;
    let events = fixtures::all_events(&app.store).await;
    let attempted = events
        .iter()
        .filter(|e| e.account_id == "ch-s001-c001" && e.attempts > 0)
        .count();
    assert!(attempted >= 4, "A's hung attempts are recorded as failed");
}
