//! Rebate settlements over HTTP (CONTRACT §6).

use posbridge_protocol::dto::{
    PosSellFromWebInterfaceParm, PosSellFromWebInterfaceResult, PosSellPayBillParm,
    UnPosCustomerCalculateAddParm, UnPosCustomerCalculateView,
};

use crate::helpers::*;

const ADD: &str = "/api/UnPos/Merchant/Customer/CalculateBill/Add";

/// A paid bill of 2 scarves at S001 for TA/C001; answers its BillNum.
async fn paid_bill(app: &TestApp) -> String {
    let body = body_as::<PosSellFromWebInterfaceParm>(JSON, &scarves("P-1", "2", "99.00"));
    let answer = app
        .post("/api/Pos/Sell/Bill/AddOrUpdate", Some(CH_S001), JSON, body)
        .await;
    let bill_num = answer
        .envelope::<PosSellFromWebInterfaceResult>()
        .tag
        .and_then(|t| t.bill_num)
        .expect("a BillNum");
    let pay = format!(r#"{{"BillNum":"{bill_num}","PayNum":"PAY-1"}}"#);
    let body = body_as::<PosSellPayBillParm>(JSON, &pay);
    app.post("/api/Pos/Sell/Bill/PayBill", Some(CH_S001), JSON, body)
        .await
        .expect(200, 0);
    bill_num
}

fn settlement(bill_num: &str, sell: &str, amount: &str) -> String {
    format!(
        r#"{{"BillNum":"{bill_num}","MerchantId":2,"ShopId":"S001","HappenDate":"20240501",
            "HappenTime":"120000","CustomerType":"TA","CustomerId":"C001","CalUserType":"2",
            "Details":[{{"SellBillNum":"{sell}","AutoId":1,"ProductId":1,"Amount":{amount},
              "ListingPrice":128,"RetailPrice":99,"LowestRetailPrice":79,"CalPrice":90,
              "ProductName":"Silk scarf"}}]}}"#
    )
}

#[tokio::test]
async fn settlements_are_added_replayed_and_read_in_every_format() {
    let app = spawn().await;
    let sell = paid_bill(&app).await;
    let mut ids = Vec::new();
    for (media, bill_num, amount) in [
        (JSON, "JS-1", "1"),
        (XML, "JS-2", "0.5"),
        (BSON, "JS-3", "0.5"),
    ] {
        let body =
            body_as::<UnPosCustomerCalculateAddParm>(media, &settlement(bill_num, &sell, amount));
        let answer = app.post(ADD, Some(M2), media, body.clone()).await;
        assert_eq!(answer.format(), format_of(media));
        let id = answer.expect(200, 0).tag.expect("the settlement id");
        assert!(id.parse::<i64>().is_ok(), "{id}");
        // Identical content again: the same answer.
        let again = app.post(ADD, Some(M2), media, body).await.expect(200, 0);
        assert_eq!(again.tag.as_deref(), Some(id.as_str()));
        ids.push(id);
    }
    // Everything sold is settled: one more unit is a double rebate.
    let body = body_as::<UnPosCustomerCalculateAddParm>(JSON, &settlement("JS-4", &sell, "0.0001"));
    app.post(ADD, Some(M2), JSON, body).await.expect(200, 4003);
    // The same BillNum with other content: 4001.
    let body = body_as::<UnPosCustomerCalculateAddParm>(JSON, &settlement("JS-1", &sell, "0.5"));
    app.post(ADD, Some(M2), JSON, body).await.expect(200, 4001);

    let path = "/api/UnPos/Merchant/Customer/CalculateBill/Get?BillNum=JS-1";
    for media in [JSON, XML, BSON] {
        let answer = app.get(path, Some(M2), media).await;
        let envelope = answer.envelope::<UnPosCustomerCalculateView>();
        assert_eq!((answer.status, envelope.errcode), (200, 0), "{envelope:?}");
        let view = envelope.tag.expect("a view");
        assert_eq!(view.id.as_deref(), Some(ids[0].as_str()));
        assert_eq!(
            view.cal_amount.map(|d| d.to_string()).as_deref(),
            Some("90.00")
        );
        assert_eq!(
            view.rebate_amount.map(|d| d.to_string()).as_deref(),
            Some("27.00")
        );
        assert_eq!(view.details.map(|d| d.len()), Some(1));
    }
    // Another merchant's settlement, or none: 4006; no BillNum: 1002.
    app.get(path, Some(M3), JSON).await.expect(200, 4006);
    app.get(
        "/api/UnPos/Merchant/Customer/CalculateBill/Get?BillNum=JS-9",
        Some(M2),
        JSON,
    )
    .await
    .expect(200, 4006);
    app.get(
        "/api/UnPos/Merchant/Customer/CalculateBill/Get",
        Some(M2),
        JSON,
    )
    .await
    .expect(200, 1002);
}

#[tokio::test]
async fn a_merchant_settles_only_its_own_shops() {
    let app = spawn().await;
    let sell = paid_bill(&app).await;
    let body = body_as::<UnPosCustomerCalculateAddParm>(JSON, &settlement("JS-1", &sell, "1"));
    // Merchant 3 sending merchant 2's settlement: 4005.
    app.post(ADD, Some(M3), JSON, body.clone())
        .await
        .expect(200, 4005);
    // A channel account on the merchant API: 403.
    app.post(ADD, Some(CH_S001), JSON, body)
        .await
        .expect(403, 5002);
}
