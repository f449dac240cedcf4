//! One HTTP exchange with retries: the part the Web API client and the Qimen client share. A
//! request is built afresh for every attempt from [`Outgoing`], and the answer is decoded inside
//! the attempt, so a 500/502/503/504 envelope is retried like a lost connection.

use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, Url};

use crate::error::ClientError;
use crate::retry::RetryPolicy;

/// The request timeout when none is configured: long enough for a 500-line bill on a slow
/// disk, short enough that a hung server is noticed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and how requests go: checked once, when a client is built.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    /// The base URL without a trailing slash.
    base: String,
    retry: RetryPolicy,
    timeout: Duration,
}

/// One request, ready to be sent as often as the policy allows.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing<'a> {
    pub(crate) method: Method,
    /// The path below the base URL, without a leading slash.
    pub(crate) path: &'a str,
    /// The encoded query string, without `?` (empty for none).
    pub(crate) query: String,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) accept: Option<&'a str>,
    pub(crate) bearer: Option<&'a HeaderValue>,
    pub(crate) body: Option<Vec<u8>>,
}

/// What came back: the status, the `Content-Type` and the whole body.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl Transport {
    /// Checks the base URL (absolute `http` or `https`) and builds the HTTP client unless the
    /// caller gave one.
    pub(crate) fn new(
        base_url: &str,
        http: Option<reqwest::Client>,
        retry: RetryPolicy,
        timeout: Option<Duration>,
    ) -> Result<Transport, ClientError> {
        let url = Url::parse(base_url)
            .map_err(|error| ClientError::Config(format!("base URL {base_url:?}: {error}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(ClientError::Config(format!(
                "base URL {base_url:?} must be an http or https URL with a host"
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ClientError::Config(format!(
                "base URL {base_url:?} must have no query or fragment"
            )));
        }
        let http = match http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|error| ClientError::Config(format!("HTTP client: {error}")))?,
        };
        Ok(Transport {
            http,
            base: url.as_str().trim_end_matches('/').to_owned(),
            retry,
            timeout: timeout.unwrap_or(DEFAULT_TIMEOUT),
        })
    }

    /// The full URL of `path`.
    pub(crate) fn url(&self, path: &str, query: &str) -> String {
        if query.is_empty() {
            format!("{}/{path}", self.base)
        } else {
            format!("{}/{path}?{query}", self.base)
        }
    }

    /// Sends `outgoing` and decodes the answer with `decode`, repeating both as the retry policy
    /// allows.
    pub(crate) async fn call<T>(
        &self,
        outgoing: &Outgoing<'_>,
        decode: impl Fn(Answer) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        self.retry
            .run(|attempt| {
                let decode = &decode;
                async move { decode(self.send(outgoing, attempt).await?) }
            })
            .await
    }

    async fn send(&self, outgoing: &Outgoing<'_>, attempt: u32) -> Result<Answer, ClientError> {
        let mut request = self
            .http
            .request(
                outgoing.method.clone(),
                self.url(outgoing.path, &outgoing.query),
            )
            .timeout(self.timeout);
        if let Some(content_type) = outgoing.content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        if let Some(accept) = outgoing.accept {
            request = request.header(ACCEPT, accept);
        }
        if let Some(bearer) = outgoing.bearer {
            request = request.header(AUTHORIZATION, bearer.clone());
        }
        if let Some(body) = &outgoing.body {
            request = request.body(body.clone());
        }
        let network = |source: reqwest::Error| {
            if source.is_builder() {
                ClientError::Config(source.to_string())
            } else {
                ClientError::Network {
                    attempts: attempt,
                    source,
                }
            }
        };
        let response = request.send().await.map_err(network)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        // A body cut off mid-way is a network failure, retried like a lost connection.
        let body = response.bytes().await.map_err(network)?.to_vec();
        Ok(Answer {
            status,
            content_type,
            body,
        })
    }
}
