//! Field-level validation: the rules behind errcodes 1002, 1003 and 1004.
//!
//! Field paths use the contract's field names (`Details[2].Amount`, `clerks[0].contactInfo.mobile`)
//! because the error message must name the field the sender wrote; list indexes are 0-based.

use std::fmt;

use rust_decimal::Decimal;

use crate::limits::{DECIMAL_PLACES_MAX, MAGNITUDE_LIMIT};

/// The contract name of a field, with list indexes: `Details[2].Amount`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath(String);

impl FieldPath {
    /// A top-level field.
    pub fn new(name: &str) -> Self {
        FieldPath(name.to_owned())
    }

    /// The `index`-th element of this list field.
    pub fn at(&self, index: usize) -> Self {
        FieldPath(format!("{}[{index}]", self.0))
    }

    /// A member of this field.
    pub fn member(&self, name: &str) -> Self {
        FieldPath(format!("{}.{name}", self.0))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for FieldPath {
    fn from(name: &str) -> Self {
        FieldPath::new(name)
    }
}

/// Why a present field is invalid (errcode 1003).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    /// Longer than allowed, counted in characters.
    #[error("is {given} characters long, at most {max} are allowed")]
    TooLong {
        /// The limit.
        max: usize,
        /// The length sent.
        given: usize,
    },
    /// More decimal places than allowed, counted after trailing zeros are dropped.
    #[error("has {given} decimal places, at most {max} are allowed")]
    TooManyDecimals {
        /// The limit.
        max: u32,
        /// The places sent.
        given: u32,
    },
    /// Magnitude at or above 10^12.
    #[error("must be below 10^12 in magnitude")]
    TooLarge,
    /// Zero or negative where only positive values make sense.
    #[error("must be greater than 0")]
    NotPositive,
    /// Negative where zero or more is required.
    #[error("must not be negative")]
    Negative,
    /// Not one of an enumeration's values.
    #[error("must be one of {}", allowed.join(", "))]
    NotOneOf {
        /// The accepted spellings.
        allowed: &'static [&'static str],
    },
    /// Not a real date or time in the expected layout.
    #[error("must be a real date or time formatted {layout}")]
    BadDateTime {
        /// The layout, as the contract writes it (`yyyyMMdd`, `HHmmss`, `YYYY-MM-DD`).
        layout: &'static str,
    },
    /// The same value appears twice where it must be unique.
    #[error("must be unique, {value} appears more than once")]
    Duplicate {
        /// The repeated value.
        value: String,
    },
    /// A declared count differs from the number of items sent.
    #[error("is {declared} but {actual} items were sent")]
    CountMismatch {
        /// The count the sender declared.
        declared: i64,
        /// The items actually sent.
        actual: usize,
    },
    /// An amount computed from the submitted values reaches 10^12.
    #[error("gives an amount of 10^12 or more")]
    AmountTooLarge,
}

/// A field-level failure: errcodes 1002 (missing), 1003 (invalid), 1004 (too many items).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// A required field is absent or empty (1002).
    #[error("required field {field} is missing")]
    Missing {
        /// The missing field.
        field: FieldPath,
    },
    /// A field is present but invalid (1003).
    #[error("field {field} {problem}")]
    Invalid {
        /// The invalid field.
        field: FieldPath,
        /// What is wrong with it.
        problem: FieldProblem,
    },
    /// A list has more items than allowed (1004).
    #[error("field {field} has {given} items, at most {max} are allowed")]
    TooMany {
        /// The list field.
        field: FieldPath,
        /// The limit.
        max: usize,
        /// The count sent.
        given: usize,
    },
}

impl FieldError {
    /// The field this error names.
    pub fn field(&self) -> &FieldPath {
        match self {
            FieldError::Missing { field }
            | FieldError::Invalid { field, .. }
            | FieldError::TooMany { field, .. } => field,
        }
    }

    pub(crate) fn missing(field: &FieldPath) -> Self {
        FieldError::Missing {
            field: field.clone(),
        }
    }

    pub(crate) fn invalid(field: &FieldPath, problem: FieldProblem) -> Self {
        FieldError::Invalid {
            field: field.clone(),
            problem,
        }
    }
}

/// Number of characters of `text`, the unit of every length limit.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// A required text field: absent or empty is missing (1002), longer than `max` is 1003.
pub(crate) fn required_text(
    value: Option<&str>,
    field: &FieldPath,
    max: usize,
) -> Result<String, FieldError> {
    match optional_text(value, field, max)? {
        Some(text) => Ok(text),
        None => Err(FieldError::missing(field)),
    }
}

/// An optional text field: empty counts as absent, longer than `max` is 1003.
pub(crate) fn optional_text(
    value: Option<&str>,
    field: &FieldPath,
    max: usize,
) -> Result<Option<String>, FieldError> {
    optional_text_at(value, max, || field.clone())
}

/// [`optional_text`] with the field path built only on failure, for per-line hot paths.
pub(crate) fn optional_text_at(
    value: Option<&str>,
    max: usize,
    field: impl FnOnce() -> FieldPath,
) -> Result<Option<String>, FieldError> {
    match value {
        None | Some("") => Ok(None),
        Some(text) => {
            // Bytes bound characters from above, so most texts skip the count.
            if text.len() > max {
                let given = char_len(text);
                if given > max {
                    let problem = FieldProblem::TooLong { max, given };
                    return Err(FieldError::Invalid {
                        field: field(),
                        problem,
                    });
                }
            }
            Ok(Some(text.to_owned()))
        }
    }
}

/// A required value of any type: absent is 1002.
pub(crate) fn required<T>(value: Option<T>, field: &FieldPath) -> Result<T, FieldError> {
    value.ok_or_else(|| FieldError::missing(field))
}

/// A list with `1..=max` items: empty is 1002 (the contract requires at least one), more is 1004.
pub(crate) fn check_item_count(
    count: usize,
    field: &FieldPath,
    max: usize,
) -> Result<(), FieldError> {
    if count == 0 {
        return Err(FieldError::missing(field));
    }
    if count > max {
        return Err(FieldError::TooMany {
            field: field.clone(),
            max,
            given: count,
        });
    }
    Ok(())
}

/// Decimal places of `value` once trailing zeros are dropped (`33.330000` has 2).
///
/// ```
/// use posbridge_domain::field::decimal_places;
/// use rust_decimal::Decimal;
///
/// let value: Decimal = "33.330000".parse().unwrap();
/// assert_eq!(decimal_places(value), 2);
/// ```
pub fn decimal_places(value: Decimal) -> u32 {
    value.normalize().scale()
}

/// The checks every submitted decimal passes (CONTRACT §4): at most 4 places, below 10^12.
pub fn check_decimal(value: Decimal) -> Result<Decimal, FieldProblem> {
    check_decimal_places(value, DECIMAL_PLACES_MAX)
}

/// Like [`check_decimal`], with a tighter bound on decimal places.
pub fn check_decimal_places(value: Decimal, places_max: u32) -> Result<Decimal, FieldProblem> {
    let given = decimal_places(value);
    if given > places_max {
        return Err(FieldProblem::TooManyDecimals {
            max: places_max,
            given,
        });
    }
    if value.abs() >= Decimal::from(MAGNITUDE_LIMIT) {
        return Err(FieldProblem::TooLarge);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn check(input: &str, expect: Result<(), FieldProblem>) {
        assert_eq!(check_decimal(d(input)).map(|_| ()), expect, "input {input}");
    }

    #[test]
    fn decimal_places_ignore_trailing_zeros() {
        check("33.330000", Ok(()));
        check("99.0", Ok(()));
        check("1.2345", Ok(()));
        check("1.23450000", Ok(()));
        check(
            "1.23456",
            Err(FieldProblem::TooManyDecimals { max: 4, given: 5 }),
        );
        check(
            "0.00001",
            Err(FieldProblem::TooManyDecimals { max: 4, given: 5 }),
        );
    }

    #[test]
    fn magnitude_stays_below_ten_to_the_twelve() {
        check("999999999999.9999", Ok(()));
        check("-999999999999.9999", Ok(()));
        check("1000000000000", Err(FieldProblem::TooLarge));
        check("-1000000000000", Err(FieldProblem::TooLarge));
    }

    #[test]
    fn text_lengths_count_characters_not_bytes() {
        let field = FieldPath::new("GuestName");
        let thirty_chinese: String = "老".repeat(30);
        assert_eq!(
            optional_text(Some(&thirty_chinese), &field, 30),
            Ok(Some(thirty_chinese))
        );
        let too_long: String = "老".repeat(31);
        assert_eq!(
            optional_text(Some(&too_long), &field, 30),
            Err(FieldError::invalid(
                &field,
                FieldProblem::TooLong { max: 30, given: 31 }
            ))
        );
    }

    #[test]
    fn empty_required_text_is_missing() {
        let field = FieldPath::new("SenderBillNum");
        assert_eq!(
            required_text(Some(""), &field, 32),
            Err(FieldError::missing(&field))
        );
        assert_eq!(
            required_text(None, &field, 32),
            Err(FieldError::missing(&field))
        );
        assert_eq!(optional_text(Some(""), &field, 32), Ok(None));
    }

    #[test]
    fn item_counts() {
        let field = FieldPath::new("Details");
        assert_eq!(
            check_item_count(0, &field, 500),
            Err(FieldError::missing(&field))
        );
        assert_eq!(check_item_count(500, &field, 500), Ok(()));
        assert_eq!(
            check_item_count(501, &field, 500),
            Err(FieldError::TooMany {
                field: field.clone(),
                max: 500,
                given: 501
            })
        );
    }

    #[test]
    fn paths_name_nested_fields() {
        let path = FieldPath::new("Details").at(2).member("Amount");
        assert_eq!(path.to_string(), "Details[2].Amount");
        let err = FieldError::invalid(&path, FieldProblem::NotPositive);
        assert_eq!(
            err.to_string(),
            "field Details[2].Amount must be greater than 0"
        );
    }
}
