//! Answers: content negotiation (CONTRACT §4) and the envelope `{errcode, errmsg, tag}` every
//! answer is written in, successes and errors alike.

use axum::body::Body;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use posbridge_protocol::codec;
use posbridge_protocol::dto::{
    CommonOperationResult, PosSellBillList, PosSellBillView, PosSellFromWebInterfaceResult,
    PosSellPayBillResult, UnPosCustomerCalculateView,
};
use posbridge_protocol::envelope::Envelope;
use posbridge_protocol::media::{self, MediaType, UnsupportedMediaType};
use posbridge_protocol::node::Node;
use posbridge_protocol::read::WireType;

use crate::error::{ApiError, Outcome};

/// The `errmsg` of a success (docs/decisions.md: success answers say `success`).
pub const SUCCESS_MESSAGE: &str = "success";

/// What negotiation decided for one request.
#[derive(Debug, Clone)]
pub(crate) struct Negotiated {
    /// The body's type, or why it is not readable.
    pub(crate) request: Result<MediaType, UnsupportedMediaType>,
    /// The answer's type.
    pub(crate) response: MediaType,
}

/// The request's body type from `Content-Type`, and the answer's from `Accept`, then the request
/// type, then JSON.
pub(crate) fn negotiate(headers: &HeaderMap) -> Negotiated {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let request = match headers.get(CONTENT_TYPE) {
        Some(value) => match value.to_str() {
            Ok(text) => media::request_type(Some(text)),
            Err(_) => Err(UnsupportedMediaType(
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )),
        },
        None => media::request_type(None),
    };
    let response = media::response_type(header(ACCEPT), request.clone().ok());
    Negotiated { request, response }
}

/// A tag type: how an envelope carrying it (or none) becomes a document.
pub trait Tag: Sized {
    /// The envelope with this errcode, message and tag.
    fn envelope(errcode: i32, errmsg: String, tag: Option<Self>) -> Node;
}

macro_rules! generic_envelope {
    ($($t:ty),* $(,)?) => {$(
        impl Tag for $t {
            fn envelope(errcode: i32, errmsg: String, tag: Option<Self>) -> Node {
                Envelope { errcode, errmsg: Some(errmsg), tag }.to_node()
            }
        }
    )*};
}

generic_envelope!(
    PosSellFromWebInterfaceResult,
    PosSellPayBillResult,
    PosSellBillView,
    PosSellBillList,
    UnPosCustomerCalculateView,
);

/// A text tag: the plain `CommonOperationResult` (settlement ids, health, errors outside an
/// endpoint).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub Option<String>);

impl Tag for Text {
    fn envelope(errcode: i32, errmsg: String, tag: Option<Self>) -> Node {
        let tag = tag.and_then(|Text(text)| text);
        Node::Object(CommonOperationResult::new(errcode, errmsg, tag).to_object())
    }
}

/// The answer of an endpoint: its result in the envelope of its tag type, in the negotiated
/// format, with what the log line needs.
#[derive(Debug)]
pub struct Reply<T> {
    media: MediaType,
    account: Option<String>,
    result: Result<T, ApiError>,
}

impl<T: Tag> Reply<T> {
    /// An answer in `media` on behalf of `account` (once authenticated).
    pub(crate) fn new(
        media: MediaType,
        account: Option<String>,
        result: Result<T, ApiError>,
    ) -> Self {
        Reply {
            media,
            account,
            result,
        }
    }
}

impl<T: Tag> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        let (status, errcode, node, detail) = match self.result {
            Ok(tag) => (
                StatusCode::OK,
                0,
                T::envelope(0, SUCCESS_MESSAGE.to_owned(), Some(tag)),
                None,
            ),
            Err(error) => {
                let errcode = error.wire_code().errcode();
                let detail = error.detail().map(str::to_owned);
                let node = T::envelope(errcode, error.message().to_owned(), None);
                (error.status(), errcode, node, detail)
            }
        };
        let outcome = Outcome {
            errcode,
            account: self.account,
            detail,
        };
        render(self.media, status, &node, outcome)
    }
}

/// Writes an envelope document as the answer.
pub(crate) fn render(
    media: MediaType,
    status: StatusCode,
    node: &Node,
    outcome: Outcome,
) -> Response {
    let (status, media, bytes, outcome) = match codec::write_document(media.format, node) {
        Ok(bytes) => (status, media, bytes, outcome),
        Err(error) => {
            // Only BSON writing can fail (a document it cannot represent); answer in JSON then.
            let failure = ApiError::internal(error.to_string());
            let node = Text::envelope(
                failure.wire_code().errcode(),
                failure.message().to_owned(),
                None,
            );
            let bytes = posbridge_protocol::json::write_json(&node).into_bytes();
            let outcome = Outcome {
                errcode: failure.wire_code().errcode(),
                account: outcome.account,
                detail: failure.detail().map(str::to_owned),
            };
            (failure.status(), media::DEFAULT, bytes, outcome)
        }
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(&media.content_type()) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response.extensions_mut().insert(outcome);
    response
}

/// The plain envelope of an error that left the handlers, in `media`.
pub(crate) fn render_error(
    media: MediaType,
    error: &ApiError,
    account: Option<String>,
) -> Response {
    let node = Text::envelope(
        error.wire_code().errcode(),
        error.message().to_owned(),
        None,
    );
    let outcome = Outcome {
        errcode: error.wire_code().errcode(),
        account,
        detail: error.detail().map(str::to_owned),
    };
    render(media, error.status(), &node, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    use posbridge_protocol::media::Format;

    #[test]
    fn negotiation_follows_accept_then_content_type() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        assert_eq!(negotiate(&headers).response.format, Format::Xml);
        headers.insert(ACCEPT, HeaderValue::from_static("application/bson"));
        assert_eq!(negotiate(&headers).response.format, Format::Bson);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        headers.remove(ACCEPT);
        let negotiated = negotiate(&headers);
        assert!(negotiated.request.is_err());
        assert_eq!(negotiated.response.format, Format::Json);
    }
}
