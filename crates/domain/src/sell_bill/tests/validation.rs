//! Field validation (1002–1004) and catalog checks (2001–2006) of submitted bills.

use super::fixture::*;
use crate::catalog::CatalogFailure;
use crate::error_kind::ErrorKind;
use crate::ids::ProductId;
use crate::limits::CountLimits;
use crate::sell_bill::{SellBillDraft, SellBillError, price_bill};

/// Validates and prices `draft` against the fixture shop; the kind and message of a refusal.
fn check(draft: &SellBillDraft, expect: Result<(), (ErrorKind, &str)>) {
    let result = draft
        .validate()
        .map_err(SellBillError::from)
        .and_then(|content| price_bill(&content, &shop()))
        .map(|_| ());
    let got = result.map_err(|err| (err.kind(), err.to_string()));
    let want = expect.map_err(|(kind, message)| (kind, message.to_owned()));
    assert_eq!(got, want);
}

fn with(edit: impl FnOnce(&mut SellBillDraft)) -> SellBillDraft {
    let mut draft = bill(vec![line(1, "1", "99.00")]);
    edit(&mut draft);
    draft
}

#[test]
fn sender_bill_num_is_required_and_at_most_32_characters() {
    check(
        &with(|b| b.sender_bill_num = None),
        Err((
            ErrorKind::MissingField,
            "required field SenderBillNum is missing",
        )),
    );
    check(
        &with(|b| b.sender_bill_num = Some(String::new())),
        Err((
            ErrorKind::MissingField,
            "required field SenderBillNum is missing",
        )),
    );
    check(&with(|b| b.sender_bill_num = Some("x".repeat(32))), Ok(()));
    check(
        &with(|b| b.sender_bill_num = Some("x".repeat(33))),
        Err((
            ErrorKind::InvalidField,
            "field SenderBillNum is 33 characters long, at most 32 are allowed",
        )),
    );
}

#[test]
fn header_text_lengths_count_characters() {
    type Setter = fn(&mut SellBillDraft, String);
    let fields: [(&str, usize, Setter); 7] = [
        ("Memory", 100, |b, v| b.memory = Some(v)),
        ("GuestMobile", 20, |b, v| b.guest_mobile = Some(v)),
        ("GuestName", 30, |b, v| b.guest_name = Some(v)),
        ("GuestCeriCode", 20, |b, v| b.guest_ceri_code = Some(v)),
        ("DeliverAddress", 50, |b, v| b.deliver_address = Some(v)),
        ("GuestMemory", 50, |b, v| b.guest_memory = Some(v)),
        ("GuiderNumber", 20, |b, v| b.guider_number = Some(v)),
    ];
    for (name, max, set) in fields {
        let mut at_limit = bill(vec![line(1, "1", "99.00")]);
        set(&mut at_limit, "杭".repeat(max));
        if name == "GuiderNumber" {
            // A guide number of the right length that no guide has: the length passes, 2006 follows.
            check(
                &at_limit,
                Err((
                    ErrorKind::UnknownGuide,
                    &format!("unknown guide number {}", "杭".repeat(max)),
                )),
            );
        } else {
            check(&at_limit, Ok(()));
        }
        let mut over = bill(vec![line(1, "1", "99.00")]);
        set(&mut over, "杭".repeat(max + 1));
        let message = format!(
            "field {name} is {} characters long, at most {max} are allowed",
            max + 1
        );
        check(&over, Err((ErrorKind::InvalidField, &message)));
    }
}

#[test]
fn plan_deliver_type_is_1_2_or_3_and_courier_needs_an_address() {
    check(&with(|b| b.plan_deliver_type = Some("1".into())), Ok(()));
    check(&with(|b| b.plan_deliver_type = Some("3".into())), Ok(()));
    check(
        &with(|b| b.plan_deliver_type = Some("4".into())),
        Err((
            ErrorKind::InvalidField,
            "field PlanDeliverType must be one of 1, 2, 3",
        )),
    );
    check(
        &with(|b| b.plan_deliver_type = Some("2".into())),
        Err((
            ErrorKind::MissingField,
            "required field DeliverAddress is missing",
        )),
    );
    check(
        &with(|b| {
            b.plan_deliver_type = Some("2".into());
            b.deliver_address = Some("文一路 1 号".into());
        }),
        Ok(()),
    );
}

#[test]
fn details_hold_1_to_500_lines() {
    check(
        &bill(vec![]),
        Err((ErrorKind::MissingField, "required field Details is missing")),
    );
    check(&bill(vec![line(1, "1", "99.00"); 500]), Ok(()));
    check(
        &bill(vec![line(1, "1", "99.00"); 501]),
        Err((
            ErrorKind::TooManyItems,
            "field Details has 501 items, at most 500 are allowed",
        )),
    );
}

#[test]
fn a_configured_count_replaces_500() {
    let two = CountLimits::DEFAULT.with_details(2).unwrap();
    let kind_and_text = |draft: &SellBillDraft| {
        draft
            .validate_within(two)
            .map(|_| ())
            .map_err(|err| (err.kind(), err.to_string()))
    };
    assert_eq!(kind_and_text(&bill(vec![line(1, "1", "99.00"); 2])), Ok(()));
    assert_eq!(
        kind_and_text(&bill(vec![line(1, "1", "99.00"); 3])),
        Err((
            ErrorKind::TooManyItems,
            "field Details has 3 items, at most 2 are allowed".to_owned()
        ))
    );
    // The clerk count does not bound lines.
    let one_clerk = CountLimits::DEFAULT.with_clerks(1).unwrap();
    assert!(
        bill(vec![line(1, "1", "99.00"); 500])
            .validate_within(one_clerk)
            .is_ok()
    );
}

#[test]
fn line_fields_are_checked_in_order() {
    let mut no_product = line(1, "1", "99.00");
    no_product.product_id = None;
    check(
        &bill(vec![line(1, "1", "99.00"), no_product]),
        Err((
            ErrorKind::MissingField,
            "required field Details[1].ProductId is missing",
        )),
    );
    let mut no_amount = line(1, "1", "99.00");
    no_amount.amount = None;
    check(
        &bill(vec![no_amount]),
        Err((
            ErrorKind::MissingField,
            "required field Details[0].Amount is missing",
        )),
    );
    let mut no_price = line(1, "1", "99.00");
    no_price.retail_price = None;
    check(
        &bill(vec![no_price]),
        Err((
            ErrorKind::MissingField,
            "required field Details[0].RetailPrice is missing",
        )),
    );
    check(
        &bill(vec![line(1, "0", "99.00")]),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].Amount must be greater than 0",
        )),
    );
    check(
        &bill(vec![line(1, "-1", "99.00")]),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].Amount must be greater than 0",
        )),
    );
    check(
        &bill(vec![line(1, "1.00001", "99.00")]),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].Amount has 5 decimal places, at most 4 are allowed",
        )),
    );
    check(&bill(vec![line(1, "1.00000000", "99.00")]), Ok(()));
    check(
        &bill(vec![line(1, "1", "-99.00")]),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].RetailPrice must not be negative",
        )),
    );
    check(
        &bill(vec![line(1, "1000000000000", "99.00")]),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].Amount must be below 10^12 in magnitude",
        )),
    );
    check(
        &bill(vec![discounted(line(1, "1", "99.00"), "8.50001", "10")]),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].DiscountRate has 5 decimal places, at most 4 are allowed",
        )),
    );
    let mut long_unit = line(1, "1", "99.00");
    long_unit.unit = Some("u".repeat(21));
    check(
        &bill(vec![long_unit]),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].Unit is 21 characters long, at most 20 are allowed",
        )),
    );
}

#[test]
fn gross_amounts_stay_below_ten_to_the_twelve() {
    // 10^7 × 99.00 is below 10^12; 10^11 × 99.00 is not, nor are two lines of about 5 × 10^11.
    check(&bill(vec![line(1, "10000000", "99.00")]), Ok(()));
    check(
        &bill(vec![line(1, "100000000000", "99.00")]),
        Err((
            ErrorKind::InvalidField,
            "field Details[0].Amount gives an amount of 10^12 or more",
        )),
    );
    check(
        &bill(vec![line(1, "5050505051", "99.00"); 2]),
        Err((
            ErrorKind::InvalidField,
            "field Details gives an amount of 10^12 or more",
        )),
    );
}

#[test]
fn zero_stock_is_still_a_warehouse_record() {
    check(&bill(vec![line(1, "3", "99.00")]), Ok(()));
}

#[test]
fn every_catalog_rule_has_its_kind() {
    check(
        &bill(vec![line(3, "1", "10")]),
        Err((
            ErrorKind::NoStockRecord,
            "line 1: product 3 has no warehouse record at the shop",
        )),
    );
    check(
        &bill(vec![line(4, "1", "10")]),
        Err((
            ErrorKind::NoPriceQuote,
            "line 1: product 4 has no price quote at the shop",
        )),
    );
    check(
        &bill(vec![line(99, "1", "10")]),
        Err((
            ErrorKind::NoStockRecord,
            "line 1: product 99 has no warehouse record at the shop",
        )),
    );
    check(
        &bill(vec![line(1, "1", "98.99")]),
        Err((
            ErrorKind::RetailPriceMismatch,
            "line 1: RetailPrice 98.99 of product 1 differs from the shop's current retail price 99.00",
        )),
    );
    check(
        &bill(vec![discounted(line(1, "1", "99.00"), "11", "10")]),
        Err((
            ErrorKind::InvalidDiscount,
            "line 1: invalid discount 11/10: DiscountBase must be greater than 0 and DiscountRate between 0 and DiscountBase, or both 0",
        )),
    );
    check(
        &bill(vec![discounted(line(1, "1", "99.00"), "7.9", "10")]),
        Err((
            ErrorKind::BelowLowestRetailPrice,
            "line 1: discounted price 78.21 of product 1 is below the lowest retail price 79.00",
        )),
    );
    check(
        &with(|b| b.guider_number = Some("D-000000-00".into())),
        Err((ErrorKind::UnknownGuide, "unknown guide number D-000000-00")),
    );
    check(
        &with(|b| b.guider_number = Some("D-330100-01".into())),
        Ok(()),
    );
}

#[test]
fn retail_price_compares_as_a_value() {
    // 99.0 equals the shop's 99.00.
    check(
        &bill(vec![line(1, "1", "99.0"), line(1, "1", "99")]),
        Ok(()),
    );
}

#[test]
fn discount_both_absent_or_both_zero_is_no_discount() {
    check(
        &bill(vec![discounted(line(1, "1", "99.00"), "0", "0")]),
        Ok(()),
    );
    // One of them 0 and the other not is a real fraction or no fraction at all.
    check(
        &bill(vec![discounted(line(1, "1", "99.00"), "8", "0")]),
        Err((
            ErrorKind::InvalidDiscount,
            "line 1: invalid discount 8/0: DiscountBase must be greater than 0 and DiscountRate between 0 and DiscountBase, or both 0",
        )),
    );
    // 0/10 is a 100 % discount, which only a zero floor allows.
    check(
        &bill(vec![discounted(line(1, "1", "99.00"), "0", "10")]),
        Err((
            ErrorKind::BelowLowestRetailPrice,
            "line 1: discounted price 0 of product 1 is below the lowest retail price 79.00",
        )),
    );
    check(
        &bill(vec![discounted(line(1, "1", "99.00"), "-1", "10")]),
        Err((
            ErrorKind::InvalidDiscount,
            "line 1: invalid discount -1/10: DiscountBase must be greater than 0 and DiscountRate between 0 and DiscountBase, or both 0",
        )),
    );
}

#[test]
fn a_line_gets_the_first_failing_rule_and_every_line_is_checked() {
    // Product 3 has no warehouse record and the wrong price: 2001 wins on that line.
    let draft = bill(vec![
        line(1, "1", "99.00"),
        line(3, "1", "1"),
        line(4, "1", "1"),
        discounted(line(1, "1", "99.00"), "5", "4"),
    ]);
    let content = draft.validate().unwrap();
    let Err(SellBillError::Rejected(rejection)) = price_bill(&content, &shop()) else {
        panic!("three lines fail")
    };
    let failures: Vec<(usize, ErrorKind)> = rejection
        .failures()
        .map(|f| match f {
            CatalogFailure::NoStockRecord { line_no, .. }
            | CatalogFailure::NoPriceQuote { line_no, .. }
            | CatalogFailure::RetailPriceMismatch { line_no, .. }
            | CatalogFailure::InvalidDiscount { line_no, .. }
            | CatalogFailure::BelowLowestRetailPrice { line_no, .. } => (*line_no, f.kind()),
            CatalogFailure::UnknownGuide { .. } => (0, f.kind()),
        })
        .collect();
    assert_eq!(
        failures,
        [
            (2, ErrorKind::NoStockRecord),
            (3, ErrorKind::NoPriceQuote),
            (4, ErrorKind::InvalidDiscount)
        ]
    );
    assert_eq!(rejection.kind(), ErrorKind::NoStockRecord);
    assert_eq!(
        rejection.to_string(),
        "line 2: product 3 has no warehouse record at the shop (and 2 more failures)"
    );
}

#[test]
fn line_failures_come_before_the_guide() {
    let mut draft = bill(vec![line(1, "1", "98")]);
    draft.guider_number = Some("nobody".into());
    let content = draft.validate().unwrap();
    let Err(SellBillError::Rejected(rejection)) = price_bill(&content, &shop()) else {
        panic!()
    };
    assert_eq!(rejection.kind(), ErrorKind::RetailPriceMismatch);
    assert_eq!(
        rejection.failures().last().map(|f| f.kind()),
        Some(ErrorKind::UnknownGuide)
    );
}

#[test]
fn the_seed_sample_prices_its_duplicate_lines_separately() {
    let content = seed_sample().validate().unwrap();
    let priced = price_bill(&content, &shop()).unwrap();
    let amounts: Vec<String> = priced
        .lines
        .iter()
        .map(|l| l.line_amount.to_string())
        .collect();
    assert_eq!(amounts, ["7.50", "7.50"]);
    assert_eq!(
        priced.lines.iter().map(|l| l.line_no).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(priced.totals.total.to_string(), "15.00");
    assert_eq!(priced.totals.discount.to_string(), "5.00");
}

#[test]
fn lines_keep_a_snapshot_of_the_prices_they_were_checked_against() {
    let content = bill(vec![discounted(line(1, "2", "99.0"), "8.5", "10")])
        .validate()
        .unwrap();
    let priced = price_bill(&content, &shop()).unwrap();
    let line = &priced.lines[0];
    assert_eq!(line.line.product_id, ProductId(1));
    assert_eq!(line.snapshot.listing_price.get(), d("128"));
    assert_eq!(line.snapshot.retail_price.get(), d("99"));
    assert_eq!(line.snapshot.lowest_retail_price.get(), d("79"));
    assert_eq!(line.discounted_price(), d("84.15"));
    assert_eq!(line.gross_amount.to_string(), "198.00");
    assert_eq!(line.line_amount.to_string(), "168.30");
    // The line keeps the retail price as sent, with its own scale.
    assert_eq!(line.line.retail_price.to_string(), "99.0");
}

#[test]
fn empty_optional_text_is_absent() {
    let with_empty = with(|b| {
        b.memory = Some(String::new());
        b.guider_number = Some(String::new());
    });
    assert_eq!(with_empty.validate(), with(|_| ()).validate());
}
