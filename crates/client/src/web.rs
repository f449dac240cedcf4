//! [`Client`] and [`ClientBuilder`]: the Web API client of CONTRACT §4–§6. Bodies go out in
//! the client's [`Format`] with the matching `Content-Type` and `Accept`; answers are read in
//! whatever format the server's `Content-Type` names, and their envelope becomes the endpoint's
//! result or a [`ClientError`].

use std::time::Duration;

use posbridge_protocol::codec;
use posbridge_protocol::dto::CommonOperationResult;
use posbridge_protocol::envelope::Envelope;
use posbridge_protocol::media::{self, Format, MediaType};
use posbridge_protocol::node::Node;
use posbridge_protocol::read::WireType;
use reqwest::Method;
use reqwest::header::HeaderValue;

use crate::error::ClientError;
use crate::retry::RetryPolicy;
use crate::transport::{Answer, Outgoing, Transport};

/// A typed client of the Web API (`api/Pos/...` for channel accounts, `api/UnPos/...` for
/// merchant accounts). Cheap to clone; clones share connections.
///
/// Failed attempts are retried by its [`RetryPolicy`] (see [`crate::retry`] for why that is
/// safe for writes).
#[derive(Debug, Clone)]
pub struct Client {
    transport: Transport,
    bearer: Option<HeaderValue>,
    media: MediaType,
}

/// Configures a [`Client`]: base URL (required), bearer token, format, retry policy, request
/// timeout, and optionally a caller's `reqwest::Client`.
///
/// ```
/// use std::time::Duration;
/// use posbridge_client::{Client, RetryPolicy};
/// use posbridge_protocol::media::Format;
///
/// let client = Client::builder("http://127.0.0.1:8080")
///     .token("demo-channel-s001")
///     .format(Format::Xml)
///     .retry(RetryPolicy::none())
///     .timeout(Duration::from_secs(5))
///     .build()?;
/// assert_eq!(client.format(), Format::Xml);
/// assert!(Client::builder("127.0.0.1:8080").build().is_err());
/// # Ok::<(), posbridge_client::ClientError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<String>,
    format: Format,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The bearer token of a channel or merchant account.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The format of request bodies and the preferred format of answers (default JSON).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The timeout of each attempt, from sending to the end of the answer (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends through this `reqwest::Client` (its proxy, TLS and pool settings) instead of a
    /// new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration: an absolute `http`/`https` base URL, a token that can be a
    /// header value.
    pub fn build(self) -> Result<Client, ClientError> {
        let transport = Transport::new(&self.base_url, self.http, self.retry, self.timeout)?;
        let bearer = self
            .token
            .map(|token| {
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                        ClientError::Config("the token must be visible ASCII".to_owned())
                    })?;
                value.set_sensitive(true);
                Ok::<_, ClientError>(value)
            })
            .transpose()?;
        Ok(Client {
            transport,
            bearer,
            media: media_type(self.format),
        })
    }
}

impl Client {
    /// A builder for a client of the server at `base_url` (such as `http://127.0.0.1:8080`).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            token: None,
            format: Format::Json,
            retry: RetryPolicy::default(),
            timeout: None,
            http: None,
        }
    }

    /// The format of request bodies.
    pub fn format(&self) -> Format {
        self.media.format
    }

    /// POSTs `body` to `path` and reads the envelope's DTO tag.
    pub(crate) async fn post<B: WireType, T: WireType>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        let bytes = codec::encode(self.media.format, body)
            .map_err(|error| ClientError::Encode(error.to_string()))?;
        let outgoing = self.outgoing(Method::POST, path, String::new(), Some(bytes));
        self.transport.call(&outgoing, tagged::<T>).await
    }

    /// POSTs `body` to `path` and reads the envelope's text tag.
    pub(crate) async fn post_text<B: WireType>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<String, ClientError> {
        let bytes = codec::encode(self.media.format, body)
            .map_err(|error| ClientError::Encode(error.to_string()))?;
        let outgoing = self.outgoing(Method::POST, path, String::new(), Some(bytes));
        self.transport.call(&outgoing, text_tagged).await
    }

    /// GETs `path?query` and reads the envelope's DTO tag.
    pub(crate) async fn get<T: WireType>(
        &self,
        path: &str,
        query: String,
    ) -> Result<T, ClientError> {
        let outgoing = self.outgoing(Method::GET, path, query, None);
        self.transport.call(&outgoing, tagged::<T>).await
    }

    fn outgoing<'a>(
        &'a self,
        method: Method,
        path: &'a str,
        query: String,
        body: Option<Vec<u8>>,
    ) -> Outgoing<'a> {
        Outgoing {
            method,
            path,
            query,
            // Text formats say their charset: the server refuses any but UTF-8.
            content_type: body.as_ref().map(|_| content_type(self.media)),
            accept: Some(self.media.name),
            bearer: self.bearer.as_ref(),
            body,
        }
    }
}

fn content_type(media: MediaType) -> &'static str {
    match media.format {
        Format::Json => "application/json; charset=utf-8",
        Format::Xml => "application/xml; charset=utf-8",
        Format::Bson => "application/bson",
    }
}

/// The media type the client sends for `format`: the `application/…` spelling.
fn media_type(format: Format) -> MediaType {
    media::SUPPORTED
        .into_iter()
        .find(|media| media.format == format)
        .unwrap_or(media::DEFAULT)
}

/// The answer as a document in the format its `Content-Type` names.
fn document(answer: &Answer) -> Result<Node, ClientError> {
    let undecodable = |detail: String| ClientError::Undecodable {
        status: answer.status,
        detail,
    };
    let media = media::request_type(answer.content_type.as_deref())
        .map_err(|error| undecodable(error.to_string()))?;
    codec::read_document(media.format, &answer.body).map_err(|error| undecodable(error.to_string()))
}

/// The result of an envelope whose tag is a DTO.
fn tagged<T: WireType>(answer: Answer) -> Result<T, ClientError> {
    let node = document(&answer)?;
    let envelope = Envelope::<T>::from_root(&node).map_err(|error| ClientError::Undecodable {
        status: answer.status,
        detail: error.to_string(),
    })?;
    outcome(
        answer.status,
        envelope.errcode,
        envelope.errmsg,
        envelope.tag,
    )
}

/// The result of an envelope whose tag is text (`CommonOperationResult`).
fn text_tagged(answer: Answer) -> Result<String, ClientError> {
    let node = document(&answer)?;
    let envelope =
        CommonOperationResult::from_root(&node).map_err(|error| ClientError::Undecodable {
            status: answer.status,
            detail: error.to_string(),
        })?;
    outcome(
        answer.status,
        envelope.errcode.unwrap_or_default(),
        envelope.errmsg,
        envelope.tag,
    )
}

/// Success is HTTP 200 with errcode 0 and a tag; errcode ≠ 0 on 200 is a business refusal; any
/// other status is a transport answer.
fn outcome<T>(
    status: u16,
    errcode: i32,
    errmsg: Option<String>,
    tag: Option<T>,
) -> Result<T, ClientError> {
    let errmsg = errmsg.unwrap_or_default();
    match (status, errcode) {
        (200, 0) => tag.ok_or_else(|| ClientError::Undecodable {
            status,
            detail: "a success answer without its tag".to_owned(),
        }),
        (200, errcode) => Err(ClientError::Refused { errcode, errmsg }),
        (status, 0) => Err(ClientError::Undecodable {
            status,
            detail: format!("HTTP {status} with errcode 0: {errmsg}"),
        }),
        (status, errcode) => Err(ClientError::Transport {
            status,
            errcode,
            errmsg,
        }),
    }
}
