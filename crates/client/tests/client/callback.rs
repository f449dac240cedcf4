//! `verify_callback`: the documented vector, the tolerance at its edges, tampering, missing
//! headers, rotated secrets, and bodies that are no callback.

// Tests: a failed step panics with what it saw; one test reads the system clock, as a
// receiver does.

use std::time::Duration;

use posbridge_client::callback::verify_callback_at;
use posbridge_client::{CallbackError, verify_callback};
use posbridge_protocol::callback::{VerifyError, signature};
use reqwest::header::{HeaderMap, HeaderValue};

const SECRET: &[u8] = b"whsec_demo";
const SIGNED_AT: i64 = 1_767_225_600;
const BODY: &str = r#"{"id":"evt_1","type":"bill.created","occurredAt":"2026-01-01T08:00:00+08:00","account":"ch-sunny-s001","sequence":1,"data":{"BillNum":"B1","TotalAmount":99.00}}"#;
/// `printf '%s' "1767225600.$BODY" | openssl dgst -sha256 -hmac whsec_demo`.
const EXPECTED: &str = "v1=58d8a1093dfb67c5c760ed042333aa4077cee7c0ed4f9fd7cacd80775f3015b9";
const TOLERANCE: Duration = Duration::from_secs(300);

fn headers(event_id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("X-Posbridge-Event-Id", event_id),
        ("X-Posbridge-Timestamp", timestamp),
        ("X-Posbridge-Signature", signature),
    ] {
        headers.insert(name, HeaderValue::from_str(value).unwrap());
    }
    headers
}

fn good() -> HeaderMap {
    headers("evt_1", "1767225600", EXPECTED)
}

fn check(headers: &HeaderMap, body: &str, now: i64) -> Result<String, CallbackError> {
    verify_callback_at(SECRET, headers, body.as_bytes(), TOLERANCE, now).map(|event| event.kind)
}

#[test]
fn the_documented_vector_verifies_and_matches_the_sender() {
    assert_eq!(signature(SECRET, SIGNED_AT, BODY.as_bytes()), EXPECTED);
    let event = verify_callback_at(SECRET, &good(), BODY.as_bytes(), TOLERANCE, SIGNED_AT).unwrap();
    assert_eq!(event.event_id, "evt_1");
    assert_eq!(event.timestamp, SIGNED_AT);
    assert_eq!(event.kind, "bill.created");
    assert_eq!(event.occurred_at, "2026-01-01T08:00:00+08:00");
    assert_eq!(event.account, "ch-sunny-s001");
    assert_eq!(event.sequence, 1);
    assert_eq!(event.data["BillNum"], "B1");
    assert_eq!(event.data["TotalAmount"].to_string(), "99.00");
}

#[test]
fn the_tolerance_holds_both_ways_and_its_edge_is_inside() {
    for (now, ok) in [
        (SIGNED_AT - 300, true),
        (SIGNED_AT + 300, true),
        (SIGNED_AT - 301, false),
        (SIGNED_AT + 301, false),
        (SIGNED_AT + 86_400, false),
    ] {
        let got = check(&good(), BODY, now);
        if ok {
            assert_eq!(got.as_deref(), Ok("bill.created"), "now {now}");
        } else {
            assert!(
                matches!(
                    got,
                    Err(CallbackError::Signature(
                        VerifyError::OutsideTolerance { .. }
                    ))
                ),
                "now {now}: {got:?}"
            );
        }
    }
}

#[test]
fn a_changed_body_timestamp_or_secret_is_a_mismatch() {
    let mismatch = Err(CallbackError::Signature(VerifyError::Mismatch));
    assert_eq!(
        check(&good(), &BODY.replace("99.00", "9.00"), SIGNED_AT),
        mismatch
    );
    assert_eq!(check(&good(), &format!("{BODY} "), SIGNED_AT), mismatch);
    let moved = headers("evt_1", "1767225601", EXPECTED);
    assert_eq!(check(&moved, BODY, SIGNED_AT), mismatch);
    let other = verify_callback_at(
        b"whsec_other",
        &good(),
        BODY.as_bytes(),
        TOLERANCE,
        SIGNED_AT,
    );
    assert_eq!(other.map(|e| e.kind), mismatch);
}

#[test]
fn missing_headers_are_named() {
    for name in [
        "X-Posbridge-Event-Id",
        "X-Posbridge-Timestamp",
        "X-Posbridge-Signature",
    ] {
        let mut headers = good();
        headers.remove(name);
        let got = check(&headers, BODY, SIGNED_AT);
        assert!(
            matches!(&got, Err(CallbackError::MissingHeader(missing)) if missing.eq_ignore_ascii_case(name)),
            "{name}: {got:?}"
        );
    }
    let blank = headers("evt_1", "", EXPECTED);
    assert!(matches!(
        check(&blank, BODY, SIGNED_AT),
        Err(CallbackError::MissingHeader(_))
    ));
}

#[test]
fn malformed_headers_are_refused() {
    let words = headers("evt_1", "yesterday", EXPECTED);
    assert_eq!(
        check(&words, BODY, SIGNED_AT),
        Err(CallbackError::Signature(VerifyError::BadTimestamp))
    );
    let unversioned = headers("evt_1", "1767225600", &EXPECTED[3..]);
    assert_eq!(
        check(&unversioned, BODY, SIGNED_AT),
        Err(CallbackError::Signature(VerifyError::MissingSignature))
    );
}

#[test]
fn one_matching_signature_of_several_is_enough() {
    // While a secret is rotated, the sender signs with both.
    let old = signature(b"whsec_old", SIGNED_AT, BODY.as_bytes());
    let both = headers("evt_1", "1767225600", &format!("{old}, {EXPECTED}"));
    assert_eq!(check(&both, BODY, SIGNED_AT).as_deref(), Ok("bill.created"));
    let upper = headers(
        "evt_1",
        "1767225600",
        &EXPECTED.to_ascii_uppercase().replace("V1=", "v1="),
    );
    assert_eq!(
        check(&upper, BODY, SIGNED_AT).as_deref(),
        Ok("bill.created")
    );
}

#[test]
fn the_event_id_header_must_name_the_signed_body() {
    let swapped = headers("evt_2", "1767225600", EXPECTED);
    assert_eq!(
        check(&swapped, BODY, SIGNED_AT),
        Err(CallbackError::EventIdMismatch {
            header: "evt_2".to_owned(),
            body: "evt_1".to_owned()
        })
    );
}

#[test]
fn signed_bodies_that_are_no_callback_are_refused() {
    for body in [
        "[]",
        "not json",
        r#"{"id":"evt_1","type":"bill.created","occurredAt":"x","account":"a"}"#,
        r#"{"id":"evt_1","type":"bill.created","occurredAt":"x","account":"a","sequence":-1}"#,
        r#"{"id":1,"type":"bill.created","occurredAt":"x","account":"a","sequence":1}"#,
    ] {
        let signed = signature(SECRET, SIGNED_AT, body.as_bytes());
        let headers = headers("evt_1", "1767225600", &signed);
        assert!(
            matches!(
                check(&headers, body, SIGNED_AT),
                Err(CallbackError::Body(_))
            ),
            "{body}"
        );
    }
    // `data` may be absent: it reads as null.
    let body =
        r#"{"id":"evt_1","type":"bill.deleted","occurredAt":"x","account":"a","sequence":3}"#;
    let signed = signature(SECRET, SIGNED_AT, body.as_bytes());
    let event = verify_callback_at(
        SECRET,
        &headers("evt_1", "1767225600", &signed),
        body.as_bytes(),
        TOLERANCE,
        SIGNED_AT,
    )
    .unwrap();
    assert!(event.data.is_null());
}

#[test]
fn the_system_clock_variant_refuses_a_callback_signed_long_ago() {
    // Signed in 2026-01-01; whatever today is, a 1 s tolerance cannot cover it unless the test
    // machine's clock stands exactly there.
    let got = verify_callback(SECRET, &good(), BODY.as_bytes(), Duration::from_secs(1));
    assert!(matches!(
        got,
        Err(CallbackError::Signature(
            VerifyError::OutsideTolerance { .. }
        ))
    ));
    // And one signed now passes.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let fresh = signature(SECRET, now, BODY.as_bytes());
    let headers = headers("evt_1", &now.to_string(), &fresh);
    let event = verify_callback(SECRET, &headers, BODY.as_bytes(), TOLERANCE).unwrap();
    assert_eq!(event.timestamp, now);
}
