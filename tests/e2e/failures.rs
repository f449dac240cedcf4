//! The database failing under a running server: every answer is still the envelope, with
//! 9001 (HTTP 500) or 9002 (HTTP 503), and no text of the underlying error leaks out.

use crate::bodies::*;
use crate::http::{get, post};
use crate::pg::Schema;
use crate::server::{DEMO, Server, run_ok};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vanished_schema_is_answered_9001_or_9002_without_internals() {
    let schema = Schema::create("vanish").await;
    let url = schema.url();
    run_ok(&["import", DEMO, "--database", &url]);
    let server = Server::start(&url);
    let created = post(server.addr, ADD, CHANNEL_S001, &scarves("E2E-BEFORE", 1))
        .await
        .expect(0);
    let bill_num = created.tag("BillNum");

    schema.drop_tables().await;

    for answer in [
        post(server.addr, ADD, CHANNEL_S001, &scarves("E2E-AFTER", 1)).await,
        post(
            server.addr,
            PAY,
            CHANNEL_S001,
            &payment(&bill_num, "PAY-1", "99"),
        )
        .await,
        get(
            server.addr,
            &format!("{GET}?BillNum={bill_num}"),
            CHANNEL_S001,
        )
        .await,
    ] {
        let code = (answer.status, answer.errcode());
        assert!(
            code == (500, 9001) || code == (503, 9002),
            "{code:?}: {:?}",
            answer.body
        );
        let text = answer.body.to_string().to_lowercase();
        for internal in ["relation", "sell_bills", "postgres", "sql"] {
            assert!(!text.contains(internal), "{internal} leaked: {text}");
        }
    }
}
