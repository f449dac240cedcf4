//! posbridge's HTTP server: the Web API of CONTRACT §4–§6 over axum, with bearer-token auth,
//! content negotiation, the envelope on every answer, limits, health checks and request logs.
//!
//! [`router`] builds the whole HTTP surface on a [`Store`]; [`serve`] runs it on a listener until
//! a shutdown signal, then finishes the requests in flight. Handlers move bytes to DTOs
//! (`posbridge_protocol::codec`), DTOs to domain drafts (`posbridge_protocol::mapping`), and let
//! the store apply the rules; every error becomes an errcode through the protocol's one table.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{MethodRouter, get, post};
use posbridge_domain::limits::CountLimits;
use posbridge_protocol::limits::{DepthLimit, ReadLimits};
use posbridge_protocol::time_text::UtcOffset;
use posbridge_store::Store;
use tower::ServiceBuilder;

pub mod accounts;
pub mod admin;
pub mod answer;
pub mod app;
pub mod call;
pub mod clock;
pub mod delivery;
pub mod error;
pub mod listing;
pub mod metrics;
pub mod middleware;
pub mod query;

mod health;
mod qimen;
mod sell;
mod settle;

pub use error::ApiError;

use crate::app::App;
use crate::clock::{Clock, SystemClock};

/// How the server runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The admin token (`POSBRIDGE_ADMIN_TOKEN`); without one the admin API is closed.
    pub admin_token: Option<String>,
    /// The largest request body, in bytes.
    pub body_limit_bytes: usize,
    /// How long one request may take before it is answered 503 (9002).
    pub request_timeout: Duration,
    /// Most lines of a sell bill and details of a settlement, and most clerks of a Qimen
    /// request; more is 1004.
    pub counts: CountLimits,
    /// The deepest nesting of a request body; deeper is 400 (1001).
    pub max_depth: DepthLimit,
    /// The business time zone (`POSBRIDGE_TIMEZONE`): the offset of the times in views and of
    /// `yyyyMMdd` dates in queries.
    pub offset: UtcOffset,
    /// Callback delivery (CONTRACT §9); `None` runs no delivery worker in this process.
    pub callbacks: Option<delivery::DeliveryConfig>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            admin_token: None,
            body_limit_bytes: posbridge_protocol::limits::BODY_MAX_BYTES,
            request_timeout: Duration::from_secs(30),
            counts: CountLimits::DEFAULT,
            max_depth: DepthLimit::DEFAULT,
            offset: UtcOffset::CHINA,
            callbacks: Some(delivery::DeliveryConfig::default()),
        }
    }
}

/// The whole HTTP surface on `store`, reading the system clock.
pub fn router(store: Arc<dyn Store>, config: &ServerConfig) -> Router {
    router_with_clock(store, config, Arc::new(SystemClock))
}

/// [`router`] with another clock (tests fix "now").
pub fn router_with_clock(
    store: Arc<dyn Store>,
    config: &ServerConfig,
    clock: Arc<dyn Clock>,
) -> Router {
    let app = App {
        store,
        clock,
        read_limits: ReadLimits {
            body_bytes: config.body_limit_bytes,
            depth: config.max_depth,
        },
        counts: config.counts,
        offset: config.offset,
        accounts: accounts::AccountCache::default(),
    };
    let metrics = metrics::Metrics::default();
    // Paths are registered in lower case; `normalize_path` lower-cases each request's path
    // before the routes see it.
    let routes = Router::new()
        .route(
            "/api/pos/sell/bill/addorupdate",
            only_post(post(sell::add_or_update)),
        )
        .route(
            "/api/pos/sell/bill/paybill",
            only_post(post(sell::pay_bill)),
        )
        .route(
            "/api/pos/sell/bill/deleteorclose",
            only_post(post(sell::delete_or_close)),
        )
        .route("/api/pos/sell/bill/get", only(get(sell::get)))
        .route("/api/pos/sell/bill/list", only(get(sell::list)))
        .route(
            "/api/unpos/merchant/customer/calculatebill/add",
            only_post(post(settle::add)),
        )
        .route(
            "/api/unpos/merchant/customer/calculatebill/get",
            only(get(settle::get)),
        )
        .route("/api/qimen", only_post(post(qimen::synchronize)))
        .route("/api/qimen/router", only_post(post(qimen::synchronize)))
        .route("/healthz", only(get(health::healthz)))
        .route("/readyz", only(get(health::readyz)))
        .route("/openapi.json", only(get(health::openapi)))
        .merge(admin::routes(config.admin_token.as_deref()))
        .merge(metrics::routes(metrics.clone()))
        .fallback(middleware::unknown_path)
        .with_state(app);
    // Layers outside the routes: the path must be rewritten before routing, so the routes are
    // wrapped as one service and mounted as the fallback of an otherwise empty router.
    let service = ServiceBuilder::new()
        .layer(from_fn(middleware::normalize_path))
        .layer(from_fn_with_state(metrics, metrics::record))
        .layer(from_fn(middleware::log_request))
        .layer(from_fn(middleware::envelope_errors))
        .layer(from_fn_with_state(
            config.request_timeout,
            middleware::timeout,
        ))
        .service(routes);
    Router::new().fallback_service(service)
}

fn only(route: MethodRouter<App>) -> MethodRouter<App> {
    route.fallback(middleware::method_not_allowed)
}

fn only_post(route: MethodRouter<App>) -> MethodRouter<App> {
    only(route)
}

/// Serves `store` on `listener` until `shutdown` completes, delivering callbacks alongside; then
/// stops accepting, lets the requests in flight finish, stops claiming callbacks and lets the
/// attempts in flight finish (each within its timeout), and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    config: ServerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = match config.callbacks {
        Some(delivery) => {
            let worker = delivery::Worker::new(
                Arc::clone(&store),
                Arc::new(SystemClock),
                config.offset,
                delivery,
            )
            .map_err(std::io::Error::other)?;
            Some(tokio::spawn(worker.run(stopped)))
        }
        None => None,
    };
    let app = router(store, &config);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    let _ = stop.send(true);
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    served
}
