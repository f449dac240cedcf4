//! Outbox event payloads: the subject's document as it was right after the change.

use crate::error::StoreError;
use crate::model::{EventPayload, EventSubject};

/// The stored spelling of a subject's kind and key: (`bill`, BillNum) or (`settlement`, id).
pub fn subject_columns(subject: &EventSubject) -> (&'static str, String) {
    match subject {
        EventSubject::Bill(bill_num) => ("bill", bill_num.to_string()),
        EventSubject::Settlement(id) => ("settlement", id.to_string()),
    }
}

/// Reads a subject back from its columns.
pub fn subject(kind: &str, key: &str) -> Result<EventSubject, StoreError> {
    match kind {
        "bill" => Ok(EventSubject::Bill(posbridge_domain::ids::BillNum::new(key))),
        "settlement" => key
            .parse()
            .map(EventSubject::Settlement)
            .map_err(|_| StoreError::Corrupt(format!("outbox subject {key:?}"))),
        other => Err(StoreError::Corrupt(format!(
            "outbox subject kind {other:?}"
        ))),
    }
}

/// Decodes an event's document by its subject kind.
pub fn payload(subject_kind: &str, document: &str) -> Result<EventPayload, StoreError> {
    match subject_kind {
        "bill" => Ok(EventPayload::Bill(Box::new(super::bill::decode(document)?))),
        "settlement" => Ok(EventPayload::Settlement(Box::new(
            super::settlement::decode(document)?,
        ))),
        other => Err(StoreError::Corrupt(format!(
            "outbox subject kind {other:?}"
        ))),
    }
}
