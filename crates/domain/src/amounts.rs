//! Quantities, unit prices and rates: submitted decimals with their ranges checked.
//!
//! Each type is a `Decimal` that passed the contract's checks (at most 4 places, below 10^12)
//! plus its own sign rule. Equality is by value: `99.0` equals `99.00`.

use std::fmt;

use rust_decimal::Decimal;

use crate::field::{FieldProblem, check_decimal};

/// A quantity of goods sold or settled: greater than 0, at most 4 places, below 10^12.
///
/// ```
/// use posbridge_domain::amounts::Quantity;
/// use rust_decimal::Decimal;
///
/// assert!(Quantity::new("1.5".parse::<Decimal>().unwrap()).is_ok());
/// assert!(Quantity::new(Decimal::ZERO).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(Decimal);

impl Quantity {
    /// Checks a submitted quantity.
    pub fn new(value: Decimal) -> Result<Quantity, FieldProblem> {
        let value = check_decimal(value)?;
        if value <= Decimal::ZERO {
            return Err(FieldProblem::NotPositive);
        }
        Ok(Quantity(value))
    }

    /// The quantity as sent.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// A unit price (`RetailPrice`, `ListingPrice`, `LowestRetailPrice`, `CalPrice`): 0 or more, at
/// most 4 places, below 10^12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitPrice(Decimal);

impl UnitPrice {
    /// A price of 0.
    pub const ZERO: UnitPrice = UnitPrice(Decimal::ZERO);

    /// Checks a submitted unit price.
    pub fn new(value: Decimal) -> Result<UnitPrice, FieldProblem> {
        let value = check_decimal(value)?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(FieldProblem::Negative);
        }
        Ok(UnitPrice(value))
    }

    /// The price as sent.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// A customer unit's rebate rate: a fraction from 0 to 1 with at most 4 places (`0.30` is 30 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RebateRate(Decimal);

impl RebateRate {
    /// Checks a rate from master data.
    pub fn new(value: Decimal) -> Result<RebateRate, FieldProblem> {
        let value = check_decimal(value)?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(FieldProblem::Negative);
        }
        if value > Decimal::ONE {
            return Err(FieldProblem::TooLarge);
        }
        Ok(RebateRate(value))
    }

    /// The rate as a fraction.
    pub fn get(self) -> Decimal {
        self.0
    }
}

macro_rules! display_inner {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    )*};
}
display_inner!(Quantity, UnitPrice, RebateRate);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn quantity_must_be_positive() {
        assert_eq!(Quantity::new(d("0")), Err(FieldProblem::NotPositive));
        assert_eq!(Quantity::new(d("-1")), Err(FieldProblem::NotPositive));
        assert_eq!(
            Quantity::new(d("0.0001")).map(Quantity::get),
            Ok(d("0.0001"))
        );
        assert_eq!(
            Quantity::new(d("0.00001")),
            Err(FieldProblem::TooManyDecimals { max: 4, given: 5 })
        );
    }

    #[test]
    fn unit_price_may_be_zero_and_keeps_its_scale() {
        assert_eq!(UnitPrice::new(d("0")).map(UnitPrice::get), Ok(d("0")));
        assert_eq!(UnitPrice::new(d("-0.01")), Err(FieldProblem::Negative));
        assert_eq!(UnitPrice::new(d("99.00")).unwrap().to_string(), "99.00");
        assert_eq!(
            UnitPrice::new(d("99.0")).unwrap(),
            UnitPrice::new(d("99.00")).unwrap()
        );
    }

    #[test]
    fn rebate_rate_is_a_fraction() {
        assert!(RebateRate::new(d("0.30")).is_ok());
        assert!(RebateRate::new(d("1")).is_ok());
        assert_eq!(RebateRate::new(d("1.01")), Err(FieldProblem::TooLarge));
        assert_eq!(RebateRate::new(d("-0.1")), Err(FieldProblem::Negative));
    }
}
