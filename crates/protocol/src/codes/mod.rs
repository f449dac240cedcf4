//! The one table of wire codes: every errcode of CONTRACT §4 with its HTTP status, meaning and
//! Qimen answer, and the only place where an error becomes a number.
//!
//! Domain errors arrive as [`ErrorKind`] (each domain error type answers `kind()`); protocol
//! errors (unreadable bodies, wrong shapes) and transport conditions (size, media type, path,
//! method, credentials, internal failures) are variants here. Every mapping is an exhaustive
//! `match` without a wildcard arm, so a new kind or code forces a decision.

use posbridge_domain::ErrorKind;

use crate::format_error::FormatError;
use crate::read::ReadError;

pub mod doc;
#[cfg(test)]
mod tests;

/// An errcode of CONTRACT §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WireCode {
    /// 0: success, also for an identical replay.
    Success,
    /// 1001: the body cannot be parsed.
    Unparseable,
    /// 1002: a required field is missing.
    MissingField,
    /// 1003: a field is invalid.
    InvalidField,
    /// 1004: too many items.
    TooManyItems,
    /// 1005: the body is too large.
    BodyTooLarge,
    /// 1006: unsupported media type.
    UnsupportedMediaType,
    /// 1007: unknown path.
    UnknownPath,
    /// 1008: method not allowed.
    MethodNotAllowed,
    /// 2001: no warehouse record.
    NoStockRecord,
    /// 2002: no price quote.
    NoPriceQuote,
    /// 2003: retail price differs from the shop's.
    RetailPriceMismatch,
    /// 2004: below the lowest retail price.
    BelowLowestRetailPrice,
    /// 2005: invalid discount.
    InvalidDiscount,
    /// 2006: unknown guide number.
    UnknownGuide,
    /// 2101: unknown store.
    UnknownStore,
    /// 2102: clerk exists with other content.
    ClerkExists,
    /// 2103: clerk not found.
    ClerkNotFound,
    /// 3001: bill not found.
    BillNotFound,
    /// 3002: bill not editable.
    BillNotEditable,
    /// 3003: bill deleted or closed.
    BillDeletedOrClosed,
    /// 3004: payment exceeds the outstanding amount.
    PaymentExceedsOutstanding,
    /// 3005: `PayNum` reused.
    PayNumReused,
    /// 3006: a paid bill cannot be deleted or closed.
    PaidBillNotClosable,
    /// 4001: settlement `BillNum` reused.
    SettlementBillNumReused,
    /// 4002: sell bill not settleable.
    SellBillNotSettleable,
    /// 4003: over-settled.
    OverSettled,
    /// 4004: settlement price mismatch.
    SettlementPriceMismatch,
    /// 4005: merchant, shop or customer unit mismatch.
    OwnerMismatch,
    /// 4006: settlement not found.
    SettlementNotFound,
    /// 5001: missing or invalid credentials.
    Unauthenticated,
    /// 5002: not allowed for this account.
    Forbidden,
    /// 9001: internal error.
    Internal,
    /// 9002: overloaded or shutting down.
    Unavailable,
}

/// How the Qimen endpoint answers a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QimenAnswer {
    /// `<error_response>` with this TOP code and `sub_code`, when it has one.
    Gateway(TopCode, Option<&'static str>),
    /// `<response>` with `flag` `failure` and `code` the errcode as text.
    BusinessFailure,
    /// `<response>` with `flag` `success` and `code` `0`.
    Success,
}

/// The TOP gateway codes of CONTRACT §7, with their `msg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopCode {
    /// 21: missing method.
    MissingMethod,
    /// 22: invalid method.
    InvalidMethod,
    /// 25: invalid signature.
    InvalidSignature,
    /// 28: missing app key.
    MissingAppKey,
    /// 29: invalid app key.
    InvalidAppKey,
    /// 31: invalid timestamp.
    InvalidTimestamp,
    /// 40: missing required arguments.
    MissingArguments,
    /// 50: remote service error (`isv.invalid-parameter` for a bad body).
    RemoteServiceError,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The errcode.
    pub errcode: i32,
    /// The HTTP status of an answer with this code.
    pub http_status: u16,
    /// CONTRACT §4's meaning, used as the message when nothing more precise is known.
    pub meaning: &'static str,
    /// The Qimen answer.
    pub qimen: QimenAnswer,
}

const fn row(errcode: i32, http_status: u16, meaning: &'static str, qimen: QimenAnswer) -> Row {
    Row {
        errcode,
        http_status,
        meaning,
        qimen,
    }
}

/// `sub_code` of an unparseable or invalid body, as in seed 000's sample.
pub const SUB_CODE_INVALID_PARAMETER: &str = "isv.invalid-parameter";
/// `sub_code` of a missing required query parameter.
pub const SUB_CODE_MISSING_PARAMETER: &str = "isv.missing-parameter";

const INVALID_PARAMETER: QimenAnswer = QimenAnswer::Gateway(
    TopCode::RemoteServiceError,
    Some(SUB_CODE_INVALID_PARAMETER),
);
const FAILURE: QimenAnswer = QimenAnswer::BusinessFailure;

impl WireCode {
    /// Every code, in errcode order.
    pub const ALL: [WireCode; 34] = [
        WireCode::Success,
        WireCode::Unparseable,
        WireCode::MissingField,
        WireCode::InvalidField,
        WireCode::TooManyItems,
        WireCode::BodyTooLarge,
        WireCode::UnsupportedMediaType,
        WireCode::UnknownPath,
        WireCode::MethodNotAllowed,
        WireCode::NoStockRecord,
        WireCode::NoPriceQuote,
        WireCode::RetailPriceMismatch,
        WireCode::BelowLowestRetailPrice,
        WireCode::InvalidDiscount,
        WireCode::UnknownGuide,
        WireCode::UnknownStore,
        WireCode::ClerkExists,
        WireCode::ClerkNotFound,
        WireCode::BillNotFound,
        WireCode::BillNotEditable,
        WireCode::BillDeletedOrClosed,
        WireCode::PaymentExceedsOutstanding,
        WireCode::PayNumReused,
        WireCode::PaidBillNotClosable,
        WireCode::SettlementBillNumReused,
        WireCode::SellBillNotSettleable,
        WireCode::OverSettled,
        WireCode::SettlementPriceMismatch,
        WireCode::OwnerMismatch,
        WireCode::SettlementNotFound,
        WireCode::Unauthenticated,
        WireCode::Forbidden,
        WireCode::Internal,
        WireCode::Unavailable,
    ];

    /// The table: errcode, HTTP status, meaning and Qimen answer of every code.
    pub const fn row(self) -> Row {
        use QimenAnswer::Gateway;
        use TopCode::*;
        match self {
            WireCode::Success => row(0, 200, "success", QimenAnswer::Success),
            WireCode::Unparseable => row(1001, 400, "body cannot be parsed", INVALID_PARAMETER),
            WireCode::MissingField => row(1002, 200, "required field missing", INVALID_PARAMETER),
            WireCode::InvalidField => row(1003, 200, "field invalid", INVALID_PARAMETER),
            WireCode::TooManyItems => row(1004, 200, "too many items", INVALID_PARAMETER),
            WireCode::BodyTooLarge => row(1005, 413, "body too large", INVALID_PARAMETER),
            WireCode::UnsupportedMediaType => {
                row(1006, 415, "unsupported media type", INVALID_PARAMETER)
            }
            WireCode::UnknownPath => row(1007, 404, "unknown path", Gateway(InvalidMethod, None)),
            WireCode::MethodNotAllowed => row(
                1008,
                405,
                "method not allowed",
                Gateway(InvalidMethod, None),
            ),
            WireCode::NoStockRecord => row(
                2001,
                200,
                "product has no warehouse record at the shop",
                FAILURE,
            ),
            WireCode::NoPriceQuote => {
                row(2002, 200, "product has no price quote at the shop", FAILURE)
            }
            WireCode::RetailPriceMismatch => row(
                2003,
                200,
                "RetailPrice differs from the shop's current retail price",
                FAILURE,
            ),
            WireCode::BelowLowestRetailPrice => row(
                2004,
                200,
                "discounted price below the lowest retail price",
                FAILURE,
            ),
            WireCode::InvalidDiscount => row(2005, 200, "invalid discount", FAILURE),
            WireCode::UnknownGuide => row(2006, 200, "unknown guide number", FAILURE),
            WireCode::UnknownStore => row(2101, 200, "unknown store", FAILURE),
            WireCode::ClerkExists => row(
                2102,
                200,
                "clerk already exists with other content",
                FAILURE,
            ),
            WireCode::ClerkNotFound => row(2103, 200, "clerk not found", FAILURE),
            WireCode::BillNotFound => row(3001, 200, "bill not found", FAILURE),
            WireCode::BillNotEditable => {
                row(3002, 200, "bill not editable: it has payments", FAILURE)
            }
            WireCode::BillDeletedOrClosed => row(3003, 200, "bill deleted or closed", FAILURE),
            WireCode::PaymentExceedsOutstanding => {
                row(3004, 200, "payment exceeds the outstanding amount", FAILURE)
            }
            WireCode::PayNumReused => {
                row(3005, 200, "PayNum reused for a different payment", FAILURE)
            }
            WireCode::PaidBillNotClosable => row(
                3006,
                200,
                "a paid bill cannot be deleted or closed",
                FAILURE,
            ),
            WireCode::SettlementBillNumReused => row(
                4001,
                200,
                "settlement BillNum reused with other content",
                FAILURE,
            ),
            WireCode::SellBillNotSettleable => row(
                4002,
                200,
                "referenced sell bill not found, not paid, or of another shop or customer unit",
                FAILURE,
            ),
            WireCode::OverSettled => row(
                4003,
                200,
                "settled quantity would exceed the sold quantity",
                FAILURE,
            ),
            WireCode::SettlementPriceMismatch => row(
                4004,
                200,
                "settlement prices differ from the sell bill, or CalPrice out of range",
                FAILURE,
            ),
            WireCode::OwnerMismatch => row(
                4005,
                200,
                "merchant, shop or customer unit mismatch",
                FAILURE,
            ),
            WireCode::SettlementNotFound => row(4006, 200, "settlement not found", FAILURE),
            WireCode::Unauthenticated => row(
                5001,
                401,
                "missing or invalid credentials",
                Gateway(InvalidSignature, None),
            ),
            WireCode::Forbidden => row(
                5002,
                403,
                "not allowed for this account",
                Gateway(InvalidAppKey, None),
            ),
            WireCode::Internal => row(
                9001,
                500,
                "internal error; retrying the same request is safe",
                Gateway(RemoteServiceError, Some("isp.unknown-error")),
            ),
            WireCode::Unavailable => row(
                9002,
                503,
                "overloaded or shutting down; retry later",
                Gateway(RemoteServiceError, Some("isp.service-unavailable")),
            ),
        }
    }

    /// The errcode.
    pub const fn errcode(self) -> i32 {
        self.row().errcode
    }

    /// The HTTP status.
    pub const fn http_status(self) -> u16 {
        self.row().http_status
    }

    /// The code of an errcode (a client decoding an answer).
    pub fn from_errcode(errcode: i32) -> Option<WireCode> {
        WireCode::ALL
            .into_iter()
            .find(|code| code.errcode() == errcode)
    }

    /// The code of a domain rule violation.
    pub const fn from_kind(kind: ErrorKind) -> WireCode {
        match kind {
            ErrorKind::MissingField => WireCode::MissingField,
            ErrorKind::InvalidField => WireCode::InvalidField,
            ErrorKind::TooManyItems => WireCode::TooManyItems,
            ErrorKind::NoStockRecord => WireCode::NoStockRecord,
            ErrorKind::NoPriceQuote => WireCode::NoPriceQuote,
            ErrorKind::RetailPriceMismatch => WireCode::RetailPriceMismatch,
            ErrorKind::BelowLowestRetailPrice => WireCode::BelowLowestRetailPrice,
            ErrorKind::InvalidDiscount => WireCode::InvalidDiscount,
            ErrorKind::UnknownGuide => WireCode::UnknownGuide,
            ErrorKind::UnknownStore => WireCode::UnknownStore,
            ErrorKind::ClerkExists => WireCode::ClerkExists,
            ErrorKind::ClerkNotFound => WireCode::ClerkNotFound,
            ErrorKind::BillNotFound => WireCode::BillNotFound,
            ErrorKind::BillNotEditable => WireCode::BillNotEditable,
            ErrorKind::BillDeletedOrClosed => WireCode::BillDeletedOrClosed,
            ErrorKind::PaymentExceedsOutstanding => WireCode::PaymentExceedsOutstanding,
            ErrorKind::PayNumReused => WireCode::PayNumReused,
            ErrorKind::PaidBillNotClosable => WireCode::PaidBillNotClosable,
            ErrorKind::SettlementBillNumReused => WireCode::SettlementBillNumReused,
            ErrorKind::SellBillNotSettleable => WireCode::SellBillNotSettleable,
            ErrorKind::OverSettled => WireCode::OverSettled,
            ErrorKind::SettlementPriceMismatch => WireCode::SettlementPriceMismatch,
            ErrorKind::OwnerMismatch => WireCode::OwnerMismatch,
            ErrorKind::SettlementNotFound => WireCode::SettlementNotFound,
        }
    }

    /// The code of an unreadable body: 1005 when too large, else 1001.
    pub const fn from_format_error(error: &FormatError) -> WireCode {
        match error {
            FormatError::TooLarge { .. } => WireCode::BodyTooLarge,
            FormatError::Malformed(_)
            | FormatError::TooDeep { .. }
            | FormatError::Forbidden(_)
            | FormatError::WrongRoot(_) => WireCode::Unparseable,
        }
    }

    /// The code of a member of the wrong shape: 1001 at the document root, else 1003.
    pub fn from_read_error(error: &ReadError) -> WireCode {
        if error.field.as_str().is_empty() {
            WireCode::Unparseable
        } else {
            WireCode::InvalidField
        }
    }
}

impl TopCode {
    /// Every TOP code.
    pub const ALL: [TopCode; 8] = [
        TopCode::MissingMethod,
        TopCode::InvalidMethod,
        TopCode::InvalidSignature,
        TopCode::MissingAppKey,
        TopCode::InvalidAppKey,
        TopCode::InvalidTimestamp,
        TopCode::MissingArguments,
        TopCode::RemoteServiceError,
    ];

    /// `code` and `msg` of the `error_response`.
    pub const fn parts(self) -> (&'static str, &'static str) {
        match self {
            TopCode::MissingMethod => ("21", "Missing method"),
            TopCode::InvalidMethod => ("22", "Invalid method"),
            TopCode::InvalidSignature => ("25", "Invalid signature"),
            TopCode::MissingAppKey => ("28", "Missing app key"),
            TopCode::InvalidAppKey => ("29", "Invalid app key"),
            TopCode::InvalidTimestamp => ("31", "Invalid timestamp"),
            TopCode::MissingArguments => ("40", "Missing required arguments"),
            TopCode::RemoteServiceError => ("50", "Remote service error"),
        }
    }
}
