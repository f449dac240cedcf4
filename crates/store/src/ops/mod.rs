//! The store's operations, written once over the transaction primitives of [`crate::tx::Tx`]:
//! load what the rules need, let the domain decide, write the result and its outbox event.

pub mod clerks;
pub mod master;
pub mod sell;
pub mod settle;

use posbridge_domain::sell_bill::{BillRecord, SellBill};

use crate::error::StoreError;

/// Rebuilds a stored bill, checking the domain's invariants on it.
fn restore(record: BillRecord) -> Result<SellBill, StoreError> {
    let bill_num = record.bill_num.clone();
    SellBill::restore(record).map_err(|e| StoreError::Corrupt(format!("bill {bill_num}: {e}")))
}
