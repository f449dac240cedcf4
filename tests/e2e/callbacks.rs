//! The delivery worker of the real binary and the `posbridge callbacks` commands: the demo's
//! accounts have no `callbackUrl`, so their events are marked dead with that reason; an operator
//! lists them and schedules them again.

use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::bodies::*;
use crate::http::post;
use crate::server::{DEMO, Scratch, Server, posbridge, run_ok};

fn callbacks(args: &[&str], url: &str) -> Output {
    posbridge()
        .arg("callbacks")
        .args(args)
        .args(["--database", url])
        .output()
        .unwrap()
}

fn listed(args: &[&str], url: &str) -> Vec<Value> {
    let output = callbacks(&[&["list", "--json"], args].concat(), url);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    document["callbacks"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undeliverable_events_are_dead_then_listed_and_rescheduled() {
    let scratch = Scratch::new("callbacks");
    let url = scratch.sqlite_url();
    run_ok(&["import", DEMO, "--database", &url]);
    let server = Server::start(&url);
    let bill = post(server.addr, ADD, CHANNEL_S001, &scarves("CB-E2E", 1))
        .await
        .expect(0)
        .tag("BillNum");

    // The worker polls twice a second; give it time on a slow machine.
    let deadline = Instant::now() + Duration::from_secs(60);
    while listed(&["--status", "dead"], &url).is_empty() {
        assert!(Instant::now() < deadline, "the event never became dead");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.terminate();
    assert!(server.wait().success());

    let dead = listed(&["--status", "failed"], &url);
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0]["id"], "evt_1");
    assert_eq!(dead[0]["billNum"], bill.as_str());
    assert_eq!(dead[0]["attempts"], 1);
    assert_eq!(
        dead[0]["lastError"],
        "account ch-sunny-s001 has no callbackUrl"
    );

    let human = callbacks(&["list"], &url);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("evt_1  bill.created  ch-sunny-s001  dead  attempts 1"),
        "{text}"
    );

    let retried = callbacks(&["retry", "evt_1"], &url);
    assert!(retried.status.success());
    assert!(String::from_utf8_lossy(&retried.stdout).contains("scheduled 1 event(s)"));
    let again = listed(&["--bill", &bill], &url);
    assert_eq!(again[0]["status"], "pending", "scheduled again");
    assert_eq!(again[0]["attempts"], 1, "its attempt is kept");
    let by_bill = callbacks(&["retry", "--bill", &bill], &url);
    assert!(String::from_utf8_lossy(&by_bill.stdout).contains("scheduled 1 event(s)"));
    let since = callbacks(&["retry", "--since", "20000101"], &url);
    assert!(String::from_utf8_lossy(&since.stdout).contains("scheduled 1 event(s)"));

    for usage in [
        &["retry"][..],
        &["retry", "first"],
        &["retry", "--since", "yesterday"],
        &["list", "--status", "lost"],
    ] {
        assert_eq!(callbacks(usage, &url).status.code(), Some(2), "{usage:?}");
    }
}
