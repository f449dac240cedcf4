//! Durability: a writer process is killed with SIGKILL at a random moment; every bill it reported
//! as acknowledged must be in the reopened SQLite database, exactly once, and the database must
//! pass SQLite's integrity check. Repeated several times per run.

// A test: failures panic; the clock only makes names unique and the kill moment vary.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

#[path = "../benches/support/fixture.rs"]
#[allow(dead_code)]
mod fixture;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::ids::{BillNum, SenderBillNum};
use posbridge_domain::sell_bill::BillRef;
use posbridge_store::Store;
use posbridge_store::model::BillQuery;
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};

const ROUNDS: usize = 5;

fn scratch_db(round: usize) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    std::env::temp_dir().join(format!(
        "posbridge-durability-{}-{round}-{nanos}.db",
        std::process::id()
    ))
}

/// A pseudo-random number from the clock: the kill moment only needs to vary between runs.
fn random_below(bound: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mixed = (nanos as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(29);
    mixed % bound
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_bills_survive_sigkill() {
    for round in 0..ROUNDS {
        let path = scratch_db(round);
        {
            let store = SqliteStore::open(&path, SqliteOptions::default())
                .await
                .unwrap();
            store
                .import_master_data(&fixture::master_data().unwrap(), Timestamp(0))
                .await
                .unwrap();
        }
        // Kill after a random number of acknowledgements, so the kill lands mid-stream.
        let kill_after = 20 + random_below(400) as usize;
        let reported = run_and_kill(&path, kill_after);
        assert!(
            reported.len() >= kill_after,
            "round {round}: the writer reported only {} bills",
            reported.len()
        );

        let integrity: String = rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok", "round {round}");

        let store = SqliteStore::open(&path, SqliteOptions::default())
            .await
            .unwrap();
        let customer = fixture::channel().customer;
        for (sender, bill_num) in &reported {
            let by_key = BillRef {
                bill_num: None,
                sender_bill_num: Some(SenderBillNum::new(sender.clone())),
            };
            let bill = store.bill(&customer, &by_key).await.unwrap();
            let bill =
                bill.unwrap_or_else(|| panic!("round {round}: acknowledged {sender} is lost"));
            assert_eq!(&bill.bill_num, bill_num, "round {round}: {sender}");
        }
        // Exactly once: no key or number appears twice among all stored bills.
        let mut stored: BTreeMap<String, usize> = BTreeMap::new();
        let mut numbers: BTreeMap<BillNum, usize> = BTreeMap::new();
        let mut query = BillQuery {
            limit: 500,
            ..BillQuery::default()
        };
        loop {
            let page = store.list_bills(&customer, &query).await.unwrap();
            for bill in &page.bills {
                *stored
                    .entry(bill.content.sender_bill_num.to_string())
                    .or_default() += 1;
                *numbers.entry(bill.bill_num.clone()).or_default() += 1;
            }
            match page.next_cursor {
                Some(cursor) => query.cursor = Some(cursor),
                None => break,
            }
        }
        assert!(
            stored.values().all(|&n| n == 1),
            "round {round}: a key is stored twice"
        );
        assert!(
            numbers.values().all(|&n| n == 1),
            "round {round}: a BillNum is stored twice"
        );
        assert!(stored.len() >= reported.len(), "round {round}");
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}

/// Starts the crash writer, reads its acknowledgements until `kill_after`, kills it with SIGKILL
/// and answers every complete acknowledgement line it printed.
fn run_and_kill(path: &std::path::Path, kill_after: usize) -> BTreeMap<String, BillNum> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_posbridge-crash-writer"))
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reported = BTreeMap::new();
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let Ok(line) = line else { break };
        record(&mut reported, &line);
        if reported.len() >= kill_after {
            break;
        }
    }
    // `Child::kill` sends SIGKILL on Unix: no destructor, no flush, no orderly shutdown.
    child.kill().unwrap();
    // Lines the child completed before dying are acknowledgements too; a torn last line is not.
    for line in lines.map_while(Result::ok) {
        record(&mut reported, &line);
    }
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the writer must have been killed, not have exited"
    );
    reported
}

fn record(reported: &mut BTreeMap<String, BillNum>, line: &str) {
    let mut parts = line.split(' ');
    if let (Some("ok"), Some(sender), Some(bill_num), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
        && bill_num.len() == 14
    {
        reported.insert(sender.to_owned(), BillNum::new(bill_num));
    }
}
