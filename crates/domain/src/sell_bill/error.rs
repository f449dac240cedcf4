//! Why a sell bill operation is refused.

use crate::catalog::CatalogRejection;
use crate::error_kind::ErrorKind;
use crate::field::FieldError;
use crate::ids::{BillNum, PayNum, SenderBillNum};
use crate::money::Money;

use super::state::BillState;

/// A refused sell bill operation. The bill is unchanged whenever one of these is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SellBillError {
    /// 1002–1004: a field is missing or invalid.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// 2001–2006: lines or the guide fail against the shop's catalog.
    #[error(transparent)]
    Rejected(#[from] CatalogRejection),
    /// 3001: no such bill is visible to the caller, or `BillNum` and `SenderBillNum` name
    /// different bills.
    #[error("bill not found")]
    NotFound,
    /// 3002: the bill has payments, so its content can no longer change.
    #[error("bill {bill_num} is not editable: it has payments")]
    NotEditable {
        /// The bill.
        bill_num: BillNum,
        /// Its state (`PartPaid` or `Paid`).
        state: BillState,
    },
    /// 3003: the bill is deleted or closed.
    #[error("bill {bill_num} is {state}")]
    DeletedOrClosed {
        /// The bill.
        bill_num: BillNum,
        /// `Deleted` or `Closed`.
        state: BillState,
    },
    /// 3004: the payment is larger than what is outstanding (nothing is, on a paid bill).
    #[error(
        "payment of {requested} exceeds the outstanding amount {outstanding} of bill {bill_num}"
    )]
    ExceedsOutstanding {
        /// The bill.
        bill_num: BillNum,
        /// The amount asked for.
        requested: Money,
        /// What remains to be paid.
        outstanding: Money,
    },
    /// 3005: the `PayNum` already names a different payment of this bill.
    #[error("PayNum {pay_num} was already used on bill {bill_num} for a different payment")]
    PayNumReused {
        /// The bill.
        bill_num: BillNum,
        /// The reused key.
        pay_num: PayNum,
    },
    /// 3006: a paid bill can be neither deleted nor closed.
    #[error("bill {bill_num} is paid and cannot be deleted or closed")]
    PaidNotClosable {
        /// The bill.
        bill_num: BillNum,
    },
    /// 4005: the `SenderBillNum` is bound to a bill of another shop of the same customer unit.
    #[error("SenderBillNum {sender_bill_num} is already used by a bill of another shop")]
    OtherShop {
        /// The key sent.
        sender_bill_num: SenderBillNum,
    },
}

impl SellBillError {
    /// The kind of this error, which decides its errcode.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SellBillError::Field(error) => error.kind(),
            SellBillError::Rejected(rejection) => rejection.kind(),
            SellBillError::NotFound => ErrorKind::BillNotFound,
            SellBillError::NotEditable { .. } => ErrorKind::BillNotEditable,
            SellBillError::DeletedOrClosed { .. } => ErrorKind::BillDeletedOrClosed,
            SellBillError::ExceedsOutstanding { .. } => ErrorKind::PaymentExceedsOutstanding,
            SellBillError::PayNumReused { .. } => ErrorKind::PayNumReused,
            SellBillError::PaidNotClosable { .. } => ErrorKind::PaidBillNotClosable,
            SellBillError::OtherShop { .. } => ErrorKind::OwnerMismatch,
        }
    }
}
