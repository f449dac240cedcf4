//! Pricing of sell bill lines (CONTRACT §5): the discount fraction, the floor check, line amounts
//! and bill totals.

use rust_decimal::Decimal;

use crate::amounts::{Quantity, UnitPrice};
use crate::exact::{product_at_least, round_product, round_product_ratio};
use crate::field::{FieldProblem, check_decimal};
use crate::money::{Money, MoneyError};

/// A line's discount as submitted: `DiscountRate` and `DiscountBase`, an absent value counting
/// as 0 (as .NET's non-nullable decimals do).
///
/// The pair is kept as sent, so `3/4` and `6/8` are different content even though they price
/// alike; [`Discount::fraction`] validates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Discount {
    rate: Decimal,
    base: Decimal,
}

/// A valid discount: `rate / base` with `0 <= rate <= base` and `base > 0`.
///
/// "No discount" (both values 0 or absent) is the fraction `1 / 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DiscountFraction {
    rate: Decimal,
    base: Decimal,
}

/// Which value of a discount pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountPart {
    /// `DiscountRate`.
    Rate,
    /// `DiscountBase`.
    Base,
}

impl DiscountPart {
    /// The field's contract name.
    pub fn field_name(self) -> &'static str {
        match self {
            DiscountPart::Rate => "DiscountRate",
            DiscountPart::Base => "DiscountBase",
        }
    }
}

/// A discount value with too many places or too large (errcode 1003).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} {problem}", part.field_name())]
pub struct DiscountFieldError {
    /// The value at fault.
    pub part: DiscountPart,
    /// What is wrong with it.
    pub problem: FieldProblem,
}

/// A discount pair that is not a fraction between 0 and 1 (errcode 2005).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid discount {rate}/{base}: DiscountBase must be greater than 0 and DiscountRate between 0 and DiscountBase, or both 0"
)]
pub struct InvalidDiscount {
    /// `DiscountRate` as sent.
    pub rate: Decimal,
    /// `DiscountBase` as sent.
    pub base: Decimal,
}

impl Discount {
    /// No discount: both values absent.
    pub const NONE: Discount = Discount {
        rate: Decimal::ZERO,
        base: Decimal::ZERO,
    };

    /// A discount pair as sent, absent values passed as 0. Each value must pass the checks of
    /// every submitted decimal (at most 4 places, below 10^12); whether the pair is a valid
    /// fraction is [`Discount::fraction`]'s question (2005), not this one's (1003).
    pub fn new(rate: Decimal, base: Decimal) -> Result<Discount, DiscountFieldError> {
        let check = |value, part| {
            check_decimal(value).map_err(|problem| DiscountFieldError { part, problem })
        };
        Ok(Discount {
            rate: check(rate, DiscountPart::Rate)?,
            base: check(base, DiscountPart::Base)?,
        })
    }

    /// `DiscountRate` as sent.
    pub fn rate(self) -> Decimal {
        self.rate
    }

    /// `DiscountBase` as sent.
    pub fn base(self) -> Decimal {
        self.base
    }

    /// The fraction this pair means, or why it means none.
    ///
    /// ```
    /// use posbridge_domain::pricing::Discount;
    /// use rust_decimal::Decimal;
    ///
    /// let d = |s: &str| s.parse::<Decimal>().unwrap();
    /// // 8.5 / 10 is 85 %
    /// let fraction = Discount::new(d("8.5"), d("10")).unwrap().fraction().unwrap();
    /// assert_eq!(fraction.as_decimal(), d("0.85"));
    /// // both 0 (or absent) mean no discount
    /// assert_eq!(Discount::NONE.fraction().unwrap().as_decimal(), d("1"));
    /// // a rate above its base is no discount at all
    /// assert!(Discount::new(d("11"), d("10")).unwrap().fraction().is_err());
    /// ```
    pub fn fraction(self) -> Result<DiscountFraction, InvalidDiscount> {
        let Discount { rate, base } = self;
        if rate.is_zero() && base.is_zero() {
            return Ok(DiscountFraction::FULL);
        }
        let valid = base > Decimal::ZERO && rate >= Decimal::ZERO && rate <= base;
        if valid {
            Ok(DiscountFraction { rate, base })
        } else {
            Err(InvalidDiscount { rate, base })
        }
    }
}

impl DiscountFraction {
    /// No discount: `1 / 1`.
    pub const FULL: DiscountFraction = DiscountFraction {
        rate: Decimal::ONE,
        base: Decimal::ONE,
    };

    /// The numerator (`DiscountRate`, or 1 for no discount).
    pub fn rate(self) -> Decimal {
        self.rate
    }

    /// The denominator (`DiscountBase`, or 1 for no discount).
    pub fn base(self) -> Decimal {
        self.base
    }

    /// The fraction as a decimal, for display only; pricing never uses it.
    pub fn as_decimal(self) -> Decimal {
        self.rate
            .checked_div(self.base)
            .unwrap_or(Decimal::ONE)
            .normalize()
    }
}

/// The floor check: the discounted unit price is not below `lowest`, decided exactly by
/// cross-multiplication, `RetailPrice × DiscountRate >= LowestRetailPrice × DiscountBase`.
///
/// ```
/// use posbridge_domain::amounts::UnitPrice;
/// use posbridge_domain::pricing::{meets_floor, Discount};
/// use rust_decimal::Decimal;
///
/// let p = |s: &str| UnitPrice::new(s.parse::<Decimal>().unwrap()).unwrap();
/// let eighty_percent = Discount::new(Decimal::from(8), Decimal::from(10)).unwrap().fraction().unwrap();
/// assert!(meets_floor(p("99.00"), eighty_percent, p("79.20"))); // 79.20 exactly
/// assert!(!meets_floor(p("99.00"), eighty_percent, p("79.21")));
/// ```
pub fn meets_floor(retail: UnitPrice, fraction: DiscountFraction, lowest: UnitPrice) -> bool {
    // All operands are validated (non-negative, at most 4 places), so the exact comparison
    // always has an answer; a missing one is treated as failing the floor.
    product_at_least(retail.get(), fraction.rate, lowest.get(), fraction.base).unwrap_or(false)
}

/// The discounted unit price `RetailPrice × DiscountRate / DiscountBase`, to the precision of
/// `Decimal`, for display in bill views. Amounts never use it: they divide last.
pub fn discounted_price(retail: UnitPrice, fraction: DiscountFraction) -> Decimal {
    if fraction.rate == fraction.base {
        return retail.get();
    }
    retail
        .get()
        .checked_mul(fraction.rate)
        .and_then(|product| product.checked_div(fraction.base))
        .map_or(retail.get(), |price| price.normalize())
}

/// A line's amount: `round_half_up(Amount × RetailPrice × DiscountRate / DiscountBase, 2)`,
/// computed exactly and dividing last.
///
/// ```
/// use posbridge_domain::amounts::{Quantity, UnitPrice};
/// use posbridge_domain::pricing::{line_amount, Discount};
/// use rust_decimal::Decimal;
///
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let fraction = Discount::new(d("3"), d("4")).unwrap().fraction().unwrap();
/// let amount = line_amount(Quantity::new(d("2")).unwrap(), UnitPrice::new(d("5")).unwrap(), fraction);
/// assert_eq!(amount.unwrap().to_string(), "7.50");
/// ```
pub fn line_amount(
    quantity: Quantity,
    retail: UnitPrice,
    fraction: DiscountFraction,
) -> Result<Money, MoneyError> {
    let exact = round_product_ratio(quantity.get(), retail.get(), fraction.rate, fraction.base)
        .ok_or(MoneyError::TooLarge)?;
    Money::round(exact)
}

/// A line's amount before discount: `round_half_up(Amount × RetailPrice, 2)`.
pub fn gross_amount(quantity: Quantity, retail: UnitPrice) -> Result<Money, MoneyError> {
    let exact = round_product(quantity.get(), retail.get()).ok_or(MoneyError::TooLarge)?;
    Money::round(exact)
}

/// A bill's totals: the sum of line amounts, and the discount that the lines' rounding and
/// fractions took off the gross amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillTotals {
    /// Sum of the line amounts.
    pub total: Money,
    /// Sum of the lines' gross amounts minus `total`; never negative.
    pub discount: Money,
}

/// Totals over `(gross amount, line amount)` pairs.
///
/// ```
/// use posbridge_domain::money::Money;
/// use posbridge_domain::pricing::bill_totals;
/// use rust_decimal::Decimal;
///
/// let m = |s: &str| Money::new(s.parse::<Decimal>().unwrap()).unwrap();
/// let totals = bill_totals([(m("10.00"), m("7.50")), (m("10.00"), m("7.50"))]).unwrap();
/// assert_eq!((totals.total, totals.discount), (m("15.00"), m("5.00")));
/// ```
pub fn bill_totals(
    lines: impl IntoIterator<Item = (Money, Money)>,
) -> Result<BillTotals, MoneyError> {
    let (mut gross, mut total) = (Money::ZERO, Money::ZERO);
    for (line_gross, line_amount) in lines {
        gross = gross.checked_add(line_gross)?;
        total = total.checked_add(line_amount)?;
    }
    Ok(BillTotals {
        total,
        discount: gross.checked_sub(total)?,
    })
}

#[cfg(test)]
mod tests;
