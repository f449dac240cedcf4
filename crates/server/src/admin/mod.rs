//! The admin API of CONTRACT §9 and §10: `PUT`/`GET /admin/v1/master-data`, `GET
//! /admin/v1/clerks`, the callback listing and redelivery, and the daily and rebate reports,
//! behind `Authorization: Bearer <POSBRIDGE_ADMIN_TOKEN>`.
//!
//! The token is compared in constant time: both the configured and the presented token are hashed
//! with SHA-256 and the digests compared byte by byte without an early exit, so neither the
//! token's length nor its prefix shows in the timing. Without a configured token the admin API is
//! closed: every admin route answers 403 (5002) whatever the request carries — no credential can
//! be valid, so "missing or invalid credentials" (401) would be misleading and would invite
//! retries. A missing or wrong token answers 401 (5001). Errors are the envelope of §4 in the
//! negotiated format (JSON unless `Accept` asks otherwise); successes are plain JSON documents.

mod callbacks;
mod clerks;

pub use callbacks::listing_json as callback_listing_json;
pub use clerks::listing_json as clerk_listing_json;
mod document;
mod master_data;
mod reports;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use posbridge_protocol::codes::WireCode;
use sha2::{Digest, Sha256};

use crate::app::App;
use crate::error::{ApiError, Outcome};
use crate::middleware::method_not_allowed;

/// The account name the request log shows for admin calls.
const ADMIN_ACCOUNT: &str = "admin";

/// The admin routes, guarded by `admin_token` (`ServerConfig::admin_token`); `None` closes them.
pub fn routes(admin_token: Option<&str>) -> Router<App> {
    let guard = Guard {
        token_sha256: admin_token.map(digest),
    };
    Router::new()
        .route(
            "/admin/v1/master-data",
            get(master_data::export)
                .put(master_data::import)
                .fallback(method_not_allowed),
        )
        .route(
            "/admin/v1/clerks",
            get(clerks::list).fallback(method_not_allowed),
        )
        .route(
            "/admin/v1/callbacks",
            get(callbacks::list).fallback(method_not_allowed),
        )
        .route(
            "/admin/v1/callbacks/{event_id}/retry",
            post(callbacks::retry).fallback(method_not_allowed),
        )
        .route(
            "/admin/v1/reports/daily",
            get(reports::daily_report).fallback(method_not_allowed),
        )
        .route(
            "/admin/v1/reports/rebates",
            get(reports::rebate_report).fallback(method_not_allowed),
        )
        .route_layer(from_fn_with_state(guard, check_token))
}

/// What the guard compares against.
#[derive(Debug, Clone, Copy)]
struct Guard {
    token_sha256: Option<[u8; 32]>,
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Equal digests, in time independent of where they differ.
fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The bearer token of `Authorization`, if the header has that form.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Lets a request through only with the configured admin token.
async fn check_token(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let Some(expected) = guard.token_sha256 else {
        return ApiError::new(
            WireCode::Forbidden,
            "the admin API is closed: POSBRIDGE_ADMIN_TOKEN is not set",
        )
        .into_response();
    };
    match bearer(request.headers()) {
        Some(token) if same_digest(&digest(token), &expected) => next.run(request).await,
        Some(_) => ApiError::new(WireCode::Unauthenticated, "invalid admin token").into_response(),
        None => ApiError::new(
            WireCode::Unauthenticated,
            "missing credentials: send Authorization: Bearer <admin token>",
        )
        .into_response(),
    }
}

/// A 200 answer with a JSON document, logged as the admin account.
fn json_answer(body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response.extensions_mut().insert(Outcome {
        errcode: 0,
        account: Some(ADMIN_ACCOUNT.to_owned()),
        detail: None,
    });
    response
}

/// An error answer, logged as the admin account (the guard let the request through).
fn admin_error(error: ApiError) -> Response {
    let mut response = error.into_response();
    if let Some(outcome) = response.extensions_mut().get_mut::<Outcome>() {
        outcome.account = Some(ADMIN_ACCOUNT.to_owned());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_are_read_and_compared() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer  s3cret "));
        assert_eq!(bearer(&headers), Some("s3cret"));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic s3cret"));
        assert_eq!(bearer(&headers), None);
        headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer "));
        assert_eq!(bearer(&headers), None);
        assert!(same_digest(&digest("a"), &digest("a")));
        assert!(!same_digest(&digest("a"), &digest("b")));
    }
}
