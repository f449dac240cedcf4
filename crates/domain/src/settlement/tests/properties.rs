//! Properties of settlement sequences: never more settled than sold, exact amounts.

use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::error_kind::ErrorKind;
use crate::ids::{BillNum, ProductId};
use crate::settlement::{SettledQuantities, SettlementContext, SettlementError, settle};
use crate::testing::decimals::reference_amount;
use crate::testing::settlements::{SettlementWorld, settlement_sequence};

fn sold(world: &SettlementWorld, bill: &BillNum, product: ProductId) -> Decimal {
    world.bills.get(bill).map_or(Decimal::ZERO, |b| {
        b.record()
            .priced
            .lines
            .iter()
            .filter(|l| l.line.product_id == product)
            .map(|l| l.line.amount.get())
            .sum()
    })
}

proptest! {
    #[test]
    fn random_settlements_never_settle_more_than_was_sold(
        (world, drafts) in settlement_sequence(8),
    ) {
        let mut ledger = SettledQuantities::new();
        for draft in &drafts {
            let content = draft.validate().unwrap();
            let context = SettlementContext {
                merchant_id: world.merchant_id,
                merchant_shops: &world.merchant_shops,
                rebate_rate: Some(world.rebate_rate),
                sell_bills: &world.bills,
                settled: &ledger,
            };
            // A naive restatement of 4002 and 4003 for this settlement.
            let mut naive = ledger.clone();
            let mut expected_kinds = Vec::new();
            for detail in &content.details {
                let bill = world.bills.get(&detail.sell_bill_num);
                if bill.is_none_or(|b| b.state() != crate::sell_bill::BillState::Paid) {
                    expected_kinds.push(ErrorKind::SellBillNotSettleable);
                    continue;
                }
                let total = naive.get(&detail.sell_bill_num, detail.product_id) + detail.amount.get();
                if total > sold(&world, &detail.sell_bill_num, detail.product_id) {
                    expected_kinds.push(ErrorKind::OverSettled);
                } else {
                    naive.add(&detail.sell_bill_num, detail.product_id, detail.amount.get());
                }
            }
            match settle(content.clone(), &context) {
                Ok(settlement) => {
                    prop_assert!(expected_kinds.is_empty(), "accepted, expected {:?}", expected_kinds);
                    // Amounts against independent sums.
                    let cal: Decimal = content.details.iter()
                        .map(|d| reference_amount(d.amount.get(), d.cal_price.get(), Decimal::ONE, Decimal::ONE))
                        .sum();
                    prop_assert_eq!(settlement.cal_amount.get(), cal);
                    let rebate = reference_amount(cal, world.rebate_rate.get(), Decimal::ONE, Decimal::ONE);
                    prop_assert_eq!(settlement.rebate_amount.get(), rebate);
                    for (detail, settled) in content.details.iter().zip(&settlement.details) {
                        let allocated: Decimal = settled.allocations.iter().map(|a| a.quantity).sum();
                        prop_assert_eq!(allocated, detail.amount.get());
                    }
                    for (bill, product, quantity) in settlement.increments().iter() {
                        ledger.add(bill, product, quantity);
                    }
                    prop_assert_eq!(&ledger, &naive);
                }
                Err(SettlementError::Rejected(rejection)) => {
                    let kinds: Vec<ErrorKind> = rejection.failures().map(|f| f.kind()).collect();
                    prop_assert_eq!(kinds, expected_kinds);
                }
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
            for (bill, product, quantity) in ledger.iter() {
                prop_assert!(quantity <= sold(&world, bill, product), "over-settled {} {}", bill, product);
            }
        }
    }
}
