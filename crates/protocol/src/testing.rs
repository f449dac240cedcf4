//! Strategies for the values inside DTOs, used by the generated DTO strategies
//! (`crate::strategies`) for round-trip properties in every format.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;

/// Text of up to 12 characters: ASCII, Chinese, an emoji, and the characters JSON and XML
/// escape, line breaks and tabs included.
pub fn text() -> impl Strategy<Value = String> {
    const CHARS: &[char] = &[
        'a', 'Z', '0', ' ', '老', '王', '杭', '州', '😀', '<', '>', '&', '"', '\'', '\\', '/',
        '\n', '\r', '\t', ']',
    ];
    proptest::collection::vec(proptest::sample::select(CHARS), 0..12)
        .prop_map(|chars| chars.into_iter().collect())
}

/// Any 32-bit integer.
pub fn int() -> impl Strategy<Value = i32> {
    any::<i32>()
}

/// Any 64-bit integer.
pub fn long() -> impl Strategy<Value = i64> {
    any::<i64>()
}

/// A decimal of any sign with 0 to 10 places (trailing zeros included, to check that scale
/// survives).
pub fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=10).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

/// A map of 0 to 3 entries whose keys are valid XML element names.
pub fn text_map() -> impl Strategy<Value = BTreeMap<String, String>> {
    proptest::collection::btree_map("[a-zA-Z][a-zA-Z0-9_]{0,8}", text(), 0..3)
}
