//! Sell bills over HTTP (CONTRACT §5) in JSON, XML and BSON.

use std::collections::BTreeSet;

use posbridge_protocol::dto::{
    PosSellBillList, PosSellBillView, PosSellDeleteOrCloseParm, PosSellFromWebInterfaceParm,
    PosSellFromWebInterfaceResult, PosSellPayBillParm, PosSellPayBillResult,
};

use crate::helpers::*;

const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";
const PAY: &str = "/api/Pos/Sell/Bill/PayBill";
const CLOSE: &str = "/api/Pos/Sell/Bill/DeleteOrClose";

async fn add(app: &TestApp, media: &str, json: &str) -> PosSellFromWebInterfaceResult {
    let answer = app
        .post(
            ADD,
            Some(CH_S001),
            media,
            body_as::<PosSellFromWebInterfaceParm>(media, json),
        )
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.format(),
        format_of(media),
        "answered in the request's format"
    );
    let envelope = answer.envelope::<PosSellFromWebInterfaceResult>();
    assert_eq!(envelope.errcode, 0, "{envelope:?}");
    assert_eq!(envelope.errmsg.as_deref(), Some("success"));
    envelope.tag.expect("a tag")
}

async fn view(app: &TestApp, query: &str, accept: &str) -> PosSellBillView {
    let answer = app
        .get(
            &format!("/api/Pos/Sell/Bill/Get?{query}"),
            Some(CH_S001),
            accept,
        )
        .await;
    let envelope = answer.envelope::<PosSellBillView>();
    assert_eq!((answer.status, envelope.errcode), (200, 0), "{envelope:?}");
    envelope.tag.expect("a view")
}

#[tokio::test]
async fn add_or_update_creates_replays_and_updates_in_every_format() {
    let app = spawn().await;
    let mut bill_nums = BTreeSet::new();
    for media in [JSON, XML, BSON] {
        let sender = format!("P-{}", media.replace('/', "-"));
        let created = add(&app, media, &scarves(&sender, "2", "99.00")).await;
        assert_eq!(created.bill_state.as_deref(), Some("Initial"));
        assert_eq!(created.sender_bill_num.as_deref(), Some(sender.as_str()));
        let bill_num = created.bill_num.clone().expect("a BillNum");
        // The same content, spelled differently, is a replay.
        let replayed = add(&app, media, &scarves(&sender, "2.000", "99")).await;
        assert_eq!(replayed, created);
        let updated = add(&app, media, &scarves(&sender, "3", "99.00")).await;
        assert_eq!(updated.bill_num, created.bill_num);
        let view = view(&app, &format!("BillNum={bill_num}"), media).await;
        assert_eq!(view.version, Some(2));
        assert_eq!(
            view.total_amount.map(|d| d.to_string()).as_deref(),
            Some("297.00")
        );
        assert_eq!(view.history.map(|h| h.len()), Some(2));
        bill_nums.insert(bill_num);
    }
    assert_eq!(bill_nums.len(), 3);
    assert_eq!(c001_bills(&app).await, 3);
}

/// The golden answer of .NET for `CommonOperationResultWithTag<PosSellFromWebInterfaceResult>`
/// with our values in place of the sample's.
fn golden(file: &str, replacements: &[(&str, &str)]) -> String {
    let path = format!("{}/../protocol/testdata/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(&path).expect("golden file");
    for (from, to) in replacements {
        assert!(text.contains(from), "{from} in {file}");
        text = text.replace(from, to);
    }
    text.trim_end().to_owned()
}

#[tokio::test]
async fn xml_answers_are_the_datacontract_envelopes() {
    let app = spawn().await;
    let body = body_as::<PosSellFromWebInterfaceParm>(XML, &scarves("ACC-1", "1", "99.00"));
    let answer = app.post(ADD, Some(CH_S001), "text/xml", body).await;
    assert_eq!(answer.content_type, "text/xml; charset=utf-8");
    let bill_num = answer
        .envelope::<PosSellFromWebInterfaceResult>()
        .tag
        .and_then(|t| t.bill_num)
        .expect("a BillNum");
    let expect = golden(
        "CommonOperationResultWithTagOfPosSellFromWebInterfaceResultlTRO8TLE.xml",
        &[
            ("XS202405010001", &bill_num),
            ("ACC-20240501-0001", "ACC-1"),
            ("成功", "success"),
        ],
    );
    assert_eq!(answer.text(), expect);

    // A business error: the generic envelope with a nil tag (2003, retail price differs).
    let body = body_as::<PosSellFromWebInterfaceParm>(XML, &scarves("ACC-2", "1", "98.00"));
    let answer = app.post(ADD, Some(CH_S001), XML, body).await;
    assert_eq!(answer.status, 200);
    let envelope = answer.envelope::<PosSellFromWebInterfaceResult>();
    assert_eq!(envelope.errcode, 2003);
    let errmsg = envelope.errmsg.expect("a message");
    let expect = golden(
        "CommonOperationResultWithTagOfPosSellFromWebInterfaceResultlTRO8TLE.error.xml",
        &[("零售价与门店当前价格不一致", &errmsg)],
    );
    assert_eq!(answer.text(), expect);
    assert_eq!(c001_bills(&app).await, 1, "the refused bill is not stored");
}

#[tokio::test]
async fn pay_close_get_and_list() {
    let app = spawn().await;
    let first = add(&app, JSON, &scarves("P-1", "2", "99.00")).await;
    let bill_num = first.bill_num.clone().expect("a BillNum");

    // Part payment in XML, the rest in BSON (PayAmount absent = what is outstanding).
    let pay = |media: &'static str, json: String| {
        let app = &app;
        async move {
            let body = body_as::<PosSellPayBillParm>(media, &json);
            let answer = app.post(PAY, Some(CH_S001), media, body).await;
            assert_eq!(answer.status, 200);
            answer.envelope::<PosSellPayBillResult>()
        }
    };
    let part = pay(
        XML,
        format!(r#"{{"BillNum":"{bill_num}","PayNum":"PAY-1","PayAmount":50,"PayType":"Cash"}}"#),
    )
    .await;
    let tag = part.tag.expect("a tag");
    assert_eq!(tag.bill_state.as_deref(), Some("PartPaid"));
    assert_eq!(
        tag.paid_amount.map(|d| d.to_string()).as_deref(),
        Some("50.00")
    );
    assert_eq!(
        tag.total_amount.map(|d| d.to_string()).as_deref(),
        Some("198.00")
    );
    let rest = pay(
        BSON,
        r#"{"SenderBillNum":"P-1","PayNum":"PAY-2"}"#.to_owned(),
    )
    .await;
    assert_eq!(rest.tag.and_then(|t| t.bill_state).as_deref(), Some("Paid"));
    let reused = pay(
        JSON,
        format!(r#"{{"BillNum":"{bill_num}","PayNum":"PAY-1","PayAmount":51}}"#),
    )
    .await;
    assert_eq!(reused.errcode, 3005);

    // A paid bill cannot be closed; an unpaid one is deleted, twice with the same answer.
    let close = |sender: &'static str| {
        let app = &app;
        async move {
            let json = format!(r#"{{"SenderBillNum":"{sender}"}}"#);
            let body = body_as::<PosSellDeleteOrCloseParm>(JSON, &json);
            app.post(CLOSE, Some(CH_S001), JSON, body)
                .await
                .envelope::<PosSellFromWebInterfaceResult>()
        }
    };
    assert_eq!(close("P-1").await.errcode, 3006);
    add(&app, JSON, &scarves("P-2", "1", "99.00")).await;
    let deleted = close("P-2").await;
    assert_eq!(
        deleted.tag.as_ref().and_then(|t| t.bill_state.as_deref()),
        Some("Deleted")
    );
    assert_eq!(close("P-2").await, deleted);
    assert_eq!(close("P-404").await.errcode, 3001);

    // Get by either key, with payments and history; timestamps in +08:00.
    let view = view(&app, "senderbillnum=P-1", JSON).await;
    assert_eq!(view.bill_num.as_deref(), Some(bill_num.as_str()));
    assert_eq!(view.payments.as_ref().map(Vec::len), Some(2));
    assert_eq!(view.history.as_ref().map(Vec::len), Some(3));
    assert!(
        view.created_at
            .as_deref()
            .is_some_and(|t| t.ends_with("+08:00")),
        "{view:?}"
    );
    let missing = app
        .get("/api/Pos/Sell/Bill/Get?BillNum=SB999", Some(CH_S001), JSON)
        .await;
    missing.expect(200, 3001);
    let no_key = app.get("/api/Pos/Sell/Bill/Get", Some(CH_S001), JSON).await;
    no_key.expect(200, 1002);

    // List: newest first, one per page, then filters.
    add(&app, JSON, &scarves("P-3", "1", "99.00")).await;
    let mut senders = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..4 {
        let query = cursor
            .as_ref()
            .map_or(String::new(), |c| format!("&cursor={c}"));
        let answer = app
            .get(
                &format!("/api/Pos/Sell/Bill/List?limit=1{query}"),
                Some(CH_S001),
                XML,
            )
            .await;
        let page = answer.envelope::<PosSellBillList>().tag.expect("a page");
        let bills = page.bills.expect("bills");
        assert!(
            bills.iter().all(|b| b.history.is_none()),
            "List leaves history out"
        );
        senders.extend(bills.into_iter().filter_map(|b| b.sender_bill_num));
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(senders, ["P-3", "P-2", "P-1"]);
    let paid = app
        .get(
            "/api/Pos/Sell/Bill/List?state=Paid&from=20240501&to=2024-05-01T23:59:59Z",
            Some(CH_S001),
            BSON,
        )
        .await
        .envelope::<PosSellBillList>();
    let bills = paid.tag.and_then(|t| t.bills).expect("bills");
    assert_eq!(bills.len(), 1);
    let before = app
        .get("/api/Pos/Sell/Bill/List?to=20240430", Some(CH_S001), JSON)
        .await
        .envelope::<PosSellBillList>();
    assert_eq!(before.tag.and_then(|t| t.bills).map(|b| b.len()), Some(0));
    app.get("/api/Pos/Sell/Bill/List?limit=501", Some(CH_S001), JSON)
        .await
        .expect(200, 1003);
}

#[tokio::test]
async fn other_tenants_bills_are_not_found() {
    let app = spawn().await;
    let bill = add(&app, JSON, &scarves("P-1", "1", "99.00")).await;
    let bill_num = bill.bill_num.expect("a BillNum");
    let path = format!("/api/Pos/Sell/Bill/Get?BillNum={bill_num}");
    // Another customer unit: not found. The same unit from another shop: visible.
    app.get(&path, Some(CH_S101), JSON).await.expect(200, 3001);
    assert_eq!(
        app.get(&path, Some(CH_S002), JSON).await.plain().errcode,
        Some(0)
    );
    // The same key from another shop of the unit: 4005.
    let body = body_as::<PosSellFromWebInterfaceParm>(JSON, &scarves("P-1", "1", "99.00"));
    app.post(ADD, Some(CH_S002), JSON, body)
        .await
        .expect(200, 4005);
    let pay = format!(r#"{{"BillNum":"{bill_num}","PayNum":"X"}}"#);
    let body = body_as::<PosSellPayBillParm>(JSON, &pay);
    app.post(PAY, Some(CH_S101), JSON, body)
        .await
        .expect(200, 3001);
}

#[tokio::test]
async fn concurrent_identical_requests_make_one_bill() {
    let app = spawn().await;
    let body = body_as::<PosSellFromWebInterfaceParm>(JSON, &scarves("P-RACE", "1", "99.00"));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let router = app.router.clone();
            let request = post(ADD, Some(CH_S001), JSON, body.clone());
            tokio::spawn(async move {
                use tower::ServiceExt;
                let response = router.oneshot(request).await.expect("infallible");
                let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .expect("a body");
                posbridge_protocol::codec::read_document(
                    posbridge_protocol::media::Format::Json,
                    &bytes,
                )
                .ok()
                .and_then(|node| {
                    posbridge_protocol::envelope::Envelope::<PosSellFromWebInterfaceResult>::from_root(&node).ok()
                })
            })
        })
        .collect();
    let mut bill_nums = BTreeSet::new();
    for task in tasks {
        let envelope = task.await.expect("task").expect("an envelope");
        assert_eq!(envelope.errcode, 0, "{envelope:?}");
        bill_nums.insert(envelope.tag.and_then(|t| t.bill_num).expect("a BillNum"));
    }
    assert_eq!(bill_nums.len(), 1);
    assert_eq!(c001_bills(&app).await, 1);
}
