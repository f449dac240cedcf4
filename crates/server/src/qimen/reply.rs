//! Writing Qimen answers: `response` (success or business failure) and `error_response`
//! (gateway refusals and internal errors), in the request's format, with what the request log
//! line needs.

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use posbridge_protocol::codes::QimenAnswer as CodeAnswer;
use posbridge_protocol::dto::QimenErrorResponse;
use posbridge_protocol::qimen::{GatewayError, QimenFormat, write_error_response, write_response};

use super::Answered;
use crate::error::{ApiError, Outcome};

/// Why a call gets an `error_response`.
#[derive(Debug)]
pub(super) enum Refusal {
    /// Refused at the gateway (TOP codes 21–50); answered 200, as the TOP gateway does.
    Gateway(GatewayError),
    /// The store failed (9001/9002): answered with the Qimen row of the code table and the
    /// code's HTTP status; the cause goes only to the log.
    Internal(ApiError),
}

impl From<GatewayError> for Refusal {
    fn from(error: GatewayError) -> Refusal {
        Refusal::Gateway(error)
    }
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Refusal {
        Refusal::Internal(error)
    }
}

/// The answer to a call that passed the gateway.
pub(super) fn answered(
    format: QimenFormat,
    account: Option<String>,
    answer: &Answered,
) -> Response {
    let outcome = Outcome {
        errcode: answer.errcode,
        account,
        detail: None,
    };
    render(
        format,
        StatusCode::OK,
        write_response(&answer.response, format),
        outcome,
    )
}

/// The `error_response` of a refused call.
pub(super) fn refused(format: QimenFormat, account: Option<String>, refusal: &Refusal) -> Response {
    let (status, response, detail) = match refusal {
        Refusal::Gateway(error) => (StatusCode::OK, error.to_response(), None),
        Refusal::Internal(error) => (
            error.status(),
            internal_response(error),
            error.detail().map(str::to_owned),
        ),
    };
    let errcode = response
        .code
        .as_deref()
        .and_then(|code| code.parse().ok())
        .unwrap_or_default();
    let outcome = Outcome {
        errcode,
        account,
        detail,
    };
    render(
        format,
        status,
        write_error_response(&response, format),
        outcome,
    )
}

/// The `error_response` the code table gives an internal error: its TOP code, `msg`, and
/// `sub_code`, with the error's client message (never its detail) as `sub_msg`.
fn internal_response(error: &ApiError) -> QimenErrorResponse {
    let (top, sub_code) = match error.wire_code().row().qimen {
        CodeAnswer::Gateway(top, sub_code) => (top, sub_code),
        CodeAnswer::BusinessFailure | CodeAnswer::Success => {
            (posbridge_protocol::codes::TopCode::RemoteServiceError, None)
        }
    };
    let (code, msg) = top.parts();
    QimenErrorResponse {
        code: Some(code.to_owned()),
        msg: Some(msg.to_owned()),
        sub_code: sub_code.map(str::to_owned),
        sub_msg: Some(error.message().to_owned()),
    }
}

fn render(format: QimenFormat, status: StatusCode, bytes: Vec<u8>, outcome: Outcome) -> Response {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    response.extensions_mut().insert(outcome);
    response
}
