//! Bad fields over HTTP (CONTRACT §4–§7, §10): every required field left out (the errmsg names
//! it), every limited text at its maximum length (accepted) and one character beyond (1003),
//! lengths counted in characters, and lists one item over their limit (1004) — on sell bills,
//! payments, settlements and Qimen clerks, with nothing stored by any refused request.

use posbridge_protocol::dto::{PosSellFromWebInterfaceResult, PosSellPayBillParm};

use crate::helpers::*;

const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";
const PAY: &str = "/api/Pos/Sell/Bill/PayBill";
const CLOSE: &str = "/api/Pos/Sell/Bill/DeleteOrClose";
const SETTLE: &str = "/api/UnPos/Merchant/Customer/CalculateBill/Add";

/// A member to set (`Some(JSON value)`) or to leave out (`None`).
type Member<'a> = (&'a str, Option<String>);

/// A JSON object of `base` members with `over` replacing, adding or removing some.
fn object(base: &[(&str, &str)], over: &[Member<'_>]) -> String {
    let mut members: Vec<(String, Option<String>)> = base
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
        .collect();
    for (key, value) in over {
        match members.iter_mut().find(|(name, _)| name == key) {
            Some(member) => member.1 = value.clone(),
            None => members.push(((*key).to_owned(), value.clone())),
        }
    }
    let members: Vec<String> = members
        .into_iter()
        .filter_map(|(k, v)| Some(format!(r#""{k}":{}"#, v?)))
        .collect();
    format!("{{{}}}", members.join(","))
}

/// Splits `over` into the members of the outer object and those of its `prefix.` child.
fn split<'a>(over: &[Member<'a>], prefix: &str) -> (Vec<Member<'a>>, Vec<Member<'a>>) {
    let mut outer = Vec::new();
    let mut inner = Vec::new();
    for (key, value) in over {
        match key.strip_prefix(prefix) {
            Some(rest) => inner.push((rest, value.clone())),
            None => outer.push((*key, value.clone())),
        }
    }
    (outer, inner)
}

/// A bill of one scarf; members named `Details[0].X` go to its line.
fn sell(over: &[Member<'_>]) -> String {
    let (header, line) = split(over, "Details[0].");
    let line = object(
        &[
            ("ProductId", "1"),
            ("Amount", "1"),
            ("RetailPrice", "\"99.00\""),
        ],
        &line,
    );
    let details = format!("[{line}]");
    let base = [
        ("SenderBillNum", "\"F-0\""),
        ("PlanDeliverType", "\"2\""),
        ("DeliverAddress", "\"Road 1\""),
        ("Details", details.as_str()),
    ];
    object(&base, &header)
}

/// A settlement of one scarf of the sell bill `sell_bill`; `Details[0].X` goes to its detail.
fn settle(sell_bill: &str, over: &[Member<'_>]) -> String {
    let (header, detail) = split(over, "Details[0].");
    let sell_bill = format!("\"{sell_bill}\"");
    let detail = object(
        &[
            ("SellBillNum", sell_bill.as_str()),
            ("AutoId", "1"),
            ("ProductId", "1"),
            ("Amount", "1"),
            ("ListingPrice", "128"),
            ("RetailPrice", "99"),
            ("LowestRetailPrice", "79"),
            ("CalPrice", "90"),
        ],
        &detail,
    );
    let details = format!("[{detail}]");
    let base = [
        ("BillNum", "\"JS-0\""),
        ("MerchantId", "2"),
        ("ShopId", "\"S001\""),
        ("HappenDate", "\"20240501\""),
        ("HappenTime", "\"120000\""),
        ("CustomerType", "\"TA\""),
        ("CustomerId", "\"C001\""),
        ("CalUserType", "\"2\""),
        ("Details", details.as_str()),
    ];
    object(&base, &header)
}

/// A Qimen add of one clerk at S001; `clerks[0].X` goes to the clerk and
/// `clerks[0].contactInfo.X` to its contact.
fn clerks(over: &[Member<'_>]) -> String {
    let (request, clerk) = split(over, "clerks[0].");
    let (clerk, contact) = split(&clerk, "contactInfo.");
    let contact = object(
        &[("name", "\"Wang\""), ("mobile", "\"13800000000\"")],
        &contact,
    );
    let clerk = object(
        &[
            ("storeCode", "\"S001\""),
            ("clerkCode", "\"Q-0\""),
            ("clerkName", "\"Wang\""),
            ("clerkType", "\"DZ\""),
            ("contactInfo", contact.as_str()),
        ],
        &clerk,
    );
    let clerks = format!("[{clerk}]");
    object(
        &[("actionType", "\"add\""), ("clerks", clerks.as_str())],
        &request,
    )
}

/// A world with an unpaid bill `F-0` and a paid bill of 30 scarves; answers the paid bill's
/// number.
async fn world(app: &TestApp) -> String {
    let body = scarves("F-0", "1", "99.00").into_bytes();
    app.post(ADD, Some(CH_S001), JSON, body)
        .await
        .expect(200, 0);
    let body = scarves("F-PAID", "30", "99.00").into_bytes();
    let answer = app.post(ADD, Some(CH_S001), JSON, body).await;
    let paid = answer
        .envelope::<PosSellFromWebInterfaceResult>()
        .tag
        .and_then(|t| t.bill_num)
        .expect("a BillNum");
    let pay =
        body_as::<PosSellPayBillParm>(JSON, &format!(r#"{{"BillNum":"{paid}","PayNum":"ALL"}}"#));
    app.post(PAY, Some(CH_S001), JSON, pay).await.expect(200, 0);
    paid
}

/// Sends a Web API `body` to `path` as the account that may call it.
async fn call(app: &TestApp, path: &str, body: String) -> Answer {
    let token = if path == SETTLE { M2 } else { CH_S001 };
    app.post(path, Some(token), JSON, body.into_bytes()).await
}

/// Asserts a Web API refusal with `errcode` naming `field`, and that nothing was stored.
async fn refused(app: &TestApp, path: &str, body: String, errcode: i32, field: &str) {
    let token = if path == SETTLE { M2 } else { CH_S001 };
    let plain = send_refused(
        app,
        post(path, Some(token), JSON, body.into_bytes()),
        200,
        errcode,
    )
    .await;
    let errmsg = plain.errmsg.unwrap_or_default();
    assert!(errmsg.contains(field), "{path} {field}: {errmsg}");
}

/// Asserts a Qimen refusal (gateway error 50) naming `field`, and that nothing was stored.
async fn qimen_refused(app: &TestApp, body: String, field: &str) {
    let before = stored(app).await;
    let answer = qimen_call(app, body.as_bytes()).await;
    match qimen_outcome(&answer) {
        Err((code, sub_msg)) => {
            assert_eq!(code, "50", "{field}: {sub_msg}");
            assert!(sub_msg.contains(field), "{field}: {sub_msg}");
        }
        Ok(code) => panic!("{field}: a response with code {code}"),
    }
    assert_eq!(stored(app).await, before, "{field}");
}

#[tokio::test]
async fn every_missing_required_field_is_1002_naming_it() {
    let app = spawn().await;
    let paid = world(&app).await;
    for field in [
        "SenderBillNum",
        "DeliverAddress",
        "Details",
        "Details[0].ProductId",
        "Details[0].Amount",
        "Details[0].RetailPrice",
    ] {
        refused(&app, ADD, sell(&[(field, None)]), 1002, field).await;
        // Empty text and null are absent too.
        refused(
            &app,
            ADD,
            sell(&[(field, Some("null".into()))]),
            1002,
            field,
        )
        .await;
        refused(
            &app,
            ADD,
            sell(&[(field, Some("\"\"".into()))]),
            if field.starts_with("Details[") {
                1003
            } else {
                1002
            },
            field,
        )
        .await;
    }
    refused(
        &app,
        ADD,
        sell(&[("Details", Some("[]".into()))]),
        1002,
        "Details",
    )
    .await;
    let pay = r#"{"SenderBillNum":"F-0","PayNum":"P-1"}"#;
    refused(
        &app,
        PAY,
        pay.replace(r#","PayNum":"P-1""#, ""),
        1002,
        "PayNum",
    )
    .await;
    refused(
        &app,
        PAY,
        pay.replace(r#""PayNum":"P-1""#, r#""PayNum":"""#),
        1002,
        "PayNum",
    )
    .await;
    for path in [PAY, CLOSE] {
        let body = pay.replace(r#""SenderBillNum":"F-0","#, "");
        refused(&app, path, body, 1002, "BillNum or SenderBillNum").await;
        refused(
            &app,
            path,
            r#"{"BillNum":null,"SenderBillNum":""}"#.to_owned(),
            1002,
            "BillNum or SenderBillNum",
        )
        .await;
    }
    for field in [
        "BillNum",
        "MerchantId",
        "ShopId",
        "HappenDate",
        "HappenTime",
        "CustomerType",
        "CustomerId",
        "CalUserType",
        "Details",
        "Details[0].SellBillNum",
        "Details[0].AutoId",
        "Details[0].ProductId",
        "Details[0].Amount",
        "Details[0].ListingPrice",
        "Details[0].RetailPrice",
        "Details[0].LowestRetailPrice",
        "Details[0].CalPrice",
    ] {
        refused(&app, SETTLE, settle(&paid, &[(field, None)]), 1002, field).await;
    }
    for field in [
        "actionType",
        "clerks",
        "clerks[0].storeCode",
        "clerks[0].clerkCode",
        "clerks[0].clerkName",
        "clerks[0].clerkType",
        "clerks[0].contactInfo.name",
        "clerks[0].contactInfo.mobile",
    ] {
        qimen_refused(&app, clerks(&[(field, None)]), field).await;
    }
}

/// `n` characters of three UTF-8 bytes each: lengths count characters, not bytes.
fn text(n: usize) -> Option<String> {
    Some(format!("\"{}\"", "字".repeat(n)))
}

/// A limited text field: its path, its maximum length and the errcode of a request with it at
/// that length (0, or the rule that fails next when the value cannot exist).
type Limit = (&'static str, usize, i32);

const SELL_LIMITS: &[Limit] = &[
    ("SenderBillNum", 32, 0),
    ("GuiderNumber", 20, 2006),
    ("Memory", 100, 0),
    ("GuestMobile", 20, 0),
    ("GuestName", 30, 0),
    ("GuestCeriCode", 20, 0),
    ("DeliverAddress", 50, 0),
    ("GuestMemory", 50, 0),
    ("Details[0].Unit", 20, 0),
    ("Details[0].Standard", 50, 0),
];

const PAY_LIMITS: &[Limit] = &[
    ("PayNum", 32, 0),
    ("Memory", 100, 0),
    ("SenderBillNum", 32, 3001),
    ("BillNum", 32, 3001),
];

const SETTLE_LIMITS: &[Limit] = &[
    ("BillNum", 32, 0),
    ("ShopId", 32, 4005),
    ("CustomerType", 32, 4005),
    ("CustomerId", 32, 4005),
    ("Memory", 100, 0),
    ("Details[0].BillNum", 32, 4005),
    ("Details[0].SellBillNum", 32, 4002),
    ("Details[0].BarCode", 32, 0),
    ("Details[0].ProductName", 100, 0),
    ("Details[0].SellType", 50, 0),
    ("Details[0].Standard", 50, 0),
    ("Details[0].ProducingArea", 50, 0),
    ("Details[0].QualityLevel", 50, 0),
    ("Details[0].Unit", 50, 0),
];

const CLERK_LIMITS: &[Limit] = &[
    ("clerks[0].storeCode", 32, 2101),
    ("clerks[0].clerkCode", 32, 0),
    ("clerks[0].sourceClerkCode", 32, 0),
    ("clerks[0].clerkName", 50, 0),
    ("clerks[0].contactInfo.name", 50, 0),
    ("clerks[0].contactInfo.career", 50, 0),
    ("clerks[0].contactInfo.mobile", 30, 0),
    ("clerks[0].contactInfo.tel", 30, 0),
    ("clerks[0].contactInfo.email", 100, 0),
    ("clerks[0].contactInfo.detailAddress", 200, 0),
];

#[tokio::test]
async fn every_limited_text_takes_its_maximum_in_characters_and_not_one_more() {
    let app = spawn().await;
    let paid = world(&app).await;
    for (n, &(field, max, errcode)) in SELL_LIMITS.iter().enumerate() {
        let key = Some(format!("\"F-{n}-MAX\""));
        let answer = call(
            &app,
            ADD,
            sell(&[("SenderBillNum", key.clone()), (field, text(max))]),
        )
        .await;
        answer.expect(200, errcode);
        let over = sell(&[("SenderBillNum", key), (field, text(max + 1))]);
        refused(
            &app,
            ADD,
            over,
            1003,
            &format!(
                "field {field} is {} characters long, at most {max}",
                max + 1
            ),
        )
        .await;
    }
    for (n, &(field, max, errcode)) in PAY_LIMITS.iter().enumerate() {
        let body = |length| {
            let mut members = vec![
                ("PayNum", Some(format!("\"PN-{n}\""))),
                ("PayAmount", Some("1".to_owned())),
            ];
            if !field.ends_with("BillNum") {
                members.push(("SenderBillNum", Some("\"F-0\"".to_owned())));
            }
            // Not the key of the bill the sell loop made with a 32-character SenderBillNum.
            members.push((field, text(length).map(|t| t.replace('字', "文"))));
            object(&[], &members)
        };
        call(&app, PAY, body(max)).await.expect(200, errcode);
        refused(
            &app,
            PAY,
            body(max + 1),
            1003,
            &format!("field {field} is {}", max + 1),
        )
        .await;
    }
    for (n, &(field, max, errcode)) in SETTLE_LIMITS.iter().enumerate() {
        let key = Some(format!("\"JS-{n}\""));
        let answer = call(
            &app,
            SETTLE,
            settle(&paid, &[("BillNum", key.clone()), (field, text(max))]),
        )
        .await;
        answer.expect(200, errcode);
        let over = settle(&paid, &[("BillNum", key), (field, text(max + 1))]);
        refused(
            &app,
            SETTLE,
            over,
            1003,
            &format!("field {field} is {}", max + 1),
        )
        .await;
    }
    for (n, &(field, max, errcode)) in CLERK_LIMITS.iter().enumerate() {
        let code = Some(format!("\"Q-{n}\""));
        let answer = qimen_call(
            &app,
            clerks(&[("clerks[0].clerkCode", code.clone()), (field, text(max))]).as_bytes(),
        )
        .await;
        assert_eq!(
            qimen_outcome(&answer),
            Ok(errcode.to_string()),
            "{field}: {}",
            answer.text()
        );
        let over = clerks(&[("clerks[0].clerkCode", code), (field, text(max + 1))]);
        qimen_refused(&app, over, field).await;
    }
}

/// `n` bill lines, settlement details or clerks, as JSON list items.
fn items(n: usize, item: impl Fn(usize) -> String) -> String {
    format!("[{}]", (0..n).map(item).collect::<Vec<_>>().join(","))
}

#[tokio::test]
async fn lists_take_500_items_and_not_501() {
    let app = spawn().await;
    let paid = world(&app).await;
    let line = |_| r#"{"ProductId":1,"Amount":0.01,"RetailPrice":99}"#.to_owned();
    let bill = |n, sender: &str| {
        sell(&[
            ("SenderBillNum", Some(format!("\"{sender}\""))),
            ("Details", Some(items(n, line))),
        ])
    };
    call(&app, ADD, bill(500, "F-500")).await.expect(200, 0);
    refused(
        &app,
        ADD,
        bill(501, "F-501"),
        1004,
        "field Details has 501 items, at most 500",
    )
    .await;

    let detail = |n: usize| {
        format!(
            r#"{{"SellBillNum":"{paid}","AutoId":{n},"ProductId":1,"Amount":0.01,"ListingPrice":128,"RetailPrice":99,"LowestRetailPrice":79,"CalPrice":90}}"#
        )
    };
    let settlement = |n, bill_num: &str| {
        settle(
            &paid,
            &[
                ("BillNum", Some(format!("\"{bill_num}\""))),
                ("Details", Some(items(n, detail))),
            ],
        )
    };
    call(&app, SETTLE, settlement(500, "JS-500"))
        .await
        .expect(200, 0);
    refused(
        &app,
        SETTLE,
        settlement(501, "JS-501"),
        1004,
        "field Details has 501 items, at most 500",
    )
    .await;

    let clerk = |n: usize| {
        format!(r#"{{"storeCode":"S002","clerkCode":"K{n}","clerkName":"Wang","clerkType":"SHY"}}"#)
    };
    let answer = qimen_call(
        &app,
        clerks(&[("clerks", Some(items(500, clerk)))]).as_bytes(),
    )
    .await;
    assert_eq!(qimen_outcome(&answer), Ok("0".to_owned()));
    let shop = posbridge_domain::ids::ShopId::new("S002");
    assert_eq!(
        app.store.clerks(&shop, false).await.expect("clerks").len(),
        500
    );
    qimen_refused(
        &app,
        clerks(&[("clerks", Some(items(501, clerk)))]),
        "clerks",
    )
    .await;
    let wrapped = clerks(&[(
        "clerks",
        Some(format!(r#"{{"clerk":{}}}"#, items(501, clerk))),
    )]);
    qimen_refused(&app, wrapped, "clerks").await;
}
