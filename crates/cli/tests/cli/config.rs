//! The serve-time settings of CONTRACT §10 through the real `posbridge` binary: `--max-details`,
//! `--max-clerks`, `--max-depth` and `--timezone` (and their variables) change what a server
//! accepts and how it writes times, next to a server left at the defaults; values out of range
//! are usage errors (exit code 2) before anything is opened.

use posbridge_protocol::qimen::query::encode_query;
use posbridge_protocol::qimen::sign::{SignMethod, sign};
use posbridge_protocol::qimen::{QimenAnswer, QimenFormat, read_answer};
use posbridge_protocol::time_text::{UtcOffset, format_rfc3339};
use posbridge_server::clock::{Clock, SystemClock};

use crate::support::{CHANNEL, MERCHANT, Server, TempDir, check_exit, errcode, posbridge, text};

/// `serve --demo` on a fresh database `name` in `dir` with `args` (and `env`), once it listens.
fn serve(dir: &TempDir, name: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
    Server::demo(&dir.database_named(name), args, env)
}

/// `AddOrUpdate` as the demo channel account: the status and the envelope's errcode.
fn add_bill(server: &Server, body: &str) -> (u16, i64, String) {
    let (status, answer) = server.post(
        "/api/Pos/Sell/Bill/AddOrUpdate",
        Some(CHANNEL),
        "application/json",
        body,
    );
    (status, errcode(&answer), answer)
}

/// `CalculateBill/Add` as the demo merchant account: the status and the errcode.
fn add_settlement(server: &Server, body: &str) -> (u16, i64, String) {
    let (status, answer) = server.post(
        "/api/UnPos/Merchant/Customer/CalculateBill/Add",
        Some(MERCHANT),
        "application/json",
        body,
    );
    (status, errcode(&answer), answer)
}

/// A Qimen clerk synchronisation as the demo ERP account, signed with md5.
fn sync_clerks(server: &Server, body: &str) -> QimenAnswer {
    // `yyyy-MM-dd HH:mm:ss` in GMT+8, the gateway's clock.
    let rfc3339 = format_rfc3339(SystemClock.now(), UtcOffset::CHINA);
    let timestamp = rfc3339[..19].replace('T', " ");
    let mut params: Vec<(&str, String)> = vec![
        ("method", "taobao.qimen.pos.clerk.synchronize".to_owned()),
        ("app_key", "demo-app-key".to_owned()),
        ("timestamp", timestamp),
        ("v", "2.0".to_owned()),
        ("format", "xml".to_owned()),
        ("sign_method", "md5".to_owned()),
        ("customerId", "demo-erp".to_owned()),
    ];
    let signature = sign(&params, body.as_bytes(), "demo-erp-secret", SignMethod::Md5);
    params.push(("sign", signature));
    let path = format!("/api/qimen?{}", encode_query(&params));
    let (status, answer) = server.post(&path, None, "text/xml", body);
    assert_eq!(status, 200, "{answer}");
    read_answer(answer.as_bytes(), QimenFormat::Xml).unwrap()
}

/// A sell bill of `lines` lines the demo catalog of S001 accepts (silk scarves and tea at their
/// retail prices), with `extra` members after the details.
fn bill(sender_bill_num: &str, lines: usize, extra: &str) -> String {
    let details: Vec<String> = (0..lines)
        .map(|index| {
            let (product, price) = if index % 2 == 0 {
                (1, "99.00")
            } else {
                (3, "238.00")
            };
            format!(r#"{{"ProductId":{product},"Amount":1,"RetailPrice":{price}}}"#)
        })
        .collect();
    format!(
        r#"{{"SenderBillNum":"{sender_bill_num}","Details":[{}]{extra}}}"#,
        details.join(",")
    )
}

/// A member whose value nests `levels` objects, the innermost holding a number: the whole bill
/// is then `levels + 2` levels deep (the bill, the objects, the number).
fn nested_member(levels: usize) -> String {
    format!(
        r#","Unknown":{}1{}"#,
        r#"{"a":"#.repeat(levels),
        "}".repeat(levels)
    )
}

/// A settlement of `details` details on a sell bill that does not exist.
fn settlement(bill_num: &str, details: usize) -> String {
    let details: Vec<String> = (1..=details)
        .map(|auto_id| {
            format!(
                r#"{{"SellBillNum":"NO-SUCH-BILL","AutoId":{auto_id},"ProductId":1,"Amount":1,
                    "ListingPrice":128,"RetailPrice":99,"LowestRetailPrice":79,"CalPrice":90,
                    "ProductName":"Silk scarf"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"BillNum":"{bill_num}","MerchantId":2,"ShopId":"S001","HappenDate":"20240501",
            "HappenTime":"120000","CustomerType":"TA","CustomerId":"C001","CalUserType":"2",
            "Details":[{}]}}"#,
        details.join(",")
    )
}

/// An `add` of `count` clerks to shop S001, codes starting with `prefix`.
fn clerks(prefix: &str, count: usize) -> String {
    let clerks: String = (1..=count)
        .map(|n| {
            format!(
                "<clerk><storeCode>S001</storeCode><clerkCode>{prefix}{n}</clerkCode>\
                 <clerkName>N{n}</clerkName><clerkType>DZ</clerkType></clerk>"
            )
        })
        .collect();
    format!("<request><actionType>add</actionType><clerks>{clerks}</clerks></request>")
}

#[test]
fn configured_counts_depth_and_time_zone_take_effect() {
    let dir = TempDir::new("config", "effect");
    // Flags for the counts and the depth, a variable for the time zone.
    let configured = serve(
        &dir,
        "configured.db",
        &[
            "--max-details",
            "2",
            "--max-clerks",
            "1",
            "--max-depth",
            "8",
        ],
        &[("POSBRIDGE_TIMEZONE", "-05:00")],
    );
    let default = serve(&dir, "default.db", &[], &[]);
    // Variables, raising the limits above the contract's.
    let raised = serve(
        &dir,
        "raised.db",
        &[],
        &[
            ("POSBRIDGE_MAX_DETAILS", "501"),
            ("POSBRIDGE_MAX_DEPTH", "40"),
        ],
    );

    // --max-details: bill lines.
    let (status, code, answer) = add_bill(&configured, &bill("P-3", 3, ""));
    assert_eq!((status, code), (200, 1004), "{answer}");
    assert!(answer.contains("at most 2 are allowed"), "{answer}");
    let (status, code, answer) = add_bill(&configured, &bill("P-2", 2, ""));
    assert_eq!((status, code), (200, 0), "{answer}");
    let (status, code, answer) = add_bill(&default, &bill("P-3", 3, ""));
    assert_eq!((status, code), (200, 0), "{answer}");

    // POSBRIDGE_MAX_DETAILS above 500.
    let (status, code, answer) = add_bill(&default, &bill("P-501", 501, ""));
    assert_eq!((status, code), (200, 1004), "{answer}");
    assert!(answer.contains("at most 500 are allowed"), "{answer}");
    let (status, code, answer) = add_bill(&raised, &bill("P-501", 501, ""));
    assert_eq!((status, code), (200, 0), "{answer}");

    // --max-details: settlement details, counted before any bill is looked up.
    let (status, code, answer) = add_settlement(&configured, &settlement("JS-3", 3));
    assert_eq!((status, code), (200, 1004), "{answer}");
    let (status, code, answer) = add_settlement(&configured, &settlement("JS-2", 2));
    assert_eq!((status, code), (200, 4002), "{answer}");
    let (status, code, answer) = add_settlement(&default, &settlement("JS-3", 3));
    assert_eq!((status, code), (200, 4002), "{answer}");

    // --max-depth: a bill 12 levels deep.
    let deep = bill("P-DEEP", 1, &nested_member(10));
    let (status, code, answer) = add_bill(&configured, &deep);
    assert_eq!((status, code), (400, 1001), "{answer}");
    assert!(answer.contains("nested deeper than 8 levels"), "{answer}");
    let (status, code, answer) = add_bill(&default, &deep);
    assert_eq!((status, code), (200, 0), "{answer}");
    // Within the configured depth: 8 levels.
    let (status, code, answer) = add_bill(&configured, &bill("P-8", 1, &nested_member(6)));
    assert_eq!((status, code), (200, 0), "{answer}");
    // POSBRIDGE_MAX_DEPTH above 32: a bill 40 levels deep.
    let deeper = bill("P-40", 1, &nested_member(38));
    let (status, code, answer) = add_bill(&default, &deeper);
    assert_eq!((status, code), (400, 1001), "{answer}");
    assert!(answer.contains("nested deeper than 32 levels"), "{answer}");
    let (status, code, answer) = add_bill(&raised, &deeper);
    assert_eq!((status, code), (200, 0), "{answer}");

    // --max-clerks: a Qimen request of 2 clerks.
    match sync_clerks(&configured, &clerks("A", 2)) {
        QimenAnswer::Error(error) => {
            let message = error.sub_msg.unwrap_or_default();
            assert!(
                message.contains("field clerks has 2 items, at most 1 are allowed"),
                "{message}"
            );
        }
        QimenAnswer::Response(response) => panic!("2 clerks were accepted: {response:?}"),
    }
    match sync_clerks(&configured, &clerks("B", 1)) {
        QimenAnswer::Response(response) => {
            assert_eq!(response.flag.as_deref(), Some("success"), "{response:?}");
        }
        QimenAnswer::Error(error) => panic!("1 clerk was refused: {error:?}"),
    }
    match sync_clerks(&default, &clerks("A", 2)) {
        QimenAnswer::Response(response) => {
            assert_eq!(response.flag.as_deref(), Some("success"), "{response:?}");
        }
        QimenAnswer::Error(error) => panic!("2 clerks were refused: {error:?}"),
    }

    // POSBRIDGE_TIMEZONE: the times of a view.
    let path = "/api/Pos/Sell/Bill/Get?SenderBillNum=P-2";
    let (status, view) = configured.get(path, CHANNEL);
    assert_eq!((status, errcode(&view)), (200, 0), "{view}");
    assert!(view.contains(r#"-05:00""#), "{view}");
    assert!(!view.contains(r#"+08:00""#), "{view}");
    let (status, view) = default.get("/api/Pos/Sell/Bill/Get?SenderBillNum=P-3", CHANNEL);
    assert_eq!((status, errcode(&view)), (200, 0), "{view}");
    assert!(view.contains(r#"+08:00""#), "{view}");
    assert!(!view.contains(r#"-05:00""#), "{view}");
}

#[test]
fn limits_and_time_zones_out_of_range_are_usage_errors() {
    let dir = TempDir::new("config", "usage");
    let db = dir.database_named("never.db");
    let refused = |args: &[&str], env: &[(&str, &str)], says: &str| {
        let output = posbridge()
            .args(["serve", "--database", &db, "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        check_exit(&output, 2);
        let stderr = text(&output.stderr);
        assert!(stderr.contains(says), "{args:?} {env:?}: {stderr}");
    };
    let count_range = "must be between 1 and 10000";
    refused(&["--max-details", "0"], &[], count_range);
    refused(&["--max-details", "10001"], &[], count_range);
    refused(&["--max-details=-1"], &[], "must be a whole number");
    refused(&["--max-clerks", "0"], &[], count_range);
    refused(&["--max-clerks", "many"], &[], "must be a whole number");
    refused(&[], &[("POSBRIDGE_MAX_CLERKS", "20000")], count_range);
    let depth_range = "must be between 8 and 64";
    refused(&["--max-depth", "7"], &[], depth_range);
    refused(&["--max-depth", "65"], &[], depth_range);
    refused(&[], &[("POSBRIDGE_MAX_DEPTH", "1000")], depth_range);
    let format = "must be a fixed offset written ±HH:MM";
    for zone in [
        "8",
        "+8:00",
        "+08",
        "+24:00",
        "+08:60",
        "UTC",
        "Asia/Shanghai",
    ] {
        refused(&["--timezone", zone], &[], format);
    }
    refused(&[], &[("POSBRIDGE_TIMEZONE", "GMT+8")], format);
    refused(
        &["--callback-account-concurrency", "0"],
        &[],
        "0 is not in 1..=64",
    );
    refused(
        &[],
        &[("POSBRIDGE_CALLBACK_ACCOUNT_CONCURRENCY", "65")],
        "65 is not in 1..=64",
    );
    refused(
        &["--callback-retry-base-ms", "0"],
        &[],
        "0 is not in 1..=3600000",
    );
    // Refused before the database is opened.
    assert!(!dir.0.join("never.db").exists());

    // The edges of the ranges are accepted: `--help` parses nothing, so start-up is checked
    // through a database URL that cannot be opened (a store error, exit code 1, comes after
    // the limits are accepted).
    for args in [
        [
            "--max-details",
            "1",
            "--max-clerks",
            "10000",
            "--max-depth",
            "8",
        ],
        [
            "--max-details",
            "10000",
            "--max-clerks",
            "1",
            "--max-depth",
            "64",
        ],
    ] {
        let output = posbridge()
            .args([
                "serve",
                "--database",
                "mysql://localhost/x",
                "--timezone=-12:30",
            ])
            .args(args)
            .output()
            .unwrap();
        check_exit(&output, 1);
    }
}
