//! Bad input over HTTP, in JSON and in the transport (CONTRACT §4, §10): empty and blank bodies,
//! roots that are not objects, hostile nesting, invalid UTF-8, hostile numbers, duplicated keys,
//! media type parameters and body limits — each with its exact status and errcode, and nothing
//! stored by any refused request. The submodules take XML (`formats`), BSON (`bson`), fields
//! (`fields`), and query parameters and master data documents (`queries`).

mod bson;
mod fields;
mod formats;
mod queries;

use axum::body::{Body, Bytes};
use axum::http::{Request, header};
use http_body_util::{BodyExt, Full};
use posbridge_protocol::dto::PosSellBillView;
use posbridge_protocol::limits::BODY_MAX_BYTES;

use crate::helpers::*;

const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";
const PAY: &str = "/api/Pos/Sell/Bill/PayBill";
const CLOSE: &str = "/api/Pos/Sell/Bill/DeleteOrClose";
const SETTLE: &str = "/api/UnPos/Merchant/Customer/CalculateBill/Add";

/// A POST to `path` as the account that may call it, with `content_type` (none when `None`)
/// and no `Content-Length`.
fn raw(path: &str, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Request<Body> {
    let token = if path == SETTLE { M2 } else { CH_S001 };
    let mut builder = Request::post(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder.body(Body::from(body.into())).expect("a request")
}

/// An AddOrUpdate of one scarf at 99.00 with `extra` JSON members appended to the header.
fn bill_with(sender: &str, extra: &str) -> String {
    let bill = scarves(sender, "1", "99.00");
    format!(
        "{},{extra}}}",
        bill.trim_end().strip_suffix('}').expect("an object")
    )
}

/// The bill `sender` of C001 as CH_S001 sees it, if any.
async fn bill(app: &TestApp, sender: &str) -> Option<PosSellBillView> {
    let path = format!("/api/Pos/Sell/Bill/Get?SenderBillNum={sender}");
    app.get(&path, Some(CH_S001), JSON)
        .await
        .envelope::<PosSellBillView>()
        .tag
}

#[tokio::test]
async fn empty_and_blank_bodies_cannot_be_parsed() {
    let app = spawn().await;
    for path in [ADD, PAY, CLOSE, SETTLE] {
        for media in [
            Some(JSON),
            Some("text/json"),
            Some(XML),
            Some("text/xml"),
            Some(BSON),
            None,
        ] {
            for body in ["", " ", "\r\n\t  \n"] {
                send_refused(&app, raw(path, media, body), 400, 1001).await;
            }
        }
    }
}

#[tokio::test]
async fn json_roots_that_are_not_one_object_cannot_be_parsed() {
    let app = spawn().await;
    let one = scarves("R-1", "1", "99.00");
    for body in [
        "[]".to_owned(),
        format!("[{one}]"),
        r#""PosSellFromWebInterfaceParm""#.to_owned(),
        "42".to_owned(),
        "-0".to_owned(),
        "null".to_owned(),
        "true".to_owned(),
        format!("{one}{one}"),
        format!("{one},"),
        format!("{one} x"),
        "{".to_owned(),
        "}".to_owned(),
    ] {
        for path in [ADD, PAY, SETTLE] {
            send_refused(&app, raw(path, Some(JSON), body.clone()), 400, 1001).await;
        }
    }
    // An object without members is readable: its first required field is missing.
    let plain = send_refused(&app, raw(ADD, Some(JSON), "{}"), 200, 1002).await;
    assert!(plain.errmsg.unwrap_or_default().contains("SenderBillNum"));
}

/// `levels` nested JSON lists, the innermost empty.
fn lists(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

#[tokio::test]
async fn json_nesting_is_bounded_at_32_levels_without_exhausting_the_stack() {
    let app = spawn().await;
    // The root is level 1: an unknown member 31 lists deep is level 32, read and ignored.
    let deepest = bill_with("D-32", &format!(r#""Extra":{}"#, lists(31)));
    let answer = app
        .post(ADD, Some(CH_S001), JSON, deepest.into_bytes())
        .await;
    answer.expect(200, 0);
    assert!(bill(&app, "D-32").await.is_some());
    let objects = |levels: usize| format!("{}1{}", r#"{"a":"#.repeat(levels), "}".repeat(levels));
    for body in [
        bill_with("D-33", &format!(r#""Extra":{}"#, lists(32))),
        bill_with("D-33", &format!(r#""Extra":{}"#, objects(32))),
        lists(33),
        lists(100_000),
        "[".repeat(100_000),
        "{\"a\":".repeat(100_000),
        objects(100_000),
        bill_with("D-1E5", &format!(r#""Memory":{}"#, lists(100_000))),
    ] {
        send_refused(&app, raw(ADD, Some(JSON), body), 400, 1001).await;
    }
    assert!(bill(&app, "D-33").await.is_none());
}

#[tokio::test]
async fn invalid_utf8_in_a_json_string_cannot_be_parsed() {
    let app = spawn().await;
    let template = scarves("U-1", "1", "99.00");
    for bad in [
        &b"\xff"[..],
        b"\xc0\xaf",         // an overlong '/'
        b"\xed\xa0\x80",     // an encoded surrogate
        b"\xe4\xb8",         // a character cut short
        b"\xf4\x90\x80\x80", // beyond U+10FFFF
    ] {
        let body = template.replace("Wang", "W\u{1}ng").into_bytes();
        let at = body.iter().position(|b| *b == 1).expect("the marker");
        let body = [&body[..at], bad, &body[at + 1..]].concat();
        send_refused(&app, raw(ADD, Some(JSON), body), 400, 1001).await;
    }
    // A raw control character in a string is not JSON either, and an escaped lone surrogate
    // is no Unicode text.
    for body in [
        template.replace("Wang", "W\u{1}ng"),
        template.replace("Wang", r"W\ud800ng"),
    ] {
        send_refused(&app, raw(ADD, Some(JSON), body), 400, 1001).await;
    }
    // Escapes of real characters are fine.
    let escaped = template.replace("Wang", r"\u738b\ud83d\ude00");
    app.post(ADD, Some(CH_S001), JSON, escaped.into_bytes())
        .await
        .expect(200, 0);
    let view = bill(&app, "U-1").await.expect("the bill");
    assert_eq!(view.guest_name.as_deref(), Some("王😀"));
}

/// A hostile number in a field of a bill, and its errcode.
const BAD_NUMBERS: &[(&str, &str, i32)] = &[
    // (field, JSON value, errcode)
    ("Amount", "1e400", 1003),
    ("Amount", "\"1e400\"", 1003),
    ("Amount", "1e-400", 1003),
    ("Amount", "1E+12", 1003),
    ("Amount", "1000000000000", 1003),
    ("Amount", "999999999999.9999", 1003),
    ("Amount", "-0", 1003),
    ("Amount", "0", 1003),
    ("Amount", "-1", 1003),
    ("Amount", "1.00001", 1003),
    ("Amount", "\"1.123450\"", 1003),
    ("Amount", "1e-5", 1003),
    ("Amount", "\"1 000\"", 1003),
    ("Amount", "\"0x10\"", 1003),
    ("Amount", "\"abc\"", 1003),
    ("Amount", "\"NaN\"", 1003),
    ("Amount", "\"Infinity\"", 1003),
    ("Amount", "true", 1003),
    ("Amount", "[1]", 1003),
    ("Amount", "{}", 1003),
    ("Amount", "\"\"", 1003),
    ("Amount", "null", 1002),
    ("RetailPrice", "1E+12", 1003),
    ("RetailPrice", "1e400", 1003),
    ("RetailPrice", "99.00001", 1003),
    ("RetailPrice", "-99", 1003),
    ("RetailPrice", "-0", 2003),
    ("DiscountRate", "1e400", 1003),
    ("DiscountBase", "10.00001", 1003),
    ("DiscountBase", "1E+12", 1003),
    ("ProductId", "1.5", 1003),
    ("ProductId", "1e400", 1003),
    ("ProductId", "9223372036854775808", 1003),
];

/// A number that is not JSON at all.
const NOT_JSON_NUMBERS: &[&str] = &[
    "NaN",
    "Infinity",
    "-Infinity",
    "0x10",
    "+1",
    ".5",
    "1.",
    "01",
];

/// A bill of one line whose `field` is the JSON `value`.
fn line_with(sender: &str, field: &str, value: &str) -> String {
    let mut members = vec![
        ("ProductId", "1".to_owned()),
        ("Amount", "1".to_owned()),
        ("RetailPrice", "\"99.00\"".to_owned()),
    ];
    match members.iter_mut().find(|(name, _)| *name == field) {
        Some(member) => member.1 = value.to_owned(),
        None => members.push((field, value.to_owned())),
    }
    if field == "DiscountRate" {
        members.push(("DiscountBase", "10".to_owned()));
    }
    if field == "DiscountBase" {
        members.push(("DiscountRate", "10".to_owned()));
    }
    let line: Vec<String> = members
        .iter()
        .map(|(k, v)| format!(r#""{k}":{v}"#))
        .collect();
    format!(
        r#"{{"SenderBillNum":"{sender}","Details":[{{{}}}]}}"#,
        line.join(",")
    )
}

#[tokio::test]
async fn hostile_numbers_are_refused_exactly() {
    let app = spawn().await;
    for (n, (field, value, errcode)) in BAD_NUMBERS.iter().enumerate() {
        let body = line_with(&format!("N-{n}"), field, value);
        let plain = send_refused(&app, raw(ADD, Some(JSON), body), 200, *errcode).await;
        if *errcode != 2003 {
            let errmsg = plain.errmsg.unwrap_or_default();
            assert!(
                errmsg.contains(&format!("Details[0].{field}")),
                "{field} {value}: {errmsg}"
            );
        }
    }
    // 400 digits fit no field, integer or decimal.
    let digits = "9".repeat(400);
    for (field, value) in [
        ("Amount", digits.clone()),
        ("ProductId", digits.clone()),
        ("Amount", format!("0.{digits}")),
    ] {
        let body = line_with("N-400", field, &value);
        send_refused(&app, raw(ADD, Some(JSON), body), 200, 1003).await;
    }
    for member_id in [digits.as_str(), "9223372036854775808", "1e400", "1.5"] {
        let body = bill_with("N-400", &format!(r#""MemberId":{member_id}"#));
        let plain = send_refused(&app, raw(ADD, Some(JSON), body), 200, 1003).await;
        assert!(
            plain.errmsg.unwrap_or_default().contains("MemberId"),
            "{member_id}"
        );
    }
    // Settlement numbers are checked before any sell bill is looked up.
    for (field, value) in [
        ("CalPrice", "1e400"),
        ("CalPrice", "90.00001"),
        ("Amount", "1E+12"),
        ("Amount", digits.as_str()),
        ("ListingPrice", "-0.0001"),
        ("AutoId", "1e400"),
        ("MerchantId", digits.as_str()),
    ] {
        let mut members = [
            ("SellBillNum", "\"SB000000000001\""),
            ("AutoId", "1"),
            ("ProductId", "1"),
            ("Amount", "1"),
            ("ListingPrice", "128"),
            ("RetailPrice", "99"),
            ("LowestRetailPrice", "79"),
            ("CalPrice", "90"),
        ];
        let mut merchant = "2";
        match members.iter_mut().find(|(name, _)| *name == field) {
            Some(member) => member.1 = value,
            None => merchant = value,
        }
        let detail: Vec<String> = members
            .iter()
            .map(|(k, v)| format!(r#""{k}":{v}"#))
            .collect();
        let body = format!(
            r#"{{"BillNum":"JS-N","MerchantId":{merchant},"ShopId":"S001","HappenDate":"20240501","HappenTime":"120000",
                "CustomerType":"TA","CustomerId":"C001","CalUserType":"2","Details":[{{{}}}]}}"#,
            detail.join(",")
        );
        let plain = send_refused(&app, raw(SETTLE, Some(JSON), body), 200, 1003).await;
        assert!(
            plain.errmsg.unwrap_or_default().contains(field),
            "{field} {value}"
        );
    }
    for value in NOT_JSON_NUMBERS {
        let body = line_with("N-X", "Amount", value);
        send_refused(&app, raw(ADD, Some(JSON), body), 400, 1001).await;
    }
    // Payments: money has at most 2 places, and is below 10^12.
    let created = app.post(
        ADD,
        Some(CH_S001),
        JSON,
        scarves("N-PAY", "1", "99.00").into_bytes(),
    );
    created.await.expect(200, 0);
    for amount in ["1e400", "10.001", "-0", "0", "1E+12", "\"1 2\"", "\"abc\""] {
        let body = format!(r#"{{"SenderBillNum":"N-PAY","PayNum":"P1","PayAmount":{amount}}}"#);
        let plain = send_refused(&app, raw(PAY, Some(JSON), body), 200, 1003).await;
        assert!(
            plain.errmsg.unwrap_or_default().contains("PayAmount"),
            "{amount}"
        );
    }
}

#[tokio::test]
async fn numbers_are_exact_whatever_their_spelling() {
    let app = spawn().await;
    // Each spelling of one scarf at 99.00 is the same content: a replay of the first bill.
    app.post(
        ADD,
        Some(CH_S001),
        JSON,
        line_with("E-1", "Amount", "1").into_bytes(),
    )
    .await
    .expect(200, 0);
    let before = stored(&app).await;
    for (field, value) in [
        ("Amount", "1E+0"),
        ("Amount", "1.0000000000000000000000000000000000000000"),
        ("Amount", "0.1e1"),
        ("Amount", "\"1.000\""),
        ("Amount", "10000e-4"),
        // Numeric strings may be surrounded by spaces, and signed, as .NET's decimal parsing
        // allows.
        ("Amount", "\" 1 \""),
        ("Amount", "\"\\t+1\\n\""),
        ("RetailPrice", "99"),
        ("RetailPrice", "9.9E1"),
        ("RetailPrice", "\"9900e-2\""),
        ("ProductId", "1.0"),
        ("ProductId", "\"1\""),
        ("ProductId", "1E+0"),
    ] {
        let answer = app.post(
            ADD,
            Some(CH_S001),
            JSON,
            line_with("E-1", field, value).into_bytes(),
        );
        answer.await.expect(200, 0);
        assert_eq!(stored(&app).await, before, "{field} {value} is a replay");
    }
    // The smallest quantity, and 4 places once trailing zeros are dropped.
    for (sender, amount, total) in [("E-2", "0.0001", "0.01"), ("E-3", "1.12340000", "111.22")] {
        let answer = app.post(
            ADD,
            Some(CH_S001),
            JSON,
            line_with(sender, "Amount", amount).into_bytes(),
        );
        answer.await.expect(200, 0);
        let view = bill(&app, sender).await.expect("the bill");
        assert_eq!(
            view.total_amount.map(|d| d.to_string()).as_deref(),
            Some(total),
            "{amount}"
        );
    }
}

#[tokio::test]
async fn duplicated_json_keys_take_the_last_value_as_json_net_does() {
    let app = spawn().await;
    let body = r#"{"SenderBillNum":"DUP-A","SenderBillNum":"DUP-B","Details":[{"ProductId":1,"Amount":1,"Amount":2,"RetailPrice":"99.00"}]}"#;
    app.post(ADD, Some(CH_S001), JSON, body.as_bytes().to_vec())
        .await
        .expect(200, 0);
    assert!(bill(&app, "DUP-A").await.is_none());
    let view = bill(&app, "DUP-B").await.expect("the last SenderBillNum");
    assert_eq!(
        view.total_amount.map(|d| d.to_string()).as_deref(),
        Some("198.00")
    );
}

#[tokio::test]
async fn duplicated_json_keys_in_other_letter_cases_take_the_last_value() {
    let app = spawn().await;
    let body = r#"{"SenderBillNum":"DUP-A","senderBillNum":"DUP-B","Details":[{"ProductId":1,"Amount":1,"RetailPrice":"99.00"}]}"#;
    app.post(ADD, Some(CH_S001), JSON, body.as_bytes().to_vec())
        .await
        .expect(200, 0);
    assert!(
        bill(&app, "DUP-A").await.is_none(),
        "Json.NET keeps the last of the two"
    );
    assert!(bill(&app, "DUP-B").await.is_some());
    // Whichever spelling sorts first: the last one sent wins, in lines too.
    let body = r#"{"senderbillnum":"DUP-C","SENDERBILLNUM":"DUP-D","Details":[{"amount":2,"ProductId":1,"Amount":1,"RetailPrice":"99.00"}]}"#;
    app.post(ADD, Some(CH_S001), JSON, body.as_bytes().to_vec())
        .await
        .expect(200, 0);
    assert!(bill(&app, "DUP-C").await.is_none());
    let view = bill(&app, "DUP-D").await.expect("the last SenderBillNum");
    assert_eq!(
        view.total_amount.map(|d| d.to_string()).as_deref(),
        Some("99.00")
    );
}

#[tokio::test]
async fn media_type_parameters_and_charsets() {
    let app = spawn().await;
    for (n, media) in [
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/json; charset=\"utf-8\"",
        "Application/JSON; Charset=UTF8",
        "text/json; charset=utf-8; boundary=x",
        "application/json; q=1",
    ]
    .into_iter()
    .enumerate()
    {
        let sender = format!("M-{n}");
        app.post(
            ADD,
            Some(CH_S001),
            media,
            scarves(&sender, "1", "99.00").into_bytes(),
        )
        .await
        .expect(200, 0);
        assert!(bill(&app, &sender).await.is_some(), "{media}");
    }
    for media in [
        "application/json; charset=iso-8859-1",
        "application/json; charset=utf-16",
        "text/json; charset=us-ascii",
        "text/xml; charset=gb2312",
        "application/xml; charset=utf-16le",
        "application/json-patch+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "json",
    ] {
        let body = scarves("M-X", "1", "99.00");
        send_refused(&app, raw(ADD, Some(media), body), 415, 1006).await;
    }
}

/// .NET clients that send with `Encoding.UTF8` put a UTF-8 byte order mark first, and Json.NET
/// reads past it: one BOM is accepted before JSON as before XML. A second one is not JSON.
#[tokio::test]
async fn one_utf8_bom_before_json_is_read() {
    let app = spawn().await;
    let bom = &b"\xEF\xBB\xBF"[..];
    let body = |sender: &str, marks: usize| {
        [
            &bom.repeat(marks)[..],
            scarves(sender, "1", "99.00").as_bytes(),
        ]
        .concat()
    };
    app.post(ADD, Some(CH_S001), JSON, body("BOM-1", 1))
        .await
        .expect(200, 0);
    assert!(bill(&app, "BOM-1").await.is_some());
    send_refused(&app, raw(ADD, Some(JSON), body("BOM-2", 2)), 400, 1001).await;
    // Only at the start: one anywhere else is no JSON either.
    let inside = [&b" "[..], &body("BOM-3", 1)].concat();
    send_refused(&app, raw(ADD, Some(JSON), inside), 400, 1001).await;
}

/// A bill padded with spaces to exactly `size` bytes.
fn padded(size: usize) -> Vec<u8> {
    let mut body = scarves("BIG-1", "1", "99.00").into_bytes();
    body.resize(size, b' ');
    body
}

#[tokio::test]
async fn the_body_limit_is_1_mib_declared_or_not() {
    let app = spawn().await;
    // Exactly the limit is read.
    app.post(ADD, Some(CH_S001), JSON, padded(BODY_MAX_BYTES))
        .await
        .expect(200, 0);
    app.post(ADD, Some(CH_S001), JSON, padded(BODY_MAX_BYTES))
        .await
        .expect(200, 0);
    assert_eq!(c001_bills(&app).await, 1);
    let over = || padded(BODY_MAX_BYTES + 1);
    // Declared.
    send_refused(&app, post(ADD, Some(CH_S001), JSON, over()), 413, 1005).await;
    // Not declared.
    send_refused(&app, raw(ADD, Some(JSON), over()), 413, 1005).await;
    // Declared smaller than it is.
    let mut lying = raw(ADD, Some(JSON), over());
    lying
        .headers_mut()
        .insert(header::CONTENT_LENGTH, 100.into());
    send_refused(&app, lying, 413, 1005).await;
    // Declared far larger than anything sent: refused before reading.
    let mut huge = raw(ADD, Some(JSON), scarves("BIG-2", "1", "99.00"));
    huge.headers_mut()
        .insert(header::CONTENT_LENGTH, (u64::MAX).into());
    send_refused(&app, huge, 413, 1005).await;
    // Streamed, of no known size.
    let streamed = Body::new(Full::new(Bytes::from(over())).map_frame(|frame| frame));
    let mut request = raw(ADD, Some(JSON), Vec::new());
    *request.body_mut() = streamed;
    send_refused(&app, request, 413, 1005).await;
    // In every format, and on every endpoint.
    for path in [ADD, PAY, CLOSE, SETTLE] {
        for media in [JSON, XML, BSON] {
            send_refused(&app, raw(path, Some(media), over()), 413, 1005).await;
        }
    }
}
