//! Settlement rules against the account, the sell bills and the ledger (4001–4005), and amounts.

use super::fixture::*;
use crate::error_kind::ErrorKind;
use crate::ids::{BillNum, ProductId};
use crate::settlement::{LineAllocation, SettlementError, check_replay};

fn check(
    world: &mut World,
    draft: &crate::settlement::SettlementDraft,
    expect: Result<(), (ErrorKind, &str)>,
) {
    let got = world
        .settle(draft)
        .map(|_| ())
        .map_err(|e| (e.kind(), e.to_string()));
    assert_eq!(
        got,
        expect.map_err(|(kind, message)| (kind, message.to_owned()))
    );
}

#[test]
fn the_header_must_belong_to_the_account() {
    let mut world = world();
    let one = || vec![detail(1, "B-PAID", 1, "1", "50")];
    let mut other_merchant = settlement("JS-1", one());
    other_merchant.merchant_id = Some(3);
    check(
        &mut world,
        &other_merchant,
        Err((
            ErrorKind::OwnerMismatch,
            "MerchantId 3 does not match the account's merchant 2",
        )),
    );
    let mut other_shop = settlement("JS-1", one());
    other_shop.shop_id = Some("S999".into());
    check(
        &mut world,
        &other_shop,
        Err((
            ErrorKind::OwnerMismatch,
            "ShopId S999 does not match a shop of merchant 2",
        )),
    );
    world.rate = None;
    check(
        &mut world,
        &settlement("JS-1", one()),
        Err((
            ErrorKind::OwnerMismatch,
            "CustomerId TA/C001 does not match a known customer unit",
        )),
    );
}

#[test]
fn detail_keys_are_empty_or_the_headers() {
    let mut world = world();
    let mut same = detail(1, "B-PAID", 1, "1", "50");
    same.bill_num = Some("JS-1".into());
    same.merchant_id = Some(2);
    same.shop_id = Some("S001".into());
    let mut zero = detail(2, "B-PAID", 2, "1", "1");
    zero.merchant_id = Some(0);
    zero.shop_id = Some(String::new());
    check(&mut world, &settlement("JS-1", vec![same, zero]), Ok(()));

    let mut other_bill = detail(1, "B-PAID", 1, "1", "50");
    other_bill.bill_num = Some("JS-X".into());
    check(
        &mut world,
        &settlement("JS-2", vec![other_bill]),
        Err((
            ErrorKind::OwnerMismatch,
            "Details[0].BillNum JS-X does not match the header's JS-2",
        )),
    );
    let mut other_merchant = detail(1, "B-PAID", 1, "1", "50");
    other_merchant.merchant_id = Some(4);
    check(
        &mut world,
        &settlement("JS-2", vec![other_merchant]),
        Err((
            ErrorKind::OwnerMismatch,
            "Details[0].MerchantId 4 does not match the header's 2",
        )),
    );
    let mut other_shop = detail(1, "B-PAID", 1, "1", "50");
    other_shop.shop_id = Some("S002".into());
    check(
        &mut world,
        &settlement("JS-2", vec![other_shop]),
        Err((
            ErrorKind::OwnerMismatch,
            "Details[0].ShopId S002 does not match the header's S001",
        )),
    );
}

#[test]
fn only_paid_bills_of_the_shop_and_unit_with_the_product_can_be_settled() {
    let mut world = world();
    let not_found = "sell bill {} is not found for this shop and customer unit";
    for bill in ["B-NONE", "B-OTHER-SHOP", "B-OTHER-UNIT"] {
        let message = format!("Details[0]: {}", not_found.replace("{}", bill));
        check(
            &mut world,
            &settlement("JS-1", vec![detail(1, bill, 1, "1", "50")]),
            Err((ErrorKind::SellBillNotSettleable, &message)),
        );
    }
    check(
        &mut world,
        &settlement("JS-1", vec![detail(1, "B-PART", 1, "1", "50")]),
        Err((
            ErrorKind::SellBillNotSettleable,
            "Details[0]: sell bill B-PART is PartPaid, not Paid",
        )),
    );
    check(
        &mut world,
        &settlement("JS-1", vec![detail(1, "B-PAID", 4, "1", "50")]),
        Err((
            ErrorKind::SellBillNotSettleable,
            "Details[0]: sell bill B-PAID has no line of product 4",
        )),
    );
}

#[test]
fn prices_must_equal_the_snapshot_and_cal_price_stay_within_retail() {
    let mut world = world();
    let mut retail = detail(1, "B-PAID", 1, "1", "50");
    retail.retail_price = Some(d("98"));
    check(
        &mut world,
        &settlement("JS-1", vec![retail]),
        Err((
            ErrorKind::SettlementPriceMismatch,
            "Details[0].RetailPrice is 98, expected the sell bill's 99.00",
        )),
    );
    let mut lowest = detail(1, "B-PAID", 1, "1", "50");
    lowest.lowest_retail_price = Some(d("80"));
    check(
        &mut world,
        &settlement("JS-1", vec![lowest]),
        Err((
            ErrorKind::SettlementPriceMismatch,
            "Details[0].LowestRetailPrice is 80, expected the sell bill's 79.00",
        )),
    );
    let mut listing = detail(1, "B-PAID", 1, "1", "50");
    listing.listing_price = Some(d("127"));
    check(
        &mut world,
        &settlement("JS-1", vec![listing]),
        Err((
            ErrorKind::SettlementPriceMismatch,
            "Details[0].ListingPrice is 127, expected the sell bill's 128.00",
        )),
    );
    check(
        &mut world,
        &settlement("JS-1", vec![detail(1, "B-PAID", 1, "1", "99.01")]),
        Err((
            ErrorKind::SettlementPriceMismatch,
            "Details[0].CalPrice is 99.01, expected between 0 and the RetailPrice 99.00",
        )),
    );
    // 99.0 equals 99.00, and CalPrice may be 0 or the retail price itself.
    let mut spelled = detail(1, "B-PAID", 1, "1", "99.0");
    spelled.retail_price = Some(d("99.0"));
    check(
        &mut world,
        &settlement("JS-1", vec![spelled, detail(2, "B-PAID", 2, "1", "0")]),
        Ok(()),
    );
}

#[test]
fn settled_quantity_never_exceeds_the_sold_quantity() {
    let mut world = world();
    // Product 1 sold 3 on B-PAID (lines 1 and 3).
    check(
        &mut world,
        &settlement("JS-1", vec![detail(1, "B-PAID", 1, "3.0001", "1")]),
        Err((
            ErrorKind::OverSettled,
            "Details[0]: settling 3.0001 of product 1 on sell bill B-PAID exceeds the 3 sold, of which 0 are already settled",
        )),
    );
    // Within one settlement, details add up.
    let split = vec![
        detail(1, "B-PAID", 1, "2", "1"),
        detail(2, "B-PAID", 1, "1.5", "1"),
    ];
    check(
        &mut world,
        &settlement("JS-1", split),
        Err((
            ErrorKind::OverSettled,
            "Details[1]: settling 1.5 of product 1 on sell bill B-PAID exceeds the 3 sold, of which 2 are already settled",
        )),
    );
    // Across settlements, the ledger remembers.
    check(
        &mut world,
        &settlement("JS-1", vec![detail(1, "B-PAID", 1, "2", "1")]),
        Ok(()),
    );
    check(
        &mut world,
        &settlement("JS-2", vec![detail(1, "B-PAID", 1, "1", "1")]),
        Ok(()),
    );
    check(
        &mut world,
        &settlement("JS-3", vec![detail(1, "B-PAID", 1, "0.0001", "1")]),
        Err((
            ErrorKind::OverSettled,
            "Details[0]: settling 0.0001 of product 1 on sell bill B-PAID exceeds the 3 sold, of which 3 are already settled",
        )),
    );
    // Other products and bills are untouched.
    check(
        &mut world,
        &settlement(
            "JS-3",
            vec![
                detail(1, "B-PAID", 2, "3", "1"),
                detail(2, "B-PAID-2", 1, "3", "1"),
            ],
        ),
        Ok(()),
    );
    assert_eq!(
        world.settled.get(&BillNum::new("B-PAID"), ProductId(1)),
        d("3")
    );
}

#[test]
fn a_failed_settlement_settles_nothing_and_reports_every_detail() {
    let mut world = world();
    let draft = settlement(
        "JS-1",
        vec![
            detail(1, "B-PAID", 1, "1", "1"),
            detail(2, "B-PART", 1, "1", "1"),
            detail(3, "B-PAID", 1, "5", "1"),
        ],
    );
    let Err(SettlementError::Rejected(rejection)) = world.settle(&draft) else {
        panic!()
    };
    let kinds: Vec<ErrorKind> = rejection.failures().map(|f| f.kind()).collect();
    assert_eq!(
        kinds,
        [ErrorKind::SellBillNotSettleable, ErrorKind::OverSettled]
    );
    assert_eq!(world.settled, crate::settlement::SettledQuantities::new());
}

#[test]
fn amounts_follow_the_contract() {
    let mut world = world();
    // 2.5 of product 1: 2 from line 1 at 84.15 (168.30) and 0.5 from line 3 at 99.00 (49.50).
    // 3 of product 2 at 5.0 with no discount: 15.00, cal 3 × 1.2345 = 3.7035 → 3.70.
    let draft = settlement(
        "JS-1",
        vec![
            detail(1, "B-PAID", 1, "2.5", "50"),
            detail(2, "B-PAID", 2, "3", "1.2345"),
        ],
    );
    let settled = world.settle(&draft).unwrap();
    assert_eq!(
        settled.details[0].allocations,
        [
            LineAllocation {
                line_no: 1,
                quantity: d("2")
            },
            LineAllocation {
                line_no: 3,
                quantity: d("0.5")
            }
        ]
    );
    assert_eq!(settled.details[0].sales_amount.to_string(), "217.80");
    assert_eq!(settled.details[0].cal_amount.to_string(), "125.00");
    assert_eq!(settled.details[1].sales_amount.to_string(), "15.00");
    assert_eq!(settled.details[1].cal_amount.to_string(), "3.70");
    assert_eq!(settled.sales_amount.to_string(), "232.80");
    assert_eq!(settled.cal_amount.to_string(), "128.70");
    // 128.70 × 0.30 = 38.61
    assert_eq!(settled.rebate_amount.to_string(), "38.61");
    // The next settlement of product 1 takes the rest of line 3.
    let rest = world
        .settle(&settlement(
            "JS-2",
            vec![detail(1, "B-PAID", 1, "0.5", "0")],
        ))
        .unwrap();
    assert_eq!(
        rest.details[0].allocations,
        [LineAllocation {
            line_no: 3,
            quantity: d("0.5")
        }]
    );
    assert_eq!(rest.details[0].sales_amount.to_string(), "49.50");
    assert_eq!(rest.rebate_amount.to_string(), "0.00");
}

#[test]
fn rebate_rounds_half_up() {
    let mut world = world();
    world.rate = Some(crate::amounts::RebateRate::new(d("0.0005")).unwrap());
    // cal 10.00 × 0.0005 = 0.005 → 0.01
    let settled = world
        .settle(&settlement("JS-1", vec![detail(1, "B-PAID", 2, "2", "5")]))
        .unwrap();
    assert_eq!(settled.rebate_amount.to_string(), "0.01");
}

#[test]
fn a_bill_num_replays_identical_content_and_refuses_other_content() {
    let first = settlement("JS-1", vec![detail(1, "B-PAID", 1, "1", "50")])
        .validate()
        .unwrap();
    let same_values = {
        let mut draft = settlement("JS-1", vec![detail(1, "B-PAID", 1, "1.000", "50.00")]);
        draft.is_pay_by_cash = Some("0".into());
        draft.validate().unwrap()
    };
    assert_eq!(check_replay(&first, &same_values), Ok(()));
    let other = settlement("JS-1", vec![detail(1, "B-PAID", 1, "2", "50")])
        .validate()
        .unwrap();
    let err = check_replay(&first, &other).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SettlementBillNumReused);
    assert_eq!(
        err.to_string(),
        "settlement BillNum JS-1 was already used with other content"
    );
}
