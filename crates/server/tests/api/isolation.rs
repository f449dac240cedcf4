//! Tenant isolation (CONTRACT §2): every account kind against every endpoint as one table of
//! expected answers, then other tenants' data answered exactly as data that does not exist —
//! and nothing stored by any refused call.

use axum::body::Body;
use axum::http::{Method, Request, header};
use posbridge_protocol::dto::{
    PosSellBillList, PosSellBillView, PosSellDeleteOrCloseParm, PosSellFromWebInterfaceParm,
    PosSellFromWebInterfaceResult, PosSellPayBillParm,
};
use posbridge_protocol::qimen::query::encode_query;

use crate::helpers::*;

const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";
const PAY: &str = "/api/Pos/Sell/Bill/PayBill";
const CLOSE: &str = "/api/Pos/Sell/Bill/DeleteOrClose";
const GET: &str = "/api/Pos/Sell/Bill/Get";
const LIST: &str = "/api/Pos/Sell/Bill/List";
const SETTLE: &str = "/api/UnPos/Merchant/Customer/CalculateBill/Add";
const SETTLEMENT: &str = "/api/UnPos/Merchant/Customer/CalculateBill/Get";

/// Who calls.
#[derive(Debug, Clone, Copy)]
enum Who {
    /// `Authorization: Bearer <token>`; on the Qimen endpoint the token is also used as the
    /// signing secret (it is not the ERP's secret).
    Bearer(&'static str),
    /// The ERP account: a correctly signed Qimen query, no `Authorization`.
    Erp,
    /// No credentials at all (on the Qimen endpoint: no `sign`).
    Nobody,
}

/// The endpoints, in the order of the table's columns.
#[derive(Debug, Clone, Copy)]
enum Endpoint {
    Add,
    Pay,
    Close,
    Get,
    List,
    Settle,
    Settlement,
    Qimen,
    PutMasterData,
    GetMasterData,
    Clerks,
}

const ENDPOINTS: [Endpoint; 11] = [
    Endpoint::Add,
    Endpoint::Pay,
    Endpoint::Close,
    Endpoint::Get,
    Endpoint::List,
    Endpoint::Settle,
    Endpoint::Settlement,
    Endpoint::Qimen,
    Endpoint::PutMasterData,
    Endpoint::GetMasterData,
    Endpoint::Clerks,
];

impl Endpoint {
    /// Whether a successful call changes what is stored.
    fn writes(self) -> bool {
        matches!(
            self,
            Endpoint::Add
                | Endpoint::Pay
                | Endpoint::Close
                | Endpoint::Settle
                | Endpoint::Qimen
                | Endpoint::PutMasterData
        )
    }
}

/// What a cell expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// The §4 envelope: HTTP status and errcode.
    Env(u16, i32),
    /// An admin success: HTTP 200 with a plain JSON document.
    Doc,
    /// A Qimen `response` with this code (0: success).
    Qimen(i32),
    /// A Qimen `error_response` with this TOP code.
    Gateway(i32),
}

const OK: Cell = Cell::Env(200, 0);
const E401: Cell = Cell::Env(401, 5001);
const E403: Cell = Cell::Env(403, 5002);
const NO_BILL: Cell = Cell::Env(200, 3001);
const MISMATCH: Cell = Cell::Env(200, 4005);
const NO_SETTLEMENT: Cell = Cell::Env(200, 4006);
const BAD_SIGN: Cell = Cell::Gateway(25);
const NO_SIGN: Cell = Cell::Gateway(40);
const SYNCED: Cell = Cell::Qimen(0);
const DOC: Cell = Cell::Doc;

/// Every account kind × every endpoint. Columns: AddOrUpdate, PayBill, DeleteOrClose, Get, List
/// (all on customer unit C001's bill `P-1`), CalculateBill/Add (merchant 2's), CalculateBill/Get
/// (merchant 2's `JS-1`), Qimen, PUT and GET master data, GET clerks.
#[rustfmt::skip]
const MATRIX: &[(&str, Who, [Cell; 11])] = &[
    ("channel S001/C001", Who::Bearer(CH_S001), [OK, OK, OK, OK, OK, E403, E403, BAD_SIGN, E401, E401, E401]),
    ("channel S002/C001", Who::Bearer(CH_S002), [OK, OK, OK, OK, OK, E403, E403, BAD_SIGN, E401, E401, E401]),
    ("channel S101/C002", Who::Bearer(CH_S101), [OK, NO_BILL, NO_BILL, NO_BILL, OK, E403, E403, BAD_SIGN, E401, E401, E401]),
    ("merchant 2", Who::Bearer(M2), [E403, E403, E403, E403, E403, OK, OK, BAD_SIGN, E401, E401, E401]),
    ("merchant 3", Who::Bearer(M3), [E403, E403, E403, E403, E403, MISMATCH, NO_SETTLEMENT, BAD_SIGN, E401, E401, E401]),
    ("erp", Who::Erp, [E401, E401, E401, E401, E401, E401, E401, SYNCED, E401, E401, E401]),
    ("admin", Who::Bearer(ADMIN_TOKEN), [E401, E401, E401, E401, E401, E401, E401, BAD_SIGN, DOC, DOC, DOC]),
    ("no credentials", Who::Nobody, [E401, E401, E401, E401, E401, E401, E401, NO_SIGN, E401, E401, E401]),
    ("unknown token", Who::Bearer("no-such-token"), [E401, E401, E401, E401, E401, E401, E401, BAD_SIGN, E401, E401, E401]),
    ("erp app key as a token", Who::Bearer(ERP_APP_KEY), [E401, E401, E401, E401, E401, E401, E401, BAD_SIGN, E401, E401, E401]),
    ("erp secret as a token", Who::Bearer(ERP_SECRET), [E401, E401, E401, E401, E401, E401, E401, SYNCED, E401, E401, E401]),
];

/// The data every cell starts from.
struct World {
    app: TestApp,
    /// C001's `Initial` bill `P-1`, made at S001.
    open: String,
    /// C001's `Paid` bill `P-PAID` of 2 scarves at S001, with 1 settled by `JS-1`.
    paid: String,
    /// C002's bill `Q-1`, made at S101.
    other: String,
}

/// Creates bill `sender` of `amount` scarves through `token`; answers its `BillNum`.
async fn add(app: &TestApp, token: &str, sender: &str, amount: &str) -> String {
    let body = scarves(sender, amount, "99.00").into_bytes();
    let answer = app.post(ADD, Some(token), JSON, body).await;
    assert_eq!(answer.plain().errcode, Some(0), "{}", answer.text());
    answer
        .envelope::<PosSellFromWebInterfaceResult>()
        .tag
        .and_then(|tag| tag.bill_num)
        .expect("a BillNum")
}

/// A settlement `bill_num` of one scarf of sell bill `sell`, claimed for `merchant` and `shop`.
fn settlement(bill_num: &str, merchant: i64, shop: &str, sell: &str) -> String {
    format!(
        r#"{{"BillNum":"{bill_num}","MerchantId":{merchant},"ShopId":"{shop}","HappenDate":"20240501",
            "HappenTime":"120000","CustomerType":"TA","CustomerId":"C001","CalUserType":"2",
            "Details":[{{"SellBillNum":"{sell}","AutoId":1,"ProductId":1,"Amount":1,
              "ListingPrice":128,"RetailPrice":99,"LowestRetailPrice":79,"CalPrice":90}}]}}"#
    )
}

/// A Qimen XML request doing `action` on one clerk `code` at `store`.
fn clerk_request(action: &str, store: &str, code: &str) -> String {
    format!(
        "<request><actionType>{action}</actionType><clerks><clerk><storeCode>{store}</storeCode>\
         <clerkCode>{code}</clerkCode><clerkName>Wang</clerkName><clerkType>DZ</clerkType>\
         </clerk></clerks></request>"
    )
}

/// A fresh app (admin API open) holding [`World`]'s bills and settlement.
async fn world() -> World {
    let app = spawn_admin().await;
    let open = add(&app, CH_S001, "P-1", "1").await;
    let paid = add(&app, CH_S001, "P-PAID", "2").await;
    let pay = format!(r#"{{"BillNum":"{paid}","PayNum":"PAY-ALL"}}"#);
    app.post(PAY, Some(CH_S001), JSON, pay.into_bytes())
        .await
        .expect(200, 0);
    let body = settlement("JS-1", 2, "S001", &paid);
    app.post(SETTLE, Some(M2), JSON, body.into_bytes())
        .await
        .expect(200, 0);
    let other = add(&app, CH_S101, "Q-1", "1").await;
    World {
        app,
        open,
        paid,
        other,
    }
}

/// The request of one cell: `endpoint` called by `who`, as its owner would call it.
fn request(world: &World, who: Who, endpoint: Endpoint) -> Request<Body> {
    let (method, path, query, body): (Method, &str, Vec<(&str, &str)>, Option<String>) =
        match endpoint {
            Endpoint::Add => (
                Method::POST,
                ADD,
                vec![],
                Some(scarves("NEW-1", "1", "99.00")),
            ),
            Endpoint::Pay => (
                Method::POST,
                PAY,
                vec![],
                Some(r#"{"SenderBillNum":"P-1","PayNum":"PAY-X","PayAmount":10}"#.to_owned()),
            ),
            Endpoint::Close => (
                Method::POST,
                CLOSE,
                vec![],
                Some(r#"{"SenderBillNum":"P-1"}"#.to_owned()),
            ),
            Endpoint::Get => (Method::GET, GET, vec![("SenderBillNum", "P-1")], None),
            Endpoint::List => (Method::GET, LIST, vec![], None),
            Endpoint::Settle => (
                Method::POST,
                SETTLE,
                vec![],
                Some(settlement("JS-2", 2, "S001", &world.paid)),
            ),
            Endpoint::Settlement => (Method::GET, SETTLEMENT, vec![("BillNum", "JS-1")], None),
            Endpoint::Qimen => (
                Method::POST,
                "/api/qimen",
                vec![],
                Some(clerk_request("add", "S001", "K1")),
            ),
            Endpoint::PutMasterData => (
                Method::PUT,
                "/admin/v1/master-data",
                vec![],
                Some(r#"{"merchants":[{"id":9,"name":"Lake Tea"}]}"#.to_owned()),
            ),
            Endpoint::GetMasterData => (Method::GET, "/admin/v1/master-data", vec![], None),
            Endpoint::Clerks => (
                Method::GET,
                "/admin/v1/clerks",
                vec![("shopId", "S001")],
                None,
            ),
        };
    let body = body.unwrap_or_default().into_bytes();
    let qimen = matches!(endpoint, Endpoint::Qimen);
    let query = match who {
        // The ERP signs every call, wherever it goes.
        Who::Erp => qimen_query(&query, &body, Some(ERP_SECRET)),
        Who::Bearer(token) if qimen => qimen_query(&query, &body, Some(token)),
        Who::Nobody if qimen => qimen_query(&query, &body, None),
        Who::Bearer(_) | Who::Nobody => encode_query(&query),
    };
    let uri = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    };
    let media = if qimen { "text/xml" } else { JSON };
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::ACCEPT, JSON);
    if !body.is_empty() {
        builder = builder.header(header::CONTENT_TYPE, media);
    }
    if let Who::Bearer(token) = who {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::from(body)).expect("a request")
}

/// What an answer is, in the terms of [`Cell`].
fn seen(endpoint: Endpoint, answer: &Answer) -> Cell {
    if matches!(endpoint, Endpoint::Qimen) {
        return match qimen_outcome(answer) {
            Ok(code) => Cell::Qimen(code.parse().expect("a numeric code")),
            Err((code, _)) => Cell::Gateway(code.parse().expect("a numeric code")),
        };
    }
    match answer.plain().errcode {
        Some(errcode) => Cell::Env(answer.status, errcode),
        None => {
            assert_eq!(answer.status, 200, "{answer:?}");
            assert!(
                answer.content_type.starts_with("application/json"),
                "{answer:?}"
            );
            Cell::Doc
        }
    }
}

fn refused(cell: Cell) -> bool {
    match cell {
        Cell::Env(_, errcode) | Cell::Qimen(errcode) => errcode != 0,
        Cell::Gateway(_) => true,
        Cell::Doc => false,
    }
}

#[tokio::test]
async fn every_account_kind_against_every_endpoint() {
    let mut mismatches = Vec::new();
    for (name, who, row) in MATRIX {
        for (endpoint, expect) in ENDPOINTS.into_iter().zip(row) {
            let world = world().await;
            let before = stored(&world.app).await;
            let answer = world.app.send(request(&world, *who, endpoint)).await;
            let actual = seen(endpoint, &answer);
            if actual != *expect {
                mismatches.push(format!(
                    "{name} × {endpoint:?}: expected {expect:?}, got {actual:?}: {}",
                    String::from_utf8_lossy(&answer.body)
                ));
                continue;
            }
            let after = stored(&world.app).await;
            if refused(actual) || !endpoint.writes() {
                assert_eq!(after, before, "{name} × {endpoint:?} stored nothing");
            } else {
                assert_ne!(
                    after, before,
                    "{name} × {endpoint:?} succeeded, so it stored"
                );
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// `answer` as `(status, content type, body)` with every occurrence of `key` in the body
/// replaced by `<KEY>`: two answers that differ only in the key asked for compare equal.
fn masked(answer: &Answer, key: &str) -> (u16, String, Vec<u8>) {
    let key = key.as_bytes();
    let mut body = Vec::with_capacity(answer.body.len());
    let mut rest = &answer.body[..];
    while !rest.is_empty() {
        if rest.starts_with(key) {
            body.extend_from_slice(b"<KEY>");
            rest = &rest[key.len()..];
        } else {
            body.push(rest[0]);
            rest = &rest[1..];
        }
    }
    (answer.status, answer.content_type.clone(), body)
}

/// Asserts that `real` and `ghost`, the answers for `real_key` and for `ghost_key`, are the
/// same answer but for the key, and that it is `errcode`.
#[track_caller]
fn same_as_missing(
    what: &str,
    real: &Answer,
    real_key: &str,
    ghost: &Answer,
    ghost_key: &str,
    errcode: i32,
) {
    assert_eq!(
        real_key.len(),
        ghost_key.len(),
        "keys of one length: {what}"
    );
    assert_eq!(
        real.plain().errcode,
        Some(errcode),
        "{what}: {}",
        String::from_utf8_lossy(&real.body)
    );
    assert_eq!(masked(real, real_key), masked(ghost, ghost_key), "{what}");
}

/// A PayBill or DeleteOrClose body in `media`.
fn pay_or_close(path: &str, media: &str, json: &str) -> Vec<u8> {
    if path == PAY {
        body_as::<PosSellPayBillParm>(media, json)
    } else {
        body_as::<PosSellDeleteOrCloseParm>(media, json)
    }
}

/// A bill number of the same form and length as `bill_num` that no bill has.
fn ghost_bill_num(bill_num: &str) -> String {
    let ghost = format!("SB{}", "9".repeat(bill_num.len() - 2));
    assert_ne!(ghost, bill_num);
    ghost
}

/// The `SenderBillNum`s of every bill `token`'s List shows, one page of 1 at a time.
async fn listed(app: &TestApp, token: &str, filter: &str) -> Vec<String> {
    let mut senders = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("{LIST}?limit=1{filter}{cursor}");
        let answer = app.get(&path, Some(token), JSON).await;
        answer.expect(200, 0);
        let page = answer.envelope::<PosSellBillList>().tag.expect("a page");
        senders.extend(
            page.bills
                .unwrap_or_default()
                .into_iter()
                .filter_map(|b| b.sender_bill_num),
        );
        match page.next_cursor {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return senders,
        }
    }
}

#[tokio::test]
async fn another_customer_units_bill_is_answered_as_one_that_does_not_exist() {
    let world = world().await;
    let app = &world.app;
    let before = stored(app).await;
    let ghost = ghost_bill_num(&world.open);
    for (field, real, fake) in [
        ("BillNum", world.open.as_str(), ghost.as_str()),
        ("SenderBillNum", "P-1", "P-9"),
    ] {
        for media in [JSON, XML, BSON] {
            let ask = |key: &str| {
                let path = format!("{GET}?{field}={key}");
                async move { app.get(&path, Some(CH_S101), media).await }
            };
            let what = format!("Get by {field} in {media}");
            same_as_missing(&what, &ask(real).await, real, &ask(fake).await, fake, 3001);
            // The owner asking for the ghost gets that same answer too.
            let owner = app
                .get(&format!("{GET}?{field}={fake}"), Some(CH_S001), media)
                .await;
            assert_eq!(
                masked(&owner, fake),
                masked(&ask(fake).await, fake),
                "{what}"
            );

            for (path, extra) in [(PAY, r#","PayNum":"PAY-X","PayAmount":1"#), (CLOSE, "")] {
                let call = |key: &str| {
                    let json = format!(r#"{{"{field}":"{key}"{extra}}}"#);
                    app.post(path, Some(CH_S101), media, pay_or_close(path, media, &json))
                };
                let what = format!("{path} by {field} in {media}");
                same_as_missing(
                    &what,
                    &call(real).await,
                    real,
                    &call(fake).await,
                    fake,
                    3001,
                );
            }
        }
    }
    // Its List shows only its own unit's bill, with or without filters.
    assert_eq!(listed(app, CH_S101, "").await, ["Q-1"]);
    assert_eq!(listed(app, CH_S101, "&state=Initial").await, ["Q-1"]);
    assert!(listed(app, CH_S101, "&state=Paid").await.is_empty());
    assert_eq!(stored(app).await, before, "nothing was stored");
    // The other unit's own bill is untouched and still its own.
    let own = app
        .get(
            &format!("{GET}?BillNum={}", world.other),
            Some(CH_S101),
            JSON,
        )
        .await;
    own.expect(200, 0);
}

#[tokio::test]
async fn another_shop_of_the_same_unit_sees_the_bill_but_cannot_take_its_key() {
    let world = world().await;
    let app = &world.app;
    let before = stored(app).await;
    for query in [
        format!("BillNum={}", world.open),
        "SenderBillNum=P-1".to_owned(),
    ] {
        let answer = app
            .get(&format!("{GET}?{query}"), Some(CH_S002), JSON)
            .await;
        answer.expect(200, 0);
        let view = answer.envelope::<PosSellBillView>().tag.expect("a view");
        assert_eq!(view.bill_num.as_deref(), Some(world.open.as_str()));
        assert_eq!(
            view.shop_id.as_deref(),
            Some("S001"),
            "the bill's shop stays S001"
        );
    }
    assert_eq!(listed(app, CH_S002, "").await, ["P-PAID", "P-1"]);
    // AddOrUpdate on the unit's key from S002: 4005, whatever the content, state or format.
    for (sender, amount) in [("P-1", "1"), ("P-1", "3"), ("P-PAID", "2"), ("P-PAID", "1")] {
        for media in [JSON, XML, BSON] {
            let body =
                body_as::<PosSellFromWebInterfaceParm>(media, &scarves(sender, amount, "99.00"));
            let answer = app.post(ADD, Some(CH_S002), media, body).await;
            answer.expect(200, 4005);
            assert_eq!(stored(app).await, before, "{sender} × {amount} in {media}");
        }
    }
}

#[tokio::test]
async fn merchant_3_can_neither_read_nor_settle_merchant_2s_data() {
    let world = world().await;
    let app = &world.app;
    let before = stored(app).await;
    for media in [JSON, XML, BSON] {
        let ask = |token: &'static str, key: &str| {
            let path = format!("{SETTLEMENT}?BillNum={key}");
            async move { app.get(&path, Some(token), media).await }
        };
        let what = format!("CalculateBill/Get in {media}");
        same_as_missing(
            &what,
            &ask(M3, "JS-1").await,
            "JS-1",
            &ask(M3, "JS-9").await,
            "JS-9",
            4006,
        );
        same_as_missing(
            &what,
            &ask(M3, "JS-1").await,
            "JS-1",
            &ask(M2, "JS-9").await,
            "JS-9",
            4006,
        );
    }
    let settle =
        |token: &'static str, body: String| app.post(SETTLE, Some(token), JSON, body.into_bytes());
    // Claiming merchant 2 or its shop: 4005.
    settle(M3, settlement("JS-3", 2, "S001", &world.paid))
        .await
        .expect(200, 4005);
    settle(M3, settlement("JS-3", 3, "S001", &world.paid))
        .await
        .expect(200, 4005);
    settle(M2, settlement("JS-3", 2, "S101", &world.paid))
        .await
        .expect(200, 4005);
    // Its own shop over merchant 2's sell bill: the sell bill is as good as missing (4002).
    let ghost = ghost_bill_num(&world.paid);
    same_as_missing(
        "CalculateBill/Add over another merchant's sell bill",
        &settle(M3, settlement("JS-3", 3, "S101", &world.paid)).await,
        &world.paid,
        &settle(M3, settlement("JS-3", 3, "S101", &ghost)).await,
        &ghost,
        4002,
    );
    assert_eq!(stored(app).await, before, "nothing was stored");
}

#[tokio::test]
async fn an_erp_cannot_sync_clerks_of_a_shop_outside_its_shop_ids() {
    let world = world().await;
    let app = &world.app;
    let before = stored(app).await;
    for action in ["add", "update", "delete"] {
        let outside = qimen_call(app, clerk_request(action, "S101", "K1").as_bytes()).await;
        let unknown = qimen_call(app, clerk_request(action, "S999", "K1").as_bytes()).await;
        assert_eq!(
            qimen_outcome(&outside),
            Ok("2101".to_owned()),
            "{action}: {}",
            outside.text()
        );
        assert_eq!(
            masked(&outside, "S101"),
            masked(&unknown, "S999"),
            "{action}"
        );
        assert_eq!(stored(app).await, before, "{action} stored nothing");
    }
}
