//! Callbacks (CONTRACT §9): the JSON body `{"id", "type", "occurredAt", "account", "sequence",
//! "data"}` and its signature, one implementation for the sender (posbridge) and for receivers
//! (`posbridge-client`'s `verify_callback`).
//!
//! The signature is `v1=<hex HMAC-SHA256(callbackSecret, timestamp + "." + body)>`, lower-case
//! hex, with the timestamp in Unix seconds as sent in `X-Posbridge-Timestamp`. A receiver checks
//! the timestamp against its clock (a tolerance bounds replays of a captured request) and compares
//! the signature in constant time; a header may carry several comma-separated signatures (one per
//! secret while a secret is rotated), and one match is enough.

use std::borrow::Cow;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::json::write_json;
use crate::node::{Node, Object};

/// The header carrying the event id (`evt_<n>`).
pub const EVENT_ID_HEADER: &str = "X-Posbridge-Event-Id";
/// The header carrying the signing time, Unix seconds.
pub const TIMESTAMP_HEADER: &str = "X-Posbridge-Timestamp";
/// The header carrying `v1=<hex>`.
pub const SIGNATURE_HEADER: &str = "X-Posbridge-Signature";

/// The signature scheme's prefix.
const SCHEME: &str = "v1=";

/// The `X-Posbridge-Signature` value of `body` signed at `timestamp` with `secret`.
///
/// ```
/// use posbridge_protocol::callback::{signature, verify};
///
/// let body = br#"{"id":"evt_1","type":"bill.created"}"#;
/// let signed = signature(b"whsec_test", 1_700_000_000, body);
/// assert_eq!(
///     signed,
///     "v1=8f6d312478087945f80541be9f19c483af07d2fd723625d4c4260c15a6d9849f"
/// );
/// let timestamp = Some("1700000000");
/// assert!(verify(b"whsec_test", timestamp, Some(&signed), body, 1_700_000_100, 300).is_ok());
/// ```
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    let mut text = String::with_capacity(SCHEME.len() + 64);
    text.push_str(SCHEME);
    for byte in digest {
        text.push(hex_digit(byte >> 4));
        text.push(hex_digit(byte & 0x0f));
    }
    text
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0x0f)])
}

/// Why a callback failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No `X-Posbridge-Timestamp`, or not an integer.
    #[error("X-Posbridge-Timestamp is missing or not Unix seconds")]
    BadTimestamp,
    /// The timestamp is further from the receiver's clock than the tolerance.
    #[error("the callback was signed {age_secs} s away from now, beyond the tolerance")]
    OutsideTolerance {
        /// How far, in seconds (either direction).
        age_secs: u64,
    },
    /// No `X-Posbridge-Signature`, or no `v1=` signature in it.
    #[error("X-Posbridge-Signature is missing or has no v1= signature")]
    MissingSignature,
    /// No signature matches the body and secret.
    #[error("no signature matches: wrong secret, or the body was changed")]
    Mismatch,
}

/// Checks a received callback: `timestamp` and `signatures` are the header values as received,
/// `now_secs` the receiver's clock, `tolerance_secs` how far apart they may be.
pub fn verify(
    secret: &[u8],
    timestamp: Option<&str>,
    signatures: Option<&str>,
    body: &[u8],
    now_secs: i64,
    tolerance_secs: u64,
) -> Result<(), VerifyError> {
    let timestamp: i64 = timestamp
        .and_then(|t| t.trim().parse().ok())
        .ok_or(VerifyError::BadTimestamp)?;
    let age_secs = now_secs.abs_diff(timestamp);
    if age_secs > tolerance_secs {
        return Err(VerifyError::OutsideTolerance { age_secs });
    }
    let candidates: Vec<&str> = signatures
        .unwrap_or_default()
        .split(',')
        .filter_map(|part| part.trim().strip_prefix(SCHEME))
        .collect();
    if candidates.is_empty() {
        return Err(VerifyError::MissingSignature);
    }
    let expected = signature(secret, timestamp, body);
    let expected = &expected.as_bytes()[SCHEME.len()..];
    let matches = candidates.iter().fold(false, |found, candidate| {
        found | same_text(candidate.as_bytes(), expected)
    });
    if matches {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// Equal byte strings (hex compared in any letter case), in time independent of where they
/// differ.
fn same_text(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .fold(0u8, |acc, (x, y)| acc | (x.to_ascii_lowercase() ^ y))
            == 0
}

/// A callback's body, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackBody<'a> {
    /// `id`: `evt_<n>`, stable across redeliveries.
    pub id: &'a str,
    /// `type`: `bill.created`, `bill.paid`, `settlement.created`, ….
    pub kind: &'a str,
    /// `occurredAt`: RFC 3339 in the business time zone.
    pub occurred_at: &'a str,
    /// `account`: the account whose operation it describes.
    pub account: &'a str,
    /// `sequence`: the event's position among its bill's (or settlement's) events, from 1.
    pub sequence: u32,
    /// `data`: the bill or settlement view, as Get answers it.
    pub data: Object,
}

impl CallbackBody<'_> {
    /// The JSON body sent.
    pub fn to_json(&self) -> String {
        let text = |value: &str| Node::Text(value.to_owned());
        write_json(&Node::Object(Object {
            ty: None,
            fields: vec![
                (Cow::Borrowed("id"), text(self.id)),
                (Cow::Borrowed("type"), text(self.kind)),
                (Cow::Borrowed("occurredAt"), text(self.occurred_at)),
                (Cow::Borrowed("account"), text(self.account)),
                (
                    Cow::Borrowed("sequence"),
                    Node::Int(i64::from(self.sequence)),
                ),
                (Cow::Borrowed("data"), Node::Object(self.data.clone())),
            ],
        }))
    }
}

#[cfg(test)]
mod tests;
