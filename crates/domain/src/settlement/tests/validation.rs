//! Field validation of settlements (1002–1004).

use super::fixture::*;
use crate::error_kind::ErrorKind;
use crate::limits::CountLimits;
use crate::settlement::{CalUserType, SettlementDraft};

fn check(draft: &SettlementDraft, expect: Result<(), (ErrorKind, &str)>) {
    let got = draft
        .validate()
        .map(|_| ())
        .map_err(|e| (e.kind(), e.to_string()));
    assert_eq!(
        got,
        expect.map_err(|(kind, message)| (kind, message.to_owned()))
    );
}

fn with(edit: impl FnOnce(&mut SettlementDraft)) -> SettlementDraft {
    let mut draft = settlement("JS-1", vec![detail(1, "B-PAID", 1, "1", "50")]);
    edit(&mut draft);
    draft
}

#[test]
fn header_fields_are_required() {
    check(&with(|_| ()), Ok(()));
    check(
        &with(|s| s.bill_num = None),
        Err((ErrorKind::MissingField, "required field BillNum is missing")),
    );
    check(
        &with(|s| s.merchant_id = None),
        Err((
            ErrorKind::MissingField,
            "required field MerchantId is missing",
        )),
    );
    check(
        &with(|s| s.shop_id = Some(String::new())),
        Err((ErrorKind::MissingField, "required field ShopId is missing")),
    );
    check(
        &with(|s| s.happen_date = None),
        Err((
            ErrorKind::MissingField,
            "required field HappenDate is missing",
        )),
    );
    check(
        &with(|s| s.happen_time = None),
        Err((
            ErrorKind::MissingField,
            "required field HappenTime is missing",
        )),
    );
    check(
        &with(|s| s.customer_type = None),
        Err((
            ErrorKind::MissingField,
            "required field CustomerType is missing",
        )),
    );
    check(
        &with(|s| s.customer_id = None),
        Err((
            ErrorKind::MissingField,
            "required field CustomerId is missing",
        )),
    );
    check(
        &with(|s| s.cal_user_type = None),
        Err((
            ErrorKind::MissingField,
            "required field CalUserType is missing",
        )),
    );
    check(
        &with(|s| s.details.clear()),
        Err((ErrorKind::MissingField, "required field Details is missing")),
    );
}

#[test]
fn dates_and_times_must_be_real() {
    check(
        &with(|s| s.happen_date = Some("20230229".into())),
        Err((
            ErrorKind::InvalidField,
            "field HappenDate must be a real date or time formatted yyyyMMdd",
        )),
    );
    check(
        &with(|s| s.happen_date = Some("2024-02-29".into())),
        Err((
            ErrorKind::InvalidField,
            "field HappenDate must be a real date or time formatted yyyyMMdd",
        )),
    );
    check(
        &with(|s| s.happen_time = Some("240000".into())),
        Err((
            ErrorKind::InvalidField,
            "field HappenTime must be a real date or time formatted HHmmss",
        )),
    );
    check(&with(|s| s.happen_time = Some("000000".into())), Ok(()));
}

#[test]
fn coded_fields_take_their_codes() {
    check(&with(|s| s.cal_user_type = Some("1".into())), Ok(()));
    check(
        &with(|s| s.cal_user_type = Some("3".into())),
        Err((
            ErrorKind::InvalidField,
            "field CalUserType must be one of 1, 2",
        )),
    );
    for yes_or_no in ["Y", "N", "1", "0"] {
        check(&with(|s| s.is_pay_by_cash = Some(yes_or_no.into())), Ok(()));
    }
    check(
        &with(|s| s.is_pay_by_cash = Some("yes".into())),
        Err((
            ErrorKind::InvalidField,
            "field IsPayByCash must be one of Y, N, 1, 0",
        )),
    );
    let yes = with(|s| s.is_pay_by_cash = Some("1".into()))
        .validate()
        .unwrap();
    let also_yes = with(|s| s.is_pay_by_cash = Some("Y".into()))
        .validate()
        .unwrap();
    assert_eq!(yes, also_yes);
    assert!(yes.is_pay_by_cash);
    assert!(
        !with(|_| ()).validate().unwrap().is_pay_by_cash,
        "absent means N"
    );
    assert_eq!(
        with(|_| ()).validate().unwrap().cal_user_type,
        CalUserType::Merchant
    );
}

#[test]
fn lengths_and_counts() {
    check(&with(|s| s.memory = Some("备".repeat(100))), Ok(()));
    check(
        &with(|s| s.memory = Some("备".repeat(101))),
        Err((
            ErrorKind::InvalidField,
            "field Memory is 101 characters long, at most 100 are allowed",
        )),
    );
    check(
        &with(|s| s.bill_num = Some("J".repeat(33))),
        Err((
            ErrorKind::InvalidField,
            "field BillNum is 33 characters long, at most 32 are allowed",
        )),
    );
    let many: Vec<_> = (0..501).map(|n| detail(n, "B-PAID", 1, "1", "1")).collect();
    check(
        &settlement("JS-1", many),
        Err((
            ErrorKind::TooManyItems,
            "field Details has 501 items, at most 500 are allowed",
        )),
    );
}

#[test]
fn a_configured_count_replaces_500() {
    let two = CountLimits::DEFAULT.with_details(2).unwrap();
    let details = |n| (0..n).map(|n| detail(n, "B-PAID", 1, "1", "1")).collect();
    assert!(settlement("JS-1", details(2)).validate_within(two).is_ok());
    let err = settlement("JS-1", details(3))
        .validate_within(two)
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.to_string()),
        (
            ErrorKind::TooManyItems,
            "field Details has 3 items, at most 2 are allowed".to_owned()
        )
    );
    let larger = CountLimits::DEFAULT.with_details(501).unwrap();
    assert!(
        settlement("JS-1", details(501))
            .validate_within(larger)
            .is_ok()
    );
}

#[test]
fn detail_fields() {
    let edit = |change: fn(&mut crate::settlement::SettlementDetailDraft)| {
        with(|s| change(&mut s.details[0]))
    };
    check(
        &edit(|d| d.sell_bill_num = None),
        Err((
            ErrorKind::MissingField,
            "required field Details[0].SellBillNum is missing",
        )),
    );
    check(
        &edit(|d| d.auto_id = None),
        Err((
            ErrorKind::MissingField,
            "required field Details[0].AutoId is missing",
        )),
    );
    check(
        &edit(|d| d.product_id = None),
        Err((
            ErrorKind::MissingField,
            "required field Details[0].ProductId is missing",
        )),
    );
    check(
        &edit(|d| d.amount = Some(0.into())),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].Amount must be greater than 0",
        )),
    );
    check(
        &edit(|d| d.cal_price = None),
        Err((
            ErrorKind::MissingField,
            "required field Details[0].CalPrice is missing",
        )),
    );
    check(
        &edit(|d| d.cal_price = Some((-1).into())),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].CalPrice must not be negative",
        )),
    );
    check(
        &edit(|d| d.retail_price = Some("1.00001".parse().unwrap())),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].RetailPrice has 5 decimal places, at most 4 are allowed",
        )),
    );
    check(
        &edit(|d| d.product_name = Some("名".repeat(101))),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].ProductName is 101 characters long, at most 100 are allowed",
        )),
    );
}

#[test]
fn auto_ids_are_unique_within_a_settlement() {
    // The seed 002 sample repeats AutoId 3 in its two details.
    let twice = settlement(
        "JS-1",
        vec![
            detail(3, "B-PAID", 1, "1", "1"),
            detail(3, "B-PAID", 2, "1", "1"),
        ],
    );
    check(
        &twice,
        Err((
            ErrorKind::InvalidField,
            "field Details[1].AutoId must be unique, 3 appears more than once",
        )),
    );
}
