//! Bill states, history entries and the events a change yields for the outbox.

use std::fmt;

use crate::calendar::Timestamp;
use crate::ids::BillNum;

/// Where a bill stands (`BillState`).
///
/// ```text
/// Initial ──pay (part)──▶ PartPaid ──pay (rest)──▶ Paid
///    │ └──────────pay (all)───────────────────────▲
///    │ delete                 │ close
///    ▼                        ▼
/// Deleted                   Closed
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BillState {
    /// Created or updated, no payment yet: the only editable state.
    Initial,
    /// Some payments, less than the total.
    PartPaid,
    /// Payments reach the total. Terminal.
    Paid,
    /// Deleted before any payment. Terminal.
    Deleted,
    /// Closed after a part payment: the paid part stands, the rest is waived. Terminal.
    Closed,
}

impl BillState {
    /// Every state, in the order of the diagram.
    pub const ALL: [BillState; 5] = [
        BillState::Initial,
        BillState::PartPaid,
        BillState::Paid,
        BillState::Deleted,
        BillState::Closed,
    ];

    /// The wire spelling: `Initial`, `PartPaid`, `Paid`, `Deleted`, `Closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            BillState::Initial => "Initial",
            BillState::PartPaid => "PartPaid",
            BillState::Paid => "Paid",
            BillState::Deleted => "Deleted",
            BillState::Closed => "Closed",
        }
    }

    /// Reads the wire spelling (exact case).
    pub fn parse(text: &str) -> Option<BillState> {
        BillState::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
    }

    /// Whether no operation can change the bill any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            BillState::Paid | BillState::Deleted | BillState::Closed
        )
    }

    /// Whether the bill was deleted or closed (errcode 3003 for most operations).
    pub fn is_deleted_or_closed(self) -> bool {
        matches!(self, BillState::Deleted | BillState::Closed)
    }
}

impl fmt::Display for BillState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a bill event, as callbacks name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BillEventKind {
    /// `bill.created`
    Created,
    /// `bill.updated`
    Updated,
    /// `bill.payment_received`: a payment that leaves something outstanding.
    PaymentReceived,
    /// `bill.paid`: the payment that reaches the total.
    Paid,
    /// `bill.deleted`
    Deleted,
    /// `bill.closed`
    Closed,
}

impl BillEventKind {
    /// The event type: `bill.created`, `bill.updated`, …
    pub fn as_str(self) -> &'static str {
        match self {
            BillEventKind::Created => "bill.created",
            BillEventKind::Updated => "bill.updated",
            BillEventKind::PaymentReceived => "bill.payment_received",
            BillEventKind::Paid => "bill.paid",
            BillEventKind::Deleted => "bill.deleted",
            BillEventKind::Closed => "bill.closed",
        }
    }
}

impl fmt::Display for BillEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of a bill's history: every successful change adds exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Position in the history, from 1; also the event's per-bill `sequence`.
    pub sequence: u32,
    /// The content version after the change.
    pub version: u32,
    /// The state after the change.
    pub state: BillState,
    /// What happened.
    pub event: BillEventKind,
    /// When.
    pub at: Timestamp,
}

/// An event for the outbox: a history entry and the bill it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillEvent {
    /// The bill.
    pub bill_num: BillNum,
    /// The history entry the change added.
    pub entry: HistoryEntry,
}

impl BillEvent {
    /// The event type.
    pub fn kind(&self) -> BillEventKind {
        self.entry.event
    }

    /// The per-bill sequence number, increasing by one per event.
    pub fn sequence(&self) -> u32 {
        self.entry.sequence
    }
}
