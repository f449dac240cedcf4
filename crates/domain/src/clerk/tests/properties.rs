//! Properties of clerk validation and planning, checked against a naive reference model.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;
use crate::error_kind::ErrorKind;
use crate::field::FieldPath;
use crate::testing::clerks::{
    civil_date_time, clerk, clerk_draft, clerk_scenario, invalid_batch_draft, valid_batch_draft,
};

fn shops() -> BTreeSet<ShopId> {
    BTreeSet::from([ShopId::new("M123"), ShopId::new("店<1>&")])
}

/// The rules written the obvious way: a full copy of the store, changed entry by entry.
/// Returns each entry's outcome and the store after the successful entries.
fn reference(
    batch: &ClerkBatch,
    shops: &BTreeSet<ShopId>,
    current: &BTreeMap<ClerkKey, StoredClerk>,
) -> (
    Vec<Result<ClerkChange, ErrorKind>>,
    BTreeMap<ClerkKey, StoredClerk>,
) {
    let mut store = current.clone();
    let mut outcomes = Vec::new();
    let sent: Vec<(ClerkKey, Option<Clerk>)> = match batch {
        ClerkBatch::Add(clerks) | ClerkBatch::Update(clerks) => {
            clerks.iter().map(|c| (c.key(), Some(c.clone()))).collect()
        }
        ClerkBatch::Delete(keys) => keys.iter().map(|k| (k.clone(), None)).collect(),
    };
    for (key, clerk) in sent {
        if !shops.contains(&key.store_code) {
            outcomes.push(Err(ErrorKind::UnknownStore));
            continue;
        }
        let held = store.get(&key).cloned();
        let is_live = held.as_ref().is_some_and(|held| !held.deleted);
        let outcome = match (batch.action(), clerk) {
            (ClerkAction::Add, Some(clerk)) => {
                if is_live {
                    if held.map(|held| held.clerk) == Some(clerk.clone()) {
                        Ok(ClerkChange::Unchanged { clerk })
                    } else {
                        Err(ErrorKind::ClerkExists)
                    }
                } else {
                    store.insert(
                        key,
                        StoredClerk {
                            clerk: clerk.clone(),
                            deleted: false,
                        },
                    );
                    if held.is_some() {
                        Ok(ClerkChange::Revive { clerk })
                    } else {
                        Ok(ClerkChange::Insert { clerk })
                    }
                }
            }
            (ClerkAction::Update, Some(clerk)) => match held {
                Some(held) if !held.deleted => {
                    let older = match (clerk.latest_update_time, held.clerk.latest_update_time) {
                        (Some(sent), Some(stored)) => sent < stored,
                        _ => false,
                    };
                    if older {
                        Ok(ClerkChange::SkippedStale { clerk })
                    } else if held.clerk == clerk {
                        Ok(ClerkChange::Unchanged { clerk })
                    } else {
                        store.insert(
                            key,
                            StoredClerk {
                                clerk: clerk.clone(),
                                deleted: false,
                            },
                        );
                        Ok(ClerkChange::Update { clerk })
                    }
                }
                _ => Err(ErrorKind::ClerkNotFound),
            },
            _ => match held {
                Some(held) if !held.deleted => {
                    store.insert(
                        key,
                        StoredClerk {
                            clerk: held.clerk.clone(),
                            deleted: true,
                        },
                    );
                    Ok(ClerkChange::Delete { clerk: held.clerk })
                }
                _ => Ok(ClerkChange::DeleteMissing { key }),
            },
        };
        outcomes.push(outcome);
    }
    (outcomes, store)
}

/// Each entry checked alone against `current`: which ones fail, for batches without repeats.
fn independent_failures(
    batch: &ClerkBatch,
    shops: &BTreeSet<ShopId>,
    current: &BTreeMap<ClerkKey, StoredClerk>,
) -> Vec<(usize, ErrorKind)> {
    let entries: Vec<ClerkBatch> = match batch {
        ClerkBatch::Add(clerks) => clerks
            .iter()
            .map(|c| ClerkBatch::Add(vec![c.clone()]))
            .collect(),
        ClerkBatch::Update(clerks) => clerks
            .iter()
            .map(|c| ClerkBatch::Update(vec![c.clone()]))
            .collect(),
        ClerkBatch::Delete(keys) => keys
            .iter()
            .map(|k| ClerkBatch::Delete(vec![k.clone()]))
            .collect(),
    };
    let mut failures = Vec::new();
    for (index, single) in entries.iter().enumerate() {
        if let Err(rejection) = plan_batch(single, shops, current) {
            failures.push((index, rejection.kind()));
        }
    }
    failures
}

fn without(batch: &ClerkBatch, drop: &BTreeSet<usize>) -> ClerkBatch {
    fn keep<T: Clone>(items: &[T], drop: &BTreeSet<usize>) -> Vec<T> {
        let kept = items
            .iter()
            .enumerate()
            .filter(|(index, _)| !drop.contains(index));
        kept.map(|(_, item)| item.clone()).collect()
    }
    match batch {
        ClerkBatch::Add(clerks) => ClerkBatch::Add(keep(clerks, drop)),
        ClerkBatch::Update(clerks) => ClerkBatch::Update(keep(clerks, drop)),
        ClerkBatch::Delete(keys) => ClerkBatch::Delete(keep(keys, drop)),
    }
}

proptest! {
    #[test]
    fn valid_drafts_validate_to_their_batch((draft, batch) in valid_batch_draft(&shops())) {
        prop_assert_eq!(draft.validate(), Ok(batch.clone()));
        prop_assert_eq!(ClerkBatchDraft::from(&batch).validate(), Ok(batch));
    }

    #[test]
    fn valid_clerk_drafts_validate(draft in clerk_draft(&shops())) {
        let at = FieldPath::new("clerks").at(0);
        let clerk = draft.validate(&at);
        prop_assert!(clerk.is_ok(), "{:?}", clerk);
    }

    #[test]
    fn each_invalid_draft_names_its_field(case in invalid_batch_draft()) {
        let err = case.draft.validate().unwrap_err();
        prop_assert_eq!(err.kind(), case.kind);
        prop_assert_eq!(err.field(), &case.field);
    }

    /// (a) A batch either succeeds for every clerk or fails, listing exactly the clerks the
    /// reference model rejects, and `current` is never touched.
    #[test]
    fn a_batch_is_all_or_nothing((current, batch) in clerk_scenario(&shops())) {
        let before = current.clone();
        let planned = plan_batch(&batch, &shops(), &current);
        prop_assert_eq!(&current, &before);
        let (outcomes, model_store) = reference(&batch, &shops(), &current);
        let model_failures: Vec<(usize, ErrorKind)> = outcomes
            .iter()
            .enumerate()
            .filter_map(|(index, outcome)| outcome.clone().err().map(|kind| (index, kind)))
            .collect();
        match planned {
            Ok(changes) => {
                prop_assert!(model_failures.is_empty());
                let model_changes: Vec<_> = outcomes.into_iter().flatten().collect();
                prop_assert_eq!(&changes, &model_changes);
                let mut applied = current.clone();
                apply_changes(&mut applied, &changes);
                prop_assert_eq!(applied, model_store);
            }
            Err(rejection) => {
                let failures: Vec<_> =
                    rejection.failures().map(|failure| (failure.index(), failure.kind())).collect();
                prop_assert_eq!(&failures, &model_failures);
                prop_assert_eq!(rejection.kind(), failures[0].1);
            }
        }
        let keys = batch.keys();
        if keys.iter().collect::<BTreeSet<_>>().len() == keys.len() {
            prop_assert_eq!(independent_failures(&batch, &shops(), &current), model_failures);
        }
    }

    /// Failing entries leave no trace: without them, the rest of the batch succeeds.
    #[test]
    fn dropping_the_failing_clerks_leaves_a_batch_that_succeeds(
        (current, batch) in clerk_scenario(&shops())
    ) {
        if let Err(rejection) = plan_batch(&batch, &shops(), &current) {
            let failing: BTreeSet<usize> = rejection.failures().map(ClerkFailure::index).collect();
            let rest = without(&batch, &failing);
            let changes = plan_batch(&rest, &shops(), &current);
            prop_assert!(changes.is_ok(), "{:?}", changes);
        }
    }

    /// (b) An update older than the stored clerk never changes it.
    #[test]
    fn a_stale_update_never_rolls_back(
        stored in clerk(&shops()),
        sent in clerk(&shops()),
        times in (civil_date_time(), civil_date_time()).prop_filter("distinct", |(a, b)| a != b),
    ) {
        let (older, newer) = if times.0 < times.1 { times } else { (times.1, times.0) };
        let stored = Clerk { latest_update_time: Some(newer), ..stored };
        let sent = Clerk {
            store_code: stored.store_code.clone(),
            clerk_code: stored.clerk_code.clone(),
            latest_update_time: Some(older),
            ..sent
        };
        let mut current = BTreeMap::from([(stored.key(), StoredClerk::live(stored.clone()))]);
        let changes = plan_batch(&ClerkBatch::Update(vec![sent.clone()]), &shops(), &current);
        prop_assert_eq!(&changes, &Ok(vec![ClerkChange::SkippedStale { clerk: sent }]));
        apply_changes(&mut current, &changes.unwrap());
        prop_assert_eq!(current, BTreeMap::from([(stored.key(), StoredClerk::live(stored))]));
    }

    /// (c) Replaying an add that succeeded changes nothing.
    #[test]
    fn replaying_a_successful_add_changes_nothing((current, batch) in clerk_scenario(&shops())) {
        let ClerkBatch::Add(_) = &batch else { return Ok(()) };
        // Dropping the failing clerks keeps the others' outcomes, so every scenario is used.
        let batch = match plan_batch(&batch, &shops(), &current) {
            Ok(_) => batch,
            Err(rejection) => {
                let failing: BTreeSet<usize> = rejection.failures().map(ClerkFailure::index).collect();
                without(&batch, &failing)
            }
        };
        let mut current = current;
        let changes = plan_batch(&batch, &shops(), &current).unwrap();
        apply_changes(&mut current, &changes);
        let replay = plan_batch(&batch, &shops(), &current).unwrap();
        let all_unchanged =
            replay.iter().all(|change| matches!(change, ClerkChange::Unchanged { .. }));
        prop_assert!(all_unchanged, "{:?}", replay);
    }

    /// (d) Deleting every clerk after any successful batch leaves every key deleted.
    #[test]
    fn deleting_everything_leaves_every_key_deleted((current, batch) in clerk_scenario(&shops())) {
        let mut current = current;
        if let Ok(changes) = plan_batch(&batch, &shops(), &current) {
            apply_changes(&mut current, &changes);
        }
        let mut every_key: Vec<ClerkKey> = current.keys().cloned().collect();
        every_key.extend(batch.keys().into_iter().filter(|key| shops().contains(&key.store_code)));
        let delete = ClerkBatch::Delete(every_key.clone());
        let changes = plan_batch(&delete, &shops(), &current).unwrap();
        apply_changes(&mut current, &changes);
        prop_assert!(current.values().all(|stored| stored.deleted));
        for key in every_key {
            prop_assert!(current.get(&key).is_none_or(|stored| stored.deleted));
        }
        let again = plan_batch(&delete, &shops(), &current).unwrap();
        let all_missing =
            again.iter().all(|change| matches!(change, ClerkChange::DeleteMissing { .. }));
        prop_assert!(all_missing, "{:?}", again);
    }
}
