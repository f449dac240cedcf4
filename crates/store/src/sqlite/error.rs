//! Mapping SQLite's errors into the store's normalised set.

use rusqlite::ErrorCode;

use crate::error::StoreError;

/// Maps a rusqlite error: constraint violations (2067 unique, 1555 primary key, 787 foreign key,
/// 275 check) are conflicts, unreadable values are corruption, the rest is unavailability.
pub fn sql_error(error: rusqlite::Error) -> StoreError {
    match &error {
        rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
            ErrorCode::ConstraintViolation => StoreError::Conflict(error.to_string()),
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                StoreError::Corrupt(error.to_string())
            }
            _ => StoreError::Unavailable(error.to_string()),
        },
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => StoreError::Corrupt(error.to_string()),
        _ => StoreError::Unavailable(error.to_string()),
    }
}
