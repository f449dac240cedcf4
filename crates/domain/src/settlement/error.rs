//! Why a settlement is refused.

use std::fmt;

use rust_decimal::Decimal;

use crate::error_kind::ErrorKind;
use crate::field::{FieldError, FieldPath};
use crate::ids::{BillNum, ProductId};
use crate::rejection::{Failure, Rejection};
use crate::sell_bill::BillState;

/// Why a referenced sell bill cannot be settled (4002). A bill of another shop or customer unit
/// is reported as not found, like a missing one, so that no other tenant's bill number leaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSettleable {
    /// No such bill for this shop and customer unit.
    NotFound,
    /// The bill is not `Paid`.
    NotPaid(BillState),
    /// The bill has no line of the product.
    ProductNotSold(ProductId),
}

impl fmt::Display for NotSettleable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotSettleable::NotFound => f.write_str("is not found for this shop and customer unit"),
            NotSettleable::NotPaid(state) => write!(f, "is {state}, not Paid"),
            NotSettleable::ProductNotSold(product) => write!(f, "has no line of product {product}"),
        }
    }
}

/// What a settlement field was expected to be (4004).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceExpectation {
    /// Equal to the sell bill's snapshot.
    Equal(Decimal),
    /// From 0 to this retail price.
    AtMost(Decimal),
}

impl fmt::Display for PriceExpectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriceExpectation::Equal(price) => write!(f, "the sell bill's {price}"),
            PriceExpectation::AtMost(price) => write!(f, "between 0 and the RetailPrice {price}"),
        }
    }
}

/// One failing detail, or a header that does not belong to the account (4002–4005).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettlementFailure {
    /// 4002: the sell bill is missing, unpaid, of another shop or customer unit, or lacks the
    /// product.
    #[error("{detail}: sell bill {sell_bill_num} {reason}")]
    NotSettleable {
        /// The failing detail (`Details[i]`).
        detail: FieldPath,
        /// The sell bill named.
        sell_bill_num: BillNum,
        /// Why.
        reason: NotSettleable,
    },
    /// 4003: this detail would settle more than was sold (no double rebate).
    #[error(
        "{detail}: settling {requested} of product {product_id} on sell bill {sell_bill_num} exceeds the {sold} sold, of which {settled} are already settled"
    )]
    OverSettled {
        /// The failing detail.
        detail: FieldPath,
        /// The sell bill.
        sell_bill_num: BillNum,
        /// The product.
        product_id: ProductId,
        /// The quantity on the sell bill.
        sold: Decimal,
        /// The quantity settled before this detail.
        settled: Decimal,
        /// The quantity this detail asks for.
        requested: Decimal,
    },
    /// 4004: a price differs from the sell bill's snapshot, or `CalPrice` is out of range.
    #[error("{field} is {given}, expected {expected}")]
    PriceMismatch {
        /// The failing field (`Details[i].RetailPrice`).
        field: FieldPath,
        /// The value sent.
        given: Decimal,
        /// What it should be.
        expected: PriceExpectation,
    },
    /// 4005: a merchant, shop or customer unit that is not the account's or the header's.
    #[error("{field} {given} does not match {expected}")]
    OwnerMismatch {
        /// The field (`MerchantId`, `ShopId`, `CustomerId`, `Details[i].ShopId`, …).
        field: FieldPath,
        /// The value sent.
        given: String,
        /// What it had to match.
        expected: String,
    },
}

impl SettlementFailure {
    /// The kind of this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SettlementFailure::NotSettleable { .. } => ErrorKind::SellBillNotSettleable,
            SettlementFailure::OverSettled { .. } => ErrorKind::OverSettled,
            SettlementFailure::PriceMismatch { .. } => ErrorKind::SettlementPriceMismatch,
            SettlementFailure::OwnerMismatch { .. } => ErrorKind::OwnerMismatch,
        }
    }
}

/// Every failure of one settlement: the header's, or the details' in order.
pub type SettlementRejection = Rejection<SettlementFailure>;

impl Failure for SettlementFailure {
    fn kind(&self) -> ErrorKind {
        SettlementFailure::kind(self)
    }
}

/// A refused settlement. Nothing is settled whenever one of these is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettlementError {
    /// 1002–1004: a field is missing or invalid.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// 4001: the merchant's `BillNum` already names a settlement with other content.
    #[error("settlement BillNum {bill_num} was already used with other content")]
    BillNumReused {
        /// The reused key.
        bill_num: String,
    },
    /// 4002–4005: details or the header fail against the sell bills and the account.
    #[error(transparent)]
    Rejected(#[from] SettlementRejection),
    /// 4006: no such settlement is visible to the caller.
    #[error("settlement {bill_num} not found")]
    NotFound {
        /// The `BillNum` asked for.
        bill_num: String,
    },
}

impl SettlementError {
    /// The kind of this error, which decides its errcode.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SettlementError::Field(error) => error.kind(),
            SettlementError::BillNumReused { .. } => ErrorKind::SettlementBillNumReused,
            SettlementError::Rejected(rejection) => rejection.kind(),
            SettlementError::NotFound { .. } => ErrorKind::SettlementNotFound,
        }
    }
}
