//! Settlement DTOs to domain drafts, and settlements to views.

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::settlement::{
    SettledDetail, Settlement, SettlementDetail, SettlementDetailDraft, SettlementDraft,
};

use crate::dto::{
    UnPosAddGuiderCalculateDetailParm, UnPosCustomerCalculateAddParm, UnPosCustomerCalculateView,
    UnPosCustomerCalculateViewDetail,
};
use crate::time_text::{UtcOffset, format_rfc3339};

impl From<&UnPosCustomerCalculateAddParm> for SettlementDraft {
    fn from(parm: &UnPosCustomerCalculateAddParm) -> Self {
        SettlementDraft {
            bill_num: parm.bill_num.clone(),
            merchant_id: parm.merchant_id,
            shop_id: parm.shop_id.clone(),
            happen_date: parm.happen_date.clone(),
            happen_time: parm.happen_time.clone(),
            customer_type: parm.customer_type.clone(),
            customer_id: parm.customer_id.clone(),
            cal_user_type: parm.cal_user_type.clone(),
            memory: parm.memory.clone(),
            is_pay_by_cash: parm.is_pay_by_cash.clone(),
            details: parm
                .details
                .iter()
                .flatten()
                .map(SettlementDetailDraft::from)
                .collect(),
        }
    }
}

impl From<&UnPosAddGuiderCalculateDetailParm> for SettlementDetailDraft {
    fn from(detail: &UnPosAddGuiderCalculateDetailParm) -> Self {
        SettlementDetailDraft {
            bill_num: detail.bill_num.clone(),
            sell_bill_num: detail.sell_bill_num.clone(),
            auto_id: detail.auto_id.map(i64::from),
            merchant_id: detail.merchant_id,
            shop_id: detail.shop_id.clone(),
            product_id: detail.product_id,
            bar_code: detail.bar_code.clone(),
            sell_type: detail.sell_type.clone(),
            product_name: detail.product_name.clone(),
            standard: detail.standard.clone(),
            producing_area: detail.producing_area.clone(),
            quality_level: detail.quality_level.clone(),
            unit: detail.unit.clone(),
            amount: detail.amount,
            listing_price: detail.listing_price,
            retail_price: detail.retail_price,
            lowest_retail_price: detail.lowest_retail_price,
            cal_price: detail.cal_price,
        }
    }
}

/// The settlement as Get shows it.
pub fn settlement_view(
    settlement: &Settlement,
    id: &str,
    created_at: Timestamp,
    offset: UtcOffset,
) -> UnPosCustomerCalculateView {
    let content = &settlement.content;
    let date = content.happen_date;
    let time = content.happen_time;
    UnPosCustomerCalculateView {
        id: Some(id.to_owned()),
        bill_num: Some(content.bill_num.clone()),
        merchant_id: Some(content.merchant_id.0),
        shop_id: Some(content.shop_id.to_string()),
        happen_date: Some(format!(
            "{:04}{:02}{:02}",
            date.year(),
            date.month(),
            date.day()
        )),
        happen_time: Some(format!(
            "{:02}{:02}{:02}",
            time.hour(),
            time.minute(),
            time.second()
        )),
        customer_type: Some(content.customer.customer_type.clone()),
        customer_id: Some(content.customer.customer_id.clone()),
        cal_user_type: Some(content.cal_user_type.code().to_owned()),
        memory: content.memory.clone(),
        is_pay_by_cash: Some(if content.is_pay_by_cash { "Y" } else { "N" }.to_owned()),
        rebate_rate: Some(settlement.rebate_rate.get()),
        sales_amount: Some(settlement.sales_amount.get()),
        cal_amount: Some(settlement.cal_amount.get()),
        rebate_amount: Some(settlement.rebate_amount.get()),
        created_at: Some(format_rfc3339(created_at, offset)),
        details: Some(
            content
                .details
                .iter()
                .zip(&settlement.details)
                .map(detail_view)
                .collect(),
        ),
    }
}

fn detail_view(
    (detail, settled): (&SettlementDetail, &SettledDetail),
) -> UnPosCustomerCalculateViewDetail {
    let info = &detail.info;
    UnPosCustomerCalculateViewDetail {
        bill_num: detail.bill_num.clone(),
        sell_bill_num: Some(detail.sell_bill_num.to_string()),
        auto_id: i32::try_from(detail.auto_id).ok(),
        merchant_id: detail.merchant_id.map(|m| m.0),
        shop_id: detail.shop_id.as_ref().map(ToString::to_string),
        product_id: Some(detail.product_id.0),
        bar_code: info.bar_code.clone(),
        sell_type: info.sell_type.clone(),
        product_name: info.product_name.clone(),
        standard: info.standard.clone(),
        producing_area: info.producing_area.clone(),
        quality_level: info.quality_level.clone(),
        unit: info.unit.clone(),
        amount: Some(detail.amount.get()),
        listing_price: Some(detail.listing_price.get()),
        retail_price: Some(detail.retail_price.get()),
        lowest_retail_price: Some(detail.lowest_retail_price.get()),
        cal_price: Some(detail.cal_price.get()),
        sales_amount: Some(settled.sales_amount.get()),
        cal_amount: Some(settled.cal_amount.get()),
    }
}
