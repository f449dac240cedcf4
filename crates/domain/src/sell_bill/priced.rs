//! Checking a bill's lines against the shop's catalog, and pricing them.

use rust_decimal::Decimal;

use super::content::{SellBillContent, SellLine};
use super::error::SellBillError;
use crate::catalog::{CatalogFailure, CatalogRejection, PriceQuote, ShopCatalog};
use crate::field::{FieldError, FieldPath, FieldProblem};
use crate::money::{Money, MoneyError};
use crate::pricing::{
    BillTotals, DiscountFraction, bill_totals, discounted_price, gross_amount, line_amount,
    meets_floor,
};

/// A line as the bill keeps it: what was sent, the price snapshot it was checked against, and
/// its amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    /// `LineNo`, from 1, in the order sent.
    pub line_no: usize,
    /// The line as sent.
    pub line: SellLine,
    /// The shop's quote when the line was accepted (listing, retail and lowest retail price).
    pub snapshot: PriceQuote,
    /// The valid discount fraction of the line.
    pub fraction: DiscountFraction,
    /// `round_half_up(Amount × RetailPrice, 2)`.
    pub gross_amount: Money,
    /// `round_half_up(Amount × RetailPrice × DiscountRate / DiscountBase, 2)`.
    pub line_amount: Money,
}

impl PricedLine {
    /// `DiscountedPrice`: `RetailPrice × DiscountRate / DiscountBase`, unrounded, for display.
    /// Computed on demand: views need it, pricing never does.
    pub fn discounted_price(&self) -> Decimal {
        discounted_price(self.line.retail_price, self.fraction)
    }
}

/// A bill's priced lines and totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedBill {
    /// The lines, in order.
    pub lines: Vec<PricedLine>,
    /// `TotalAmount` and `DiscountAmount`.
    pub totals: BillTotals,
}

/// Checks every line of `content` against `catalog`, then the guide, and prices the bill.
///
/// Each line gets at most one failure, the first of: a warehouse record exists (2001), a price
/// quote exists (2002), `RetailPrice` equals the current retail price (2003), the discount is a
/// valid fraction (2005), the discounted price is not below the lowest retail price (2004).
/// Then a `GuiderNumber`, when given, must be a known guide (2006). Nothing is priced unless
/// everything passes; the rejection lists every failure.
///
/// ```
/// use posbridge_domain::amounts::UnitPrice;
/// use posbridge_domain::catalog::{CatalogFailure, PriceQuote, ShopCatalog};
/// use posbridge_domain::ids::ProductId;
/// use posbridge_domain::sell_bill::{price_bill, SellBillDraft, SellBillError, SellLineDraft};
/// use rust_decimal::Decimal;
///
/// let p = |s: &str| UnitPrice::new(s.parse().unwrap()).unwrap();
/// let quote = PriceQuote { listing_price: p("128"), retail_price: p("99.00"), lowest_retail_price: p("79") };
/// // Zero stock is still a warehouse record.
/// let catalog = ShopCatalog::new()
///     .with_stock(ProductId(1), Decimal::ZERO)
///     .with_price(ProductId(1), quote);
/// let line = |price: &str| SellLineDraft {
///     product_id: Some(1),
///     amount: Some(Decimal::ONE),
///     retail_price: Some(price.parse().unwrap()),
///     ..SellLineDraft::default()
/// };
/// let draft = SellBillDraft {
///     sender_bill_num: Some("P-1".into()),
///     details: vec![line("99.0"), line("98")],
///     ..SellBillDraft::default()
/// };
/// let Err(SellBillError::Rejected(rejection)) = price_bill(&draft.validate().unwrap(), &catalog)
/// else { panic!("the second line must fail") };
/// // 99.0 equals 99.00; 98 does not.
/// assert!(matches!(rejection.first(), CatalogFailure::RetailPriceMismatch { line_no: 2, .. }));
/// ```
pub fn price_bill(
    content: &SellBillContent,
    catalog: &ShopCatalog,
) -> Result<PricedBill, SellBillError> {
    let mut failures = Vec::new();
    let mut accepted = Vec::with_capacity(content.lines.len());
    for (index, line) in content.lines.iter().enumerate() {
        match check_line(index + 1, line, catalog) {
            Ok(checked) => accepted.push(checked),
            Err(failure) => failures.push(failure),
        }
    }
    if let Some(guider_number) = &content.guider_number
        && !catalog.guides.contains(guider_number)
    {
        failures.push(CatalogFailure::UnknownGuide {
            guider_number: guider_number.clone(),
        });
    }
    if let Some(rejection) = CatalogRejection::from_failures(failures) {
        return Err(SellBillError::Rejected(rejection));
    }
    // Validation bounds every line's gross amount and the bill's below 10^12, so this cannot
    // overflow for validated content; were it to, the bill is refused as out of range.
    let out_of_range = |_: MoneyError| {
        SellBillError::Field(FieldError::invalid(
            &FieldPath::new("Details"),
            FieldProblem::AmountTooLarge,
        ))
    };
    let lines = accepted
        .into_iter()
        .map(|(line_no, line, snapshot, fraction)| price_line(line_no, line, snapshot, fraction))
        .collect::<Result<Vec<_>, MoneyError>>()
        .map_err(out_of_range)?;
    let totals = bill_totals(
        lines
            .iter()
            .map(|line| (line.gross_amount, line.line_amount)),
    )
    .map_err(out_of_range)?;
    Ok(PricedBill { lines, totals })
}

type CheckedLine<'a> = (usize, &'a SellLine, PriceQuote, DiscountFraction);

fn check_line<'a>(
    line_no: usize,
    line: &'a SellLine,
    catalog: &ShopCatalog,
) -> Result<CheckedLine<'a>, CatalogFailure> {
    let product_id = line.product_id;
    if !catalog.stock.contains_key(&product_id) {
        return Err(CatalogFailure::NoStockRecord {
            line_no,
            product_id,
        });
    }
    let Some(quote) = catalog.prices.get(&product_id).copied() else {
        return Err(CatalogFailure::NoPriceQuote {
            line_no,
            product_id,
        });
    };
    if line.retail_price != quote.retail_price {
        return Err(CatalogFailure::RetailPriceMismatch {
            line_no,
            product_id,
            expected: quote.retail_price.get(),
            given: line.retail_price.get(),
        });
    }
    let fraction = line
        .discount
        .fraction()
        .map_err(|reason| CatalogFailure::InvalidDiscount { line_no, reason })?;
    if !meets_floor(line.retail_price, fraction, quote.lowest_retail_price) {
        return Err(CatalogFailure::BelowLowestRetailPrice {
            line_no,
            product_id,
            discounted_price: discounted_price(line.retail_price, fraction),
            lowest_retail_price: quote.lowest_retail_price.get(),
        });
    }
    Ok((line_no, line, quote, fraction))
}

fn price_line(
    line_no: usize,
    line: &SellLine,
    snapshot: PriceQuote,
    fraction: DiscountFraction,
) -> Result<PricedLine, MoneyError> {
    Ok(PricedLine {
        line_no,
        line: line.clone(),
        snapshot,
        fraction,
        gross_amount: gross_amount(line.amount, line.retail_price)?,
        line_amount: line_amount(line.amount, line.retail_price, fraction)?,
    })
}
