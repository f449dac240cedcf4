//! Signatures against vectors computed by an independent HMAC (`openssl dgst -sha256 -hmac`),
//! and every way verification refuses.

use super::*;

const SECRET: &[u8] = b"whsec_test";
const BODY: &[u8] = br#"{"id":"evt_1","type":"bill.created"}"#;
const AT: i64 = 1_700_000_000;
/// `printf '%s' '1700000000.{"id":"evt_1","type":"bill.created"}' | openssl dgst -sha256 -hmac whsec_test`
const VECTOR: &str = "v1=8f6d312478087945f80541be9f19c483af07d2fd723625d4c4260c15a6d9849f";
/// The same for an empty body.
const EMPTY_VECTOR: &str = "v1=5967f3c560522fa40cf2876ebc3c3a08551dd6959aaade3b413460591895bdcc";

fn check(
    timestamp: Option<&str>,
    signatures: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), VerifyError> {
    verify(SECRET, timestamp, signatures, body, now, 300)
}

#[test]
fn signatures_match_an_independent_hmac() {
    assert_eq!(signature(SECRET, AT, BODY), VECTOR);
    assert_eq!(signature(SECRET, AT, b""), EMPTY_VECTOR);
}

#[test]
fn a_genuine_callback_verifies_within_the_tolerance_either_way() {
    for now in [AT, AT + 300, AT - 300] {
        assert_eq!(check(Some("1700000000"), Some(VECTOR), BODY, now), Ok(()));
    }
    // Upper-case hex, surrounding spaces, and a rotated-out secret's signature beside it.
    let upper = VECTOR.to_ascii_uppercase().replace("V1=", "v1=");
    assert_eq!(check(Some(" 1700000000 "), Some(&upper), BODY, AT), Ok(()));
    let rotated = format!("v1={}, {VECTOR}", "0".repeat(64));
    assert_eq!(check(Some("1700000000"), Some(&rotated), BODY, AT), Ok(()));
}

#[test]
fn every_refusal_has_its_reason() {
    assert_eq!(
        check(None, Some(VECTOR), BODY, AT),
        Err(VerifyError::BadTimestamp)
    );
    assert_eq!(
        check(Some("1.7e9"), Some(VECTOR), BODY, AT),
        Err(VerifyError::BadTimestamp)
    );
    assert_eq!(
        check(Some("1700000000"), Some(VECTOR), BODY, AT + 301),
        Err(VerifyError::OutsideTolerance { age_secs: 301 })
    );
    assert_eq!(
        check(Some("1700000000"), None, BODY, AT),
        Err(VerifyError::MissingSignature)
    );
    assert_eq!(
        check(Some("1700000000"), Some("v0=abc"), BODY, AT),
        Err(VerifyError::MissingSignature)
    );
    // A changed body, a changed timestamp, another secret, a truncated signature.
    assert_eq!(
        check(Some("1700000000"), Some(VECTOR), br#"{"id":"evt_2"}"#, AT),
        Err(VerifyError::Mismatch)
    );
    assert_eq!(
        check(Some("1700000001"), Some(VECTOR), BODY, AT),
        Err(VerifyError::Mismatch)
    );
    assert_eq!(
        verify(b"other", Some("1700000000"), Some(VECTOR), BODY, AT, 300),
        Err(VerifyError::Mismatch)
    );
    assert_eq!(
        check(Some("1700000000"), Some(&VECTOR[..40]), BODY, AT),
        Err(VerifyError::Mismatch)
    );
}

#[test]
fn the_body_has_the_contract_members_in_order() {
    let body = CallbackBody {
        id: "evt_7",
        kind: "bill.paid",
        occurred_at: "2024-05-01T09:00:00+08:00",
        account: "ch-sunny",
        sequence: 2,
        data: Object {
            ty: None,
            fields: vec![(
                Cow::Borrowed("BillNum"),
                Node::Text("SB000000000001".into()),
            )],
        },
    };
    assert_eq!(
        body.to_json(),
        r#"{"id":"evt_7","type":"bill.paid","occurredAt":"2024-05-01T09:00:00+08:00","account":"ch-sunny","sequence":2,"data":{"BillNum":"SB000000000001"}}"#
    );
}
