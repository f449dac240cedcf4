//! Checking a settlement against the account, the sell bills and the ledger, and its amounts.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::content::{SettlementContent, SettlementDetail};
use super::error::{
    NotSettleable, PriceExpectation, SettlementError, SettlementFailure, SettlementRejection,
};
use super::ledger::{LineAllocation, SettledQuantities, allocate};
use crate::amounts::{Quantity, RebateRate, UnitPrice};
use crate::exact::round_product;
use crate::field::{FieldError, FieldPath, FieldProblem};
use crate::ids::{BillNum, MerchantId, ShopId};
use crate::money::{Money, MoneyError};
use crate::pricing::line_amount;
use crate::sell_bill::{BillState, PricedLine, SellBill};

/// What the rules need besides the settlement itself.
#[derive(Debug, Clone, Copy)]
pub struct SettlementContext<'a> {
    /// The merchant of the account submitting it.
    pub merchant_id: MerchantId,
    /// The shops of that merchant.
    pub merchant_shops: &'a BTreeSet<ShopId>,
    /// The rebate rate of the header's customer unit, or `None` when no such unit exists.
    pub rebate_rate: Option<RebateRate>,
    /// The sell bills the details name, by server `BillNum`, those that exist (any owner).
    pub sell_bills: &'a BTreeMap<BillNum, SellBill>,
    /// Quantities settled by earlier settlements.
    pub settled: &'a SettledQuantities,
}

/// An accepted settlement with its amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// The content as submitted.
    pub content: SettlementContent,
    /// The customer unit's rebate rate when it was accepted.
    pub rebate_rate: RebateRate,
    /// Per detail, in order: its amounts and the sell bill lines it took quantity from.
    pub details: Vec<SettledDetail>,
    /// `salesAmount`: Σ of the details' sales amounts.
    pub sales_amount: Money,
    /// `calAmount`: Σ of the details' cal amounts.
    pub cal_amount: Money,
    /// `rebateAmount`: `round_half_up(calAmount × rebateRate, 2)`.
    pub rebate_amount: Money,
}

/// The amounts of one detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledDetail {
    /// `Σ round_half_up(q × DiscountedPrice, 2)` over the sell lines it settles, the discounted
    /// price exact (`RetailPrice × DiscountRate / DiscountBase`, dividing last).
    pub sales_amount: Money,
    /// `round_half_up(Amount × CalPrice, 2)`.
    pub cal_amount: Money,
    /// The quantity taken from each sell bill line, in line order.
    pub allocations: Vec<LineAllocation>,
}

impl Settlement {
    /// The quantities this settlement adds to the ledger, per (sell bill, product).
    pub fn increments(&self) -> SettledQuantities {
        let mut increments = SettledQuantities::new();
        for detail in &self.content.details {
            increments.add(
                &detail.sell_bill_num,
                detail.product_id,
                detail.amount.get(),
            );
        }
        increments
    }
}

/// Idempotency on (merchant, `BillNum`): a settlement that arrives again is a replay when its
/// content is identical to the stored one, and 4001 otherwise. Check this before [`settle`]: the
/// stored settlement's own quantities are in the ledger.
pub fn check_replay(
    stored: &SettlementContent,
    incoming: &SettlementContent,
) -> Result<(), SettlementError> {
    if stored == incoming {
        Ok(())
    } else {
        Err(SettlementError::BillNumReused {
            bill_num: incoming.bill_num.clone(),
        })
    }
}

/// Checks a new settlement and computes its amounts.
///
/// The header must belong to the account: its `MerchantId` (4005), a `ShopId` of that merchant
/// (4005) and a known customer unit (4005). Then each detail, in order, gets at most one failure,
/// the first of: its `BillNum`, `MerchantId` and `ShopId` are empty or the header's (4005); it
/// names a `Paid` sell bill of the header's shop and customer unit with the product on it (4002);
/// `RetailPrice`, `LowestRetailPrice` and `ListingPrice` equal the bill's snapshot and
/// `0 <= CalPrice <= RetailPrice` (4004); with every earlier settlement and earlier detail, the
/// quantity settled of that (sell bill, product) stays within the quantity sold (4003).
pub fn settle(
    content: SettlementContent,
    context: &SettlementContext<'_>,
) -> Result<Settlement, SettlementError> {
    let rebate_rate = check_header(&content, context)?;
    let mut working = context.settled.clone();
    let mut failures = Vec::new();
    let mut allocated = Vec::with_capacity(content.details.len());
    for (index, detail) in content.details.iter().enumerate() {
        let path = FieldPath::new("Details").at(index);
        match allocate_detail(&path, &content, detail, context, &mut working) {
            Ok(lines) => allocated.push(lines),
            Err(failure) => failures.push(failure),
        }
    }
    if let Some(rejection) = SettlementRejection::from_failures(failures) {
        return Err(rejection.into());
    }
    // Every amount is bounded by the sell bills' own amounts, each below 10^12; only the sum
    // over many bills can reach the bound, and then the settlement is too large to accept.
    let too_large = |_: MoneyError| {
        FieldError::invalid(&FieldPath::new("Details"), FieldProblem::AmountTooLarge)
    };
    let details = content
        .details
        .iter()
        .zip(allocated)
        .map(|(detail, (lines, allocations))| detail_amounts(detail, &lines, allocations))
        .collect::<Result<Vec<_>, MoneyError>>()
        .map_err(too_large)?;
    let (sales_amount, cal_amount, rebate_amount) =
        totals(&details, rebate_rate).map_err(too_large)?;
    Ok(Settlement {
        content,
        rebate_rate,
        details,
        sales_amount,
        cal_amount,
        rebate_amount,
    })
}

fn check_header(
    content: &SettlementContent,
    context: &SettlementContext<'_>,
) -> Result<RebateRate, SettlementRejection> {
    let mismatch =
        |field: &str, given: String, expected: String| SettlementFailure::OwnerMismatch {
            field: FieldPath::new(field),
            given,
            expected,
        };
    let unknown_customer = || {
        mismatch(
            "CustomerId",
            content.customer.to_string(),
            "a known customer unit".into(),
        )
    };
    let mut failures = Vec::new();
    if content.merchant_id != context.merchant_id {
        let expected = format!("the account's merchant {}", context.merchant_id);
        failures.push(mismatch(
            "MerchantId",
            content.merchant_id.to_string(),
            expected,
        ));
    } else if !context.merchant_shops.contains(&content.shop_id) {
        let expected = format!("a shop of merchant {}", context.merchant_id);
        failures.push(mismatch("ShopId", content.shop_id.to_string(), expected));
    }
    if context.rebate_rate.is_none() {
        failures.push(unknown_customer());
    }
    match SettlementRejection::from_failures(failures) {
        Some(rejection) => Err(rejection),
        None => context
            .rebate_rate
            .ok_or_else(|| SettlementRejection::single(unknown_customer())),
    }
}

/// The sell bill lines of the detail's product, and the quantity taken from each.
type Allocated<'a> = (Vec<&'a PricedLine>, Vec<LineAllocation>);

fn allocate_detail<'a>(
    path: &FieldPath,
    content: &SettlementContent,
    detail: &SettlementDetail,
    context: &SettlementContext<'a>,
    working: &mut SettledQuantities,
) -> Result<Allocated<'a>, SettlementFailure> {
    check_detail_owner(path, content, detail)?;
    let not_settleable = |reason| SettlementFailure::NotSettleable {
        detail: path.clone(),
        sell_bill_num: detail.sell_bill_num.clone(),
        reason,
    };
    let bill = context
        .sell_bills
        .get(&detail.sell_bill_num)
        .map(SellBill::record)
        .filter(|bill| bill.shop_id == content.shop_id && bill.customer == content.customer)
        .ok_or_else(|| not_settleable(NotSettleable::NotFound))?;
    if bill.state != BillState::Paid {
        return Err(not_settleable(NotSettleable::NotPaid(bill.state)));
    }
    let lines: Vec<&PricedLine> = bill
        .priced
        .lines
        .iter()
        .filter(|line| line.line.product_id == detail.product_id)
        .collect();
    let Some(first) = lines.first() else {
        return Err(not_settleable(NotSettleable::ProductNotSold(
            detail.product_id,
        )));
    };
    check_prices(path, detail, first)?;
    let sold_by_line: Vec<(usize, Decimal)> = lines
        .iter()
        .map(|line| (line.line_no, line.line.amount.get()))
        .collect();
    let settled = working.get(&detail.sell_bill_num, detail.product_id);
    let requested = detail.amount.get();
    let allocations = allocate(&sold_by_line, settled, requested).ok_or_else(|| {
        SettlementFailure::OverSettled {
            detail: path.clone(),
            sell_bill_num: detail.sell_bill_num.clone(),
            product_id: detail.product_id,
            sold: sold_by_line.iter().map(|(_, sold)| sold).sum(),
            settled,
            requested,
        }
    })?;
    working.add(&detail.sell_bill_num, detail.product_id, requested);
    Ok((lines, allocations))
}

fn detail_amounts(
    detail: &SettlementDetail,
    lines: &[&PricedLine],
    allocations: Vec<LineAllocation>,
) -> Result<SettledDetail, MoneyError> {
    let sales_amount = sales_amount(lines, &allocations)?;
    let cal_amount = round_product(detail.amount.get(), detail.cal_price.get())
        .ok_or(MoneyError::TooLarge)
        .and_then(Money::round)?;
    Ok(SettledDetail {
        sales_amount,
        cal_amount,
        allocations,
    })
}

fn check_detail_owner(
    path: &FieldPath,
    content: &SettlementContent,
    detail: &SettlementDetail,
) -> Result<(), SettlementFailure> {
    let mismatch = |name: &str, given: String, expected: String| {
        Err(SettlementFailure::OwnerMismatch {
            field: path.member(name),
            given,
            expected,
        })
    };
    if let Some(bill_num) = detail.bill_num.as_ref().filter(|b| **b != content.bill_num) {
        return mismatch(
            "BillNum",
            bill_num.clone(),
            format!("the header's {}", content.bill_num),
        );
    }
    if let Some(merchant) = detail.merchant_id.filter(|m| *m != content.merchant_id) {
        return mismatch(
            "MerchantId",
            merchant.to_string(),
            format!("the header's {}", content.merchant_id),
        );
    }
    if let Some(shop) = detail.shop_id.as_ref().filter(|s| **s != content.shop_id) {
        return mismatch(
            "ShopId",
            shop.to_string(),
            format!("the header's {}", content.shop_id),
        );
    }
    Ok(())
}

fn check_prices(
    path: &FieldPath,
    detail: &SettlementDetail,
    line: &PricedLine,
) -> Result<(), SettlementFailure> {
    let snapshot = line.snapshot;
    let compared: [(&str, UnitPrice, UnitPrice); 3] = [
        ("RetailPrice", detail.retail_price, snapshot.retail_price),
        (
            "LowestRetailPrice",
            detail.lowest_retail_price,
            snapshot.lowest_retail_price,
        ),
        ("ListingPrice", detail.listing_price, snapshot.listing_price),
    ];
    for (name, given, expected) in compared {
        if given != expected {
            return Err(SettlementFailure::PriceMismatch {
                field: path.member(name),
                given: given.get(),
                expected: PriceExpectation::Equal(expected.get()),
            });
        }
    }
    if detail.cal_price > detail.retail_price {
        return Err(SettlementFailure::PriceMismatch {
            field: path.member("CalPrice"),
            given: detail.cal_price.get(),
            expected: PriceExpectation::AtMost(detail.retail_price.get()),
        });
    }
    Ok(())
}

/// `Σ round_half_up(q × DiscountedPrice, 2)` over the allocations, each line with its own
/// exact discount.
fn sales_amount(
    lines: &[&PricedLine],
    allocations: &[LineAllocation],
) -> Result<Money, MoneyError> {
    let mut total = Money::ZERO;
    for allocation in allocations {
        let Some(line) = lines.iter().find(|line| line.line_no == allocation.line_no) else {
            continue;
        };
        let quantity = Quantity::new(allocation.quantity).map_err(|_| MoneyError::TooLarge)?;
        total = total.checked_add(line_amount(
            quantity,
            line.line.retail_price,
            line.fraction,
        )?)?;
    }
    Ok(total)
}

fn totals(
    details: &[SettledDetail],
    rate: RebateRate,
) -> Result<(Money, Money, Money), MoneyError> {
    let sales = Money::sum(details.iter().map(|d| d.sales_amount))?;
    let cal = Money::sum(details.iter().map(|d| d.cal_amount))?;
    let rebate = round_product(cal.get(), rate.get())
        .ok_or(MoneyError::TooLarge)
        .and_then(Money::round)?;
    Ok((sales, cal, rebate))
}
