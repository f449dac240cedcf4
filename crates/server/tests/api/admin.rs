//! The admin API (CONTRACT §10): the admin token, master data import and export, and the clerks
//! listing of §7.

use axum::body::Body;
use axum::http::{Request, header};
use posbridge_domain::clerk::{ClerkBatch, ClerkKey, ContactInfo};
use posbridge_domain::ids::ShopId;
use posbridge_protocol::json::read_json;
use posbridge_protocol::master_data::read_master_data;
use posbridge_protocol::node::Node;
use posbridge_server::ServerConfig;
use posbridge_store::conformance::fixtures::{at, clerk, erp_shops, updated_at};

use crate::helpers::{Answer, JSON, TestApp, spawn, spawn_with};

const ADMIN: &str = "admin-secret";
const MASTER_DATA: &str = "/admin/v1/master-data";

async fn admin_app() -> TestApp {
    spawn_with(&ServerConfig {
        admin_token: Some(ADMIN.to_owned()),
        ..ServerConfig::default()
    })
    .await
}

async fn put(app: &TestApp, token: Option<&str>, body: &str) -> Answer {
    let mut builder = Request::put(MASTER_DATA).header(header::CONTENT_TYPE, JSON);
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.send(builder.body(Body::from(body.to_owned())).unwrap())
        .await
}

fn json(answer: &Answer) -> Node {
    assert!(
        answer.content_type.starts_with("application/json"),
        "{answer:?}"
    );
    read_json(&answer.body).unwrap()
}

fn field<'a>(node: &'a Node, name: &str) -> &'a Node {
    match node {
        Node::Object(object) => object
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in {node:?}")),
        _ => panic!("not an object: {node:?}"),
    }
}

fn items(node: &Node) -> &[Node] {
    match node {
        Node::List(list) => &list.items,
        _ => panic!("not a list: {node:?}"),
    }
}

fn text(node: &Node) -> &str {
    match node {
        Node::Text(text) => text,
        _ => panic!("not text: {node:?}"),
    }
}

#[tokio::test]
async fn admin_routes_need_the_admin_token() {
    let app = admin_app().await;
    app.get(MASTER_DATA, None, JSON).await.expect(401, 5001);
    app.get(MASTER_DATA, Some("wrong"), JSON)
        .await
        .expect(401, 5001);
    // A partner's token is not the admin token.
    app.get(MASTER_DATA, Some(crate::helpers::CH_S001), JSON)
        .await
        .expect(401, 5001);
    app.get("/admin/v1/clerks?shopId=S001", Some("wrong"), JSON)
        .await
        .expect(401, 5001);
    let answer = app.get(MASTER_DATA, Some(ADMIN), JSON).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    // Paths match in any letter case, as the Web API's do.
    let answer = app.get("/Admin/V1/Master-Data", Some(ADMIN), JSON).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let answer = put(&app, Some("wrong"), r#"{"merchants": []}"#).await;
    answer.expect(401, 5001);
}

#[tokio::test]
async fn without_a_configured_token_the_admin_api_is_closed() {
    let app = spawn().await;
    app.get(MASTER_DATA, None, JSON).await.expect(403, 5002);
    app.get(MASTER_DATA, Some(ADMIN), JSON)
        .await
        .expect(403, 5002);
    app.get("/admin/v1/clerks?shopId=S001", Some(""), JSON)
        .await
        .expect(403, 5002);
}

#[tokio::test]
async fn master_data_round_trips() {
    let app = admin_app().await;
    let document = r#"{
        "merchants": [{"id": 9, "name": "Lake Tea"}],
        "shops": [{"id": "S900", "merchantId": 9, "name": "Tea House"}],
        "products": [{"id": 900, "barCode": "6900000000900", "name": "Longjing", "standard": "250g",
                      "unit": "box", "producingArea": "Hangzhou", "qualityLevel": "A",
                      "sellType": "normal"}],
        "prices": [{"shopId": "S900", "productId": 900, "listingPrice": "300.00",
                    "retailPrice": "280.00", "lowestRetailPrice": 250}]
    }"#;
    let answer = put(&app, Some(ADMIN), document).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let summary = json(&answer);
    let upserted = field(&summary, "upserted");
    assert!(
        matches!(field(upserted, "merchants"), Node::Number(n) if n == "1"),
        "{summary:?}"
    );
    assert!(
        matches!(field(upserted, "shops"), Node::Number(n) if n == "1"),
        "{summary:?}"
    );

    let exported = app.get(MASTER_DATA, Some(ADMIN), JSON).await;
    assert_eq!(exported.status, 200, "{exported:?}");
    let data = read_master_data(&exported.body).unwrap();
    assert_eq!(data, app.store.master_data().await.unwrap());
    assert!(data.merchants.iter().any(|m| m.name == "Lake Tea"));
    assert!(data.shops.iter().any(|s| s.id == ShopId::new("S900")));
    // The export carries token hashes, never tokens.
    assert!(
        !exported.text().contains("\"token\""),
        "{}",
        exported.text()
    );

    // Importing the export again changes nothing.
    let again = put(&app, Some(ADMIN), &exported.text()).await;
    assert_eq!(again.status, 200, "{again:?}");
    assert_eq!(app.store.master_data().await.unwrap(), data);
}

#[tokio::test]
async fn refused_documents_store_nothing() {
    let app = admin_app().await;
    let before = app.store.master_data().await.unwrap();

    // A typo: the reader refuses it and names the field.
    let typo = put(
        &app,
        Some(ADMIN),
        r#"{"merchants": [{"id": 9, "nmae": "x"}]}"#,
    )
    .await;
    let plain = typo.expect(200, 1003);
    assert!(plain.errmsg.unwrap().contains("merchants[0].nmae"));

    // A reference to a merchant that does not exist, next to a valid merchant: all or nothing.
    let dangling = r#"{
        "merchants": [{"id": 9, "name": "Lake Tea"}],
        "shops": [{"id": "S900", "merchantId": 77, "name": "Nowhere"}]
    }"#;
    let plain = put(&app, Some(ADMIN), dangling).await.expect(200, 1003);
    assert!(plain.errmsg.unwrap().contains("77"));

    put(&app, Some(ADMIN), "{not json").await.expect(400, 1001);
    put(&app, Some(ADMIN), r#"{"merchants": [{"id": 9}]}"#)
        .await
        .expect(200, 1002);

    assert_eq!(app.store.master_data().await.unwrap(), before);
}

#[tokio::test]
async fn clerks_are_listed_per_shop() {
    let app = admin_app().await;
    let mut wang = updated_at(clerk("S001", "C1", "Wang"), "2024-05-01 09:00:00");
    let mut contact = ContactInfo::new("Wang Fang", "13800000001");
    contact.city = Some("Hangzhou".into());
    wang.contact_info = Some(contact);
    wang.extend_props.insert("level".into(), "3".into());
    let li = clerk("S001", "C2", "Li");
    let zhao = clerk("S002", "C3", "Zhao");
    app.store
        .sync_clerks(
            &erp_shops(),
            &ClerkBatch::Add(vec![wang, li.clone(), zhao]),
            at(5),
        )
        .await
        .unwrap();
    app.store
        .sync_clerks(
            &erp_shops(),
            &ClerkBatch::Delete(vec![ClerkKey::new(ShopId::new("S001"), "C2")]),
            at(6),
        )
        .await
        .unwrap();

    let answer = app
        .get("/admin/v1/clerks?shopId=S001", Some(ADMIN), JSON)
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.text(),
        concat!(
            r#"{"clerks":[{"storeCode":"S001","clerkCode":"C1","sourceClerkCode":null,"#,
            r#""clerkName":"Wang","clerkType":"SYY","contactInfo":{"name":"Wang Fang","#,
            r#""birthDate":null,"gender":null,"career":null,"zipCode":null,"tel":null,"#,
            r#""mobile":"13800000001","fax":null,"email":null,"province":null,"#,
            r#""city":"Hangzhou","area":null,"town":null,"detailAddress":null},"#,
            r#""isValid":"Y","createTime":null,"latestUpdateTime":"2024-05-01 09:00:00","#,
            r#""extendProps":{"level":"3"},"deleted":false,"#,
            r#""updatedAt":"2024-05-01T08:00:05.000+08:00"}]}"#
        )
    );

    let answer = app
        .get(
            "/admin/v1/clerks?shopId=S001&includeDeleted=true",
            Some(ADMIN),
            JSON,
        )
        .await;
    let listing = json(&answer);
    let clerks = items(field(&listing, "clerks"));
    assert_eq!(clerks.len(), 2, "{listing:?}");
    let deleted = &clerks[1];
    assert_eq!(text(field(deleted, "clerkCode")), "C2");
    assert_eq!(field(deleted, "deleted"), &Node::Bool(true));
    assert_eq!(field(deleted, "contactInfo"), &Node::Null(None));
    assert_eq!(
        text(field(deleted, "updatedAt")),
        "2024-05-01T08:00:06.000+08:00"
    );

    let other = app
        .get("/admin/v1/clerks?shopId=S002", Some(ADMIN), JSON)
        .await;
    assert_eq!(items(field(&json(&other), "clerks")).len(), 1);
    let none = app
        .get("/admin/v1/clerks?shopId=S999", Some(ADMIN), JSON)
        .await;
    assert_eq!(none.text(), r#"{"clerks":[]}"#);

    app.get("/admin/v1/clerks", Some(ADMIN), JSON)
        .await
        .expect(200, 1002);
    app.get(
        "/admin/v1/clerks?shopId=S001&includeDeleted=maybe",
        Some(ADMIN),
        JSON,
    )
    .await
    .expect(200, 1003);
}

#[tokio::test]
async fn a_new_token_replaces_the_old_one_at_once() {
    let app = admin_app().await;
    const LIST: &str = "/api/Pos/Sell/Bill/List";
    // The first call caches the account behind token-1.
    app.get(LIST, Some(crate::helpers::CH_S001), JSON)
        .await
        .expect(200, 0);
    let document = r#"{"accounts": [{"id": "ch-s001-c001", "kind": "channel",
        "token": "token-rotated", "shopId": "S001", "customerType": "TA", "customerId": "C001"}]}"#;
    assert_eq!(put(&app, Some(ADMIN), document).await.status, 200);
    app.get(LIST, Some(crate::helpers::CH_S001), JSON)
        .await
        .expect(401, 5001);
    app.get(LIST, Some("token-rotated"), JSON)
        .await
        .expect(200, 0);
}
