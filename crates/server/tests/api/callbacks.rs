//! Callback delivery (CONTRACT §9) to a real HTTP receiver on loopback: every event arrives
//! signed with its account's secret, in sequence order per bill, and a receiver that fails for a
//! while still gets every event afterwards; the store records each attempt. The submodules add
//! receivers that time out, are down for a while, or black-hole one account's requests.

mod accounts;
mod outages;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use posbridge_domain::calendar::Timestamp;
use posbridge_protocol::callback::{SIGNATURE_HEADER, TIMESTAMP_HEADER, verify};
use posbridge_server::clock::{Clock, SystemClock};
use posbridge_server::delivery::{DeliveryConfig, Schedule, Worker};
use posbridge_store::conformance::fixtures;
use posbridge_store::model::{EventStatus, OutboxEvent};
use serde_json::Value;
use tokio::sync::watch;

use crate::helpers::*;

/// What the receiver got: one entry per request, with its headers and body.
#[derive(Default)]
struct Inbox {
    received: Vec<(HeaderMap, Bytes)>,
    /// Requests still to refuse with 503 before accepting.
    refuse: usize,
    /// Requests still to stall (answer only after `stall_for`) before answering at once.
    stall: usize,
    stall_for: Duration,
}

type Shared = Arc<Mutex<Inbox>>;

impl Inbox {
    fn new(refuse: usize) -> Shared {
        Arc::new(Mutex::new(Inbox {
            refuse,
            ..Inbox::default()
        }))
    }

    /// The event ids of the requests answered with a 2xx, in order of arrival.
    fn accepted_ids(inbox: &Shared) -> Vec<String> {
        let inbox = inbox.lock().unwrap();
        inbox
            .received
            .iter()
            .filter_map(|(headers, _)| header(headers, "x-accepted").map(str::to_owned))
            .collect()
    }
}

async fn receive(State(inbox): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let (stall, status) = {
        let mut inbox = inbox.lock().unwrap();
        let stall = (inbox.stall > 0).then(|| {
            inbox.stall -= 1;
            inbox.stall_for
        });
        let status = if inbox.refuse > 0 {
            inbox.refuse -= 1;
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::NO_CONTENT
        };
        let mut headers = headers;
        // Marks the answered requests (a stalled one is recorded only if it gets its answer out).
        if status.is_success() && stall.is_none() {
            let id = header(&headers, "x-posbridge-event-id")
                .unwrap_or("")
                .to_owned();
            headers.insert("x-accepted", id.parse().unwrap());
        }
        inbox.received.push((headers, body));
        (stall, status)
    };
    if let Some(stall_for) = stall {
        tokio::time::sleep(stall_for).await;
    }
    status
}

/// Serves `inbox` on `listener`.
fn serve(listener: tokio::net::TcpListener, inbox: &Shared) -> String {
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(Arc::clone(inbox));
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/hook")
}

/// A receiver on a free loopback port refusing its first `refuse` requests; answers its URL.
async fn receiver(refuse: usize) -> (String, Shared) {
    let inbox = Inbox::new(refuse);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    (serve(listener, &inbox), inbox)
}

/// Points every account's callback at `url`, keeping the fixture's secrets.
async fn hook_accounts_to(app: &TestApp, url: &str) {
    hook_accounts(app, false, &|_| Some(url.to_owned())).await;
}

/// Points each account that has a callback at `url_of(account)`; with `add`, a channel account
/// without one gets one too, signed with `<account>-secret`.
async fn hook_accounts(app: &TestApp, add: bool, url_of: &dyn Fn(&str) -> Option<String>) {
    let mut data = fixtures::master_data();
    for account in &mut data.accounts {
        if let Some([n, ..]) = account.token_sha256 {
            account.token_sha256 = Some(token_hash(&format!("token-{n}")));
        }
        let Some(url) = url_of(&account.id) else {
            continue;
        };
        match &mut account.callback {
            Some(callback) => callback.url = url,
            None if add && account.id.starts_with("ch-") => {
                account.callback = Some(posbridge_domain::master::Callback {
                    url,
                    secret: Some(format!("{}-secret", account.id)),
                });
            }
            None => {}
        }
    }
    app.store
        .import_master_data(&data, fixtures::at(1))
        .await
        .unwrap();
}

/// The system clock moved back to two hours after the fixtures' events, so the events are young
/// and retries fall due as real time passes.
struct FixtureTime {
    shift_ms: i64,
}

impl FixtureTime {
    fn new() -> FixtureTime {
        FixtureTime {
            shift_ms: fixtures::T0_MS + 7_200_000 - SystemClock.now().0,
        }
    }
}

impl Clock for FixtureTime {
    fn now(&self) -> Timestamp {
        Timestamp(SystemClock.now().0 + self.shift_ms)
    }
}

/// The worker's configuration in these tests: short retry delays and polls.
fn quick() -> DeliveryConfig {
    DeliveryConfig {
        schedule: Schedule {
            base: Duration::from_millis(20),
            ..Schedule::default()
        },
        idle_poll: Duration::from_millis(10),
        ..DeliveryConfig::default()
    }
}

/// A worker running over the app's store.
struct Running {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    fn start(app: &TestApp, config: DeliveryConfig) -> Running {
        let worker = Worker::new(
            Arc::clone(&app.store),
            Arc::new(FixtureTime::new()),
            posbridge_protocol::time_text::UtcOffset::CHINA,
            config,
        )
        .unwrap();
        let (stop, stopped) = watch::channel(false);
        Running {
            stop,
            task: tokio::spawn(worker.run(stopped)),
        }
    }

    /// Stops the worker and waits for its attempts in flight.
    async fn stop(self) {
        self.stop.send(true).unwrap();
        self.task.await.unwrap();
    }
}

/// Waits until `done` holds of the store's events (or a minute passes, which fails the test);
/// answers the events.
async fn events_until(app: &TestApp, done: impl Fn(&[OutboxEvent]) -> bool) -> Vec<OutboxEvent> {
    let mut events = Vec::new();
    for _ in 0..6000 {
        events = fixtures::all_events(&app.store).await;
        if done(&events) {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let statuses: Vec<_> = events
        .iter()
        .map(|e| (e.id, e.status, e.attempts))
        .collect();
    panic!("the events never got there: {statuses:?}");
}

/// Runs a worker configured by `config` until `done` holds of the store's events' statuses,
/// then stops it.
async fn deliver_until_with(
    app: &TestApp,
    config: DeliveryConfig,
    done: impl Fn(&[EventStatus]) -> bool,
) {
    let running = Running::start(app, config);
    events_until(app, |events| {
        done(&events.iter().map(|e| e.status).collect::<Vec<_>>())
    })
    .await;
    running.stop().await;
}

/// Runs a worker with short delays until `done` holds of the store's events' statuses (or a
/// minute passes, which fails the test), then stops it.
async fn deliver_until(app: &TestApp, done: impl Fn(&[EventStatus]) -> bool) {
    deliver_until_with(app, quick(), done).await;
}

/// Whether every one of `events` is delivered.
fn all_delivered(events: &[EventStatus]) -> bool {
    !events.is_empty() && events.iter().all(|s| *s == EventStatus::Delivered)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Creates bill `sender` (one scarf) as the account of `token`; answers its bill number.
async fn create(app: &TestApp, token: &str, sender: &str) -> String {
    let body = body_as::<posbridge_protocol::dto::PosSellFromWebInterfaceParm>(
        JSON,
        &scarves(sender, "1", "99.00"),
    );
    let answer = app
        .post("/api/Pos/Sell/Bill/AddOrUpdate", Some(token), JSON, body)
        .await;
    answer
        .envelope::<posbridge_protocol::dto::PosSellFromWebInterfaceResult>()
        .tag
        .and_then(|t| t.bill_num)
        .unwrap()
}

async fn create_and_pay(app: &TestApp, sender: &str) -> String {
    let body = body_as::<posbridge_protocol::dto::PosSellFromWebInterfaceParm>(
        JSON,
        &scarves(sender, "2", "99.00"),
    );
    let answer = app
        .post("/api/Pos/Sell/Bill/AddOrUpdate", Some(CH_S001), JSON, body)
        .await;
    let bill_num = answer
        .envelope::<posbridge_protocol::dto::PosSellFromWebInterfaceResult>()
        .tag
        .and_then(|t| t.bill_num)
        .unwrap();
    for (pay_num, amount) in [("P1", "50"), ("P2", "148")] {
        let pay =
            format!(r#"{{"BillNum":"{bill_num}","PayNum":"{pay_num}","PayAmount":{amount}}}"#);
        let body = body_as::<posbridge_protocol::dto::PosSellPayBillParm>(JSON, &pay);
        app.post("/api/Pos/Sell/Bill/PayBill", Some(CH_S001), JSON, body)
            .await
            .expect(200, 0);
    }
    bill_num
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_arrive_signed_in_order_and_survive_a_failing_receiver() {
    let app = spawn().await;
    let (url, inbox) = receiver(4).await;
    hook_accounts_to(&app, &url).await;
    let bills = [
        create_and_pay(&app, "CB-1").await,
        create_and_pay(&app, "CB-2").await,
    ];

    deliver_until(&app, |statuses| {
        statuses.len() == 6 && statuses.iter().all(|s| *s == EventStatus::Delivered)
    })
    .await;

    let received = std::mem::take(&mut inbox.lock().unwrap().received);
    assert_eq!(received.len(), 6 + 4, "six events, four refused attempts");
    let mut accepted: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut last_seen: BTreeMap<String, u64> = BTreeMap::new();
    for (headers, body) in &received {
        let outcome = verify(
            b"ch-secret",
            header(headers, TIMESTAMP_HEADER),
            header(headers, SIGNATURE_HEADER),
            body,
            (fixtures::T0_MS + 7_200_000) / 1000,
            600,
        );
        assert_eq!(outcome, Ok(()), "signed with the account's secret");
        let event: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(event["account"], "ch-s001-c001");
        assert_eq!(
            header(headers, "x-posbridge-event-id"),
            event["id"].as_str()
        );
        let bill = event["data"]["BillNum"].as_str().unwrap().to_owned();
        let sequence = event["sequence"].as_u64().unwrap();
        // Never an event before an earlier one of its bill is acknowledged.
        let previous = last_seen.insert(bill.clone(), sequence).unwrap_or(0);
        assert!(
            sequence == previous || sequence == previous + 1,
            "{bill}: {previous} then {sequence}"
        );
        accepted.entry(bill).or_default().push(sequence);
    }
    for bill in &bills {
        let mut sequences = accepted[bill].clone();
        sequences.dedup();
        assert_eq!(sequences, vec![1, 2, 3], "{bill}: created, part paid, paid");
    }
    let events = fixtures::all_events(&app.store).await;
    let attempts: u32 = events.iter().map(|e| e.attempts).sum();
    assert_eq!(attempts, 10, "every attempt is recorded");
    assert!(events.iter().all(|e| e.last_status_code == Some(204)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_an_account_without_callback_url_are_dead_at_once() {
    let app = spawn().await;
    let (url, inbox) = receiver(0).await;
    hook_accounts_to(&app, &url).await;
    // ch-s002-c001 has no callbackUrl in the fixture.
    let body = body_as::<posbridge_protocol::dto::PosSellFromWebInterfaceParm>(
        JSON,
        &scarves("CB-NONE", "1", "99.00"),
    );
    app.post("/api/Pos/Sell/Bill/AddOrUpdate", Some(CH_S002), JSON, body)
        .await
        .expect(200, 0);
    deliver_until(&app, |statuses| statuses == [EventStatus::Dead]).await;
    assert!(inbox.lock().unwrap().received.is_empty());
    let events = fixtures::all_events(&app.store).await;
    assert_eq!(
        events[0].last_error.as_deref(),
        Some("account ch-s002-c001 has no callbackUrl")
    );
}
