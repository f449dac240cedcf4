//! Importing master data: the reference check against what is stored, then the upserts.

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::master::{MasterData, MasterDataError};

use crate::error::{OpError, OpResult};
use crate::model::ImportSummary;
use crate::tx::Tx;

/// Checks `data` against the stored keys and upserts it, all or nothing.
pub async fn import<T: Tx>(
    tx: &mut T,
    data: &MasterData,
    now: Timestamp,
) -> OpResult<ImportSummary, MasterDataError> {
    let known = tx.known_keys().await?;
    data.check_references(&known).map_err(OpError::Refused)?;
    Ok(tx.upsert_master(data, now).await?)
}
