//! [`QimenClient`]: clerk synchronisation through the Qimen gateway (CONTRACT §7,
//! `taobao.qimen.pos.clerk.synchronize`), signed with the ERP account's secret by any
//! [`SignMethod`]. No bearer token: the signature is the credential.
//!
//! The query is the one a Qimen/TOP SDK builds: `method`, `app_key`, `timestamp`
//! (`yyyy-MM-dd HH:mm:ss`, GMT+8), `v` `2.0`, `format`, `sign_method`, `customerId`, and `sign`
//! over all of them and the body ([`posbridge_protocol::qimen::sign::sign`]).

use std::time::Duration;

use posbridge_protocol::dto::{QimenRequest, QimenResponse};
use posbridge_protocol::qimen::query::encode_query;
use posbridge_protocol::qimen::sign::{SignMethod, sign};
use posbridge_protocol::qimen::timestamp::format_timestamp;
use posbridge_protocol::qimen::{QimenAnswer, QimenFormat, read_answer, write_request};
use reqwest::Method;

use crate::clock::now_unix_s;
use crate::error::ClientError;
use crate::retry::RetryPolicy;
use crate::transport::{Answer, Outgoing, Transport};

/// The method name sent, the API's own spelling.
pub const METHOD: &str = "taobao.qimen.pos.clerk.synchronize";

/// The API version sent.
pub const VERSION: &str = "2.0";

/// The endpoint's path below the base URL.
pub const PATH: &str = "api/qimen";

/// A client of the Qimen endpoint for one ERP account.
#[derive(Debug, Clone)]
pub struct QimenClient {
    transport: Transport,
    app_key: String,
    secret: String,
    customer_id: String,
    format: QimenFormat,
    sign_method: SignMethod,
}

/// Configures a [`QimenClient`]: base URL, the ERP account's `app_key`, `secret` and
/// `customerId` (all required), body format (XML by default, as the SDKs), sign method (`md5`
/// by default), retry policy, timeout and optionally a caller's `reqwest::Client`.
///
/// ```
/// use posbridge_client::qimen::QimenClient;
/// use posbridge_protocol::qimen::QimenFormat as Format;
/// use posbridge_protocol::qimen::sign::SignMethod;
///
/// let client = QimenClient::builder("http://127.0.0.1:8080")
///     .app_key("demo-app-key")
///     .secret("demo-erp-secret")
///     .customer_id("demo-erp")
///     .format(Format::Json)
///     .sign_method(SignMethod::HmacSha256)
///     .build()?;
/// let query = client.signed_query(b"{}", "2017-02-10 00:00:00");
/// assert!(query.starts_with("method=taobao.qimen.pos.clerk.synchronize&app_key=demo-app-key"));
/// assert!(QimenClient::builder("http://127.0.0.1:8080").build().is_err());
/// # Ok::<(), posbridge_client::ClientError>(())
/// ```
#[derive(Debug, Clone)]
pub struct QimenClientBuilder {
    base_url: String,
    app_key: String,
    secret: String,
    customer_id: String,
    format: QimenFormat,
    sign_method: SignMethod,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl QimenClientBuilder {
    /// The ERP account's `appKey`.
    pub fn app_key(mut self, app_key: impl Into<String>) -> Self {
        self.app_key = app_key.into();
        self
    }

    /// The ERP account's `secret`, which signs every call.
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = secret.into();
        self
    }

    /// The ERP account's `customerId`.
    pub fn customer_id(mut self, customer_id: impl Into<String>) -> Self {
        self.customer_id = customer_id.into();
        self
    }

    /// The body format, and so the answer's (default XML).
    pub fn format(mut self, format: QimenFormat) -> Self {
        self.format = format;
        self
    }

    /// The sign method (default `md5`).
    pub fn sign_method(mut self, method: SignMethod) -> Self {
        self.sign_method = method;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The timeout of each attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends through this `reqwest::Client` instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration: a base URL as for [`crate::Client`], and a non-empty app key,
    /// secret and customer id (the gateway leaves empty parameters unsigned and refuses them).
    pub fn build(self) -> Result<QimenClient, ClientError> {
        for (name, value) in [
            ("app key", &self.app_key),
            ("secret", &self.secret),
            ("customer id", &self.customer_id),
        ] {
            if value.is_empty() {
                return Err(ClientError::Config(format!("the Qimen {name} is required")));
            }
        }
        Ok(QimenClient {
            transport: Transport::new(&self.base_url, self.http, self.retry, self.timeout)?,
            app_key: self.app_key,
            secret: self.secret,
            customer_id: self.customer_id,
            format: self.format,
            sign_method: self.sign_method,
        })
    }
}

impl QimenClient {
    /// A builder for a client of the server at `base_url`.
    pub fn builder(base_url: impl Into<String>) -> QimenClientBuilder {
        QimenClientBuilder {
            base_url: base_url.into(),
            app_key: String::new(),
            secret: String::new(),
            customer_id: String::new(),
            format: QimenFormat::Xml,
            sign_method: SignMethod::Md5,
            retry: RetryPolicy::default(),
            timeout: None,
            http: None,
        }
    }

    /// Synchronises clerks, stamped with the system clock. Success is the `response` listing the
    /// clerks processed; a rule refusal (2101–2103) is [`ClientError::QimenRefused`], a
    /// gateway refusal [`ClientError::Gateway`].
    pub async fn sync_clerks(&self, request: &QimenRequest) -> Result<QimenResponse, ClientError> {
        self.sync_clerks_at(request, &format_timestamp(now_unix_s()))
            .await
    }

    /// [`QimenClient::sync_clerks`] with the `timestamp` parameter given (tests; the gateway
    /// accepts it within ±5 minutes of its clock). Every retry sends the same timestamp, so a
    /// repeat is the identical signed request.
    pub async fn sync_clerks_at(
        &self,
        request: &QimenRequest,
        timestamp: &str,
    ) -> Result<QimenResponse, ClientError> {
        let body = write_request(request, self.format)
            .map_err(|error| ClientError::Encode(error.to_string()))?;
        let outgoing = Outgoing {
            method: Method::POST,
            path: PATH,
            query: self.signed_query(&body, timestamp),
            content_type: Some(self.format.content_type()),
            accept: None,
            bearer: None,
            body: Some(body),
        };
        let format = self.format;
        self.transport
            .call(&outgoing, |answer| answered(answer, format))
            .await
    }

    /// The encoded query string of a call with `body` at `timestamp`, `sign` last.
    pub fn signed_query(&self, body: &[u8], timestamp: &str) -> String {
        let mut params = vec![
            ("method", METHOD),
            ("app_key", self.app_key.as_str()),
            ("timestamp", timestamp),
            ("v", VERSION),
            ("format", self.format.as_str()),
            ("sign_method", self.sign_method.as_str()),
            ("customerId", self.customer_id.as_str()),
        ];
        let signature = sign(&params, body, &self.secret, self.sign_method);
        params.push(("sign", &signature));
        encode_query(&params)
    }

    /// The body and answer format.
    pub fn format(&self) -> QimenFormat {
        self.format
    }

    /// The sign method.
    pub fn sign_method(&self) -> SignMethod {
        self.sign_method
    }
}

/// Reads an answer in the format its `Content-Type` names (else the request's).
fn answered(answer: Answer, sent: QimenFormat) -> Result<QimenResponse, ClientError> {
    let content_type = answer
        .content_type
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let format = if content_type.contains("json") {
        QimenFormat::Json
    } else if content_type.contains("xml") {
        QimenFormat::Xml
    } else {
        sent
    };
    let status = answer.status;
    let parsed = read_answer(&answer.body, format).map_err(|error| ClientError::Undecodable {
        status,
        detail: error.to_string(),
    })?;
    match parsed {
        QimenAnswer::Response(response) => {
            let success = response
                .flag
                .as_deref()
                .is_some_and(|flag| flag.eq_ignore_ascii_case("success"));
            if success && status == 200 {
                Ok(response)
            } else if status == 200 {
                Err(ClientError::QimenRefused {
                    code: response.code.unwrap_or_default(),
                    message: response.message.unwrap_or_default(),
                    clerks: response.clerks.unwrap_or_default(),
                })
            } else {
                Err(ClientError::Undecodable {
                    status,
                    detail: format!("a response with HTTP {status}"),
                })
            }
        }
        QimenAnswer::Error(error) => Err(ClientError::Gateway {
            status,
            code: error.code.unwrap_or_default(),
            msg: error.msg.unwrap_or_default(),
            sub_code: error.sub_code,
            sub_msg: error.sub_msg,
        }),
    }
}
