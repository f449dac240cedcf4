//! The store's JSON documents of bills, settlements and clerks, shared by both backends.
//!
//! A document holds a whole aggregate, so a write replaces it atomically and both backends read
//! back exactly what the other writes; the columns beside it carry only what queries, keys and
//! constraints need. Decimals are written as strings from their own digits (exact, scale kept),
//! and everything read back is checked by the domain's constructors: a document that would make
//! an invalid value is `StoreError::Corrupt`, never a panic.

pub mod bill;
pub mod clerk;
pub mod decimal;
pub mod event;
pub mod report;
pub mod settlement;

use crate::error::StoreError;

/// The documents' format version, written into each; readers refuse versions they do not know.
pub const DOCUMENT_VERSION: u32 = 1;

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain structs of strings and integers into a String cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn from_json<'a, T: serde::Deserialize<'a>>(what: &str, text: &'a str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what} document: {e}")))
}

fn corrupt(what: &str, problem: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what} document: {problem}"))
}

fn check_version(what: &str, version: u32) -> Result<(), StoreError> {
    if version == DOCUMENT_VERSION {
        Ok(())
    } else {
        Err(corrupt(what, format!("unknown document version {version}")))
    }
}
