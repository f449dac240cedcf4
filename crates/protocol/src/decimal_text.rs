//! Exact decimals from text: `12.50`, `-3`, `1e-2`, `1.5E3`, never through a float.
//!
//! JSON numbers, numeric strings, XML text and BSON doubles (via their shortest text) all arrive
//! here. The value is kept exactly with its scale (`12.50` stays `12.50`); a value `Decimal`
//! cannot hold exactly is an error, never silently rounded.

use rust_decimal::Decimal;

/// Most significant digits a `Decimal` holds.
const DIGITS_MAX: usize = 29;
/// Most decimal places a `Decimal` holds.
const SCALE_MAX: i64 = 28;
/// Longest exponent accepted; longer ones cannot describe a representable value.
const EXPONENT_DIGITS_MAX: usize = 4;

/// Why a text is not an exact decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecimalTextError {
    /// Not a number at all.
    #[error("must be a decimal number")]
    Malformed,
    /// A number that a 96-bit decimal cannot hold exactly.
    #[error("has more digits than a decimal can hold exactly")]
    OutOfRange,
}

/// Reads a decimal number exactly, keeping its scale. Surrounding ASCII whitespace is allowed
/// (XML text is often indented).
///
/// ```
/// use posbridge_protocol::decimal_text::parse_decimal;
///
/// assert_eq!(parse_decimal("12.50").unwrap().to_string(), "12.50");
/// assert_eq!(parse_decimal("1e-2").unwrap().to_string(), "0.01");
/// assert_eq!(parse_decimal("12345678901234.5678").unwrap().to_string(), "12345678901234.5678");
/// assert!(parse_decimal("1".repeat(400).as_str()).is_err());
/// ```
pub fn parse_decimal(text: &str) -> Result<Decimal, DecimalTextError> {
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (number, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], parse_exponent(&unsigned[at + 1..])?),
        None => (unsigned, 0),
    };
    let (integer, fraction) = number.split_once('.').unwrap_or((number, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if integer.is_empty() && fraction.is_empty() || !all_digits(integer) || !all_digits(fraction) {
        return Err(DecimalTextError::Malformed);
    }
    // The digits without building them: leading zeros carry nothing, and trailing zeros may be
    // dropped (lowering the scale) when the value would not fit otherwise.
    let digits = || integer.bytes().chain(fraction.bytes());
    let leading_zeros = digits().take_while(|&d| d == b'0').count();
    let mut count = integer.len() + fraction.len() - leading_zeros;
    let trailing_zeros = digits().rev().take_while(|&d| d == b'0').count().min(count);
    let mut scale =
        i64::try_from(fraction.len()).map_err(|_| DecimalTextError::OutOfRange)? - exponent;
    let mut appended_zeros = 0;
    if scale < 0 {
        appended_zeros = usize::try_from(-scale).map_err(|_| DecimalTextError::OutOfRange)?;
        if count + appended_zeros > DIGITS_MAX {
            return Err(DecimalTextError::OutOfRange);
        }
        scale = 0;
    }
    let excess = usize::try_from((scale - SCALE_MAX).max(0))
        .unwrap_or(usize::MAX)
        .max(count.saturating_sub(DIGITS_MAX));
    let dropped = excess
        .min(trailing_zeros)
        .min(usize::try_from(scale).unwrap_or(0));
    count -= dropped;
    scale -= i64::try_from(dropped).map_err(|_| DecimalTextError::OutOfRange)?;
    if scale > SCALE_MAX || count > DIGITS_MAX {
        return Err(DecimalTextError::OutOfRange);
    }
    let kept = digits().skip(leading_zeros).take(count);
    let magnitude = kept.fold(0_i128, |value, digit| value * 10 + i128::from(digit - b'0'))
        * 10_i128.pow(u32::try_from(appended_zeros).map_err(|_| DecimalTextError::OutOfRange)?);
    let signed = if negative { -magnitude } else { magnitude };
    let scale = u32::try_from(scale).map_err(|_| DecimalTextError::OutOfRange)?;
    Decimal::try_from_i128_with_scale(signed, scale).map_err(|_| DecimalTextError::OutOfRange)
}

fn parse_exponent(text: &str) -> Result<i64, DecimalTextError> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalTextError::Malformed);
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > EXPONENT_DIGITS_MAX {
        return Err(DecimalTextError::OutOfRange);
    }
    let value = significant
        .bytes()
        .fold(0_i64, |value, digit| value * 10 + i64::from(digit - b'0'));
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Result<&str, DecimalTextError>) {
        let got = parse_decimal(text).map(|d| d.to_string());
        assert_eq!(got, expect.map(str::to_owned), "{text:?}");
    }

    #[test]
    fn plain_numbers_keep_their_scale() {
        check("0", Ok("0"));
        check("12.50", Ok("12.50"));
        check("1.000", Ok("1.000"));
        check("-3", Ok("-3"));
        check("+3.5", Ok("3.5"));
        check(".5", Ok("0.5"));
        check("5.", Ok("5"));
        check("007.10", Ok("7.10"));
        check(" 12.5\n", Ok("12.5"));
        check("33.330000", Ok("33.330000"));
        check("0.1", Ok("0.1"));
        check("12345678901234.5678", Ok("12345678901234.5678"));
        check("9007199254740993", Ok("9007199254740993"));
    }

    #[test]
    fn exponents_are_exact() {
        check("1e-2", Ok("0.01"));
        check("1E-2", Ok("0.01"));
        check("1.50e1", Ok("15.0"));
        check("1.5e3", Ok("1500"));
        check("25e-1", Ok("2.5"));
        check("1e+2", Ok("100"));
        check("0e10", Ok("0"));
        check("1e00002", Ok("100"));
    }

    #[test]
    fn what_is_not_a_number() {
        for text in [
            "", "-", ".", "e5", "1e", "1e-", "1.2.3", "abc", "1,5", "0x10", "1 2", "NaN",
            "Infinity", "--1", "1e2.5",
        ] {
            check(text, Err(DecimalTextError::Malformed));
        }
    }

    #[test]
    fn what_a_decimal_cannot_hold() {
        check(&"1".repeat(400), Err(DecimalTextError::OutOfRange));
        check(
            &format!("0.{}", "1".repeat(400)),
            Err(DecimalTextError::OutOfRange),
        );
        check("1e29", Err(DecimalTextError::OutOfRange));
        check("1e-29", Err(DecimalTextError::OutOfRange));
        check("1e99999", Err(DecimalTextError::OutOfRange));
        check(
            "79228162514264337593543950336",
            Err(DecimalTextError::OutOfRange),
        );
        check(
            "79228162514264337593543950335",
            Ok("79228162514264337593543950335"),
        );
        // Zeros that only lengthen the text are dropped rather than refused.
        check(
            &format!("1.{}", "0".repeat(400)),
            Ok("1.0000000000000000000000000000"),
        );
    }

    proptest::proptest! {
        #[test]
        fn every_decimal_reads_back_from_its_text_with_its_scale(
            mantissa in proptest::prelude::any::<i64>(),
            scale in 0u32..=28,
        ) {
            let value = Decimal::new(mantissa, scale);
            let text = value.to_string();
            proptest::prop_assert_eq!(parse_decimal(&text).map(|d| d.to_string()), Ok(text));
            // Mantissa and exponent give the same value and scale.
            let scientific = format!("{mantissa}e-{scale}");
            proptest::prop_assert_eq!(
                parse_decimal(&scientific).map(|d| d.to_string()),
                Ok(value.to_string())
            );
        }
    }
}
