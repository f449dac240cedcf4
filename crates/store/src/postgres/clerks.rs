//! Clerks on PostgreSQL: the current clerks and their history.

use std::collections::{BTreeMap, BTreeSet};

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::clerk::{Clerk, ClerkChange, ClerkKey, StoredClerk};
use posbridge_domain::ids::ShopId;
use tokio_postgres::Row;

use super::sql::{column, timestamp_column};
use super::tx::PgTx;
use crate::codec;
use crate::error::StoreError;
use crate::model::ClerkEntry;

/// The stored clerks with these keys, deleted ones included.
pub(crate) async fn by_keys(
    tx: &PgTx<'_>,
    keys: &BTreeSet<ClerkKey>,
) -> Result<BTreeMap<ClerkKey, StoredClerk>, StoreError> {
    let store_codes: Vec<&str> = keys.iter().map(|k| k.store_code.as_str()).collect();
    let clerk_codes: Vec<&str> = keys.iter().map(|k| k.clerk_code.as_str()).collect();
    // The two arrays are zipped back into keys by UNNEST, one round trip for the whole batch.
    let rows = tx
        .query(
            "SELECT c.deleted, c.updated_at, c.document FROM clerks c \
             JOIN UNNEST($1::text[], $2::text[]) AS k (store_code, clerk_code) \
             ON c.store_code = k.store_code AND c.clerk_code = k.clerk_code",
            &[&store_codes, &clerk_codes],
        )
        .await?;
    let mut clerks = BTreeMap::new();
    for row in &rows {
        let stored = stored_clerk(row)?;
        clerks.insert(stored.clerk.key(), stored);
    }
    Ok(clerks)
}

/// Writes one planned change and its history entry; changes that write nothing are ignored.
pub(crate) async fn write(
    tx: &PgTx<'_>,
    change: &ClerkChange,
    now: Timestamp,
) -> Result<(), StoreError> {
    let (clerk, deleted, history) = match change {
        ClerkChange::Insert { clerk } => (clerk, false, "insert"),
        ClerkChange::Revive { clerk } => (clerk, false, "revive"),
        ClerkChange::Update { clerk } => (clerk, false, "update"),
        // A deleted clerk keeps its last content, so its history and a later revive can show it.
        ClerkChange::Delete { clerk } => (clerk, true, "delete"),
        ClerkChange::Unchanged { .. }
        | ClerkChange::SkippedStale { .. }
        | ClerkChange::DeleteMissing { .. } => return Ok(()),
    };
    upsert(tx, clerk, deleted, now).await?;
    let document = codec::clerk::encode(clerk);
    tx.execute(
        "INSERT INTO clerk_history (store_code, clerk_code, change, at, document) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &clerk.store_code.as_str(),
            &clerk.clerk_code,
            &history,
            &now.0,
            &document,
        ],
    )
    .await?;
    Ok(())
}

async fn upsert(
    tx: &PgTx<'_>,
    clerk: &Clerk,
    deleted: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    let document = codec::clerk::encode(clerk);
    tx.execute(
        "INSERT INTO clerks (store_code, clerk_code, deleted, updated_at, document) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (store_code, clerk_code) DO UPDATE SET deleted = EXCLUDED.deleted, \
         updated_at = EXCLUDED.updated_at, document = EXCLUDED.document",
        &[
            &clerk.store_code.as_str(),
            &clerk.clerk_code,
            &deleted,
            &now.0,
            &document,
        ],
    )
    .await?;
    Ok(())
}

/// The clerks of a shop by clerk code (byte order, as SQLite sorts); deleted ones only when
/// asked.
pub(crate) async fn list(
    tx: &PgTx<'_>,
    shop: &ShopId,
    include_deleted: bool,
) -> Result<Vec<ClerkEntry>, StoreError> {
    let rows = tx
        .query(
            "SELECT deleted, updated_at, document FROM clerks \
             WHERE store_code = $1 AND ($2 OR NOT deleted) ORDER BY clerk_code COLLATE \"C\"",
            &[&shop.as_str(), &include_deleted],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ClerkEntry {
                stored: stored_clerk(row)?,
                updated_at: timestamp_column(row, "updated_at")?,
            })
        })
        .collect()
}

fn stored_clerk(row: &Row) -> Result<StoredClerk, StoreError> {
    Ok(StoredClerk {
        clerk: codec::clerk::decode(&column::<String>(row, "document")?)?,
        deleted: column(row, "deleted")?,
    })
}
