//! Clerk synchronisation: plan the batch against the stored clerks, write every change or none.

use std::collections::BTreeSet;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::clerk::{ClerkBatch, ClerkRejection, plan_batch};
use posbridge_domain::ids::ShopId;

use crate::error::{OpError, OpResult};
use crate::model::ClerkChanges;
use crate::tx::Tx;

/// Applies `batch` for an ERP account allowed `shops`.
pub async fn sync<T: Tx>(
    tx: &mut T,
    shops: &BTreeSet<ShopId>,
    batch: &ClerkBatch,
    now: Timestamp,
) -> OpResult<ClerkChanges, ClerkRejection> {
    let keys: BTreeSet<_> = batch.keys().into_iter().collect();
    let current = tx.clerks_by_keys(&keys).await?;
    let changes = plan_batch(batch, shops, &current).map_err(OpError::Refused)?;
    for change in changes.iter().filter(|c| c.writes()) {
        tx.write_clerk(change, now).await?;
    }
    Ok(changes)
}
