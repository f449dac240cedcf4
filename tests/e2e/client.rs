//! Issue 7: the client crate against the real binary on the demo master data — in JSON,
//! DataContract XML and BSON, a bill's whole life (create, replay, pay, get, list, close), a
//! business refusal as a typed error, a settlement with the merchant token, transport refusals,
//! and Qimen clerk synchronisation with every sign method and format.

use posbridge_client::qimen::QimenClient;
use posbridge_client::{BillKey, Client, ClientError, ErrorClass, ListQuery, RetryPolicy};
use posbridge_protocol::dto::{
    PosSellDeleteOrCloseParm, PosSellFromWebInterfaceDetailParm, PosSellFromWebInterfaceParm,
    PosSellPayBillParm, QimenClerk, QimenRequest, UnPosAddGuiderCalculateDetailParm,
    UnPosCustomerCalculateAddParm,
};
use posbridge_protocol::media::Format;
use posbridge_protocol::qimen::QimenFormat;
use posbridge_protocol::qimen::sign::SignMethod;
use rust_decimal::Decimal;

use crate::bodies::{CHANNEL_S001, MERCHANT_2};
use crate::server::{DEMO, Scratch, Server, run_ok};

const FORMATS: [Format; 3] = [Format::Json, Format::Xml, Format::Bson];

fn client(server: &Server, token: &str, format: Format) -> Client {
    Client::builder(format!("http://{}", server.addr))
        .token(token)
        .format(format)
        .build()
        .unwrap()
}

fn money(cents: i64) -> Option<Decimal> {
    Some(Decimal::new(cents, 2))
}

/// `amount` silk scarves at `retail` (S001's price is 99.00).
fn scarves(sender: &str, amount: i64, retail: i64) -> PosSellFromWebInterfaceParm {
    PosSellFromWebInterfaceParm {
        sender_bill_num: Some(sender.to_owned()),
        guest_name: Some("王先生".to_owned()),
        plan_deliver_type: Some("1".to_owned()),
        details: Some(vec![PosSellFromWebInterfaceDetailParm {
            product_id: Some(1),
            amount: Some(Decimal::from(amount)),
            retail_price: money(retail),
            unit: Some("pc".to_owned()),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

fn payment(bill_num: &str, pay_num: &str, amount: Option<Decimal>) -> PosSellPayBillParm {
    PosSellPayBillParm {
        bill_num: Some(bill_num.to_owned()),
        pay_num: Some(pay_num.to_owned()),
        pay_amount: amount,
        pay_type: Some("Cash".to_owned()),
        ..Default::default()
    }
}

fn settlement(bill_num: &str, sell_bill_num: &str) -> UnPosCustomerCalculateAddParm {
    UnPosCustomerCalculateAddParm {
        bill_num: Some(bill_num.to_owned()),
        merchant_id: Some(2),
        shop_id: Some("S001".to_owned()),
        happen_date: Some("20240501".to_owned()),
        happen_time: Some("120000".to_owned()),
        customer_type: Some("TA".to_owned()),
        customer_id: Some("C001".to_owned()),
        cal_user_type: Some("2".to_owned()),
        details: Some(vec![UnPosAddGuiderCalculateDetailParm {
            sell_bill_num: Some(sell_bill_num.to_owned()),
            auto_id: Some(1),
            product_id: Some(1),
            amount: Some(Decimal::ONE),
            listing_price: money(12800),
            retail_price: money(9900),
            lowest_retail_price: money(7900),
            cal_price: money(9000),
            product_name: Some("Silk scarf".to_owned()),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

/// Create, replay, pay in part, get, list, close: every answer typed, in `format`.
async fn a_bills_life(server: &Server, format: Format) {
    let client = client(server, CHANNEL_S001, format);
    let sender = format!("E2E-CLIENT-{format:?}");
    let created = client
        .add_or_update(&scarves(&sender, 2, 9900))
        .await
        .unwrap();
    assert_eq!(created.sender_bill_num.as_deref(), Some(sender.as_str()));
    assert_eq!(created.bill_state.as_deref(), Some("Initial"));
    let bill_num = created.bill_num.clone().unwrap();
    // An identical replay answers the same, whatever the spelling of its numbers (99.0000).
    let mut respelled = scarves(&sender, 2, 9900);
    respelled.details.as_mut().unwrap()[0].retail_price = Some(Decimal::new(990_000, 4));
    let replayed = client.add_or_update(&respelled).await.unwrap();
    assert_eq!(replayed, created);

    let paid = client
        .pay_bill(&payment(&bill_num, "P1", money(10000)))
        .await
        .unwrap();
    assert_eq!(paid.bill_state.as_deref(), Some("PartPaid"));
    assert_eq!(paid.total_amount, money(19800));
    assert_eq!(paid.paid_amount, money(10000));
    let repaid = client
        .pay_bill(&payment(&bill_num, "P1", money(10000)))
        .await
        .unwrap();
    assert_eq!(repaid, paid);

    for key in [
        BillKey::BillNum(bill_num.clone()),
        BillKey::SenderBillNum(sender.clone()),
    ] {
        let view = client.get_bill(&key).await.unwrap();
        assert_eq!(view.bill_num.as_deref(), Some(bill_num.as_str()));
        assert_eq!(view.guest_name.as_deref(), Some("王先生"));
        assert_eq!(view.version, Some(1));
        assert_eq!(view.total_amount, money(19800));
        assert_eq!(view.paid_amount, money(10000));
        let details = view.details.unwrap();
        assert_eq!(details.len(), 1);
        assert_eq!(details[0].line_amount, money(19800));
        assert_eq!(details[0].listing_price, money(12800));
        assert_eq!(view.payments.unwrap()[0].pay_num.as_deref(), Some("P1"));
        assert!(!view.history.unwrap().is_empty());
    }

    let page = client
        .list_bills(&ListQuery {
            state: Some("PartPaid".to_owned()),
            limit: Some(500),
            ..ListQuery::default()
        })
        .await
        .unwrap();
    let bills = page.bills.unwrap();
    assert!(
        bills
            .iter()
            .any(|bill| bill.bill_num.as_deref() == Some(bill_num.as_str())),
        "{bills:?}"
    );
    assert!(bills.iter().all(|bill| bill.history.is_none()));

    let close = PosSellDeleteOrCloseParm {
        bill_num: None,
        sender_bill_num: Some(sender.clone()),
    };
    let closed = client.delete_or_close(&close).await.unwrap();
    assert_eq!(closed.bill_state.as_deref(), Some("Closed"));
    assert_eq!(client.delete_or_close(&close).await.unwrap(), closed);
    // A late replay of the original does not resurrect it.
    let late = client
        .add_or_update(&scarves(&sender, 2, 9900))
        .await
        .unwrap_err();
    assert_eq!(late.errcode(), Some(3003));
}

/// A wrong retail price is a business refusal with its errcode, naming the line.
async fn a_business_refusal(server: &Server, format: Format) {
    let client = client(server, CHANNEL_S001, format);
    let error = client
        .add_or_update(&scarves(&format!("E2E-CLIENT-BAD-{format:?}"), 1, 9800))
        .await
        .unwrap_err();
    assert_eq!(error.errcode(), Some(2003), "{error}");
    assert!(error.is_business() && !error.is_transport());
    assert!(
        matches!(&error, ClientError::Refused { errmsg, .. } if errmsg.contains("RetailPrice")),
        "{error}"
    );
    let missing = client
        .get_bill(&BillKey::BillNum("NO-SUCH-BILL".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(missing.errcode(), Some(3001));
}

/// A paid bill, settled by the merchant; the settlement is idempotent and readable.
async fn a_settlement(server: &Server, format: Format) {
    let channel = client(server, CHANNEL_S001, format);
    let sender = format!("E2E-CLIENT-SOLD-{format:?}");
    let bill_num = channel
        .add_or_update(&scarves(&sender, 2, 9900))
        .await
        .unwrap()
        .bill_num
        .unwrap();
    let paid = channel
        .pay_bill(&payment(&bill_num, "P-ALL", None))
        .await
        .unwrap();
    assert_eq!(paid.bill_state.as_deref(), Some("Paid"));

    let merchant = client(server, MERCHANT_2, format);
    let number = format!("E2E-JS-{format:?}");
    let id = merchant
        .add_settlement(&settlement(&number, &bill_num))
        .await
        .unwrap();
    assert!(!id.is_empty());
    assert_eq!(
        merchant
            .add_settlement(&settlement(&number, &bill_num))
            .await
            .unwrap(),
        id
    );
    let view = merchant.get_settlement(&number).await.unwrap();
    assert_eq!(view.id.as_deref(), Some(id.as_str()));
    assert_eq!(view.cal_amount, money(9000));
    assert_eq!(view.rebate_amount, money(2700));
    assert_eq!(view.sales_amount, money(9900));
    assert_eq!(view.details.unwrap().len(), 1);
    let unknown = merchant.get_settlement("E2E-NONE").await.unwrap_err();
    assert_eq!(unknown.errcode(), Some(4006));
    // The same key with other content: 4001, not retried, not applied.
    let mut other = settlement(&number, &bill_num);
    other.memory = Some("changed".to_owned());
    assert_eq!(
        merchant.add_settlement(&other).await.unwrap_err().errcode(),
        Some(4001)
    );
}

/// Credentials refused at the door are transport failures with their errcode.
async fn transport_refusals(server: &Server, format: Format) {
    let stranger = client(server, "no-such-token", format);
    let error = stranger
        .get_bill(&BillKey::BillNum("B".to_owned()))
        .await
        .unwrap_err();
    assert_eq!((error.status(), error.errcode()), (Some(401), Some(5001)));
    assert_eq!(error.class(), ErrorClass::Transport);
    let channel = client(server, CHANNEL_S001, format);
    let error = channel.get_settlement("JS").await.unwrap_err();
    assert_eq!((error.status(), error.errcode()), (Some(403), Some(5002)));
    assert!(error.is_transport() && !error.is_retryable());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_api_in_every_format() {
    let scratch = Scratch::new("client-web");
    let url = scratch.sqlite_url();
    run_ok(&["import", DEMO, "--database", &url]);
    let server = Server::start(&url);
    for format in FORMATS {
        a_bills_life(&server, format).await;
        a_business_refusal(&server, format).await;
        a_settlement(&server, format).await;
        transport_refusals(&server, format).await;
    }
}

fn qimen(server: &Server, secret: &str, format: QimenFormat, method: SignMethod) -> QimenClient {
    QimenClient::builder(format!("http://{}", server.addr))
        .app_key("demo-app-key")
        .secret(secret)
        .customer_id("demo-erp")
        .format(format)
        .sign_method(method)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn clerks(action: &str, store: &str, code: &str, name: &str) -> QimenRequest {
    QimenRequest {
        action_type: Some(action.to_owned()),
        total: Some(1),
        clerks: Some(vec![QimenClerk {
            store_code: Some(store.to_owned()),
            clerk_code: Some(code.to_owned()),
            clerk_name: Some(name.to_owned()),
            clerk_type: Some("SYY".to_owned()),
            is_valid: Some("Y".to_owned()),
            ..Default::default()
        }]),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qimen_clerks_with_every_sign_method_and_format() {
    let scratch = Scratch::new("client-qimen");
    let url = scratch.sqlite_url();
    run_ok(&["import", DEMO, "--database", &url]);
    let server = Server::start(&url);
    for method in SignMethod::ALL {
        for format in [QimenFormat::Xml, QimenFormat::Json] {
            let client = qimen(&server, "demo-erp-secret", format, method);
            let code = format!("E2E-{}-{}", method.as_str(), format.as_str());
            let added = client
                .sync_clerks(&clerks("add", "S001", &code, "李四"))
                .await
                .unwrap();
            assert_eq!(added.flag.as_deref(), Some("success"));
            let listed = added.clerks.unwrap();
            assert_eq!(listed.len(), 1);
            assert_eq!(listed[0].clerk_code.as_deref(), Some(code.as_str()));
            assert_eq!(listed[0].clerk_name.as_deref(), Some("李四"));
            // An identical add succeeds again; other content under the same code is 2102.
            client
                .sync_clerks(&clerks("add", "S001", &code, "李四"))
                .await
                .unwrap();
            let conflict = client
                .sync_clerks(&clerks("add", "S001", &code, "张三"))
                .await
                .unwrap_err();
            assert_eq!(conflict.errcode(), Some(2102), "{conflict}");
            assert!(conflict.is_business());
            let unknown_store = client
                .sync_clerks(&clerks("add", "S999", &code, "李四"))
                .await
                .unwrap_err();
            assert_eq!(unknown_store.errcode(), Some(2101), "{unknown_store}");

            // The wrong secret: the gateway's invalid signature, a typed refusal.
            let forged = qimen(&server, "not-the-secret", format, method)
                .sync_clerks(&clerks("add", "S001", &code, "李四"))
                .await
                .unwrap_err();
            assert!(
                matches!(&forged, ClientError::Gateway { status: 200, code, .. } if code == "25"),
                "{forged:?}"
            );
            assert!(forged.is_business());
        }
    }
}
