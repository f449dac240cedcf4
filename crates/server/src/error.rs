//! [`ApiError`], the one error type of the HTTP surface: an errcode from the protocol's table, a
//! message for the client, and (never sent) a detail for the log.

use std::fmt;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use posbridge_domain::ErrorKind;
use posbridge_domain::field::FieldError;
use posbridge_domain::sell_bill::{InconsistentBill, SellBillError};
use posbridge_domain::settlement::SettlementError;
use posbridge_protocol::codec::DecodeError;
use posbridge_protocol::codes::WireCode;
use posbridge_protocol::media::UnsupportedMediaType;
use posbridge_store::{OpError, StoreError};

/// A request that did not succeed. The errcode comes from [`WireCode`], the HTTP status from its
/// row of the table. Internal errors carry their cause only in `detail`, which goes to the log
/// line, never to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: WireCode,
    message: String,
    detail: Option<String>,
}

impl ApiError {
    /// An error with this code and message (the message is sent to the client).
    pub fn new(code: WireCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// An error whose message is the table's meaning of `code`.
    pub fn code(code: WireCode) -> ApiError {
        ApiError::new(code, code.row().meaning)
    }

    /// 9001 with the table's message; `detail` is only logged.
    pub fn internal(detail: impl Into<String>) -> ApiError {
        ApiError {
            detail: Some(detail.into()),
            ..ApiError::code(WireCode::Internal)
        }
    }

    /// 1002 naming a missing field.
    pub fn missing(field: &str) -> ApiError {
        ApiError::new(
            WireCode::MissingField,
            format!("required field {field} is missing"),
        )
    }

    /// 1003 naming an invalid field.
    pub fn invalid(field: &str, problem: impl fmt::Display) -> ApiError {
        ApiError::new(WireCode::InvalidField, format!("field {field} {problem}"))
    }

    /// The errcode's entry.
    pub fn wire_code(&self) -> WireCode {
        self.code
    }

    /// What the client is told.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What only the log is told.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn from_kind(kind: ErrorKind, message: String) -> ApiError {
        ApiError::new(WireCode::from_kind(kind), message)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code.errcode(), self.message)
    }
}

impl std::error::Error for ApiError {}

/// The rendering of an [`ApiError`] that left the handlers (auth, unknown paths, timeouts): the
/// envelope middleware writes its body in the negotiated format.
#[derive(Debug, Clone)]
pub(crate) struct PendingError(pub(crate) ApiError);

/// What the request log line says about an answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    /// The envelope's errcode.
    pub(crate) errcode: i32,
    /// The authenticated account, once known.
    pub(crate) account: Option<String>,
    /// An internal cause, never sent.
    pub(crate) detail: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Outcome {
            errcode: self.code.errcode(),
            account: None,
            detail: self.detail.clone(),
        });
        response.extensions_mut().insert(PendingError(self));
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Unavailable(detail) => ApiError {
                detail: Some(detail),
                ..ApiError::code(WireCode::Unavailable)
            },
            StoreError::NotFound(_) | StoreError::Conflict(_) | StoreError::Corrupt(_) => {
                ApiError::internal(error.to_string())
            }
        }
    }
}

impl From<InconsistentBill> for ApiError {
    fn from(error: InconsistentBill) -> ApiError {
        ApiError::internal(error.to_string())
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> ApiError {
        ApiError::from_kind(error.kind(), error.to_string())
    }
}

impl From<SellBillError> for ApiError {
    fn from(error: SellBillError) -> ApiError {
        ApiError::from_kind(error.kind(), error.to_string())
    }
}

impl From<SettlementError> for ApiError {
    fn from(error: SettlementError) -> ApiError {
        ApiError::from_kind(error.kind(), error.to_string())
    }
}

impl<E> From<OpError<E>> for ApiError
where
    ApiError: From<E>,
{
    fn from(error: OpError<E>) -> ApiError {
        match error {
            OpError::Refused(refused) => ApiError::from(refused),
            OpError::Store(store) => <ApiError as From<StoreError>>::from(store),
        }
    }
}

impl From<DecodeError> for ApiError {
    fn from(error: DecodeError) -> ApiError {
        ApiError::new(error.wire_code(), error.to_string())
    }
}

impl From<UnsupportedMediaType> for ApiError {
    fn from(error: UnsupportedMediaType) -> ApiError {
        ApiError::new(WireCode::UnsupportedMediaType, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(error: ApiError, errcode: i32, status: u16, message: &str) {
        assert_eq!(error.wire_code().errcode(), errcode, "{error:?}");
        assert_eq!(error.status().as_u16(), status, "{error:?}");
        assert_eq!(error.message(), message, "{error:?}");
    }

    #[test]
    fn store_errors_hide_their_text() {
        check(
            StoreError::Corrupt("row 7 of sell_bills".into()).into(),
            9001,
            500,
            "internal error; retrying the same request is safe",
        );
        check(
            StoreError::Unavailable("disk I/O error at /var/db".into()).into(),
            9002,
            503,
            "overloaded or shutting down; retry later",
        );
        check(
            OpError::<SellBillError>::Refused(SellBillError::NotFound).into(),
            3001,
            200,
            "bill not found",
        );
    }
}
