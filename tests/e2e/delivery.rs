//! Callback delivery of the real binary across crashes and processes (CONTRACT §9, §11): events
//! of every acknowledged operation reach a receiver in the test process, signed, in order per
//! bill, after a SIGKILL amid hanging attempts and a restart on SQLite, after one of two PostgreSQL servers is killed,
//! and once each when two servers share one schema and the receiver answers promptly; a
//! delivered event is replayed on demand with its own id.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use posbridge_protocol::callback::{SIGNATURE_HEADER, TIMESTAMP_HEADER, verify};
use serde_json::Value;

use crate::bodies::*;
use crate::http::{get, post, send};
use crate::pg::Schema;
use crate::receiver::{Receiver, Request};
use crate::server::{DEMO, Scratch, Server, run_ok};

const ADMIN: &str = "e2e-admin-token";

/// The servers' environment: an admin token and retries 100 ms apart at first.
const ENV: &[(&str, &str)] = &[
    ("POSBRIDGE_ADMIN_TOKEN", ADMIN),
    ("POSBRIDGE_CALLBACK_RETRY_BASE_MS", "100"),
];

/// How long a wait may take before the test fails: generous, as leases of attempts cut short by
/// a SIGKILL run 30 s before their events are claimed again.
const PATIENCE: Duration = Duration::from_secs(150);

/// The demo master data with every channel and merchant account calling back `url`, signed with
/// `<account>-secret`; imported into `database`.
fn import_with_callbacks(scratch: &Scratch, database: &str, url: &str) {
    let mut data: Value = serde_json::from_str(&std::fs::read_to_string(DEMO).unwrap()).unwrap();
    for account in data["accounts"].as_array_mut().unwrap() {
        if matches!(account["kind"].as_str(), Some("channel" | "merchant")) {
            let secret = format!("{}-secret", account["id"].as_str().unwrap());
            account["callbackUrl"] = Value::from(url);
            account["callbackSecret"] = Value::from(secret);
        }
    }
    let path = scratch.path("master-data.json");
    std::fs::write(&path, serde_json::to_vec(&data).unwrap()).unwrap();
    run_ok(&["import", path.to_str().unwrap(), "--database", database]);
}

/// Bill `sender` of one scarf paid in two parts, then, for every fourth bill, a settlement of
/// merchant 2 over it, each through `addr`; answers how many events the operations wrote.
async fn operations(addr: SocketAddr, sender: &str, settle: bool) -> usize {
    let bill = post(addr, ADD, CHANNEL_S001, &scarves(sender, 1))
        .await
        .expect(0)
        .tag("BillNum");
    for (pay_num, amount) in [("PAY-A", "50"), ("PAY-B", "49")] {
        post(addr, PAY, CHANNEL_S001, &payment(&bill, pay_num, amount))
            .await
            .expect(0);
    }
    if settle {
        post(
            addr,
            SETTLE,
            MERCHANT_2,
            &settlement(&format!("CAL-{sender}"), &bill, 1),
        )
        .await
        .expect(0);
        4
    } else {
        3
    }
}

/// Runs `count` rounds of [`operations`], the `i`-th through `servers[i % len]`.
async fn submit(servers: &[SocketAddr], prefix: &str, count: usize) -> usize {
    let mut events = 0;
    for i in 0..count {
        let addr = servers[i % servers.len()];
        events += operations(addr, &format!("{prefix}-{i}"), i % 4 == 0).await;
    }
    events
}

/// The outbox as the admin API lists it.
async fn listed(addr: SocketAddr) -> Vec<Value> {
    let answer = get(addr, "/admin/v1/callbacks?limit=1000", ADMIN).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    answer.body["callbacks"].as_array().unwrap().clone()
}

/// Waits until the outbox holds `expected` events, each delivered, and the receiver accepted
/// every one of them; answers their ids.
async fn every_event_delivered(
    addr: SocketAddr,
    receiver: &Receiver,
    expected: usize,
) -> Vec<String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let events = listed(addr).await;
        let ids: Vec<String> = events
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect();
        let accepted: BTreeSet<String> = receiver
            .requests()
            .iter()
            .filter(|r| r.accepted)
            .map(|r| r.json()["id"].as_str().unwrap().to_owned())
            .collect();
        let done = events.len() == expected
            && events.iter().all(|e| e["status"] == "delivered")
            && ids.iter().all(|id| accepted.contains(id));
        if done {
            return ids;
        }
        let statuses: BTreeMap<String, usize> = events.iter().fold(BTreeMap::new(), |mut n, e| {
            *n.entry(e["status"].as_str().unwrap().to_owned())
                .or_default() += 1;
            n
        });
        assert!(
            Instant::now() < deadline,
            "{} of {expected} events listed, by status {statuses:?}; {} accepted",
            events.len(),
            accepted.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until the receiver has seen at least `n` requests.
async fn requests_arrive(receiver: &Receiver, n: usize) {
    let deadline = Instant::now() + PATIENCE;
    while receiver.count() < n {
        assert!(
            Instant::now() < deadline,
            "only {} requests arrived",
            receiver.count()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Checks every request: signed with its account's secret, its header id the body's; among the
/// first acceptances of each event, no bill's or settlement's sequence goes back.
fn check_requests(requests: &[Request]) {
    let mut first_seen = BTreeSet::new();
    let mut last: BTreeMap<String, u64> = BTreeMap::new();
    for request in requests {
        let event = request.json();
        let account = event["account"].as_str().unwrap();
        let outcome = verify(
            format!("{account}-secret").as_bytes(),
            request.header(&TIMESTAMP_HEADER.to_ascii_lowercase()),
            request.header(&SIGNATURE_HEADER.to_ascii_lowercase()),
            &request.body,
            now_secs(),
            3600,
        );
        assert_eq!(outcome, Ok(()), "signed with {account}'s secret");
        let id = event["id"].as_str().unwrap().to_owned();
        assert_eq!(request.header("x-posbridge-event-id"), Some(id.as_str()));
        if !request.accepted || !first_seen.insert(id.clone()) {
            continue;
        }
        let kind = event["type"].as_str().unwrap();
        let subject = format!(
            "{} {}",
            kind.split('.').next().unwrap(),
            event["data"]["BillNum"].as_str().unwrap()
        );
        let sequence = event["sequence"].as_u64().unwrap();
        let previous = last.insert(subject.clone(), sequence).unwrap_or(0);
        assert!(
            sequence > previous,
            "{subject}: {previous} then {sequence} ({id})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkill_and_restart_on_sqlite_lose_no_event() {
    let scratch = Scratch::new("delivery-kill");
    let url = scratch.sqlite_url();
    let receiver = Receiver::start(true).await;
    // The first attempts hang (the process dies in the middle of them, their leases must run
    // out); the others are refused.
    receiver.stall(3);
    import_with_callbacks(&scratch, &url, &receiver.url);
    let server = Server::start_with(&url, ENV);
    let mut expected = submit(&[server.addr], "KILL", 10).await;
    // Deliveries are in flight, pending and failing when the process dies.
    requests_arrive(&receiver, 20).await;
    server.kill();

    receiver.set_refusing(false);
    let server = Server::start_with(&url, ENV);
    expected += submit(&[server.addr], "AFTER", 2).await;
    every_event_delivered(server.addr, &receiver, expected).await;
    check_requests(&receiver.requests());
    server.terminate();
    assert!(server.wait().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_postgresql_lose_no_event_when_one_is_killed() {
    let scratch = Scratch::new("delivery-pg-kill");
    let schema = Schema::create("delivery_kill").await;
    let url = schema.url();
    let receiver = Receiver::start(true).await;
    import_with_callbacks(&scratch, &url, &receiver.url);
    let first = Server::start_with(&url, ENV);
    let second = Server::start_with(&url, ENV);
    let mut expected = submit(&[first.addr, second.addr], "PGKILL", 10).await;
    requests_arrive(&receiver, 20).await;
    first.kill();

    receiver.set_refusing(false);
    let restarted = Server::start_with(&url, ENV);
    expected += submit(&[restarted.addr, second.addr], "PGAFTER", 2).await;
    every_event_delivered(second.addr, &receiver, expected).await;
    check_requests(&receiver.requests());
    drop((restarted, second));
    drop(schema);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_postgresql_deliver_each_event_once_and_replay_on_demand() {
    let scratch = Scratch::new("delivery-pg-once");
    let schema = Schema::create("delivery_once").await;
    let url = schema.url();
    let receiver = Receiver::start(false).await;
    import_with_callbacks(&scratch, &url, &receiver.url);
    let first = Server::start_with(&url, ENV);
    let second = Server::start_with(&url, ENV);
    let servers = [first.addr, second.addr];
    let expected = submit(&servers, "ONCE", 12).await;
    let ids = every_event_delivered(first.addr, &receiver, expected).await;
    let requests = receiver.requests();
    check_requests(&requests);
    let mut received: Vec<String> = requests
        .iter()
        .map(|r| r.json()["id"].as_str().unwrap().to_owned())
        .collect();
    received.sort();
    let mut unique = received.clone();
    unique.dedup();
    assert_eq!(received.len(), unique.len(), "no event delivered twice");
    assert_eq!(unique.len(), ids.len());

    // An operator replays a delivered event: it arrives again with the same id and body.
    let replayed = &ids[ids.len() / 2];
    let original = requests
        .iter()
        .find(|r| r.json()["id"] == replayed.as_str())
        .unwrap()
        .clone();
    let path = format!("/admin/v1/callbacks/{replayed}/retry");
    let answer = send(second.addr, "POST", &path, ADMIN, None).await.unwrap();
    assert_eq!(answer.body["scheduled"], 1, "{:?}", answer.body);
    requests_arrive(&receiver, requests.len() + 1).await;
    let again = receiver.requests()[requests.len()].clone();
    assert_eq!(
        again.header("x-posbridge-event-id"),
        Some(replayed.as_str())
    );
    assert_eq!(again.json(), original.json(), "the same event");
    check_requests(&receiver.requests());
    every_event_delivered(first.addr, &receiver, expected).await;
    drop((first, second));
    drop(schema);
}
