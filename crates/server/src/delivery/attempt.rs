//! One delivery attempt: the event rendered as CONTRACT §9's JSON body, signed with the account's
//! callback secret, POSTed with a timeout, and judged: a 2xx is delivered, anything else fails.

use std::time::{Duration, Instant};

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::master::Callback;
use posbridge_domain::sell_bill::SellBill;
use posbridge_protocol::callback::{
    CallbackBody, EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature,
};
use posbridge_protocol::mapping::{ViewOptions, bill_view, settlement_view};
use posbridge_protocol::read::WireType;
use posbridge_protocol::time_text::{UtcOffset, format_rfc3339};
use posbridge_store::model::{EventPayload, OutboxEvent};

/// What an attempt saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// The receiver's status, when it answered.
    pub status_code: Option<u16>,
    /// Why it failed, when it did: never a body or a secret.
    pub error: Option<String>,
    /// How long it took.
    pub latency_ms: u32,
}

impl Observed {
    /// Whether the receiver acknowledged the event.
    pub fn delivered(&self) -> bool {
        self.error.is_none()
            && self
                .status_code
                .is_some_and(|code| (200..300).contains(&code))
    }
}

/// The JSON body of `event`, its data rendered as Get shows the subject.
pub fn body(event: &OutboxEvent, offset: UtcOffset) -> Result<String, String> {
    let data = match &event.payload {
        EventPayload::Bill(record) => {
            let bill = SellBill::restore((**record).clone())
                .map_err(|e| format!("the event's bill snapshot is inconsistent: {e}"))?;
            let options = ViewOptions {
                offset,
                history: true,
            };
            bill_view(&bill, options).to_object()
        }
        EventPayload::Settlement(record) => settlement_view(
            &record.settlement,
            &record.id.to_string(),
            record.created_at,
            offset,
        )
        .to_object(),
    };
    let id = event.wire_id();
    let occurred_at = format_rfc3339(event.occurred_at, offset);
    Ok(CallbackBody {
        id: &id,
        kind: &event.kind,
        occurred_at: &occurred_at,
        account: &event.account_id,
        sequence: event.sequence,
        data,
    }
    .to_json())
}

/// POSTs `body` to the callback's URL at `now`, waiting at most `timeout` for the answer.
pub async fn post(
    client: &reqwest::Client,
    callback: &Callback,
    event: &OutboxEvent,
    body: String,
    now: Timestamp,
    timeout: Duration,
) -> Observed {
    let timestamp = now.0.div_euclid(1000);
    let mut request = client
        .post(&callback.url)
        .timeout(timeout)
        .header("content-type", "application/json; charset=utf-8")
        .header(EVENT_ID_HEADER, event.wire_id())
        .header(TIMESTAMP_HEADER, timestamp.to_string());
    if let Some(secret) = &callback.secret {
        request = request.header(
            SIGNATURE_HEADER,
            signature(secret.as_bytes(), timestamp, body.as_bytes()),
        );
    }
    let started = Instant::now();
    let result = request.body(body).send().await;
    let latency_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    match result {
        Ok(answer) => {
            let code = answer.status().as_u16();
            Observed {
                status_code: Some(code),
                error: (!(200..300).contains(&code)).then(|| format!("HTTP {code}")),
                latency_ms,
            }
        }
        Err(error) => Observed {
            status_code: None,
            error: Some(describe(error)),
            latency_ms,
        },
    }
}

/// A transport failure in words, without the URL's query (it may carry a token).
fn describe(error: reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    format!("{kind}: {}", error.without_url())
}
