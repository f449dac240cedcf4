//! The primitives a backend implements inside one transaction; the operations in `ops` are
//! written once over them, so both backends apply the rules identically.
//!
//! A backend runs an operation inside a transaction it owns: SQLite on its single writer
//! connection (inside a savepoint of a group commit), PostgreSQL on a pooled connection with
//! `READ COMMITTED` and row locks, retrying the whole operation on a unique violation, a
//! serialization failure or a deadlock. `lock` asks for the row lock that serialises concurrent
//! writers of one bill (`SELECT … FOR UPDATE`); SQLite needs none, having one writer.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use posbridge_domain::amounts::RebateRate;
use posbridge_domain::calendar::Timestamp;
use posbridge_domain::catalog::ShopCatalog;
use posbridge_domain::clerk::{ClerkChange, ClerkKey, StoredClerk};
use posbridge_domain::ids::{
    BillNum, CustomerUnit, GuiderNumber, MerchantId, ProductId, SenderBillNum, ShopId,
};
use posbridge_domain::master::{Account, KnownKeys, MasterData};
use posbridge_domain::sell_bill::{BillRecord, Payment};
use posbridge_domain::settlement::{SettledQuantities, Settlement};
use rust_decimal::Decimal;

use crate::error::StoreError;
use crate::model::{
    BillQuery, ClaimLimits, ClerkEntry, DeliveryAttempt, EventFilter, EventStatus, EventSubject,
    ImportSummary, OutboxEvent, RetrySelector, SettlementRecord,
};

/// A bill as stored: its row id (the listing position) and its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBill {
    /// The row id, increasing with creation.
    pub id: i64,
    /// The bill.
    pub record: BillRecord,
}

/// The `BillNum` of the n-th bill, the same on both backends: `SB` and 12 digits.
pub fn bill_num_of(n: i64) -> BillNum {
    BillNum::new(format!("SB{n:012}"))
}

/// An event to append to the outbox.
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    /// The account whose `callbackUrl` receives it.
    pub account_id: &'a str,
    /// What it is about.
    pub subject: &'a EventSubject,
    /// Position among the subject's events, from 1.
    pub sequence: u32,
    /// The event type.
    pub kind: &'a str,
    /// When the change happened; also when the first attempt is due.
    pub occurred_at: Timestamp,
    /// The subject right after the change, encoded by `codec`.
    pub document: &'a str,
}

/// Transaction primitives. Every method reads or writes within the transaction it was called in.
pub trait Tx: Send {
    // ---- master data
    /// The keys of stored merchants, shops, customer units and products.
    fn known_keys(&mut self) -> impl Future<Output = Result<KnownKeys, StoreError>> + Send;
    /// Upserts every entity of a checked document; changed prices go to the price history.
    fn upsert_master(
        &mut self,
        data: &MasterData,
        now: Timestamp,
    ) -> impl Future<Output = Result<ImportSummary, StoreError>> + Send;
    /// Every stored entity.
    fn load_master(&mut self) -> impl Future<Output = Result<MasterData, StoreError>> + Send;
    /// The account with this token hash.
    fn account_by_token(
        &mut self,
        token_sha256: &[u8; 32],
    ) -> impl Future<Output = Result<Option<Account>, StoreError>> + Send;
    /// The ERP account with this app key.
    fn account_by_app_key(
        &mut self,
        app_key: &str,
    ) -> impl Future<Output = Result<Option<Account>, StoreError>> + Send;
    /// What the rules need of `shop`: stock records and prices of `products`, and `guide` if
    /// it is known.
    fn catalog(
        &mut self,
        shop: &ShopId,
        products: &BTreeSet<ProductId>,
        guide: Option<&GuiderNumber>,
    ) -> impl Future<Output = Result<ShopCatalog, StoreError>> + Send;
    /// The shops of a merchant.
    fn merchant_shops(
        &mut self,
        merchant: MerchantId,
    ) -> impl Future<Output = Result<BTreeSet<ShopId>, StoreError>> + Send;
    /// The rebate rate of a customer unit, `None` when the unit is unknown.
    fn rebate_rate(
        &mut self,
        unit: &CustomerUnit,
    ) -> impl Future<Output = Result<Option<RebateRate>, StoreError>> + Send;

    // ---- sell bills
    /// The bill with this key, locked when `lock`.
    fn bill_by_key(
        &mut self,
        customer: &CustomerUnit,
        sender_bill_num: &SenderBillNum,
        lock: bool,
    ) -> impl Future<Output = Result<Option<StoredBill>, StoreError>> + Send;
    /// The bill with this number (any owner), locked when `lock`.
    fn bill_by_num(
        &mut self,
        bill_num: &BillNum,
        lock: bool,
    ) -> impl Future<Output = Result<Option<StoredBill>, StoreError>> + Send;
    /// A new `BillNum`, never handed out before.
    fn next_bill_num(
        &mut self,
        now: Timestamp,
    ) -> impl Future<Output = Result<BillNum, StoreError>> + Send;
    /// Inserts a new bill, `document` being its encoding (`codec::bill::encode`, done once by
    /// the caller, which also puts it in the outbox); a second bill with its key or number is a
    /// `Conflict`.
    fn insert_bill(
        &mut self,
        record: &BillRecord,
        document: &str,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// Replaces a stored bill's record, `document` being its encoding.
    fn update_bill(
        &mut self,
        id: i64,
        record: &BillRecord,
        document: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Records a payment's key; a second payment with its `PayNum` on the bill is a `Conflict`.
    fn insert_payment(
        &mut self,
        bill_id: i64,
        payment: &Payment,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Bills of `customer` matching `query`, newest first, at most `query.limit + 1`.
    fn list_bills(
        &mut self,
        customer: &CustomerUnit,
        query: &BillQuery,
    ) -> impl Future<Output = Result<Vec<StoredBill>, StoreError>> + Send;

    // ---- settlements
    /// The settlement of `merchant` with this `BillNum`.
    fn settlement_by_key(
        &mut self,
        merchant: MerchantId,
        bill_num: &str,
    ) -> impl Future<Output = Result<Option<SettlementRecord>, StoreError>> + Send;
    /// The sell bills with these numbers that exist, locked (in number order, so concurrent
    /// settlements cannot deadlock).
    fn lock_sell_bills(
        &mut self,
        bill_nums: &BTreeSet<BillNum>,
    ) -> impl Future<Output = Result<Vec<StoredBill>, StoreError>> + Send;
    /// Quantities settled so far of these bills.
    fn settled(
        &mut self,
        bill_nums: &BTreeSet<BillNum>,
    ) -> impl Future<Output = Result<SettledQuantities, StoreError>> + Send;
    /// Inserts a settlement; a second one with its key is a `Conflict`. Answers its id.
    fn insert_settlement(
        &mut self,
        merchant: MerchantId,
        settlement: &Settlement,
        now: Timestamp,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// Adds `increment` to the settled quantity of (bill, product), whose sold quantity is
    /// `sold`; the database refuses a total above `sold` (`Conflict`).
    fn add_settled(
        &mut self,
        bill_num: &BillNum,
        product: ProductId,
        sold: Decimal,
        increment: Decimal,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    // ---- clerks
    /// The stored clerks with these keys (deleted ones included).
    fn clerks_by_keys(
        &mut self,
        keys: &BTreeSet<ClerkKey>,
    ) -> impl Future<Output = Result<BTreeMap<ClerkKey, StoredClerk>, StoreError>> + Send;
    /// Writes one planned change that [`ClerkChange::writes`], and its history entry.
    fn write_clerk(
        &mut self,
        change: &ClerkChange,
        now: Timestamp,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The clerks of a shop, by clerk code.
    fn list_clerks(
        &mut self,
        shop: &ShopId,
        include_deleted: bool,
    ) -> impl Future<Output = Result<Vec<ClerkEntry>, StoreError>> + Send;

    // ---- outbox
    /// Appends an event; answers its id.
    fn insert_event(
        &mut self,
        event: NewEvent<'_>,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// Events matching `filter`, oldest first.
    fn events(
        &mut self,
        filter: &EventFilter,
    ) -> impl Future<Output = Result<Vec<OutboxEvent>, StoreError>> + Send;
    /// See [`crate::Store::event_counts`].
    fn event_counts(
        &mut self,
    ) -> impl Future<Output = Result<Vec<(EventStatus, u64)>, StoreError>> + Send;
    /// See [`crate::Store::claim_due_events`].
    fn claim_due_events(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limits: &ClaimLimits,
    ) -> impl Future<Output = Result<Vec<OutboxEvent>, StoreError>> + Send;
    /// See [`crate::Store::record_attempt`].
    fn record_attempt(
        &mut self,
        event_id: i64,
        attempt: &DeliveryAttempt,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// See [`crate::Store::retry_events`].
    fn retry_events(
        &mut self,
        selector: &RetrySelector,
        now: Timestamp,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}
