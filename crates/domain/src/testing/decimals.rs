//! Strategies for decimals of the contract's ranges.

use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::amounts::{Quantity, UnitPrice};

/// A decimal with 0 to 4 places and an integer part below `integer_max`, at least `min_units`
/// ten-thousandths.
pub fn decimal_in(min_units: i64, integer_max: i64) -> impl Strategy<Value = Decimal> {
    let units_max = integer_max.saturating_mul(10_000) - 1;
    (min_units..=units_max, 0u32..=4).prop_map(|(units, places)| {
        // Drop precision so that every scale from 0 to 4 appears, then write the value with
        // trailing zeros sometimes, as senders do (`99.0`, `99.00`).
        let keep = 10_i64.pow(4 - places);
        let units = (units / keep).max(1) * keep;
        let mut value = Decimal::new(units, 4);
        value.rescale(places.max(value.normalize().scale()));
        value
    })
}

/// A valid quantity below `integer_max`.
pub fn quantity_in(integer_max: i64) -> impl Strategy<Value = Quantity> {
    decimal_in(1, integer_max).prop_filter_map("positive quantity", |v| Quantity::new(v).ok())
}

/// A valid unit price below `integer_max`, zero included.
pub fn unit_price_in(integer_max: i64) -> impl Strategy<Value = UnitPrice> {
    prop_oneof![
        1 => Just(Decimal::ZERO),
        20 => decimal_in(1, integer_max),
    ]
    .prop_filter_map("valid unit price", |v| UnitPrice::new(v).ok())
}

/// `value × 10^4` as an integer, for values with at most 4 places.
pub fn scaled_units(value: Decimal) -> i128 {
    let normal = value.normalize();
    normal.mantissa() * 10_i128.pow(4 - normal.scale())
}

/// Independent reference for a line amount in cents: `floor(x·100 + 1/2)` for
/// `x = amount × price × rate / base`, computed in `i128` from 10^-4 units without the
/// truncation step the crate's own [`crate::exact`] takes. Valid while `amount × price` stays
/// below 10^12 and every operand has at most 4 places.
pub fn reference_cents(amount: Decimal, price: Decimal, rate: Decimal, base: Decimal) -> i128 {
    let numerator = scaled_units(amount) * scaled_units(price) * scaled_units(rate);
    // numerator / (base_units · 10^6) = x · 100
    let denominator = scaled_units(base) * 1_000_000;
    (2 * numerator + denominator) / (2 * denominator)
}

/// [`reference_cents`] as a decimal amount with 2 places.
pub fn reference_amount(amount: Decimal, price: Decimal, rate: Decimal, base: Decimal) -> Decimal {
    let cents = reference_cents(amount, price, rate, base);
    Decimal::from_i128_with_scale(cents, 2)
}
