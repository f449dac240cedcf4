//! The operators' reports (CONTRACT §10), as exact sums over what the store hands over: a day's
//! sell bills per shop and customer unit, and rebates per merchant, customer unit and payer.
//!
//! Which bills belong to a day and which settlements to a date range is the caller's selection
//! (the business time zone lives outside the domain); this module only groups and adds. Sums are
//! plain decimals with 2 places: a report total is not an amount of one bill, so it has no
//! 10^12 cap that could make a report fail.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::ids::{CustomerUnit, MerchantId, ShopId};
use crate::money::Money;
use crate::sell_bill::{BillRecord, BillState};
use crate::settlement::{CalUserType, Settlement};

/// Zero with the 2 places of money, so an empty sum prints as `0.00`.
const ZERO: Decimal = Decimal::from_parts(0, 0, 0, false, 2);

/// What the daily report needs of one sell bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillFigures {
    /// The shop it was sold in.
    pub shop_id: ShopId,
    /// Its customer unit.
    pub customer: CustomerUnit,
    /// Its state now.
    pub state: BillState,
    /// `TotalAmount`.
    pub total: Money,
    /// `DiscountAmount`.
    pub discount: Money,
    /// The sum of its payments.
    pub paid: Money,
}

impl From<&BillRecord> for BillFigures {
    fn from(record: &BillRecord) -> BillFigures {
        BillFigures {
            shop_id: record.shop_id.clone(),
            customer: record.customer.clone(),
            state: record.state,
            total: record.priced.totals.total,
            discount: record.priced.totals.discount,
            paid: record.paid_amount,
        }
    }
}

/// One row of the daily report: the bills of one shop and customer unit created that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyRow {
    /// `shopId`.
    pub shop_id: ShopId,
    /// `customerType` and `customerId`.
    pub customer: CustomerUnit,
    /// `billsCreated`: every bill, whatever its state now.
    pub bills_created: u64,
    /// `billsPaid`: bills in state `Paid` now.
    pub bills_paid: u64,
    /// `billsDeleted`.
    pub bills_deleted: u64,
    /// `billsClosed`.
    pub bills_closed: u64,
    /// `totalAmount`: deleted bills left out.
    pub total_amount: Decimal,
    /// `paidAmount`: every payment, closed bills' included.
    pub paid_amount: Decimal,
    /// `discountAmount`: deleted bills left out.
    pub discount_amount: Decimal,
}

/// The daily report's rows, one per (shop, customer unit), in that order.
pub fn daily(bills: impl IntoIterator<Item = BillFigures>) -> Vec<DailyRow> {
    let mut rows: BTreeMap<(ShopId, CustomerUnit), DailyRow> = BTreeMap::new();
    for bill in bills {
        let row = rows
            .entry((bill.shop_id.clone(), bill.customer.clone()))
            .or_insert_with(|| DailyRow {
                shop_id: bill.shop_id.clone(),
                customer: bill.customer.clone(),
                bills_created: 0,
                bills_paid: 0,
                bills_deleted: 0,
                bills_closed: 0,
                total_amount: ZERO,
                paid_amount: ZERO,
                discount_amount: ZERO,
            });
        row.bills_created += 1;
        match bill.state {
            BillState::Paid => row.bills_paid += 1,
            BillState::Deleted => row.bills_deleted += 1,
            BillState::Closed => row.bills_closed += 1,
            BillState::Initial | BillState::PartPaid => {}
        }
        if bill.state != BillState::Deleted {
            row.total_amount += bill.total.get();
            row.discount_amount += bill.discount.get();
        }
        row.paid_amount += bill.paid.get();
    }
    rows.into_values().collect()
}

/// What the rebate report needs of one settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementFigures {
    /// `MerchantId`.
    pub merchant_id: MerchantId,
    /// Its customer unit.
    pub customer: CustomerUnit,
    /// `CalUserType`: who pays the rebate.
    pub cal_user_type: CalUserType,
    /// `salesAmount`.
    pub sales: Money,
    /// `calAmount`.
    pub cal: Money,
    /// `rebateAmount`.
    pub rebate: Money,
}

impl From<&Settlement> for SettlementFigures {
    fn from(settlement: &Settlement) -> SettlementFigures {
        SettlementFigures {
            merchant_id: settlement.content.merchant_id,
            customer: settlement.content.customer.clone(),
            cal_user_type: settlement.content.cal_user_type,
            sales: settlement.sales_amount,
            cal: settlement.cal_amount,
            rebate: settlement.rebate_amount,
        }
    }
}

/// One row of the rebate report: the settlements of one merchant, customer unit and payer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebateRow {
    /// `merchantId`.
    pub merchant_id: MerchantId,
    /// `customerType` and `customerId`.
    pub customer: CustomerUnit,
    /// `calUserType`.
    pub cal_user_type: CalUserType,
    /// `settlements`: how many.
    pub settlements: u64,
    /// `salesAmount`.
    pub sales_amount: Decimal,
    /// `calAmount`.
    pub cal_amount: Decimal,
    /// `rebateAmount`.
    pub rebate_amount: Decimal,
}

/// The rebate report's rows, one per (merchant, customer unit, payer), in that order.
pub fn rebates(settlements: impl IntoIterator<Item = SettlementFigures>) -> Vec<RebateRow> {
    let mut rows: BTreeMap<(MerchantId, CustomerUnit, CalUserType), RebateRow> = BTreeMap::new();
    for settlement in settlements {
        let key = (
            settlement.merchant_id,
            settlement.customer.clone(),
            settlement.cal_user_type,
        );
        let row = rows.entry(key).or_insert_with(|| RebateRow {
            merchant_id: settlement.merchant_id,
            customer: settlement.customer.clone(),
            cal_user_type: settlement.cal_user_type,
            settlements: 0,
            sales_amount: ZERO,
            cal_amount: ZERO,
            rebate_amount: ZERO,
        });
        row.settlements += 1;
        row.sales_amount += settlement.sales.get();
        row.cal_amount += settlement.cal.get();
        row.rebate_amount += settlement.rebate.get();
    }
    rows.into_values().collect()
}

#[cfg(test)]
mod tests;
