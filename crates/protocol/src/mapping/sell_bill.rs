//! Sell bill DTOs to domain drafts, and bills to answers and views.

use posbridge_domain::field::FieldError;
use posbridge_domain::ids::PayNum;
use posbridge_domain::sell_bill::{
    BillRef, PaymentDraft, PricedLine, SellBill, SellBillDraft, SellLineDraft,
};

use crate::dto::{
    PosSellBillView, PosSellBillViewDetail, PosSellBillViewHistory, PosSellBillViewPayment,
    PosSellDeleteOrCloseParm, PosSellFromWebInterfaceDetailParm, PosSellFromWebInterfaceParm,
    PosSellFromWebInterfaceResult, PosSellPayBillParm, PosSellPayBillResult,
};
use crate::time_text::{UtcOffset, format_rfc3339};

impl From<&PosSellFromWebInterfaceParm> for SellBillDraft {
    fn from(parm: &PosSellFromWebInterfaceParm) -> Self {
        SellBillDraft {
            sender_bill_num: parm.sender_bill_num.clone(),
            guider_number: parm.guider_number.clone(),
            memory: parm.memory.clone(),
            member_id: parm.member_id,
            guest_mobile: parm.guest_mobile.clone(),
            guest_name: parm.guest_name.clone(),
            guest_ceri_code: parm.guest_ceri_code.clone(),
            plan_deliver_type: parm.plan_deliver_type.clone(),
            deliver_address: parm.deliver_address.clone(),
            guest_memory: parm.guest_memory.clone(),
            details: parm
                .details
                .iter()
                .flatten()
                .map(SellLineDraft::from)
                .collect(),
        }
    }
}

impl From<&PosSellFromWebInterfaceDetailParm> for SellLineDraft {
    fn from(detail: &PosSellFromWebInterfaceDetailParm) -> Self {
        SellLineDraft {
            product_id: detail.product_id,
            amount: detail.amount,
            discount_rate: detail.discount_rate,
            discount_base: detail.discount_base,
            retail_price: detail.retail_price,
            unit: detail.unit.clone(),
            standard: detail.standard.clone(),
        }
    }
}

impl From<&PosSellPayBillParm> for PaymentDraft {
    fn from(parm: &PosSellPayBillParm) -> Self {
        PaymentDraft {
            bill_num: parm.bill_num.clone(),
            sender_bill_num: parm.sender_bill_num.clone(),
            pay_num: parm.pay_num.clone(),
            pay_amount: parm.pay_amount,
            pay_type: parm.pay_type.clone(),
            memory: parm.memory.clone(),
        }
    }
}

/// The bill a DeleteOrClose names (1002 when it names none).
pub fn delete_or_close_ref(parm: &PosSellDeleteOrCloseParm) -> Result<BillRef, FieldError> {
    BillRef::parse(parm.bill_num.as_deref(), parm.sender_bill_num.as_deref())
}

/// The answer of AddOrUpdate and DeleteOrClose: the bill's keys and current state.
pub fn add_or_update_result(bill: &SellBill) -> PosSellFromWebInterfaceResult {
    let record = bill.record();
    PosSellFromWebInterfaceResult {
        sender_bill_num: Some(record.content.sender_bill_num.to_string()),
        bill_num: Some(record.bill_num.to_string()),
        bill_state: Some(record.state.as_str().to_owned()),
    }
}

/// The answer of PayBill: the bill's state and amounts now, and the payment's key.
pub fn pay_bill_result(bill: &SellBill, pay_num: &PayNum) -> PosSellPayBillResult {
    let record = bill.record();
    PosSellPayBillResult {
        bill_num: Some(record.bill_num.to_string()),
        sender_bill_num: Some(record.content.sender_bill_num.to_string()),
        bill_state: Some(record.state.as_str().to_owned()),
        pay_num: Some(pay_num.to_string()),
        total_amount: Some(record.priced.totals.total.get()),
        paid_amount: Some(record.paid_amount.get()),
    }
}

/// How a bill view is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewOptions {
    /// The business time zone timestamps are written in.
    pub offset: UtcOffset,
    /// Whether to include the history (Get does, List does not).
    pub history: bool,
}

/// The bill as Get and List show it.
pub fn bill_view(bill: &SellBill, options: ViewOptions) -> PosSellBillView {
    let record = bill.record();
    let content = &record.content;
    let time = |at| Some(format_rfc3339(at, options.offset));
    PosSellBillView {
        bill_num: Some(record.bill_num.to_string()),
        sender_bill_num: Some(content.sender_bill_num.to_string()),
        bill_state: Some(record.state.as_str().to_owned()),
        version: Some(i32::try_from(record.version).unwrap_or(i32::MAX)),
        shop_id: Some(record.shop_id.to_string()),
        customer_type: Some(record.customer.customer_type.clone()),
        customer_id: Some(record.customer.customer_id.clone()),
        guider_number: content.guider_number.as_ref().map(ToString::to_string),
        memory: content.memory.clone(),
        member_id: content.member_id,
        guest_mobile: content.guest_mobile.clone(),
        guest_name: content.guest_name.clone(),
        guest_ceri_code: content.guest_ceri_code.clone(),
        plan_deliver_type: content.plan_deliver_type.map(|t| t.code().to_owned()),
        deliver_address: content.deliver_address.clone(),
        guest_memory: content.guest_memory.clone(),
        total_amount: Some(record.priced.totals.total.get()),
        discount_amount: Some(record.priced.totals.discount.get()),
        paid_amount: Some(record.paid_amount.get()),
        created_at: time(record.created_at),
        updated_at: time(record.updated_at),
        details: Some(record.priced.lines.iter().map(detail_view).collect()),
        payments: Some(
            record
                .payments
                .iter()
                .map(|payment| PosSellBillViewPayment {
                    pay_num: Some(payment.request.pay_num.to_string()),
                    pay_type: payment.request.pay_type.map(|t| t.as_str().to_owned()),
                    pay_amount: Some(payment.amount.get()),
                    paid_at: time(payment.paid_at),
                    memory: payment.request.memory.clone(),
                })
                .collect(),
        ),
        history: options.history.then(|| {
            record
                .history
                .iter()
                .map(|entry| PosSellBillViewHistory {
                    version: Some(i32::try_from(entry.version).unwrap_or(i32::MAX)),
                    bill_state: Some(entry.state.as_str().to_owned()),
                    event: Some(entry.event.as_str().to_owned()),
                    at: time(entry.at),
                })
                .collect()
        }),
    }
}

fn detail_view(line: &PricedLine) -> PosSellBillViewDetail {
    PosSellBillViewDetail {
        line_no: Some(i32::try_from(line.line_no).unwrap_or(i32::MAX)),
        product_id: Some(line.line.product_id.0),
        amount: Some(line.line.amount.get()),
        discount_rate: Some(line.line.discount.rate()),
        discount_base: Some(line.line.discount.base()),
        retail_price: Some(line.line.retail_price.get()),
        listing_price: Some(line.snapshot.listing_price.get()),
        lowest_retail_price: Some(line.snapshot.lowest_retail_price.get()),
        discounted_price: Some(line.discounted_price()),
        line_amount: Some(line.line_amount.get()),
        unit: line.line.unit.clone(),
        standard: line.line.standard.clone(),
    }
}
