//! Bad query parameters and bad master data documents over HTTP (CONTRACT §3, §5, §6, §10): each
//! with its exact status and errcode, the errmsg naming the parameter or field, and nothing
//! stored.

use axum::body::Body;
use axum::http::header;

use crate::helpers::*;

/// `levels` nested JSON lists, the innermost empty.
fn lists(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

#[tokio::test]
async fn bad_query_parameters_are_field_errors() {
    let app = spawn().await;
    let long = "x".repeat(33);
    let get = "/api/Pos/Sell/Bill/Get";
    let list = "/api/Pos/Sell/Bill/List";
    let mut cases = vec![
        (format!("{get}?BillNum={long}"), 1003, "BillNum"),
        (format!("{get}?SenderBillNum={long}"), 1003, "SenderBillNum"),
        (format!("{get}?SenderBillNum=%ff%fe"), 3001, "not found"),
        (format!("{get}?SenderBillNum=%"), 3001, "not found"),
    ];
    for limit in ["abc", "0", "501", "1e400", "-1", "1.0"] {
        cases.push((format!("{list}?limit={limit}"), 1003, "limit"));
    }
    for date in [
        "20230229",
        "99999999",
        "2024-05-01T00:00:00",
        "%ff",
        "2024-13-01T00:00:00Z",
    ] {
        cases.push((format!("{list}?from={date}"), 1003, "from"));
        cases.push((format!("{list}?to={date}"), 1003, "to"));
    }
    for state in ["Unknown", "paid", "%00"] {
        cases.push((format!("{list}?state={state}"), 1003, "state"));
    }
    for cursor in ["garbage", "c99999999999999999999999", "c%ff"] {
        cases.push((format!("{list}?cursor={cursor}"), 1003, "cursor"));
    }
    for (path, errcode, named) in cases {
        let request = axum::http::Request::get(&path)
            .header(header::AUTHORIZATION, format!("Bearer {CH_S001}"))
            .body(Body::empty())
            .expect("a request");
        let plain = send_refused(&app, request, 200, errcode).await;
        assert!(plain.errmsg.unwrap_or_default().contains(named), "{path}");
    }
    // A settlement's BillNum is checked as the sell bill keys are: over 32 characters is 1003,
    // counted in characters; 32 is looked up.
    let get = "/api/UnPos/Merchant/Customer/CalculateBill/Get";
    let wang = "%E7%8E%8B";
    for (path, errcode, named) in [
        (format!("{get}?BillNum={long}"), 1003, "BillNum"),
        (
            format!("{get}?billnum={}", wang.repeat(33)),
            1003,
            "BillNum",
        ),
        (
            format!("{get}?BillNum={}", wang.repeat(32)),
            4006,
            "not found",
        ),
        (
            format!("{get}?BillNum={}", "x".repeat(32)),
            4006,
            "not found",
        ),
        (format!("{get}?BillNum="), 1002, "BillNum"),
        (get.to_owned(), 1002, "BillNum"),
    ] {
        let request = axum::http::Request::get(&path)
            .header(header::AUTHORIZATION, format!("Bearer {M2}"))
            .body(Body::empty())
            .expect("a request");
        let plain = send_refused(&app, request, 200, errcode).await;
        assert!(plain.errmsg.unwrap_or_default().contains(named), "{path}");
    }
}

#[tokio::test]
async fn bad_master_data_documents_store_nothing() {
    let app = spawn_admin().await;
    let put = |body: Vec<u8>| {
        axum::http::Request::put("/admin/v1/master-data")
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
            .header(header::CONTENT_TYPE, JSON)
            .body(Body::from(body))
            .expect("a request")
    };
    let unit = |rate: &str| {
        format!(r#"{{"customerUnits":[{{"type":"TA","id":"C9","name":"x","rebateRate":{rate}}}]}}"#)
    };
    for body in [
        Vec::new(),
        b" \r\n".to_vec(),
        b"[]".to_vec(),
        b"null".to_vec(),
        lists(100_000).into_bytes(),
        format!(r#"{{"merchants":{}}}"#, lists(100_000)).into_bytes(),
        b"{\"merchants\":[{\"id\":9,\"name\":\"\xff\"}]}".to_vec(),
        b"\xEF\xBB\xBF\xEF\xBB\xBF{\"merchants\":[]}".to_vec(),
    ] {
        send_refused(&app, put(body), 400, 1001).await;
    }
    for (body, named) in [
        (unit("\"1e400\""), "customerUnits[0].rebateRate"),
        (unit("1e400"), "customerUnits[0].rebateRate"),
        (unit("\"0.123456\""), "customerUnits[0].rebateRate"),
        (
            r#"{"merchants":[{"id":1e400,"name":"x"}]}"#.to_owned(),
            "merchants[0].id",
        ),
        (
            r#"{"merchants":[{"id":9,"name":"x","extra":[[[]]]}]}"#.to_owned(),
            "merchants[0].extra",
        ),
        // A key given twice, in one spelling or two: which was meant cannot be told.
        (
            r#"{"merchants":[{"id":9,"name":"x","name":"y"}]}"#.to_owned(),
            "merchants[0].name: repeats the key \"name\"",
        ),
        (
            r#"{"merchants":[{"id":9,"Name":"x","name":"y"}]}"#.to_owned(),
            "merchants[0].name: repeats the key \"Name\"",
        ),
        (
            r#"{"merchants":[],"Merchants":[{"id":9,"name":"x"}]}"#.to_owned(),
            "Merchants: repeats the key \"merchants\"",
        ),
    ] {
        let plain = send_refused(&app, put(body.into_bytes()), 200, 1003).await;
        assert!(plain.errmsg.unwrap_or_default().contains(named), "{named}");
    }
    // The document is JSON in UTF-8, whatever else it is declared as; undeclared is JSON.
    let document = br#"{"merchants":[{"id":9,"name":"typed"}]}"#;
    for media in [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/json; charset=gbk",
        "text/json; charset=utf-16",
        "application/xml",
        "application/bson",
        "application/x-www-form-urlencoded",
    ] {
        let request = axum::http::Request::put("/admin/v1/master-data")
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
            .header(header::CONTENT_TYPE, media)
            .body(Body::from(document.to_vec()))
            .expect("a request");
        let plain = send_refused(&app, request, 415, 1006).await;
        assert!(plain.errmsg.unwrap_or_default().contains("JSON"), "{media}");
    }
    let untyped = axum::http::Request::put("/admin/v1/master-data")
        .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
        .body(Body::from(document.to_vec()))
        .expect("a request");
    assert_eq!(app.send(untyped).await.status, 200);
    // One byte order mark, as Windows editors write, is read past.
    let with_bom = [
        &b"\xEF\xBB\xBF"[..],
        br#"{"merchants":[{"id":9,"name":"bom"}]}"#,
    ]
    .concat();
    let answer = app.send(put(with_bom)).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let merchant = app
        .store
        .master_data()
        .await
        .expect("master data")
        .merchants;
    assert!(merchant.iter().any(|m| m.name == "bom"), "{merchant:?}");
    // The document may be 32 MiB, not one byte more.
    let mut big = br#"{"merchants":[]}"#.to_vec();
    big.resize(32 * 1024 * 1024 + 1, b' ');
    send_refused(&app, put(big), 413, 1005).await;
}
