//! The Qimen endpoint (CONTRACT §7) end to end: calls signed by an independent signer (the
//! `openssl` and `md5sum` tools, not the protocol's signer), the gateway refusals, the clerk
//! rules and what the store holds afterwards.

use std::io::Write as _;
use std::process::{Command, Stdio};

use posbridge_domain::ids::ShopId;
use posbridge_protocol::dto::{QimenErrorResponse, QimenResponse};
use posbridge_protocol::qimen::query::encode_query;
use posbridge_protocol::qimen::{QimenAnswer, QimenFormat, read_answer};

use crate::helpers::{Answer, TestApp, post, spawn};

const APP_KEY: &str = "erp-app-1";
const SECRET: &str = "erp-secret-1";
const CUSTOMER_ID: &str = "stub-cust-code";
const METHOD: &str = "taobao.qimen.pos.clerk.synchronize";
/// The test clock starts at fixtures::T0_MS + 1 h = 2024-05-01T01:00:00Z, which is 09:00:00 in
/// GMT+8, and steps one second per reading.
const NOW: &str = "2024-05-01 09:00:00";

/// Runs `program` with `args`, feeding `input` on stdin; returns the hex digest it prints
/// (the last whitespace-separated or `= `-separated hex word of its output).
fn digest(program: &str, args: &[&str], input: &[u8]) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the signing tool runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input)
        .expect("feeding the tool");
    let output = child.wait_with_output().expect("the tool finishes");
    assert!(output.status.success(), "{program} failed");
    let text = String::from_utf8(output.stdout).unwrap();
    let hex = text
        .split(|c: char| c.is_whitespace() || c == '=')
        .rfind(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_hexdigit()))
        .expect("a hex digest")
        .to_owned();
    hex.to_ascii_uppercase()
}

/// The signature as the Qimen SDK computes it, written out here independently.
fn independent_sign(params: &[(String, String)], body: &[u8], method: &str) -> String {
    let mut signed: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, v)| !k.is_empty() && !v.is_empty() && k != "sign")
        .collect();
    signed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut text = Vec::new();
    for (k, v) in signed {
        text.extend_from_slice(k.as_bytes());
        text.extend_from_slice(v.as_bytes());
    }
    text.extend_from_slice(body);
    match method {
        "md5" => {
            let mut input = SECRET.as_bytes().to_vec();
            input.extend_from_slice(&text);
            input.extend_from_slice(SECRET.as_bytes());
            digest("md5sum", &[], &input)
        }
        "hmac" => digest("openssl", &["dgst", "-md5", "-hmac", SECRET], &text),
        "hmac-sha256" => digest("openssl", &["dgst", "-sha256", "-hmac", SECRET], &text),
        other => panic!("no signer for {other}"),
    }
}

/// A call's query parameters; `sign` is added by [`Call::send`].
struct Call {
    params: Vec<(String, String)>,
    sign_method: &'static str,
    path: &'static str,
    sign: Option<String>,
}

impl Call {
    fn new(format: &str) -> Call {
        let params = [
            ("method", METHOD),
            ("app_key", APP_KEY),
            ("timestamp", NOW),
            ("v", "2.0"),
            ("format", format),
            ("customerId", CUSTOMER_ID),
        ];
        Call {
            params: params
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            sign_method: "md5",
            path: "/api/qimen",
            sign: None,
        }
    }

    fn xml() -> Call {
        Call::new("xml")
    }

    fn set(mut self, name: &str, value: &str) -> Call {
        self.params.retain(|(k, _)| k != name);
        self.params.push((name.to_owned(), value.to_owned()));
        self
    }

    fn without(mut self, name: &str) -> Call {
        self.params.retain(|(k, _)| k != name);
        self
    }

    fn signed_with(mut self, method: &'static str) -> Call {
        self.sign_method = method;
        self.set("sign_method", method)
    }

    async fn send(self, app: &TestApp, body: &str) -> Answer {
        let mut params = self.params;
        let sign = self
            .sign
            .unwrap_or_else(|| independent_sign(&params, body.as_bytes(), self.sign_method));
        params.push(("sign".to_owned(), sign));
        let uri = format!("{}?{}", self.path, encode_query(&params));
        let media = if body.trim_start().starts_with('<') {
            "text/xml"
        } else {
            "application/json"
        };
        app.send(post(&uri, None, media, body.as_bytes().to_vec()))
            .await
    }
}

fn clerk_xml(store: &str, code: &str, name: &str) -> String {
    format!(
        "<clerk><storeCode>{store}</storeCode><clerkCode>{code}</clerkCode>\
         <clerkName>{name}</clerkName><clerkType>DZ</clerkType></clerk>"
    )
}

fn request_xml(action: &str, clerks: &[String]) -> String {
    format!(
        "<request><actionType>{action}</actionType><total>{}</total><clerks>{}</clerks></request>",
        clerks.len(),
        clerks.concat()
    )
}

fn format_of(answer: &Answer) -> QimenFormat {
    if answer.content_type.starts_with("application/json") {
        QimenFormat::Json
    } else {
        QimenFormat::Xml
    }
}

fn response(answer: &Answer) -> QimenResponse {
    assert_eq!(answer.status, 200, "{}", answer.text());
    match read_answer(&answer.body, format_of(answer)).expect("a Qimen answer") {
        QimenAnswer::Response(response) => response,
        QimenAnswer::Error(error) => panic!("an error_response: {error:?}"),
    }
}

fn error(answer: &Answer, code: &str) -> QimenErrorResponse {
    assert_eq!(answer.status, 200, "{}", answer.text());
    match read_answer(&answer.body, format_of(answer)).expect("a Qimen answer") {
        QimenAnswer::Error(error) => {
            assert_eq!(error.code.as_deref(), Some(code), "{error:?}");
            error
        }
        QimenAnswer::Response(response) => panic!("a response: {response:?}"),
    }
}

/// The codes of the live clerks of `shop`.
async fn clerk_codes(app: &TestApp, shop: &str) -> Vec<String> {
    app.store
        .clerks(&ShopId::new(shop), false)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.stored.clerk.clerk_code)
        .collect()
}

fn failure(answer: &Answer, code: &str, offending: &[(&str, &str)]) {
    let response = response(answer);
    assert_eq!(response.flag.as_deref(), Some("failure"), "{response:?}");
    assert_eq!(response.code.as_deref(), Some(code), "{response:?}");
    let clerks: Vec<(String, String)> = response
        .clerks
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.store_code.unwrap(), c.clerk_code.unwrap()))
        .collect();
    let expect: Vec<(String, String)> = offending
        .iter()
        .map(|(s, c)| ((*s).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(clerks, expect);
}

#[tokio::test]
async fn a_signed_xml_add_succeeds_and_stores_the_clerk() {
    let app = spawn().await;
    let body = request_xml("add", &[clerk_xml("S001", "C001", "老王")]);
    let answer = Call::xml().send(&app, &body).await;
    assert_eq!(answer.content_type, "text/xml;charset=utf-8");
    assert_eq!(
        answer.text(),
        "<response><flag>success</flag><code>0</code><message>success</message><clerks>\
         <clerk><clerkCode>C001</clerkCode><clerkName>老王</clerkName><storeCode>S001</storeCode>\
         </clerk></clerks></response>"
    );
    assert_eq!(clerk_codes(&app, "S001").await, ["C001"]);
    // The same add again is a replay: success, nothing changes.
    let again = Call::xml().send(&app, &body).await;
    assert_eq!(response(&again).flag.as_deref(), Some("success"));
    assert_eq!(clerk_codes(&app, "S001").await, ["C001"]);
}

#[tokio::test]
async fn json_answers_are_wrapped_in_response() {
    let app = spawn().await;
    let body = r#"{"request":{"actionType":"add","clerks":{"clerk":[{"storeCode":"S002","clerkCode":"J1","clerkName":"Li","clerkType":"SYY"}]}}}"#;
    let answer = Call::new("json").send(&app, body).await;
    assert_eq!(answer.content_type, "application/json;charset=utf-8");
    assert_eq!(
        answer.text(),
        r#"{"response":{"flag":"success","code":"0","message":"success","clerks":{"clerk":[{"clerkCode":"J1","clerkName":"Li","storeCode":"S002"}]}}}"#
    );
    assert_eq!(clerk_codes(&app, "S002").await, ["J1"]);
    // A bare JSON body works too, and gateway errors come in JSON with a numeric code.
    let bare = r#"{"actionType":"delete","clerks":[{"storeCode":"S002","clerkCode":"J1"}]}"#;
    let answer = Call::new("json").send(&app, bare).await;
    assert_eq!(response(&answer).flag.as_deref(), Some("success"));
    assert!(clerk_codes(&app, "S002").await.is_empty());
    let refused = Call::new("json").without("method").send(&app, bare).await;
    assert!(
        refused
            .text()
            .starts_with(r#"{"error_response":{"code":21,"#),
        "{}",
        refused.text()
    );
}

#[tokio::test]
async fn every_sign_method_verifies_an_independent_signature() {
    let app = spawn().await;
    for (n, method) in ["md5", "hmac", "hmac-sha256"].into_iter().enumerate() {
        let body = request_xml("add", &[clerk_xml("S001", &format!("K{n}"), "Wang")]);
        let answer = Call::xml().signed_with(method).send(&app, &body).await;
        assert_eq!(response(&answer).code.as_deref(), Some("0"), "{method}");
        // Signatures compare in any letter case.
        let call = Call::xml().signed_with(method);
        let lower = independent_sign(&call.params, body.as_bytes(), method).to_ascii_lowercase();
        let answer = Call {
            sign: Some(lower),
            ..call
        }
        .send(&app, &body)
        .await;
        assert_eq!(response(&answer).code.as_deref(), Some("0"), "{method}");
    }
    assert_eq!(clerk_codes(&app, "S001").await, ["K0", "K1", "K2"]);
}

#[tokio::test]
async fn parameter_names_match_in_any_case_on_both_paths() {
    let app = spawn().await;
    let body = request_xml("add", &[clerk_xml("S001", "C9", "Zhao")]);
    let call = Call {
        path: "/API/Qimen/Router",
        ..Call::xml()
            .without("method")
            .set("METHOD", "qimen.taobao.pos.clerk.synchronize")
            .without("customerId")
            .set("CUSTOMERID", CUSTOMER_ID)
    };
    let answer = call.send(&app, &body).await;
    assert_eq!(response(&answer).flag.as_deref(), Some("success"));
    let answer = Call::xml()
        .set("method", "pos.clerk.synchronize")
        .send(&app, &body)
        .await;
    assert_eq!(response(&answer).flag.as_deref(), Some("success"));
}

#[tokio::test]
async fn gateway_refusals() {
    let app = spawn().await;
    let body = request_xml("add", &[clerk_xml("S001", "C001", "Wang")]);
    let wrong = Call {
        sign: Some("0123456789ABCDEF0123456789ABCDEF".into()),
        ..Call::xml()
    };
    error(&wrong.send(&app, &body).await, "25");
    let tampered = Call::xml();
    let sign = independent_sign(&tampered.params, body.as_bytes(), "md5");
    let other_body = body.replace("Wang", "Wong");
    let tampered = Call {
        sign: Some(sign),
        ..tampered
    };
    error(&tampered.send(&app, &other_body).await, "25");
    error(
        &Call::xml()
            .set("timestamp", "2024-05-01 08:50:00")
            .send(&app, &body)
            .await,
        "31",
    );
    error(
        &Call::xml()
            .set("timestamp", "2024-05-01T09:00:00")
            .send(&app, &body)
            .await,
        "31",
    );
    error(
        &Call::xml().set("app_key", "nobody").send(&app, &body).await,
        "29",
    );
    error(
        &Call::xml().without("app_key").send(&app, &body).await,
        "28",
    );
    error(&Call::xml().without("method").send(&app, &body).await, "21");
    error(
        &Call::xml()
            .set("method", "taobao.item.get")
            .send(&app, &body)
            .await,
        "22",
    );
    let missing = error(
        &Call::xml().without("customerId").send(&app, &body).await,
        "40",
    );
    assert!(missing.sub_msg.unwrap().contains("customerId"));
    let wrong_customer = error(
        &Call::xml()
            .set("customerId", "someone-else")
            .send(&app, &body)
            .await,
        "50",
    );
    assert_eq!(
        wrong_customer.sub_code.as_deref(),
        Some("isv.invalid-parameter")
    );
    assert!(wrong_customer.sub_msg.unwrap().contains("customerId"));
    assert!(clerk_codes(&app, "S001").await.is_empty());
}

#[tokio::test]
async fn invalid_bodies_are_error_50_naming_the_field() {
    let app = spawn().await;
    let malformed = error(
        &Call::xml().send(&app, "<request><actionType>add").await,
        "50",
    );
    assert_eq!(malformed.msg.as_deref(), Some("Remote service error"));
    assert_eq!(malformed.sub_code.as_deref(), Some("isv.invalid-parameter"));
    let no_type = "<request><actionType>add</actionType><clerks><clerk><storeCode>S001</storeCode>\
        <clerkCode>C1</clerkCode><clerkName>N</clerkName></clerk></clerks></request>";
    let invalid = error(&Call::xml().send(&app, no_type).await, "50");
    assert_eq!(invalid.sub_code.as_deref(), Some("isv.invalid-parameter"));
    assert!(invalid.sub_msg.unwrap().contains("clerkType"));
    let body = request_xml("rename", &[clerk_xml("S001", "C1", "N")]);
    let action = error(&Call::xml().send(&app, &body).await, "50");
    assert!(action.sub_msg.unwrap().contains("actionType"));
    let wrong_total = request_xml("add", &[clerk_xml("S001", "C1", "N")])
        .replace("<total>1</total>", "<total>2</total>");
    let total = error(&Call::xml().send(&app, &wrong_total).await, "50");
    assert!(total.sub_msg.unwrap().contains("total"));
    assert!(clerk_codes(&app, "S001").await.is_empty());
}

#[tokio::test]
async fn rule_outcomes_are_business_failures_listing_the_clerks() {
    let app = spawn().await;
    let add = request_xml("add", &[clerk_xml("S001", "C001", "Wang")]);
    assert_eq!(
        response(&Call::xml().send(&app, &add).await)
            .code
            .as_deref(),
        Some("0")
    );

    let other = request_xml("add", &[clerk_xml("S001", "C001", "Zhang")]);
    let answer = Call::xml().send(&app, &other).await;
    assert!(
        answer
            .text()
            .starts_with("<response><flag>failure</flag><code>2102</code>")
    );
    failure(&answer, "2102", &[("S001", "C001")]);

    let update = request_xml("update", &[clerk_xml("S002", "C404", "Nobody")]);
    failure(
        &Call::xml().send(&app, &update).await,
        "2103",
        &[("S002", "C404")],
    );

    let outside = request_xml("add", &[clerk_xml("S101", "C001", "Wang")]);
    failure(
        &Call::xml().send(&app, &outside).await,
        "2101",
        &[("S101", "C001")],
    );

    let stored = app.store.clerks(&ShopId::new("S001"), false).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].stored.clerk.clerk_name, "Wang");
}

#[tokio::test]
async fn a_request_is_all_or_nothing() {
    let app = spawn().await;
    let body = request_xml(
        "add",
        &[
            clerk_xml("S001", "A1", "Good"),
            clerk_xml("S101", "A2", "Outside"),
            clerk_xml("S002", "A3", "Good too"),
        ],
    );
    failure(
        &Call::xml().send(&app, &body).await,
        "2101",
        &[("S101", "A2")],
    );
    assert!(clerk_codes(&app, "S001").await.is_empty());
    assert!(clerk_codes(&app, "S002").await.is_empty());
}

#[tokio::test]
async fn an_oversize_body_is_error_50_and_stores_nothing() {
    let config = posbridge_server::ServerConfig {
        body_limit_bytes: 200,
        ..posbridge_server::ServerConfig::default()
    };
    let app = crate::helpers::spawn_with(&config).await;
    let clerks: Vec<String> = (0..5)
        .map(|n| clerk_xml("S001", &format!("B{n}"), "Big"))
        .collect();
    let body = request_xml("add", &clerks);
    assert!(body.len() > 200);
    let refused = error(&Call::xml().send(&app, &body).await, "50");
    assert_eq!(refused.sub_code.as_deref(), Some("isv.invalid-parameter"));
    assert!(clerk_codes(&app, "S001").await.is_empty());
}
