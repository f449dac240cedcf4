//! Racing clients through HTTP: the database, not a process's memory, decides. The same
//! scenarios run against one server on SQLite and against two server processes sharing one
//! PostgreSQL schema, the requests alternating between them.

use std::collections::BTreeSet;
use std::net::SocketAddr;

use crate::bodies::*;
use crate::http::{Answer, get, post};
use crate::pg::Schema;
use crate::server::{DEMO, Scratch, Server, run_ok};

/// Sends `count` requests at once, the `i`-th to `servers[i % len]` with the body `body(i)`.
async fn race(
    servers: &[SocketAddr],
    count: usize,
    path: &'static str,
    token: &'static str,
    body: impl Fn(usize) -> String,
) -> Vec<Answer> {
    let tasks: Vec<_> = (0..count)
        .map(|i| {
            let addr = servers[i % servers.len()];
            let body = body(i);
            tokio::spawn(async move { post(addr, path, token, &body).await })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

/// 50 identical AddOrUpdate at once make one bill; every server then finds that one.
async fn identical_requests_make_one_bill(servers: &[SocketAddr]) {
    let answers = race(servers, 50, ADD, CHANNEL_S001, |_| scarves("E2E-SAME", 1)).await;
    let numbers: BTreeSet<String> = answers
        .into_iter()
        .map(|answer| answer.expect(0).tag("BillNum"))
        .collect();
    assert_eq!(numbers.len(), 1, "{numbers:?}");
    for &addr in servers {
        let found = get(addr, &format!("{GET}?SenderBillNum=E2E-SAME"), CHANNEL_S001)
            .await
            .expect(0);
        assert!(numbers.contains(&found.tag("BillNum")));
    }
}

/// A paid bill of two scarves; answers its BillNum.
async fn paid_bill(addr: SocketAddr, sender: &str) -> String {
    let bill_num = post(addr, ADD, CHANNEL_S001, &scarves(sender, 2))
        .await
        .expect(0)
        .tag("BillNum");
    post(
        addr,
        PAY,
        CHANNEL_S001,
        &payment(&bill_num, "PAY-ALL", "198.00"),
    )
    .await
    .expect(0);
    bill_num
}

/// 20 settlements of one scarf each compete for a bill of two: exactly two win, the others are
/// refused as a double rebate, and every server reads the winners.
async fn settlements_never_over_settle(servers: &[SocketAddr]) {
    let sell = paid_bill(servers[0], "E2E-SETTLE").await;
    let answers = race(servers, 20, SETTLE, MERCHANT_2, |i| {
        settlement(&format!("CAL-{i}"), &sell, 1)
    })
    .await;
    let mut winners = Vec::new();
    for (i, answer) in answers.into_iter().enumerate() {
        match answer.errcode() {
            0 => winners.push(i),
            4003 => {}
            other => panic!("settlement {i}: errcode {other}: {:?}", answer.body),
        }
    }
    assert_eq!(winners.len(), 2, "winners: {winners:?}");
    for &addr in servers {
        for i in &winners {
            get(addr, &format!("{SETTLEMENT}?BillNum=CAL-{i}"), MERCHANT_2)
                .await
                .expect(0);
        }
    }
}

/// 20 payments of 50.00 compete for a bill of 198.00: exactly three fit.
async fn payments_never_over_pay(servers: &[SocketAddr]) {
    let bill_num = post(servers[0], ADD, CHANNEL_S001, &scarves("E2E-PAY", 2))
        .await
        .expect(0)
        .tag("BillNum");
    let answers = race(servers, 20, PAY, CHANNEL_S001, |i| {
        payment(&bill_num, &format!("PAY-{i}"), "50")
    })
    .await;
    let accepted = answers
        .iter()
        .filter(|answer| match answer.errcode() {
            0 => true,
            3004 => false,
            other => panic!("errcode {other}: {:?}", answer.body),
        })
        .count();
    assert_eq!(accepted, 3);
    for &addr in servers {
        let bill = get(addr, &format!("{GET}?BillNum={bill_num}"), CHANNEL_S001)
            .await
            .expect(0);
        assert_eq!(bill.tag("BillState"), "PartPaid");
        assert_eq!(decimal(&bill.body["tag"]["PaidAmount"]), "150.00");
    }
}

/// A decimal member as its digits, whether the answer wrote it as a number or a string.
fn decimal(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

async fn every_scenario(servers: &[SocketAddr]) {
    identical_requests_make_one_bill(servers).await;
    settlements_never_over_settle(servers).await;
    payments_never_over_pay(servers).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_server_on_sqlite() {
    let scratch = Scratch::new("race-sqlite");
    let url = scratch.sqlite_url();
    run_ok(&["import", DEMO, "--database", &url]);
    let server = Server::start(&url);
    every_scenario(&[server.addr]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_sharing_postgresql() {
    let schema = Schema::create("race").await;
    let url = schema.url();
    run_ok(&["import", DEMO, "--database", &url]);
    let first = Server::start(&url);
    let second = Server::start(&url);
    assert_ne!(first.pid(), second.pid());
    every_scenario(&[first.addr, second.addr]).await;
    drop((first, second));
    drop(schema);
}
