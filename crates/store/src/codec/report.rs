//! The columns the reports read, as text from either backend, into the domain's figures: both
//! backends hand the same strings here, so they answer the same figures.

use posbridge_domain::ids::{CustomerUnit, MerchantId, ShopId};
use posbridge_domain::report::{BillFigures, SettlementFigures};
use posbridge_domain::sell_bill::BillState;
use posbridge_domain::settlement::CalUserType;

use super::decimal::money;
use crate::error::StoreError;

/// One `sell_bills` row: shop, customer type, customer id, state, total, discount, paid.
pub type BillColumns = (String, String, String, String, String, String, String);

/// One `settlements` row: merchant, customer type, customer id, payer code, sales, cal, rebate.
pub type SettlementColumns = (i64, String, String, String, String, String, String);

/// A sell bill's report figures.
pub fn bill_figures(row: BillColumns) -> Result<BillFigures, StoreError> {
    let (shop, customer_type, customer_id, state, total, discount, paid) = row;
    Ok(BillFigures {
        shop_id: ShopId::new(shop),
        customer: CustomerUnit::new(customer_type, customer_id),
        state: BillState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("stored bill state {state:?}")))?,
        total: money(&total)?,
        discount: money(&discount)?,
        paid: money(&paid)?,
    })
}

/// A settlement's report figures.
pub fn settlement_figures(row: SettlementColumns) -> Result<SettlementFigures, StoreError> {
    let (merchant, customer_type, customer_id, payer, sales, cal, rebate) = row;
    Ok(SettlementFigures {
        merchant_id: MerchantId(merchant),
        customer: CustomerUnit::new(customer_type, customer_id),
        cal_user_type: CalUserType::parse(&payer)
            .ok_or_else(|| StoreError::Corrupt(format!("stored CalUserType {payer:?}")))?,
        sales: money(&sales)?,
        cal: money(&cal)?,
        rebate: money(&rebate)?,
    })
}
