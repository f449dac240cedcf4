//! BSON as Json.NET writes it: doubles, Decimal128, integers and strings; round trips; hostile
//! documents.

use bson::{Bson, Decimal128, doc};
use rust_decimal::Decimal;

use super::*;
use crate::dto::{PosSellFromWebInterfaceDetailParm, UnPosCustomerCalculateAddParm};
use crate::format_error::FormatError;
use crate::node::Node;
use crate::read::WireType;

fn bytes(document: &bson::Document) -> Vec<u8> {
    document.to_vec().unwrap()
}

fn amount_of(value: Bson) -> Option<String> {
    let node = read_bson(&bytes(&doc! { "Amount": value })).unwrap();
    PosSellFromWebInterfaceDetailParm::from_root(&node)
        .unwrap()
        .amount
        .map(|a| a.to_string())
}

#[test]
fn decimals_arrive_as_doubles_decimal128_integers_or_strings() {
    assert_eq!(amount_of(Bson::Double(14.0)).as_deref(), Some("14"));
    assert_eq!(amount_of(Bson::Double(0.1)).as_deref(), Some("0.1"));
    assert_eq!(amount_of(Bson::Double(2.6)).as_deref(), Some("2.6"));
    assert_eq!(amount_of(Bson::Double(12.5)).as_deref(), Some("12.5"));
    assert_eq!(amount_of(Bson::Int32(3)).as_deref(), Some("3"));
    assert_eq!(
        amount_of(Bson::Int64(9_007_199_254_740_993)).as_deref(),
        Some("9007199254740993")
    );
    assert_eq!(
        amount_of(Bson::String("12.50".into())).as_deref(),
        Some("12.50")
    );
    let exact: Decimal128 = "12345678901234.5678".parse().unwrap();
    assert_eq!(
        amount_of(Bson::Decimal128(exact)).as_deref(),
        Some("12345678901234.5678")
    );
    let scientific: Decimal128 = "1.5E+3".parse().unwrap();
    assert_eq!(
        amount_of(Bson::Decimal128(scientific)).as_deref(),
        Some("1500")
    );
}

#[test]
fn doubles_that_are_no_decimal_name_their_field() {
    for value in [
        Bson::Double("NaN".parse().unwrap()),
        Bson::Double("inf".parse().unwrap()),
        Bson::Double(1e300),
    ] {
        let node = read_bson(&bytes(&doc! { "Amount": value })).unwrap();
        let err = PosSellFromWebInterfaceDetailParm::from_root(&node).unwrap_err();
        assert_eq!(err.field.as_str(), "Amount");
    }
}

#[test]
fn a_settlement_written_by_json_net_reads() {
    // Json.NET: ints as Int32, long as Int64, decimals as doubles, strings.
    let document = doc! {
        "BillNum": "JS-1", "MerchantId": 2_i64, "ShopId": "S001", "HappenDate": "20240501",
        "HappenTime": "143000", "CustomerType": "TA", "CustomerId": "C001", "CalUserType": "2",
        "Memory": Bson::Null,
        "Details": [{ "SellBillNum": "XS1", "AutoId": 1_i32, "ProductId": 10001_i32, "Amount": 2.0,
                      "ListingPrice": 15.0, "RetailPrice": 12.5, "LowestRetailPrice": 10.0, "CalPrice": 0.1 }],
    };
    let node = read_bson(&bytes(&document)).unwrap();
    let parm = UnPosCustomerCalculateAddParm::from_root(&node).unwrap();
    assert_eq!(parm.merchant_id, Some(2));
    assert_eq!(parm.memory, None);
    let detail = &parm.details.unwrap()[0];
    assert_eq!(detail.cal_price, Some("0.1".parse::<Decimal>().unwrap()));
    assert_eq!(
        detail.retail_price.map(|p| p.to_string()).as_deref(),
        Some("12.5")
    );
}

#[test]
fn writing_keeps_order_scale_and_integer_widths() {
    let detail = PosSellFromWebInterfaceDetailParm {
        product_id: Some(9_007_199_254_740_993),
        amount: Some("2.50".parse().unwrap()),
        unit: Some("盒".into()),
        ..Default::default()
    };
    let written = write_bson(&Node::Object(detail.to_object())).unwrap();
    let document = bson::Document::from_reader(&mut written.as_slice()).unwrap();
    let keys: Vec<&str> = document.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ProductId",
            "Amount",
            "DiscountRate",
            "DiscountBase",
            "RetailPrice",
            "Unit",
            "Standard"
        ]
    );
    assert_eq!(
        document.get("ProductId"),
        Some(&Bson::Int64(9_007_199_254_740_993))
    );
    assert_eq!(document.get("Amount"), Some(&Bson::String("2.50".into())));
    assert_eq!(document.get("Standard"), Some(&Bson::Null));
    let small = write_bson(&Node::Object(
        PosSellFromWebInterfaceDetailParm {
            product_id: Some(7),
            ..Default::default()
        }
        .to_object(),
    ))
    .unwrap();
    let document = bson::Document::from_reader(&mut small.as_slice()).unwrap();
    assert_eq!(document.get("ProductId"), Some(&Bson::Int32(7)));
}

#[test]
fn hostile_documents_fail_cleanly() {
    // Truncated, wrong length, garbage.
    for body in [
        &b""[..],
        b"\x05\x00\x00",
        b"\xff\xff\xff\x7f\x00",
        b"\x10\x00\x00\x00\x02a\x00\x05\x00\x00\x00ab",
    ] {
        assert!(
            matches!(read_bson(body), Err(FormatError::Malformed(_))),
            "{body:?}"
        );
    }
    // 10 000 nested documents, built as bytes (the bson crate itself would recurse that deep).
    assert_eq!(
        read_bson(&nested_documents(10_000)),
        Err(FormatError::TooDeep {
            max: crate::limits::DEPTH_MAX
        })
    );
    assert!(read_bson(&nested_documents(crate::limits::DEPTH_MAX - 1)).is_ok());
    // A string that fills the body limit is just a string; one byte more is too large.
    let limit = crate::limits::BODY_MAX_BYTES;
    let overhead = bytes(&doc! { "Memory": "" }).len();
    let largest = doc! { "Memory": "x".repeat(limit - overhead) };
    assert_eq!(bytes(&largest).len(), limit);
    assert!(read_bson(&bytes(&largest)).is_ok());
    let over = doc! { "Memory": "x".repeat(limit - overhead + 1) };
    assert_eq!(
        read_bson(&bytes(&over)),
        Err(FormatError::TooLarge { max: limit })
    );
}

/// Every element type no DTO member takes, as one document of members named after them.
fn foreign_elements() -> bson::Document {
    let scope = doc! { "x": 1 };
    doc! {
        "objectId": Bson::ObjectId(bson::oid::ObjectId::from_bytes([7; 12])),
        "binary": Bson::Binary(bson::Binary {
            subtype: bson::spec::BinarySubtype::Generic,
            bytes: vec![1],
        }),
        "datetime": Bson::DateTime(bson::DateTime::from_millis(1_714_521_600_000)),
        "regex": Bson::RegularExpression(bson::Regex {
            pattern: "a+".try_into().unwrap(),
            options: "i".try_into().unwrap(),
        }),
        "code": Bson::JavaScriptCode("x".into()),
        "codeWithScope": Bson::JavaScriptCodeWithScope(bson::JavaScriptCodeWithScope {
            code: "x".into(),
            scope,
        }),
        "timestamp": Bson::Timestamp(bson::Timestamp { time: 1, increment: 2 }),
        "symbol": Bson::Symbol("s".into()),
        "minKey": Bson::MinKey,
        "maxKey": Bson::MaxKey,
    }
}

#[test]
fn foreign_element_types_are_read_and_refused_only_where_a_member_takes_them() {
    let foreign = foreign_elements();
    // Unknown members of any type are ignored, as Json.NET skips them; order is kept.
    let mut document = doc! { "SenderBillNum": "F-1" };
    document.extend(foreign.clone());
    let node = read_bson(&bytes(&document)).unwrap();
    let Node::Object(object) = &node else {
        panic!("{node:?}")
    };
    let names: Vec<&str> = object
        .fields
        .iter()
        .map(|(name, _)| name.as_ref())
        .collect();
    let expected: Vec<&str> = std::iter::once("SenderBillNum")
        .chain(foreign.keys().map(String::as_str))
        .collect();
    assert_eq!(names, expected);
    assert_eq!(object.get("binary"), Some(&Node::Foreign("binary")));
    let bill = crate::dto::PosSellFromWebInterfaceParm::from_root(&node).unwrap();
    assert_eq!(bill.sender_bill_num.as_deref(), Some("F-1"));
    // Where a member is read, each is a field error naming it: text, integer or decimal.
    for (_, value) in foreign {
        for field in ["Unit", "ProductId", "Amount"] {
            let node = read_bson(&bytes(&doc! { field: value.clone() })).unwrap();
            let err = PosSellFromWebInterfaceDetailParm::from_root(&node).unwrap_err();
            assert_eq!(err.field.to_string(), field, "{value:?}");
        }
    }
    // Written back, a foreign value is a null.
    assert_eq!(
        write_bson(&Node::Object(crate::node::Object {
            ty: None,
            fields: vec![("a".into(), Node::Foreign("binary"))],
        })),
        Ok(bytes(&doc! { "a": Bson::Null }))
    );
    // An element type BSON does not define is no BSON at all.
    let mut unknown_type = bytes(&doc! { "a": 1 });
    unknown_type[4] = 0x99;
    assert!(matches!(
        read_bson(&unknown_type),
        Err(FormatError::Malformed(_))
    ));
}

#[test]
fn a_member_sent_twice_is_read_as_its_last() {
    let mut twice = bytes(&doc! { "Amount": "1", "amount": "2" });
    let node = read_bson(&twice).unwrap();
    let line = PosSellFromWebInterfaceDetailParm::from_root(&node).unwrap();
    assert_eq!(line.amount.map(|a| a.to_string()).as_deref(), Some("2"));
    // The same name exactly, which the bson crate would not build as a document.
    let at = twice.windows(7).position(|w| w == b"amount\0").unwrap();
    twice[at] = b'A';
    let node = read_bson(&twice).unwrap();
    let Node::Object(object) = &node else {
        panic!("{node:?}")
    };
    assert_eq!(object.fields.len(), 2);
    let line = PosSellFromWebInterfaceDetailParm::from_root(&node).unwrap();
    assert_eq!(line.amount.map(|a| a.to_string()).as_deref(), Some("2"));
}

/// `{"a": {"a": … {}}}` nested `levels` deep: each level is its length, an embedded-document
/// element named `a`, the inner document, and a terminating zero.
fn nested_documents(levels: usize) -> Vec<u8> {
    let innermost = 5_i32;
    let length = |level: usize| innermost + 8 * i32::try_from(levels - level).unwrap();
    let mut out = Vec::new();
    for level in 0..levels {
        out.extend_from_slice(&length(level).to_le_bytes());
        out.extend_from_slice(&[0x03, b'a', 0]);
    }
    out.extend_from_slice(&[5, 0, 0, 0, 0]);
    out.extend(std::iter::repeat_n(0, levels));
    out
}

/// Writes `value` as BSON, reads it back, and checks it is the same value, scales included.
fn check_round_trip<T: WireType + std::fmt::Debug + PartialEq>(
    value: &T,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let written = write_bson(&Node::Object(value.to_object()))
        .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
    let node = read_bson(&written)
        .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
    let back = T::from_root(&node)
        .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
    proptest::prop_assert_eq!(format!("{back:?}"), format!("{value:?}"));
    Ok(())
}

macro_rules! bson_round_trip {
    ($ty:ident, $strategy:ident) => {
        mod $strategy {
            use proptest::prelude::*;

            proptest! {
                #[test]
                fn survives_bson(value in crate::strategies::$strategy()) {
                    super::check_round_trip::<crate::dto::$ty>(&value)?;
                }
            }
        }
    };
}

mod round_trip {
    use super::check_round_trip;

    crate::for_each_dto!(bson_round_trip);
}
