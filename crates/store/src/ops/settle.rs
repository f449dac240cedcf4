//! Rebate settlements: replay, or check against the locked sell bills and the ledger, then store
//! the settlement and its ledger increments.

use std::collections::{BTreeMap, BTreeSet};

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::ids::{BillNum, MerchantId, ProductId};
use posbridge_domain::sell_bill::SellBill;
use posbridge_domain::settlement::{
    SettlementContent, SettlementContext, SettlementError, check_replay, settle,
};
use rust_decimal::Decimal;

use super::restore;
use crate::api::Actor;
use crate::codec;
use crate::error::{OpError, OpResult, StoreError};
use crate::model::{EventSubject, SettlementChange, SettlementRecord};
use crate::tx::{NewEvent, Tx};

/// The event type of an accepted settlement.
pub const SETTLEMENT_CREATED: &str = "settlement.created";

/// CalculateBill/Add for `merchant`.
pub async fn add<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    merchant: MerchantId,
    content: &SettlementContent,
    now: Timestamp,
) -> OpResult<SettlementChange, SettlementError> {
    if let Some(existing) = tx.settlement_by_key(merchant, &content.bill_num).await? {
        check_replay(&existing.settlement.content, content).map_err(OpError::Refused)?;
        return Ok(SettlementChange {
            record: existing,
            replayed: true,
        });
    }
    let merchant_shops = tx.merchant_shops(merchant).await?;
    let rebate_rate = tx.rebate_rate(&content.customer).await?;
    let bill_nums: BTreeSet<BillNum> = content
        .details
        .iter()
        .map(|d| d.sell_bill_num.clone())
        .collect();
    // Locking the sell bills serialises settlements over the same goods, across processes.
    let sell_bills = tx
        .lock_sell_bills(&bill_nums)
        .await?
        .into_iter()
        .map(|s| Ok((s.record.bill_num.clone(), restore(s.record)?)))
        .collect::<Result<BTreeMap<_, _>, StoreError>>()?;
    let settled = tx.settled(&bill_nums).await?;
    let context = SettlementContext {
        merchant_id: merchant,
        merchant_shops: &merchant_shops,
        rebate_rate,
        sell_bills: &sell_bills,
        settled: &settled,
    };
    let settlement = settle(content.clone(), &context).map_err(OpError::Refused)?;
    let id = tx.insert_settlement(merchant, &settlement, now).await?;
    for (bill_num, product, increment) in settlement.increments().iter() {
        let sold = sold_quantity(sell_bills.get(bill_num), product);
        tx.add_settled(bill_num, product, sold, increment).await?;
    }
    let record = SettlementRecord {
        id,
        merchant_id: merchant,
        settlement,
        created_at: now,
    };
    let document = codec::settlement::encode(&record);
    tx.insert_event(NewEvent {
        account_id: &actor.account_id,
        subject: &EventSubject::Settlement(id),
        sequence: 1,
        kind: SETTLEMENT_CREATED,
        occurred_at: now,
        document: &document,
    })
    .await?;
    Ok(SettlementChange {
        record,
        replayed: false,
    })
}

/// The quantity of `product` sold on a bill: the sum over its lines.
fn sold_quantity(bill: Option<&SellBill>, product: ProductId) -> Decimal {
    bill.map_or(Decimal::ZERO, |bill| {
        bill.record()
            .content
            .lines
            .iter()
            .filter(|line| line.product_id == product)
            .map(|line| line.amount.get())
            .sum()
    })
}
