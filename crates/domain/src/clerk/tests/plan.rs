//! Unit tests of the batch planner and of `apply_changes`, data-driven through `check`.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::calendar::CivilDateTime;
use crate::error_kind::ErrorKind;

fn shops() -> BTreeSet<ShopId> {
    BTreeSet::from([ShopId::new("M123"), ShopId::new("店<2>&")])
}

fn clerk(code: &str, name: &str) -> Clerk {
    Clerk::new(ShopId::new("M123"), code, name, ClerkType::Syy)
}

fn timed(code: &str, name: &str, time: &str) -> Clerk {
    Clerk {
        latest_update_time: CivilDateTime::parse(time),
        ..clerk(code, name)
    }
}

fn elsewhere(code: &str) -> Clerk {
    Clerk::new(ShopId::new("NOT-OURS"), code, "外人", ClerkType::Other)
}

fn live(clerk: &Clerk) -> StoredClerk {
    StoredClerk::live(clerk.clone())
}

fn gone(clerk: &Clerk) -> StoredClerk {
    StoredClerk::deleted(clerk.clone())
}

fn keys(clerks: &[&Clerk]) -> Vec<ClerkKey> {
    clerks.iter().map(|clerk| clerk.key()).collect()
}

type Expect = Result<Vec<ClerkChange>, Vec<(usize, ErrorKind)>>;

/// Plans `batch` against `stored` and compares the answer; `current` must not change, and the
/// failures must name each failing clerk's index and key.
fn check(what: &str, stored: &[StoredClerk], batch: ClerkBatch, expect: Expect) {
    let current: BTreeMap<_, _> = stored
        .iter()
        .map(|stored| (stored.clerk.key(), stored.clone()))
        .collect();
    let before = current.clone();
    let got = plan_batch(&batch, &shops(), &current);
    assert_eq!(current, before, "{what}: current changed");
    match got {
        Ok(changes) => {
            let keys: Vec<_> = changes.iter().map(ClerkChange::key).collect();
            assert_eq!(keys, batch.keys(), "{what}: one change per clerk, in order");
            assert_eq!(Ok(changes), expect, "{what}");
        }
        Err(rejection) => {
            let failures: Vec<_> = rejection
                .failures()
                .map(|f| (f.index(), f.kind()))
                .collect();
            for failure in rejection.failures() {
                assert_eq!(failure.key(), &batch.keys()[failure.index()], "{what}: key");
            }
            assert_eq!(
                rejection.kind(),
                failures[0].1,
                "{what}: kind is the first's"
            );
            assert_eq!(Err(failures), expect, "{what}");
        }
    }
}

use ClerkChange::{Delete, DeleteMissing, Insert, Revive, SkippedStale, Unchanged, Update};

#[test]
fn add_inserts_revives_or_replays() {
    let a = clerk("C1", "老王");
    let renamed = clerk("C1", "王老");
    check(
        "new",
        &[],
        ClerkBatch::Add(vec![a.clone()]),
        Ok(vec![Insert { clerk: a.clone() }]),
    );
    check(
        "identical",
        &[live(&a)],
        ClerkBatch::Add(vec![a.clone()]),
        Ok(vec![Unchanged { clerk: a.clone() }]),
    );
    check(
        "other content",
        &[live(&a)],
        ClerkBatch::Add(vec![renamed.clone()]),
        Err(vec![(0, ErrorKind::ClerkExists)]),
    );
    let later = timed("C1", "老王", "2017-02-10 00:00:01");
    check(
        "other time",
        &[live(&a)],
        ClerkBatch::Add(vec![later]),
        Err(vec![(0, ErrorKind::ClerkExists)]),
    );
    check(
        "deleted, same content",
        &[gone(&a)],
        ClerkBatch::Add(vec![a.clone()]),
        Ok(vec![Revive { clerk: a.clone() }]),
    );
    check(
        "deleted, other content",
        &[gone(&a)],
        ClerkBatch::Add(vec![renamed.clone()]),
        Ok(vec![Revive { clerk: renamed }]),
    );
    check(
        "unknown store",
        &[],
        ClerkBatch::Add(vec![elsewhere("C1")]),
        Err(vec![(0, ErrorKind::UnknownStore)]),
    );
}

#[test]
fn a_key_sent_twice_sees_its_first_entry() {
    let a = clerk("C1", "老王");
    let b = clerk("C1", "王老");
    check(
        "add twice",
        &[],
        ClerkBatch::Add(vec![a.clone(), a.clone()]),
        Ok(vec![
            Insert { clerk: a.clone() },
            Unchanged { clerk: a.clone() },
        ]),
    );
    check(
        "add two contents",
        &[],
        ClerkBatch::Add(vec![a.clone(), b.clone()]),
        Err(vec![(1, ErrorKind::ClerkExists)]),
    );
    let newer = timed("C1", "新", "2017-02-10 02:00:00");
    let older = timed("C1", "旧", "2017-02-10 01:00:00");
    check(
        "newer then older",
        &[live(&a)],
        ClerkBatch::Update(vec![newer.clone(), older.clone()]),
        Ok(vec![
            Update {
                clerk: newer.clone(),
            },
            SkippedStale {
                clerk: older.clone(),
            },
        ]),
    );
    check(
        "older then newer",
        &[live(&a)],
        ClerkBatch::Update(vec![older.clone(), newer.clone()]),
        Ok(vec![Update { clerk: older }, Update { clerk: newer }]),
    );
    check(
        "delete twice",
        &[live(&a)],
        ClerkBatch::Delete(keys(&[&a, &a])),
        Ok(vec![
            Delete { clerk: a.clone() },
            DeleteMissing { key: a.key() },
        ]),
    );
    // A failing entry changes nothing, so the entry after it sees the stored clerk.
    check(
        "failure leaves no trace",
        &[live(&a)],
        ClerkBatch::Add(vec![b, a.clone()]),
        Err(vec![(0, ErrorKind::ClerkExists)]),
    );
}

#[test]
fn update_needs_a_live_clerk_and_skips_stale_times() {
    let at = |name, time| timed("C1", name, time);
    let stored = at("老王", "2017-02-10 01:00:00");
    let update = |sent: &Clerk, expect: Expect| {
        check(
            "update",
            &[live(&stored)],
            ClerkBatch::Update(vec![sent.clone()]),
            expect,
        );
    };
    let newer = at("新", "2017-02-10 01:00:01");
    update(
        &newer,
        Ok(vec![Update {
            clerk: newer.clone(),
        }]),
    );
    let same_time = at("新", "2017-02-10 01:00:00");
    update(
        &same_time,
        Ok(vec![Update {
            clerk: same_time.clone(),
        }]),
    );
    let no_time = clerk("C1", "新");
    update(
        &no_time,
        Ok(vec![Update {
            clerk: no_time.clone(),
        }]),
    );
    let older = at("旧", "2017-02-10 00:59:59");
    update(
        &older,
        Ok(vec![SkippedStale {
            clerk: older.clone(),
        }]),
    );
    let identical_older = at("老王", "2017-02-09 23:00:00");
    update(
        &identical_older,
        Ok(vec![SkippedStale {
            clerk: identical_older.clone(),
        }]),
    );
    update(
        &stored,
        Ok(vec![Unchanged {
            clerk: stored.clone(),
        }]),
    );
    let untimed = clerk("C1", "老王");
    check(
        "stored without a time",
        &[live(&untimed)],
        ClerkBatch::Update(vec![older.clone()]),
        Ok(vec![Update {
            clerk: older.clone(),
        }]),
    );
    check(
        "missing",
        &[],
        ClerkBatch::Update(vec![newer.clone()]),
        Err(vec![(0, ErrorKind::ClerkNotFound)]),
    );
    check(
        "deleted",
        &[gone(&stored)],
        ClerkBatch::Update(vec![newer]),
        Err(vec![(0, ErrorKind::ClerkNotFound)]),
    );
    check(
        "unknown store",
        &[],
        ClerkBatch::Update(vec![elsewhere("C1")]),
        Err(vec![(0, ErrorKind::UnknownStore)]),
    );
}

#[test]
fn delete_of_a_missing_clerk_succeeds() {
    let a = clerk("C1", "老王");
    check(
        "live",
        &[live(&a)],
        ClerkBatch::Delete(keys(&[&a])),
        Ok(vec![Delete { clerk: a.clone() }]),
    );
    check(
        "missing",
        &[],
        ClerkBatch::Delete(keys(&[&a])),
        Ok(vec![DeleteMissing { key: a.key() }]),
    );
    check(
        "deleted",
        &[gone(&a)],
        ClerkBatch::Delete(keys(&[&a])),
        Ok(vec![DeleteMissing { key: a.key() }]),
    );
    let outside = elsewhere("C1");
    check(
        "unknown store",
        &[],
        ClerkBatch::Delete(keys(&[&outside])),
        Err(vec![(0, ErrorKind::UnknownStore)]),
    );
}

#[test]
fn a_rejection_lists_every_failing_clerk() {
    let a = clerk("C1", "老王");
    let b = clerk("C2", "小李");
    let c = clerk("C3", "小张");
    let batch = ClerkBatch::Update(vec![a.clone(), elsewhere("C9"), b.clone(), c.clone()]);
    let expect = Err(vec![
        (1, ErrorKind::UnknownStore),
        (2, ErrorKind::ClerkNotFound),
    ]);
    check(
        "update",
        &[live(&a), gone(&b), live(&c)],
        batch.clone(),
        expect,
    );

    let current = BTreeMap::from([(a.key(), live(&a)), (c.key(), live(&c))]);
    let rejection = plan_batch(&batch, &shops(), &current).unwrap_err();
    assert_eq!(
        rejection.to_string(),
        "clerks[1]: store NOT-OURS is not one of the account's shops (and 1 more failure)"
    );
    assert_eq!(
        rejection.failures().nth(1).unwrap().to_string(),
        "clerks[2]: clerk C2 of store M123 does not exist"
    );
    let exists = ClerkFailure::ClerkExists {
        index: 0,
        key: a.key(),
    };
    assert_eq!(
        exists.to_string(),
        "clerks[0]: clerk C1 of store M123 already exists with other content"
    );
}

#[test]
fn failures_map_one_to_one_to_kinds() {
    let key = clerk("C1", "x").key();
    let cases = [
        (
            ClerkFailure::UnknownStore {
                index: 4,
                key: key.clone(),
            },
            ErrorKind::UnknownStore,
        ),
        (
            ClerkFailure::ClerkExists {
                index: 4,
                key: key.clone(),
            },
            ErrorKind::ClerkExists,
        ),
        (
            ClerkFailure::ClerkNotFound {
                index: 4,
                key: key.clone(),
            },
            ErrorKind::ClerkNotFound,
        ),
    ];
    for (failure, kind) in cases {
        assert_eq!(failure.kind(), kind);
        assert_eq!(failure.index(), 4);
        assert_eq!(failure.key(), &key);
    }
    assert_eq!(ClerkRejection::from_failures(Vec::new()), None);
}

#[test]
fn apply_changes_writes_what_each_change_says() {
    let a = clerk("C1", "老王");
    let b = clerk("C2", "小李");
    let renamed = clerk("C1", "王老");
    let mut current = BTreeMap::from([(a.key(), live(&a)), (b.key(), gone(&b))]);
    let no_ops = [
        Unchanged { clerk: a.clone() },
        SkippedStale {
            clerk: renamed.clone(),
        },
        DeleteMissing { key: b.key() },
    ];
    let before = current.clone();
    apply_changes(&mut current, &no_ops);
    assert_eq!(current, before);
    assert!(no_ops.iter().all(|change| !change.writes()));

    let writes = [
        Update {
            clerk: renamed.clone(),
        },
        Revive { clerk: b.clone() },
    ];
    apply_changes(&mut current, &writes);
    assert_eq!(
        current,
        BTreeMap::from([(a.key(), live(&renamed)), (b.key(), live(&b))])
    );

    let c = clerk("C3", "小张");
    let writes = [
        Delete {
            clerk: renamed.clone(),
        },
        Insert { clerk: c.clone() },
    ];
    apply_changes(&mut current, &writes);
    let expect = [
        (a.key(), gone(&renamed)),
        (b.key(), live(&b)),
        (c.key(), live(&c)),
    ];
    assert_eq!(current, BTreeMap::from(expect));
    assert!(writes.iter().all(ClerkChange::writes));
}

#[test]
fn changes_name_their_clerk_for_the_answer() {
    let a = clerk("C1", "老王");
    assert_eq!(Delete { clerk: a.clone() }.clerk_name(), Some("老王"));
    assert_eq!(SkippedStale { clerk: a.clone() }.clerk_name(), Some("老王"));
    assert_eq!(DeleteMissing { key: a.key() }.clerk_name(), None);
    assert_eq!(DeleteMissing { key: a.key() }.key(), a.key());
}

#[test]
fn the_seed_sample_needs_its_store_among_the_account_shops() {
    let sample = super::seed_request().validate().unwrap();
    let ClerkBatch::Add(clerks) = &sample else {
        unreachable!()
    };
    let changes = plan_batch(&sample, &shops(), &BTreeMap::new());
    assert_eq!(
        changes,
        Ok(vec![Insert {
            clerk: clerks[0].clone()
        }])
    );
    let other_shops = BTreeSet::from([ShopId::new("M124")]);
    let rejection = plan_batch(&sample, &other_shops, &BTreeMap::new()).unwrap_err();
    assert_eq!(rejection.kind(), ErrorKind::UnknownStore);
}

#[test]
fn an_empty_batch_plans_nothing() {
    assert_eq!(
        plan_batch(&ClerkBatch::Delete(Vec::new()), &shops(), &BTreeMap::new()),
        Ok(vec![])
    );
}
