//! PayBill: idempotency by `PayNum`, outstanding amounts, zero-total bills, references.

use super::fixture::*;
use crate::error_kind::ErrorKind;
use crate::ids::{BillNum, SenderBillNum};
use crate::sell_bill::{
    BillEventKind, BillRef, BillState, Outcome, PayType, PaymentDraft, SellBillError,
};

fn kind(result: Result<Outcome, SellBillError>) -> Result<Outcome, ErrorKind> {
    result.map_err(|err| err.kind())
}

/// A bill of 198.00.
fn bill_198() -> crate::sell_bill::SellBill {
    create(&bill(vec![line(1, "2", "99.00")])).unwrap()
}

#[test]
fn an_absent_amount_pays_what_is_outstanding() {
    let mut bill_ = bill_198();
    let Ok(Outcome::Changed(event)) = pay(&mut bill_, &payment("PAY-1", None)) else {
        panic!()
    };
    assert_eq!(event.kind(), BillEventKind::Paid);
    assert_eq!(bill_.state(), BillState::Paid);
    assert_eq!(bill_.record().paid_amount.to_string(), "198.00");
    assert_eq!(bill_.record().payments[0].amount.to_string(), "198.00");
    assert_eq!(
        bill_.record().version,
        1,
        "payments do not change the version"
    );
}

#[test]
fn part_payments_then_the_rest() {
    let mut bill_ = bill_198();
    let Ok(Outcome::Changed(event)) = pay(&mut bill_, &payment("PAY-1", Some("98"))) else {
        panic!()
    };
    assert_eq!(
        (event.kind(), bill_.state()),
        (BillEventKind::PaymentReceived, BillState::PartPaid)
    );
    assert_eq!(bill_.outstanding().to_string(), "100.00");
    let Ok(Outcome::Changed(event)) = pay(&mut bill_, &payment("PAY-2", Some("100.00"))) else {
        panic!()
    };
    assert_eq!(
        (event.kind(), bill_.state()),
        (BillEventKind::Paid, BillState::Paid)
    );
    assert_eq!(bill_.outstanding().to_string(), "0.00");
}

#[test]
fn a_payment_above_the_outstanding_amount_is_refused() {
    let mut bill_ = bill_198();
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-1", Some("198.01")))),
        Err(ErrorKind::PaymentExceedsOutstanding)
    );
    pay(&mut bill_, &payment("PAY-1", Some("100"))).unwrap();
    let err = pay(&mut bill_, &payment("PAY-2", Some("98.01"))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "payment of 98.01 exceeds the outstanding amount 98.00 of bill B0001"
    );
}

#[test]
fn a_new_pay_num_on_a_paid_bill_is_3004() {
    let mut bill_ = bill_198();
    pay(&mut bill_, &payment("PAY-1", None)).unwrap();
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-2", Some("1")))),
        Err(ErrorKind::PaymentExceedsOutstanding)
    );
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-3", None))),
        Err(ErrorKind::PaymentExceedsOutstanding)
    );
}

#[test]
fn the_same_pay_num_with_the_same_content_is_a_replay() {
    let mut bill_ = bill_198();
    pay(&mut bill_, &payment("PAY-1", Some("98"))).unwrap();
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-1", Some("98.0")))),
        Ok(Outcome::Replayed)
    );
    // Replays answer with the current state, even once the bill moved on.
    pay(&mut bill_, &payment("PAY-2", None)).unwrap();
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-1", Some("98")))),
        Ok(Outcome::Replayed)
    );
    assert_eq!(bill_.state(), BillState::Paid);
}

#[test]
fn an_absent_amount_replays_as_absent_or_as_the_amount_paid() {
    let mut bill_ = bill_198();
    pay(&mut bill_, &payment("PAY-1", None)).unwrap();
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-1", None))),
        Ok(Outcome::Replayed)
    );
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-1", Some("198")))),
        Ok(Outcome::Replayed)
    );
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-1", Some("197")))),
        Err(ErrorKind::PayNumReused)
    );
}

#[test]
fn the_same_pay_num_with_other_content_is_3005() {
    let mut bill_ = bill_198();
    pay(&mut bill_, &payment("PAY-1", Some("98"))).unwrap();
    assert_eq!(
        kind(pay(&mut bill_, &payment("PAY-1", Some("97")))),
        Err(ErrorKind::PayNumReused)
    );
    let mut other_type = payment("PAY-1", Some("98"));
    other_type.pay_type = Some(PayType::Cash);
    assert_eq!(
        kind(pay(&mut bill_, &other_type)),
        Err(ErrorKind::PayNumReused)
    );
}

#[test]
fn deleted_and_closed_bills_take_no_new_payment_but_replay_old_ones() {
    let mut deleted = bill_198();
    delete_or_close(&mut deleted).unwrap();
    assert_eq!(
        kind(pay(&mut deleted, &payment("PAY-1", None))),
        Err(ErrorKind::BillDeletedOrClosed)
    );
    let mut closed = bill_198();
    pay(&mut closed, &payment("PAY-1", Some("10"))).unwrap();
    delete_or_close(&mut closed).unwrap();
    assert_eq!(
        kind(pay(&mut closed, &payment("PAY-2", None))),
        Err(ErrorKind::BillDeletedOrClosed)
    );
    assert_eq!(
        kind(pay(&mut closed, &payment("PAY-1", Some("10")))),
        Ok(Outcome::Replayed)
    );
    assert_eq!(
        kind(pay(&mut closed, &payment("PAY-1", Some("11")))),
        Err(ErrorKind::PayNumReused)
    );
}

#[test]
fn a_zero_total_bill_is_paid_by_a_payment_of_zero() {
    // A 100 % discount over a zero floor makes a bill of 0.00.
    let mut catalog = shop();
    if let Some(quote) = catalog.prices.get_mut(&crate::ids::ProductId(2)) {
        quote.lowest_retail_price = crate::amounts::UnitPrice::ZERO;
    }
    let content = bill(vec![discounted(line(2, "3", "5"), "0", "10")])
        .validate()
        .unwrap();
    let (mut zero, _) = crate::sell_bill::SellBill::create(
        BillNum::new("B0002"),
        &channel(),
        content,
        &catalog,
        crate::calendar::Timestamp(0),
    )
    .unwrap();
    assert_eq!(zero.record().priced.totals.total.to_string(), "0.00");
    assert_eq!(zero.record().priced.totals.discount.to_string(), "15.00");
    assert_eq!(
        kind(pay(&mut zero, &payment("PAY-0", Some("0.01")))),
        Err(ErrorKind::PaymentExceedsOutstanding)
    );
    let Ok(Outcome::Changed(event)) = pay(&mut zero, &payment("PAY-0", Some("0"))) else {
        panic!()
    };
    assert_eq!(
        (event.kind(), zero.state()),
        (BillEventKind::Paid, BillState::Paid)
    );
    assert_eq!(
        kind(pay(&mut zero, &payment("PAY-1", None))),
        Err(ErrorKind::PaymentExceedsOutstanding)
    );
    // On a bill with something outstanding, a payment of 0 is invalid.
    let mut unpaid = bill_198();
    assert_eq!(
        kind(pay(&mut unpaid, &payment("PAY-1", Some("0")))),
        Err(ErrorKind::InvalidField)
    );
}

#[test]
fn payment_fields_are_checked() {
    let check = |draft: PaymentDraft, expect: Result<(), &str>| {
        let got = draft.validate().map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(got, expect.map_err(str::to_owned));
    };
    let base = || PaymentDraft {
        bill_num: Some("B0001".into()),
        pay_num: Some("PAY-1".into()),
        ..PaymentDraft::default()
    };
    check(base(), Ok(()));
    check(
        PaymentDraft {
            pay_num: None,
            ..base()
        },
        Err("required field PayNum is missing"),
    );
    check(
        PaymentDraft {
            pay_num: Some("p".repeat(33)),
            ..base()
        },
        Err("field PayNum is 33 characters long, at most 32 are allowed"),
    );
    check(
        PaymentDraft {
            pay_amount: Some(d("-1")),
            ..base()
        },
        Err("field PayAmount must not be negative"),
    );
    check(
        PaymentDraft {
            pay_amount: Some(d("1.001")),
            ..base()
        },
        Err("field PayAmount has 3 decimal places, at most 2 are allowed"),
    );
    check(
        PaymentDraft {
            pay_amount: Some(d("1.0000")),
            ..base()
        },
        Ok(()),
    );
    check(
        PaymentDraft {
            pay_type: Some("wechat".into()),
            ..base()
        },
        Ok(()),
    );
    check(
        PaymentDraft {
            pay_type: Some("Bitcoin".into()),
            ..base()
        },
        Err("field PayType must be one of Cash, Card, WeChat, Alipay, Prepaid, Other"),
    );
    check(
        PaymentDraft {
            memory: Some("m".repeat(101)),
            ..base()
        },
        Err("field Memory is 101 characters long, at most 100 are allowed"),
    );
    check(
        PaymentDraft {
            bill_num: None,
            sender_bill_num: None,
            ..base()
        },
        Err("required field BillNum or SenderBillNum is missing"),
    );
    assert_eq!(PayType::parse("WECHAT"), Some(PayType::WeChat));
}

#[test]
fn a_reference_with_both_keys_must_name_one_bill() {
    let (bill_num, sender) = (BillNum::new("B1"), SenderBillNum::new("P-1"));
    let both = BillRef::parse(Some("B1"), Some("P-1")).unwrap();
    assert!(both.names(&bill_num, &sender));
    let mismatched = BillRef::parse(Some("B1"), Some("P-2")).unwrap();
    assert!(!mismatched.names(&bill_num, &sender));
    assert!(
        BillRef::parse(None, Some("P-1"))
            .unwrap()
            .names(&bill_num, &sender)
    );
    assert!(
        BillRef::parse(Some("B1"), None)
            .unwrap()
            .names(&bill_num, &sender)
    );
    assert!(
        !BillRef::parse(Some("B2"), None)
            .unwrap()
            .names(&bill_num, &sender)
    );
}
