//! The source documents' own samples (`../shared/seeds/`, copied in the protocol's `testdata`),
//! sent as they stand: each parses (no 1001), and is refused only for its placeholder values —
//! "sample string 7" is too long for the one-character `PlanDeliverType`, "sample string 4" is not
//! a `HappenDate` — with that field named and nothing stored.

use crate::helpers::*;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../protocol/testdata/");

fn sample(file: &str) -> Vec<u8> {
    std::fs::read(format!("{TESTDATA}{file}")).expect("a seed sample")
}

#[tokio::test]
async fn seed_samples_parse_and_are_refused_only_for_their_placeholders() {
    let app = spawn().await;
    for (path, token, file, media, field) in [
        (
            "/api/Pos/Sell/Bill/AddOrUpdate",
            CH_S001,
            "seed-001-request.json",
            JSON,
            "PlanDeliverType",
        ),
        (
            "/api/Pos/Sell/Bill/AddOrUpdate",
            CH_S001,
            "seed-001-request.indented.xml",
            XML,
            "PlanDeliverType",
        ),
        (
            "/api/UnPos/Merchant/Customer/CalculateBill/Add",
            M2,
            "seed-002-request.json",
            JSON,
            "HappenDate",
        ),
        (
            "/api/UnPos/Merchant/Customer/CalculateBill/Add",
            M2,
            "seed-002-request.indented.xml",
            XML,
            "HappenDate",
        ),
    ] {
        let answer = app.post(path, Some(token), media, sample(file)).await;
        let envelope = answer.expect(200, 1003);
        let message = envelope.errmsg.unwrap_or_default();
        assert!(message.contains(field), "{file}: {message}");
        assert_eq!(answer.format(), answer_format(media), "{file}");
    }
    assert_eq!(c001_bills(&app).await, 0);
    assert!(
        posbridge_store::conformance::fixtures::all_events(&app.store)
            .await
            .is_empty()
    );
}

/// The format an answer comes in when the request names none in `Accept`: the request's.
fn answer_format(media: &str) -> posbridge_protocol::media::Format {
    posbridge_protocol::media::request_type(Some(media))
        .expect("a supported type")
        .format
}
