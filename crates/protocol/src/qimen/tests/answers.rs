//! Answers built from the domain planner's outcomes: every change listed on success, the
//! offending clerks on failure, codes and messages as the caller chose them.

use std::collections::{BTreeMap, BTreeSet};

use posbridge_domain::clerk::{
    Clerk, ClerkBatch, ClerkKey, ClerkType, StoredClerk, apply_changes, plan_batch,
};
use posbridge_domain::ids::ShopId;

use crate::dto::{QimenResponse, QimenResponseClerk};
use crate::qimen::answer::{failure_response, offending_clerks, success_response};

fn shops() -> BTreeSet<ShopId> {
    BTreeSet::from([ShopId::new("M123")])
}

fn clerk(store: &str, code: &str, name: &str) -> Clerk {
    Clerk::new(ShopId::new(store), code, name, ClerkType::Syy)
}

fn listed(code: &str, name: Option<&str>, store: &str) -> QimenResponseClerk {
    QimenResponseClerk {
        clerk_code: Some(code.to_owned()),
        clerk_name: name.map(str::to_owned),
        store_code: Some(store.to_owned()),
    }
}

#[test]
fn success_lists_every_clerk_in_request_order() {
    let stored = clerk("M123", "C1", "老王");
    let mut current = BTreeMap::from([(stored.key(), StoredClerk::live(stored.clone()))]);
    // An insert, an unchanged replay, and a second insert.
    let batch = ClerkBatch::Add(vec![
        clerk("M123", "C2", "小李"),
        stored.clone(),
        clerk("M123", "C3", "小张"),
    ]);
    let changes = plan_batch(&batch, &shops(), &current).unwrap();
    let answer = success_response("ok", &changes);
    assert_eq!(
        answer,
        QimenResponse {
            flag: Some("success".into()),
            code: Some("0".into()),
            message: Some("ok".into()),
            clerks: Some(vec![
                listed("C2", Some("小李"), "M123"),
                listed("C1", Some("老王"), "M123"),
                listed("C3", Some("小张"), "M123"),
            ]),
        }
    );
    // A delete reports the stored name, or none for a clerk never held.
    apply_changes(&mut current, &changes);
    let keys = ClerkBatch::Delete(vec![
        ClerkKey::new(ShopId::new("M123"), "C1"),
        ClerkKey::new(ShopId::new("M123"), "NOBODY"),
    ]);
    let changes = plan_batch(&keys, &shops(), &current).unwrap();
    assert_eq!(
        success_response("ok", &changes).clerks.unwrap(),
        [
            listed("C1", Some("老王"), "M123"),
            listed("NOBODY", None, "M123")
        ]
    );
}

#[test]
fn failure_lists_only_the_offending_clerks_with_the_given_code() {
    let stored = clerk("M123", "C1", "老王");
    let current = BTreeMap::from([(stored.key(), StoredClerk::live(stored.clone()))]);
    let batch = ClerkBatch::Add(vec![
        clerk("M123", "C2", "小李"),
        clerk("ELSEWHERE", "C9", "外人"),
        Clerk {
            clerk_name: "王老".into(),
            ..stored
        },
    ]);
    let rejection = plan_batch(&batch, &shops(), &current).unwrap_err();
    let answer = failure_response("2101", "store ELSEWHERE is unknown", &rejection, &batch);
    assert_eq!(
        answer,
        QimenResponse {
            flag: Some("failure".into()),
            code: Some("2101".into()),
            message: Some("store ELSEWHERE is unknown".into()),
            clerks: Some(vec![
                listed("C9", Some("外人"), "ELSEWHERE"),
                listed("C1", Some("王老"), "M123"),
            ]),
        }
    );
}

#[test]
fn failed_deletes_and_updates_report_their_keys() {
    let update = ClerkBatch::Update(vec![clerk("M123", "GONE", "无人")]);
    let rejection = plan_batch(&update, &shops(), &BTreeMap::new()).unwrap_err();
    assert_eq!(
        offending_clerks(&rejection, &update),
        [listed("GONE", Some("无人"), "M123")]
    );
    let delete = ClerkBatch::Delete(vec![ClerkKey::new(ShopId::new("ELSEWHERE"), "C1")]);
    let rejection = plan_batch(&delete, &shops(), &BTreeMap::new()).unwrap_err();
    assert_eq!(
        offending_clerks(&rejection, &delete),
        [listed("C1", None, "ELSEWHERE")]
    );
}
