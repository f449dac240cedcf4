//! JSON against the seeds' samples, Json.NET's leniencies, and exact decimals.

use rust_decimal::Decimal;

use super::*;
use crate::dto::{
    PosSellFromWebInterfaceParm, PosSellFromWebInterfaceResult, UnPosCustomerCalculateAddParm,
};
use crate::envelope::Envelope;
use crate::read::{ReadError, ReadProblem, WireType};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn parse<T: WireType>(json: &str) -> Result<T, ReadError> {
    T::from_root(&read_json(json.as_bytes()).unwrap())
}

/// The sample without the whitespace between tokens, member order kept.
fn compact(json: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            c if c.is_whitespace() && !in_string => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

#[test]
fn the_seed_001_sample_reads_field_by_field() {
    let bill: PosSellFromWebInterfaceParm =
        parse(include_str!("../../testdata/seed-001-request.json")).unwrap();
    assert_eq!(bill.sender_bill_num.as_deref(), Some("sample string 1"));
    assert_eq!(bill.member_id, Some(1));
    assert_eq!(bill.plan_deliver_type.as_deref(), Some("sample string 7"));
    let details = bill.details.unwrap();
    assert_eq!(details.len(), 2);
    assert_eq!(details[0], details[1]);
    assert_eq!(details[0].product_id, Some(1));
    // 2.0 keeps its scale.
    assert_eq!(
        details[0].amount.map(|a| a.to_string()).as_deref(),
        Some("2.0")
    );
    assert_eq!(details[0].discount_base, Some(d("4")));
    assert_eq!(details[0].unit.as_deref(), Some("sample string 6"));
}

#[test]
fn the_seed_002_sample_reads_field_by_field() {
    let settlement: UnPosCustomerCalculateAddParm =
        parse(include_str!("../../testdata/seed-002-request.json")).unwrap();
    assert_eq!(settlement.merchant_id, Some(2));
    assert_eq!(
        settlement.is_pay_by_cash.as_deref(),
        Some("sample string 10")
    );
    let details = settlement.details.unwrap();
    assert_eq!(details.len(), 2);
    assert_eq!(details[1].auto_id, Some(3));
    assert_eq!(details[1].cal_price, Some(d("18.0")));
    assert_eq!(details[1].product_name.as_deref(), Some("sample string 9"));
}

#[test]
fn the_seed_001_answer_is_reproduced() {
    let answer = Envelope {
        errcode: 1,
        errmsg: Some("sample string 2".to_owned()),
        tag: Some(PosSellFromWebInterfaceResult {
            sender_bill_num: Some("sample string 1".into()),
            bill_num: Some("sample string 2".into()),
            bill_state: Some("sample string 3".into()),
        }),
    };
    let expected = compact(include_str!("../../testdata/seed-001-response.json"));
    assert_eq!(write_json(&answer.to_node()), expected);
}

#[test]
fn the_seed_002_answer_is_reproduced() {
    let answer = crate::dto::CommonOperationResult::new(
        1,
        "sample string 2",
        Some("sample string 3".into()),
    );
    let expected = compact(include_str!("../../testdata/seed-002-response.json"));
    assert_eq!(
        write_json(&crate::node::Node::Object(answer.to_object())),
        expected
    );
}

#[test]
fn member_names_match_in_any_case_and_unknown_members_are_ignored() {
    let bill: PosSellFromWebInterfaceParm = parse(
        r#"{"senderbillnum": "P-1", "GUESTNAME": "老王", "Surprise": {"x": [1, 2]},
            "details": [{"productID": 7, "amount": "1.50", "RETAILPRICE": 99}]}"#,
    )
    .unwrap();
    assert_eq!(bill.sender_bill_num.as_deref(), Some("P-1"));
    assert_eq!(bill.guest_name.as_deref(), Some("老王"));
    let line = &bill.details.unwrap()[0];
    assert_eq!(
        (line.product_id, line.amount, line.retail_price),
        (Some(7), Some(d("1.50")), Some(d("99")))
    );
}

#[test]
fn decimals_are_exact_from_numbers_and_strings() {
    for (json, expect) in [
        ("0.1", "0.1"),
        ("1e-2", "0.01"),
        ("12345678901234.5678", "12345678901234.5678"),
        ("\"12.50\"", "12.50"),
        ("33.330000", "33.330000"),
        ("-0.5", "-0.5"),
    ] {
        let line: crate::dto::PosSellFromWebInterfaceDetailParm =
            parse(&format!(r#"{{"Amount": {json}}}"#)).unwrap();
        assert_eq!(
            line.amount.map(|a| a.to_string()).as_deref(),
            Some(expect),
            "{json}"
        );
    }
}

#[test]
fn null_is_absent() {
    let bill: PosSellFromWebInterfaceParm =
        parse(r#"{"SenderBillNum": null, "Details": null}"#).unwrap();
    assert_eq!(bill, PosSellFromWebInterfaceParm::default());
}

#[test]
fn values_of_the_wrong_shape_name_their_field() {
    let check = |json: &str, field: &str, problem: ReadProblem| {
        let err = parse::<PosSellFromWebInterfaceParm>(json).unwrap_err();
        assert_eq!(
            (err.field.to_string(), err.problem),
            (field.to_owned(), problem),
            "{json}"
        );
    };
    check(
        r#"{"MemberId": "abc"}"#,
        "MemberId",
        ReadProblem::NotAnInteger,
    );
    check(
        r#"{"MemberId": 1.5}"#,
        "MemberId",
        ReadProblem::NotAnInteger,
    );
    check(
        r#"{"MemberId": 99999999999999999999}"#,
        "MemberId",
        ReadProblem::IntegerOutOfRange,
    );
    check(
        r#"{"SenderBillNum": {"a": 1}}"#,
        "SenderBillNum",
        ReadProblem::NotText,
    );
    check(
        r#"{"Details": {"a": 1}}"#,
        "Details[0]",
        ReadProblem::NotAnObject,
    );
    check(r#"{"Details": 5}"#, "Details", ReadProblem::NotAList);
    check(
        r#"{"Details": [{"Amount": "1,5"}]}"#,
        "Details[0].Amount",
        ReadProblem::NotADecimal(crate::decimal_text::DecimalTextError::Malformed),
    );
    check(
        &format!(
            r#"{{"Details": [{{}}, {{"RetailPrice": {}}}]}}"#,
            "9".repeat(400)
        ),
        "Details[1].RetailPrice",
        ReadProblem::NotADecimal(crate::decimal_text::DecimalTextError::OutOfRange),
    );
    let root = parse::<PosSellFromWebInterfaceParm>("[1, 2]").unwrap_err();
    assert_eq!(root.problem, ReadProblem::NotAnObject);
}

#[test]
fn malformed_bodies_are_format_errors() {
    for body in [
        &b"{"[..],
        b"",
        b"{\"a\": }",
        b"\xff\xfe",
        b"{\"a\": \"\xc3\x28\"}",
    ] {
        assert!(
            matches!(
                read_json(body),
                Err(crate::format_error::FormatError::Malformed(_))
            ),
            "{body:?}"
        );
    }
    // Too deep is found before the rest is read, however deep it goes.
    for deep in [
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        "[".repeat(500_000),
        r#"{"a":"#.repeat(100_000),
    ] {
        assert_eq!(
            read_json(deep.as_bytes()),
            Err(crate::format_error::FormatError::TooDeep {
                max: crate::limits::DEPTH_MAX
            })
        );
    }
}

#[test]
fn strings_are_escaped_as_json_requires() {
    let node = crate::node::Node::Text("a\"b\\c\nd\u{1}老<&>".into());
    assert_eq!(write_json(&node), r#""a\"b\\c\nd\u0001老<&>""#);
}

/// Writes `value` as JSON, reads it back, and checks it is the same value, decimal scales
/// included (compared through `Debug`, which shows them).
fn check_round_trip<T: WireType + std::fmt::Debug + PartialEq>(
    value: &T,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let json = write_json(&crate::node::Node::Object(value.to_object()));
    let node = read_json(json.as_bytes())
        .map_err(|err| proptest::test_runner::TestCaseError::fail(format!("{err}: {json}")))?;
    let back = T::from_root(&node)
        .map_err(|err| proptest::test_runner::TestCaseError::fail(format!("{err}: {json}")))?;
    proptest::prop_assert_eq!(format!("{back:?}"), format!("{value:?}"), "{}", json);
    Ok(())
}

macro_rules! json_round_trip {
    ($ty:ident, $strategy:ident) => {
        mod $strategy {
            use proptest::prelude::*;

            proptest! {
                #[test]
                fn survives_json(value in crate::strategies::$strategy()) {
                    super::check_round_trip::<crate::dto::$ty>(&value)?;
                }
            }
        }
    };
}

mod round_trip {
    use super::check_round_trip;

    crate::for_each_dto!(json_round_trip);
}

#[test]
fn body_size_is_bounded_and_a_long_string_is_a_field_error() {
    use crate::limits::BODY_MAX_BYTES;
    let wrapper = r#"{"SenderBillNum": ""}"#.len();
    let largest = format!(
        r#"{{"SenderBillNum": "{}"}}"#,
        "x".repeat(BODY_MAX_BYTES - wrapper)
    );
    let bill: PosSellFromWebInterfaceParm = parse(&largest).unwrap();
    // Read whole, then refused by the rules as too long (1003), never truncated.
    let err = posbridge_domain::sell_bill::SellBillDraft::from(&bill)
        .validate()
        .unwrap_err();
    assert_eq!(err.field().as_str(), "SenderBillNum");
    let over = format!("{largest} ");
    assert_eq!(
        read_json(over.as_bytes()),
        Err(crate::format_error::FormatError::TooLarge {
            max: BODY_MAX_BYTES
        })
    );
}

#[test]
fn members_keep_their_order_and_repeats_and_the_last_spelling_wins() {
    let node = read_json(br#"{"b": 1, "a": [true, null], "B": "x", "b": {"c": -0}}"#).unwrap();
    let crate::node::Node::Object(object) = &node else {
        panic!("{node:?}")
    };
    let names: Vec<&str> = object
        .fields
        .iter()
        .map(|(name, _)| name.as_ref())
        .collect();
    assert_eq!(names, ["b", "a", "B", "b"]);
    assert_eq!(
        write_json(&node),
        r#"{"b":1,"a":[true,null],"B":"x","b":{"c":-0}}"#
    );
    let bill: PosSellFromWebInterfaceParm =
        parse(r#"{"SenderBillNum": "A", "senderBILLnum": "B", "Memory": "m", "memory": null}"#)
            .unwrap();
    assert_eq!(bill.sender_bill_num.as_deref(), Some("B"));
    // A null sent last is the value, as Json.NET sets the member to null.
    assert_eq!(bill.memory, None);
}

#[test]
fn numbers_keep_their_digits_as_sent() {
    let node =
        read_json(br#"[0, -0, 12, 1.50, 1e-2, 1E+12, -0.5e7, 99999999999999999999]"#).unwrap();
    // Digits and scale as sent; an exponent as serde_json spells it.
    assert_eq!(
        write_json(&node),
        "[0,-0,12,1.50,1e-2,1e+12,-0.5e+7,99999999999999999999]"
    );
}

#[test]
fn one_byte_order_mark_is_skipped() {
    let bill = b"{\"SenderBillNum\": \"BOM\"}";
    let with = |marks: usize| [&b"\xEF\xBB\xBF".repeat(marks)[..], bill].concat();
    assert_eq!(read_json(&with(1)), read_json(&with(0)));
    assert!(matches!(
        read_json(&with(2)),
        Err(crate::format_error::FormatError::Malformed(_))
    ));
    // Only before the document.
    assert!(read_json(&[&bill[..], b"\xEF\xBB\xBF"].concat()).is_err());
}

#[test]
fn syntax_errors_say_where_as_serde_json_does() {
    for (body, message) in [
        ("", "EOF while parsing a value at line 1 column 0"),
        (
            "{\"shops\": [",
            "EOF while parsing a list at line 1 column 11",
        ),
        ("{\"a\": 1,\n \"b\" 2}", "expected `:` at line 2 column 6"),
        ("[1, 2,]", "trailing comma at line 1 column 7"),
        ("{\"a\": 1,}", "trailing comma at line 1 column 9"),
        ("[1 2]", "expected `,` or `]` at line 1 column 4"),
        ("{1: 2}", "key must be a string at line 1 column 2"),
        ("{} x", "trailing characters at line 1 column 4"),
        ("[tru]", "expected ident at line 1 column 5"),
        (
            "\"a\u{1}\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3",
        ),
    ] {
        let expected = serde_json::from_str::<serde_json::Value>(body).unwrap_err();
        assert_eq!(expected.to_string(), message, "serde_json: {body:?}");
        assert_eq!(
            read_json(body.as_bytes()),
            Err(crate::format_error::FormatError::Malformed(
                message.to_owned()
            )),
            "{body:?}"
        );
    }
}

#[test]
fn escapes_are_json_escapes() {
    let node = read_json(br#""\"\\\/\b\f\n\r\t\u738b\ud83d\ude00\u0000""#).unwrap();
    assert_eq!(
        node,
        crate::node::Node::Text("\"\\/\u{8}\u{c}\n\r\t王😀\u{0}".into())
    );
    for bad in [
        r#""\ud800""#,
        r#""\ud800x""#,
        r#""\ud800\n""#,
        r#""\ud800\u0041""#,
        r#""\udc00""#,
        r#""\x""#,
        r#""\u12""#,
        r#""\u12g4""#,
        "\"abc",
    ] {
        assert!(read_json(bad.as_bytes()).is_err(), "{bad}");
    }
}

/// `node` as serde_json's `Value` reads the same document: members into a map, the last of a
/// repeated name winning; numbers through serde_json's own reading of their text.
fn as_value(node: &crate::node::Node) -> serde_json::Value {
    use crate::node::Node;
    use serde_json::Value;
    match node {
        Node::Null(_) => Value::Null,
        Node::Bool(value) => Value::Bool(*value),
        Node::Number(text) => serde_json::from_str(text).unwrap(),
        Node::Text(text) => Value::String(text.clone()),
        Node::List(list) => Value::Array(list.items.iter().map(as_value).collect()),
        Node::Object(object) => Value::Object(
            object
                .fields
                .iter()
                .map(|(name, value)| (name.to_string(), as_value(value)))
                .collect(),
        ),
        other => panic!("the JSON reader made {other:?}"),
    }
}

/// Bytes that are JSON now and then: every token and near-token the reader must judge.
fn json_soup() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let tokens: Vec<&'static [u8]> = vec![
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b"\"a\"",
        b"\"A\"",
        b"\"",
        b"\\",
        b"\\u",
        b"d83d",
        b"\\ude00",
        b"\\ud800",
        b"\\n",
        b"\\q",
        b"\"\\u00e9\"",
        b"a",
        b"0",
        b"1",
        b"-",
        b".",
        b"e",
        b"E+",
        b"01",
        b"1.5",
        b"-0",
        b"1e5",
        b"true",
        b"fals",
        b"null",
        b" ",
        b"\n\t",
        b"\r",
        b"\x01",
        b"\x7f",
        "é".as_bytes(),
        b"\xff",
        b"\xe4\xb8",
        b"\xef\xbb\xbf",
        b"/",
    ];
    prop::collection::vec(prop::sample::select(tokens), 0..24).prop_map(|parts| parts.concat())
}

/// Well-formed documents, some with repeated names in one spelling or another.
fn json_documents() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,6})?([eE][+-]?[0-9]{1,3})?",
        "[a-zA-Z\u{e9}\u{738b} ]{0,6}".prop_map(|text| format!("{text:?}")),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec(("[aAbB]{1,2}", inner), 0..6).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(name, value)| format!("{name:?} : {value}"))
                    .collect();
                format!("{{ {} }}", members.join(",\n"))
            }),
        ]
    })
}

/// The reader accepts exactly what serde_json's `Value` accepts (after one byte order mark),
/// fails with the same message, and reads the same values (the last of a repeated name
/// winning).
fn check_against_serde_json(bytes: &[u8]) -> Result<(), proptest::test_runner::TestCaseError> {
    let ours = super::read_tree(bytes, 1_000);
    // The one byte order mark the reader skips, serde_json refuses.
    let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let theirs = serde_json::from_slice::<serde_json::Value>(unmarked);
    match (ours, theirs) {
        (Ok(node), Ok(value)) => proptest::prop_assert_eq!(as_value(&node), value),
        (Err(crate::format_error::FormatError::Malformed(ours)), Err(theirs)) => {
            proptest::prop_assert_eq!(ours, theirs.to_string());
        }
        (ours, theirs) => proptest::prop_assert!(false, "{ours:?} but serde_json {theirs:?}"),
    }
    Ok(())
}

proptest::proptest! {
    #[test]
    fn the_reader_agrees_with_serde_json_on_any_bytes(bytes in json_soup()) {
        check_against_serde_json(&bytes)?;
    }

    #[test]
    fn the_reader_agrees_with_serde_json_on_documents(text in json_documents()) {
        check_against_serde_json(text.as_bytes())?;
    }
}
