//! The client commands of CONTRACT §12 through the real binary against a real `serve --demo` on
//! a loopback port: `sell submit|pay|get|close`, `settle submit|get` and `qimen sync-clerks`, in
//! every `--format` and from files in every format, their human and `--json` answers, and exit
//! codes 0, 1 (a refusal, an unreachable server) and 2 (no token, a bad FILE).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Output;

use posbridge_protocol::codec::{decode, encode};
use posbridge_protocol::dto::PosSellFromWebInterfaceParm;
use posbridge_protocol::media::Format;
use serde_json::Value;

use crate::support::{CHANNEL, MERCHANT, Server, TempDir, check_exit, posbridge, text};

/// Runs a client command against `server` with `token` (none: no token at all).
fn call(server: &Server, token: Option<&str>, args: &[&str]) -> Output {
    let mut command = posbridge();
    command.args(args).env("POSBRIDGE_URL", server.url());
    if let Some(token) = token {
        command.env("POSBRIDGE_TOKEN", token);
    }
    command.output().unwrap()
}

/// The command's stdout as JSON.
fn json(output: &Output) -> Value {
    check_exit(output, 0);
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}): {}", text(&output.stdout)))
}

/// A sell bill of two silk scarves at S001's retail price (99.00), total 198.00.
fn bill(sender_bill_num: &str, retail_price: &str) -> String {
    format!(
        r#"{{"SenderBillNum":"{sender_bill_num}","GuiderNumber":"D-330100-01","PlanDeliverType":"1",
            "Details":[{{"ProductId":1,"Amount":2,"RetailPrice":{retail_price}}}]}}"#
    )
}

/// Writes a sell bill JSON document as a file in `format` (`.json`, `.xml`, `.bson`).
fn bill_file(dir: &TempDir, name: &str, json: &str, format: Format) -> PathBuf {
    let parm: PosSellFromWebInterfaceParm = decode(Format::Json, json.as_bytes()).unwrap();
    let (extension, bytes) = match format {
        Format::Json => ("json", json.as_bytes().to_vec()),
        Format::Xml => ("xml", encode(Format::Xml, &parm).unwrap()),
        Format::Bson => ("bson", encode(Format::Bson, &parm).unwrap()),
    };
    dir.file(&format!("{name}.{extension}"), bytes)
}

fn path(file: &std::path::Path) -> &str {
    file.to_str().unwrap()
}

const FORMATS: [(&str, Format); 3] = [
    ("json", Format::Json),
    ("xml", Format::Xml),
    ("bson", Format::Bson),
];

#[test]
fn sell_bills_are_submitted_paid_read_and_closed_in_every_format() {
    let dir = TempDir::new("remote", "sell");
    let server = Server::demo(&dir.database(), &[], &[]);
    for (index, (wire, _)) in FORMATS.iter().enumerate() {
        // The file in one format, sent in another.
        let file_format = FORMATS[(index + 1) % 3].1;
        let sender = format!("S-{wire}");
        let file = bill_file(&dir, &sender, &bill(&sender, "99.00"), file_format);
        let submitted = call(
            &server,
            Some(CHANNEL),
            &["sell", "submit", path(&file), "--format", wire],
        );
        check_exit(&submitted, 0);
        let summary = text(&submitted.stdout);
        assert!(
            summary.contains(&format!("Initial (SenderBillNum {sender}), total 198.00")),
            "{summary}"
        );
        assert!(summary.starts_with("bill SB"), "{summary}");

        // A replay answers the same bill, as JSON for scripts.
        let replayed = json(&call(
            &server,
            Some(CHANNEL),
            &["sell", "submit", path(&file), "--format", wire, "--json"],
        ));
        assert_eq!(replayed["BillState"], "Initial", "{replayed}");
        assert_eq!(replayed["SenderBillNum"], sender.as_str(), "{replayed}");
        let bill_num = replayed["BillNum"].as_str().unwrap().to_owned();

        let payment = dir.file(
            &format!("pay-{wire}.json"),
            format!(
                r#"{{"BillNum":"{bill_num}","PayNum":"P-1","PayAmount":"50","PayType":"Cash"}}"#
            ),
        );
        let paid = call(
            &server,
            Some(CHANNEL),
            &["sell", "pay", path(&payment), "--format", wire],
        );
        check_exit(&paid, 0);
        assert!(
            text(&paid.stdout).contains("PartPaid (SenderBillNum")
                && text(&paid.stdout).contains("payment P-1, paid 50.00 of 198.00"),
            "{}",
            text(&paid.stdout)
        );

        let view = json(&call(
            &server,
            Some(CHANNEL),
            &[
                "sell",
                "get",
                "--sender-bill-num",
                &sender,
                "--format",
                wire,
                "--json",
            ],
        ));
        assert_eq!(view["BillNum"], bill_num.as_str(), "{view}");
        assert_eq!(view["PaidAmount"].to_string(), "50.00", "{view}");
        assert_eq!(view["History"].as_array().map(Vec::len), Some(2), "{view}");
        let shown = call(&server, Some(CHANNEL), &["sell", "get", &bill_num]);
        check_exit(&shown, 0);
        let shown = text(&shown.stdout);
        assert!(shown.contains("bill.payment_received"), "{shown}");
        assert!(shown.contains("P-1     Cash"), "{shown}");

        let close = dir.file(
            &format!("close-{wire}.json"),
            format!(r#"{{"SenderBillNum":"{sender}"}}"#),
        );
        let closed = call(
            &server,
            Some(CHANNEL),
            &["sell", "close", path(&close), "--format", wire],
        );
        check_exit(&closed, 0);
        assert!(
            text(&closed.stdout).contains(&format!("bill {bill_num} Closed")),
            "{}",
            text(&closed.stdout)
        );

        // A wrong RetailPrice is the server's refusal: exit 1, its errcode, a hint.
        let wrong = bill_file(
            &dir,
            &format!("wrong-{wire}"),
            &bill(&format!("W-{wire}"), "98.00"),
            file_format,
        );
        let refused = call(
            &server,
            Some(CHANNEL),
            &["sell", "submit", path(&wrong), "--format", wire],
        );
        check_exit(&refused, 1);
        let stderr = text(&refused.stderr);
        assert!(stderr.contains("errcode 2003: "), "{stderr}");
        assert!(stderr.contains("hint: "), "{stderr}");
        assert!(refused.stdout.is_empty());
    }
}

/// A paid bill of S001 for the settlement tests: its BillNum.
fn paid_bill(server: &Server, dir: &TempDir) -> String {
    let file = dir.file("paid.json", bill("PAID-1", "99.00"));
    let created = json(&call(
        server,
        Some(CHANNEL),
        &["sell", "submit", path(&file), "--json"],
    ));
    let bill_num = created["BillNum"].as_str().unwrap().to_owned();
    let payment = dir.file(
        "pay-all.json",
        format!(r#"{{"BillNum":"{bill_num}","PayNum":"ALL","PayType":"WeChat"}}"#),
    );
    let paid = call(server, Some(CHANNEL), &["sell", "pay", path(&payment)]);
    check_exit(&paid, 0);
    assert!(
        text(&paid.stdout).contains(" Paid "),
        "{}",
        text(&paid.stdout)
    );
    bill_num
}

/// A settlement of `amount` silk scarves of `sell_bill_num` at CalPrice 90.
fn settlement(bill_num: &str, sell_bill_num: &str, amount: &str) -> String {
    format!(
        r#"{{"BillNum":"{bill_num}","MerchantId":2,"ShopId":"S001","HappenDate":"20240501",
            "HappenTime":"120000","CustomerType":"TA","CustomerId":"C001","CalUserType":"2",
            "Details":[{{"SellBillNum":"{sell_bill_num}","AutoId":1,"ProductId":1,
            "Amount":"{amount}","ListingPrice":128,"RetailPrice":99,"LowestRetailPrice":79,
            "CalPrice":90,"ProductName":"Silk scarf"}}]}}"#
    )
}

#[test]
fn settlements_and_clerk_synchronisation_in_every_format() {
    let dir = TempDir::new("remote", "settle");
    let server = Server::demo(&dir.database(), &[], &[]);
    let sell_bill_num = paid_bill(&server, &dir);

    for (wire, _) in FORMATS {
        let bill_num = format!("JS-{wire}");
        let file = dir.file(
            &format!("{bill_num}.json"),
            settlement(&bill_num, &sell_bill_num, "0.5"),
        );
        let submitted = call(
            &server,
            Some(MERCHANT),
            &["settle", "submit", path(&file), "--format", wire],
        );
        check_exit(&submitted, 0);
        let summary = text(&submitted.stdout);
        assert!(
            summary.starts_with(&format!("settlement {bill_num} (id ")),
            "{summary}"
        );
        // 0.5 × 90.00 = 45.00; the rebate at TA/C001's 0.30 is 13.50.
        assert!(
            summary.contains("cal 45.00, rebate 13.50 at rate 0.30"),
            "{summary}"
        );

        let id = json(&call(
            &server,
            Some(MERCHANT),
            &["settle", "submit", path(&file), "--format", wire, "--json"],
        ));
        assert!(id.is_string(), "{id}");
        let view = json(&call(
            &server,
            Some(MERCHANT),
            &["settle", "get", &bill_num, "--format", wire, "--json"],
        ));
        assert_eq!(view["Id"], id, "{view}");
        assert_eq!(view["RebateAmount"].to_string(), "13.50", "{view}");
    }
    // Two scarves were sold and 1.5 settled: one more is a double rebate.
    let third = dir.file("JS-4.json", settlement("JS-4", &sell_bill_num, "1"));
    let refused = call(&server, Some(MERCHANT), &["settle", "submit", path(&third)]);
    check_exit(&refused, 1);
    assert!(
        text(&refused.stderr).contains("errcode 4003: "),
        "{}",
        text(&refused.stderr)
    );
    let missing = call(&server, Some(MERCHANT), &["settle", "get", "JS-NONE"]);
    check_exit(&missing, 1);
    assert!(
        text(&missing.stderr).contains("errcode 4006: "),
        "{}",
        text(&missing.stderr)
    );

    let clerks = |code: &str| {
        format!(
            "<request><actionType>add</actionType><clerks><clerk><storeCode>S001</storeCode>\
             <clerkCode>{code}</clerkCode><clerkName>Li</clerkName><clerkType>DZ</clerkType>\
             </clerk></clerks></request>"
        )
    };
    let erp = [
        "--app-key",
        "demo-app-key",
        "--secret",
        "demo-erp-secret",
        "--customer-id",
        "demo-erp",
    ];
    for (qimen_format, sign_method) in [("xml", "md5"), ("json", "hmac"), ("xml", "hmac-sha256")] {
        let code = format!("K-{sign_method}");
        let file = dir.file(&format!("{code}.xml"), clerks(&code));
        let synced = call(
            &server,
            None,
            &[
                &["qimen", "sync-clerks", path(&file)][..],
                &erp[..],
                &["--qimen-format", qimen_format, "--sign-method", sign_method],
            ]
            .concat(),
        );
        check_exit(&synced, 0);
        assert_eq!(
            text(&synced.stdout),
            format!("success: 1 clerk(s) processed: S001/{code}\n")
        );
    }
    // JSON for scripts: the Qimen response as JSON (an identical add succeeds again).
    let again = dir.file("again.xml", clerks("K-md5"));
    let answer = json(&call(
        &server,
        None,
        &[
            &["qimen", "sync-clerks", path(&again)][..],
            &erp[..],
            &["--json"],
        ]
        .concat(),
    ));
    assert_eq!(answer["response"]["flag"], "success", "{answer}");
    // An update of a clerk that does not exist is a rule refusal; a wrong secret the gateway's.
    let update = clerks("NOBODY").replace(">add<", ">update<");
    let file = dir.file("update.xml", update);
    let refused = call(
        &server,
        None,
        &[&["qimen", "sync-clerks", path(&file)][..], &erp[..]].concat(),
    );
    check_exit(&refused, 1);
    assert!(
        text(&refused.stderr).contains("errcode 2103: "),
        "{}",
        text(&refused.stderr)
    );
    let mut wrong = erp;
    wrong[3] = "not-the-secret";
    let refused = call(
        &server,
        None,
        &[&["qimen", "sync-clerks", path(&again)][..], &wrong[..]].concat(),
    );
    check_exit(&refused, 1);
    assert!(
        text(&refused.stderr).contains("qimen gateway error 25"),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn usage_errors_exit_2_and_an_unreachable_server_exits_1() {
    let dir = TempDir::new("remote", "failures");
    let file = dir.file("bill.json", bill("U-1", "99.00"));
    // A loopback port that was free a moment ago: nothing listens there.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}");
    let unreachable = posbridge()
        .args([
            "sell",
            "submit",
            path(&file),
            "--url",
            &url,
            "--token",
            CHANNEL,
        ])
        .output()
        .unwrap();
    check_exit(&unreachable, 1);
    let stderr = text(&unreachable.stderr);
    assert!(stderr.contains(&format!("cannot reach {url}")), "{stderr}");
    assert!(
        stderr.contains("is `posbridge serve` running at"),
        "{stderr}"
    );

    let server = Server::demo(&dir.database(), &[], &[]);
    let no_token = call(&server, None, &["sell", "submit", path(&file)]);
    check_exit(&no_token, 2);
    assert!(
        text(&no_token.stderr).contains("--token"),
        "{}",
        text(&no_token.stderr)
    );
    let empty_token = call(&server, Some(""), &["sell", "get", "X"]);
    check_exit(&empty_token, 2);
    // `--help` names the variables but never shows the token's or the secret's value.
    for command in [
        &["sell", "submit", "--help"][..],
        &["qimen", "sync-clerks", "--help"],
    ] {
        let help = posbridge()
            .args(command)
            .env("POSBRIDGE_TOKEN", "token-value-9")
            .env("POSBRIDGE_QIMEN_SECRET", "secret-value-9")
            .output()
            .unwrap();
        check_exit(&help, 0);
        let help = text(&help.stdout);
        assert!(help.contains("POSBRIDGE_"), "{help}");
        assert!(!help.contains("value-9"), "{help}");
    }

    let missing = call(
        &server,
        Some(CHANNEL),
        &["sell", "submit", "/nonexistent/bill.json"],
    );
    check_exit(&missing, 2);
    assert!(
        text(&missing.stderr).contains("cannot read /nonexistent/bill.json"),
        "{}",
        text(&missing.stderr)
    );
    let garbled = dir.file("garbled.xml", "<PosSellFromWebInterfaceParm><Details>");
    let unparseable = call(
        &server,
        Some(CHANNEL),
        &["sell", "submit", path(&file), path(&garbled)],
    );
    check_exit(&unparseable, 2);
    let stderr = text(&unparseable.stderr);
    assert!(
        stderr.contains(&format!("{} is not a sell bill", path(&garbled))),
        "{stderr}"
    );
    // Every file is read before any is sent: the good one was not submitted either.
    let absent = call(
        &server,
        Some(CHANNEL),
        &["sell", "get", "--sender-bill-num", "U-1"],
    );
    check_exit(&absent, 1);
    assert!(
        text(&absent.stderr).contains("errcode 3001"),
        "{}",
        text(&absent.stderr)
    );

    // Several files: one answer line each, in order; no progress drawing on a pipe.
    let second = dir.file("second.json", bill("U-2", "99.00"));
    let both = call(
        &server,
        Some(CHANNEL),
        &["sell", "submit", path(&file), path(&second)],
    );
    check_exit(&both, 0);
    let lines: Vec<String> = text(&both.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("(SenderBillNum U-1)") && lines[1].contains("(SenderBillNum U-2)"));
    assert!(both.stderr.is_empty(), "{}", text(&both.stderr));
    // One refused among several: the others still go, exit 1, the refused one named.
    let wrong = dir.file("wrong.json", bill("U-3", "1.00"));
    let third = dir.file("third.json", bill("U-4", "99.00"));
    let mixed = call(
        &server,
        Some(CHANNEL),
        &["sell", "submit", path(&wrong), path(&third)],
    );
    check_exit(&mixed, 1);
    assert!(
        text(&mixed.stdout).contains("(SenderBillNum U-4)"),
        "{}",
        text(&mixed.stdout)
    );
    let stderr = text(&mixed.stderr);
    assert!(
        stderr.contains(&format!("{}: errcode 2003", path(&wrong))),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 2 files failed"), "{stderr}");
}
