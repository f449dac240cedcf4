//! Transport errors and refusals over HTTP: each with its status, the envelope in the negotiated
//! format and its errcode, and nothing stored.

use posbridge_protocol::dto::PosSellFromWebInterfaceParm;
use posbridge_protocol::media::Format;
use posbridge_server::ServerConfig;

use crate::helpers::*;

const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";

fn bill() -> Vec<u8> {
    scarves("P-1", "1", "99.00").into_bytes()
}

#[tokio::test]
async fn credentials_and_account_kinds() {
    let app = spawn().await;
    app.post(ADD, None, JSON, bill()).await.expect(401, 5001);
    app.post(ADD, Some("no-such-token"), JSON, bill())
        .await
        .expect(401, 5001);
    app.post(ADD, Some(M2), JSON, bill())
        .await
        .expect(403, 5002);
    // The error answer follows the request's format.
    let body = body_as::<PosSellFromWebInterfaceParm>(XML, &scarves("P-1", "1", "99.00"));
    let answer = app.post(ADD, Some("wrong"), XML, body).await;
    assert_eq!(answer.format(), Format::Xml);
    answer.expect(401, 5001);
    assert_eq!(c001_bills(&app).await, 0);
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let app = spawn().await;
    app.get("/api/Pos/Sell/Bill/Nothing", Some(CH_S001), JSON)
        .await
        .expect(404, 1007);
    let answer = app.get("/nowhere", None, "text/xml").await;
    assert_eq!(answer.content_type, "text/xml; charset=utf-8");
    assert!(
        answer.text().starts_with("<CommonOperationResult "),
        "{}",
        answer.text()
    );
    answer.expect(404, 1007);
    let answer = app.get(ADD, Some(CH_S001), BSON).await;
    assert_eq!(answer.format(), Format::Bson);
    answer.expect(405, 1008);
    app.post("/api/Pos/Sell/Bill/Get", Some(CH_S001), JSON, Vec::new())
        .await
        .expect(405, 1008);
}

#[tokio::test]
async fn paths_match_in_any_case() {
    let app = spawn().await;
    let answer = app
        .post(
            "/API/POS/SELL/BILL/ADDORUPDATE",
            Some(CH_S001),
            JSON,
            bill(),
        )
        .await;
    answer.expect(200, 0);
    app.get(
        "/Api/Pos/Sell/Bill/Get/?billnum=&SENDERBILLNUM=P-1",
        Some(CH_S001),
        JSON,
    )
    .await
    .expect(200, 0);
    app.get("/HEALTHZ", None, JSON).await.expect(200, 0);
}

#[tokio::test]
async fn bodies_too_large_unsupported_or_unreadable() {
    let config = ServerConfig {
        body_limit_bytes: 1024,
        ..ServerConfig::default()
    };
    let app = spawn_with(&config).await;
    // Declared too large: refused before reading.
    let mut big = scarves("P-1", "1", "99.00");
    big.push_str(&" ".repeat(2048));
    app.post(ADD, Some(CH_S001), JSON, big.clone().into_bytes())
        .await
        .expect(413, 1005);
    // Not declared: refused while reading.
    let request = axum::http::Request::post(ADD)
        .header("content-type", JSON)
        .header("authorization", format!("Bearer {CH_S001}"))
        .body(axum::body::Body::from(big.into_bytes()))
        .expect("a request");
    app.send(request).await.expect(413, 1005);

    app.post(ADD, Some(CH_S001), "text/plain", bill())
        .await
        .expect(415, 1006);
    app.post(ADD, Some(CH_S001), "application/json; charset=gbk", bill())
        .await
        .expect(415, 1006);
    app.post(ADD, Some(CH_S001), JSON, b"{\"SenderBillNum\":".to_vec())
        .await
        .expect(400, 1001);
    app.post(ADD, Some(CH_S001), JSON, b"[1,2]".to_vec())
        .await
        .expect(400, 1001);
    app.post(ADD, Some(CH_S001), JSON, vec![0xff, 0xfe])
        .await
        .expect(400, 1001);
    let dtd = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><PosSellFromWebInterfaceParm>&a;</PosSellFromWebInterfaceParm>"#;
    app.post(ADD, Some(CH_S001), XML, dtd.to_vec())
        .await
        .expect(400, 1001);
    app.post(ADD, Some(CH_S001), BSON, b"\x05\x00\x00".to_vec())
        .await
        .expect(400, 1001);
    // Field errors are HTTP 200 with their errcode.
    app.post(ADD, Some(CH_S001), JSON, br#"{"Details":[]}"#.to_vec())
        .await
        .expect(200, 1002);
    let long = scarves(&"X".repeat(33), "1", "99.00");
    app.post(ADD, Some(CH_S001), JSON, long.into_bytes())
        .await
        .expect(200, 1003);
    let wrong_shape = br#"{"SenderBillNum":"P-1","Details":[{"ProductId":"one"}]}"#;
    app.post(ADD, Some(CH_S001), JSON, wrong_shape.to_vec())
        .await
        .expect(200, 1003);
    app.post(
        ADD,
        Some(CH_S001),
        JSON,
        scarves("P-1", "1.00001", "99.00").into_bytes(),
    )
    .await
    .expect(200, 1003);
    app.post(
        ADD,
        Some(CH_S001),
        JSON,
        scarves("P-1", "1", "98.00").into_bytes(),
    )
    .await
    .expect(200, 2003);
    assert_eq!(
        c001_bills(&app).await,
        0,
        "no refused request stored a bill"
    );
    assert!(
        posbridge_store::conformance::fixtures::all_events(&app.store)
            .await
            .is_empty(),
        "nor an event"
    );
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn().await;
    app.get("/healthz", None, JSON).await.expect(200, 0);
    app.get("/readyz", None, XML).await.expect(200, 0);
    app.post("/healthz", None, JSON, Vec::new())
        .await
        .expect(405, 1008);
}

#[tokio::test]
async fn openapi_is_served_without_a_token_and_names_every_endpoint() {
    let app = spawn().await;
    let answer = app.get("/OpenAPI.json", None, JSON).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, "application/json");
    let text = answer.text();
    assert!(text.contains("\"openapi\": \"3.1.0\""), "{text:.80}");
    for path in [
        ADD,
        "/api/Pos/Sell/Bill/List",
        "/api/UnPos/Merchant/Customer/CalculateBill/Add",
    ] {
        assert!(text.contains(&format!("\"{path}\"")), "{path}");
    }
}
