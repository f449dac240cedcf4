//! Rebate settlements (CONTRACT §6).
//!
//! A merchant settles the rebate it owes a customer unit over paid sell bills. The flow:
//!
//! 1. [`SettlementDraft::validate`] checks the fields (1002–1004) into a [`SettlementContent`].
//! 2. If the merchant already has a settlement under that `BillNum`, [`check_replay`] decides:
//!    identical content is a replay, other content is 4001. Nothing else is checked then.
//! 3. Otherwise [`settle`] checks the header against the account and each detail against its
//!    sell bill and the [`SettledQuantities`] ledger (4002–4005), and computes the amounts:
//!    `calAmount = Σ round_half_up(Amount × CalPrice, 2)`,
//!    `rebateAmount = round_half_up(calAmount × rebateRate, 2)`, and
//!    `salesAmount = Σ round_half_up(q × DiscountedPrice, 2)` over the sell lines each detail
//!    settles, quantities taken from a product's lines in line order.
//! 4. The store adds [`Settlement::increments`] to the ledger in the same transaction, so that no
//!    goods are ever settled twice (4003), across processes too.

mod content;
mod draft;
mod error;
mod ledger;
mod settle;

pub use content::{CalUserType, ProductInfo, SettlementContent, SettlementDetail};
pub use draft::{SettlementDetailDraft, SettlementDraft};
pub use error::{
    NotSettleable, PriceExpectation, SettlementError, SettlementFailure, SettlementRejection,
};
pub use ledger::{LineAllocation, SettledQuantities, allocate};
pub use settle::{SettledDetail, Settlement, SettlementContext, check_replay, settle};

#[cfg(test)]
mod tests;
