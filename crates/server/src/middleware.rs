//! The layers around the routes: case-insensitive paths, the request log line, the envelope of
//! errors raised outside the handlers, request timeouts, and the fallbacks for unknown paths and
//! methods.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::Uri;
use axum::http::uri::PathAndQuery;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use posbridge_protocol::codes::WireCode;

use crate::answer::{negotiate, render_error};
use crate::error::{ApiError, Outcome, PendingError};

/// Lower-cases the path (not the query) and drops a trailing slash, so routes match in any
/// letter case as ASP.NET's do; runs before routing.
pub async fn normalize_path(mut request: Request, next: Next) -> Response {
    if let Some(uri) = normalized(request.uri()) {
        *request.uri_mut() = uri;
    }
    next.run(request).await
}

fn normalized(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    let trimmed = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let lower = if trimmed.is_empty() {
        "/".to_owned()
    } else {
        trimmed.to_ascii_lowercase()
    };
    if lower == path {
        return None;
    }
    let path_and_query = match uri.query() {
        Some(query) => format!("{lower}?{query}"),
        None => lower,
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(PathAndQuery::try_from(path_and_query).ok()?);
    Uri::from_parts(parts).ok()
}

/// One log line per request: method, path, account, status, errcode and latency (µs); never headers,
/// tokens, query values or bodies.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let status = response.status().as_u16();
    let outcome = response
        .extensions()
        .get::<Outcome>()
        .cloned()
        .unwrap_or_default();
    let account = outcome.account.as_deref().unwrap_or("-");
    if let Some(detail) = outcome.detail.as_deref() {
        tracing::warn!(
            target: "posbridge::http",
            %method, route = %path, account, status, errcode = outcome.errcode, latency_us,
            detail, "request failed"
        );
    } else {
        tracing::info!(
            target: "posbridge::http",
            %method, route = %path, account, status, errcode = outcome.errcode, latency_us,
            "request"
        );
    }
    response
}

/// Writes the envelope of an [`ApiError`] that became a response outside a handler, in the
/// format negotiated from the request's headers.
pub async fn envelope_errors(request: Request, next: Next) -> Response {
    let media = negotiate(request.headers()).response;
    let response = next.run(request).await;
    match response.extensions().get::<PendingError>() {
        Some(PendingError(error)) => {
            let account = response
                .extensions()
                .get::<Outcome>()
                .and_then(|outcome| outcome.account.clone());
            render_error(media, error, account)
        }
        None => response,
    }
}

/// Answers 503 (9002) when a request takes longer than the configured timeout.
pub async fn timeout(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(WireCode::Unavailable, "request timed out; retry later").into_response()
        }
    }
}

/// 404 with 1007.
pub async fn unknown_path() -> ApiError {
    ApiError::code(WireCode::UnknownPath)
}

/// 405 with 1008.
pub async fn method_not_allowed() -> ApiError {
    ApiError::code(WireCode::MethodNotAllowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(uri: &str, expect: Option<&str>) {
        let parsed = uri.parse::<Uri>();
        assert!(parsed.is_ok(), "{uri} parses");
        let Ok(uri) = parsed else { return };
        assert_eq!(
            normalized(&uri).map(|u| u.to_string()),
            expect.map(str::to_owned)
        );
    }

    #[test]
    fn paths_are_lower_cased_and_trimmed() {
        check(
            "/API/Pos/Sell/Bill/Get?BillNum=SB01",
            Some("/api/pos/sell/bill/get?BillNum=SB01"),
        );
        check("/api/pos/sell/bill/list/", Some("/api/pos/sell/bill/list"));
        check("/healthz", None);
        check("/", None);
        check("//", Some("/"));
    }
}
