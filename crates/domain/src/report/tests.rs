//! The reports against independent sums: whole cents in `i128`, grouped by a linear scan rather
//! than a map, over random bills and settlements.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

fn money(cents: i64) -> Money {
    Money::new(Decimal::new(cents, 2)).unwrap_or(Money::ZERO)
}

fn cents(value: Decimal) -> i128 {
    let mut value = value;
    value.rescale(2);
    value.mantissa()
}

const STATES: [BillState; 5] = [
    BillState::Initial,
    BillState::PartPaid,
    BillState::Paid,
    BillState::Deleted,
    BillState::Closed,
];

fn bill() -> impl Strategy<Value = BillFigures> {
    (
        0..3usize,
        0..2usize,
        0..STATES.len(),
        0..10_000_000_000i64,
        0..10_000_000_000i64,
        0..10_000_000_000i64,
    )
        .prop_map(|(shop, unit, state, total, discount, paid)| BillFigures {
            shop_id: ShopId::new(format!("S00{shop}")),
            customer: CustomerUnit::new("TA", format!("C00{unit}")),
            state: STATES[state],
            total: money(total),
            discount: money(discount),
            paid: money(paid),
        })
}

fn settlement() -> impl Strategy<Value = SettlementFigures> {
    (
        1..3i64,
        0..2usize,
        any::<bool>(),
        0..10_000_000_000i64,
        0..10_000_000_000i64,
        0..10_000_000_000i64,
    )
        .prop_map(
            |(merchant, unit, platform, sales, cal, rebate)| SettlementFigures {
                merchant_id: MerchantId(merchant),
                customer: CustomerUnit::new("TA", format!("C00{unit}")),
                cal_user_type: if platform {
                    CalUserType::Platform
                } else {
                    CalUserType::Merchant
                },
                sales: money(sales),
                cal: money(cal),
                rebate: money(rebate),
            },
        )
}

#[test]
fn a_day_of_one_shop_counts_by_state_and_leaves_deleted_bills_out_of_the_amounts() {
    let unit = CustomerUnit::new("TA", "C001");
    let figures = |state, total, paid| BillFigures {
        shop_id: ShopId::new("S001"),
        customer: unit.clone(),
        state,
        total: money(total),
        discount: money(total / 10),
        paid: money(paid),
    };
    let rows = daily([
        figures(BillState::Paid, 19_800, 19_800),
        figures(BillState::Deleted, 9_900, 0),
        figures(BillState::Closed, 10_000, 5_000),
        figures(BillState::Initial, 3_990, 0),
    ]);
    assert_eq!(
        rows,
        vec![DailyRow {
            shop_id: ShopId::new("S001"),
            customer: unit,
            bills_created: 4,
            bills_paid: 1,
            bills_deleted: 1,
            bills_closed: 1,
            total_amount: Decimal::new(33_790, 2),
            paid_amount: Decimal::new(24_800, 2),
            discount_amount: Decimal::new(3_379, 2),
        }]
    );
    assert_eq!(rows[0].paid_amount.to_string(), "248.00");
    assert!(daily([]).is_empty());
}

proptest! {
    #[test]
    fn daily_rows_equal_independent_sums(bills in proptest::collection::vec(bill(), 0..60)) {
        let rows = daily(bills.clone());
        let mut keys: Vec<(ShopId, CustomerUnit)> = Vec::new();
        for bill in &bills {
            let key = (bill.shop_id.clone(), bill.customer.clone());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys.sort();
        prop_assert_eq!(rows.len(), keys.len());
        for (row, (shop, unit)) in rows.iter().zip(&keys) {
            prop_assert_eq!(&row.shop_id, shop);
            prop_assert_eq!(&row.customer, unit);
            let mine: Vec<&BillFigures> = bills
                .iter()
                .filter(|b| &b.shop_id == shop && &b.customer == unit)
                .collect();
            let count = |state| mine.iter().filter(|b| b.state == state).count() as u64;
            prop_assert_eq!(row.bills_created, mine.len() as u64);
            prop_assert_eq!(row.bills_paid, count(BillState::Paid));
            prop_assert_eq!(row.bills_deleted, count(BillState::Deleted));
            prop_assert_eq!(row.bills_closed, count(BillState::Closed));
            let live = mine.iter().filter(|b| b.state != BillState::Deleted);
            let total: i128 = live.clone().map(|b| cents(b.total.get())).sum();
            let discount: i128 = live.map(|b| cents(b.discount.get())).sum();
            let paid: i128 = mine.iter().map(|b| cents(b.paid.get())).sum();
            prop_assert_eq!(cents(row.total_amount), total);
            prop_assert_eq!(cents(row.discount_amount), discount);
            prop_assert_eq!(cents(row.paid_amount), paid);
            prop_assert_eq!(row.total_amount.scale(), 2);
        }
    }

    #[test]
    fn rebate_rows_equal_independent_sums(
        settlements in proptest::collection::vec(settlement(), 0..60)
    ) {
        let rows = rebates(settlements.clone());
        prop_assert_eq!(
            rows.iter().map(|r| r.settlements).sum::<u64>(),
            settlements.len() as u64
        );
        for pair in rows.windows(2) {
            let key = |r: &RebateRow| (r.merchant_id, r.customer.clone(), r.cal_user_type);
            prop_assert!(key(&pair[0]) < key(&pair[1]), "rows in key order, each key once");
        }
        for row in &rows {
            let mine: Vec<&SettlementFigures> = settlements
                .iter()
                .filter(|s| {
                    s.merchant_id == row.merchant_id
                        && s.customer == row.customer
                        && s.cal_user_type == row.cal_user_type
                })
                .collect();
            prop_assert_eq!(row.settlements, mine.len() as u64);
            let sum = |pick: fn(&SettlementFigures) -> Money| -> i128 {
                mine.iter().map(|s| cents(pick(s).get())).sum()
            };
            prop_assert_eq!(cents(row.sales_amount), sum(|s| s.sales));
            prop_assert_eq!(cents(row.cal_amount), sum(|s| s.cal));
            prop_assert_eq!(cents(row.rebate_amount), sum(|s| s.rebate));
        }
    }
}
