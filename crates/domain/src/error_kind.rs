//! The kinds of rule violation, one per errcode of CONTRACT §4 that the rules can produce.
//!
//! The numbers live in the protocol crate's one table; this enum is what it maps from. Every
//! error type of this crate answers [`ErrorKind`] through a `kind()` method, so a new variant
//! forces a decision there.

/// One kind of rule violation; each corresponds to exactly one errcode of CONTRACT §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// 1002: a required field is missing.
    MissingField,
    /// 1003: a field is invalid (too long, out of range, bad format, too many decimals).
    InvalidField,
    /// 1004: too many items (details, clerks).
    TooManyItems,
    /// 2001: the product has no warehouse record at the shop.
    NoStockRecord,
    /// 2002: the product has no price quote at the shop.
    NoPriceQuote,
    /// 2003: `RetailPrice` differs from the shop's current retail price.
    RetailPriceMismatch,
    /// 2004: the discounted price is below the lowest retail price.
    BelowLowestRetailPrice,
    /// 2005: invalid discount (`DiscountRate`/`DiscountBase`).
    InvalidDiscount,
    /// 2006: unknown guide number.
    UnknownGuide,
    /// 2101: unknown store.
    UnknownStore,
    /// 2102: the clerk already exists with other content.
    ClerkExists,
    /// 2103: the clerk does not exist.
    ClerkNotFound,
    /// 3001: the bill does not exist (or is not visible).
    BillNotFound,
    /// 3002: the bill has payments and cannot be edited.
    BillNotEditable,
    /// 3003: the bill is deleted or closed.
    BillDeletedOrClosed,
    /// 3004: the payment exceeds the outstanding amount.
    PaymentExceedsOutstanding,
    /// 3005: the `PayNum` was used for a different payment.
    PayNumReused,
    /// 3006: a paid bill cannot be deleted or closed.
    PaidBillNotClosable,
    /// 4001: the settlement `BillNum` was used with other content.
    SettlementBillNumReused,
    /// 4002: the referenced sell bill is missing, unpaid, or of another shop or customer unit.
    SellBillNotSettleable,
    /// 4003: the settled quantity would exceed the sold quantity.
    OverSettled,
    /// 4004: settlement prices differ from the sell bill, or `CalPrice` is out of range.
    SettlementPriceMismatch,
    /// 4005: merchant, shop or customer unit mismatch.
    OwnerMismatch,
    /// 4006: the settlement does not exist (or is not visible).
    SettlementNotFound,
}

impl ErrorKind {
    /// Every kind, in errcode order.
    pub const ALL: [ErrorKind; 24] = [
        ErrorKind::MissingField,
        ErrorKind::InvalidField,
        ErrorKind::TooManyItems,
        ErrorKind::NoStockRecord,
        ErrorKind::NoPriceQuote,
        ErrorKind::RetailPriceMismatch,
        ErrorKind::BelowLowestRetailPrice,
        ErrorKind::InvalidDiscount,
        ErrorKind::UnknownGuide,
        ErrorKind::UnknownStore,
        ErrorKind::ClerkExists,
        ErrorKind::ClerkNotFound,
        ErrorKind::BillNotFound,
        ErrorKind::BillNotEditable,
        ErrorKind::BillDeletedOrClosed,
        ErrorKind::PaymentExceedsOutstanding,
        ErrorKind::PayNumReused,
        ErrorKind::PaidBillNotClosable,
        ErrorKind::SettlementBillNumReused,
        ErrorKind::SellBillNotSettleable,
        ErrorKind::OverSettled,
        ErrorKind::SettlementPriceMismatch,
        ErrorKind::OwnerMismatch,
        ErrorKind::SettlementNotFound,
    ];
}

impl crate::field::FieldError {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            crate::field::FieldError::Missing { .. } => ErrorKind::MissingField,
            crate::field::FieldError::Invalid { .. } => ErrorKind::InvalidField,
            crate::field::FieldError::TooMany { .. } => ErrorKind::TooManyItems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    /// Where each kind stands in [`ErrorKind::ALL`]. The match has no wildcard arm, so a new
    /// variant fails to compile until it is placed here and in `ALL`.
    fn position(kind: ErrorKind) -> usize {
        match kind {
            ErrorKind::MissingField => 0,
            ErrorKind::InvalidField => 1,
            ErrorKind::TooManyItems => 2,
            ErrorKind::NoStockRecord => 3,
            ErrorKind::NoPriceQuote => 4,
            ErrorKind::RetailPriceMismatch => 5,
            ErrorKind::BelowLowestRetailPrice => 6,
            ErrorKind::InvalidDiscount => 7,
            ErrorKind::UnknownGuide => 8,
            ErrorKind::UnknownStore => 9,
            ErrorKind::ClerkExists => 10,
            ErrorKind::ClerkNotFound => 11,
            ErrorKind::BillNotFound => 12,
            ErrorKind::BillNotEditable => 13,
            ErrorKind::BillDeletedOrClosed => 14,
            ErrorKind::PaymentExceedsOutstanding => 15,
            ErrorKind::PayNumReused => 16,
            ErrorKind::PaidBillNotClosable => 17,
            ErrorKind::SettlementBillNumReused => 18,
            ErrorKind::SellBillNotSettleable => 19,
            ErrorKind::OverSettled => 20,
            ErrorKind::SettlementPriceMismatch => 21,
            ErrorKind::OwnerMismatch => 22,
            ErrorKind::SettlementNotFound => 23,
        }
    }

    #[test]
    fn all_lists_every_kind_once_in_errcode_order() {
        for (index, kind) in ErrorKind::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), index, "{kind:?}");
        }
        let mut sorted = ErrorKind::ALL;
        sorted.sort();
        assert_eq!(sorted, ErrorKind::ALL, "declaration order is errcode order");
    }
}
