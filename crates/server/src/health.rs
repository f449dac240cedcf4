//! `GET /healthz` (the process answers), `GET /readyz` (the database answers) and
//! `GET /openapi.json` (the API description generated from the DTO schema), CONTRACT §10.

use axum::extract::State;

use crate::answer::{Reply, Text};
use crate::app::App;
use crate::call::Call;

/// Alive: always success.
pub async fn healthz(call: Call) -> Reply<Text> {
    Reply::new(call.head.response_type(), None, Ok(Text(None)))
}

/// Ready: success when the store answers, else 503 with 9002.
pub async fn readyz(State(app): State<App>, call: Call) -> Reply<Text> {
    let result = app.store().ping().await.map(|()| Text(None));
    Reply::new(call.head.response_type(), None, result.map_err(Into::into))
}

/// The OpenAPI document `cargo xtask codegen` generates from the DTO schema (no token needed).
pub async fn openapi() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        include_str!("../../../docs/openapi.json"),
    )
}
