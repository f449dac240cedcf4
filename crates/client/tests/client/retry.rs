//! The retry policy against a real loopback server: lost connections and 500/502/503/504
//! answers are retried up to the policy's bound; 4xx answers and business refusals are not; and
//! answers are read in the format the server's `Content-Type` names.

use std::time::Duration;

use crate::support::{Reply, Scripted};
use posbridge_client::{BillKey, Client, ClientError, ErrorClass, RetryPolicy};
use posbridge_protocol::dto::{
    CommonOperationResult, PosSellBillView, PosSellFromWebInterfaceParm,
    PosSellFromWebInterfaceResult,
};
use posbridge_protocol::envelope::Envelope;
use posbridge_protocol::media::Format;
use posbridge_protocol::node::Node;
use posbridge_protocol::read::WireType;

/// Quick backoff, so the tests do not wait; the bound is what is under test.
const QUICK: RetryPolicy = RetryPolicy::new(3, Duration::from_millis(1), Duration::from_millis(5));

fn client(server: &Scripted, format: Format, policy: RetryPolicy) -> Client {
    Client::builder(server.url())
        .token("t0ken")
        .format(format)
        .retry(policy)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn created() -> Node {
    Envelope {
        errcode: 0,
        errmsg: Some("success".to_owned()),
        tag: Some(PosSellFromWebInterfaceResult {
            sender_bill_num: Some("S-1".to_owned()),
            bill_num: Some("B-1".to_owned()),
            bill_state: Some("Initial".to_owned()),
        }),
    }
    .to_node()
}

fn plain(errcode: i32, errmsg: &str) -> Node {
    Node::Object(CommonOperationResult::new(errcode, errmsg, None).to_object())
}

fn refused(errcode: i32, errmsg: &str) -> Node {
    Envelope::<PosSellFromWebInterfaceResult> {
        errcode,
        errmsg: Some(errmsg.to_owned()),
        tag: None,
    }
    .to_node()
}

fn bill() -> PosSellFromWebInterfaceParm {
    PosSellFromWebInterfaceParm {
        sender_bill_num: Some("S-1".to_owned()),
        ..Default::default()
    }
}

/// Fails the first `failures` requests with `failure`, then answers `created()`.
async fn flaky(failures: usize, failure: fn() -> Reply) -> Scripted {
    Scripted::start(move |n, _| {
        if n <= failures {
            failure()
        } else {
            Reply::document(200, Format::Json, &created())
        }
    })
    .await
}

fn overloaded() -> Reply {
    Reply::document(503, Format::Json, &plain(9002, "overloaded"))
}

fn internal() -> Reply {
    Reply::document(500, Format::Xml, &plain(9001, "internal error"))
}

#[tokio::test]
async fn dropped_connections_are_retried_until_an_answer() {
    let server = flaky(2, || Reply::Drop).await;
    let answer = client(&server, Format::Json, QUICK)
        .add_or_update(&bill())
        .await
        .unwrap();
    assert_eq!(answer.bill_num.as_deref(), Some("B-1"));
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn dropped_connections_give_up_after_max_attempts() {
    let server = flaky(usize::MAX, || Reply::Drop).await;
    let error = client(&server, Format::Json, QUICK)
        .add_or_update(&bill())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ClientError::Network { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(error.class(), ErrorClass::Network);
    assert!(error.is_transport() && !error.is_business());
    assert_eq!(error.errcode(), None);
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn overloaded_and_internal_answers_are_retried() {
    for failure in [overloaded as fn() -> Reply, internal] {
        let server = flaky(2, failure).await;
        let answer = client(&server, Format::Json, QUICK)
            .add_or_update(&bill())
            .await
            .unwrap();
        assert_eq!(answer.bill_state.as_deref(), Some("Initial"));
        assert_eq!(server.hits(), 3);
    }
}

#[tokio::test]
async fn a_proxy_s_bad_gateway_and_timeout_pages_are_retried() {
    for status in [502, 504] {
        let server = Scripted::start(move |_, _| Reply::Answer {
            status,
            content_type: "text/html".to_owned(),
            body: b"<html>upstream unavailable</html>".to_vec(),
        })
        .await;
        let error = client(&server, Format::Json, QUICK)
            .add_or_update(&bill())
            .await
            .unwrap_err();
        assert_eq!(server.hits(), 3, "{status}");
        assert_eq!(error.class(), ErrorClass::Undecodable, "{error}");
        assert_eq!(error.status(), Some(status));
    }
}

#[tokio::test]
async fn a_persistent_503_is_reported_with_its_errcode_after_the_last_attempt() {
    let server = flaky(usize::MAX, overloaded).await;
    let error = client(&server, Format::Json, QUICK)
        .add_or_update(&bill())
        .await
        .unwrap_err();
    assert_eq!(server.hits(), 3);
    assert_eq!(error.errcode(), Some(9002));
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.class(), ErrorClass::Transport);
    assert!(error.is_retryable());
}

#[tokio::test]
async fn no_retry_policy_makes_one_attempt() {
    let server = flaky(1, overloaded).await;
    let error = client(&server, Format::Json, RetryPolicy::none())
        .add_or_update(&bill())
        .await
        .unwrap_err();
    assert_eq!(error.errcode(), Some(9002));
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn client_errors_and_business_refusals_are_never_retried() {
    let cases: [(u16, Node, i32, ErrorClass); 5] = [
        (
            400,
            plain(1001, "body cannot be parsed"),
            1001,
            ErrorClass::Transport,
        ),
        (
            401,
            plain(5001, "missing credentials"),
            5001,
            ErrorClass::Transport,
        ),
        (403, plain(5002, "not allowed"), 5002, ErrorClass::Transport),
        (415, plain(1006, "unsupported"), 1006, ErrorClass::Transport),
        (
            200,
            refused(2003, "RetailPrice differs"),
            2003,
            ErrorClass::Business,
        ),
    ];
    for (status, node, errcode, class) in cases {
        let server =
            Scripted::start(move |_, _| Reply::document(status, Format::Json, &node)).await;
        let error = client(&server, Format::Json, QUICK)
            .add_or_update(&bill())
            .await
            .unwrap_err();
        assert_eq!(server.hits(), 1, "HTTP {status}");
        assert_eq!(error.errcode(), Some(errcode));
        assert_eq!(error.class(), class, "{error}");
        assert_eq!(error.is_business(), class == ErrorClass::Business);
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_network_failure_after_every_attempt() {
    // A port that was just free: nothing listens there.
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let error = Client::builder(format!("http://{addr}"))
        .retry(QUICK)
        .build()
        .unwrap()
        .get_bill(&BillKey::BillNum("B-1".to_owned()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, ClientError::Network { attempts: 3, .. }),
        "{error:?}"
    );
    // The message names the cause, not only reqwest's "error sending request".
    let message = error.to_string();
    assert!(
        message.starts_with("network failure after 3 attempt(s): "),
        "{message}"
    );
    assert!(message.to_lowercase().contains("refused"), "{message}");
}

#[tokio::test]
async fn requests_say_their_format_and_answers_are_read_in_theirs() {
    for (sent, answered) in [
        (Format::Json, Format::Xml),
        (Format::Xml, Format::Bson),
        (Format::Bson, Format::Json),
    ] {
        let server = Scripted::start(move |_, _| Reply::document(200, answered, &created())).await;
        let answer = client(&server, sent, QUICK)
            .add_or_update(&bill())
            .await
            .unwrap();
        assert_eq!(answer.sender_bill_num.as_deref(), Some("S-1"));
        let request = &server.received()[0];
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/api/Pos/Sell/Bill/AddOrUpdate");
        assert_eq!(request.header("authorization"), Some("Bearer t0ken"));
        let (content_type, accept) = match sent {
            Format::Json => ("application/json; charset=utf-8", "application/json"),
            Format::Xml => ("application/xml; charset=utf-8", "application/xml"),
            Format::Bson => ("application/bson", "application/bson"),
        };
        assert_eq!(request.header("content-type"), Some(content_type));
        assert_eq!(request.header("accept"), Some(accept));
        let parsed: PosSellFromWebInterfaceParm =
            posbridge_protocol::codec::decode(sent, &request.body).unwrap();
        assert_eq!(parsed, bill());
    }
}

#[tokio::test]
async fn gets_send_their_key_in_the_query() {
    let view = Envelope {
        errcode: 0,
        errmsg: Some("success".to_owned()),
        tag: Some(PosSellBillView {
            bill_num: Some("B 1/2".to_owned()),
            ..Default::default()
        }),
    }
    .to_node();
    let server = Scripted::start(move |_, _| Reply::document(200, Format::Bson, &view)).await;
    let client = client(&server, Format::Bson, QUICK);
    let got = client
        .get_bill(&BillKey::SenderBillNum("S 1/2".to_owned()))
        .await
        .unwrap();
    assert_eq!(got.bill_num.as_deref(), Some("B 1/2"));
    let request = &server.received()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.target,
        "/api/Pos/Sell/Bill/Get?SenderBillNum=S%201%2F2"
    );
}

#[tokio::test]
async fn answers_that_are_no_envelope_are_undecodable() {
    let cases = [
        (200, "text/html", b"<html>proxy</html>".to_vec()),
        (200, "application/json", b"{\"errcode\":".to_vec()),
        (
            200,
            "application/json",
            b"{\"errcode\":0,\"errmsg\":\"success\"}".to_vec(),
        ),
        (404, "text/html", b"<html>not here</html>".to_vec()),
    ];
    for (status, content_type, body) in cases {
        let server = Scripted::start(move |_, _| Reply::Answer {
            status,
            content_type: content_type.to_owned(),
            body: body.clone(),
        })
        .await;
        let error = client(&server, Format::Json, QUICK)
            .add_or_update(&bill())
            .await
            .unwrap_err();
        assert_eq!(error.class(), ErrorClass::Undecodable, "{error}");
        assert_eq!(error.status(), Some(status));
        assert_eq!(server.hits(), 1);
    }
}

#[tokio::test]
async fn settlement_ids_come_from_the_text_tag() {
    let answer =
        Node::Object(CommonOperationResult::new(0, "success", Some("42".to_owned())).to_object());
    let server = Scripted::start(move |_, _| Reply::document(200, Format::Xml, &answer)).await;
    let id = client(&server, Format::Xml, QUICK)
        .add_settlement(&Default::default())
        .await
        .unwrap();
    assert_eq!(id, "42");
    assert_eq!(
        server.received()[0].target,
        "/api/UnPos/Merchant/Customer/CalculateBill/Add"
    );
}

#[test]
fn backoff_doubles_up_to_its_cap() {
    let policy = RetryPolicy::new(10, Duration::from_millis(200), Duration::from_secs(2));
    let waits: Vec<u128> = (1..=6).map(|n| policy.backoff(n).as_millis()).collect();
    assert_eq!(waits, [200, 400, 800, 1600, 2000, 2000]);
    assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(2));
    assert_eq!(
        RetryPolicy::new(0, Duration::ZERO, Duration::ZERO).max_attempts(),
        1
    );
}

#[test]
fn bad_configuration_is_refused_before_sending() {
    for url in [
        "127.0.0.1:8080",
        "ftp://host",
        "http://",
        "http://h/?q=1",
        "not a url",
    ] {
        let error = Client::builder(url).build().unwrap_err();
        assert_eq!(error.class(), ErrorClass::Usage, "{url}");
    }
    let error = Client::builder("http://127.0.0.1:1")
        .token("line\nbreak")
        .build()
        .unwrap_err();
    assert!(matches!(error, ClientError::Config(_)));
}
