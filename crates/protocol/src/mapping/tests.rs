//! The mapping against the domain: the schema's rules are the domain's rules, and views show
//! what was stored.

use std::borrow::Cow;

use posbridge_domain::field::FieldError;
use posbridge_domain::sell_bill::{PaymentDraft, SellBillDraft};
use posbridge_domain::settlement::SettlementDraft;

use super::*;
use crate::dto::{
    PosSellDeleteOrCloseParm, PosSellFromWebInterfaceParm, PosSellPayBillParm,
    UnPosCustomerCalculateAddParm,
};
use crate::json::read_json;
use crate::node::{Node, Object};
use crate::read::WireType;
use crate::schema::{FieldKind, type_spec};

/// A request type with a valid document, where its item type sits, and how the domain checks it.
struct Case {
    rust: &'static str,
    item: Option<(&'static str, &'static str)>,
    valid: &'static str,
    validate: fn(&Node) -> Result<(), FieldError>,
}

fn sell(node: &Node) -> Result<(), FieldError> {
    let parm = PosSellFromWebInterfaceParm::from_root(node).map_err(|e| panic!("{e}"))?;
    SellBillDraft::from(&parm).validate().map(|_| ())
}

fn pay(node: &Node) -> Result<(), FieldError> {
    let parm = PosSellPayBillParm::from_root(node).map_err(|e| panic!("{e}"))?;
    PaymentDraft::from(&parm).validate().map(|_| ())
}

fn delete(node: &Node) -> Result<(), FieldError> {
    let parm = PosSellDeleteOrCloseParm::from_root(node).map_err(|e| panic!("{e}"))?;
    delete_or_close_ref(&parm).map(|_| ())
}

fn settle(node: &Node) -> Result<(), FieldError> {
    let parm = UnPosCustomerCalculateAddParm::from_root(node).map_err(|e| panic!("{e}"))?;
    SettlementDraft::from(&parm).validate().map(|_| ())
}

const CASES: &[Case] = &[
    Case {
        rust: "PosSellFromWebInterfaceParm",
        item: Some(("Details", "PosSellFromWebInterfaceDetailParm")),
        valid: r#"{"SenderBillNum": "P-1", "Details": [{"ProductId": 1, "Amount": 1, "RetailPrice": 99}]}"#,
        validate: sell,
    },
    Case {
        rust: "PosSellPayBillParm",
        item: None,
        valid: r#"{"BillNum": "B1", "PayNum": "PAY-1"}"#,
        validate: pay,
    },
    Case {
        rust: "PosSellDeleteOrCloseParm",
        item: None,
        valid: r#"{"BillNum": "B1"}"#,
        validate: delete,
    },
    Case {
        rust: "UnPosCustomerCalculateAddParm",
        item: Some(("Details", "UnPosAddGuiderCalculateDetailParm")),
        valid: r#"{"BillNum": "JS-1", "MerchantId": 2, "ShopId": "S001", "HappenDate": "20240501",
            "HappenTime": "143000", "CustomerType": "TA", "CustomerId": "C001", "CalUserType": "2",
            "Details": [{"SellBillNum": "B1", "AutoId": 1, "ProductId": 1, "Amount": 1,
            "ListingPrice": 128, "RetailPrice": 99, "LowestRetailPrice": 79, "CalPrice": 50}]}"#,
        validate: settle,
    },
];

fn member<'a>(object: &'a mut Object, name: &str) -> &'a mut Node {
    let at = object.fields.iter().position(|(key, _)| key == name);
    let at = at.unwrap_or_else(|| {
        object
            .fields
            .push((Cow::Owned(name.to_owned()), Node::Null(None)));
        object.fields.len() - 1
    });
    &mut object.fields[at].1
}

/// The document with `name` (in the first item of `list`, when given) set to `value`.
fn with(valid: &str, list: Option<&str>, name: &str, value: Node) -> Node {
    let mut root = read_json(valid.as_bytes()).unwrap();
    let Node::Object(object) = &mut root else {
        panic!("object")
    };
    let target = match list {
        None => object,
        Some(list) => match member(object, list) {
            Node::List(list) => match &mut list.items[0] {
                Node::Object(item) => item,
                _ => panic!("item"),
            },
            _ => panic!("list"),
        },
    };
    *member(target, name) = value;
    root
}

#[test]
fn the_schemas_lengths_and_required_members_are_the_domains() {
    let mut checked = 0;
    for case in CASES {
        assert_eq!(
            (case.validate)(&read_json(case.valid.as_bytes()).unwrap()),
            Ok(()),
            "{}",
            case.rust
        );
        let parts = [(case.rust, None)]
            .into_iter()
            .chain(case.item.map(|(list, item)| (item, Some(list))));
        for (rust, list) in parts {
            let spec = type_spec(rust).unwrap();
            for field in spec
                .fields
                .iter()
                .filter(|f| !matches!(f.kind, FieldKind::List(_)))
            {
                let path = match list {
                    None => field.name.to_owned(),
                    Some(list) => format!("{list}[0].{}", field.name),
                };
                let absent = (case.validate)(&with(case.valid, list, field.name, Node::Null(None)));
                let names_field = |result: &Result<(), FieldError>| {
                    result
                        .as_ref()
                        .err()
                        .is_some_and(|e| e.field().as_str() == path)
                };
                if field.required {
                    assert!(
                        matches!(absent, Err(FieldError::Missing { .. })) && names_field(&absent),
                        "{path}: {absent:?}"
                    );
                } else {
                    assert!(!names_field(&absent), "{path} is optional: {absent:?}");
                }
                if let Some(max) = field.max_len {
                    if field.allowed.is_empty() {
                        let longest = Node::Text("x".repeat(max));
                        let at_limit =
                            (case.validate)(&with(case.valid, list, field.name, longest));
                        assert!(
                            !names_field(&at_limit),
                            "{path} may hold {max}: {at_limit:?}"
                        );
                    }
                    let long = Node::Text("x".repeat(max + 1));
                    let over = (case.validate)(&with(case.valid, list, field.name, long));
                    assert!(
                        matches!(over, Err(FieldError::Invalid { .. })) && names_field(&over),
                        "{path}: {over:?}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "checked {checked} members");
}

#[test]
fn the_seed_001_json_maps_and_fails_only_on_its_placeholder_code() {
    let node = read_json(include_bytes!("../../testdata/seed-001-request.json")).unwrap();
    let parm = PosSellFromWebInterfaceParm::from_root(&node).unwrap();
    let draft = SellBillDraft::from(&parm);
    assert_eq!(draft.details.len(), 2);
    let err = draft.validate().unwrap_err();
    assert_eq!(
        err.to_string(),
        "field PlanDeliverType must be one of 1, 2, 3"
    );
    let fixed = SellBillDraft {
        plan_deliver_type: Some("1".into()),
        ..draft
    };
    assert!(fixed.validate().is_ok());
}

mod views {
    use posbridge_domain::amounts::UnitPrice;
    use posbridge_domain::calendar::Timestamp;
    use posbridge_domain::catalog::{PriceQuote, ShopCatalog};
    use posbridge_domain::ids::{BillNum, CustomerUnit, PayNum, ProductId, ShopId};
    use posbridge_domain::sell_bill::{Channel, PaymentDraft, SellBill, SellBillDraft};
    use rust_decimal::Decimal;

    use super::super::*;
    use crate::dto::PosSellFromWebInterfaceParm;
    use crate::json::read_json;
    use crate::read::WireType;
    use crate::time_text::UtcOffset;

    fn bill() -> SellBill {
        let p = |s: &str| UnitPrice::new(s.parse().unwrap()).unwrap();
        let catalog = ShopCatalog::new()
            .with_stock(ProductId(1), Decimal::ZERO)
            .with_price(
                ProductId(1),
                PriceQuote {
                    listing_price: p("128.00"),
                    retail_price: p("99.00"),
                    lowest_retail_price: p("79.00"),
                },
            );
        let json = r#"{"SenderBillNum": "P-1", "GuestName": "老王", "PlanDeliverType": "1",
            "Details": [{"ProductId": 1, "Amount": 2, "DiscountRate": 8.5, "DiscountBase": 10, "RetailPrice": 99.0, "Unit": "件"}]}"#;
        let parm =
            PosSellFromWebInterfaceParm::from_root(&read_json(json.as_bytes()).unwrap()).unwrap();
        let content = SellBillDraft::from(&parm).validate().unwrap();
        let channel = Channel {
            shop_id: ShopId::new("S001"),
            customer: CustomerUnit::new("TA", "C001"),
        };
        let (mut bill, _) = SellBill::create(
            BillNum::new("XS1"),
            &channel,
            content,
            &catalog,
            Timestamp(0),
        )
        .unwrap();
        let payment = PaymentDraft {
            bill_num: Some("XS1".into()),
            pay_num: Some("PAY-1".into()),
            pay_amount: Some("100.3".parse().unwrap()),
            pay_type: Some("wechat".into()),
            ..PaymentDraft::default()
        };
        bill.pay(&payment.validate().unwrap().1, Timestamp(60_000))
            .unwrap();
        bill
    }

    #[test]
    fn answers_carry_the_current_state() {
        let bill = bill();
        let result = add_or_update_result(&bill);
        assert_eq!(
            (
                result.bill_num.as_deref(),
                result.sender_bill_num.as_deref(),
                result.bill_state.as_deref()
            ),
            (Some("XS1"), Some("P-1"), Some("PartPaid"))
        );
        let pay = pay_bill_result(&bill, &PayNum::new("PAY-1"));
        assert_eq!(
            pay.total_amount.map(|a| a.to_string()).as_deref(),
            Some("168.30")
        );
        assert_eq!(
            pay.paid_amount.map(|a| a.to_string()).as_deref(),
            Some("100.30")
        );
        assert_eq!(pay.pay_num.as_deref(), Some("PAY-1"));
    }

    #[test]
    fn the_bill_view_shows_content_snapshot_amounts_and_history() {
        let view = bill_view(
            &bill(),
            ViewOptions {
                offset: UtcOffset::CHINA,
                history: true,
            },
        );
        assert_eq!(view.version, Some(1));
        assert_eq!(view.guest_name.as_deref(), Some("老王"));
        assert_eq!(view.plan_deliver_type.as_deref(), Some("1"));
        assert_eq!(
            view.discount_amount.map(|a| a.to_string()).as_deref(),
            Some("29.70")
        );
        assert_eq!(
            view.created_at.as_deref(),
            Some("1970-01-01T08:00:00.000+08:00")
        );
        assert_eq!(
            view.updated_at.as_deref(),
            Some("1970-01-01T08:01:00.000+08:00")
        );
        let line = &view.details.as_ref().unwrap()[0];
        assert_eq!(line.line_no, Some(1));
        assert_eq!(
            line.retail_price.map(|p| p.to_string()).as_deref(),
            Some("99.0"),
            "as sent"
        );
        assert_eq!(
            line.listing_price.map(|p| p.to_string()).as_deref(),
            Some("128.00")
        );
        assert_eq!(
            line.discounted_price.map(|p| p.to_string()).as_deref(),
            Some("84.15")
        );
        assert_eq!(
            line.line_amount.map(|p| p.to_string()).as_deref(),
            Some("168.30")
        );
        let payment = &view.payments.as_ref().unwrap()[0];
        assert_eq!(payment.pay_type.as_deref(), Some("WeChat"));
        let events: Vec<&str> = view
            .history
            .as_ref()
            .unwrap()
            .iter()
            .filter_map(|h| h.event.as_deref())
            .collect();
        assert_eq!(events, ["bill.created", "bill.payment_received"]);
        let listed = bill_view(
            &bill(),
            ViewOptions {
                offset: UtcOffset::CHINA,
                history: false,
            },
        );
        assert_eq!(listed.history, None);
    }
}
