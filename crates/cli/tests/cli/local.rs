//! The local read commands of CONTRACT §12 through the real binary, on the database a real
//! `serve --demo` wrote: `bill get|list` print the API's Get and List views (`--json`: the same
//! JSON as the API's `tag`), `clerks list --json` the admin API's document; not found is exit 1.

use std::process::Output;

use serde_json::Value;

use crate::support::{CHANNEL, DEMO, Server, TempDir, check_exit, errcode, run, text};

const ADMIN: &str = "local-test-admin";

fn json(output: &Output) -> Value {
    check_exit(output, 0);
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}): {}", text(&output.stdout)))
}

/// The `tag` of a JSON envelope.
fn tag(answer: &str) -> Value {
    assert_eq!(errcode(answer), 0, "{answer}");
    serde_json::from_str::<Value>(answer).unwrap()["tag"].clone()
}

#[test]
fn bills_and_clerks_read_from_the_database_as_the_api_shows_them() {
    let dir = TempDir::new("local", "read");
    let db = dir.database();
    // Import draws no progress on a pipe: stdout has the summary, stderr nothing.
    let imported = run(&["import", DEMO, "--database", &db]);
    check_exit(&imported, 0);
    assert!(text(&imported.stdout).starts_with("imported "));
    assert!(imported.stderr.is_empty(), "{}", text(&imported.stderr));

    let server = Server::demo(&db, &[], &[("POSBRIDGE_ADMIN_TOKEN", ADMIN)]);
    for n in 1..=3 {
        let body = format!(
            r#"{{"SenderBillNum":"L-{n}","Details":[{{"ProductId":1,"Amount":{n},"RetailPrice":99}}]}}"#
        );
        let (status, answer) = server.post(
            "/api/Pos/Sell/Bill/AddOrUpdate",
            Some(CHANNEL),
            "application/json",
            &body,
        );
        assert_eq!((status, errcode(&answer)), (200, 0), "{answer}");
    }
    let clerks = "<request><actionType>add</actionType><clerks><clerk><storeCode>S001</storeCode>\
                  <clerkCode>C1</clerkCode><clerkName>Li</clerkName><clerkType>SYY</clerkType>\
                  <contactInfo><name>Li Lei</name><mobile>13800000000</mobile></contactInfo>\
                  </clerk></clerks></request>";
    let signed = qimen_path(clerks);
    let (status, answer) = server.post(&signed, None, "text/xml", clerks);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("success"), "{answer}");

    // bill get: by BillNum in any customer unit, or by SenderBillNum in one.
    let (_, answer) = server.get("/api/Pos/Sell/Bill/Get?SenderBillNum=L-2", CHANNEL);
    let api_view = tag(&answer);
    let bill_num = api_view["BillNum"].as_str().unwrap();
    let by_number = json(&run(&[
        "bill",
        "get",
        bill_num,
        "--database",
        &db,
        "--json",
    ]));
    assert_eq!(by_number, api_view);
    let by_sender = json(&run(&[
        "bill",
        "get",
        "--sender-bill-num",
        "L-2",
        "--customer-type",
        "TA",
        "--customer-id",
        "C001",
        "--database",
        &db,
        "--json",
    ]));
    assert_eq!(by_sender, api_view);
    let human = run(&["bill", "get", bill_num, "--database", &db]);
    check_exit(&human, 0);
    let human = text(&human.stdout);
    assert!(
        human.starts_with(&format!(
            "bill {bill_num} Initial (SenderBillNum L-2), total 198.00, paid 0.00\n"
        )),
        "{human}"
    );
    assert!(human.contains("bill.created"), "{human}");

    // bill list: the API's List document, a page at a time.
    let (_, answer) = server.get("/api/Pos/Sell/Bill/List?limit=2", CHANNEL);
    let api_page = tag(&answer);
    let unit = ["--customer-type", "TA", "--customer-id", "C001"];
    let page = json(&run(&[
        &["bill", "list", "--limit", "2", "--json", "--database", &db][..],
        &unit[..],
    ]
    .concat()));
    assert_eq!(page, api_page);
    let cursor = page["NextCursor"].as_str().unwrap();
    let rest = run(&[
        &["bill", "list", "--cursor", cursor, "--database", &db][..],
        &unit[..],
    ]
    .concat());
    check_exit(&rest, 0);
    let rest = text(&rest.stdout);
    assert!(rest.starts_with("billNum "), "{rest}");
    assert!(rest.contains("L-1") && !rest.contains("L-3"), "{rest}");
    let paid = run(&[
        &["bill", "list", "--state", "Paid", "--database", &db][..],
        &unit[..],
    ]
    .concat());
    check_exit(&paid, 0);
    assert_eq!(text(&paid.stdout), "no bills of customer unit TA/C001\n");

    // clerks list: the admin API's document.
    let (status, answer) = server.get("/admin/v1/clerks?shopId=S001", ADMIN);
    assert_eq!(status, 200, "{answer}");
    let listed = run(&[
        "clerks",
        "list",
        "--shop-id",
        "S001",
        "--database",
        &db,
        "--json",
    ]);
    assert_eq!(
        json(&listed),
        serde_json::from_str::<Value>(&answer).unwrap()
    );
    let table = run(&["clerks", "list", "--shop-id", "S001", "--database", &db]);
    check_exit(&table, 0);
    assert!(
        text(&table.stdout).contains("C1         Li         SYY"),
        "{}",
        text(&table.stdout)
    );

    // Not found, and which customer unit: what to do.
    let missing = run(&["bill", "get", "SB-NONE", "--database", &db]);
    check_exit(&missing, 1);
    assert!(text(&missing.stderr).contains("no sell bill with BillNum SB-NONE"));
    assert!(text(&missing.stderr).contains("hint: "));
    let whose = run(&["bill", "list", "--database", &db]);
    check_exit(&whose, 2);
    assert!(
        text(&whose.stderr).contains("--customer-type TA --customer-id C002"),
        "{}",
        text(&whose.stderr)
    );
    let bad_time = run(&[
        &["bill", "list", "--from", "yesterday", "--database", &db][..],
        &unit[..],
    ]
    .concat());
    check_exit(&bad_time, 2);
    assert!(text(&bad_time.stderr).contains("--from must be RFC 3339"));
}

/// The signed Qimen path of an `md5` call of the demo ERP account with `body`.
fn qimen_path(body: &str) -> String {
    use posbridge_protocol::qimen::query::encode_query;
    use posbridge_protocol::qimen::sign::{SignMethod, sign};
    use posbridge_protocol::time_text::{UtcOffset, format_rfc3339};
    use posbridge_server::clock::{Clock, SystemClock};

    let rfc3339 = format_rfc3339(SystemClock.now(), UtcOffset::CHINA);
    let mut params: Vec<(&str, String)> = vec![
        ("method", "taobao.qimen.pos.clerk.synchronize".to_owned()),
        ("app_key", "demo-app-key".to_owned()),
        ("timestamp", rfc3339[..19].replace('T', " ")),
        ("v", "2.0".to_owned()),
        ("format", "xml".to_owned()),
        ("sign_method", "md5".to_owned()),
        ("customerId", "demo-erp".to_owned()),
    ];
    let signature = sign(&params, body.as_bytes(), "demo-erp-secret", SignMethod::Md5);
    params.push(("sign", signature));
    format!("/api/qimen?{}", encode_query(&params))
}
