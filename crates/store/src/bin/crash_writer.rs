//! `posbridge-crash-writer DB_PATH`: creates bills on the SQLite store as fast as it can from
//! many tasks, printing `ok SENDER_BILL_NUM BILL_NUM` for each one the store acknowledged. The
//! durability test kills it with SIGKILL mid-stream and checks every printed bill survived.

#[path = "../../benches/support/fixture.rs"]
#[allow(dead_code)]
mod fixture;

use std::io::Write;
use std::sync::Arc;

use posbridge_domain::calendar::Timestamp;
use posbridge_store::Actor;
use posbridge_store::Store;
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};

const WRITERS: usize = 32;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("crash writer: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: posbridge-crash-writer DB_PATH")?;
    let store = Arc::new(
        SqliteStore::open(&path, SqliteOptions::default())
            .await
            .map_err(|e| e.to_string())?,
    );
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(
            async move { write_bills(store, writer).await },
        ));
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(())
}

async fn write_bills(store: Arc<SqliteStore>, writer: usize) -> Result<(), String> {
    let actor = Actor::new(fixture::ACCOUNT_ID);
    let channel = fixture::channel();
    for n in 0.. {
        let key = format!("W{writer}-{n}");
        let content = fixture::bill(&key)?;
        let change = store
            .add_or_update_bill(&actor, &channel, &content, Timestamp(1_700_000_000_000 + n))
            .await
            .map_err(|e| e.to_string())?;
        // Printed only after the store answered, i.e. after the commit synced.
        let line = format!("ok {key} {}\n", change.bill.bill_num);
        std::io::stdout()
            .lock()
            .write_all(line.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
