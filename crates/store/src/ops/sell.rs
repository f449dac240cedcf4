//! Sell bill operations: AddOrUpdate, PayBill, DeleteOrClose, Get and List.

use std::collections::BTreeSet;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::catalog::ShopCatalog;
use posbridge_domain::ids::{CustomerUnit, ShopId};
use posbridge_domain::sell_bill::{
    BillEvent, BillRecord, BillRef, Channel, Outcome, PaymentRequest, SellBill, SellBillContent,
    SellBillError,
};

use super::restore;
use crate::api::Actor;
use crate::codec;
use crate::error::{OpError, OpResult, StoreError};
use crate::model::{BillChange, BillCursor, BillPage, BillQuery, EventSubject};
use crate::tx::{NewEvent, StoredBill, Tx};

/// AddOrUpdate on (channel's customer unit, `SenderBillNum`).
pub async fn add_or_update<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    channel: &Channel,
    content: &SellBillContent,
    now: Timestamp,
) -> OpResult<BillChange, SellBillError> {
    let stored = tx
        .bill_by_key(&channel.customer, &content.sender_bill_num, true)
        .await?;
    let Some(stored) = stored else {
        let catalog = catalog_for(tx, &channel.shop_id, content).await?;
        let bill_num = tx.next_bill_num(now).await?;
        let (bill, event) = SellBill::create(bill_num, channel, content.clone(), &catalog, now)
            .map_err(OpError::Refused)?;
        let record = bill.into_record();
        let document = codec::bill::encode(&record);
        tx.insert_bill(&record, &document).await?;
        append_event(tx, actor, &record, &event, &document).await?;
        return Ok(BillChange {
            bill: record,
            outcome: Outcome::Changed(event),
        });
    };
    let mut bill = restore(stored.record)?;
    // Only a changed content is priced; a replay (the common retry) skips the catalog reads.
    let catalog = if bill.record().content == *content {
        ShopCatalog::default()
    } else {
        catalog_for(tx, &channel.shop_id, content).await?
    };
    let outcome = bill
        .add_or_update(channel, content.clone(), &catalog, now)
        .map_err(OpError::Refused)?;
    finish(tx, actor, stored.id, bill.into_record(), outcome).await
}

/// PayBill on a bill of `customer`.
pub async fn pay<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    customer: &CustomerUnit,
    bill_ref: &BillRef,
    payment: &PaymentRequest,
    now: Timestamp,
) -> OpResult<BillChange, SellBillError> {
    let stored = find(tx, customer, bill_ref, true)
        .await?
        .ok_or(OpError::Refused(SellBillError::NotFound))?;
    let mut bill = restore(stored.record)?;
    let outcome = bill.pay(payment, now).map_err(OpError::Refused)?;
    let record = bill.into_record();
    if let (Outcome::Changed(_), Some(accepted)) = (&outcome, record.payments.last()) {
        tx.insert_payment(stored.id, accepted).await?;
    }
    finish(tx, actor, stored.id, record, outcome).await
}

/// DeleteOrClose on a bill of `customer`.
pub async fn delete_or_close<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    customer: &CustomerUnit,
    bill_ref: &BillRef,
    now: Timestamp,
) -> OpResult<BillChange, SellBillError> {
    let stored = find(tx, customer, bill_ref, true)
        .await?
        .ok_or(OpError::Refused(SellBillError::NotFound))?;
    let mut bill = restore(stored.record)?;
    let outcome = bill.delete_or_close(now).map_err(OpError::Refused)?;
    finish(tx, actor, stored.id, bill.into_record(), outcome).await
}

/// The bill of `customer` that `bill_ref` names.
pub async fn get<T: Tx>(
    tx: &mut T,
    customer: &CustomerUnit,
    bill_ref: &BillRef,
) -> Result<Option<BillRecord>, StoreError> {
    Ok(find(tx, customer, bill_ref, false).await?.map(|s| s.record))
}

/// A page of `customer`'s bills, newest first.
pub async fn list<T: Tx>(
    tx: &mut T,
    customer: &CustomerUnit,
    query: &BillQuery,
) -> Result<BillPage, StoreError> {
    let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
    let mut rows = tx.list_bills(customer, query).await?;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|last| BillCursor(last.id))
    } else {
        None
    };
    Ok(BillPage {
        bills: rows.into_iter().map(|s| s.record).collect(),
        next_cursor,
    })
}

/// Finds the bill `bill_ref` names among `customer`'s: another unit's bill, or keys naming two
/// different bills, is not found (CONTRACT §2: no leaking of other tenants' bills).
async fn find<T: Tx>(
    tx: &mut T,
    customer: &CustomerUnit,
    bill_ref: &BillRef,
    lock: bool,
) -> Result<Option<StoredBill>, StoreError> {
    let stored = match (&bill_ref.bill_num, &bill_ref.sender_bill_num) {
        (Some(bill_num), _) => tx.bill_by_num(bill_num, lock).await?,
        (None, Some(sender)) => tx.bill_by_key(customer, sender, lock).await?,
        (None, None) => None,
    };
    Ok(stored.filter(|s| {
        s.record.customer == *customer
            && bill_ref.names(&s.record.bill_num, &s.record.content.sender_bill_num)
    }))
}

async fn catalog_for<T: Tx>(
    tx: &mut T,
    shop: &ShopId,
    content: &SellBillContent,
) -> Result<ShopCatalog, StoreError> {
    let products: BTreeSet<_> = content.lines.iter().map(|l| l.product_id).collect();
    tx.catalog(shop, &products, content.guider_number.as_ref())
        .await
}

async fn finish<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    id: i64,
    record: BillRecord,
    outcome: Outcome,
) -> OpResult<BillChange, SellBillError> {
    if let Outcome::Changed(event) = &outcome {
        let document = codec::bill::encode(&record);
        tx.update_bill(id, &record, &document).await?;
        append_event(tx, actor, &record, event, &document).await?;
    }
    Ok(BillChange {
        bill: record,
        outcome,
    })
}

async fn append_event<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    record: &BillRecord,
    event: &BillEvent,
    document: &str,
) -> Result<(), StoreError> {
    let subject = EventSubject::Bill(record.bill_num.clone());
    tx.insert_event(NewEvent {
        account_id: &actor.account_id,
        subject: &subject,
        sequence: event.sequence(),
        kind: event.kind().as_str(),
        occurred_at: event.entry.at,
        document,
    })
    .await?;
    Ok(())
}
