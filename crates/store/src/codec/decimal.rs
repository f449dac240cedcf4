//! Decimals and money as stored text: written from the value's own digits, read back exactly.

use posbridge_domain::amounts::{Quantity, RebateRate, UnitPrice};
use posbridge_domain::money::Money;
use rust_decimal::Decimal;

use crate::error::StoreError;

/// Reads a stored decimal exactly, keeping its scale.
pub fn parse(text: &str) -> Result<Decimal, StoreError> {
    Decimal::from_str_exact(text)
        .map_err(|e| StoreError::Corrupt(format!("stored decimal {text:?}: {e}")))
}

/// Reads stored money.
pub fn money(text: &str) -> Result<Money, StoreError> {
    Money::new(parse(text)?).map_err(|p| StoreError::Corrupt(format!("stored money {text:?}: {p}")))
}

/// Reads a stored unit price.
pub fn unit_price(text: &str) -> Result<UnitPrice, StoreError> {
    UnitPrice::new(parse(text)?)
        .map_err(|p| StoreError::Corrupt(format!("stored unit price {text:?}: {p}")))
}

/// Reads a stored quantity.
pub fn quantity(text: &str) -> Result<Quantity, StoreError> {
    Quantity::new(parse(text)?)
        .map_err(|p| StoreError::Corrupt(format!("stored quantity {text:?}: {p}")))
}

/// Reads a stored rebate rate.
pub fn rebate_rate(text: &str) -> Result<RebateRate, StoreError> {
    RebateRate::new(parse(text)?)
        .map_err(|p| StoreError::Corrupt(format!("stored rebate rate {text:?}: {p}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_keep_value_and_scale() {
        for text in ["0", "99.00", "0.0001", "999999999999.9999", "-1.50"] {
            let value = parse(text).unwrap();
            assert_eq!(value.to_string(), text);
        }
        assert!(parse("1e3").is_err());
        assert!(parse("abc").is_err());
        assert!(money("1.001").is_err());
    }
}
