//! Receivers that fail for a while without answering: one that answers its first requests only
//! after the attempt timeout, and one whose port has nothing listening until it comes back. Each
//! still gets every event afterwards, in order per bill.

use tokio::net::TcpListener;

use super::*;

/// Every event of the store was accepted by the receiver, and no bill's sequence went back
/// among the accepted requests.
async fn every_event_accepted_in_order(app: &TestApp, inbox: &Shared) {
    let events = fixtures::all_events(&app.store).await;
    let mut expected: Vec<String> = events.iter().map(|e| e.wire_id()).collect();
    expected.sort();
    let mut accepted = Inbox::accepted_ids(inbox);
    let in_arrival = accepted.clone();
    accepted.sort();
    accepted.dedup();
    assert_eq!(accepted, expected, "every event accepted");
    let sequence_of: BTreeMap<String, (String, u32)> = events
        .iter()
        .map(|e| (e.wire_id(), (format!("{:?}", e.subject), e.sequence)))
        .collect();
    let mut last: BTreeMap<String, u32> = BTreeMap::new();
    for id in in_arrival {
        let (subject, sequence) = sequence_of[&id].clone();
        let previous = last.insert(subject.clone(), sequence).unwrap_or(0);
        assert!(
            sequence >= previous,
            "{subject}: {previous} then {sequence}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_times_out_at_first_gets_every_event() {
    let app = spawn().await;
    let (url, inbox) = receiver(0).await;
    {
        let mut inbox = inbox.lock().unwrap();
        inbox.stall = 3;
        inbox.stall_for = Duration::from_secs(30);
    }
    hook_accounts_to(&app, &url).await;
    create_and_pay(&app, "SLOW-1").await;
    create_and_pay(&app, "SLOW-2").await;

    let config = DeliveryConfig {
        attempt_timeout: Duration::from_millis(300),
        ..quick()
    };
    deliver_until_with(&app, config, |statuses| {
        statuses.len() == 6 && all_delivered(statuses)
    })
    .await;

    every_event_accepted_in_order(&app, &inbox).await;
    let events = fixtures::all_events(&app.store).await;
    let attempts: u32 = events.iter().map(|e| e.attempts).sum();
    assert_eq!(attempts, 6 + 3, "three attempts timed out, then one each");
    assert_eq!(inbox.lock().unwrap().received.len(), 6 + 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_down_for_a_while_gets_every_event_when_back() {
    let app = spawn().await;
    // A free port with nothing listening on it: attempts cannot connect.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    hook_accounts_to(&app, &format!("http://{addr}/hook")).await;
    create_and_pay(&app, "DOWN-1").await;
    create_and_pay(&app, "DOWN-2").await;

    let running = Running::start(&app, quick());
    let events = events_until(&app, |events| {
        events.len() == 6 && events.iter().any(|e| e.attempts >= 2)
    })
    .await;
    assert!(
        events.iter().all(|e| e.status != EventStatus::Delivered),
        "nothing is delivered while the receiver is down"
    );
    let failing = events
        .iter()
        .find(|e| e.attempts >= 2)
        .expect("an event tried twice");
    assert_eq!(failing.status, EventStatus::Failing);
    let error = failing.last_error.as_deref().unwrap_or("");
    assert!(error.starts_with("could not connect"), "{error}");

    // The receiver comes back on the same port.
    let inbox = Inbox::new(0);
    serve(TcpListener::bind(addr).await.unwrap(), &inbox);
    events_until(&app, |events| {
        all_delivered(&events.iter().map(|e| e.status).collect::<Vec<_>>())
    })
    .await;
    running.stop().await;
    every_event_accepted_in_order(&app, &inbox).await;
}
