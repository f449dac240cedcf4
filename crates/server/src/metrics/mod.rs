//! `GET /metrics` (CONTRACT §10): Prometheus text exposition, no token.
//!
//! - `posbridge_http_requests_total{route,status,errcode}`: a counter per answered request;
//! - `posbridge_http_request_duration_seconds{route}`: a histogram of request latency;
//! - `posbridge_outbox_events{status}`: outbox events waiting (`pending`), retrying (`failing`)
//!   and given up (`dead`), counted by one aggregate query of the store;
//! - `posbridge_store_info{backend}` and `posbridge_store_up` (whether the database answers).
//!
//! [`record`] is the middleware that feeds [`Metrics`]; it runs after path normalisation, so the
//! `route` label is the lower-cased path, and an unknown path (1007) is labelled `unmatched` so
//! scanners cannot grow the label set. Counters live behind one mutex in ordered maps; latencies
//! are kept in integer nanoseconds and written as decimal seconds without floating point.

mod text;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use posbridge_protocol::codes::WireCode;

use crate::app::App;
use crate::error::Outcome;
use crate::middleware::method_not_allowed;

/// The `Content-Type` of the Prometheus text format.
pub const CONTENT_TYPE_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds of the latency histogram's buckets, in nanoseconds (1 ms … 10 s).
pub const BUCKETS_NANOS: [u64; 12] = [
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
    250_000_000,
    500_000_000,
    1_000_000_000,
    2_500_000_000,
    10_000_000_000,
];

/// The `route` label of requests for unknown paths.
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// The request counters and latency histograms, shared by the middleware and the `/metrics`
/// route (clones share one set).
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<Counters>>,
}

#[derive(Debug, Default)]
struct Counters {
    /// Answers by (route, HTTP status, errcode).
    requests: BTreeMap<(String, u16, i32), u64>,
    /// Latencies by route.
    durations: BTreeMap<String, Histogram>,
}

/// A latency histogram: per-bucket counts (not cumulative), the total and the sum.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Histogram {
    buckets: [u64; BUCKETS_NANOS.len()],
    count: u64,
    sum_nanos: u128,
}

impl Histogram {
    fn observe(&mut self, nanos: u64) {
        if let Some(slot) = BUCKETS_NANOS
            .iter()
            .position(|bound| nanos <= *bound)
            .and_then(|index| self.buckets.get_mut(index))
        {
            *slot = slot.saturating_add(1);
        }
        self.count = self.count.saturating_add(1);
        self.sum_nanos = self.sum_nanos.saturating_add(u128::from(nanos));
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, route: &str, status: u16, errcode: i32, nanos: u64) {
        let mut counters = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counters
            .requests
            .entry((route.to_owned(), status, errcode))
            .or_default();
        *count = count.saturating_add(1);
        counters
            .durations
            .entry(route.to_owned())
            .or_default()
            .observe(nanos);
    }

    /// The request counters and histograms in the text format.
    pub fn render_requests(&self) -> String {
        let counters = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::with_capacity(4096);
        text::requests(&mut out, &counters.requests);
        text::durations(&mut out, &counters.durations);
        out
    }
}

/// The `/metrics` route, reading `metrics`.
pub fn routes(metrics: Metrics) -> Router<App> {
    Router::new().route(
        "/metrics",
        get(move |state: State<App>| scrape(state, metrics.clone())).fallback(method_not_allowed),
    )
}

/// The middleware feeding `metrics`; mount it with `from_fn_with_state(metrics, record)` after
/// path normalisation and outside the envelope middleware (so the errcode is final).
pub async fn record(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    let errcode = response
        .extensions()
        .get::<Outcome>()
        .map_or(0, |outcome| outcome.errcode);
    let route = if errcode == WireCode::UnknownPath.errcode() {
        UNMATCHED_ROUTE
    } else {
        path.as_str()
    };
    metrics.observe(route, response.status().as_u16(), errcode, nanos);
    response
}

async fn scrape(State(app): State<App>, metrics: Metrics) -> Response {
    let mut out = metrics.render_requests();
    let store = app.store();
    let mut up = store.ping().await.is_ok();
    // Two aggregate queries; no event is read. Delivered events count the deliveries, failing
    // and dead ones the failures, pending and failing ones the backlog.
    let mut outbox = Vec::new();
    match store.event_counts().await {
        Ok(counts) => {
            for (status, n) in counts {
                outbox.push((status.as_str(), usize::try_from(n).unwrap_or(usize::MAX)));
            }
        }
        Err(_) => up = false,
    }
    let oldest_age_ms = match store.oldest_undelivered().await {
        Ok(oldest) => oldest.map_or(0, |at| app.now().0.saturating_sub(at.0).max(0)),
        Err(_) => {
            up = false;
            0
        }
    };
    text::store(&mut out, store.backend(), up, &outbox);
    text::oldest_undelivered(&mut out, oldest_age_ms);
    text::pool(&mut out, &store.pool_status());
    let mut response = out.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_TEXT));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_fill_buckets() {
        let mut histogram = Histogram::default();
        histogram.observe(0);
        histogram.observe(1_000_000);
        histogram.observe(1_000_001);
        histogram.observe(u64::MAX);
        assert_eq!(histogram.buckets[0], 2);
        assert_eq!(histogram.buckets[1], 1);
        assert_eq!(histogram.buckets.iter().sum::<u64>(), 3);
        assert_eq!(histogram.count, 4);
    }

    #[test]
    fn requests_are_counted() {
        let metrics = Metrics::default();
        metrics.observe("/healthz", 200, 0, 1_500_000);
        metrics.observe("/healthz", 200, 0, 500);
        let text = metrics.render_requests();
        assert!(
            text.contains(
                "posbridge_http_requests_total{route=\"/healthz\",status=\"200\",errcode=\"0\"} 2\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "posbridge_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.001\"} 1\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "posbridge_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "posbridge_http_request_duration_seconds_sum{route=\"/healthz\"} 0.0015005\n"
            ),
            "{text}"
        );
    }
}
