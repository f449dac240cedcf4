//! A small shop to test against, and helpers to build requests.

use rust_decimal::Decimal;

use crate::amounts::UnitPrice;
use crate::calendar::Timestamp;
use crate::catalog::{PriceQuote, ShopCatalog};
use crate::ids::{BillNum, CustomerUnit, GuiderNumber, ProductId, ShopId};
use crate::sell_bill::{
    Channel, Outcome, PaymentDraft, PaymentRequest, SellBill, SellBillDraft, SellBillError,
    SellLineDraft,
};

pub fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn price(text: &str) -> UnitPrice {
    UnitPrice::new(d(text)).unwrap()
}

/// Product 1: silk scarf, zero stock, 128 / 99.00 / 79.00. Product 2: 5.0 retail, floor 3.
/// Product 3: priced, no warehouse record. Product 4: stocked, no price. Guide D-330100-01.
pub fn shop() -> ShopCatalog {
    let quote = |listing, retail, lowest| PriceQuote {
        listing_price: price(listing),
        retail_price: price(retail),
        lowest_retail_price: price(lowest),
    };
    ShopCatalog::new()
        .with_stock(ProductId(1), Decimal::ZERO)
        .with_price(ProductId(1), quote("128.00", "99.00", "79.00"))
        .with_stock(ProductId(2), d("5"))
        .with_price(ProductId(2), quote("6", "5.0", "3"))
        .with_price(ProductId(3), quote("10", "10", "10"))
        .with_stock(ProductId(4), d("1"))
        .with_guide(GuiderNumber::new("D-330100-01"))
}

pub fn channel() -> Channel {
    Channel {
        shop_id: ShopId::new("S001"),
        customer: CustomerUnit::new("TA", "C001"),
    }
}

pub fn other_shop() -> Channel {
    Channel {
        shop_id: ShopId::new("S002"),
        ..channel()
    }
}

pub fn line(product: i64, amount: &str, retail: &str) -> SellLineDraft {
    SellLineDraft {
        product_id: Some(product),
        amount: Some(d(amount)),
        retail_price: Some(d(retail)),
        ..SellLineDraft::default()
    }
}

pub fn discounted(mut line: SellLineDraft, rate: &str, base: &str) -> SellLineDraft {
    line.discount_rate = Some(d(rate));
    line.discount_base = Some(d(base));
    line
}

pub fn bill(lines: Vec<SellLineDraft>) -> SellBillDraft {
    SellBillDraft {
        sender_bill_num: Some("P-1001".into()),
        details: lines,
        ..SellBillDraft::default()
    }
}

/// The seed 001 sample: two identical lines of product 1, 2 × 5.0 at 3/4. Its placeholder
/// `PlanDeliverType` ("sample string 7") is not a valid code, so it is set to 1 here.
pub fn seed_sample() -> SellBillDraft {
    let line = SellLineDraft {
        product_id: Some(2),
        amount: Some(d("2.0")),
        discount_rate: Some(d("3.0")),
        discount_base: Some(d("4.0")),
        retail_price: Some(d("5.0")),
        unit: Some("sample string 6".into()),
        standard: Some("sample string 7".into()),
    };
    SellBillDraft {
        sender_bill_num: Some("sample string 1".into()),
        guider_number: Some("D-330100-01".into()),
        memory: Some("sample string 3".into()),
        member_id: Some(1),
        guest_mobile: Some("sample string 4".into()),
        guest_name: Some("sample string 5".into()),
        guest_ceri_code: Some("sample string 6".into()),
        plan_deliver_type: Some("1".into()),
        deliver_address: Some("sample string 8".into()),
        guest_memory: Some("sample string 9".into()),
        details: vec![line.clone(), line],
    }
}

/// Creates a bill from a draft, at time 0.
pub fn create(draft: &SellBillDraft) -> Result<SellBill, SellBillError> {
    let content = draft.validate()?;
    let (bill, _) = SellBill::create(
        BillNum::new("B0001"),
        &channel(),
        content,
        &shop(),
        Timestamp(0),
    )?;
    Ok(bill)
}

/// AddOrUpdate on an existing bill from `channel`, checking that a failure changes nothing.
pub fn resubmit(
    bill: &mut SellBill,
    from: &Channel,
    draft: &SellBillDraft,
) -> Result<Outcome, SellBillError> {
    let before = bill.clone();
    let result = draft
        .validate()
        .map_err(SellBillError::from)
        .and_then(|content| bill.add_or_update(from, content, &shop(), Timestamp(10)));
    if !matches!(result, Ok(Outcome::Changed(_))) {
        assert_eq!(
            *bill, before,
            "a refused or replayed request changed the bill"
        );
    }
    result
}

pub fn payment(pay_num: &str, amount: Option<&str>) -> PaymentRequest {
    let draft = PaymentDraft {
        bill_num: Some("B0001".into()),
        pay_num: Some(pay_num.into()),
        pay_amount: amount.map(d),
        ..PaymentDraft::default()
    };
    draft.validate().unwrap().1
}

/// PayBill, checking that a failure or replay changes nothing.
pub fn pay(bill: &mut SellBill, request: &PaymentRequest) -> Result<Outcome, SellBillError> {
    let before = bill.clone();
    let result = bill.pay(request, Timestamp(20));
    if !matches!(result, Ok(Outcome::Changed(_))) {
        assert_eq!(
            *bill, before,
            "a refused or replayed payment changed the bill"
        );
    }
    result
}

/// DeleteOrClose, checking that a failure or replay changes nothing.
pub fn delete_or_close(bill: &mut SellBill) -> Result<Outcome, SellBillError> {
    let before = bill.clone();
    let result = bill.delete_or_close(Timestamp(30));
    if !matches!(result, Ok(Outcome::Changed(_))) {
        assert_eq!(
            *bill, before,
            "a refused or replayed delete changed the bill"
        );
    }
    result
}
