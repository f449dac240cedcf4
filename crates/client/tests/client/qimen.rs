//! The Qimen client: its query verifies with the gateway's own check for every sign method, its
//! timestamps are the gateway's layout, and answers (success, business failure, gateway error,
//! internal error) become results and typed errors, from a real loopback server.

use std::time::Duration;

use crate::support::{Reply, Scripted};
use posbridge_client::qimen::QimenClient;
use posbridge_client::{ClientError, ErrorClass, RetryPolicy};
use posbridge_protocol::dto::{
    QimenClerk, QimenErrorResponse, QimenRequest, QimenResponse, QimenResponseClerk,
};
use posbridge_protocol::qimen::query::{parse_query, query_param};
use posbridge_protocol::qimen::sign::{SignMethod, verify};
use posbridge_protocol::qimen::timestamp::{format_timestamp, parse_timestamp};
use posbridge_protocol::qimen::{QimenFormat, read_request, write_error_response, write_response};

const QUICK: RetryPolicy = RetryPolicy::new(3, Duration::from_millis(1), Duration::from_millis(5));

fn client(url: &str, format: QimenFormat, method: SignMethod) -> QimenClient {
    QimenClient::builder(url)
        .app_key("k1")
        .secret("s3cr3t")
        .customer_id("c1")
        .format(format)
        .sign_method(method)
        .retry(QUICK)
        .build()
        .unwrap()
}

fn request() -> QimenRequest {
    QimenRequest {
        action_type: Some("add".to_owned()),
        total: Some(1),
        clerks: Some(vec![QimenClerk {
            store_code: Some("S001".to_owned()),
            clerk_code: Some("P 1&2".to_owned()),
            clerk_name: Some("王".to_owned()),
            clerk_type: Some("DZ".to_owned()),
            ..Default::default()
        }]),
    }
}

fn success() -> QimenResponse {
    QimenResponse {
        flag: Some("success".to_owned()),
        code: Some("0".to_owned()),
        message: Some("success".to_owned()),
        clerks: Some(vec![QimenResponseClerk {
            clerk_code: Some("P 1&2".to_owned()),
            clerk_name: Some("王".to_owned()),
            store_code: Some("S001".to_owned()),
        }]),
    }
}

fn answer(status: u16, format: QimenFormat, body: Vec<u8>) -> Reply {
    Reply::Answer {
        status,
        content_type: format.content_type().to_owned(),
        body,
    }
}

#[test]
fn the_signed_query_verifies_as_the_gateway_checks_it() {
    let body = b"<request><actionType>add</actionType></request>";
    for method in SignMethod::ALL {
        for format in [QimenFormat::Xml, QimenFormat::Json] {
            let client = client("http://127.0.0.1:1", format, method);
            let query = client.signed_query(body, "2017-02-10 00:00:00");
            let params = parse_query(&query);
            assert_eq!(
                query_param(&params, "method"),
                Some("taobao.qimen.pos.clerk.synchronize")
            );
            assert_eq!(
                query_param(&params, "timestamp"),
                Some("2017-02-10 00:00:00")
            );
            assert_eq!(query_param(&params, "v"), Some("2.0"));
            assert_eq!(query_param(&params, "format"), Some(format.as_str()));
            assert_eq!(query_param(&params, "sign_method"), Some(method.as_str()));
            assert_eq!(query_param(&params, "customerId"), Some("c1"));
            let sign = query_param(&params, "sign").unwrap();
            assert!(verify(&params, body, "s3cr3t", method, sign), "{method:?}");
            assert!(!verify(&params, b"<request/>", "s3cr3t", method, sign));
            assert!(!verify(&params, body, "other", method, sign));
        }
    }
}

#[test]
fn timestamps_are_gmt8_and_read_back_exactly() {
    assert_eq!(format_timestamp(0), "1970-01-01 08:00:00");
    assert_eq!(format_timestamp(-1), "1970-01-01 07:59:59");
    assert_eq!(format_timestamp(951_753_600), "2000-02-29 00:00:00");
    assert_eq!(format_timestamp(1_767_196_799), "2025-12-31 23:59:59");
    let mut at = -2_208_988_800; // 1900-01-01
    while at < 4_102_444_800 {
        // 2100-01-01
        assert_eq!(parse_timestamp(&format_timestamp(at)), Some(at), "{at}");
        at += 86_399 * 7 + 13;
    }
}

#[test]
fn credentials_are_required() {
    let missing = QimenClient::builder("http://127.0.0.1:1")
        .app_key("k1")
        .customer_id("c1")
        .build()
        .unwrap_err();
    assert_eq!(missing.class(), ErrorClass::Usage);
}

#[tokio::test]
async fn a_success_lists_the_clerks_and_the_body_is_the_request() {
    for format in [QimenFormat::Xml, QimenFormat::Json] {
        let server =
            Scripted::start(move |_, _| answer(200, format, write_response(&success(), format)))
                .await;
        let client = client(&server.url(), format, SignMethod::Hmac);
        let got = client.sync_clerks(&request()).await.unwrap();
        assert_eq!(got, success());
        let sent = &server.received()[0];
        assert_eq!(sent.method, "POST");
        assert!(
            sent.target.starts_with("/api/qimen?method="),
            "{}",
            sent.target
        );
        assert_eq!(sent.header("content-type"), Some(format.content_type()));
        assert_eq!(read_request(&sent.body, format).unwrap(), request());
        // The sign covers what was sent.
        let params = parse_query(sent.target.split_once('?').unwrap().1);
        let sign = query_param(&params, "sign").unwrap();
        assert!(verify(
            &params,
            &sent.body,
            "s3cr3t",
            SignMethod::Hmac,
            sign
        ));
        // The system clock stamped it in GMT+8, near now on any machine clock.
        assert!(parse_timestamp(query_param(&params, "timestamp").unwrap()).is_some());
    }
}

#[tokio::test]
async fn a_business_failure_is_a_typed_refusal_with_its_code() {
    let failure = QimenResponse {
        flag: Some("failure".to_owned()),
        code: Some("2102".to_owned()),
        message: Some("clerk already exists with other content".to_owned()),
        clerks: success().clerks,
    };
    let server = Scripted::start(move |_, _| {
        answer(
            200,
            QimenFormat::Json,
            write_response(&failure, QimenFormat::Json),
        )
    })
    .await;
    let client = client(&server.url(), QimenFormat::Json, SignMethod::Md5);
    let error = client
        .sync_clerks_at(&request(), "2017-02-10 00:00:00")
        .await
        .unwrap_err();
    assert_eq!(error.errcode(), Some(2102));
    assert!(error.is_business());
    let ClientError::QimenRefused { clerks, .. } = error else {
        panic!("{error:?}");
    };
    assert_eq!(clerks.len(), 1);
    assert_eq!(server.hits(), 1);
}

fn gateway_error(code: &str, sub: Option<(&str, &str)>) -> QimenErrorResponse {
    QimenErrorResponse {
        code: Some(code.to_owned()),
        msg: Some("Invalid signature".to_owned()),
        sub_code: sub.map(|(code, _)| code.to_owned()),
        sub_msg: sub.map(|(_, msg)| msg.to_owned()),
    }
}

#[tokio::test]
async fn a_gateway_refusal_is_business_and_not_retried() {
    for format in [QimenFormat::Xml, QimenFormat::Json] {
        let server = Scripted::start(move |_, _| {
            answer(
                200,
                format,
                write_error_response(&gateway_error("25", None), format),
            )
        })
        .await;
        let error = client(&server.url(), format, SignMethod::HmacSha256)
            .sync_clerks(&request())
            .await
            .unwrap_err();
        assert!(
            matches!(&error, ClientError::Gateway { status: 200, code, .. } if code == "25"),
            "{error:?}"
        );
        assert_eq!(error.class(), ErrorClass::Business);
        assert_eq!(error.errcode(), None);
        assert_eq!(server.hits(), 1);
    }
}

#[tokio::test]
async fn internal_errors_behind_the_gateway_are_retried() {
    let server = Scripted::start(|n, _| {
        if n <= 2 {
            let error = gateway_error("50", Some(("isp.service-unavailable", "retry later")));
            answer(
                503,
                QimenFormat::Xml,
                write_error_response(&error, QimenFormat::Xml),
            )
        } else {
            answer(
                200,
                QimenFormat::Xml,
                write_response(&success(), QimenFormat::Xml),
            )
        }
    })
    .await;
    let client = client(&server.url(), QimenFormat::Xml, SignMethod::Md5);
    assert_eq!(client.sync_clerks(&request()).await.unwrap(), success());
    assert_eq!(server.hits(), 3);
    // Every attempt was the identical signed request.
    let received = server.received();
    assert!(received.iter().all(|r| r.target == received[0].target));
}
