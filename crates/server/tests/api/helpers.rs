//! The test app: a fresh SQLite store per test, the fixture's master data with real bearer
//! tokens, a stepping clock, and typed calls.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use posbridge_domain::calendar::Timestamp;
use posbridge_protocol::codec;
use posbridge_protocol::dto::CommonOperationResult;
use posbridge_protocol::envelope::Envelope;
use posbridge_protocol::media::{Format, request_type};
use posbridge_protocol::node::Node;
use posbridge_protocol::read::WireType;
use posbridge_server::clock::Clock;
use posbridge_server::{ServerConfig, router_with_clock};
use posbridge_store::Store;
use posbridge_store::conformance::fixtures;
use posbridge_store::sqlite::{SqliteOptions, SqliteStore};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

/// `ch-s001-c001`: shop S001, customer unit TA/C001.
pub const CH_S001: &str = "token-1";
/// `ch-s002-c001`: shop S002, the same customer unit.
pub const CH_S002: &str = "token-2";
/// `ch-s101-c002`: shop S101 of merchant 3, customer unit TA/C002.
pub const CH_S101: &str = "token-3";
/// `m-2`: merchant 2 (shops S001, S002).
pub const M2: &str = "token-4";
/// `m-3`: merchant 3.
pub const M3: &str = "token-5";

pub const JSON: &str = "application/json";
pub const XML: &str = "application/xml";
pub const BSON: &str = "application/bson";

/// A clock that advances one second per reading, from 2024-05-01T01:00:00Z.
struct StepClock(AtomicI64);

impl Clock for StepClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.fetch_add(1000, Ordering::SeqCst))
    }
}

/// A router on its own database file, removed when dropped.
pub struct TestApp {
    pub router: Router,
    pub store: Arc<dyn Store>,
    path: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

fn unique_path() -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!(
        "posbridge-server-test-{}-{n}.db",
        std::process::id()
    ))
}

/// The SHA-256 of a test token.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A fresh app with the default configuration.
pub async fn spawn() -> TestApp {
    spawn_with(&ServerConfig::default()).await
}

/// A fresh app with `config`.
pub async fn spawn_with(config: &ServerConfig) -> TestApp {
    let path = unique_path();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&path, SqliteOptions::default())
            .await
            .expect("opening the test database"),
    );
    let mut data = fixtures::master_data();
    for account in &mut data.accounts {
        if let Some([n, ..]) = account.token_sha256 {
            account.token_sha256 = Some(token_hash(&format!("token-{n}")));
        }
    }
    store
        .import_master_data(&data, fixtures::at(0))
        .await
        .expect("seeding master data");
    let clock = Arc::new(StepClock(AtomicI64::new(fixtures::T0_MS + 3_600_000)));
    TestApp {
        router: router_with_clock(store.clone(), config, clock),
        store,
        path,
    }
}

/// An answer as the client sees it.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Answer {
    /// The format of the answer, from its `Content-Type`.
    pub fn format(&self) -> Format {
        request_type(Some(&self.content_type))
            .expect("a supported answer type")
            .format
    }

    /// The answer as `CommonOperationResultWithTag<T>`.
    pub fn envelope<T: WireType>(&self) -> Envelope<T> {
        let node = codec::read_document(self.format(), &self.body).expect("a readable answer");
        Envelope::from_root(&node).expect("an envelope")
    }

    /// The envelope's `errcode` and `errmsg`, and its `tag` when that is text, whatever the
    /// tag's type.
    pub fn plain(&self) -> CommonOperationResult {
        let node = codec::read_document(self.format(), &self.body).expect("a readable answer");
        let Node::Object(object) = node else {
            panic!("the envelope is an object: {node:?}");
        };
        let text = |name: &str| match object.get(name) {
            Some(Node::Text(text) | Node::Number(text)) => Some(text.clone()),
            Some(Node::Int(value)) => Some(value.to_string()),
            _ => None,
        };
        CommonOperationResult {
            errcode: text("errcode").and_then(|code| code.parse().ok()),
            errmsg: text("errmsg"),
            tag: text("tag"),
        }
    }

    /// The body as text (JSON and XML answers).
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 answer")
    }

    /// Asserts the status and the envelope's errcode, answering the envelope.
    #[track_caller]
    pub fn expect(&self, status: u16, errcode: i32) -> CommonOperationResult {
        assert_eq!(self.status, status, "status of {self:?}");
        let plain = self.plain();
        assert_eq!(plain.errcode, Some(errcode), "errcode of {plain:?}");
        plain
    }
}

impl TestApp {
    /// Sends a request through the router.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("reading the answer")
            .to_vec();
        Answer {
            status,
            content_type,
            body,
        }
    }

    /// POSTs `body` of type `media` with `token`.
    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        media: &str,
        body: Vec<u8>,
    ) -> Answer {
        self.send(post(path, token, media, body)).await
    }

    /// GETs `path` with `token`, answered in `accept`.
    pub async fn get(&self, path: &str, token: Option<&str>, accept: &str) -> Answer {
        let mut builder = Request::get(path).header(header::ACCEPT, accept);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(builder.body(Body::empty()).expect("a request"))
            .await
    }
}

/// A POST request.
pub fn post(path: &str, token: Option<&str>, media: &str, body: Vec<u8>) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, media)
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::from(body)).expect("a request")
}

/// The format of a media type name.
pub fn format_of(media: &str) -> Format {
    request_type(Some(media)).expect("a supported type").format
}

/// A JSON document of DTO `T` rewritten in `media`.
pub fn body_as<T: WireType>(media: &str, json: &str) -> Vec<u8> {
    let value: T = codec::decode(Format::Json, json.as_bytes()).expect("test JSON reads");
    codec::encode(format_of(media), &value).expect("test body writes")
}

/// An AddOrUpdate body: bill `sender` of `amount` scarves (product 1) at `retail`.
pub fn scarves(sender: &str, amount: &str, retail: &str) -> String {
    format!(
        r#"{{"SenderBillNum":"{sender}","GuestName":"Wang","PlanDeliverType":"1",
            "Details":[{{"ProductId":1,"Amount":{amount},"RetailPrice":"{retail}","Unit":"pc"}}]}}"#
    )
}

/// The number of bills of customer unit TA/C001, straight from the store.
pub async fn c001_bills(app: &TestApp) -> usize {
    fixtures::all_bills(&app.store, &fixtures::c001())
        .await
        .len()
}

// ---- Shared by the isolation and bad-input suites -------------------------------------------

/// The admin token of [`spawn_admin`].
pub const ADMIN_TOKEN: &str = "admin-token-of-the-tests";

/// The Qimen ERP account `erp-1` of the fixture: app key, secret and customer id.
pub const ERP_APP_KEY: &str = "erp-app-1";
/// The secret of [`ERP_APP_KEY`].
pub const ERP_SECRET: &str = "erp-secret-1";
/// The customer id of [`ERP_APP_KEY`].
pub const ERP_CUSTOMER_ID: &str = "stub-cust-code";

/// A fresh app whose admin API is open to [`ADMIN_TOKEN`].
pub async fn spawn_admin() -> TestApp {
    spawn_with(&ServerConfig {
        admin_token: Some(ADMIN_TOKEN.to_owned()),
        ..ServerConfig::default()
    })
    .await
}

/// The query of a Qimen call by `erp-1` (in the test clock's "now"), `extra` first, signed with
/// MD5 over `body` with `secret`; `None` leaves `sign` out.
pub fn qimen_query(extra: &[(&str, &str)], body: &[u8], secret: Option<&str>) -> String {
    use posbridge_protocol::qimen::query::encode_query;
    use posbridge_protocol::qimen::sign::{SignMethod, sign};
    let mut params: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for (k, v) in [
        ("method", "taobao.qimen.pos.clerk.synchronize"),
        ("app_key", ERP_APP_KEY),
        ("timestamp", "2024-05-01 09:00:00"),
        ("v", "2.0"),
        ("customerId", ERP_CUSTOMER_ID),
    ] {
        params.push((k.to_owned(), v.to_owned()));
    }
    if let Some(secret) = secret {
        let signature = sign(&params, body, secret, SignMethod::Md5);
        params.push(("sign".to_owned(), signature));
    }
    encode_query(&params)
}

/// A signed Qimen call of `erp-1` with an XML (or, starting with `{`, JSON) `body`.
pub async fn qimen_call(app: &TestApp, body: &[u8]) -> Answer {
    let json = body.first() == Some(&b'{');
    let extra: &[(&str, &str)] = if json { &[("format", "json")] } else { &[] };
    let media = if json { JSON } else { "text/xml" };
    let uri = format!("/api/qimen?{}", qimen_query(extra, body, Some(ERP_SECRET)));
    app.send(post(&uri, None, media, body.to_vec())).await
}

/// A Qimen answer, reduced to what the tests compare: `Ok(code)` for a `response` (`"0"` on
/// success, the errcode on a business failure), `Err((code, sub_msg))` for an `error_response`.
pub fn qimen_outcome(answer: &Answer) -> Result<String, (String, String)> {
    use posbridge_protocol::qimen::{QimenAnswer, QimenFormat, read_answer};
    assert_eq!(answer.status, 200, "Qimen answers are HTTP 200: {answer:?}");
    let format = if answer.content_type.starts_with("application/json") {
        QimenFormat::Json
    } else {
        QimenFormat::Xml
    };
    match read_answer(&answer.body, format).expect("a Qimen answer") {
        QimenAnswer::Response(response) => Ok(response.code.unwrap_or_default()),
        QimenAnswer::Error(error) => Err((
            error.code.unwrap_or_default(),
            error.sub_msg.unwrap_or_default(),
        )),
    }
}

/// Everything a request could have stored: the bills of both customer units, the outbox, the
/// clerks (deleted ones included) of every shop, and the master data.
#[derive(Debug, PartialEq)]
pub struct Stored {
    pub c001: Vec<posbridge_domain::sell_bill::BillRecord>,
    pub c002: Vec<posbridge_domain::sell_bill::BillRecord>,
    pub events: Vec<posbridge_store::model::OutboxEvent>,
    pub clerks: Vec<posbridge_store::model::ClerkEntry>,
    pub master: posbridge_domain::master::MasterData,
}

/// What `app`'s store holds now.
pub async fn stored(app: &TestApp) -> Stored {
    let mut clerks = Vec::new();
    for shop in ["S001", "S002", "S101"] {
        let shop = posbridge_domain::ids::ShopId::new(shop);
        clerks.extend(app.store.clerks(&shop, true).await.expect("clerks"));
    }
    Stored {
        c001: fixtures::all_bills(&app.store, &fixtures::c001()).await,
        c002: fixtures::all_bills(&app.store, &fixtures::c002()).await,
        events: fixtures::all_events(&app.store).await,
        clerks,
        master: app.store.master_data().await.expect("master data"),
    }
}

/// Sends `request` and asserts its HTTP status and errcode and that it stored nothing;
/// answers the envelope.
#[track_caller]
pub fn send_refused(
    app: &TestApp,
    request: Request<Body>,
    status: u16,
    errcode: i32,
) -> impl std::future::Future<Output = CommonOperationResult> + '_ {
    let caller = std::panic::Location::caller();
    async move {
        let before = stored(app).await;
        let what = format!("{} {}", request.method(), request.uri());
        let answer = app.send(request).await;
        assert_eq!(
            (answer.status, answer.plain().errcode),
            (status, Some(errcode)),
            "{what} (at {caller}): {}",
            String::from_utf8_lossy(&answer.body)
        );
        assert_eq!(
            stored(app).await,
            before,
            "{what} (at {caller}) stored nothing"
        );
        answer.plain()
    }
}
