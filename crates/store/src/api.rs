//! The [`Store`] trait: every persistent operation posbridge performs. API boundary.
//!
//! Each write is one database transaction that applies the domain's rules to the stored state,
//! writes the result and its outbox event together, and is durable (committed and synced) before
//! the call returns. A refused operation writes nothing.

use std::collections::BTreeSet;

use async_trait::async_trait;
use posbridge_domain::calendar::{CivilDate, Timestamp};
use posbridge_domain::clerk::{ClerkBatch, ClerkRejection};
use posbridge_domain::ids::{CustomerUnit, MerchantId, ShopId};
use posbridge_domain::master::{Account, MasterData, MasterDataError};
use posbridge_domain::report::{BillFigures, SettlementFigures};
use posbridge_domain::sell_bill::{
    BillRecord, BillRef, Channel, PaymentRequest, SellBillContent, SellBillError,
};
use posbridge_domain::settlement::{SettlementContent, SettlementError};

use crate::error::{OpResult, StoreError};
use crate::model::{
    BillChange, BillPage, BillQuery, ClaimLimits, ClerkChanges, ClerkEntry, DeliveryAttempt,
    EventFilter, EventStatus, ImportSummary, OutboxEvent, PoolStatus, RetrySelector,
    SettlementChange, SettlementRecord,
};

/// Who performs a write: the account, for the outbox (its `callbackUrl` receives the event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account's id.
    pub account_id: String,
}

impl Actor {
    /// The account with this id.
    pub fn new(account_id: impl Into<String>) -> Actor {
        Actor {
            account_id: account_id.into(),
        }
    }
}

/// posbridge's persistence. Implemented by the SQLite and the PostgreSQL backend; both pass the
/// conformance suite.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Succeeds when the database answers (for `readyz`).
    async fn ping(&self) -> Result<(), StoreError>;

    /// The store's connections right now; no database round trip.
    fn pool_status(&self) -> PoolStatus;

    /// Upserts a master data document, all or nothing (CONTRACT §3). A changed price quote is
    /// also appended to the price history with `now`.
    async fn import_master_data(
        &self,
        data: &MasterData,
        now: Timestamp,
    ) -> OpResult<ImportSummary, MasterDataError>;

    /// Every stored master data entity; accounts carry token hashes, never tokens.
    async fn master_data(&self) -> Result<MasterData, StoreError>;

    /// The channel or merchant account whose token has this SHA-256.
    async fn account_by_token(
        &self,
        token_sha256: &[u8; 32],
    ) -> Result<Option<Account>, StoreError>;

    /// The ERP account with this Qimen `app_key`.
    async fn account_by_app_key(&self, app_key: &str) -> Result<Option<Account>, StoreError>;

    /// `AddOrUpdate` (CONTRACT §5): creates, replaces or replays the bill keyed by the channel's
    /// customer unit and the content's `SenderBillNum`. Concurrent calls with one key serialise.
    async fn add_or_update_bill(
        &self,
        actor: &Actor,
        channel: &Channel,
        content: &SellBillContent,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError>;

    /// `PayBill` on a bill of `customer`.
    async fn pay_bill(
        &self,
        actor: &Actor,
        customer: &CustomerUnit,
        bill: &BillRef,
        payment: &PaymentRequest,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError>;

    /// `DeleteOrClose` on a bill of `customer`.
    async fn delete_or_close_bill(
        &self,
        actor: &Actor,
        customer: &CustomerUnit,
        bill: &BillRef,
        now: Timestamp,
    ) -> OpResult<BillChange, SellBillError>;

    /// The bill of `customer` that `bill` names, if any.
    async fn bill(
        &self,
        customer: &CustomerUnit,
        bill: &BillRef,
    ) -> Result<Option<BillRecord>, StoreError>;

    /// The bills of `customer`, newest first.
    async fn list_bills(
        &self,
        customer: &CustomerUnit,
        query: &BillQuery,
    ) -> Result<BillPage, StoreError>;

    /// `CalculateBill/Add` (CONTRACT §6) for `merchant`: replays, or checks against the sell
    /// bills and the settled-quantity ledger and stores the settlement and the ledger increments.
    async fn add_settlement(
        &self,
        actor: &Actor,
        merchant: MerchantId,
        content: &SettlementContent,
        now: Timestamp,
    ) -> OpResult<SettlementChange, SettlementError>;

    /// The settlement of `merchant` with this `BillNum`, if any.
    async fn settlement(
        &self,
        merchant: MerchantId,
        bill_num: &str,
    ) -> Result<Option<SettlementRecord>, StoreError>;

    /// Applies a clerk batch of an ERP account allowed `shops`, all or nothing (CONTRACT §7).
    async fn sync_clerks(
        &self,
        shops: &BTreeSet<ShopId>,
        batch: &ClerkBatch,
        now: Timestamp,
    ) -> OpResult<ClerkChanges, ClerkRejection>;

    /// The clerks of a shop, by clerk code; deleted ones only when asked.
    async fn clerks(
        &self,
        shop: &ShopId,
        include_deleted: bool,
    ) -> Result<Vec<ClerkEntry>, StoreError>;

    /// Outbox events matching `filter`, oldest first.
    async fn events(&self, filter: &EventFilter) -> Result<Vec<OutboxEvent>, StoreError>;

    /// The daily report's input (CONTRACT §10): the figures of the sell bills created in
    /// `[from, to)`, of `shop` only when given, each counted by its state now.
    async fn bill_figures(
        &self,
        from: Timestamp,
        to: Timestamp,
        shop: Option<&ShopId>,
    ) -> Result<Vec<BillFigures>, StoreError>;

    /// The rebate report's input (CONTRACT §10): the figures of the settlements whose
    /// `HappenDate` lies in `[from, to]`, of one customer id only when given.
    async fn settlement_figures(
        &self,
        from: CivilDate,
        to: CivilDate,
        customer_id: Option<&str>,
    ) -> Result<Vec<SettlementFigures>, StoreError>;

    /// How many outbox events are in each status (every status listed, zeros included), for
    /// metrics; one aggregate query, no event is read.
    async fn event_counts(&self) -> Result<Vec<(EventStatus, u64)>, StoreError>;

    /// When the oldest event not yet delivered (pending or failing) happened, for metrics; `None`
    /// when every event is delivered or dead.
    async fn oldest_undelivered(&self) -> Result<Option<Timestamp>, StoreError>;

    /// Claims events due at `now` for delivery until `lease_until`, within `limits` (in all, and
    /// per account counting the caller's events in flight), oldest first: each is the oldest
    /// undelivered event of its subject, so delivery stays in order per subject, and a claimed
    /// event is not handed to another caller (another process) before its lease ends.
    async fn claim_due_events(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limits: &ClaimLimits,
    ) -> Result<Vec<OutboxEvent>, StoreError>;

    /// Records a delivery attempt and the event's fate.
    async fn record_attempt(
        &self,
        event_id: i64,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError>;

    /// Schedules events for an attempt at `now`; answers how many were scheduled. One event named
    /// by id is scheduled whatever its status, so an operator can replay a delivered event (same
    /// id, receivers drop duplicates); a bill or an instant selects only undelivered events (dead
    /// ones included), so a bulk retry never floods receivers with what they already have.
    async fn retry_events(
        &self,
        selector: &RetrySelector,
        now: Timestamp,
    ) -> Result<u64, StoreError>;
}
