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
