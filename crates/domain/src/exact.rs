//! Exact products and quotients of submitted decimals, rounded once.
//!
//! `rust_decimal` keeps 96 bits of mantissa, so `Amount × RetailPrice × DiscountRate` with four
//! places each may not fit and would be rounded silently. These functions scale every operand
//! to an integer count of 10^-4 units and work in `i128`, so nothing is rounded before the
//! final [`round_money`].

use rust_decimal::Decimal;

use crate::limits::DECIMAL_PLACES_MAX;
use crate::money::round_money;

/// Decimal places of the exact intermediate value handed to [`round_money`].
const INTERMEDIATE_PLACES: u32 = 8;

/// `round_money(a × b × numerator / denominator)`, with nothing rounded before the end.
///
/// Every operand must be non-negative with at most 4 decimal places, and `denominator` must be
/// positive; otherwise, or when the exact value cannot be represented, the answer is `None`.
/// Dividing last is what the contract asks for: `8.5 / 10` is applied to the product, never
/// rounded to a fraction first.
///
/// ```
/// use posbridge_domain::exact::round_product_ratio;
/// use rust_decimal::Decimal;
///
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// // 3 × 9.99 × 8.5 / 10 = 25.4745, rounded half up to 25.47
/// assert_eq!(round_product_ratio(d("3"), d("9.99"), d("8.5"), d("10")), Some(d("25.47")));
/// // 1 × 0.05 × 1 / 2 = 0.025 exactly, a midpoint: away from zero
/// assert_eq!(round_product_ratio(d("1"), d("0.05"), d("1"), d("2")), Some(d("0.03")));
/// ```
pub fn round_product_ratio(
    a: Decimal,
    b: Decimal,
    numerator: Decimal,
    denominator: Decimal,
) -> Option<Decimal> {
    let product = scaled(a)?
        .checked_mul(scaled(b)?)?
        .checked_mul(scaled(numerator)?)?;
    let divisor = scaled(denominator)?;
    if divisor == 0 {
        return None;
    }
    // product has 12 places and divisor 4, so the quotient has 8. Truncating at 8 places loses
    // nothing for rounding to 2: a midpoint has 3 places, so the truncated value reaches it
    // exactly when the exact value does, and the operands are non-negative.
    let truncated = product / divisor;
    let value = Decimal::try_from_i128_with_scale(truncated, INTERMEDIATE_PLACES).ok()?;
    Some(round_money(value))
}

/// `round_money(a × b)`, exactly.
pub fn round_product(a: Decimal, b: Decimal) -> Option<Decimal> {
    round_product_ratio(a, b, Decimal::ONE, Decimal::ONE)
}

/// `left_a × left_b >= right_a × right_b`, exactly, for non-negative operands with at most 4
/// places; `None` when an operand is outside that.
///
/// ```
/// use posbridge_domain::exact::product_at_least;
/// use rust_decimal::Decimal;
///
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// // 99 × 8 >= 79 × 10 (792 >= 790): 80 % of 99.00 is not below 79.00
/// assert_eq!(product_at_least(d("99"), d("8"), d("79"), d("10")), Some(true));
/// assert_eq!(product_at_least(d("99"), d("7.9"), d("79"), d("10")), Some(false));
/// ```
pub fn product_at_least(
    left_a: Decimal,
    left_b: Decimal,
    right_a: Decimal,
    right_b: Decimal,
) -> Option<bool> {
    let left = scaled(left_a)?.checked_mul(scaled(left_b)?)?;
    let right = scaled(right_a)?.checked_mul(scaled(right_b)?)?;
    Some(left >= right)
}

/// `value × 10^4` as an integer, for non-negative values with at most 4 places once trailing
/// zeros are dropped (`1.50000` qualifies).
fn scaled(value: Decimal) -> Option<i128> {
    if value.is_sign_negative() && !value.is_zero() {
        return None;
    }
    let (mantissa, places) = (value.mantissa(), value.scale());
    if places <= DECIMAL_PLACES_MAX {
        return mantissa.checked_mul(10_i128.pow(DECIMAL_PLACES_MAX - places));
    }
    // More places than 4 are fine only when the extra ones are zeros.
    let extra = 10_i128.pow(places - DECIMAL_PLACES_MAX);
    (mantissa % extra == 0).then(|| mantissa / extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn check(a: &str, b: &str, n: &str, m: &str, expect: Option<&str>) {
        assert_eq!(
            round_product_ratio(d(a), d(b), d(n), d(m)).map(|v| v.to_string()),
            expect.map(str::to_owned),
            "{a} × {b} × {n} / {m}"
        );
    }

    #[test]
    fn divides_last_and_rounds_once() {
        check("2", "5", "3", "4", Some("7.50"));
        check("1", "99", "8.5", "10", Some("84.15"));
        check("1", "0.01", "1", "3", Some("0.00"));
        check("1", "0.02", "1", "3", Some("0.01"));
        // 1/3 of 0.015 is 0.005 exactly: a midpoint rounds up.
        check("1", "0.015", "1", "3", Some("0.01"));
        check("0.0001", "0.0001", "1", "1", Some("0.00"));
    }

    #[test]
    fn extreme_operands_stay_exact() {
        // 999999.9999 × 999999.9999 = 999999999800.00000001: beyond a binary float, exact here.
        check(
            "999999.9999",
            "999999.9999",
            "1",
            "1",
            Some("999999999800.00"),
        );
        check(
            "999999999999.9999",
            "1",
            "9999.9999",
            "9999.9999",
            Some("1000000000000.00"),
        );
    }

    #[test]
    fn rejects_what_it_cannot_compute() {
        check("-1", "1", "1", "1", None);
        check("1", "1", "1", "0", None);
        check("1.00001", "1", "1", "1", None);
    }
}
