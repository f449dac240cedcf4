//! The Qimen gateway of CONTRACT §7 (`taobao.qimen.pos.clerk.synchronize`, seed 000): request
//! bodies in XML and JSON, answers, gateway errors, signing, timestamps and method names.
//!
//! The server's path through this module, for one call:
//!
//! 1. [`query::parse_query`] splits the raw query string; [`query::query_param`] finds a
//!    parameter in any letter case.
//! 2. [`gateway::check_method`], [`timestamp::check_timestamp`] and [`sign::verify`] are the
//!    gateway checks; each failure is a [`GatewayError`] (TOP codes 21–50).
//! 3. [`read_request`] turns the body into the generated [`QimenRequest`](crate::dto::QimenRequest) (every `clerks`
//!    spelling normalised), and `ClerkBatchDraft::from` hands it to the domain.
//! 4. [`answer::success_response`] or [`answer::failure_response`] builds the answer from the
//!    domain's outcome, and [`write_response`] (or [`write_error_response`]) writes it in the
//!    request's [`QimenFormat`].
//!
//! A client does the reverse with [`write_request`], [`sign::sign`], [`query::encode_query`]
//! and [`read_answer`].
//!
//! XML here is plain XML without namespaces (the Qimen SDKs' dialect), read and written by this
//! module's own small reader and writer rather than the DataContract ones.

pub mod answer;
pub mod gateway;
mod map;
pub mod query;
mod read;
pub mod sign;
pub mod timestamp;
mod write;

#[cfg(test)]
mod tests;

pub use gateway::GatewayError;
pub use read::{QimenAnswer, QimenReadError, read_answer, read_request, read_request_within};
pub use write::{InvalidXmlName, write_error_response, write_request, write_response};

pub use crate::limits::{BODY_MAX_BYTES, DEPTH_MAX};

/// The body and answer format, from the `format` query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QimenFormat {
    /// `xml`, the default when `format` is absent or empty.
    #[default]
    Xml,
    /// `json`.
    Json,
}

impl QimenFormat {
    /// Reads `xml` or `json` in any ASCII letter case; other values are `None`.
    ///
    /// ```
    /// use posbridge_protocol::qimen::QimenFormat;
    ///
    /// assert_eq!(QimenFormat::parse("JSON"), Some(QimenFormat::Json));
    /// assert_eq!(QimenFormat::parse("yaml"), None);
    /// ```
    pub fn parse(text: &str) -> Option<QimenFormat> {
        [QimenFormat::Xml, QimenFormat::Json]
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(text))
    }

    /// The format named by an optional `format` parameter: absent or empty is XML, as the
    /// Qimen SDKs default to it.
    pub fn from_param(value: Option<&str>) -> Option<QimenFormat> {
        match value {
            None | Some("") => Some(QimenFormat::Xml),
            Some(text) => QimenFormat::parse(text),
        }
    }

    /// The parameter's spelling, lower case.
    pub fn as_str(self) -> &'static str {
        match self {
            QimenFormat::Xml => "xml",
            QimenFormat::Json => "json",
        }
    }

    /// The `Content-Type` of answers in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            QimenFormat::Xml => "text/xml;charset=utf-8",
            QimenFormat::Json => "application/json;charset=utf-8",
        }
    }
}
