//! Field validation of the request header, the clerk key and the fields `add` and `update` need.

use super::*;
use crate::field::{FieldError, FieldProblem};

#[test]
fn seed_sample_validates() {
    assert_eq!(
        seed_request().validate(),
        Ok(ClerkBatch::Add(vec![seed_clerk()]))
    );
    let without_total = ClerkBatchDraft {
        total: None,
        ..seed_request()
    };
    assert_eq!(
        without_total.validate(),
        Ok(ClerkBatch::Add(vec![seed_clerk()]))
    );
}

#[test]
fn seed_sample_total_of_twelve_is_a_count_mismatch() {
    // The Java sample declares 12 clerks and sends one; the contract requires them to agree.
    let as_sent = ClerkBatchDraft {
        total: Some(12),
        ..seed_request()
    };
    let err = as_sent.validate().unwrap_err();
    assert_eq!(
        err,
        FieldError::Invalid {
            field: "total".into(),
            problem: FieldProblem::CountMismatch {
                declared: 12,
                actual: 1
            },
        }
    );
    assert_eq!(err.to_string(), "field total is 12 but 1 items were sent");
}

#[test]
fn action_type_is_one_of_three_in_any_case() {
    for ok in ["add", "ADD", "Add", "update", "UPDATE", "delete", "dElEtE"] {
        check(ok, |d| d.action_type = Some(ok.into()), Ok(()));
    }
    check(
        "absent",
        |d| d.action_type = None,
        Err((MISSING, "actionType")),
    );
    check(
        "empty",
        |d| d.action_type = Some(String::new()),
        Err((MISSING, "actionType")),
    );
    for bad in ["upsert", "add ", " add", "新增", "adds", "ａｄｄ"] {
        check(
            bad,
            |d| d.action_type = Some(bad.into()),
            Err((INVALID, "actionType")),
        );
    }
    let err = ClerkBatchDraft {
        action_type: Some("upsert".into()),
        ..seed_request()
    }
    .validate();
    assert_eq!(
        err.unwrap_err().to_string(),
        "field actionType must be one of add, update, delete"
    );
}

#[test]
fn total_when_present_equals_the_clerk_count() {
    check("absent", |d| d.total = None, Ok(()));
    check("one", |d| d.total = Some(1), Ok(()));
    for bad in [0, 2, -1, i64::MAX, i64::MIN] {
        check("mismatch", |d| d.total = Some(bad), Err((INVALID, "total")));
    }
}

#[test]
fn a_request_carries_one_to_five_hundred_clerks() {
    let many = |n: usize| {
        move |d: &mut ClerkBatchDraft| {
            d.total = None;
            d.clerks = vec![seed_clerk_draft(); n];
        }
    };
    check("none", many(0), Err((MISSING, "clerks")));
    check("one", many(1), Ok(()));
    check("five hundred", many(500), Ok(()));
    check("five hundred and one", many(501), Err((TOO_MANY, "clerks")));
    let declared = |d: &mut ClerkBatchDraft| {
        d.clerks = vec![seed_clerk_draft(); 501];
        d.total = Some(501);
    };
    check("declared too many", declared, Err((TOO_MANY, "clerks")));
}

#[test]
fn a_configured_count_replaces_500() {
    let two = crate::limits::CountLimits::DEFAULT.with_clerks(2).unwrap();
    let draft = |n: usize| ClerkBatchDraft {
        total: None,
        clerks: vec![seed_clerk_draft(); n],
        ..seed_request()
    };
    assert!(draft(2).validate_within(two).is_ok());
    let err = draft(3).validate_within(two).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyItems);
    assert_eq!(
        err.to_string(),
        "field clerks has 3 items, at most 2 are allowed"
    );
    // The detail count does not bound clerks.
    let one_detail = crate::limits::CountLimits::DEFAULT.with_details(1).unwrap();
    assert!(draft(500).validate_within(one_detail).is_ok());
}

#[test]
fn every_clerk_needs_a_store_and_a_code() {
    let chinese = |n: usize| "店".repeat(n);
    check_clerk(
        "no store",
        |c| c.store_code = None,
        Err((MISSING, "clerks[0].storeCode")),
    );
    check_clerk(
        "empty store",
        |c| c.store_code = Some("".into()),
        Err((MISSING, "clerks[0].storeCode")),
    );
    check_clerk(
        "longest store",
        |c| c.store_code = Some(chinese(32)),
        Ok(()),
    );
    check_clerk(
        "long store",
        |c| c.store_code = Some(chinese(33)),
        Err((INVALID, "clerks[0].storeCode")),
    );
    check_clerk(
        "no code",
        |c| c.clerk_code = None,
        Err((MISSING, "clerks[0].clerkCode")),
    );
    check_clerk("longest code", |c| c.clerk_code = Some(chinese(32)), Ok(()));
    check_clerk(
        "long code",
        |c| c.clerk_code = Some(chinese(33)),
        Err((INVALID, "clerks[0].clerkCode")),
    );
    let fourth = |d: &mut ClerkBatchDraft| {
        d.total = None;
        d.clerks = vec![seed_clerk_draft(); 5];
        d.clerks[3].clerk_code = None;
    };
    check(
        "fourth clerk",
        fourth,
        Err((MISSING, "clerks[3].clerkCode")),
    );
}

#[test]
fn add_and_update_need_a_name_and_a_type() {
    for action in ["add", "update"] {
        let with = |change: fn(&mut ClerkDraft)| {
            move |d: &mut ClerkBatchDraft| {
                d.action_type = Some(action.into());
                change(&mut d.clerks[0]);
            }
        };
        check(
            action,
            with(|c| c.clerk_name = None),
            Err((MISSING, "clerks[0].clerkName")),
        );
        check(
            action,
            with(|c| c.clerk_name = Some("名".repeat(50))),
            Ok(()),
        );
        let long = |c: &mut ClerkDraft| c.clerk_name = Some("名".repeat(51));
        check(action, with(long), Err((INVALID, "clerks[0].clerkName")));
        check(
            action,
            with(|c| c.clerk_type = None),
            Err((MISSING, "clerks[0].clerkType")),
        );
        check(
            action,
            with(|c| c.source_clerk_code = Some("E".repeat(33))),
            Err((INVALID, "clerks[0].sourceClerkCode")),
        );
    }
    for ok in ClerkType::CODES {
        check_clerk(ok, |c| c.clerk_type = Some((*ok).into()), Ok(()));
    }
    for bad in ["dz", "Dz", "MANAGER", "店长", "DZ "] {
        check_clerk(
            bad,
            |c| c.clerk_type = Some(bad.into()),
            Err((INVALID, "clerks[0].clerkType")),
        );
    }
}

#[test]
fn delete_reads_only_the_key() {
    let junk = |d: &mut ClerkBatchDraft| {
        d.action_type = Some("Delete".into());
        let clerk = &mut d.clerks[0];
        clerk.clerk_name = None;
        clerk.clerk_type = Some("店长".into());
        clerk.is_valid = Some("maybe".into());
        clerk.create_time = Some("yesterday".into());
        clerk.contact_info = Some(ContactInfoDraft {
            gender: Some("X".into()),
            ..Default::default()
        });
        clerk.extend_props = (0..60).map(|i| (i.to_string(), String::new())).collect();
    };
    check("junk ignored", junk, Ok(()));
    let no_store = |d: &mut ClerkBatchDraft| {
        d.action_type = Some("delete".into());
        d.clerks[0].store_code = Some(String::new());
    };
    check(
        "store still required",
        no_store,
        Err((MISSING, "clerks[0].storeCode")),
    );
    let draft = ClerkBatchDraft {
        action_type: Some("DELETE".into()),
        ..seed_request()
    };
    let key = ClerkKey::new(ShopId::new("M123"), "M123");
    assert_eq!(draft.validate(), Ok(ClerkBatch::Delete(vec![key])));
}

#[test]
fn the_first_error_in_document_order_wins() {
    let two_clerks = |d: &mut ClerkBatchDraft| {
        d.total = None;
        d.clerks = vec![seed_clerk_draft(), seed_clerk_draft()];
        d.clerks[0].extend_props = BTreeMap::from([("k".into(), "v".repeat(1001))]);
        d.clerks[1].store_code = None;
    };
    check(
        "earlier clerk first",
        two_clerks,
        Err((INVALID, "clerks[0].extendProps.k")),
    );
    let header = |d: &mut ClerkBatchDraft| {
        d.action_type = Some("merge".into());
        d.total = Some(7);
        d.clerks.clear();
    };
    check(
        "actionType before total",
        header,
        Err((INVALID, "actionType")),
    );
    let total_first = |d: &mut ClerkBatchDraft| {
        d.total = Some(7);
        d.clerks = vec![ClerkDraft::default(); 501];
    };
    check("total before clerks", total_first, Err((INVALID, "total")));
    let within_clerk = |c: &mut ClerkDraft| {
        c.clerk_type = Some("bad".into());
        c.clerk_name = None;
        c.contact_info = Some(ContactInfoDraft::default());
        c.is_valid = Some("bad".into());
    };
    check_clerk(
        "name before type",
        within_clerk,
        Err((MISSING, "clerks[0].clerkName")),
    );
    let contact_order = |c: &mut ContactInfoDraft| {
        c.mobile = None;
        c.gender = Some("x".into());
    };
    check_contact(
        "gender before mobile",
        contact_order,
        Err((INVALID, "clerks[0].contactInfo.gender")),
    );
}

#[test]
fn spellings_parse_and_print_back() {
    for action in [ClerkAction::Add, ClerkAction::Update, ClerkAction::Delete] {
        assert_eq!(ClerkAction::parse(action.as_str()), Some(action));
        assert_eq!(
            ClerkAction::parse(&action.as_str().to_uppercase()),
            Some(action)
        );
        assert_eq!(action.to_string(), action.as_str());
    }
    for kind in ClerkType::ALL {
        assert_eq!(ClerkType::parse(kind.as_str()), Some(kind));
        assert_eq!(kind.to_string(), kind.as_str());
    }
    let codes: Vec<_> = ClerkType::ALL.iter().map(|kind| kind.as_str()).collect();
    assert_eq!(codes, ClerkType::CODES);
    for gender in [Gender::M, Gender::F] {
        assert_eq!(Gender::parse(gender.as_str()), Some(gender));
    }
}

#[test]
fn drafts_of_validated_values_validate_back() {
    let batch = ClerkBatch::Add(vec![seed_clerk()]);
    assert_eq!(ClerkBatchDraft::from(&batch).validate(), Ok(batch));
    let delete = ClerkBatch::Delete(vec![seed_clerk().key()]);
    assert_eq!(ClerkBatchDraft::from(&delete).validate(), Ok(delete));
}
