//! A callback receiver (CONTRACT §9): an axum server that verifies each POST with
//! `verify_callback` and prints the event, answering 204 when it is genuine and 401 when not.
//!
//! ```text
//! cargo run -p posbridge-client --example callback_receiver
//! ```
//!
//! `POSBRIDGE_CALLBACK_LISTEN` (default `127.0.0.1:9000`) and `POSBRIDGE_CALLBACK_SECRET`
//! (default `demo-callback-secret`). The demo's accounts have no `callbackUrl`; give one to the
//! channel account with the admin API (see `docs/callbacks.md`), e.g.
//! `"callbackUrl": "http://127.0.0.1:9000/hook", "callbackSecret": "demo-callback-secret"`,
//! then run the `sell_bill` example: its events arrive here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use posbridge_client::verify_callback;

/// How far the signing time may be from this machine's clock.
const TOLERANCE: Duration = Duration::from_secs(300);

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen: SocketAddr = std::env::var("POSBRIDGE_CALLBACK_LISTEN")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 9000)));
    let secret: Arc<[u8]> = std::env::var("POSBRIDGE_CALLBACK_SECRET")
        .unwrap_or_else(|_| "demo-callback-secret".to_owned())
        .into_bytes()
        .into();
    let app = Router::new().route("/hook", post(hook)).with_state(secret);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!("listening on http://{}/hook", listener.local_addr()?);
    axum::serve(listener, app).await
}

/// Verifies before anything else; a receiver must not act on an unverified body.
async fn hook(State(secret): State<Arc<[u8]>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match verify_callback(&secret, &headers, &body, TOLERANCE) {
        Ok(event) => {
            // Delivery is at least once: a real receiver drops an `event_id` it has seen, and
            // a `sequence` lower than the last one it applied for the same bill.
            let bill = event
                .data
                .get("BillNum")
                .and_then(|value| value.as_str())
                .unwrap_or("-");
            println!(
                "{} {} #{} account {} bill {} at {} (signed {})",
                event.event_id,
                event.kind,
                event.sequence,
                event.account,
                bill,
                event.occurred_at,
                event.timestamp
            );
            StatusCode::NO_CONTENT
        }
        Err(error) => {
            println!("refused a callback: {error}");
            StatusCode::UNAUTHORIZED
        }
    }
}
