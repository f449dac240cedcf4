//! Every bound the rules enforce, named once.
//!
//! Most are fixed; the item counts of a request are [`CountLimits`], which a server configures
//! within [`COUNT_MIN`]`..=`[`COUNT_CEILING`] and passes to the drafts' `validate_within`.
//! Lengths count Unicode scalar values (characters), not bytes, as CONTRACT §5 says.
//! Bounds that the contract leaves open are chosen here and recorded in `docs/decisions.md`.

/// Most decimal places any submitted decimal may carry, after trailing zeros are dropped.
pub const DECIMAL_PLACES_MAX: u32 = 4;

/// Decimal places of every money amount the rules produce (and of submitted payments).
pub const MONEY_PLACES: u32 = 2;

/// Every submitted decimal, and every amount computed from them, lies strictly below this
/// magnitude: 10^12.
pub const MAGNITUDE_LIMIT: i64 = 1_000_000_000_000;

/// Most lines of one sell bill, and most details of one settlement, by default
/// ([`CountLimits::DEFAULT`]; a server may configure another count).
pub const BILL_LINES_MAX: usize = 500;

/// Most clerks in one Qimen synchronisation request, by default ([`CountLimits::DEFAULT`]).
pub const CLERKS_MAX: usize = 500;

/// The smallest count a server may configure: a request needs at least one item.
pub const COUNT_MIN: usize = 1;

/// The largest count a server may configure, for details and for clerks alike: 20 times the
/// contract's 500. The limit bounds the work of one request (validation, pricing, the rows one
/// transaction writes, the stored document) whatever the body limit is, so a misconfigured
/// value cannot turn that protection off.
pub const COUNT_CEILING: usize = 10_000;

/// How many items one request may carry (CONTRACT §10: "500 details, 500 clerks"): lines of a
/// sell bill and details of a settlement (one count, the contract's "details"), and clerks of
/// a Qimen request. A longer list is [`FieldError::TooMany`](crate::field::FieldError::TooMany)
/// (1004).
///
/// Each count lies in [`COUNT_MIN`]`..=`[`COUNT_CEILING`]; the constructors refuse any other.
///
/// ```
/// use posbridge_domain::limits::{CountLimits, OutOfRange};
///
/// let limits = CountLimits::DEFAULT.with_details(2).unwrap();
/// assert_eq!((limits.details(), limits.clerks()), (2, 500));
/// assert_eq!(
///     CountLimits::DEFAULT.with_clerks(0),
///     Err(OutOfRange { min: 1, max: 10_000, given: 0 })
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountLimits {
    details: usize,
    clerks: usize,
}

impl CountLimits {
    /// The contract's counts: [`BILL_LINES_MAX`] details and [`CLERKS_MAX`] clerks.
    pub const DEFAULT: CountLimits = CountLimits {
        details: BILL_LINES_MAX,
        clerks: CLERKS_MAX,
    };

    /// These limits with `details` lines per bill and details per settlement.
    pub fn with_details(self, details: usize) -> Result<CountLimits, OutOfRange> {
        let details = OutOfRange::check(details, COUNT_MIN, COUNT_CEILING)?;
        Ok(CountLimits { details, ..self })
    }

    /// These limits with `clerks` clerks per Qimen request.
    pub fn with_clerks(self, clerks: usize) -> Result<CountLimits, OutOfRange> {
        let clerks = OutOfRange::check(clerks, COUNT_MIN, COUNT_CEILING)?;
        Ok(CountLimits { clerks, ..self })
    }

    /// Most lines of one sell bill, and most details of one settlement.
    pub fn details(self) -> usize {
        self.details
    }

    /// Most clerks of one Qimen request.
    pub fn clerks(self) -> usize {
        self.clerks
    }
}

impl Default for CountLimits {
    fn default() -> Self {
        CountLimits::DEFAULT
    }
}

/// A configured limit outside the range it may take: a mistake in a server's configuration,
/// never in a request (so it has no errcode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be between {min} and {max}, not {given}")]
pub struct OutOfRange {
    /// The smallest value allowed.
    pub min: usize,
    /// The largest value allowed.
    pub max: usize,
    /// The value given.
    pub given: usize,
}

impl OutOfRange {
    /// `given`, if it lies in `min..=max`.
    ///
    /// ```
    /// use posbridge_domain::limits::OutOfRange;
    ///
    /// assert_eq!(OutOfRange::check(8, 8, 64), Ok(8));
    /// assert_eq!(
    ///     OutOfRange::check(65, 8, 64).unwrap_err().to_string(),
    ///     "must be between 8 and 64, not 65"
    /// );
    /// ```
    pub fn check(given: usize, min: usize, max: usize) -> Result<usize, OutOfRange> {
        if (min..=max).contains(&given) {
            Ok(given)
        } else {
            Err(OutOfRange { min, max, given })
        }
    }
}

/// Sell bill header field lengths (seed 001).
pub mod sell_bill {
    /// `SenderBillNum`, the partner's key of the bill.
    pub const SENDER_BILL_NUM_MAX: usize = 32;
    /// `BillNum`, the server-assigned bill number.
    pub const BILL_NUM_MAX: usize = 32;
    /// `GuiderNumber`, the guide's licence number.
    pub const GUIDER_NUMBER_MAX: usize = 20;
    /// `Memory`, the bill's note.
    pub const MEMORY_MAX: usize = 100;
    /// `GuestMobile`.
    pub const GUEST_MOBILE_MAX: usize = 20;
    /// `GuestName`.
    pub const GUEST_NAME_MAX: usize = 30;
    /// `GuestCeriCode`, the guest's identity document number.
    pub const GUEST_CERI_CODE_MAX: usize = 20;
    /// `DeliverAddress`.
    pub const DELIVER_ADDRESS_MAX: usize = 50;
    /// `GuestMemory`, the guest's message.
    pub const GUEST_MEMORY_MAX: usize = 50;
    /// A line's `Unit` (the contract leaves it open; chosen).
    pub const UNIT_MAX: usize = 20;
    /// A line's `Standard` (the contract leaves it open; chosen).
    pub const STANDARD_MAX: usize = 50;
    /// `PayNum`, the partner's key of a payment.
    pub const PAY_NUM_MAX: usize = 32;
    /// A payment's `Memory`.
    pub const PAY_MEMORY_MAX: usize = 100;
}

/// Settlement field lengths (seed 002 gives none but `Memory`; the rest are chosen).
pub mod settlement {
    /// `BillNum`, the merchant's key of the settlement.
    pub const BILL_NUM_MAX: usize = 32;
    /// `ShopId`.
    pub const SHOP_ID_MAX: usize = 32;
    /// `CustomerType` and `CustomerId`.
    pub const CUSTOMER_KEY_MAX: usize = 32;
    /// `Memory`.
    pub const MEMORY_MAX: usize = 100;
    /// A detail's `SellBillNum`.
    pub const SELL_BILL_NUM_MAX: usize = 32;
    /// A detail's `BarCode`.
    pub const BAR_CODE_MAX: usize = 32;
    /// A detail's `ProductName`.
    pub const PRODUCT_NAME_MAX: usize = 100;
    /// A detail's `SellType`, `Standard`, `ProducingArea`, `QualityLevel` and `Unit`.
    pub const INFO_TEXT_MAX: usize = 50;
}

/// Clerk field lengths (seed 000 gives `clerkCode` and `clerkName` via CONTRACT §7; the rest
/// are chosen).
pub mod clerk {
    /// `storeCode` (a shop id).
    pub const STORE_CODE_MAX: usize = 32;
    /// `clerkCode`, unique per store.
    pub const CLERK_CODE_MAX: usize = 32;
    /// `sourceClerkCode`, the ERP's own code.
    pub const SOURCE_CLERK_CODE_MAX: usize = 32;
    /// `clerkName`.
    pub const CLERK_NAME_MAX: usize = 50;
    /// Short contact fields: `name`, `career`, `province`, `city`, `area`, `town`.
    pub const CONTACT_SHORT_MAX: usize = 50;
    /// Phone-like contact fields: `zipCode`, `tel`, `mobile`, `fax`.
    pub const CONTACT_PHONE_MAX: usize = 30;
    /// `email`.
    pub const CONTACT_EMAIL_MAX: usize = 100;
    /// `detailAddress`.
    pub const CONTACT_ADDRESS_MAX: usize = 200;
    /// Entries of `extendProps`.
    pub const EXTEND_PROPS_MAX: usize = 50;
    /// An `extendProps` key.
    pub const EXTEND_PROP_KEY_MAX: usize = 64;
    /// An `extendProps` value.
    pub const EXTEND_PROP_VALUE_MAX: usize = 1000;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_configurable_from_1_to_the_ceiling() {
        let limits = CountLimits::default();
        assert_eq!(limits, CountLimits::DEFAULT);
        assert_eq!((limits.details(), limits.clerks()), (500, 500));
        for count in [COUNT_MIN, 2, 501, COUNT_CEILING] {
            assert_eq!(
                limits.with_details(count).map(CountLimits::details),
                Ok(count)
            );
            assert_eq!(
                limits.with_clerks(count).map(CountLimits::clerks),
                Ok(count)
            );
        }
        let refused = |given| {
            Err(OutOfRange {
                min: 1,
                max: 10_000,
                given,
            })
        };
        for count in [0, COUNT_CEILING + 1, usize::MAX] {
            assert_eq!(limits.with_details(count), refused(count));
            assert_eq!(limits.with_clerks(count), refused(count));
        }
    }
}
