//! Writing answers and requests: the seed's samples byte for byte, the JSON forms, escaping,
//! and reading back what was written.

use std::collections::BTreeMap;

use posbridge_domain::clerk::{Clerk, ClerkChange, ClerkType};
use posbridge_domain::ids::ShopId;

use super::*;
use crate::dto::{QimenErrorResponse, QimenResponse, QimenResponseClerk};
use crate::qimen::answer::success_response;
use crate::qimen::{
    GatewayError, InvalidXmlName, QimenAnswer, QimenFormat, read_answer, read_request,
    write_error_response, write_request, write_response,
};

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// The seed's response sample as the domain's outcome would produce it.
fn seed_response() -> QimenResponse {
    let clerk = Clerk::new(ShopId::new("M123"), "P123", "D123", ClerkType::Dz);
    success_response("invalid appkey", &[ClerkChange::Insert { clerk }])
}

#[test]
fn the_seed_response_sample_is_reproduced_exactly() {
    let xml = text(write_response(&seed_response(), QimenFormat::Xml));
    assert_eq!(xml, compact(SEED_RESPONSE_XML));
    assert_eq!(
        xml,
        "<response><flag>success</flag><code>0</code><message>invalid appkey</message>\
         <clerks><clerk><clerkCode>P123</clerkCode><clerkName>D123</clerkName>\
         <storeCode>M123</storeCode></clerk></clerks></response>"
    );
}

#[test]
fn the_seed_error_sample_is_reproduced_exactly() {
    let answer = GatewayError::invalid_parameter("非法参数").to_response();
    let xml = text(write_error_response(&answer, QimenFormat::Xml));
    assert_eq!(xml, compact(SEED_ERROR_XML));
}

#[test]
fn json_answers_wrap_the_document_and_the_clerk_list() {
    assert_eq!(
        text(write_response(&seed_response(), QimenFormat::Json)),
        r#"{"response":{"flag":"success","code":"0","message":"invalid appkey","clerks":{"clerk":[{"clerkCode":"P123","clerkName":"D123","storeCode":"M123"}]}}}"#
    );
    let answer = GatewayError::invalid_parameter("非法参数").to_response();
    assert_eq!(
        text(write_error_response(&answer, QimenFormat::Json)),
        r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数"}}"#
    );
}

#[test]
fn absent_members_are_left_out_and_empty_ones_kept() {
    let response = QimenResponse {
        flag: Some("failure".into()),
        code: Some("2103".into()),
        message: Some(String::new()),
        clerks: Some(Vec::new()),
    };
    let cases = [
        (
            QimenFormat::Xml,
            "<response><flag>failure</flag><code>2103</code><message></message><clerks></clerks></response>",
        ),
        (
            QimenFormat::Json,
            r#"{"response":{"flag":"failure","code":"2103","message":"","clerks":{"clerk":[]}}}"#,
        ),
    ];
    for (format, expect) in cases {
        assert_eq!(text(write_response(&response, format)), expect);
    }
    // A gateway error without detail has neither sub_code nor sub_msg.
    let answer = GatewayError::InvalidSignature.to_response();
    assert_eq!(
        text(write_error_response(&answer, QimenFormat::Xml)),
        "<error_response><code>25</code><msg>Invalid signature</msg></error_response>"
    );
    assert_eq!(
        text(write_error_response(&answer, QimenFormat::Json)),
        r#"{"error_response":{"code":25,"msg":"Invalid signature"}}"#
    );
}

#[test]
fn only_numeric_error_codes_become_json_numbers() {
    let answer = QimenErrorResponse {
        code: Some("isp.unknown".into()),
        ..QimenErrorResponse::default()
    };
    assert_eq!(
        text(write_error_response(&answer, QimenFormat::Json)),
        r#"{"error_response":{"code":"isp.unknown"}}"#
    );
}

#[test]
fn the_seed_request_is_written_as_the_signed_bodies() {
    let request = seed_request();
    assert_eq!(
        text(write_request(&request, QimenFormat::Xml).unwrap()),
        SEED_REQUEST_XML
    );
    assert_eq!(
        text(write_request(&request, QimenFormat::Json).unwrap()),
        SEED_REQUEST_JSON
    );
}

#[test]
fn special_characters_are_escaped_and_read_back() {
    let tricky = "a&b <c> \"d\" 'e' ]]> f\r\ng\th 老王 😀";
    let request = QimenRequest {
        action_type: s(tricky),
        total: None,
        clerks: None,
    };
    let xml = text(write_request(&request, QimenFormat::Xml).unwrap());
    assert_eq!(
        xml,
        "<request><actionType>a&amp;b &lt;c&gt; \"d\" 'e' ]]&gt; f&#xD;\ng\th 老王 😀</actionType></request>"
    );
    for format in [QimenFormat::Xml, QimenFormat::Json] {
        let body = write_request(&request, format).unwrap();
        assert_eq!(read_request(&body, format).unwrap(), request, "{format:?}");
    }
}

#[test]
fn characters_xml_cannot_carry_are_replaced() {
    let response = QimenResponse {
        message: s("bell\u{7} nul\u{0} end\u{FFFE}"),
        ..QimenResponse::default()
    };
    assert_eq!(
        text(write_response(&response, QimenFormat::Xml)),
        "<response><message>bell\u{FFFD} nul\u{FFFD} end\u{FFFD}</message></response>"
    );
    // JSON carries them escaped.
    assert_eq!(
        text(write_response(&response, QimenFormat::Json)),
        "{\"response\":{\"message\":\"bell\\u0007 nul\\u0000 end\u{FFFE}\"}}"
    );
}

#[test]
fn extend_props_keys_must_be_xml_names_for_xml() {
    let with_key = |key: &str| {
        let mut clerk = seed_clerk();
        clerk.extend_props = Some(BTreeMap::from([(key.to_owned(), "v".to_owned())]));
        QimenRequest {
            clerks: Some(vec![QimenClerk::default(), clerk]),
            ..seed_request()
        }
    };
    for key in ["color", "级别", "_x", "a-b.c", "é"] {
        let request = with_key(key);
        let body = write_request(&request, QimenFormat::Xml).unwrap();
        assert_eq!(
            read_request(&body, QimenFormat::Xml).unwrap(),
            request,
            "{key}"
        );
    }
    for key in ["a b", "1st", "x:y", "", "<a>", "-a", "a&b"] {
        let request = with_key(key);
        assert_eq!(
            write_request(&request, QimenFormat::Xml),
            Err(InvalidXmlName {
                index: 1,
                key: key.to_owned()
            }),
            "{key}"
        );
        // JSON carries any key.
        let body = write_request(&request, QimenFormat::Json).unwrap();
        assert_eq!(
            read_request(&body, QimenFormat::Json).unwrap(),
            request,
            "{key}"
        );
    }
}

#[test]
fn answers_read_back_in_both_formats() {
    let failure = QimenResponse {
        flag: s("failure"),
        code: s("2102"),
        message: s("clerk exists"),
        clerks: Some(vec![
            QimenResponseClerk {
                clerk_code: s("C1"),
                clerk_name: None,
                store_code: s("S1"),
            },
            QimenResponseClerk {
                clerk_code: s("C2"),
                clerk_name: s("小李"),
                store_code: s("S1"),
            },
        ]),
    };
    let error = GatewayError::missing("timestamp").to_response();
    for format in [QimenFormat::Xml, QimenFormat::Json] {
        for response in [seed_response(), failure.clone()] {
            let body = write_response(&response, format);
            let got = read_answer(&body, format).unwrap();
            assert_eq!(got, QimenAnswer::Response(response), "{format:?}");
        }
        let body = write_error_response(&error, format);
        assert_eq!(
            read_answer(&body, format).unwrap(),
            QimenAnswer::Error(error.clone())
        );
    }
}

#[test]
fn the_seed_samples_read_as_answers() {
    let response = read_answer(SEED_RESPONSE_XML.as_bytes(), QimenFormat::Xml).unwrap();
    assert_eq!(response, QimenAnswer::Response(seed_response()));
    let error = read_answer(SEED_ERROR_XML.as_bytes(), QimenFormat::Xml).unwrap();
    let expect = GatewayError::invalid_parameter("非法参数").to_response();
    assert_eq!(error, QimenAnswer::Error(expect));
    // Neither is a request.
    assert!(read_request(SEED_RESPONSE_XML.as_bytes(), QimenFormat::Xml).is_err());
    // And a request is no answer.
    let err = read_answer(SEED_REQUEST_XML.as_bytes(), QimenFormat::Xml).unwrap_err();
    assert_eq!(
        err.to_string(),
        "body cannot be parsed: the root element must be <response> or <error_response>"
    );
}
