//! The all-or-nothing batch planner: a validated batch against the stored clerks (2101–2103).

use std::collections::{BTreeMap, BTreeSet};

use super::{Clerk, ClerkBatch, ClerkKey, StoredClerk};
use crate::error_kind::ErrorKind;
use crate::ids::ShopId;
use crate::rejection::{Failure, Rejection};

/// What one request clerk does to the store, when the whole batch succeeds.
///
/// The planner returns exactly one change per request clerk, in request order; each names the
/// clerk the Qimen answer lists. [`apply_changes`] states what the store writes for each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClerkChange {
    /// `add` of a clerk the store has never held: write it.
    Insert {
        /// The clerk to write.
        clerk: Clerk,
    },
    /// `add` of a deleted clerk: write it and make it live again.
    Revive {
        /// The clerk to write.
        clerk: Clerk,
    },
    /// `add` or `update` with content identical to the live clerk: nothing to write.
    Unchanged {
        /// The clerk as sent, equal to the stored one.
        clerk: Clerk,
    },
    /// `update` of a live clerk: replace its content.
    Update {
        /// The new content, replacing every field.
        clerk: Clerk,
    },
    /// `update` whose `latestUpdateTime` is older than the stored clerk's: nothing to write.
    SkippedStale {
        /// The clerk as sent, which the store ignores.
        clerk: Clerk,
    },
    /// `delete` of a live clerk: mark it deleted, keeping its last content.
    Delete {
        /// The stored clerk, as it was when deleted.
        clerk: Clerk,
    },
    /// `delete` of a clerk that is missing or already deleted: nothing to write.
    DeleteMissing {
        /// The key sent.
        key: ClerkKey,
    },
}

impl ClerkChange {
    /// The key of the clerk this change is about.
    pub fn key(&self) -> ClerkKey {
        match self {
            ClerkChange::DeleteMissing { key } => key.clone(),
            ClerkChange::Insert { clerk }
            | ClerkChange::Revive { clerk }
            | ClerkChange::Unchanged { clerk }
            | ClerkChange::Update { clerk }
            | ClerkChange::SkippedStale { clerk }
            | ClerkChange::Delete { clerk } => clerk.key(),
        }
    }

    /// The clerk's name for the answer: the one sent, or for a delete the stored one; `None`
    /// when a delete names a clerk the store never held.
    pub fn clerk_name(&self) -> Option<&str> {
        match self {
            ClerkChange::DeleteMissing { .. } => None,
            ClerkChange::Insert { clerk }
            | ClerkChange::Revive { clerk }
            | ClerkChange::Unchanged { clerk }
            | ClerkChange::Update { clerk }
            | ClerkChange::SkippedStale { clerk }
            | ClerkChange::Delete { clerk } => Some(&clerk.clerk_name),
        }
    }

    /// Whether the store has something to write for this change.
    pub fn writes(&self) -> bool {
        match self {
            ClerkChange::Insert { .. }
            | ClerkChange::Revive { .. }
            | ClerkChange::Update { .. }
            | ClerkChange::Delete { .. } => true,
            ClerkChange::Unchanged { .. }
            | ClerkChange::SkippedStale { .. }
            | ClerkChange::DeleteMissing { .. } => false,
        }
    }
}

/// Why one request clerk fails; `index` counts from 0, as the field paths `clerks[i]` do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClerkFailure {
    /// 2101: `storeCode` is not one of the account's shops.
    #[error("clerks[{index}]: store {} is not one of the account's shops", key.store_code)]
    UnknownStore {
        /// The failing clerk's position in the request.
        index: usize,
        /// Its key.
        key: ClerkKey,
    },
    /// 2102: `add` of a live clerk whose content differs.
    #[error("clerks[{index}]: {key} already exists with other content")]
    ClerkExists {
        /// The failing clerk's position in the request.
        index: usize,
        /// Its key.
        key: ClerkKey,
    },
    /// 2103: `update` of a clerk that is missing or deleted.
    #[error("clerks[{index}]: {key} does not exist")]
    ClerkNotFound {
        /// The failing clerk's position in the request.
        index: usize,
        /// Its key.
        key: ClerkKey,
    },
}

impl ClerkFailure {
    /// The kind of this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ClerkFailure::UnknownStore { .. } => ErrorKind::UnknownStore,
            ClerkFailure::ClerkExists { .. } => ErrorKind::ClerkExists,
            ClerkFailure::ClerkNotFound { .. } => ErrorKind::ClerkNotFound,
        }
    }

    /// The failing clerk's position in the request, from 0.
    pub fn index(&self) -> usize {
        match self {
            ClerkFailure::UnknownStore { index, .. }
            | ClerkFailure::ClerkExists { index, .. }
            | ClerkFailure::ClerkNotFound { index, .. } => *index,
        }
    }

    /// The failing clerk's key.
    pub fn key(&self) -> &ClerkKey {
        match self {
            ClerkFailure::UnknownStore { key, .. }
            | ClerkFailure::ClerkExists { key, .. }
            | ClerkFailure::ClerkNotFound { key, .. } => key,
        }
    }
}

/// Every failing clerk of one request, in request order.
pub type ClerkRejection = Rejection<ClerkFailure>;

impl Failure for ClerkFailure {
    fn kind(&self) -> ErrorKind {
        ClerkFailure::kind(self)
    }
}

/// Plans a validated batch against the account's shops and the stored clerks: one change per
/// request clerk, in order, or every failing clerk. `current` is only read; nothing is applied.
///
/// Clerks are checked in request order against a working copy that the changes before them
/// have been applied to, so a later entry for the same key sees an earlier one. A failing entry
/// changes nothing in the working copy, and the entries after it are still checked, so that the
/// rejection lists every failing clerk.
///
/// Replaying an `add` that succeeded changes nothing:
///
/// ```
/// use std::collections::{BTreeMap, BTreeSet};
/// use posbridge_domain::clerk::{
///     Clerk, ClerkBatch, ClerkChange, ClerkType, StoredClerk, apply_changes, plan_batch,
/// };
/// use posbridge_domain::ids::ShopId;
///
/// let shops = BTreeSet::from([ShopId::new("M123")]);
/// let clerk = Clerk::new(ShopId::new("M123"), "C001", "老王", ClerkType::Dz);
/// let batch = ClerkBatch::Add(vec![clerk.clone()]);
/// let mut current = BTreeMap::new();
/// let changes = plan_batch(&batch, &shops, &current).unwrap();
/// assert_eq!(changes, [ClerkChange::Insert { clerk: clerk.clone() }]);
/// apply_changes(&mut current, &changes);
/// assert_eq!(current[&clerk.key()], StoredClerk::live(clerk.clone()));
///
/// let replay = plan_batch(&batch, &shops, &current).unwrap();
/// assert_eq!(replay, [ClerkChange::Unchanged { clerk }]);
/// ```
///
/// Adding a clerk that exists with other content is 2102, and fails the whole request:
///
/// ```
/// use std::collections::{BTreeMap, BTreeSet};
/// use posbridge_domain::clerk::{Clerk, ClerkBatch, ClerkFailure, ClerkType, StoredClerk, plan_batch};
/// use posbridge_domain::ids::ShopId;
/// use posbridge_domain::ErrorKind;
///
/// let shops = BTreeSet::from([ShopId::new("M123")]);
/// let stored = Clerk::new(ShopId::new("M123"), "C001", "老王", ClerkType::Dz);
/// let current = BTreeMap::from([(stored.key(), StoredClerk::live(stored.clone()))]);
/// let renamed = Clerk { clerk_name: "王老".into(), ..stored.clone() };
/// let fresh = Clerk::new(ShopId::new("M123"), "C002", "小李", ClerkType::Syy);
/// let batch = ClerkBatch::Add(vec![fresh, renamed]);
///
/// let rejection = plan_batch(&batch, &shops, &current).unwrap_err();
/// assert_eq!(rejection.kind(), ErrorKind::ClerkExists);
/// assert_eq!(
///     rejection.failures().collect::<Vec<_>>(),
///     [&ClerkFailure::ClerkExists { index: 1, key: stored.key() }],
/// );
/// ```
///
/// An update older than the stored clerk is skipped, not an error:
///
/// ```
/// use std::collections::{BTreeMap, BTreeSet};
/// use posbridge_domain::calendar::CivilDateTime;
/// use posbridge_domain::clerk::{Clerk, ClerkBatch, ClerkChange, ClerkType, StoredClerk, plan_batch};
/// use posbridge_domain::ids::ShopId;
///
/// let at = |text| CivilDateTime::parse(text);
/// let shops = BTreeSet::from([ShopId::new("M123")]);
/// let stored = Clerk {
///     latest_update_time: at("2017-02-10 12:00:00"),
///     ..Clerk::new(ShopId::new("M123"), "C001", "老王", ClerkType::Dz)
/// };
/// let current = BTreeMap::from([(stored.key(), StoredClerk::live(stored.clone()))]);
/// let late_retry = Clerk {
///     clerk_name: "旧名字".into(),
///     latest_update_time: at("2017-02-10 11:59:59"),
///     ..stored.clone()
/// };
/// let changes = plan_batch(&ClerkBatch::Update(vec![late_retry.clone()]), &shops, &current);
/// assert_eq!(changes.unwrap(), [ClerkChange::SkippedStale { clerk: late_retry }]);
/// ```
///
/// Deleting a clerk the store does not hold succeeds; an unknown store does not:
///
/// ```
/// use std::collections::{BTreeMap, BTreeSet};
/// use posbridge_domain::clerk::{ClerkBatch, ClerkChange, ClerkKey, plan_batch};
/// use posbridge_domain::ids::ShopId;
/// use posbridge_domain::ErrorKind;
///
/// let shops = BTreeSet::from([ShopId::new("M123")]);
/// let key = ClerkKey::new(ShopId::new("M123"), "NOBODY");
/// let changes = plan_batch(&ClerkBatch::Delete(vec![key.clone()]), &shops, &BTreeMap::new());
/// assert_eq!(changes.unwrap(), [ClerkChange::DeleteMissing { key }]);
///
/// let elsewhere = ClerkKey::new(ShopId::new("OTHER-SHOP"), "NOBODY");
/// let rejection =
///     plan_batch(&ClerkBatch::Delete(vec![elsewhere]), &shops, &BTreeMap::new()).unwrap_err();
/// assert_eq!(rejection.kind(), ErrorKind::UnknownStore);
/// ```
pub fn plan_batch(
    batch: &ClerkBatch,
    account_shops: &BTreeSet<ShopId>,
    current: &BTreeMap<ClerkKey, StoredClerk>,
) -> Result<Vec<ClerkChange>, ClerkRejection> {
    // Only the keys this batch touches are copied; the rest is read from `current`.
    let mut working: BTreeMap<ClerkKey, StoredClerk> = BTreeMap::new();
    let mut changes = Vec::with_capacity(batch.len());
    let mut failures = Vec::new();
    for (index, entry) in entries(batch).into_iter().enumerate() {
        let key = entry.key();
        let outcome = if account_shops.contains(&key.store_code) {
            let stored = working.get(&key).or_else(|| current.get(&key));
            plan_one(entry, index, key, stored)
        } else {
            Err(ClerkFailure::UnknownStore { index, key })
        };
        match outcome {
            Ok(change) => {
                apply_change(&mut working, &change);
                changes.push(change);
            }
            Err(failure) => failures.push(failure),
        }
    }
    match ClerkRejection::from_failures(failures) {
        Some(rejection) => Err(rejection),
        None => Ok(changes),
    }
}

/// Applies planned changes to the stored clerks: what the store does in its transaction.
///
/// `Insert`, `Revive` and `Update` write the clerk live; `Delete` keeps the clerk's last
/// content and marks it deleted; `Unchanged`, `SkippedStale` and `DeleteMissing` write nothing.
pub fn apply_changes(current: &mut BTreeMap<ClerkKey, StoredClerk>, changes: &[ClerkChange]) {
    for change in changes {
        apply_change(current, change);
    }
}

fn apply_change(current: &mut BTreeMap<ClerkKey, StoredClerk>, change: &ClerkChange) {
    match change {
        ClerkChange::Insert { clerk }
        | ClerkChange::Revive { clerk }
        | ClerkChange::Update { clerk } => {
            current.insert(clerk.key(), StoredClerk::live(clerk.clone()));
        }
        ClerkChange::Delete { clerk } => {
            current.insert(clerk.key(), StoredClerk::deleted(clerk.clone()));
        }
        ClerkChange::Unchanged { .. }
        | ClerkChange::SkippedStale { .. }
        | ClerkChange::DeleteMissing { .. } => {}
    }
}

/// One request clerk with its action.
#[derive(Clone, Copy)]
enum Entry<'a> {
    Add(&'a Clerk),
    Update(&'a Clerk),
    Delete(&'a ClerkKey),
}

impl Entry<'_> {
    fn key(self) -> ClerkKey {
        match self {
            Entry::Add(clerk) | Entry::Update(clerk) => clerk.key(),
            Entry::Delete(key) => key.clone(),
        }
    }
}

fn entries(batch: &ClerkBatch) -> Vec<Entry<'_>> {
    match batch {
        ClerkBatch::Add(clerks) => clerks.iter().map(Entry::Add).collect(),
        ClerkBatch::Update(clerks) => clerks.iter().map(Entry::Update).collect(),
        ClerkBatch::Delete(keys) => keys.iter().map(Entry::Delete).collect(),
    }
}

/// The rule for one clerk whose store is the account's, given what the store holds for its key.
fn plan_one(
    entry: Entry<'_>,
    index: usize,
    key: ClerkKey,
    stored: Option<&StoredClerk>,
) -> Result<ClerkChange, ClerkFailure> {
    let live = stored.and_then(StoredClerk::live_clerk);
    match entry {
        Entry::Add(clerk) => match (stored, live) {
            (_, Some(live)) if live == clerk => Ok(ClerkChange::Unchanged {
                clerk: clerk.clone(),
            }),
            (_, Some(_)) => Err(ClerkFailure::ClerkExists { index, key }),
            (Some(_), None) => Ok(ClerkChange::Revive {
                clerk: clerk.clone(),
            }),
            (None, None) => Ok(ClerkChange::Insert {
                clerk: clerk.clone(),
            }),
        },
        Entry::Update(clerk) => {
            let Some(live) = live else {
                return Err(ClerkFailure::ClerkNotFound { index, key });
            };
            // Only two known times can show a retry to be out of order; otherwise it applies.
            let stale = matches!(
                (clerk.latest_update_time, live.latest_update_time),
                (Some(sent), Some(held)) if sent < held
            );
            let clerk = clerk.clone();
            if stale {
                Ok(ClerkChange::SkippedStale { clerk })
            } else if *live == clerk {
                Ok(ClerkChange::Unchanged { clerk })
            } else {
                Ok(ClerkChange::Update { clerk })
            }
        }
        Entry::Delete(_) => match live {
            Some(live) => Ok(ClerkChange::Delete {
                clerk: live.clone(),
            }),
            None => Ok(ClerkChange::DeleteMissing { key }),
        },
    }
}
