//! The embedded migrations of both backends, applied in order on open; each database records the
//! versions it has applied in `schema_migrations`, so one written by an older version upgrades
//! in place.

/// One migration: its version and SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Applied in increasing order, each once.
    pub version: i64,
    /// The SQL script.
    pub sql: &'static str,
}

/// SQLite migrations.
pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../migrations/sqlite/0002_delivery_attempts.sql"),
    },
];

/// PostgreSQL migrations.
pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../migrations/postgres/0002_delivery_attempts.sql"),
    },
];

/// The newest version either backend knows.
pub const LATEST: i64 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one_and_agree_between_backends() {
        for list in [SQLITE, POSTGRES] {
            let versions: Vec<i64> = list.iter().map(|m| m.version).collect();
            let expected: Vec<i64> = (1..=LATEST).collect();
            assert_eq!(versions, expected);
        }
    }
}
