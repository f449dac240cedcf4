//! AddOrUpdate idempotency and editing, DeleteOrClose, history and events.

use super::fixture::*;
use crate::calendar::Timestamp;
use crate::error_kind::ErrorKind;
use crate::ids::BillNum;
use crate::sell_bill::{
    BillEventKind, BillState, Outcome, SellBill, SellBillError, check_invariants,
};

fn kind(result: Result<Outcome, SellBillError>) -> Result<Outcome, ErrorKind> {
    result.map_err(|err| err.kind())
}

fn events(bill: &SellBill) -> Vec<(u32, u32, BillState, BillEventKind)> {
    bill.record()
        .history
        .iter()
        .map(|h| (h.sequence, h.version, h.state, h.event))
        .collect()
}

#[test]
fn a_new_key_creates_an_initial_bill_at_version_1() {
    let content = seed_sample().validate().unwrap();
    let (bill, event) = SellBill::create(
        BillNum::new("B9"),
        &channel(),
        content.clone(),
        &shop(),
        Timestamp(5),
    )
    .unwrap();
    assert_eq!(bill.state(), BillState::Initial);
    assert_eq!(bill.record().version, 1);
    assert_eq!(bill.record().content, content);
    assert_eq!(bill.record().shop_id, channel().shop_id);
    assert_eq!(bill.record().customer, channel().customer);
    assert_eq!(
        (bill.record().created_at, bill.record().updated_at),
        (Timestamp(5), Timestamp(5))
    );
    assert_eq!(event.bill_num, BillNum::new("B9"));
    assert_eq!(event.kind().as_str(), "bill.created");
    assert_eq!(event.sequence(), 1);
    assert_eq!(
        events(&bill),
        [(1, 1, BillState::Initial, BillEventKind::Created)]
    );
}

#[test]
fn a_new_key_failing_the_catalog_creates_nothing() {
    let content = bill(vec![line(1, "1", "98")]).validate().unwrap();
    let result = SellBill::create(
        BillNum::new("B9"),
        &channel(),
        content,
        &shop(),
        Timestamp(0),
    );
    assert_eq!(
        result.map(|_| ()).map_err(|e| e.kind()),
        Err(ErrorKind::RetailPriceMismatch)
    );
}

#[test]
fn identical_content_is_a_replay_even_with_other_spelling() {
    let mut bill_ = create(&bill(vec![line(1, "2", "99.00")])).unwrap();
    // 2.0 = 2 and 99.0 = 99.00; empty text = absent.
    let mut again = bill(vec![line(1, "2.0", "99.0")]);
    again.memory = Some(String::new());
    assert_eq!(
        kind(resubmit(&mut bill_, &channel(), &again)),
        Ok(Outcome::Replayed)
    );
    assert_eq!(bill_.record().version, 1);
}

#[test]
fn replay_answers_the_current_state() {
    let draft = bill(vec![line(1, "2", "99.00")]);
    let mut bill_ = create(&draft).unwrap();
    pay(&mut bill_, &payment("PAY-1", Some("10"))).unwrap();
    assert_eq!(
        kind(resubmit(&mut bill_, &channel(), &draft)),
        Ok(Outcome::Replayed)
    );
    assert_eq!(bill_.state(), BillState::PartPaid);
    pay(&mut bill_, &payment("PAY-2", None)).unwrap();
    assert_eq!(
        kind(resubmit(&mut bill_, &channel(), &draft)),
        Ok(Outcome::Replayed)
    );
    assert_eq!(bill_.state(), BillState::Paid);
}

#[test]
fn other_content_replaces_an_initial_bill_with_version_plus_one() {
    let mut bill_ = create(&bill(vec![line(1, "2", "99.00")])).unwrap();
    let update = bill(vec![line(1, "3", "99.00"), line(2, "1", "5")]);
    let Ok(Outcome::Changed(event)) = resubmit(&mut bill_, &channel(), &update) else {
        panic!()
    };
    assert_eq!(event.kind(), BillEventKind::Updated);
    assert_eq!(event.sequence(), 2);
    assert_eq!(bill_.record().version, 2);
    assert_eq!(bill_.record().content, update.validate().unwrap());
    assert_eq!(bill_.record().priced.totals.total.to_string(), "302.00");
    assert_eq!(bill_.record().updated_at, Timestamp(10));
    assert_eq!(bill_.record().created_at, Timestamp(0));
    assert_eq!(
        events(&bill_),
        [
            (1, 1, BillState::Initial, BillEventKind::Created),
            (2, 2, BillState::Initial, BillEventKind::Updated)
        ]
    );
}

#[test]
fn an_update_is_checked_against_the_catalog_and_a_failure_keeps_the_bill() {
    let mut bill_ = create(&bill(vec![line(1, "2", "99.00")])).unwrap();
    let update = bill(vec![line(1, "2", "100")]);
    assert_eq!(
        kind(resubmit(&mut bill_, &channel(), &update)),
        Err(ErrorKind::RetailPriceMismatch)
    );
    let invalid = bill(vec![line(1, "0", "99")]);
    assert_eq!(
        kind(resubmit(&mut bill_, &channel(), &invalid)),
        Err(ErrorKind::InvalidField)
    );
}

#[test]
fn a_replay_is_not_checked_again_after_a_price_change() {
    let draft = bill(vec![line(1, "2", "99.00")]);
    let mut bill_ = create(&draft).unwrap();
    let mut repriced = shop();
    if let Some(quote) = repriced.prices.get_mut(&crate::ids::ProductId(1)) {
        quote.retail_price = crate::amounts::UnitPrice::new(d("109")).unwrap();
    }
    let content = draft.validate().unwrap();
    let outcome = bill_.add_or_update(&channel(), content, &repriced, Timestamp(1));
    assert_eq!(outcome, Ok(Outcome::Replayed));
    // The snapshot keeps the price the bill was checked against.
    assert_eq!(
        bill_.record().priced.lines[0].snapshot.retail_price.get(),
        d("99")
    );
}

#[test]
fn a_bill_with_payments_cannot_be_edited() {
    let mut bill_ = create(&bill(vec![line(1, "2", "99.00")])).unwrap();
    pay(&mut bill_, &payment("PAY-1", Some("1"))).unwrap();
    let update = bill(vec![line(1, "1", "99.00")]);
    assert_eq!(
        kind(resubmit(&mut bill_, &channel(), &update)),
        Err(ErrorKind::BillNotEditable)
    );
    pay(&mut bill_, &payment("PAY-2", None)).unwrap();
    assert_eq!(
        kind(resubmit(&mut bill_, &channel(), &update)),
        Err(ErrorKind::BillNotEditable)
    );
}

#[test]
fn a_deleted_or_closed_bill_refuses_any_content() {
    let draft = bill(vec![line(1, "2", "99.00")]);
    let other = bill(vec![line(1, "1", "99.00")]);
    let mut deleted = create(&draft).unwrap();
    delete_or_close(&mut deleted).unwrap();
    assert_eq!(
        kind(resubmit(&mut deleted, &channel(), &draft)),
        Err(ErrorKind::BillDeletedOrClosed)
    );
    assert_eq!(
        kind(resubmit(&mut deleted, &channel(), &other)),
        Err(ErrorKind::BillDeletedOrClosed)
    );
    let mut closed = create(&draft).unwrap();
    pay(&mut closed, &payment("PAY-1", Some("1"))).unwrap();
    delete_or_close(&mut closed).unwrap();
    assert_eq!(
        kind(resubmit(&mut closed, &channel(), &draft)),
        Err(ErrorKind::BillDeletedOrClosed)
    );
}

#[test]
fn another_shop_gets_4005_whatever_the_content() {
    let draft = bill(vec![line(1, "2", "99.00")]);
    let mut bill_ = create(&draft).unwrap();
    assert_eq!(
        kind(resubmit(&mut bill_, &other_shop(), &draft)),
        Err(ErrorKind::OwnerMismatch)
    );
    let other = bill(vec![line(1, "1", "99.00")]);
    assert_eq!(
        kind(resubmit(&mut bill_, &other_shop(), &other)),
        Err(ErrorKind::OwnerMismatch)
    );
    delete_or_close(&mut bill_).unwrap();
    assert_eq!(
        kind(resubmit(&mut bill_, &other_shop(), &draft)),
        Err(ErrorKind::OwnerMismatch)
    );
}

#[test]
fn another_customer_unit_never_sees_the_bill() {
    let draft = bill(vec![line(1, "2", "99.00")]);
    let mut bill_ = create(&draft).unwrap();
    let mut stranger = channel();
    stranger.customer = crate::ids::CustomerUnit::new("TA", "C999");
    assert_eq!(
        kind(resubmit(&mut bill_, &stranger, &draft)),
        Err(ErrorKind::BillNotFound)
    );
}

#[test]
fn delete_or_close_follows_the_state() {
    let draft = bill(vec![line(1, "2", "99.00")]);
    let mut initial = create(&draft).unwrap();
    let Ok(Outcome::Changed(event)) = delete_or_close(&mut initial) else {
        panic!()
    };
    assert_eq!(
        (initial.state(), event.kind()),
        (BillState::Deleted, BillEventKind::Deleted)
    );
    assert_eq!(kind(delete_or_close(&mut initial)), Ok(Outcome::Replayed));

    let mut part_paid = create(&draft).unwrap();
    pay(&mut part_paid, &payment("PAY-1", Some("50"))).unwrap();
    let Ok(Outcome::Changed(event)) = delete_or_close(&mut part_paid) else {
        panic!()
    };
    assert_eq!(
        (part_paid.state(), event.kind()),
        (BillState::Closed, BillEventKind::Closed)
    );
    assert_eq!(
        part_paid.record().paid_amount.to_string(),
        "50.00",
        "the paid part stands"
    );
    assert_eq!(kind(delete_or_close(&mut part_paid)), Ok(Outcome::Replayed));

    let mut paid = create(&draft).unwrap();
    pay(&mut paid, &payment("PAY-1", None)).unwrap();
    assert_eq!(
        kind(delete_or_close(&mut paid)),
        Err(ErrorKind::PaidBillNotClosable)
    );
}

#[test]
fn history_records_every_change_once() {
    let mut bill_ = create(&bill(vec![line(1, "2", "99.00")])).unwrap();
    resubmit(&mut bill_, &channel(), &bill(vec![line(1, "1", "99.00")])).unwrap();
    resubmit(&mut bill_, &channel(), &bill(vec![line(1, "1", "99.00")])).unwrap();
    pay(&mut bill_, &payment("PAY-1", Some("9"))).unwrap();
    pay(&mut bill_, &payment("PAY-1", Some("9"))).unwrap();
    delete_or_close(&mut bill_).unwrap();
    delete_or_close(&mut bill_).unwrap();
    assert_eq!(
        events(&bill_),
        [
            (1, 1, BillState::Initial, BillEventKind::Created),
            (2, 2, BillState::Initial, BillEventKind::Updated),
            (3, 2, BillState::PartPaid, BillEventKind::PaymentReceived),
            (4, 2, BillState::Closed, BillEventKind::Closed),
        ]
    );
    assert_eq!(check_invariants(bill_.record()), Ok(()));
}

#[test]
fn restore_accepts_consistent_records_and_refuses_others() {
    let mut bill_ = create(&bill(vec![line(1, "2", "99.00")])).unwrap();
    pay(&mut bill_, &payment("PAY-1", Some("9"))).unwrap();
    let record = bill_.clone().into_record();
    assert_eq!(SellBill::restore(record.clone()), Ok(bill_));

    let mut wrong_paid = record.clone();
    wrong_paid.paid_amount = crate::money::Money::ZERO;
    assert!(SellBill::restore(wrong_paid).is_err());
    let mut wrong_state = record.clone();
    wrong_state.state = BillState::Paid;
    assert!(SellBill::restore(wrong_state).is_err());
    let mut wrong_history = record.clone();
    wrong_history.history.pop();
    assert!(SellBill::restore(wrong_history).is_err());
    let mut wrong_total = record;
    wrong_total.priced.totals.total = crate::money::Money::ZERO;
    assert!(SellBill::restore(wrong_total).is_err());
}
