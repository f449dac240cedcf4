//! Money amounts and the one rounding function.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::field::{FieldProblem, check_decimal_places};
use crate::limits::{MAGNITUDE_LIMIT, MONEY_PLACES};

/// The one rounding function: half away from zero, to 2 places, and the result always carries
/// exactly 2 places (`5` → `5.00`).
///
/// Every money amount the rules produce passes through here, so there is a single place where
/// the rounding rule lives.
///
/// ```
/// use posbridge_domain::money::round_money;
/// use rust_decimal::Decimal;
///
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// assert_eq!(round_money(d("2.345")).to_string(), "2.35");
/// assert_eq!(round_money(d("-2.345")).to_string(), "-2.35");
/// assert_eq!(round_money(d("2.3449999")).to_string(), "2.34");
/// assert_eq!(round_money(d("5")).to_string(), "5.00");
/// ```
pub fn round_money(value: Decimal) -> Decimal {
    let mut rounded =
        value.round_dp_with_strategy(MONEY_PLACES, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(MONEY_PLACES);
    rounded
}

/// A non-negative money amount with exactly 2 decimal places, below 10^12.
///
/// Amounts in posbridge are never negative: totals, line amounts, discounts and payments are all
/// zero or more. Arithmetic is checked and fails instead of leaving the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

/// An amount outside what [`Money`] can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The amount would be negative.
    #[error("amount would be negative")]
    Negative,
    /// The amount would reach 10^12.
    #[error("amount would reach 10^12")]
    TooLarge,
}

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// A submitted amount: at most 2 decimal places, non-negative, below 10^12.
    ///
    /// ```
    /// use posbridge_domain::money::Money;
    /// use rust_decimal::Decimal;
    ///
    /// let amount = Money::new("12.5".parse::<Decimal>().unwrap()).unwrap();
    /// assert_eq!(amount.to_string(), "12.50");
    /// assert!(Money::new("0.001".parse::<Decimal>().unwrap()).is_err());
    /// ```
    pub fn new(value: Decimal) -> Result<Money, FieldProblem> {
        let value = check_decimal_places(value, MONEY_PLACES)?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(FieldProblem::Negative);
        }
        Ok(Money::from_exact(value))
    }

    /// Rounds a non-negative exact value with [`round_money`].
    pub fn round(value: Decimal) -> Result<Money, MoneyError> {
        Money::checked(round_money(value))
    }

    /// The amount as a decimal with exactly 2 places.
    pub fn get(self) -> Decimal {
        self.0
    }

    /// Whether the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// `self + other`, failing at 10^12.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        Money::checked(self.0 + other.0)
    }

    /// `self - other`, failing below zero.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        Money::checked(self.0 - other.0)
    }

    /// Sum of `amounts`, failing at 10^12.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Result<Money, MoneyError> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, Money::checked_add)
    }

    fn checked(value: Decimal) -> Result<Money, MoneyError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError::Negative);
        }
        if value >= Decimal::from(MAGNITUDE_LIMIT) {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money::from_exact(value))
    }

    /// Wraps a value already known to have at most 2 places, forcing exactly 2.
    fn from_exact(value: Decimal) -> Money {
        let mut value = value.abs();
        value.rescale(MONEY_PLACES);
        Money(value)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn check(input: &str, expect: &str) {
        assert_eq!(
            round_money(d(input)).to_string(),
            expect,
            "round_money({input})"
        );
    }

    #[test]
    fn rounds_half_away_from_zero() {
        check("0.005", "0.01");
        check("0.004999", "0.00");
        check("0.015", "0.02");
        check("0.025", "0.03");
        check("-0.005", "-0.01");
        check("-0.015", "-0.02");
        check("1.9950", "2.00");
        check("99", "99.00");
        check("99.0", "99.00");
        check("0", "0.00");
    }

    #[test]
    fn money_keeps_two_places_and_equals_by_value() {
        assert_eq!(
            Money::new(d("99.0")).unwrap(),
            Money::new(d("99.00")).unwrap()
        );
        assert_eq!(Money::new(d("99")).unwrap().to_string(), "99.00");
        assert_eq!(Money::new(d("-0")).unwrap().to_string(), "0.00");
    }

    #[test]
    fn money_rejects_what_it_cannot_hold() {
        assert_eq!(Money::new(d("-1")), Err(FieldProblem::Negative));
        assert_eq!(
            Money::new(d("1.001")),
            Err(FieldProblem::TooManyDecimals { max: 2, given: 3 })
        );
        assert_eq!(Money::new(d("1000000000000")), Err(FieldProblem::TooLarge));
        let big = Money::new(d("999999999999.99")).unwrap();
        let cent = Money::new(d("0.01")).unwrap();
        assert_eq!(big.checked_add(cent), Err(MoneyError::TooLarge));
        assert_eq!(cent.checked_sub(big), Err(MoneyError::Negative));
        assert_eq!(big.checked_sub(big), Ok(Money::ZERO));
    }
}
