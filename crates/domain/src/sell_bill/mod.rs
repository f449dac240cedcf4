//! The sell bill aggregate (CONTRACT §5).
//!
//! A partner submits a bill with `AddOrUpdate`, keyed by its customer unit and `SenderBillNum`;
//! then pays it with `PayBill` or ends it with `DeleteOrClose`. The flow of one bill:
//!
//! 1. [`SellBillDraft::validate`] checks the fields (1002–1004) into a [`SellBillContent`].
//! 2. [`SellBill::create`] (new key) or [`SellBill::add_or_update`] (existing key) check the lines
//!    against the shop's [`ShopCatalog`](crate::catalog::ShopCatalog) (2001–2006), price them
//!    exactly, and apply the idempotency and state rules (3002, 3003, 4005).
//! 3. [`PaymentDraft::validate`] and [`SellBill::pay`] take payments (3003–3005).
//! 4. [`SellBill::delete_or_close`] deletes an unpaid bill or closes a part-paid one (3006).
//!
//! Every successful change appends one [`HistoryEntry`] and yields one [`BillEvent`] for the
//! outbox; a replay changes nothing; a failure leaves the bill as it was. [`check_invariants`]
//! states what always holds.

mod aggregate;
mod content;
mod draft;
mod error;
mod payment;
mod priced;
mod state;

pub use aggregate::{BillRecord, Channel, InconsistentBill, Outcome, SellBill, check_invariants};
pub use content::{PlanDeliverType, SellBillContent, SellLine};
pub use draft::{SellBillDraft, SellLineDraft};
pub use error::SellBillError;
pub use payment::{BillRef, PayType, Payment, PaymentDraft, PaymentRequest};
pub use priced::{PricedBill, PricedLine, price_bill};
pub use state::{BillEvent, BillEventKind, BillState, HistoryEntry};

#[cfg(test)]
pub(crate) mod tests;
