//! Round trips: DTOs written then read are the same DTOs, decimal scales included; and whatever
//! node tree is written, the XML is well-formed enough to be read back.
//!
//! The DTO strategies are made by hand for a few types; they favour what XML makes hard (special
//! characters, line breaks, whitespace-only and empty text next to absent values, decimal
//! scales).

use std::borrow::Cow;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rust_decimal::Decimal;

use super::*;
use crate::dto::{
    CommonOperationResult, NS_ENVELOPE, NS_SELL, NS_UNPOS, PosSellFromWebInterfaceDetailParm,
    PosSellFromWebInterfaceParm, PosSellPayBillResult, UnPosAddGuiderCalculateDetailParm,
    UnPosCustomerCalculateAddParm,
};
use crate::envelope::Envelope;
use crate::node::{Dialect, List, Object, TypeName};

/// Text of up to 10 characters: ASCII, Chinese, an emoji, what XML escapes, line breaks and
/// tabs, spaces (so some are whitespace only), and the end of a CDATA section.
fn text() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "a", "Z", "0", " ", "  ", "老", "王", "😀", "<", ">", "&", "\"", "'", "\r", "\n", "\r\n",
        "\t", "]]>", "&amp;", "&#xD;", "<!--", "中文",
    ];
    proptest::collection::vec(proptest::sample::select(PIECES), 0..10)
        .prop_map(|pieces| pieces.concat())
}

fn string() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

/// Decimals of any sign and scale a `Decimal` holds, trailing zeros included.
fn decimal() -> impl Strategy<Value = Option<Decimal>> {
    const MANTISSA_MAX: i128 = (1 << 96) - 1;
    prop::option::of(prop_oneof![
        (any::<i64>(), 0u32..=10).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale)),
        (-MANTISSA_MAX..=MANTISSA_MAX, 0u32..=28)
            .prop_map(|(mantissa, scale)| { Decimal::from_i128_with_scale(mantissa, scale) }),
    ])
}

fn bill_line() -> impl Strategy<Value = PosSellFromWebInterfaceDetailParm> {
    (
        prop::option::of(any::<i64>()),
        decimal(),
        decimal(),
        decimal(),
        decimal(),
        string(),
        string(),
    )
        .prop_map(
            |(product_id, amount, discount_rate, discount_base, retail_price, unit, standard)| {
                PosSellFromWebInterfaceDetailParm {
                    product_id,
                    amount,
                    discount_rate,
                    discount_base,
                    retail_price,
                    unit,
                    standard,
                }
            },
        )
}

fn bill() -> impl Strategy<Value = PosSellFromWebInterfaceParm> {
    (
        (string(), string(), string(), prop::option::of(any::<i64>())),
        (string(), string(), string(), string()),
        (string(), string()),
        prop::option::of(proptest::collection::vec(bill_line(), 0..4)),
    )
        .prop_map(|(a, b, c, details)| PosSellFromWebInterfaceParm {
            sender_bill_num: a.0,
            guider_number: a.1,
            memory: a.2,
            member_id: a.3,
            guest_mobile: b.0,
            guest_name: b.1,
            guest_ceri_code: b.2,
            plan_deliver_type: b.3,
            deliver_address: c.0,
            guest_memory: c.1,
            details,
        })
}

fn settlement_detail() -> impl Strategy<Value = UnPosAddGuiderCalculateDetailParm> {
    (
        (string(), string(), prop::option::of(any::<i32>())),
        (
            prop::option::of(any::<i64>()),
            prop::option::of(any::<i64>()),
        ),
        (
            string(),
            string(),
            string(),
            string(),
            string(),
            string(),
            string(),
            string(),
        ),
        (decimal(), decimal(), decimal(), decimal(), decimal()),
    )
        .prop_map(|(a, b, c, d)| UnPosAddGuiderCalculateDetailParm {
            bill_num: a.0,
            sell_bill_num: a.1,
            auto_id: a.2,
            merchant_id: b.0,
            product_id: b.1,
            shop_id: c.0,
            bar_code: c.1,
            sell_type: c.2,
            product_name: c.3,
            standard: c.4,
            producing_area: c.5,
            quality_level: c.6,
            unit: c.7,
            amount: d.0,
            listing_price: d.1,
            retail_price: d.2,
            lowest_retail_price: d.3,
            cal_price: d.4,
        })
}

fn settlement() -> impl Strategy<Value = UnPosCustomerCalculateAddParm> {
    (
        (string(), prop::option::of(any::<i64>()), string(), string()),
        (string(), string(), string(), string(), string(), string()),
        prop::option::of(proptest::collection::vec(settlement_detail(), 0..3)),
    )
        .prop_map(|(a, b, details)| UnPosCustomerCalculateAddParm {
            bill_num: a.0,
            merchant_id: a.1,
            shop_id: a.2,
            happen_date: a.3,
            happen_time: b.0,
            customer_type: b.1,
            customer_id: b.2,
            cal_user_type: b.3,
            memory: b.4,
            is_pay_by_cash: b.5,
            details,
        })
}

fn paid_envelope() -> impl Strategy<Value = Envelope<PosSellPayBillResult>> {
    let result = (string(), string(), string(), decimal(), decimal(), string()).prop_map(
        |(sender_bill_num, bill_num, bill_state, total_amount, paid_amount, pay_num)| {
            PosSellPayBillResult {
                sender_bill_num,
                bill_num,
                bill_state,
                total_amount,
                paid_amount,
                pay_num,
            }
        },
    );
    (any::<i32>(), string(), prop::option::of(result)).prop_map(|(errcode, errmsg, tag)| Envelope {
        errcode,
        errmsg,
        tag,
    })
}

fn answer() -> impl Strategy<Value = CommonOperationResult> {
    (prop::option::of(any::<i32>()), string(), string()).prop_map(|(errcode, errmsg, tag)| {
        CommonOperationResult {
            errcode,
            errmsg,
            tag,
        }
    })
}

/// Checks that `value` survives writing and reading, compared through `Debug`, which shows
/// decimal scales.
fn check_round_trip<T: std::fmt::Debug>(
    value: &T,
    node: Node,
    read: impl Fn(&Node) -> Result<T, crate::read::ReadError>,
) -> Result<(), TestCaseError> {
    let xml = write_xml(&node);
    let node =
        read_xml(xml.as_bytes()).map_err(|err| TestCaseError::fail(format!("{err}: {xml}")))?;
    let back = read(&node).map_err(|err| TestCaseError::fail(format!("{err}: {xml}")))?;
    prop_assert_eq!(format!("{back:?}"), format!("{value:?}"), "{}", xml);
    Ok(())
}

proptest! {
    #[test]
    fn bills_survive(value in bill()) {
        let node = Node::Object(value.to_object());
        check_round_trip(&value, node, PosSellFromWebInterfaceParm::from_root)?;
    }

    #[test]
    fn settlements_survive(value in settlement()) {
        check_round_trip(
            &value,
            Node::Object(value.to_object()),
            UnPosCustomerCalculateAddParm::from_root,
        )?;
    }

    #[test]
    fn envelopes_survive(value in paid_envelope()) {
        check_round_trip(&value, value.to_node(), Envelope::<PosSellPayBillResult>::from_root)?;
    }

    #[test]
    fn answers_survive(value in answer()) {
        let node = Node::Object(value.to_object());
        check_round_trip(&value, node, CommonOperationResult::from_root)?;
    }

    #[test]
    fn any_tree_is_written_as_readable_xml(node in tree()) {
        let xml = write_xml(&node);
        if let Err(err) = read_xml(xml.as_bytes()) {
            return Err(TestCaseError::fail(format!("{err}: {xml}")));
        }
    }
}

/// Any text, control characters and all.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![text(), any::<String>()]
}

/// Names, valid and not.
fn name() -> impl Strategy<Value = Cow<'static, str>> {
    const NAMES: &[&str] = &[
        "a", "B", "errcode", "é", "店员", "", "a b", "1st", "p:q", "_x0041_", "xmlns", "-", "<",
    ];
    prop_oneof![
        proptest::sample::select(NAMES).prop_map(Cow::Borrowed),
        any::<String>().prop_map(Cow::Owned),
    ]
}

fn type_name() -> impl Strategy<Value = TypeName> {
    const NAMESPACES: &[&str] = &[NS_SELL, NS_UNPOS, NS_ENVELOPE, "", "urn:\"&<x>"];
    (
        name(),
        proptest::sample::select(NAMESPACES),
        prop_oneof![Just(Dialect::DataContract), Just(Dialect::Qimen)],
    )
        .prop_map(|(name, namespace, dialect)| TypeName {
            name,
            namespace,
            dialect,
        })
}

/// Node trees of every shape, at most 4 objects or lists deep.
fn tree() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        prop::option::of(type_name()).prop_map(Node::Null),
        any::<bool>().prop_map(Node::Bool),
        any::<i64>().prop_map(Node::Int),
        decimal().prop_map(|value| value.map_or(Node::Null(None), Node::Decimal)),
        any_text().prop_map(Node::Number),
        any_text().prop_map(Node::Text),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            (
                prop::option::of(type_name()),
                proptest::collection::vec((name(), inner.clone()), 0..6)
            )
                .prop_map(|(ty, fields)| Node::Object(Object { ty, fields })),
            (
                prop::option::of(type_name()),
                proptest::collection::vec(inner, 0..4)
            )
                .prop_map(|(item, items)| Node::List(List { item, items })),
        ]
    })
}

/// Writes `value` as XML, reads it back, and checks it is the same value, scales included.
fn check_generated<T: WireType + std::fmt::Debug + PartialEq>(
    value: &T,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let xml = write_xml(&Node::Object(value.to_object()));
    let fail = |err: String| proptest::test_runner::TestCaseError::fail(format!("{err}: {xml}"));
    let node = read_xml(xml.as_bytes()).map_err(|e| fail(e.to_string()))?;
    let back = T::from_root(&node).map_err(|e| fail(e.to_string()))?;
    proptest::prop_assert_eq!(format!("{back:?}"), format!("{value:?}"), "{}", xml);
    Ok(())
}

macro_rules! xml_round_trip {
    ($ty:ident, $strategy:ident) => {
        mod $strategy {
            use proptest::prelude::*;

            proptest! {
                #[test]
                fn survives_xml(value in crate::strategies::$strategy()) {
                    super::check_generated::<crate::dto::$ty>(&value)?;
                }
            }
        }
    };
}

/// Every DTO of the schema, through XML and back.
mod every_dto {
    use super::check_generated;

    crate::for_each_dto!(xml_round_trip);
}
