//! Clerk synchronisation cases (CONTRACT §7): add, replay, update, stale updates, delete, the
//! account's stores, and all-or-nothing batches.

use std::sync::Arc;

use posbridge_domain::ErrorKind;
use posbridge_domain::clerk::{
    Clerk, ClerkBatch, ClerkChange, ClerkFailure, ClerkKey, ClerkRejection, StoredClerk,
};
use posbridge_domain::ids::ShopId;

use super::fixtures::{at, clerk, erp_shops, refused, seed, updated_at, with_prop};
use crate::OpResult;
use crate::api::Store;
use crate::model::{ClerkChanges, ClerkEntry};

async fn sync(
    store: &Arc<dyn Store>,
    batch: ClerkBatch,
    seconds: i64,
) -> OpResult<ClerkChanges, ClerkRejection> {
    store.sync_clerks(&erp_shops(), &batch, at(seconds)).await
}

async fn listed(store: &Arc<dyn Store>, shop: &str, include_deleted: bool) -> Vec<ClerkEntry> {
    store
        .clerks(&ShopId::new(shop), include_deleted)
        .await
        .expect("listing clerks")
}

fn entry(stored: StoredClerk, seconds: i64) -> ClerkEntry {
    ClerkEntry {
        stored,
        updated_at: at(seconds),
    }
}

fn key(shop: &str, code: &str) -> ClerkKey {
    ClerkKey::new(ShopId::new(shop), code)
}

fn failures(rejection: &ClerkRejection) -> Vec<ClerkFailure> {
    rejection.failures().cloned().collect()
}

/// Clerks are added, replayed (unchanged), refused when added again with other content (2102) or
/// updated while missing (2103), updated, protected from stale updates, deleted (kept as history,
/// listed only on request) and revived by a later add.
pub async fn clerks_add_update_delete(store: Arc<dyn Store>) {
    seed(&store).await;
    let wang = updated_at(clerk("S001", "C1", "Wang"), "2024-05-01 09:00:00");
    let li = clerk("S002", "C2", "Li");
    let added = sync(&store, ClerkBatch::Add(vec![wang.clone(), li.clone()]), 1).await;
    assert_eq!(
        added.expect("add"),
        vec![
            ClerkChange::Insert {
                clerk: wang.clone()
            },
            ClerkChange::Insert { clerk: li.clone() },
        ]
    );
    assert_eq!(
        listed(&store, "S001", false).await,
        vec![entry(StoredClerk::live(wang.clone()), 1)]
    );
    assert_eq!(
        listed(&store, "S002", false).await,
        vec![entry(StoredClerk::live(li.clone()), 1)]
    );
    assert_eq!(listed(&store, "S101", true).await, vec![]);

    let again = sync(&store, ClerkBatch::Add(vec![wang.clone()]), 2).await;
    assert_eq!(
        again.expect("replay"),
        vec![ClerkChange::Unchanged {
            clerk: wang.clone()
        }]
    );
    let other = with_prop(wang.clone(), "badge", "7");
    let error = refused(sync(&store, ClerkBatch::Add(vec![other]), 3).await);
    assert_eq!(error.kind(), ErrorKind::ClerkExists);
    assert_eq!(
        failures(&error),
        vec![ClerkFailure::ClerkExists {
            index: 0,
            key: key("S001", "C1")
        }]
    );
    let missing = clerk("S001", "C9", "Nobody");
    let error = refused(sync(&store, ClerkBatch::Update(vec![missing]), 3).await);
    assert_eq!(error.kind(), ErrorKind::ClerkNotFound);
    assert_eq!(
        failures(&error),
        vec![ClerkFailure::ClerkNotFound {
            index: 0,
            key: key("S001", "C9")
        }]
    );
    let wang_entry = entry(StoredClerk::live(wang.clone()), 1);
    assert_eq!(
        listed(&store, "S001", true).await,
        vec![wang_entry],
        "nothing was written"
    );

    let newer = updated_at(clerk("S001", "C1", "Wang Wu"), "2024-05-02 10:00:00");
    let update = sync(&store, ClerkBatch::Update(vec![newer.clone()]), 4).await;
    assert_eq!(
        update.expect("update"),
        vec![ClerkChange::Update {
            clerk: newer.clone()
        }]
    );
    let newer_entry = entry(StoredClerk::live(newer.clone()), 4);
    assert_eq!(
        listed(&store, "S001", false).await,
        vec![newer_entry.clone()]
    );
    let stale = updated_at(clerk("S001", "C1", "Old Wang"), "2024-05-01 10:00:00");
    let skipped = sync(&store, ClerkBatch::Update(vec![stale.clone()]), 5).await;
    assert_eq!(
        skipped.expect("stale update"),
        vec![ClerkChange::SkippedStale { clerk: stale }]
    );
    assert_eq!(
        listed(&store, "S001", false).await,
        vec![newer_entry],
        "no roll back"
    );

    let delete = ClerkBatch::Delete(vec![key("S001", "C1"), key("S001", "C404")]);
    assert_eq!(
        sync(&store, delete.clone(), 6).await.expect("delete"),
        vec![
            ClerkChange::Delete {
                clerk: newer.clone()
            },
            ClerkChange::DeleteMissing {
                key: key("S001", "C404")
            },
        ]
    );
    assert_eq!(listed(&store, "S001", false).await, vec![]);
    let deleted = entry(StoredClerk::deleted(newer.clone()), 6);
    assert_eq!(listed(&store, "S001", true).await, vec![deleted.clone()]);
    assert!(listed(&store, "S001", true).await[0].stored.deleted);
    let repeated = sync(&store, delete, 7).await.expect("repeated delete");
    assert!(repeated.iter().all(|c| !c.writes()), "{repeated:?}");
    assert_eq!(listed(&store, "S001", true).await, vec![deleted]);
    let error = refused(sync(&store, ClerkBatch::Update(vec![newer.clone()]), 8).await);
    assert_eq!(
        error.kind(),
        ErrorKind::ClerkNotFound,
        "a deleted clerk cannot be updated"
    );

    let revived = sync(&store, ClerkBatch::Add(vec![wang.clone()]), 9).await;
    assert_eq!(
        revived.expect("revive"),
        vec![ClerkChange::Revive {
            clerk: wang.clone()
        }]
    );
    assert_eq!(
        listed(&store, "S001", false).await,
        vec![entry(StoredClerk::live(wang), 9)]
    );
    assert_eq!(
        listed(&store, "S002", true).await,
        vec![entry(StoredClerk::live(li), 1)]
    );
}

/// A store outside the account's shops is 2101 for every action.
pub async fn clerks_outside_the_account_shops_are_refused(store: Arc<dyn Store>) {
    seed(&store).await;
    let outside = clerk("S101", "C1", "Zhao");
    let unknown = vec![ClerkFailure::UnknownStore {
        index: 0,
        key: key("S101", "C1"),
    }];
    for batch in [
        ClerkBatch::Add(vec![outside.clone()]),
        ClerkBatch::Update(vec![outside.clone()]),
        ClerkBatch::Delete(vec![outside.key()]),
    ] {
        let error = refused(sync(&store, batch, 1).await);
        assert_eq!(error.kind(), ErrorKind::UnknownStore);
        assert_eq!(failures(&error), unknown);
    }
    assert_eq!(listed(&store, "S101", true).await, vec![]);
    // With S101 among its shops the same batch succeeds.
    let shops = [ShopId::new("S101")].into();
    let batch = ClerkBatch::Add(vec![outside.clone()]);
    let added = store.sync_clerks(&shops, &batch, at(2)).await.expect("add");
    assert_eq!(
        added,
        vec![ClerkChange::Insert {
            clerk: outside.clone()
        }]
    );
    assert_eq!(
        listed(&store, "S101", false).await,
        vec![entry(StoredClerk::live(outside), 2)]
    );
}

/// A batch with one failing clerk writes none of its clerks, whatever the action, and the
/// rejection names every failing clerk in order.
pub async fn clerk_batches_are_all_or_nothing(store: Arc<dyn Store>) {
    seed(&store).await;
    let wang = clerk("S001", "C1", "Wang");
    sync(&store, ClerkBatch::Add(vec![wang.clone()]), 1)
        .await
        .expect("add");
    let before = listed(&store, "S001", true).await;
    let new = |code: &str| clerk("S002", code, "New");
    let batches: Vec<(ClerkBatch, Vec<ClerkFailure>)> = vec![
        (
            ClerkBatch::Add(vec![new("N1"), clerk("S101", "X1", "X"), new("N2")]),
            vec![ClerkFailure::UnknownStore {
                index: 1,
                key: key("S101", "X1"),
            }],
        ),
        (
            ClerkBatch::Add(vec![new("N1"), with_prop(wang.clone(), "k", "v")]),
            vec![ClerkFailure::ClerkExists {
                index: 1,
                key: key("S001", "C1"),
            }],
        ),
        (
            ClerkBatch::Update(vec![
                clerk("S001", "C1", "Renamed"),
                clerk("S001", "M1", "M"),
            ]),
            vec![ClerkFailure::ClerkNotFound {
                index: 1,
                key: key("S001", "M1"),
            }],
        ),
        (
            ClerkBatch::Delete(vec![key("S001", "C1"), key("S101", "X1")]),
            vec![ClerkFailure::UnknownStore {
                index: 1,
                key: key("S101", "X1"),
            }],
        ),
        (
            ClerkBatch::Add(vec![
                clerk("S101", "X1", "X"),
                new("N1"),
                clerk("S101", "X2", "X"),
            ]),
            vec![
                ClerkFailure::UnknownStore {
                    index: 0,
                    key: key("S101", "X1"),
                },
                ClerkFailure::UnknownStore {
                    index: 2,
                    key: key("S101", "X2"),
                },
            ],
        ),
    ];
    for (batch, expected) in batches {
        let error = refused(sync(&store, batch.clone(), 2).await);
        assert_eq!(failures(&error), expected, "{batch:?}");
        assert_eq!(
            listed(&store, "S001", true).await,
            before,
            "{batch:?} wrote to S001"
        );
        assert_eq!(
            listed(&store, "S002", true).await,
            vec![],
            "{batch:?} wrote to S002"
        );
    }
    // Entries of one batch see the ones before them.
    let twice: Vec<Clerk> = vec![new("N1"), new("N1")];
    let changes = sync(&store, ClerkBatch::Add(twice), 3)
        .await
        .expect("add twice");
    assert_eq!(
        changes,
        vec![
            ClerkChange::Insert { clerk: new("N1") },
            ClerkChange::Unchanged { clerk: new("N1") },
        ]
    );
    assert_eq!(
        listed(&store, "S002", true).await,
        vec![entry(StoredClerk::live(new("N1")), 3)]
    );
}
