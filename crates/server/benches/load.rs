//! HTTP load: AddOrUpdate in JSON and in XML over 64 keep-alive connections on loopback against
//! the real router on SQLite (every answer durable), next to a trivial axum JSON handler served
//! the same way, which is the ceiling of this machine's HTTP stack. Prints throughput, p50/p99
//! and the ratio to the ceiling. Run with `cargo xtask bench`.

// A bench stops at its first failure; rates and percentiles are measurements, not money.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::disallowed_methods)]
#![allow(clippy::float_arithmetic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use posbridge_domain::calendar::Timestamp;
use posbridge_protocol::codec;
use posbridge_protocol::dto::PosSellFromWebInterfaceParm;
use posbridge_protocol::media::Format;
use posbridge_server::ServerConfig;
use posbridge_store::Store;
use posbridge_store::conformance::fixtures;
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};
use sha2::{Digest, Sha256};
use tokio::net::{TcpListener, TcpStream};

/// The allocator of the `posbridge` binary, so the bench measures what runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CONNECTIONS: usize = 64;
const RUN: Duration = Duration::from_secs(5);
const TOKEN: &str = "token-1";
const ADD: &str = "/api/Pos/Sell/Bill/AddOrUpdate";

struct Load {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failures: u64,
}

/// A bill body keyed `n`, in JSON or XML.
fn body(format: Format, n: u64) -> Vec<u8> {
    let json = format!(
        r#"{{"SenderBillNum":"L-{n}","GuestName":"Wang","PlanDeliverType":"1",
            "Details":[{{"ProductId":1,"Amount":2,"RetailPrice":"99.00","Unit":"pc"}}]}}"#
    );
    let value: PosSellFromWebInterfaceParm =
        codec::decode(Format::Json, json.as_bytes()).expect("bench JSON reads");
    codec::encode(format, &value).expect("bench body writes")
}

/// Whether an answer is a success envelope (JSON or XML).
fn succeeded(body: &[u8]) -> bool {
    let contains = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    contains(b"\"errcode\":0,") || contains(b"<errcode>0</errcode>")
}

async fn posbridge_app() -> (Router, std::path::PathBuf) {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path =
        std::env::temp_dir().join(format!("posbridge-load-{}-{nanos}.db", std::process::id()));
    let store = SqliteStore::open(&path, SqliteOptions::default())
        .await
        .expect("open");
    let mut data = fixtures::master_data();
    for account in &mut data.accounts {
        if let Some([n, ..]) = account.token_sha256 {
            account.token_sha256 = Some(Sha256::digest(format!("token-{n}").as_bytes()).into());
        }
    }
    store
        .import_master_data(&data, Timestamp(0))
        .await
        .expect("seed");
    let store: Arc<dyn Store> = Arc::new(store);
    (
        posbridge_server::router(store, &ServerConfig::default()),
        path,
    )
}

/// The ceiling: a handler that reads the body and answers a fixed JSON envelope.
fn ceiling_app() -> Router {
    Router::new().route(
        ADD,
        post(|body: Bytes| async move {
            let _ = body.len();
            (
                [(CONTENT_TYPE, "application/json; charset=utf-8")],
                r#"{"errcode":0,"errmsg":"success","tag":null}"#,
            )
        }),
    )
}

async fn serve(app: Router) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    addr
}

async fn load(addr: std::net::SocketAddr, format: Format, content_type: &'static str) -> Load {
    let next = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (next, failures) = (Arc::clone(&next), Arc::clone(&failures));
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(addr).await.expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .expect("handshake");
            tokio::spawn(connection);
            let mut latencies = Vec::new();
            while started.elapsed() < RUN {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let request = hyper::Request::post(ADD)
                    .header("host", "127.0.0.1")
                    .header("content-type", content_type)
                    .header("authorization", format!("Bearer {TOKEN}"))
                    .body(Full::new(Bytes::from(body(format, n))))
                    .expect("request");
                let began = Instant::now();
                let answer = sender.send_request(request).await.expect("send");
                let ok = answer.status() == 200;
                let body = answer.into_body().collect().await.expect("body").to_bytes();
                latencies.push(began.elapsed());
                if !ok || !succeeded(&body) {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("connection task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| {
        let i = ((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1));
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    Load {
        per_second: latencies.len() as f64 / elapsed,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        failures: failures.load(Ordering::Relaxed),
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        println!("HTTP load: {CONNECTIONS} connections, {RUN:?} per measurement, loopback");
        let ceiling = load(serve(ceiling_app()).await, Format::Json, "application/json").await;
        println!(
            "\n{:<28} {:>9} {:>8} {:>8} {:>9} {:>11}",
            "target", "req/s", "p50 ms", "p99 ms", "failures", "of ceiling"
        );
        let row = |name: &str, l: &Load| {
            println!(
                "{name:<28} {:>9.0} {:>8.2} {:>8.2} {:>9} {:>10.0}%",
                l.per_second,
                l.p50_ms,
                l.p99_ms,
                l.failures,
                100.0 * l.per_second / ceiling.per_second
            );
        };
        row("trivial axum JSON (ceiling)", &ceiling);
        for (name, format, content_type) in [
            ("AddOrUpdate JSON, SQLite", Format::Json, "application/json"),
            ("AddOrUpdate XML, SQLite", Format::Xml, "application/xml"),
        ] {
            let (app, path) = posbridge_app().await;
            let result = load(serve(app).await, format, content_type).await;
            row(name, &result);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    });
}
