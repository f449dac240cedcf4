//! [`verify_callback`]: what a receiver of CONTRACT §9's callbacks runs on each POST before
//! trusting it — the three `X-Posbridge-*` headers present, the timestamp within a tolerance of
//! its clock, the `v1=` HMAC-SHA256 signature matching in constant time (through
//! [`posbridge_protocol::callback::verify`], the code the sender signs with), and the body's
//! fields read.
//!
//! Test vector (also in `docs/callbacks.md`, computed independently with
//! `printf '%s' "$TIMESTAMP.$BODY" | openssl dgst -sha256 -hmac whsec_demo`):
//!
//! ```
//! use std::time::Duration;
//! use posbridge_client::callback::{verify_callback_at, CallbackError};
//! use reqwest::header::{HeaderMap, HeaderValue};
//!
//! let body = br#"{"id":"evt_1","type":"bill.created","occurredAt":"2026-01-01T08:00:00+08:00","account":"ch-sunny-s001","sequence":1,"data":{"BillNum":"B1","TotalAmount":99.00}}"#;
//! let mut headers = HeaderMap::new();
//! headers.insert("X-Posbridge-Event-Id", HeaderValue::from_static("evt_1"));
//! headers.insert("X-Posbridge-Timestamp", HeaderValue::from_static("1767225600"));
//! headers.insert(
//!     "X-Posbridge-Signature",
//!     HeaderValue::from_static(
//!         "v1=58d8a1093dfb67c5c760ed042333aa4077cee7c0ed4f9fd7cacd80775f3015b9",
//!     ),
//! );
//! let tolerance = Duration::from_secs(300);
//! // Received 60 s after it was signed.
//! let event = verify_callback_at(b"whsec_demo", &headers, body, tolerance, 1_767_225_660)?;
//! assert_eq!(event.event_id, "evt_1");
//! assert_eq!(event.kind, "bill.created");
//! assert_eq!(event.sequence, 1);
//! // Decimals keep their text: no float in between.
//! assert_eq!(event.data["TotalAmount"].to_string(), "99.00");
//!
//! // Another secret, a changed body, or a stale timestamp fail.
//! assert!(verify_callback_at(b"whsec_other", &headers, body, tolerance, 1_767_225_660).is_err());
//! let tampered = String::from_utf8_lossy(body).replace("99.00", "9.00");
//! let refused = verify_callback_at(b"whsec_demo", &headers, tampered.as_bytes(), tolerance, 1_767_225_660);
//! assert!(matches!(refused, Err(CallbackError::Signature(_))));
//! assert!(verify_callback_at(b"whsec_demo", &headers, body, tolerance, 1_767_226_000).is_err());
//! # Ok::<(), CallbackError>(())
//! ```

use std::time::Duration;

use posbridge_protocol::callback::VerifyError;
use posbridge_protocol::callback::{EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify};
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::clock::now_unix_s;

/// A callback whose signature and timestamp checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCallback {
    /// `X-Posbridge-Event-Id`, equal to the body's `id`: the key to drop duplicates by, as
    /// delivery is at least once.
    pub event_id: String,
    /// `X-Posbridge-Timestamp`: when it was signed, Unix seconds.
    pub timestamp: i64,
    /// `type`: `bill.created`, `bill.updated`, `bill.payment_received`, `bill.paid`,
    /// `bill.deleted`, `bill.closed`, `settlement.created`.
    pub kind: String,
    /// `occurredAt`: RFC 3339 in the business time zone.
    pub occurred_at: String,
    /// `account`: the account whose operation it describes.
    pub account: String,
    /// `sequence`: increasing per bill (or settlement), to drop stale events.
    pub sequence: u64,
    /// `data`: the bill or settlement view, as Get answers it in JSON. Numbers keep their text
    /// (`serde_json`'s `arbitrary_precision`), so decimals parse exactly.
    pub data: Value,
}

/// Why a callback is not to be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// A header is missing or not text.
    #[error("header {0} is missing")]
    MissingHeader(&'static str),
    /// The timestamp is no integer or outside the tolerance, or no signature matches.
    #[error(transparent)]
    Signature(#[from] VerifyError),
    /// The signed body is not a callback document (only possible if the secret signs other
    /// things too).
    #[error("the body is not a callback: {0}")]
    Body(String),
    /// The (unsigned) `X-Posbridge-Event-Id` header names another event than the signed body.
    #[error("X-Posbridge-Event-Id {header} is not the body's id {body}")]
    EventIdMismatch {
        /// The header's value.
        header: String,
        /// The body's `id`.
        body: String,
    },
}

/// Verifies a received callback against the receiver's system clock. `tolerance` bounds how
/// old (or how far ahead) the signing time may be, which bounds replays of a captured request;
/// 5 minutes is usual.
pub fn verify_callback(
    secret: &[u8],
    headers: &HeaderMap,
    body: &[u8],
    tolerance: Duration,
) -> Result<VerifiedCallback, CallbackError> {
    verify_callback_at(secret, headers, body, tolerance, now_unix_s())
}

/// [`verify_callback`] at a given now (Unix seconds), for tests and replays of stored requests.
pub fn verify_callback_at(
    secret: &[u8],
    headers: &HeaderMap,
    body: &[u8],
    tolerance: Duration,
    now_unix_s: i64,
) -> Result<VerifiedCallback, CallbackError> {
    let header = |name: &'static str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .ok_or(CallbackError::MissingHeader(name))
    };
    let event_id = header(EVENT_ID_HEADER)?;
    let timestamp = header(TIMESTAMP_HEADER)?;
    let signature = header(SIGNATURE_HEADER)?;
    verify(
        secret,
        Some(timestamp),
        Some(signature),
        body,
        now_unix_s,
        tolerance.as_secs(),
    )?;
    // `verify` has parsed it already; it cannot fail here.
    let timestamp = timestamp
        .parse()
        .map_err(|_| CallbackError::Signature(VerifyError::BadTimestamp))?;
    let fields = BodyFields::read(body)?;
    if fields.id != event_id {
        return Err(CallbackError::EventIdMismatch {
            header: event_id.to_owned(),
            body: fields.id,
        });
    }
    Ok(VerifiedCallback {
        event_id: fields.id,
        timestamp,
        kind: fields.kind,
        occurred_at: fields.occurred_at,
        account: fields.account,
        sequence: fields.sequence,
        data: fields.data,
    })
}

struct BodyFields {
    id: String,
    kind: String,
    occurred_at: String,
    account: String,
    sequence: u64,
    data: Value,
}

impl BodyFields {
    fn read(body: &[u8]) -> Result<BodyFields, CallbackError> {
        let bad = |detail: &str| CallbackError::Body(detail.to_owned());
        let mut document: Value =
            serde_json::from_slice(body).map_err(|error| CallbackError::Body(error.to_string()))?;
        let object = document
            .as_object_mut()
            .ok_or_else(|| bad("not a JSON object"))?;
        let text = |name: &str| {
            object
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| CallbackError::Body(format!("{name} is missing or not a string")))
        };
        let id = text("id")?;
        let kind = text("type")?;
        let occurred_at = text("occurredAt")?;
        let account = text("account")?;
        let sequence = object
            .get("sequence")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("sequence is missing or not a whole number"))?;
        let data = object.remove("data").unwrap_or(Value::Null);
        Ok(BodyFields {
            id,
            kind,
            occurred_at,
            account,
            sequence,
            data,
        })
    }
}
