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

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    fn check(sql: &str, expect: fn(&StoreError) -> bool) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE p (id INTEGER PRIMARY KEY);
             CREATE TABLE t (k TEXT UNIQUE, n INTEGER CHECK (n >= 0), p INTEGER REFERENCES p (id));
             INSERT INTO t (k, n) VALUES ('a', 1);",
        )
        .unwrap();
        let error = sql_error(conn.execute_batch(sql).unwrap_err());
        assert!(expect(&error), "{sql}: {error:?}");
    }

    #[test]
    fn constraint_violations_are_conflicts() {
        let conflict = |e: &StoreError| matches!(e, StoreError::Conflict(_));
        check("INSERT INTO t (k, n) VALUES ('a', 2)", conflict); // 2067 unique
        check(
            "INSERT INTO p (id) VALUES (NULL); INSERT INTO p (id) VALUES (1)",
            conflict,
        ); // 1555
        check("INSERT INTO t (k, n) VALUES ('b', -1)", conflict); // 275 check
        check("INSERT INTO t (k, n, p) VALUES ('c', 1, 9)", conflict); // 787 foreign key
    }

    #[test]
    fn other_failures_are_unavailable() {
        check("SELECT * FROM missing", |e| {
            matches!(e, StoreError::Unavailable(_))
        });
    }
}
