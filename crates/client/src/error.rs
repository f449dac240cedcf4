//! [`ClientError`], the one error of every call: what the server refused (business, gateway or
//! transport envelopes, each with its code), or why no usable answer came back.

use posbridge_protocol::dto::QimenResponseClerk;

/// What kind of failure a [`ClientError`] is, for callers that map failures to exit codes or
/// alerts (the CLI: [`ErrorClass::Business`] is exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The server understood the request and refused it on its content: a field or business
    /// errcode on HTTP 200, a Qimen `flag` `failure`, or a Qimen gateway `error_response`
    /// (bad signature, invalid parameter). Sending the same request again gets the same answer.
    Business,
    /// The server answered with an HTTP error status and an envelope (400, 401, 403, 404, 405,
    /// 413, 415, 500, 503): the request did not reach the business rules.
    Transport,
    /// No answer: connection refused or reset, timeout.
    Network,
    /// An answer that is not a document of the contract.
    Undecodable,
    /// The client was built or called wrongly (a bad URL, token or request body); nothing was
    /// sent.
    Usage,
}

/// Why a call did not return its result.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// A field or business refusal: HTTP 200 with `errcode` ≠ 0 (1002–1004, 2xxx–4xxx).
    #[error("refused with errcode {errcode}: {errmsg}")]
    Refused {
        /// The envelope's errcode (CONTRACT §4).
        errcode: i32,
        /// The envelope's errmsg.
        errmsg: String,
    },
    /// A transport-level answer: an HTTP error status with its envelope.
    #[error("HTTP {status}, errcode {errcode}: {errmsg}")]
    Transport {
        /// The HTTP status.
        status: u16,
        /// The envelope's errcode (1001, 1005–1008, 5001, 5002, 9001, 9002).
        errcode: i32,
        /// The envelope's errmsg.
        errmsg: String,
    },
    /// A Qimen call that passed the gateway and was refused by the clerk rules (`flag`
    /// `failure`, code 2101–2103).
    #[error("qimen refused with code {code}: {message}")]
    QimenRefused {
        /// The answer's `code`, the errcode of CONTRACT §4 as text.
        code: String,
        /// The answer's `message`.
        message: String,
        /// The offending clerks.
        clerks: Vec<QimenResponseClerk>,
    },
    /// A Qimen `error_response`: refused at the gateway (TOP codes 21–50), or an internal error
    /// (HTTP 500/503).
    #[error("qimen gateway error {code} {msg}{}", sub_text(sub_code, sub_msg))]
    Gateway {
        /// The HTTP status (200 for gateway refusals).
        status: u16,
        /// The TOP code (`25` invalid signature, `50` remote service error, …).
        code: String,
        /// The TOP message.
        msg: String,
        /// `sub_code`, such as `isv.invalid-parameter`.
        sub_code: Option<String>,
        /// `sub_msg`, naming the field at fault.
        sub_msg: Option<String>,
    },
    /// No answer after every attempt: connect error, timeout, connection reset.
    #[error("network failure after {attempts} attempt(s): {}", causes(source))]
    Network {
        /// How many attempts were made.
        attempts: u32,
        /// The last attempt's failure.
        #[source]
        source: reqwest::Error,
    },
    /// The answer is not a document of the contract (wrong type, truncated, missing members).
    #[error("undecodable answer (HTTP {status}): {detail}")]
    Undecodable {
        /// The HTTP status.
        status: u16,
        /// What is wrong with it.
        detail: String,
    },
    /// The request body cannot be written in the chosen format (BSON limits, an `extendProps`
    /// key that is no XML name); nothing was sent.
    #[error("the request cannot be written: {0}")]
    Encode(String),
    /// The client is misconfigured (base URL, token, secret); nothing was sent.
    #[error("bad configuration: {0}")]
    Config(String),
}

/// An error and its causes, `: `-separated: reqwest's own text ("error sending request") says
/// little without them ("connection refused").
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // hyper and std repeat a cause's text in its wrapper now and then.
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn sub_text(sub_code: &Option<String>, sub_msg: &Option<String>) -> String {
    match (sub_code, sub_msg) {
        (None, None) => String::new(),
        (code, msg) => format!(
            " ({}: {})",
            code.as_deref().unwrap_or("-"),
            msg.as_deref().unwrap_or("-")
        ),
    }
}

impl ClientError {
    /// The errcode of CONTRACT §4 the server answered, if it answered one: the envelope's for
    /// [`ClientError::Refused`] and [`ClientError::Transport`], the `code` of a Qimen business
    /// failure. A Qimen gateway error carries a TOP code instead (see [`ClientError::Gateway`]),
    /// so it has none.
    pub fn errcode(&self) -> Option<i32> {
        match self {
            ClientError::Refused { errcode, .. } | ClientError::Transport { errcode, .. } => {
                Some(*errcode)
            }
            ClientError::QimenRefused { code, .. } => code.trim().parse().ok(),
            ClientError::Gateway { .. }
            | ClientError::Network { .. }
            | ClientError::Undecodable { .. }
            | ClientError::Encode(_)
            | ClientError::Config(_) => None,
        }
    }

    /// What kind of failure this is.
    pub fn class(&self) -> ErrorClass {
        match self {
            ClientError::Refused { .. } | ClientError::QimenRefused { .. } => ErrorClass::Business,
            // A gateway refusal is answered 200 and repeats for the same request, as a business
            // refusal does; internal errors behind the gateway come with 500/503.
            ClientError::Gateway { status, .. } if *status == 200 => ErrorClass::Business,
            ClientError::Gateway { .. } | ClientError::Transport { .. } => ErrorClass::Transport,
            ClientError::Network { .. } => ErrorClass::Network,
            ClientError::Undecodable { .. } => ErrorClass::Undecodable,
            ClientError::Encode(_) | ClientError::Config(_) => ErrorClass::Usage,
        }
    }

    /// Whether the server refused the request on its content ([`ErrorClass::Business`]).
    pub fn is_business(&self) -> bool {
        self.class() == ErrorClass::Business
    }

    /// Whether the request failed in transport: an HTTP error status, no answer, or an
    /// unreadable one.
    pub fn is_transport(&self) -> bool {
        matches!(
            self.class(),
            ErrorClass::Transport | ErrorClass::Network | ErrorClass::Undecodable
        )
    }

    /// The HTTP status of the answer, if one came.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Refused { .. } | ClientError::QimenRefused { .. } => Some(200),
            ClientError::Transport { status, .. }
            | ClientError::Gateway { status, .. }
            | ClientError::Undecodable { status, .. } => Some(*status),
            ClientError::Network { .. } | ClientError::Encode(_) | ClientError::Config(_) => None,
        }
    }

    /// Whether sending the same request again may succeed: no answer (connect error, timeout,
    /// reset), or 500 (9001) / 503 (9002). Never a 4xx or a business refusal.
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Network { .. } => true,
            ClientError::Transport { status, .. }
            | ClientError::Gateway { status, .. }
            | ClientError::Undecodable { status, .. } => is_retryable_status(*status),
            ClientError::Refused { .. }
            | ClientError::QimenRefused { .. }
            | ClientError::Encode(_)
            | ClientError::Config(_) => false,
        }
    }
}

/// 500 (9001, internal) and 503 (9002, overloaded or shutting down): the contract says
/// retrying the same request is safe. 502 and 504 come from a proxy in front of a server that
/// is restarting or slow; whether the request got through is unknown, and every write is keyed,
/// so repeating it is safe too.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 500 | 502 | 503 | 504)
}
