//! What the store hands back: records with their stored identity, pages, outbox events.
//!
//! These are the store's API types; its row types stay private to the backends.

use std::collections::BTreeMap;

use posbridge_domain::calendar::Timestamp;
use posbridge_domain::clerk::{ClerkChange, StoredClerk};
use posbridge_domain::ids::{BillNum, MerchantId};
use posbridge_domain::sell_bill::{BillRecord, BillState, Outcome};
use posbridge_domain::settlement::Settlement;

/// A sell bill after an operation, and what the operation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillChange {
    /// The bill as stored after the operation (for a replay: as it is now).
    pub bill: BillRecord,
    /// `Changed` with the event written to the outbox, or `Replayed`.
    pub outcome: Outcome,
}

/// Filters and paging of a bill listing (CONTRACT §5 `List`): newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BillQuery {
    /// Only bills created at or after this instant.
    pub created_from: Option<Timestamp>,
    /// Only bills created at or before this instant.
    pub created_to: Option<Timestamp>,
    /// Only bills in this state.
    pub state: Option<BillState>,
    /// Continue after this cursor (from an earlier page's `next_cursor`).
    pub cursor: Option<BillCursor>,
    /// Page size; the caller enforces the contract's 1..=500.
    pub limit: u32,
}

/// Where a bill listing continues: bills created before the one with this position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BillCursor(pub i64);

/// One page of bills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillPage {
    /// The bills, newest first.
    pub bills: Vec<BillRecord>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<BillCursor>,
}

/// A stored settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementRecord {
    /// The server's settlement id (the answer's `tag`).
    pub id: i64,
    /// The submitting merchant.
    pub merchant_id: MerchantId,
    /// The settlement with its amounts and allocations.
    pub settlement: Settlement,
    /// When it was accepted.
    pub created_at: Timestamp,
}

/// The result of submitting a settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementChange {
    /// The stored settlement (for a replay: the earlier one).
    pub record: SettlementRecord,
    /// Whether the submission repeated an earlier identical one.
    pub replayed: bool,
}

/// A clerk as listed by the admin API: the stored clerk and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkEntry {
    /// The clerk and whether it is deleted.
    pub stored: StoredClerk,
    /// When posbridge last wrote it.
    pub updated_at: Timestamp,
}

/// The result of a clerk batch: one change per request clerk, in order.
pub type ClerkChanges = Vec<ClerkChange>;

/// How many entities of each kind an import upserted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Count per entity kind (`merchants`, `shops`, …).
    pub upserted: BTreeMap<&'static str, usize>,
    /// Price quotes whose values changed, each recorded in the price history.
    pub prices_changed: usize,
}

/// What an outbox event is about; events of one subject are delivered in `sequence` order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventSubject {
    /// A sell bill.
    Bill(BillNum),
    /// A settlement, by its server id.
    Settlement(i64),
}

/// The data of an event: the subject as it was when the event happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventPayload {
    /// The bill right after the change.
    Bill(Box<BillRecord>),
    /// The settlement as accepted.
    Settlement(Box<SettlementRecord>),
}

/// Delivery status of an event (CONTRACT §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventStatus {
    /// Not attempted yet.
    Pending,
    /// An attempt failed; retries go on.
    Failing,
    /// Out of retries; kept for operators.
    Dead,
    /// A receiver acknowledged it with a 2xx.
    Delivered,
}

impl EventStatus {
    /// Every status.
    pub const ALL: [EventStatus; 4] = [
        EventStatus::Pending,
        EventStatus::Failing,
        EventStatus::Dead,
        EventStatus::Delivered,
    ];

    /// The stored and listed spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Pending => "pending",
            EventStatus::Failing => "failing",
            EventStatus::Dead => "dead",
            EventStatus::Delivered => "delivered",
        }
    }

    /// `counted` (status spelling, count) pairs as one count per status, zeros included.
    pub fn counts(counted: impl IntoIterator<Item = (String, u64)>) -> Vec<(EventStatus, u64)> {
        let mut counts: Vec<(EventStatus, u64)> =
            EventStatus::ALL.iter().map(|s| (*s, 0)).collect();
        for (status, n) in counted {
            if let Some(entry) = counts.iter_mut().find(|(s, _)| s.as_str() == status) {
                entry.1 += n;
            }
        }
        counts
    }

    /// Reads a stored spelling.
    pub fn parse(text: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// An event of the callback outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEvent {
    /// The store's id; the wire id is `evt_<id>`.
    pub id: i64,
    /// The account whose `callbackUrl` receives it.
    pub account_id: String,
    /// What it is about.
    pub subject: EventSubject,
    /// Position among the subject's events, from 1.
    pub sequence: u32,
    /// The event type (`bill.created`, `settlement.created`, …).
    pub kind: String,
    /// When the change happened.
    pub occurred_at: Timestamp,
    /// Delivery status.
    pub status: EventStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the next attempt is due (or the lease of a claimed event ends).
    pub next_attempt_at: Timestamp,
    /// The HTTP status of the last attempt, if it got one.
    pub last_status_code: Option<u16>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// The subject as it was when the event happened.
    pub payload: EventPayload,
}

impl OutboxEvent {
    /// The id receivers see (`X-Posbridge-Event-Id`).
    pub fn wire_id(&self) -> String {
        format!("evt_{}", self.id)
    }
}

/// Which events an operator lists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventFilter {
    /// Only events in one of these statuses; empty means all.
    pub statuses: Vec<EventStatus>,
    /// Only events of this subject.
    pub subject: Option<EventSubject>,
    /// At most this many, oldest first.
    pub limit: u32,
}

/// One delivery attempt, as the delivery worker reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// When it started.
    pub at: Timestamp,
    /// The receiver's HTTP status, if it answered.
    pub status_code: Option<u16>,
    /// What went wrong, if anything (no secrets, no bodies).
    pub error: Option<String>,
    /// How long it took.
    pub latency_ms: u32,
    /// What happens to the event next.
    pub next: AttemptVerdict,
}

/// The event's fate after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptVerdict {
    /// Acknowledged: done.
    Delivered,
    /// Failed: try again at this instant.
    RetryAt(Timestamp),
    /// Failed for the last time.
    Dead,
}

/// How many events one claim may hand out (CONTRACT §9): in all, and of each account, so that an
/// account whose receiver is slow or dead never takes every attempt slot of a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimLimits {
    /// The most events in all.
    pub total: u32,
    /// The most events of one account in flight at the caller, those it already has included.
    pub per_account: u32,
    /// How many events of each account the caller has in flight now (an absent account: none).
    pub in_flight: BTreeMap<String, u32>,
}

impl ClaimLimits {
    /// At most `total` events, with no limit per account and nothing in flight.
    pub fn new(total: u32) -> ClaimLimits {
        ClaimLimits {
            total,
            per_account: u32::MAX,
            in_flight: BTreeMap::new(),
        }
    }

    /// How many more events of `account` this claim may hand out.
    pub fn room(&self, account: &str) -> u32 {
        let busy = self.in_flight.get(account).copied().unwrap_or(0);
        self.per_account.saturating_sub(busy)
    }

    /// The accounts with no room left, whose events a claim passes over.
    pub fn full_accounts(&self) -> Vec<&str> {
        self.in_flight
            .keys()
            .filter(|account| self.room(account) == 0)
            .map(String::as_str)
            .collect()
    }
}

/// Which events an operator schedules for immediate redelivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetrySelector {
    /// One event by its store id, whatever its status (a delivered one is replayed).
    Event(i64),
    /// Every undelivered event of one bill.
    Bill(BillNum),
    /// Every undelivered event created at or after this instant.
    Since(Timestamp),
}

/// A store's connections right now, for `/metrics`: how close the database side is to saturation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolStatus {
    /// The connections the store keeps (PostgreSQL: the pool's maximum; SQLite: the read
    /// connections kept open, plus the one writer).
    pub max: usize,
    /// Connections open now.
    pub open: usize,
    /// Open connections not in use now.
    pub idle: usize,
    /// Callers waiting: for a pooled connection (PostgreSQL) or in the writer's queue (SQLite).
    pub waiting: usize,
}
