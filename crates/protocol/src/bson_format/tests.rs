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
    // Types Json.NET would not write for these DTOs.
    let binary = doc! { "Amount": Bson::Binary(bson::Binary { subtype: bson::spec::BinarySubtype::Generic, bytes: vec![1] }) };
    assert!(matches!(
        read_bson(&bytes(&binary)),
        Err(FormatError::Malformed(_))
    ));
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
