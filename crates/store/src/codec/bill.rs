//! The sell bill document: a whole [`BillRecord`] (content, priced lines with their price
//! snapshots, payments, history).

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::catalog::PriceQuote;
use posbridge_domain::ids::{
    BillNum, CustomerUnit, GuiderNumber, PayNum, ProductId, SenderBillNum, ShopId,
};
use posbridge_domain::pricing::{BillTotals, Discount};
use posbridge_domain::sell_bill::{
    BillEventKind, BillRecord, BillState, HistoryEntry, PayType, Payment, PaymentRequest,
    PlanDeliverType, PricedBill, PricedLine, SellBillContent, SellLine,
};
use serde::{Deserialize, Serialize};

use super::decimal::{money, parse, quantity, unit_price};
use super::{DOCUMENT_VERSION, check_version, corrupt, from_json, to_json};
use crate::error::StoreError;

const WHAT: &str = "sell bill";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BillDoc {
    v: u32,
    bill_num: String,
    customer_type: String,
    customer_id: String,
    shop_id: String,
    state: String,
    version: u32,
    sender_bill_num: String,
    guider_number: Option<String>,
    memory: Option<String>,
    member_id: Option<i64>,
    guest_mobile: Option<String>,
    guest_name: Option<String>,
    guest_ceri_code: Option<String>,
    plan_deliver_type: Option<String>,
    deliver_address: Option<String>,
    guest_memory: Option<String>,
    lines: Vec<LineDoc>,
    total_amount: String,
    discount_amount: String,
    payments: Vec<PaymentDoc>,
    paid_amount: String,
    history: Vec<HistoryDoc>,
    created_at: i64,
    updated_at: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LineDoc {
    line_no: usize,
    product_id: i64,
    amount: String,
    discount_rate: String,
    discount_base: String,
    retail_price: String,
    unit: Option<String>,
    standard: Option<String>,
    snapshot_listing_price: String,
    snapshot_retail_price: String,
    snapshot_lowest_retail_price: String,
    gross_amount: String,
    line_amount: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PaymentDoc {
    pay_num: String,
    requested_amount: Option<String>,
    pay_type: Option<String>,
    memory: Option<String>,
    amount: String,
    paid_at: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HistoryDoc {
    sequence: u32,
    version: u32,
    state: String,
    event: String,
    at: i64,
}

/// Encodes a bill record.
pub fn encode(record: &BillRecord) -> String {
    let content = &record.content;
    let doc = BillDoc {
        v: DOCUMENT_VERSION,
        bill_num: record.bill_num.to_string(),
        customer_type: record.customer.customer_type.clone(),
        customer_id: record.customer.customer_id.clone(),
        shop_id: record.shop_id.to_string(),
        state: record.state.as_str().to_owned(),
        version: record.version,
        sender_bill_num: content.sender_bill_num.to_string(),
        guider_number: content.guider_number.as_ref().map(ToString::to_string),
        memory: content.memory.clone(),
        member_id: content.member_id,
        guest_mobile: content.guest_mobile.clone(),
        guest_name: content.guest_name.clone(),
        guest_ceri_code: content.guest_ceri_code.clone(),
        plan_deliver_type: content.plan_deliver_type.map(|p| p.code().to_owned()),
        deliver_address: content.deliver_address.clone(),
        guest_memory: content.guest_memory.clone(),
        lines: record.priced.lines.iter().map(encode_line).collect(),
        total_amount: record.priced.totals.total.to_string(),
        discount_amount: record.priced.totals.discount.to_string(),
        payments: record.payments.iter().map(encode_payment).collect(),
        paid_amount: record.paid_amount.to_string(),
        history: record.history.iter().map(encode_history).collect(),
        created_at: record.created_at.0,
        updated_at: record.updated_at.0,
    };
    to_json(&doc)
}

fn encode_line(priced: &PricedLine) -> LineDoc {
    let line = &priced.line;
    LineDoc {
        line_no: priced.line_no,
        product_id: line.product_id.0,
        amount: line.amount.to_string(),
        discount_rate: line.discount.rate().to_string(),
        discount_base: line.discount.base().to_string(),
        retail_price: line.retail_price.to_string(),
        unit: line.unit.clone(),
        standard: line.standard.clone(),
        snapshot_listing_price: priced.snapshot.listing_price.to_string(),
        snapshot_retail_price: priced.snapshot.retail_price.to_string(),
        snapshot_lowest_retail_price: priced.snapshot.lowest_retail_price.to_string(),
        gross_amount: priced.gross_amount.to_string(),
        line_amount: priced.line_amount.to_string(),
    }
}

fn encode_payment(payment: &Payment) -> PaymentDoc {
    let request = &payment.request;
    PaymentDoc {
        pay_num: request.pay_num.to_string(),
        requested_amount: request.amount.map(|a| a.to_string()),
        pay_type: request.pay_type.map(|t| t.as_str().to_owned()),
        memory: request.memory.clone(),
        amount: payment.amount.to_string(),
        paid_at: payment.paid_at.0,
    }
}

fn encode_history(entry: &HistoryEntry) -> HistoryDoc {
    HistoryDoc {
        sequence: entry.sequence,
        version: entry.version,
        state: entry.state.as_str().to_owned(),
        event: entry.event.as_str().to_owned(),
        at: entry.at.0,
    }
}

/// Decodes a bill record. The caller restores the aggregate with `SellBill::restore`, which
/// checks its invariants.
pub fn decode(text: &str) -> Result<BillRecord, StoreError> {
    let doc: BillDoc = from_json(WHAT, text)?;
    check_version(WHAT, doc.v)?;
    let lines = doc
        .lines
        .iter()
        .map(decode_line)
        .collect::<Result<Vec<_>, _>>()?;
    let content = SellBillContent {
        sender_bill_num: SenderBillNum::new(doc.sender_bill_num),
        guider_number: doc.guider_number.map(GuiderNumber::new),
        memory: doc.memory,
        member_id: doc.member_id,
        guest_mobile: doc.guest_mobile,
        guest_name: doc.guest_name,
        guest_ceri_code: doc.guest_ceri_code,
        plan_deliver_type: doc
            .plan_deliver_type
            .map(|code| {
                PlanDeliverType::parse(&code).ok_or_else(|| corrupt(WHAT, "PlanDeliverType"))
            })
            .transpose()?,
        deliver_address: doc.deliver_address,
        guest_memory: doc.guest_memory,
        lines: lines.iter().map(|l| l.line.clone()).collect(),
    };
    Ok(BillRecord {
        bill_num: BillNum::new(doc.bill_num),
        customer: CustomerUnit::new(doc.customer_type, doc.customer_id),
        shop_id: ShopId::new(doc.shop_id),
        state: bill_state(&doc.state)?,
        version: doc.version,
        content,
        priced: PricedBill {
            lines,
            totals: BillTotals {
                total: money(&doc.total_amount)?,
                discount: money(&doc.discount_amount)?,
            },
        },
        payments: doc
            .payments
            .iter()
            .map(decode_payment)
            .collect::<Result<_, _>>()?,
        paid_amount: money(&doc.paid_amount)?,
        history: doc
            .history
            .iter()
            .map(decode_history)
            .collect::<Result<_, _>>()?,
        created_at: Timestamp(doc.created_at),
        updated_at: Timestamp(doc.updated_at),
    })
}

fn decode_line(doc: &LineDoc) -> Result<PricedLine, StoreError> {
    let discount = Discount::new(parse(&doc.discount_rate)?, parse(&doc.discount_base)?)
        .map_err(|e| corrupt(WHAT, e))?;
    let fraction = discount.fraction().map_err(|e| corrupt(WHAT, e))?;
    Ok(PricedLine {
        line_no: doc.line_no,
        line: SellLine {
            product_id: ProductId(doc.product_id),
            amount: quantity(&doc.amount)?,
            discount,
            retail_price: unit_price(&doc.retail_price)?,
            unit: doc.unit.clone(),
            standard: doc.standard.clone(),
        },
        snapshot: PriceQuote {
            listing_price: unit_price(&doc.snapshot_listing_price)?,
            retail_price: unit_price(&doc.snapshot_retail_price)?,
            lowest_retail_price: unit_price(&doc.snapshot_lowest_retail_price)?,
        },
        fraction,
        gross_amount: money(&doc.gross_amount)?,
        line_amount: money(&doc.line_amount)?,
    })
}

fn decode_payment(doc: &PaymentDoc) -> Result<Payment, StoreError> {
    Ok(Payment {
        request: PaymentRequest {
            pay_num: PayNum::new(doc.pay_num.clone()),
            amount: doc.requested_amount.as_deref().map(money).transpose()?,
            pay_type: doc
                .pay_type
                .as_deref()
                .map(|t| PayType::parse(t).ok_or_else(|| corrupt(WHAT, "PayType")))
                .transpose()?,
            memory: doc.memory.clone(),
        },
        amount: money(&doc.amount)?,
        paid_at: Timestamp(doc.paid_at),
    })
}

fn decode_history(doc: &HistoryDoc) -> Result<HistoryEntry, StoreError> {
    Ok(HistoryEntry {
        sequence: doc.sequence,
        version: doc.version,
        state: bill_state(&doc.state)?,
        event: event_kind(&doc.event)?,
        at: Timestamp(doc.at),
    })
}

/// Reads a stored `BillState`.
pub fn bill_state(text: &str) -> Result<BillState, StoreError> {
    BillState::parse(text).ok_or_else(|| corrupt(WHAT, format!("unknown state {text:?}")))
}

fn event_kind(text: &str) -> Result<BillEventKind, StoreError> {
    const KINDS: [BillEventKind; 6] = [
        BillEventKind::Created,
        BillEventKind::Updated,
        BillEventKind::PaymentReceived,
        BillEventKind::Paid,
        BillEventKind::Deleted,
        BillEventKind::Closed,
    ];
    KINDS
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| corrupt(WHAT, format!("unknown event {text:?}")))
}
