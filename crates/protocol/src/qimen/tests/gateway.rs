//! Gateway checks: the TOP code table, error answers, method names, timestamps and formats.

use std::collections::BTreeSet;

use crate::codes::TopCode;
use crate::dto::QimenErrorResponse;
use crate::qimen::gateway::{METHODS, check_method, is_accepted_method};
use crate::qimen::timestamp::{TIMESTAMP_TOLERANCE_S, check_timestamp, parse_timestamp};
use crate::qimen::{GatewayError, QimenFormat};

#[test]
fn every_top_code_is_answered_by_some_failure() {
    let failures = [
        GatewayError::MissingMethod,
        GatewayError::InvalidMethod,
        GatewayError::InvalidSignature,
        GatewayError::MissingAppKey,
        GatewayError::InvalidAppKey,
        GatewayError::InvalidTimestamp,
        GatewayError::missing("v"),
        GatewayError::invalid_parameter("x"),
    ];
    let used: BTreeSet<&str> = failures.iter().map(|err| err.code().parts().0).collect();
    let table: BTreeSet<&str> = TopCode::ALL.iter().map(|code| code.parts().0).collect();
    assert_eq!(used, table);
}

fn answer(code: &str, msg: &str, sub: Option<(&str, &str)>) -> QimenErrorResponse {
    QimenErrorResponse {
        code: Some(code.to_owned()),
        msg: Some(msg.to_owned()),
        sub_code: sub.map(|(sub_code, _)| sub_code.to_owned()),
        sub_msg: sub.map(|(_, sub_msg)| sub_msg.to_owned()),
    }
}

#[test]
fn every_error_has_its_answer() {
    let cases = [
        (
            GatewayError::MissingMethod,
            answer("21", "Missing method", None),
        ),
        (
            GatewayError::InvalidMethod,
            answer("22", "Invalid method", None),
        ),
        (
            GatewayError::InvalidSignature,
            answer("25", "Invalid signature", None),
        ),
        (
            GatewayError::MissingAppKey,
            answer("28", "Missing app key", None),
        ),
        (
            GatewayError::InvalidAppKey,
            answer("29", "Invalid app key", None),
        ),
        (
            GatewayError::InvalidTimestamp,
            answer("31", "Invalid timestamp", None),
        ),
        (
            GatewayError::missing("timestamp"),
            answer(
                "40",
                "Missing required arguments",
                Some((
                    "isv.missing-parameter",
                    "missing required argument timestamp",
                )),
            ),
        ),
        (
            GatewayError::invalid_parameter("required field clerks[0].storeCode is missing"),
            answer(
                "50",
                "Remote service error",
                Some((
                    "isv.invalid-parameter",
                    "required field clerks[0].storeCode is missing",
                )),
            ),
        ),
    ];
    for (error, expect) in cases {
        assert_eq!(error.to_response(), expect, "{error}");
    }
}

#[test]
fn the_three_method_spellings_are_accepted() {
    for method in METHODS {
        assert!(is_accepted_method(method), "{method}");
        assert!(is_accepted_method(&method.to_ascii_uppercase()), "{method}");
    }
    let cases = [
        (Some("taobao.qimen.pos.clerk.synchronize"), Ok(())),
        (Some("Pos.Clerk.Synchronize"), Ok(())),
        (
            Some("taobao.qimen.pos.clerk.synchronise"),
            Err(GatewayError::InvalidMethod),
        ),
        (
            Some(" pos.clerk.synchronize"),
            Err(GatewayError::InvalidMethod),
        ),
        (Some("clerk.synchronize"), Err(GatewayError::InvalidMethod)),
        (Some(""), Err(GatewayError::MissingMethod)),
        (None, Err(GatewayError::MissingMethod)),
    ];
    for (method, expect) in cases {
        assert_eq!(check_method(method), expect, "{method:?}");
    }
}

#[test]
fn timestamps_are_gmt_plus_8() {
    // Unix times from `date -u -d '… UTC' +%s`, eight hours before the GMT+8 wall clock.
    let cases = [
        ("1970-01-01 08:00:00", Some(0)),
        ("1970-01-01 00:00:00", Some(-28_800)),
        ("2017-02-10 00:00:00", Some(1_486_656_000)),
        ("2000-02-29 23:59:59", Some(951_839_999)),
        ("2024-12-31 23:59:59", Some(1_735_660_799)),
        ("2038-01-19 11:14:08", Some(2_147_483_648)),
        ("9999-12-31 23:59:59", Some(253_402_271_999)),
        ("2023-02-29 00:00:00", None),
        ("2017-02-10 24:00:00", None),
        ("2017-02-10T00:00:00", None),
        ("2017-2-10 00:00:00", None),
        ("2017-02-10 00:00:00.000", None),
        ("2017-02-10", None),
        ("1486656000000", None),
        ("", None),
    ];
    for (text, expect) in cases {
        assert_eq!(parse_timestamp(text), expect, "{text}");
    }
}

#[test]
fn timestamps_are_accepted_within_five_minutes_either_way() {
    let now = 1_486_656_000; // 2017-02-10 00:00:00 GMT+8
    let cases = [
        ("2017-02-10 00:00:00", true),
        ("2017-02-10 00:05:00", true),
        ("2017-02-09 23:55:00", true),
        ("2017-02-10 00:05:01", false),
        ("2017-02-09 23:54:59", false),
        // The same wall clock read as UTC is eight hours off.
        ("2017-02-09 16:00:00", false),
        ("not a time", false),
    ];
    for (text, fresh) in cases {
        let got = check_timestamp(text, now);
        assert_eq!(got.is_ok(), fresh, "{text}");
        if !fresh {
            assert_eq!(got, Err(GatewayError::InvalidTimestamp), "{text}");
        }
    }
    assert_eq!(TIMESTAMP_TOLERANCE_S, 300);
    // No "now" makes the check overflow.
    for now in [i64::MIN, i64::MAX] {
        assert!(check_timestamp("2017-02-10 00:00:00", now).is_err());
    }
}

#[test]
fn formats_default_to_xml() {
    let cases = [
        (None, Some(QimenFormat::Xml)),
        (Some(""), Some(QimenFormat::Xml)),
        (Some("xml"), Some(QimenFormat::Xml)),
        (Some("XML"), Some(QimenFormat::Xml)),
        (Some("Json"), Some(QimenFormat::Json)),
        (Some("bson"), None),
    ];
    for (param, expect) in cases {
        assert_eq!(QimenFormat::from_param(param), expect, "{param:?}");
    }
    assert_eq!(
        QimenFormat::Json.content_type(),
        "application/json;charset=utf-8"
    );
}
