//! The settlement document: a whole [`SettlementRecord`] (content as sent, amounts, and the sell
//! bill lines each detail took its quantity from).

use posbridge_domain::calendar::{CivilDate, CivilTime, Timestamp};
use posbridge_domain::ids::{BillNum, CustomerUnit, MerchantId, ProductId, ShopId};
use posbridge_domain::settlement::{
    CalUserType, LineAllocation, ProductInfo, SettledDetail, Settlement, SettlementContent,
    SettlementDetail,
};
use serde::{Deserialize, Serialize};

use super::decimal::{money, parse, quantity, rebate_rate, unit_price};
use super::{DOCUMENT_VERSION, check_version, corrupt, from_json, to_json};
use crate::error::StoreError;
use crate::model::SettlementRecord;

const WHAT: &str = "settlement";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SettlementDoc {
    v: u32,
    id: i64,
    account_merchant_id: i64,
    created_at: i64,
    bill_num: String,
    merchant_id: i64,
    shop_id: String,
    happen_date: String,
    happen_time: String,
    customer_type: String,
    customer_id: String,
    cal_user_type: String,
    memory: Option<String>,
    is_pay_by_cash: bool,
    rebate_rate: String,
    sales_amount: String,
    cal_amount: String,
    rebate_amount: String,
    details: Vec<DetailDoc>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DetailDoc {
    bill_num: Option<String>,
    sell_bill_num: String,
    auto_id: i64,
    merchant_id: Option<i64>,
    shop_id: Option<String>,
    product_id: i64,
    amount: String,
    listing_price: String,
    retail_price: String,
    lowest_retail_price: String,
    cal_price: String,
    bar_code: Option<String>,
    sell_type: Option<String>,
    product_name: Option<String>,
    standard: Option<String>,
    producing_area: Option<String>,
    quality_level: Option<String>,
    unit: Option<String>,
    sales_amount: String,
    cal_amount: String,
    allocations: Vec<(usize, String)>,
}

/// `HappenDate` as stored in the settlements table: `yyyyMMdd`, which sorts by date.
pub fn happen_date_key(date: CivilDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// Encodes a settlement record.
pub fn encode(record: &SettlementRecord) -> String {
    let s = &record.settlement;
    let c = &s.content;
    let doc = SettlementDoc {
        v: DOCUMENT_VERSION,
        id: record.id,
        account_merchant_id: record.merchant_id.0,
        created_at: record.created_at.0,
        bill_num: c.bill_num.clone(),
        merchant_id: c.merchant_id.0,
        shop_id: c.shop_id.to_string(),
        happen_date: c.happen_date.to_string(),
        happen_time: c.happen_time.to_string(),
        customer_type: c.customer.customer_type.clone(),
        customer_id: c.customer.customer_id.clone(),
        cal_user_type: c.cal_user_type.code().to_owned(),
        memory: c.memory.clone(),
        is_pay_by_cash: c.is_pay_by_cash,
        rebate_rate: s.rebate_rate.to_string(),
        sales_amount: s.sales_amount.to_string(),
        cal_amount: s.cal_amount.to_string(),
        rebate_amount: s.rebate_amount.to_string(),
        details: c
            .details
            .iter()
            .zip(&s.details)
            .map(|(d, amounts)| encode_detail(d, amounts))
            .collect(),
    };
    to_json(&doc)
}

fn encode_detail(d: &SettlementDetail, amounts: &SettledDetail) -> DetailDoc {
    DetailDoc {
        bill_num: d.bill_num.clone(),
        sell_bill_num: d.sell_bill_num.to_string(),
        auto_id: d.auto_id,
        merchant_id: d.merchant_id.map(|m| m.0),
        shop_id: d.shop_id.as_ref().map(ToString::to_string),
        product_id: d.product_id.0,
        amount: d.amount.to_string(),
        listing_price: d.listing_price.to_string(),
        retail_price: d.retail_price.to_string(),
        lowest_retail_price: d.lowest_retail_price.to_string(),
        cal_price: d.cal_price.to_string(),
        bar_code: d.info.bar_code.clone(),
        sell_type: d.info.sell_type.clone(),
        product_name: d.info.product_name.clone(),
        standard: d.info.standard.clone(),
        producing_area: d.info.producing_area.clone(),
        quality_level: d.info.quality_level.clone(),
        unit: d.info.unit.clone(),
        sales_amount: amounts.sales_amount.to_string(),
        cal_amount: amounts.cal_amount.to_string(),
        allocations: amounts
            .allocations
            .iter()
            .map(|a| (a.line_no, a.quantity.to_string()))
            .collect(),
    }
}

/// Decodes a settlement record.
pub fn decode(text: &str) -> Result<SettlementRecord, StoreError> {
    let doc: SettlementDoc = from_json(WHAT, text)?;
    check_version(WHAT, doc.v)?;
    let mut details = Vec::with_capacity(doc.details.len());
    let mut amounts = Vec::with_capacity(doc.details.len());
    for d in &doc.details {
        let (detail, settled) = decode_detail(d)?;
        details.push(detail);
        amounts.push(settled);
    }
    let content = SettlementContent {
        bill_num: doc.bill_num,
        merchant_id: MerchantId(doc.merchant_id),
        shop_id: ShopId::new(doc.shop_id),
        happen_date: CivilDate::parse_dashed(&doc.happen_date)
            .ok_or_else(|| corrupt(WHAT, "HappenDate"))?,
        happen_time: CivilTime::parse_colon(&doc.happen_time)
            .ok_or_else(|| corrupt(WHAT, "HappenTime"))?,
        customer: CustomerUnit::new(doc.customer_type, doc.customer_id),
        cal_user_type: CalUserType::parse(&doc.cal_user_type)
            .ok_or_else(|| corrupt(WHAT, "CalUserType"))?,
        memory: doc.memory,
        is_pay_by_cash: doc.is_pay_by_cash,
        details,
    };
    Ok(SettlementRecord {
        id: doc.id,
        merchant_id: MerchantId(doc.account_merchant_id),
        settlement: Settlement {
            content,
            rebate_rate: rebate_rate(&doc.rebate_rate)?,
            details: amounts,
            sales_amount: money(&doc.sales_amount)?,
            cal_amount: money(&doc.cal_amount)?,
            rebate_amount: money(&doc.rebate_amount)?,
        },
        created_at: Timestamp(doc.created_at),
    })
}

fn decode_detail(d: &DetailDoc) -> Result<(SettlementDetail, SettledDetail), StoreError> {
    let detail = SettlementDetail {
        bill_num: d.bill_num.clone(),
        sell_bill_num: BillNum::new(d.sell_bill_num.clone()),
        auto_id: d.auto_id,
        merchant_id: d.merchant_id.map(MerchantId),
        shop_id: d.shop_id.clone().map(ShopId::new),
        product_id: ProductId(d.product_id),
        amount: quantity(&d.amount)?,
        listing_price: unit_price(&d.listing_price)?,
        retail_price: unit_price(&d.retail_price)?,
        lowest_retail_price: unit_price(&d.lowest_retail_price)?,
        cal_price: unit_price(&d.cal_price)?,
        info: ProductInfo {
            bar_code: d.bar_code.clone(),
            sell_type: d.sell_type.clone(),
            product_name: d.product_name.clone(),
            standard: d.standard.clone(),
            producing_area: d.producing_area.clone(),
            quality_level: d.quality_level.clone(),
            unit: d.unit.clone(),
        },
    };
    let allocations = d
        .allocations
        .iter()
        .map(|(line_no, q)| {
            Ok(LineAllocation {
                line_no: *line_no,
                quantity: parse(q)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let settled = SettledDetail {
        sales_amount: money(&d.sales_amount)?,
        cal_amount: money(&d.cal_amount)?,
        allocations,
    };
    Ok((detail, settled))
}
