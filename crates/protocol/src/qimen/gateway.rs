//! Gateway failures (`error_response`, CONTRACT §7) with the TOP platform codes, and the method
//! names the endpoint answers to.
//!
//! A gateway failure means the call never reached the clerk rules: bad method, app key,
//! timestamp or signature, or a body that is unparseable or invalid. Rule outcomes (2101–2103)
//! are not gateway failures; they are `response`s with `flag` `failure` (see
//! [`super::answer`]). The TOP `code` and `msg` texts live in the one code table,
//! [`TopCode`]; this module only says which failure gets which.

use std::fmt;

use crate::codes::TopCode;
use crate::dto::QimenErrorResponse;

/// The method names accepted in the `method` parameter: the API's own name, the spelling of the
/// Qimen SDKs, and the bare name some ERPs send.
pub const METHODS: [&str; 3] = [
    "taobao.qimen.pos.clerk.synchronize",
    "qimen.taobao.pos.clerk.synchronize",
    "pos.clerk.synchronize",
];

pub use crate::codes::{SUB_CODE_INVALID_PARAMETER, SUB_CODE_MISSING_PARAMETER};

/// A call refused at the gateway, answered with an `error_response`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// 21: no `method` parameter.
    #[error("missing method")]
    MissingMethod,
    /// 22: a `method` this endpoint does not serve.
    #[error("invalid method")]
    InvalidMethod,
    /// 25: the signature does not match.
    #[error("invalid signature")]
    InvalidSignature,
    /// 28: no `app_key` parameter.
    #[error("missing app key")]
    MissingAppKey,
    /// 29: an `app_key` of no ERP account.
    #[error("invalid app key")]
    InvalidAppKey,
    /// 31: a `timestamp` that is malformed or more than 5 minutes off.
    #[error("invalid timestamp")]
    InvalidTimestamp,
    /// 40: a required query parameter is missing.
    #[error("missing required argument {argument}")]
    MissingRequiredArguments {
        /// The parameter's name, as the contract spells it (`timestamp`, `customerId`).
        argument: String,
    },
    /// 50 with `sub_code` `isv.invalid-parameter`: the body is unparseable or invalid, or a
    /// parameter such as `customerId` has a wrong value.
    #[error("invalid parameter: {detail}")]
    InvalidParameter {
        /// What is wrong, naming the field (the `sub_msg`).
        detail: String,
    },
}

impl GatewayError {
    /// An invalid body or parameter, described by `detail` (which should name the field).
    pub fn invalid_parameter(detail: impl fmt::Display) -> GatewayError {
        GatewayError::InvalidParameter {
            detail: detail.to_string(),
        }
    }

    /// A missing required parameter.
    pub fn missing(argument: impl Into<String>) -> GatewayError {
        GatewayError::MissingRequiredArguments {
            argument: argument.into(),
        }
    }

    /// The TOP code of this failure.
    pub fn code(&self) -> TopCode {
        match self {
            GatewayError::MissingMethod => TopCode::MissingMethod,
            GatewayError::InvalidMethod => TopCode::InvalidMethod,
            GatewayError::InvalidSignature => TopCode::InvalidSignature,
            GatewayError::MissingAppKey => TopCode::MissingAppKey,
            GatewayError::InvalidAppKey => TopCode::InvalidAppKey,
            GatewayError::InvalidTimestamp => TopCode::InvalidTimestamp,
            GatewayError::MissingRequiredArguments { .. } => TopCode::MissingArguments,
            GatewayError::InvalidParameter { .. } => TopCode::RemoteServiceError,
        }
    }

    /// The `sub_code` and `sub_msg`, for the failures that carry a detail.
    pub fn sub(&self) -> Option<(&'static str, String)> {
        match self {
            GatewayError::MissingRequiredArguments { argument } => Some((
                SUB_CODE_MISSING_PARAMETER,
                format!("missing required argument {argument}"),
            )),
            GatewayError::InvalidParameter { detail } => {
                Some((SUB_CODE_INVALID_PARAMETER, detail.clone()))
            }
            GatewayError::MissingMethod
            | GatewayError::InvalidMethod
            | GatewayError::InvalidSignature
            | GatewayError::MissingAppKey
            | GatewayError::InvalidAppKey
            | GatewayError::InvalidTimestamp => None,
        }
    }

    /// The `error_response` answering this failure.
    ///
    /// ```
    /// use posbridge_protocol::qimen::GatewayError;
    ///
    /// let answer = GatewayError::invalid_parameter("非法参数").to_response();
    /// assert_eq!(answer.code.as_deref(), Some("50"));
    /// assert_eq!(answer.msg.as_deref(), Some("Remote service error"));
    /// assert_eq!(answer.sub_code.as_deref(), Some("isv.invalid-parameter"));
    /// assert_eq!(answer.sub_msg.as_deref(), Some("非法参数"));
    /// ```
    pub fn to_response(&self) -> QimenErrorResponse {
        let (code, msg) = self.code().parts();
        let sub = self.sub();
        QimenErrorResponse {
            code: Some(code.to_owned()),
            msg: Some(msg.to_owned()),
            sub_code: sub.as_ref().map(|(sub_code, _)| (*sub_code).to_owned()),
            sub_msg: sub.map(|(_, sub_msg)| sub_msg),
        }
    }
}

/// Whether `name` is one of [`METHODS`], in any ASCII letter case.
pub fn is_accepted_method(name: &str) -> bool {
    METHODS
        .iter()
        .any(|method| method.eq_ignore_ascii_case(name))
}

/// Checks the `method` parameter: absent or empty is 21, another method is 22.
///
/// ```
/// use posbridge_protocol::qimen::GatewayError;
/// use posbridge_protocol::qimen::gateway::check_method;
///
/// assert_eq!(check_method(Some("qimen.taobao.pos.clerk.synchronize")), Ok(()));
/// assert_eq!(check_method(Some("taobao.item.get")), Err(GatewayError::InvalidMethod));
/// assert_eq!(check_method(None), Err(GatewayError::MissingMethod));
/// ```
pub fn check_method(method: Option<&str>) -> Result<(), GatewayError> {
    match method {
        None | Some("") => Err(GatewayError::MissingMethod),
        Some(name) if is_accepted_method(name) => Ok(()),
        Some(_) => Err(GatewayError::InvalidMethod),
    }
}
