//! The operators' routes of CONTRACT §9 and §10 over HTTP: the daily and rebate reports in JSON
//! and CSV, and the callback listing with redelivery.

use axum::body::Body;
use axum::http::{Request, header};

use crate::helpers::*;

const DAILY: &str = "/admin/v1/reports/daily";
const REBATES: &str = "/admin/v1/reports/rebates";

async fn admin_get(app: &TestApp, path: &str, accept: &str) -> Answer {
    let request = Request::get(path)
        .header(header::ACCEPT, accept)
        .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

async fn add(app: &TestApp, token: &str, sender: &str, amount: &str) -> String {
    let answer = app
        .post(
            "/api/Pos/Sell/Bill/AddOrUpdate",
            Some(token),
            JSON,
            scarves(sender, amount, "99.00").into_bytes(),
        )
        .await;
    let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    body["tag"]["BillNum"].as_str().unwrap().to_owned()
}

/// Two bills of S001 (one paid, one deleted) and one of S002, all of TA/C001, and a settlement
/// of one scarf of the paid bill; answers the paid bill's number.
async fn a_day_of_business(app: &TestApp) -> String {
    let paid = add(app, CH_S001, "D-PAID", "2").await;
    let pay = format!(r#"{{"BillNum":"{paid}","PayNum":"P1"}}"#);
    app.post(
        "/api/Pos/Sell/Bill/PayBill",
        Some(CH_S001),
        JSON,
        pay.into_bytes(),
    )
    .await
    .expect(200, 0);
    let deleted = add(app, CH_S001, "D-DEL", "1").await;
    let close = format!(r#"{{"BillNum":"{deleted}"}}"#);
    app.post(
        "/api/Pos/Sell/Bill/DeleteOrClose",
        Some(CH_S001),
        JSON,
        close.into_bytes(),
    )
    .await
    .expect(200, 0);
    // At nine tenths of the retail price: 89.10, a discount of 9.90.
    let discounted = r#"{"SenderBillNum":"D-S002","PlanDeliverType":"1","Details":[{"ProductId":1,
        "Amount":1,"RetailPrice":"99.00","DiscountRate":9,"DiscountBase":10}]}"#;
    app.post(
        "/api/Pos/Sell/Bill/AddOrUpdate",
        Some(CH_S002),
        JSON,
        discounted.as_bytes().to_vec(),
    )
    .await
    .expect(200, 0);
    let settlement = format!(
        r#"{{"BillNum":"JS-1","MerchantId":2,"ShopId":"S001","HappenDate":"20240501",
            "HappenTime":"120000","CustomerType":"TA","CustomerId":"C001","CalUserType":"2",
            "Details":[{{"SellBillNum":"{paid}","AutoId":1,"ProductId":1,"Amount":1,
              "ListingPrice":128,"RetailPrice":99,"LowestRetailPrice":79,"CalPrice":90,
              "ProductName":"Silk scarf"}}]}}"#
    );
    app.post(
        "/api/UnPos/Merchant/Customer/CalculateBill/Add",
        Some(M2),
        JSON,
        settlement.into_bytes(),
    )
    .await
    .expect(200, 0);
    paid
}

#[tokio::test]
async fn the_daily_report_counts_a_business_day_in_json_and_csv() {
    let app = spawn_admin().await;
    a_day_of_business(&app).await;

    let answer = admin_get(&app, &format!("{DAILY}?date=20240501"), JSON).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.text(),
        concat!(
            r#"{"date":"20240501","rows":["#,
            r#"{"shopId":"S001","customerType":"TA","customerId":"C001","billsCreated":2,"#,
            r#""billsPaid":1,"billsDeleted":1,"billsClosed":0,"totalAmount":198.00,"#,
            r#""paidAmount":198.00,"discountAmount":0.00},"#,
            r#"{"shopId":"S002","customerType":"TA","customerId":"C001","billsCreated":1,"#,
            r#""billsPaid":0,"billsDeleted":0,"billsClosed":0,"totalAmount":89.10,"#,
            r#""paidAmount":0.00,"discountAmount":9.90}]}"#
        )
    );
    let csv = admin_get(
        &app,
        &format!("{DAILY}?date=20240501&shopId=S002"),
        "text/csv",
    )
    .await;
    assert!(csv.content_type.starts_with("text/csv"), "{csv:?}");
    assert_eq!(
        csv.text(),
        "shopId,customerType,customerId,billsCreated,billsPaid,billsDeleted,billsClosed,\
         totalAmount,paidAmount,discountAmount\r\nS002,TA,C001,1,0,0,0,89.10,0.00,9.90\r\n"
    );
    // The next business day (in +08:00) has none of them.
    let next = admin_get(&app, &format!("{DAILY}?date=20240502"), JSON).await;
    assert_eq!(next.text(), r#"{"date":"20240502","rows":[]}"#);

    admin_get(&app, DAILY, JSON).await.expect(200, 1002);
    admin_get(&app, &format!("{DAILY}?date=2024-05-01"), JSON)
        .await
        .expect(200, 1003);
    let anonymous = Request::get(format!("{DAILY}?date=20240501"))
        .body(Body::empty())
        .unwrap();
    app.send(anonymous).await.expect(401, 5001);
}

#[tokio::test]
async fn the_rebate_report_sums_settlements_by_happen_date() {
    let app = spawn_admin().await;
    a_day_of_business(&app).await;
    let answer = admin_get(&app, &format!("{REBATES}?from=20240401&to=20240501"), JSON).await;
    assert_eq!(
        answer.text(),
        concat!(
            r#"{"from":"20240401","to":"20240501","rows":["#,
            r#"{"merchantId":2,"customerType":"TA","customerId":"C001","calUserType":"2","#,
            r#""settlements":1,"salesAmount":99.00,"calAmount":90.00,"rebateAmount":27.00}]}"#
        )
    );
    let other = admin_get(
        &app,
        &format!("{REBATES}?from=20240501&to=20240501&customerId=C002"),
        JSON,
    )
    .await;
    assert_eq!(
        other.text(),
        r#"{"from":"20240501","to":"20240501","rows":[]}"#
    );
    admin_get(&app, &format!("{REBATES}?from=20240502&to=20240501"), JSON)
        .await
        .expect(200, 1003);
    admin_get(&app, &format!("{REBATES}?from=20240501"), JSON)
        .await
        .expect(200, 1002);
}

#[tokio::test]
async fn callbacks_are_listed_by_status_and_redelivered_on_demand() {
    let app = spawn_admin().await;
    let paid = a_day_of_business(&app).await;
    let listed = admin_get(&app, "/admin/v1/callbacks?status=pending", JSON).await;
    let body: serde_json::Value = serde_json::from_slice(&listed.body).unwrap();
    let callbacks = body["callbacks"].as_array().unwrap();
    // Created and paid, created and deleted, created (S002), the settlement.
    assert_eq!(callbacks.len(), 6, "{body}");
    let first = &callbacks[0];
    assert_eq!(first["id"], "evt_1");
    assert_eq!(first["type"], "bill.created");
    assert_eq!(first["billNum"], paid.as_str());
    assert_eq!(first["status"], "pending");
    assert_eq!(first["attempts"], 0);
    assert!(first["lastStatusCode"].is_null());
    assert!(first["createdAt"].as_str().unwrap().ends_with("+08:00"));

    let of_bill = admin_get(&app, &format!("/admin/v1/callbacks?billNum={paid}"), JSON).await;
    let body: serde_json::Value = serde_json::from_slice(&of_bill.body).unwrap();
    assert_eq!(body["callbacks"].as_array().unwrap().len(), 2);
    let failed = admin_get(&app, "/admin/v1/callbacks?status=failed", JSON).await;
    assert_eq!(failed.text(), r#"{"callbacks":[]}"#);
    admin_get(&app, "/admin/v1/callbacks?status=lost", JSON)
        .await
        .expect(200, 1003);

    let retry = |id: &str| {
        Request::post(format!("/admin/v1/callbacks/{id}/retry"))
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.send(retry("evt_1")).await.text(), r#"{"scheduled":1}"#);
    assert_eq!(
        app.send(retry("evt_999")).await.text(),
        r#"{"scheduled":0}"#
    );
    app.send(retry("one")).await.expect(200, 1003);
}
