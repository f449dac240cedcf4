//! Strategies for paid sell bills and settlement sequences over them.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

use super::bills::{GeneratedCatalog, catalog, valid_bill};
use crate::amounts::RebateRate;
use crate::calendar::Timestamp;
use crate::ids::{BillNum, CustomerUnit, MerchantId, PayNum, ShopId};
use crate::money::Money;
use crate::sell_bill::{Channel, PaymentRequest, SellBill};
use crate::settlement::{SettlementDetailDraft, SettlementDraft};

/// A merchant's shop with paid sell bills of one customer unit, ready to be settled.
#[derive(Debug, Clone)]
pub struct SettlementWorld {
    /// The shop's catalog.
    pub catalog: GeneratedCatalog,
    /// The merchant settling.
    pub merchant_id: MerchantId,
    /// The merchant's shops.
    pub merchant_shops: BTreeSet<ShopId>,
    /// The shop the bills were sold in.
    pub shop_id: ShopId,
    /// The customer unit the bills belong to.
    pub customer: CustomerUnit,
    /// Its rebate rate.
    pub rebate_rate: RebateRate,
    /// Paid sell bills by `BillNum`, plus one that is only part paid (`B-UNPAID`).
    pub bills: BTreeMap<BillNum, SellBill>,
}

impl SettlementWorld {
    /// The channel the bills were sold through.
    pub fn channel(&self) -> Channel {
        Channel {
            shop_id: self.shop_id.clone(),
            customer: self.customer.clone(),
        }
    }
}

/// A world with 1 to 4 paid bills of up to 5 lines and a rebate rate from 0 to 1.
pub fn world() -> impl Strategy<Value = SettlementWorld> {
    (catalog(), 0u32..=10_000).prop_flat_map(|(generated, rate)| {
        let bills = proptest::collection::vec(valid_bill(&generated, 5), 2..=5);
        (Just(generated), Just(rate), bills).prop_filter_map(
            "bills must be created and paid",
            |(generated, rate, drafts)| {
                let shop_id = ShopId::new("S001");
                let customer = CustomerUnit::new("TA", "C001");
                let channel = Channel {
                    shop_id: shop_id.clone(),
                    customer: customer.clone(),
                };
                let cent = Money::new(Decimal::new(1, 2)).ok()?;
                let mut bills = BTreeMap::new();
                for (n, draft) in drafts.iter().enumerate() {
                    let content = draft.validate().ok()?;
                    let last = n + 1 == drafts.len();
                    let bill_num = if last {
                        BillNum::new("B-UNPAID")
                    } else {
                        BillNum::new(format!("B{n}"))
                    };
                    let (mut bill, _) = SellBill::create(
                        bill_num.clone(),
                        &channel,
                        content,
                        &generated.catalog,
                        Timestamp(0),
                    )
                    .ok()?;
                    // The others are paid in full; the last is paid all but a cent when it can be,
                    // so it stays PartPaid (or Initial).
                    let amount = match bill.outstanding().checked_sub(cent) {
                        _ if !last => Some(None),
                        Ok(all_but_a_cent) if !all_but_a_cent.is_zero() => {
                            Some(Some(all_but_a_cent))
                        }
                        _ => None,
                    };
                    if let Some(amount) = amount {
                        let request = PaymentRequest {
                            pay_num: PayNum::new("PAY-1"),
                            amount,
                            pay_type: None,
                            memory: None,
                        };
                        bill.pay(&request, Timestamp(1)).ok()?;
                    }
                    bills.insert(bill_num, bill);
                }
                Some(SettlementWorld {
                    catalog: generated,
                    merchant_id: MerchantId(2),
                    merchant_shops: BTreeSet::from([shop_id.clone(), ShopId::new("S002")]),
                    shop_id,
                    customer,
                    rebate_rate: RebateRate::new(Decimal::new(i64::from(rate), 4)).ok()?,
                    bills,
                })
            },
        )
    })
}

/// A detail naming a line of one of the world's bills, with the line's snapshot prices, a quantity
/// from a tenth to the whole of the line (sometimes more), and a `CalPrice` up to the retail price.
pub fn detail(world: &SettlementWorld) -> impl Strategy<Value = SettlementDetailDraft> + use<> {
    let lines: Vec<(BillNum, usize)> = world
        .bills
        .iter()
        .flat_map(|(num, bill)| {
            (0..bill.record().priced.lines.len()).map(move |i| (num.clone(), i))
        })
        .collect();
    let bills = world.bills.clone();
    (select(lines), 1u32..=12, 0u32..=100).prop_map(
        move |((bill_num, index), tenths, cal_percent)| {
            let line = bills
                .get(&bill_num)
                .and_then(|b| b.record().priced.lines.get(index).cloned());
            let (product, sold, snapshot) = match line {
                Some(line) => (
                    line.line.product_id.0,
                    line.line.amount.get(),
                    Some(line.snapshot),
                ),
                None => (0, Decimal::ONE, None),
            };
            let amount = (sold * Decimal::from(tenths) / Decimal::from(10))
                .round_dp(4)
                .max(Decimal::new(1, 4));
            let retail = snapshot.map_or(Decimal::ZERO, |s| s.retail_price.get());
            let cal_price = (retail * Decimal::from(cal_percent) / Decimal::from(100))
                .round_dp(4)
                .min(retail);
            SettlementDetailDraft {
                sell_bill_num: Some(bill_num.as_str().to_owned()),
                product_id: Some(product),
                amount: Some(amount),
                listing_price: snapshot.map(|s| s.listing_price.get()),
                retail_price: Some(retail),
                lowest_retail_price: snapshot.map(|s| s.lowest_retail_price.get()),
                cal_price: Some(cal_price),
                product_name: Some("丝巾 <scarf> & co".into()),
                ..SettlementDetailDraft::default()
            }
        },
    )
}

/// A settlement of the world's merchant, shop and customer unit with 1 to 5 details.
pub fn settlement(
    world: &SettlementWorld,
    bill_num: String,
) -> impl Strategy<Value = SettlementDraft> + use<> {
    let header = SettlementDraft {
        bill_num: Some(bill_num),
        merchant_id: Some(world.merchant_id.0),
        shop_id: Some(world.shop_id.as_str().to_owned()),
        happen_date: Some("20241231".into()),
        happen_time: Some("235959".into()),
        customer_type: Some(world.customer.customer_type.clone()),
        customer_id: Some(world.customer.customer_id.clone()),
        cal_user_type: Some("2".into()),
        ..SettlementDraft::default()
    };
    proptest::collection::vec(detail(world), 1..=5).prop_map(move |details| {
        let details = details
            .into_iter()
            .zip(1..)
            .map(|(detail, auto_id)| SettlementDetailDraft {
                auto_id: Some(auto_id),
                ..detail
            })
            .collect();
        SettlementDraft {
            details,
            ..header.clone()
        }
    })
}

/// A world and a sequence of 1 to `max` settlements over it, each with its own `BillNum`.
pub fn settlement_sequence(
    max: usize,
) -> impl Strategy<Value = (SettlementWorld, Vec<SettlementDraft>)> {
    (world(), 1..=max.max(1)).prop_flat_map(|(world, count)| {
        let drafts: Vec<_> = (0..count)
            .map(|n| settlement(&world, format!("JS-{n}")))
            .collect();
        (Just(world), drafts)
    })
}
