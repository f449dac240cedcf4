//! PostgreSQL errors mapped into [`StoreError`], and typed reads of row columns.

use std::error::Error as _;

use posbridge_domain::calendar::Timestamp;
use rust_decimal::Decimal;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::FromSql;

use crate::codec;
use crate::error::StoreError;

/// Maps a driver error: integrity violations and the transient failures that a retried
/// transaction resolves (serialization failure, deadlock) are `Conflict`, so the retry loop
/// treats them alike; everything else means the database cannot do the work (`Unavailable`).
pub(crate) fn db_error(error: tokio_postgres::Error) -> StoreError {
    let message = describe(&error);
    match error.code() {
        Some(code) if is_conflict(code) => StoreError::Conflict(message),
        _ => StoreError::Unavailable(message),
    }
}

/// Whether a SQLSTATE is one the store reports as `Conflict`.
fn is_conflict(code: &SqlState) -> bool {
    [
        SqlState::UNIQUE_VIOLATION,
        SqlState::CHECK_VIOLATION,
        SqlState::FOREIGN_KEY_VIOLATION,
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::T_R_DEADLOCK_DETECTED,
    ]
    .contains(code)
}

/// The server's message and SQLSTATE when there is one; the driver's own error chain otherwise
/// (its top-level text alone, such as "db error", says too little).
pub(crate) fn describe(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        let mut text = format!("{} (SQLSTATE {})", db.message(), db.code().code());
        if let Some(constraint) = db.constraint() {
            text.push_str(&format!(", constraint {constraint}"));
        }
        return text;
    }
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A column's value; a value of the wrong type or a NULL where none belongs is `Corrupt`.
pub(crate) fn column<'r, T: FromSql<'r>>(row: &'r Row, name: &str) -> Result<T, StoreError> {
    row.try_get(name)
        .map_err(|e| StoreError::Corrupt(format!("column {name}: {}", describe(&e))))
}

/// A NUMERIC column selected as `name::text AS name`, read exactly.
pub(crate) fn decimal_column(row: &Row, name: &str) -> Result<Decimal, StoreError> {
    codec::decimal::parse(&column::<String>(row, name)?)
}

/// A BIGINT column of unix milliseconds.
pub(crate) fn timestamp_column(row: &Row, name: &str) -> Result<Timestamp, StoreError> {
    column::<i64>(row, name).map(Timestamp)
}

/// A BIGINT column holding a count or position that the API types keep as `u32`.
pub(crate) fn u32_column(row: &Row, name: &str) -> Result<u32, StoreError> {
    let value = column::<i64>(row, name)?;
    u32::try_from(value)
        .map_err(|_| StoreError::Corrupt(format!("column {name}: {value} is out of range")))
}

/// A decimal as the text bound to a `$n::text::numeric` parameter: its own digits, never a
/// float, so the stored value and scale are exactly the Rust value's.
pub(crate) fn numeric_text(value: Decimal) -> String {
    value.to_string()
}
