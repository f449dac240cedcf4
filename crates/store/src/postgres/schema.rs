//! The schema a store lives in, and the embedded migrations applied on connect.
//!
//! Each migration runs in its own transaction together with its `schema_migrations` row, so a
//! migration is applied completely or not at all. Every step first takes one transaction-scoped
//! advisory lock, so server processes starting together apply each migration exactly once.

use deadpool_postgres::Object;

use super::sql::db_error;
use crate::error::StoreError;
use crate::migrate::POSTGRES;

/// The advisory lock key that serialises migrations across processes ("posbridg" in ASCII).
const MIGRATION_LOCK: i64 = 0x706f_7362_7269_6467;

/// The longest identifier PostgreSQL keeps without truncating it.
const NAME_LEN_MAX: usize = 63;

/// Accepts a schema name only if it is a plain identifier, since it is written into SQL and
/// into the connection's `search_path` unquoted (PostgreSQL folds it to lower case in both).
pub(crate) fn check_name(name: &str) -> Result<(), StoreError> {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().next().is_some_and(|c| !c.is_ascii_digit())
        && name.len() <= NAME_LEN_MAX
        // PostgreSQL reserves the `pg_` prefix for its own schemas.
        && !name.to_ascii_lowercase().starts_with("pg_");
    if plain {
        Ok(())
    } else {
        Err(StoreError::Unavailable(format!(
            "invalid PostgreSQL schema name {name:?}: use letters, digits and underscores, \
             at most {NAME_LEN_MAX}, not starting with a digit or `pg_`"
        )))
    }
}

/// Creates the schema (when one is chosen) and the migrations table if missing, then applies
/// every migration up to `up_to` that the database has not applied yet.
pub(crate) async fn migrate(
    client: &mut Object,
    schema: Option<&str>,
    up_to: i64,
) -> Result<(), StoreError> {
    let transaction = client.transaction().await.map_err(db_error)?;
    transaction
        .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(db_error)?;
    if let Some(schema) = schema {
        check_name(schema)?;
        transaction
            .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
            .await
            .map_err(db_error)?;
    }
    transaction
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (\
             version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .await
        .map_err(db_error)?;
    transaction.commit().await.map_err(db_error)?;

    for migration in POSTGRES.iter().filter(|m| m.version <= up_to) {
        let transaction = client.transaction().await.map_err(db_error)?;
        transaction
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(db_error)?;
        let applied = transaction
            .query_opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[&migration.version],
            )
            .await
            .map_err(db_error)?;
        if applied.is_none() {
            transaction
                .batch_execute(migration.sql)
                .await
                .map_err(|e| migration_error(migration.version, &e))?;
            // The database's clock: the store reads no clock of its own.
            transaction
                .execute(
                    "INSERT INTO schema_migrations (version, applied_at) \
                     VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
                    &[&migration.version],
                )
                .await
                .map_err(db_error)?;
            tracing::info!(version = migration.version, "applied PostgreSQL migration");
        }
        transaction.commit().await.map_err(db_error)?;
    }
    Ok(())
}

fn migration_error(version: i64, error: &tokio_postgres::Error) -> StoreError {
    StoreError::Unavailable(format!(
        "PostgreSQL migration {version} failed: {}",
        super::sql::describe(error)
    ))
}
