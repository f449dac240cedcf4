//! `posbridge serve`: open (and migrate) the database, optionally load the demo, listen, and run
//! the server until Ctrl-C or SIGTERM, after which in-flight requests finish and it exits 0.

use std::future::Future;
use std::time::Duration;

use posbridge_domain::limits::CountLimits;
use posbridge_protocol::limits::DepthLimit;
use posbridge_server::ServerConfig;
use posbridge_server::delivery::{DeliveryConfig, Schedule};

use crate::failure::Failure;
use crate::{ServeArgs, data, demo};

/// The variable holding the admin token; without it the admin routes refuse every request.
const ADMIN_TOKEN_VAR: &str = "POSBRIDGE_ADMIN_TOKEN";

/// `posbridge serve`.
pub async fn run(args: ServeArgs) -> Result<(), Failure> {
    // The command line's parsers have checked each limit already; a value refused here is a
    // usage error all the same, and nothing has been opened yet.
    let counts = CountLimits::DEFAULT
        .with_details(args.max_details)
        .map_err(|err| Failure::usage(format!("--max-details {err}")))?
        .with_clerks(args.max_clerks)
        .map_err(|err| Failure::usage(format!("--max-clerks {err}")))?;
    let max_depth = DepthLimit::new(args.max_depth)
        .map_err(|err| Failure::usage(format!("--max-depth {err}")))?;
    // Signal handlers first, so a SIGTERM that arrives during startup is a graceful stop, not the
    // default termination.
    let shutdown = shutdown_signal()?;
    let url = &args.database.database;
    let store = data::open(url).await?;
    let demo_data = if args.demo {
        let data = demo::master_data()?;
        let summary = data::import_into(store.as_ref(), &data, url).await?;
        tracing::info!(summary = %data::describe(&summary), "demo master data loaded");
        Some(data)
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|err| {
            Failure::new(format!("cannot listen on {}: {err}", args.listen)).hint(
                "is another server using this address? choose another one with --listen or \
                 POSBRIDGE_LISTEN",
            )
        })?;
    let listen = listener.local_addr().unwrap_or(args.listen);
    let admin_token = std::env::var(ADMIN_TOKEN_VAR)
        .ok()
        .filter(|token| !token.is_empty());
    if admin_token.is_none() {
        tracing::info!("{ADMIN_TOKEN_VAR} is not set: the admin routes are closed");
    }
    let defaults = ServerConfig::default();
    let config = ServerConfig {
        listen,
        admin_token,
        body_limit_bytes: args.body_limit_bytes.unwrap_or(defaults.body_limit_bytes),
        request_timeout: args
            .request_timeout_secs
            .map_or(defaults.request_timeout, Duration::from_secs),
        counts,
        max_depth,
        offset: args.timezone,
        callbacks: (!args.no_callbacks).then(|| DeliveryConfig {
            schedule: Schedule {
                base: Duration::from_millis(args.callback_retry_base_ms),
                max_age: Duration::from_secs(args.callback_max_age_s),
                ..Schedule::default()
            },
            account_concurrency: usize::from(args.callback_account_concurrency),
            ..DeliveryConfig::default()
        }),
    };
    if let Some(data) = &demo_data {
        println!(
            "{}",
            demo::introduction(data, listen, &posbridge_store::redact(url))
        );
    }
    tracing::info!(
        %listen,
        backend = store.backend(),
        max_details = config.counts.details(),
        max_clerks = config.counts.clerks(),
        max_depth = config.max_depth.levels(),
        timezone = %config.offset,
        "posbridge is listening"
    );
    posbridge_server::serve(listener, store, config, shutdown)
        .await
        .map_err(|err| Failure::new(format!("the server stopped: {err}")))?;
    tracing::info!("posbridge stopped");
    Ok(())
}

/// A future that resolves on the first Ctrl-C (SIGINT) or SIGTERM.
#[cfg(unix)]
fn shutdown_signal() -> Result<impl Future<Output = ()> + Send + 'static, Failure> {
    use tokio::signal::unix::{SignalKind, signal};

    let install = |kind: SignalKind, name: &str| {
        signal(kind).map_err(|err| Failure::new(format!("cannot handle {name}: {err}")))
    };
    let mut interrupt = install(SignalKind::interrupt(), "SIGINT")?;
    let mut terminate = install(SignalKind::terminate(), "SIGTERM")?;
    Ok(async move {
        let name = tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        };
        tracing::info!("{name} received: finishing in-flight requests, then stopping");
    })
}

/// A future that resolves on the first Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl Future<Output = ()> + Send + 'static, Failure> {
    Ok(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::info!("Ctrl-C received: finishing in-flight requests, then stopping");
        }
    })
}
